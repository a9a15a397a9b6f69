"""Audit-log actions of the producer portal, registered with Wagtail's log registry."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

QUICK_EDIT_ACTION = "portal.quick_edit"
PROFILE_EDIT_ACTION = "portal.profile_edit"


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
