"""A producer on a 360px phone imports a sales file in the portal: preview, then all rows."""

import pytest
from django.db.models import Sum

from producers.demo_accounts import DEMO_PASSWORD
from producers.models import ProducerAccount
from producers.revenue.models import Sale

PHONE = "0912345601"  # Cơ sở lạp xưởng Bà Tư, Phường Tân An
# 12,5 × 35.001 = 437.512,5 → 437.513; 3 × 1.250.000 = 3.750.000.
SALES_FILE = (
    "\ufeffNgày;Sản phẩm;Số lượng;Đơn vị;Đơn giá (đ);Kênh bán\r\n"
    "14/03/2026;Mít Thái;12,5;kg;35.001;Zalo\r\n"
    "15/03/2026;Bưởi da xanh;3;tạ;1.250.000 đ;thương lái\r\n"
).encode()


@pytest.mark.browser
def test_producer_previews_and_imports_a_sales_file_on_a_phone(
    demo, empty_ledger, phone_page, screenshot, tmp_path
):
    producer = ProducerAccount.objects.get(user__username=PHONE).producer
    path = tmp_path / "so-ban-hang.csv"
    path.write_bytes(SALES_FILE)
    page = phone_page
    page.goto(demo.url("tanan.localhost", "/portal/ban-hang/nhap-file/"))
    page.fill("input[name=phone]", PHONE)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portal/ban-hang/nhap-file/")

    page.set_input_files("input[type=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    preview = page.locator(".import-preview")
    assert "dấu chấm phẩy" in preview.inner_text()
    assert "4.187.513 ₫" in preview.inner_text()
    assert not Sale.objects.filter(producer=producer).exists()
    assert page.csp_violations() == []
    screenshot(page, "portal-sales-import-preview-360")

    page.click(".import-preview__confirm button")
    page.wait_for_url("**/portal/ban-hang/nhap-file/")
    assert "Đã nhập 2 lần bán" in page.locator(".portal-messages").inner_text()
    total = Sale.objects.filter(producer=producer).aggregate(t=Sum("amount_vnd"))["t"]
    assert total == 437_513 + 3_750_000
