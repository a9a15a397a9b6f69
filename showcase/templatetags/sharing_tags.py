"""The head tags of a page for link previews and search engines, and its share button."""

from django import template
from wagtail.models import Site

from commune_site.sharing import ShareMeta, plain_description, site_description

register = template.Library()


def share_meta_for(context) -> ShareMeta | None:
    """The page's ShareMeta, worked out once per request (the head and the share button
    both need it)."""
    request = context.get("request")
    if request is None:
        return None
    page = context.get("page")
    key = getattr(page, "pk", None)
    memo = getattr(request, "_share_meta", None)
    if memo is not None and memo[0] == key:
        return memo[1]
    if page is not None and hasattr(page, "get_share_meta"):
        meta = page.get_share_meta(context.flatten())
    else:
        # A view that is not a page (search, a code not found): the site's description and
        # the address on the site's own host.
        site = Site.find_for_request(request)
        site_name = (site.site_name or site.root_page.title) if site else ""
        root = site.root_url if site else f"{request.scheme}://{request.get_host()}"
        meta = ShareMeta(
            title=context.get("share_title") or site_name,
            description=plain_description(
                context.get("share_description") or site_description(site_name)
            ),
            url=root + request.path,
            site_name=site_name,
        )
    request._share_meta = (key, meta)
    return meta


@register.inclusion_tag("components/share_meta.html", takes_context=True)
def share_meta(context, canonical=True):
    """Meta description, canonical link, Open Graph, Twitter card and JSON-LD.

    ``canonical=False`` on error pages (a 404 or 410 is no page's address)."""
    return {"meta": share_meta_for(context), "canonical": canonical}


@register.inclusion_tag("components/share_button.html", takes_context=True)
def share_button(context):
    """A "Chia sẻ" button (Web Share API, else copy the link); the link itself without JS."""
    return {"meta": share_meta_for(context)}

