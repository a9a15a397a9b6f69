"""Browser-test harness: real headless Chromium (Debian's /usr/bin/chromium) against a live server.

Run with ``pytest -m browser`` in a process of its own (``make test`` does): the live server
needs a transactional database, which is flushed after each test, so these tests cannot share
a process with tests that rely on the session-seeded demo data.
``make test-browser`` runs them with ``-n 2``: each xdist worker has its own test database,
its own live server on a free port (``demo.port``) and its own Chromium, so nothing is shared.

Fixtures for writing a browser test (mark it ``@pytest.mark.browser``):

- ``demo`` – the demo communes, seeded for this test and committed, with every Site moved to
  the live server's port (seeded once per worker; each later test gets a copy of that
  database back, so nothing one test changes reaches the next). Gives ``demo.url(host, path)``, e.g.
  ``demo.url("tanan.localhost", "/san-pham/")`` → ``http://tanan.localhost:<port>/san-pham/``
  (Chromium resolves ``*.localhost`` to loopback), ``demo.port`` and ``demo.live_server``.
  Create users and other data in the test with the ORM as usual; the live server sees it
  because nothing is wrapped in a transaction.
- ``empty_ledger`` – with ``demo``: no sales or baselines, for a test that checks the figures
  of the sales it records.
- ``browser`` – one Chromium per session, launched with ``executable_path="/usr/bin/chromium"``;
  there is never a browser download. If Chromium is missing the test fails, it does not skip.
- ``new_page(width=360, height=800)`` – a fresh page (own cookies) with that viewport. Every
  page collects its console messages in ``page.console_messages`` (type, text) and its
  Content-Security-Policy violations from ``page.csp_violations()``.
- ``phone_page`` / ``desktop_page`` – ``new_page`` at 360×800 and 1280×900.
- ``screenshot(page, name)`` – saves a full-page PNG to ``test-output/screenshots/<name>.png``.

Playwright's synchronous API keeps an event loop running in the test thread, and Django's ORM
refuses to run while a loop is running unless DJANGO_ALLOW_ASYNC_UNSAFE is set; the tests are
single-threaded, so setting it here is safe.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-output" / "screenshots"

# Chromium reports a blocked resource or inline code on the console with this wording.
CSP_CONSOLE_MARKERS = ("Content Security Policy", "Content-Security-Policy")

# Records securitypolicyviolation events, which fire even when nothing reaches the console.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="session")
def browser(migrated_state):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
            "(apt-get install chromium); browser tests never download a browser.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Demo:
    live_server: object
    port: int

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"


@pytest.fixture(scope="session")
def migrated_state(django_db_setup, django_db_blocker):
    """The database as migrations left it (root page, default site, groups), serialized.

    pytest-django serializes it when a test asks for ``django_db_serialized_rollback``, but
    its automatic restore misses once Playwright runs (the connection object it looks on is
    a different one then), so ``demo`` restores it itself. Requested before ``browser``.
    """
    from django.db import connection

    serialized = getattr(connection, "_test_serialized_contents", None)
    if not serialized:
        return None
    # Content types first: saving a page looks its content type up and would create a
    # duplicate under a new id if it were not there yet.
    objects = json.loads(serialized)
    objects.sort(key=lambda obj: obj["model"] != "contenttypes.contenttype")
    return json.dumps(objects)


@pytest.fixture(scope="session")
def _seeded_copy():
    """The database as ``demo`` first seeded it, copied aside once per worker (SQLite)."""
    return {}


@pytest.fixture
def demo(
    migrated_state, transactional_db, django_db_serialized_rollback, live_server, _seeded_copy
):
    """The demo communes, committed, with their Sites on the live server's port."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from wagtail.models import Site

    from showcase.demo import seed_demo

    port = int(live_server.url.rsplit(":", 1)[1])
    demo = Demo(live_server=live_server, port=port)
    if "database" in _seeded_copy:
        # SQLite copies the seeded database back page by page, in milliseconds where seeding
        # takes seconds; the live server shares this connection (an in-memory database).
        _seeded_copy["database"].backup(connection.connection)
        ContentType.objects.clear_cache()
        return demo
    # The session seed (port 80) survives until the first flush, which empties every table;
    # the flush's post_migrate signal then recreates content types under new ids, so they
    # go before the migrated state (with the ids the code has cached) comes back.
    if not Site.objects.filter(is_default_site=True).exists():
        assert migrated_state, "the migrated state was not serialized"
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()
        connection.creation.deserialize_db_from_string(migrated_state)
    Site.objects.update(port=port)
    seed_demo(port=port)
    if connection.vendor == "sqlite":
        import sqlite3

        _seeded_copy["database"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_seeded_copy["database"])
    return demo


@pytest.fixture
def empty_ledger(demo):
    """The demo's year of sales, roll-ups and baselines deleted, for tests that check the
    figures of the sales they record."""
    from producers.revenue.models import ROLLUP_MODELS, Baseline, Sale

    Sale.objects.all().delete()
    for model in ROLLUP_MODELS:
        model.objects.all().delete()
    Baseline.objects.all().delete()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width: int = 360, height: int = 800):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        context.set_default_timeout(15_000)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda msg: page.console_messages.append((msg.type, msg.text)))

        def csp_violations():
            from_console = [
                text
                for _, text in page.console_messages
                if any(marker in text for marker in CSP_CONSOLE_MARKERS)
            ]
            return from_console + page.evaluate("window.__cspViolations || []")

        page.csp_violations = csp_violations
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(new_page):
    return new_page(360, 800)


@pytest.fixture
def desktop_page(new_page):
    return new_page(1280, 900)


@pytest.fixture
def screenshot():
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
