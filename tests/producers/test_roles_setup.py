"""Adding a commune sets up its staff group, collection and approval workflow."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, WorkflowPage

from producers.demo_accounts import demo_accounts_seed
from producers.models import ProducerAccount
from producers.roles import commune_roles_ensure, staff_group_name
from producers.selectors import communes_for_staff, producer_for_user, user_is_province_officer
from showcase.services import commune_create


def test_new_commune_gets_staff_group_with_page_rights_on_its_tree(db):
    commune = commune_create(ward_code=25747, hostname="thuthua.localhost")
    group = Group.objects.get(name=staff_group_name(commune))
    codenames = set(
        GroupPagePermission.objects.filter(group=group, page=commune).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}


def test_new_commune_gets_own_collection_for_its_staff(db):
    commune = commune_create(ward_code=25747, hostname="thuthua.localhost")
    collection = Collection.objects.get(name=commune.title)
    assert collection.get_parent() == Collection.get_first_root_node()
    group = Group.objects.get(name=staff_group_name(commune))
    assert set(
        GroupCollectionPermission.objects.filter(group=group).values_list("collection", flat=True)
    ) == {collection.pk}


def test_new_commune_gets_approval_workflow_of_its_staff(db):
    commune = commune_create(ward_code=25747, hostname="thuthua.localhost")
    workflow = WorkflowPage.objects.get(page=commune).workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.all()) == [Group.objects.get(name=staff_group_name(commune))]


def test_commune_roles_setup_is_idempotent(tanan):
    def counts():
        models = (Group, Collection, GroupPagePermission)
        return [model.objects.count() for model in models]

    before = counts()
    commune_roles_ensure(tanan)
    commune_roles_ensure(tanan)
    assert counts() == before


def test_staff_selector_returns_only_own_commune(staff_x, tanan):
    assert list(communes_for_staff(staff_x)) == [tanan]


def test_producer_selector_returns_the_accounts_producer(producer_a):
    assert producer_for_user(producer_a).phone == "0912345601"


def test_producer_selector_returns_none_for_staff(staff_x):
    assert producer_for_user(staff_x) is None


def test_province_officer_selector(province, staff_x):
    assert user_is_province_officer(province)
    assert not user_is_province_officer(staff_x)


def test_demo_has_an_account_for_every_role(db):
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    for username in ("canbo.tanan", "canbo.cangiuoc", "canbo.tamvu", "canbo.tinh"):
        assert User.objects.get(username=username).check_password("demo12345")
    phones = set(ProducerAccount.objects.values_list("user__username", flat=True))
    assert {"0912345601", "0912345602", "0912345621"} <= phones


def test_demo_accounts_are_not_created_without_demo_permission(settings, db):
    settings.DEBUG = False
    settings.ALLOW_DEMO_DATA = False
    get_user_model().objects.filter(username="canbo.tinh").delete()
    assert demo_accounts_seed() == {}
    assert not get_user_model().objects.filter(username="canbo.tinh").exists()


def test_province_overview_lists_every_commune(client, province, tanan, tamvu):
    client.force_login(province)
    body = client.get("/admin/province-overview/").content.decode()
    assert "Cơ sở lạp xưởng Bà Tư" in body
    assert "HTX Thanh long Tầm Vu" in body


def test_province_officer_cannot_edit_commune_pages(client, province, tanan):
    client.force_login(province)
    response = client.get(f"/admin/pages/{tanan.pk}/edit/")
    assert response.status_code == 302
    assert not tanan.permissions_for_user(province).can_edit()


def test_staff_cannot_open_province_overview(client, staff_x):
    client.force_login(staff_x)
    assert client.get("/admin/province-overview/").status_code == 302
