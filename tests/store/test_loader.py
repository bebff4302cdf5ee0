"""The loader: every refusal names the file, the entry and the text, and writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from api.db import migrate
from api.db.engine import Database
from api.errors import FixtureError
from api.store.fixtures import loader
from tests.conftest import FIXTURES

TABLES = ["source", *loader.TABLES[1:]]


async def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, every column: equal snapshots mean an unchanged database."""
    result: dict[str, list[tuple[Any, ...]]] = {}
    async with database.engine.connect() as connection:
        for table in TABLES:
            rows = await connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))
            result[table] = [tuple(row) for row in rows]
    return result


def edit(folder: Path, change: Any) -> None:
    """Apply `change(data)` to the folder's extraction.yaml."""
    path = folder / "extraction.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def statement(data: dict[str, Any], id: str) -> dict[str, Any]:
    return next(entry for entry in data["statements"] if entry["id"] == id)


async def refused(database: Database, folder: Path) -> FixtureError:
    """Load `folder`, expect a refusal, and prove the database did not change."""
    before = await snapshot(database)
    with pytest.raises(FixtureError) as refusal:
        await loader.load_fixtures(database.sessions, [folder])
    assert await snapshot(database) == before
    return refusal.value


class TestRefusals:
    async def test_quote_not_in_article(self, database: Database, fixture_copy: Path) -> None:
        edit(
            fixture_copy,
            lambda d: statement(d, "tokayev-attempted-coup").update(
                quote="We are talking about a failed coup"
            ),
        )
        error = await refused(database, fixture_copy)
        message = str(error)
        assert "extraction.yaml" in message
        assert "tokayev-attempted-coup" in message
        assert "We are talking about a failed coup" in message
        assert "not found verbatim" in message

    async def test_quote_with_normalised_punctuation(
        self, database: Database, fixture_copy: Path
    ) -> None:
        # The article has a curly apostrophe in "Kazakhstan’s"; a straight one is not verbatim.
        edit(
            fixture_copy,
            lambda d: statement(d, "turgumbayev-organised-rioters").update(
                quote=statement(d, "turgumbayev-organised-rioters")["quote"].replace("’", "'")
            ),
        )
        error = await refused(database, fixture_copy)
        assert "turgumbayev-organised-rioters" in str(error)
        assert "Kazakhstan's acting" in str(error)

    async def test_repeated_quote_without_occurrence(
        self, database: Database, fixture_copy: Path
    ) -> None:
        edit(fixture_copy, lambda d: statement(d, "analysts-hybrid-warfare-term").pop("occurrence"))
        error = await refused(database, fixture_copy)
        assert "analysts-hybrid-warfare-term" in str(error)
        assert "appears 2 times" in str(error)

    async def test_occurrence_out_of_range(self, database: Database, fixture_copy: Path) -> None:
        edit(fixture_copy, lambda d: statement(d, "xi-color-revolution").update(occurrence=9))
        error = await refused(database, fixture_copy)
        assert "xi-color-revolution" in str(error)
        assert "occurrence 9" in str(error)

    async def test_unknown_speaker(self, database: Database, fixture_copy: Path) -> None:
        edit(
            fixture_copy,
            lambda d: statement(d, "escobar-counter-ultimatum").update(speaker="pepe-escobarr"),
        )
        error = await refused(database, fixture_copy)
        assert "escobar-counter-ultimatum" in str(error)
        assert "'pepe-escobarr': no actor" in str(error)

    async def test_unknown_claim(self, database: Database, fixture_copy: Path) -> None:
        edit(
            fixture_copy,
            lambda d: statement(d, "escobar-counter-ultimatum")["stances"].append(
                {"claim": "no-such-claim", "position": "supports"}
            ),
        )
        error = await refused(database, fixture_copy)
        assert "'no-such-claim': no claim" in str(error)

    async def test_unknown_event(self, database: Database, fixture_copy: Path) -> None:
        edit(
            fixture_copy,
            lambda d: statement(d, "tokayev-attempted-coup").update(event="csto-summit"),
        )
        error = await refused(database, fixture_copy)
        assert "tokayev-attempted-coup" in str(error)
        assert "'csto-summit': no event" in str(error)

    async def test_duplicate_id(self, database: Database, fixture_copy: Path) -> None:
        def duplicate(data: dict[str, Any]) -> None:
            copy = dict(statement(data, "tokayev-attempted-coup"))
            copy["quote"] = "Under the guise of spontaneous protests"
            copy["stances"] = []
            data["statements"].append(copy)

        edit(fixture_copy, duplicate)
        error = await refused(database, fixture_copy)
        assert "duplicate id 'tokayev-attempted-coup'" in str(error)

    async def test_unknown_field_and_bad_vocabulary(
        self, database: Database, fixture_copy: Path
    ) -> None:
        def break_it(data: dict[str, Any]) -> None:
            statement(data, "tokayev-attempted-coup")["kind"] = "rumour"
            statement(data, "tokayev-attempted-coup")["confidence"] = "high"

        edit(fixture_copy, break_it)
        error = await refused(database, fixture_copy)
        entries = {problem.entry for problem in error.problems}
        assert any("tokayev-attempted-coup" in entry and "kind" in entry for entry in entries)
        assert any("confidence" in entry for entry in entries)

    async def test_every_problem_reported_at_once(
        self, database: Database, fixture_copy: Path
    ) -> None:
        def break_twice(data: dict[str, Any]) -> None:
            statement(data, "tokayev-attempted-coup")["quote"] = "not in the article"
            statement(data, "escobar-counter-ultimatum")["speaker"] = "nobody-at-all"

        edit(fixture_copy, break_twice)
        error = await refused(database, fixture_copy)
        assert len(error.problems) == 2
        assert "not in the article" in str(error)
        assert "'nobody-at-all': no actor" in str(error)

    async def test_article_not_utf8(self, database: Database, fixture_copy: Path) -> None:
        (fixture_copy / "article.txt").write_bytes(b"caf\xe9 latin-1")
        error = await refused(database, fixture_copy)
        assert "article.txt" in str(error)
        assert "not UTF-8" in str(error)

    async def test_database_refusal_rolls_back_the_whole_source(
        self, database: Database, fixture_copy: Path
    ) -> None:
        # A new source (so that a partial write would show as new rows) whose affiliations
        # break a CHECK only the database knows: actors and events are written before it.
        (fixture_copy / "source.yaml").write_text(
            (fixture_copy / "source.yaml")
            .read_text()
            .replace("id: kazakhstan-2022", "id: kazakhstan-2022-copy")
        )

        def rename_everything(data: dict[str, Any]) -> None:
            for section in ("actors", "claims", "events", "statements", "evidence"):
                for entry in data[section]:
                    entry["id"] = entry["id"] + "-copy"
            data["affiliations"] = [
                {"actor": "cis-copy", "organization": "cis-copy", "role": "Itself"}
            ]
            for entry in data["statements"]:
                entry["speaker"] = entry["speaker"] and entry["speaker"] + "-copy"
                entry["event"] = entry.get("event") and entry["event"] + "-copy"
                for stance in entry.get("stances", []):
                    stance["claim"] += "-copy"
            for entry in data["events"]:
                entry["parent"] = entry.get("parent") and entry["parent"] + "-copy"
                for participant in entry.get("participants", []):
                    participant["actor"] += "-copy"
            for entry in data["evidence"]:
                for key in ("claim", "statement", "event", "offered_by"):
                    entry[key] = entry.get(key) and entry[key] + "-copy"

        edit(fixture_copy, rename_everything)
        error = await refused(database, fixture_copy)
        assert "the database refused the load" in str(error)
        assert "not_self" in str(error)


class TestCheckWithoutDatabase:
    def test_the_article_fixture_verifies(self) -> None:
        [fixture] = loader.read_fixtures([FIXTURES])
        assert fixture.source_id == "kazakhstan-2022"
        assert fixture.count("statement") > 0

    def test_missing_folder(self, tmp_path: Path) -> None:
        with pytest.raises(FixtureError, match="no such folder"):
            loader.read_fixtures([tmp_path / "nowhere"])

    def test_missing_file(self, fixture_copy: Path) -> None:
        (fixture_copy / "extraction.yaml").unlink()
        with pytest.raises(FixtureError, match=r"extraction.yaml: -: file missing"):
            loader.read_fixtures([fixture_copy])

    def test_event_parent_cycle(self, fixture_copy: Path) -> None:
        def cycle(data: dict[str, Any]) -> None:
            events = {entry["id"]: entry for entry in data["events"]}
            events["kazakhstan-unrest-2022"]["parent"] = "almaty-gun-shop-seizures"

        edit(fixture_copy, cycle)
        with pytest.raises(FixtureError, match="loops back"):
            loader.read_fixtures([fixture_copy])


class TestLoad:
    async def test_loading_twice_changes_nothing(self, empty_database: Database) -> None:
        await migrate.upgrade(empty_database.engine)
        first = await loader.load_fixtures(empty_database.sessions, [FIXTURES])
        after_first = await snapshot(empty_database)
        second = await loader.load_fixtures(empty_database.sessions, [FIXTURES])
        assert await snapshot(empty_database) == after_first
        assert sum(first[0].written.values()) == sum(len(rows) for rows in after_first.values())
        assert sum(second[0].written.values()) == 0
        assert second[0].deleted == 0

    async def test_reload_updates_changed_rows_and_removes_dropped_ones(
        self, empty_database: Database, fixture_copy: Path
    ) -> None:
        await migrate.upgrade(empty_database.engine)
        await loader.load_fixtures(empty_database.sessions, [fixture_copy])

        def change(data: dict[str, Any]) -> None:
            statement(data, "lebedev-hopes-almaty-recovers")["note"] = "A changed note."
            data["statements"] = [
                entry for entry in data["statements"] if entry["id"] != "xi-external-forces"
            ]

        edit(fixture_copy, change)
        progress: list[str] = []
        [report] = await loader.load_fixtures(
            empty_database.sessions, [fixture_copy], progress.append
        )
        assert report.written["statement"] == 1
        assert report.deleted == 1
        assert any("statement" in line for line in progress)
        async with empty_database.engine.connect() as connection:
            rows = dict(
                (await connection.execute(sa.text("SELECT id, version FROM statement"))).all()
            )
        assert rows["lebedev-hopes-almaty-recovers"] == 2
        assert rows["tokayev-attempted-coup"] == 1
        assert "xi-external-forces" not in rows

    async def test_changed_article_text_replaces_its_spans(
        self, empty_database: Database, fixture_copy: Path
    ) -> None:
        await migrate.upgrade(empty_database.engine)
        await loader.load_fixtures(empty_database.sessions, [fixture_copy])
        article = fixture_copy / "article.txt"
        article.write_bytes(b"A new first line.\n" + article.read_bytes())
        await loader.load_fixtures(empty_database.sessions, [fixture_copy])
        async with empty_database.engine.connect() as connection:
            start = await connection.scalar(
                sa.text("SELECT span_start FROM statement WHERE id = 'tokayev-attempted-coup'")
            )
        text = article.read_bytes().decode()
        assert text[start:].startswith("It became clear that the main goal")
