"""Import a CSV or XLSX file of sales for one producer: all rows or none, the same file once."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from producers.revenue.importing import (
    ImportFileError,
    import_commit,
    import_preview,
    producer_lookup,
)


class Command(BaseCommand):
    help = (
        "Import sales from a CSV or XLSX file for one producer. Exit 0 when imported (or "
        "importable, with --dry-run); exit 1 when any row is bad, with nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument(
            "--producer", required=True, metavar="PHONE_OR_ID",
            help="login phone of one of the producer's accounts, or the producer page's id",
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON")

    def handle(self, *args, **options):
        producer = producer_lookup(options["producer"])
        if producer is None:
            raise CommandError(
                _("Không có nhà sản xuất nào có số điện thoại đăng nhập hoặc mã trang "
                  "“%(value)s”.") % {"value": options["producer"]},
                returncode=2,
            )
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Không đọc được %(path)s: %(reason)s") % {"path": path, "reason": error.strerror},
                returncode=2,
            ) from error
        run = import_preview if options["dry_run"] else import_commit
        # Sales entered by an operator on behalf of producers, as staff would.
        try:
            preview = run(producer=producer, data=data, filename=path.name,
                          entered_by_staff=True)
        except ImportFileError as error:
            if options["json"]:
                self.stdout.write(json.dumps(
                    {"rows": 0, "imported": 0, "duplicates": 0, "total_vnd": 0,
                     "errors": [{"row": None, "column": None, "message": str(error)}]},
                    ensure_ascii=False,
                ))
                raise SystemExit(1) from error
            raise CommandError(str(error)) from error
        if preview.errors:
            preview.imported = 0
        if options["json"]:
            self.stdout.write(json.dumps(preview.as_json(), ensure_ascii=False))
        else:
            self._report(producer, preview, options["dry_run"])
        if preview.errors:
            raise SystemExit(1)

    def _report(self, producer, preview, dry_run):
        for error in preview.errors:
            self.stderr.write(
                _("Dòng %(row)s, cột %(column)s: %(message)s")
                % {"row": error.row, "column": error.column, "message": error.message}
            )
        if preview.errors:
            self.stderr.write(
                _("%(count)s lỗi; không nhập dòng nào.") % {"count": len(preview.errors)}
            )
            return
        values = {
            "producer": producer.title, "imported": preview.imported,
            "duplicates": preview.duplicates, "total": preview.total_vnd, "rows": preview.rows,
        }
        if dry_run:
            message = _("%(producer)s: sẽ nhập %(imported)s dòng, bỏ qua %(duplicates)s dòng đã "
                        "có; tổng của tệp %(total)s đ (%(rows)s dòng). Chưa ghi gì.")
        else:
            message = _("%(producer)s: đã nhập %(imported)s dòng, bỏ qua %(duplicates)s dòng đã "
                        "có; tổng của tệp %(total)s đ (%(rows)s dòng).")
        self.stdout.write(message % values)
