"""Scans kept in the worker's memory and written together, a few times a second.

Every QR redirect records a scan. Written one by one, each scan was a write transaction of
its own, taken on the hot path and, on SQLite, holding the database's single write lock that
every other worker's scans and every producer's edit wait for. With ``SCAN_FLUSH_SECONDS`` above
0 (0.5 by default), ``scan_record`` appends the scan's values to this process's buffer and
answers; a thread of the process writes whatever is buffered in one transaction each interval.

What a worker can lose (docs/qr-codes.md says the same to operators):

- Stopped or restarted gracefully (gunicorn's SIGTERM, SIGHUP, ``max_requests``; the
  development server's reload; any ``sys.exit``): nothing. The buffer is written as the
  process exits (``atexit``), after its last request.
- Killed (SIGKILL, the OOM killer, a crash of the interpreter): the scans it answered since its
  last write began, i.e. within the last interval and the write then running. At 0.5 s that
  stays within the last second.
- The database refusing a write (locked past its timeout, unreachable): nothing; the scans go
  back to the buffer and the next interval writes them with the newer ones. A buffer holding
  ``MAX_PENDING`` scans makes the next scan write them itself, on its request, as every scan
  once did, so a database that stays locked slows the redirects down instead of filling the
  memory.

``SCAN_FLUSH_SECONDS = 0`` writes each scan before its redirect is answered (the tests' setting,
so that a test's request is followed by its row).
"""

import atexit
import logging
import os
import threading

from django.db import connections, transaction

logger = logging.getLogger(__name__)

# About half a minute of a worker's scans at full speed on a small server.
MAX_PENDING = 50_000


class ScanBuffer:
    """Rows for one INSERT statement, written in batches by a thread of their own.

    ``add`` is all the request does. ``flush`` writes everything buffered; the thread calls it
    every ``interval`` seconds, ``atexit`` calls it once more, and only one runs at a time.
    """

    def __init__(self, *, interval, alias, sql):
        self.interval, self.alias, self.sql = interval, alias, sql
        self._reset()
        os.register_at_fork(after_in_child=self._reset)
        atexit.register(self.close)

    def _reset(self):
        # A fork copies the parent's rows and locks but not its thread: the child starts
        # empty, with fresh locks (one might have been held by the parent's thread).
        self._rows = []
        self._rows_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = None

    def add(self, values):
        with self._rows_lock:
            self._rows.append(values)
            pending = len(self._rows)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="scan-buffer", daemon=True
                )
                self._thread.start()
        if pending >= MAX_PENDING:
            self.flush()

    def pending(self) -> int:
        with self._rows_lock:
            return len(self._rows)

    def flush(self) -> int:
        """Write every buffered row in one transaction; returns how many were written.

        On a database error the rows go back in front of any newer ones and the error is
        raised; nothing is dropped.
        """
        with self._flush_lock:
            with self._rows_lock:
                rows, self._rows = self._rows, []
            if not rows:
                return 0
            try:
                with transaction.atomic(using=self.alias):
                    with connections[self.alias].cursor() as cursor:
                        cursor.executemany(self.sql, rows)
            except BaseException:
                with self._rows_lock:
                    self._rows[:0] = rows
                raise
            return len(rows)

    def _run(self):
        while not self._stopping.wait(self.interval):
            self._flush_logged()
            # The thread's own connection: closed when the database dropped it, and within
            # CONN_MAX_AGE like a request's.
            try:
                connections[self.alias].close_if_unusable_or_obsolete()
            except Exception:
                logger.warning("Could not close the scan buffer's connection.", exc_info=True)

    def _flush_logged(self):
        # Any error, not only the database's: the thread must live on to write the scans that
        # ``flush`` put back.
        try:
            self.flush()
        except Exception:
            logger.warning(
                "Could not write %d buffered scans; trying again in %s s.",
                self.pending(),
                self.interval,
                exc_info=True,
            )

    def close(self):
        """Stop the thread and write what is left (at exit)."""
        self._stopping.set()
        if self.pending():
            self._flush_logged()
