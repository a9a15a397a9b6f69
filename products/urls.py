"""Short links (/q/ and /Q/, as printed in upper case) and GS1 Digital Link paths, on any host."""

from django.urls import re_path

from . import views

app_name = "products"

urlpatterns = [
    re_path(r"^[qQ]/(?P<code>[^/]*)\.(?P<fmt>svg|png)$", views.qr_image, name="qr_image"),
    re_path(r"^[qQ]/(?P<code>[^/]*)/?$", views.short_link_redirect, name="short_link"),
    re_path(r"^01/(?P<gtin>[^/]+)/10/(?P<lot>[^/]+)/?$", views.gs1_resolve, name="gs1_batch"),
    re_path(r"^01/(?P<gtin>[^/]+)/?$", views.gs1_resolve, name="gs1_product"),
]
