"""URLs of the producer portal, served under /portal/ on every commune host."""

from django.urls import path

from ..revenue import import_views
from ..revenue import views as revenue_views
from . import views

app_name = "portal"

urlpatterns = [
    path("", views.my_products, name="home"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("san-pham/<int:pk>/", views.quick_edit, name="quick_edit"),
    path("san-pham/<int:pk>/sua/", views.product_edit, name="product_edit"),
    path("san-pham/moi/", views.product_new, name="product_new"),
    path("lo-hang/", views.batches, name="batches"),
    path("tem-qr/", views.labels, name="labels"),
    path("luot-quet/", views.scans, name="scans"),
    path("gioi-thieu/", views.profile, name="profile"),
    path("nhap-thay/", views.act_for, name="act_for"),
    path("nhap-thay/thoi/", views.act_for_stop, name="act_for_stop"),
    path("ban-hang/nhap-file/", import_views.portal_import, name="sales_import"),
    path("ban-hang/xuat-file/", import_views.portal_export, name="sales_export"),
    # Revenue (producers/revenue/views.py)
    path("ban-hang/", revenue_views.sales, name="sales"),
    path("ban-hang/<int:pk>/sua/", revenue_views.sale_edit, name="sale_edit"),
    path("ban-hang/<int:pk>/xoa/", revenue_views.sale_delete, name="sale_delete"),
    path("doanh-thu/", revenue_views.revenue, name="revenue"),
    path("doanh-thu/truoc-thi-diem/", revenue_views.baseline, name="baseline"),
]
