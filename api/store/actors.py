"""Actors: who speaks or acts, and their affiliations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api.store.kit.filters import Filter, Kind, Values, contains_pattern, vocabulary
from api.store.kit.pagination import Sort, by_id, text_key
from api.vocabulary import ActorKind

SORTS = {
    **by_id(),
    "name": Sort("name", (text_key("name"), text_key("id")), "By name."),
}
FILTERS = (
    vocabulary("kind", ActorKind, "Person, organization, state, group or media"),
    Filter("country", Kind.COUNTRY, "ISO 3166-1 alpha-2 code", prepare=str.upper),
    Filter(
        "q",
        Kind.TEXT,
        "Case-insensitive text within the name or an alias",
        prepare=contains_pattern,
    ),
)


def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if "kind" in values:
        where.append(row.c.kind == values["kind"])
    if "country" in values:
        where.append(row.c.country == values["country"])
    if "q" in values:
        pattern = values["q"]
        alias = sa.func.unnest(row.c.aliases).table_valued("alias").render_derived()
        where.append(
            sa.or_(
                row.c.name.ilike(pattern),
                sa.exists(sa.select(1).select_from(alias).where(alias.c.alias.ilike(pattern))),
            )
        )
    return where


AFFILIATION_SORTS = by_id()
