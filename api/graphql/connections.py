"""Relay connections backed by the store's keyset pagination (not by slicing in Python)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

from api.errors import InvalidArgument
from api.store.kit.pagination import Page, PageRequest

NodeT = TypeVar("NodeT")

#: What a connection's `pageInfo` is.
PAGE_INFO = "Where this page stands."

DEFAULT_FIRST = 20
MAX_FIRST = 100


def page_request(first: int, after: str | None) -> PageRequest:
    """The store page for Relay's `first`/`after`; `first` is 1 to MAX_FIRST."""
    if not 1 <= first <= MAX_FIRST:
        raise InvalidArgument.single("first", f"must be between 1 and {MAX_FIRST}")
    return PageRequest(limit=first, after=after)


@strawberry.type(description="Where this page stands in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Whether this page was asked for `after` a cursor (items precede it)."
    )
    start_cursor: str | None = strawberry.field(description="The cursor of the first edge.")
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last edge: pass it as `after` for the next page."
    )


@strawberry.type(description="One item of a list, with the cursor to continue after it.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Pass as `after` to get the items after this.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list: edges, where the page stands, and the total.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description=PAGE_INFO)
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds, over all pages.")
    async def total_count(self) -> int:
        return await self.count()


def connection(
    page: Page[Any],
    node_of: Callable[[Any], NodeT],
    count: Callable[[], Awaitable[int]],
    after: str | None,
) -> Connection[NodeT]:
    """A Connection from a store page (whose items carry their cursors)."""
    return Connection(edges=edges(page, node_of), page_info=page_info(page, after), count=count)


def edges(page: Page[Any], node_of: Callable[[Any], NodeT]) -> list[Edge[NodeT]]:
    return [
        Edge(cursor=cursor, node=node_of(item))
        for item, cursor in zip(page.items, page.cursors, strict=True)
    ]


def page_info(page: Page[Any], after: str | None) -> PageInfo:
    return PageInfo(
        has_next_page=page.next_cursor is not None,
        has_previous_page=after is not None,
        start_cursor=page.cursors[0] if page.cursors else None,
        end_cursor=page.cursors[-1] if page.cursors else None,
    )
