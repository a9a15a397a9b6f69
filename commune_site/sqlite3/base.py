"""Django's SQLite backend, keeping the query planner's statistics up to date.

Without statistics (the sqlite_stat1 table, written by ANALYZE) SQLite guesses how selective
each index is, and on a large database it guesses wrong for the search index: a search in
one commune of 20 000 products took 4 s instead of 0.3 s. SQLite's advice for long-lived
databases is to run ``PRAGMA analysis_limit=400; PRAGMA optimize;`` before closing each
connection: optimize runs ANALYZE, bounded to a sample, only on tables this connection read
whose statistics are missing or out of date, and is usually a no-op. Connections live 60 s
(CONN_MAX_AGE), so a busy server refreshes its statistics about once a minute per worker.
"""

import logging
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

logger = logging.getLogger(__name__)

ANALYSIS_LIMIT = 400


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self):
        if self.connection is not None and not self.in_atomic_block:
            try:
                self.connection.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                self.connection.execute("PRAGMA optimize")
            except base.Database.Error:
                # Another worker holding the write lock past the busy timeout only delays
                # the statistics to the next close; the connection must close regardless.
                logger.warning("PRAGMA optimize failed before closing SQLite", exc_info=True)
        return super()._close()


def execute_waiting_briefly(connection, cursor, sql, params):
    """Execute one write outside a transaction, waiting for another process's write lock in
    steps of 50 µs and up rather than SQLite's.

    SQLite's busy handler sleeps at least 1 ms when the lock is taken: twice a whole QR
    redirect, while a scan's INSERT holds the lock for some 50 µs, so under load about one
    scan in twenty slept that long. Here the busy timeout is off for the one statement and
    Python retries, doubling the pause up to 5 ms, within the connection's usual timeout.
    """
    timeout = connection.settings_dict["OPTIONS"].get("timeout", 5)
    raw = connection.connection  # the pragmas need none of Django's query wrapping
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + timeout
        pause = 0.00005
        while True:
            try:
                cursor.execute(sql, params)
                return
            except OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.005)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
