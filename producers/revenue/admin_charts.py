"""Server-rendered SVG bar charts for the revenue admin screens: geometry here, markup in
``revenue/admin_chart.html``. Each chart sits above its data table, which carries the figures
for screen readers and printing; no JavaScript."""

WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 8, 40, 12


def bar_chart(*, labels: list[str], values: list, baseline: list | None = None,
              title: str = "") -> dict:
    """Bars for ``values`` (a non-integer value, e.g. "<3", draws no bar), with an optional
    baseline mark per bar; returns what the template draws, in SVG user units."""
    numbers = [v for v in values if isinstance(v, int)] + [
        b for b in (baseline or []) if isinstance(b, int)
    ]
    top = max(numbers, default=0) or 1
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT * 2) / max(len(values), 1)
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + i * slot
        height = round(value * plot_height / top, 1) if isinstance(value, int) else 0
        mark = baseline[i] if baseline else None
        bars.append({
            "label": label,
            "x": round(x + slot * 0.15, 1),
            "width": round(slot * 0.7, 1),
            "x2": round(x + slot * 0.85, 1),
            "y": round(TOP + plot_height - height, 1),
            "height": height,
            "label_x": round(x + slot / 2, 1),
            "hidden": not isinstance(value, int),
            "baseline_y": (
                round(TOP + plot_height - mark * plot_height / top, 1)
                if isinstance(mark, int) else None
            ),
        })
    return {
        "title": title,
        "width": WIDTH,
        "height": HEIGHT,
        "axis_y": TOP + plot_height,
        "hidden_y": TOP + plot_height - 4,
        "label_y": HEIGHT - BOTTOM + 16,
        "bars": bars,
        "has_baseline": bool(baseline),
        "small_labels": len(values) > 8,
    }
