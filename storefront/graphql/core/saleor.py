"""Saleor-named GraphQL types built from the checked-in extract of Saleor's schema.

Why: a Saleor storefront must work unchanged, so every type it reads must carry Saleor's exact
fields, argument and result types. The extract (`saleor_signatures.json`, made by
`storefront.graphql.tools.extract_saleor_signatures`) is the single source of those signatures:

* `SaleorObjectType` subclasses (the types we serve from our models) get every Saleor field of
  their type declared from the extract. Each field must be answered one of three ways, or the
  class fails to build (a field nobody mapped would otherwise answer null to every client):
  a `resolve_<field>` method; `Meta.fields`, `{"saleorField": "model_attribute"}`, for a field that
  is a model attribute as it is; or `Meta.unsupported`, the fields that mean nothing here (a
  feature we do not have), which answer Saleor's empty value (null, [], false, 0, ""). The
  metadata fields of `ObjectWithMetadata` are unsupported on every type (we keep no metadata).
* Types we only ever fill from plain dicts (Money, PageInfo, connections, mutation payloads,
  translations …), enums, inputs, unions and interfaces are built on demand by `named()`; their
  fields read the dict by GraphQL name.

Extensions (fields or types Saleor does not have) are ordinary graphene declarations and must be
listed in `storefront/graphql/extensions.py`; the compatibility test checks both directions.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import graphene
from graphene.types.objecttype import ObjectTypeOptions
from graphene.utils.str_converters import to_snake_case

from . import scalars

SIGNATURES_PATH = Path(__file__).resolve().parent / "saleor_signatures.json"


@lru_cache(maxsize=1)
def signatures() -> dict[str, dict]:
    return json.loads(SIGNATURES_PATH.read_text(encoding="utf-8"))["types"]


_registry: dict[str, type] = {}
_model_types: dict[type, type] = {}
_generated: set[str] = set()

# ObjectWithMetadata's fields: we keep no metadata, so they answer empty wherever Saleor has them.
METADATA_FIELDS = frozenset({"privateMetadata", "privateMetafield", "privateMetafields", "metadata", "metafield",
                             "metafields"})

BUILTIN_SCALARS = {
    "String": graphene.String, "Int": graphene.Int, "Float": graphene.Float,
    "Boolean": graphene.Boolean, "ID": graphene.ID,
}


def register(name: str, graphene_type: type, model: type | None = None) -> None:
    if name in _generated:
        raise RuntimeError(f"{name} was generated before its hand-written type was imported")
    if name in _registry and _registry[name] is not graphene_type:
        raise RuntimeError(f"{name} registered twice")
    _registry[name] = graphene_type
    if model is not None:
        _model_types[model] = graphene_type


def type_for_model(model: type) -> type | None:
    return _model_types.get(model)


def named(name: str) -> type:
    """The graphene type called `name`: a hand-written one, or one built from the extract."""
    if name in _registry:
        return _registry[name]
    if name in BUILTIN_SCALARS:
        return BUILTIN_SCALARS[name]
    if name in scalars.BY_NAME:
        return scalars.BY_NAME[name]
    sig = signatures().get(name)
    if sig is None:
        raise KeyError(f"Saleor has no type {name} in the extract")
    _generated.add(name)
    builder = {"ENUM": _build_enum, "INPUT_OBJECT": _build_input, "OBJECT": _build_object,
               "INTERFACE": _build_interface, "UNION": _build_union}[sig["kind"]]
    built = builder(name, sig)
    _registry[name] = built
    return built


def type_ref(ref: str):
    """Graphene type for an SDL reference such as `[ProductVariant!]!`, resolved lazily."""
    if ref.endswith("!"):
        return graphene.NonNull(type_ref(ref[:-1]))
    if ref.startswith("["):
        return graphene.List(type_ref(ref[1:-1]))
    return lambda: named(ref)


def _mounted_type_ref(ref: str):
    """Like `type_ref`, but the outer layer as graphene wants it for Field/Argument."""
    return type_ref(ref)


def parse_default(text: str):
    if text == "true":
        return True
    if text == "false":
        return False
    if text.lstrip("-").isdigit():
        return int(text)
    if text.startswith('"'):
        return json.loads(text)
    return text  # enum value name


def _argument(arg_name: str, arg_sig: dict) -> graphene.Argument:
    kwargs = {"name": arg_name}
    if "default" in arg_sig:
        kwargs["default_value"] = parse_default(arg_sig["default"])
    return graphene.Argument(_mounted_type_ref(arg_sig["type"]), **kwargs)


def empty_value(ref: str):
    """Saleor's empty answer for a field of this type: null when nullable, else [], false, 0, ""."""
    if not ref.endswith("!"):
        return None
    inner = ref[:-1]
    if inner.startswith("["):
        return []
    return {"Boolean": False, "Int": 0, "Float": 0.0, "String": ""}.get(inner, _NO_EMPTY)


_NO_EMPTY = object()


def _dict_or_empty_resolver(graphql_name: str, ref: str):
    empty = empty_value(ref)

    def resolve(root, info, **kwargs):
        if isinstance(root, dict) and graphql_name in root:
            value = root[graphql_name]
            return value() if callable(value) else value
        if empty is _NO_EMPTY:
            raise ValueError(f"{info.parent_type.name}.{graphql_name} has no value")
        return empty

    return resolve


def saleor_field(type_name: str, field_name: str, *, resolver=None, sig: dict | None = None) -> graphene.Field:
    sig = sig or signatures()[type_name]["fields"][field_name]
    args = {to_snake_case(a): _argument(a, s) for a, s in sig.get("args", {}).items()}
    return graphene.Field(_mounted_type_ref(sig["type"]), name=field_name, args=args, resolver=resolver,
                          deprecation_reason="Deprecated in Saleor." if sig.get("deprecated") else None)


def _attribute_resolver(attribute: str):
    def resolve(root, info, **kwargs):
        return getattr(root, attribute)

    return resolve


def _empty_resolver(type_name: str, field_name: str, ref: str):
    empty = empty_value(ref)
    if empty is _NO_EMPTY:
        raise TypeError(f"{type_name}.{field_name} is {ref}: it has no empty value to answer, so it cannot be "
                        "unsupported; write resolve_<field> or map it in Meta.fields")

    def resolve(root, info, **kwargs):
        return empty

    return resolve


def _fields_from_signature(name: str, sig: dict, cls=None, skip=(), mapped=None, unsupported=()) -> dict:
    """Graphene fields for Saleor's fields of type `name`. For a hand-written class (`cls`), every
    field is resolved by a `resolve_<field>` method, an attribute named in `mapped`, or declared
    `unsupported` (Saleor's empty answer); anything else is an error, raised here, at build time."""
    fields, unmapped = {}, []
    mapped = mapped or {}
    for field_name in list(mapped) + list(unsupported):
        if field_name not in sig["fields"]:
            raise TypeError(f"{name}.{field_name} is in Meta.fields or Meta.unsupported but Saleor has no such field")
    for field_name, field_sig in sig["fields"].items():
        if field_name in skip:
            continue
        attr = to_snake_case(field_name)
        if cls is None:
            resolver = _dict_or_empty_resolver(field_name, field_sig["type"])
        elif attr in cls.__dict__:
            continue  # declared by hand on the class
        elif hasattr(cls, f"resolve_{attr}"):
            if field_name in mapped or field_name in unsupported:
                raise TypeError(f"{name}.{field_name} has a resolver and is also in Meta.fields/unsupported")
            resolver = None
        elif field_name in mapped:
            resolver = _attribute_resolver(mapped[field_name])
        elif field_name in unsupported or field_name in METADATA_FIELDS:
            resolver = _empty_resolver(name, field_name, field_sig["type"])
        else:
            unmapped.append(field_name)
            continue
        fields[attr] = saleor_field(name, field_name, resolver=resolver, sig=field_sig)
    if unmapped:
        raise TypeError(f"{name}: Saleor's field(s) {', '.join(unmapped)} have no resolver. Write resolve_<field>, "
                        "map a model attribute in Meta.fields, or list them in Meta.unsupported.")
    return fields


def _interfaces(sig: dict) -> tuple:
    result = []
    for iface in sig.get("interfaces", []):
        result.append(graphene.relay.Node if iface == "Node" else named(iface))
    return tuple(result)


def resolve_abstract_type(instance, info):
    """Concrete GraphQL type of a value returned where a union or interface is expected."""
    if isinstance(instance, dict) and "__typename" in instance:
        return named(instance["__typename"])
    for klass in type(instance).__mro__:
        if klass in _model_types:
            return _model_types[klass]
    if isinstance(instance, graphene.ObjectType):
        return type(instance)
    raise TypeError(f"No GraphQL type for {type(instance).__name__}")


def _build_enum(name, sig):
    return graphene.Enum(name, [(value, value) for value in sig["values"]])


def _build_input(name, sig):
    from ..extensions import INPUT_FIELD_EXTENSIONS

    attrs = {}
    fields = dict(sig["fields"])
    for field_name, ref in INPUT_FIELD_EXTENSIONS.get(name, {}).items():
        fields[field_name] = {"type": ref}
    for field_name, field_sig in fields.items():
        kwargs = {"name": field_name}
        if "default" in field_sig:
            kwargs["default_value"] = parse_default(field_sig["default"])
        attrs[to_snake_case(field_name)] = graphene.InputField(_mounted_type_ref(field_sig["type"]), **kwargs)
    return type(name, (graphene.InputObjectType,), {**attrs, "Meta": type("Meta", (), {"name": name})})


def _build_object(name, sig):
    skip = ("id",) if "Node" in sig.get("interfaces", []) else ()
    attrs = _fields_from_signature(name, sig, skip=skip)
    meta = type("Meta", (), {"name": name, "interfaces": _interfaces(sig)})
    attrs["Meta"] = meta
    if skip:
        attrs["resolve_id"] = staticmethod(lambda root, info: root["id"] if isinstance(root, dict) else root.pk)
    return type(name, (graphene.ObjectType,), attrs)


def _build_interface(name, sig):
    if name == "Node":
        return graphene.relay.Node
    skip = ("id",) if "Node" in sig.get("interfaces", []) else ()
    attrs = {to_snake_case(f): saleor_field(name, f, sig=s) for f, s in sig["fields"].items() if f not in skip}
    meta = type("Meta", (), {"name": name, "interfaces": _interfaces(sig)})
    attrs["Meta"] = meta
    attrs["resolve_type"] = classmethod(lambda cls, instance, info: resolve_abstract_type(instance, info))
    return type(name, (graphene.Interface,), attrs)


def _build_union(name, sig):
    members = sig["types"]
    meta = type("Meta", (), {"name": name, "types": tuple(named(member) for member in members)})
    return type(name, (graphene.Union,), {
        "Meta": meta,
        "resolve_type": classmethod(lambda cls, instance, info: resolve_abstract_type(instance, info)),
    })


class SaleorObjectTypeOptions(ObjectTypeOptions):
    saleor_name = None


class SaleorObjectType(graphene.ObjectType):
    """An object type whose fields are Saleor's, resolved by the subclass's `resolve_*` methods.

    Meta: `name` (Saleor's type name, defaults to the class name), `model` (the Django model the
    values are, so unions/interfaces can tell types apart), `fields` (`{"saleorField":
    "model_attribute"}`: fields answered by the attribute as it is), `unsupported` (fields that mean
    nothing here and answer Saleor's empty value). Every other Saleor field needs a `resolve_<field>`.
    """

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, name=None, model=None, fields=None, unsupported=(), interfaces=(),
                                    _meta=None, **options):
        name = name or cls.__name__
        sig = signatures()[name]
        skip = ("id",) if "Node" in sig.get("interfaces", []) else ()
        built = _fields_from_signature(name, sig, cls=cls, skip=skip, mapped=fields, unsupported=unsupported)
        for attr, field in built.items():
            setattr(cls, attr, field)
        if not _meta:
            _meta = SaleorObjectTypeOptions(cls)
        _meta.saleor_name = name
        interfaces = tuple(interfaces) + tuple(i for i in _interfaces(sig) if i not in interfaces)
        super().__init_subclass_with_meta__(name=name, interfaces=interfaces, _meta=_meta, **options)
        register(name, cls, model)


def generated_type_names() -> set[str]:
    return set(_generated)
