"""Catalog text search: PostgreSQL's ranking, typo tolerance and index; SQLite's substring fallback."""
import pytest
from django.db import connection

from storefront.product.models import Product
from storefront.product.search import listing_search
from storefront.product.selectors import product_search, products_filter
from tests.factories import make_cooperative, make_product
from tests.prerequisites import missing_prerequisite

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        missing_prerequisite("search ranking needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def rices(coop, channel):
    """Products whose folded key holds `gao st25`, each for a different reason, and one that does not."""
    other = make_cooperative(name="HTX Gạo sạch Lâm Đồng", province_code="68")
    return {
        "equal": make_product(coop, channel, name="Gạo ST25", price=200_000),
        "typed": make_product(coop, channel, name="Túi Gạo ST25 hút chân không", price=210_000),
        "accent_free": make_product(coop, channel, name="Gao ST25 loai 1", price=190_000),
        # "gao" only in its cooperative's name: every word occurs, but not in the product's name
        "words": make_product(other, channel, name="Cơm cháy ST25", price=50_000),
        "other": make_product(coop, channel, name="Gạo ST24", price=150_000),
        "unrelated": make_product(coop, channel, name="Cà phê Robusta", price=120_000),
    }


@pytest.mark.postgres
def test_postgresql_ranks_equal_then_typed_then_accent_free_names_then_other_matches(postgresql, rices, channel):
    ranked = list(product_search(channel=channel, query="Gạo ST25"))
    assert ranked == [rices["equal"], rices["typed"], rices["accent_free"], rices["words"]]
    # Typed without accents, the accent-free name matches rank with the equal one's group.
    plain = list(product_search(channel=channel, query="gao st25"))
    assert plain[0] == rices["accent_free"] and plain[-1] == rices["words"]
    assert set(plain) == {rices["equal"], rices["typed"], rices["accent_free"], rices["words"]}


@pytest.mark.postgres
def test_postgresql_tolerates_typos_only_when_nothing_matches_as_typed(postgresql, rices, channel):
    near = list(product_search(channel=channel, query="gao st52"))
    assert rices["equal"] in near and rices["accent_free"] in near
    assert rices["unrelated"] not in near
    assert list(product_search(channel=channel, query="ca phe robsuta")) == [rices["unrelated"]]
    # As soon as one product matches every word, near ones stay out: ST24 is no answer to ST25.
    assert rices["other"] not in product_search(channel=channel, query="gao st25")
    assert list(product_search(channel=channel, query="xoai cat hoa loc")) == []


@pytest.mark.postgres
def test_postgresql_typo_search_keeps_the_visibility_rules(postgresql, coop, channel):
    hidden = make_product(coop, channel, name="Gạo ST25 chưa đăng", price=1_000, published=False)
    assert hidden not in product_search(channel=channel, query="gao st52")
    assert hidden not in product_search(channel=channel, query="gao st25")


@pytest.mark.postgres
def test_postgresql_search_reads_the_trigram_index(postgresql, rices):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'product_search_text_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        # A handful of rows: a sequential scan would win, so take it off the table to see the index used.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in ("gao st25", "gao st52"):
            sql, params = listing_search(Product.objects.all(), query).values("pk").query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "product_search_text_trgm" in plan, plan


def test_substring_search_off_postgresql(rices, channel):
    if connection.vendor == "postgresql":
        pytest.skip("the substring fallback serves the other databases")
    assert list(product_search(channel=channel, query="gao st52")) == []
    ranked = list(product_search(channel=channel, query="Gạo ST25"))
    # Names containing the query as typed first, by name; then the other matches.
    assert ranked[:2] == [rices["equal"], rices["typed"]]
    assert set(ranked[2:]) == {rices["accent_free"], rices["words"]}


def test_explicit_sort_replaces_the_search_order(rices, channel):
    by_price = list(products_filter(channel=channel, query="gao st25", sort="price"))
    assert by_price == [rices["words"], rices["accent_free"], rices["equal"], rices["typed"]]


def test_empty_query_leaves_the_queryset_alone():
    queryset = Product.objects.all()
    assert listing_search(queryset, "  ") is queryset
