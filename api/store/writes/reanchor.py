"""Re-anchoring: when a source's text changes, find every quote again by its exact text and
context (a W3C TextQuoteSelector: `exact`, with 32 characters of `prefix` and `suffix`).

A quote found once is where it is. Found several times, the occurrence whose surroundings
match the stored prefix and suffix best wins; a tie is ambiguous. A quote not found, or
ambiguous, is lost: then nothing changes (`ReanchorFailed` lists every lost quote). The new
offsets are written to every span, moved or not, so that the span trigger refreshes each
stored prefix and suffix from the new text (the commit-time check of migration 0012 insists).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from api.db.models import SPANNED, TABLES
from api.errors import LostQuote, ReanchorFailed
from api.store.kit.representations import MovedSpan
from api.store.spans import Span, occurrences
from api.store.writes.transaction import Tx


@dataclass(frozen=True)
class Anchor:
    """One span into the source: where it was, and where the new text has it."""

    entity: str
    id: str
    quote: str
    before: Span
    after: Span

    @property
    def moved(self) -> bool:
        return self.before != self.after

    def moved_span(self) -> MovedSpan:
        """As a client reads it."""
        return MovedSpan(
            entity=self.entity,
            id=self.id,
            exact=self.quote,
            start_before=self.before.start,
            end_before=self.before.end,
            start=self.after.start,
            end=self.after.end,
        )


def _common_tail(left: str, right: str) -> int:
    count = 0
    for a, b in zip(reversed(left), reversed(right), strict=False):
        if a != b:
            break
        count += 1
    return count


def _common_head(left: str, right: str) -> int:
    count = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        count += 1
    return count


def anchor(text: str, exact: str, prefix: str, suffix: str) -> Span | str:
    """Where `exact` is in `text`, or why it cannot be placed."""
    starts = occurrences(text, exact)
    if not starts:
        return "its quote is no longer in the text"
    if len(starts) == 1:
        return Span(starts[0], starts[0] + len(exact))

    def fit(start: int) -> int:
        end = start + len(exact)
        before = text[max(start - len(prefix), 0) : start]
        return _common_tail(before, prefix) + _common_head(text[end : end + len(suffix)], suffix)

    ranked = sorted(((fit(start), start) for start in starts), reverse=True)
    if ranked[0][0] == ranked[1][0]:
        return f"its quote appears {len(starts)} times and its context does not tell which"
    start = ranked[0][1]
    return Span(start, start + len(exact))


async def plan(tx: Tx, source: str, text: str) -> list[Anchor]:
    """Every span into `source`, placed in `text`; ReanchorFailed if any is lost. The spans
    are locked until the transaction ends."""
    anchors: list[Anchor] = []
    lost: list[LostQuote] = []
    for entity, column in SPANNED.items():
        table = TABLES[entity]
        rows = await tx.session.execute(
            sa.select(
                table.c.id,
                table.c[column],
                table.c.span_start,
                table.c.span_end,
                table.c.span_prefix,
                table.c.span_suffix,
            )
            .where(table.c.source_id == source)
            .order_by(table.c.id)
            .with_for_update()
        )
        for id, quote, start, end, prefix, suffix in rows:
            found = anchor(text, quote, prefix or "", suffix or "")
            if isinstance(found, str):
                lost.append(LostQuote(entity, id, quote, found))
            else:
                anchors.append(Anchor(entity, id, quote, Span(start, end), found))
    if lost:
        raise ReanchorFailed(source, lost)
    return anchors


async def apply(tx: Tx, anchors: list[Anchor]) -> list[Anchor]:
    """Write every span's new offsets (after the source's new text); the moved ones."""
    for item in anchors:
        before = await tx.json(item.entity, item.id)
        assert before is not None
        await tx.update(
            item.entity,
            item.id,
            {"span_start": item.after.start, "span_end": item.after.end},
            before,
        )
    return [item for item in anchors if item.moved]
