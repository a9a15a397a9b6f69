"""Admin screens of revenue: the commune and province dashboards, their exports, the pilot report.

Who sees what: commune staff their own communes, unhidden; the province officer every commune,
with figures covering one or two producers shown as "<3"; a superuser every commune, as staff
of all of them. Producers and buyers get nothing here. A commune id the user may not see
answers 404, the same as one that does not exist. No response may be cached anywhere.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..selectors import communes_for_staff, user_is_province_officer
from .dashboards import MonthRangeForm, build_dashboard, filters_from, suppression_note
from .models import local_today
from .report import pilot_report, report_response, table_response
from .selectors import Period

EXPORT_FORMATS = ("csv", "xlsx")
REPORT_FORMATS = ("html", "pdf", "xlsx")


class RevenueAccess:
    """The communes a user may read revenue of, and those they are staff of."""

    def __init__(self, user):
        self.staff = list(communes_for_staff(user).order_by("title"))
        self.province = user_is_province_officer(user)
        if self.province:
            CommuneHomePage = apps.get_model("showcase", "CommuneHomePage")
            self.visible = list(CommuneHomePage.objects.order_by("title"))
        else:
            self.visible = self.staff

    @property
    def allowed(self) -> bool:
        return bool(self.visible)

    def suppress(self, communes) -> bool:
        """Hide small groups unless the user is staff of every commune shown."""
        staff_ids = {commune.pk for commune in self.staff}
        return any(commune.pk not in staff_ids for commune in communes)

    def communes(self, asked: str | None) -> tuple[list, bool]:
        """(communes, single): the one asked for by id, else the user's own one, else all
        they may see side by side."""
        if asked:
            by_id = {str(commune.pk): commune for commune in self.visible}
            if asked not in by_id:
                raise Http404
            return [by_id[asked]], True
        if len(self.visible) == 1:
            return list(self.visible), True
        return list(self.visible), False


def can_view_revenue(user) -> bool:
    """Commune staff, province officers and superusers: who gets the "Doanh thu" menu."""
    return bool(
        getattr(user, "is_active", False)
        and (user_is_province_officer(user) or communes_for_staff(user).exists())
    )


def _access(request) -> RevenueAccess:
    access = RevenueAccess(request.user)
    if not access.allowed:
        raise PermissionDenied
    return access


def _private(response: HttpResponse) -> HttpResponse:
    # never_cache already says "private"; the Vary keeps any shared cache from mixing users.
    patch_vary_headers(response, ["Cookie"])
    return response


@method_decorator(never_cache, name="dispatch")
class RevenueDashboardView(WagtailAdminTemplateMixin, TemplateView):
    """Revenue of one commune (staff), or of every commune side by side with totals."""

    template_name = "revenue/admin_dashboard.html"
    page_title = _("Bảng doanh thu")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        self.access = _access(request)
        communes, single = self.access.communes(request.GET.get("commune"))
        self.form, period, category = filters_from(request.GET)
        self.board = build_dashboard(
            communes=communes,
            period=period,
            category=category,
            suppress=self.access.suppress(communes),
            single=single,
        )
        return _private(super().get(request, *args, **kwargs))

    def get_breadcrumbs_items(self):
        title = self.page_title
        if self.board.commune is not None:
            title = f"{title}: {self.board.commune.title}"
        return [*self.breadcrumbs_items, {"url": "", "label": title}]

    def get_page_subtitle(self):
        if self.board.commune is not None:
            return self.board.commune.title
        return _("Các phường/xã")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("table", None)
        query.pop("format", None)
        context.update(
            board=self.board,
            form=self.form,
            communes=self.access.visible,
            selected_commune=self.request.GET.get("commune", ""),
            query=query.urlencode(),
            suppression_note=suppression_note() if self.board.suppress else "",
        )
        return context


@never_cache
def dashboard_export(request):
    """One dashboard table as CSV or XLSX, with the dashboard's filters and hiding."""
    access = _access(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    communes, single = access.communes(request.GET.get("commune"))
    _form, period, category = filters_from(request.GET)
    board = build_dashboard(
        communes=communes, period=period, category=category,
        suppress=access.suppress(communes), single=single,
    )
    table = board.tables.get(request.GET.get("table", ""))
    if table is None:
        raise Http404
    scope = board.commune.title if board.commune is not None else _("Các phường/xã")
    return _private(
        table_response(f"{table.title} {scope}", table.headers, table.all_rows(), fmt)
    )


@never_cache
def report(request):
    """The pilot report for one commune or all the user may see: a printable page, PDF, XLSX."""
    access = _access(request)
    fmt = request.GET.get("format", "html")
    if fmt not in REPORT_FORMATS:
        raise Http404
    asked = request.GET.get("commune", "")
    communes, _single = access.communes(asked)
    form = MonthRangeForm(request.GET)
    period = form.cleaned_data.get("months") if form.is_valid() else None
    period = period or Period.year_to_date(local_today())
    data = pilot_report(communes=communes, period=period, suppress=access.suppress(communes))
    if fmt != "html" and form.is_valid():
        return _private(report_response(data, fmt))
    query = request.GET.copy()
    query.pop("format", None)
    return _private(TemplateResponse(
        request,
        "revenue/report.html",
        {
            "report": data,
            "form": form,
            "communes": access.visible,
            "selected_commune": asked,
            "query": query.urlencode(),
            "suppression_note": suppression_note() if data.suppress else "",
        },
        status=200 if form.is_valid() else 400,
    ))


dashboard = RevenueDashboardView.as_view()
