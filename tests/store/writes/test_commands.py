"""The write commands, called as both transports call them: what each kind's form declares
(spans located, children written whole, derived values, re-anchoring, identity) and that a
refused command leaves nothing behind."""

from __future__ import annotations

from typing import Any

import pytest

from api.db.engine import Database
from api.errors import InvalidBody, SpanMismatch, StillReferenced
from api.store.events import EVENT
from api.store.writes import commands
from api.store.writes.transaction import Tx, transaction
from tests.conftest import bearer

SOURCE = "kazakhstan-2022"
TEXT = "Alpha said: “the sky is green”. Beta answered: “it is not”."


async def write(database: Database, secret: str, run: Any) -> Any:
    async with transaction(database, bearer(secret)["Authorization"]) as tx:
        return await run(tx)


async def rows(database: Database, sql: str, *arguments: Any) -> list[dict[str, Any]]:
    pool = await database.driver_pool()
    return [dict(row) for row in await pool.fetch(sql, *arguments)]


@pytest.fixture(scope="module")
async def source(database: Database, api_keys: dict[str, str]) -> str:
    """A small source of this module's own, to quote from."""

    async def create(tx: Tx) -> str:
        document = {"id": "commands-test", "title": "T", "publisher": "P", "language": "en"}
        written = await commands.create(tx, "source", {**document, "text": TEXT})
        return written.id

    return str(await write(database, api_keys["write"], create))


class TestCreate:
    async def test_a_quote_not_in_the_text_is_refused_naming_it(
        self, database: Database, api_keys: dict[str, str], source: str
    ) -> None:
        document = {"id": "no-such-quote", "source": source, "kind": "quote", "text": "purple"}
        with pytest.raises(SpanMismatch, match="purple"):
            await write(
                database, api_keys["write"], lambda tx: commands.create(tx, "statement", document)
            )
        assert await rows(database, "SELECT id FROM statement WHERE id = 'no-such-quote'") == []

    async def test_a_quote_is_located_and_derived_values_set(
        self, database: Database, api_keys: dict[str, str], source: str
    ) -> None:
        document = {
            "id": "sky-is-green",
            "source": source,
            "speaker": "vladimir-putin",
            "kind": "quote",
            "text": "the sky is green",
        }
        await write(
            database, api_keys["write"], lambda tx: commands.create(tx, "statement", document)
        )
        [row] = await rows(
            database,
            "SELECT span_start, span_end, attribution FROM statement WHERE id = 'sky-is-green'",
        )
        assert TEXT[row["span_start"] : row["span_end"]] == "the sky is green"
        assert row["attribution"] == "explicit"  # a named speaker, attributed explicitly
        [sha] = await rows(database, "SELECT text_sha256 FROM source WHERE id = $1", source)
        assert len(sha["text_sha256"]) == 64

    async def test_an_event_writes_its_participants_with_it(
        self, database: Database, api_keys: dict[str, str]
    ) -> None:
        document = {
            "id": "commands-meeting",
            "title": "A meeting",
            "kind": "meeting",
            "place": {"name": "Almaty", "country": "KZ"},
            "participants": [{"actor": "vladimir-putin", "role": "speaker"}],
        }
        await write(database, api_keys["write"], lambda tx: commands.create(tx, "event", document))
        [event] = await rows(
            database, "SELECT place_name, place_country FROM event WHERE id = 'commands-meeting'"
        )
        assert event == {"place_name": "Almaty", "place_country": "KZ"}
        participants = await rows(
            database, "SELECT id FROM event_participant WHERE event_id = 'commands-meeting'"
        )
        assert participants == [{"id": "commands-meeting--vladimir-putin--speaker"}]


class TestUpdate:
    async def test_children_are_replaced_whole(
        self, database: Database, api_keys: dict[str, str]
    ) -> None:
        document = {
            "id": "commands-talks",
            "title": "Talks",
            "kind": "meeting",
            "participants": [{"actor": "vladimir-putin", "role": "speaker"}],
        }
        await write(database, api_keys["write"], lambda tx: commands.create(tx, "event", document))
        patch = {"participants": [{"actor": "cis", "role": "organizer"}]}
        await write(
            database,
            api_keys["write"],
            lambda tx: commands.update(tx, "event", "commands-talks", patch),
        )
        participants = await rows(
            database, "SELECT id FROM event_participant WHERE event_id = 'commands-talks'"
        )
        assert participants == [{"id": "commands-talks--cis--organizer"}]

    async def test_a_new_text_moves_the_spans_into_it(
        self, database: Database, api_keys: dict[str, str], source: str
    ) -> None:
        document = {"id": "it-is-not", "source": source, "kind": "quote", "text": "it is not"}
        await write(
            database, api_keys["write"], lambda tx: commands.create(tx, "statement", document)
        )
        patch = {"text": "Preface. " + TEXT}
        written = await write(
            database, api_keys["write"], lambda tx: commands.update(tx, "source", source, patch)
        )
        moved = {item.id: item for item in written.moved}
        assert moved["it-is-not"].after.start == moved["it-is-not"].before.start + len("Preface. ")

    async def test_an_identity_never_changes(
        self, database: Database, api_keys: dict[str, str]
    ) -> None:
        [stance] = await rows(
            database, "SELECT id FROM stance WHERE claim_id <> 'ned-is-cia-front' LIMIT 1"
        )
        with pytest.raises(InvalidBody, match="cannot change"):
            await write(
                database,
                api_keys["write"],
                lambda tx: commands.update(
                    tx, "stance", stance["id"], {"claim": "ned-is-cia-front"}
                ),
            )


class TestDelete:
    async def test_what_is_referred_to_stays_and_says_by_what(
        self, database: Database, api_keys: dict[str, str]
    ) -> None:
        with pytest.raises(StillReferenced) as refused:
            await write(
                database,
                api_keys["write"],
                lambda tx: commands.delete(tx, "actor", "vladimir-putin"),
            )
        assert {item.entity for item in refused.value.referrers} >= {"statement"}
        assert await rows(database, "SELECT id FROM actor WHERE id = 'vladimir-putin'") != []

    async def test_an_event_takes_its_participants_along(
        self, database: Database, api_keys: dict[str, str]
    ) -> None:
        document = {
            "id": "commands-rally",
            "title": "A rally",
            "kind": "protest",
            "participants": [{"actor": "cis", "role": "target"}],
        }
        await write(database, api_keys["write"], lambda tx: commands.create(tx, "event", document))
        await write(
            database, api_keys["write"], lambda tx: commands.delete(tx, "event", "commands-rally")
        )
        left = await rows(
            database, "SELECT id FROM event_participant WHERE event_id = 'commands-rally'"
        )
        assert left == []


def test_a_patch_names_only_fields_the_record_has() -> None:
    """A `null` for a member the document lacks removes nothing: refused, not ignored."""
    assert EVENT.form is not None
    model = EVENT.form.model
    assert commands.unknown_members(model, {"description": "x", "span": None}) == []
    found = commands.unknown_members(model, {"span": {"": None}, "colour": None})
    assert [(error.field, error.message) for error in found] == [
        ("span.", "is not a field of this record"),
        ("colour", "is not a field of this record"),
    ]
