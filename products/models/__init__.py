"""Product pages, the commune's product index, the shared catalogue, short codes, batches and
scans. Import models from here: ``from products.models import ProductPage``."""

from .catalogue import Certification, ProductCategory
from .pages import (
    OCOP_VALIDITY_MONTHS,
    ZERO_PRICE_MESSAGE,
    ProductCertification,
    ProductIndexPage,
    ProductPage,
    ProductPhoto,
    add_months,
)
from .search_index import SearchEntry, SearchWord
from .short_codes import ShortCode
from .traceability import Batch, Scan

__all__ = [
    "OCOP_VALIDITY_MONTHS",
    "ZERO_PRICE_MESSAGE",
    "Batch",
    "Certification",
    "ProductCategory",
    "ProductCertification",
    "ProductIndexPage",
    "ProductPage",
    "ProductPhoto",
    "Scan",
    "SearchEntry",
    "SearchWord",
    "ShortCode",
    "add_months",
]
