"""Documents built to exhaust the server are refused before validation, fast; malformed requests are 400s."""
import json
import time

import pytest

from storefront.graphql.core import limits

REPEATED_FIELD = "{shop{" + " name" * 5000 + "}}"
FRAGMENT_BOMB = "query { ...F24 }\nfragment F0 on Query { shop { name } }\n" + "".join(
    f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}\n" for i in range(1, 25))
ALIASES = "{" + " ".join(f"a{i}: shop {{ name }}" for i in range(3000)) + "}"
NESTED = "{" + "shop{" * 600 + "name" + "}" * 601
FRAGMENT_CHAIN = "query { ...C149 }\nfragment C0 on Query { shop { name } }\n" + "".join(
    f"fragment C{i} on Query {{ ...C{i - 1} }}\n" for i in range(1, 150))


def _refusal(gql, query):
    """The response to `query` and the CPU time this thread spent answering it (the test client runs the
    view in this thread; CPU time, unlike the wall clock, does not count the other processes of the machine)."""
    spent = []
    for _ in range(3):
        started = time.thread_time()
        response = gql.post(query, raw=True)
        spent.append(time.thread_time() - started)
    return response, min(spent)


@pytest.mark.parametrize("query, message", [
    (REPEATED_FIELD, f"more than {limits.MAX_TOKENS} tokens"),
    (FRAGMENT_BOMB, "selected 32 times in one selection set"),
    (ALIASES, f"more than {limits.MAX_TOKENS} tokens"),
    (NESTED, "nested too deeply"),
], ids=["repeated-field", "fragment-bomb", "aliases", "nested"])
def test_abusive_documents_are_refused_fast(gql, channel, query, message):
    response, seconds = _refusal(gql, query)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "data" not in response.json()
    assert message in errors[0]["message"], errors
    assert seconds < 0.05, f"refusal took {seconds * 1000:.0f} ms"


def test_each_limit_below_the_token_limit(gql, channel):
    """Within the token limit, each measure still refuses on its own."""
    fields = "{" + " ".join(f"f{i}: shop {{ name }}" for i in range(limits.MAX_ALIASES + 1)) + "}"
    refused = gql.post(fields, raw=True)
    assert refused.status_code == 400
    assert f"more than {limits.MAX_ALIASES} aliases" in refused.json()["errors"][0]["message"]
    many = "{" + " ".join(f"f{i}: shop {{ name description }}" for i in range(90)) + " ...M }\n" + \
        "fragment M on Query { " + " ".join(f"shop {{ n{i}: name }}" for i in range(10)) + " }"
    accepted = gql.post(many, raw=True)  # 90 × 3 fields + 10 × 2 spread ones, 100 aliases
    assert accepted.status_code == 200, accepted.json()
    wide = ("query { ...W3 }\nfragment W0 on Shop { name description }\n"
            "fragment W1 on Query { a: shop { ...W0 } b: shop { ...W0 } c: shop { ...W0 } d: shop { ...W0 } }\n"
            + "".join(f"fragment W{i} on Query {{ " + " ".join(f"x{i}{j}: shop {{ __typename }}" for j in range(5))
                      + f" ...W{i - 1} }}\n" for i in range(2, 4)))
    assert gql.post(wide, raw=True).status_code == 200  # within every limit, fragments and all
    chain = gql.post(FRAGMENT_CHAIN, raw=True)  # deep in fragments, shallow in fields: fine
    assert chain.status_code == 200 and chain.json()["data"]["shop"]["name"]


def test_fragment_expansion_is_counted(gql, channel):
    """Each fragment small and free of repeated names, its expansion 2^11 fields and aliases: over the limits
    (the aliases' first)."""
    bomb = 'query { category(id: "x") { ...P10 } }\nfragment P0 on Category { name }\n' + "".join(
        f"fragment P{i} on Category {{ a: parent {{ ...P{i - 1} }} b: parent {{ ...P{i - 1} }} }}\n"
        for i in range(1, 11))
    response, seconds = _refusal(gql, bomb)
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert message.startswith(f"The document uses more than {limits.MAX_ALIASES} aliases")
    assert seconds < 0.05


def test_depth_limit_still_names_the_operation(gql, channel):
    nested = "query Deep { " + "shop { " * 3 + "name" + " }" * 3 + " " + \
             "products(first: 1, channel: \"vietnam\") { edges { node { " + "category { " * 20 + "id" \
             + " }" * 20 + " } } } }"
    response = gql.post(nested, raw=True)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "'Deep' exceeds maximum operation depth of 15."


def test_introspection_passes(gql):
    from graphql import get_introspection_query

    response = gql.post(get_introspection_query(descriptions=True), raw=True)
    assert response.status_code == 200 and "errors" not in response.json()


@pytest.mark.parametrize("query, message", [
    ("{ ...nope }", "Unknown fragment 'nope'."),
    ("query { ...A }\nfragment A on Query { ...B }\nfragment B on Query { ...A }",
     "Cannot spread fragment 'A' within itself."),
    ("query { ...A }\nfragment A on Query { shop { name } ...A }", "Cannot spread fragment 'A' within itself."),
    ("query { ...A }\nfragment A on Query { ...nope }", "Unknown fragment 'nope'."),
], ids=["unknown", "cycle", "self", "unknown-in-fragment"])
def test_broken_fragments_are_graphql_errors(gql, query, message):
    response = gql.post(query, raw=True)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == message


@pytest.mark.parametrize("body, message", [
    ({"query": 123}, "The query must be a string."),
    ({"query": ["{ shop { name } }"]}, "The query must be a string."),
    ({"query": {"q": 1}}, "The query must be a string."),
    ({"query": "{ shop { name } }", "variables": [1]}, "Variables must be a JSON object."),
    ({"query": "{ shop { name } }", "variables": 5}, "Variables must be a JSON object."),
    ({"query": "{ shop { name } }", "operationName": 7}, "The operation name must be a string."),
])
def test_non_string_parameters_are_400(gql, body, message):
    response = gql.client.post("/graphql/", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == message


def test_empty_variables_are_none(gql, channel):
    for empty in ("", [], None):
        response = gql.client.post("/graphql/", data=json.dumps({"query": "{ shop { name } }", "variables": empty}),
                                   content_type="application/json")
        assert response.status_code == 200, response.content


@pytest.mark.parametrize("content_type", ["multipart/form-data; boundary=", "multipart/form-data"])
def test_multipart_without_boundary_is_400(gql, content_type):
    body = b'--\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query": "{ shop { name } }"}\r\n----\r\n'
    response = gql.client.generic("POST", "/graphql/", body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Invalid multipart request."


def test_field_count_expands_fragments():
    """The measure itself, on a schema-free document: 31 × 101 fields through a fragment spread 31 times."""
    from graphql import parse

    inner = " ".join(f"f{i}" for i in range(100))
    spreads = " ".join(f"s{i}: shop {{ ...F }}" for i in range(31))
    over = parse(f"{{ {spreads} }}\nfragment F on Shop {{ {inner} }}")
    assert [str(e.message) for e in limits.document_limit_errors(over)] == [
        f"The document selects more than {limits.MAX_SELECTIONS} fields (counting each fragment spread in full)."]
    within = parse(f"{{ {spreads[:spreads.index('s29:')]} }}\nfragment F on Shop {{ {inner} }}")
    assert limits.document_limit_errors(within) == []  # 29 × 101 = 2,929


NUL = "a\x00b"
DATABASE_WORDS = ("PostgreSQL text fields cannot contain NUL", "NUL (0x00)", "DataError")


def _nul_inputs(variant_id):
    from tests.graphql.queries import ACCOUNT_REGISTER, CHECKOUT_CREATE, PRODUCTS, TOKEN_CREATE

    return [
        (PRODUCTS, {"channel": "vietnam", "first": 5, "search": NUL}),
        (PRODUCTS, {"channel": NUL, "first": 5}),
        (PRODUCTS, {"channel": "vietnam", "first": 5, "filter": {"search": NUL}}),
        ('query($slug: String) { product(slug: $slug, channel: "vietnam") { id } }', {"slug": NUL}),
        ("query($slug: String) { category(slug: $slug) { id } }", {"slug": NUL}),
        (TOKEN_CREATE, {"email": NUL, "password": "x"}),
        (ACCOUNT_REGISTER, {"input": {"email": f"{NUL}@example.com", "password": "Matkhau!2026",
                                      "channel": "vietnam"}}),
        (CHECKOUT_CREATE, {"input": {"channel": "vietnam", "email": "k@example.com", "lines": [
            {"quantity": 1, "variantId": variant_id}], "shippingAddress": {"firstName": NUL, "country": "VN"}}}),
        ('{ product(slug: "a\\u0000b", channel: "vietnam") { id } }', {}),
    ]


def test_nul_in_any_string_input_is_refused_before_execution(gql, variant):
    from storefront.checkout.models import Checkout
    from storefront.graphql.core.ids import global_id

    for query, variables in _nul_inputs(global_id("ProductVariant", variant.pk)):
        response = gql.post(query, variables, raw=True, HTTP_ACCEPT_LANGUAGE="en")
        text = response.content.decode()
        assert response.status_code == 400, (query[:60], text[:300])
        assert response.json()["errors"][0]["message"] == "Null characters are not allowed.", text[:300]
        assert not any(words in text for words in DATABASE_WORDS)
    assert not Checkout.objects.exists()


def test_ids_that_are_not_ids_name_nothing(gql, product):
    import base64

    for pk in ("\x00", "²", "1" * 30, "1\x00"):
        identifier = base64.b64encode(f"Product:{pk}".encode()).decode()
        body = gql.post('query($id: ID!) { product(id: $id, channel: "vietnam") { id } }', {"id": identifier})
        assert body["data"]["product"] is None
        assert body["errors"][0]["message"] == f"Couldn't resolve id: {identifier}."


PRODUCT_RENAME = """mutation Rename($id: ID!, $input: ProductInput!) {
  productUpdate(id: $id, input: $input) { product { name } errors { field message code } } }"""
FOREIGN = "http://127.0.0.1:8700"  # the B2B sandbox: another port of the same site, so it gets the cookie


def _rename_body(product, name):
    from storefront.graphql.core.ids import global_id

    return {"query": PRODUCT_RENAME, "variables": {"id": global_id("Product", product.pk), "input": {"name": name}}}


def test_session_cookie_cannot_be_used_from_a_foreign_origin(coop_staff, product):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1:8000")
    browser.force_login(coop_staff)
    body = _rename_body(product, "Hacked")
    form = browser.post("/graphql/", {"query": body["query"], "variables": json.dumps(body["variables"])},
                        HTTP_ORIGIN=FOREIGN)
    assert form.status_code == 403
    assert form.json()["errors"][0]["extensions"]["exception"]["code"] == "CsrfError"
    foreign_json = browser.post("/graphql/", json.dumps(body), content_type="application/json", HTTP_ORIGIN=FOREIGN)
    assert foreign_json.status_code == 403
    no_origin = browser.post("/graphql/", json.dumps(body), content_type="application/json")
    assert no_origin.status_code == 403
    referer = browser.post("/graphql/", json.dumps(body), content_type="application/json",
                           HTTP_REFERER=f"{FOREIGN}/buyer/page")
    assert referer.status_code == 403
    product.refresh_from_db()
    assert product.name != "Hacked"


def test_session_cookie_works_from_our_origin_or_with_the_csrf_token(coop_staff, product):
    from django.middleware.csrf import get_token
    from django.test import Client, RequestFactory

    browser = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1:8000")
    browser.force_login(coop_staff)
    same = browser.post("/graphql/", json.dumps(_rename_body(product, "Bưởi da xanh")),
                        content_type="application/json", HTTP_ORIGIN="http://127.0.0.1:8000")
    assert same.status_code == 200 and same.json()["data"]["productUpdate"]["product"]["name"] == "Bưởi da xanh"
    by_referer = browser.post("/graphql/", json.dumps(_rename_body(product, "Bưởi năm roi")),
                              content_type="application/json", HTTP_REFERER="http://127.0.0.1:8000/graphql/")
    assert by_referer.json()["data"]["productUpdate"]["product"]["name"] == "Bưởi năm roi"
    token = get_token(RequestFactory().get("/"))
    browser.cookies["csrftoken"] = token
    with_token = browser.post("/graphql/", json.dumps(_rename_body(product, "Bưởi Tân Triều")),
                              content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert with_token.json()["data"]["productUpdate"]["product"]["name"] == "Bưởi Tân Triều"


def test_token_and_anonymous_clients_need_no_csrf(coop_staff, product, channel):
    from django.test import Client

    from storefront.graphql.core.auth import create_access_token

    client = Client(enforce_csrf_checks=True)
    bearer = client.post("/graphql/", json.dumps(_rename_body(product, "Bưởi Phúc Trạch")),
                         content_type="application/json", HTTP_ORIGIN=FOREIGN,
                         HTTP_AUTHORIZATION=f"Bearer {create_access_token(coop_staff)}")
    assert bearer.json()["data"]["productUpdate"]["product"]["name"] == "Bưởi Phúc Trạch"
    anonymous = client.post("/graphql/", json.dumps({"query": "{ shop { name } }"}), content_type="application/json",
                            HTTP_ORIGIN=FOREIGN)
    assert anonymous.status_code == 200 and anonymous.json()["data"]["shop"]["name"]
    client.force_login(coop_staff)  # a session cookie, but the token decides who is asking
    bearer = client.post("/graphql/", json.dumps(_rename_body(product, "Bưởi Diễn")), content_type="application/json",
                         HTTP_ORIGIN=FOREIGN, HTTP_AUTHORIZATION=f"Bearer {create_access_token(coop_staff)}")
    assert bearer.json()["data"]["productUpdate"]["product"]["name"] == "Bưởi Diễn"
    other_scheme = client.post("/graphql/", json.dumps(_rename_body(product, "Hacked")),
                               content_type="application/json", HTTP_ORIGIN=FOREIGN, HTTP_AUTHORIZATION="Basic eDp5")
    assert other_scheme.status_code == 403
