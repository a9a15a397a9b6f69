"""Faults during writes, on real processes: a gunicorn worker killed with SIGKILL while it holds
SQLite's write lock, writers kept waiting by a held lock, and a backup taken while writes go on.

Each test serves its own copy of one demo database as `make serve` does (production settings,
gunicorn with 2 sync workers, SQLite in WAL mode) and sends real requests from threads; then
the database is read back in another process (``books`` of scripts/soak.py) and checked for
half-written rows (``consistency``). The embedded SQLite is under test whatever database the
rest of the suite runs on. Redis stopped and started again under a running server is the
last test (the one that needs Debian's redis-server); tests/test_redis.py has the rest of Redis.

The writes are cases with one interface (``ScanWrites``, ``QuickEditWrites``, ``SaleWrites``):
a further kind of write is one more class with ``send`` and ``check``, and one more parameter
of the tests.
"""

import http.client
import itertools
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis

from producers.revenue.models import DIGITAL_CHANNELS, channel_bit
from producers.revenue.services import SALE_CREATE_ACTION
from tests.system_tools import tool
from tests.test_backup import run
from tests.test_deploy import (
    BASE_DIR,
    PYTHON,
    free_port,
    manage,
    production_env,
    start_gunicorn,
)
from tests.test_hostile_input import post_forms

sys.path.insert(0, str(BASE_DIR / "scripts"))
import soak  # noqa: E402  (scripts/soak.py: the demo's books and the portal login)

# Its servers run on their own SQLite database whatever DATABASE_URL says.
pytestmark = pytest.mark.sqlite_only

# gunicorn's access log with the answering worker's pid: "<1234> 302 GET /q/ABC HTTP/1.1".
ACCESS_FORMAT = "--access-logformat '%(p)s %(s)s %(r)s'"
ACCESS_LINE = re.compile(r"^<(\d+)> (\d{3}) ", re.M)
# SQLite's WAL write lock is byte 120 of the -shm file (WALINDEX_LOCK_OFFSET + WAL_WRITE_LOCK),
# held with a POSIX lock from BEGIN IMMEDIATE to COMMIT; Linux lists it in /proc/locks.
WAL_WRITE_LOCK_BYTE = "120"


# One process instead of four: starting Django is most of what each of these commands costs.
# The development settings load the demo (production never creates demo accounts); the schema
# is the same under both. The books of the loaded demo are printed last (scripts/soak.py).
SETUP = """
import django
django.setup()
from django.core.management import call_command
import soak
call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable")
call_command("seed_demo", port=80)
soak.probe()
"""

# The same, restoring a backup into an empty instance.
RESTORE = """
import sys, django
django.setup()
from django.core.management import call_command
import soak
call_command("restore", input=sys.argv[1])
soak.probe()
"""


def python(env, code, *args):
    """Run ``code`` in a process with ``env``; the JSON of its last line."""
    env = {**env, "PYTHONPATH": f"{BASE_DIR}:{BASE_DIR / 'scripts'}"}
    return json.loads(run(env, "-c", code, *args).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A migrated database with the demo communes, collected static files, and its books."""
    folder = tmp_path_factory.mktemp("faults")
    env = production_env(
        folder, DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SERVE_MEDIA="true", REDIS_URL=None
    )
    static = subprocess.Popen(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    books = python({**env, "DJANGO_SETTINGS_MODULE": "commune_site.settings.dev"}, SETUP)
    _, errors = static.communicate(timeout=300)
    assert static.returncode == 0, errors
    return {"env": env, "database": folder / "db.sqlite3", "books": books}


class Server:
    """A running gunicorn: its port, access log and workers, and the database it serves."""

    def __init__(self, env, port, log, process, database):
        self.env, self.port, self.log, self.process = env, port, log, process
        self.database, self.shm = database, Path(f"{database}-shm")

    def workers(self):
        """The pids of the master's worker processes."""
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.add(int(stat.parent.name))
        return found

    def answers(self, since=0):
        """(worker pid, status) of each request in the access log after byte ``since``."""
        text = self.log.read_bytes()[since:].decode(errors="replace")
        return [(int(pid), int(status)) for pid, status in ACCESS_LINE.findall(text)]


@contextmanager
def serve(demo, tmp_path, **extra_env):
    """gunicorn with 2 workers on a copy of the demo database."""
    database = tmp_path / "db.sqlite3"
    source, copy = sqlite3.connect(demo["database"]), sqlite3.connect(database)
    source.backup(copy)
    # In WAL before the workers start, as migrate leaves a real database (test_sqlite_wal.py).
    copy.execute("PRAGMA journal_mode=WAL")
    source.close()
    copy.close()
    env = {
        **demo["env"],
        "DATABASE_URL": f"sqlite:///{database}",
        "PAGE_CACHE_DIR": str(tmp_path / "page-cache"),
        "GUNICORN_CMD_ARGS": ACCESS_FORMAT,
        **extra_env,
    }
    port, log = free_port(), tmp_path / "gunicorn.log"
    process = start_gunicorn(env, port, log, workers=2)
    try:
        yield Server(env, port, log, process, database)
    finally:
        # Graceful: a quick shutdown (SIGQUIT) may stop a worker still closing the connection
        # of an answered request, which gunicorn then logs as a 500.
        process.terminate()
        process.wait(timeout=60)


class ScanWrites:
    """QR scans of every live code in turn; each answered scan is one Scan row.

    Workers buffer scans and write them every ``SCAN_FLUSH_SECONDS`` (0.5 s): a killed worker
    may lose the scans it answered within the last second before the kill, no more
    (products/scan_buffer.py). It may be killed between two requests, dropping none.
    """

    expected = 302
    drops_on_kill = (0, 1)
    LOSS_BOUND = 1.0

    def __init__(self, before, port):
        self.codes = before["codes"]

    def send(self, port, n):
        return soak.http(port, "GET", "localhost", f"/q/{self.codes[n % len(self.codes)]}")[0]

    def check(self, before, after, clients):
        recorded = after["scans"] - before["scans"]
        answered, dropped = len(clients.answered), len(clients.dropped)
        last_second = sum(
            at >= clients.killed_at - self.LOSS_BOUND for at in clients.answered_at.values()
        )
        # A scan dropped with its worker may have been buffered, even written, before the kill.
        if not answered - last_second <= recorded <= answered + dropped:
            return [
                f"scans: {answered} answered ({last_second} in the last second before the "
                f"kill), {dropped} dropped, {recorded} recorded"
            ]
        return []


class QuickEditWrites:
    """Portal price edits by the logged-in demo producer, edit n setting FIRST_PRICE + n đồng;
    each answered edit is one published revision and one audit log entry."""

    expected = 302
    drops_on_kill = (1,)

    def __init__(self, before, port):
        self.products = [product for product in before["editable"] if product["live"]]
        self.cookies, self.token = soak.producer_login(port)

    def send(self, port, n):
        product = self.products[n % len(self.products)]
        form = soak.edit_form(product, soak.FIRST_PRICE + n, self.token)
        path = f"/portal/san-pham/{product['pk']}/"
        return soak.http(port, "POST", soak.PRODUCER_HOST, path, self.cookies, form)[0]

    def check(self, before, after, clients):
        recorded = soak.new_edit_prices(before, after)
        answered = {soak.FIRST_PRICE + n for n in clients.answered}
        dropped = {soak.FIRST_PRICE + n for n in clients.dropped}
        problems = [f"edit to {p} đồng logged {n} times" for p, n in recorded.items() if n > 1]
        if missing := answered - set(recorded):
            problems.append(f"answered edits not logged: {sorted(missing)}")
        if unknown := set(recorded) - answered - dropped:
            problems.append(f"logged edits never sent or refused: {sorted(unknown)}")
        return problems


class SaleWrites:
    """Portal sales by the logged-in demo producer, sale n of quantity n + 1 with its own
    submission key; each answered sale is one Sale with its creation log entry, and the
    roll-ups stay the sums of the sales."""

    expected = 302
    drops_on_kill = (1,)
    PATH = "/portal/ban-hang/"

    def __init__(self, before, port):
        self.cookies, _token = soak.producer_login(port)
        product = next(product for product in before["editable"] if product["live"])
        path = f"{self.PATH}?product={product['pk']}"
        status, _headers, html = soak.http(port, "GET", soak.PRODUCER_HOST, path, self.cookies)
        assert status == 200, f"sales page answered {status}"
        [form] = [form for form in post_forms(html) if form.action == self.PATH]
        self.form = form.base({})
        self.form["unit_price_vnd"] = self.form["unit_price_vnd"] or ["30.000"]
        self.form["unit"] = self.form["unit"] or ["kg"]

    @staticmethod
    def key(n):
        return str(uuid.UUID(int=n + 1))

    def send(self, port, n):
        form = {**self.form, "submission_key": self.key(n), "quantity": str(n + 1)}
        return soak.http(port, "POST", soak.PRODUCER_HOST, self.PATH, self.cookies, form)[0]

    def check(self, before, after, clients):
        sales, problems = after["sales"], []
        keys = Counter(row["submission_key"] for row in sales["rows"] if row["submission_key"])
        for n in clients.answered:
            if keys[self.key(n)] != 1:
                problems.append(f"answered sale {n} recorded {keys[self.key(n)]} times")
        sent = {self.key(n) for n in [*clients.answered, *clients.dropped]}
        old = {row["submission_key"] for row in before["sales"]["rows"]}
        if unknown := set(keys) - sent - old:
            problems.append(f"sales never sent or refused: {sorted(unknown)}")
        created = Counter(pk for action, pk in sales["logs"] if action == SALE_CREATE_ACTION)
        deleted = {pk for action, pk in sales["logs"] if action != SALE_CREATE_ACTION}
        # The demo's own sales were seeded in bulk, without entries: only those made here count.
        ids = {row["pk"] for row in sales["rows"]} - {row["pk"] for row in before["sales"]["rows"]}
        if unlogged := sorted(pk for pk in ids if created[pk] != 1):
            problems.append(f"sales without exactly one creation log entry: {unlogged}")
        if orphans := sorted(set(created) - ids - deleted - {row["pk"] for row in sales["rows"]}):
            problems.append(f"creation log entries of sales never saved: {orphans}")
        # The roll-ups, summed again from the sales.
        by_channel, by_product = Counter(), Counter()
        for row in sales["rows"]:
            month, category = row["sold_on"][:8] + "01", row["category_id"] or 0
            for totals, key in ((by_channel, (month, row["channel"], category)),
                                (by_product, (month, row["product_id"], category))):
                totals[key + ("amount",)] += row["amount_vnd"]
                totals[key + ("count",)] += 1
        for name, totals, column in (("months", by_channel, "channel"),
                                     ("product_months", by_product, "product_id")):
            rolled = Counter()
            for row in sales[name]:
                key = (row["month"], row[column], row["category_key"])
                rolled[key + ("amount",)] += row["amount_vnd"]
                rolled[key + ("count",)] += row["sale_count"]
            if +rolled != +totals:
                problems.append(f"{name} roll-up differs from the sales: {rolled - totals} "
                                f"over, {totals - rolled} under")
        by_year = Counter()
        for row in sales["rows"]:
            key = (row["sold_on"][:8] + "01", row["category_id"] or 0)
            by_year[key + ("amount",)] += row["amount_vnd"]
            by_year[key + ("digital",)] += row["amount_vnd"] * (row["channel"] in DIGITAL_CHANNELS)
            by_year[key + ("channels",)] |= channel_bit(row["channel"])
        rolled = Counter()
        for row in sales["producer_months"]:
            key = (row["month"], row["category_key"])
            rolled[key + ("amount",)] += row["amount_vnd"]
            rolled[key + ("digital",)] += row["digital_vnd"]
            rolled[key + ("channels",)] |= row["channels"]
        if +rolled != +by_year:
            problems.append(f"producer-year roll-up differs from the sales: {rolled - by_year} "
                            f"over, {by_year - rolled} under")
        channel_sums = Counter({
            (row["month"], row["channel"], row["category_key"]): row["amount_vnd"]
            for row in sales["commune_channel_sums"]
        })
        channel_rolled = Counter({
            (row["month"], row["channel"], row["category_key"]): row["amount_vnd"]
            for row in sales["commune_channel_months"]
        })
        if channel_rolled != channel_sums:
            problems.append(f"commune channel roll-up differs from the commune's sales: "
                            f"{channel_rolled - channel_sums} over, "
                            f"{channel_sums - channel_rolled} under")
        return problems


WRITES = [ScanWrites, QuickEditWrites, SaleWrites]


class Clients:
    """Threads sending one kind of write after another until the block ends."""

    def __init__(self, server, writes, threads=4):
        self.server, self.writes, self.threads = server, writes, threads
        self.answered, self.unexpected, self.dropped = [], [], []
        self.answered_at = {}  # n: time.monotonic() when its answer came
        self.killed_at = None
        self.in_flight = set()
        self.numbers = itertools.count()
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def _run(self):
        while not self.stopping.is_set():
            with self.lock:
                n = next(self.numbers)
                self.in_flight.add(n)
            try:
                status = self.writes.send(self.server.port, n)
            except (OSError, http.client.HTTPException):  # reset, closed without an answer
                with self.lock:
                    self.dropped.append(n)
            else:
                with self.lock:
                    if status == self.writes.expected:
                        self.answered.append(n)
                        self.answered_at[n] = time.monotonic()
                    else:
                        self.unexpected.append((n, status))
            finally:
                with self.lock:
                    self.in_flight.discard(n)

    def wait_for(self, count, seconds=30):
        """Until ``count`` more requests were answered."""
        target = len(self.answered) + count
        deadline = time.monotonic() + seconds
        while len(self.answered) < target:
            assert time.monotonic() < deadline, f"{len(self.answered)} answered, {target} awaited"
            assert not self.unexpected, self.unexpected
            time.sleep(0.02)

    def __enter__(self):
        self.running = [threading.Thread(target=self._run) for _ in range(self.threads)]
        for thread in self.running:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.running:
            thread.join(timeout=60)


def write_lock_holder(shm):
    """The pid holding SQLite's WAL write lock on this database, or None."""
    inode = f":{shm.stat().st_ino}"
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if fields[1:4] == ["POSIX", "ADVISORY", "WRITE"] and fields[5].endswith(inode):
            if fields[6] == WAL_WRITE_LOCK_BYTE:
                return int(fields[4])
    return None


def kill_inside_a_write(server, workers, seconds=20):
    """SIGKILL a worker while it holds the write lock, i.e. in the middle of a transaction;
    returns its pid and the time it was stopped.

    The worker is stopped first and the lock looked up again, so the kill cannot land just
    after its commit; a worker found between transactions is let go on.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        holder = write_lock_holder(server.shm)
        if holder not in workers:
            continue
        os.kill(holder, signal.SIGSTOP)
        stopped_at = time.monotonic()
        if write_lock_holder(server.shm) == holder:
            os.kill(holder, signal.SIGKILL)
            return holder, stopped_at
        os.kill(holder, signal.SIGCONT)
    pytest.fail(f"no worker seen holding the write lock within {seconds} s")


@pytest.mark.parametrize("case", WRITES, ids=lambda case: case.__name__)
def test_a_worker_killed_inside_a_write_leaves_nothing_half_written(demo, tmp_path, case):
    before = demo["books"]
    with serve(demo, tmp_path) as server:
        writes = case(before, server.port)
        with Clients(server, writes) as clients:
            # Both workers answer before one of them is killed.
            deadline = time.monotonic() + 30
            while len({pid for pid, _ in server.answers()}) < 2:
                assert time.monotonic() < deadline, server.log.read_text()[-2000:]
                clients.wait_for(1)
            workers = server.workers()
            assert len(workers) == 2
            mark = server.log.stat().st_size
            killed, clients.killed_at = kill_inside_a_write(server, workers)
            survivor = (workers - {killed}).pop()
            # The other worker goes on answering, before and beside the master's replacement.
            while sum(pid == survivor for pid, _ in server.answers(mark)) < 5:
                clients.wait_for(1)
    after = soak.books(server.env)

    assert clients.unexpected == []
    # The killed worker's request (if it was in one), and only it, went unanswered.
    assert len(clients.dropped) in writes.drops_on_kill
    assert all(status < 500 for _pid, status in server.answers())
    assert soak.consistency(before, after) == []
    assert writes.check(before, after, clients) == []


def test_scans_buffered_in_workers_survive_a_graceful_restart_and_shutdown(demo, tmp_path):
    """gunicorn's SIGHUP replaces the workers and SIGTERM stops them; each writes the scans it
    holds as it exits. The flush interval is a minute here, so every row counted was written
    by a worker on its way out."""
    before = demo["books"]
    with serve(demo, tmp_path, SCAN_FLUSH_SECONDS="60") as server:
        with Clients(server, ScanWrites(before, server.port), threads=2) as clients:
            clients.wait_for(50)
            old = server.workers()
            os.kill(server.process.pid, signal.SIGHUP)
            deadline = time.monotonic() + 30
            while server.workers() & old or len(server.workers()) < 2:
                assert time.monotonic() < deadline, server.log.read_text()[-2000:]
                time.sleep(0.05)
            clients.wait_for(50)
        restarted = soak.books(server.env)
    after = soak.books(server.env)

    assert clients.unexpected == []
    assert clients.dropped == []
    # The old workers wrote theirs as they exited; the new ones still held theirs.
    assert before["scans"] < restarted["scans"] < before["scans"] + len(clients.answered)
    assert after["scans"] - before["scans"] == len(clients.answered)
    assert soak.consistency(before, after) == []


def test_writers_waiting_for_a_held_write_lock_are_answered_in_turn(demo, tmp_path):
    """A long write elsewhere (here a connection holding BEGIN IMMEDIATE) makes every worker's
    edits wait for the lock (and the scans sent to a worker busy with one); they are answered
    when it is released, never a 500. Buffered scans are written once the lock is free."""
    before = demo["books"]
    with serve(demo, tmp_path) as server:
        kinds = [case(before, server.port) for case in WRITES]
        with Clients(server, kinds[0], threads=3) as scans, Clients(server, kinds[1]) as edits:
            scans.wait_for(3)
            edits.wait_for(3)
            waited = []
            for _round in range(2):
                holder = sqlite3.connect(server.database, isolation_level=None)
                holder.execute("BEGIN IMMEDIATE")
                held = holder.execute("SELECT COUNT(*) FROM products_scan").fetchone()[0]
                time.sleep(0.5)
                # Nothing was written meanwhile, and writes were waiting for the lock.
                assert holder.execute("SELECT COUNT(*) FROM products_scan").fetchone()[0] == held
                with scans.lock, edits.lock:
                    waiting = [("scan", n) for n in scans.in_flight]
                    waiting += [("edit", n) for n in edits.in_flight]
                assert waiting
                holder.execute("COMMIT")
                holder.close()
                waited += waiting
                scans.wait_for(3)
                edits.wait_for(1)
    after = soak.books(server.env)

    for clients in (scans, edits):
        assert clients.unexpected == []
        assert clients.dropped == []
    assert all(status < 500 for _pid, status in server.answers())
    # Every write that waited for the lock was answered once it was free.
    answered = {("scan", n) for n in scans.answered} | {("edit", n) for n in edits.answered}
    assert set(waited) <= answered
    assert soak.consistency(before, after) == []
    assert after["scans"] - before["scans"] == len(scans.answered)
    assert sorted(soak.new_edit_prices(before, after).elements()) == sorted(
        soak.FIRST_PRICE + n for n in edits.answered
    )


def test_a_backup_taken_during_writes_restores_to_a_consistent_instance(demo, tmp_path):
    before = demo["books"]
    with serve(demo, tmp_path) as server:
        kinds = [case(before, server.port) for case in WRITES]
        with Clients(server, kinds[0], threads=2) as scans, Clients(server, kinds[1]) as edits:
            edits.wait_for(3)
            result = manage(server.env, "backup", "--output", str(tmp_path / "backup"))
            assert result.returncode == 0, result.stderr
            # Writes went on after the backup: the restored books must be a moment between.
            scans.wait_for(3)
            edits.wait_for(3)
    final = soak.books(server.env)

    target = production_env(
        tmp_path / "target",
        DATABASE_URL=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        REDIS_URL=None,
    )
    restored = python(target, RESTORE, tmp_path / "backup")

    assert restored["integrity"] == "ok"
    assert soak.consistency(before, restored) == []
    # The backup is one moment of the history: every write committed up to it, none after.
    assert before["scans"] < restored["scans"] < final["scans"]
    assert len(before["edits"]) < len(restored["edits"]) < len(final["edits"])
    assert restored["edits"] == final["edits"][: len(restored["edits"])]


class RedisServer:
    """A throw-away redis-server on a loopback port, which can be stopped and started again."""

    def __init__(self, folder):
        self.binary = tool("redis-server")
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _attempt in range(200):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def page_cache_status(server, host, path, cookies=None):
    status, headers, body = soak.http(server.port, "GET", host, quote(path), cookies)
    return status, dict(headers).get("X-Page-Cache"), body


@pytest.mark.system
def test_redis_stopped_mid_run_keeps_pages_served_and_nobody_logged_out(demo, tmp_path):
    before = demo["books"]
    (host, path), (home_host, home) = before["products"][0], before["communes"][0]
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    try:
        with serve(demo, tmp_path, REDIS_URL=redis_server.url) as server:
            edits = QuickEditWrites(before, server.port)  # logged in, session in Redis
            assert page_cache_status(server, host, path)[:2] == (200, "miss")
            assert page_cache_status(server, host, path)[:2] == (200, "hit")

            redis_server.stop()
            # Pages are rendered (Wagtail's own reads of the default cache miss too).
            for page_host, page_path in ((host, path), (home_host, home)):
                status, _, body = page_cache_status(server, page_host, page_path)
                assert status == 200
                assert "<h1" in body
            # The producer is still logged in (the session is read from the database)...
            status, _, body = page_cache_status(
                server, soak.PRODUCER_HOST, "/portal/", edits.cookies
            )
            assert status == 200
            assert "csrfmiddlewaretoken" in body
            # ...can save a price, and a new login works; scans are recorded.
            assert edits.send(server.port, 1) == 302
            assert QuickEditWrites(before, server.port).send(server.port, 2) == 302
            assert ScanWrites(before, server.port).send(server.port, 0) == 302

            redis_server.start()  # back, empty: the page cache fills again
            assert page_cache_status(server, host, path)[:2] == (200, "miss")
            assert page_cache_status(server, host, path)[:2] == (200, "hit")
            assert edits.send(server.port, 3) == 302
    finally:
        redis_server.stop()
    after = soak.books(server.env)

    assert all(status < 500 for _pid, status in server.answers())
    assert soak.consistency(before, after) == []
    assert sorted(soak.new_edit_prices(before, after)) == [soak.FIRST_PRICE + n for n in (1, 2, 3)]
    assert after["scans"] == before["scans"] + 1
