"""With REDIS_URL, the page cache and sessions run on a real Redis server.

Each test process starts its own throw-away redis-server (Debian's package, which
`make test` installs) on a free loopback port; the Django settings are the ones the production
settings build from REDIS_URL.
"""

import socket
import subprocess
import time

import pytest
import redis

from products.models import ProductPage
from tests.system_tools import tool
from tests.test_page_cache_settings import load

pytestmark = pytest.mark.system

HOST = "tamvu.localhost"
PRODUCT_URL = "/nha-san-xuat/htx-thanh-long-tam-vu/thanh-long-ruot-do/"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    binary = tool("redis-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _attempt in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail("redis-server did not start")
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_settings(redis_url):
    """CACHES and SESSION_ENGINE exactly as the production settings make them from REDIS_URL."""
    return load(
        "from django.conf import settings\n"
        "print(json.dumps({'CACHES': settings.CACHES, 'SESSION_ENGINE': settings.SESSION_ENGINE}))",
        REDIS_URL=redis_url,
    )


@pytest.fixture
def on_redis(settings, redis_url, redis_settings):
    redis.Redis.from_url(redis_url).flushdb()
    settings.CACHES = redis_settings["CACHES"]
    settings.SESSION_ENGINE = redis_settings["SESSION_ENGINE"]
    settings.PAGE_CACHE_ENABLED = True
    return redis.Redis.from_url(redis_url)


def get(client):
    return client.get(PRODUCT_URL, HTTP_HOST=HOST)


@pytest.mark.django_db
def test_pages_are_cached_in_redis_and_served_without_a_query(
    client, on_redis, django_assert_num_queries
):
    assert get(client)["X-Page-Cache"] == "miss"
    assert any(key.startswith(b"commune-pages:") for key in on_redis.keys("*"))
    with django_assert_num_queries(0):
        hit = get(client)
    assert hit["X-Page-Cache"] == "hit"
    assert "35.000 ₫" in hit.content.decode()


@pytest.mark.django_db
def test_a_published_price_replaces_the_cached_page(client, on_redis):
    get(client)
    page = ProductPage.objects.get(slug="thanh-long-ruot-do")
    page.price_vnd = 41000
    page.save_revision().publish()
    fresh = get(client)
    assert fresh["X-Page-Cache"] == "miss"
    assert "41.000 ₫" in fresh.content.decode()


@pytest.mark.django_db
def test_sessions_live_in_redis_and_survive_its_loss(client, on_redis, django_user_model):
    from django.contrib.sessions.models import Session

    user = django_user_model.objects.create_user("redis-test", password="mat-khau-dai-123")
    assert client.login(username="redis-test", password="mat-khau-dai-123")
    key = client.session.session_key
    assert any(key.encode() in stored for stored in on_redis.keys("*"))
    on_redis.flushdb()  # Redis restarted: the database copy still logs the user in
    assert Session.objects.filter(session_key=key).exists()
    response = client.get("/admin/", HTTP_HOST="localhost")
    assert response.wsgi_request.user == user
