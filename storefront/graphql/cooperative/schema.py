from __future__ import annotations

import graphene

from storefront.cooperative import selectors as cooperative_selectors

from ..core.connection import paginate
from ..core.context import actor
from ..core.saleor import named
from .types import Cooperative


class CooperativeCountableEdge(graphene.ObjectType):
    node = graphene.Field(graphene.NonNull(Cooperative))
    cursor = graphene.String(required=True)


class CooperativeCountableConnection(graphene.ObjectType):
    """Extension: cooperatives as a Relay connection shaped like Saleor's."""

    page_info = graphene.Field(lambda: named("PageInfo"), required=True)
    edges = graphene.List(graphene.NonNull(CooperativeCountableEdge), required=True)
    total_count = graphene.Int()

    @staticmethod
    def resolve_page_info(root, info):
        return root["pageInfo"]

    @staticmethod
    def resolve_edges(root, info):
        return root["edges"]

    @staticmethod
    def resolve_total_count(root, info):
        return root["totalCount"]()


class CooperativeQueries:
    cooperatives = graphene.Field(
        CooperativeCountableConnection, search=graphene.String(), first=graphene.Int(), last=graphene.Int(),
        after=graphene.String(), before=graphene.String(),
        description="Extension: cooperatives selling on the marketplace.")
    cooperative = graphene.Field(Cooperative, slug=graphene.String(required=True),
                                 description="Extension: one cooperative's store by its slug.")

    @staticmethod
    def resolve_cooperatives(root, info, search=None, **page):
        queryset = cooperative_selectors.cooperatives_selling()
        if search:
            from storefront.core.text import fold

            queryset = queryset.filter(search_text__contains=fold(search))
        return paginate(queryset.order_by("name", "pk"), name="cooperatives", **page)

    @staticmethod
    def resolve_cooperative(root, info, slug):
        return cooperative_selectors.cooperative_by_slug(slug, actor=actor(info))
