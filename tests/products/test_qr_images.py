"""QR images: decoded by an independent decoder (zxing-cpp), sized within bounds, cacheable."""

import io
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from products.qr import qr_matrix, qr_text, short_link

pytest_plugins = ["tests.products.qr_fixtures"]

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _decode(image):
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0]


def test_encoded_text_is_upper_case_short_link(product):
    assert short_link(product) == f"https://tanan.localhost/q/{product.short_code}"
    assert qr_text(product) == f"HTTPS://TANAN.LOCALHOST/Q/{product.short_code}"


def test_png_decodes_to_the_short_link(client, product):
    response = client.get(f"/q/{product.short_code}.png?size=400", HTTP_HOST="tanan.localhost")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (400, 400)
    result = _decode(image.convert("L"))
    assert result.text == short_link(product).upper()
    assert result.text.lower() == short_link(product).lower()


def test_png_uses_error_correction_h(client, product):
    response = client.get(f"/q/{product.short_code}.png?size=400", HTTP_HOST="tanan.localhost")
    result = _decode(Image.open(io.BytesIO(response.content)).convert("L"))
    assert result.ec_level == "H"


def test_png_keeps_a_quiet_zone_of_four_modules(client, product):
    response = client.get(f"/q/{product.short_code}.png?size=512", HTTP_HOST="tanan.localhost")
    image = Image.open(io.BytesIO(response.content)).convert("L")
    modules = len(qr_matrix(qr_text(product)))
    box = 512 // modules
    margin = (512 - modules * box) // 2 + 4 * box
    symbol = image.crop((margin, margin, 512 - margin, 512 - margin))
    assert image.getextrema() == (0, 255)
    for band in [(0, 0, 512, margin), (0, 0, margin, 512), (0, 512 - margin, 512, 512)]:
        assert image.crop(band).getextrema() == (255, 255)
    # The finder pattern starts right after the quiet zone.
    assert symbol.getpixel((0, 0)) == 0


def test_png_of_a_batch_decodes_to_the_batch_short_link(client, batch):
    response = client.get(f"/q/{batch.short_code}.png?size=300", HTTP_HOST="tanan.localhost")
    result = _decode(Image.open(io.BytesIO(response.content)).convert("L"))
    assert result.text == f"HTTPS://TANAN.LOCALHOST/Q/{batch.short_code}"


@pytest.mark.parametrize(
    "size", ["abc", "0", "127", "2049", "99999999999999", "-5", "5.5", "١٢٨", "", "9" * 5000]
)
def test_bad_png_size_answers_bad_request(client, product, size):
    response = client.get(f"/q/{product.short_code}.png?size={size}", HTTP_HOST="tanan.localhost")
    assert response.status_code == 400
    assert "Kích thước ảnh phải là số nguyên từ 128 đến 2048" in response.content.decode()


@pytest.mark.parametrize("size", [128, 2048])
def test_png_size_bounds_are_inclusive(client, product, size):
    response = client.get(f"/q/{product.short_code}.png?size={size}", HTTP_HOST="tanan.localhost")
    assert Image.open(io.BytesIO(response.content)).size == (size, size)


def test_image_responses_are_cacheable(client, product):
    response = client.get(f"/q/{product.short_code}.svg", HTTP_HOST="tanan.localhost")
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    again = client.get(
        f"/q/{product.short_code}.svg",
        HTTP_HOST="tanan.localhost",
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert again.status_code == 304


def test_image_request_records_no_scan(client, product):
    before = product.scans.count()
    client.get(f"/q/{product.short_code}.svg", HTTP_HOST="tanan.localhost")
    assert product.scans.count() == before


def test_image_of_unknown_code_is_not_found(client, db):
    assert client.get("/q/ZZZZZZ.svg", HTTP_HOST="tanan.localhost").status_code == 404


def test_svg_is_a_scalable_svg_document(client, product):
    response = client.get(f"/q/{product.short_code}.svg", HTTP_HOST="tanan.localhost")
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.startswith("<svg") and 'viewBox="0 0 ' in body


@pytest.mark.browser
def test_svg_rasterised_by_chromium_decodes_to_the_short_link(client, product, tmp_path):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    response = client.get(f"/q/{product.short_code}.svg", HTTP_HOST="tanan.localhost")
    svg = tmp_path / "code.svg"
    svg.write_bytes(response.content)
    html = tmp_path / "page.html"
    html.write_text(
        '<html><body style="margin:0;background:#fff">'
        f'<img src="{svg.name}" width="400" height="400"></body></html>'
    )
    shot = tmp_path / "shot.png"
    subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--screenshot={shot}", "--window-size=500,500", html.as_uri()],
        check=True,
        capture_output=True,
        timeout=60,
    )
    result = _decode(Image.open(shot).convert("L"))
    assert result.text == short_link(product).upper()


def test_every_demo_product_and_batch_has_a_code_that_decodes_and_redirects(client, db):
    from products.models import Batch, ProductPage

    targets = [*ProductPage.objects.live(), *Batch.objects.select_related("product")]
    assert sum(isinstance(t, Batch) for t in targets) >= 3
    assert sum(isinstance(t, ProductPage) for t in targets) >= 30
    for target in targets:
        code = target.short_code
        png = client.get(f"/q/{code}.png?size=200", HTTP_HOST="localhost")
        decoded = _decode(Image.open(io.BytesIO(png.content)).convert("L")).text
        assert decoded == qr_text(target)
        assert decoded.endswith(f"/Q/{code}")
        # What a phone does with the decoded text: open it, and land on the page it is for.
        response = client.get(f"/q/{code}", HTTP_HOST=decoded.split("/")[2].lower())
        assert response.status_code == 302
        if isinstance(target, Batch):
            assert response["Location"] == target.product.batch_url(target)
        else:
            assert response["Location"] == target.full_url
