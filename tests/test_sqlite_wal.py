"""The embedded SQLite database: several workers writing at once, and planner statistics."""

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


ANALYSER = textwrap.dedent(
    """
    import sys
    import django
    from django.conf import settings
    from commune_site.settings.base import database_from_env

    settings.configure(DATABASES={"default": database_from_env(sys.argv[1])})
    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT amount FROM sale WHERE worker = %s", ["3"])
    connection.close()
    """
)


ROOT = Path(__file__).resolve().parent.parent
# The embedded default is under test, whatever database the rest of the suite runs on.
SCRIPT_ENV = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
SCRIPT_ENV["PYTHONPATH"] = str(ROOT)


def run_script(tmp_path, code, *args):
    script = tmp_path / "script.py"
    script.write_text(code)
    return subprocess.run(
        [sys.executable, str(script), *map(str, args)],
        cwd=ROOT,
        env=SCRIPT_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_closing_a_connection_gives_the_planner_statistics(tmp_path):
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, worker TEXT, amount INTEGER)")
        setup.execute("CREATE INDEX sale_worker ON sale (worker)")
        setup.executemany(
            "INSERT INTO sale (worker, amount) VALUES (?, ?)",
            [(str(n % 10), n) for n in range(5000)],
        )
    result = run_script(tmp_path, ANALYSER, database)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as check:
        stats = dict(check.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'sale'"))
    # About 5000 rows and 500 per worker value, estimated from a bounded sample.
    rows, per_value = map(int, stats["sale_worker"].split()[:2])
    assert 4000 <= rows <= 6000
    assert 100 <= per_value <= 1000


def test_concurrent_writers_never_hit_database_is_locked(tmp_path):
    database = tmp_path / "db.sqlite3"
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, worker TEXT, amount INTEGER)")
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), str(database), str(worker), "150"],
            cwd=ROOT,
            env=SCRIPT_ENV,
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
