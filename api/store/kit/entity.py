"""What a kind of record is, declared once: the registry that REST, GraphQL and SQL all read.

An `Entity` names its table, says what each of its fields means (`fields`: the one place a
field's description is written; REST's schemas, GraphQL's types and the write documents take
it from here), how its lists are ordered and narrowed, what it links to (`Link`: one row
named by a column) and what lists it has (`Relation`: the rows of another entity that name
it), which objects its rows hold in their own columns (`Embedded`: a span, a place), how it
is written (`Form`, api/store/writes/forms.py) and how it is searched (`Searched`).

Each kind is declared in its own module (api/store/statements.py, ...); api/store/entities.py
registers them all, after which links and relations find their targets by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api.db.models import TABLES
from api.store.kit.filters import Check, Conditions, Filter, Values, no_check, no_conditions
from api.store.kit.objects import Embedded, span_of
from api.store.kit.pagination import Sort, Window, by_id

if TYPE_CHECKING:
    from api.store.writes.forms import Form

LinkOrRelation = TypeVar("LinkOrRelation", "Link", "Relation")

#: Every registered entity by name (api/store/entities.py registers them).
_REGISTERED: dict[str, Entity] = {}

#: What the fields every record has mean; `{noun}` and `{path}` name the entity.
COMMON = {
    "id": "The {noun}'s slug, as in `/v1/{path}/{{id}}`.",
    "version": "Bumped on every change to the record; a write's `If-Match` (REST) or "
    "`expectedVersion` (GraphQL) must name the version read.",
    "created_at": "When the record was created.",
    "updated_at": "When the record last changed.",
}


@dataclass(frozen=True)
class Link:
    """One row of the entity named `target`, named by this row's `column` (NULL: none)."""

    name: str
    column: str
    target_name: str
    description: str

    @property
    def target(self) -> Entity:
        return _REGISTERED[self.target_name]


@dataclass(frozen=True)
class Relation:
    """The rows of the entity `child_name` whose `parent_column` names the parent, narrowed
    by `fixed` filter values; `arguments` are the child's filters a client may give one by
    one, and with `filterable` it may give all of them (and a sort), as on the child's own
    list."""

    name: str
    child_name: str
    parent_column: str
    description: str
    fixed: Values = field(default_factory=dict)
    arguments: tuple[str, ...] = ()
    filterable: bool = False

    @property
    def child(self) -> Entity:
        return _REGISTERED[self.child_name]


@dataclass(frozen=True, kw_only=True)
class Searched:
    """How full-text search reads an entity: the `passage` its snippets are cut from, the
    column a hit's `title` is, the column compared for similar words (`compared`), and
    `columns`: what else a hit carries of this kind (a statement's speaker and date), by
    the hit's column. Similar-word hits of long texts are looked for only while full-text
    search finds few; `always_similar` kinds (names) are always compared."""

    passage: Callable[[FromClause], ColumnElement[Any]]
    title: str
    compared: str
    columns: Mapping[str, str] = field(default_factory=dict)
    always_similar: bool = False


@dataclass(frozen=True, kw_only=True, eq=False)
class Entity:
    """A kind of record: `name` is its word in errors and its table, `type_name` its GraphQL
    type, `noun` what it is called (`event participant`; `plural`: more than one), `one` how
    a sentence names one record (`a piece of evidence`), `path` its REST collection.
    `fields` describes its columns and computed values by field name. `span` names the column
    holding its verbatim quote, if it has a span. A virtual entity (search hits, timeline
    entries) has rows made by `source` for given filter values instead of a table."""

    name: str
    type_name: str
    noun: str = ""
    plural: str = ""
    one: str = ""
    path: str = ""
    fields: Mapping[str, str] = field(default_factory=dict, repr=False)
    sorts: Mapping[str, Sort] = field(default_factory=by_id)
    default_sort: str = "id"
    filters: tuple[Filter, ...] = ()
    conditions: Conditions = no_conditions
    check: Check = no_check
    span: str | None = None
    #: Values computed from a row, by field name (counts, a search hit's snippet).
    computed: Mapping[str, Callable[[FromClause], Any]] = field(default_factory=dict, repr=False)
    #: Values computed over a whole list (narrowed by its filters), by field name: the
    #: timeline's count of undated items it leaves out.
    summaries: Mapping[str, Callable[[Values], Any]] = field(default_factory=dict, repr=False)
    source: Callable[[Values, Window | None], FromClause] | None = None
    #: How the whole list is counted when counting every row would read too many (search:
    #: exactly up to a cap, estimated above); None: every row is counted.
    counted: Callable[[Values], Any] | None = field(default=None, repr=False)
    links: dict[str, Link] = field(default_factory=dict, repr=False)
    relations: dict[str, Relation] = field(default_factory=dict, repr=False)
    form: Form | None = field(default=None, repr=False)
    searched: Searched | None = field(default=None, repr=False)
    #: The column a person names one of its records by (a name, a title), for suggesting
    #: records to a client who names one that does not exist.
    named_by: str | None = None

    def __post_init__(self) -> None:
        noun = self.noun or self.name.replace("_", " ")
        object.__setattr__(self, "noun", noun)
        object.__setattr__(self, "one", self.one or ("an " if noun[0] in "aeiou" else "a ") + noun)
        object.__setattr__(self, "plural", self.plural or f"{noun}s")
        object.__setattr__(self, "path", self.path or self.plural.replace(" ", "-"))

    @property
    def table(self) -> sa.Table:
        return TABLES[self.name]

    @property
    def is_node(self) -> bool:
        """Whether its rows are GraphQL nodes (with global ids): a table's rows are."""
        return self.source is None

    @property
    def embedded(self) -> dict[str, Embedded]:
        """The objects its rows hold in their own columns: its span, and those its documents
        write there (an event's place)."""
        found = {} if self.span is None else {"span": span_of(self.span)}
        return {**found, **(self.form.objects if self.form is not None else {})}

    def describe(self, name: str) -> str | None:
        """What the field `name` means, as declared (a link, a list, a field of its own, or
        one that every record has); None if nothing is declared."""
        found = self.links.get(name) or self.relations.get(name)
        if found is not None:
            return found.description
        if name in self.fields:
            return self.fields[name]
        if name in COMMON and self.is_node:
            return COMMON[name].format(noun=self.noun, path=self.path)
        return None

    def rows(self, values: Values, window: Window | None = None) -> FromClause:
        """A fresh row source: an alias of the table, or the virtual entity's rows (which
        may use the `window` of a page to read no more of each part than the page needs)."""
        return self.table.alias() if self.source is None else self.source(values, window)

    def where(self, rows: FromClause, values: Values) -> list[ColumnElement[bool]]:
        """The filters' conditions over `rows` from `rows(values)`. A virtual entity's rows
        come filtered (each part of its union is, so that it can use its own indexes);
        a table's are not."""
        return [] if self.source is not None else list(self.conditions(rows, values))

    def filter(self, name: str) -> Filter:
        return next(item for item in self.filters if item.name == name)


def by_name(*items: LinkOrRelation) -> dict[str, LinkOrRelation]:
    return {item.name: item for item in items}


def registered(*, type_name: str) -> Entity:
    """The registered entity whose GraphQL type is `type_name`."""
    return next(entity for entity in _REGISTERED.values() if entity.type_name == type_name)


def register(*entities: Entity) -> dict[str, Entity]:
    """Make the entities known by name (links and relations find their targets so), and
    check that every link and relation names a registered entity."""
    for entity in entities:
        _REGISTERED[entity.name] = entity
    for entity in entities:
        for link in entity.links.values():
            assert link.target_name in _REGISTERED, link
        for relation in entity.relations.values():
            assert relation.child_name in _REGISTERED, relation
    return {entity.name: entity for entity in entities}
