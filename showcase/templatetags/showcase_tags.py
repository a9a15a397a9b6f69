"""Navigation of a commune site, found from the site rather than hard-coded paths."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("components/commune_nav.html", takes_context=True)
def commune_nav(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    links = []
    if site:
        links = list(
            Page.objects.child_of(site.root_page)
            .live()
            .in_menu()
            .only("id", "title", "path", "depth", "url_path")
        )
    return {"links": links, "request": request}
