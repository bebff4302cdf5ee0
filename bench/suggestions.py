"""Suggested statements against the article's curated extraction, and how long they take.

    python bench/suggestions.py [--words 50000] [--repeat 5]

On the article (a database holding it: bench/common.py), with its fixture's statements as
the reference:

- coverage: how many of the fixture's quotes and paraphrases (and reports) a suggestion
  covers (their spans overlap by at least half of the statement);
- noise: how many suggestions cover no statement of the fixture;
- speakers: of the covered statements, how many the covering suggestion gives the fixture's
  speaker (a known actor, by id);
- time: `suggest` (rules, actor lookup, recorded spans) on the article, and the rules alone
  (`find`) on a text of `--words` words made of the article's paragraphs with their names and
  dates varied, median of `--repeat` runs (and min, max).

The rules are news-text rules (api/store/suggestions.py); they are not tuned to this article.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.config import Settings
from api.db.engine import open_database
from api.store import suggestions
from api.store.fixtures import loader
from bench.common import bench_database, say

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures"


def covers(start: int, end: int, low: int, high: int) -> bool:
    """Whether [start, end) overlaps at least half of the statement [low, high)."""
    return 2 * (min(end, high) - max(start, low)) >= high - low


def long_text(text: str, words: int) -> str:
    """About `words` words of news-like text: the article's paragraphs again and again, each
    copy's names and dates varied so that nothing is cached by accident."""
    paragraphs = [part for part in text.split("\n\n") if part.strip()]
    out: list[str] = []
    count, copy = 0, 0
    while count < words:
        for paragraph in paragraphs:
            varied = paragraph.replace("2022", str(1990 + copy % 30)).replace(
                "Lebedev", f"Lebedev{copy}"
            )
            out.append(varied)
            count += len(varied.split())
        copy += 1
    return "\n\n".join(out)


def timed(run: object, repeat: int) -> tuple[float, float, float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        seconds.append(time.perf_counter() - started)
    return min(seconds), statistics.median(seconds), max(seconds)


async def measure(url: str, source: str, repeat: int) -> tuple[list[Any], list[float]]:
    """The suggestions of `source`, and the seconds `suggest` took in each of `repeat` runs."""
    async with open_database(Settings(database_url=url)) as opened:
        found = await suggestions.suggest(opened, source)
        article: list[float] = []
        for _ in range(repeat):
            started = time.perf_counter()
            await suggestions.suggest(opened, source)
            article.append(time.perf_counter() - started)
    return found, article


def main(words: int, repeat: int) -> None:
    [fixture] = loader.read_fixtures([FIXTURE])
    text = fixture.rows["source"][0]["text"]
    statements = fixture.rows["statement"]
    with bench_database(0) as database:
        found, article = asyncio.run(measure(database.url, fixture.source_id, repeat))
    spans = [(item.span.start, item.span.end) for item in found]
    say(f"{len(found)} suggestions on the article ({len(statements)} statements in its fixture)")
    for kind in ("quote", "paraphrase", "report"):
        of_kind = [row for row in statements if row["kind"] == kind]
        covered = [
            row
            for row in of_kind
            if any(covers(start, end, row["span_start"], row["span_end"]) for start, end in spans)
        ]
        say(f"  {kind:<10} covered {len(covered):>2} of {len(of_kind)}")
    noise = [
        item
        for item in found
        if not any(
            covers(item.span.start, item.span.end, row["span_start"], row["span_end"])
            for row in statements
        )
    ]
    say(f"  suggestions covering no statement: {len(noise)} of {len(found)}")
    agree = total = 0
    for row in statements:
        covering = [
            item
            for item in found
            if covers(item.span.start, item.span.end, row["span_start"], row["span_end"])
        ]
        if covering and row["speaker_id"] is not None:
            total += 1
            agree += any(item.speaker and item.speaker.id == row["speaker_id"] for item in covering)
    say(f"  speaker agrees with the fixture on {agree} of {total} covered statements")
    say(
        f"suggest() on the article: {min(article) * 1000:.1f} / "
        f"{statistics.median(article) * 1000:.1f} / {max(article) * 1000:.1f} ms (min/median/max)"
    )
    big = long_text(text, words)
    low, median, high = timed(lambda: suggestions.find(big), repeat)
    say(
        f"find() on {len(big.split()):,} words: {low * 1000:.0f} / {median * 1000:.0f} / "
        f"{high * 1000:.0f} ms (min/median/max), {len(suggestions.find(big))} suggestions"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    main(arguments.words, arguments.repeat)
