"""`/docs`: Swagger UI over `/openapi.json`, from files shipped in a wheel (no CDN: offline)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>claimgraph API</title>
  <link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/static/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
      defaultModelsExpandDepth: 0, displayRequestDuration: true
    });
  </script>
</body>
</html>
"""


async def docs(request: Request) -> HTMLResponse:
    """The API reference, for people."""
    return HTMLResponse(PAGE)


def routes() -> list[BaseRoute]:
    static = StaticFiles(directory=Path(str(swagger_ui_path)))
    return [Route("/docs", docs), Mount("/docs/static", app=static, name="docs-static")]
