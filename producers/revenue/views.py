"""Revenue in the producer portal: record a sale in three taps and a number, correct or delete
it with its history kept, enter the pre-pilot baseline, and see the dashboard.

Every view goes through the portal's ``portal_view`` (a producer of this host's commune, or
its staff acting for one) and is ``never_cache``: revenue never enters a shared cache.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from commune_site.ids import parse_id
from products.models import ProductPage

from ..models import ProducerAccount
from ..portal.views import _render, portal_view
from .charts import Series, bar_chart, format_growth
from .forms import (
    UNIT_SUGGESTIONS,
    BaselineForm,
    DashboardFilterForm,
    SaleForm,
    format_quantity_input,
    format_vnd_input,
)
from .models import Baseline, Channel, Sale, local_today, sale_amount
from .selectors import (
    Period,
    add_months,
    baseline_by_month,
    deleted_sale_entries,
    digital_share,
    growth,
    portal_sale,
    portal_sales,
    producer_categories,
    recent_identical_sale,
    revenue_by_channel,
    revenue_by_month,
    revenue_scope,
    revenue_total,
    sale_log_entries,
    sale_prefill,
    scans_by_month,
    top_products,
)
from .services import (
    SALE_CREATE_ACTION,
    SALE_DELETE_ACTION,
    SALE_EDIT_ACTION,
    baseline_set,
    sale_record,
    sale_update,
)
from .services import sale_delete as sale_delete_service

SALES_PER_PAGE = 20
OTHER_PRODUCT = "khac"  # ?product=khac: a sale of something not in the product list
ACTION_LABELS = {
    SALE_CREATE_ACTION: gettext_lazy("Ghi mới"),
    SALE_EDIT_ACTION: gettext_lazy("Sửa"),
    SALE_DELETE_ACTION: gettext_lazy("Xóa"),
}
# The fields a history row names, in the order a sale is read; product_id is left out, as
# the product's name changes with it.
HISTORY_FIELDS = (
    "product_name", "sold_on", "quantity", "unit", "unit_price_vnd", "amount_vnd",
    "channel", "channel_detail", "note",
)


# --- History: Wagtail log entries shaped for the page --------------------------------------


def _display_value(field: str, value) -> str:
    if value in (None, ""):
        return "—"
    if field == "sold_on":
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    if field == "quantity":
        return str(value).replace(".", ",")
    if field in ("unit_price_vnd", "amount_vnd"):
        return format_vnd_input(int(value)) + " ₫"
    if field == "channel":
        return str(dict(Channel.choices).get(value, value))
    return str(value)


def _history_row(entry, producer_user_ids: set) -> dict:
    data = entry.data or {}
    row = {
        "when": entry.timestamp,
        "who": entry.user_display_name,
        "by_staff": entry.user_id is not None and entry.user_id not in producer_user_ids,
        "action": ACTION_LABELS.get(entry.action, entry.action),
        "changes": [],
        "values": [],
    }
    labels = {name: Sale._meta.get_field(name).verbose_name for name in HISTORY_FIELDS}
    if entry.action == SALE_EDIT_ACTION:
        changes = data.get("changes", {})
        row["changes"] = [
            {
                "field": labels[name],
                "old": _display_value(name, changes[name]["old"]),
                "new": _display_value(name, changes[name]["new"]),
            }
            for name in HISTORY_FIELDS
            if name in changes
        ]
    else:
        values = data.get("new") or data.get("old") or {}
        row["values"] = [
            {"field": labels[name], "value": _display_value(name, values.get(name))}
            for name in HISTORY_FIELDS
            if values.get(name) not in (None, "")
        ]
    return row


def _producer_user_ids(producer) -> set:
    return set(ProducerAccount.objects.filter(producer=producer).values_list("user_id", flat=True))


# --- Sales ----------------------------------------------------------------------------------


def _products(producer):
    return ProductPage.objects.child_of(producer).order_by("title", "pk")


def _chosen_product(request, products):
    """The product tapped (?product=<id>), OTHER_PRODUCT, or None; a foreign id is a 404."""
    picked = request.GET.get("product", "")
    if picked == OTHER_PRODUCT:
        return OTHER_PRODUCT
    if not picked:
        return None
    pk = parse_id(picked)
    product = products.filter(pk=pk).first() if pk else None
    if product is None:
        raise Http404
    return product


def _new_sale_form(producer, products, chosen) -> SaleForm:
    product = chosen if isinstance(chosen, ProductPage) else None
    prefill = sale_prefill(producer=producer, product=product)
    return SaleForm(
        products=products,
        initial={
            "submission_key": uuid.uuid4(),
            "product": product,
            "sold_on": local_today(),
            "unit": prefill["unit"],
            "unit_price_vnd": format_vnd_input(prefill["unit_price_vnd"]),
            "channel": prefill["channel"],
        },
    )


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def _saved_url(sale) -> str:
    return f"{reverse('portal:sales')}?moi={sale.pk}#ban-{sale.pk}"


def _saved_message(sale) -> str:
    return _("Đã lưu: %(quantity)s %(unit)s %(product)s, %(amount)s ₫.") % {
        "quantity": format_quantity_input(sale.quantity),
        "unit": sale.unit,
        "product": sale.product_name,
        "amount": format_vnd_input(sale.amount_vnd),
    }


def _sales_page(request, *, form, chosen, status=200, twin=None):
    access = request.portal
    producer = access.producer
    page = Paginator(portal_sales(producer=producer), SALES_PER_PAGE).get_page(
        request.GET.get("trang")
    )
    sales = list(page.object_list)
    just_saved = None
    saved_pk = parse_id(request.GET.get("moi", ""))
    if saved_pk:
        just_saved = next((s for s in sales if s.pk == saved_pk), None) or portal_sale(
            producer=producer, pk=saved_pk
        )
    shown = sales + ([just_saved] if just_saved and just_saved not in sales else [])
    producer_users = _producer_user_ids(producer)
    logs = sale_log_entries(sale_ids=[sale.pk for sale in shown])
    for sale in shown:
        sale.quantity_text = format_quantity_input(sale.quantity)
        sale.history = [_history_row(entry, producer_users) for entry in logs.get(sale.pk, [])]
        sale.was_edited = any(e.action == SALE_EDIT_ACTION for e in logs.get(sale.pk, []))
    deleted = [_history_row(entry, producer_users) for entry in deleted_sale_entries(
        producer=producer
    )]
    context = {
        "access": access,
        "portal_section": "sales",
        "form": form,
        "chosen": chosen,
        "twin": twin,
        "other_product": OTHER_PRODUCT,
        "products": list(form.fields["product"].queryset) if form is not None else [],
        "page_obj": page,
        "sales": sales,
        "just_saved": just_saved,
        "deleted": deleted,
        "unit_suggestions": UNIT_SUGGESTIONS,
    }
    return _render(request, "revenue/portal_sales.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def sales(request):
    """Sales: tap a product, type the quantity, tap Lưu; below, my sales with their history."""
    producer = request.portal.producer
    products = _products(producer)
    if request.method != "POST":
        chosen = _chosen_product(request, products)
        if chosen is None and not products.exists():
            chosen = OTHER_PRODUCT  # nothing listed: the form asks for a name straight away
        form = _new_sale_form(producer, products, chosen) if chosen else SaleForm(
            products=products
        )
        return _sales_page(request, form=form, chosen=chosen)

    form = SaleForm(request.POST, products=products)
    form.fields["submission_key"].required = True
    chosen = OTHER_PRODUCT
    if form.is_valid():
        key = form.cleaned_data["submission_key"]
        chosen = form.cleaned_data["product"] or OTHER_PRODUCT
        existing = Sale.objects.filter(submission_key=key).first()
        if existing is not None:
            # A double tap or a form sent again: the sale is already there, once.
            if existing.producer_id != producer.pk:
                raise Http404
            messages.info(request, _("Lần bán này đã được lưu rồi, không ghi thêm."))
            return redirect(_saved_url(existing))
        twin = None if form.cleaned_data["same_again"] else recent_identical_sale(
            producer=producer, values=form.sale_values()
        )
        if twin is not None:
            # The same sale minutes ago, under another key: most likely the first save's answer
            # was lost and the form was sent again. Ask; a second tap on Lưu records it.
            data = request.POST.copy()
            data["same_again"] = "True"
            form = SaleForm(data, products=products)
            form.is_valid()
            return _sales_page(request, form=form, chosen=chosen, twin=twin)
        try:
            sale = sale_record(
                producer=producer,
                entered_by=request.user,
                entered_by_staff=request.portal.entered_by is not None,
                submission_key=key,
                **form.sale_values(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _saved_message(sale))
            return redirect(_saved_url(sale))
    elif form.cleaned_data.get("product"):
        chosen = form.cleaned_data["product"]
    return _sales_page(request, form=form, chosen=chosen, status=400)


def _sale_or_404(request, pk):
    sale = portal_sale(producer=request.portal.producer, pk=pk)
    if sale is None:
        raise Http404
    return sale


def _edit_initial(sale) -> dict:
    computed = sale_amount(sale.quantity, sale.unit_price_vnd)
    return {
        "product": sale.product_id,
        "product_name": "" if sale.product_id else sale.product_name,
        "sold_on": sale.sold_on,
        "quantity": format_quantity_input(sale.quantity),
        "unit": sale.unit,
        "unit_price_vnd": format_vnd_input(sale.unit_price_vnd),
        "channel": sale.channel,
        # A lump sum shows as typed; a computed amount stays empty and is computed again.
        "amount_vnd": "" if sale.amount_vnd == computed else format_vnd_input(sale.amount_vnd),
        "note": sale.note,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def sale_edit(request, pk):
    """Correct a sale of mine; the old values stay in its history. Another's id is a 404."""
    access = request.portal
    sale = _sale_or_404(request, pk)
    products = _products(access.producer)
    if request.method == "POST":
        form = SaleForm(request.POST, products=products)
        if form.is_valid():
            values = form.sale_values()
            if values["amount_vnd"] is None:
                values["amount_vnd"] = sale_amount(values["quantity"], values["unit_price_vnd"])
            before = sale.updated_at
            try:
                updated = sale_update(
                    sale=sale, producer=access.producer, user=request.user, **values
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                if updated.updated_at == before:
                    messages.info(request, _("Không có gì thay đổi."))
                else:
                    messages.success(request, _saved_message(updated))
                return redirect(_saved_url(updated))
        status = 400
    else:
        form = SaleForm(products=products, initial=_edit_initial(sale))
        status = 200
    context = {
        "access": access,
        "portal_section": "sales",
        "form": form,
        "sale": sale,
        "unit_suggestions": UNIT_SUGGESTIONS,
    }
    return _render(request, "revenue/portal_sale_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def sale_delete(request, pk):
    """Delete a sale of mine after a confirmation; its last values stay in the history."""
    access = request.portal
    sale = _sale_or_404(request, pk)
    if request.method == "POST":
        sale_delete_service(sale=sale, producer=access.producer, user=request.user)
        messages.success(
            request,
            _("Đã xóa lần bán “%(product)s” ngày %(day)s. Lịch sử vẫn được giữ ở mục “Đã xóa”.")
            % {"product": sale.product_name, "day": sale.sold_on.strftime("%d/%m/%Y")},
        )
        return redirect("portal:sales")
    context = {"access": access, "portal_section": "sales", "sale": sale}
    return _render(request, "revenue/portal_sale_delete.html", context)


# --- Baseline -------------------------------------------------------------------------------


def _baseline_initial(baseline) -> dict:
    today = local_today()
    if baseline is None:
        return {"reference_year": today.year - 1, "mode": BaselineForm.MODE_MONTHLY}
    initial = {
        "reference_year": baseline.reference_year,
        "joined_on": baseline.joined_on,
        "mode": BaselineForm.MODE_MONTHLY,
    }
    for row in baseline.months.all():
        initial[f"month_{row.month}"] = format_vnd_input(row.amount_vnd)
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def baseline(request):
    """My revenue before the pilot, by month or for the year, to measure growth against."""
    access = request.portal
    current = (
        Baseline.objects.filter(producer=access.producer)
        .select_related("entered_by")
        .prefetch_related("months")
        .first()
    )
    form = BaselineForm(request.POST or None, initial=_baseline_initial(current))
    if request.method == "POST" and form.is_valid():
        try:
            baseline_set(producer=access.producer, user=request.user, **form.baseline_values())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Đã lưu doanh thu trước thí điểm."))
            return redirect("portal:revenue")
    context = {
        "access": access,
        "portal_section": "revenue",
        "form": form,
        "current": current,
    }
    return _render(
        request, "revenue/portal_baseline.html", context, status=400 if form.is_bound else 200
    )


# --- Dashboard ------------------------------------------------------------------------------


def _selected_period(filters: DashboardFilterForm, today) -> tuple[str, Period]:
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    kind = data.get("ky") or DashboardFilterForm.LAST_12
    periods = {
        DashboardFilterForm.THIS_MONTH: lambda: Period.month(today),
        DashboardFilterForm.LAST_MONTH: lambda: Period.last_month(today),
        DashboardFilterForm.YEAR_TO_DATE: lambda: Period.year_to_date(today),
        DashboardFilterForm.LAST_12: lambda: Period.last_12_months(today),
        DashboardFilterForm.CUSTOM: lambda: Period(data["tu"], data["den"]),
    }
    return kind, periods[kind]()


@require_http_methods(["GET", "HEAD"])
@portal_view
def revenue(request):
    """My revenue: this month, last month and the year so far against the baseline; by
    product, by channel, and twelve months of sales beside QR scans. Filters in the URL."""
    access = request.portal
    producer = access.producer
    today = local_today()
    filters = DashboardFilterForm(
        request.GET or None, categories=producer_categories(producer=producer)
    )
    kind, period = _selected_period(filters, today)
    valid = filters.is_bound and filters.is_valid()
    category = filters.cleaned_data.get("danh_muc") if valid else None
    scope = revenue_scope(producer=producer, category=category)
    current = Baseline.objects.filter(producer=producer).first()
    # The baseline is one figure per month for the whole farm: against one category it
    # would compare a part with the whole, so growth is shown for all products only.
    compare = current is not None and category is None

    cards = []
    for label, card_period in (
        (_("Tháng này"), Period.month(today)),
        (_("Tháng trước"), Period.last_month(today)),
        (_("Từ đầu năm"), Period.year_to_date(today)),
    ):
        card = {"label": label, "period": card_period,
                "total": revenue_total(scope=scope, period=card_period)}
        if compare:
            change = growth(scope=scope, period=card_period)
            card["baseline"] = change.baseline
            card["growth"] = format_growth(change.ratio)
        cards.append(card)

    channels = revenue_by_channel(scope=scope, period=period)
    digital, total = digital_share(scope=scope, period=period)
    products = top_products(scope=scope, period=period, limit=50)

    chart_period = Period(add_months(period.last, -11), period.last)
    months = chart_period.months()
    sold = revenue_by_month(scope=scope, period=chart_period)
    scans = scans_by_month(producer=producer, period=chart_period, category=category)
    series = [Series(_("Doanh thu"), [sold[m] for m in months])]
    if compare:
        before = baseline_by_month(scope=scope, period=chart_period)
        series.append(Series(
            _("Trước thí điểm (%(year)s)") % {"year": current.reference_year},
            [before[m] for m in months], tone="muted",
        ))
    chart = bar_chart(
        title=_("Doanh thu từng tháng, %(first)s–%(last)s") % {
            "first": chart_period.first.strftime("%m/%Y"),
            "last": chart_period.last.strftime("%m/%Y"),
        },
        categories=[m.strftime("%m/%Y") for m in months],
        axis_labels=[m.strftime("%m/%y") for m in months],
        series=series,
        table_only=[Series(_("Lượt quét QR"), [scans[m] for m in months], unit="count")],
    )
    context = {
        "access": access,
        "portal_section": "revenue",
        "filters": filters,
        "period_kind": kind,
        "period": period,
        "category": category,
        "cards": cards,
        "baseline": current,
        "compare": compare,
        "channels": channels,
        "digital": digital,
        "total": total,
        "digital_percent": format_growth(digital / total).lstrip("+") if total else "",
        "products": products,
        "chart": chart,
    }
    return _render(request, "revenue/portal_revenue.html", context)
