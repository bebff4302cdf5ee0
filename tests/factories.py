"""Rows for tests and benchmarks, as verified fixtures that go in through the real loader."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from api.store.fixtures import loader


def claims_fixture(
    source_id: str, claims: int, stances_per_claim: int = 2, statements_per_speaker: int = 1
) -> loader.Fixture:
    """`claims` claims, each with stances from statements whose speakers have affiliations.

    Enough of everything for a nested query (claims → stances → statement → speaker →
    affiliations) to have work at every level. Each of a claim's `stances_per_claim`
    speakers says `statements_per_speaker` statements on it, alternating sides: with more
    than one, every speaker is on both sides.
    """
    fixture = loader.Fixture(folder=Path(source_id), source_id=source_id)
    rows = fixture.rows
    parts: list[str] = []
    offset = 0
    rows["actor"].append(_actor(f"{source_id}-org", "organization"))
    for c in range(claims):
        claim_id = f"{source_id}-claim-{c}"
        rows["claim"].append(
            {
                "id": claim_id,
                "text": f"Proposition {c} of {source_id}.",
                "description": None,
                "tags": [source_id],
            }
        )
        for s in range(stances_per_claim):
            speaker = f"{source_id}-actor-{c}-{s}"
            rows["actor"].append(_actor(speaker, "person"))
            rows["affiliation"].append(
                {
                    "id": f"{speaker}--{source_id}-org--member",
                    "actor_id": speaker,
                    "organization_id": f"{source_id}-org",
                    "role": "Member",
                    "start_date": None,
                    "end_date": None,
                    "source_id": None,
                    "span_start": None,
                    "span_end": None,
                    "quote": None,
                }
            )
            for said in range(statements_per_speaker):
                sentence = (
                    f"Speaker {c}-{s} holds view {s + said} on proposition {c} of {source_id}."
                )
                statement_id = f"{source_id}-statement-{c}-{s}" + (f"-{said}" if said else "")
                rows["statement"].append(
                    {
                        "id": statement_id,
                        "speaker_id": speaker,
                        "attribution": "explicit",
                        "kind": "quote",
                        "said_on": None,
                        "said_on_precision": "unknown",
                        "event_id": None,
                        "language": "en",
                        "note": None,
                        "source_id": source_id,
                        "span_start": offset,
                        "span_end": offset + len(sentence),
                        "text": sentence,
                    }
                )
                rows["stance"].append(
                    {
                        "id": f"{statement_id}--{claim_id}",
                        "statement_id": statement_id,
                        "claim_id": claim_id,
                        "position": ["supports", "disputes"][(s + said) % 2],
                        "hedged": False,
                        "note": None,
                    }
                )
                parts.append(sentence)
                offset += len(sentence) + 1
    text = " ".join(parts)
    rows["source"].append(_source(source_id, text))
    return fixture


def _actor(id: str, kind: str) -> dict[str, Any]:
    return {
        "id": id,
        "name": id.replace("-", " ").title(),
        "kind": kind,
        "aliases": [],
        "description": "Generated.",
        "country": None,
        "wikidata": None,
        "identifiers": {},
    }


def _source(id: str, text: str) -> dict[str, Any]:
    return {
        "id": id,
        "title": f"Generated source {id}",
        "publisher": "tests",
        "url": None,
        "published_at": None,
        "modified_at": None,
        "retrieved_at": None,
        "language": "en",
        "text": text,
        "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
    }
