"""The cost limit on what one query may ask (depth and size are limits.py's, checked before validation).

The cost of a field is 1, multiplied down the tree by the page size (`first`/`last`) of each
connection it sits under, so `products(first: 100) { variants { ... } }` costs what it makes the
server do. It is a validation rule: an abusive query is refused before it runs.
"""
from __future__ import annotations

from graphql import GraphQLError, ValidationRule, specified_rules
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, OperationDefinitionNode

MAX_COST = 50_000


def _page_size(node: FieldNode, variables: dict) -> int:
    for arg in node.arguments or ():
        if arg.name.value in ("first", "last"):
            value = arg.value
            if hasattr(value, "value") and str(getattr(value, "value", "")).isdigit():
                return max(int(value.value), 1)
            if value.kind == "variable":
                raw = variables.get(value.name.value)
                if isinstance(raw, int) and raw > 0:
                    return raw
            return 100
    return 1


class CostLimitRule(ValidationRule):
    def __init__(self, context):
        super().__init__(context)
        self.fragments = {f.name.value: f for f in context.document.definitions if f.kind == "fragment_definition"}

    def enter_operation_definition(self, node: OperationDefinitionNode, *_):
        cost = self._cost(node.selection_set, 1, set())
        if cost > MAX_COST:
            self.report_error(GraphQLError(
                f"The query exceeds the maximum cost of {MAX_COST} (estimated {cost}).", node
            ))

    def _cost(self, selection_set, multiplier: int, seen: set) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                size = _page_size(selection, {})
                total += multiplier
                total += self._cost(selection.selection_set, multiplier * size, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += self._cost(selection.selection_set, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in seen or name not in self.fragments:
                    continue
                total += self._cost(self.fragments[name].selection_set, multiplier, seen | {name})
            if total > MAX_COST * 10:
                return total
        return total


def validation_rules():
    """GraphQL's own rules plus ours (a view given rules runs only those, so include the standard set)."""
    return (*specified_rules, CostLimitRule)
