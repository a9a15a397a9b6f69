"""Debian tools that some tests run (redis-server, nginx, poppler, gettext).

Tests that need one are marked ``system``: `make test` runs them after
``scripts/system-packages`` has installed what was missing; `make test-fast` leaves them out,
so it needs nothing but Python. A missing tool fails the test, it never skips it, and a test
that asks for a tool without the mark fails on every machine, so the fast selection cannot
come to need one unnoticed. Loaded as a plugin by tests/conftest.py.
"""

import os
import shutil

import pytest

_running = None  # the test item being set up or run


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    global _running
    _running = item


def tool(name: str) -> str:
    """Path of a Debian tool, on PATH or where Debian puts it; the test fails without it."""
    if _running is not None and _running.get_closest_marker("system") is None:
        pytest.fail(f"{_running.nodeid} runs {name}: mark it @pytest.mark.system")
    for candidate in (shutil.which(name), f"/usr/sbin/{name}", f"/usr/bin/{name}"):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        f"{name} is missing: scripts/system-packages --install installs it "
        "(make test runs it first)"
    )
