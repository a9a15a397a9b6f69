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
