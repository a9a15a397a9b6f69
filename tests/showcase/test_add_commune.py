import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from producers.models import ProducerIndexPage, ProducerPage
from products.models import ProductIndexPage, ProductPage
from showcase.demo import seed_demo
from showcase.models import CommuneHomePage

KHANH_HAU = 27715


@pytest.mark.django_db
def test_add_commune_creates_site_and_page_tree():
    call_command("add_commune", ward_code=KHANH_HAU, hostname="khanhhau.localhost")
    commune = CommuneHomePage.objects.get(ward_code=KHANH_HAU)
    assert commune.title == "Phường Khánh Hậu"
    assert commune.official_name == "Phường Khánh Hậu"
    assert commune.province_name == "Tây Ninh"
    assert Site.objects.get(hostname="khanhhau.localhost").root_page_id == commune.pk
    assert ProducerIndexPage.objects.child_of(commune).count() == 1
    assert ProductIndexPage.objects.child_of(commune).count() == 1


@pytest.mark.django_db
def test_add_commune_twice_changes_nothing():
    call_command("add_commune", ward_code=KHANH_HAU, hostname="khanhhau.localhost")
    pages, sites = Page.objects.count(), Site.objects.count()
    call_command("add_commune", ward_code=KHANH_HAU, hostname="khanhhau.localhost")
    assert (Page.objects.count(), Site.objects.count()) == (pages, sites)


@pytest.mark.django_db
def test_add_commune_refuses_unknown_ward_code():
    with pytest.raises(CommandError, match="Không có phường/xã nào mang mã 99999"):
        call_command("add_commune", ward_code=99999, hostname="x.localhost")
    assert not Site.objects.filter(hostname="x.localhost").exists()


@pytest.mark.django_db
def test_add_commune_refuses_a_hostname_in_use():
    with pytest.raises(CommandError, match="tanan.localhost đã được dùng"):
        call_command("add_commune", ward_code=KHANH_HAU, hostname="tanan.localhost")
    assert not CommuneHomePage.objects.filter(ward_code=KHANH_HAU).exists()


@pytest.mark.django_db
def test_add_commune_refuses_a_second_site_for_the_same_ward():
    with pytest.raises(CommandError, match="đã có trang web riêng"):
        call_command("add_commune", ward_code=27712, hostname="tanan2.localhost")


@pytest.mark.django_db
def test_add_commune_refuses_a_malformed_hostname():
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("add_commune", ward_code=KHANH_HAU, hostname="bad host!")


@pytest.mark.django_db
def test_seed_demo_twice_creates_no_duplicates():
    counts = (
        CommuneHomePage.objects.count(),
        ProducerPage.objects.count(),
        ProductPage.objects.count(),
    )
    assert counts == (3, 15, 30)
    assert seed_demo(port=80) == {"communes": 0, "producers": 0, "products": 0}
    assert (
        CommuneHomePage.objects.count(),
        ProducerPage.objects.count(),
        ProductPage.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_every_demo_commune_has_five_producers_and_ten_products(tanan, cangiuoc, tamvu):
    for commune in (tanan, cangiuoc, tamvu):
        assert ProducerPage.objects.descendant_of(commune).count() >= 5
        assert ProductPage.objects.descendant_of(commune).live().count() >= 10
