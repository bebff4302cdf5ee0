"""Ids in GraphQL arguments: a Relay global id (from a node's `id`) or a plain slug."""

from __future__ import annotations

import re

from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from api.errors import ClaimgraphError, InvalidArgument
from api.vocabulary import ID_PATTERN

_SLUG = re.compile(ID_PATTERN)


class BadGlobalId(ClaimgraphError):
    """Raised when a global id names another type than the argument wants, or no type at all."""

    code = "BAD_GLOBAL_ID"


def to_slug(value: str, type_name: str, argument: str = "id") -> str:
    """The slug behind `value`: decoded if it is a global id of `type_name`, else itself.

    Slugs never decode as global ids (they have no `Type:` prefix once decoded), so both
    forms are accepted without ambiguity; a global id of another type is refused.
    """
    if "\x00" in value:
        raise InvalidArgument.single(argument, "contains a NUL character")
    if _SLUG.match(value):
        return value  # lower case only: no global id of ours (base64 of "Type:...") is one
    try:
        global_id = relay.GlobalID.from_id(value)
    except GlobalIDValueError:
        return value
    if global_id.type_name != type_name:
        raise BadGlobalId(
            f"{argument}: {value!r} is the global id of a {global_id.type_name}, "
            f"not of a {type_name}"
        )
    return global_id.node_id


def text(value: str | None, argument: str) -> str | None:
    """A free-text argument, refused if it holds a NUL (PostgreSQL cannot store one)."""
    if value is not None and "\x00" in value:
        raise InvalidArgument.single(argument, "contains a NUL character")
    return value
