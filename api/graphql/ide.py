"""GraphiQL for browsers at GET /graphql, from files shipped in this package (no CDN).

The page holds no inline script or style, so it is served with a Content-Security-Policy
that allows only this server's own files; `?query=&variables=&operationName=` prefill it
(static/claimgraph-graphiql.js reads them).
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"
PREFIX = "/graphql/static"

PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>claimgraph GraphiQL</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="{PREFIX}/graphiql.min.css">
  <link rel="stylesheet" href="{PREFIX}/claimgraph-graphiql.css">
  <script src="{PREFIX}/react.production.min.js"></script>
  <script src="{PREFIX}/react-dom.production.min.js"></script>
  <script src="{PREFIX}/graphiql.min.js"></script>
  <script src="{PREFIX}/claimgraph-graphiql.js" defer></script>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
</body>
</html>
"""

#: Only this server's files run and style the page (GraphiQL and React set styles through the
#: DOM, which a policy allows); the page's icon, and the fonts inside GraphiQL's stylesheet,
#: are data: URLs.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def page() -> HTMLResponse:
    """GraphiQL's page, under its Content-Security-Policy."""
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": POLICY})


def static_mount() -> Mount:
    return Mount(PREFIX, app=StaticFiles(directory=STATIC), name="graphql-static")
