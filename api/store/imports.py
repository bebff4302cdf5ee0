"""A whole article over HTTP: one source with its text and extraction, written all or nothing.

The document has the three files of a fixture folder as members: `source` (source.yaml),
`extraction` (extraction.yaml) and `article` (article.txt, as a string). It is verified by
the loader's own code (api/store/loader.py: the same refusals, with the same messages) and
written by it in the caller's transaction, every row audited. Importing the same document
again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.errors import FieldError, InvalidBody
from api.store import loader
from api.store.writing import Tx

MEMBERS = {"source": "source.yaml", "extraction": "extraction.yaml", "article": "article.txt"}


@dataclass(frozen=True)
class Imported:
    source: str
    written: dict[str, int]
    deleted: int

    @property
    def changed(self) -> bool:
        return self.deleted > 0 or any(self.written.values())


async def run(tx: Tx, document: Any) -> Imported:
    """Verify and write one source's fixture; FixtureError lists every problem found."""
    if not isinstance(document, dict):
        raise InvalidBody([FieldError("body", "must be an object with " + ", ".join(MEMBERS))])
    unknown = sorted(set(document) - set(MEMBERS))
    if unknown:
        raise InvalidBody(
            [
                FieldError(name, "unknown member: give source, extraction, article")
                for name in unknown
            ]
        )
    known = await loader.known_ids(tx.session)
    fixture = loader.read_document(
        document.get("source"), document.get("extraction"), document.get("article"), known
    )
    report = await loader.load_fixture(tx.session, fixture, lambda _line: None, tx.audit)
    return Imported(fixture.source_id, report.written, report.deleted)
