"""`claimgraph export --format csv|ndjson|jsonld`: whole lists written to files, with progress.

CSV and NDJSON write one file per list (`statements.csv`, `actors.csv`, ...), byte for byte
what `GET /v1/<list>` streams with that `Accept` header (api/formats.py); `stances` is every
stance, which REST lists per claim. JSON-LD writes every claim into one document,
`claims.jsonld` (`{"@context": ..., "@graph": [...]}`), each claim as `GET /v1/claims/{id}`
with `Accept: application/ld+json` answers it, its IRIs under `base`.

Rows come from the database in batches (api/store/kit/streams.py) and are written as they come,
so memory stays flat whatever the size. Each file is written under a temporary name and
renamed once complete: an interrupted export leaves no partial file under the final name.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, NoReturn

from tqdm import tqdm

from api import formats, jsonld
from api.db.engine import Database
from api.errors import ClaimgraphError
from api.jsonld import claims
from api.rest.actors import ACTOR_VIEW
from api.rest.claims import CLAIM_VIEW, STANCE_VIEW
from api.rest.events import EVENT_VIEW
from api.rest.evidence import EVIDENCE_VIEW
from api.rest.sources import SOURCE_VIEW
from api.rest.statements import STATEMENT_VIEW
from api.store import dossier
from api.store.dossier import DossierRow
from api.store.kit import streams
from api.store.kit.views import View

#: The lists a CSV or NDJSON export writes, by file name (without suffix), in this order.
LISTS: dict[str, View] = {
    "sources": SOURCE_VIEW,
    "actors": ACTOR_VIEW,
    "statements": STATEMENT_VIEW,
    "claims": CLAIM_VIEW,
    "stances": STANCE_VIEW,
    "events": EVENT_VIEW,
    "evidence": EVIDENCE_VIEW,
}
#: The list formats by their name on the command line.
FORMATS = {"csv": formats.CSV, "ndjson": formats.NDJSON}

#: Where the files go: a folder, or None for standard output.
Target = Path | None


def _progress(name: str, total: int) -> tqdm[NoReturn]:
    """A progress bar on standard error, counting rows, for a person watching a terminal:
    into a pipe or a file it would be noise around the result, so it is left out there."""
    return tqdm(
        total=total,
        desc=name,
        unit=" rows",
        file=sys.stderr,
        dynamic_ncols=True,
        disable=None,
    )


async def export_lists(
    database: Database,
    media_type: str,
    names: Sequence[str],
    out: Target,
) -> list[str]:
    """Write each list of `names` in `media_type` (CSV or NDJSON) into the folder `out`
    (or all to standard output); the names of the files written."""
    written = []
    for name in names:
        view = LISTS[name]
        encoder = formats.encoder(media_type, view.model)
        filename = f"{name}.{encoder.suffix}"
        total = await streams.count(database, view, filters={})
        with _Output(out, filename) as file, _progress(filename, total) as bar:
            file.write(encoder.head())
            async for batch in streams.items(database, view, filters={}):
                file.write(encoder.encode(batch))
                bar.update(len(batch))
        written.append(filename)
    return written


async def export_claims(database: Database, out: Target, *, base: str) -> list[str]:
    """Write every claim as JSON-LD into `claims.jsonld` in the folder `out` (or to
    standard output)."""
    filename = "claims.jsonld"
    total = await streams.count(database, claims.CLAIM_VIEW, filters={})
    with _Output(out, filename) as file, _progress(filename, total) as bar:
        context = json.dumps(jsonld.CONTEXT, ensure_ascii=False)
        file.write(f'{{"@context": {context},\n"@graph": [\n'.encode())
        separator = ""
        async for batch in claims.every(database, base=base):
            for node in batch:
                file.write(f"{separator}{json.dumps(node, ensure_ascii=False)}".encode())
                separator = ",\n"
            bar.update(len(batch))
        file.write(b"\n]}\n")
    return [filename]


async def export_dossier(database: Database, claim: str, media_type: str, out: Target) -> str:
    """Write a claim's dossier as a table in `media_type` (CSV or NDJSON), as
    `GET /v1/claims/{id}/dossier` answers it with that `Accept`; the file's name."""
    rows = await dossier.rows(database, claim)
    filename = f"dossier-{claim}.{formats.encoder(media_type, DossierRow).suffix}"
    with _Output(out, filename) as file:
        file.write(formats.table(media_type, DossierRow, rows))
    return filename


class _Output(AbstractContextManager[IO[bytes]]):
    """`out/filename` written under a temporary name and renamed when complete (removed on
    failure); standard output when `out` is None."""

    def __init__(self, out: Target, filename: str) -> None:
        self.path = None if out is None else out / filename
        self.partial = None if out is None else out / f".{filename}.partial"

    def __enter__(self) -> IO[bytes]:
        if self.partial is None:
            return sys.stdout.buffer
        try:
            self.partial.parent.mkdir(parents=True, exist_ok=True)
            self.file: IO[bytes] = self.partial.open("wb")
        except OSError as error:
            raise ClaimgraphError(f"cannot write {self.path}: {error.strerror}") from error
        return self.file

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if self.partial is None or self.path is None:
            sys.stdout.buffer.flush()
            return
        self.file.close()
        if error is None:
            self.partial.replace(self.path)
        else:
            self.partial.unlink(missing_ok=True)
