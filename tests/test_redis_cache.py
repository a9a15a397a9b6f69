"""The Redis cache backend while Redis cannot be reached: an empty cache, never an exception.

Nothing listens on 127.0.0.1:1, so every call fails at once, as with a stopped Redis; the same
under a running gunicorn and a real redis-server is in tests/test_faults.py.
"""

import pytest
import redis
from django.test import override_settings

from commune_site.cache_backends import RedisCache

UNREACHABLE = "redis://127.0.0.1:1/0"
OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}


def test_an_unreachable_redis_answers_as_an_empty_cache(caplog):
    cache = RedisCache(UNREACHABLE, {"OPTIONS": OPTIONS})
    assert cache.get("price", "none") == "none"
    assert cache.get_many(["price", "title"]) == {}
    assert cache.add("price", 35000) is False
    assert cache.set("price", 35000) is None
    assert cache.set_many({"price": 35000}) == ["price"]  # the keys not stored
    assert "price" not in cache
    assert cache.touch("price") is False
    assert cache.delete("price") is False
    assert cache.delete_many(["price"]) is None
    assert cache.clear() is None
    assert "Cache Redis unavailable (get: " in caplog.text
    # A counter must not silently start again from nothing.
    with pytest.raises(redis.ConnectionError):
        cache.incr("visits")


@pytest.mark.django_db
def test_sessions_and_pages_go_on_without_redis(client, django_user_model):
    user = django_user_model.objects.create_superuser("khong-redis", password="mat-khau-dai-123")
    backend = {"BACKEND": "commune_site.cache_backends.RedisCache", "LOCATION": UNREACHABLE}
    with override_settings(
        CACHES={"default": backend, "pages": {**backend, "OPTIONS": OPTIONS}},
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        PAGE_CACHE_ENABLED=True,
    ):
        client.force_login(user)  # a new session key is checked against the cache first
        response = client.get("/admin/", HTTP_HOST="localhost")
        assert response.status_code == 200
        assert response.wsgi_request.user == user
        page = client.get(
            "/nha-san-xuat/htx-thanh-long-tam-vu/thanh-long-ruot-do/", HTTP_HOST="tamvu.localhost"
        )
        assert page.status_code == 200
        assert "35.000 ₫" in page.content.decode()
