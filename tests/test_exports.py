"""`claimgraph export`, run as a real process against this module's database: the files are
what the REST exports stream, and the JSON-LD expands offline."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from api import cli
from api.db.engine import Database
from tests.jsonld.expansion import SCHEMA, expand, unknown_terms
from tests.service import ENV

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process

LISTS = ("sources", "actors", "statements", "claims", "stances", "events", "evidence")
BASE = "http://claimgraph.test"


def export(database: Database, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "api", "export", *args],
        capture_output=True,
        env={**ENV, "DATABASE_URL": database.url},
        timeout=120,
        check=False,
    )


async def rest_export(client: httpx.AsyncClient, path: str, accept: str) -> bytes:
    response = await client.get(path, headers={"accept": accept})
    assert response.status_code == 200, response.text
    return response.content


class TestUsage:
    def test_an_unknown_format_exits_2(self) -> None:
        with pytest.raises(SystemExit) as exited:
            cli.main(["export", "--format", "xml"])
        assert exited.value.code == 2

    @pytest.mark.parametrize(
        ("args", "said"),
        [
            ((), "which format? --format FORMAT, one of:\n  fixture "),
            (("--format", "fixture"), "--format fixture needs the SOURCE_ID"),
            (("--format", "csv", "--list", "rumours"), "no list rumours (known: sources,"),
            (("--format", "csv", "--out", "-"), "takes one --list"),
            (("--format", "jsonld", "--list", "claims"), "jsonld writes every claim"),
            (("--claim", "x", "--format", "jsonld"), "--claim writes a dossier as csv or ndjson"),
            (("--claim", "x", "--format", "csv", "--list", "claims"), "takes only --format"),
        ],
    )
    def test_arguments_that_do_not_go_together_exit_2(
        self, args: tuple[str, ...], said: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert cli.main(["export", *args]) == 2
        assert said in capsys.readouterr().err

    def test_unwritable_folder_exits_1(self, database: Database, tmp_path: Path) -> None:
        blocker = tmp_path / "file"
        blocker.write_text("not a folder")
        done = export(database, "--format", "csv", "--list", "claims", "--out", str(blocker))
        assert done.returncode == 1
        assert b"cannot write" in done.stderr


class TestDossierFile:
    @pytest.mark.parametrize(
        ("format", "accept"), [("csv", "text/csv"), ("ndjson", "application/x-ndjson")]
    )
    async def test_a_claims_dossier_as_rest_answers_it(
        self,
        database: Database,
        client: httpx.AsyncClient,
        tmp_path: Path,
        format: str,
        accept: str,
    ) -> None:
        claim = "unrest-was-colour-revolution"
        done = export(database, "--claim", claim, "--format", format, "--out", str(tmp_path))
        assert done.returncode == 0, done.stderr
        written = (tmp_path / f"dossier-{claim}.{format}").read_bytes()
        assert written == await rest_export(client, f"/v1/claims/{claim}/dossier", accept)

    def test_an_unknown_claim_exits_1(self, database: Database, tmp_path: Path) -> None:
        done = export(database, "--claim", "no-such-claim", "--format", "csv")
        assert done.returncode == 1
        assert b"no-such-claim" in done.stderr


class TestListFiles:
    @pytest.mark.parametrize(
        ("format", "accept"), [("csv", "text/csv"), ("ndjson", "application/x-ndjson")]
    )
    async def test_each_list_as_rest_streams_it(
        self,
        database: Database,
        client: httpx.AsyncClient,
        tmp_path: Path,
        format: str,
        accept: str,
    ) -> None:
        done = export(database, "--format", format, "--out", str(tmp_path / "out"))
        assert done.returncode == 0, done.stderr
        written = sorted(path.name for path in (tmp_path / "out").iterdir())
        assert written == sorted(f"{name}.{format}" for name in LISTS)  # no partial files
        for name in LISTS:
            if name == "stances":
                continue  # REST lists them per claim: see the next test
            content = (tmp_path / "out" / f"{name}.{format}").read_bytes()
            assert content == await rest_export(client, f"/v1/{name}", accept), name
        # Into a pipe, no progress bar: only what was written.
        assert b"42/42" not in done.stderr
        assert done.stderr.decode().startswith(f"wrote sources.{format}, actors.{format},")

    async def test_stances_are_every_claims_stances(
        self, database: Database, client: httpx.AsyncClient
    ) -> None:
        done = export(database, "--format", "ndjson", "--list", "stances", "--out", "-")
        assert done.returncode == 0, done.stderr
        stances = [json.loads(line) for line in done.stdout.splitlines()]
        claims = [
            json.loads(line)
            for line in (
                await rest_export(client, "/v1/claims", "application/x-ndjson")
            ).splitlines()
        ]
        per_claim = []
        for claim in claims:
            body = await rest_export(
                client, f"/v1/claims/{claim['id']}/stances", "application/x-ndjson"
            )
            per_claim += [json.loads(line) for line in body.splitlines()]
        assert sorted(stances, key=lambda item: item["id"]) == sorted(
            per_claim, key=lambda item: item["id"]
        )
        assert len(stances) == 49


class TestJsonLd:
    async def test_every_claim_as_rest_answers_it(
        self, database: Database, client: httpx.AsyncClient, tmp_path: Path
    ) -> None:
        done = export(
            database, "--format", "jsonld", "--out", str(tmp_path), "--base-url", BASE + "/"
        )
        assert done.returncode == 0, done.stderr
        document = json.loads((tmp_path / "claims.jsonld").read_text())
        expanded = expand(document)
        assert unknown_terms(expanded) == set()
        assert [node["@type"] for node in expanded] == [[f"{SCHEMA}Claim"]] * 11
        for node in document["@graph"]:
            id = node["@id"].removeprefix(f"{BASE}/v1/claims/")
            one = await client.get(f"/v1/claims/{id}", headers={"accept": "application/ld+json"})
            assert {"@context": document["@context"], **node} == one.json()


class _Terminal(io.StringIO):
    """Standard error as a terminal: what a person watching an export sees."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("stream", "shown"), [(_Terminal(), True), (io.StringIO(), False)])
def test_progress_shows_in_a_terminal_only(
    stream: io.StringIO, shown: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bar for a person at a terminal; into a pipe or a file, only the result."""
    from api import exports

    monkeypatch.setattr(sys, "stderr", stream)
    with exports._progress("statements.csv", 42) as bar:
        bar.update(42)
    assert ("42/42" in stream.getvalue()) is shown
