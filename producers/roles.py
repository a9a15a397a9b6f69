"""Wagtail groups, collections and workflows for each commune and producer; all idempotent.

Commune staff, province officers and producer accounts are plain Wagtail groups:
page rights come from GroupPagePermission on a subtree, image and document rights
from GroupCollectionPermission on the commune's (or producer's) collection, and
approval from a per-commune GroupApprovalTask workflow.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import ProducerPage
from .selectors import PROVINCE_GROUP_NAME

STAFF_GROUP_PREFIX = "Cán bộ "
PRODUCER_GROUP_PREFIX = "Nhà sản xuất "
WORKFLOW_PREFIX = "Duyệt nội dung "
APPROVAL_TASK_PREFIX = "Cán bộ duyệt — "

STAFF_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# No publish: a producer's text and photo edits wait for the commune's approval task.
PRODUCER_PAGE_PERMISSIONS = ["add_page", "change_page"]
MEDIA_PERMISSIONS = ["add", "change", "choose"]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _admin_access() -> Permission:
    return _permission("wagtailadmin", "access_admin")


def _grant_pages(group: Group, page: Page, codenames: list[str]) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )


def _grant_collection(group: Group, collection: Collection) -> None:
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(app_label, f"{action}_{model}"),
            )


def _child_collection(parent: Collection, name: str) -> Collection:
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(instance=Collection(name=name))


def staff_group_name(commune) -> str:
    return f"{STAFF_GROUP_PREFIX}{commune.title}"


def producer_group_name(producer: ProducerPage) -> str:
    # Titles can repeat across communes; the page id keeps the group unique.
    return f"{PRODUCER_GROUP_PREFIX}{producer.title} (#{producer.pk})"


def commune_collection(commune) -> Collection:
    """The commune's image and document collection, a child of the root collection."""
    return _child_collection(Collection.get_first_root_node(), commune.title)


@transaction.atomic
def commune_roles_ensure(commune) -> Group:
    """Create the commune's staff group, collection and moderation workflow if missing."""
    group, _ = Group.objects.get_or_create(name=staff_group_name(commune))
    group.permissions.add(_admin_access())
    _grant_pages(group, commune, STAFF_PAGE_PERMISSIONS)
    _grant_collection(group, commune_collection(commune))

    task = GroupApprovalTask.objects.filter(name=f"{APPROVAL_TASK_PREFIX}{commune.title}").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"{APPROVAL_TASK_PREFIX}{commune.title}")
    task.groups.add(group)
    workflow, _ = Workflow.objects.get_or_create(name=f"{WORKFLOW_PREFIX}{commune.title}")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=commune, defaults={"workflow": workflow})
    return group


@transaction.atomic
def province_group_ensure() -> Group:
    """The province officers' group: admin access and adding communes, no page editing."""
    group, _ = Group.objects.get_or_create(name=PROVINCE_GROUP_NAME)
    content_type = ContentType.objects.get(app_label="showcase", model="communehomepage")
    group.permissions.add(
        _admin_access(),
        Permission.objects.get(content_type=content_type, codename="add_communehomepage"),
    )
    return group


@transaction.atomic
def producer_roles_ensure(producer: ProducerPage) -> Group:
    """The producer's group: edit (not publish) its page subtree, its own photo collection."""
    group, _ = Group.objects.get_or_create(name=producer_group_name(producer))
    group.permissions.add(_admin_access())
    _grant_pages(group, producer, PRODUCER_PAGE_PERMISSIONS)
    commune = producer.get_parent().get_parent()
    # A child of the commune collection, so commune staff see and choose these photos too.
    collection = _child_collection(commune_collection(commune), producer_group_name(producer))
    _grant_collection(group, collection)
    return group


def producer_collection(producer: ProducerPage) -> Collection:
    commune = producer.get_parent().get_parent()
    return _child_collection(commune_collection(commune), producer_group_name(producer))
