"""Every field a storefront may read answers without an error: a query selecting all fields of
each storefront type (two levels deep, required arguments filled) runs clean on real data."""
from graphql import (GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLList, GraphQLNonNull,
                     GraphQLScalarType, GraphQLUnionType, get_named_type)

from storefront.graphql.api import schema
from storefront.graphql.core.ids import global_id
from tests.graphql.flows import ready_checkout
from tests.graphql.queries import CHECKOUT_COMPLETE

TYPES = schema.graphql_schema.type_map
# Fields a shopper may not read in Saleor either (staff-only) or that need arguments we can't invent.
SKIP = {"privateMetafield", "privateMetafields", "privateMetadata"}


def _argument_literal(arg_type):
    named = get_named_type(arg_type)
    if isinstance(named, GraphQLEnumType):
        return "EN" if named.name == "LanguageCodeEnum" else list(named.values)[0]
    if isinstance(named, GraphQLInputObjectType):
        return None
    if isinstance(arg_type.of_type if isinstance(arg_type, GraphQLNonNull) else arg_type, GraphQLList):
        return "[]"
    return {"String": '"x"', "ID": '"UHJvZHVjdDox"', "Int": "1", "Boolean": "true", "UUID":
            '"00000000-0000-0000-0000-000000000000"', "PositiveInt": "1"}.get(named.name)


def _arguments(field) -> str | None:
    parts = []
    for name, arg in field.args.items():
        if name in ("first", "last"):
            if name == "first":
                parts.append("first: 2")
            continue
        if isinstance(arg.type, GraphQLNonNull):
            literal = _argument_literal(arg.type)
            if literal is None:
                return None
            parts.append(f"{name}: {literal}")
    return f"({', '.join(parts)})" if parts else ""


def selection(type_name: str, depth: int) -> str:
    gql_type = TYPES[type_name]
    if isinstance(gql_type, (GraphQLUnionType, GraphQLInterfaceType)):
        return "{ __typename }"
    fields = []
    for name, field in gql_type.fields.items():
        if name in SKIP:
            continue
        args = _arguments(field)
        if args is None:
            continue
        named = get_named_type(field.type)
        if isinstance(named, (GraphQLScalarType, GraphQLEnumType)):
            fields.append(f"{name}{args}")
        elif depth > 0:
            fields.append(f"{name}{args} {selection(named.name, depth - 1)}")
    return "{ __typename " + " ".join(fields) + " }"


def _run_clean(gql, query, variables=None):
    body = gql.post(query, variables)
    assert "errors" not in body, body["errors"][:3]
    return body["data"]


def test_catalog_types_whole(gql, product, combo):
    from storefront.menu.models import Menu, MenuItem
    from storefront.product.models import Category

    menu = Menu.objects.create(name="navbar", slug="navbar")
    MenuItem.objects.create(menu=menu, name="Gạo", category=Category.objects.get(slug="gao"))
    query = f"""query($slug: String!) {{
      product(slug: $slug, channel: "vietnam") {selection("Product", 2)}
      category(slug: "gao") {selection("Category", 1)}
      menu(slug: "navbar") {selection("Menu", 2)}
      channel(slug: "vietnam") {selection("Channel", 1)}
      shop {selection("Shop", 1)}
      productTypes(first: 2) {{ edges {{ node {selection("ProductType", 1)} }} }}
    }}"""
    data = _run_clean(gql, query, {"slug": combo.slug})
    assert data["product"]["slug"] == combo.slug and data["product"]["variants"][0]["comboComponents"]


def test_checkout_and_order_types_whole(gql_as, customer, variant, shipping_method):
    client = gql_as(customer)
    cid = ready_checkout(client, variant, shipping_method)
    checkout = _run_clean(client, f"query($id: ID!) {{ checkout(id: $id) {selection('Checkout', 2)} }}", {"id": cid})
    assert checkout["checkout"]["lines"][0]["quantity"] == 2
    order = client.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]["order"]
    data = _run_clean(client, f"""query($id: ID!) {{
      order(id: $id) {selection("Order", 2)}
      me {selection("User", 1)}
    }}""", {"id": order["id"]})
    assert data["order"]["number"] == order["number"] and data["me"]["email"] == customer.email


def test_staff_view_of_warehouse_and_stock(gql_as, coop_staff, coop, product):
    data = _run_clean(gql_as(coop_staff), f"""query($id: ID!) {{
      warehouse(id: $id) {selection("Warehouse", 1)}
      stocks(first: 5) {{ edges {{ node {selection("Stock", 1)} }} }}
    }}""", {"id": global_id("Warehouse", coop.warehouses.get().pk)})
    assert data["warehouse"]["address"]["countryArea"] == "Thành phố Cần Thơ"
    assert data["stocks"]["edges"][0]["node"]["quantity"] == 10
