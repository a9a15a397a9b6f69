"""Rebuild the site's own search index (products/search.py) from every product and producer."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from products.search_indexing import rebuild


class Command(BaseCommand):
    help = _("Lập lại chỉ mục tìm kiếm sản phẩm và nhà sản xuất.")

    def handle(self, *args, **options):
        started = time.monotonic()
        count = rebuild()
        self.stdout.write(
            _("Đã lập chỉ mục %(count)d trang trong %(seconds).1f giây.")
            % {"count": count, "seconds": time.monotonic() - started}
        )
