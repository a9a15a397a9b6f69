"""Demo logins for every role, and demo photos filed into commune and producer collections."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.images import get_image_model

from .models import ProducerAccount, ProducerPage
from .roles import (
    commune_collection,
    commune_roles_ensure,
    producer_collection,
    province_group_ensure,
    staff_group_name,
)
from .services import producer_account_create

# Demo only: documented in README "Demo accounts"; seeding refuses to run in production.
DEMO_PASSWORD = "demo12345"
SUPERUSER = "admin"
PROVINCE_OFFICER = "canbo.tinh"
# ward code → staff username
STAFF = {27712: "canbo.tanan", 28159: "canbo.cangiuoc", 28210: "canbo.tamvu"}
# producer phone (from the demo data) → full name of the account holder
PRODUCERS = {
    "0912345601": "Nguyễn Thị Tư",
    "0912345602": "Trần Văn Bình",
    "0912345621": "Lê Thị Thanh",
}


def demo_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "ALLOW_DEMO_DATA", False))


def _user(username: str, **extra):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults=extra)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _file_demo_images(commune) -> None:
    """Put each demo photo in the collection of the commune or producer it belongs to."""
    Image = get_image_model()
    ProductPage = apps.get_model("products", "ProductPage")
    if commune.hero_image_id:
        Image.objects.filter(pk=commune.hero_image_id).update(
            collection=commune_collection(commune)
        )
    for producer in ProducerPage.objects.descendant_of(commune):
        image_ids = {producer.image_id} | set(producer.gallery.values_list("image_id", flat=True))
        image_ids |= set(
            ProductPage.objects.child_of(producer).values_list("image_id", flat=True)
        )
        image_ids.discard(None)
        Image.objects.filter(pk__in=image_ids).update(collection=producer_collection(producer))


@transaction.atomic
def demo_accounts_seed() -> dict:
    """Create the demo accounts listed in README; does nothing unless demo data is allowed."""
    if not demo_allowed():
        return {}
    CommuneHomePage = apps.get_model("showcase", "CommuneHomePage")
    admin = _user(SUPERUSER, is_superuser=True, is_staff=True, first_name="Quản trị")
    _user(PROVINCE_OFFICER, first_name="Cán bộ tỉnh").groups.add(province_group_ensure())
    accounts = {"staff": 0, "producers": 0}
    for commune in CommuneHomePage.objects.all():
        commune_roles_ensure(commune)
        _file_demo_images(commune)
        username = STAFF.get(commune.ward_code)
        if username:
            staff = _user(username, first_name=f"Cán bộ {commune.title}")
            staff.groups.add(Group.objects.get(name=staff_group_name(commune)))
            accounts["staff"] += 1
    for phone, full_name in PRODUCERS.items():
        producer = ProducerPage.objects.filter(phone=phone).order_by("path").first()
        if producer is None or ProducerAccount.objects.filter(user__username=phone).exists():
            continue
        producer_account_create(
            producer=producer,
            phone=phone,
            password=DEMO_PASSWORD,
            full_name=full_name,
            created_by=admin,
        )
        accounts["producers"] += 1
    return accounts
