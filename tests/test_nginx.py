"""Two app servers behind nginx, as docs/deployment.md sets them up: requests go to both, the
page cache is shared, a publish on one is seen through the other, and nginx serves media.

Real processes: Debian's nginx (installed by `make test`) in front of two gunicorns with the
production settings, one SQLite file and one page-cache folder between them. nginx listens on
plain HTTP here and sets ``X-Forwarded-Proto: https`` itself, as it does behind its TLS
listener in the documented configuration.
"""

import http.client
import json
import os
import subprocess
import textwrap

import pytest

from tests.system_tools import tool
from tests.test_deploy import (
    BASE_DIR,
    PYTHON,
    free_port,
    manage,
    production_env,
    start_gunicorn,
    wait_for_port,
)

# Its servers run on their own SQLite database whatever DATABASE_URL says.
pytestmark = [pytest.mark.system, pytest.mark.sqlite_only]

HOST = "tanan.localhost"
NEW_PRICE = 1_250_000

NGINX_CONF = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
{user}
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;  # as in Debian's own nginx.conf, around the site's server
    default_type application/octet-stream;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    upstream commune_app {{ server 127.0.0.1:{app_a}; server 127.0.0.1:{app_b}; }}
    server {{
        listen 127.0.0.1:{port};
        server_name .localhost;
        client_max_body_size 25m;
        location /media/ {{ alias {media}/; expires 7d; }}
        location /media/documents/ {{ return 404; }}
        location / {{
            proxy_pass http://commune_app;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""

# Run in a process of its own with the production environment: the first product of the
# commune, its URL path on its site and a rendition that its page shows.
PRODUCT_SCRIPT = """
import json, django
django.setup()
from products.models import ProductPage
from showcase.models import CommuneHomePage
home = CommuneHomePage.objects.get(slug="phuong-tan-an")
product = ProductPage.objects.live().descendant_of(home).order_by("path").first()
rendition = product.image.get_rendition("fill-360x225|format-webp")
print(json.dumps({"pk": product.pk, "path": product.get_url_parts()[2],
                  "price": product.price_vnd, "rendition": rendition.url}))
"""

PUBLISH_SCRIPT = """
import sys, django
django.setup()
from products.models import ProductPage
product = ProductPage.objects.get(pk=int(sys.argv[1]))
product.price_vnd = int(sys.argv[2])
product.save_revision().publish()
"""


def run_python(env, code, *args):
    result = subprocess.run(
        [PYTHON, "-c", textwrap.dedent(code), *map(str, args)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def get(port, path, host=HOST):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body.decode(errors="replace")


def served_paths(log_path):
    """The request lines a gunicorn wrote to its access log."""
    return [line for line in log_path.read_text().splitlines() if '"GET ' in line]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    nginx = tool("nginx")
    tmp = tmp_path_factory.mktemp("cluster")
    env = production_env(tmp)
    # The demo communes are loaded with the development settings into the same database, as
    # production never creates demo accounts; both servers then run the production settings.
    dev = {**env, "DJANGO_SETTINGS_MODULE": "commune_site.settings.dev"}
    for settings_env, args in (
        (env, ("migrate", "--noinput", "-v0")),
        (env, ("collectstatic", "--noinput", "-v0")),
        (dev, ("seed_demo", "--port", "80")),
    ):
        result = manage(settings_env, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    product = json.loads(run_python(env, PRODUCT_SCRIPT).strip().splitlines()[-1])

    apps = {}
    for name in ("a", "b"):
        port = free_port()
        log = tmp / f"gunicorn-{name}.log"
        apps[name] = {"port": port, "log": log, "process": start_gunicorn(env, port, log)}
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the media folder
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            tmp=tmp,
            user=user,
            app_a=apps["a"]["port"],
            app_b=apps["b"]["port"],
            port=port,
            media=env["MEDIA_ROOT"],
        )
    )
    with open(tmp / "nginx-output.log", "w") as output:
        nginx = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(tmp)],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    wait_for_port(port, nginx, tmp / "nginx-output.log")
    yield {"port": port, "apps": apps, "env": env, "product": product}
    nginx.terminate()
    nginx.wait(timeout=30)
    for app in apps.values():
        app["process"].terminate()
        app["process"].wait(timeout=30)


def test_requests_through_nginx_reach_both_app_servers(cluster):
    for _ in range(4):
        response, body = get(cluster["port"], "/healthz", host="10.0.0.7")
        assert response.status == 200
        assert json.loads(body) == {"status": "ok", "database": "ok"}
    for app in cluster["apps"].values():
        assert any("/healthz" in line for line in served_paths(app["log"]))


def test_app_servers_share_the_page_cache_and_see_each_others_publish(cluster):
    path, port = cluster["product"]["path"], cluster["port"]
    answers = [get(port, path) for _ in range(4)]
    assert all(response.status == 200 for response, _ in answers)
    # Round robin: after the first render, the other server answers from the shared cache.
    assert [response.getheader("X-Page-Cache") for response, _ in answers[1:]] == ["hit"] * 3
    for app in cluster["apps"].values():
        assert any(path in line for line in served_paths(app["log"]))
    assert "1.250.000 ₫" not in answers[0][1]

    # A publish in another process (an editor's request on either server) is seen on both.
    run_python(cluster["env"], PUBLISH_SCRIPT, cluster["product"]["pk"], NEW_PRICE)
    for _ in range(2):
        response, body = get(port, path)
        assert response.status == 200
        assert "1.250.000 ₫" in body


def test_only_nginx_speaks_https_to_the_app_servers(cluster):
    path = cluster["product"]["path"]
    direct, _ = get(cluster["apps"]["a"]["port"], path)
    assert direct.status == 301
    assert direct.getheader("Location") == f"https://{HOST}{path}"
    through_nginx, _ = get(cluster["port"], path)
    assert through_nginx.status == 200
    assert "max-age=" in through_nginx.getheader("Strict-Transport-Security")


def test_nginx_serves_media_without_the_app_servers(cluster):
    rendition = cluster["product"]["rendition"]
    assert rendition.startswith("/media/")
    response, _ = get(cluster["port"], rendition)
    assert response.status == 200
    assert response.getheader("Content-Type") == "image/webp"
    assert "max-age=604800" in response.getheader("Cache-Control")
    for app in cluster["apps"].values():
        assert not any(rendition in line for line in served_paths(app["log"]))
