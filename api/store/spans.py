"""Spans: where a quote sits in its source, and how it is served.

Offsets count Unicode code points of the stored text (Python `str` indices and PostgreSQL
`substr` agree on that). A span is served as a W3C Web Annotation TextPositionSelector
(`start`, `end`) plus a TextQuoteSelector (`exact`, `prefix`, `suffix`), so that a client can
re-anchor the quote even if offsets drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.errors import SpanMismatch

CONTEXT = 32


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def occurrences(text: str, quote: str) -> list[int]:
    """Every offset at which `quote` starts in `text`, overlapping ones included."""
    found: list[int] = []
    at = text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def locate(text: str, quote: str, occurrence: int | None = None) -> Span:
    """The span of `quote` in `text`; `occurrence` (1-based) picks one where it repeats."""
    if not quote:
        raise SpanMismatch("the quote is empty", quote)
    starts = occurrences(text, quote)
    if not starts:
        raise SpanMismatch(f"not found verbatim in the source text: {quote!r}", quote)
    if occurrence is None:
        if len(starts) > 1:
            raise SpanMismatch(
                f"appears {len(starts)} times in the source text; say which with "
                f"`occurrence: 1..{len(starts)}`: {quote!r}",
                quote,
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise SpanMismatch(
            f"occurrence {occurrence} asked, but the text appears {len(starts)} time(s): {quote!r}",
            quote,
        )
    start = starts[occurrence - 1]
    return Span(start, start + len(quote))


def verify(text: str, quote: str, start: int, end: int) -> None:
    """Refuse a quote that is not exactly `text[start:end]`."""
    if not 0 <= start < end <= len(text) or text[start:end] != quote:
        actual = text[start:end] if 0 <= start < end <= len(text) else ""
        raise SpanMismatch(
            f"quote {quote!r} does not match span [{start}, {end}) of the source, "
            f"which reads {actual!r}",
            quote,
        )
