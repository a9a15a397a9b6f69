"""The pilot report (for one commune or all, over whole months) as data, PDF and XLSX, and the
CSV/XLSX writer of the dashboards' tables.

``table_response`` is the one place that writes a table to a file; swap it for the shared
export API when there is one. Money stays whole đồng in every format: an integer cell in
XLSX (shown 1,250,000 by Excel's own grouping), digits in CSV.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from products.labels import BOLD, REGULAR, register_fonts
from products.models import ProductPage

from .dashboards import Column, Table, commune_table, period_end, suppression_note
from .models import local_today
from .selectors import (
    Period,
    certificates_expiring,
    ocop_products_by_commune,
    onboarded_producers_by_commune,
    product_counts_by_commune,
    revenue_scope,
    scans_by_commune,
)

CERTIFICATE_DAYS = 90
STARS = (3, 4, 5)
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"


# --- Files -----------------------------------------------------------------------------

def _file_name(title: str, extension: str) -> str:
    stem = slugify(title.replace("đ", "d").replace("Đ", "D")) or "bang"
    return f"{stem}-{local_today():%Y%m%d}.{extension}"


def _attachment(response: HttpResponse, title: str, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{_file_name(title, extension)}"'
    return response


def _csv_cell(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else value


def _sheet_title(title: str, taken: set) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique in the workbook.
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Sheet"
    name, n = base, 2
    while name in taken:
        name, n = f"{base} {n}", n + 1
    taken.add(name)
    return name


def _write_sheet(sheet, headers: list[str], rows: list[list]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    money_columns = {i for i, header in enumerate(headers) if header.endswith("(đ)")}
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
        for i, cell in enumerate(sheet[sheet.max_row]):
            if i in money_columns and isinstance(cell.value, int):
                cell.number_format = MONEY_FORMAT
            elif isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
    for i, header in enumerate(headers):
        sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width = max(
            12, min(40, len(header) + 2)
        )


def _xlsx_cell(value):
    if isinstance(value, (int, float, datetime.date)) or value is None:
        return value
    return str(value)


def table_response(title: str, headers: list[str], rows: list[list], fmt: str) -> HttpResponse:
    """One table as a download: ``fmt`` "csv" (UTF-8 with a BOM, so Excel reads Vietnamese)
    or "xlsx". Money columns are those whose header ends in "(đ)"; cells are whole đồng."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows([[_csv_cell(value) for value in row] for row in rows])
        response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(), content_type=CSV_TYPE)
        return _attachment(response, title, "csv")
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _sheet_title(title, set())
        _write_sheet(sheet, headers, rows)
        output = io.BytesIO()
        workbook.save(output)
        return _attachment(HttpResponse(output.getvalue(), content_type=XLSX_TYPE), title, "xlsx")
    raise ValueError(f"unknown format {fmt!r}")


# --- The pilot report ------------------------------------------------------------------

@dataclass
class PilotReport:
    """The pilot's indicators for some communes over whole months, as titled tables."""

    communes: list
    period: Period
    suppress: bool
    today: datetime.date
    tables: list[Table] = field(default_factory=list)

    @property
    def scope_label(self) -> str:
        if len(self.communes) == 1:
            return self.communes[0].title
        return _("Tất cả phường/xã (%(count)s)") % {"count": len(self.communes)}

    @property
    def period_label(self) -> str:
        return f"{self.period.first:%m/%Y} – {self.period.last:%m/%Y}"

    @property
    def title(self) -> str:
        return _("Báo cáo thí điểm")


def _with_total(table: Table, count_from: int, single: bool) -> Table:
    if not single:
        table.total = [_("Tổng cộng")] + [
            sum(row[i] for row in table.rows) for i in range(count_from, len(table.columns))
        ]
    return table


def pilot_report(
    *, communes: list, period: Period, suppress: bool, today: datetime.date | None = None
) -> PilotReport:
    """The report's tables; ``suppress`` shows revenue covering one or two producers as "<3"
    (the viewer is not staff of every commune in it)."""
    today = today or local_today()
    single = len(communes) == 1
    report = PilotReport(communes=communes, period=period, suppress=suppress, today=today)

    onboarded = onboarded_producers_by_commune(communes=communes, until=period_end(period))
    products = product_counts_by_commune(communes=communes)
    scans = scans_by_commune(communes=communes, period=period)
    producers_table = Table(
        "producers",
        _("Nhà sản xuất, sản phẩm và lượt quét"),
        [
            Column(_("Phường/xã")),
            Column(_("Nhà sản xuất"), "count"),
            Column(_("Nhà sản xuất tham gia"), "count"),
            Column(_("Sản phẩm đang hiển thị"), "count"),
            Column(_("Sản phẩm có mã QR"), "count"),
            Column(_("Sản phẩm có lô hàng"), "count"),
            Column(_("Lượt quét mã QR"), "count"),
        ],
    )
    for commune in communes:
        o = onboarded.get(commune.pk, {})
        p = products.get(commune.pk, {})
        producers_table.rows.append([
            commune.title, o.get("producers", 0), o.get("onboarded", 0), p.get("published", 0),
            p.get("with_qr", 0), p.get("with_batches", 0), scans.get(commune.pk, 0),
        ])
    report.tables.append(_with_total(producers_table, 1, single))

    revenue_table, _totals = commune_table(
        communes=communes,
        scope=revenue_scope(communes=communes),
        period=period,
        suppress=suppress,
        category=None,
    )
    revenue_table.key, revenue_table.title = "revenue", _("Doanh thu")
    revenue_table.chart = None
    if single:
        revenue_table.total = None
    report.tables.append(revenue_table)

    ocop = ocop_products_by_commune(communes=communes, today=today)
    ocop_table = Table(
        "ocop",
        _("Sản phẩm OCOP còn hiệu lực theo hạng sao"),
        [Column(_("Phường/xã"))]
        + [Column(str(ProductPage.OcopStars(stars).label), "count") for stars in STARS]
        + [Column(_("Tổng"), "count")],
    )
    for commune in communes:
        by_stars = ocop.get(commune.pk, {})
        counts = [by_stars.get(stars, 0) for stars in STARS]
        ocop_table.rows.append([commune.title, *counts, sum(counts)])
    report.tables.append(_with_total(ocop_table, 1, single))

    titles = {commune.pk: commune.title for commune in communes}
    certificates = certificates_expiring(communes=communes, today=today, days=CERTIFICATE_DAYS)
    report.tables.append(Table(
        "certificates",
        _("Chứng nhận hết hạn trong 90 ngày tới"),
        [
            Column(_("Phường/xã")),
            Column(_("Sản phẩm hoặc nhà sản xuất")),
            Column(_("Chứng nhận")),
            Column(_("Ngày hết hạn"), "date"),
        ],
        [
            [titles.get(row["commune_id"], ""), row["holder"], row["certificate"],
             row["expires_on"]]
            for row in certificates
        ],
        note="" if certificates else _("Không có chứng nhận nào hết hạn trong 90 ngày tới."),
    ))
    return report


def report_xlsx(report: PilotReport) -> bytes:
    """The report as a workbook: a cover sheet, then one sheet per table."""
    workbook = Workbook()
    cover = workbook.active
    taken = set()
    cover.title = _sheet_title(report.title, taken)
    cover.append([report.title])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([_("Phạm vi"), report.scope_label])
    cover.append([_("Thời gian"), report.period_label])
    cover.append([_("Ngày lập"), report.today])
    cover["B4"].number_format = DATE_FORMAT
    if report.suppress:
        cover.append([_("Ghi chú"), suppression_note()])
    cover.column_dimensions["A"].width = 16
    cover.column_dimensions["B"].width = 60
    for table in report.tables:
        _write_sheet(
            workbook.create_sheet(_sheet_title(table.title, taken)),
            table.headers,
            table.all_rows(),
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def report_pdf(report: PilotReport) -> bytes:
    """The report as an A4 landscape PDF with DejaVu Sans embedded, so Vietnamese prints."""
    register_fonts()
    normal = ParagraphStyle("normal", fontName=REGULAR, fontSize=9, leading=11)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=12, leading=15, spaceBefore=8,
                             spaceAfter=4)
    title = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=4)
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=8, leading=10)
    header_cell = ParagraphStyle("header", fontName=BOLD, fontSize=8, leading=10)

    def text(value) -> str:
        return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    story = [
        Paragraph(text(report.title), title),
        Paragraph(text(f"{report.scope_label} · {report.period_label}"), normal),
        Paragraph(text(_("Ngày lập: %(date)s") % {"date": f"{report.today:%d/%m/%Y}"}),
                  normal),
    ]
    if report.suppress:
        story.append(Paragraph(text(suppression_note()), normal))
    for table in report.tables:
        story.append(Paragraph(text(table.title), heading))
        rows = [[Paragraph(text(h), header_cell) for h in table.headers]]
        rows += [[Paragraph(text(v), cell) for v in row] for row in table.display_rows()]
        if table.total:
            rows.append([Paragraph(text(v), header_cell) for v in table.display_total()])
        if len(rows) == 1:
            story.append(Paragraph(text(table.note or "—"), normal))
            continue
        pdf_table = PdfTable(rows, repeatRows=1, hAlign="LEFT")
        pdf_table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(pdf_table)
        story.append(Spacer(1, 4 * mm))
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
        topMargin=12 * mm, bottomMargin=12 * mm, title=report.title,
    )
    document.build(story)
    return output.getvalue()


def report_response(report: PilotReport, fmt: str) -> HttpResponse:
    """The report as a PDF or XLSX download."""
    stem = f"{report.title} {report.scope_label} {report.period_label}"
    if fmt == "pdf":
        return _attachment(HttpResponse(report_pdf(report), content_type=PDF_TYPE), stem, "pdf")
    return _attachment(HttpResponse(report_xlsx(report), content_type=XLSX_TYPE), stem, "xlsx")

