"""Importing sales from the CSV and XLSX files producers and cooperatives really keep.

``import_preview`` reads a file, validates every row as a recorded sale would be validated
(``Sale.full_clean()``) and reports each bad row with its spreadsheet row number (the header
is row 1), the column as written in the file, and the reason. ``import_commit`` does the same
inside one transaction and writes all the rows or none. Each row carries an ``import_key``, a
digest of its normalised values and of how many identical rows came before it in the file, so
importing the same file twice adds nothing the second time.

What a file may look like:

- CSV in UTF-8 with or without BOM (or Excel's UTF-16 "Unicode text"), separated by comma,
  semicolon or tab; or an XLSX workbook (its first sheet).
- Headers in any order, Vietnamese with or without diacritics or English, with or without a
  unit in brackets ("Đơn giá (đ)"). Columns nobody knows are ignored and listed in the preview.
- Dates as dd/mm/yyyy, yyyy-mm-dd or real Excel dates.
- Numbers in Vietnamese style (``1.250.000``, ``1.250.000 đ``, ``12,5``) or plain
  (``1250000``, ``12.5``), one style for the whole file, decided from the unambiguous numbers.
"""

import csv
import datetime
import functools
import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from products.models import ProductPage
from products.search import fold as _fold_uncached

from ..models import ProducerPage
from ..selectors import commune_of_page
from .models import Channel, Sale, month_start, sale_amount
from .services import _lock_producer, product_key, revenue_rollup_refresh

SALE_IMPORT_ACTION = "revenue.sale.import"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000

# Field → the header the file format uses (and the exports write).
COLUMN_TITLES = {
    "sold_on": "Ngày",
    "product": "Sản phẩm",
    "quantity": "Số lượng",
    "unit": "Đơn vị",
    "unit_price": "Đơn giá",
    "amount": "Thành tiền",
    "channel": "Kênh bán",
    "note": "Ghi chú",
}
# Folded header spellings, Vietnamese and English, for each field.
HEADER_NAMES = {
    "sold_on": ["ngay", "ngay ban", "ngay thang", "date", "sale date", "sold on", "day"],
    "product": ["san pham", "ten san pham", "ten hang", "mat hang", "hang hoa", "product",
                "product name", "item"],
    "quantity": ["so luong", "sl", "khoi luong", "quantity", "qty"],
    "unit": ["don vi", "don vi tinh", "dvt", "unit"],
    "unit_price": ["don gia", "gia", "gia ban", "unit price", "price"],
    "amount": ["thanh tien", "so tien", "tong tien", "doanh thu", "amount", "total"],
    "channel": ["kenh ban", "kenh", "kenh ban hang", "noi ban", "channel", "sales channel"],
    "note": ["ghi chu", "note", "notes", "comment"],
}
REQUIRED_FIELDS = ("sold_on", "product", "quantity")

# Folded names and obvious aliases of each channel, besides its labels in both languages.
CHANNEL_ALIASES = {
    Channel.FARM: ["tai vuon", "tai co so", "tai nha", "ban tai vuon", "vuon", "farm",
                   "at the farm", "farm gate"],
    Channel.MARKET: ["cho", "dai ly", "tap hoa", "sieu thi", "market", "agent", "shop"],
    Channel.TRADER: ["thuong lai", "lai buon", "nguoi buon", "trader", "middleman"],
    Channel.FAIR: ["hoi cho", "trien lam", "fair", "exhibition", "trade fair"],
    Channel.PRODUCT_PAGE: ["trang san pham", "ma qr", "qr", "website", "web", "product page"],
    Channel.SOCIAL: ["zalo", "facebook", "fb", "messenger", "mang xa hoi", "social",
                     "social media"],
    Channel.POSTMART: ["postmart", "buu dien"],
    Channel.VOSO: ["voso"],
    Channel.SHOPEE: ["shopee"],
    Channel.TIKTOK: ["tiktok", "tik tok", "tiktok shop"],
    Channel.ECOMMERCE_OTHER: ["lazada", "tiki", "sendo", "san tmdt", "thuong mai dien tu",
                              "e-commerce", "ecommerce", "marketplace"],
    Channel.OTHER: ["khac", "other"],
}
_BRAND_ALIASES = frozenset(
    {"zalo", "facebook", "messenger", "shopee", "tiktok", "lazada", "tiki", "sendo", "postmart",
     "voso"}
)
_MARKET_WORD = re.compile(r"(^|\W)chợ($|\W)")
# An exported "Khác" sale with a description reads "Khác: <description>".
OTHER_PREFIXES = ("khac:", "other:")

NUMBER_STYLE_VI = "vi"
NUMBER_STYLE_PLAIN = "plain"
NUMBER_STYLE_LABELS = {
    NUMBER_STYLE_VI: gettext_lazy("kiểu Việt Nam (1.250.000 và 12,5)"),
    NUMBER_STYLE_PLAIN: gettext_lazy("kiểu thường (1250000 và 12.5)"),
}
SEPARATOR_LABELS = {
    ",": gettext_lazy("dấu phẩy"),
    ";": gettext_lazy("dấu chấm phẩy"),
    "\t": gettext_lazy("dấu tab"),
}
DATE_FORMAT_LABELS = {
    "dmy": "dd/mm/yyyy",
    "ymd": "yyyy-mm-dd",
    "excel": gettext_lazy("ngày của Excel"),
}

_CURRENCY = re.compile(r"\s*(đồng|dong|vnđ|vnd|đ|₫|d)\s*$", re.IGNORECASE)
_VI_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_DIGITS = re.compile(r"^\d+$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_BRACKETS = re.compile(r"[\(\[].*?[\)\]]")


# A file repeats the same products, units, channels and notes row after row.
fold = functools.lru_cache(maxsize=8192)(_fold_uncached)


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too big): nothing imported."""


@dataclass
class RowError:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class ImportPreview:
    """What a file would import: every valid sale, every bad row, and what was detected."""

    filename: str = ""
    file_type: str = ""
    separator: str = ""
    number_style: str = ""
    date_formats: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # field → header as written in the file
    ignored_columns: list = field(default_factory=list)
    sales: list = field(default_factory=list)  # (row number, unsaved Sale)
    errors: list = field(default_factory=list)
    duplicates: int = 0
    imported: int = 0
    committed: bool = False

    @property
    def rows(self) -> int:
        return len(self.sales) + len({e.row for e in self.errors if e.row is not None})

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_vnd(self) -> int:
        return sum(sale.amount_vnd for _row, sale in self.sales)

    @property
    def new_sales(self) -> list:
        return [sale for _row, sale in self.sales if not getattr(sale, "is_duplicate", False)]

    @property
    def new_total_vnd(self) -> int:
        return sum(sale.amount_vnd for sale in self.new_sales)

    @property
    def separator_label(self) -> str:
        return str(SEPARATOR_LABELS.get(self.separator, "")) if self.separator else ""

    @property
    def number_style_label(self) -> str:
        return str(NUMBER_STYLE_LABELS.get(self.number_style, ""))

    @property
    def date_format_labels(self) -> list:
        return [str(DATE_FORMAT_LABELS[f]) for f in self.date_formats]

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "total_vnd": self.total_vnd,
            "errors": [error.as_dict() for error in self.errors],
        }


# --- Reading the file -------------------------------------------------------------------


def _norm_header(text) -> str:
    text = _BRACKETS.sub(" ", str(text or ""))
    text = fold(text).replace("_", " ").replace(".", " ").replace(":", " ")
    return re.sub(r"\s+", " ", text).strip(" *#-")


_HEADER_LOOKUP = {name: key for key, names in HEADER_NAMES.items() for name in names}


def _match_headers(header: list) -> tuple[dict, list, list]:
    """Map fields to column indexes; return (mapping, ignored headers, duplicated fields)."""
    mapping, ignored, duplicated = {}, [], []
    for index, title in enumerate(header):
        key = _HEADER_LOOKUP.get(_norm_header(title))
        if key is None:
            if str(title or "").strip():
                ignored.append(str(title).strip())
        elif key in mapping:
            duplicated.append(key)
        else:
            mapping[key] = index
    return mapping, ignored, duplicated


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data[:4096]:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    raise ImportFileError(
        _("Không đọc được tệp: tệp phải là CSV lưu dạng UTF-8 hoặc bảng tính XLSX. "
          "Trong Excel, chọn Lưu thành “CSV UTF-8” hoặc “Sổ làm việc Excel (.xlsx)”.")
    )


def _csv_rows(data: bytes) -> tuple[str, list]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    best, best_score = ",", -1
    for separator in (",", ";", "\t"):
        header = next(csv.reader([first_line], delimiter=separator), [])
        mapping = _match_headers(header)[0]
        score = len(mapping) * 10 + len(header) / 100
        if score > best_score:
            best, best_score = separator, score
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=best))
    return best, rows


def _xlsx_rows(data: bytes) -> list:
    from openpyxl import load_workbook  # only imports need it; keep it off the startup path

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001  (any damaged or renamed file: a message, not a 500)
        raise ImportFileError(
            _("Không mở được bảng tính XLSX này (tệp hỏng, hoặc không phải XLSX).")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(data: bytes, filename: str) -> tuple[str, str, list]:
    """The file's rows as lists of cells: (file type, separator, rows). Raises ImportFileError."""
    if not data:
        raise ImportFileError(_("Tệp rỗng."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("Tệp lớn hơn 5 MB; hãy chia thành nhiều tệp nhỏ hơn."))
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx", "", _xlsx_rows(data)
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            _("Tệp có đuôi .xlsx nhưng không phải bảng tính XLSX (tệp hỏng hoặc bị đổi tên).")
        )
    if name.endswith((".xls", ".ods", ".numbers", ".pdf", ".doc", ".docx")):
        raise ImportFileError(
            _("Chỉ nhận tệp CSV hoặc XLSX. Hãy lưu lại bảng tính dạng .xlsx hoặc CSV UTF-8.")
        )
    separator, rows = _csv_rows(data)
    return "csv", separator, rows


# --- Cells ------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # NFC: files saved on a Mac may spell "ợ" as "o" plus two combining marks.
    text = unicodedata.normalize("NFC", str(value)).strip()
    # An export writes "'=..." so that Excel keeps it as text (exporting.FORMULA_STARTS).
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def _number_token(value: str) -> str:
    return _CURRENCY.sub("", value.replace("\u00a0", " ")).replace(" ", "")


@functools.lru_cache(maxsize=8192)
def _style_evidence(token: str) -> str | None:
    """Which number style an unambiguous token proves, or None."""
    if _DIGITS.match(token):
        return None
    if _VI_THOUSANDS.match(token):
        # "1.250" alone could be either; two groups, or a decimal comma after them, cannot.
        return NUMBER_STYLE_VI if token.count(".") > 1 or "," in token else None
    if _PLAIN_THOUSANDS.match(token):
        return NUMBER_STYLE_PLAIN if token.count(",") > 1 or "." in token else None
    if re.match(r"^\d+,\d+$", token):
        return NUMBER_STYLE_VI
    if re.match(r"^\d+\.\d+$", token):
        return NUMBER_STYLE_PLAIN
    return None


def decide_number_style(tokens) -> str:
    """The style most unambiguous numbers show; Vietnamese when none says."""
    votes = Counter(filter(None, (_style_evidence(t) for t in tokens)))
    if votes[NUMBER_STYLE_PLAIN] > votes[NUMBER_STYLE_VI]:
        return NUMBER_STYLE_PLAIN
    return NUMBER_STYLE_VI


def parse_number(value, style: str) -> Decimal:
    """A cell as a Decimal, read in the file's number style. Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    token = _number_token(str(value))
    negative = token.startswith("-")
    token = token.lstrip("-+")
    if style == NUMBER_STYLE_VI:
        if not re.match(r"^(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$", token):
            raise ValueError
        token = token.replace(".", "").replace(",", ".")
    else:
        if not re.match(r"^(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$", token):
            raise ValueError
        token = token.replace(",", "")
    try:
        number = Decimal(token)
    except InvalidOperation as error:
        raise ValueError from error
    return -number if negative else number


def parse_date(value) -> tuple[datetime.date, str]:
    """A cell as a date and the format it was in ("dmy", "ymd", "excel"). Raises ValueError."""
    if isinstance(value, datetime.datetime):
        return value.date(), "excel"
    if isinstance(value, datetime.date):
        return value, "excel"
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if not 1 <= value < 2_958_466:
            raise ValueError
        return from_excel(value).date(), "excel"
    text = _text(value)
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000
        return datetime.date(year, month, day), "dmy"
    match = _YMD.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return datetime.date(year, month, day), "ymd"
    raise ValueError


def _match_key(text: str) -> str:
    return re.sub(r"[\s,/&+\-_.()]+", " ", fold(text)).strip()


def _channel_table() -> list:
    """(folded alias, channel) pairs, longest first, so "hội chợ" wins over "chợ"."""
    pairs = {}
    for channel, aliases in CHANNEL_ALIASES.items():
        for alias in aliases:
            pairs[_match_key(alias)] = channel
    for channel in Channel:
        pairs.setdefault(_match_key(channel.value), channel)
        pairs.setdefault(_match_key(str(channel.label)), channel)
        with translation.override("en"):
            pairs.setdefault(_match_key(str(channel.label)), channel)
    return sorted(pairs.items(), key=lambda pair: -len(pair[0]))


def match_channel(text: str, table: list | None = None) -> tuple[str, str]:
    """(channel, detail): a known channel by name or alias, else "Khác" with the text kept."""
    text = (text or "").strip()
    if not text:
        return Channel.OTHER, ""
    folded = fold(text).strip()
    for prefix in OTHER_PREFIXES:
        if folded.startswith(prefix):
            return Channel.OTHER, text[len(prefix):].strip()[:100]
    key = _match_key(text)
    table = table if table is not None else _channel_table()
    for alias, channel in table:
        if key == alias:
            return channel, ""
    # Inside longer text only names that cannot mean anything else: "bán qua Zalo" is
    # Zalo, but "cho" alone is also the word "for" once diacritics are gone.
    padded = f" {key} "
    for alias, channel in table:
        distinctive = " " in alias or alias in _BRAND_ALIASES
        if distinctive and channel != Channel.OTHER and f" {alias} " in padded:
            return channel, ""
    if _MARKET_WORD.search(text.lower()):
        return Channel.MARKET, ""
    return Channel.OTHER, text[:100]


# --- Validation -------------------------------------------------------------------------

# Sale field → the file's field, to put a model error in the column the user typed.
_ERROR_FIELDS = {
    "sold_on": "sold_on",
    "product": "product",
    "product_name": "product",
    "quantity": "quantity",
    "unit": "unit",
    "unit_price_vnd": "unit_price",
    "amount_vnd": "amount",
    "channel": "channel",
    "channel_detail": "channel",
    "note": "note",
}
# Foreign keys are set from objects loaded once per file: checking them again would cost a
# query per row.
# The others are set here from known-good values (a Channel member, flags, keys).
_TRUSTED_FIELDS = [
    "id", "producer", "commune", "product", "category", "entered_by", "channel",
    "entered_by_staff", "entered_at", "updated_at", "submission_key", "import_key",
]


def _row_digest(sale: Sale) -> str:
    parts = [
        sale.sold_on.isoformat(),
        product_key(sale.product_id, sale.product_name),
        f"{Decimal(sale.quantity).normalize():f}",
        fold(sale.unit).strip(),
        str(sale.unit_price_vnd),
        str(sale.amount_vnd),
        sale.channel,
        fold(sale.channel_detail).strip(),
        fold(sale.note).strip(),
    ]
    return "\x1f".join(parts)


def import_preview(
    *,
    producer: ProducerPage,
    data: bytes,
    filename: str = "",
    entered_by=None,
    entered_by_staff: bool = False,
) -> ImportPreview:
    """Read and validate a file of sales for ``producer``; nothing is written.

    Raises ``ImportFileError`` when the file as a whole cannot be read. Bad rows are listed
    in ``errors``; rows already imported (same ``import_key``) are counted in ``duplicates``.
    """
    preview = ImportPreview(filename=filename)
    preview.file_type, preview.separator, rows = read_table(data, filename)
    while rows and not any(_text(cell) for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFileError(_("Tệp không có dòng nào."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(
            _("Tệp có hơn %(max)s dòng; hãy chia thành nhiều tệp.") % {"max": f"{MAX_ROWS:,}"}
        )
    header = rows[0]
    mapping, preview.ignored_columns, duplicated = _match_headers(header)
    if duplicated:
        raise ImportFileError(
            _("Cột “%(column)s” xuất hiện hai lần ở dòng tiêu đề.")
            % {"column": COLUMN_TITLES[duplicated[0]]}
        )
    missing = [key for key in REQUIRED_FIELDS if key not in mapping]
    if "unit_price" not in mapping and "amount" not in mapping:
        missing.append("unit_price")
    if missing:
        found = ", ".join(_text(h) for h in header if _text(h)) or "—"
        raise ImportFileError(
            _("Dòng 1 phải là dòng tiêu đề. Thiếu cột: %(missing)s. Các cột tìm thấy: %(found)s.")
            % {"missing": ", ".join(COLUMN_TITLES[k] for k in missing), "found": found}
        )
    preview.columns = {key: _text(header[index]) or COLUMN_TITLES[key]
                       for key, index in mapping.items()}

    def cell(row, key):
        index = mapping.get(key)
        return row[index] if index is not None and index < len(row) else None

    column_order = {preview.columns[key]: index for key, index in mapping.items()}

    numeric_keys = [k for k in ("quantity", "unit_price", "amount") if k in mapping]
    preview.number_style = decide_number_style(
        _number_token(value)
        for row in rows[1:]
        for key in numeric_keys
        if isinstance(value := cell(row, key), str)
    )

    products = {}
    for product in ProductPage.objects.child_of(producer).order_by("-path").only(
        "pk", "title", "path", "depth", "category_id", "price_unit"
    ):
        products[fold(product.title).strip()] = product  # the first by path wins
    commune = commune_of_page(producer)
    channels = _channel_table()
    channel_cache = {}
    date_formats = set()
    occurrences = Counter()

    for number, row in enumerate(rows[1:], start=2):
        if not any(_text(value) for value in row):
            continue
        errors = []

        def bad(key, message, errors=errors, number=number):
            errors.append(RowError(number, preview.columns.get(key, COLUMN_TITLES[key]),
                                   message))

        sold_on = None
        raw_date = cell(row, "sold_on")
        if not _text(raw_date):
            bad("sold_on", _("Thiếu ngày bán."))
        else:
            try:
                sold_on, date_format = parse_date(raw_date)
                date_formats.add(date_format)
            except (ValueError, OverflowError):
                bad("sold_on", _("Ngày “%(value)s” không đọc được; viết dạng ngày/tháng/năm, "
                                 "ví dụ 25/03/2026.") % {"value": _text(raw_date)})

        def number_of(key, label_missing, row=row, number_style=preview.number_style):
            raw = cell(row, key)
            if not _text(raw):
                if label_missing:
                    bad(key, label_missing)
                return None
            try:
                return parse_number(raw, number_style)
            except ValueError:
                bad(key, _("“%(value)s” không phải là số (%(style)s).")
                    % {"value": _text(raw), "style": preview.number_style_label})
                return None

        def whole_dong(key, value):
            if value is None:
                return None
            if value != value.to_integral_value():
                bad(key, _("Số tiền phải là số đồng nguyên."))
                return None
            if value < 0:
                bad(key, _("Số tiền không được âm."))
                return None
            return int(value)

        quantity = number_of("quantity", _("Thiếu số lượng."))
        unit_price = whole_dong("unit_price", number_of("unit_price", None))
        amount = whole_dong("amount", number_of("amount", None))
        if unit_price is None and amount is None and not any(
            e.column in (preview.columns.get("unit_price"), preview.columns.get("amount"))
            for e in errors
        ):
            bad("unit_price" if "unit_price" in mapping else "amount",
                _("Cần đơn giá hoặc thành tiền."))
        if quantity is not None:
            try:
                exact = quantity.quantize(Decimal("0.001"))
            except InvalidOperation:
                exact = None
            if exact is None or exact != quantity or abs(exact) >= 10**11:
                bad("quantity", _("Số lượng quá lớn hoặc có hơn 3 chữ số sau dấu phẩy."))
                quantity = None
            else:
                quantity = exact
        if unit_price is None and amount is not None and quantity:
            # A lump sum without a unit price: the price per unit, rounded half up.
            unit_price = sale_amount(Decimal(amount) / quantity, 1) if quantity > 0 else 0

        name = _text(cell(row, "product"))
        product = products.get(fold(name).strip()) if name else None
        if not name:
            bad("product", _("Thiếu tên sản phẩm."))
        unit = _text(cell(row, "unit"))
        if not unit and product is not None:
            unit = product.price_unit
        if not unit:
            bad("unit", _("Thiếu đơn vị."))
        channel_text = _text(cell(row, "channel"))
        if channel_text not in channel_cache:
            channel_cache[channel_text] = match_channel(channel_text, channels)
        channel, channel_detail = channel_cache[channel_text]
        note = _text(cell(row, "note"))

        sale = Sale(
            producer=producer,
            commune=commune,
            product=product,
            product_name=product.title if product else name,
            category_id=product.category_id if product else None,
            sold_on=sold_on,
            quantity=quantity,
            unit=unit[:30],
            unit_price_vnd=unit_price,
            amount_vnd=amount if amount is not None else (
                sale_amount(quantity, unit_price)
                if quantity is not None and quantity > 0 and unit_price is not None else None
            ),
            channel=channel,
            channel_detail=channel_detail,
            note=note,
            entered_by=entered_by,
            entered_by_staff=entered_by_staff,
        )
        if len(unit) > 30:
            bad("unit", _("Đơn vị dài tối đa 30 ký tự."))
        if len(note) > 500:
            bad("note", _("Ghi chú dài tối đa 500 ký tự."))
        if len(name) > 200:
            bad("product", _("Tên sản phẩm dài tối đa 200 ký tự."))
        # The model's own rules for every value that could be read; one reason per column.
        unread = [f for f in ("sold_on", "quantity", "unit_price_vnd", "amount_vnd")
                  if getattr(sale, f) is None]
        try:
            sale.full_clean(
                exclude=_TRUSTED_FIELDS + unread, validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            reported = {e.column for e in errors}
            for key, messages in error.message_dict.items():
                column_key = _ERROR_FIELDS.get(key, "product")
                if preview.columns.get(column_key, COLUMN_TITLES[column_key]) not in reported:
                    bad(column_key, messages[-1])  # the rule of Sale.clean(), if any
        if len(row) > len(header) and any(_text(value) for value in row[len(header):]):
            # Typically "12,5" unquoted in a comma-separated file: every later cell shifted.
            errors.append(RowError(number, _("(cả dòng)"), _(
                "Dòng có nhiều ô hơn dòng tiêu đề. Số có dấu phẩy (12,5) phải nằm trong "
                "ngoặc kép, hoặc lưu tệp với dấu chấm phẩy phân cách."
            )))
        if errors:
            errors.sort(key=lambda e: column_order.get(e.column, len(header)))
            preview.errors.extend(errors)
            continue
        digest = _row_digest(sale)
        occurrences[digest] += 1
        sale.import_key = hashlib.sha256(
            f"{digest}\x1e{occurrences[digest]}".encode()
        ).hexdigest()
        preview.sales.append((number, sale))

    order = ["dmy", "ymd", "excel"]
    preview.date_formats = [f for f in order if f in date_formats]
    if not preview.sales and not preview.errors:
        raise ImportFileError(_("Tệp chỉ có dòng tiêu đề, không có lần bán nào."))
    _mark_duplicates(producer, preview)
    return preview


def _mark_duplicates(producer: ProducerPage, preview: ImportPreview) -> None:
    keys = [sale.import_key for _row, sale in preview.sales]
    existing = set()
    for start in range(0, len(keys), 900):  # under SQLite's limit of variables per query
        existing.update(
            Sale.objects.filter(producer=producer, import_key__in=keys[start:start + 900])
            .values_list("import_key", flat=True)
        )
    for _row, sale in preview.sales:
        sale.is_duplicate = sale.import_key in existing
    preview.duplicates = sum(1 for _row, sale in preview.sales if sale.is_duplicate)
    preview.imported = len(preview.sales) - preview.duplicates


@transaction.atomic
def import_commit(
    *,
    producer: ProducerPage,
    data: bytes,
    filename: str = "",
    entered_by=None,
    entered_by_staff: bool = False,
) -> ImportPreview:
    """Import a file of sales for ``producer``: every new row, or none when any row is bad.

    Validates again under the producer's lock (so two confirmations of one file import it
    once), writes the new sales in bulk, rebuilds the roll-ups of the months they touch once,
    and leaves one ``revenue.sale.import`` entry in the audit log. Returns the preview with
    ``committed`` set; when it has errors nothing was written.
    """
    _lock_producer(producer)
    preview = import_preview(
        producer=producer, data=data, filename=filename, entered_by=entered_by,
        entered_by_staff=entered_by_staff,
    )
    if preview.errors:
        return preview
    new_sales = preview.new_sales
    if new_sales:
        Sale.objects.bulk_create(new_sales, batch_size=500)
        revenue_rollup_refresh(
            producer_id=producer.pk, months={month_start(s.sold_on) for s in new_sales}
        )
        log(instance=producer, action=SALE_IMPORT_ACTION, user=entered_by, data={
            "filename": filename[:200],
            "rows": preview.rows,
            "imported": preview.imported,
            "duplicates": preview.duplicates,
            "imported_vnd": preview.new_total_vnd,
            "entered_by_staff": entered_by_staff,
        })
    preview.committed = True
    return preview


def producer_lookup(phone_or_id: str) -> ProducerPage | None:
    """The producer of the account with this login phone, or the producer page with this id."""
    from ..models import ProducerAccount, normalise_phone

    value = (phone_or_id or "").strip()
    phone = normalise_phone(value)
    if phone:
        account = (
            ProducerAccount.objects.filter(user__username=phone).select_related("producer").first()
        )
        if account is not None:
            return account.producer
    if value.isdigit():
        return ProducerPage.objects.filter(pk=int(value)).first()
    return None
