"""The health endpoint and the Content-Security-Policy header, through the test client."""

import pytest

from products.models import ProductPage


@pytest.mark.django_db
def test_health_endpoint_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_endpoint_answers_hosts_outside_allowed_hosts(client, settings):
    settings.ALLOWED_HOSTS = ["tanan.example.gov.vn"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200


@pytest.mark.django_db
def test_health_endpoint_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_product_page_carries_the_strict_content_security_policy(client, tanan):
    product = ProductPage.objects.descendant_of(tanan).live().first()
    response = client.get(product.get_url_parts()[2], HTTP_HOST="tanan.localhost")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_wagtail_admin_is_exempt_from_the_strict_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
