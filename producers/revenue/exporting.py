"""CSV and XLSX writers for sales lists and dashboard tables, in constant memory.

The API other views use for any table::

    from producers.revenue.exporting import table_response

    return table_response(
        title="Doanh thu theo tháng",            # sheet name and file name
        headers=["Tháng", "Thành tiền (đ)"],
        rows=((f"{m:%m/%Y}", amount) for m, amount in figures),  # any iterable of sequences
        fmt="csv",                               # or "xlsx"
    )

Cells may be ``str``, ``int`` (đồng), ``Decimal`` (quantities), ``datetime.date`` or None.
CSV is UTF-8 with BOM (so Excel shows Vietnamese), comma-separated, dates dd/mm/yyyy, numbers
plain (``1250000``, ``12.5``), streamed row by row. XLSX is written by openpyxl in write-only
mode to a temporary file, with real dates and numbers. Responses are private and never cached.

A sales export reads back through ``importing`` to the same figures: same headers, the
channel's Vietnamese name (``Khác: <what the seller wrote>`` for an unlisted channel), and
"Thành tiền (đ)" in whole đồng.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from products.search import fold

from .models import Channel, Sale

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# The file format's headers: data, not interface text, so they stay Vietnamese in every
# language (the import also reads the English names).
SALE_HEADERS = [
    "Ngày", "Sản phẩm", "Số lượng", "Đơn vị", "Đơn giá (đ)", "Thành tiền (đ)", "Kênh bán",
    "Ghi chú",
]
PRODUCER_HEADERS = ["Nhà sản xuất", "Phường/xã", "Cán bộ nhập thay"]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


# A cell starting with one of these is a formula to Excel: "=HYPERLINK(...)" typed as a
# product name must stay text in the file staff open. The import drops the apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        # "1.125" could be read as 1125 in a Vietnamese-style file; "1.1250" cannot.
        if "." in text and len(text.split(".")[1]) == 3:
            text += "0"
        return text
    return str(value)


def csv_stream(headers: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """CSV text, one line at a time, starting with a BOM."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([str(h) for h in headers])
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def _xlsx_value(value):
    if isinstance(value, bool):
        return "x" if value else ""
    return value


def xlsx_write(file, *, title: str, headers: Sequence, rows: Iterable[Sequence]) -> None:
    """Write one sheet to ``file`` with openpyxl's write-only workbook (constant memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(header)) + 4)
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            value = _xlsx_value(value)
            if isinstance(value, datetime.date | int | Decimal) and not isinstance(value, bool):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
                elif isinstance(value, int):
                    cell.number_format = "#,##0"
                cells.append(cell)
            elif isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, not a formula
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(file)


def _sheet_title(title: str) -> str:
    # Excel refuses these characters and names longer than 31.
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title.strip()[:31] or "Sheet1"


def export_filename(title: str, fmt: str) -> str:
    return f"{slugify(fold(title)) or 'bang'}.{fmt}"


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def table_response(
    *, title: str, headers: Sequence, rows: Iterable[Sequence], fmt: str, filename: str = ""
):
    """A download of one table as CSV (streamed) or XLSX; private, never cached.

    ``rows`` is consumed lazily: pass a generator or ``QuerySet.iterator()`` for big tables.
    Raises ValueError for a format other than "csv" or "xlsx".
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    filename = filename or export_filename(title, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(headers, rows), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return _private(response)
    # openpyxl writes the zip at the end; a temporary file keeps memory flat meanwhile, and
    # FileResponse streams it and closes (deletes) it.
    file = tempfile.TemporaryFile()
    xlsx_write(file, title=title, headers=headers, rows=rows)
    file.seek(0)
    response = FileResponse(
        file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    return _private(response)


def table_write(path_or_file, *, title: str, headers: Sequence, rows: Iterable[Sequence],
                fmt: str) -> None:
    """Write one table to a path or binary file, as ``table_response`` would serve it."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    opened = isinstance(path_or_file, str | bytes) or hasattr(path_or_file, "__fspath__")
    file = open(path_or_file, "wb") if opened else path_or_file  # noqa: SIM115
    try:
        if fmt == "csv":
            for chunk in csv_stream(headers, rows):
                file.write(chunk.encode())
        else:
            xlsx_write(file, title=title, headers=headers, rows=rows)
    finally:
        if opened:
            file.close()


# --- Sales ------------------------------------------------------------------------------


def sales_for_export(
    *,
    producers=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """Sales of the given producers (a queryset or list; None for all), oldest first."""
    sales = Sale.objects.all()
    if producers is not None:
        sales = sales.filter(producer__in=producers)
    if date_from:
        sales = sales.filter(sold_on__gte=date_from)
    if date_to:
        sales = sales.filter(sold_on__lte=date_to)
    return sales.order_by("sold_on", "pk")


def sale_headers(*, with_producer: bool) -> list:
    return SALE_HEADERS + (PRODUCER_HEADERS if with_producer else [])


def sale_rows(sales, *, with_producer: bool) -> Iterator[list]:
    """The export rows of a sales queryset, read in chunks in one query."""
    fields = ["sold_on", "product_name", "quantity", "unit", "unit_price_vnd", "amount_vnd",
              "channel", "channel_detail", "note"]
    if with_producer:
        fields += ["producer__title", "commune__title", "entered_by_staff"]
    with translation.override("vi"):
        labels = {channel.value: str(channel.label) for channel in Channel}
        other = labels[Channel.OTHER]
    for values in sales.values_list(*fields).iterator(chunk_size=2000):
        (sold_on, name, quantity, unit, price, amount, channel, detail, note, *extra) = values
        if channel == Channel.OTHER and detail:
            channel_text = f"{other}: {detail}"
        else:
            channel_text = labels.get(channel, channel)
        yield [sold_on, name, quantity, unit, price, amount, channel_text, note, *extra]


def sales_response(sales, *, title: str, fmt: str, with_producer: bool):
    """A download of a sales queryset (see ``sales_for_export``)."""
    return table_response(
        title=title,
        headers=sale_headers(with_producer=with_producer),
        rows=sale_rows(sales, with_producer=with_producer),
        fmt=fmt,
    )
