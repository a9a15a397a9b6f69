"""GS1: GTIN check digits, GTIN-14 normalisation, Digital Link URIs and their resolution."""

import pytest
from django.core.exceptions import ValidationError

from products.gs1 import GtinError, check_digit, digital_link_uri, is_valid_gtin, normalise_gtin
from products.models import Scan
from products.qr import qr_text

pytest_plugins = ["tests.products.qr_fixtures"]

GTIN13 = "4006381333931"


@pytest.mark.parametrize(
    "gtin", ["4006381333931", "036000291452", "96385074", "8934563138165", "00012345600012"]
)
def test_known_valid_gtins_pass(gtin):
    assert is_valid_gtin(gtin)


@pytest.mark.parametrize(
    "gtin", ["4006381333932", "036000291453", "96385075", "8934563138166", "1234567"]
)
def test_known_invalid_gtins_fail(gtin):
    assert not is_valid_gtin(gtin)


def test_check_digit_of_ean13_body():
    assert check_digit("400638133393") == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4006381333931", "04006381333931"),
        ("036000291452", "00036000291452"),
        ("96385074", "00000096385074"),
        (" 4006381333931 ", "04006381333931"),
    ],
)
def test_gtins_normalise_to_fourteen_digits(raw, expected):
    assert normalise_gtin(raw) == expected


def test_wrong_check_digit_error_names_the_right_digit():
    with pytest.raises(GtinError) as error:
        normalise_gtin("4006381333932")
    assert str(error.value) == "Số kiểm tra của mã GTIN không đúng (chữ số cuối phải là 1)."


@pytest.mark.parametrize("raw", ["", "abcdefgh", "40063813339", "٤٠٠٦٣٨١٣٣٣٩٣١", "4006-381333931"])
def test_malformed_gtin_error_is_vietnamese(raw):
    with pytest.raises(GtinError) as error:
        normalise_gtin(raw)
    assert str(error.value) == "Mã GTIN phải gồm 8, 12, 13 hoặc 14 chữ số."


def test_digital_link_uri_of_product_and_lot():
    assert digital_link_uri(GTIN13, host="tanan.example.vn") == (
        "https://tanan.example.vn/01/04006381333931"
    )
    assert digital_link_uri(GTIN13, "LO-1", "tanan.example.vn") == (
        "https://tanan.example.vn/01/04006381333931/10/LO-1"
    )


def test_product_gtin_is_stored_as_gtin14(product):
    product.gtin = GTIN13
    product.full_clean()
    product.save()
    product.refresh_from_db()
    assert product.gtin == "04006381333931"


def test_product_with_wrong_check_digit_gets_a_field_error(product):
    product.gtin = "4006381333932"
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert error.value.message_dict["gtin"] == [
        "Số kiểm tra của mã GTIN không đúng (chữ số cuối phải là 1)."
    ]


def test_gtin_is_unique_across_forms(product, other_product):
    product.gtin = GTIN13
    product.full_clean()
    product.save()
    other_product.gtin = "0" + GTIN13
    with pytest.raises(ValidationError) as error:
        other_product.full_clean()
    assert "gtin" in error.value.message_dict


def test_blank_gtin_is_stored_as_null_so_many_products_have_none(product, other_product):
    for item in (product, other_product):
        item.gtin = ""
        item.full_clean()
        item.save()
    assert product.gtin is None and other_product.gtin is None


@pytest.fixture
def gtin_product(product):
    product.gtin = normalise_gtin(GTIN13)
    product.save()
    return product


@pytest.mark.parametrize("form", ["04006381333931", "4006381333931"])
def test_digital_link_resolves_to_product(client, gtin_product, form):
    response = client.get(f"/01/{form}", HTTP_HOST="tamvu.localhost")
    assert response.status_code == 302
    assert response["Location"] == gtin_product.get_full_url()


def test_digital_link_with_lot_resolves_to_batch_page(client, gtin_product, batch):
    response = client.get("/01/04006381333931/10/LO-2026-01", HTTP_HOST="tanan.localhost")
    assert response.status_code == 302
    assert response["Location"] == gtin_product.batch_url(batch)


def test_digital_link_records_a_scan_with_the_batch(client, gtin_product, batch):
    client.get("/01/04006381333931/10/LO-2026-01", HTTP_HOST="tanan.localhost")
    assert Scan.objects.filter(batch=batch).count() == 1


def test_digital_link_with_unknown_lot_is_not_found(client, gtin_product):
    response = client.get("/01/04006381333931/10/KHONGCO", HTTP_HOST="tanan.localhost")
    assert response.status_code == 404
    assert "không có lô KHONGCO" in response.content.decode()


def test_digital_link_with_wrong_check_digit_is_bad_request(client, gtin_product):
    response = client.get("/01/04006381333932", HTTP_HOST="tanan.localhost")
    assert response.status_code == 400
    assert "Số kiểm tra của mã GTIN không đúng" in response.content.decode()


def test_digital_link_of_unknown_gtin_is_not_found(client, db):
    response = client.get("/01/96385074", HTTP_HOST="tanan.localhost")
    assert response.status_code == 404


def test_digital_link_of_unpublished_product_is_not_found(client, gtin_product):
    gtin_product.unpublish()
    assert client.get("/01/04006381333931", HTTP_HOST="tanan.localhost").status_code == 404


def test_qr_text_can_encode_the_digital_link(gtin_product, batch):
    assert qr_text(gtin_product, digital_link=True) == ("https://tanan.localhost/01/04006381333931")
    batch.product = gtin_product
    assert qr_text(batch, digital_link=True) == (
        "https://tanan.localhost/01/04006381333931/10/LO-2026-01"
    )


def test_qr_text_without_gtin_falls_back_to_short_link(product):
    assert qr_text(product, digital_link=True) == f"HTTPS://TANAN.LOCALHOST/Q/{product.short_code}"


def test_gs1_qr_image_decodes_to_the_digital_link(client, gtin_product):
    import io

    import zxingcpp
    from PIL import Image

    response = client.get(
        f"/q/{gtin_product.short_code}.png?size=400&gs1=1", HTTP_HOST="tanan.localhost"
    )
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)).convert("L"))
    assert [r.text for r in results] == ["https://tanan.localhost/01/04006381333931"]
