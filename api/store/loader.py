"""Fixtures in, rows out: verify a fixture folder completely, then write it in one transaction.

Verification (`read_fixtures`) needs no database: it validates the YAML, finds every quote's
offsets in the article, and resolves every reference. Loading (`load_fixtures`) upserts each
source in its own transaction (all or nothing), touches only rows whose values changed (so a
second load changes nothing, not even `version`), and removes rows of that source that the
fixture no longer lists.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
import yaml
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import JSONB, Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.db import models
from api.errors import FixtureError, FixtureProblem, SpanMismatch
from api.store import spans
from api.store.fixture_schema import ExtractionFile, SourceFile

Row = dict[str, Any]
Progress = Callable[[str], None]

SOURCE_FILE = "source.yaml"
EXTRACTION_FILE = "extraction.yaml"
ARTICLE_FILE = "article.txt"

#: Write order: every table after the tables it references.
TABLES: tuple[str, ...] = (
    "source",
    "actor",
    "claim",
    "event",
    "event_participant",
    "affiliation",
    "statement",
    "stance",
    "evidence",
)
_MODELS: dict[str, Any] = {
    "source": models.Source,
    "actor": models.Actor,
    "claim": models.Claim,
    "event": models.Event,
    "event_participant": models.EventParticipant,
    "affiliation": models.Affiliation,
    "statement": models.Statement,
    "stance": models.Stance,
    "evidence": models.Evidence,
}
#: Tables whose rows are shared between sources and never deleted by a reload.
SHARED = frozenset({"actor", "claim", "event"})


@dataclass
class Fixture:
    """One verified fixture folder, as rows ready to write."""

    folder: Path
    source_id: str
    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def count(self, table: str) -> int:
        return len(self.rows[table])


def fixture_folders(paths: Iterable[Path]) -> list[Path]:
    """Each path is a fixture folder (holding source.yaml) or a folder of them."""
    folders: list[Path] = []
    for path in paths:
        if (path / SOURCE_FILE).is_file():
            folders.append(path)
        elif path.is_dir():
            found = sorted(child for child in path.iterdir() if (child / SOURCE_FILE).is_file())
            if not found:
                raise FixtureError([FixtureProblem(str(path), "-", "no fixture folder here")])
            folders.extend(found)
        else:
            raise FixtureError([FixtureProblem(str(path), "-", "no such folder")])
    return folders


def slug(text: str) -> str:
    """A role as it appears in a derived id."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# Ids of records that a fixture names by what they join (the API derives them alike).


def participant_id(event: str, actor: str, role: str) -> str:
    return f"{event}--{actor}--{role}"


def affiliation_id(actor: str, organization: str, role: str) -> str:
    return f"{actor}--{organization}--{slug(role)}"


def stance_id(statement: str, claim: str) -> str:
    return f"{statement}--{claim}"


class _Reader:
    """Turns one folder into rows, collecting every problem instead of stopping at the first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[FixtureProblem] = []

    def problem(self, file: str, entry: str, message: str) -> None:
        self.problems.append(FixtureProblem(str(self.folder / file), entry, message))

    def load_yaml(self, name: str) -> Any:
        path = self.folder / name
        try:
            with path.open(encoding="utf-8") as stream:
                return yaml.safe_load(stream) or {}
        except FileNotFoundError:
            self.problem(name, "-", "file missing")
        except yaml.YAMLError as error:
            self.problem(name, "-", f"not valid YAML: {error}")
        return None

    def validation(self, name: str, error: ValidationError, data: Any) -> None:
        for item in error.errors():
            location = [str(part) for part in item["loc"]]
            entry = ".".join(location)
            if len(location) >= 2 and location[1].isdigit() and isinstance(data, dict):
                try:
                    entry_id = data[location[0]][int(location[1])].get("id")
                except (KeyError, IndexError, AttributeError, TypeError):
                    entry_id = None
                if entry_id:
                    entry = f"{location[0]}[{location[1]}] ({entry_id}).{'.'.join(location[2:])}"
            self.problem(name, entry.rstrip("."), item["msg"])

    def read(self) -> tuple[SourceFile, ExtractionFile, str] | None:
        raw_source = self.load_yaml(SOURCE_FILE)
        raw_extraction = self.load_yaml(EXTRACTION_FILE)
        try:
            # Bytes, decoded strictly: no newline translation, no silent replacement.
            text = (self.folder / ARTICLE_FILE).read_bytes().decode("utf-8")
        except FileNotFoundError:
            self.problem(ARTICLE_FILE, "-", "file missing")
            return None
        except UnicodeDecodeError as error:
            self.problem(ARTICLE_FILE, "-", f"not UTF-8: {error}")
            return None
        if raw_source is None or raw_extraction is None:
            return None
        return self.parse(raw_source, raw_extraction, text)

    def parse(
        self, raw_source: Any, raw_extraction: Any, text: str
    ) -> tuple[SourceFile, ExtractionFile, str] | None:
        """The files' contents validated (however they arrived: files, or a request)."""
        source = extraction = None
        try:
            source = SourceFile.model_validate(raw_source)
        except ValidationError as error:
            self.validation(SOURCE_FILE, error, raw_source)
        try:
            extraction = ExtractionFile.model_validate(raw_extraction)
        except ValidationError as error:
            self.validation(EXTRACTION_FILE, error, raw_extraction)
        if source is None or extraction is None:
            return None
        return source, extraction, text


def _span(
    reader: _Reader, text: str, entry: str, quote: str, occurrence: int | None
) -> spans.Span | None:
    try:
        return spans.locate(text, quote, occurrence)
    except SpanMismatch as mismatch:
        reader.problem(EXTRACTION_FILE, entry, mismatch.message)
        return None


def _rows(reader: _Reader, source: SourceFile, data: ExtractionFile, text: str) -> Fixture:
    fixture = Fixture(folder=reader.folder, source_id=source.id)
    rows = fixture.rows
    rows["source"].append(
        {
            **source.model_dump(),
            "text": text,
            "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        }
    )
    for actor in data.actors:
        rows["actor"].append(actor.model_dump())
    for claim in data.claims:
        rows["claim"].append(claim.model_dump())

    def spanned(entry: str, quote: str | None, occurrence: int | None, column: str) -> Row:
        if quote is None:
            return {"source_id": None, "span_start": None, "span_end": None, column: None}
        span = _span(reader, text, entry, quote, occurrence)
        if span is None:
            return {}
        return {
            "source_id": source.id,
            "span_start": span.start,
            "span_end": span.end,
            column: quote,
        }

    for index, event in enumerate(data.events):
        entry = f"events[{index}] ({event.id})"
        place = event.place
        rows["event"].append(
            {
                "id": event.id,
                "title": event.title,
                "kind": event.kind,
                "start_date": event.start.value,
                "start_precision": event.start.precision,
                "end_date": event.end.value,
                "end_precision": event.end.precision,
                "place_name": place.name if place else None,
                "place_country": place.country if place else None,
                "latitude": place.latitude if place else None,
                "longitude": place.longitude if place else None,
                "parent_id": event.parent,
                "description": event.description,
                **spanned(entry, event.quote, event.occurrence, "quote"),
            }
        )
        for participant in event.participants:
            rows["event_participant"].append(
                {
                    "id": participant_id(event.id, participant.actor, participant.role),
                    "event_id": event.id,
                    "actor_id": participant.actor,
                    "role": participant.role,
                }
            )
    for index, affiliation in enumerate(data.affiliations):
        entry = f"affiliations[{index}] ({affiliation.actor} in {affiliation.organization})"
        rows["affiliation"].append(
            {
                "id": affiliation_id(affiliation.actor, affiliation.organization, affiliation.role),
                "actor_id": affiliation.actor,
                "organization_id": affiliation.organization,
                "role": affiliation.role,
                "start_date": affiliation.start.value,
                "end_date": affiliation.end.value,
                **spanned(entry, affiliation.quote, affiliation.occurrence, "quote"),
            }
        )
    for index, statement in enumerate(data.statements):
        entry = f"statements[{index}] ({statement.id})"
        rows["statement"].append(
            {
                "id": statement.id,
                "speaker_id": statement.speaker,
                "attribution": statement.attributed,
                "kind": statement.kind,
                "said_on": statement.said_on.value,
                "said_on_precision": statement.said_on.precision,
                "event_id": statement.event,
                "language": statement.language,
                "note": statement.note,
                **spanned(entry, statement.quote, statement.occurrence, "text"),
            }
        )
        for stance in statement.stances:
            rows["stance"].append(
                {
                    "id": stance_id(statement.id, stance.claim),
                    "statement_id": statement.id,
                    "claim_id": stance.claim,
                    "position": stance.position,
                    "hedged": stance.hedged,
                    "note": stance.note,
                }
            )
    for index, evidence in enumerate(data.evidence):
        entry = f"evidence[{index}] ({evidence.id})"
        rows["evidence"].append(
            {
                "id": evidence.id,
                "claim_id": evidence.claim,
                "relation": evidence.relation,
                "summary": evidence.summary,
                "statement_id": evidence.statement,
                "event_id": evidence.event,
                "offered_by_id": evidence.offered_by,
                **spanned(entry, evidence.quote, evidence.occurrence, "quote"),
            }
        )
    return fixture


#: (table, column, referenced table) for every reference a fixture may make.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("event", "parent_id", "event"),
    ("event_participant", "actor_id", "actor"),
    ("affiliation", "actor_id", "actor"),
    ("affiliation", "organization_id", "actor"),
    ("statement", "speaker_id", "actor"),
    ("statement", "event_id", "event"),
    ("stance", "claim_id", "claim"),
    ("evidence", "claim_id", "claim"),
    ("evidence", "statement_id", "statement"),
    ("evidence", "event_id", "event"),
    ("evidence", "offered_by_id", "actor"),
)


def _entry(table: str, row: Row) -> str:
    return f"{table} {row['id']}"


def _check_set(fixtures: Sequence[Fixture], known: dict[str, set[str]]) -> list[FixtureProblem]:
    """Duplicate ids across the whole set, dangling references, and cycles among events."""
    problems: list[FixtureProblem] = []
    defined: dict[str, dict[str, Path]] = defaultdict(dict)
    for fixture in fixtures:
        for table in TABLES:
            for row in fixture.rows[table]:
                first = defined[table].get(row["id"])
                if first is not None:
                    problems.append(
                        FixtureProblem(
                            str(fixture.folder / EXTRACTION_FILE),
                            _entry(table, row),
                            f"duplicate id {row['id']!r} (also in {first})",
                        )
                    )
                else:
                    defined[table][row["id"]] = fixture.folder
    for fixture in fixtures:
        for table, column, target in REFERENCES:
            for row in fixture.rows[table]:
                ref = row.get(column)
                if ref is not None and ref not in defined[target] and ref not in known[target]:
                    problems.append(
                        FixtureProblem(
                            str(fixture.folder / EXTRACTION_FILE),
                            _entry(table, row),
                            f"{column.removesuffix('_id')} {ref!r}: no {target} with that id",
                        )
                    )
        parents = {row["id"]: row["parent_id"] for row in fixture.rows["event"]}
        for event_id in parents:
            seen: set[str] = set()
            current: str | None = event_id
            while current is not None and current in parents and current not in seen:
                seen.add(current)
                current = parents[current]
            if current == event_id:
                problems.append(
                    FixtureProblem(
                        str(fixture.folder / EXTRACTION_FILE),
                        f"event {event_id}",
                        "parent chain loops back to itself",
                    )
                )
    return problems


def read_fixtures(paths: Iterable[Path], known: dict[str, set[str]] | None = None) -> list[Fixture]:
    """Verify fixture folders without a database; raise FixtureError listing every problem.

    `known` holds ids that already exist (in the database) and may be referenced.
    """
    fixtures: list[Fixture] = []
    problems: list[FixtureProblem] = []
    for folder in fixture_folders(paths):
        reader = _Reader(folder)
        parsed = reader.read()
        if parsed is not None:
            # Checked as a set even with span problems, so that every problem is reported.
            fixtures.append(_rows(reader, *parsed))
        problems.extend(reader.problems)
    problems.extend(_check_set(fixtures, known or defaultdict(set)))
    if problems:
        raise FixtureError(problems)
    return fixtures


def read_document(
    source: Any, extraction: Any, article: Any, known: dict[str, set[str]] | None = None
) -> Fixture:
    """Verify one fixture given as the contents of its three files (an import over HTTP)
    exactly as `read_fixtures` verifies a folder; problems name the files without a folder."""
    reader = _Reader(Path())
    if not isinstance(article, str) or not article:
        reader.problem(ARTICLE_FILE, "-", "missing: give the text as a string")
    for name, value in ((SOURCE_FILE, source), (EXTRACTION_FILE, extraction)):
        if not isinstance(value, dict):
            reader.problem(name, "-", "missing: give it as a mapping")
    parsed = None if reader.problems else reader.parse(source, extraction, article)
    fixtures = [] if parsed is None else [_rows(reader, *parsed)]
    problems = reader.problems + _check_set(fixtures, known or defaultdict(set))
    if problems:
        raise FixtureError(problems)
    return fixtures[0]


# -- writing ----------------------------------------------------------------------------------

#: Records each row a load writes or removes (action, table, id, before, after): the API's
#: imports audit their writes with it.
Audit = Callable[[str, str, str, Row | None, Row | None], Awaitable[None]]


def _rowcount(result: sa.Result[Any]) -> int:
    """Rows an INSERT/UPDATE/DELETE touched (DML results are cursor results)."""
    return cast(CursorResult[Any], result).rowcount or 0


def _upsert(table: sa.Table, rows: list[Row]) -> Insert:
    """INSERT … ON CONFLICT (id) DO UPDATE, only where a value differs (else nothing changes)."""
    statement = pg_insert(table).values(rows)
    columns = [name for name in rows[0] if name != "id"]
    current = sa.tuple_(*(table.c[name] for name in columns))
    incoming = sa.tuple_(*(statement.excluded[name] for name in columns))
    return statement.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={name: statement.excluded[name] for name in columns},
        where=current.is_distinct_from(incoming),
    )


def row_json(table: sa.Table) -> Any:
    """The whole row as PostgreSQL writes it in JSON (in a statement on `table` itself)."""
    return sa.func.to_jsonb(sa.literal_column(f'"{table.name}"'), type_=JSONB)


async def _write(
    session: AsyncSession, table: sa.Table, rows: list[Row], audit: Audit | None
) -> int:
    """Upsert the rows; with `audit`, record each row inserted or changed."""
    if audit is None:
        return _rowcount(await session.execute(_upsert(table, rows)))
    ids = [row["id"] for row in rows]
    selected = await session.execute(
        sa.select(table.c.id, row_json(table)).where(table.c.id.in_(ids))
    )
    prior: dict[str, Row] = {id: row for id, row in selected}
    written = (
        await session.execute(_upsert(table, rows).returning(table.c.id, row_json(table)))
    ).all()
    for id, after in written:
        before = prior.get(id)
        await audit("create" if before is None else "update", table.name, id, before, after)
    return len(written)


async def _remove(session: AsyncSession, statement: Any, audit: Audit | None) -> int:
    """Run a DELETE (or UPDATE) of one table; with `audit`, record each row it touched."""
    table: sa.Table = statement.table
    if audit is None:
        return _rowcount(await session.execute(statement))
    selected = sa.select(table.c.id, row_json(table)).where(statement.whereclause)
    before = {id: row for id, row in await session.execute(selected)}
    touched = (await session.execute(statement.returning(table.c.id, row_json(table)))).all()
    deleting = isinstance(statement, sa.Delete)
    for id, after in touched:
        action = "delete" if deleting else "update"
        await audit(action, table.name, id, before.get(id), None if deleting else after)
    return len(touched)


async def _owned_elsewhere(session: AsyncSession, fixture: Fixture) -> list[FixtureProblem]:
    """Rows of this fixture whose id already belongs to another source."""
    problems: list[FixtureProblem] = []
    for table in ("statement", "evidence"):
        ids = [row["id"] for row in fixture.rows[table]]
        if not ids:
            continue
        model = _MODELS[table]
        result = await session.execute(
            sa.select(model.id, model.source_id).where(
                model.id.in_(ids), model.source_id != fixture.source_id
            )
        )
        for row_id, other in result.all():
            problems.append(
                FixtureProblem(
                    str(fixture.folder / EXTRACTION_FILE),
                    f"{table} {row_id}",
                    f"id already used by source {other!r}",
                )
            )
    return problems


async def _delete_stale(session: AsyncSession, fixture: Fixture, audit: Audit | None) -> int:
    """Remove what this source had and its fixture no longer lists."""
    deleted = 0
    source_id = fixture.source_id

    def keep(table: str) -> list[str]:
        return [row["id"] for row in fixture.rows[table]] or [""]

    statement_ids = sa.select(col(models.Statement.id)).where(
        col(models.Statement.source_id) == source_id
    )
    event_ids = [row["id"] for row in fixture.rows["event"]]
    deletes = [
        sa.delete(models.Evidence).where(
            col(models.Evidence.source_id) == source_id,
            col(models.Evidence.id).not_in(keep("evidence")),
        ),
        sa.delete(models.Stance).where(
            col(models.Stance.statement_id).in_(statement_ids),
            col(models.Stance.id).not_in(keep("stance")),
        ),
        sa.delete(models.Statement).where(
            col(models.Statement.source_id) == source_id,
            col(models.Statement.id).not_in(keep("statement")),
        ),
        sa.delete(models.Affiliation).where(
            col(models.Affiliation.source_id) == source_id,
            col(models.Affiliation.id).not_in(keep("affiliation")),
        ),
        sa.delete(models.EventParticipant).where(
            col(models.EventParticipant.event_id).in_(event_ids or [""]),
            col(models.EventParticipant.id).not_in(keep("event_participant")),
        ),
    ]
    for delete in deletes:
        deleted += await _remove(session, delete, audit)
    return deleted


async def _release_changed_text(
    session: AsyncSession, fixture: Fixture, audit: Audit | None
) -> None:
    """If the article's text changed, drop the spans that pointed into the old text first."""
    new_sha = fixture.rows["source"][0]["text_sha256"]
    old_sha = await session.scalar(
        sa.select(col(models.Source.text_sha256)).where(col(models.Source.id) == fixture.source_id)
    )
    if old_sha is None or old_sha == new_sha:
        return
    source_id = fixture.source_id
    stances = models.TABLES["stance"]
    statements = sa.select(col(models.Statement.id)).where(
        col(models.Statement.source_id) == source_id
    )
    await _remove(session, sa.delete(stances).where(stances.c.statement_id.in_(statements)), audit)
    for name in ("evidence", "statement", "affiliation"):
        table = models.TABLES[name]
        await _remove(session, sa.delete(table).where(table.c.source_id == source_id), audit)
    events = models.TABLES["event"]
    await _remove(
        session,
        sa.update(events)
        .where(events.c.source_id == source_id)
        .values(source_id=None, span_start=None, span_end=None, quote=None),
        audit,
    )


@dataclass
class LoadReport:
    """What one source's load did: rows written (inserted or changed) and removed."""

    source_id: str
    written: dict[str, int]
    deleted: int
    seconds: float


async def load_fixture(
    session: AsyncSession, fixture: Fixture, progress: Progress, audit: Audit | None = None
) -> LoadReport:
    """Write one verified fixture in the session's current transaction (recording each row
    written or removed with `audit`, if given)."""
    started = time.perf_counter()
    # Loads of the same source run one after the other, never interleaved.
    await session.execute(
        sa.select(
            sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"claimgraph:{fixture.source_id}"))
        )
    )
    conflicts = await _owned_elsewhere(session, fixture)
    if conflicts:
        raise FixtureError(conflicts)
    await _release_changed_text(session, fixture, audit)
    written: dict[str, int] = {}
    for table in TABLES:
        rows = fixture.rows[table]
        if rows:
            written[table] = await _write(session, _MODELS[table].__table__, rows, audit)
        else:
            written[table] = 0
        progress(f"  {table:<18} {len(rows):>4} in fixture, {written[table]:>4} written")
    deleted = await _delete_stale(session, fixture, audit)
    return LoadReport(fixture.source_id, written, deleted, time.perf_counter() - started)


async def known_ids(session: AsyncSession) -> dict[str, set[str]]:
    """Ids already in the database that fixtures may reference without defining."""
    known: dict[str, set[str]] = defaultdict(set)
    for table in ("actor", "claim", "event", "statement"):
        result = await session.execute(sa.select(_MODELS[table].id))
        known[table] = set(result.scalars())
    return known


async def load_fixtures(
    sessions: Callable[[], AsyncSession],
    paths: Iterable[Path],
    progress: Progress = lambda _line: None,
) -> list[LoadReport]:
    """Verify every folder, then load each source in its own transaction."""
    async with sessions() as session:
        known = await known_ids(session)
    fixtures = read_fixtures(paths, known)
    reports: list[LoadReport] = []
    for fixture in fixtures:
        progress(f"{fixture.source_id} ({fixture.folder})")
        async with sessions() as session:
            try:
                async with session.begin():
                    report = await load_fixture(session, fixture, progress)
            except DBAPIError as error:
                raise FixtureError(
                    [
                        FixtureProblem(
                            str(fixture.folder), "-", f"the database refused the load: {error.orig}"
                        )
                    ]
                ) from error
        progress(
            f"{fixture.source_id}: {sum(report.written.values())} rows written, "
            f"{report.deleted} removed, in {report.seconds:.2f}s"
        )
        reports.append(report)
    return reports


async def is_empty(session: AsyncSession) -> bool:
    """Whether the database holds no source at all (then `serve` loads the fixtures)."""
    return await session.scalar(sa.select(sa.exists(sa.select(col(models.Source.id))))) is False
