"""Similar-word hits: always for actors' names, for long texts only while full-text search
finds few of their kind (the rule that keeps search fast over a million statements)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from api.db.engine import Database
from api.store import search

#: Words with full-text hits among statements and similar-word hits too, or only the latter.
QUERIES = ("revolution", "protesters", "Tokaev", "largely", "coup", "Nazarbaev", "terorists")


async def hits(database: Database, query: str) -> set[tuple[str, str, str]]:
    rows = search.rows({"query": query})
    async with database.engine.connect() as connection:
        found = await connection.execute(sa.select(rows.c.type, rows.c.id, rows.c.match))
        return {(type_, id, match) for type_, id, match in found}


async def test_similar_words_only_while_full_text_finds_few(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = 0
    for query in QUERIES:
        everything = await hits(database, query)
        monkeypatch.setattr(search, "FEW", 1)
        gated = await hits(database, query)
        monkeypatch.undo()
        found = {type_ for type_, _, match in everything if match == "text"}
        # Gated: a kind with a full-text hit gets no similar-word hits, but actors do.
        expected = {
            hit
            for hit in everything
            if hit[2] == "text" or hit[0] == "actor" or hit[0] not in found
        }
        assert gated == expected, query
        changed += gated != everything
    assert changed, "no query had similar-word hits to leave out"
