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
from api.rest.problems import PROBLEM_JSON, Problem
from api.rest.routing import NoQuery, Operation
from api.vocabulary import ID_PATTERN

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

**Writes** (`POST`, `PATCH`, `DELETE`) need `Authorization: Bearer <key>` with the `write`
scope (401 without a valid key, 403 with too small a scope); the audit log needs `admin`.
`POST` answers 201 with `Location` and `ETag`, and honours `Idempotency-Key` (a repeat gets
the first answer, marked `Idempotent-Replayed: true`; the same key with another body is a
422). `PATCH` takes a JSON merge patch (`application/merge-patch+json`, RFC 7396); `PATCH`
and `DELETE` need `If-Match` with the current ETag (428 without, 412 when stale). A quote is
written as its exact text (with `occurrence` where it repeats) or with its `span`, and is
refused (422) unless it is exactly that part of the source. Deleting a record that others
refer to is a 409 listing them. Bodies are at most 1 MiB by default (413 above,
`CLAIMGRAPH_MAX_BODY_BYTES`), in the documented media type (415 otherwise); malformed JSON is
a 400, an invalid body a 422 with `errors`. Every write is in the audit log.
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
    {"name": "changes", "description": "Every committed write, in order: pages and a stream."},
    {"name": "audit", "description": "Every write: who, what, when, before and after."},
]

_ERRORS = {
    400: "A parameter is malformed, unknown or repeated, the cursor is not valid, or the body "
    "is not valid JSON (or YAML).",
    401: "No API key, or an unknown or revoked one (see `WWW-Authenticate`).",
    403: "The API key lacks the scope this operation needs.",
    404: "No such resource, or a filter names a record that does not exist (`candidates` "
    "lists similar ones).",
    406: "The `Accept` header admits none of this operation's media types.",
    409: "A conflict with what is stored: the id is taken, the record is still referred to "
    "(`referrers`), or a new text loses a quote (`lost`).",
    412: "`If-Match` is not the current ETag: the record changed since it was read.",
    413: "The body is larger than the limit (1 MiB by default).",
    415: "The body is not in a media type this operation takes.",
    422: "The body is not valid: `errors` lists each field (a quote that is not its span, an "
    "unknown reference, a reused `Idempotency-Key`).",
    428: "`If-Match` is missing: send the ETag you last read.",
    429: "Over the rate limit, where one is set (reads per client, writes per API key): "
    "retry after `Retry-After` seconds.",
    500: "An unexpected error; the body names the request id to report.",
}
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": "The ETag of the record as you last read it.",
    "schema": {"type": "string"},
}
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string (a UUID): a repeat with the same key and body gets the "
    "first answer; kept for 24 hours, per API key.",
    "schema": {"type": "string", "pattern": "^[!-~]{1,255}$"},
}


def _statuses(operation: Operation) -> list[int]:
    """The error statuses an operation can answer."""
    if not operation.is_write:
        found = [400, 406, 429, 500]
        if operation.path_parameters or getattr(operation.query, "names_records", False):
            found.append(404)
        if operation.scope is not None:
            found += [401, 403]
        return sorted(found)
    found = [401, 403, 404, 406, 409, 429, 500]
    if operation.body is not None:
        found += [400, 413, 415, 422]
    if operation.if_match:
        found += [412, 428]
    return sorted(found)


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
    "text/event-stream": {
        "schema": {
            "type": "string",
            "description": "Server-Sent Events: `retry:` advice, then an event per change "
            "(`id:` its `seq`, `event: change`, `data:` the change as JSON), backlog first, "
            "then live; a comment line every 15 s while quiet.",
        }
    },
    jsonld.MEDIA_TYPE: {
        "schema": {
            "type": "object",
            "required": ["@context", "@id", "@type"],
            "description": "A JSON-LD document (schema.org, W3C Web Annotation).",
        }
    },
}


def _exports(operation: Operation) -> dict[str, Any]:
    """The list's items (or the table's rows) as CSV (its columns described, its header row
    as the example) and as NDJSON (each line an item of the JSON list's schema)."""
    item = operation.row_model
    assert item is not None
    rows = "Every matching item (all pages)" if operation.is_list else "Every row"
    header = ",".join(column.name for column in formats.columns(item))
    return {
        formats.CSV: {
            "schema": {"type": "string", "description": formats.describe(item, rows)},
            "example": f"{header}\r\n...",
        },
        formats.NDJSON: {
            "schema": {
                "type": "string",
                "description": f"{rows}, one `{item.__name__}` JSON object per line.",
            },
            # OpenAPI 3.2's `itemSchema` for sequential media types, as an extension in 3.1.
            "x-itemSchema": {"$ref": REF.format(model=item.__name__)},
        },
    }


def _links(operation: Operation) -> dict[str, Any]:
    return {
        name: {
            "operationId": link.operation_id,
            "parameters": link.parameters,
            **({"description": link.description} if link.description else {}),
        }
        for name, link in operation.links.items()
    }


def _header(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/headers/{name}"}


def _contents(operation: Operation, body_schema: dict[str, Any]) -> dict[str, Any]:
    """The media types a read answers in: its own, its alternates (JSON-LD), and a list's
    exports (CSV, NDJSON)."""
    content: dict[str, Any] = {operation.media_type.split(";")[0]: {"schema": body_schema}}
    content.update({media_type: _ALTERNATES[media_type] for media_type in operation.alternates})
    if operation.row_model is not None:
        content.update(_exports(operation))
    return content


def _read(operation: Operation) -> dict[str, Any]:
    if operation.response is None:
        body_schema: dict[str, Any] = {"type": "string"}
    else:
        body_schema = {"$ref": REF.format(model=operation.response.__name__)}
    headers: dict[str, Any] = {
        "ETag": _header("ETag"),
        "Cache-Control": _header("Cache-Control"),
        "X-Request-ID": _header("X-Request-ID"),
    }
    if operation.is_list:
        headers["Link"] = _header("Link")
    ok: dict[str, Any] = {
        "description": "OK",
        "headers": headers,
        "content": _contents(operation, body_schema),
    }
    if operation.links:
        ok["links"] = _links(operation)
    return {
        "200": ok,
        "304": {
            "description": "Not Modified: the `If-None-Match` ETag is current.",
            "headers": {"ETag": _header("ETag")},
        },
    }


def _written(operation: Operation) -> dict[str, Any]:
    headers: dict[str, Any] = {"X-Request-ID": _header("X-Request-ID")}
    if operation.status == 204:
        return {"204": {"description": "Deleted.", "headers": headers}}
    assert operation.response is not None
    content = {
        "application/json": {"schema": {"$ref": REF.format(model=operation.response.__name__)}}
    }
    if operation.unchanged is None:
        headers["ETag"] = _header("ETag")
    responses: dict[str, Any] = {}
    if operation.method == "POST":
        headers["Location"] = _header("Location")
        headers["Idempotent-Replayed"] = _header("Idempotent-Replayed")
        created: dict[str, Any] = {
            "description": "Created.",
            "headers": headers,
            "content": content,
        }
        if operation.links:
            created["links"] = _links(operation)
        responses["201"] = created
        if operation.unchanged is not None:
            responses["200"] = {
                "description": operation.unchanged,
                "headers": {
                    "X-Request-ID": _header("X-Request-ID"),
                    "Idempotent-Replayed": _header("Idempotent-Replayed"),
                },
                "content": content,
            }
        return responses
    ok: dict[str, Any] = {"description": "Changed.", "headers": headers, "content": content}
    if operation.links:
        ok["links"] = _links(operation)
    return {"200": ok}


def _operation(operation: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": ID_PATTERN, "maxLength": 120},
        }
        for name in operation.path_parameters
    ]
    parameters += _query_parameters(operation.query, schemas)
    if operation.if_match:
        parameters.append(_IF_MATCH)
    if operation.method == "POST" and operation.is_write:
        parameters.append(_IDEMPOTENCY_KEY)
    responses = _written(operation) if operation.is_write else _read(operation)
    for status in _statuses(operation):
        responses[str(status)] = _problem(_ERRORS[status])
    found: dict[str, Any] = {
        "operationId": operation.operation_id,
        "tags": [operation.tag],
        "summary": operation.summary,
        "description": operation.description,
        "parameters": parameters,
    }
    if operation.body is not None:
        found["requestBody"] = {
            "required": True,
            "content": {
                media: {"schema": {"$ref": REF.format(model=operation.body.__name__)}}
                for media in operation.body_types
            },
        }
    found["responses"] = responses
    if operation.scope is not None:
        found["security"] = [{"apiKey": [operation.scope.value]}]
    return found


def document(operations: Sequence[Operation]) -> dict[str, Any]:
    """The OpenAPI 3.1 document for these operations."""
    responses = [op.response for op in operations if op.response is not None]
    responses += [op.rows for op in operations if op.rows is not None]
    queries = [op.query for op in operations if op.query is not NoQuery]
    bodies = [op.body for op in operations if op.body is not None]
    models = [(model, "serialization") for model in dict.fromkeys([*responses, Problem])]
    models += [(model, "validation") for model in dict.fromkeys([*queries, *bodies])]
    _, generated = models_json_schema(models, ref_template=REF)  # type: ignore[arg-type]
    schemas: dict[str, Any] = generated.get("$defs", {})

    paths: dict[str, Any] = {}
    for operation in operations:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(
            operation, schemas
        )
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
                "Location": {
                    "description": "Where the created record is.",
                    "schema": {"type": "string"},
                },
                "Idempotent-Replayed": {
                    "description": "`true` when this is the stored answer to an earlier "
                    "request with the same `Idempotency-Key`.",
                    "schema": {"type": "string"},
                },
            },
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API key from `claimgraph keys create NAME --scope "
                    "write|admin`, as `Authorization: Bearer <key>`.",
                }
            },
        },
    }


def render(operations: Sequence[Operation]) -> str:
    """The document as committed in `schema/openapi.json`."""
    return json.dumps(document(operations), indent=2, ensure_ascii=False) + "\n"
