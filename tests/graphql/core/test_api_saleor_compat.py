"""Our schema against Saleor's: every shared type and field has Saleor's exact signature, the
storefront types are whole, and anything else is a documented extension."""
import json
from pathlib import Path

import pytest
from graphql import (GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType,
                     GraphQLScalarType, GraphQLUnionType, print_ast)
from graphql.utilities import ast_from_value

from storefront.graphql.api import schema
from storefront.graphql.core.saleor import SIGNATURES_PATH, SaleorObjectType
from storefront.graphql.extensions import EXTENSIONS
from storefront.graphql.tools.print_schema import SCHEMA_FILE, printed_schema

SALEOR = json.loads(SIGNATURES_PATH.read_text(encoding="utf-8"))["types"]
OURS = schema.graphql_schema
REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "data" / "saleor-schema.graphql"

# The types a storefront reads: each must carry every field Saleor lets a shopper read.
STOREFRONT_TYPES = [
    "Product", "ProductVariant", "ProductMedia", "ProductType", "Category", "Collection", "Menu", "MenuItem",
    "Attribute", "AttributeValue", "Channel", "Shop", "Checkout", "CheckoutLine", "Order", "OrderLine",
    "Fulfillment", "User", "Address", "Money", "TaxedMoney", "ShippingMethod", "PaymentGateway", "Warehouse",
]
BUILTIN = {"String", "Int", "Float", "Boolean", "ID"}


def _default(value, gql_type):
    if value is None or value.__class__.__name__ == "Undefined":
        return None
    node = ast_from_value(value, gql_type)
    return print_ast(node) if node else None


def _our_types():
    return {name: t for name, t in OURS.type_map.items() if not name.startswith("__") and name not in BUILTIN}


def signature_differences() -> list[str]:
    problems: list[str] = []
    for name, ours in _our_types().items():
        saleor = SALEOR.get(name)
        if saleor is None:
            if name not in EXTENSIONS:
                problems.append(f"type {name} is not Saleor's and not a documented extension")
            continue
        if isinstance(ours, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            is_root = name in ("Query", "Mutation")
            saleor_fields = saleor["fields"]
            for field_name, field in ours.fields.items():
                key = f"{name}.{field_name}"
                if field_name not in saleor_fields:
                    if key not in EXTENSIONS:
                        problems.append(f"{key} is not Saleor's and not a documented extension")
                    continue
                expected = saleor_fields[field_name]
                if str(field.type) != expected["type"]:
                    problems.append(f"{key}: {field.type} != Saleor's {expected['type']}")
                if isinstance(ours, GraphQLInputObjectType):
                    if _default(field.default_value, field.type) != expected.get("default"):
                        problems.append(f"{key}: default differs from Saleor's")
                    continue
                ours_args = {a: str(arg.type) for a, arg in field.args.items()}
                saleor_args = {a: s["type"] for a, s in expected.get("args", {}).items()}
                if ours_args != saleor_args:
                    problems.append(f"{key}: arguments {ours_args} != Saleor's {saleor_args}")
                for arg_name, arg in field.args.items():
                    saleor_default = expected.get("args", {}).get(arg_name, {}).get("default")
                    if _default(arg.default_value, arg.type) != saleor_default:
                        problems.append(f"{key}({arg_name}): default differs from Saleor's")
            if not is_root:
                missing = sorted(set(saleor_fields) - set(ours.fields))
                if missing:
                    problems.append(f"{name} lacks Saleor's fields {missing}")
            if not isinstance(ours, GraphQLInputObjectType):
                interfaces = sorted(i.name for i in ours.interfaces)
                if interfaces != sorted(saleor.get("interfaces", [])):
                    problems.append(f"{name} implements {interfaces}, Saleor's {sorted(saleor['interfaces'])}")
        elif isinstance(ours, GraphQLEnumType):
            extra = sorted(set(ours.values) - set(saleor["values"]))
            missing = sorted(set(saleor["values"]) - set(ours.values))
            if extra or missing:
                problems.append(f"enum {name}: extra {extra}, missing {missing}")
        elif isinstance(ours, GraphQLUnionType):
            if sorted(t.name for t in ours.types) != sorted(saleor["types"]):
                problems.append(f"union {name} members differ")
        elif isinstance(ours, GraphQLScalarType) and saleor["kind"] != "SCALAR":
            problems.append(f"{name} is a scalar here, a {saleor['kind']} in Saleor")
    return problems


def test_schema_matches_saleor_signatures():
    assert signature_differences() == []


def test_storefront_types_are_whole():
    for name in STOREFRONT_TYPES:
        ours = OURS.type_map[name]
        assert set(ours.fields) >= set(SALEOR[name]["fields"]), name


def test_a_saleor_field_nobody_mapped_fails_the_schema_build():
    # Saleor's Stock has id, warehouse, productVariant, quantity, quantityAllocated, quantityReserved.
    with pytest.raises(TypeError, match=r"Stock: Saleor's field\(s\) quantityReserved have no resolver"):
        type("Stock", (SaleorObjectType,), {
            "Meta": type("Meta", (), {"fields": {"quantity": "quantity", "quantityAllocated": "quantity_allocated"}}),
            "resolve_warehouse": staticmethod(lambda root, info: None),
            "resolve_product_variant": staticmethod(lambda root, info: None),
        })


def test_unsupported_fields_answer_saleors_empty_value_and_mapped_ones_the_attribute(gql, product):
    data = gql.execute("""query($slug: String!) { product(slug: $slug, channel: "vietnam") {
        name slug metadata { key } taxType { taxCode } externalReference } }""", {"slug": product.slug})
    assert data["product"] == {"name": product.name, "slug": product.slug, "metadata": [], "taxType": None,
                               "externalReference": None}


def test_a_required_field_cannot_be_declared_unsupported():
    with pytest.raises(TypeError, match="Stock.warehouse is Warehouse!: it has no empty value"):
        type("Stock", (SaleorObjectType,), {
            "Meta": type("Meta", (), {"unsupported": ("warehouse",)}),
        })


def test_every_extension_exists():
    types = _our_types()
    for key in EXTENSIONS:
        type_name, _, field = key.partition(".")
        assert type_name in types, key
        if field:
            assert field in types[type_name].fields, key


def test_printed_schema_is_current():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed_schema(), (
        "storefront/graphql/schema.graphql is stale: run python -m storefront.graphql.tools.print_schema")


@pytest.mark.skipif(not REFERENCE.exists(), reason="Saleor's reference schema is not on this machine")
def test_extract_is_current_with_the_reference():
    from storefront.graphql.tools.extract_saleor_signatures import extract

    assert extract(REFERENCE.read_text(encoding="utf-8"))["types"] == SALEOR


def test_compatibility_check_catches_a_changed_field():
    """The check itself can fail: a Saleor field typed differently is reported."""
    changed = json.loads(json.dumps(SALEOR))
    changed["Product"]["fields"]["name"]["type"] = "Int!"
    del changed["Channel"]["fields"]["slug"]
    globals()["SALEOR"] = changed
    try:
        problems = signature_differences()
        assert "Product.name: String! != Saleor's Int!" in problems
        assert "Channel.slug is not Saleor's and not a documented extension" in problems
    finally:
        globals()["SALEOR"] = json.loads(SIGNATURES_PATH.read_text(encoding="utf-8"))["types"]
