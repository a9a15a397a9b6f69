#!/usr/bin/env python
"""`make audit`: Lighthouse (mobile) on six public pages of `make serve`; fails below the bar.

The server is what `make serve` runs (gunicorn, 2 sync workers, whitenoise, production
settings, the page cache, plain HTTP on loopback) on a throw-away database holding the demo
communes, its Sites on the server's own port so that canonical URLs name the address asked.
Each page is viewed once first (a running site has its renditions made), then Lighthouse
12.2.3 runs on it with its default mobile profile in Debian's Chromium.

The bar (issue 12): performance ≥ 95, accessibility, best practices and SEO 100 on the
showcase home, a commune home, a commune's product index, a product page, its producer page
and a search result page; the first view of the product page, without its photos and with the
HTML compressed, under 60 KB. One audit is excepted, by design and not by score: search
result pages are `noindex` (docs/sharing.md), so Lighthouse's "is-crawlable" fails there and
the page's SEO score is printed as Lighthouse gave it, marked, and not held against the bar
as long as every other SEO audit of that page passes. Exit status 1 when anything else is
below the bar.

The table goes into docs/sharing.md between its Lighthouse markers.

    .venv/bin/python scripts/audit.py --lighthouse PATH/node_modules/.bin/lighthouse
"""

import argparse
import datetime
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import bench  # scripts/ is on sys.path when this file runs: the server and seeding helpers
import soak

BASE_DIR = bench.BASE_DIR
PYTHON = bench.PYTHON
DOCS = BASE_DIR / "docs" / "sharing.md"
MARKER = "<!-- The Lighthouse section: written by scripts/audit.py -->"
END = "<!-- End of the Lighthouse section -->"

CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)
CATEGORIES = (
    ("performance", "performance", 95),
    ("accessibility", "accessibility", 100),
    ("best-practices", "best practices", 100),
    ("seo", "SEO", 100),
)
# The one audit a page may fail by design, with the reason printed beside its score.
EXCEPTIONS = {
    ("search", "is-crawlable"): (
        'search result pages are noindex on purpose (docs/sharing.md, "Sitemaps and robots.txt")'
    ),
}
FIRST_VIEW_LIMIT = 60 * 1024  # bytes: a product page without its photos, HTML compressed
PAGE_LABELS = {
    "showcase": "showcase home",
    "commune": "commune home",
    "index": "product index",
    "product": "product page",
    "producer": "producer page",
    "search": "search results",
}
# The demo product, its producer and commune (showcase/demo_data.py); a search that finds it.
DEMO_PRODUCT = "Lạp xưởng tươi Tân An"
SEARCH_QUERY = "lap xuong"


# --------------------------------------------------------------------------------------------
# Inside Django (a child process with the server's environment)
# --------------------------------------------------------------------------------------------


def probe():
    """Print the six pages' full URLs as JSON."""
    import django

    django.setup()
    from urllib.parse import urlencode

    from wagtail.models import Site

    from products.models import ProductIndexPage, ProductPage

    product = ProductPage.objects.live().get(title=DEMO_PRODUCT)
    producer = product.get_parent().specific
    commune = producer.get_parent().get_parent().specific
    index = ProductIndexPage.objects.live().descendant_of(commune).first()
    showcase = Site.objects.get(is_default_site=True)
    print(
        json.dumps(
            {
                "showcase": showcase.root_url + "/",
                "commune": commune.get_full_url(),
                "index": index.get_full_url(),
                "product": product.get_full_url(),
                "producer": producer.get_full_url(),
                "search": showcase.root_url + "/tim-kiem/?" + urlencode({"q": SEARCH_QUERY}),
            }
        )
    )


# --------------------------------------------------------------------------------------------
# Outside: the server, Lighthouse and the report
# --------------------------------------------------------------------------------------------


def get(url):
    """GET ``url`` on 127.0.0.1 with its host in the Host header (as Chromium sends it)."""
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    return soak.http(parts.port, "GET", parts.netloc, path)


def lighthouse(binary, url, output, attempts=3):
    """Run Lighthouse on ``url``; return its report (a dict).

    On a busy machine Chromium now and then loses the trace (NO_NAVSTART, "Please run
    Lighthouse again"); such a run gives no scores at all, so it is run again, up to
    ``attempts`` times.
    """
    for attempt in range(1, attempts + 1):
        finished = subprocess.run(
            [
                binary,
                url,
                "--quiet",
                "--output=json",
                f"--output-path={output}",
                f"--chrome-flags={CHROME_FLAGS}",
                "--only-categories=" + ",".join(key for key, _label, _bar in CATEGORIES),
            ],
            env={**os.environ, "CHROME_PATH": CHROME_PATH},
            timeout=300,
        )
        report = json.loads(Path(output).read_text()) if finished.returncode == 0 else {}
        if report and not report.get("runtimeError"):
            return report
        print(f"Lighthouse run {attempt} of {attempts} on {url} gave no report", flush=True)
    raise RuntimeError(f"Lighthouse failed {attempts} times on {url}")


def scores(report):
    """{category: score 0–100} of a Lighthouse report."""
    return {
        key: round(report["categories"][key]["score"] * 100)
        for key, _label, _bar in CATEGORIES
    }


def failed_audits(report, category):
    """Ids of the audits counted in ``category``'s score that did not fully pass."""
    failed = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            failed.append(ref["id"])
    return failed


def median_run(reports):
    """The run with the median performance score, as Lighthouse advises for several runs."""
    ordered = sorted(reports, key=lambda report: report["categories"]["performance"]["score"])
    return ordered[len(ordered) // 2]


def verdicts(name, report):
    """[(category, score, passed, note, audits failed and not excepted)] for one page."""
    rows = []
    for key, _label, bar in CATEGORIES:
        score = scores(report)[key]
        failed = failed_audits(report, key)
        excused = [audit for audit in failed if (name, audit) in EXCEPTIONS]
        passed = score >= bar or (key != "performance" and bool(failed) and failed == excused)
        note = ", ".join(f"{audit}: {EXCEPTIONS[(name, audit)]}" for audit in excused)
        rows.append((key, score, passed, note, [a for a in failed if a not in excused]))
    return rows


def first_view(report, html):
    """Bytes a first view of the page moves without product photos, the HTML compressed.

    Lighthouse lists every request with its transfer size. gunicorn sends HTML as it is
    (nginx or a CDN compresses it in production), so the document counts as gzip level 6
    makes it; static files count as whitenoise sent them (gzip or brotli). Pictures under
    /media/ are the product's and its producer's photos, and are left out.
    """
    document, photos, other = 0, 0, 0
    for item in report["audits"]["network-requests"]["details"]["items"]:
        if item.get("resourceType") == "Document":
            document = len(gzip.compress(html.encode(), 6))
        elif "/media/" in urlsplit(item["url"]).path:
            photos += item.get("transferSize") or 0
        else:
            other += item.get("transferSize") or 0
    return {"html": document, "other": other, "photos": photos, "total": document + other}


def kilobytes(count):
    return f"{count / 1024:.1f} KB"


def footnote_mark(number):
    return "†‡§¶"[number - 1] if number <= 4 else f"[{number}]"


def table(results):
    header = "| page | " + " | ".join(label for _key, label, _bar in CATEGORIES) + " |"
    lines = [header, "| --- |" + " ---: |" * len(CATEGORIES)]
    notes = []
    for name, rows in results.items():
        cells = []
        for _key, score, passed, note, _failed in rows:
            mark = ""
            if note:
                notes.append(note)
                mark = " " + footnote_mark(len(notes))
            cells.append(f"{score}{mark}" if passed else f"**{score}** ✗")
        lines.append(f"| {PAGE_LABELS[name]} | " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    for number, note in enumerate(notes, 1):
        text += f"\n\n{footnote_mark(number)} Excepted: {note}."
    return text


def write_section(section, path):
    bench.put_section(path, MARKER, END, f"{MARKER}\n{section.strip()}\n{END}")


SECTION = """### The last run

Written by scripts/audit.py (`make audit`) on {date}: **{verdict}**.
Lighthouse {version}, mobile profile, {chrome}; {runs}. Machine: {machine}; load average
(1 min) {load}.

{table}

First view of the product page without its photos: {first_total} ({first_html} HTML as gzip
makes it, {first_other} everything else as served); its photos add {first_photos}.
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", help="the lighthouse command (make audit installs it)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median counts")
    parser.add_argument("--output", default=str(DOCS), help="'-' to write no file")
    parser.add_argument("--keep", action="store_true", help="keep the audit folder")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe()
        return 0
    if not args.lighthouse or not os.access(args.lighthouse, os.X_OK):
        parser.error("--lighthouse must name the lighthouse command; `make audit` installs it")
    if not os.access(CHROME_PATH, os.X_OK):
        parser.error(f"no Chromium at {CHROME_PATH}: apt-get install chromium, or set CHROME_PATH")

    workdir = Path(tempfile.mkdtemp(prefix="commune-audit-"))
    port = bench.free_port()
    env = soak.serve_env(workdir)
    print(f"audit folder {workdir}, port {port}", flush=True)
    results, reports = {}, {}
    try:
        # The Sites on the server's port: canonical URLs name the address Lighthouse asked.
        soak.load_demo(env, port=port)
        urls = json.loads(
            subprocess.run(
                [PYTHON, __file__, "--probe"],
                cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True,
            ).stdout
        )
        load_before = os.getloadavg()[0]
        with bench.Server(env, port, workdir, page_cache=True):
            # A running site has its renditions made and its pages cached.
            for url in urls.values():
                status, _headers, _body = get(url)
                if status != 200:
                    raise RuntimeError(f"{url} answered {status}")
            for name, url in urls.items():
                print(f"lighthouse {url}", flush=True)
                runs = [
                    lighthouse(args.lighthouse, url, workdir / f"{name}-{run}.json")
                    for run in range(args.runs)
                ]
                reports[name] = median_run(runs)
                results[name] = verdicts(name, reports[name])
            _status, _headers, product_html = get(urls["product"])
        load_after = os.getloadavg()[0]
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    rendered = table(results)
    print("\n" + rendered + "\n")
    failures = []
    for name, rows in results.items():
        for key, score, passed, _note, failed in rows:
            if not passed:
                failures.append(f"{PAGE_LABELS[name]} {key} {score}: {', '.join(failed)}")
    weight = first_view(reports["product"], product_html)
    print(
        f"product page first view without photos: {kilobytes(weight['total'])} "
        f"(HTML gzipped {kilobytes(weight['html'])}, the rest {kilobytes(weight['other'])}); "
        f"photos {kilobytes(weight['photos'])}"
    )
    if weight["total"] >= FIRST_VIEW_LIMIT:
        failures.append(f"product page first view {kilobytes(weight['total'])} ≥ 60 KB")
    for failure in failures:
        print(f"FAILED: {failure}")
    if args.output != "-":
        any_report = reports["product"]
        write_section(
            SECTION.format(
                date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                verdict="met" if not failures else "not met: " + "; ".join(failures),
                version=any_report["lighthouseVersion"],
                chrome=subprocess.run(
                    [CHROME_PATH, "--version"], capture_output=True, text=True, check=True
                ).stdout.split(" built")[0].strip(),
                runs="one run per page" if args.runs == 1 else
                f"{args.runs} runs per page, the median one counted",
                machine=bench.machine(),
                load=f"{load_before:.1f} → {load_after:.1f}",
                table=rendered,
                first_total=kilobytes(weight["total"]),
                first_html=kilobytes(weight["html"]),
                first_other=kilobytes(weight["other"]),
                first_photos=kilobytes(weight["photos"]),
            ),
            Path(args.output),
        )
        print(f"wrote {args.output}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
