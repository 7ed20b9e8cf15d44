"""Relay connections as Saleor serves them: `first`/`last` required and capped at 100,
`totalCount` counted only when asked for, opaque offset cursors."""
from __future__ import annotations

import base64

from graphql import GraphQLError

MAX_PAGE_SIZE = 100
CONNECTION_ARGS = ("first", "last", "after", "before")


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        kind, value = base64.b64decode(cursor.encode(), validate=True).decode().split(":", 1)
        offset = int(value)
        if kind != "offset" or offset < 0:
            raise ValueError
        return offset
    except (ValueError, UnicodeDecodeError):
        raise GraphQLError("Received cursor is invalid.") from None


def validate_connection_args(name: str, first=None, last=None, **_):
    if first is None and last is None:
        raise GraphQLError(f"You must provide a `first` or `last` value to properly paginate the `{name}` connection.")
    if first is not None and last is not None:
        raise GraphQLError(f"Including a `first` and `last` value on the `{name}` connection is not supported.")
    for arg, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise GraphQLError(f"Argument `{arg}` on connection `{name}` cannot be less than zero.")
        if value is not None and value > MAX_PAGE_SIZE:
            raise GraphQLError(
                f"Requesting {value} records on the `{name}` connection exceeds the `{arg}` limit of "
                f"{MAX_PAGE_SIZE} records."
            )


def paginate(items, *, name: str, first=None, last=None, after=None, before=None, nodes=None, **_):
    """A Saleor `XCountableConnection` dict over a queryset or list (or anything with `count()` and
    slices).

    `nodes(page_items)` turns the fetched page into its nodes, e.g. a page of ids into rows.
    """
    validate_connection_args(name, first=first, last=last)
    start = (_offset(after) + 1) if after is not None else 0
    end = _offset(before) if before is not None else None
    count_cache: list[int] = []

    def total() -> int:
        if not count_cache:
            count_cache.append(items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items))
        return count_cache[0]

    if first is not None:
        stop = start + first
        if end is not None:
            stop = min(stop, end)
        page = list(items[start:stop + 1]) if stop > start else []
        has_next = len(page) > stop - start or (end is not None and stop < end and len(page) > stop - start)
        page = page[: max(stop - start, 0)]
        has_previous = start > 0
        offset = start
    else:
        stop = end if end is not None else total()
        offset = max(start, stop - last)
        page = list(items[offset:stop]) if stop > offset else []
        has_previous = offset > start or (offset > 0 and after is None and offset > 0)
        has_next = end is not None and end < total()
    if nodes is not None and page:
        page = nodes(page)
    edges = [{"node": node, "cursor": _cursor(offset + i)} for i, node in enumerate(page)]
    return {
        "pageInfo": {
            "hasNextPage": bool(has_next),
            "hasPreviousPage": bool(has_previous),
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
        "edges": edges,
        "totalCount": total,
    }
