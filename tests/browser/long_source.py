"""A generated source with many quoted statements, written as a fixture folder.

The browser tests load one (a few hundred statements: the reader must page through them) and
bench/explorer.py one of 2,000 (is the reader still responsive?). It goes through the
loader, which finds every quote's offsets and verifies them, like any real fixture.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SOURCE_ID = "long-source"
CLAIM_ID = "long-source-claim"
SPEAKERS = 12
WORDS = ("planned", "spontaneous", "foreign", "local", "organised", "chaotic", "armed", "peaceful")


def _speaker(number: int) -> str:
    return f"long-source-speaker-{number}"


def write(folder: Path, statements: int, *, source_id: str = SOURCE_ID) -> Path:
    """Write `folder/source_id/` with `statements` statements; return that folder.

    Each statement is a quote inside a sentence naming its speaker; every tenth sentence is
    also reported as a whole (a span around the quote), every 25th quote is evidence too
    (overlapping spans), and positions on one claim cycle through supports, disputes, neutral.
    """
    target = folder / source_id
    target.mkdir(parents=True, exist_ok=True)
    paragraphs: list[str] = [f"A long generated source ({statements} statements)."]
    sentences: list[str] = []
    entries: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    reports = 0
    number = 0
    while len(entries) < statements:
        speaker = number % SPEAKERS
        quote = f"statement {number} holds that the unrest was {WORDS[number % len(WORDS)]}"
        sentence = f"Long speaker {speaker} said that “{quote}”."
        sentences.append(sentence)
        position = ("supports", "disputes", "neutral")[number % 3]
        entries.append(
            {
                "id": f"{source_id}-quote-{number}",
                "speaker": _speaker(speaker),
                "kind": "quote",
                "quote": quote,
                "said_on": f"2022-01-{1 + number % 28:02d}" if number % 4 else None,
                "stances": [{"claim": CLAIM_ID, "position": position, "hedged": number % 5 == 0}],
            }
        )
        if number % 10 == 0 and len(entries) < statements:
            reports += 1
            entries.append(
                {
                    "id": f"{source_id}-report-{number}",
                    "speaker": _speaker(speaker),
                    "kind": "report",
                    "quote": sentence,
                }
            )
        if number % 25 == 0:
            evidence.append(
                {
                    "id": f"{source_id}-evidence-{number}",
                    "claim": CLAIM_ID,
                    "relation": "supports" if number % 50 else "context",
                    "summary": f"Statement {number} as evidence.",
                    "quote": f"statement {number} holds that",
                    "statement": f"{source_id}-quote-{number}",
                }
            )
        if len(sentences) == 5:
            paragraphs.append(" ".join(sentences))
            sentences = []
        number += 1
    if sentences:
        paragraphs.append(" ".join(sentences))
    (target / "article.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    source = {
        "id": source_id,
        "title": f"A long generated source ({statements} statements)",
        "publisher": "claimgraph tests",
        "url": None,
        "published_at": None,
        "modified_at": None,
        "retrieved_at": None,
        "language": "en",
    }
    (target / "source.yaml").write_text(yaml.safe_dump(source, sort_keys=False), encoding="utf-8")
    extraction = {
        "actors": [
            {
                "id": _speaker(i),
                "name": f"Long speaker {i}",
                "kind": "person",
                "description": "A generated speaker.",
            }
            for i in range(SPEAKERS)
        ],
        "claims": [{"id": CLAIM_ID, "text": "The generated unrest was planned."}],
        "statements": entries,
        "evidence": evidence,
    }
    (target / "extraction.yaml").write_text(
        yaml.safe_dump(extraction, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return target
