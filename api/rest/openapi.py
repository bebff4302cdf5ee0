"""The OpenAPI 3.1 document, built from the operations and the pydantic models they serialize.

Nothing here is written by hand per route: parameters come from each operation's query model,
responses from its response model, errors from what the wrapper can raise, links from the
operation's declaration. `schema/openapi.json` is this document, committed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from api import formats, jsonld
from api.db.models import SLUG_PATTERN
from api.rest.problems import PROBLEM_JSON, Problem
from api.rest.routing import NoQuery, Operation
from api.store.views import model_in

REF = "#/components/schemas/{model}"
TITLE = "claimgraph"
VERSION = "1"
DESCRIPTION = """Who claimed what, when, on what evidence.

Actors, their statements, the claims those statements support or dispute, the events around
them and the evidence each side offers, every quote pinned to its exact span of the source.

**Lists** return `{"data": [...], "next_cursor": ...}` and a `Link: <...>; rel="next"` header;
pass `next_cursor` back as `cursor`. `limit` is 1 to 200 (default 50).
**Exports**: with `Accept: text/csv` or `application/x-ndjson`, a list answers every matching
item at once, streamed, with the same filters and sort (`limit` and `cursor` are refused):
CSV has a header row and one column per field, nested objects flattened into dotted names
(`speaker.id`), lists and mappings as JSON text in one cell, null as an empty cell;
NDJSON has one item per line, as in `data`.
**Linked data**: `/v1/claims/{id}` with `Accept: application/ld+json` is schema.org JSON-LD.
**Errors** are RFC 9457 `application/problem+json`, with `errors` listing each bad parameter.
**Caching**: every response has an `ETag` (strong for a resource, weak for a list);
send it back in `If-None-Match` to get `304 Not Modified`.
"""
TAGS = [
    {"name": "sources", "description": "Published texts: every span points into one."},
    {"name": "actors", "description": "People, organisations, states, groups and media."},
    {"name": "statements", "description": "Who said what, where, when."},
    {"name": "claims", "description": "Propositions in dispute: stances and evidence."},
    {"name": "events", "description": "What happened, who took part, what was said there."},
    {"name": "evidence", "description": "What each side offers for or against a claim."},
    {"name": "search", "description": "Everything, by words: ranked, with highlights."},
    {"name": "timeline", "description": "Events and dated statements in one order."},
]

_ERRORS = {
    400: "A parameter is malformed, unknown or repeated, or the cursor is not valid.",
    404: "No such resource.",
    406: "The `Accept` header admits none of this operation's media types.",
    500: "An unexpected error; the body names the request id to report.",
}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`X | None` parameters are simply optional in a query string: drop the null branch."""
    options = schema.get("anyOf")
    if options is None:
        return schema
    kept = [option for option in options if option.get("type") != "null"]
    rest = {key: value for key, value in schema.items() if key not in ("anyOf", "default")}
    if len(kept) == 1:
        return {**kept[0], **rest}
    return {**rest, "anyOf": kept}


def _query_parameters(model: type[BaseModel], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    if model is NoQuery:
        return []
    parameters = []
    required = set(schemas[model.__name__].get("required", ()))
    for name, generated in schemas[model.__name__]["properties"].items():
        schema = {key: value for key, value in generated.items() if key != "title"}
        description = schema.pop("description", None)
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": _without_null(schema),
        }
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {PROBLEM_JSON: {"schema": {"$ref": REF.format(model="Problem")}}},
    }


_ALTERNATES: dict[str, Any] = {
    jsonld.MEDIA_TYPE: {
        "schema": {
            "type": "object",
            "required": ["@context", "@id", "@type"],
            "description": "A JSON-LD document (schema.org, W3C Web Annotation).",
        }
    },
}


def _exports(operation: Operation) -> dict[str, Any]:
    """The list's items as CSV (its columns described, its header row as the example) and
    as NDJSON (each line an item of the JSON list's schema)."""
    assert operation.response is not None
    item, _ = model_in(operation.response.model_fields["data"].annotation)
    assert item is not None
    header = ",".join(column.name for column in formats.columns(item))
    return {
        formats.CSV: {
            "schema": {"type": "string", "description": formats.describe(item)},
            "example": f"{header}\r\n...",
        },
        formats.NDJSON: {
            "schema": {
                "type": "string",
                "description": f"Every matching item (all pages), one `{item.__name__}` "
                "JSON object per line.",
            },
            # OpenAPI 3.2's `itemSchema` for sequential media types, as an extension in 3.1.
            "x-itemSchema": {"$ref": REF.format(model=item.__name__)},
        },
    }


def _operation(operation: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 120},
        }
        for name in operation.path_parameters
    ]
    parameters += _query_parameters(operation.query, schemas)

    if operation.response is None:
        body_schema: dict[str, Any] = {"type": "string"}
    else:
        body_schema = {"$ref": REF.format(model=operation.response.__name__)}
    headers: dict[str, Any] = {
        "ETag": {"$ref": "#/components/headers/ETag"},
        "Cache-Control": {"$ref": "#/components/headers/Cache-Control"},
        "X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"},
    }
    if operation.is_list:
        headers["Link"] = {"$ref": "#/components/headers/Link"}
    content: dict[str, Any] = {operation.media_type.split(";")[0]: {"schema": body_schema}}
    content.update({media_type: _ALTERNATES[media_type] for media_type in operation.alternates})
    if operation.is_list:
        content.update(_exports(operation))
    ok: dict[str, Any] = {"description": "OK", "headers": headers, "content": content}
    if operation.links:
        ok["links"] = {
            name: {
                "operationId": link.operation_id,
                "parameters": link.parameters,
                **({"description": link.description} if link.description else {}),
            }
            for name, link in operation.links.items()
        }
    responses: dict[str, Any] = {
        "200": ok,
        "304": {
            "description": "Not Modified: the `If-None-Match` ETag is current.",
            "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
        },
    }
    for status, description in _ERRORS.items():
        if status == 404 and not operation.path_parameters:
            continue
        responses[str(status)] = _problem(description)
    return {
        "operationId": operation.operation_id,
        "tags": [operation.tag],
        "summary": operation.summary,
        "description": operation.description,
        "parameters": parameters,
        "responses": responses,
    }


def document(operations: Sequence[Operation]) -> dict[str, Any]:
    """The OpenAPI 3.1 document for these operations."""
    responses = [op.response for op in operations if op.response is not None]
    queries = [op.query for op in operations if op.query is not NoQuery]
    models = [(model, "serialization") for model in dict.fromkeys([*responses, Problem])]
    models += [(model, "validation") for model in dict.fromkeys(queries)]
    _, generated = models_json_schema(models, ref_template=REF)  # type: ignore[arg-type]
    schemas: dict[str, Any] = generated.get("$defs", {})

    paths: dict[str, Any] = {}
    for operation in operations:
        paths.setdefault(operation.path, {})["get"] = _operation(operation, schemas)
    for query in dict.fromkeys(queries):
        schemas.pop(query.__name__, None)  # inlined as parameters
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION, "description": DESCRIPTION},
        "tags": TAGS,
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "headers": {
                "ETag": {
                    "description": "Strong for a resource, weak (W/) for a list.",
                    "schema": {"type": "string"},
                },
                "Cache-Control": {"schema": {"type": "string"}},
                "Link": {
                    "description": 'The next page, as `<url>; rel="next"`.',
                    "schema": {"type": "string"},
                },
                "X-Request-ID": {
                    "description": "The request's id (yours, if you sent a valid one).",
                    "schema": {"type": "string"},
                },
            },
        },
    }


def render(operations: Sequence[Operation]) -> str:
    """The document as committed in `schema/openapi.json`."""
    return json.dumps(document(operations), indent=2, ensure_ascii=False) + "\n"
