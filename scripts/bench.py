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


def mixed_setup(accounts):
    """Mixed-load data: every product URL, the communes, and ``accounts`` producer logins.

    The producers are picked at random over all communes; each gets a portal account (with an
    unusable password: the bench logs in with a session made in the database, as
    bench_revenue.py does) and the quick-edit fields of its products.
    """
    import random

    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from wagtail.models import Site

    from producers.models import ProducerAccount, ProducerPage
    from producers.roles import producer_roles_ensure
    from products.models import ProductPage
    from showcase.models import CommuneHomePage

    homes = {home.path: home for home in CommuneHomePage.objects.all()}
    hosts = {site.root_page_id: site.hostname for site in Site.objects.all()}
    steplen = ProductPage.steplen

    def target(page):
        home = homes[page.path[: 2 * steplen]]
        return [hosts[home.pk], page.url_path[len(home.url_path) - 1 :]]

    products = [target(p) for p in ProductPage.objects.live().order_by("path")]
    rng = random.Random(11)
    everyone = list(ProducerPage.objects.live())
    producers = rng.sample(everyone, min(accounts, len(everyone)))
    User = get_user_model()
    logins = []
    for producer in producers:
        user = User(username=f"bench{producer.pk}")
        user.set_unusable_password()
        user.save()
        user.groups.add(producer_roles_ensure(producer))
        ProducerAccount.objects.create(user=user, producer=producer)
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        logins.append({
            "host": target(producer)[0],
            "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
            "products": [
                {"pk": p.pk, "unit": p.price_unit, "months": [str(m) for m in p.season_months]}
                for p in ProductPage.objects.child_of(producer).live()
            ],
        })
    print(json.dumps({
        "products": products,
        "communes": [hosts[home.pk] for home in sorted(homes.values(), key=lambda h: h.path)],
        "accounts": logins,
    }))


def photo_writer(seconds, every, seed):
    """Publish a new photo on a random product every ``every`` seconds, for ``seconds``.

    What a producer's photo change does once approved: a new image, set on the product, a
    published revision. Runs in its own process, so the pages it cools are rendered again
    here, after its commit (commune_site/cache_rewarm.py), not in the server.
    """
    import io
    import random

    import django

    django.setup()
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    from products.models import ProductPage

    rng = random.Random(seed)
    ids = list(ProductPage.objects.live().values_list("pk", flat=True))
    deadline = time.monotonic() + seconds
    changes, durations = 0, []
    while time.monotonic() + every <= deadline:
        time.sleep(every)
        started = time.perf_counter()
        buffer = io.BytesIO()
        colour = tuple(rng.randrange(256) for _ in range(3))
        PILImage.new("RGB", (800, 600), colour).save(buffer, "JPEG")
        image = Image(title=f"Ảnh mới {changes}", file=ImageFile(buffer, name="anh-moi.jpg"))
        image._set_image_file_metadata()
        image.save()
        product = ProductPage.objects.get(pk=rng.choice(ids))
        product.image = image
        product.save_revision().publish()
        durations.append(time.perf_counter() - started)
        changes += 1
    print(json.dumps({"photo_changes": changes, "seconds": durations}), flush=True)


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


def load_wrk(port, targets, duration, connections, workdir, lua=WRK_SCRIPT):
    script = workdir / "targets.lua"
    script.write_text(lua)
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
    figures = {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "requests": requests,
        "errors": int(errors.group(1)) if errors else 0,
    }
    counted = re.search(r"PAGECACHE hits=(\d+) misses=(\d+)", output)
    if counted:
        figures.update(hits=int(counted.group(1)), misses=int(counted.group(2)))
    return figures


def load_python(port, targets, duration, connections, workdir, lua=None):
    """Fallback client: threads, one request per connection, bounded by time and count."""
    latencies, errors, lock = [], [0], threading.Lock()
    states = {"hit": 0, "miss": 0}
    deadline = time.monotonic() + duration
    cap = 200_000
    counter = iter(range(cap))

    def worker():
        for number in counter:
            if time.monotonic() >= deadline:
                return
            host, path = targets[number % len(targets)]
            started = time.perf_counter()
            status, headers, _ = fetch(port, host, path)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if headers.get("X-Page-Cache") in states:
                    states[headers["X-Page-Cache"]] += 1
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
        "hits": states["hit"],
        "misses": states["miss"],
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
    return in_child(env, code)


def in_child(env, code):
    """Run ``code`` in a Python child process with the bench environment; the JSON it
    printed last."""
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


def scan_count(env):
    """Rows in products_scan."""
    return in_child(
        env,
        "import django; django.setup()\n"
        "from products.models import Scan\n"
        "print(Scan.objects.count())",
    )


def check_scans(env, before, figures):
    """After the QR row's server has stopped (its workers write the scans they hold as they
    exit): every redirect wrk counted, and the row's first fetch, is a scan row. Requests
    still in flight when wrk stopped may add a few more."""
    if figures is None:
        return
    recorded, answered = scan_count(env) - before, figures["requests"] + 1
    print(f"  QR scans: {answered} redirects answered, {recorded} scans recorded", flush=True)
    if recorded < answered:
        raise RuntimeError(f"QR: {answered} redirects answered, only {recorded} scans recorded")


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
                scans = scan_count(env)
                qr = run("QR short link /q/ (302 + scan)", [targets["qr"]], "n/a")
        if targets["qr"]:
            check_scans(env, scans, qr)
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
                scans = scan_count(env)
                qr = run("QR short link /q/ (302 + scan)", [targets["qr"]], "n/a")
    if stage == "full" and targets["qr"]:
        check_scans(env, scans, qr)
    if stage == "full":
        with Server(env, port, workdir, page_cache=True, store="database"):
            run("static file (whitenoise)", [static], "table")
            fetch(port, *targets["product"])
            run("product page, warm, database cache table", [targets["product"]], "table")
    return targets


# --------------------------------------------------------------------------------------------
# Mixed load: buyers on a Zipf-like popularity while producers edit (issue 13)
# --------------------------------------------------------------------------------------------

ZIPF_EXPONENT = 1.0  # the k-th most popular product gets 1/k of the top one's visits
# What buyers ask for, in shares of 100: product pages, their producers' pages, commune home
# pages and product indexes (communes on a Zipf-like popularity too), the province showcase.
MIXED_SHARES = (("product", 85), ("producer", 5), ("home", 5), ("index", 4), ("showcase", 1))
MIXED_REQUESTS = 60_000  # the sequence wrk walks through (longer than one row needs)
MIXED_ACCOUNTS = 100  # producers the writer edits for, picked at random over all communes
PRICE_EVERY = 1.0
PHOTO_EVERY = 10.0
MIXED = []
MIXED_MARKER = "<!-- The mixed-load section: written by scripts/bench.py -->"
MIXED_END = "<!-- End of the mixed-load section -->"

WRK_COUNTING = WRK_SCRIPT.replace(
    """function setup(thread)
  thread:set("thread_number", next_thread)""",
    """local threads = {}
hits, misses = 0, 0
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", next_thread)""",
) + """
function response(status, headers, body)
  local state = headers["X-Page-Cache"]
  if state == "hit" then hits = hits + 1 elseif state == "miss" then misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, m = 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
  end
  io.write(string.format("PAGECACHE hits=%d misses=%d\\n", h, m))
end
"""


def buyer_sequence(data, count, rng):
    """``count`` (host, path) requests of buyers, products on a Zipf-like popularity."""
    import itertools

    products = list(map(tuple, data["products"]))
    rng.shuffle(products)  # which product is popular is chance; how popular follows its rank
    weights = list(itertools.accumulate(k ** -ZIPF_EXPONENT for k in range(1, len(products) + 1)))
    communes = list(data["communes"])
    rng.shuffle(communes)
    commune_weights = list(
        itertools.accumulate(k ** -ZIPF_EXPONENT for k in range(1, len(communes) + 1))
    )
    kinds = [kind for kind, share in MIXED_SHARES for _ in range(share)]
    sequence = []
    for _ in range(count):
        kind = rng.choice(kinds)
        if kind in ("product", "producer"):
            host, path = rng.choices(products, cum_weights=weights)[0]
            if kind == "producer":
                path = path.rstrip("/").rsplit("/", 1)[0] + "/"
        elif kind == "showcase":
            host, path = "localhost", "/"
        else:
            host = rng.choices(communes, cum_weights=commune_weights)[0]
            path = "/" if kind == "home" else "/san-pham/"
        sequence.append((host, path))
    return sequence


def prewarm(port, urls, threads=4):
    """Fetch each URL once, so the row starts from the cache of a site that has run a while."""
    pending = iter(urls)
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                url = next(pending, None)
            if url is None:
                return
            fetch(port, *url)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for worker_thread in workers:
        worker_thread.start()
    for worker_thread in workers:
        worker_thread.join()


def http_request(port, method, host, path, headers=None, body=None):
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={"Host": host, "X-Forwarded-Proto": "https", **(headers or {})},
        )
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def portal_tokens(port, accounts):
    """Each account's CSRF cookie and form token, from its portal page."""
    for account in accounts:
        status, headers, body = http_request(
            port, "GET", account["host"], "/portal/", {"Cookie": account["cookie"]}
        )
        if status != 200:
            raise RuntimeError(f"portal of {account['host']} answered {status}")
        cookies = [c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or []]
        account["cookie"] = "; ".join([account["cookie"], *cookies])
        account["token"] = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()
        ).group(1)


def price_writer(port, accounts, stop, rng, saves):
    """One portal price edit a second, each by a random producer on one of its products."""
    from urllib.parse import urlencode

    next_at = time.monotonic()
    while not stop.is_set():
        account = rng.choice(accounts)
        product = rng.choice(account["products"])
        prefix = f"p{product['pk']}-"
        form = {
            "csrfmiddlewaretoken": account["token"],
            prefix + "price_vnd": str(rng.randrange(10, 500) * 1000),
            prefix + "price_unit": product["unit"],
            prefix + "in_stock": "1",
            prefix + "season_months": product["months"],
        }
        started = time.perf_counter()
        status, _, _ = http_request(
            port,
            "POST",
            account["host"],
            f"/portal/san-pham/{product['pk']}/",
            {
                "Cookie": account["cookie"],
                "Origin": f"https://{account['host']}",
                "Referer": f"https://{account['host']}/portal/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            urlencode(form, doseq=True),
        )
        saves.append((status, time.perf_counter() - started))
        next_at += PRICE_EVERY
        stop.wait(max(0.0, next_at - time.monotonic()))


def run_mixed(env, port, workdir, args, load):
    """The mixed-load rows: with the re-render after a publish on, then off."""
    import random

    setup = subprocess.run(
        [PYTHON, __file__, "--mixed-setup", str(MIXED_ACCOUNTS)],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True,
    )
    data = json.loads(setup.stdout.strip().splitlines()[-1])
    sequence = buyer_sequence(data, MIXED_REQUESTS, random.Random(5))
    distinct = list(dict.fromkeys(sequence))
    static = static_target(workdir)
    duration = 3 * args.duration
    print(f"\n[mixed] {len(data['products'])} products, {len(distinct)} distinct URLs in "
          f"{len(sequence)} buyer requests", flush=True)
    for rewarm in (True, False):
        row_env = {**env, "PAGE_CACHE_REWARM": "1" if rewarm else "0"}
        with Server(row_env, port, workdir, page_cache=True):
            started = time.monotonic()
            prewarm(port, distinct)
            warmed = time.monotonic() - started
            portal_tokens(port, data["accounts"])
            static_row = load(port, [tuple(static)], args.duration, args.connections, workdir)
            load_before = os.getloadavg()[0]
            stop, saves = threading.Event(), []
            writer = threading.Thread(
                target=price_writer,
                # Another draw of products for each row: a bulk-seeded product's first edit
                # (its first revision) costs more than later ones, so both rows get first edits.
                args=(port, data["accounts"], stop, random.Random(17 + rewarm), saves),
            )
            photos = subprocess.Popen(
                [PYTHON, __file__, "--photo-writer", str(duration), "--every", str(PHOTO_EVERY),
                 "--photo-seed", str(13 + rewarm)],
                cwd=BASE_DIR, env=row_env, stdout=subprocess.PIPE, text=True,
            )
            writer.start()
            figures = load(
                port, sequence, duration, args.connections, workdir, lua=WRK_COUNTING
            )
            stop.set()
            writer.join()
            photo = json.loads(photos.communicate(timeout=120)[0].strip().splitlines()[-1])
            load_after = os.getloadavg()[0]
        save_times = sorted(seconds for _status, seconds in saves)
        row = {
            **figures,
            "rewarm": rewarm,
            "static_rps": static_row["rps"],
            "warmed_seconds": warmed,
            "distinct": len(distinct),
            "saves": len(saves),
            "save_errors": sum(1 for status, _ in saves if status != 302),
            "save_p50": statistics.median(save_times) if save_times else float("nan"),
            "save_p99": save_times[min(len(save_times) - 1, int(len(save_times) * 0.99))]
            if save_times else float("nan"),
            "photo_changes": photo["photo_changes"],
            "photo_seconds": statistics.median(photo["seconds"]) if photo["seconds"] else 0.0,
            "load": (load_before, load_after),
            "duration": duration,
        }
        row["hit_ratio"] = row["hits"] / max(1, row["hits"] + row["misses"])
        MIXED.append(row)
        print(
            f"  mixed load, re-render {'on ' if rewarm else 'off'}  {row['rps']:8.1f} req/s  "
            f"p50 {row['p50'] * 1000:6.1f} ms  p99 {row['p99'] * 1000:6.1f} ms  "
            f"hit ratio {row['hit_ratio']:.3f}  static {row['static_rps']:.0f} req/s  "
            f"saves {row['saves']} (p50 {row['save_p50'] * 1000:.0f} ms, p99 "
            f"{row['save_p99'] * 1000:.0f} ms, {row['save_errors']} not 302)  photos "
            f"{row['photo_changes']}  load {load_before:.1f} → {load_after:.1f}",
            flush=True,
        )


def mixed_section():
    """The mixed-load section of docs/benchmarks.md, from MIXED."""
    lines = [
        "| re-render after publish | buyers req/s | p50 ms | p99 ms | × static | page cache hits "
        "| price saves (p50 / p99 ms) | photo changes | load avg before → after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in MIXED:
        lines.append(
            f"| {'on' if row['rewarm'] else 'off'} | {rate(row['rps'])} | "
            f"{milliseconds(row['p50'])} | {milliseconds(row['p99'])} | "
            f"{row['rps'] / row['static_rps']:.2f} | {row['hit_ratio'] * 100:.1f} % "
            f"({row['misses']} misses of {row['hits'] + row['misses']}) | {row['saves']} "
            f"({milliseconds(row['save_p50'])} / {milliseconds(row['save_p99'])}) | "
            f"{row['photo_changes']} | {row['load'][0]:.1f} → {row['load'][1]:.1f} |"
        )
    on = next((row for row in MIXED if row["rewarm"]), None)
    off = next((row for row in MIXED if not row["rewarm"]), None)
    verdicts = []
    if on:
        ratio = on["rps"] / on["static_rps"]
        verdicts += [
            f"- Hit ratio ≥ 95 %: {on['hit_ratio'] * 100:.1f} % — "
            f"{'**met**' if on['hit_ratio'] >= 0.95 else '**not met**'}",
            f"- Throughput ≥ 0.5 × the static file of the same server: {ratio:.3f} × "
            f"({on['static_rps']:.0f} req/s static) — "
            f"{'**met**' if ratio >= 0.5 else '**not met**'}",
        ]
    if on and off:
        verdicts.append(
            f"- A producer's price save with the re-render on: p50 {milliseconds(on['save_p50'])}"
            f" ms, p99 {milliseconds(on['save_p99'])} ms; off: p50 "
            f"{milliseconds(off['save_p50'])} ms, p99 {milliseconds(off['save_p99'])} ms "
            "(client-side, the whole POST and its redirect answer, under the buyers' load)."
        )
    first = MIXED[0] if MIXED else {}
    return MIXED_SECTION.format(
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine(),
        distinct=first.get("distinct", "?"),
        requests=MIXED_REQUESTS,
        duration=first.get("duration", "?"),
        warmed=f"{first.get('warmed_seconds', 0):.0f}",
        accounts=MIXED_ACCOUNTS,
        table="\n".join(lines),
        verdicts="\n".join(verdicts),
        marker=MIXED_MARKER,
        end=MIXED_END,
    )


MIXED_SECTION = """{marker}

## Mixed load: buyers while producers edit (issue 13)

Written by scripts/bench.py on {date}; machine: {machine}. Same server as above (gunicorn,
2 sync workers, production settings, SQLite, page cache in files), at the full stage.

- Buyers: wrk, 2 threads, 8 connections, {duration} s, walking a sequence of {requests}
  requests drawn at random: 85 % product pages on a Zipf-like popularity (the k-th most
  popular of all 20,000 products gets 1/k of the top one's visits, which product is popular
  being chance), 5 % the producer pages of products drawn the same way, 5 % commune home
  pages and 4 % product indexes (communes on the same law), 1 % the province showcase. The
  sequence holds {distinct} distinct URLs; each was fetched once before the row ({warmed} s),
  as on a site that has been running: the row measures what edits do to a warm cache, not the
  first visit of the long tail.
- Writer: one price edit a second through the portal (a POST of the quick-edit form, as a
  producer logged in with a session), each by one of {accounts} producers picked at random
  over all communes, on a random product of theirs; and one photo change every 10 s (a new
  image set on a random product and published, by a separate process, as an approval in the
  admin would).
- Each row edits other products than the other row (another random draw): the first edit of
  a bulk-seeded product makes its first revision and costs more than a later one, which made
  the row that ran second look faster when both edited the same products.
- Photo changes run outside a request, so their re-render uses the site's own root URL
  (`http://…:port`), which is not the URL the buyers use here (`https`, no port): their
  pages are rendered again by their next buyer.
- Hit ratio: the `X-Page-Cache` header of every buyer response, counted by wrk.
- "× static": the static file, measured on the same server just before the row.
- With the re-render on, the pages an edit cooled are rendered again after the editor's
  response (commune_site/cache_rewarm.py); off (`PAGE_CACHE_REWARM=0`), their next buyer
  renders them.

{table}

{verdicts}

A producer's save is timed by the bench's client: the POST until its redirect answer has
arrived; the re-render happens after it. Compare the rows only within this run, and mind the
load average: on a shared machine the static file itself varies several-fold between runs.

{end}
"""


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
    parser.add_argument("--mixed-setup", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--photo-writer", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--every", type=float, default=PHOTO_EVERY, help=argparse.SUPPRESS)
    parser.add_argument("--photo-seed", type=int, default=13, help=argparse.SUPPRESS)
    parser.add_argument(
        "--only-mixed",
        action="store_true",
        help="seed the full stage and run only the mixed-load rows (rewrites only their section)",
    )
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
    if args.mixed_setup is not None:
        mixed_setup(args.mixed_setup)
        return
    if args.photo_writer is not None:
        photo_writer(args.photo_writer, args.every, args.photo_seed)
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
        if args.only_mixed:
            subprocess.run(
                [PYTHON, __file__, "--seed", str(args.communes), "--port", str(port)],
                cwd=BASE_DIR, env=env, check=True,
            )
            analyze(env)
            run_mixed(env, port, workdir, args, load)
            write_mixed(args.output)
            return
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
        full_run = not ROWS and set(stages) == {"200", "full", "sites"}
        if full_run:
            run_mixed(env, port, workdir, args, load)
        LOAD.append(os.getloadavg()[0])
        if not full_run:
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


def put_section(path, marker, end, block, before=()):
    """Write ``block`` (from ``marker`` to ``end``) into the page at ``path``: in place of the
    block already there, else before the first of the ``before`` markers found, else last."""
    path = Path(path)
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if marker in text and end in text:
        head, tail = text[: text.index(marker)], text[text.index(end) + len(end):]
    else:
        cut = min((text.index(other) for other in before if other in text), default=len(text))
        head, tail = text[:cut], text[cut:]
    text = head.rstrip() + "\n\n" + block.strip() + "\n"
    if tail.strip():
        text += "\n" + tail.lstrip()
    path.write_text(text)


def write_mixed(path):
    """Put the mixed-load section in place of the one in ``path`` (or before the revenue one)."""
    put_section(path, MIXED_MARKER, MIXED_END, mixed_section(),
                before=(REVENUE_MARKER, SOAK_SECTION))
    print(f"\nwrote the mixed-load section of {path}")


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
    # section (scripts/soak.py, at the end of the page) are kept as they are; this run's
    # mixed-load section goes before the revenue one, where write_mixed puts it.
    def kept(marker, end_marker):
        if marker not in previous or end_marker not in previous:
            return ""
        start, end = previous.index(marker), previous.index(end_marker)
        return previous[start:end + len(end_marker)] + "\n"

    for section in (kept(SEARCH_MARKER, SEARCH_END), MIXED and mixed_section(),
                    kept(REVENUE_MARKER, REVENUE_END)):
        if section:
            report = report.rstrip() + "\n\n" + section
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

- A warm hit reads four small files (global, site and path generations, page) and runs no
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
