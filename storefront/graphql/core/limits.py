"""What one document may ask for, checked before graphql-core validates or runs it.

Validation itself is the cheapest place to be attacked: its overlapping-fields rule compares every
pair of fields that share a response name (`{shop{name name …}}` ×5,000 costs it half a minute), and
a rule that walks fragments without remembering them is exponential in a fragment bomb
(`fragment F1 on Query {...F0 ...F0}` … `F24`). So the view parses with a token limit and then this
module measures the document once, each fragment summarised once (its sizes as numbers, never
expanded), and refuses it before any rule runs when:

- it has more tokens than `MAX_TOKENS` (graphql-core's parser stops there);
- its operations, with every fragment spread expanded, select more than `MAX_SELECTIONS` fields or
  `MAX_ALIASES` aliased fields, or nest deeper than `MAX_DEPTH`;
- one selection set, fragments included, asks for the same response name more than
  `MAX_SAME_NAME` times (what makes the overlap check quadratic);
- a fragment spread names an unknown fragment or spreads itself (a cycle);
- a string literal holds a NUL byte (and, checked per request, so may no variable).

The limits are far above what a storefront asks: a storefront's queries have a few hundred tokens and
fields (the largest of our storefront flows 269 tokens, the GraphiQL introspection query 160); the
largest documents we know of are our tests that select every field of an order and a user two levels
deep (2,730 tokens, 1,890 fields).

graphql-core's parser costs about 10 µs a token, so a document over the token limit is first counted by
a regular expression (about 50 times faster) and refused without being parsed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from django.core.validators import ProhibitNullCharactersValidator
from graphql import GraphQLError, parse
from graphql.language import (DocumentNode, FieldNode, FragmentDefinitionNode, FragmentSpreadNode,
                              InlineFragmentNode, Node, OperationDefinitionNode, SelectionSetNode, StringValueNode)

MAX_TOKENS = 4_000
MAX_SELECTIONS = 3_000
MAX_ALIASES = 100
MAX_DEPTH = 15
MAX_SAME_NAME = 20


@dataclass
class _Size:
    """A selection set's size with its fragments expanded."""

    fields: int = 0
    aliases: int = 0
    depth: int = 0
    names: Counter = field(default_factory=Counter)  # response names at its own level, fragments included


# GraphQL's tokens (block strings, strings, spread, names, numbers, punctuators) and comments, which are not
# tokens; commas and white space are skipped. A count, not a lexer: the parser still has the last word.
_TOKEN = re.compile(r'"""(?:[^"\\]++|\\"""|\\|"(?!""))*+"""|"(?:[^"\\\n]++|\\.)*+"|\.\.\.'
                    r'|[_A-Za-z][_0-9A-Za-z]*+|-?\d[\d.eE+-]*+|[!$&()\[\]{}:=@|]|#[^\n\r]*+')


def _too_many_tokens(query: str) -> bool:
    tokens = (m for m in _TOKEN.finditer(query) if query[m.start()] != "#")
    return sum(1 for _ in islice(tokens, MAX_TOKENS + 1)) > MAX_TOKENS


def parse_limited(query: str) -> DocumentNode:
    """The parsed document, or a GraphQLError: a syntax error, too many tokens, or nesting so deep that the
    (recursive) parser itself gives up."""
    if _too_many_tokens(query):
        raise GraphQLError(f"Syntax Error: Document contains more than {MAX_TOKENS} tokens. Parsing aborted.")
    try:
        return parse(query, max_tokens=MAX_TOKENS)
    except RecursionError:
        raise GraphQLError("The document is nested too deeply.") from None


def nul_error() -> GraphQLError:
    # PostgreSQL text cannot hold NUL: refused here, in Django's words (as a form's CharField refuses it), so
    # that no input reaches a query that would fail with the database's own message.
    return GraphQLError(str(ProhibitNullCharactersValidator.message),
                        extensions={"exception": {"code": "NulCharacter"}})


def variables_contain_nul(variables) -> bool:
    """Whether any string in the (JSON) variables, at any depth, holds a NUL; iterative, as JSON can nest deeply."""
    stack = [variables]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def document_limit_errors(document: DocumentNode) -> list[GraphQLError]:
    """Why the document is refused; empty when it is within every limit."""
    if any(isinstance(node, StringValueNode) and "\x00" in node.value for node in _nodes(document)):
        return [nul_error()]
    fragments: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            fragments.setdefault(definition.name.value, definition)
    errors: list[GraphQLError] = []
    order = _fragment_order(fragments, errors)
    if errors:
        return errors
    sizes: dict[str, _Size] = {}
    for name in order:
        sizes[name] = _measure(fragments[name].selection_set, sizes, errors)
        if errors:
            return errors
        # Refused even when unused: validation would still walk it.
        if sizes[name].fields > MAX_SELECTIONS:
            return [_too_many_fields()]
        if sizes[name].aliases > MAX_ALIASES:
            return [_too_many_aliases()]
    total = _Size()
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        size = _measure(definition.selection_set, sizes, errors)
        if errors:
            return errors
        total.fields += size.fields
        total.aliases += size.aliases
        if size.depth > MAX_DEPTH:
            name = definition.name.value if definition.name else "anonymous"
            return [GraphQLError(f"'{name}' exceeds maximum operation depth of {MAX_DEPTH}.", definition)]
    if total.fields > MAX_SELECTIONS:
        return [_too_many_fields()]
    if total.aliases > MAX_ALIASES:
        return [_too_many_aliases()]
    return []


def _nodes(document: DocumentNode):
    """Every node of the document, without recursion."""
    stack = [document]
    while stack:
        node = stack.pop()
        yield node
        for key in node.keys:
            child = getattr(node, key, None)
            if isinstance(child, Node):
                stack.append(child)
            elif isinstance(child, (list, tuple)):
                stack.extend(c for c in child if isinstance(c, Node))


def _too_many_fields() -> GraphQLError:
    return GraphQLError(f"The document selects more than {MAX_SELECTIONS} fields (counting each fragment "
                        "spread in full).")


def _too_many_aliases() -> GraphQLError:
    return GraphQLError(f"The document uses more than {MAX_ALIASES} aliases (counting each fragment spread in full).")


def _spreads(selection_set: SelectionSetNode | None) -> list[FragmentSpreadNode]:
    found, stack = [], [selection_set]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        for selection in current.selections:
            if isinstance(selection, FragmentSpreadNode):
                found.append(selection)
            else:
                stack.append(selection.selection_set)
    return found


def _fragment_order(fragments: dict[str, FragmentDefinitionNode], errors: list[GraphQLError]) -> list[str]:
    """Fragment names, each after every fragment it spreads (an iterative depth-first walk, so a long chain
    of fragments cannot exhaust Python's stack); reports unknown fragments and cycles."""
    spreads = {name: _spreads(definition.selection_set) for name, definition in fragments.items()}
    for node in (s for d in fragments.values() for s in spreads[d.name.value]):
        if node.name.value not in fragments:
            errors.append(GraphQLError(f"Unknown fragment '{node.name.value}'.", node))
            return []
    order: list[str] = []
    done: set[str] = set()
    for root in fragments:
        if root in done:
            continue
        path, on_path = [(root, iter(spreads[root]))], {root}
        while path:
            name, pending = path[-1]
            child = next(pending, None)
            if child is None:
                path.pop()
                on_path.discard(name)
                done.add(name)
                order.append(name)
                continue
            target = child.name.value
            if target in on_path:
                errors.append(GraphQLError(f"Cannot spread fragment '{target}' within itself.", child))
                return []
            if target not in done:
                path.append((target, iter(spreads[target])))
                on_path.add(target)
    return order


def _measure(selection_set: SelectionSetNode | None, sizes: dict[str, _Size], errors: list[GraphQLError]) -> _Size:
    """The size of one selection set; fragments are looked up in `sizes` (measured before), so the walk only
    recurses into this definition's own nesting, which the parser has already bounded."""
    size = _Size()
    if selection_set is None:
        return size
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            size.fields += 1
            size.aliases += selection.alias is not None
            size.names[(selection.alias or selection.name).value] += 1
            child = _measure(selection.selection_set, sizes, errors)
            size.fields += child.fields
            size.aliases += child.aliases
            if selection.selection_set is not None and not selection.name.value.startswith("__"):
                size.depth = max(size.depth, child.depth + 1)  # introspection nests by design
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in sizes:  # a spread in an operation of a fragment that does not exist
                errors.append(GraphQLError(f"Unknown fragment '{name}'.", selection))
                return size
            child = sizes[name]
            size.fields += child.fields
            size.aliases += child.aliases
            size.depth = max(size.depth, child.depth)
            size.names.update(child.names)
        elif isinstance(selection, InlineFragmentNode):
            child = _measure(selection.selection_set, sizes, errors)
            size.fields += child.fields
            size.aliases += child.aliases
            size.depth = max(size.depth, child.depth)
            size.names.update(child.names)
        if errors:
            return size
        if size.fields > MAX_SELECTIONS or size.aliases > MAX_ALIASES:
            return size  # already refused: do not keep adding up a fragment bomb's counts
    repeated = max(size.names.values(), default=0)
    if repeated > MAX_SAME_NAME:
        name = size.names.most_common(1)[0][0]
        errors.append(GraphQLError(f"The field '{name}' is selected {repeated} times in one selection set "
                                   f"(at most {MAX_SAME_NAME}).", selection_set))
    return size
