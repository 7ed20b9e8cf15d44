"""The promise-based execution of graphql-core-promise with less work per field.

A product listing resolves some 35 fields per product, nearly all synchronously from rows loaded
up front; graphql-core-promise then spends more time walking the result than our resolvers do.
This subclass keeps its semantics (promises where a resolver returns one, the same errors and
null propagation) and trims the walk:

* a result is a promise only if it is a `Promise` (our resolvers and DataLoaders return nothing
  else), a type check instead of `promise.is_thenable`'s duck typing;
* what kind of output type a field has (non-null, list, leaf, abstract, object) is worked out
  once per type, not by a chain of `isinstance` checks per value;
* fields without arguments skip argument coercion; non-null leaves are serialised in one step.

Every value gets its own `ResolveInfo` (its `path` is its own), as in graphql-core.

It overrides `execute_field` and `complete_value` of graphql-core's ExecutionContext, whose
internals change between minor releases: `check_versions()` (run when the view module loads, with
the switch on) refuses any graphql-core or graphql-core-promise other than the ones it was written
against. The switch is the `GRAPHQL_FAST_EXECUTION` setting (environment variable of that name,
see `storefront/settings.py`); off, the view uses graphql-core-promise's own context.

tests/graphql cover the results and the errors (including the batching regression test), with
either context.
"""
from __future__ import annotations

from importlib.metadata import version

from graphql.error import located_error
from graphql.execution.execute import get_field_def
from graphql.pyutils import Undefined
from graphql.execution.values import get_argument_values
from graphql.type import is_abstract_type, is_leaf_type, is_list_type, is_non_null_type, is_object_type
from graphql_core_promise import PromiseExecutionContext
from promise import Promise

# The releases whose ExecutionContext internals this module was written against and tested with.
WRITTEN_FOR = {"graphql-core": "3.2.", "graphql-core-promise": "3.2.3"}


def check_versions() -> None:
    """Raise if the installed graphql-core or graphql-core-promise is not the release this
    context overrides (a silent mismatch would execute queries with another release's internals)."""
    for package, prefix in WRITTEN_FOR.items():
        installed = version(package)
        if not installed.startswith(prefix):
            raise RuntimeError(f"FastPromiseExecutionContext overrides {package} {prefix}* internals, but "
                               f"{package} {installed} is installed: check storefront/graphql/core/execution.py "
                               "against it, or set GRAPHQL_FAST_EXECUTION=false")


_NON_NULL, _LIST, _LEAF, _ABSTRACT, _OBJECT = range(5)
_kinds: dict = {}


def _kind(return_type) -> int:
    kind = _kinds.get(return_type)
    if kind is None:
        if is_non_null_type(return_type):
            kind = _NON_NULL
        elif is_list_type(return_type):
            kind = _LIST
        elif is_leaf_type(return_type):
            kind = _LEAF
        elif is_abstract_type(return_type):
            kind = _ABSTRACT
        elif is_object_type(return_type):
            kind = _OBJECT
        else:  # pragma: no cover - every output type is one of the above
            raise TypeError(f"Cannot complete value of unexpected output type: {return_type!r}.")
        _kinds[return_type] = kind
    return kind


def _is_promise(value) -> bool:
    return isinstance(value, Promise)


class FastPromiseExecutionContext(PromiseExecutionContext):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_awaitable = self.is_promise = _is_promise

    def execute_field(self, parent_type, source, field_nodes, path):
        field_def = get_field_def(self.schema, parent_type, field_nodes[0])
        if not field_def:
            return Undefined
        return_type = field_def.type
        resolve_fn = field_def.resolve or self.field_resolver
        if self.middleware_manager:
            resolve_fn = self.middleware_manager.get_field_resolver(resolve_fn)
        info = self.build_resolve_info(field_def, field_nodes, parent_type, path)
        try:
            if field_def.args:
                result = resolve_fn(source, info, **get_argument_values(field_def, field_nodes[0],
                                                                       self.variable_values))
            else:
                result = resolve_fn(source, info)
            if isinstance(result, Promise):
                def handle_error(raw_error):
                    self.handle_field_error(located_error(raw_error, field_nodes, path.as_list()), return_type)

                return result.then(
                    lambda resolved: self.complete_value(return_type, field_nodes, info, path, resolved),
                    handle_error)
            completed = self.complete_value(return_type, field_nodes, info, path, result)
            if isinstance(completed, Promise):
                def handle_completion_error(raw_error):
                    self.handle_field_error(located_error(raw_error, field_nodes, path.as_list()), return_type)

                return completed.then(lambda value: value, handle_completion_error)
            return completed
        except Exception as raw_error:
            self.handle_field_error(located_error(raw_error, field_nodes, path.as_list()), return_type)
            return None

    def complete_value(self, return_type, field_nodes, info, path, result):
        if isinstance(result, Exception):
            raise result
        kind = _kinds.get(return_type)
        if kind is None:
            kind = _kind(return_type)
        if kind == _NON_NULL:
            inner = return_type.of_type
            if _kinds.get(inner) == _LEAF and result is not None and result is not Undefined:
                completed = self.complete_leaf_value(inner, result)
            else:
                completed = self.complete_value(inner, field_nodes, info, path, result)
            if completed is None:
                raise TypeError("Cannot return null for non-nullable field"
                                f" {info.parent_type.name}.{info.field_name}.")
            return completed
        if result is None or result is Undefined:
            return None
        if kind == _LEAF:
            return self.complete_leaf_value(return_type, result)
        if kind == _OBJECT:
            return self.complete_object_value(return_type, field_nodes, info, path, result)
        if kind == _LIST:
            return self.complete_list_value(return_type, field_nodes, info, path, result)
        return self.complete_abstract_value(return_type, field_nodes, info, path, result)


__all__ = ["FastPromiseExecutionContext"]
