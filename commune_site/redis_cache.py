"""Django's Redis cache, acting as an empty cache while Redis cannot be reached.

Django's own backend raises ``ConnectionError`` from every call when Redis is down, and not
only the page cache calls it: Wagtail reads its site root paths from the default cache on
every render, and the ``cached_db`` session store asks the cache before the database (and
puts what it read back into it). With Redis stopped, every page that was not cached, every
login and every logged-in request would be a 500. Here a read misses, a write is dropped and
the failure is logged, so pages are rendered, sessions come from the database, and all is
served as without a cache until Redis answers again.

``incr`` is left as it is: a counter must not silently start again from nothing.
"""

import functools
import logging

from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _or(fallback):
    """Call the method; answer ``fallback(*args)`` when Redis cannot be reached."""

    def decorate(method):
        @functools.wraps(method)
        def wrapped(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE:
                logger.warning("Redis unreachable: cache %s skipped.", method.__name__)
                return fallback(*args, **kwargs)

        return wrapped

    return decorate


class ForgivingRedisCacheClient(django_redis.RedisCacheClient):
    """Each call of the client as an empty cache would answer it, when Redis is unreachable."""

    add = _or(lambda key, value, timeout: False)(django_redis.RedisCacheClient.add)
    get = _or(lambda key, default: default)(django_redis.RedisCacheClient.get)
    set = _or(lambda key, value, timeout: None)(django_redis.RedisCacheClient.set)
    touch = _or(lambda key, timeout: False)(django_redis.RedisCacheClient.touch)
    delete = _or(lambda key: False)(django_redis.RedisCacheClient.delete)
    get_many = _or(lambda keys: {})(django_redis.RedisCacheClient.get_many)
    has_key = _or(lambda key: False)(django_redis.RedisCacheClient.has_key)
    set_many = _or(lambda data, timeout: [])(django_redis.RedisCacheClient.set_many)
    delete_many = _or(lambda keys: None)(django_redis.RedisCacheClient.delete_many)
    clear = _or(lambda: False)(django_redis.RedisCacheClient.clear)


class RedisCache(django_redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that misses while Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
