"""The article fixture: the exact published text, and every quote pinned to its exact span."""

from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa

from api.db.engine import Database
from api.store import spans
from api.store.fixtures import loader
from tests.conftest import ARTICLE, FIXTURES, article_text

#: sha256 of ../shared/seed/000_042dde201bcede85.txt, the article as captured.
SEED_SHA256 = "9bbce3c80e79ef6a3553ed36e199ec12b24c6b412c2892c473012b26098fbf1c"

#: Quoted passages that are nobody's direct speech: nested inside a longer quote, or a term
#: the article quotes in its own voice.
NOT_SPEECH = {
    "colour revolutions",  # inside Lebedev's quote
    "security guarantees",  # inside Escobar's quote
}
ARTICLE_VOICE_TERM = "A “color revolution” is a term"

QUOTED = re.compile(r'"[^"]*"|“[^”"]*[”"]|‘[^’]*’')


def test_article_is_byte_identical_to_the_seed() -> None:
    assert hashlib.sha256((ARTICLE / "article.txt").read_bytes()).hexdigest() == SEED_SHA256


def test_every_span_is_its_quote_in_python() -> None:
    [fixture] = loader.read_fixtures([FIXTURES])
    text = fixture.rows["source"][0]["text"]
    checked = 0
    for table, column in (
        ("statement", "text"),
        ("evidence", "quote"),
        ("event", "quote"),
        ("affiliation", "quote"),
    ):
        for row in fixture.rows[table]:
            if row["source_id"] is not None:
                spans.verify(text, row[column], row["span_start"], row["span_end"])
                checked += 1
    assert checked == sum(
        1 for table in ("statement", "evidence") for _ in fixture.rows[table]
    ) + sum(
        1 for table in ("event", "affiliation") for row in fixture.rows[table] if row["source_id"]
    )


async def test_every_span_is_its_quote_in_the_database(database: Database) -> None:
    async with database.engine.connect() as connection:
        for table, column in (
            ("statement", "text"),
            ("evidence", "quote"),
            ("event", "quote"),
            ("affiliation", "quote"),
        ):
            mismatches = await connection.scalar(
                sa.text(
                    f"SELECT count(*) FROM {table} t JOIN source s ON s.id = t.source_id "
                    f"WHERE substr(s.text, t.span_start + 1, t.span_end - t.span_start) "
                    f"IS DISTINCT FROM t.{column}"
                )
            )
            assert mismatches == 0, table


def test_no_span_points_into_page_boilerplate() -> None:
    text = article_text()
    body_start = text.index("Mass unrest in Kazakhstan")
    body_end = text.index("Join the GlobalSecurity.org mailing list")
    [fixture] = loader.read_fixtures([FIXTURES])
    for table in ("statement", "evidence", "event", "affiliation"):
        for row in fixture.rows[table]:
            if row["source_id"]:
                assert body_start <= row["span_start"] < row["span_end"] <= body_end, row["id"]


def test_every_quoted_passage_is_a_quote_statement() -> None:
    """Completeness: each passage in quotation marks is some speaker's `quote` statement."""
    text = article_text()
    [fixture] = loader.read_fixtures([FIXTURES])
    quotes = {
        (row["span_start"], row["span_end"])
        for row in fixture.rows["statement"]
        if row["kind"] == "quote"
    }
    missing = []
    for match in QUOTED.finditer(text):
        if text.startswith(ARTICLE_VOICE_TERM, match.start() - 2):
            continue
        # A quote cut with "..." is one statement per contiguous part.
        offset = match.start() + 1
        for part in text[offset : match.end() - 1].split("..."):
            lead = len(part) - len(part.lstrip())
            core = part.strip().rstrip(",")
            start, offset = offset + lead, offset + len(part) + 3
            if core.rstrip(".") in NOT_SPEECH:
                continue
            candidates = {(start, start + len(core)), (start, start + len(core.rstrip(".")))}
            if not candidates & quotes:
                missing.append(core[:60])
    assert missing == []


def test_every_quote_statement_sits_inside_quotation_marks() -> None:
    text = article_text()
    [fixture] = loader.read_fixtures([FIXTURES])
    for row in fixture.rows["statement"]:
        if row["kind"] == "quote":
            before = text[: row["span_start"]].rstrip(" ")
            assert before.endswith(('"', "“", "‘", "'", "...")), row["id"]


def test_statements_and_evidence_cite_known_speakers_and_dates() -> None:
    [fixture] = loader.read_fixtures([FIXTURES])
    unattributed = [row["id"] for row in fixture.rows["statement"] if row["speaker_id"] is None]
    assert unattributed == []
    # Attributed by context alone: the 5 January statement closing the paragraph on
    # Turgumbayev, and the sentence on "Maidan technologies" in the paragraph on Putin.
    implied = {
        row["id"]: row["speaker_id"]
        for row in fixture.rows["statement"]
        if row["attribution"] == "implied"
    }
    assert implied == {
        "january-5-rioters-better-armed": "yerlan-turgumbayev",
        "putin-maidan-technologies-used": "vladimir-putin",
        "putin-maidan-technologies": "vladimir-putin",
    }
    dated = {
        row["id"]: row["said_on"].isoformat()
        for row in fixture.rows["statement"]
        if row["said_on_precision"] == "day"
    }
    # Every day-precise date is one the article prints: 5, 9 or 10 January 2022.
    assert set(dated.values()) <= {"2022-01-05", "2022-01-09", "2022-01-10"}
