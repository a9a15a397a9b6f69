"""QR label sheets: a pure A4 PDF layout engine (reportlab) and the product/batch entry point."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.apps import apps
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import qr
from .models import Batch, ProductPage

FONT_DIR = Path(__file__).resolve().parent.parent / "commune_site" / "static" / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
DEFAULT_CAPTION = gettext_lazy("Quét mã để xem nguồn gốc")
STAR = "★"
LEADING = 1.18
WHITESPACE = re.compile(r"[ \t\r\n]+")

INK = black
MUTED = Color(0.25, 0.25, 0.25)
STAR_GOLD = Color(0.78, 0.52, 0.0)
GUIDE_GREY = Color(0.75, 0.75, 0.75)


@cache
def register_fonts() -> None:
    """Register the bundled DejaVu fonts once; reportlab embeds a subset of them in every PDF."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


@dataclass(frozen=True)
class LabelData:
    """What one printed label shows; ``qr_text`` is encoded in the QR code exactly as given."""

    qr_text: str
    product_name: str
    producer: str
    commune: str
    short_link_text: str
    ocop_stars: int | None = None
    batch_code: str | None = None
    batch_dates: str | None = None
    caption: str = DEFAULT_CAPTION


@dataclass(frozen=True)
class Layout:
    """A sheet of equal labels on A4 portrait; sizes in points, origin at the top-left label."""

    key: str
    name: str
    columns: int
    rows: int
    label_width: float
    label_height: float
    margin_left: float
    margin_top: float
    gutter_x: float = 0.0
    gutter_y: float = 0.0
    padding: float = 2 * mm
    poster: bool = False

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def label_origin(self, slot: int) -> tuple[float, float]:
        """Bottom-left corner of label ``slot`` (0-based, row by row) in PDF coordinates."""
        row, column = divmod(slot, self.columns)
        x = self.margin_left + column * (self.label_width + self.gutter_x)
        top = A4[1] - self.margin_top - row * (self.label_height + self.gutter_y)
        return x, top - self.label_height


# Sizes follow common A4 label stock so a print shop can use pre-cut sheets:
# 2×5 = 99.1×57 mm (L7173), 3×7 = 63.5×38.1 mm (L7160), 4×10 = 45.7×25.4 mm (L7654).
LAYOUTS: dict[str, Layout] = {
    layout.key: layout
    for layout in (
        Layout(
            "2x5",
            gettext_lazy("2 × 5 (10 tem/tờ, 99 × 57 mm)"),
            2,
            5,
            99.1 * mm,
            57 * mm,
            4.65 * mm,
            6 * mm,
            gutter_x=2.5 * mm,
            padding=3 * mm,
        ),
        Layout(
            "3x7",
            gettext_lazy("3 × 7 (21 tem/tờ, 63,5 × 38,1 mm)"),
            3,
            7,
            63.5 * mm,
            38.1 * mm,
            7.25 * mm,
            15.15 * mm,
            gutter_x=2.5 * mm,
            padding=2.2 * mm,
        ),
        Layout(
            "4x10",
            gettext_lazy("4 × 10 (40 tem/tờ, 45,7 × 25,4 mm)"),
            4,
            10,
            45.7 * mm,
            25.4 * mm,
            9.85 * mm,
            21.5 * mm,
            gutter_x=2.5 * mm,
            padding=1.5 * mm,
        ),
        Layout(
            "poster",
            gettext_lazy("Áp phích A4 (1 mã lớn/trang, cho sạp chợ)"),
            1,
            1,
            A4[0],
            A4[1],
            0,
            0,
            padding=18 * mm,
            poster=True,
        ),
    )
}


# Per layout: share of the label width for the QR, and the body text size in points.
QR_SHARE = {"2x5": 0.44, "3x7": 0.46, "4x10": 0.48}
BASE_FONT_SIZE = {"2x5": 10.0, "3x7": 7.0, "4x10": 5.6}


@dataclass(frozen=True)
class TextItem:
    """A run of text to place in a box: preferred size, how many lines it may wrap to."""

    text: str
    font: str = REGULAR
    size: float = 8
    max_lines: int = 2
    color: Color = INK
    gap_before: float = 0.0
    one_line_first: bool = False


@dataclass(frozen=True)
class PlacedLine:
    """One line of text as drawn: baseline position, font, size, and its measured width."""

    text: str
    font: str
    size: float
    color: Color
    x: float
    baseline: float
    width: float


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces = []
    while _width(word, font, size) > width and len(word) > 1:
        cut = len(word) - 1
        while cut > 1 and _width(word[:cut], font, size) > width:
            cut -= 1
        # In a link, break after a "/" (else a "."), so each part still reads as a link.
        joint = word.rfind("/", 0, cut)
        if joint <= 0:
            joint = word.rfind(".", 0, cut)
        if joint > 0:
            cut = joint + 1
        pieces.append(word[:cut])
        word = word[cut:]
    pieces.append(word)
    return pieces


def _greedy_wrap(words: list[str], font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if _width(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        *full, current = _break_word(word, font, size, width)
        lines.extend(full)
    if current:
        lines.append(current)
    return lines


def _comma_wrap(text: str, font: str, size: float, width: float) -> list[str] | None:
    parts = text.split(", ")
    if len(parts) < 2:
        return None
    lines = []
    for index, part in enumerate(parts):
        segment = part + ("," if index < len(parts) - 1 else "")
        lines.extend(_greedy_wrap([w for w in segment.split(" ") if w], font, size, width))
    return lines


def wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """Word wrap into balanced lines; long words break by character; overflow ends in "…"."""
    # Only plain spaces break lines, so callers can glue "NSX\u00a012/05/2026" together.
    words = [word for word in text.split(" ") if word]
    lines = _greedy_wrap(words, font, size, width)
    by_comma = _comma_wrap(text, font, size, width) if len(lines) > 1 else None
    if by_comma and len(by_comma) <= len(lines):
        # "Phường Tân An," / "Tây Ninh" rather than splitting a place name.
        lines = by_comma
    elif 1 < len(lines) <= max_lines:
        # Narrow the measure while the line count holds: "Thanh long / ruột đỏ", not "… ruột / đỏ".
        low, high = width / len(lines), width
        for _ in range(12):
            middle = (low + high) / 2
            if len(_greedy_wrap(words, font, size, middle)) == len(lines):
                high = middle
            else:
                low = middle
        lines = _greedy_wrap(words, font, size, high)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last_words = lines[-1].split(" ")
        while len(last_words) > 1 and _width(" ".join(last_words) + "…", font, size) > width:
            last_words.pop()
        last = " ".join(last_words)
        while last and _width(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _item_lines(item: TextItem, scale: float, width: float) -> tuple[float, list[str]]:
    size = item.size * scale
    if item.one_line_first:
        # Links and the caption read best unbroken: shrink to one line, down to 75 %;
        # if even that is too wide, wrap at the full size rather than print it tiny.
        natural = _width(item.text, item.font, size)
        if width < natural <= width / 0.75:
            # A hair under the exact fit, so rounding cannot push it back over the line.
            size *= width / natural * 0.999
    return size, wrap(item.text, item.font, size, width, item.max_lines)


def fit_text(
    items: Sequence[TextItem],
    *,
    x: float,
    top: float,
    width: float,
    height: float,
    align: str = "left",
) -> list[PlacedLine]:
    """Place items top-down in the box, shrinking them all together until they fit it."""
    scale = 1.0
    while True:
        laid_out = [(item, *_item_lines(item, scale, width)) for item in items if item.text]
        needed = sum(
            item.gap_before * scale + len(lines) * size * LEADING for item, size, lines in laid_out
        )
        if needed <= height or scale < 0.05:
            break
        scale *= 0.94
    placed = []
    cursor = top
    for item, size, lines in laid_out:
        cursor -= item.gap_before * scale
        for line in lines:
            cursor -= size * LEADING
            line_width = _width(line, item.font, size)
            offset = {"left": 0, "center": (width - line_width) / 2}[align]
            # The baseline sits a descent above the line's bottom so descenders stay inside.
            placed.append(
                PlacedLine(
                    line, item.font, size, item.color, x + offset, cursor + size * 0.24, line_width
                )
            )
    return placed


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR as one vector path of dark runs, so no seams appear between modules."""
    # The same symbol as the QR images: level H, 4-module quiet zone (products.qr).
    matrix = qr.qr_matrix(text)
    module = size / len(matrix)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        row_y = y + size - (row_index + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            path.rect(x + start * module, row_y, (column - start) * module, module)
    canvas.setFillColor(INK)
    canvas.drawPath(path, stroke=0, fill=1)


def _clean(text: str | None) -> str:
    # NFC so decomposed diacritics (from some keyboards) use DejaVu's precomposed glyphs.
    return unicodedata.normalize("NFC", WHITESPACE.sub(" ", str(text or "")).strip())


def _batch_line(label: LabelData) -> str:
    if not label.batch_code:
        return ""
    return _("Lô %(code)s") % {"code": _clean(label.batch_code)}


def _stars(count: int | None) -> str:
    return f"{STAR * count} OCOP" if count else ""


def _label_items(label: LabelData, base: float) -> tuple[list[TextItem], list[TextItem]]:
    """The text of a sheet label: details at the top, link and caption at the bottom."""
    batch = _batch_line(label)
    details = [
        TextItem(_clean(label.product_name), BOLD, base * 1.3, 3),
        TextItem(_stars(label.ocop_stars), BOLD, base * 1.1, 1, STAR_GOLD, base * 0.2),
        TextItem(_clean(label.producer), REGULAR, base, 2, INK, base * 0.25),
        TextItem(_clean(label.commune), REGULAR, base, 2, MUTED),
        TextItem(batch, BOLD, base, 1, INK, base * 0.25),
        TextItem(_clean(label.batch_dates), REGULAR, base * 0.9, 2),
    ]
    footer = [
        TextItem(_clean(label.caption), BOLD, base * 0.95, 2, INK, 0, True),
        TextItem(_clean(label.short_link_text), REGULAR, base * 0.9, 2, INK, 0, True),
    ]
    return details, footer


def _draw_lines(canvas: Canvas, lines: Iterable[PlacedLine]) -> None:
    for line in lines:
        canvas.setFillColor(line.color)
        canvas.setFont(line.font, line.size)
        canvas.drawString(line.x, line.baseline, line.text)


def layout_sheet_label(label: LabelData, layout: Layout, x: float, y: float) -> dict:
    """Geometry of one sheet label: QR square on the left, text column on the right."""
    pad = layout.padding
    inner_w, inner_h = layout.label_width - 2 * pad, layout.label_height - 2 * pad
    qr_size = min(inner_h, inner_w * QR_SHARE[layout.key])
    text_x = x + pad + qr_size + pad * 0.8
    text_w = x + layout.label_width - pad - text_x
    base = BASE_FONT_SIZE[layout.key]
    details, footer = _label_items(label, base)
    footer_lines = fit_text(
        footer, x=text_x, top=y + pad + inner_h * 0.36, width=text_w, height=inner_h * 0.36
    )
    footer_height = sum(line.size * LEADING for line in footer_lines)
    # Footer hugs the bottom edge; details take whatever height is left above it.
    shift = (y + pad + footer_height) - (y + pad + inner_h * 0.36)
    footer_lines = [
        PlacedLine(ln.text, ln.font, ln.size, ln.color, ln.x, ln.baseline + shift, ln.width)
        for ln in footer_lines
    ]
    detail_lines = fit_text(
        details,
        x=text_x,
        top=y + pad + inner_h,
        width=text_w,
        height=inner_h - footer_height - pad * 0.5,
    )
    qr_y = y + pad + (inner_h - qr_size) / 2
    return {
        "qr": (x + pad, qr_y, qr_size),
        "lines": detail_lines + footer_lines,
        "box": (text_x, y + pad, text_w, inner_h),
    }


def layout_poster(label: LabelData, layout: Layout) -> dict:
    """Geometry of the market-stall poster: name on top, a big QR, caption and link below."""
    pad = layout.padding
    width, height = A4
    inner_w = width - 2 * pad
    qr_size = min(inner_w, 150 * mm)
    qr_x = (width - qr_size) / 2
    header = [
        TextItem(_clean(label.product_name), BOLD, 34, 3),
        TextItem(_stars(label.ocop_stars), BOLD, 24, 1, STAR_GOLD, 8),
        TextItem(_clean(label.producer), REGULAR, 17, 2, INK, 8),
        TextItem(_clean(label.commune), REGULAR, 15, 2, MUTED, 2),
    ]
    batch = _batch_line(label)
    footer = [
        TextItem(_clean(label.caption), BOLD, 24, 2),
        TextItem(_clean(label.short_link_text), REGULAR, 17, 2, INK, 6, True),
        TextItem(batch, BOLD, 14, 1, INK, 10),
        TextItem(_clean(label.batch_dates), REGULAR, 13, 2, INK, 2),
    ]
    header_top = height - pad
    header_lines = fit_text(
        header, x=pad, top=header_top, width=inner_w, height=62 * mm, align="center"
    )
    header_bottom = min((ln.baseline - ln.size * 0.24 for ln in header_lines), default=header_top)
    qr_y = header_bottom - 6 * mm - qr_size
    footer_lines = fit_text(
        footer,
        x=pad,
        top=qr_y - 4 * mm,
        width=inner_w,
        height=qr_y - 4 * mm - pad,
        align="center",
    )
    return {
        "qr": (qr_x, qr_y, qr_size),
        "lines": header_lines + footer_lines,
        "box": (pad, pad, inner_w, height - 2 * pad),
    }


def render_labels(
    labels: Sequence[LabelData],
    layout: Layout | str,
    *,
    cut_guides: bool = False,
    title: str = "Tem QR",
) -> bytes:
    """Lay the labels out on as many A4 pages as needed and return the PDF bytes."""
    if not labels:
        raise ValueError("render_labels needs at least one label")
    register_fonts()
    layout = LAYOUTS[layout] if isinstance(layout, str) else layout
    buffer = io.BytesIO()
    # Initial font set to DejaVu so the PDF references no unembedded Helvetica (print preflight).
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(title)
    canvas.setAuthor("commune-site")
    canvas.setCreator("commune-site products.labels")
    for index, label in enumerate(labels):
        slot = index % layout.per_page
        if index and slot == 0:
            canvas.showPage()
        if layout.poster:
            geometry = layout_poster(label, layout)
        else:
            x, y = layout.label_origin(slot)
            geometry = layout_sheet_label(label, layout, x, y)
            if cut_guides:
                canvas.setStrokeColor(GUIDE_GREY)
                canvas.setLineWidth(0.3)
                canvas.roundRect(x, y, layout.label_width, layout.label_height, 2 * mm)
        qr_x, qr_y, qr_size = geometry["qr"]
        draw_qr(canvas, label.qr_text, qr_x, qr_y, qr_size)
        _draw_lines(canvas, geometry["lines"])
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def format_day(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


# --- Labels for products and batches ---------------------------------------------------------

MAX_LABELS = 2000


def _display_link(url: str) -> str:
    # Buyers type what they read: drop the scheme, it is implied.
    return url.split("://", 1)[-1]


def _places(pages) -> tuple[dict[str, str], dict[str, str]]:
    """Producer and commune names for pages below producers, by path, in two queries."""
    # Products sit at Root → commune → producer index → producer → product.
    steplen = Page.steplen
    producer_paths = {page.path[: 4 * steplen] for page in pages}
    commune_paths = {page.path[: 2 * steplen] for page in pages}
    producers = dict(Page.objects.filter(path__in=producer_paths).values_list("path", "title"))
    commune_model = apps.get_model("showcase", "CommuneHomePage")
    communes = {
        path: f"{name}, {province}" if province else name
        for path, name, province in commune_model.objects.filter(
            path__in=commune_paths
        ).values_list("path", "official_name", "province_name")
    }
    return producers, communes


def label_products_for_user(user):
    """Live products the user may edit, with their producer's title, in page-tree order."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ProductPage.objects.none()
    editable = PagePermissionPolicy(ProductPage).instances_user_has_permission_for(user, "change")
    producer_title = Page.objects.filter(path=Substr(OuterRef("path"), 1, 4 * Page.steplen)).values(
        "title"
    )[:1]
    return (
        ProductPage.objects.filter(pk__in=editable.values("pk"))
        .live()
        .annotate(producer_title=Subquery(producer_title))
        .order_by("path")
    )


def label_batches_for_user(user):
    """Batches of the live products the user may edit, newest first within each product."""
    return (
        Batch.objects.filter(product__in=label_products_for_user(user).values("pk"))
        .select_related("product")
        .order_by("product__path", "-produced_on", "lot_code")
    )


def batch_dates(batch: Batch) -> str:
    """Batch dates as printed, e.g. NSX 12/05/2026 · HSD 12/08/2026, each glued to its prefix."""
    # NSX: ngày sản xuất (made on); HSD: hạn sử dụng (use by).
    parts = ["\u00a0".join((_("NSX"), format_day(batch.produced_on)))]
    if batch.expires_on:
        parts.append("\u00a0".join((_("HSD"), format_day(batch.expires_on))))
    return " · ".join(parts)


def _label(target, product: ProductPage, places, *, digital_link: bool) -> LabelData:
    producers, communes = places
    steplen = Page.steplen
    is_batch = target is not product
    return LabelData(
        qr_text=qr.qr_text(target, digital_link=digital_link),
        product_name=product.title,
        producer=producers.get(product.path[: 4 * steplen], ""),
        commune=communes.get(product.path[: 2 * steplen], ""),
        # The typed form stays the short link even when the QR holds a Digital Link URI.
        short_link_text=_display_link(qr.short_link(target)),
        ocop_stars=product.ocop_stars if product.ocop_is_valid else None,
        batch_code=target.lot_code if is_batch else None,
        batch_dates=batch_dates(target) if is_batch else None,
        caption=_("Quét mã để xem nguồn gốc"),
    )


def labels_for(
    *,
    products: Sequence[ProductPage] = (),
    batches: Sequence[Batch] = (),
    copies: int = 1,
    digital_link: bool = False,
) -> list[LabelData]:
    """``copies`` labels for each product, then for each batch, in the order given."""
    targets = [(product, product) for product in products]
    targets += [(batch, batch.product) for batch in batches]
    places = _places([product for _target, product in targets])
    labels = []
    for target, product in targets:
        data = _label(target, product, places, digital_link=digital_link)
        labels.extend([data] * copies)
    return labels


def label_pdf_for(
    *,
    products: Sequence[ProductPage] = (),
    batches: Sequence[Batch] = (),
    layout: str,
    copies: int = 1,
    digital_link: bool = False,
    cut_guides: bool = False,
) -> bytes:
    """The A4 label PDF for these products and batches, ``copies`` labels of each.

    With ``digital_link``, products that have a GTIN get a GS1 Digital Link URI in the QR
    instead of the short link. Raises ValueError when there is nothing to print.
    """
    # Printed labels are for Vietnamese buyers whatever language the admin user reads.
    with translation.override("vi"):
        labels = labels_for(
            products=products, batches=batches, copies=copies, digital_link=digital_link
        )
        return render_labels(labels, layout, cut_guides=cut_guides, title=_("Tem QR"))
