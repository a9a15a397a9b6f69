"""Producer accounts: the services, and the staff screen that lists only their commune's."""

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from producers.models import ProducerAccount, ProducerPage, normalise_phone
from producers.roles import producer_group_name
from producers.services import (
    producer_account_create,
    producer_account_deactivate,
    producer_account_set_password,
)

PASSWORD = "mat-khau-dai-2026"


@pytest.fixture
def producer_x3(tanan):
    """A Tân An producer with no account yet (Công ty TNHH Thực phẩm Hương Quê)."""
    return ProducerPage.objects.descendant_of(tanan).get(phone="0912345603")


@pytest.fixture
def producer_y2(tamvu):
    return ProducerPage.objects.descendant_of(tamvu).get(phone="0912345622")


@pytest.mark.parametrize(
    "raw", ["0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"]
)
def test_normalise_phone_gives_the_login_form(raw):
    assert normalise_phone(raw) == "0912345678"


def test_account_create_uses_phone_as_username_and_joins_producer_group(producer_x3, staff_x):
    account = producer_account_create(
        producer=producer_x3, phone="+84 912 000 111", password=PASSWORD,
        full_name="Phạm Thị Hương", created_by=staff_x,
    )
    assert account.user.username == "0912000111"
    assert account.user.first_name == "Hương" and account.user.last_name == "Phạm Thị"
    assert account.user.groups.filter(name=producer_group_name(producer_x3)).exists()
    assert authenticate(username="0912000111", password=PASSWORD) == account.user


def test_account_create_is_audit_logged(producer_x3, staff_x):
    account = producer_account_create(
        producer=producer_x3, phone="0912000111", password=PASSWORD, created_by=staff_x
    )
    entry = ModelLogEntry.objects.get(object_id=str(account.pk), action="wagtail.create")
    assert entry.user == staff_x


def test_account_create_refuses_a_phone_already_used(producer_x3, producer_a):
    with pytest.raises(ValidationError) as error:
        producer_account_create(producer=producer_x3, phone="0912345601", password=PASSWORD)
    assert "đã có tài khoản" in str(error.value.message_dict["phone"])


def test_account_create_refuses_a_malformed_phone(producer_x3):
    with pytest.raises(ValidationError) as error:
        producer_account_create(producer=producer_x3, phone="12ab", password=PASSWORD)
    assert "phone" in error.value.message_dict


def test_account_create_refuses_a_weak_password(producer_x3):
    with pytest.raises(ValidationError) as error:
        producer_account_create(producer=producer_x3, phone="0912000111", password="123")
    assert "password" in error.value.message_dict
    assert not ProducerAccount.objects.filter(user__username="0912000111").exists()


def test_set_password_replaces_the_old_one_and_is_logged(producer_a, staff_x):
    account = producer_a.producer_account
    producer_account_set_password(account=account, password=PASSWORD, changed_by=staff_x)
    assert authenticate(username=producer_a.username, password=PASSWORD) == producer_a
    assert ModelLogEntry.objects.filter(
        object_id=str(account.pk), action="producers.account.set_password", user=staff_x
    ).exists()


def test_deactivated_account_cannot_log_in(producer_a, staff_x):
    account = producer_a.producer_account
    producer_account_set_password(account=account, password=PASSWORD)
    producer_account_deactivate(account=account, deactivated_by=staff_x)
    assert not account.is_active
    assert authenticate(username=producer_a.username, password=PASSWORD) is None


def test_staff_account_list_shows_own_commune_only(client, staff_x, producer_a, producer_other):
    client.force_login(staff_x)
    body = client.get(reverse("producer_accounts:index")).content.decode()
    assert producer_a.username in body
    assert producer_other.username not in body
    assert producer_other.producer_account.producer.title not in body


def test_staff_creates_account_for_own_commune_producer(client, staff_x, producer_x3):
    client.force_login(staff_x)
    response = client.post(
        reverse("producer_accounts:add"),
        {"producer": producer_x3.pk, "phone": "0912000222", "password": PASSWORD,
         "full_name": "Võ Văn Quê"},
    )
    assert response.status_code == 302
    account = ProducerAccount.objects.get(user__username="0912000222")
    assert account.producer == producer_x3 and account.created_by == staff_x


def test_staff_cannot_create_account_for_other_communes_producer(client, staff_x, producer_y2):
    client.force_login(staff_x)
    response = client.post(
        reverse("producer_accounts:add"),
        {"producer": producer_y2.pk, "phone": "0912000333", "password": PASSWORD},
    )
    assert response.status_code == 200
    assert "producer" in response.context["form"].errors
    assert not ProducerAccount.objects.filter(user__username="0912000333").exists()


def test_create_form_keeps_input_and_shows_vietnamese_error(client, staff_x, producer_x3):
    client.force_login(staff_x)
    response = client.post(
        reverse("producer_accounts:add"),
        {"producer": producer_x3.pk, "phone": "0912345601", "password": PASSWORD,
         "full_name": "Người thứ hai"},
    )
    body = response.content.decode()
    assert "đã có tài khoản" in body
    assert 'value="Người thứ hai"' in body


def test_staff_resets_password_and_deactivates_from_edit_screen(client, staff_x, producer_a):
    account = producer_a.producer_account
    client.force_login(staff_x)
    response = client.post(
        reverse("producer_accounts:edit", args=[account.pk]), {"new_password": PASSWORD}
    )
    assert response.status_code == 302
    producer_a.refresh_from_db()
    assert producer_a.check_password(PASSWORD)
    assert not producer_a.is_active


def test_other_communes_staff_cannot_edit_account(client, staff_y, producer_a):
    account = producer_a.producer_account
    client.force_login(staff_y)
    response = client.post(
        reverse("producer_accounts:edit", args=[account.pk]),
        {"new_password": PASSWORD, "active": "on"},
    )
    assert response.status_code == 403  # the tenant middleware refuses the id
    producer_a.refresh_from_db()
    assert not producer_a.check_password(PASSWORD)


def test_other_communes_staff_cannot_read_account_history(client, staff_y, producer_a):
    client.force_login(staff_y)
    response = client.get(
        reverse("producer_accounts:history", args=[producer_a.producer_account.pk])
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["producer_a", "province", "buyer"])
def test_non_staff_cannot_list_accounts(client, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("producer_accounts:index"))
    assert response.status_code == 302
