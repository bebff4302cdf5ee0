"""The explorer's routes: its page at each shareable URL, and its files under /static/.

The page is `static/index.html`, byte for byte the file a static host would serve (with its
`<meta name="claimgraph-graphql">` pointed at this API), so that the explorer can also be
hosted on another origin (with `CORS_ORIGINS` naming it). It is served under a
Content-Security-Policy that lets only this server's own files run and style it: the
explorer has no inline script, no inline style and no `style` attribute.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from api.caching import etag, matches
from api.negotiation import preferred

STATIC = Path(__file__).resolve().parent / "static"
PREFIX = "/static"
#: Every URL the explorer answers with its page; the scripts pick the view from the path.
PAGE_PATHS = (
    "/sources/{id}",
    "/claims/{id}",
    "/actors/{id}",
    "/events/{id}",
    "/statements/{id}",
    "/evidence/{id}",
    "/timeline",
    "/search",
    "/new-source",
)
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
#: Sent with the page: no framing by others, no MIME sniffing, no full URLs to other hosts.
PAGE_HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # Revalidated on every visit (a 304 when unchanged), so an upgrade is seen at once.
    "Cache-Control": "no-cache",
}


@functools.cache
def _shell() -> tuple[bytes, str]:
    """The page's bytes and validator, read on first use and kept: they ship with the code."""
    body = (STATIC / "index.html").read_bytes()
    return body, etag(body, weak=False)


#: What `/` offers, JSON first: a client that states no preference gets the API's index.
INDEX_TYPES = ("application/json", "text/html")


def prefers_page(request: Request) -> bool:
    """Whether the client at `/` is a browser (it prefers HTML to JSON)."""
    return preferred(request.headers.get("accept"), INDEX_TYPES) == "text/html"


def page(request: Request, *, vary: str | None = None) -> Response:
    """The explorer's page (304 when the browser holds it already)."""
    body, tag = _shell()
    headers = {**PAGE_HEADERS, "ETag": tag}
    if vary:
        headers["Vary"] = vary
    if matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


async def _page(request: Request) -> Response:
    """A page of the explorer, for browsers."""
    return page(request)


class _StaticFiles(StaticFiles):
    """Starlette's static files, revalidated on every use (ETag and Last-Modified answer
    with a 304) rather than kept by heuristics that would hide an upgrade."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def routes() -> list[BaseRoute]:
    """The page at each of PAGE_PATHS, and the files under /static/ (gzipped: the scripts
    shrink to about a third)."""
    pages: list[BaseRoute] = [Route(path, _page, methods=["GET"]) for path in PAGE_PATHS]
    files = GZipMiddleware(_StaticFiles(directory=STATIC), minimum_size=1024)
    return [*pages, Mount(PREFIX, app=files, name="explorer-static")]
