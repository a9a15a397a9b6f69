"""What the revenue dashboards show: filters, tables with small-group suppression, charts.

A dashboard is a few ``Table``s built from the selectors; the admin page renders them (each
chart above its table), and the export writes the same rows to CSV or XLSX, so a figure hidden
on screen is hidden in the file too.

Suppression: wherever a viewer is not staff of every commune a figure covers (the province
officer), a revenue figure that covers one or two producers is shown as "<3". Where a table
has a total, more rows are hidden until the hidden rows together cover at least three
producers, so a hidden figure cannot be worked out as the total minus the others.
"""

import datetime
import re
from dataclasses import dataclass, field

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune_site.ids import ModelIdChoiceField
from products.models import ProductCategory
from products.templatetags.products_tags import vnd

from .charts import Series, bar_chart
from .models import EARLIEST_SALE_DATE, local_today
from .selectors import (
    Period,
    add_months,
    baseline_by_month,
    growth_by_commune,
    onboarded_producers_by_commune,
    producers_without_recent_sales,
    revenue_by_channel,
    revenue_by_month_counted,
    revenue_scope,
    revenue_summary_by_commune,
    top_products,
)

MIN_PRODUCERS = 3
SUPPRESSED = "<3"
ADMIN_CHART_WIDTH = 640  # the chart's drawing units on a desk screen (a phone's are 360)
MAX_MONTHS = 60
INACTIVE_DAYS = 30
TOP_PRODUCTS = 10
MONEY_LABEL = gettext_lazy("Thành tiền (đ)")


# --- Tables --------------------------------------------------------------------------

@dataclass
class Column:
    label: str
    kind: str = "text"  # text, money, count, percent (a number 0–100), date


@dataclass
class Table:
    """A titled table: rows of plain values (int đồng, counts, dates, text or "<3")."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    note: str = ""
    chart: dict | None = None

    @property
    def headers(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    def all_rows(self) -> list[list]:
        return self.rows + ([self.total] if self.total else [])

    def _display(self, row) -> list[str]:
        return [display(v, c.kind) for v, c in zip(row, self.columns, strict=True)]

    def display_rows(self) -> list[list[str]]:
        return [self._display(row) for row in self.rows]

    def display_total(self) -> list[str] | None:
        return self._display(self.total) if self.total else None


def display(value, kind: str) -> str:
    """A cell as the page shows it: 1.250.000 ₫, 12,5 %, 05/03/2026, "<3", "—"."""
    if value is None or value == "":
        return "—"
    if value == SUPPRESSED or kind == "text":
        return str(value)
    if kind == "money":
        return vnd(value)
    if kind == "percent":
        return f"{number_format(value, 1)} %"
    if kind == "date":
        return value.strftime("%d/%m/%Y")
    return number_format(value, force_grouping=True)


def percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def growth_percent(revenue: int, baseline: int) -> float | None:
    return round((revenue - baseline) * 100 / baseline, 1) if baseline else None


def hidden(counts: list[int], *, with_total: bool = True) -> list[bool]:
    """Which figures to hide, given how many producers each covers (see the module doc)."""
    hide = [0 < count < MIN_PRODUCERS for count in counts]
    while with_total:
        covered = sum(count for count, is_hidden in zip(counts, hide, strict=True) if is_hidden)
        if covered == 0 or covered >= MIN_PRODUCERS:
            break
        others = [i for i, count in enumerate(counts) if not hide[i] and count > 0]
        if not others:
            break
        hide[min(others, key=lambda i: (counts[i], i))] = True
    return hide


def small(count: int) -> bool:
    return 0 < count < MIN_PRODUCERS


def suppression_note() -> str:
    return _(
        "“<3”: số liệu doanh thu của nhóm dưới 3 nhà sản xuất được ẩn để không lộ doanh thu "
        "của từng hộ."
    )


# --- Filters ---------------------------------------------------------------------------

MONTH_RE = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{4})\s*$")


def parse_month(text: str) -> datetime.date:
    """"03/2026" → 1 March 2026; a clear Vietnamese error otherwise."""
    match = MONTH_RE.match(text or "")
    if not match or not 1 <= int(match[1]) <= 12:
        raise forms.ValidationError(_("Nhập tháng dạng MM/YYYY, ví dụ 03/2026."))
    month = datetime.date(int(match[2]), int(match[1]), 1)
    if month < EARLIEST_SALE_DATE:
        raise forms.ValidationError(_("Tháng phải từ 01/2000 trở đi."))
    return month


class MonthRangeForm(forms.Form):
    """A period given as from/to months (MM/YYYY); both empty means this year so far."""

    from_month = forms.CharField(label=gettext_lazy("Từ tháng"), required=False)
    to_month = forms.CharField(label=gettext_lazy("Đến tháng"), required=False)

    def add_prefix(self, field_name):
        # The query string says ?from=03/2026&to=05/2026.
        return {"from_month": "from", "to_month": "to"}.get(field_name, field_name)

    def clean_from_month(self):
        text = self.cleaned_data["from_month"]
        return parse_month(text) if text.strip() else None

    def clean_to_month(self):
        text = self.cleaned_data["to_month"]
        return parse_month(text) if text.strip() else None

    def custom_period(self, today) -> Period | None:
        first = self.cleaned_data.get("from_month")
        last = self.cleaned_data.get("to_month")
        if first is None and last is None:
            return None
        first = first or last
        last = last or today.replace(day=1)
        if last < first:
            raise forms.ValidationError(_("Tháng bắt đầu phải trước tháng kết thúc."))
        if len(Period(first, last).months()) > MAX_MONTHS:
            raise forms.ValidationError(_("Chọn tối đa 60 tháng."))
        return Period(first, last)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            cleaned["months"] = self.custom_period(local_today())
        return cleaned


class DashboardFilterForm(MonthRangeForm):
    """The dashboard's filters: a period (or custom months) and a product category."""

    PERIODS = [
        ("this_month", gettext_lazy("Tháng này")),
        ("last_month", gettext_lazy("Tháng trước")),
        ("ytd", gettext_lazy("Từ đầu năm")),
        ("last_12", gettext_lazy("12 tháng gần đây")),
        ("custom", gettext_lazy("Tùy chọn (từ tháng – đến tháng)")),
    ]
    period = forms.ChoiceField(label=gettext_lazy("Thời gian"), choices=PERIODS, required=False)
    category = ModelIdChoiceField(
        label=gettext_lazy("Danh mục sản phẩm"),
        queryset=ProductCategory.objects.order_by("sort_order", "name"),
        required=False,
        empty_label=gettext_lazy("Tất cả danh mục"),
    )
    field_order = ["period", "from_month", "to_month", "category"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        today = local_today()
        choice = cleaned.get("period") or ("custom" if cleaned.get("months") else "ytd")
        if choice == "custom":
            if cleaned.get("months") is None:
                self.add_error("from_month", _("Nhập tháng bắt đầu hoặc tháng kết thúc."))
        else:
            cleaned["months"] = {
                "this_month": Period.month(today),
                "last_month": Period.last_month(today),
                "ytd": Period.year_to_date(today),
                "last_12": Period.last_12_months(today),
            }[choice]
        return cleaned


def filters_from(data) -> tuple[DashboardFilterForm, Period, object]:
    """The bound filter form, its period and category; bad input falls back to this year."""
    form = DashboardFilterForm(data)
    if form.is_valid():
        return form, form.cleaned_data["months"], form.cleaned_data.get("category")
    return form, Period.year_to_date(local_today()), None


# --- Dashboards ------------------------------------------------------------------------

@dataclass
class Dashboard:
    """Figures of one commune (``commune``) or several side by side (``communes``)."""

    period: Period
    category: object
    communes: list
    commune: object = None
    suppress: bool = False
    headline: list[tuple[str, str]] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)


def _period_label(period: Period) -> str:
    if period.first == period.last:
        return period.first.strftime("%m/%Y")
    return f"{period.first:%m/%Y} – {period.last:%m/%Y}"


def month_table(*, scope, period: Period, suppress: bool, baseline_producers: int) -> Table:
    months = revenue_by_month_counted(scope=scope, period=period)
    baseline = baseline_by_month(scope=scope, period=period)
    hide = hidden([row["producers"] for row in months.values()]) if suppress else None
    hide_baseline = suppress and small(baseline_producers)
    table = Table(
        "months",
        _("Doanh thu theo tháng"),
        [
            Column(_("Tháng")),
            Column(str(MONEY_LABEL), "money"),
            Column(_("Cùng tháng trước thí điểm (đ)"), "money"),
            Column(_("Số nhà sản xuất có bán"), "count"),
        ],
    )
    for i, (month, row) in enumerate(months.items()):
        table.rows.append([
            month.strftime("%m/%Y"),
            SUPPRESSED if hide and hide[i] else row["amount"],
            SUPPRESSED if hide_baseline else baseline[month],
            row["producers"],
        ])
    series = [Series(str(MONEY_LABEL), [row[1] for row in table.rows])]
    if not hide_baseline:
        series.append(Series(
            _("Cùng tháng trước thí điểm (đ)"), [baseline[m] for m in months], tone="warm",
            mark=True,
        ))
    table.chart = bar_chart(
        title=table.title,
        categories=[row[0] for row in table.rows],
        axis_labels=[month.strftime("%m/%y") for month in months],
        series=series,
        width=ADMIN_CHART_WIDTH,
    )
    return table


def channel_table(*, scope, period: Period, suppress: bool, total_amount: int) -> Table:
    rows = revenue_by_channel(scope=scope, period=period)
    hide = hidden([row["producers"] for row in rows]) if suppress else [False] * len(rows)
    table = Table(
        "channels",
        _("Doanh thu theo kênh bán"),
        [
            Column(_("Kênh bán")),
            Column(_("Kênh số")),
            Column(str(MONEY_LABEL), "money"),
            Column(_("Tỷ trọng (%)"), "percent"),
        ],
    )
    for row, is_hidden in zip(rows, hide, strict=True):
        table.rows.append([
            str(row["label"]),
            _("có") if row["digital"] else _("không"),
            SUPPRESSED if is_hidden else row["amount"],
            SUPPRESSED if is_hidden else percent(row["amount"], total_amount),
        ])
    return table


def product_table(*, scope, period: Period, suppress: bool) -> Table:
    rows = top_products(scope=scope, period=period, limit=TOP_PRODUCTS)
    hide = hidden([row["producers"] for row in rows]) if suppress else [False] * len(rows)
    table = Table(
        "products",
        _("Sản phẩm bán chạy"),
        [
            Column(_("Sản phẩm")),
            Column(str(MONEY_LABEL), "money"),
            Column(_("Số lần bán"), "count"),
            Column(_("Số nhà sản xuất"), "count"),
        ],
    )
    for row, is_hidden in zip(rows, hide, strict=True):
        table.rows.append([
            row["product_name"],
            SUPPRESSED if is_hidden else row["amount"],
            SUPPRESSED if is_hidden else row["sale_count"],
            SUPPRESSED if is_hidden else row["producers"],
        ])
    return table


def inactive_table(*, commune, today) -> Table:
    rows = producers_without_recent_sales(commune=commune, today=today, days=INACTIVE_DAYS)
    return Table(
        "inactive",
        _("Nhà sản xuất chưa ghi bán hàng trong 30 ngày"),
        [Column(_("Nhà sản xuất")), Column(_("Lần bán gần nhất"), "date")],
        [[row["title"], row["last_sale"]] for row in rows],
    )


def commune_table(
    *, communes, scope, period: Period, suppress: bool, category
) -> tuple[Table, tuple[dict, dict, dict]]:
    """One row per commune side by side, and the total: the province view."""
    summary = revenue_summary_by_commune(scope=scope, period=period)
    growth = growth_by_commune(scope=scope, period=period)
    onboarded = onboarded_producers_by_commune(communes=communes, until=period_end(period))
    empty_summary = {"amount": 0, "producers": 0, "digital": 0, "digital_producers": 0,
                     "other_producers": 0}
    empty_growth = {"revenue": 0, "baseline": 0, "producers": 0}
    figures = [
        (commune, summary.get(commune.pk, empty_summary), growth.get(commune.pk, empty_growth),
         onboarded.get(commune.pk, {"onboarded": 0, "producers": 0}))
        for commune in communes
    ]
    total_summary = {k: sum(f[1][k] for f in figures) for k in empty_summary}
    total_growth = {k: sum(f[2][k] for f in figures) for k in empty_growth}
    total_onboarded = {k: sum(f[3][k] for f in figures) for k in ("onboarded", "producers")}

    def cells(s, g, hide_amount, hide_growth, hide_digital):
        return [
            SUPPRESSED if hide_amount else s["amount"],
            None if category else (
                SUPPRESSED if hide_growth else growth_percent(g["revenue"], g["baseline"])
            ),
            SUPPRESSED if hide_digital else percent(s["digital"], s["amount"]),
        ]

    no = [False] * len(figures)
    hide_amount = hidden([f[1]["producers"] for f in figures]) if suppress else no
    hide_growth = hidden([f[2]["producers"] for f in figures]) if suppress else no
    hide_digital = [
        hide_amount[i] or small(f[1]["digital_producers"]) or small(f[1]["other_producers"])
        for i, f in enumerate(figures)
    ] if suppress else no
    table = Table(
        "communes",
        _("Các phường/xã"),
        [
            Column(_("Phường/xã")),
            Column(_("Nhà sản xuất tham gia"), "count"),
            Column(_("Nhà sản xuất có bán"), "count"),
            Column(str(MONEY_LABEL), "money"),
            Column(_("Tăng trưởng so với trước thí điểm (%)"), "percent"),
            Column(_("Tỷ trọng kênh số (%)"), "percent"),
        ],
    )
    for i, (commune, s, g, o) in enumerate(figures):
        table.rows.append([
            commune.title, o["onboarded"], s["producers"],
            *cells(s, g, hide_amount[i], hide_growth[i], hide_digital[i]),
        ])
    table.total = [
        _("Tổng cộng"), total_onboarded["onboarded"], total_summary["producers"],
        *cells(
            total_summary, total_growth,
            suppress and small(total_summary["producers"]),
            suppress and small(total_growth["producers"]),
            suppress and (
                small(total_summary["producers"])
                or small(total_summary["digital_producers"])
                or small(total_summary["other_producers"])
            ),
        ),
    ]
    table.chart = bar_chart(
        title=_("Doanh thu theo phường/xã"),
        categories=[row[0] for row in table.rows],
        series=[Series(str(MONEY_LABEL), [row[3] for row in table.rows])],
        width=ADMIN_CHART_WIDTH,
    )
    return table, (total_summary, total_growth, total_onboarded)


def period_end(period: Period) -> datetime.date:
    return add_months(period.last, 1) - datetime.timedelta(days=1)


def build_dashboard(
    *, communes: list, period: Period, category=None, suppress: bool, single: bool,
    today: datetime.date | None = None,
) -> Dashboard:
    """The figures of one commune (``single``) or of several side by side; ``suppress`` hides
    figures covering one or two producers (the viewer is not staff of every commune shown)."""
    today = today or local_today()
    scope = revenue_scope(communes=communes, category=category)
    board = Dashboard(period=period, category=category, communes=communes, suppress=suppress,
                      commune=communes[0] if single else None)
    overview, (summary, growth, onboarded) = commune_table(
        communes=communes, scope=scope, period=period, suppress=suppress, category=category
    )
    if not single:
        board.tables["communes"] = overview
    amount, growth_cell, digital_cell = overview.total[3:6]
    board.headline = [
        (_("Thời gian"), _period_label(period)),
        (_("Doanh thu"), display(amount, "money")),
        (_("Tăng trưởng so với cùng kỳ trước thí điểm"),
         _("không tính theo danh mục") if category else display(growth_cell, "percent")),
        (_("Tỷ trọng kênh số"), display(digital_cell, "percent")),
        (_("Nhà sản xuất có bán / tham gia"),
         f"{summary['producers']} / {onboarded['onboarded']}"),
    ]
    board.tables["months"] = month_table(
        scope=scope, period=period, suppress=suppress, baseline_producers=growth["producers"]
    )
    board.tables["channels"] = channel_table(
        scope=scope, period=period, suppress=suppress, total_amount=summary["amount"]
    )
    board.tables["products"] = product_table(scope=scope, period=period, suppress=suppress)
    if single and not suppress:
        board.tables["inactive"] = inactive_table(commune=communes[0], today=today)
    return board
