"""Cache backends whose failures never break the work they accompany.

A cache is a copy: a missing cache table or a Redis server that is down must cost speed, not
an edit. Django's backends raise instead, and on PostgreSQL a failed statement on the cache
table also poisons the surrounding transaction ("current transaction is aborted"), so a publish
or ``seed_demo`` that writes Wagtail's rendition or site-root entries, or bumps the page cache,
fails at its next query even when the error was caught. These subclasses log the error and
answer as an empty cache would; the database one runs each call inside a transaction in a
savepoint, so a failure rolls back only the cache statement (django-redis calls this
``IGNORE_EXCEPTIONS``).
"""

import itertools
import logging
import random
from contextlib import nullcontext

import redis
from django.core.cache.backends import db, filebased
from django.core.cache.backends import redis as redis_backend
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import DatabaseError, connections, router, transaction

logger = logging.getLogger(__name__)


class ForgivingCacheMixin:
    """Every call that fails with one of ``errors`` is logged and answered as by an empty cache."""

    errors: tuple[type[Exception], ...] = ()

    def _guard(self, *, write):
        return nullcontext()

    def _forgive(self, name, fallback, *args, write=False, **kwargs):
        method = getattr(super(), name)
        if getattr(self, "_forgiving", False):
            # Called by another of these methods (Django's get() runs get_many()): the outer
            # call's guard covers this one, and a second savepoint would cost two queries.
            return method(*args, **kwargs)
        self._forgiving = True
        try:
            with self._guard(write=write):
                return method(*args, **kwargs)
        except self.errors as error:
            logger.warning(
                "Cache %s unavailable (%s: %s); carrying on without it.",
                self._where(),
                name,
                error,
            )
            return fallback
        finally:
            self._forgiving = False

    def _where(self):
        return type(self).__name__

    def get(self, key, default=None, version=None):
        return self._forgive("get", default, key, default, version=version)

    def get_many(self, keys, version=None):
        return self._forgive("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._forgive("has_key", False, key, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgive("set", None, key, value, timeout, version=version, write=True)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgive("add", False, key, value, timeout, version=version, write=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's answer lists the keys that failed: here, all of them.
        return self._forgive("set_many", list(data), data, timeout, version=version, write=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgive("touch", False, key, timeout, version=version, write=True)

    def delete(self, key, version=None):
        return self._forgive("delete", False, key, version=version, write=True)

    def delete_many(self, keys, version=None):
        return self._forgive("delete_many", None, keys, version=version, write=True)

    def clear(self):
        return self._forgive("clear", None, write=True)


class DatabaseCache(ForgivingCacheMixin, db.DatabaseCache):
    """Django's database cache, in a savepoint inside a transaction; a failure is logged."""

    errors = (DatabaseError,)

    def _guard(self, *, write):
        model = self.cache_model_class
        alias = router.db_for_write(model) if write else router.db_for_read(model)
        # Outside a transaction each statement stands alone and nothing can be poisoned; a
        # savepoint there would open a transaction (on SQLite, taking the write lock).
        if connections[alias].in_atomic_block:
            return transaction.atomic(using=alias)
        return nullcontext()

    def _where(self):
        return f"table {self._table}"


class RedisCache(ForgivingCacheMixin, redis_backend.RedisCache):
    """Django's Redis cache; a server that is down or slow is logged and passed over."""

    errors = (redis.RedisError,)

    def _where(self):
        return "Redis"


class FileBasedCache(ForgivingCacheMixin, filebased.FileBasedCache):
    """Django's file cache; a missing or read-only folder is logged and passed over.

    Django counts the entries before every write by listing the whole folder, to cull when
    MAX_ENTRIES is reached: with tens of thousands of pages that listing cost more than the
    write, on every page stored and every generation an edit bumps. Here the count is taken on
    one write in ``CULL_CHECK_EVERY`` of each process, and a cull brings the folder back under
    MAX_ENTRIES: it passes MAX_ENTRIES by at most that many entries per worker.
    """

    errors = (OSError,)
    CULL_CHECK_EVERY = 100
    _writes = itertools.count()

    def _cull(self):
        if next(self._writes) % self.CULL_CHECK_EVERY:
            return
        filelist = self._list_cache_files()
        excess = len(filelist) - self._max_entries
        if excess < 0:
            return
        if self._cull_frequency == 0:
            return self.clear()
        # Back under MAX_ENTRIES, less the share Django's culling frees.
        for name in random.sample(filelist, excess + self._max_entries // self._cull_frequency):
            self._delete(name)

    def _where(self):
        return f"folder {self._dir}"
