"""Export sales of one producer, one commune or all communes to a CSV or XLSX file."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Site

from producers.models import ProducerPage
from producers.revenue.exporting import (
    FORMATS,
    sale_headers,
    sale_rows,
    sales_for_export,
    table_write,
)
from producers.revenue.importing import producer_lookup


def _date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as error:
        raise CommandError(
            _("Ngày “%(value)s” phải viết dạng DD/MM/YYYY.") % {"value": value}, returncode=2
        ) from error


class Command(BaseCommand):
    help = "Export sales as CSV (UTF-8 with BOM) or XLSX, in the format import_sales reads."

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--producer", metavar="PHONE_OR_ID")
        scope.add_argument("--commune", metavar="HOSTNAME", help="the commune site's hostname")
        scope.add_argument("--all", action="store_true", help="every commune")
        parser.add_argument("--from", dest="date_from", metavar="DD/MM/YYYY")
        parser.add_argument("--to", dest="date_to", metavar="DD/MM/YYYY")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--output", required=True, metavar="FILE")

    def handle(self, *args, **options):
        with_producer = True
        if options["producer"]:
            producer = producer_lookup(options["producer"])
            if producer is None:
                raise CommandError(
                    _("Không có nhà sản xuất nào có số điện thoại đăng nhập hoặc mã trang "
                      "“%(value)s”.") % {"value": options["producer"]},
                    returncode=2,
                )
            producers, with_producer, title = [producer], False, producer.title
        elif options["commune"]:
            site = Site.objects.filter(hostname=options["commune"]).first()
            if site is None:
                raise CommandError(
                    _("Không có trang phường/xã nào có tên miền “%(host)s”.")
                    % {"host": options["commune"]},
                    returncode=2,
                )
            producers = ProducerPage.objects.descendant_of(site.root_page)
            title = site.root_page.title
        else:
            producers, title = None, "ban hang"
        date_from = _date(options["date_from"]) if options["date_from"] else None
        date_to = _date(options["date_to"]) if options["date_to"] else None
        sales = sales_for_export(producers=producers, date_from=date_from, date_to=date_to)
        count = {"rows": 0}

        def counted(rows):
            for row in rows:
                count["rows"] += 1
                yield row

        table_write(
            options["output"], title=title, fmt=options["format"],
            headers=sale_headers(with_producer=with_producer),
            rows=counted(sale_rows(sales, with_producer=with_producer)),
        )
        self.stdout.write(
            _("Đã ghi %(count)s lần bán vào %(path)s.")
            % {"count": count["rows"], "path": options["output"]}
        )
