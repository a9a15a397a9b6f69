"""Portal login by phone, logout, and django-axes lockout on the portal and the Wagtail admin."""

import pytest

from producers.demo_accounts import DEMO_PASSWORD

TANAN_HOST = "tanan.localhost"
LOGIN = "/portal/dang-nhap/"


def portal_login(client, phone, password, host=TANAN_HOST, **extra):
    return client.post(LOGIN, {"phone": phone, "password": password, **extra}, HTTP_HOST=host)


@pytest.mark.django_db
def test_login_page_is_served_on_a_commune_host(client):
    response = client.get(LOGIN, HTTP_HOST=TANAN_HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="phone"' in html and 'inputmode="tel"' in html


@pytest.mark.django_db
def test_login_page_is_not_served_on_the_showcase_host(client):
    assert client.get(LOGIN, HTTP_HOST="localhost").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["0912345601", "0912 345 601", "+84 912 345 601", "0912.345.601"])
def test_producer_logs_in_with_the_phone_in_any_usual_spelling(client, producer_a, typed):
    response = portal_login(client, typed, DEMO_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert int(client.session["_auth_user_id"]) == producer_a.pk


@pytest.mark.django_db
def test_login_goes_on_to_the_page_asked_for(client, producer_a):
    response = portal_login(client, "0912345601", DEMO_PASSWORD, next="/portal/")
    assert response["Location"] == "/portal/"


@pytest.mark.django_db
def test_login_ignores_a_next_address_on_another_site(client, producer_a):
    response = portal_login(client, "0912345601", DEMO_PASSWORD, next="https://evil.example/")
    assert response["Location"] == "/portal/"


@pytest.mark.django_db
def test_wrong_password_shows_a_vietnamese_error_and_keeps_the_phone(client, producer_a):
    response = portal_login(client, "0912 345 601", "sai-mat-khau")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Số điện thoại hoặc mật khẩu không đúng." in html
    assert 'value="0912 345 601"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_empty_form_shows_required_errors(client):
    response = portal_login(client, "", "")
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in response.content.decode()


@pytest.mark.django_db
def test_deactivated_account_cannot_log_in(client, producer_a):
    producer_a.is_active = False
    producer_a.save()
    response = portal_login(client, "0912345601", DEMO_PASSWORD)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_producer_of_another_commune_is_not_logged_in_and_is_sent_to_their_portal(
    client, producer_other
):
    response = portal_login(client, "0912345621", DEMO_PASSWORD)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Tài khoản này không dùng được cổng nhà sản xuất của Phường Tân An." in html
    assert 'href="http://tamvu.localhost/portal/"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["canbo.tinh", "canbo.tamvu"])
def test_province_officer_and_other_commune_staff_are_not_logged_in(client, username):
    response = portal_login(client, username, DEMO_PASSWORD)
    assert response.status_code == 403
    assert "Tài khoản này không dùng được cổng nhà sản xuất" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_of_this_commune_logs_in_and_is_asked_whom_to_act_for(client, staff_x):
    response = portal_login(client, "canbo.tanan", DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.get("/portal/", HTTP_HOST=TANAN_HOST)["Location"] == "/portal/nhap-thay/"


@pytest.mark.django_db
def test_logout_is_post_only_and_ends_the_session(client, producer_a):
    client.force_login(producer_a)
    assert client.get("/portal/dang-xuat/", HTTP_HOST=TANAN_HOST).status_code == 405
    response = client.post("/portal/dang-xuat/", HTTP_HOST=TANAN_HOST)
    assert response["Location"] == "/portal/dang-nhap/"
    assert "_auth_user_id" not in client.session


# django-axes


@pytest.mark.django_db
def test_four_failures_do_not_lock_the_account(client, producer_a):
    for _ in range(4):
        portal_login(client, "0912345601", "sai")
    assert portal_login(client, "0912345601", DEMO_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_fifth_failure_locks_the_portal_login_with_a_vietnamese_message(client, producer_a):
    for _ in range(4):
        portal_login(client, "0912345601", "sai")
    response = portal_login(client, "0912 345 601", "sai")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút" in html
    assert 'value="0912 345 601"' in html


@pytest.mark.django_db
def test_locked_account_is_refused_even_with_the_right_password(client, producer_a):
    for _ in range(5):
        portal_login(client, "0912345601", "sai")
    response = portal_login(client, "0912345601", DEMO_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lock_counts_the_phone_however_it_is_spelled(client, producer_a):
    for typed in ["0912345601", "0912 345 601", "+84912345601", "0912.345.601", "84912345601"]:
        portal_login(client, typed, "sai")
    assert portal_login(client, "0912345601", DEMO_PASSWORD).status_code == 429


@pytest.mark.django_db
def test_lock_of_one_account_leaves_another_account_alone(client, producer_a, producer_b):
    for _ in range(5):
        portal_login(client, "0912345601", "sai")
    assert portal_login(client, "0912345602", DEMO_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_wagtail_admin_login_is_locked_after_five_failures(client, staff_x):
    for _ in range(5):
        client.post(
            "/admin/login/", {"username": "canbo.tanan", "password": "sai"}, HTTP_HOST=TANAN_HOST
        )
    response = client.post(
        "/admin/login/",
        {"username": "canbo.tanan", "password": DEMO_PASSWORD},
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wagtail_admin_login_still_works_below_the_limit(client, staff_x):
    client.post(
        "/admin/login/", {"username": "canbo.tanan", "password": "sai"}, HTTP_HOST=TANAN_HOST
    )
    response = client.post(
        "/admin/login/",
        {"username": "canbo.tanan", "password": DEMO_PASSWORD},
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff_x.pk
