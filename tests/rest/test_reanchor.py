"""Re-anchoring: a source's corrected text moves every quote, or changes nothing."""

from __future__ import annotations

import httpx

from api.store.fixtures import loader
from tests.conftest import FIXTURES, article_text, bearer

MERGE = "application/merge-patch+json"
SOURCE = "/v1/sources/kazakhstan-2022"
QUOTED = "/v1/statements/haring-hand-behind-the-scenes"


async def patch_text(client: httpx.AsyncClient, key: str, text: str) -> httpx.Response:
    tag = (await client.get(SOURCE)).headers["etag"]
    return await client.patch(
        SOURCE,
        json={"text": text},
        headers={**bearer(key), "Content-Type": MERGE, "If-Match": tag},
    )


async def test_a_lost_quote_refuses_the_whole_change(
    client: httpx.AsyncClient, api_keys: dict[str, str]
) -> None:
    before = (await client.get(SOURCE)).json()
    text = article_text()
    gone = text.replace(
        "The Kremlin does not accept the reality", "The Kremlin rejects the reality"
    )
    response = await patch_text(client, api_keys["write"], gone)
    assert response.status_code == 409, response.text
    lost = response.json()["lost"]
    assert {item["id"] for item in lost} == {"haring-hand-behind-the-scenes"}
    assert lost[0]["reason"] == "its quote is no longer in the text"
    assert (await client.get(SOURCE)).json() == before
    assert (await client.get(f"{SOURCE}/text")).text == text


async def test_an_ambiguous_quote_refuses_the_change(
    client: httpx.AsyncClient, api_keys: dict[str, str]
) -> None:
    """A paragraph printed twice: a quote in its middle has the same context both times."""
    before = (await client.get(SOURCE)).json()
    text = article_text()
    start = text.index("Mass unrest in Kazakhstan")
    end = text.index("next few weeks.") + len("next few weeks.")
    paragraph = text[start:end]
    doubled = text[:end] + "\n\n" + paragraph + text[end:]
    response = await patch_text(client, api_keys["write"], doubled)
    assert response.status_code == 409
    reasons = {item["id"]: item["reason"] for item in response.json()["lost"]}
    assert "its context does not tell which" in reasons["lebedev-foreign-support"]
    assert "lebedev-prepared-with-foreign-backing" not in reasons  # its prefix tells
    assert (await client.get(SOURCE)).json() == before


async def test_an_insertion_before_a_quote_moves_it(
    client: httpx.AsyncClient, api_keys: dict[str, str]
) -> None:
    quoted = (await client.get(QUOTED)).json()
    text = article_text()
    insertion = "[Editor's note: corrected transcription.] "
    anchor = text.index("Kazakhstan 2022 - A Color Revolution??")
    corrected = text[:anchor] + insertion + text[anchor:]
    response = await patch_text(client, api_keys["write"], corrected)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["text_length"] == len(corrected) and changed["version"] == 2
    moved = {(item["entity"], item["id"]): item for item in changed["reanchored"]}
    [fixture] = loader.read_fixtures([FIXTURES])
    spanned = {
        (table, row["id"])
        for table in ("statement", "evidence", "event", "affiliation")
        for row in fixture.rows[table]
        if row["source_id"] is not None
    }
    assert set(moved) == spanned  # every span comes after the insertion
    item = moved["statement", "haring-hand-behind-the-scenes"]
    assert item["start"] == item["start_before"] + len(insertion)
    after = (await client.get(QUOTED)).json()
    span = after["span"]
    assert span["start"] == quoted["span"]["start"] + len(insertion)
    assert corrected[span["start"] : span["end"]] == after["text"] == quoted["text"]
    assert after["version"] == quoted["version"] + 1
    assert (await client.get(f"{SOURCE}/text")).text == corrected
    # The first span of the article: its prefix now holds the insertion.
    first = (await client.get("/v1/statements/lebedev-prepared-with-foreign-backing")).json()
    assert first["span"]["prefix"].endswith("\n\n")
    assert insertion.strip() in (await client.get(f"{SOURCE}/text")).text[: first["span"]["start"]]
