"""`/v1/timeline`: what happened and what was said, in one order."""

from __future__ import annotations

from typing import Any

from api.rest.queries import TimelineQuery
from api.rest.routing import Body, Call, Registry
from api.rest.schemas import TimelineEntry, TimelineList
from api.store.kit.views import View
from api.store.timeline import TIMELINE

routes = Registry()
ENTRY = View.of(TIMELINE, TimelineEntry, summaries=("undated",))


@routes.get(
    "/v1/timeline",
    operation_id="timeline",
    tag="timeline",
    response=TimelineList,
    query=TimelineQuery,
)
async def timeline(call: Call[Any]) -> Body:
    """List events and dated statements in time order.

    An item dated only to a month or a year shows as that period (`2022-01`) and comes
    first among the items of its period. Date filters take `YYYY`, `YYYY-MM` or
    `YYYY-MM-DD` and match items whose period overlaps the range (`date_match=within`: lies
    inside it). Undated items are left out and counted in `undated`.
    """
    return await call.page(ENTRY)
