"""A list as CSV or NDJSON (`Accept: text/csv`, `application/x-ndjson`): every matching item.

The same filters and sort as the JSON list, all pages in one response: the items alone
(what a page holds beside them, such as the timeline's `undated` counts, is not exported).
`limit` and `cursor`, which page the JSON list, are refused (400) rather than silently
ignored. Rows go out as PostgreSQL returns them (api/store/kit/streams.py), so the response has
no ETag (it is never held whole to hash it). The statement runs before the response starts:
a bad filter, a search with nothing to search for or an unknown parent is still a
problem+json 400 or 404.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, AsyncIterator

from starlette.requests import Request
from starlette.responses import StreamingResponse

from api import formats
from api.db.engine import Database
from api.errors import FieldError, InvalidArgument
from api.rest.schemas import PageQuery
from api.store.kit import streams
from api.store.kit.views import View, Within

#: What pages the JSON list, and has no meaning for an export.
PAGING = ("limit", "cursor")


async def stream(
    request: Request,
    database: Database,
    view: View,
    *,
    query: PageQuery,
    within: Within | None,
    media_type: str,
) -> StreamingResponse:
    """Every item of the list `query` asks for, in `media_type` (one of formats.MEDIA_TYPES)."""
    paging = [name for name in PAGING if name in query.model_fields_set]
    if paging:
        raise InvalidArgument(
            [
                FieldError(
                    name, f"pages the JSON list; {media_type} holds every item: leave it out"
                )
                for name in paging
            ]
        )
    encoder = formats.encoder(media_type, view.model)
    batches = streams.items(
        database, view, filters=query.filters(), sort=query.sort_name, within=within
    )
    first = await anext(batches, None)  # runs the statement: a client's error is raised here
    if request.method == "HEAD":  # the headers only: no need to read the rest
        await batches.aclose()
        body = _nothing()
    else:
        body = _body(encoder, first, batches)
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", request.url.path.removeprefix("/v1/"))
    headers = {
        "Cache-Control": "no-cache",
        "Vary": "Accept",
        "Content-Disposition": f'attachment; filename="{filename}.{encoder.suffix}"',
    }
    return StreamingResponse(body, media_type=encoder.content_type, headers=headers)


async def _body(
    encoder: formats.Encoder, first: list[str] | None, rest: AsyncGenerator[list[str], None]
) -> AsyncIterator[bytes]:
    try:
        yield encoder.head() + (b"" if first is None else encoder.encode(first))
        async for batch in rest:
            yield encoder.encode(batch)
    finally:
        # A client that hangs up leaves this generator unfinished: closing the rows' stream
        # here, in order, ends its transaction before its connection goes back to the pool.
        await rest.aclose()


async def _nothing() -> AsyncIterator[bytes]:
    yield b""
