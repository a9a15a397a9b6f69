"""Who may use the portal on this host, and for which producer; every portal view asks here."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from wagtail.models import Site

from ..models import ProducerPage
from ..selectors import communes_for_staff, producer_for_user

ACTING_FOR_SESSION_KEY = "portal_acting_for"


@dataclass
class PortalAccess:
    """The outcome of a portal access check for one request."""

    commune: object | None = None
    producer: ProducerPage | None = None
    # The staff member entering data for a household ("nhập thay"), else None.
    entered_by: object | None = None
    is_commune_staff: bool = False
    # A producer of another commune: where their own portal is.
    own_portal_url: str = ""
    own_commune_title: str = ""

    @property
    def allowed(self) -> bool:
        return self.producer is not None


def host_commune(request):
    """The commune whose site serves this request, or None on the showcase host."""
    CommuneHomePage = apps.get_model("showcase", "CommuneHomePage")
    site = Site.find_for_request(request)
    if site is None:
        return None
    return CommuneHomePage.objects.filter(pk=site.root_page_id).first()


def own_portal(producer: ProducerPage) -> tuple[str, str]:
    """The URL of the portal of the producer's own commune, and that commune's title."""
    commune_path = producer.path[: 2 * ProducerPage.steplen]
    site = Site.objects.filter(root_page__path=commune_path).select_related("root_page").first()
    if site is None:
        return "", ""
    return site.root_url + reverse("portal:home"), site.root_page.title


def portal_access(user, commune, session=None) -> PortalAccess:
    """Resolve the producer this user may act for in this commune's portal.

    A producer account acts for its own producer, only on its own commune's host.
    Staff of the commune act for a producer they picked (stored in the session).
    Everyone else — staff of other communes, province officers — gets no producer.
    """
    access = PortalAccess(commune=commune)
    if commune is None or not getattr(user, "is_authenticated", False):
        return access
    producer = producer_for_user(user)
    if producer is not None:
        if producer.path.startswith(commune.path):
            access.producer = producer
        else:
            access.own_portal_url, access.own_commune_title = own_portal(producer)
        return access
    if communes_for_staff(user).filter(pk=commune.pk).exists():
        access.is_commune_staff = True
        acting_for = (session or {}).get(ACTING_FOR_SESSION_KEY)
        if acting_for:
            access.producer = (
                ProducerPage.objects.descendant_of(commune).filter(pk=acting_for).first()
            )
            access.entered_by = user if access.producer else None
    return access


def producers_in(commune):
    """Producers of a commune that staff may pick to act for."""
    return ProducerPage.objects.descendant_of(commune).order_by("title")
