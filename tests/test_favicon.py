"""The site's icon: /favicon.ico answers on every host, and every page names its icons."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["localhost", "tanan.localhost"])
def test_favicon_ico_is_served_at_the_site_root(client, host):
    response = client.get("/favicon.ico", HTTP_HOST=host)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}


@pytest.mark.parametrize(
    ("host", "path"),
    [("localhost", "/"), ("tanan.localhost", "/"), ("tanan.localhost", "/portal/dang-nhap/")],
)
def test_pages_link_their_icons_and_every_link_answers(client, host, path):
    html = client.get(path, HTTP_HOST=host).content.decode()
    links = re.findall(r'<link rel="(icon|apple-touch-icon)" href="([^"]+)"', html)
    assert {rel for rel, _ in links} == {"icon", "apple-touch-icon"}
    assert any(href.endswith(".svg") for _, href in links)
    for _, href in links:
        response = client.get(href, HTTP_HOST=host)
        assert response.status_code == 200, href
