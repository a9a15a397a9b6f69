"""Exporting sales and tables as CSV and XLSX, the round trip back through the import, and the
import_sales and export_sales commands."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from openpyxl import load_workbook

from producers.revenue import exporting
from producers.revenue.importing import import_commit, import_preview
from producers.revenue.models import Channel, RevenueMonth, Sale
from producers.revenue.services import sale_record
from tests.roles_fixtures import PRODUCER_A_PHONE

from .test_import import EXPECTED_TOTAL, csv_bytes, vi_rows

pytestmark = pytest.mark.django_db


def _sales(farm, user, product):
    """Five sales with the awkward values: a listed product, 1,125 kg, a lump sum, "Khác"."""
    values = [
        {"product": product, "quantity": Decimal("1.125"), "unit_price_vnd": 80_000},
        {"product_name": "Mít, loại 1", "quantity": Decimal("12.5"), "unit_price_vnd": 35_001,
         "channel": Channel.SOCIAL},
        {"product_name": "Bưởi", "quantity": Decimal("3"), "unit_price_vnd": 400_000,
         "amount_vnd": 1_150_000, "channel": Channel.TRADER, "note": "trả góp; 2 lần"},
        {"product_name": "Chuối", "quantity": Decimal("2000"), "unit_price_vnd": 1_500,
         "channel": Channel.OTHER, "channel_detail": "bán ở chợ quê"},
        {"product_name": "Xoài", "quantity": Decimal("0.5"), "unit_price_vnd": 1_000_000_000,
         "channel": Channel.SHOPEE},
    ]
    sales = []
    for day, extra in enumerate(values, start=1):
        fields = {"channel": Channel.MARKET, "unit": "kg", **extra}
        sales.append(sale_record(producer=farm, sold_on=datetime.date(2026, 2, day),
                                 entered_by=user, **fields))
    return sales


def _by_channel(farm):
    return dict(
        RevenueMonth.objects.filter(producer=farm).values_list("channel")
        .annotate(total=Sum("amount_vnd")).order_by()
    )


def _export(farm, fmt):
    buffer = io.BytesIO()
    exporting.table_write(
        buffer, title="ban hang", fmt=fmt,
        headers=exporting.sale_headers(with_producer=False),
        rows=exporting.sale_rows(exporting.sales_for_export(producers=[farm]),
                                 with_producer=False),
    )
    return buffer.getvalue()


def test_csv_export_has_a_bom_the_headers_and_amounts_in_whole_dong(farm_a, producer_a,
                                                                      product_a):
    _sales(farm_a, producer_a, product_a)
    text = _export(farm_a, "csv").decode("utf-8")
    assert text.startswith("\ufeffNgày,Sản phẩm,Số lượng,Đơn vị,Đơn giá (đ),Thành tiền (đ),")
    lines = text.splitlines()
    # 1,125 kg × 80.000 = 90.000 đ; the quantity cannot be read as 1.125 kg in Vietnamese style.
    assert lines[1] == f'01/02/2026,{product_a.title},1.1250,kg,80000,90000,"Chợ, đại lý",'
    assert lines[4] == '04/02/2026,Chuối,2000,kg,1500,3000000,Khác: bán ở chợ quê,'


def test_xlsx_export_has_real_dates_and_numbers(farm_a, producer_a, product_a):
    _sales(farm_a, producer_a, product_a)
    sheet = load_workbook(io.BytesIO(_export(farm_a, "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][5] == "Thành tiền (đ)"
    assert rows[1][0] == datetime.datetime(2026, 2, 1)
    assert rows[2][2] == 12.5 and rows[2][5] == 437_513  # 12,5 × 35.001, rounded half up
    assert sum(row[5] for row in rows[1:]) == 90_000 + 437_513 + 1_150_000 + 3_000_000 + (
        500_000_000
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_again_to_the_same_figures(farm_a, farm_b, producer_a, producer_b,
                                                     product_a, fmt):
    sales = _sales(farm_a, producer_a, product_a)
    data = _export(farm_a, fmt)
    preview = import_commit(producer=farm_b, data=data, filename=f"x.{fmt}",
                            entered_by=producer_b)
    assert preview.errors == [] and preview.imported == 5
    total = 90_000 + 437_513 + 1_150_000 + 3_000_000 + 500_000_000
    assert sum(s.amount_vnd for s in sales) == total
    assert Sale.objects.filter(producer=farm_b).aggregate(t=Sum("amount_vnd"))["t"] == total
    assert _by_channel(farm_b) == _by_channel(farm_a)
    fields = ["sold_on", "quantity", "unit", "unit_price_vnd", "amount_vnd", "channel",
              "channel_detail", "note"]
    assert list(Sale.objects.filter(producer=farm_b).order_by("sold_on").values_list(*fields)) \
        == list(Sale.objects.filter(producer=farm_a).order_by("sold_on").values_list(*fields))
    # Producer A's listed product is free text at producer B's.
    assert Sale.objects.filter(producer=farm_b, product__isnull=False).count() == 0
    assert import_preview(producer=farm_b, data=data, filename=f"x.{fmt}").duplicates == 5


def test_table_response_streams_a_private_csv():
    response = exporting.table_response(
        title="Doanh thu theo tháng", headers=["Tháng", "Thành tiền (đ)"],
        rows=iter([["01/2026", 1_250_000], ["02/2026", None]]), fmt="csv",
    )
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    assert body == "\ufeffTháng,Thành tiền (đ)\r\n01/2026,1250000\r\n02/2026,\r\n"
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert response["Content-Disposition"] == 'attachment; filename="doanh-thu-theo-thang.csv"'


def test_table_response_refuses_an_unknown_format():
    with pytest.raises(ValueError):
        exporting.table_response(title="x", headers=[], rows=[], fmt="pdf")


# --- Commands -----------------------------------------------------------------------------


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_import_command_dry_run_writes_nothing_then_imports_by_phone(farm_a, tmp_path):
    path = tmp_path / "ban.csv"
    path.write_bytes(csv_bytes(vi_rows()))
    code, out, _ = _run("import_sales", str(path), "--producer", PRODUCER_A_PHONE,
                        "--dry-run", "--json")
    assert code == 0
    assert json.loads(out) == {"rows": 3, "imported": 3, "duplicates": 0,
                               "total_vnd": EXPECTED_TOTAL, "errors": []}
    assert not Sale.objects.filter(producer=farm_a).exists()
    code, out, _ = _run("import_sales", str(path), "--producer", "+84 912 345 601", "--json")
    assert code == 0 and json.loads(out)["imported"] == 3
    sales = Sale.objects.filter(producer=farm_a)
    assert sales.aggregate(t=Sum("amount_vnd"))["t"] == EXPECTED_TOTAL
    assert sales.filter(entered_by_staff=True).count() == 3
    code, out, _ = _run("import_sales", str(path), "--producer", str(farm_a.pk), "--json")
    assert code == 0
    assert json.loads(out) == {"rows": 3, "imported": 0, "duplicates": 3,
                               "total_vnd": EXPECTED_TOTAL, "errors": []}


def test_import_command_exits_1_with_the_bad_rows_and_writes_nothing(farm_a, tmp_path):
    rows = vi_rows() + [["32/03/2026", "Mít", "1", "kg", "5.000", "", "", ""]]
    path = tmp_path / "ban.csv"
    path.write_bytes(csv_bytes(rows))
    code, out, _ = _run("import_sales", str(path), "--producer", PRODUCER_A_PHONE, "--json")
    assert code == 1
    result = json.loads(out)
    assert result["imported"] == 0
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(5, "Ngày")]
    assert not Sale.objects.filter(producer=farm_a).exists()
    code, _, err = _run("import_sales", str(path), "--producer", PRODUCER_A_PHONE)
    assert code == 1 and "Dòng 5, cột Ngày" in err


def test_import_command_refuses_an_unreadable_file_and_an_unknown_producer(farm_a, tmp_path):
    path = tmp_path / "anh.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    code, out, _ = _run("import_sales", str(path), "--producer", PRODUCER_A_PHONE, "--json")
    assert code == 1 and json.loads(out)["errors"][0]["row"] is None
    with pytest.raises(CommandError) as unknown:
        call_command("import_sales", str(path), "--producer", "0999999999")
    assert unknown.value.returncode == 2


def test_export_command_by_producer_commune_and_all(farm_a, farm_b, producer_a, producer_b,
                                                    producer_other, product_a, tmp_path):
    _sales(farm_a, producer_a, product_a)
    sale_record(producer=farm_b, product_name="Gạo", sold_on=datetime.date(2026, 3, 1),
                quantity=Decimal(10), unit="kg", unit_price_vnd=20_000,
                channel=Channel.MARKET, entered_by=producer_b)
    from producers.selectors import producer_for_user
    other = producer_for_user(producer_other)
    sale_record(producer=other, product_name="Thanh long", sold_on=datetime.date(2026, 3, 2),
                quantity=Decimal(5), unit="kg", unit_price_vnd=30_000,
                channel=Channel.MARKET, entered_by=producer_other)

    def export(*args, fmt="csv"):
        path = tmp_path / f"out.{fmt}"
        call_command("export_sales", *args, "--format", fmt, "--output", str(path),
                     stdout=io.StringIO())
        if fmt == "xlsx":
            return [r for r in load_workbook(path).active.iter_rows(values_only=True)][1:]
        return path.read_text(encoding="utf-8-sig").splitlines()[1:]

    assert len(export("--producer", PRODUCER_A_PHONE)) == 5
    assert len(export("--producer", PRODUCER_A_PHONE, "--from", "02/02/2026",
                      "--to", "03/02/2026")) == 2
    tanan = export("--commune", "tanan.localhost", fmt="xlsx")
    assert len(tanan) == 6 and {row[8] for row in tanan} == {farm_a.title, farm_b.title}
    everything = export("--all", fmt="xlsx")
    assert len(everything) == 7
    assert sum(row[5] for row in everything) == Sale.objects.aggregate(t=Sum("amount_vnd"))["t"]
    with pytest.raises(CommandError) as unknown:
        export("--commune", "nowhere.localhost")
    assert unknown.value.returncode == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_formula_typed_as_text_stays_text_and_reads_back(farm_a, farm_b, producer_a, fmt):
    formula = '=HYPERLINK("http://example.com","Mít")'
    sale_record(producer=farm_a, product_name="Mít", sold_on=datetime.date(2026, 2, 1),
                quantity=Decimal(1), unit="kg", unit_price_vnd=10_000, channel=Channel.MARKET,
                note=formula, entered_by=producer_a)
    data = _export(farm_a, fmt)
    if fmt == "csv":
        assert f"'{formula}" in data.decode("utf-8-sig").replace('""', '"')
    else:
        cell = load_workbook(io.BytesIO(data)).active["H2"]
        assert (cell.data_type, cell.value) == ("s", formula)
    import_commit(producer=farm_b, data=data, filename=f"x.{fmt}")
    assert Sale.objects.get(producer=farm_b).note == formula
