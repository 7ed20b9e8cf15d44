"""Saleor's `products(search:)` and `products(filter: {search:})` on the catalog search."""
import pytest

from tests.graphql.queries import PRODUCTS
from tests.product.test_search import postgresql, rices  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _names(data):
    return [edge["node"]["name"] for edge in data["products"]["edges"]]


def test_api_search_argument_and_filter_rank_the_same(gql, rices):
    by_argument = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam", "search": "Gạo ST25"})
    by_filter = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam", "filter": {"search": "Gạo ST25"}})
    assert _names(by_argument) == _names(by_filter)
    assert _names(by_argument)[:2] == ["Gạo ST25", "Túi Gạo ST25 hút chân không"]
    assert by_argument["products"]["totalCount"] == 4
    page = gql.execute(PRODUCTS, {"first": 2, "channel": "vietnam", "search": "Gạo ST25"})["products"]
    rest = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam", "search": "Gạo ST25",
                                  "after": page["pageInfo"]["endCursor"]})["products"]
    assert [e["node"]["name"] for e in page["edges"] + rest["edges"]] == _names(by_argument)


@pytest.mark.postgres
def test_api_search_tolerates_typos_on_postgresql(postgresql, gql, rices):
    data = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam", "filter": {"search": "gao st52"}})
    assert "Gạo ST25" in _names(data)
