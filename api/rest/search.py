"""`/v1/search`: who said what, and what was claimed or found, by words."""

from __future__ import annotations

from typing import Any

from api.rest.queries import SearchQuery
from api.rest.routing import Body, Call, Registry
from api.rest.schemas import SearchHit, SearchHitList
from api.store.kit.views import View
from api.store.search import SEARCH

routes = Registry()
#: What a page says of the whole search, beside its hits.
SUMMARIES = ("total", "total_is_estimate")
HIT = View.of(SEARCH, SearchHit, summaries=SUMMARIES)


@routes.get(
    "/v1/search",
    operation_id="search",
    tag="search",
    response=SearchHitList,
    query=SearchQuery,
)
async def search(call: Call[Any]) -> Body:
    """Search statements, claims, evidence, events and actors, best hits first.

    `q` takes web-search syntax: words (all must match, in any form: `revolutions` finds
    "revolution"), `"quoted phrases"`, `or`, `-word` to exclude, and `revol*` for words
    that begin so. Names also match when misspelled or transliterated otherwise (`Tokaev`):
    such hits on similar words rank below every full-text hit. Statements, claims, evidence
    and events are searched for similar words only when their full-text hits are fewer than
    50; actors' names always are. A query with nothing to
    search for (empty, or only words such as "the") is a 400.

    A search ranks at most 1,000 hits of each kind and match (full text, similar words):
    below that many the order is exact; above it, the pages rank the first 1,000 found (in
    storage order: the oldest) and end there, while `total` counts every match (exactly up
    to 1,000, PostgreSQL's estimate above, with `total_is_estimate: true`): narrow the
    search (a phrase, a speaker, dates, a type) to reach the rest.
    """
    return await call.page(HIT)
