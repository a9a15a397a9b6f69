"""The embedded SQLite database must take several workers writing at once."""

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

WORKER = textwrap.dedent(
    """
    import sys
    import django
    from django.conf import settings
    from commune_site.settings.base import database_from_env

    settings.configure(DATABASES={"default": database_from_env(sys.argv[1])})
    django.setup()
    from django.db import connection, transaction

    for number in range(int(sys.argv[3])):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM sale")
                cursor.execute(
                    "INSERT INTO sale (worker, amount) VALUES (%s, %s)", [sys.argv[2], number]
                )
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        print(cursor.fetchone()[0])
    """
)


def test_concurrent_writers_never_hit_database_is_locked(tmp_path):
    database = tmp_path / "db.sqlite3"
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, worker TEXT, amount INTEGER)")
    root = Path(__file__).resolve().parent.parent
    # The embedded default is under test, whatever database the rest of the suite runs on.
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), str(database), str(worker), "150"],
            cwd=root,
            env={**env, "PYTHONPATH": str(root)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(4)
    ]
    results = [worker.communicate(timeout=120) for worker in workers]
    for (stdout, stderr), worker in zip(results, workers, strict=True):
        assert worker.returncode == 0, stderr
        assert stdout.strip() == "wal"
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT COUNT(*) FROM sale").fetchone()[0] == 600
