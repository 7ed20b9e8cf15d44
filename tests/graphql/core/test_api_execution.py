"""Regression: with graphql-core 3.2.10+ the promise-based loaders crash with TypeError when a
resolver raises. On the pinned 3.2.8 the error is reported on its field and batching goes on."""
import graphene
import graphql
import pytest
from graphql_core_promise import PromiseExecutionContext

from storefront.graphql.core.dataloaders import BaseLoader, loader
from storefront.graphql.core.execution import FastPromiseExecutionContext
from storefront.graphql.core.views import SaleorGraphQLView

# The view's execution context and the library's it trims must behave alike.
CONTEXTS = pytest.mark.parametrize("context_class", [FastPromiseExecutionContext, PromiseExecutionContext])


class Context:
    pass


class SquareBySomeIdLoader(BaseLoader):
    calls: list = []

    def batch_load(self, keys):
        SquareBySomeIdLoader.calls.append(list(keys))
        if 13 in keys:
            raise ValueError("unlucky batch")
        return [k * k for k in keys]


class Named(graphene.Interface):
    name = graphene.String()
    seen_paths: list = []

    @classmethod
    def resolve_type(cls, instance, info):
        cls.seen_paths.append(info.path.as_list())
        return Thing


class Thing(graphene.ObjectType):
    class Meta:
        interfaces = (Named,)


class Item(graphene.ObjectType):
    id = graphene.Int()
    path = graphene.List(graphene.String)
    thing = graphene.Field(Named)  # graphene's default resolver: reads the dict, never `info`
    square = graphene.Int()
    broken = graphene.Int()
    required = graphene.Int(required=True)
    later_required = graphene.Int(required=True)

    @staticmethod
    def resolve_required(root, info):
        return None if root["id"] == 2 else root["id"]

    @staticmethod
    def resolve_later_required(root, info):  # None through a promise
        return loader(info, SquareBySomeIdLoader).load(root["id"]).then(lambda square: None if square == 9 else square)

    @staticmethod
    def resolve_square(root, info):
        return loader(info, SquareBySomeIdLoader).load(root["id"])

    @staticmethod
    def resolve_broken(root, info):
        raise RuntimeError("resolver failed")

    @staticmethod
    def resolve_path(root, info):
        return [str(part) for part in info.path.as_list()]


class Query(graphene.ObjectType):
    items = graphene.List(Item, ids=graphene.List(graphene.Int))

    @staticmethod
    def resolve_items(root, info, ids):
        return [{"id": i, "thing": {"name": f"thing {i}"}} for i in ids]


SCHEMA = graphene.Schema(query=Query, types=[Thing])


def _run(query, context_class):
    return graphql.execute(SCHEMA.graphql_schema, graphql.parse(query), context_value=Context(),
                           execution_context_class=context_class)


def test_the_view_executes_with_the_context_the_setting_chooses(settings, monkeypatch):
    from storefront.graphql.core import execution, views

    assert SaleorGraphQLView.execution_context_class is views._execution_context_class()  # chosen at start-up
    settings.GRAPHQL_FAST_EXECUTION = False
    assert views._execution_context_class() is PromiseExecutionContext
    settings.GRAPHQL_FAST_EXECUTION = True
    assert views._execution_context_class() is FastPromiseExecutionContext
    # Another graphql-core than the one whose internals it overrides: refused at start-up.
    monkeypatch.setitem(execution.WRITTEN_FOR, "graphql-core", "3.3.")
    with pytest.raises(RuntimeError, match="overrides graphql-core 3.3.\\* internals, but graphql-core 3.2.8"):
        views._execution_context_class()


@CONTEXTS
def test_every_value_resolves_with_its_own_path(context_class):
    Named.seen_paths = []
    result = _run("{ items(ids: [1, 2, 3]) { path thing { name } } }", context_class)
    assert not result.errors
    assert [item["path"] for item in result.data["items"]] == [["items", "0", "path"], ["items", "1", "path"],
                                                               ["items", "2", "path"]]
    # Also where the field's resolver is graphene's default one (the trimmed context once shared one
    # info between the values of such a field: every value saw the first one's path).
    assert Named.seen_paths == [["items", 0, "thing"], ["items", 1, "thing"], ["items", 2, "thing"]]


def test_pinned_graphql_core():
    assert graphql.__version__ == "3.2.8"


@CONTEXTS
def test_loads_are_batched_and_a_raising_resolver_does_not_crash(context_class):
    SquareBySomeIdLoader.calls = []
    result = _run("{ items(ids: [1, 2, 3]) { id square broken } }", context_class)
    assert [item["square"] for item in result.data["items"]] == [1, 4, 9]
    assert SquareBySomeIdLoader.calls == [[1, 2, 3]]
    assert {str(e.message) for e in result.errors} == {"resolver failed"}


@CONTEXTS
def test_a_failing_batch_reports_errors_on_its_fields(context_class):
    SquareBySomeIdLoader.calls = []
    result = _run("{ items(ids: [12, 13]) { id square } }", context_class)
    assert [item["square"] for item in result.data["items"]] == [None, None]
    assert {str(e.message) for e in result.errors} == {"unlucky batch"}


@CONTEXTS
def test_null_in_a_non_null_field_nulls_its_parent_with_an_error(context_class):
    result = _run("{ items(ids: [1, 2, 3]) { id required laterRequired } }", context_class)
    assert result.data["items"] == [{"id": 1, "required": 1, "laterRequired": 1}, None, None]
    assert sorted(str(e.message) for e in result.errors) == [
        "Cannot return null for non-nullable field Item.laterRequired.",
        "Cannot return null for non-nullable field Item.required.",
    ]
    assert sorted(e.path[:2] for e in result.errors) == [["items", 1], ["items", 2]]
