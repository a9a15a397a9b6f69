#!/usr/bin/env python
"""`make bench`: seed a large data set, serve it with gunicorn (2 workers) and load it on loopback.

Everything runs on this machine: a throw-away SQLite file (or DATABASE_URL), gunicorn on
127.0.0.1, and wrk (or, without it, a small threaded Python client) bounded in time. Each figure
is printed as a ratio of a static file served by the same server in the same run, and the table
goes to docs/benchmarks.md.

    .venv/bin/python scripts/bench.py [--duration 10] [--connections 8] [--communes 100]
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote_plus

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from products.search import fold  # noqa: E402  (plain Python, no Django needed)

PYTHON = sys.executable
PRODUCERS_PER_COMMUNE = 20
PRODUCTS_PER_PRODUCER = 10
SMALL_COMMUNES = 1  # 1 × 20 × 10 = 200 products
# Product q of every producer is named after PRODUCT_NAMES[q - 1] (then its numbers), so a
# search for one name matches one product per producer: 20 per commune, 2000 at 100 communes.
PRODUCT_NAMES = (
    "Thanh long ruột đỏ",
    "Bưởi da xanh",
    "Xoài cát Hòa Lộc",
    "Gạo ST25",
    "Mật ong hoa cà phê",
    "Nước mắm cá cơm",
    "Bánh tráng phơi sương",
    "Muối tôm",
    "Chuối sấy dẻo",
    "Mãng cầu Bà Đen",
)
SEARCH_QUERY = "thanh long ruột đỏ"
SEARCH_MARKER = "<!-- The search section: written by scripts/bench_search.py -->"
SEARCH_END = "<!-- End of the search section -->"
REVENUE_MARKER = "<!-- The revenue section: written by scripts/bench_revenue.py -->"
REVENUE_END = "<!-- End of the revenue section -->"
SOAK_SECTION = "## Under load and faults"  # the part of docs/benchmarks.md soak.py writes


# --------------------------------------------------------------------------------------------
# Seeding (runs inside Django, in a child process with the bench environment)
# --------------------------------------------------------------------------------------------


def _insert_pages(pages):
    """Insert Wagtail pages of one concrete type in bulk, with ids and tree paths set by us.

    Django's bulk_create refuses multi-table inheritance, so each table of the chain
    (wagtailcore_page, then the page type's own) gets one executemany.
    """
    from django.db import connection
    from django.db.models import Max
    from wagtail.models import Page

    if not pages:
        return
    model = type(pages[0])
    next_id = (Page.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    for offset, page in enumerate(pages):
        page.id = next_id + offset
        page.page_ptr_id = page.id
    with connection.cursor() as cursor:
        for table_model in (Page, model):
            fields = table_model._meta.local_concrete_fields
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            sql = (
                f"INSERT INTO {connection.ops.quote_name(table_model._meta.db_table)} "
                f"({columns}) VALUES ({marks})"
            )
            rows = [
                [f.get_db_prep_save(f.pre_save(page, True), connection) for f in fields]
                for page in pages
            ]
            cursor.executemany(sql, rows)
        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            for sql in connection.ops.sequence_reset_sql(no_style(), [Page]):
                cursor.execute(sql)


def _children(parent, model, specs, now):
    """Unsaved child pages of ``parent`` with treebeard paths continuing after its last child."""
    from wagtail.models import Page

    pages = []
    for offset, fields in enumerate(specs, start=parent.numchild + 1):
        page = model(
            **fields,
            path=Page._get_path(parent.path, parent.depth + 1, offset),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{fields['slug']}/",
            draft_title=fields["title"],
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            locale_id=parent.locale_id,
            translation_key=uuid.uuid4(),
        )
        pages.append(page)
    parent.numchild += len(pages)
    return pages


def _seed_commune(home, number, image, categories, used_codes, now):
    from wagtail.models import Page

    from producers.models import ProducerIndexPage, ProducerPage
    from products import codes
    from products.models import ProductPage, ShortCode
    from products.search_indexing import index_pages

    producer_index = ProducerIndexPage.objects.child_of(home).get()
    producers = _children(
        producer_index,
        ProducerPage,
        [
            {
                "title": f"Nhà sản xuất {number}-{p}",
                "slug": f"nha-san-xuat-{p}",
                "kind": ProducerPage.Kind.HOUSEHOLD,
                "representative": f"Người đại diện {p}",
                "phone": f"09{number:04d}{p:04d}",
                "address": f"Ấp {p}",
                "summary": "Hộ sản xuất của bộ dữ liệu đo hiệu năng.",
                "image_id": image.pk,
            }
            for p in range(1, PRODUCERS_PER_COMMUNE + 1)
        ],
        now,
    )
    _insert_pages(producers)
    Page.objects.filter(pk=producer_index.pk).update(numchild=producer_index.numchild)

    products = []
    for producer in producers:
        specs = []
        for q in range(1, PRODUCTS_PER_PRODUCER + 1):
            code = codes.new_code()
            while code in used_codes:
                code = codes.new_code()
            used_codes.add(code)
            name = PRODUCT_NAMES[(q - 1) % len(PRODUCT_NAMES)]
            specs.append(
                {
                    "title": f"{name} {number}-{producer.slug[-2:]}",
                    "slug": f"san-pham-{q}",
                    "summary": "Sản phẩm của bộ dữ liệu đo hiệu năng.",
                    "image_id": image.pk,
                    "category": categories[q % len(categories)],
                    "price_vnd": 10_000 + 1_000 * q,
                    "short_code": code,
                }
            )
        made = _children(producer, ProductPage, specs, now)
        for product in made:
            product.producer_id_for_code = producer.pk
            # The folded search text names the producer: no query per product to find it.
            product._cached_parent_obj = producer
        products += made
    _insert_pages(products)
    # Raw inserts send no signal, so the site's search index learns of the pages here, in bulk
    # (products/search_indexing.py; Wagtail's own index serves only the admin, not measured).
    index_pages([page.pk for page in producers + products])
    for producer in producers:
        Page.objects.filter(pk=producer.pk).update(numchild=producer.numchild)
    ShortCode.objects.bulk_create(
        ShortCode(
            code=product.short_code,
            product_id=product.pk,
            producer_id=product.producer_id_for_code,
            commune_id=home.pk,
            issued_at=now,
        )
        for product in products
    )
    return len(products)


def seed(communes, port):
    """Add bench communes until there are ``communes`` of them; returns what was made."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from vietnam_provinces import Ward

    from products.models import ProductCategory, ShortCode
    from showcase.demo import _showcase, demo_photo
    from showcase.models import CommuneHomePage
    from showcase.services import commune_create

    started = time.monotonic()
    _showcase(port)
    image = demo_photo("Sản phẩm đo hiệu năng", "trai-cay")
    categories = [
        ProductCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in (("Trái cây", "trai-cay"), ("Rau củ", "rau-cu"), ("Đồ uống", "do-uong"))
    ]
    used_codes = set(ShortCode.objects.values_list("code", flat=True))
    now = timezone.now()
    existing = CommuneHomePage.objects.count()
    wards = iter(Ward.iter_all())
    made = 0
    for number in range(existing + 1, communes + 1):
        ward = next(wards)
        while CommuneHomePage.objects.filter(ward_code=int(ward.code)).exists():
            ward = next(wards)
        with transaction.atomic():
            home = commune_create(
                ward_code=int(ward.code), hostname=f"xa{number}.localhost", port=port
            )
            made += _seed_commune(home, number, image, categories, used_codes, now)
    from wagtail.models import Page

    problems = [len(found) for found in Page.find_problems()]
    if any(problems):
        raise SystemExit(f"the bulk-built page tree has problems: {problems}")
    print(
        json.dumps(
            {"communes": communes, "products_added": made, "seconds": time.monotonic() - started}
        ),
        flush=True,
    )


def seed_sites(total, port):
    """Add bare commune sites (home page and Site row, in bulk) until there are ``total``.

    The province-scale stage: every ward of the country as a site, so that what grows with
    the number of sites (finding the site of a host, building page URLs) shows in the rows.
    The pages measured stay those of the first commune, which has its products.
    """
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from vietnam_provinces import Province, Ward
    from wagtail.models import Page, Site

    from showcase.models import CommuneHomePage

    started = time.monotonic()
    used = set(CommuneHomePage.objects.values_list("ward_code", flat=True))
    need = total - len(used)
    specs = []
    for ward in Ward.iter_all():
        if len(specs) >= need:
            break
        if int(ward.code) in used:
            continue
        specs.append(
            {
                "title": ward.name,
                "slug": f"xa-{int(ward.code)}",
                "ward_code": int(ward.code),
                "official_name": ward.name,
                "province_code": int(ward.province_code),
                "province_name": Province.from_code(ward.province_code).name,
            }
        )
    with transaction.atomic():
        root = Page.get_first_root_node()
        homes = _children(root, CommuneHomePage, specs, timezone.now())
        _insert_pages(homes)
        Page.objects.filter(pk=root.pk).update(numchild=root.numchild)
        Site.objects.bulk_create(
            Site(hostname=f"xa-{home.ward_code}.localhost", port=port, root_page_id=home.pk,
                 site_name=home.title)
            for home in homes
        )
    print(
        json.dumps(
            {"sites": Site.objects.count(), "added": len(homes),
             "seconds": time.monotonic() - started}
        ),
        flush=True,
    )


# --------------------------------------------------------------------------------------------
# Serving and loading
# --------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )


class Server:
    """gunicorn, 2 sync workers, production settings, on a loopback port."""

    def __init__(self, env, port, workdir, page_cache, store="files"):
        self.env = {
            **env,
            "PAGE_CACHE_ENABLED": "1" if page_cache else "0",
            "PAGE_CACHE_STORE": store,
        }
        self.port = port
        self.log = open(workdir / f"gunicorn-{'cache' if page_cache else 'nocache'}.log", "a")

    def __enter__(self):
        gunicorn = Path(PYTHON).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "commune_site.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{self.port}",
                "--no-control-socket",
                "--log-level=warning",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _, _ = fetch(self.port, "localhost", "/healthz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


def fetch(port, host, path, timeout=30):
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


WRK_SCRIPT = """
local targets, position, step = {}, 0, 1
local next_thread = 0
function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end
function init(args)
  for line in io.lines(args[1]) do
    local host, path = line:match("^(%S+) (%S+)$")
    table.insert(targets, {host, path})
  end
  step = tonumber(args[2])
  position = thread_number
end
function request()
  local target = targets[(position % #targets) + 1]
  position = position + step
  return wrk.format("GET", target[2], {["Host"] = target[1], ["X-Forwarded-Proto"] = "https"})
end
"""
WRK_THREADS = 2
LOAD = []
# --rows: the rows to measure, by name, and how their labels start.
ROWS = set()
ROW_LABELS = {
    "product": "product page, uncached",
    "home": "commune home page, uncached",
    "index": "product index, uncached",
    "showcase": "province showcase, uncached",
    "search": "search",
    "cold": "product page, cold cache",
    "product-warm": "product page, warm",
    "home-warm": "commune home page, warm",
    "index-warm": "product index, warm",
    "showcase-warm": "province showcase, warm",
    "qr": "QR short link",
}
SEARCH_COUNTS = {}
SLOW_CONNECTIONS = 2


def _seconds(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def load_wrk(port, targets, duration, connections, workdir):
    script = workdir / "targets.lua"
    script.write_text(WRK_SCRIPT)
    target_file = workdir / "targets.txt"
    target_file.write_text("".join(f"{host} {path}\n" for host, path in targets))
    output = subprocess.run(
        [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout=30s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
            "--",
            str(target_file),
            str(WRK_THREADS),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=duration + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _seconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _seconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    if requests == 0:  # every request outlived the row (a very slow page): no latency to show
        p50 = p99 = float("nan")
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "requests": requests,
        "errors": int(errors.group(1)) if errors else 0,
    }


def load_python(port, targets, duration, connections, workdir):
    """Fallback client: threads, one request per connection, bounded by time and count."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + duration
    cap = 200_000
    counter = iter(range(cap))

    def worker():
        for number in counter:
            if time.monotonic() >= deadline:
                return
            host, path = targets[number % len(targets)]
            started = time.perf_counter()
            status, _, _ = fetch(port, host, path)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status >= 400:
                    errors[0] += 1

    begun = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - begun
    latencies.sort()
    return {
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "requests": len(latencies),
        "errors": errors[0],
    }


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def query_targets(env):
    """URLs to load, read from the bench database in a child process."""
    code = f"SEARCH_QUERY = {SEARCH_QUERY!r}\n" + r"""
import json, django
from urllib.parse import urlencode
django.setup()
from wagtail.models import Site
from products.models import ProductPage, ShortCode
from showcase.models import CommuneHomePage
homes = list(CommuneHomePage.objects.order_by("path"))
sites = {s.root_page_id: s.hostname for s in Site.objects.all()}
def target(page):
    home = next(h for h in homes if page.path.startswith(h.path))
    return [sites[home.pk], page.url_path[len(home.url_path) - 1:]]
first = homes[0]
product = ProductPage.objects.live().descendant_of(first).order_by("path").first()
products = list(ProductPage.objects.live().order_by("?")[:3000])
code = ShortCode.objects.filter(product=product).values_list("code", flat=True).first()
search = "/tim-kiem/?" + urlencode({"q": SEARCH_QUERY})
print(json.dumps({
    "product": target(product),
    "products": [target(p) for p in products],
    "home": [sites[first.pk], "/"],
    "index": [sites[first.pk], "/san-pham/"],
    "showcase": ["localhost", "/"],
    "qr": ["localhost", f"/q/{code}"] if code else None,
    "search_showcase": ["localhost", search],
    "search_commune": [sites[first.pk], search],
    "product_count": ProductPage.objects.live().count(),
    "commune_count": len(homes),
    "site_count": Site.objects.count(),
}))
"""
    result = subprocess.run(
        [PYTHON, "-c", code], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def search_results(port, host, path):
    """How many products the search page says it found; the bench refuses an empty search."""
    status, _, body = fetch(port, host, path, timeout=600)
    found = re.search(r"([\d.,]+) kết quả", body.decode())
    if status != 200 or not found:
        raise RuntimeError(f"search {host}{path} answered {status} without a result count")
    return int(re.sub(r"\D", "", found.group(1)))


def check_search(port, targets):
    """Result counts of the bench's search, with and without diacritics; they must agree."""
    counts = {}
    for name in ("search_showcase", "search_commune"):
        host, path = targets[name]
        plain = path.replace(quote_plus(SEARCH_QUERY), quote_plus(fold(SEARCH_QUERY)))
        counts[name] = search_results(port, host, path)
        without = search_results(port, host, plain)
        if counts[name] == 0 or counts[name] != without:
            raise RuntimeError(
                f"search on {host}: {counts[name]} results for {SEARCH_QUERY!r}, "
                f"{without} without diacritics; are the bulk-inserted products indexed?"
            )
        print(f"  {name}: {counts[name]} results for {SEARCH_QUERY!r} (same without diacritics)")
    SEARCH_COUNTS.update(counts)


def static_target(workdir):
    manifest = json.loads((workdir / "static" / "staticfiles.json").read_text())
    return ["localhost", "/static/" + manifest["paths"]["css/site.css"]]


def measure(label, load, port, targets, duration, connections, workdir, results, stage, cache):
    for host, path in targets[:1]:
        status, headers, _ = fetch(port, host, path)
        if status >= 400:
            raise RuntimeError(f"{label}: {host}{path} answered {status}")
        if cache in ("on", "table") and not label.startswith("static"):
            status, headers, _ = fetch(port, host, path)
            if headers.get("X-Page-Cache") != "hit":
                raise RuntimeError(f"{label}: {host}{path} is not served from the page cache")
    figures = load(port, [tuple(t) for t in targets], duration, connections, workdir)
    figures.update(label=label, stage=stage, cache=cache)
    results.append(figures)
    print(
        f"  {label:<42} {figures['rps']:>8.1f} req/s  p50 {figures['p50'] * 1000:7.1f} ms  "
        f"p99 {figures['p99'] * 1000:7.1f} ms  ({figures['requests']} requests, "
        f"{figures['errors']} errors)",
        flush=True,
    )
    return figures


def run_stage(stage, env, port, workdir, args, load, results):
    targets = query_targets(env)
    static = static_target(workdir)
    print(
        f"\n[{stage}] {targets['commune_count']} communes, {targets['product_count']} products",
        flush=True,
    )

    def run(label, target_list, cache, connections=None, duration=None):
        if ROWS and not label.startswith("static") and not any(
            label.startswith(ROW_LABELS[row]) for row in ROWS
        ):
            return None
        figures = measure(
            label, load, port, target_list, duration or args.duration,
            connections or args.connections, workdir, results, stage, cache,
        )
        # Requests wrk left queued (slow rows) must not delay the next row's first fetch.
        fetch(port, "localhost", "/healthz", timeout=600)
        return figures

    def run_search():
        # A showcase search takes seconds: at 8 connections each would wait behind three others
        # on the 2 workers and pass wrk's 30 s timeout, so one connection per worker.
        run(f"search, all communes (showcase), uncached, {SLOW_CONNECTIONS} connections",
            [targets["search_showcase"]], "off",
            connections=SLOW_CONNECTIONS, duration=3 * args.duration)
        run("search, one commune, uncached", [targets["search_commune"]], "off")

    if stage == "sites":
        # Beside the full stage's rows: the same pages, the site table 33 times longer.
        with Server(env, port, workdir, page_cache=False):
            run("static file (whitenoise)", [static], "off")
            run("product page, uncached", [targets["product"]], "off")
            run("commune home page, uncached", [targets["home"]], "off")
            run("product index, uncached", [targets["index"]], "off")
        with Server(env, port, workdir, page_cache=True):
            run("static file (whitenoise)", [static], "on")
            run("product page, warm cache", [targets["product"]], "on")
            if targets["qr"]:
                run("QR short link /q/ (302 + scan)", [targets["qr"]], "n/a")
        return targets
    with Server(env, port, workdir, page_cache=False):
        run("static file (whitenoise)", [static], "off")
        run("product page, uncached", [targets["product"]], "off")
        if stage == "full":
            run("commune home page, uncached", [targets["home"]], "off")
            run("product index, uncached", [targets["index"]], "off")
            run("province showcase, uncached", [targets["showcase"]], "off")
            if not ROWS or "search" in ROWS:
                check_search(port, targets)
                run_search()
    with Server(env, port, workdir, page_cache=True):
        run("static file (whitenoise)", [static], "on")
        if stage == "full":
            run("product page, cold cache (each URL once)", targets["products"], "cold")
        run("product page, warm cache", [targets["product"]], "on")
        if stage == "full":
            run("commune home page, warm cache", [targets["home"]], "on")
            run("product index, warm cache", [targets["index"]], "on")
            run("province showcase, warm cache", [targets["showcase"]], "on")
            if targets["qr"]:
                run("QR short link /q/ (302 + scan)", [targets["qr"]], "n/a")
    if stage == "full":
        with Server(env, port, workdir, page_cache=True, store="database"):
            run("static file (whitenoise)", [static], "table")
            fetch(port, *targets["product"])
            run("product page, warm, database cache table", [targets["product"]], "table")
    return targets


def analyze(env):
    """Write the planner statistics a server has after its first minute.

    The project's SQLite backend runs ``PRAGMA optimize`` (ANALYZE on a sample of 400 rows per
    index) as each connection closes, 60 s after it opened (commune_site/sqlite3/base.py).
    Freshly seeded data has none yet, so the bench writes them the same way, for every table.
    """
    if not env["DATABASE_URL"].startswith("sqlite"):
        return
    code = "import django; django.setup(); from django.db import connection; "
    code += "from commune_site.sqlite3.base import ANALYSIS_LIMIT; cursor = connection.cursor(); "
    code += "cursor.execute(f'PRAGMA analysis_limit={ANALYSIS_LIMIT}'); cursor.execute('ANALYZE')"
    subprocess.run([PYTHON, "-c", code], cwd=BASE_DIR, env=env, check=True)



def bench_env(workdir: Path, **extra) -> dict:
    """Production settings on a throw-away database and media folder in ``workdir``."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commune_site.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-" + uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "localhost,.localhost,127.0.0.1",
        "DATABASE_URL": os.environ.get("DATABASE_URL")
        or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "PAGE_CACHE_DIR": str(workdir / "page-cache"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(BASE_DIR),
        **extra,
    }

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--output", default=str(BASE_DIR / "docs" / "benchmarks.md"))
    parser.add_argument("--keep", action="store_true", help="keep the bench folder")
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--client", choices=["auto", "wrk", "python"], default="auto", help="load generator"
    )
    parser.add_argument(
        "--sites", type=int, default=3300,
        help="sites in the province-scale stage (0 to skip it); Vietnam has about 3,300 wards",
    )
    parser.add_argument(
        "--rows", default="",
        help="only these rows (and the static file), comma-separated: "
        + ", ".join(ROW_LABELS) + "; prints the table and writes no report",
    )
    parser.add_argument(
        "--stages", default="200,full,sites", help="stages to run, comma-separated"
    )
    parser.add_argument("--seed-sites", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.seed is not None:
        seed(args.seed, args.port)
        return
    if args.seed_sites is not None:
        seed_sites(args.seed_sites, args.port)
        return
    unknown = {row for row in args.rows.split(",") if row} - set(ROW_LABELS)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
    ROWS.update(row for row in args.rows.split(",") if row)
    stages = [stage for stage in args.stages.split(",") if stage]

    workdir = Path(tempfile.mkdtemp(prefix="commune-bench-"))
    port = args.port or free_port()
    env = bench_env(workdir)
    env.pop("REDIS_URL", None) if not os.environ.get("BENCH_REDIS") else None
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    load = load_wrk if use_wrk else load_python
    results, timings = [], {}
    print(f"bench folder {workdir}, port {port}, load generator "
          f"{'wrk' if load is load_wrk else 'Python threads'}", flush=True)
    try:
        started = time.monotonic()
        # Makes both cache tables (showcase 0003), so both page stores can be measured.
        manage(env, "migrate", "--noinput", capture=True)
        manage(env, "collectstatic", "--noinput", capture=True)
        timings["migrate"] = time.monotonic() - started

        LOAD.append(os.getloadavg()[0])
        for stage, flag, count in (
            ("200", "--seed", SMALL_COMMUNES),
            ("full", "--seed", args.communes),
            ("sites", "--seed-sites", args.sites),
        ):
            if stage not in stages and stage != "full" or stage == "sites" and not args.sites:
                continue  # (the full stage's data is what the sites stage adds to)
            started = time.monotonic()
            subprocess.run(
                [PYTHON, __file__, flag, str(count), "--port", str(port)],
                cwd=BASE_DIR,
                env=env,
                check=True,
            )
            analyze(env)
            timings[f"seed {stage}"] = time.monotonic() - started
            if stage in stages:
                stage_targets = run_stage(stage, env, port, workdir, args, load, results)
                if stage != "sites":
                    targets = stage_targets
                else:
                    targets["site_count_sites"] = stage_targets["site_count"]
        LOAD.append(os.getloadavg()[0])
        if ROWS or set(stages) != {"200", "full", "sites"}:
            print("\n" + results_table(results, targets))
            print(f"load average (1 min) before and after: {LOAD}")
        else:
            write_report(args, results, timings, targets, load is load_wrk)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine():
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    python = platform.python_version()
    return f"{os.cpu_count()} CPUs ({model}), Python {python}, {platform.system()}"


def milliseconds(seconds):
    return "—" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def rate(rps):
    """Requests a second, with a decimal or two when there are few (slow rows)."""
    return f"{rps:.0f}" if rps >= 10 else f"{rps:.1f}" if rps >= 1 else f"{rps:.2f}"


def results_table(results, targets):
    """The results as a Markdown table, each row with its ratio to the static file."""

    def static_for(row):
        cache = row["cache"] if row["cache"] in ("off", "table") else "on"
        for other in results:
            if other["stage"] == row["stage"] and other["label"].startswith("static file"):
                if other["cache"] == cache:
                    return other
        return None

    lines = [
        "| data set | request | page cache | req/s | p50 ms | p99 ms | × static |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in results:
        static = static_for(row)
        ratio = row["rps"] / static["rps"] if static else float("nan")
        data = {
            "200": "200 products",
            "full": f"{targets['product_count']} products, {targets['site_count']} sites",
            "sites": f"{targets['product_count']} products, "
            f"{targets.get('site_count_sites', '?')} sites",
        }[row["stage"]]
        lines.append(
            f"| {data} | {row['label']} | {row['cache']} | {rate(row['rps'])} | "
            f"{milliseconds(row['p50'])} | {milliseconds(row['p99'])} | {ratio:.2f} |"
        )
    return "\n".join(lines)


def write_report(args, results, timings, targets, used_wrk):
    def find(stage, label, cache=None):
        for row in results:
            if row["stage"] == stage and row["label"].startswith(label):
                if cache is None or row["cache"] == cache:
                    return row
        return None

    table = results_table(results, targets)

    warm = find("full", "product page, warm")
    uncached = find("full", "product page, uncached")
    static_on = find("full", "static file", "on")
    qr = find("full", "QR short link")
    small_uncached = find("200", "product page, uncached")
    small_warm = find("200", "product page, warm")

    def verdict(ok):
        return "**met**" if ok else "**not met**"

    targets_md = [
        f"- Warm product page ≥ 0.5 × static: {warm['rps'] / static_on['rps']:.2f} × — "
        f"{verdict(warm['rps'] / static_on['rps'] >= 0.5)}",
        f"- Warm product page ≥ 10 × uncached render: {warm['rps'] / uncached['rps']:.1f} × — "
        f"{verdict(warm['rps'] / uncached['rps'] >= 10)}",
    ]
    if qr:
        targets_md.append(
            "- QR redirect with scan recording ≥ 0.5 × static: "
            f"{qr['rps'] / static_on['rps']:.2f} × — {verdict(qr['rps'] / static_on['rps'] >= 0.5)}"
        )
    else:
        targets_md.append("- QR redirect: not measured (no short code in the data set).")
    cost_uncached = small_uncached["rps"] / uncached["rps"]
    cost_warm = small_warm["rps"] / warm["rps"]
    targets_md.append(
        f"- Product page cost at {targets['product_count']} products within 1.2 × its cost at 200: "
        f"uncached {cost_uncached:.2f} ×, warm {cost_warm:.2f} × — "
        f"{verdict(cost_uncached <= 1.2 and cost_warm <= 1.2)}"
    )
    static_off = find("full", "static file", "off")
    targets_md.append(
        "- Uncached product page ≥ 0.09 × static (issue 13): "
        f"{uncached['rps'] / static_off['rps']:.2f} × — "
        f"{verdict(uncached['rps'] / static_off['rps'] >= 0.09)}"
    )
    if qr:
        targets_md.append(
            "- QR redirect with scan recording ≥ 0.7 × static (issue 13): "
            f"{qr['rps'] / static_on['rps']:.2f} × — {verdict(qr['rps'] / static_on['rps'] >= 0.7)}"
        )
    costs = []
    for label, cache in (
        ("product page, uncached", "off"),
        ("commune home page, uncached", "off"),
        ("product index, uncached", "off"),
        ("product page, warm", "on"),
        ("QR short link", "n/a"),
    ):
        few, many = find("full", label, cache), find("sites", label, cache)
        if few and many:
            # Each against its own run's static file, so a busier minute does not count.
            few_static = find("full", "static file", "on" if cache == "n/a" else cache)
            many_static = find("sites", "static file", "on" if cache == "n/a" else cache)
            costs.append(
                (label, (few["rps"] / few_static["rps"]) / (many["rps"] / many_static["rps"]))
            )
    if costs:
        targets_md.append(
            f"- Cost at {targets.get('site_count_sites')} sites within 1.1 × its cost at "
            f"{targets['site_count']} (issue 13, each as a ratio of the static file): "
            + ", ".join(f"{label} {cost:.2f} ×" for label, cost in costs)
            + f" — {verdict(all(cost <= 1.1 for _, cost in costs))}"
        )
    statics = [row["rps"] for row in results if row["label"].startswith("static file")]
    targets_md.append(
        f"- Noise: the static file, measured {len(statics)} times in this run, ranged "
        f"{min(statics):.0f}–{max(statics):.0f} req/s ({max(statics) / min(statics):.2f} ×); "
        "a ratio closer to its threshold than that is not a clear pass or fail."
    )
    timing_md = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items())
    report = REPORT.format(
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine(),
        generator=f"wrk, {WRK_THREADS} threads" if used_wrk else "Python threads (wrk not found)",
        connections=args.connections,
        duration=args.duration,
        communes=targets["commune_count"],
        products=targets["product_count"],
        timings=timing_md,
        load=" → ".join(f"{value:.1f}" for value in LOAD),
        table=table,
        targets="\n".join(targets_md),
        search_query=SEARCH_QUERY,
        slow_connections=SLOW_CONNECTIONS,
        slow_duration=3 * args.duration,
        search_showcase=SEARCH_COUNTS.get("search_showcase", "?"),
        search_commune=SEARCH_COUNTS.get("search_commune", "?"),
        sites=targets.get("site_count_sites", args.sites),
    )
    print("\n" + table + "\n\n" + "\n".join(targets_md))
    output = Path(args.output)
    previous = output.read_text() if output.exists() else ""
    # The search and revenue sections (scripts/bench_search.py, bench_revenue.py) and the soak
    # section (scripts/soak.py, at the end of the page) are kept as they are.
    for marker, end_marker in ((SEARCH_MARKER, SEARCH_END), (REVENUE_MARKER, REVENUE_END)):
        if marker in previous and end_marker in previous:
            start, end = previous.index(marker), previous.index(end_marker)
            report = report.rstrip() + "\n\n" + previous[start:end + len(end_marker)] + "\n"
    if SOAK_SECTION in previous:
        report = report.rstrip() + "\n\n" + SOAK_SECTION + previous.split(SOAK_SECTION, 1)[1]
    output.write_text(report)
    print(f"\nwrote {args.output}")


REPORT = """# Benchmarks

Written by `make bench` (scripts/bench.py) on {date}. Re-run it to refresh this
page; absolute numbers depend on the machine, so every figure is also given as a ratio of a
static file served by the same gunicorn in the same run.

## How it was measured

- Machine: {machine}.
  Server and load generator share these cores.
- Server: gunicorn, 2 sync workers, production settings (whitenoise, DEBUG off), SQLite in WAL
  mode, on 127.0.0.1. The page cache is the default for SQLite, files shared by the workers;
  the last rows repeat the warm product page with the database cache table instead (the
  default on PostgreSQL). No Redis.
- Load: {generator}, {connections} connections, {duration} s per row; only loopback traffic.
- Data: {communes} commune sites (the province showcase is one more site). The first stage has
  one commune with 20 producers × 10 products (200 products); the full stage adds communes of
  20 producers × 10 products each. Pages, producers and products are inserted in bulk with
  treebeard paths built by the script; communes are created with the real `commune_create`.
- Time: {timings}.
- Load average (1 min) before the first row and after the last: {load}. On this shared
  machine other jobs may run at the same time, so compare rows of the same run.
- "uncached" rows come from a server started with `PAGE_CACHE_ENABLED=0`: a full Wagtail render.
  "cold cache" loads thousands of different product pages, each about once, into an empty
  cache (every request renders and stores). "warm cache" repeats one URL that is cached.
- Search: `/tim-kiem/?q={search_query}` on the province showcase (every
  commune, {search_showcase} results) and on one commune's site ({search_commune} results),
  12 per page; the query without diacritics finds the same. The bench adds its bulk-inserted
  pages to the site's search index with `products.search_indexing.index_pages` (before
  2026-11-30: Wagtail's database backend, SQLite FTS5). The page cache stores only Wagtail page
  views, so search answers are
  never cached and there is no warm-cache row for them. The showcase search row uses
  {slow_connections} connections for {slow_duration} s (at 8, a search of several seconds
  waits behind three others and passes wrk's 30 s timeout).
- Planner statistics: after seeding each stage the bench writes SQLite's statistics the way a
  running server does within its first minute (`PRAGMA optimize` with an analysis limit of
  400 as each connection closes; commune_site/sqlite3/base.py).
- The static file is `css/site.css` with its hashed name, served by whitenoise.

## Results

{table}

## Targets (issues 3 and 13)

{targets}

## Reading the figures

- A warm hit reads three small files (global generation, site generation, page) and runs no
  Wagtail routing and no query; the rest is Django's middleware and gunicorn. The static file
  skips even that, as whitenoise answers before the cache middleware.
- With the database cache table a hit opens an SQLite connection and runs one query, which
  costs several times more than the files; that is why SQLite installs use files.
- The QR redirect is never cached (each scan is recorded). `ShortLinkMiddleware` answers it
  before the session, language, CSRF, authentication and message middleware, none of which a
  redirect needs (codes that lead nowhere go on to the full stack for their 404 or 410 page).
  It runs 2 queries: the short code joined with only its product's live flag and URL path and
  its batch's lot code (SQL compiled once per process), and the scan INSERT (a statement
  built once from the model, its values put in without a model instance); the URL is put
  together, as Wagtail would, from the site root paths each worker keeps in memory for up to
  5 s (commune_site/site_root_paths.py, indexed by URL path), without building a page
  instance. SQLite
  connections are kept between requests (60 s).
  What remains above a HEAD of the same link (no scan) is the INSERT under SQLite's single
  write lock: a scan that finds the other worker writing retries after 50 µs and up
  (commune_site/sqlite3/base.py) instead of SQLite's own busy handler, which sleeps at
  least 1 ms.
- With Redis (`REDIS_URL`) a hit costs a Redis round trip instead of a SQLite query.
- Search: the site's own index (products/search.py), with the filter counts of the results
  page; the Search section below (scripts/bench_search.py) measures it at 20,000 and 100,000
  products on SQLite and PostgreSQL, one connection per worker.
- Product page at 200 and at 20000 products: every query of the page reads the page tree
  through an index (tests/showcase/test_query_plans.py asks the database for each plan), so
  what remains of the difference is the depth of the B-trees and the cache the database
  keeps in memory.
- The rows at {sites} sites add bare communes (home page and Site row, inserted in bulk) to
  the full stage's data, up to about the number of wards in Vietnam, and measure the same
  pages of the first commune. The site of a host, the site root paths and each site's root
  page come from a directory each worker keeps in memory (commune_site/site_directory.py):
  no request reads the site table or goes through every site's root path.
- An uncached render writes nothing: Wagtail's renditions live in each worker's memory
  (`CACHES["renditions"]`), where on the database cache every render wrote them back (six
  write transactions per product page). A product page runs 8 queries on SQLite without
  Redis (7 plus the site directory's version), Wagtail's routing included.
"""


if __name__ == "__main__":
    main()
