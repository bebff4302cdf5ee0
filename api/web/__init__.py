"""The explorer: claimgraph's own frontend, one HTML page and its static files.

The server hands out the same page at every page's URL (`/` for browsers, `/sources/{id}`,
`/claims/{id}`, ...) and the files under `/static/`; the page's scripts read everything
from `/graphql` with persisted queries over GET, as any other frontend would, so what the
explorer needs every frontend gets. Nothing here reads the database.
"""

from api.web.pages import PAGE_PATHS, page, prefers_page, routes

__all__ = ["PAGE_PATHS", "page", "prefers_page", "routes"]
