from django.urls import path

from . import views

urlpatterns = [path("tim-kiem/", views.search, name="search")]
