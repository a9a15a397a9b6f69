"""The label PDF engine: every layout decodes, counts and prints Vietnamese text right."""

import pytest
from reportlab.pdfbase import pdfmetrics

from products.labels import (
    BOLD,
    LAYOUTS,
    LabelData,
    TextItem,
    fit_text,
    layout_sheet_label,
    register_fonts,
    render_labels,
    wrap,
)
from products.labels import (
    _width as text_width,
)

from .label_pdf_tools import decoded_texts, page_count, pdf_fonts, pdf_text


def label(code: str, **overrides) -> LabelData:
    values = {
        "qr_text": f"https://tanan.localhost/q/{code}",
        "product_name": "Thanh long ruột đỏ",
        "producer": "HTX Thanh long Tân An",
        "commune": "Phường Tân An, Tây Ninh",
        "short_link_text": f"tanan.localhost/q/{code}",
        "ocop_stars": 4,
    }
    values.update(overrides)
    return LabelData(**values)


def codes(count: int) -> list[str]:
    return [f"T{index:04d}AB" for index in range(count)]


@pytest.mark.system  # poppler-utils reads the PDF back
@pytest.mark.parametrize("layout_key", ["2x5", "3x7", "4x10"])
def test_full_sheet_decodes_to_each_labels_own_link(layout_key):
    layout = LAYOUTS[layout_key]
    labels = [label(code) for code in codes(layout.per_page)]

    decoded = decoded_texts(render_labels(labels, layout_key), dpi=200)

    assert sorted(decoded) == sorted(item.qr_text for item in labels)


@pytest.mark.system  # poppler-utils reads the PDF back
@pytest.mark.parametrize(("layout_key", "per_page"), [("2x5", 10), ("3x7", 21), ("4x10", 40)])
def test_layout_puts_the_stated_number_of_labels_on_a_page(layout_key, per_page):
    labels = [label(code) for code in codes(per_page + 1)]

    pdf = render_labels(labels, layout_key)

    assert page_count(pdf) == 2
    assert len(decoded_texts(pdf, page=1)) == per_page
    assert decoded_texts(pdf, page=2) == [labels[-1].qr_text]


@pytest.mark.system  # poppler-utils reads the PDF back
def test_poster_has_one_large_decodable_code_per_page():
    labels = [label("POSTER01"), label("POSTER02")]

    pdf = render_labels(labels, "poster")

    assert page_count(pdf) == 2
    assert decoded_texts(pdf, page=1, dpi=72) == ["https://tanan.localhost/q/POSTER01"]
    assert decoded_texts(pdf, page=2, dpi=72) == ["https://tanan.localhost/q/POSTER02"]


@pytest.mark.system  # poppler-utils reads the PDF back
def test_qr_encodes_the_given_text_exactly_including_upper_case_and_digital_link():
    texts = [
        "HTTPS://TANAN.LOCALHOST/Q/ABCD2345",
        "https://id.example.vn/01/08938500000019/10/LO-7",
    ]
    labels = [label("X", qr_text=text) for text in texts]

    assert sorted(decoded_texts(render_labels(labels, "2x5"))) == sorted(texts)


@pytest.mark.system  # poppler-utils reads the PDF back
@pytest.mark.parametrize("layout_key", ["2x5", "3x7", "4x10", "poster"])
def test_vietnamese_text_is_extracted_exactly(layout_key):
    batch = label(
        "LO000001",
        product_name="Lạp xưởng tươi",
        batch_code="LX-2026-05",
        batch_dates="NSX\u00a012/05/2026 · HSD\u00a012/08/2026",
    )

    # Narrow labels wrap lines; compare with line breaks folded into spaces.
    text = " ".join(pdf_text(render_labels([label("ABCD2345"), batch], layout_key)).split())

    for expected in [
        "Thanh long ruột đỏ",
        "Quét mã để xem nguồn gốc",
        "HTX Thanh long Tân An",
        "Phường Tân An, Tây Ninh",
        "★★★★ OCOP",
        "Lạp xưởng tươi",
        "Lô LX-2026-05",
        "12/08/2026",
    ]:
        assert expected in text


@pytest.mark.system  # poppler-utils reads the PDF back
def test_decomposed_diacritics_are_normalised_to_precomposed_letters():
    decomposed = "Thanh long ruo\u0323\u0302t đo\u0309"

    text = pdf_text(render_labels([label("NFC00001", product_name=decomposed)], "2x5"))

    assert "Thanh long ruột đỏ" in text


@pytest.mark.system  # poppler-utils reads the PDF back
def test_product_without_ocop_shows_no_stars():
    text = pdf_text(render_labels([label("NOSTAR01", ocop_stars=None)], "3x7"))

    assert "★" not in text
    assert "OCOP" not in text


@pytest.mark.system  # poppler-utils reads the PDF back
def test_fonts_are_embedded_and_nothing_else_is_referenced():
    fonts = pdf_fonts(render_labels([label("FONT0001")], "4x10"))

    font_rows = fonts.splitlines()[2:]
    assert len(font_rows) == 2
    assert all("DejaVuSans" in row and " yes yes yes " in row for row in font_rows)


def test_empty_label_list_is_refused():
    with pytest.raises(ValueError):
        render_labels([], "2x5")


def test_wrap_breaks_a_word_longer_than_the_line():
    register_fonts()

    lines = wrap("tanan.localhost/q/ABCDEFGHJKLMNPQRSTUVWXYZ", BOLD, 10, 60, 8)

    assert len(lines) > 1
    assert all(text_width(line, BOLD, 10) <= 60 for line in lines)
    assert "".join(lines) == "tanan.localhost/q/ABCDEFGHJKLMNPQRSTUVWXYZ"


def test_wrap_ends_with_an_ellipsis_when_lines_run_out():
    register_fonts()

    lines = wrap("Lạp xưởng tươi Cần Giuộc loại đặc biệt nhiều nạc thơm ngon", BOLD, 10, 80, 2)

    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(text_width(line, BOLD, 10) <= 80 for line in lines)


def test_overlong_text_shrinks_to_stay_inside_its_box():
    register_fonts()
    long_name = "Bánh tráng phơi sương " * 12
    items = [TextItem(long_name, BOLD, 12, 3), TextItem(long_name, size=10, max_lines=4)]
    box_x, box_top, box_width, box_height = 100, 500, 70, 40

    lines = fit_text(items, x=box_x, top=box_top, width=box_width, height=box_height)

    assert lines
    assert all(line.x >= box_x and line.x + line.width <= box_x + box_width for line in lines)
    for line in lines:
        ascent, descent = pdfmetrics.getAscentDescent(line.font, line.size)
        assert line.baseline + descent >= box_top - box_height
        assert line.baseline + ascent <= box_top
    assert max(line.size for line in lines) < 12


@pytest.mark.parametrize("layout_key", ["2x5", "3x7", "4x10"])
def test_layout_labels_fit_inside_a4(layout_key):
    layout = LAYOUTS[layout_key]
    left, bottom = layout.label_origin(layout.per_page - 1)
    right_x, top_y = layout.label_origin(layout.columns - 1)

    assert left >= 0 and bottom >= 0
    assert right_x + layout.label_width <= 595.28
    assert top_y + layout.label_height <= 841.89


def test_place_names_wrap_after_the_comma():
    register_fonts()
    width = text_width("Phường Tân An,", BOLD, 10) + 1

    lines = wrap("Phường Tân An, Tây Ninh", BOLD, 10, width, 2)

    assert lines == ["Phường Tân An,", "Tây Ninh"]


def test_a_link_that_must_wrap_breaks_after_a_slash():
    register_fonts()
    width = text_width("tanan.localhost/q/", BOLD, 10) + 1

    lines = wrap("tanan.localhost/q/7K3M9Q", BOLD, 10, width, 2)

    assert len(lines) == 2
    assert lines[0].endswith("/")
    assert "".join(lines) == "tanan.localhost/q/7K3M9Q"


def test_every_label_of_a_sheet_lays_its_text_out_the_same_way():
    layout = LAYOUTS["4x10"]
    item = label("7K3M9Q", product_name="Lạp xưởng tươi Bà Tư")

    layouts = set()
    for slot in range(layout.per_page):
        x, y = layout.label_origin(slot)
        lines = layout_sheet_label(item, layout, x, y)["lines"]
        layouts.add(tuple((line.text, round(line.size, 3)) for line in lines))

    assert len(layouts) == 1
