"""Attribute types: Attribute, AttributeValue, and the attribute lists of products and variants
(Saleor's SelectedAttribute and AssignedAttribute)."""
from __future__ import annotations

from storefront.product import models as m

from ..core.connection import paginate
from ..core.dataloaders import loader
from ..core.saleor import SaleorObjectType
from ..core.values import is_english, language_display
from . import dataloaders as dl


def selected_attributes(info, values):
    """Saleor's [SelectedAttribute]: values grouped under their attribute, storefront-visible only."""
    grouped: dict[int, dict] = {}
    for value in values:
        attribute = value.attribute
        if not attribute.visible_in_storefront:
            continue
        entry = grouped.setdefault(attribute.pk, {"attribute": attribute, "values": []})
        entry["values"].append(value)
    return list(grouped.values())


def assigned_attributes(values) -> list:
    result = []
    for group in selected_attributes(None, values):
        attribute = group["attribute"]
        multi = attribute.input_type == m.Attribute.InputType.MULTISELECT
        result.append({
            "__typename": "AssignedMultiChoiceAttribute" if multi else "AssignedSingleChoiceAttribute",
            "attribute": attribute,
            "value": [_choice_value(v) for v in group["values"]] if multi else _choice_value(group["values"][0]),
        })
    return result


def _choice_value(value: m.AttributeValue) -> dict:
    return {"name": value.name, "slug": value.slug, "translation": None}


_INPUT_TYPES = {
    "dropdown": "DROPDOWN", "multiselect": "MULTISELECT", "numeric": "NUMERIC", "boolean": "BOOLEAN",
    "plain-text": "PLAIN_TEXT",
}


class Attribute(SaleorObjectType):
    class Meta:
        model = m.Attribute
        fields = {"name": "name", "slug": "slug", "visibleInStorefront": "visible_in_storefront",
            "filterableInStorefront": "filterable_in_storefront", "storefrontSearchPosition": "sort_order"}
        unsupported = ("entityType", "referenceTypes", "valueRequired", "filterableInDashboard", "availableInGrid",
            "externalReference")

    @staticmethod
    def resolve_input_type(root, info):
        return _INPUT_TYPES.get(root.input_type, "DROPDOWN")

    @staticmethod
    def resolve_type(root, info):
        return "PRODUCT_TYPE"

    @staticmethod
    def resolve_unit(root, info):
        return None

    @staticmethod
    def resolve_with_choices(root, info):
        return root.input_type in ("dropdown", "multiselect")

    @staticmethod
    def resolve_choices(root, info, **kwargs):
        return loader(info, dl.AttributeValuesByAttributeIdLoader).load(root.pk).then(
            lambda values: paginate(values, name="choices", **kwargs))

    @staticmethod
    def resolve_product_types(root, info, **kwargs):
        return paginate(root.product_types.all().order_by("slug"), name="productTypes", **kwargs)

    @staticmethod
    def resolve_product_variant_types(root, info, **kwargs):
        return paginate([], name="productVariantTypes", **kwargs)

    @staticmethod
    def resolve_translation(root, info, language_code):
        if not (is_english(language_code) and root.name_en):
            return None
        return {"__typename": "AttributeTranslation", "id": root.pk, "name": root.name_en,
                "language": language_display(language_code)}


class AttributeValue(SaleorObjectType):
    class Meta:
        model = m.AttributeValue
        fields = {"name": "name", "slug": "slug", "value": "slug", "plainText": "name"}
        unsupported = ("reference", "file", "richText", "boolean", "date", "dateTime", "externalReference")

    @staticmethod
    def resolve_input_type(root, info):
        return loader(info, dl.AttributeByIdLoader).load(root.attribute_id).then(
            lambda attribute: _INPUT_TYPES.get(attribute.input_type, "DROPDOWN"))

    @staticmethod
    def resolve_translation(root, info, language_code):
        if not (is_english(language_code) and root.name_en):
            return None
        return {"__typename": "AttributeValueTranslation", "id": root.pk, "name": root.name_en,
                "language": language_display(language_code)}
