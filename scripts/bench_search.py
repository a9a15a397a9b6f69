#!/usr/bin/env python
"""`make bench-search`: product search at 20,000 and 100,000 products, on SQLite and PostgreSQL.

For each database (SQLite in a throw-away file; PostgreSQL in a throw-away cluster started by
scripts/with-postgres) it seeds 100 communes × 20 producers × 10 products with bench.py's
seeder (20,000 products), measures, then adds 40 products to every producer with bulk inserts
(100,000) and measures again. Each stage serves the data with gunicorn (2 sync workers,
production settings, page cache off) and loads, in turn, the static file and `/tim-kiem/` on
the province showcase and on one commune's site, with the query of bench.py, which matches one
product in ten. The figures go to the "Search" section of docs/benchmarks.md, which bench.py
and bench_revenue.py keep.

    .venv/bin/python scripts/bench_search.py [--databases sqlite,postgresql] [--duration 10]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (  # noqa: E402
    BASE_DIR,
    PRODUCT_NAMES,
    PYTHON,
    REVENUE_MARKER,
    SEARCH_END,
    SEARCH_MARKER,
    SEARCH_QUERY,
    SOAK_SECTION,
    Server,
    analyze,
    bench_env,
    fetch,
    free_port,
    load_python,
    load_wrk,
    machine,
    manage,
    put_section,
    search_results,
)

from products.search import fold  # noqa: E402

STAGES = (20_000, 100_000)  # the first is what bench.py's seeder makes of COMMUNES
COMMUNES = 100
CONNECTIONS = 2  # one per gunicorn worker: the latency of a search, not of a queue
DOCS = BASE_DIR / "docs" / "benchmarks.md"
TARGETS_MS = {20_000: 100, 100_000: 200}
ROWS = (
    ("static", "static file (whitenoise)"),
    ("showcase", "search, all communes (showcase)"),
    ("commune", "search, one commune"),
)


# --------------------------------------------------------------------------------------------
# Steps that run inside Django, in a child process with the bench environment
# --------------------------------------------------------------------------------------------


def step_grow(total):
    """Add products under every bench producer, in bulk, until there are ``total``.

    Product q of a producer is named after PRODUCT_NAMES[(q - 1) % 10], as bench.py's first ten
    are, so the bench query keeps matching one product in ten. Pages go in with executemany
    (bench.py's ``_insert_pages``), the search index with ``index_pages``; no short codes.
    """
    import django

    django.setup()
    from bench import _children, _insert_pages
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from producers.models import ProducerPage
    from products.models import ProductCategory, ProductPage
    from products.search_indexing import index_pages

    started = time.monotonic()
    missing = total - ProductPage.objects.count()
    bench_producers = ProducerPage.objects.filter(title__startswith="Nhà sản xuất ")
    producers = list(bench_producers.order_by("path"))
    if missing <= 0 or not producers:
        print(json.dumps({"added": 0, "seconds": 0}))
        return
    per_producer = -(-missing // len(producers))
    categories = list(ProductCategory.objects.filter(slug__in=["trai-cay", "rau-cu", "do-uong"]))
    template = ProductPage.objects.filter(image__isnull=False).values("image_id").first()
    now = timezone.now()
    added = 0
    for start in range(0, len(producers), 50):
        pages = []
        for producer in producers[start:start + 50]:
            first = producer.numchild + 1
            specs = [
                {
                    "title": f"{PRODUCT_NAMES[(q - 1) % len(PRODUCT_NAMES)]} "
                    f"{producer.title.rsplit(' ', 1)[-1]}-{q}",
                    "slug": f"san-pham-{q}",
                    "summary": "Sản phẩm của bộ dữ liệu đo hiệu năng.",
                    "image_id": template and template["image_id"],
                    "category": categories[q % len(categories)],
                    "price_vnd": 10_000 + 1_000 * q,
                    "in_stock": q % 4 != 0,
                }
                for q in range(first, first + per_producer)
                if added + (q - first) < missing
            ]
            made = _children(producer, ProductPage, specs, now)
            added += len(made)
            pages += made
        with transaction.atomic():
            _insert_pages(pages)
            for producer in producers[start:start + 50]:
                Page.objects.filter(pk=producer.pk).update(numchild=producer.numchild)
            index_pages([page.pk for page in pages])
    print(json.dumps({"added": added, "seconds": time.monotonic() - started}))


def step_analyze():
    """PostgreSQL's planner statistics after bulk inserts (autovacuum would get there later)."""
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(json.dumps({"vendor": connection.vendor}))


def step_targets():
    import django

    django.setup()
    from wagtail.models import Site

    from products.models import ProductPage
    from showcase.models import CommuneHomePage

    first = CommuneHomePage.objects.order_by("path").first()
    site = Site.objects.get(root_page=first)
    print(json.dumps({
        "commune_host": site.hostname,
        "products": ProductPage.objects.live().count(),
    }))


def child(env, *args):
    result = subprocess.run(
        [PYTHON, __file__, "--step", *map(str, args)],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# The run of one database (a child of main, so PostgreSQL can be wrapped in with-postgres)
# --------------------------------------------------------------------------------------------


def run_database(args, label):
    workdir = Path(tempfile.mkdtemp(prefix="commune-bench-search-"))
    port = free_port()
    env = bench_env(workdir, PAGE_CACHE_ENABLED="0")
    env.pop("REDIS_URL", None)
    use_wrk = shutil.which("wrk") is not None
    load = load_wrk if use_wrk else load_python
    result = {"database": label, "stages": {}, "timings": {}, "load": [os.getloadavg()[0]],
              "client": "wrk" if use_wrk else "Python threads"}

    def timed(name, function):
        started = time.monotonic()
        value = function()
        result["timings"][name] = time.monotonic() - started
        print(f"  {name}: {result['timings'][name]:.0f} s", flush=True)
        return value

    stages = [int(value) for value in args.stages.split(",")]
    try:
        print(f"[{label}] bench folder {workdir}", flush=True)
        timed("migrate", lambda: (manage(env, "migrate", "--noinput", capture=True),
                                  manage(env, "collectstatic", "--noinput", capture=True)))
        timed(f"seed {stages[0]}", lambda: subprocess.run(
            [PYTHON, str(BASE_DIR / "scripts" / "bench.py"), "--seed", str(args.communes),
             "--port", str(port)], cwd=BASE_DIR, env=env, check=True, capture_output=True))
        manifest = json.loads((workdir / "static" / "staticfiles.json").read_text())
        static = ("localhost", "/static/" + manifest["paths"]["css/site.css"])
        for stage in stages:
            if stage != stages[0]:
                timed(f"grow to {stage}", lambda stage=stage: child(env, "grow", stage))
            timed(f"statistics {stage}", lambda: (analyze(env), child(env, "analyze")))
            targets = child(env, "targets")
            result["stages"][stage] = measure_stage(args, env, port, workdir, load, static,
                                                    targets)
        result["load"].append(os.getloadavg()[0])
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    Path(args.json).write_text(json.dumps(result))


def measure_stage(args, env, port, workdir, load, static, targets):
    path = "/tim-kiem/?" + urlencode({"q": SEARCH_QUERY})
    plain = path.replace(quote_plus(SEARCH_QUERY), quote_plus(fold(SEARCH_QUERY)))
    hosts = {"showcase": "localhost", "commune": targets["commune_host"]}
    stage = {"products": targets["products"], "rows": {}, "results": {}}
    print(f"  {targets['products']} products", flush=True)
    with Server(env, port, workdir, page_cache=False):
        for name, host in hosts.items():
            found = search_results(port, host, path)
            if found == 0 or found != search_results(port, host, plain):
                raise RuntimeError(f"{name}: {found} results, not the same without diacritics")
            stage["results"][name] = found
            fetch(port, host, path)  # renditions of the first page are made once
        for name, _label in ROWS:
            target = static if name == "static" else (hosts[name], path)
            figures = load(port, [target], args.duration, CONNECTIONS, workdir)
            stage["rows"][name] = figures
            print(f"    {name:<9} {figures['rps']:8.1f} req/s  p50 {figures['p50'] * 1000:7.1f} ms"
                  f"  p99 {figures['p99'] * 1000:7.1f} ms  ({figures['requests']} requests, "
                  f"{figures['errors']} errors)", flush=True)
    return stage


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def report(results, args):
    lines = [
        "## Search (issue 12)",
        "",
        f"Written by `make bench-search` (scripts/bench_search.py, also run by `make bench`) on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {machine()}.",
        "",
        "- Data: bench.py's seeder, 100 communes × 20 producers × 10 products (20,000), then 40 "
        "more products under every producer inserted in bulk (100,000). Product names cycle "
        f"through ten, so `/tim-kiem/?q={SEARCH_QUERY}` matches one product in ten: "
        "2,000 then 10,000 on the showcase, 20 then 100 on one commune's site; the query "
        "without diacritics finds the same (checked before each stage).",
        "- Server: gunicorn, 2 sync workers, production settings, page cache off (search pages "
        "are never cached), on 127.0.0.1. Client: "
        f"{results[0]['client'] if results else '?'}, {CONNECTIONS} connections (one per "
        f"worker), {args.duration} s per row, the static file in the same run.",
        "- The search reads the site's own index (products/search.py): FTS5 on SQLite, a GIN "
        "index on `to_tsvector('simple', body)` on PostgreSQL; statistics written after each "
        "stage (SQLite `ANALYZE` as bench.py does, PostgreSQL `VACUUM ANALYZE`). Every search "
        "page also counts the filter choices over its results (products/filters.py).",
        "",
    ]
    verdicts = []
    for result in results:
        label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(result["database"])
        timings = ", ".join(f"{k} {v:.0f} s" for k, v in result["timings"].items())
        lines += [
            f"### {label}",
            "",
            f"Time: {timings}. Load average (1 min) before and after: "
            + " → ".join(f"{value:.1f}" for value in result["load"]) + ".",
            "",
            "| products | request | results | req/s | p50 ms | p99 ms | × static |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for stage, data in result["stages"].items():
            static = data["rows"]["static"]["rps"]
            for name, row_label in ROWS:
                row = data["rows"][name]
                found = f"{data['results'][name]:,}" if name in data["results"] else "—"
                lines.append(
                    f"| {int(stage):,} | {row_label} | {found} | {row['rps']:.0f} | "
                    f"{row['p50'] * 1000:.1f} | {row['p99'] * 1000:.1f} | "
                    f"{row['rps'] / static:.3f} |"
                )
                if name == "static":
                    continue
                target = TARGETS_MS.get(int(stage))
                if target:
                    ok = row["p50"] * 1000 < target
                    verdicts.append(
                        f"- {label}, {row_label}, {int(stage):,} products: p50 "
                        f"{row['p50'] * 1000:.1f} ms, target under {target} ms — "
                        f"{'**met**' if ok else '**not met**'}"
                    )
        lines.append("")
    lines += ["Targets (issue 12):", ""] + verdicts + ["", READING.strip()]
    return "\n".join(lines)


READING = """
### Reading the search figures

- Compare rows of one run and one database only, against that run's static file: the machine
  has 2 cores shared with other jobs, and a request that needs some CPU waits its turn behind
  every other runnable process (see the load averages), which a static file barely does.
- Where a search's time goes, from a profile of single requests on a copy of the 20,000-product
  SQLite database (`manage.py` shell, load average about 9): a one-commune search runs 14
  queries taking 1.7 ms together (the commune's word in the query narrows the full-text match
  to that commune's 20 entries); the rest is Python: building the queries, 12 product cards
  with their `<picture>` renditions (a third of the time), the filter form, the site lookup.
  The showcase search's queries took 32 ms together: the grouped count of every filter choice
  (12 ms) and the ranked page (13 ms) each read all 2,000 matches, their page rows and, for
  the ranking, their folded names; at 100,000 products they read 10,000.
- What would help further, not built: keep the rendered answer of a query for the seconds
  between two edits, as the page cache keeps pages (popular queries repeat); count the choices
  of the showcase's most common queries ahead; render cards from a lighter query.
"""


def write_docs(text, output):
    """Put the search section between its markers: after bench.py's part, before the revenue
    section (bench_revenue.py) and the soak section (soak.py)."""
    path = Path(output)
    section = SEARCH_MARKER + "\n\n" + text.rstrip() + "\n\n" + SEARCH_END
    put_section(path, SEARCH_MARKER, SEARCH_END, section, before=(REVENUE_MARKER, SOAK_SECTION))
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--duration", type=int, default=10, help="seconds per row")
    parser.add_argument("--communes", type=int, default=COMMUNES)
    parser.add_argument("--stages", default=",".join(map(str, STAGES)),
                        help="product counts; the first is what bench.py's seeder makes")
    parser.add_argument("--output", default=str(DOCS))
    parser.add_argument("--keep", action="store_true", help="keep the bench folders")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--report", nargs="+", metavar="JSON",
                        help="write the docs section from earlier --run … --json FILE runs")
    args = parser.parse_args()

    if args.step:
        name, *values = args.step
        {"grow": lambda: step_grow(int(values[0])), "analyze": step_analyze,
         "targets": step_targets}[name]()
        return
    if args.run:
        run_database(args, args.run)
        return
    if args.report:
        text = report([json.loads(Path(name).read_text()) for name in args.report], args)
        print("\n" + text)
        write_docs(text, args.output)
        return

    results = []
    folder = Path(tempfile.mkdtemp(prefix="commune-bench-search-results-"))
    try:
        for database in args.databases.split(","):
            out = folder / f"{database}.json"
            command = [PYTHON, __file__, "--run", database, "--json", str(out),
                       "--duration", str(args.duration), "--communes", str(args.communes),
                       "--stages", args.stages] + (["--keep"] if args.keep else [])
            if database == "postgresql":
                command = [str(BASE_DIR / "scripts" / "with-postgres"), *command]
                env = dict(os.environ)
            else:
                env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            subprocess.run(command, cwd=BASE_DIR, env=env, check=True)
            shutil.copy(out, Path(tempfile.gettempdir()) / f"bench-search-{database}.json")
            results.append(json.loads(out.read_text()))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    text = report(results, args)
    print("\n" + text)
    write_docs(text, args.output)


if __name__ == "__main__":
    main()
