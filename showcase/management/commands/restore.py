"""Restore a folder written by `manage.py backup` into an empty instance: database and media."""

import json
import sqlite3
import tarfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from wagtail.models import Page

from commune_site import site_directory

from .backup import (
    FORMAT_VERSION,
    MANIFEST,
    engine_name,
    media_root,
    postgres_args_and_env,
    postgres_tool,
    run_tool,
)

# A freshly migrated instance holds Wagtail's root page and the showcase home page.
PAGES_IN_EMPTY_INSTANCE = 2


def restore_into_storage(archive: tarfile.TarFile, storage) -> None:
    """Write each file of a media archive into object storage, under its own name; a file
    already there (a restore into the bucket the backup came from) is kept as it is."""
    for member in archive:
        # The "data" filter refuses absolute paths, links out of the folder and devices.
        member = tarfile.data_filter(member, "/media")
        if not member.isfile():
            continue
        name = member.name.removeprefix("./")
        if not storage.exists(name):
            storage.save(name, File(archive.extractfile(member), name=name))


def instance_is_empty() -> bool:
    """True when the database has no tables yet or only what migrations create."""
    if Page._meta.db_table not in connection.introspection.table_names():
        return True
    return (
        Page.objects.count() <= PAGES_IN_EMPTY_INSTANCE
        and not get_user_model().objects.exists()
    )


class Command(BaseCommand):
    help = "Khôi phục bản sao lưu (cơ sở dữ liệu và tệp media) vào một hệ thống mới, còn trống."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="Thư mục do lệnh backup tạo ra.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ghi đè cả khi hệ thống đã có dữ liệu (mọi dữ liệu hiện có sẽ mất).",
        )

    def handle(self, *args, **options):
        source = Path(options["input"])
        try:
            manifest = json.loads((source / MANIFEST).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(
                _("%(path)s không phải bản sao lưu hợp lệ: %(error)s")
                % {"path": source, "error": error}
            ) from error
        if manifest.get("format") != FORMAT_VERSION:
            raise CommandError(_("Không đọc được định dạng sao lưu này."))
        engine = engine_name()
        if manifest["engine"] != engine:
            raise CommandError(
                _("Bản sao lưu là của %(backup)s, không khôi phục được vào %(current)s.")
                % {"backup": manifest["engine"], "current": engine}
            )
        if not options["force"] and not instance_is_empty():
            raise CommandError(
                _(
                    "Hệ thống này đã có dữ liệu; chỉ khôi phục vào hệ thống trống "
                    "(hoặc dùng --force)."
                )
            )

        database_file = source / manifest["database"]
        if not database_file.is_file():
            raise CommandError(_("Thiếu tệp %(path)s.") % {"path": database_file})
        if engine == "sqlite":
            backup = sqlite3.connect(database_file)
            try:
                connection.ensure_connection()
                # Copies every page of the backup over this database, schema included.
                backup.backup(connection.connection)
            finally:
                backup.close()
        else:
            connection.close()
            connection_args, env = postgres_args_and_env()
            run_tool(
                [
                    postgres_tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--clean",
                    "--if-exists",
                    "--single-transaction",
                    "--exit-on-error",
                    *connection_args,
                    str(database_file),
                ],
                env,
            )

        media = media_root()
        if manifest.get("media"):
            try:
                with tarfile.open(source / manifest["media"], "r:gz") as archive:
                    if media is None:
                        restore_into_storage(archive, default_storage)
                    else:
                        media.mkdir(parents=True, exist_ok=True)
                        # The "data" filter refuses absolute paths, links out of the folder
                        # and devices.
                        archive.extractall(media, filter="data")
            except tarfile.FilterError as error:
                raise CommandError(
                    _("%(path)s không phải bản sao lưu hợp lệ: %(error)s")
                    % {"path": source, "error": error}
                ) from error
        # Cache tables hold no data worth keeping and depend on this instance's CACHES.
        call_command("createcachetable")
        # Running workers keep sites, menus and private sections in memory: they read them
        # again from the restored data on their next request.
        site_directory.changed()
        self.stdout.write(_("Đã khôi phục từ %(path)s.") % {"path": source})
