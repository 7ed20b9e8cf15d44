"""Extract from Saleor's published schema the signatures of what this API implements.

    python -m storefront.graphql.tools.extract_saleor_signatures /path/to/saleor-schema.graphql

Writes `storefront/graphql/core/saleor_signatures.json`: for every type reachable from the root
fields we serve (and the members of the unions and assigned-attribute interface among them), its
kind, interfaces, fields with argument and result types (nullability and list shapes as SDL
strings, e.g. `[ProductVariant!]`), default values, enum values and input fields. Descriptions are
left out. The API builds its Saleor-named types from this file and the compatibility test compares
the printed schema with it, so neither needs the reference schema at run time.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from graphql import (GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType,
                     GraphQLScalarType, GraphQLUnionType, build_schema, get_named_type, print_ast)
from graphql.utilities import ast_from_value

OUTPUT = Path(__file__).resolve().parent.parent / "core" / "saleor_signatures.json"

# The root fields this API serves; everything they reach is extracted whole.
QUERY_FIELDS = [
    "shop", "channel", "channels", "products", "product", "productVariant", "productVariants",
    "categories", "category", "collections", "collection", "productType", "productTypes",
    "attributes", "attribute", "menu", "menus", "menuItem", "menuItems", "checkout", "me", "order",
    "orderByToken", "orders", "addressValidationRules", "warehouse", "warehouses", "stocks",
]
MUTATION_FIELDS = [
    "checkoutCreate", "checkoutLinesAdd", "checkoutLinesUpdate", "checkoutLinesDelete",
    "checkoutEmailUpdate", "checkoutShippingAddressUpdate", "checkoutBillingAddressUpdate",
    "checkoutDeliveryMethodUpdate", "checkoutShippingMethodUpdate", "checkoutCustomerNoteUpdate",
    "checkoutComplete", "checkoutPaymentCreate", "transactionInitialize", "paymentGatewayInitialize",
    "accountRegister", "tokenCreate", "tokenRefresh", "tokenVerify",
    "productCreate", "productUpdate", "productDelete", "productVariantCreate", "productVariantUpdate",
    "productVariantStocksUpdate", "productMediaCreate", "productChannelListingUpdate",
    "orderFulfill", "orderCancel", "orderMarkAsPaid", "orderFulfillmentCancel", "orderFulfillmentReturnProducts",
    "orderGrantRefundCreate",
    "checkoutAddPromoCode", "checkoutRemovePromoCode", "voucherCreate", "promotionCreate",
]
# Implementations a storefront selects with inline fragments on these abstract types.
ABSTRACT_WITH_MEMBERS = {"AssignedAttribute"}


def type_ref(gql_type) -> str:
    return str(gql_type)


def default_repr(value, gql_type):
    if value is None or value.__class__.__name__ == "Undefined":
        return None
    node = ast_from_value(value, gql_type)
    return print_ast(node) if node else None


def field_signature(field) -> dict:
    out: dict = {"type": type_ref(field.type)}
    if getattr(field, "args", None):
        out["args"] = {}
        for name, arg in field.args.items():
            arg_out = {"type": type_ref(arg.type)}
            default = default_repr(arg.default_value, arg.type)
            if default is not None:
                arg_out["default"] = default
            out["args"][name] = arg_out
    if getattr(field, "deprecation_reason", None):
        out["deprecated"] = True
    return out


def type_signature(gql_type, *, only_fields=None) -> dict:
    if isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType)):
        fields = {
            name: field_signature(f) for name, f in gql_type.fields.items()
            if only_fields is None or name in only_fields
        }
        kind = "OBJECT" if isinstance(gql_type, GraphQLObjectType) else "INTERFACE"
        return {"kind": kind, "interfaces": [i.name for i in gql_type.interfaces], "fields": fields}
    if isinstance(gql_type, GraphQLInputObjectType):
        fields = {}
        for name, f in gql_type.fields.items():
            entry = {"type": type_ref(f.type)}
            default = default_repr(f.default_value, f.type)
            if default is not None:
                entry["default"] = default
            fields[name] = entry
        return {"kind": "INPUT_OBJECT", "fields": fields}
    if isinstance(gql_type, GraphQLEnumType):
        return {"kind": "ENUM", "values": list(gql_type.values)}
    if isinstance(gql_type, GraphQLUnionType):
        return {"kind": "UNION", "types": [t.name for t in gql_type.types]}
    if isinstance(gql_type, GraphQLScalarType):
        return {"kind": "SCALAR"}
    raise TypeError(gql_type)


def extract(sdl: str) -> dict:
    schema = build_schema(sdl)
    roots = {"Query": QUERY_FIELDS, "Mutation": MUTATION_FIELDS}
    types: dict[str, dict] = {}
    pending: list[str] = []

    def reach(field) -> None:
        pending.append(get_named_type(field.type).name)
        for arg in getattr(field, "args", {}).values():
            pending.append(get_named_type(arg.type).name)

    for root, names in roots.items():
        root_type = schema.type_map[root]
        missing = [n for n in names if n not in root_type.fields]
        if missing:
            raise SystemExit(f"{root} has no fields {missing}")
        types[root] = type_signature(root_type, only_fields=set(names))
        for name in names:
            reach(root_type.fields[name])
    while pending:
        name = pending.pop()
        if name in types:
            continue
        gql_type = schema.type_map[name]
        types[name] = type_signature(gql_type)
        if isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field in gql_type.fields.values():
                reach(field)
            pending.extend(i.name for i in getattr(gql_type, "interfaces", []))
        if isinstance(gql_type, GraphQLUnionType):
            pending.extend(t.name for t in gql_type.types)
        if isinstance(gql_type, GraphQLInterfaceType) and name in ABSTRACT_WITH_MEMBERS:
            pending.extend(t.name for t in schema.get_possible_types(gql_type))
    return {"source": "Saleor 3.23 schema", "types": dict(sorted(types.items()))}


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    data = extract(Path(argv[1]).read_text(encoding="utf-8"))
    OUTPUT.write_text(json.dumps(data, indent=1, sort_keys=False, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(data['types'])} types -> {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv)
