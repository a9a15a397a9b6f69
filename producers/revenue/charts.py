"""Bar charts drawn as server-side SVG: the geometry is computed here, the template only draws.

``bar_chart`` takes categories (months, channels…) and one or more series of whole numbers and
returns a ``BarChart`` whose bars, axis ticks and legend carry ready-made coordinates. The
template ``components/chart_bars.html`` draws it and puts the same figures in a table beneath,
for screen readers, printing and anyone who prefers numbers. Nothing needs JavaScript.

    chart = bar_chart(
        title=_("Doanh thu 12 tháng"),
        categories=["12/2025", "01/2026", ...],
        series=[Series(_("Doanh thu"), [1_250_000, ...]),
                Series(_("Trước thí điểm"), [900_000, ...], tone="muted")],
    )
    {% include "components/chart_bars.html" with chart=chart %}
"""

import math
from dataclasses import dataclass, field

# The drawing's own units; the SVG scales to the width of its box through its viewBox.
# 360 wide: on a 360 px phone one unit is one pixel, so 12 px labels stay 12 px.
WIDTH = 360
HEIGHT = 220
PAD_LEFT = 44  # room for the value labels of the axis
PAD_RIGHT = 8
PAD_TOP = 12
PAD_BOTTOM = 30  # room for the category labels
TONES = ("primary", "muted", "accent", "warm")


@dataclass
class Series:
    """One set of values, one per category, drawn in one colour (a CSS class ``--<tone>``)."""

    label: str
    values: list[int]
    tone: str = ""
    # Formats a value for the table and the bars' tooltips; "vnd" or "count".
    unit: str = "vnd"


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    tone: str
    title: str  # "01/2026 — Doanh thu: 1.250.000 ₫", read out by screen readers


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class CategoryLabel:
    x: float
    text: str


@dataclass
class TableRow:
    category: str
    cells: list[str]


@dataclass
class BarChart:
    """Everything the template draws; coordinates are in the ``viewBox`` units."""

    title: str
    series: list[Series]
    # Shown in the table beneath only, e.g. QR scans beside the revenue they drew.
    table_only: list[Series] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[CategoryLabel] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = PAD_LEFT
    plot_right: int = WIDTH - PAD_RIGHT
    baseline_y: float = HEIGHT - PAD_BOTTOM
    label_y: float = HEIGHT - PAD_BOTTOM + 18

    @property
    def tick_x(self) -> int:
        return self.plot_left - 6

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def is_empty(self) -> bool:
        return not any(value for series in self.series for value in series.values)


def format_vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " ₫"


def format_count(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def format_growth(ratio: float | None) -> str:
    """0.125 → "+12,5 %"; -0.03 → "−3,0 %"; None (no baseline) → ""."""
    if ratio is None:
        return ""
    text = f"{ratio * 100:+.1f}".replace(".", ",").replace("-", "−")
    return f"{text} %"


def short_amount(amount: int) -> str:
    """An axis label a phone can fit: 1.500.000 → "1,5tr", 2.000.000.000 → "2 tỷ", 500.000 →
    "500k", as Vietnamese shorten money."""
    for size, suffix in ((1_000_000_000, " tỷ"), (1_000_000, "tr"), (1_000, "k")):
        if amount >= size:
            text = f"{amount / size:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return text + suffix
    return str(amount)


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ not below ``value``, so ticks fall on round figures."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return int(step * power)
    return 10 * power


def _format(series: Series, value: int) -> str:
    return format_vnd(value) if series.unit == "vnd" else format_count(value)


def bar_chart(
    *,
    title: str,
    categories: list[str],
    series: list[Series],
    table_only: list[Series] = (),
    axis_labels: list[str] | None = None,
    ticks: int = 4,
) -> BarChart:
    """Grouped bars: one group per category, one bar per series, all on one value axis.

    ``table_only`` series are columns of the data table and are not drawn. ``axis_labels``
    are shorter names for the axis ("11/26"); the table and tooltips keep ``categories``.
    """
    axis_labels = axis_labels or categories
    chart = BarChart(title=title, series=series, table_only=list(table_only))
    for index, item in enumerate([*series, *table_only]):
        if len(item.values) != len(categories):
            raise ValueError(f"series {item.label!r} has {len(item.values)} values")
        item.tone = item.tone or TONES[index % len(TONES)]
    top = nice_ceiling(max((v for s in series for v in s.values), default=0))
    plot_height = chart.baseline_y - PAD_TOP
    plot_width = chart.plot_right - chart.plot_left
    group = plot_width / max(len(categories), 1)
    gap = group * 0.2
    bar_width = (group - gap) / max(len(series), 1)

    for step in range(ticks + 1):
        value = top * step / ticks
        chart.ticks.append(
            Tick(y=round(chart.baseline_y - plot_height * step / ticks, 1),
                 label=short_amount(int(value)) if series and series[0].unit == "vnd"
                 else format_count(int(value))),
        )
    # Up to six labels fit under the plot; with more categories every n-th is shown.
    label_every = math.ceil(len(categories) / 6) if categories else 1
    for index, category in enumerate(categories):
        left = chart.plot_left + group * index + gap / 2
        if index % label_every == 0:
            chart.labels.append(
                CategoryLabel(x=round(left + (group - gap) / 2, 1), text=axis_labels[index])
            )
        for position, item in enumerate(series):
            value = item.values[index]
            height = plot_height * value / top if top else 0
            chart.bars.append(
                Bar(
                    x=round(left + bar_width * position, 1),
                    y=round(chart.baseline_y - height, 1),
                    width=round(bar_width, 1),
                    height=round(height, 1),
                    value=value,
                    tone=item.tone,
                    title=f"{category} — {item.label}: {_format(item, value)}",
                )
            )
        chart.rows.append(
            TableRow(
                category=category,
                cells=[_format(s, s.values[index]) for s in [*series, *chart.table_only]],
            )
        )
    return chart
