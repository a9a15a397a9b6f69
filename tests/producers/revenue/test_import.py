"""Importing sales files: the shapes real files come in, bad rows, all-or-nothing, re-import."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook
from wagtail.models import PageLogEntry

from producers.revenue.importing import (
    SALE_IMPORT_ACTION,
    ImportFileError,
    import_commit,
    import_preview,
    match_channel,
)
from producers.revenue.models import Channel, RevenueMonth, RevenueProductYear, Sale

pytestmark = pytest.mark.django_db

# Three sales; amounts worked out by hand: 12,5 × 35.001 = 437.512,5 → 437.513 (half up);
# 3 × 1.250.000 = 3.750.000; the third is a lump sum of 1.200.000 for 2 bao.
EXPECTED_AMOUNTS = [437_513, 3_750_000, 1_200_000]
EXPECTED_TOTAL = 437_513 + 3_750_000 + 1_200_000


def csv_bytes(rows, separator=",", bom=True):
    """CSV as Excel writes it: a cell holding the separator is quoted."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode()


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def vi_rows(header=None):
    return [
        header or ["Ngày", "Sản phẩm", "Số lượng", "Đơn vị", "Đơn giá (đ)", "Thành tiền (đ)",
                   "Kênh bán", "Ghi chú"],
        ["14/03/2026", "Mít Thái", "12,5", "kg", "35.001", "", "Zalo", ""],
        ["15/03/2026", "Bưởi da xanh", "3", "tạ", "1.250.000 đ", "", "thuong lai", "giao tận nơi"],
        ["16/03/2026", "Mít Thái", "2", "bao", "", "1.200.000", "Chợ", ""],
    ]


def _amounts(preview):
    return [sale.amount_vnd for _row, sale in preview.sales]


@pytest.mark.parametrize("separator", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [True, False])
def test_csv_with_any_separator_with_or_without_bom(farm_a, separator, bom):
    preview = import_preview(
        producer=farm_a, data=csv_bytes(vi_rows(), separator, bom), filename="ban-hang.csv"
    )
    assert preview.errors == []
    assert preview.separator == separator
    assert preview.number_style == "vi"
    assert _amounts(preview) == EXPECTED_AMOUNTS
    assert preview.total_vnd == EXPECTED_TOTAL


@pytest.mark.parametrize(
    "header",
    [
        ["Ngay", "San pham", "So luong", "Don vi", "Don gia", "Thanh tien", "Kenh ban", "Ghi chu"],
        ["Date", "Product", "Quantity", "Unit", "Unit price", "Amount", "Channel", "Note"],
        ["NGÀY BÁN", "Tên sản phẩm", "SL", "ĐVT", "Giá bán [VNĐ]", "Thành tiền (VND)",
         "Kênh", "Ghi chú"],
    ],
)
def test_headers_with_or_without_diacritics_english_or_with_units(farm_a, header):
    preview = import_preview(producer=farm_a, data=csv_bytes(vi_rows(header)), filename="a.csv")
    assert preview.errors == []
    assert _amounts(preview) == EXPECTED_AMOUNTS
    assert preview.columns["unit_price"] == header[4]


def test_columns_in_any_order_and_unknown_ones_ignored(farm_a):
    rows = vi_rows()
    order = [7, 6, 5, 4, 3, 2, 1, 0]
    shuffled = [[row[i] for i in order] + ["x"] for row in rows]
    shuffled[0][-1] = "Người mua"
    preview = import_preview(producer=farm_a, data=csv_bytes(shuffled), filename="a.csv")
    assert preview.errors == []
    assert _amounts(preview) == EXPECTED_AMOUNTS
    assert preview.ignored_columns == ["Người mua"]


def test_plain_numbers_and_iso_dates_are_detected_for_the_whole_file(farm_a):
    rows = [
        ["Date", "Product", "Quantity", "Unit", "Unit price", "Amount", "Channel"],
        ["2026-03-14", "Mít Thái", "12.5", "kg", "35001", "", "facebook"],
        ["2026-03-15", "Bưởi", "3", "tạ", "1250000", "", "trader"],
        ["2026-03-16", "Mít Thái", "2", "bao", "", "1200000", "market"],
    ]
    preview = import_preview(producer=farm_a, data=csv_bytes(rows), filename="a.csv")
    assert preview.errors == []
    assert preview.number_style == "plain"
    assert preview.date_formats == ["ymd"]
    assert _amounts(preview) == EXPECTED_AMOUNTS
    assert [s.quantity for _r, s in preview.sales] == [Decimal("12.5"), 3, 2]


def test_a_number_in_the_other_style_is_a_bad_row_not_a_guess(farm_a):
    rows = vi_rows()
    rows[2][2] = "3.5"  # a plain decimal in a file of 1.250.000 and 12,5
    preview = import_preview(producer=farm_a, data=csv_bytes(rows), filename="a.csv")
    assert [(e.row, e.column) for e in preview.errors] == [(3, "Số lượng")]
    assert "3.5" in preview.errors[0].message


def test_xlsx_with_real_dates_and_numbers(farm_a):
    rows = vi_rows()
    rows[1] = [datetime.datetime(2026, 3, 14), "Mít Thái", 12.5, "kg", 35001, None, "Zalo", None]
    rows[2] = [datetime.date(2026, 3, 15), "Bưởi da xanh", 3, "tạ", 1250000, None,
               "Thương lái", "giao tận nơi"]
    rows[3] = ["16/03/2026", "Mít Thái", 2, "bao", None, 1200000, "Chợ", None]
    preview = import_preview(producer=farm_a, data=xlsx_bytes(rows), filename="Sổ bán.xlsx")
    assert preview.errors == []
    assert preview.file_type == "xlsx"
    assert preview.date_formats == ["dmy", "excel"]
    assert [s.sold_on for _r, s in preview.sales] == [
        datetime.date(2026, 3, 14), datetime.date(2026, 3, 15), datetime.date(2026, 3, 16)
    ]
    assert _amounts(preview) == EXPECTED_AMOUNTS


def test_an_excel_date_serial_number_is_read_as_a_date(farm_a):
    rows = vi_rows()
    rows[1][0] = 46095  # 14/03/2026 in Excel's 1900 date system
    preview = import_preview(producer=farm_a, data=xlsx_bytes(rows), filename="a.xlsx")
    assert preview.sales[0][1].sold_on == datetime.date(2026, 3, 14)


@pytest.mark.parametrize(
    "text,channel,detail",
    [
        ("Zalo", Channel.SOCIAL, ""),
        ("facebook", Channel.SOCIAL, ""),
        ("Bán qua Zalo", Channel.SOCIAL, ""),
        ("shopee", Channel.SHOPEE, ""),
        ("thuong lai", Channel.TRADER, ""),
        ("Thương lái", Channel.TRADER, ""),
        ("cho", Channel.MARKET, ""),
        ("Chợ Long Hoa", Channel.MARKET, ""),
        ("Hội chợ Xuân", Channel.FAIR, ""),
        ("Trang sản phẩm, mã QR", Channel.PRODUCT_PAGE, ""),
        ("TikTok Shop", Channel.TIKTOK, ""),
        ("Middleman", Channel.TRADER, ""),
        ("bán cho hàng xóm", Channel.OTHER, "bán cho hàng xóm"),
        ("Khác: người quen", Channel.OTHER, "người quen"),
        ("", Channel.OTHER, ""),
    ],
)
def test_channel_names_and_aliases(text, channel, detail):
    assert match_channel(text) == (channel, detail)


def test_listed_product_matched_by_folded_title_else_free_text(farm_a, product_a):
    rows = vi_rows()
    rows[1][1] = product_a.title.upper()
    rows[3][1] = "<script>"
    preview = import_preview(producer=farm_a, data=csv_bytes(rows), filename="a.csv")
    first = preview.sales[0][1]
    assert first.product == product_a and first.product_name == product_a.title
    assert first.category_id == product_a.category_id
    assert preview.sales[1][1].product is None
    assert preview.sales[1][1].product_name == "Bưởi da xanh"
    assert [(e.row, e.column) for e in preview.errors] == [(4, "Sản phẩm")]


def test_another_producers_product_name_stays_free_text(farm_a, product_b):
    rows = vi_rows()
    rows[1][1] = product_b.title
    preview = import_preview(producer=farm_a, data=csv_bytes(rows), filename="a.csv")
    assert preview.sales[0][1].product is None
    assert preview.sales[0][1].product_name == product_b.title


def test_bad_rows_give_row_number_column_and_reason(farm_a):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    rows = vi_rows() + [
        ["", "", "", "", "", "", "", ""],  # row 5: blank, skipped
        ["17/03/2026", "Mít", "0", "kg", "10.000", "", "", ""],  # row 6
        [tomorrow, "Mít", "1", "kg", "10.000", "", "", ""],  # row 7
        ["31/12/1999", "Mít", "1", "kg", "10.000", "", "", ""],  # row 8
        ["31/02/2026", "Mít", "-1", "kg", "1.000.000.001", "", "", ""],  # row 9
        ["18/03/2026", "Mít", "11", "kg", "1.000.000.000", "", "", ""],  # row 10
        ["18/03/2026", "", "1", "", "", "", "", ""],  # row 11
    ]
    preview = import_preview(producer=farm_a, data=csv_bytes(rows), filename="a.csv")
    found = [(e.row, e.column, e.message) for e in preview.errors]
    assert found == [
        (6, "Số lượng", "Số lượng phải lớn hơn 0."),
        (7, "Ngày", "Ngày bán không được ở tương lai."),
        (8, "Ngày", "Ngày bán phải từ 01/01/2000 trở đi."),
        (9, "Ngày", "Ngày “31/02/2026” không đọc được; viết dạng ngày/tháng/năm, "
                    "ví dụ 25/03/2026."),
        (9, "Số lượng", "Số lượng phải lớn hơn 0."),
        (9, "Đơn giá (đ)", "Đơn giá tối đa 1.000.000.000 đ."),
        (10, "Thành tiền (đ)", "Thành tiền tối đa 10.000.000.000 đ."),
        (11, "Sản phẩm", "Thiếu tên sản phẩm."),
        (11, "Đơn vị", "Thiếu đơn vị."),
        (11, "Đơn giá (đ)", "Cần đơn giá hoặc thành tiền."),
    ]
    assert preview.rows == 9


def test_a_file_with_a_bad_row_imports_nothing(farm_a, producer_a):
    rows = vi_rows() + [["17/03/2026", "Mít", "abc", "kg", "10.000", "", "", ""]]
    preview = import_commit(
        producer=farm_a, data=csv_bytes(rows), filename="a.csv", entered_by=producer_a
    )
    assert [(e.row, e.column) for e in preview.errors] == [(5, "Số lượng")]
    assert not Sale.objects.filter(producer=farm_a).exists()
    assert not RevenueMonth.objects.filter(producer=farm_a).exists()


def test_import_writes_every_row_and_the_rollups(farm_a, producer_a):
    preview = import_commit(
        producer=farm_a, data=csv_bytes(vi_rows()), filename="a.csv", entered_by=producer_a
    )
    assert preview.errors == [] and preview.imported == 3
    sales = Sale.objects.filter(producer=farm_a)
    assert sales.count() == 3
    assert sales.aggregate(total=Sum("amount_vnd"))["total"] == EXPECTED_TOTAL
    assert RevenueMonth.objects.filter(producer=farm_a).aggregate(t=Sum("amount_vnd"))["t"] == (
        EXPECTED_TOTAL
    )
    by_channel = dict(
        RevenueMonth.objects.filter(producer=farm_a).values_list("channel", "amount_vnd")
    )
    assert by_channel == {
        Channel.SOCIAL: 437_513, Channel.TRADER: 3_750_000, Channel.MARKET: 1_200_000
    }
    assert sum(
        amount for row in RevenueProductYear.objects.filter(producer=farm_a)
        for _month, amount, _count in row.months()
    ) == EXPECTED_TOTAL
    lump = sales.get(sold_on=datetime.date(2026, 3, 16))
    assert (lump.amount_vnd, lump.unit_price_vnd) == (1_200_000, 600_000)
    assert not sales.filter(entered_by_staff=True).exists()
    entry = PageLogEntry.objects.get(page=farm_a, action=SALE_IMPORT_ACTION)
    assert entry.data["imported"] == 3 and entry.data["imported_vnd"] == EXPECTED_TOTAL


def test_the_same_file_twice_adds_nothing_the_second_time(farm_a, producer_a):
    rows = vi_rows() + [vi_rows()[1]]  # the same sale twice in one day: both are real
    data = csv_bytes(rows)
    first = import_commit(producer=farm_a, data=data, filename="a.csv", entered_by=producer_a)
    assert (first.imported, first.duplicates) == (4, 0)
    second = import_commit(producer=farm_a, data=data, filename="a.csv", entered_by=producer_a)
    assert (second.imported, second.duplicates) == (0, 4)
    assert Sale.objects.filter(producer=farm_a).count() == 4
    # The same rows saved as XLSX with another layout are the same sales.
    xlsx = xlsx_bytes([[c or None for c in row] for row in rows])
    third = import_preview(producer=farm_a, data=xlsx, filename="b.xlsx")
    assert (third.imported, third.duplicates) == (0, 4)


def test_a_longer_file_adds_only_its_new_rows(farm_a, producer_a):
    import_commit(producer=farm_a, data=csv_bytes(vi_rows()[:3]), filename="a.csv",
                  entered_by=producer_a)
    later = import_commit(producer=farm_a, data=csv_bytes(vi_rows()), filename="a.csv",
                          entered_by=producer_a)
    assert (later.imported, later.duplicates) == (1, 2)
    assert Sale.objects.filter(producer=farm_a).aggregate(t=Sum("amount_vnd"))["t"] == (
        EXPECTED_TOTAL
    )


def test_queries_do_not_grow_with_the_rows(farm_a, farm_b, producer_a):
    def rows(count):
        return [vi_rows()[0]] + [
            [f"{1 + i % 28:02d}/0{1 + i % 3}/2026", "Mít", str(1 + i), "kg", "10.000", "",
             "Zalo", ""] for i in range(count)
        ]

    counts = []
    for farm, count in ((farm_a, 5), (farm_b, 120)):
        with CaptureQueriesContext(connection) as queries:
            preview = import_commit(producer=farm, data=csv_bytes(rows(count)),
                                    filename=f"{count}.csv", entered_by=producer_a)
        assert preview.imported == count
        sql = [q["sql"] for q in queries.captured_queries]
        # bulk_create splits its INSERT only by the database's limit of variables per query.
        inserts = [q for q in sql if q.startswith('INSERT INTO "producers_sale"')]
        assert len(inserts) <= 1 + count // 50
        counts.append(len(sql) - len(inserts))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "data,filename,message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "anh.csv", "UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "anh.xlsx", "không phải bảng tính XLSX"),
        (b"PK\x03\x04not really a zip", "hong.xlsx", "Không mở được bảng tính"),
        ("Tên;Tuổi\nAn;3\n".encode(), "a.csv", "Thiếu cột: Ngày, Sản phẩm, Số lượng"),
        (b"", "a.csv", "rỗng"),
        ("Ngày,Sản phẩm,Số lượng,Đơn giá\n".encode(), "a.csv", "không có lần bán"),
        (b"x" * (5 * 1024 * 1024 + 1), "big.csv", "5 MB"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(farm_a, data, filename, message):
    with pytest.raises(ImportFileError) as refused:
        import_preview(producer=farm_a, data=data, filename=filename)
    assert message in str(refused.value)


def test_an_unquoted_decimal_comma_in_a_comma_file_is_named_as_such(farm_a):
    data = ("Ngày,Sản phẩm,Số lượng,Đơn vị,Đơn giá\n"
            "14/03/2026,Mít,12,5,kg,35.001\n"
            "15/03/2026,Mít,3,kg,35.001\n").encode()
    preview = import_preview(producer=farm_a, data=data, filename="a.csv")
    assert preview.errors[-1].row == 2 and preview.errors[-1].column == "(cả dòng)"
    assert "ngoặc kép" in preview.errors[-1].message
    assert {e.row for e in preview.errors} == {2}
