"""What a page says about itself to link previews and search engines.

Zalo, Facebook and Messenger build a link's preview from Open Graph tags; search engines read
the meta description, the canonical URL and schema.org JSON-LD. Each page type says what it
has to say through ``SharingMixin``'s hooks (its own description, picture, structured data);
``base.html`` renders the result with the ``share_meta`` tag (showcase/templatetags/
sharing_tags.py). See docs/sharing.md.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .renditions import image_key, remembered

# About 1200×630, what Facebook and Zalo show large; JPEG, which every preview crawler reads.
# Wagtail's fill never enlarges: a smaller photo gives a smaller picture of the same shape.
OG_IMAGE_SPEC = "fill-1200x630|format-jpeg|jpegquality-80"
DESCRIPTION_LENGTH = 200
SCHEMA = "https://schema.org"
OG_LOCALES = {"vi": "vi_VN", "en": "en_US"}

# ``json.dumps`` leaves "<", ">" and "&" as they are: "</script>" in a product name would end
# the script element. The same escapes as Django's json_script.
_JSON_SCRIPT_ESCAPES = (
    (">", "\\u003E"),
    ("<", "\\u003C"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def json_for_script(data) -> str:
    """JSON that is safe inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    # str.replace, not str.translate with a dict: translate looks every character up in the
    # dict, 0.1 ms for a product's JSON-LD; each replace is one pass in C.
    for character, escape in _JSON_SCRIPT_ESCAPES:
        text = text.replace(character, escape)
    return text


def plain_description(*parts, length=DESCRIPTION_LENGTH) -> str:
    """Parts (rich text allowed) joined into one line of at most ``length`` characters."""
    text = " ".join(" ".join(strip_tags(str(part)).split()) for part in parts if part)
    return Truncator(text).chars(length)


def og_locales() -> tuple[str, list[str]]:
    """(og:locale, og:locale:alternate values) for the language being served."""
    current = OG_LOCALES.get((get_language() or "vi")[:2], "vi_VN")
    return current, [locale for locale in OG_LOCALES.values() if locale != current]


def international_phone(phone: str) -> str:
    """0912345601 → +84912345601, as schema.org's telephone and tel: links prefer."""
    phone = "".join(ch for ch in phone or "" if ch.isdigit() or ch == "+")
    if phone.startswith("0"):
        return "+84" + phone[1:]
    return phone


def postal_address(street, commune) -> dict:
    """A schema.org PostalAddress: street, then the commune's official (post-2025) unit."""
    address = {
        "@type": "PostalAddress",
        "addressLocality": commune.official_name,
        "addressRegion": commune.province_name,
        "addressCountry": "VN",
    }
    if street:
        address["streetAddress"] = street
    return address


@dataclass
class SharedImage:
    """The picture of a preview: an absolute URL and what the crawler wants to know of it."""

    url: str
    width: int
    height: int
    alt: str
    mime_type: str = "image/jpeg"


@dataclass
class ShareMeta:
    """Everything the head of a page says about it; rendered by components/share_meta.html."""

    title: str
    description: str
    url: str
    og_type: str = "website"
    image: SharedImage | None = None
    # Extra Open Graph properties, e.g. ("product:price:amount", "35000").
    og_extra: list[tuple[str, str]] = field(default_factory=list)
    structured_data: list[dict] = field(default_factory=list)
    site_name: str = ""

    @property
    def locale(self) -> str:
        return og_locales()[0]

    @property
    def locale_alternates(self) -> list[str]:
        return og_locales()[1]

    @property
    def structured_data_json(self) -> list[str]:
        return [json_for_script(item) for item in self.structured_data]


def shared_image(image, *, base_url, alt="") -> SharedImage | None:
    """The preview rendition of a Wagtail image, with an absolute URL on ``base_url``'s host."""
    if image is None:
        return None
    path, width, height = remembered(
        ("preview", image_key(image), OG_IMAGE_SPEC), lambda: _preview_rendition(image)
    )
    return SharedImage(
        url=urljoin(base_url, path), width=width, height=height, alt=alt or image.title
    )


def _preview_rendition(image):
    rendition = image.get_rendition(OG_IMAGE_SPEC)
    return (rendition.url, rendition.width, rendition.height), True


def breadcrumb_list(page, request, *, extra=()) -> dict | None:
    """schema.org BreadcrumbList from the site's home page down to ``page`` (and ``extra``
    (name, url) pairs below it); None on a home page, which has no trail.

    The ancestors the request already holds cost nothing: the site's root page and the pages
    the route walked through (``TreeRouteMixin`` links each page to its parent). Any others
    are found in one query by their paths, which are prefixes of the page's own.
    """
    site = Site.find_for_request(request)
    root_depth = site.root_page.depth if site else 2
    if page.depth <= root_depth and not extra:
        return None
    steplen = Page.steplen
    paths = [page.path[: steplen * depth] for depth in range(root_depth, page.depth)]
    known = {site.root_page.path: site.root_page} if site else {}
    parent = getattr(page, "_cached_parent_obj", None)
    while parent is not None and parent.depth >= root_depth:
        known[parent.path] = parent
        parent = getattr(parent, "_cached_parent_obj", None)
    if missing := [path for path in paths if path not in known]:
        known.update(
            (ancestor.path, ancestor)
            for ancestor in Page.objects.filter(path__in=missing).only(
                "id", "title", "path", "depth", "url_path"
            )
        )
    ancestors = [known[path] for path in paths if path in known]
    trail = [(ancestor.title, ancestor.get_full_url(request)) for ancestor in ancestors]
    trail.append((page.title, page.get_full_url(request)))
    trail.extend(extra)
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def site_description(site_name) -> str:
    return _(
        "Sản phẩm chủ lực và OCOP của %(site)s: giá, mùa vụ, nơi mua và nhà sản xuất."
    ) % {"site": site_name}


class SharingMixin:
    """Meta description, canonical URL, Open Graph and JSON-LD for a Wagtail page type.

    A page type overrides the hooks it has something for; every hook gets the template
    context, which holds what ``get_context`` already loaded (producer, commune, photos), so
    describing a page costs (almost) no query of its own.
    """

    og_type = "website"

    def share_title(self, context) -> str:
        return self.seo_title or self.title

    def share_description(self, context) -> str:
        """A description made from the page's content when the editor wrote none."""
        return ""

    def share_image(self, context):
        """The Wagtail image a preview shows, or None."""
        return None

    def share_structured_data(self, context, meta: ShareMeta) -> list[dict]:
        """schema.org items of the page, besides its breadcrumb trail."""
        return []

    def share_og_extra(self, context) -> list[tuple[str, str]]:
        return []

    def share_url(self, context) -> str:
        """The canonical address: the page's own, on its own site's host."""
        return self.get_full_url(context["request"])

    def share_breadcrumbs(self, context) -> dict | None:
        return breadcrumb_list(self, context["request"])

    def get_share_meta(self, context) -> ShareMeta:
        request = context["request"]
        site = Site.find_for_request(request)
        site_name = (site.site_name or site.root_page.title) if site else ""
        url = self.share_url(context)
        description = plain_description(
            self.search_description
            or self.share_description(context)
            or site_description(site_name)
        )
        title = self.share_title(context)
        meta = ShareMeta(
            title=title,
            description=description,
            url=url,
            og_type=self.og_type,
            image=shared_image(self.share_image(context), base_url=url, alt=self.title),
            og_extra=self.share_og_extra(context),
            site_name=site_name,
        )
        meta.structured_data = self.share_structured_data(context, meta)
        trail = self.share_breadcrumbs(context)
        if trail:
            meta.structured_data.append(trail)
        return meta
