"""Read label PDFs back with independent tools: poppler for pages and text, zxing for QR.

Tests that call these need poppler-utils, so they are marked ``system`` (tests/system_tools.py).
"""

import io
import subprocess

import zxingcpp
from PIL import Image

from tests.system_tools import tool


def page_count(pdf: bytes) -> int:
    info = subprocess.run([tool("pdfinfo"), "-"], input=pdf, capture_output=True, check=True).stdout
    line = next(line for line in info.decode().splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def rasterise(pdf: bytes, *, page: int = 1, dpi: int = 200) -> Image.Image:
    png = subprocess.run(
        [
            tool("pdftoppm"),
            "-r",
            str(dpi),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            "-",
        ],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(io.BytesIO(png))


def decoded_texts(pdf: bytes, *, page: int = 1, dpi: int = 200) -> list[str]:
    """The text of every QR code zxing-cpp finds on one page, in no particular order."""
    results = zxingcpp.read_barcodes(
        rasterise(pdf, page=page, dpi=dpi), formats=zxingcpp.BarcodeFormat.QRCode
    )
    return [result.text for result in results]


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        [tool("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def pdf_fonts(pdf: bytes) -> str:
    fonts = subprocess.run([tool("pdffonts"), "-"], input=pdf, capture_output=True, check=True)
    return fonts.stdout.decode()
