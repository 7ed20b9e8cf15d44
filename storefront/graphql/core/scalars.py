"""Saleor's custom scalars, under Saleor's names."""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import graphene
from graphene.types.generic import GenericScalar
from graphql import GraphQLError
from graphql.language import ast


class JSON(GenericScalar):
    """Any JSON value."""


class SaleorGenericScalar(GenericScalar):
    class Meta:
        name = "GenericScalar"


class Metadata(GenericScalar):
    """String-to-string map of metadata."""


class PositiveInt(graphene.Int):
    @staticmethod
    def parse_value(value):
        value = graphene.Int.parse_value(value)
        if value is None or value < 0:
            raise GraphQLError("Expected a non-negative integer.")
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None):
        if isinstance(node, ast.IntValueNode):
            return cls.parse_value(int(node.value))
        raise GraphQLError("Expected a non-negative integer.")


class PositiveDecimal(graphene.Decimal):
    @staticmethod
    def parse_value(value):
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError, TypeError):
            raise GraphQLError(f"Invalid decimal: {value!r}") from None
        if not number.is_finite() or number < 0:
            raise GraphQLError("Expected a non-negative decimal.")
        return number

    @classmethod
    def parse_literal(cls, node, _variables=None):
        if isinstance(node, (ast.IntValueNode, ast.FloatValueNode, ast.StringValueNode)):
            return cls.parse_value(node.value)
        raise GraphQLError("Expected a non-negative decimal.")


class WeightScalar(graphene.Float):
    pass


class Minute(graphene.Int):
    pass


class Hour(graphene.Int):
    pass


class Day(graphene.Int):
    pass


class Upload(graphene.Scalar):
    """A file part of a GraphQL multipart request (see the view); passes the uploaded file through."""

    @staticmethod
    def serialize(value):
        return None

    @staticmethod
    def parse_value(value):
        return value

    @staticmethod
    def parse_literal(node, _variables=None):
        return None


BY_NAME = {
    "JSON": JSON,
    "JSONString": graphene.JSONString,
    "GenericScalar": SaleorGenericScalar,
    "Metadata": Metadata,
    "PositiveInt": PositiveInt,
    "PositiveDecimal": PositiveDecimal,
    "Decimal": graphene.Decimal,
    "WeightScalar": WeightScalar,
    "Minute": Minute,
    "Hour": Hour,
    "Day": Day,
    "Upload": Upload,
    "Date": graphene.Date,
    "DateTime": graphene.DateTime,
    "UUID": graphene.UUID,
}

__all__ = ["BY_NAME", "json"]
