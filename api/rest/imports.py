"""`/v1/imports`: a whole article (source, text, extraction) written all or nothing."""

from __future__ import annotations

import json

from api.rest.routing import JSON, Operation, Registry
from api.rest.schemas import ImportReport
from api.rest.writes import YAML, Outcome, WriteCall
from api.store.fixtures import imports
from api.store.writes.forms import Document
from api.vocabulary import Scope

routes = Registry()


class ImportInput(Document):
    """A fixture folder as one document: `source` is source.yaml, `extraction` is
    extraction.yaml, `article` is article.txt (the text exactly as published)."""

    source: dict[str, object]
    extraction: dict[str, object]
    article: str


async def create_import(call: WriteCall) -> Outcome:
    """Import a source with its text and extraction, all or nothing.

    The body holds a fixture folder's three files (JSON, or YAML with
    `Content-Type: application/yaml`) and is verified exactly as `claimgraph load` verifies
    a folder: 422 lists every bad entry (file, entry and what is wrong), and nothing is
    written. 201 with the rows written per kind; the same import again is 200 and changes
    nothing. Needs an API key with the `write` scope."""
    result = await imports.run(call.tx, call.body)
    report = {
        "source": result.source,
        "changed": result.changed,
        "written": result.written,
        "deleted": result.deleted,
    }
    body = json.dumps(report).encode()
    if not result.changed:
        return Outcome(200, body)
    return Outcome(201, body, {"Location": f"/v1/sources/{result.source}"})


routes.add(
    Operation(
        "/v1/imports",
        "createImport",
        "sources",
        create_import,
        ImportReport,
        method="POST",
        body=ImportInput,
        body_types=(JSON, YAML),
        status=201,
        scope=Scope.WRITE,
        unchanged="The same import again: nothing changed.",
    )
)
