import pytest
from django.contrib.auth.models import Permission, User
from wagtail.models import Site

from showcase.models import CommuneHomePage

URL = "/admin/communes/add/"
KHANH_HAU = 27715


@pytest.fixture
def plain_admin_user(db):
    user = User.objects.create_user("nhanvien", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_admin_user_without_the_permission_is_refused(client, plain_admin_user):
    client.force_login(plain_admin_user)
    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard.
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.post(URL, {"ward_code": KHANH_HAU, "hostname": "khanhhau.localhost"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not CommuneHomePage.objects.filter(ward_code=KHANH_HAU).exists()


@pytest.mark.django_db
def test_superuser_adds_a_commune_from_the_admin(admin_client):
    assert admin_client.get(URL).status_code == 200
    response = admin_client.post(URL, {"ward_code": KHANH_HAU, "hostname": "khanhhau.localhost"})
    commune = CommuneHomePage.objects.get(ward_code=KHANH_HAU)
    assert response.status_code == 302
    assert Site.objects.get(hostname="khanhhau.localhost").root_page_id == commune.pk


@pytest.mark.django_db
def test_unknown_ward_code_shows_the_error_and_keeps_the_input(admin_client):
    response = admin_client.post(URL, {"ward_code": 99999, "hostname": "moi.localhost"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Không có phường/xã nào mang mã 99999" in html
    assert 'value="moi.localhost"' in html
