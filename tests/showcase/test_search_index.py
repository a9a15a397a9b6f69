"""The site's own search index: producers and categories, ranking, suggestions, kept current."""

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from producers.models import ProducerPage
from products.models import ProductCategory, ProductPage, SearchEntry
from products.search import corrected_words, fold_words, kind_word, scope_word
from products.search_indexing import padded


def titles(response):
    return [product.title for product in response.context["products"]]


def search(client, query, host="localhost", **data):
    response = client.get("/tim-kiem/", {"q": query, **data}, HTTP_HOST=host)
    assert response.status_code == 200
    return response


# The searches the issue names, on a commune's site and on the showcase.
ISSUE_SEARCHES = [
    ("lap xuong", "tanan.localhost", "Lạp xưởng tươi Tân An"),
    ("LẠP XƯỞNG", "tanan.localhost", "Lạp xưởng tươi Tân An"),
    ("dua", "tanan.localhost", "Dưa lưới nhà màng"),
    ("thanh long ruot do", "tamvu.localhost", "Thanh long ruột đỏ"),
    ("ba tu", "tanan.localhost", "Lạp xưởng tươi Tân An"),  # the producer, without diacritics
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "host", "title"), ISSUE_SEARCHES)
@pytest.mark.parametrize("on_showcase", [False, True])
def test_issue_searches_find_the_demo_pages(client, query, host, title, on_showcase):
    assert title in titles(search(client, query, "localhost" if on_showcase else host))


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["tamvu.localhost", "localhost"])
def test_misspelt_query_suggests_the_closest_names(client, host):
    response = search(client, "thanh lonng ruot do", host)
    assert titles(response) == []
    result = response.context["result"]
    assert result.suggestion == "thanh long ruot do"
    assert "Thanh long ruột đỏ" in [product.title for product in result.suggested]
    html = response.content.decode()
    assert "Có phải bạn muốn tìm:" in html and "?q=thanh%20long%20ruot%20do" in html


@pytest.mark.django_db
def test_misspelling_on_one_commune_suggests_only_its_own_products(client):
    result = search(client, "lap xuongg", "tamvu.localhost").context["result"]
    assert result.suggested == []  # Tầm Vu has no lạp xưởng; Tân An's are not offered
    result = search(client, "lap xuongg", "tanan.localhost").context["result"]
    assert result.suggestion == "lap xuong"
    assert {p.title for p in result.suggested} <= set(
        ProductPage.objects.live().filter(title__startswith="Lạp xưởng")
        .values_list("title", flat=True)
    )


@pytest.mark.django_db
def test_correction_keeps_short_words_and_numbers():
    assert corrected_words(["dx", "2599", "lonng"]) == ["dx", "2599", "long"]


@pytest.mark.django_db
def test_unknown_words_give_a_calm_page_with_products_having_any_word(client):
    response = search(client, "thanh long zzzzqqq", "tamvu.localhost")
    assert titles(response) == []
    suggested = [p.title for p in response.context["result"].suggested]
    assert suggested and all("thanh long" in title.lower() for title in suggested)


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["tamvu.localhost", "localhost"])
def test_empty_query_lists_every_product_to_filter(client, host, tamvu):
    response = client.get("/tim-kiem/", HTTP_HOST=host)
    assert response.status_code == 200
    live = ProductPage.objects.live()
    expected = live.descendant_of(tamvu).count() if host != "localhost" else live.count()
    assert response.context["results_page"].paginator.count == expected
    assert "hoặc chọn bộ lọc bên dưới" in response.content.decode()


@pytest.mark.django_db
def test_exact_name_ranks_first_then_names_starting_with_the_query(client, tamvu):
    producer = ProducerPage.objects.descendant_of(tamvu).get(title="HTX Thanh long Tầm Vu")
    producer.add_child(instance=ProductPage(title="Thanh long", slug="thanh-long"))
    found = titles(search(client, "THANH LONG", "tamvu.localhost"))
    assert found[0] == "Thanh long"
    starting = [t for t in found if t.lower().startswith("thanh long")]
    assert found[: len(starting)] == starting  # "Bánh tráng thanh long" comes after them
    assert "Bánh tráng thanh long" in found


@pytest.mark.django_db
def test_search_lists_matching_producers_of_its_own_commune_only(client):
    response = search(client, "ba tu", "tanan.localhost")
    assert [p.title for p in response.context["result"].producers] == ["Cơ sở lạp xưởng Bà Tư"]
    assert "Cơ sở lạp xưởng Bà Tư" in response.content.decode()
    assert search(client, "ba tu", "tamvu.localhost").context["result"].producers == []
    showcase = search(client, "thanh long", "localhost").context["result"]
    assert showcase.producer_count >= 2


@pytest.mark.django_db
def test_search_offers_matching_categories(client):
    response = search(client, "trai cay", "tamvu.localhost")
    assert [c.slug for c in response.context["result"].categories] == ["trai-cay"]
    assert 'href="?danh-muc=trai-cay"' in response.content.decode()


@pytest.mark.django_db
def test_private_producers_and_products_are_never_found(client, tanan):
    producer = ProducerPage.objects.get(title="Cơ sở lạp xưởng Bà Tư")
    PageViewRestriction.objects.create(page=producer, restriction_type="login")
    for host in ("tanan.localhost", "localhost"):
        response = search(client, "ba tu", host)
        assert response.context["result"].producers == []
        assert "Lạp xưởng tươi Tân An" not in titles(response)  # its product is private too


@pytest.mark.django_db
def test_unpublished_producer_is_not_listed(client):
    producer = ProducerPage.objects.get(title="Cơ sở lạp xưởng Bà Tư")
    producer.unpublish()
    assert search(client, "ba tu", "localhost").context["result"].producers == []


# --- Kept up to date -------------------------------------------------------------------------


@pytest.mark.django_db
def test_renamed_product_is_found_by_its_new_name_only(client):
    product = ProductPage.objects.get(title="Mứt thanh long")
    # The summary said "Mứt thanh long" too; its producer, HTX Thanh long Tầm Vu, still does.
    product.title = "Bánh pía Tầm Vu"
    product.summary = "Bánh pía nhân sầu riêng, làm theo mẻ nhỏ."
    product.save_revision().publish()
    assert "Bánh pía Tầm Vu" in titles(search(client, "banh pia", "tamvu.localhost"))
    assert titles(search(client, "mut thanh long", "tamvu.localhost")) == []


@pytest.mark.django_db
def test_draft_changes_are_not_searchable_before_publishing(client):
    product = ProductPage.objects.get(title="Mứt thanh long")
    product.title = "Mứt nháp chưa duyệt"
    product.save_revision()  # a draft: the live page keeps its name
    assert titles(search(client, "mut nhap", "tamvu.localhost")) == []
    assert "Mứt thanh long" in titles(search(client, "mut thanh long", "tamvu.localhost"))


@pytest.mark.django_db
def test_renamed_producer_finds_its_products_by_the_new_name(client):
    producer = ProducerPage.objects.get(title="Cơ sở lạp xưởng Bà Tư")
    producer.title = "Cơ sở lạp xưởng Cô Năm"
    producer.save_revision().publish()
    assert "Lạp xưởng tươi Tân An" in titles(search(client, "co nam", "tanan.localhost"))
    assert titles(search(client, "ba tu", "tanan.localhost")) == []


@pytest.mark.django_db
def test_moved_product_is_found_by_its_new_producer(client, tamvu):
    product = ProductPage.objects.get(title="Mứt thanh long")
    target = ProducerPage.objects.descendant_of(tamvu).get(title="HTX Thanh long Tầm Vu")
    product.move(target, pos="last-child")
    entry = SearchEntry.objects.get(page=product)
    assert " htx thanh long tam vu " in entry.body


@pytest.mark.django_db
def test_renamed_category_is_searchable_by_its_new_name(client):
    category = ProductCategory.objects.get(slug="trai-cay")
    category.name = "Hoa quả"
    category.save()
    assert "Thanh long ruột đỏ" in titles(search(client, "hoa qua", "tamvu.localhost"))


@pytest.mark.django_db
def test_deleted_category_leaves_the_text_of_its_products(client):
    category = ProductCategory.objects.get(slug="hoa-kieng")
    product = ProductPage.objects.filter(category=category).first()
    category.delete()
    entry = SearchEntry.objects.get(page=product)
    parts = [product.title, product.summary, product.get_parent().title]
    scopes = [scope_word(product.path), kind_word("product")]
    assert entry.body == padded(fold_words(" ".join(parts)) + scopes)


@pytest.mark.django_db
def test_deleted_product_leaves_the_index(client):
    product = ProductPage.objects.get(title="Mứt thanh long")
    pk = product.pk
    product.delete()
    assert not SearchEntry.objects.filter(page_id=pk).exists()
    assert titles(search(client, "mut thanh long", "tamvu.localhost")) == []


@pytest.mark.django_db
def test_rebuild_command_indexes_every_product_and_producer(client):
    SearchEntry.objects.all().delete()
    assert titles(search(client, "lap xuong", "localhost")) == []
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    expected = ProductPage.objects.count() + ProducerPage.objects.count()
    assert SearchEntry.objects.count() == expected
    assert "Lạp xưởng tươi Tân An" in titles(search(client, "lap xuong", "localhost"))
