import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "title"),
    [
        ("localhost", "Sản phẩm chủ lực Tây Ninh"),
        ("tanan.localhost", "Phường Tân An"),
        ("cangiuoc.localhost", "Xã Cần Giuộc"),
        ("tamvu.localhost", "Xã Tầm Vu"),
    ],
)
def test_each_demo_host_serves_its_own_home_page(client, host, title):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode()


def commune_cards(html):
    """{commune name: product count} as the showcase's commune cards show them."""
    import re

    cards = re.findall(
        r'commune-card__title">([^<]+)<.*?commune-card__count">(\d+) sản phẩm', html, re.S
    )
    return {name.strip(): int(count) for name, count in cards}


@pytest.mark.django_db
def test_showcase_counts_each_communes_live_products(client):
    from products.models import ProductPage

    html = client.get("/", HTTP_HOST="localhost").content.decode()
    assert commune_cards(html) == {"Phường Tân An": 10, "Xã Cần Giuộc": 10, "Xã Tầm Vu": 10}

    ProductPage.objects.get(title="Mứt thanh long").unpublish()
    html = client.get("/", HTTP_HOST="localhost").content.decode()
    assert commune_cards(html)["Xã Tầm Vu"] == 9


@pytest.mark.django_db
def test_commune_home_shows_its_counts(client):
    html = client.get("/", HTTP_HOST="tamvu.localhost").content.decode()
    assert "10 sản phẩm · 5 nhà sản xuất" in html
