"""HTTP validators: one ETag recipe, and the `If-None-Match` and `If-Match` tests.

A resource's strong ETag is a hash of its representation, which holds the record's `version`:
it changes on every write to the record (the version trigger bumps it) and whenever anything
else the representation shows changes (a linked name, a stance). A write's `If-Match` is
compared with the ETag of the representation as it stands inside the write's transaction,
with the row locked, by the same recipe: what GET served is what PATCH and DELETE check.
"""

from __future__ import annotations

import hashlib


def etag(body: bytes, *, weak: bool) -> str:
    """A hash of the representation: it changes whenever any byte served would change."""
    digest = hashlib.blake2b(body, digest_size=16).hexdigest()
    return f'W/"{digest}"' if weak else f'"{digest}"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks for GET)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = tag.removeprefix("W/")
    return any(
        candidate.strip().removeprefix("W/") == opaque for candidate in if_none_match.split(",")
    )


def if_match(header: str, tag: str) -> bool:
    """Whether `If-Match` admits `tag`: strong comparison (RFC 9110 13.1.1), so a weak
    validator never matches; `*` matches any current representation."""
    if header.strip() == "*":
        return True
    if tag.startswith("W/"):
        return False
    return any(candidate.strip() == tag for candidate in header.split(","))
