"""Content negotiation: which of an operation's media types an `Accept` header prefers.

RFC 9110 §12.5.1: each offered type takes the quality of the most specific media range
that matches it (`text/csv` over `text/*` over `*/*`); the highest quality above zero wins,
and among equals the server's order (JSON first). Parameters of a range other than `q` are
not compared: `text/csv; header=present` asks for CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    quality: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, type: str, subtype: str) -> bool:
        return self.type in ("*", type) and self.subtype in ("*", subtype)


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def _ranges(accept: str) -> list[_Range]:
    ranges = []
    for item in accept.split(","):
        media_range, *parameters = (part.strip() for part in item.split(";"))
        type, slash, subtype = media_range.lower().partition("/")
        if slash and type and subtype:
            ranges.append(_Range(type, subtype, _quality(parameters)))
    return ranges


def preferred(accept: str | None, offered: Sequence[str]) -> str | None:
    """The one of `offered` (media types, maybe with parameters) that `accept` prefers, or
    None if it admits none. No header, or an empty one, admits anything: the first."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = _ranges(accept)
    best, best_quality = None, 0.0
    for media_type in offered:
        type, _, subtype = media_type.split(";")[0].strip().lower().partition("/")
        matching = [item for item in ranges if item.matches(type, subtype)]
        if not matching:
            continue
        quality = max(matching, key=lambda item: item.specificity).quality
        if quality > best_quality:
            best, best_quality = media_type, quality
    return best
