"""HTTP validators: one ETag recipe and one `If-None-Match` test for REST and GraphQL."""

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
