"""Navigation of a commune site, found from the site rather than hard-coded paths."""

from django import template
from wagtail.models import Site

from commune_site import site_directory

register = template.Library()


@register.inclusion_tag("components/commune_nav.html", takes_context=True)
def commune_nav(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    links = []
    if site:
        # Kept by the site directory, which every edit of a root's children renews.
        links = site_directory.current(request).menu(site.root_page_id)
    return {"links": links, "request": request}
