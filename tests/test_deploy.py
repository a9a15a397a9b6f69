"""Production settings as they run: refusal without configuration, `check --deploy`, and a real
gunicorn serving static files, security headers and the health endpoint."""

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

# Its servers run on their own SQLite database whatever DATABASE_URL says.
pytestmark = pytest.mark.sqlite_only

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def production_env(tmp_path, **overrides):
    """Environment for a production process: its own SQLite file, static root and media."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="commune_site.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost,.localhost,.example.gov.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(env, *args):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_SECRET_KEY=None), "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production." in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_ALLOWED_HOSTS=None), "check")
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set in production." in result.stderr


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_health_endpoint_answers_503_when_the_database_is_unreachable(tmp_path):
    # A port nothing listens on: the real driver fails to connect.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    env = production_env(
        tmp_path,
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{closed_port}/none?connect_timeout=2",
    )
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz', HTTP_HOST='10.0.0.7');"
        "print(json.dumps({'status': r.status_code, 'body': r.json(),"
        " 'cache': r.headers.get('Cache-Control', '')}))"
    )
    result = subprocess.run(
        [PYTHON, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["database"] == "unavailable"
    assert "no-cache" in answer["cache"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, log_path, seconds=60):
    """Wait until something listens on ``port``; fail with the log if ``process`` died first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(Path(log_path).read_text()) from None
            time.sleep(0.2)


def start_gunicorn(env, port, log_path, workers=1):
    """gunicorn serving the project on 127.0.0.1:``port``, its output and access log in a file."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [GUNICORN, "commune_site.wsgi", "--no-control-socket", "-w", str(workers)]
            + ["-b", f"127.0.0.1:{port}", "--access-logfile", "-"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    wait_for_port(port, process, log_path)
    return process


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory):
    """A migrated production instance with collected static files, served by gunicorn."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(tmp_path)
    for args in (
        ("migrate", "--noinput", "-v0"),
        ("collectstatic", "--noinput", "-v0"),
    ):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    port = free_port()
    process = start_gunicorn(env, port, tmp_path / "gunicorn.log")
    yield {"port": port, "static_root": tmp_path / "static"}
    process.terminate()
    process.wait(timeout=30)


def fetch(server, path, host="localhost", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=30)
    connection.request("GET", path, headers={"Host": host, **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def hashed_stylesheet(server):
    manifest = json.loads((server["static_root"] / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def test_hashed_static_file_is_served_with_far_future_immutable_cache(gunicorn_server):
    path = hashed_stylesheet(gunicorn_server)
    assert path != "/static/css/site.css"
    response, body = fetch(gunicorn_server, path, headers={"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert b".site-header" in body
    cache_control = response.getheader("Cache-Control")
    assert "max-age=315360000" in cache_control
    assert "immutable" in cache_control


def test_static_file_is_served_compressed_to_clients_that_accept_it(gunicorn_server):
    response, _ = fetch(
        gunicorn_server,
        hashed_stylesheet(gunicorn_server),
        headers={"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"},
    )
    assert response.status == 200
    assert response.getheader("Content-Encoding") in {"gzip", "br"}


def test_public_page_over_https_carries_the_security_headers(gunicorn_server):
    response, _ = fetch(gunicorn_server, "/", headers={"X-Forwarded-Proto": "https"})
    assert response.status == 200
    hsts = response.getheader("Strict-Transport-Security")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")


def test_plain_http_page_request_is_redirected_to_https(gunicorn_server):
    response, _ = fetch(gunicorn_server, "/san-pham/", host="tanan.example.gov.vn")
    assert response.status == 301
    assert response.getheader("Location") == "https://tanan.example.gov.vn/san-pham/"


def test_health_endpoint_answers_a_probe_by_ip_over_plain_http(gunicorn_server):
    response, body = fetch(gunicorn_server, "/healthz", host="10.0.0.7")
    assert response.status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.getheader("Cache-Control")


def test_unknown_host_is_refused_for_pages(gunicorn_server):
    response, _ = fetch(gunicorn_server, "/", host="evil.example.com", headers={
        "X-Forwarded-Proto": "https"
    })
    assert response.status == 400


def test_favicon_is_served_at_the_root_and_hashed_icons_from_static(gunicorn_server):
    response, body = fetch(gunicorn_server, "/favicon.ico", headers={"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert body[:4] == b"\x00\x00\x01\x00"
    manifest = json.loads((gunicorn_server["static_root"] / "staticfiles.json").read_text())
    svg = "/static/" + manifest["paths"]["icons/favicon.svg"]
    _, page = fetch(gunicorn_server, "/", headers={"X-Forwarded-Proto": "https"})
    assert f'href="{svg}"'.encode() in page
    response, _ = fetch(gunicorn_server, svg, headers={"X-Forwarded-Proto": "https"})
    assert response.status == 200
