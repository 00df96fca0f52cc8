"""Charts drawn on the server as SVG: horizontal bars, and columns stacked by series.

Each chart names itself (``<title>``, ``<desc>``), prints every label and every value
in text, and is described to assistive technology as one image; the table beside it
holds the same numbers. Labels and values arrive already formatted for the reader's
language (with the formatters below), so the charts only draw.
"""

from collections.abc import Callable, Sequence
from html import escape
from itertools import count

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
ROW_HEIGHT = 22
BAR_HEIGHT = 15
LABEL_WIDTH = 210
VALUE_WIDTH = 70
TOP = 8
# Colours of the series, distinguishable by people with the common colour deficiencies.
PALETTE = (
    "#1b5e8c",
    "#e08a1e",
    "#3d9a6d",
    "#c4475a",
    "#7b5ea7",
    "#8c6d31",
    "#4fa3c7",
    "#a3a3a3",
    "#d4b52a",
)
_ids = count(1)


def count_text(value: float) -> str:
    """Return a count grouped by thousands in the reader's language (70 000, 70,000)."""
    return number_format(int(value), force_grouping=True)


def rate_text(value: float) -> str:
    """Return a percentage with one decimal."""
    return f"{number_format(value, decimal_pos=1)} %"


def years_text(value: float) -> str:
    """Return years with one decimal."""
    return number_format(value, decimal_pos=1)


def _id(prefix: str) -> str:
    # Unique within a page: several charts share one document.
    return f"{prefix}-{next(_ids)}"


def _opening(chart_id: str, height: int) -> str:
    return (
        f'<svg class="svg-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-t" '
        f'xmlns="http://www.w3.org/2000/svg">'
    )


def _shorten(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    describe: Callable[[float], str] = str,
    maximum: float | None = None,
) -> SafeString:
    """Return an SVG of horizontal bars, one a row, each labelled with its value."""
    chart_id = _id("chart")
    longest = maximum if maximum is not None else max((v for _, v in rows), default=0)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + ROW_HEIGHT * max(len(rows), 1)
    parts = [
        _opening(chart_id, height),
        f'<title id="{chart_id}-t">{escape(title)}</title>',
    ]
    if not rows:
        parts.append(f'<text x="0" y="{TOP + 14}" class="chart-empty">—</text>')
    for index, (label, value) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        length = round(span * value / longest, 1) if longest else 0
        text = describe(value)
        parts.append(
            f"<g><title>{escape(label)}: {escape(text)}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 12}" text-anchor="end" '
            f'class="chart-label">{escape(_shorten(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 12}" '
            f'class="chart-value">{escape(text)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text was escaped above)


def stacked_columns(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    describe: Callable[[float], str] = str,
) -> SafeString:
    """Return an SVG of one column a category, stacked by series, with its total on top and a
    legend of the series that have any value."""
    chart_id = _id("chart")
    shown = [(name, values) for name, values in series if any(values)]
    totals = [sum(values[i] for _, values in shown) for i in range(len(categories))]
    highest = max(totals, default=0)
    legend_rows = (len(shown) + 2) // 3
    plot_top, plot_height = 24, 220
    axis_y = plot_top + plot_height
    height = axis_y + 30 + legend_rows * 20
    slot = (WIDTH - 20) / max(len(categories), 1)
    column = max(min(slot * 0.7, 48), 2)
    parts = [
        _opening(chart_id, height),
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<line x1="10" y1="{axis_y}" x2="{WIDTH - 10}" y2="{axis_y}" class="chart-axis"/>',
    ]
    every = max(1, round(len(categories) / 12))  # at most a dozen year labels
    for i, category in enumerate(categories):
        x = 10 + i * slot + (slot - column) / 2
        top = float(axis_y)
        parts.append(f"<g><title>{escape(category)}: {escape(describe(totals[i]))}</title>")
        for index, (name, values) in enumerate(shown):
            value = values[i]
            if not value:
                continue
            size = plot_height * value / highest
            top -= size
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{column:.1f}" height="{size:.1f}" '
                f'fill="{PALETTE[index % len(PALETTE)]}"><title>{escape(category)}, '
                f"{escape(name)}: {escape(describe(value))}</title></rect>"
            )
        if totals[i] and slot >= 28:
            parts.append(
                f'<text x="{x + column / 2:.1f}" y="{top - 4:.1f}" text-anchor="middle" '
                f'class="chart-value">{escape(describe(totals[i]))}</text>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + column / 2:.1f}" y="{axis_y + 16}" text-anchor="middle" '
                f'class="chart-label">{escape(category)}</text>'
            )
        parts.append("</g>")
    for index, (name, _values) in enumerate(shown):
        x = 10 + (index % 3) * (WIDTH - 20) / 3
        y = axis_y + 30 + (index // 3) * 20
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 18:.1f}" y="{y + 11}" class="chart-label">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text was escaped above)
