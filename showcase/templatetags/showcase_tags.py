"""Navigation of a commune site, found from the site rather than hard-coded paths."""

from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("components/commune_nav.html", takes_context=True)
def commune_nav(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    links = []
    if site:
        links = list(
            site.root_page.get_children()  # a path range, which SQLite reads from the index
            .live()
            .in_menu()
            .only("id", "title", "path", "depth", "url_path")
        )
    return {"links": links, "request": request}
