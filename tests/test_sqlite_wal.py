"""The embedded SQLite database: several workers writing at once, and planner statistics."""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# SQLite's own journal mode, on its own database.
pytestmark = pytest.mark.sqlite_only

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


def sale_database(tmp_path):
    """A database file with a ``sale`` table, in WAL mode as ``migrate`` leaves the real one.

    Switching a file to WAL takes an exclusive lock that SQLite does not wait for: workers
    opening a new rollback-journal file at the same instant may get "database is locked"
    (seen once in CI). On a server the file is in WAL long before workers start.
    """
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, worker TEXT, amount INTEGER)")
    return database


def test_closing_a_connection_gives_the_planner_statistics(tmp_path):
    database = sale_database(tmp_path)
    with sqlite3.connect(database) as setup:
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


WAITER = textwrap.dedent(
    """
    import json, sqlite3, sys, threading, time
    import django
    from django.conf import settings
    from commune_site.settings.base import database_from_env

    config = database_from_env(sys.argv[1])
    config["OPTIONS"]["timeout"] = 0.3
    settings.configure(DATABASES={"default": config})
    django.setup()
    from django.db import OperationalError, connection
    from commune_site.sqlite3.base import execute_waiting_briefly

    def hold_write_lock(seconds):
        holder = sqlite3.connect(sys.argv[1], isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT INTO sale (worker, amount) VALUES ('holder', 0)")
        timer = threading.Timer(seconds, lambda: holder.execute("COMMIT"))
        timer.start()
        return timer

    def insert(amount):
        started = time.monotonic()
        try:
            with connection.cursor() as cursor:
                execute_waiting_briefly(
                    connection, cursor, "INSERT INTO sale (worker, amount) VALUES (%s, %s)",
                    ["waiter", amount],
                )
            error = None
        except OperationalError as caught:
            error = str(caught)
        return {"seconds": time.monotonic() - started, "error": error}

    result = {}
    hold_write_lock(0.05)
    time.sleep(0.01)
    result["short"] = insert(1)
    timer = hold_write_lock(1.0)
    time.sleep(0.01)
    result["long"] = insert(2)
    timer.join()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        result["busy_timeout"] = cursor.fetchone()[0]
        cursor.execute("SELECT amount FROM sale WHERE worker = 'waiter'")
        result["rows"] = [row[0] for row in cursor.fetchall()]
    print(json.dumps(result))
    """
)


def test_a_write_waits_for_another_workers_lock_in_short_steps(tmp_path):
    database = sale_database(tmp_path)
    result = run_script(tmp_path, WAITER, database)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    # Written as soon as the 50 ms lock was released, not a whole busy-handler step later.
    assert answer["short"]["error"] is None
    assert 0.03 <= answer["short"]["seconds"] < 0.2
    # A lock held past the connection's timeout (0.3 s here) fails as SQLite's own wait would.
    assert "locked" in answer["long"]["error"]
    assert 0.3 <= answer["long"]["seconds"] < 0.9
    assert answer["busy_timeout"] == 300
    assert answer["rows"] == [1]


def test_concurrent_writers_never_hit_database_is_locked(tmp_path):
    database = sale_database(tmp_path)
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
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
