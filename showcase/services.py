"""Writes that shape the sites: adding a commune with its site and page tree."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from vietnam_provinces import Province, Ward
from wagtail import hooks
from wagtail.models import Page, Site

from commune_site.slugs import ascii_slug
from producers.models import ProducerIndexPage
from products.models import ProductIndexPage

from .models import CommuneHomePage

HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def official_ward(ward_code: int) -> Ward:
    """The current (post-2025) ward or commune with this official code."""
    try:
        return Ward.from_code(int(ward_code))
    except (TypeError, ValueError) as error:
        raise ValidationError(
            _("Không có phường/xã nào mang mã %(code)s trong danh mục hành chính hiện hành.")
            % {"code": ward_code},
            code="unknown_ward",
        ) from error


@transaction.atomic
def commune_create(
    *,
    ward_code: int,
    hostname: str,
    port: int = 80,
    name: str = "",
    former_units: str = "",
    former_district: str = "",
    former_province: str = "",
) -> CommuneHomePage:
    """Create a commune's site, home page, producer index and product index.

    Running it again for the same ward and hostname returns the existing commune.
    Other features attach to a new commune through the ``after_create_commune`` hook.
    """
    ward = official_ward(ward_code)
    hostname = (hostname or "").strip().lower()
    if not HOSTNAME_RE.match(hostname):
        raise ValidationError(
            _("Tên miền “%(host)s” không hợp lệ.") % {"host": hostname}, code="bad_hostname"
        )

    existing = CommuneHomePage.objects.filter(ward_code=ward.code).first()
    site_for_host = (
        Site.objects.filter(hostname=hostname, port=port).select_related("root_page").first()
    )
    if existing:
        if site_for_host and site_for_host.root_page_id == existing.pk:
            return existing
        raise ValidationError(
            _("Phường/xã %(name)s đã có trang web riêng.") % {"name": ward.name},
            code="ward_exists",
        )
    if site_for_host:
        raise ValidationError(
            _("Tên miền %(host)s đã được dùng cho trang “%(site)s”.")
            % {"host": hostname, "site": site_for_host.site_name or site_for_host.root_page.title},
            code="hostname_in_use",
        )

    province = Province.from_code(ward.province_code)
    title = name or ward.name
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=CommuneHomePage(
            title=title,
            slug=ascii_slug(ward.name),
            ward_code=int(ward.code),
            official_name=ward.name,
            province_code=int(province.code),
            province_name=province.name,
            former_units=former_units,
            former_district=former_district,
            former_province=former_province,
        )
    )
    Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=title)
    # Products come first in the menu: that is what buyers look for. The titles are content,
    # in Vietnamese like the slugs, whatever language the admin who adds the commune reads.
    home.add_child(
        instance=ProductIndexPage(title="Sản phẩm", slug="san-pham", show_in_menus=True)
    )
    home.add_child(
        instance=ProducerIndexPage(title="Nhà sản xuất", slug="nha-san-xuat", show_in_menus=True)
    )

    for hook in hooks.get_hooks("after_create_commune"):
        hook(home)
    return home
