#!/usr/bin/env python
"""`make bench-revenue`: revenue dashboards, export and import at 10,000 and 1,000,000 sales.

For each database (SQLite in a throw-away file; PostgreSQL in a throw-away cluster started by
scripts/with-postgres) it seeds 100 communes × 20 producers × 10 products with bench.py's
seeder, gives every producer a baseline, inserts 10,000 sales over the last 18 months and
builds the roll-ups, measures, then adds sales up to 1,000,000, rebuilds and measures again:

- the selectors (revenue_total, revenue_by_month, revenue_by_channel, top_products, growth)
  timed in-process for one producer, one commune and the whole province, last 12 months;
- the producer, commune and province dashboards over HTTP against gunicorn (2 workers,
  production settings), one request at a time, logged in with sessions made in the database;
- a full-year province export (`export_sales --all`) as a subprocess: wall time and peak RSS;
- (at 1,000,000) a 10,000-row file imported with `import_sales`.

A view or command that does not exist in this checkout is reported "not available". The
figures go to the "Revenue" section of docs/benchmarks.md, which bench.py keeps.

    .venv/bin/python scripts/bench_revenue.py [--databases sqlite,postgresql] [--sales 1000000]
"""

import argparse
import csv
import datetime
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (  # noqa: E402
    BASE_DIR,
    PYTHON,
    REVENUE_END,
    REVENUE_MARKER,
    SOAK_SECTION,
    Server,
    analyze,
    bench_env,
    free_port,
    machine,
    manage,
    put_section,
)

SMALL_SALES = 10_000
IMPORT_ROWS = 10_000
DAYS = 548  # a year and a half
COMMUNES = 100
PASSWORD = "bench-only-9"
PROVINCE_USER = "bench.tinh"
STAFF_USER = "bench.xa1"
SECTION_MARKER = REVENUE_MARKER
DOCS = BASE_DIR / "docs" / "benchmarks.md"
TARGET_P50 = 0.300
TARGET_RATIO = 1.5
TARGET_GROWTH_MB = 50
TARGET_IMPORT = 5.0
SELECTORS = ("revenue_total", "revenue_by_month", "revenue_by_channel", "top_products", "growth")
DASHBOARDS = ("producer", "commune", "province")


# --------------------------------------------------------------------------------------------
# Steps that run inside Django, in a child process with the bench environment
# --------------------------------------------------------------------------------------------


def _django():
    import django

    django.setup()


def step_accounts(port):
    """Bench users: a producer account in commune 1, its staff, a province officer; baselines."""
    _django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from producers.models import ProducerPage
    from producers.revenue.models import Baseline, BaselineMonth
    from producers.roles import province_group_ensure, staff_group_name
    from producers.selectors import commune_of_page
    from producers.services import producer_account_create
    from showcase.models import CommuneHomePage

    User = get_user_model()
    admin = User.objects.create_superuser("bench-admin", password=PASSWORD)
    User.objects.create_user(PROVINCE_USER, password=PASSWORD).groups.add(
        province_group_ensure()
    )
    first = CommuneHomePage.objects.get(sites_rooted_here__hostname="xa1.localhost")
    User.objects.create_user(STAFF_USER, password=PASSWORD).groups.add(
        Group.objects.get(name=staff_group_name(first))
    )
    producer = ProducerPage.objects.descendant_of(first).order_by("path").first()
    producer_account_create(
        producer=producer, phone=producer.phone, password=PASSWORD, created_by=admin
    )
    rng = random.Random(7)
    baselines = []
    communes = {c.path: c for c in CommuneHomePage.objects.all()}
    for page in ProducerPage.objects.order_by("path"):
        commune = communes[page.path[: len(first.path)]]
        baselines.append(Baseline(producer=page, commune=commune, reference_year=2020))
    assert all(commune_of_page(b.producer).pk == b.commune_id for b in baselines[:3])
    Baseline.objects.bulk_create(baselines, batch_size=1000)
    months = [
        BaselineMonth(
            baseline=b, producer_id=b.producer_id, commune_id=b.commune_id, month=m,
            # About 26 sales of ~4,600,000 đ a month, minus a quarter: growth shows.
            amount_vnd=rng.randint(60, 120) * 1_000_000,
        )
        for b in baselines
        for m in range(1, 13)
    ]
    BaselineMonth.objects.bulk_create(months, batch_size=5000)
    print(json.dumps({"producer_phone": producer.phone, "baselines": len(baselines)}))


def _channel_picker(rng):
    from producers.revenue.models import DIGITAL_CHANNELS, Channel

    digital = [c for c in Channel.values if c in DIGITAL_CHANNELS]
    traditional = [c for c in Channel.values if c not in DIGITAL_CHANNELS]

    def pick(age_share):
        # Digital sales grow from 10 % to 40 % of the sales over the period.
        return rng.choice(digital if rng.random() < 0.4 - 0.3 * age_share else traditional)

    return pick


def step_sales(total):
    """Insert sales until there are ``total``: executemany on SQLite, COPY on PostgreSQL."""
    _django()
    from django.db import connection, transaction
    from django.utils import timezone

    from producers.revenue.models import Sale
    from products.models import ProductPage

    started = time.monotonic()
    have = Sale.objects.count()
    wanted = total - have
    products = {}
    for product in ProductPage.objects.values("pk", "path", "title", "category_id",
                                              "price_vnd"):
        products.setdefault(product["path"][:-4], []).append(product)
    from producers.models import ProducerPage

    producers = [
        (p["pk"], p["path"]) for p in ProducerPage.objects.order_by("path").values("pk", "path")
    ]
    from showcase.models import CommuneHomePage

    commune_by_path = {c.path: c.pk for c in CommuneHomePage.objects.all()}
    steplen = CommuneHomePage.steplen
    entries = [
        (pk, commune_by_path[path[: 2 * steplen]], products[path]) for pk, path in producers
    ]
    rng = random.Random(total + have)
    pick_channel = _channel_picker(rng)
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=DAYS - 1)
    now = timezone.now()
    postgres = connection.vendor == "postgresql"
    fields = [
        "producer_id", "commune_id", "product_id", "product_name", "category_id", "sold_on",
        "quantity", "unit", "unit_price_vnd", "amount_vnd", "channel", "channel_detail",
        "note", "entered_by_staff", "entered_at", "updated_at", "import_key",
    ]
    stamp = now if postgres else connection.ops.adapt_datetimefield_value(now)

    def rows(count):
        for _ in range(count):
            producer_id, commune_id, choices = entries[rng.randrange(len(entries))]
            product = choices[rng.randrange(len(choices))]
            age = rng.randrange(DAYS)
            day = first_day + datetime.timedelta(days=age)
            quantity = rng.randint(1, 40)
            price = round((product["price_vnd"] or 30_000) * rng.uniform(0.9, 1.1) / 500) * 500
            yield (
                producer_id, commune_id, product["pk"], product["title"],
                product["category_id"], day if postgres else day.isoformat(), quantity, "kg",
                price, quantity * price, pick_channel(age / DAYS), "", "",
                rng.random() < 0.1, stamp, stamp, "",
            )

    table = Sale._meta.db_table
    columns = ", ".join(connection.ops.quote_name(Sale._meta.get_field(f).column) for f in fields)
    batch = 100_000
    for offset in range(0, wanted, batch):
        count = min(batch, wanted - offset)
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows(count):
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows(count))
                )
    print(json.dumps({"sales": Sale.objects.count(), "inserted": max(wanted, 0),
                      "seconds": time.monotonic() - started}))


def step_rollups():
    """Rebuild every roll-up from every sale with the service's bulk rebuild; verify."""
    _django()
    from django.db import transaction
    from django.db.models import Count, Q, Sum

    from producers.revenue.models import ROLLUP_MODELS, RevenueProducerYear, Sale
    from producers.revenue.selectors import add_months, month_start
    from producers.revenue.services import revenue_rollup_refresh, revenue_rollups_rebuild

    started = time.monotonic()
    with transaction.atomic():
        counts = revenue_rollups_rebuild()
    seconds = time.monotonic() - started
    # Every roll-up adds up to the sales, and equals what a write's refresh gives.
    sales = Sale.objects.aggregate(amount=Sum("amount_vnd"), count=Count("pk"))
    amounts = {
        model: [f.attname for f in model._meta.concrete_fields
                if f.attname == "amount_vnd" or re.fullmatch(r"m\d\d", f.attname)]
        for model in ROLLUP_MODELS
    }
    rolled = {
        model.__name__: sum(
            value or 0
            for value in model.objects.filter(category_key__gte=0)  # not ALL_CATEGORIES rows
            .aggregate(**{c: Sum(c) for c in columns}).values()
        )
        for model, columns in amounts.items()
    }
    if set(rolled.values()) != {sales["amount"]}:
        raise SystemExit(f"roll-ups do not add up to the sales ({sales['amount']}): {rolled}")
    today = month_start(datetime.date.today())
    months = [add_months(today, -n) for n in range(19)]
    sample = list(
        Sale.objects.order_by("producer_id").values_list("producer_id", flat=True).distinct()[:3]
    )

    communes = set(Sale.objects.filter(producer_id__in=sample).values_list("commune_id"))

    def snapshot():
        return [
            sorted(
                model.objects.filter(
                    Q(producer_id__in=sample) if hasattr(model, "producer")
                    else Q(commune_id__in=[c for (c,) in communes])
                ).values_list(
                    *[f.attname for f in model._meta.concrete_fields if f.attname != "id"]
                )
            )
            for model in ROLLUP_MODELS
        ]

    built = snapshot()
    with transaction.atomic():
        for producer_id in sample:
            revenue_rollup_refresh(producer_id=producer_id, months=months)
        if snapshot() != built:
            raise SystemExit("roll-ups differ from what revenue_rollup_refresh gives")
        transaction.set_rollback(True)
    year = Q(year__gte=add_months(today, -11).year)
    print(json.dumps({
        "seconds": seconds,
        "sales": sales["count"],
        **{f"{name}_rows": count for name, count in counts.items()},
        "producer_year_rows_12": RevenueProducerYear.objects.filter(year).count(),
        "verified_producers": len(sample),
    }))


def step_selectors(repeat):
    """Median and slowest time of each selector, per scope, over the last 12 months."""
    _django()
    from django.db import connection, reset_queries

    from producers.models import ProducerPage
    from producers.revenue import selectors
    from producers.revenue.models import local_today
    from showcase.models import CommuneHomePage

    commune = CommuneHomePage.objects.get(sites_rooted_here__hostname="xa1.localhost")
    producer = ProducerPage.objects.descendant_of(commune).order_by("path").first()
    period = selectors.Period.last_12_months(local_today())
    scopes = {
        "producer": selectors.revenue_scope(producer=producer),
        "commune": selectors.revenue_scope(communes=[commune]),
        "province": selectors.revenue_scope(),
    }
    results = {}
    for scope_name, scope in scopes.items():
        for name in SELECTORS:
            function = getattr(selectors, name)
            function(scope=scope, period=period)  # the first call pays for warming caches
            times = []
            for _ in range(repeat):
                reset_queries()
                started = time.perf_counter()
                function(scope=scope, period=period)
                times.append(time.perf_counter() - started)
            results[f"{scope_name}/{name}"] = {
                "p50": statistics.median(times), "max": max(times), "n": repeat,
            }
    print(json.dumps({"selectors": results, "vendor": connection.vendor}))


def step_vacuum():
    """PostgreSQL's planner statistics after a bulk load, as autovacuum would write them."""
    _django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(json.dumps({"vacuum": True}))


def step_targets():
    """Dashboard URLs by name (None where this checkout has no such view) and sessions."""
    _django()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.core.management import get_commands
    from django.urls import NoReverseMatch, reverse

    from producers.models import ProducerAccount

    def url(name):
        try:
            return reverse(name)
        except NoReverseMatch:
            return None

    def session(user):
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    User = get_user_model()
    producer_user = ProducerAccount.objects.select_related("user").get().user
    commands = get_commands()
    print(json.dumps({
        "producer": ["xa1.localhost", url("portal:revenue"), session(producer_user)],
        "commune": ["localhost", url("revenue_dashboard"),
                    session(User.objects.get(username=STAFF_USER))],
        "province": ["localhost", url("revenue_dashboard"),
                     session(User.objects.get(username=PROVINCE_USER))],
        "export_sales": "export_sales" in commands,
        "import_sales": "import_sales" in commands,
        "producer_phone": producer_user.username,
    }))


def step_import_file(path, phone, seed=10):
    """A 10,000-row CSV as producers keep them: their products, dd/mm/yyyy, Vietnamese headers
    (another ``seed``, other rows: a file not imported before)."""
    _django()
    from producers.models import ProducerPage
    from producers.revenue.models import Channel, local_today
    from products.models import ProductPage

    producer = ProducerPage.objects.get(phone=phone)
    products = list(ProductPage.objects.child_of(producer).values_list("title", "price_vnd"))
    rng = random.Random(int(seed))
    today = local_today()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ngày", "Sản phẩm", "Số lượng", "Đơn vị", "Đơn giá", "Thành tiền",
                         "Kênh bán", "Ghi chú"])
        for number in range(IMPORT_ROWS):
            title, price = rng.choice(products)
            quantity = rng.randint(1, 40)
            price = price or 30_000
            day = today - datetime.timedelta(days=rng.randrange(365))
            writer.writerow([
                f"{day:%d/%m/%Y}", title, quantity, "kg", price, quantity * price,
                str(rng.choice(Channel.choices)[1]), f"Dòng {number + 1}",
            ])
    print(json.dumps({"rows": IMPORT_ROWS}))


# --------------------------------------------------------------------------------------------
# The run of one database (a child of main, so PostgreSQL can be wrapped in with-postgres)
# --------------------------------------------------------------------------------------------


def child(env, *args):
    """Run a step of this script in a child process; return the JSON line it printed last."""
    result = subprocess.run(
        [PYTHON, __file__, "--step", *map(str, args)],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def measured(env, command):
    """Run ``command``; wall seconds, peak RSS in MB of that process, exit status, output."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    # wait4 gives this child's own resource use, not that of every child the bench has had.
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": time.monotonic() - started,
        "peak_mb": usage.ru_maxrss / 1024,
        "status": process.returncode,
        "output": output[-2000:],
    }


def fetch(port, host, path, cookie):
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers={
            "Host": host, "X-Forwarded-Proto": "https", "Cookie": cookie,
        })
        response = connection.getresponse()
        body = response.read()
        return response.status, body
    finally:
        connection.close()


def load_dashboard(port, target, duration, most):
    """One request at a time, after two warm-ups, for ``duration`` s or ``most`` requests."""
    host, path, cookie = target
    for _ in range(2):
        status, body = fetch(port, host, path, cookie)
        if status != 200:
            raise RuntimeError(f"{host}{path} answered {status} to a logged-in request")
    times, deadline = [], time.monotonic() + duration
    while len(times) < most and (time.monotonic() < deadline or len(times) < 5):
        started = time.perf_counter()
        status, _ = fetch(port, host, path, cookie)
        times.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{host}{path} answered {status}")
    times.sort()
    return {
        "p50": statistics.median(times),
        "p99": times[min(len(times) - 1, int(len(times) * 0.99))],
        "n": len(times),
        "bytes": len(body),
    }


def run_database(args, label):
    """Seed, measure at 10,000 sales, grow to ``args.sales``, measure again; write JSON."""
    workdir = Path(tempfile.mkdtemp(prefix="commune-bench-revenue-"))
    port = free_port()
    env = bench_env(workdir, PAGE_CACHE_ENABLED="0")
    env.pop("REDIS_URL", None)
    result = {
        "database": label, "stages": {}, "timings": {}, "load": [os.getloadavg()[0]],
        "params": {name: getattr(args, name)
                   for name in ("communes", "sales", "duration", "requests", "repeat")},
    }

    def timed(name, function, *a):
        started = time.monotonic()
        value = function(*a)
        result["timings"][name] = time.monotonic() - started
        print(f"  {name}: {result['timings'][name]:.1f} s", flush=True)
        return value

    try:
        print(f"[{label}] bench folder {workdir}", flush=True)
        timed("migrate", lambda: (
            manage(env, "migrate", "--noinput", capture=True),
            manage(env, "createcachetable", capture=True),
            manage(env, "collectstatic", "--noinput", capture=True),
        ))
        timed("seed communes", lambda: subprocess.run(
            [PYTHON, str(BASE_DIR / "scripts" / "bench.py"), "--seed", str(args.communes),
             "--port", str(port)],
            cwd=BASE_DIR, env=env, check=True, capture_output=True,
        ))
        accounts = timed("accounts and baselines", child, env, "accounts", port)
        targets = child(env, "targets")
        year_to = datetime.date.today()
        year_from = year_to.replace(year=year_to.year - 1) + datetime.timedelta(days=1)
        for stage, total in (("small", SMALL_SALES), ("large", args.sales)):
            print(f"[{label}] {stage}: {total} sales", flush=True)
            figures = {"sales": total}
            figures["insert"] = timed(f"insert sales to {total}", child, env, "sales", total)
            figures["rollups"] = timed(f"roll-ups at {total}", child, env, "rollups")
            if label == "sqlite":
                analyze(env)
            else:
                child(env, "vacuum")
            figures["selectors"] = child(env, "selectors", args.repeat)["selectors"]
            for name, value in figures["selectors"].items():
                print(f"    {name:<32} p50 {value['p50'] * 1000:8.1f} ms", flush=True)
            figures["dashboards"] = {}
            with Server(env, port, workdir, page_cache=False):
                for name in DASHBOARDS:
                    host, path, cookie = targets[name]
                    if path is None:
                        figures["dashboards"][name] = None
                        print(f"    {name} dashboard: not available", flush=True)
                        continue
                    value = load_dashboard(port, (host, path, cookie), args.duration,
                                           args.requests)
                    figures["dashboards"][name] = value
                    print(f"    {name} dashboard p50 {value['p50'] * 1000:.1f} ms "
                          f"p99 {value['p99'] * 1000:.1f} ms ({value['n']})", flush=True)
            if targets["export_sales"]:
                output = workdir / "export.csv"
                export = measured(env, [
                    PYTHON, "manage.py", "export_sales", "--all", "--from",
                    f"{year_from:%d/%m/%Y}", "--to", f"{year_to:%d/%m/%Y}", "--format", "csv",
                    "--output", str(output),
                ])
                if export["status"] != 0:
                    raise RuntimeError(f"export_sales failed: {export['output']}")
                with open(output, encoding="utf-8-sig") as handle:
                    export["rows"] = sum(1 for _ in handle) - 1
                export["file_mb"] = output.stat().st_size / 1e6
                figures["export"] = export
                print(f"    export {export['rows']} rows {export['seconds']:.1f} s, peak "
                      f"{export['peak_mb']:.0f} MB", flush=True)
            else:
                figures["export"] = None
                print("    export_sales: not available", flush=True)
            result["stages"][stage] = figures
        if targets["import_sales"]:
            path = workdir / "import.csv"
            child(env, "import_file", path, accounts["producer_phone"])
            imported = measured(env, [
                PYTHON, "manage.py", "import_sales", str(path), "--producer",
                accounts["producer_phone"], "--json",
            ])
            if imported["status"] != 0:
                raise RuntimeError(f"import_sales failed: {imported['output']}")
            imported["rows"] = IMPORT_ROWS
            result["import"] = imported
            print(f"    import {IMPORT_ROWS} rows {imported['seconds']:.1f} s", flush=True)
        else:
            result["import"] = None
            print("    import_sales: not available", flush=True)
        result["load"].append(os.getloadavg()[0])
        Path(args.json).write_text(json.dumps(result, indent=1, default=str))
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def measure_again(workdir, args):
    """The dashboards and an import of a kept SQLite bench folder, measured once more."""
    env = bench_env(workdir, PAGE_CACHE_ENABLED="0")
    env.pop("REDIS_URL", None)
    port = free_port()
    # The folder may predate this checkout's migrations and static files.
    manage(env, "migrate", "--noinput", capture=True)
    manage(env, "collectstatic", "--noinput", capture=True)
    print(f"load average (1 min) {os.getloadavg()[0]:.1f}", flush=True)
    targets = child(env, "targets")
    with Server(env, port, workdir, page_cache=False):
        for name in DASHBOARDS:
            value = load_dashboard(port, targets[name], args.duration, args.requests)
            print(f"{name} dashboard p50 {value['p50'] * 1000:.1f} ms "
                  f"p99 {value['p99'] * 1000:.1f} ms ({value['n']})", flush=True)
    path = workdir / "import-again.csv"
    child(env, "import_file", path, targets["producer_phone"], int(time.time()))
    imported = measured(env, [
        PYTHON, "manage.py", "import_sales", str(path), "--producer",
        targets["producer_phone"], "--json",
    ])
    print(f"import {IMPORT_ROWS} rows {imported['seconds']:.1f} s "
          f"(exit {imported['status']})", flush=True)
    print(f"load average (1 min) {os.getloadavg()[0]:.1f}", flush=True)


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def ms(seconds):
    return f"{seconds * 1000:.1f}"


def verdict(ok):
    return "**met**" if ok else "**not met**"


def report(results, args):
    # The parameters the runs used, which --report does not know from its own command line.
    args = argparse.Namespace(**{**vars(args), **results[0].get("params", {})})
    lines = [SECTION_MARKER, "", "## Revenue (issue 10)", ""]
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines += [
        f"Written by `make bench-revenue` (scripts/bench_revenue.py, also run by `make bench`) "
        f"on {when}; machine: {machine()}.",
        "",
        f"- Data: {args.communes} communes × 20 producers × 10 products (bench.py's seeder), a "
        "baseline for every producer, sales over the last 548 days (a year and a half) with "
        "a digital share growing from 10 % to 40 %. The small stage has "
        f"{SMALL_SALES:,} sales; the large one adds sales up to {args.sales:,} on the same "
        "communes. Sales go in with executemany (SQLite, 100,000 a transaction) or COPY "
        "(PostgreSQL); every roll-up is then rebuilt by `revenue_rollups_rebuild` (one grouped "
        "query), checked to add up to the sales and to equal what `revenue_rollup_refresh` "
        "gives for three producers.",
        "- Dashboards, each at its default period (the portal's last 12 months, the admin's "
        "year so far): gunicorn, 2 sync workers, production settings, page cache off, one "
        "request at a time after two warm-ups, logged in with a session made in the database: "
        "the producer portal (`portal:revenue` on xa1.localhost), commune 1's staff and the "
        f"province officer (`revenue_dashboard`). Up to {args.requests} requests or "
        f"{args.duration} s per row; p99 of fewer than 100 requests is about the slowest.",
        "- Export: `export_sales --all --from … --to … --format csv` over the last 12 months, a "
        "subprocess; peak RSS of that process (`wait4`). Growth is the peak at the large stage "
        "minus the peak of the same export at the small one.",
        f"- Import: a {IMPORT_ROWS:,}-row CSV for one producer (`import_sales FILE --producer`),"
        " at the large stage; wall time of the whole command, Django's start included.",
        "- Selectors: called in-process on the same data, last 12 months; p50 of "
        f"{args.repeat} calls after one warm-up.",
        "",
    ]
    for result in results:
        lines += _database_section(result, args)
    lines = [_wrap(line) for line in lines]
    lines.append(READING)
    return "\n".join(lines).rstrip() + "\n"


def _wrap(line):
    """Prose wrapped as the rest of docs/benchmarks.md is; tables, headings and markers kept."""
    if "\n" in line or not line or line[0] in "|#<":
        return line
    return textwrap.fill(
        line, 95, subsequent_indent="  " if line.startswith("- ") else "",
        break_long_words=False, break_on_hyphens=False,
    )


def _database_section(result, args):
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(result["database"],
                                                                 result["database"])
    small, large = result["stages"]["small"], result["stages"]["large"]
    sizes = f"{small['sales']:,}", f"{large['sales']:,}"
    lines = [f"### {label}", ""]
    timings = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in result["timings"].items())
    lines += [f"Time: {timings}. Load average (1 min) before and after: "
              f"{result['load'][0]:.1f} → {result['load'][-1]:.1f}.", ""]
    rolled = large["rollups"]
    lines += [
        f"Roll-ups at {sizes[1]} sales: {rolled['month_rows']:,} month rows (one producer's "
        f"channel table), {rolled['producer_year_rows']:,} producer-year rows "
        f"({rolled['producer_year_rows_12']:,} in the years of the last 12 months), "
        f"{rolled['channel_year_rows']:,} commune channel-year rows, "
        f"{rolled['product_year_rows']:,} product-year rows; built in "
        f"{rolled['seconds']:.1f} s; verified.",
        "",
        f"| request | p50 ms at {sizes[0]} | p99 ms at {sizes[0]} | p50 ms at {sizes[1]} | "
        f"p99 ms at {sizes[1]} | large ÷ small |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    targets = []
    for name in DASHBOARDS:
        a, b = small["dashboards"].get(name), large["dashboards"].get(name)
        if a is None or b is None:
            lines.append(f"| {name} dashboard | not available | | | | |")
            targets.append(f"- {name.capitalize()} dashboard: not available in this checkout.")
            continue
        ratio = b["p50"] / a["p50"]
        lines.append(f"| {name} dashboard | {ms(a['p50'])} | {ms(a['p99'])} | {ms(b['p50'])} "
                     f"| {ms(b['p99'])} | {ratio:.2f} |")
        targets.append(
            f"- {name.capitalize()} dashboard p50 under 300 ms at {sizes[1]}: {ms(b['p50'])} ms "
            f"— {verdict(b['p50'] < TARGET_P50)}; within 1.5 × its time at {sizes[0]}: "
            f"{ratio:.2f} × — {verdict(ratio <= TARGET_RATIO)}"
        )
    for name in SELECTORS:
        for scope in DASHBOARDS:
            key = f"{scope}/{name}"
            a, b = small["selectors"][key], large["selectors"][key]
            lines.append(f"| `{name}`, {scope} (in-process) | {ms(a['p50'])} | {ms(a['max'])} | "
                         f"{ms(b['p50'])} | {ms(b['max'])} | {b['p50'] / a['p50']:.2f} |")
    lines.append("")
    lines.append("Selector rows give the slowest of the calls in the p99 columns.")
    lines.append("")
    a, b = small.get("export"), large.get("export")
    if a and b:
        growth = b["peak_mb"] - a["peak_mb"]
        lines += [
            "| export (full year, province, CSV) | rows | seconds | peak RSS MB | file MB |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| {sizes[0]} sales | {a['rows']:,} | {a['seconds']:.1f} | {a['peak_mb']:.0f} | "
            f"{a['file_mb']:.1f} |",
            f"| {sizes[1]} sales | {b['rows']:,} | {b['seconds']:.1f} | {b['peak_mb']:.0f} | "
            f"{b['file_mb']:.1f} |",
            "",
        ]
        targets.append(f"- Export in constant memory, peak growth under 50 MB: "
                       f"{growth:+.0f} MB — {verdict(growth < TARGET_GROWTH_MB)}")
    else:
        targets.append("- Export: `export_sales` not available in this checkout.")
    imported = result.get("import")
    if imported:
        fast = imported["seconds"] < TARGET_IMPORT
        targets.append(f"- A {IMPORT_ROWS:,}-row file imports in under 5 s: "
                       f"{imported['seconds']:.1f} s — {verdict(fast)}")
    else:
        targets.append("- Import: `import_sales` not available in this checkout.")
    lines += [f"Targets on {label}:", "", *targets, ""]
    return lines


READING = """### Reading the revenue figures

- What the dashboards read (docs/architecture.md#revenue-tracking): the producer's channel
  table reads `RevenueMonth` (a row per producer, month, channel and category: about 600,000
  rows at 1,000,000 sales, but one producer's are a few hundred through the `(producer, …)`
  key). Every other figure reads the yearly roll-ups, whose rows do not multiply by month or
  channel: `RevenueProducerYear` has a row per producer, year and category plus one for every
  category together (about 16,000 rows at 1,000,000 sales; a province-wide year without a
  category filter reads 2,000 of them), `RevenueChannelYear` a row per commune, year, channel
  and category, `RevenueProductYear` a row per product and year (20,000 a year). A period's
  figure is the sum of its months' columns; the producers who sold (which the `<3` hiding
  needs) are counted from a bit per channel and month.
- The province dashboard's largest query is the top products: every product of the year is
  summed and sorted to find ten (about 20,000 rows here); the distinct producers are then
  counted for those ten only.
- Before these roll-ups, the province dashboard read about 400,000 month rows and took about
  1 s at 1,000,000 sales on both databases (4.9 × and 9.0 × its time at 10,000).
- The machine was shared with other jobs (see the load averages): the in-process selector
  times of one run differ by up to 3 × from another's at the same size. Compare rows of the
  same run.
"""


def write_docs(text, output):
    """Put the revenue section between its markers: after bench.py's part, before the soak
    section (scripts/soak.py rewrites everything from its heading on)."""
    path = Path(output)
    section = text.rstrip() + "\n\n" + REVENUE_END  # the text starts with SECTION_MARKER
    put_section(path, SECTION_MARKER, REVENUE_END, section, before=(SOAK_SECTION,))
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument("--communes", type=int, default=COMMUNES)
    parser.add_argument("--duration", type=int, default=15, help="seconds per dashboard row")
    parser.add_argument("--requests", type=int, default=100, help="most requests per row")
    parser.add_argument("--repeat", type=int, default=15, help="calls per selector")
    parser.add_argument("--output", default=str(DOCS))
    parser.add_argument("--keep", action="store_true", help="keep the bench folders")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one database: its label
    parser.add_argument("--json", help=argparse.SUPPRESS)
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument(
        "--report", nargs="+", metavar="JSON",
        help="write the docs section from the results of earlier --run … --json FILE runs",
    )
    parser.add_argument(
        "--again", metavar="FOLDER",
        help="measure the dashboards and a new 10,000-row import again on a SQLite folder kept "
        "by --keep (e.g. once the machine is quiet); prints the figures, writes no docs",
    )
    args = parser.parse_args()

    if args.again:
        measure_again(Path(args.again), args)
        return

    if args.report:
        text = report([json.loads(Path(name).read_text()) for name in args.report], args)
        print("\n" + text)
        write_docs(text, args.output)
        return

    if args.step:
        name, *values = args.step
        steps = {
            "accounts": lambda: step_accounts(int(values[0])),
            "sales": lambda: step_sales(int(values[0])),
            "rollups": step_rollups,
            "selectors": lambda: step_selectors(int(values[0])),
            "targets": step_targets,
            "vacuum": step_vacuum,
            "import_file": lambda: step_import_file(*values),
        }
        steps[name]()
        return
    if args.run:
        run_database(args, args.run)
        return

    results = []
    folder = Path(tempfile.mkdtemp(prefix="commune-bench-revenue-results-"))
    try:
        for database in args.databases.split(","):
            out = folder / f"{database}.json"
            command = [
                PYTHON, __file__, "--run", database, "--json", str(out),
                "--sales", str(args.sales), "--communes", str(args.communes),
                "--duration", str(args.duration), "--requests", str(args.requests),
                "--repeat", str(args.repeat),
            ] + (["--keep"] if args.keep else [])
            if database == "postgresql":
                command = [str(BASE_DIR / "scripts" / "with-postgres"), *command]
                env = dict(os.environ)
            else:
                env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            subprocess.run(command, cwd=BASE_DIR, env=env, check=True)
            results.append(json.loads(out.read_text()))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    text = report(results, args)
    print("\n" + text)
    write_docs(text, args.output)


if __name__ == "__main__":
    main()
