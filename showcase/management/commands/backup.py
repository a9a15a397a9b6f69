"""Back up the database (SQLite online backup or pg_dump) and the media files into a folder."""

import datetime
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
from glob import glob
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
SQLITE_FILE = "db.sqlite3"
POSTGRES_FILE = "db.dump"
MEDIA_FILE = "media.tar.gz"
FORMAT_VERSION = 1


def engine_name() -> str:
    """'sqlite' or 'postgresql', the two engines backups support."""
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise CommandError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu %(vendor)s.") % {"vendor": vendor})
    return vendor


def postgres_tool(name: str) -> str:
    """pg_dump/pg_restore: from PG_BIN, PATH, or the newest /usr/lib/postgresql/*/bin."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(str(Path(os.environ["PG_BIN"]) / name))
    if shutil.which(name):
        candidates.append(shutil.which(name))
    candidates += sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parent.parent.name),
        reverse=True,
    )
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise CommandError(_("Không tìm thấy %(tool)s; hãy cài PostgreSQL client.") % {"tool": name})


def postgres_args_and_env() -> tuple[list[str], dict]:
    """Connection arguments for the PostgreSQL command-line tools, password in the environment."""
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def run_tool(command: list[str], env: dict) -> None:
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        raise CommandError(
            _("%(tool)s thất bại: %(error)s")
            % {"tool": Path(command[0]).name, "error": result.stderr.strip()}
        )


def media_root() -> Path | None:
    """The local media folder, or None when media lives in object storage."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(settings.MEDIA_ROOT)
    return None


def storage_names(storage, folder=""):
    """Every file name in a storage, folder by folder (object storage lists by prefix)."""
    folders, files = storage.listdir(folder)
    for name in files:
        yield posixpath.join(folder, name)
    for child in folders:
        yield from storage_names(storage, posixpath.join(folder, child))


def archive_storage(archive: tarfile.TarFile, storage) -> None:
    """Add every file of an object storage as ./NAME, as a local media folder is archived, so
    either kind of backup restores into either kind of instance."""
    for name in storage_names(storage):
        with storage.open(name, "rb") as source:
            content = source.read()
        info = tarfile.TarInfo(f"./{name}")
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp media (ảnh, tài liệu) vào một thư mục."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, help="Thư mục mới hoặc rỗng để ghi bản sao lưu."
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        if output.exists() and any(output.iterdir()):
            raise CommandError(_("Thư mục %(path)s không rỗng.") % {"path": output})
        output.mkdir(parents=True, exist_ok=True)
        engine = engine_name()

        if engine == "sqlite":
            database_file = SQLITE_FILE
            # The online backup API copies a consistent snapshot while other workers write.
            connection.ensure_connection()
            target = sqlite3.connect(output / SQLITE_FILE)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            database_file = POSTGRES_FILE
            connection_args, env = postgres_args_and_env()
            run_tool(
                [
                    postgres_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(output / POSTGRES_FILE),
                    *connection_args,
                ],
                env,
            )

        media = media_root()
        with tarfile.open(output / MEDIA_FILE, "w:gz") as archive:
            if media is None:
                archive_storage(archive, default_storage)
            elif media.exists():
                archive.add(media, arcname=".")

        manifest = {
            "format": FORMAT_VERSION,
            "engine": engine,
            "database": database_file,
            "media": MEDIA_FILE,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        (output / MANIFEST).write_text(json.dumps(manifest, indent=2))
        self.stdout.write(_("Đã sao lưu vào %(path)s.") % {"path": output})
