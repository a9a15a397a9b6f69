"""The portal in Wagtail: its audit-log actions, and the producer's admin dashboard panel."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from ..selectors import producer_for_user
from .access import own_portal
from .selectors import portal_products, product_moderation

QUICK_EDIT_ACTION = "portal.quick_edit"
PROFILE_EDIT_ACTION = "portal.profile_edit"
PRODUCT_EDIT_ACTION = "portal.product_edit"
PRODUCT_PROPOSE_ACTION = "portal.product_propose"


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    actions.register_action(
        QUICK_EDIT_ACTION,
        _("Sửa nhanh từ cổng nhà sản xuất"),
        _("Sửa nhanh giá, tình trạng hoặc mùa vụ từ cổng nhà sản xuất"),
    )
    actions.register_action(
        PROFILE_EDIT_ACTION,
        _("Sửa giới thiệu từ cổng nhà sản xuất"),
        _("Gửi giới thiệu hoặc ảnh mới từ cổng nhà sản xuất để xã duyệt"),
    )
    actions.register_action(
        PRODUCT_EDIT_ACTION,
        _("Sửa sản phẩm từ cổng nhà sản xuất"),
        _("Gửi mô tả hoặc ảnh sản phẩm mới từ cổng nhà sản xuất để xã duyệt"),
    )
    actions.register_action(
        PRODUCT_PROPOSE_ACTION,
        _("Đề xuất sản phẩm từ cổng nhà sản xuất"),
        _("Đề xuất sản phẩm mới từ cổng nhà sản xuất để xã duyệt"),
    )


class ProducerListingPanel(Component):
    """A producer's admin dashboard: the way to the portal, and their products' moderation."""

    name = "producer_listing"
    order = 10  # above Wagtail's own panels
    template_name = "portal/admin_home_panel.html"

    def __init__(self, producer):
        self.producer = producer

    def get_context_data(self, parent_context):
        portal_url, _commune = own_portal(self.producer)
        products = list(portal_products(self.producer))
        for product in products:
            product.moderation = product_moderation(product)
            product.portal_edit_url = (
                portal_url.removesuffix(reverse("portal:home"))
                + reverse("portal:product_edit", args=[product.pk])
                if portal_url
                else ""
            )
        return {"producer": self.producer, "portal_url": portal_url, "products": products}


@hooks.register("construct_homepage_panels")
def producer_listing_panel(request, panels):
    producer = producer_for_user(request.user)
    if producer is not None:
        panels.insert(0, ProducerListingPanel(producer))
