"""Full-text search over statements, claims, evidence, events and actors.

Hits come from two tiers, one list: the words found by PostgreSQL's full-text search (the
`search` tsvectors, ranked by `ts_rank_cd`), then, ranked below every one of those, rows
whose words are merely similar, which finds misspellings and transliterations ("Tokaev"
for Tokayev, "largely" in the article's "largelly"). Actors' names are compared by
trigrams (pg_trgm word similarity) always; for the long texts of the other kinds, the
query's words are looked up in the `lexicon` of their words (migration 0017) and the
similar words found there searched as full text, only while full-text search finds fewer
than `FEW` of that kind: similar words are for what the text does not hold.

At a million statements a frequent word matches tens of thousands of rows, and ranking
reads each one's tsvector. So a search ranks at most `RANKED` full-text hits of each kind
(and as many on similar words), the first its index finds (in storage order): below
that many matches the order is exact, as is every page; above it, the pages rank those
exactly and end there, and the total
still counts every match, exactly up to `COUNTED` and by the planner's estimate above
(`total_is_estimate`): a narrower search (a phrase, a speaker, a date, a type) reaches the
rest. The query takes web-search syntax (`"quoted phrase"`, `or`,
`-word`) plus prefixes (`revol*`).

The hits are a virtual entity (`SEARCH`, declared in entities.py): a UNION ALL of one
SELECT per searchable table, paged, filtered and rendered like any list, on every path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.sql import ColumnElement, FromClause

from api import dates
from api.errors import InvalidArgument
from api.store.actors import ACTOR
from api.store.claims import CLAIM
from api.store.events import EVENT
from api.store.evidence import EVIDENCE
from api.store.kit.entity import Entity, Link, by_name
from api.store.kit.filters import Filter, ValueKind, Values, date_match, ref
from api.store.kit.pagination import Sort, Window, float_key, int_key, text_key
from api.store.statements import STATEMENT

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_WORD = re.compile(r"\w+")


class SearchType(StrEnum):
    """What a search hit is."""

    STATEMENT = "statement"
    CLAIM = "claim"
    EVIDENCE = "evidence"
    EVENT = "event"
    ACTOR = "actor"


class SearchMatch(StrEnum):
    """How a search hit matched."""

    TEXT = "text"
    """Full-text search found the query's words (in any form: "revolutions", "revolution")."""
    SIMILAR = "similar"
    """Only words like the query's (misspelled, transliterated otherwise): ranked below."""


def tsquery(text: str) -> str:
    """Web-search syntax as to_tsquery's: `"colour revolution" or coup -nato revol*` gives
    `colour <-> revolution | coup & !nato & revol:*`. Only word characters pass, so no
    client text is ever read as tsquery syntax; PostgreSQL then stems and drops stop words.
    """
    terms: list[str] = []
    for token in _TOKEN.findall(text):
        if token.lower() == "or":
            if terms and terms[-1] != "|":
                terms.append("|")
            continue
        negated = token.startswith("-") and len(token) > 1
        token = token[1:] if negated else token
        prefix = token.endswith("*")
        words = _WORD.findall(token)
        if not words:
            continue
        term = " <-> ".join(words)
        if len(words) > 1:
            term = f"({term})"
        elif prefix:
            term += ":*"
        if terms and terms[-1] != "|":
            terms.append("&")
        terms.append(f"!{term}" if negated else term)
    while terms and terms[-1] in ("&", "|"):
        terms.pop()
    if not terms:
        raise ValueError("is empty: give words to search for")
    return " ".join(terms)


def similar_words(query: Any) -> Any:
    """The query's words alone (no operators), for trigram similarity."""
    if isinstance(query, str):
        return re.sub(r"[!|&<>():*-]+", " ", query).strip()
    return sa.func.regexp_replace(query, r"[!|&<>():*-]+", " ", "g")


FILTERS = (
    Filter(
        "query",
        ValueKind.TEXT,
        'What to look for: words, "quoted phrases", `or`, `-word` to exclude, `revol*` '
        "for words that begin so",
        prepare=tsquery,
        required=True,
        parameter="q",
    ),
    Filter(
        "types",
        ValueKind.ENUM,
        "Only hits of these types",
        vocabulary=SearchType,
        many=True,
        parameter="type",
    ),
    ref("speaker", "Actor", "Only statements by this speaker"),
    Filter("said_after", ValueKind.DATE, "Only statements said on or after this date"),
    Filter("said_before", ValueKind.DATE, "Only statements said on or before this date"),
    date_match(),
)

SORTS = {
    "rank": Sort(
        "rank",
        (int_key("tier"), float_key("rank"), text_key("type"), text_key("id")),
        "Best hits first: full-text matches by rank, then similar words.",
        descending=True,
    )
}

#: The searched kinds, in the order of SearchType.
SEARCHED: tuple[Entity, ...] = (STATEMENT, CLAIM, EVIDENCE, EVENT, ACTOR)


def _null(type_: Any) -> Any:
    return sa.cast(sa.null(), type_)


#: Similar-word hits are looked for in a long-text table only while full-text search finds
#: fewer than this many rows of it: they are for words the text does not hold (a misspelled
#: or otherwise transliterated name). Actors' names are always compared.
FEW = 50
#: The most hits of one kind a search ranks and pages through (see the module's doc):
#: ranking reads each hit's tsvector.
RANKED = 1_000
#: Totals are counted exactly up to this many hits, and estimated above (counting reads
#: every hit it counts).
COUNTED = 1_000


def _tsquery(words: Any) -> Any:
    """The tsquery, computed once per statement (an InitPlan), not once per row."""
    return sa.select(sa.func.claimgraph_query(words)).scalar_subquery()


def _matches(rows: FromClause, words: Any) -> ColumnElement[bool]:
    return rows.c.search.op("@@", return_type=sa.Boolean)(_tsquery(words))


def _similar_query(words: Any) -> sa.CTE:
    """The tsquery of the words like the query's in the lexicon; NULL (no hit) when no word
    has one. A CTE, so that the lexicon is read once for every kind that uses it (and not at
    all when none does: a CTE is computed when first read)."""
    return sa.select(sa.func.claimgraph_similar(similar_words(words)).label("query")).cte()


def _few(hits: FromClause) -> ColumnElement[bool]:
    """Whether `hits` (a kind's full-text hits that the filters keep) are fewer than FEW
    (reading at most FEW of them)."""
    found = sa.select(sa.literal(1)).select_from(hits).limit(FEW).subquery()
    return sa.select(sa.func.count()).select_from(found).scalar_subquery() < FEW


#: What a hit carries beyond its type, id and title (NULL, of this type, where its kind has
#: no such column).
_CARRIED = {
    "span_start": sa.Integer,
    "span_end": sa.Integer,
    "span_exact": sa.Text,
    "span_prefix": sa.Text,
    "span_suffix": sa.Text,
    "speaker_id": sa.Text,
    "source_id": sa.Text,
    "said_on": sa.Date,
    "said_on_precision": sa.Text,
    "said_until": sa.Date,
}


def _hits(entity: Entity, words: Any, similar: Any, lexicon: sa.CTE) -> list[sa.Select[Any]]:
    """The full-text hits and the similar-word hits of one kind (`similar`: the query's
    words, compared to names; `lexicon`: the words like them, searched in texts)."""
    searched, quote = entity.searched, entity.span
    assert searched is not None
    rows = entity.table.alias()
    span = {
        "span_start": "span_start",
        "span_end": "span_end",
        "span_exact": quote or "",
        "span_prefix": "span_prefix",
        "span_suffix": "span_suffix",
        "source_id": "source_id",
    }
    own = {**(span if quote is not None else {}), **searched.columns}
    columns = [
        sa.literal(entity.name).label("type"),
        rows.c.id.label("id"),
        rows.c[searched.title].label("title"),
        searched.passage(rows).label("passage"),
        *(
            (rows.c[own[name]] if name in own else _null(type_)).label(name)
            for name, type_ in _CARRIED.items()
        ),
        sa.cast(words, sa.Text).label("query"),
    ]
    # Ranks are rounded so that PostgreSQL's and Python's JSON write them alike (cursors).
    found = sa.func.round(
        sa.cast(sa.func.ts_rank_cd(rows.c.search, _tsquery(words)), sa.Numeric), 6
    )
    full_text = sa.select(
        *columns,
        sa.literal(2).label("tier"),
        sa.literal(SearchMatch.TEXT.value).label("match"),
        sa.cast(found, sa.Float).label("rank"),
    ).where(_matches(rows, words))
    if searched.always_similar:
        compared = rows.c[searched.compared]
        likeness = sa.func.word_similarity(similar, compared)
        like = similar.op("<%", return_type=sa.Boolean)(compared)
    else:
        words_like = sa.select(lexicon.c.query).scalar_subquery()
        likeness = sa.func.ts_rank_cd(rows.c.search, words_like)
        like = rows.c.search.op("@@", return_type=sa.Boolean)(words_like)
    similar_rows = sa.select(
        *columns,
        sa.literal(1).label("tier"),
        sa.literal(SearchMatch.SIMILAR.value).label("match"),
        sa.cast(sa.func.round(sa.cast(likeness, sa.Numeric), 6), sa.Float).label("rank"),
    ).where(like, sa.not_(_matches(rows, words)))
    return [full_text, similar_rows]


def _kept(select: sa.Select[Any], values: Values) -> sa.Select[Any]:
    """The rows of `select` (hits of one kind and tier) that the filters keep."""
    part = select.subquery()
    return sa.select(part).where(*conditions(part, values))


def _bound(values: Values) -> Any:
    query = values["query"]
    return sa.literal(query, sa.Text) if isinstance(query, str) else query


def _parts(values: Values, capped: bool) -> list[FromClause]:
    """Each kind's full-text hits and similar-word hits that the filters keep. Similar
    words are looked for in long texts only while that kind's full-text hits are few.

    `capped`: each part is at most RANKED rows, the first its index finds,
    and a CTE: PostgreSQL reads it once for the page, the count and the few-hits rule (a
    frequent word's bitmap of matches is then built once, not three times). Each is read to
    at least COUNTED + 1 rows, so that the count made from them is exact up to COUNTED."""
    bound = _bound(values)
    query = values["query"]
    similar: Any = similar_words(query)  # SQL when the query is (a GraphQL variable)
    if isinstance(query, str):
        similar = sa.literal(similar, sa.Text)
    lexicon = _similar_query(bound)
    parts: list[FromClause] = []
    for entity in SEARCHED:
        text, like = (_kept(select, values) for select in _hits(entity, bound, similar, lexicon))
        assert entity.searched is not None
        if capped:
            text_part: FromClause = text.limit(max(RANKED, COUNTED + 1)).cte()
            if not entity.searched.always_similar:
                like = like.where(_few(text_part))
            parts += [text_part, like.limit(max(RANKED, COUNTED + 1)).cte()]
        else:
            if not entity.searched.always_similar:
                like = like.where(_few(text.subquery()))
            parts += [text.subquery(), like.subquery()]
    return parts


@dataclass(frozen=True)
class _Capped:
    """A search's capped parts and their count (up to COUNTED + 1), as CTEs."""

    values: Values
    parts: list[FromClause]
    count: sa.CTE


#: Those of the last filter values asked for: a page and the summaries beside it (`total`,
#: `total_is_estimate`) are built one after the other from the same values, and share one
#: set of CTEs (each part read once, the hits counted once).
_last: _Capped | None = None


def _capped(values: Values) -> _Capped:
    global _last
    if _last is None or _last.values is not values:
        parts = _parts(values, capped=True)
        ones = [sa.select(sa.literal(1)).select_from(part) for part in parts]
        first = sa.union_all(*ones).limit(COUNTED + 1).subquery()
        count = sa.select(sa.func.count().label("n")).select_from(first).cte()
        _last = _Capped(values, parts, count)
    return _last


def rows(values: Values, window: Window | None = None) -> FromClause:
    """The hits of the query (the filter `query`) that the other filters keep: all of them
    (an export), or with a page's `window` the best of each capped part after the cursor,
    so that a page sorts at most a page of each part."""
    if window is None:
        selects = [sa.select(part) for part in _parts(values, capped=False)]
        return sa.union_all(*selects).subquery()
    pages = []
    for capped in _capped(values).parts:
        # A part holds one row more than it ranks when the count needs it (COUNTED + 1).
        part = sa.select(capped).limit(RANKED).subquery()
        page = sa.select(part)
        if window.after is not None:
            page = page.where(window.sort.after(part, window.after))
        pages.append(page.order_by(*window.sort.order_by(part)).limit(window.limit))
    return sa.union_all(*pages).subquery()


def _counted(values: Values) -> Any:
    """How many hits, exactly up to COUNTED (reading at most one more, from the parts the
    page reads)."""
    return sa.select(_capped(values).count.c.n).scalar_subquery()


def _estimated(values: Values) -> Any:
    """The planner's estimate of the full-text hits (from each tsvector's statistics) of
    the kinds the filters keep. A speaker or a date keeps statements only: their estimate is
    scaled by the share of the first COUNTED statement hits that those filters keep."""
    words = _tsquery(_bound(values))
    narrowed: dict[str, Any] = {}
    if any(name in values for name in STATEMENT_ONLY):
        narrowed = {
            name: values[name] for name in (*STATEMENT_ONLY, "date_match") if name in values
        }
    kinds = [STATEMENT] if narrowed else list(SEARCHED)
    parts: list[Any] = []
    for entity in kinds:
        part: Any = sa.func.claimgraph_estimate(sa.cast(sa.literal(entity.name), REGCLASS), words)
        if "types" in values:
            kept = sa.literal(entity.name) == sa.func.any(values["types"])
            part = sa.case((kept, part), else_=0)
        parts.append(part)
    estimate = sum(parts[1:], parts[0])
    if not narrowed:
        return estimate
    table = STATEMENT.table.alias()
    sample = sa.select(table).where(_matches(table, _bound(values))).limit(COUNTED).subquery()
    share = (
        sa.select(
            sa.cast(sa.func.count().filter(sa.and_(*conditions(sample, narrowed))), sa.Float)
            / sa.func.greatest(sa.func.count(), 1)
        )
        .select_from(sample)
        .scalar_subquery()
    )
    return sa.cast(estimate * share, sa.BigInteger)


def total(values: Values) -> Any:
    """The hits over all pages: exact up to COUNTED, else estimated (never below it)."""
    exact = _counted(values)
    return sa.case(
        (exact <= COUNTED, exact),
        else_=sa.func.greatest(_estimated(values), COUNTED + 1),
    )


def total_is_estimate(values: Values) -> Any:
    """Whether `total` is the planner's estimate (more than COUNTED hits)."""
    return _counted(values) > COUNTED


#: Filters only statements can pass (other kinds have no speaker, no date).
STATEMENT_ONLY = ("speaker", "said_after", "said_before")


def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if "types" in values:
        where.append(row.c.type == sa.func.any(values["types"]))
    if "speaker" in values:
        where.append(row.c.speaker_id == values["speaker"])
    where += dates.in_range(row.c.said_on, row.c.said_until, values, "said_after", "said_before")
    return where


def check(values: Values) -> None:
    dates.check_range(values, "said_after", "said_before")


def snippet(row: FromClause) -> ColumnElement[Any]:
    """The passage's best fragments, hits in <mark> and the rest HTML-escaped: computed for
    the rows of a page only."""
    query = sa.func.claimgraph_query(row.c.query)
    return sa.func.claimgraph_snippet(row.c.passage, query)


def refusal(error: BaseException, field: str = "query") -> InvalidArgument | None:
    """The client's error in a database one: a query with nothing to search for (`field`
    names the query as the client gave it)."""
    found: BaseException | None = error
    while found is not None:
        if getattr(found, "sqlstate", None) == "22023":
            message = str(getattr(found, "message", None) or found).splitlines()[0]
            return InvalidArgument.single(field, message)
        found = getattr(found, "orig", None) or found.__cause__
    return None


SEARCH = Entity(
    name="search",
    type_name="SearchHit",
    noun="search hit",
    path="search",
    fields={
        "type": "What the hit is: a statement, claim, piece of evidence, event or actor.",
        "id": "The slug of what the hit is.",
        "match": "How it matched: on its words (full-text search), or only on words like them "
        "(misspelled, transliterated otherwise), ranked below.",
        "rank": "How well it matches: full-text hits rank above hits on merely similar words.",
        "snippet": "The best fragments of its text: hits wrapped in `<mark>…</mark>`, the rest "
        "HTML-escaped.",
        "span": "For statements and evidence: the quoted passage.",
        "title": "The statement's or claim's text, the evidence's summary, the event's title, "
        "or the actor's name.",
        "said_on": "When a statement was said: the first day of the period "
        "`said_on_precision` names.",
        "said_on_precision": "How much of a statement's `said_on` is known.",
        "total": f"How many hits the whole search has, over all pages: exact up to "
        f"{COUNTED:,}, PostgreSQL's estimate above (`total_is_estimate`).",
        "total_is_estimate": f"Whether `total` is an estimate: true above {COUNTED:,} hits.",
    },
    sorts=SORTS,
    default_sort="rank",
    filters=FILTERS,
    conditions=conditions,
    check=check,
    span="span_exact",
    computed={"snippet": snippet},
    source=rows,
    counted=total,
    summaries={"total": total, "total_is_estimate": total_is_estimate},
    links=by_name(
        Link("speaker", "speaker_id", "actor", "A statement's speaker."),
        Link("source", "source_id", "source", "Where a statement or evidence is found."),
    ),
)
