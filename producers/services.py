"""Writes for producer accounts: create, reset password, deactivate; each one audit-logged."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import ProducerAccount, ProducerPage, normalise_phone, phone_validator
from .roles import producer_roles_ensure


def _split_name(full_name: str) -> tuple[str, str]:
    # Vietnamese names put the given name last: "Nguyễn Văn Sáu" → ("Sáu", "Nguyễn Văn").
    parts = (full_name or "").split()
    if not parts:
        return "", ""
    return parts[-1], " ".join(parts[:-1])


@transaction.atomic
def producer_account_create(
    *,
    producer: ProducerPage,
    phone: str,
    password: str,
    full_name: str = "",
    created_by=None,
) -> ProducerAccount:
    """Create a login for a producer; the phone number is the username."""
    User = get_user_model()
    username = normalise_phone(phone)
    try:
        phone_validator(username)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}, code="bad_phone") from error
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            {"phone": _("Số điện thoại %(phone)s đã có tài khoản.") % {"phone": username}},
            code="phone_in_use",
        )
    first_name, last_name = _split_name(full_name)
    user = User(username=username, first_name=first_name[:150], last_name=last_name[:150])
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}, code="weak_password") from error
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(producer_roles_ensure(producer))
    account = ProducerAccount(user=user, producer=producer, created_by=created_by)
    account.full_clean()
    account.save()
    log(account, "wagtail.create", user=created_by)
    return account


@transaction.atomic
def producer_account_set_password(
    *, account: ProducerAccount, password: str, changed_by=None
) -> ProducerAccount:
    """Set a new password for a producer account (a staff reset or the producer's own)."""
    try:
        validate_password(password, account.user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}, code="weak_password") from error
    account.user.set_password(password)
    account.user.save(update_fields=["password"])
    log(account, "producers.account.set_password", user=changed_by)
    return account


@transaction.atomic
def producer_account_deactivate(
    *, account: ProducerAccount, deactivated_by=None
) -> ProducerAccount:
    """Stop a producer account from logging in; its history stays."""
    account.user.is_active = False
    account.user.save(update_fields=["is_active"])
    log(account, "producers.account.deactivate", user=deactivated_by)
    return account


@transaction.atomic
def producer_account_activate(*, account: ProducerAccount, activated_by=None) -> ProducerAccount:
    """Let a deactivated producer account log in again."""
    account.user.is_active = True
    account.user.save(update_fields=["is_active"])
    log(account, "producers.account.activate", user=activated_by)
    return account
