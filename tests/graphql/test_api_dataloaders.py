"""Regression: with graphql-core 3.2.10+ the promise-based loaders crash with TypeError when a
resolver raises. On the pinned 3.2.8 the error is reported on its field and batching goes on."""
import graphene
import graphql
from graphql_core_promise import PromiseExecutionContext

from storefront.graphql.core.dataloaders import BaseLoader, loader


class Context:
    pass


class SquareBySomeIdLoader(BaseLoader):
    calls: list = []

    def batch_load(self, keys):
        SquareBySomeIdLoader.calls.append(list(keys))
        if 13 in keys:
            raise ValueError("unlucky batch")
        return [k * k for k in keys]


class Item(graphene.ObjectType):
    id = graphene.Int()
    square = graphene.Int()
    broken = graphene.Int()

    @staticmethod
    def resolve_square(root, info):
        return loader(info, SquareBySomeIdLoader).load(root["id"])

    @staticmethod
    def resolve_broken(root, info):
        raise RuntimeError("resolver failed")


class Query(graphene.ObjectType):
    items = graphene.List(Item, ids=graphene.List(graphene.Int))

    @staticmethod
    def resolve_items(root, info, ids):
        return [{"id": i} for i in ids]


SCHEMA = graphene.Schema(query=Query)


def _run(query):
    return graphql.execute(SCHEMA.graphql_schema, graphql.parse(query), context_value=Context(),
                           execution_context_class=PromiseExecutionContext)


def test_pinned_graphql_core():
    assert graphql.__version__ == "3.2.8"


def test_loads_are_batched_and_a_raising_resolver_does_not_crash():
    SquareBySomeIdLoader.calls = []
    result = _run("{ items(ids: [1, 2, 3]) { id square broken } }")
    assert [item["square"] for item in result.data["items"]] == [1, 4, 9]
    assert SquareBySomeIdLoader.calls == [[1, 2, 3]]
    assert {str(e.message) for e in result.errors} == {"resolver failed"}


def test_a_failing_batch_reports_errors_on_its_fields():
    SquareBySomeIdLoader.calls = []
    result = _run("{ items(ids: [12, 13]) { id square } }")
    assert [item["square"] for item in result.data["items"]] == [None, None]
    assert {str(e.message) for e in result.errors} == {"unlucky batch"}
