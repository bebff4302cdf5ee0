"""GraphiQL for browsers at GET /graphql, from files shipped in this package (no CDN)."""

from __future__ import annotations

from pathlib import Path

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
  <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
  <link rel="stylesheet" href="{PREFIX}/graphiql.min.css">
  <script src="{PREFIX}/react.production.min.js"></script>
  <script src="{PREFIX}/react-dom.production.min.js"></script>
  <script src="{PREFIX}/graphiql.min.js"></script>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script>
    const url = window.location.href.split("?")[0];
    const fetcher = GraphiQL.createFetcher({{ url }});
    const defaultQuery = `# claimgraph: who claimed what, when, on what evidence.
{{
  claim(id: "unrest-had-foreign-backing") {{
    text
    supporters(first: 5) {{
      totalCount
      edges {{ node {{ statement {{ text saidOn speaker {{ name }} }} }} }}
    }}
  }}
}}
`;
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {{ fetcher, defaultQuery }})
    );
  </script>
</body>
</html>
"""


def static_mount() -> Mount:
    return Mount(PREFIX, app=StaticFiles(directory=STATIC), name="graphql-static")
