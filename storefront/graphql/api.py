"""The Saleor-compatible schema: Saleor's root fields we serve, plus documented extensions."""
from __future__ import annotations

import graphene

from .cooperative.schema import CooperativeQueries
from .core.mutations import MUTATIONS
from .core.saleor import SaleorObjectType, named
from .product.schema import ProductQueries


class Query(CooperativeQueries, ProductQueries, SaleorObjectType):
    class Meta:
        name = "Query"


Mutation = type("Mutation", (graphene.ObjectType,), {**MUTATIONS}) if MUTATIONS else None

schema = graphene.Schema(query=Query, mutation=Mutation, types=[named("AssignedSingleChoiceAttribute")])
