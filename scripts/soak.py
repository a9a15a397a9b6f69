#!/usr/bin/env python
"""`make soak`: many connections of mixed reads and writes against `make serve`, then the books.

The server is what `make serve` runs (production settings, gunicorn with 2 sync workers,
SQLite in WAL mode, the file page cache, plain HTTP on loopback) on a throw-away database
loaded with the demo communes. For ``--duration`` seconds ``--connections`` clients each send
one request after another: product pages, commune home pages, searches, QR scans and price
edits in the producer portal. Afterwards the database is read back: every scan and every edit
that was answered must be recorded exactly once, and no request may have ended in a 5xx, a
timeout or a dropped connection. Exit status 1 otherwise. The figures go into
docs/benchmarks.md, in its own section.

Only Python is needed: the client is asyncio on plain sockets (wrk cannot log in and check
what each edit answered).

    .venv/bin/python scripts/soak.py [--connections 200] [--duration 60]
"""

import argparse
import asyncio
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import bench  # scripts/ is on sys.path when this file runs: the server and seeding helpers

BASE_DIR = bench.BASE_DIR
PYTHON = bench.PYTHON
DOCS = BASE_DIR / "docs" / "benchmarks.md"
SECTION = bench.SOAK_SECTION

# The demo producer of docs/quickstart and the portal's own tests.
PRODUCER_HOST = "tanan.localhost"
PRODUCER_PHONE = "0912345601"
PRODUCER_PASSWORD = "demo12345"  # the published demo account (producers/demo_accounts.py)
# A phone browser: a link-preview bot's scan would not be recorded (products/services.py).
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; SM-A146P) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
# Out of every 20 requests; a price edit (a revision, its publication, the audit log entry
# and the page cache cleared) costs some twenty page views.
MIX = (("product", 8), ("commune", 3), ("search", 3), ("scan", 5), ("edit", 1))
EXPECTED_STATUS = {"product": 200, "commune": 200, "search": 200, "scan": 302, "edit": 302}
LABELS = {
    "product": "product page",
    "commune": "commune home page",
    "search": "search",
    "scan": "QR scan /q/ (302)",
    "edit": "portal price edit (POST, 302)",
}
SEARCHES = ("lạp xưởng", "thanh long", "buoi da xanh", "gạo")
FIRST_PRICE = 1_000_000  # edit n sets FIRST_PRICE + n đồng: every edit is told apart
TIMEOUT = 30  # seconds, as gunicorn's worker timeout


# --------------------------------------------------------------------------------------------
# Inside Django (a child process with the soak environment)
# --------------------------------------------------------------------------------------------


def probe():
    """Print what the load needs (URLs, codes, the producer's products) and the books."""
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import Q, Sum
    from django.db.models.functions import TruncMonth
    from wagtail.models import ModelLogEntry, Page, PageLogEntry, Site

    from producers.models import ProducerPage
    from producers.portal.wagtail_hooks import QUICK_EDIT_ACTION
    from producers.revenue.models import (
        RevenueChannelYear,
        RevenueMonth,
        RevenueProducerYear,
        RevenueProductYear,
        Sale,
        month_field,
    )
    from producers.revenue.services import SALE_CREATE_ACTION, SALE_DELETE_ACTION
    from products.models import ProductPage, Scan, ShortCode
    from showcase.models import CommuneHomePage

    hosts = {site.pk: site.hostname for site in Site.objects.all()}

    def located(page):
        site_id, _root, path = page.get_url_parts()
        return [hosts[site_id], path]

    producer = ProducerPage.objects.get(phone=PRODUCER_PHONE)
    commune_id = Sale.objects.filter(producer=producer).values_list("commune_id", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check" if connection.vendor == "sqlite" else "SELECT 'ok'")
        integrity = cursor.fetchone()[0]
    edits = [
        {
            "id": entry.pk,
            "page": entry.page_id,
            "revision": entry.revision_id,
            "price": entry.data["changes"].get("price_vnd", {}).get("new"),
        }
        for entry in PageLogEntry.objects.filter(action=QUICK_EDIT_ACTION).order_by("pk")
    ]
    editable = ProductPage.objects.child_of(producer).order_by("path")
    sale_fields = ("pk", "submission_key", "sold_on", "channel", "category_id", "product_id",
                   "amount_vnd")
    rollup_fields = ("month", "category_key", "amount_vnd", "sale_count")
    sale_logs = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Sale),
        action__in=[SALE_CREATE_ACTION, SALE_DELETE_ACTION],
    )
    # The demo producer's sales, their log entries and roll-ups, as plain values.
    sales = {
        "rows": [
            {**row, "submission_key": str(row["submission_key"] or ""),
             "sold_on": row["sold_on"].isoformat()}
            for row in Sale.objects.filter(producer=producer).order_by("pk").values(*sale_fields)
        ],
        "logs": [[action, int(object_id)] for action, object_id in
                 sale_logs.order_by("pk").values_list("action", "object_id")],
        "months": [
            {**row, "month": row["month"].isoformat()}
            for row in RevenueMonth.objects.filter(producer=producer)
            .order_by("pk").values("channel", *rollup_fields)
        ],
        "product_months": [
            {"product_id": row.product_id, "category_key": row.category_key,
             "month": month.isoformat(), "amount_vnd": amount, "sale_count": count}
            for row in RevenueProductYear.objects.filter(producer=producer).order_by("pk")
            for month, amount, count in row.months()
        ],
        "producer_months": [
            {"category_key": row.category_key, "month": f"{row.year}-{m:02d}-01",
             "amount_vnd": getattr(row, month_field("m", m)),
             "digital_vnd": getattr(row, month_field("d", m)),
             "channels": getattr(row, month_field("c", m))}
            for row in RevenueProducerYear.objects.filter(producer=producer, category_key__gte=0)
            .order_by("pk")
            for m in range(1, 13)
            if getattr(row, month_field("c", m))
        ],
        # The commune's channel roll-up, and the same figures summed from its sales.
        "commune_channel_months": [
            {"month": f"{row.year}-{m:02d}-01", "channel": row.channel,
             "category_key": row.category_key, "amount_vnd": getattr(row, month_field("m", m))}
            for row in RevenueChannelYear.objects.filter(commune_id=commune_id, category_key__gte=0)
            .order_by("pk")
            for m in range(1, 13)
            if getattr(row, month_field("m", m))
        ],
        "commune_channel_sums": [
            {"month": row["month"].isoformat(), "channel": row["channel"],
             "category_key": row["category_id"] or 0, "amount_vnd": row["amount"]}
            for row in Sale.objects.filter(commune_id=commune_id)
            .annotate(month=TruncMonth("sold_on")).values("month", "channel", "category_id")
            .annotate(amount=Sum("amount_vnd")).order_by()
            if row["amount"]
        ],
    }
    print(
        json.dumps(
            {
                "products": [located(p) for p in ProductPage.objects.live().order_by("path")],
                "communes": [located(p) for p in CommuneHomePage.objects.live().order_by("path")],
                "hosts": sorted(set(hosts.values())),
                "codes": list(
                    ShortCode.objects.filter(product__live=True)
                    .order_by("code")
                    .values_list("code", flat=True)
                ),
                "editable": [
                    {
                        "pk": p.pk,
                        "unit": p.price_unit,
                        "in_stock": p.in_stock,
                        "months": p.season_months,
                        "price": p.price_vnd,
                        "live": p.live,
                        "latest_revision": p.latest_revision_id,
                        "live_revision": p.live_revision_id,
                        "revisions": [
                            [revision.pk, revision.content.get("price_vnd")]
                            for revision in p.revisions.order_by("pk")
                        ],
                    }
                    for p in editable
                ],
                "scans": Scan.objects.count(),
                "incomplete_scans": Scan.objects.filter(
                    Q(product=None) | Q(device="") | Q(in_app="")
                ).count(),
                "edits": edits,
                "sales": sales,
                "integrity": integrity,
                "tree_problems": sum(len(found) for found in Page.find_problems()),
            }
        ),
        flush=True,
    )


def consistency(before, after):
    """What is half-written in ``after``, as sentences: the database, the page tree, scans,
    and the producer's products, their revisions and the audit log of the edits made since
    ``before``. Empty when every write is whole."""
    problems = []
    if after["integrity"] != "ok":
        problems.append(f"database integrity check: {after['integrity']}")
    if after["tree_problems"]:
        problems.append(f"page tree: {after['tree_problems']} problems")
    if after["incomplete_scans"]:
        problems.append(f"{after['incomplete_scans']} scans without product or device")
    old_revisions = {r[0] for product in before["editable"] for r in product["revisions"]}
    known = {entry["id"] for entry in before["edits"]}
    new_edits = [entry for entry in after["edits"] if entry["id"] not in known]
    logged = Counter(entry["revision"] for entry in new_edits)
    for product in after["editable"]:
        revisions = dict(map(tuple, product["revisions"]))
        pk = product["pk"]
        if product["latest_revision"] not in revisions:
            problems.append(f"product {pk}: latest revision {product['latest_revision']} missing")
        if product["live"] and revisions.get(product["live_revision"]) != product["price"]:
            problems.append(
                f"product {pk}: live price {product['price']}, live revision "
                f"{product['live_revision']} has {revisions.get(product['live_revision'])}"
            )
        for revision, price in product["revisions"]:
            if revision not in old_revisions and logged[revision] != 1:
                problems.append(
                    f"product {pk}: revision {revision} ({price} đồng) has "
                    f"{logged[revision]} audit log entries"
                )
        edits = [entry for entry in new_edits if entry["page"] == pk]
        for entry in edits:
            if revisions.get(entry["revision"]) != entry["price"]:
                problems.append(
                    f"product {pk}: edit {entry['id']} logged {entry['price']} đồng, its "
                    f"revision {entry['revision']} has {revisions.get(entry['revision'])}"
                )
        if edits and product["live"] and edits[-1]["price"] != product["price"]:
            problems.append(
                f"product {pk}: live price {product['price']}, last logged edit "
                f"{edits[-1]['price']}"
            )
    return problems


def new_edit_prices(before, after):
    """The prices set by the quick edits logged since ``before``, with their counts."""
    known = {entry["id"] for entry in before["edits"]}
    return Counter(entry["price"] for entry in after["edits"] if entry["id"] not in known)


# --------------------------------------------------------------------------------------------
# Setting up: database, demo, login
# --------------------------------------------------------------------------------------------


def serve_env(workdir):
    """The environment `make serve` gives gunicorn, on a throw-away database and folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="commune_site.settings.production",
        DJANGO_SECRET_KEY="soak-only-" + uuid.uuid4().hex,
        DJANGO_ALLOWED_HOSTS="localhost,.localhost,127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SERVE_MEDIA="true",
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'soak.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        PAGE_CACHE_DIR=str(workdir / "page-cache"),
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def load_demo(env, *, port):
    """Migrate the throw-away database, collect static files and load the demo communes,
    their Sites on ``port``."""
    bench.manage(env, "migrate", "--noinput", capture=True)
    bench.manage(env, "createcachetable")
    bench.manage(env, "collectstatic", "--noinput", capture=True)
    # Production never creates demo accounts, so the demo is loaded with the development
    # settings into the same database, as tests/test_nginx.py does.
    dev = {**env, "DJANGO_SETTINGS_MODULE": "commune_site.settings.dev"}
    bench.manage(dev, "seed_demo", "--port", str(port), capture=True)


def books(env):
    result = subprocess.run(
        [PYTHON, __file__, "--probe"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def http(port, method, host, path, cookies=None, form=None):
    """One request with http.client: (status, headers as a list, body text)."""
    connection = HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {"Host": host, "User-Agent": PHONE_AGENT}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode(errors="replace")
    finally:
        connection.close()


def keep_cookies(cookies, headers):
    for name, value in headers:
        if name.lower() == "set-cookie":
            for morsel in SimpleCookie(value).values():
                cookies[morsel.key] = morsel.value


def form_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def producer_login(port):
    """Log the demo producer into the portal: the session and CSRF cookies and a form token."""
    cookies = {}
    status, headers, html = http(port, "GET", PRODUCER_HOST, "/portal/dang-nhap/")
    assert status == 200, f"login page answered {status}"
    keep_cookies(cookies, headers)
    form = {
        "csrfmiddlewaretoken": form_token(html),
        "phone": PRODUCER_PHONE,
        "password": PRODUCER_PASSWORD,
    }
    status, headers, _ = http(port, "POST", PRODUCER_HOST, "/portal/dang-nhap/", cookies, form)
    assert status == 302, f"login answered {status}"
    keep_cookies(cookies, headers)
    status, headers, html = http(port, "GET", PRODUCER_HOST, "/portal/", cookies)
    assert status == 200, f"portal answered {status}"
    keep_cookies(cookies, headers)
    return cookies, form_token(html)


# --------------------------------------------------------------------------------------------
# The load
# --------------------------------------------------------------------------------------------


def raw_request(method, host, path, headers=(), body=b""):
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}",
        f"User-Agent: {PHONE_AGENT}",
        "Connection: close",
        *headers,
    ]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def edit_form(product, price, token):
    """The portal's quick-edit form of ``product`` (as ``books`` lists it) with a new price."""
    prefix = f"p{product['pk']}-"
    return {
        "csrfmiddlewaretoken": token,
        prefix + "price_vnd": str(price),
        prefix + "price_unit": product["unit"],
        prefix + "in_stock": "1" if product["in_stock"] else "0",
        prefix + "season_months": product["months"],
    }


class Mix:
    """The n-th request of the run, in the proportions of MIX, each target taken in turn."""

    def __init__(self, targets, cookies, token):
        self.slots = [kind for kind, weight in MIX for _ in range(weight)]
        self.targets = targets
        self.cookie = "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.token = token
        self.count = Counter()
        self.editable = [product for product in targets["editable"] if product["live"]]
        self.searches = [
            (host, "/tim-kiem/?" + urlencode({"q": query}))
            for query in SEARCHES
            for host in targets["hosts"]
        ]

    def next(self):
        kind = self.slots[sum(self.count.values()) % len(self.slots)]
        n = self.count[kind]
        self.count[kind] += 1
        if kind == "product":
            host, path = self.targets["products"][n % len(self.targets["products"])]
            return kind, None, raw_request("GET", host, quote(path))
        if kind == "commune":
            host, path = self.targets["communes"][n % len(self.targets["communes"])]
            return kind, None, raw_request("GET", host, quote(path))
        if kind == "search":
            host, path = self.searches[n % len(self.searches)]
            return kind, None, raw_request("GET", host, path)
        if kind == "scan":
            code = self.targets["codes"][n % len(self.targets["codes"])]
            return kind, None, raw_request("GET", "localhost", f"/q/{code}")
        product = self.editable[n % len(self.editable)]
        price = FIRST_PRICE + n
        form = edit_form(product, price, self.token)
        body = urlencode(form, doseq=True).encode()
        request = raw_request(
            "POST",
            PRODUCER_HOST,
            f"/portal/san-pham/{product['pk']}/",
            [self.cookie, "Content-Type: application/x-www-form-urlencoded"],
            body,
        )
        return kind, price, request


async def send(port, request):
    """Send one request and read the whole answer; returns its status code."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # gunicorn's sync workers close the connection after each answer
        if not status_line:
            raise ConnectionError("closed without an answer")
        return int(status_line.split()[1])
    finally:
        writer.close()


async def load(port, mix, connections, duration):
    results = defaultdict(lambda: {"statuses": Counter(), "latencies": [], "answered": []})
    deadline = time.monotonic() + duration

    async def client():
        while time.monotonic() < deadline:
            kind, price, request = mix.next()
            row = results[kind]
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(send(port, request), TIMEOUT)
            except TimeoutError:
                row["statuses"]["timeout"] += 1
                continue
            except OSError as error:  # refused, reset, closed early
                row["statuses"][f"dropped ({type(error).__name__})"] += 1
                continue
            row["latencies"].append(time.perf_counter() - started)
            row["statuses"][status] += 1
            if status == EXPECTED_STATUS[kind] and price is not None:
                row["answered"].append(price)

    began = time.monotonic()
    await asyncio.gather(*(client() for _ in range(connections)))
    return results, time.monotonic() - began


# --------------------------------------------------------------------------------------------
# The books and the report
# --------------------------------------------------------------------------------------------


def check(results, before, after):
    """The failures, as sentences; none when the run passes."""
    failures = []
    for kind, row in sorted(results.items()):
        wrong = {s: n for s, n in row["statuses"].items() if s != EXPECTED_STATUS[kind]}
        if wrong:
            failures.append(f"{LABELS[kind]}: unexpected answers {wrong}")
    answered_scans = results["scan"]["statuses"][EXPECTED_STATUS["scan"]]
    recorded_scans = after["scans"] - before["scans"]
    if recorded_scans != answered_scans:
        failures.append(f"scans: {answered_scans} answered, {recorded_scans} recorded")
    answered = Counter(results["edit"]["answered"])
    recorded = new_edit_prices(before, after)
    if recorded != answered:
        failures.append(
            f"edits: {answered.total()} answered, {recorded.total()} recorded; "
            f"answered but not recorded {sorted(answered - recorded)[:10]}, "
            f"recorded but not answered {sorted(recorded - answered)[:10]}, "
            f"recorded twice {sorted(p for p, n in recorded.items() if n > 1)[:10]}"
        )
    failures += consistency(before, after)
    revisions = sum(len(p["revisions"]) for p in after["editable"]) - sum(
        len(p["revisions"]) for p in before["editable"]
    )
    return failures, {
        "scans": (answered_scans, recorded_scans),
        "edits": (answered.total(), recorded.total(), revisions),
    }


def milliseconds(values, fraction):
    if not values:
        return "—"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000:.0f}"


def table(results, wall):
    lines = [
        "| request | answered | req/s | p50 ms | p99 ms | max ms | 5xx | timeouts | dropped "
        "| other |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals = Counter()
    for kind, _weight in MIX:
        row = results[kind]
        statuses = row["statuses"]
        good = statuses[EXPECTED_STATUS[kind]]
        server_errors = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500)
        timeouts = statuses["timeout"]
        dropped = sum(n for s, n in statuses.items() if str(s).startswith("dropped"))
        other = sum(statuses.values()) - good - server_errors - timeouts - dropped
        totals.update(
            answered=good, errors=server_errors, timeouts=timeouts, dropped=dropped, other=other
        )
        lines.append(
            f"| {LABELS[kind]} | {good} | {good / wall:.1f} | "
            f"{milliseconds(row['latencies'], 0.5)} | {milliseconds(row['latencies'], 0.99)} | "
            f"{milliseconds(row['latencies'], 1.0)} | {server_errors} | {timeouts} | {dropped} | "
            f"{other} |"
        )
    every = [value for row in results.values() for value in row["latencies"]]
    lines.append(
        f"| **all** | {totals['answered']} | {totals['answered'] / wall:.1f} | "
        f"{milliseconds(every, 0.5)} | {milliseconds(every, 0.99)} | {milliseconds(every, 1.0)} | "
        f"{totals['errors']} | {totals['timeouts']} | {totals['dropped']} | {totals['other']} |"
    )
    return "\n".join(lines)


def write_section(text, path=DOCS):
    """Put the soak section at the end of docs/benchmarks.md, replacing the previous one."""
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    kept = current.split(SECTION, 1)[0].rstrip()
    path.write_text(kept + "\n\n" + text.strip() + "\n")


SECTION_TEXT = """{heading}

Written by `make soak` (scripts/soak.py) on {date}: **{verdict}**.

- Machine: {machine}; load average (1 min) {load}. Server and client share these
  cores with whatever else runs, so the rates are this run's, not the server's limit.
- Server: as `make serve` runs it: gunicorn, 2 sync workers, production settings, SQLite in
  WAL mode, the file page cache, plain HTTP on 127.0.0.1; the demo communes ({products}
  products, {codes} printed codes) on a throw-away database, each page viewed once first.
- Load: {connections} connections for {duration} s, each sending one request after another
  (an asyncio client in Python, a new connection per request, {timeout} s timeout).
- Mix, out of every {slots} requests: {mix}. Searches are `/tim-kiem/` with four queries on
  every site; scans are `/q/CODE` from a phone browser, so each is recorded; edits are
  the portal's quick edit by the demo producer, logged in once, edit n setting the price to
  {first_price} + n đồng so that each is told apart in the audit log.

{table}

Read from the database afterwards:

| write | answered | recorded |
| --- | ---: | ---: |
| QR scans (rows in `products_scan`) | {scans_answered} | {scans_recorded} |
| price edits (audit log entries, each price exactly once) | {edits_answered} | {edits_logged} |
| new page revisions, each with its one log entry | — | {revisions} |

SQLite's `integrity_check`: {integrity}; page tree problems: {tree}; each edited product's
live price is that of its last logged edit and of its live revision.

With 2 sync workers a connection waits its turn behind the others: at {connections}
connections the latency is mostly queueing ({connections} ÷ the throughput), not work.

Faults, each a test in tests/test_faults.py (part of `make test`): a gunicorn worker killed
with SIGKILL while it holds SQLite's write lock (during a scan, a price edit, a portal sale)
leaves no half-written row (a sale is there once with its log entry, and the monthly roll-ups
equal the sums of the sales) and the other worker goes on answering; writers kept waiting by a held
write lock are answered when it is free, never with a 500; a backup taken during writes
restores to one consistent moment; Redis stopped under a running server keeps pages served
and everyone logged in (commune_site/cache_backends.py), and fills again when it is back.
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--output", default=str(DOCS), help="'-' to write no file")
    parser.add_argument("--keep", action="store_true", help="keep the soak folder")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe()
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="commune-soak-"))
    port = bench.free_port()
    env = serve_env(workdir)
    print(f"soak folder {workdir}, port {port}", flush=True)
    try:
        started = time.monotonic()
        load_demo(env, port=80)
        before = books(env)
        print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
        load_before = os.getloadavg()[0]
        with bench.Server(env, port, workdir, page_cache=True):
            # A site that has run a while has its image renditions made; the first view of
            # each page makes them (a second or so each), which is not what is measured here.
            for host, path in before["products"] + before["communes"]:
                http(port, "GET", host, quote(path))
            cookies, token = producer_login(port)
            mix = Mix(before, cookies, token)
            print(f"{args.connections} connections for {args.duration} s", flush=True)
            results, wall = asyncio.run(load(port, mix, args.connections, args.duration))
        load_after = os.getloadavg()[0]
        after = books(env)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    failures, figures = check(results, before, after)
    rendered = table(results, wall)
    print("\n" + rendered + "\n")
    answered_scans, recorded_scans = figures["scans"]
    answered_edits, logged_edits, revisions = figures["edits"]
    print(f"scans answered {answered_scans}, recorded {recorded_scans}")
    print(f"edits answered {answered_edits}, logged {logged_edits}, revisions {revisions}")
    for failure in failures:
        print(f"FAILED: {failure}")
    if args.output != "-":
        slots = sum(weight for _kind, weight in MIX)
        write_section(
            SECTION_TEXT.format(
                heading=SECTION,
                date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                verdict=(
                    "passed: no 5xx, no timeout, no dropped connection, every answered "
                    "scan and edit recorded exactly once"
                    if not failures
                    else "failed: " + "; ".join(failures)
                ),
                machine=bench.machine(),
                load=f"{load_before:.1f} → {load_after:.1f}",
                products=len(before["products"]),
                codes=len(before["codes"]),
                connections=args.connections,
                duration=args.duration,
                timeout=TIMEOUT,
                mix=", ".join(f"{weight} {LABELS[kind]}" for kind, weight in MIX),
                slots=slots,
                first_price=f"{FIRST_PRICE:,}".replace(",", "."),
                scans_answered=answered_scans,
                scans_recorded=recorded_scans,
                edits_answered=answered_edits,
                edits_logged=logged_edits,
                revisions=revisions,
                integrity=f"`{after['integrity']}`",
                tree=after["tree_problems"],
                table=rendered,
            ),
            Path(args.output),
        )
        print(f"wrote {args.output}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
