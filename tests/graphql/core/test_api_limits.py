"""Abusive, malformed and fuzzed requests get GraphQL errors, never a server error."""
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from storefront.graphql.core.ids import global_id
from tests.graphql.queries import CHECKOUT_CREATE, PRODUCTS, SHIPPING_ADDRESS_UPDATE, TOKEN_CREATE

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _post_raw(gql, body, content_type="application/json"):
    return gql.client.post("/graphql/", data=body, content_type=content_type)


def test_depth_limit(gql, product):
    nested = "category { " * 20 + "id" + " }" * 20
    response = gql.post("{ products(first: 1, channel: \"vietnam\") { edges { node { %s } } } }" % nested, raw=True)
    assert response.status_code == 400
    assert "exceeds maximum operation depth" in response.json()["errors"][0]["message"]


def test_cost_limit(gql, product):
    query = """{ products(first: 100, channel: "vietnam") { edges { node {
      category { products(first: 100) { edges { node { id name variants { id name sku } } } } } } } } }"""
    response = gql.post(query, raw=True)
    assert response.status_code == 400
    assert "exceeds the maximum cost" in response.json()["errors"][0]["message"]


def test_malformed_requests(gql):
    assert _post_raw(gql, "{not json").status_code == 400
    assert _post_raw(gql, json.dumps([1, 2])).status_code == 400
    assert _post_raw(gql, json.dumps({"query": "{ products(first: 1 }"})).status_code == 400
    bad_vars = _post_raw(gql, json.dumps({"query": "query($n: Int){ shop { name } }", "variables": "{nope"}))
    assert bad_vars.status_code == 400
    unknown = gql.post("{ nope }", raw=True)
    assert unknown.status_code == 400 and "Cannot query field 'nope'" in unknown.json()["errors"][0]["message"]
    wrong_type = gql.post("query($n: Int){ products(first: $n, channel: \"vietnam\") { totalCount } }",
                          {"n": "many"}, raw=True)
    assert wrong_type.status_code == 400
    get_mutation = gql.client.get("/graphql/", {"query": "mutation { tokenVerify(token: \"x\") { isValid } }"},
                                  HTTP_ACCEPT="application/json")
    assert get_mutation.status_code == 405


def test_channels_readable_by_get(gql, channel):
    response = gql.client.get("/graphql/", {"query": "{ channels { slug } }"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["data"]["channels"] == [{"slug": "vietnam"}]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**63, max_value=2**63) | st.text(max_size=30)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=3),
    max_leaves=8,
)


def _no_server_error(response):
    assert response.status_code in (200, 400), response.content[:500]
    body = response.json()
    assert "data" in body or "errors" in body


@FUZZ
@given(variables=st.dictionaries(st.sampled_from(["first", "after", "channel", "search", "filter", "where",
                                                    "sortBy"]), json_values, max_size=5))
def test_fuzzed_product_list_variables(gql, product, variables):
    _no_server_error(gql.post(PRODUCTS, variables, raw=True))


@FUZZ
@given(lines=st.lists(st.fixed_dictionaries({
    "quantity": st.integers(min_value=-5, max_value=2**31 - 1),
    "variantId": st.one_of(st.text(max_size=20), st.integers(0, 10**20).map(lambda n: global_id("ProductVariant", n)),
                           st.just(global_id("Product", 1)))}), max_size=4),
    email=st.text(max_size=40), channel=st.text(max_size=10) | st.just("vietnam"))
def test_fuzzed_checkout_create(gql, variant, lines, email, channel):
    _no_server_error(gql.post(CHECKOUT_CREATE, {"input": {"channel": channel, "email": email, "lines": lines}},
                              raw=True))


@FUZZ
@given(address=st.dictionaries(st.sampled_from(["firstName", "lastName", "streetAddress1", "city", "countryArea",
                                                 "phone", "postalCode", "country", "companyName"]),
                               st.text(max_size=300) | st.sampled_from(["VN", "92", "Cần Thơ", "Phường Ninh Kiều"]),
                               max_size=9))
def test_fuzzed_address(gql, variant, address):
    data = gql.execute(CHECKOUT_CREATE, {"input": {"channel": "vietnam", "lines": [
        {"quantity": 1, "variantId": global_id("ProductVariant", variant.pk)}]}})
    cid = data["checkoutCreate"]["checkout"]["id"]
    _no_server_error(gql.post(SHIPPING_ADDRESS_UPDATE, {"id": cid, "address": address}, raw=True))


@FUZZ
@given(email=st.text(max_size=60), password=st.text(max_size=60))
def test_fuzzed_token_create(gql, email, password):
    _no_server_error(gql.post(TOKEN_CREATE, {"email": email, "password": password}, raw=True))


@FUZZ
@given(query=st.text(max_size=200))
def test_fuzzed_query_text(gql, query):
    _no_server_error(gql.post(query, raw=True))


@FUZZ
@given(identifier=st.text(max_size=40) | st.binary(max_size=30).map(lambda b: __import__("base64").b64encode(b).decode()))
def test_fuzzed_ids(gql, product, identifier):
    query = """query($id: ID!) { product(id: $id, channel: "vietnam") { id } order(id: $id) { id }
               checkout(id: $id) { id } category(id: $id) { id } collection(id: $id, channel: "vietnam") { id } }"""
    _no_server_error(gql.post(query, {"id": identifier}, raw=True))
