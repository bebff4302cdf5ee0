"""Selections rendered as JSON by PostgreSQL, one construct at a time, on the article's data:
what REST's views and the GraphQL compiler both build on."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from api.db.engine import Database
from api.store import dossier
from api.store.actors import ACTOR
from api.store.claims import CLAIM
from api.store.events import EVENT
from api.store.kit import projection as p
from api.store.kit.compiled import Compiled, Parameters
from api.store.kit.pagination import decode_cursor
from api.store.statements import STATEMENT

SPAN = (("exact", "exact"), ("start", "start"), ("end", "end"))


async def answer(database: Database, fields: tuple[tuple[str, p.RootValue], ...]) -> Any:
    """The JSON one statement of these root fields answers."""
    compiled = Compiled.of(p.root(fields), Parameters())
    return json.loads(await compiled.fetchval(database, []))


def by_id(entity: Any, id: str, fields: p.Fields) -> p.ById:
    return p.ById(entity, sa.literal(id), fields)


async def test_columns_and_a_link(database: Database) -> None:
    fields: p.Fields = (
        ("text", p.Column("text")),
        ("speaker", p.One(STATEMENT.links["speaker"], (("name", p.Column("name")),))),
        ("kind", p.Column("kind", p.upper)),
    )
    found = await answer(
        database, (("s", by_id(STATEMENT, "putin-colour-revolution-scenarios", fields)),)
    )
    assert found["s"]["speaker"] == {"name": "Vladimir Putin"}
    assert found["s"]["kind"] == "QUOTE"
    assert list(found["s"]) == ["text", "speaker", "kind"]  # the selection's order


async def test_an_object_of_the_rows_own_columns_or_null(database: Database) -> None:
    pool = await database.driver_pool()
    unpinned = await pool.fetchval("SELECT id FROM event WHERE span_start IS NULL LIMIT 1")
    pinned = await pool.fetchval("SELECT id FROM event WHERE span_start IS NOT NULL LIMIT 1")
    span = p.Held(EVENT.embedded["span"], SPAN)
    quote = ("quote", p.Column("quote"))
    found = await answer(
        database,
        (
            ("unpinned", by_id(EVENT, unpinned, (("span", span),))),
            ("pinned", by_id(EVENT, pinned, (("span", span), quote))),
        ),
    )
    assert found["unpinned"] == {"span": None}
    assert found["pinned"]["span"]["exact"] == found["pinned"]["quote"]


async def test_every_child_of_a_relation_in_the_childs_order(database: Database) -> None:
    many = p.Many(ACTOR.relations["statements"], (("id", p.Column("id")),))
    found = await answer(database, (("actor", by_id(ACTOR, "vladimir-putin", (("said", many),))),))
    pool = await database.driver_pool()
    expected = await pool.fetch(
        "SELECT id FROM statement WHERE speaker_id = 'vladimir-putin' "
        "ORDER BY source_id, span_start, id"
    )
    assert [item["id"] for item in found["actor"]["said"]] == [row["id"] for row in expected]


async def test_a_page_counts_the_whole_list_and_says_where_to_go_on(database: Database) -> None:
    sort = ACTOR.sorts["name"]
    page = p.PageSelection(
        ACTOR,
        sort,
        sa.literal(2),
        (
            ("data", p.Items((("id", p.Column("id")), ("name", p.Column("name"))))),
            ("total", p.TotalCount()),
            ("next", p.NextCursor()),
        ),
    )
    found = (await answer(database, (("page", page),)))["page"]
    pool = await database.driver_pool()
    assert found["total"] == await pool.fetchval("SELECT count(*) FROM actor")
    names = [item["name"] for item in found["data"]]
    assert len(names) == 2 and names == sorted(names)
    assert decode_cursor(sort, found["next"]) == [names[-1], found["data"][-1]["id"]]


async def test_keys_of_a_json_document_selected_and_renamed(database: Database) -> None:
    selected = p.FromJson(
        CLAIM.computed["dossier"],
        (
            ("for", p.JsonKey("supporter_count")),
            ("against", p.JsonKey("disputer_count")),
            ("first", p.JsonList("supporters", (("who", p.JsonObject("speaker", ())),))),
        ),
    )
    claim = "unrest-was-colour-revolution"
    found = (await answer(database, (("c", by_id(CLAIM, claim, (("d", selected),))),)))["c"]["d"]
    assert (found["for"], found["against"]) == (7, 1)
    assert len(found["first"]) == 7 <= dossier.SPEAKERS
    assert all(list(item) == ["who"] for item in found["first"])
