"""Reads about who may act for which commune or producer; every role check goes through here."""

from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import (
    Collection,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    ReferenceIndex,
    Task,
    Workflow,
)
from wagtail.permissions import policy_registry

from commune_site.page_tree import subtree_q
from commune_site.permissions import ScopedPermissionPolicy

from .models import ProducerAccount, ProducerPage

PROVINCE_GROUP_NAME = "Cán bộ tỉnh"


def _commune_model():
    # showcase sits above producers: reach it through the app registry, not an import.
    return apps.get_model("showcase", "CommuneHomePage")


def producer_for_user(user) -> ProducerPage | None:
    """The producer an active producer account acts for, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    account = (
        ProducerAccount.objects.filter(user=user).select_related("producer").first()
    )
    return account.producer if account else None


def user_is_province_officer(user) -> bool:
    """Whether the user is in the province officers' group (read everything, edit nothing)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.groups.filter(name=PROVINCE_GROUP_NAME).exists()


def communes_for_staff(user) -> QuerySet:
    """The communes whose staff group the user is in; every commune for a superuser.

    Staff of a commune are those with publish rights on its home page, the same
    Wagtail page permission that lets them publish there.
    """
    CommuneHomePage = _commune_model()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return CommuneHomePage.objects.none()
    if user.is_superuser:
        return CommuneHomePage.objects.all()
    page_ids = GroupPagePermission.objects.filter(
        group__user=user, permission__codename="publish_page"
    ).values_list("page_id", flat=True)
    return CommuneHomePage.objects.filter(pk__in=page_ids)


def commune_of_page(page: Page):
    """The commune home page a page sits under, or None (showcase, root)."""
    CommuneHomePage = _commune_model()
    return CommuneHomePage.objects.filter(
        path=page.path[: CommuneHomePage.steplen * 2]
    ).first() if len(page.path) >= CommuneHomePage.steplen * 2 else None


def producer_accounts_for_staff(user) -> QuerySet:
    """Producer accounts the user may manage: those of producers in their communes."""
    communes = list(communes_for_staff(user))
    if not communes:
        return ProducerAccount.objects.none()
    if user.is_superuser:
        return ProducerAccount.objects.select_related("user", "producer")
    producers = ProducerPage.objects.none()
    for commune in communes:
        producers = producers | ProducerPage.objects.descendant_of(commune)
    return ProducerAccount.objects.filter(producer__in=producers).select_related(
        "user", "producer"
    )


def producers_for_staff(user) -> QuerySet:
    """Producer pages in the user's communes (all of them for a superuser)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return ProducerPage.objects.all()
    producers = ProducerPage.objects.none()
    for commune in communes_for_staff(user):
        producers = producers | ProducerPage.objects.descendant_of(commune)
    return producers


def admin_page_filter(user) -> Q | None:
    """Pages a non-superuser may see in admin lists: the trees of their communes.

    None means no restriction (superusers and province officers, who read everything).
    """
    if user.is_superuser or user_is_province_officer(user):
        return None
    condition = Q(depth=1)
    for commune in communes_for_staff(user):
        condition |= subtree_q(commune.path)
    producer = producer_for_user(user)
    if producer is not None:
        # Their own subtree, and the commune's home and index pages to link to; not the
        # pages (or drafts) of the other producers of their commune.
        commune_path = producer.path[: Page.steplen * 2]
        condition |= subtree_q(commune_path) & Q(depth__lt=producer.depth)
        condition |= subtree_q(producer.path)
    return condition


def admin_visible_objects(user, model) -> QuerySet | None:
    """The rows of a tenant-owned model the user may see in the admin; None means no limit.

    Pages: ``admin_page_filter``. Images and documents: the collections where the user may
    change or choose them (a commune's, a producer's). Models under a
    ``ScopedPermissionPolicy`` (batches, producer accounts): the rows it scopes. Any other
    model is shared (categories, certifications) or needs a model permission only
    superusers have (users, sites), so it is left to Wagtail's own checks.
    """
    if user.is_superuser:
        return None
    if issubclass(model, Task | Workflow):  # set up by superusers; names name communes
        return model.objects.none()
    if issubclass(model, Page):
        condition = admin_page_filter(user)
        return None if condition is None else model.objects.filter(condition)
    if issubclass(model, AbstractImage | AbstractDocument):
        policy = policy_registry.get_by_type(model)
        return policy.instances_user_has_any_permission_for(user, ["change", "choose"])
    policy = policy_registry.get_by_type(model)
    if isinstance(policy, ScopedPermissionPolicy):
        return policy.scoped_queryset(user)
    return None


def admin_visible_groups(user) -> QuerySet | None:
    """Groups a page's privacy settings may offer: those with rights in the user's pages.

    Every group name carries a commune or producer name. None means every group
    (superusers, province officers).
    """
    condition = None if user.is_superuser else admin_page_filter(user)
    if condition is None:
        return None
    pages = Page.objects.filter(condition)
    return Group.objects.filter(
        Q(page_permissions__page__in=pages) | Q(user=user)
    ).distinct().order_by("name")


def document_is_published(document) -> bool:
    """Whether a live page anyone may view, of the document's own commune, uses it.

    Wagtail keeps its reference index from the page rows, whose content is the published
    version of a live page (drafts live in revisions), so a link added in a draft does not
    count until the draft is published. The page must sit in the commune whose staff hold
    the document's collection (or on the province showcase, which only superusers edit):
    another commune linking a private document it happens to know the id of publishes
    nothing.
    """
    page_type = ReferenceIndex._get_base_content_type(Page)
    page_ids = ReferenceIndex.get_references_to(document).filter(
        base_content_type=page_type
    ).values_list("object_id", flat=True)
    for page in Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids]):
        if PageViewRestriction.objects.filter(
            page__in=page.get_ancestors(inclusive=True)
        ).exists():
            continue
        commune = commune_of_page(page)
        if commune is None or _collection_belongs_to(document.collection, commune):
            return True
    return False


def _collection_belongs_to(collection, commune) -> bool:
    """Whether the collection is (under) one the commune's staff group holds."""
    commune_collections = Collection.objects.filter(
        group_permissions__group__page_permissions__page=commune,
        group_permissions__group__page_permissions__permission__codename="publish_page",
    )
    return any(collection.path.startswith(own.path) for own in commune_collections)
