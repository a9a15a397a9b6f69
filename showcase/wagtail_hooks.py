from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_commune_admin_urls():
    return [path("communes/add/", admin_views.add_commune, name="showcase_add_commune")]


class AddCommuneMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_add_commune(request.user)


@hooks.register("register_settings_menu_item")
def register_add_commune_menu_item():
    return AddCommuneMenuItem(
        _("Thêm phường/xã"), reverse("showcase_add_commune"), icon_name="site", order=150
    )
