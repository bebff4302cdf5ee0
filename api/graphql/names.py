"""GraphQL's names for what the store names in snake_case: fields, and the fields a
description mentions (`said_on_precision` reads `saidOnPrecision` in GraphQL)."""

from __future__ import annotations

import re

_MENTION = re.compile(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`")


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def described(text: str | None) -> str | None:
    """A declared description as GraphQL shows it: the fields it mentions camelCased."""
    if text is None:
        return None
    return _MENTION.sub(lambda found: f"`{camel(found.group(1))}`", text)
