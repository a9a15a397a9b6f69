"""Short links and QR images for products and batches.

A printed code encodes ``HTTPS://HOST/Q/CODE`` in upper case: every character then fits
QR alphanumeric mode, which is denser than byte mode, so the symbol needs fewer,
larger modules. Scheme and host are case-insensitive, and ``/Q/`` is routed like ``/q/``.
"""

import io
from urllib.parse import urlsplit

import qrcode
from django.conf import settings
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H

from . import gs1

QUIET_ZONE = 4
# Level H: 30 % of the symbol may be lost. A used label is dirty, scratched and photographed
# askew; under the damage model of tests/products/test_qr_damage.py level Q is read far less
# often (docs/qr-codes.md). Worth a larger QR version where the text needs one.
ERROR_CORRECTION = ERROR_CORRECT_H
PNG_MIN, PNG_MAX, PNG_DEFAULT, PNG_PRINT = 128, 2048, 512, 1200


def _product_and_code(target):
    """(product page, short code) of a ProductPage or a Batch."""
    product = getattr(target, "product", None) or target
    return product, target.short_code


def site_host(product, request=None) -> str:
    """The host (with a non-standard port) of the product's own commune site."""
    parts = product.get_url_parts(request)
    if parts is None:
        return urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
    return urlsplit(parts[1]).netloc


def short_link(target, request=None) -> str:
    """The human form of the short link: ``https://tanan.example.vn/q/ABC123``."""
    product, code = _product_and_code(target)
    return f"{settings.QR_LINK_SCHEME}://{site_host(product, request)}/q/{code}"


def qr_text(target, request=None, *, digital_link=False) -> str:
    """What a QR code for a product or batch encodes.

    The short link in upper case by default; with ``digital_link`` and a GTIN on the
    product, the GS1 Digital Link URI instead (``/01/<GTIN-14>[/10/<LOT>]``).
    """
    product, _code = _product_and_code(target)
    if digital_link and product.gtin:
        lot = target.lot_code if target is not product else None
        return gs1.digital_link_uri(
            product.gtin, lot, site_host(product, request), scheme=settings.QR_LINK_SCHEME
        )
    return short_link(target, request).upper()


def qr_matrix(text: str) -> list[list[bool]]:
    """Modules of the QR symbol for ``text``, quiet zone included, error correction H."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(text: str) -> str:
    """A compact SVG: one path of horizontal runs on a white square, scalable without blur."""
    matrix = qr_matrix(text)
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size * 8}" height="{size * 8}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def qr_png(text: str, size: int) -> bytes:
    """A ``size``×``size`` PNG: whole-pixel modules, centred, the remainder added to the margin."""
    matrix = qr_matrix(text)
    modules = len(matrix)
    box = max(1, size // modules)
    symbol = Image.new("1", (modules, modules), 1)
    symbol.putdata([0 if dark else 1 for row in matrix for dark in row])
    symbol = symbol.resize((modules * box, modules * box), Image.NEAREST)
    canvas = Image.new("1", (size, size), 1)
    offset = (size - modules * box) // 2
    canvas.paste(symbol, (offset, offset))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
