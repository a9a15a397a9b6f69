"""The pilot report: its indicators against counts made here, and its page, PDF and XLSX."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from producers.models import ProducerCertification, ProducerPage
from producers.revenue.models import DIGITAL_CHANNELS, Channel, Sale
from producers.revenue.services import baseline_set, sale_record
from products.models import Batch, Certification, ProductCertification, ProductPage, Scan
from products.templatetags.products_tags import vnd
from tests.products.label_pdf_tools import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db

YEAR = {"from": "01/2025", "to": "12/2025"}
MONEY = "Thành tiền (đ)"


def sell(producer, user, day, price, channel=Channel.FARM, name="Mít"):
    return sale_record(
        producer=producer, product=None, product_name=name, sold_on=day,
        quantity=Decimal(1), unit="kg", unit_price_vnd=price, channel=channel, entered_by=user,
    )


def get(client, user, **query):
    client.force_login(user)
    return client.get(reverse("revenue_report"), query)


def sheets(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def sheet_starting(book, prefix):
    return next(rows for title, rows in book.items() if title.startswith(prefix))


def by_first_cell(rows):
    return {row[0]: row for row in rows[1:]}


@pytest.fixture
def pilot(tanan, cangiuoc, tamvu, farm_a, farm_b, superuser, staff_x):
    """Sales of two Tân An and three Cần Giuộc producers, a baseline, scans, certificates."""
    sell(farm_a, superuser, datetime.date(2025, 3, 5), 100_000, Channel.SHOPEE)
    sell(farm_b, superuser, datetime.date(2025, 4, 6), 250_000)
    for i, producer in enumerate(
        ProducerPage.objects.descendant_of(cangiuoc).order_by("path")[:3]
    ):
        sell(producer, superuser, datetime.date(2025, 5, 1 + i), 40_000 * (i + 1),
             Channel.SOCIAL if i else Channel.MARKET)
    sell(farm_a, superuser, datetime.date(2024, 12, 31), 999_999)  # before the period
    baseline_set(producer=farm_b, reference_year=2020, yearly_vnd=1_200_000, user=staff_x)

    product = ProductPage.objects.descendant_of(tanan).live().order_by("path").first()
    inside = timezone.make_aware(datetime.datetime(2025, 6, 1, 0, 30))
    outside = timezone.make_aware(datetime.datetime(2024, 12, 31, 23, 30))
    for when in (inside, inside, outside):
        Scan.objects.create(product=product, scanned_at=when, device="mobile", in_app="none")

    today = timezone.localdate()
    ProductCertification.objects.filter(page__in=ProductPage.objects.descendant_of(tanan)).update(
        expires_on=None
    )
    ProducerCertification.objects.filter(page__in=ProducerPage.objects.descendant_of(tanan)
                                         ).update(expires_on=None)
    ProductPage.objects.descendant_of(tanan).update(ocop_expires_on=None)
    certification = Certification.objects.order_by("pk").first()
    ProducerCertification.objects.create(
        page=farm_a, certification=certification, expires_on=today + datetime.timedelta(days=30)
    )
    ProducerCertification.objects.create(
        page=farm_b, certification=certification, expires_on=today + datetime.timedelta(days=120)
    )
    return Sale.objects.filter(sold_on__year=2025)


def test_report_indicators_equal_counts_made_from_the_rows(client, staff_x, tanan, farm_a,
                                                           farm_b, pilot):
    book = sheets(get(client, staff_x, commune=tanan.pk, format="xlsx", **YEAR))
    producers = by_first_cell(sheet_starting(book, "Nhà sản xuất"))[tanan.title]
    live = ProductPage.objects.descendant_of(tanan).live()
    assert producers[1:] == [
        ProducerPage.objects.descendant_of(tanan).live().count(),
        # Onboarded by the end of the period: an account opened by then, a baseline or a
        # sale. The demo accounts were opened today, so A and B count by their sales.
        ProducerPage.objects.descendant_of(tanan).live()
        .filter(
            Q(accounts__created_at__date__lte=datetime.date(2025, 12, 31))
            | Q(revenue_baseline__isnull=False)
            | Q(sales__sold_on__lte=datetime.date(2025, 12, 31))
        )
        .distinct().count(),
        live.count(),
        live.exclude(short_code__isnull=True).exclude(short_code="").count(),
        live.filter(pk__in=Batch.objects.values("product_id")).count(),
        2,
    ]

    revenue = by_first_cell(sheet_starting(book, "Doanh thu"))[tanan.title]
    header = sheet_starting(book, "Doanh thu")[0]
    sales = list(pilot.filter(commune=tanan))
    total = sum(s.amount_vnd for s in sales)
    assert revenue[header.index(MONEY)] == total == 350_000
    assert revenue[2] == 2
    # Growth: producer B's 250.000 đ against the 12 months of its 1.200.000 đ year.
    assert revenue[header.index(MONEY) + 1] == round((250_000 - 1_200_000) * 100 / 1_200_000, 1)
    digital = sum(s.amount_vnd for s in sales if s.channel in DIGITAL_CHANNELS)
    assert revenue[header.index(MONEY) + 2] == round(digital * 100 / total, 1)

    ocop = by_first_cell(sheet_starting(book, "Sản phẩm OCOP"))[tanan.title]
    assert ocop[1:4] == [live.filter(ocop_stars=stars).count() for stars in (3, 4, 5)]

    certificates = sheet_starting(book, "Chứng nhận")[1:]
    assert [row[1] for row in certificates] == [farm_a.title]
    assert certificates[0][3].date() == timezone.localdate() + datetime.timedelta(days=30)


@pytest.mark.system  # reads the PDF back with poppler
def test_report_of_the_three_demo_communes_opens_as_page_pdf_and_xlsx(
    client, superuser, tanan, cangiuoc, tamvu, pilot
):
    titles = [tanan.title, cangiuoc.title, tamvu.title]
    page = get(client, superuser, **YEAR)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Báo cáo thí điểm" in body and all(title in body for title in titles)
    assert "@media print" not in body and "revenue-report.css" in body

    pdf = get(client, superuser, format="pdf", **YEAR)
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Báo cáo thí điểm" in text
    assert all(title in text for title in titles)
    assert vnd(sum(s.amount_vnd for s in pilot)) in text
    assert "DejaVuSans" in pdf_fonts(pdf.content)

    book = sheets(get(client, superuser, format="xlsx", **YEAR))
    revenue = sheet_starting(book, "Doanh thu")
    money = revenue[0].index(MONEY)
    rows = by_first_cell(revenue)
    assert [rows[title][money] for title in titles] == [
        sum(s.amount_vnd for s in pilot.filter(commune=commune))
        for commune in (tanan, cangiuoc, tamvu)
    ]
    assert rows["Tổng cộng"][money] == sum(s.amount_vnd for s in pilot)


@pytest.mark.system  # reads the PDF back with poppler
def test_province_officer_report_hides_a_commune_of_two_producers(
    client, province, tanan, cangiuoc, pilot
):
    text = pdf_text(get(client, province, format="pdf", **YEAR).content)
    assert "<3" in text
    book = sheets(get(client, province, format="xlsx", **YEAR))
    revenue = sheet_starting(book, "Doanh thu")
    rows = by_first_cell(revenue)
    money = revenue[0].index(MONEY)
    assert rows[tanan.title][money] == "<3"
    # Tầm Vu sold nothing: no household behind it, and Cần Giuộc is hidden with Tân An so
    # the total does not give Tân An away.
    assert rows[cangiuoc.title][money] == "<3"
    assert rows["Tổng cộng"][money] == sum(s.amount_vnd for s in pilot)


def test_staff_report_covers_their_commune_only(client, staff_x, tanan, tamvu, pilot):
    body = get(client, staff_x, **YEAR).content.decode()
    assert tanan.title in body
    assert tamvu.title not in body
    assert get(client, staff_x, commune=tamvu.pk).status_code == 404


def test_a_bad_period_gets_a_vietnamese_error(client, staff_x):
    response = get(client, staff_x, format="pdf", **{"from": "05/2025", "to": "02/2025"})
    assert response.status_code == 400
    assert "Tháng bắt đầu phải trước tháng kết thúc." in response.content.decode()
