"""Full-text search over statements, claims, evidence, events and actors.

Hits come from two tiers, one list: the words found by PostgreSQL's full-text search (the
`search` tsvectors, ranked by `ts_rank_cd`), then, ranked below every one of those, rows
whose words are merely similar (pg_trgm word similarity), which finds misspellings and
transliterations ("Tokaev" for Tokayev, "largely" in the article's "largelly"). Actors'
names are always compared; the long texts of the other kinds only while full-text search
finds fewer than `FEW` of that kind, because similar words are for what the text does not
hold, and comparing every candidate is what would make a search over a million statements
slow. The query takes web-search syntax (`"quoted phrase"`, `or`, `-word`) plus prefixes (`revol*`).

The hits are a virtual entity (`SEARCH`, declared in entities.py): a UNION ALL of one
SELECT per searchable table, paged, filtered and rendered like any list, on every path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api import dates
from api.db.models import TABLES
from api.errors import InvalidArgument
from api.store.kit.filters import Filter, Kind, Values, date_match, ref
from api.store.kit.pagination import Sort, Window, float_key, int_key, text_key, union_in_window

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
        Kind.TEXT,
        'What to look for: words, "quoted phrases", `or`, `-word` to exclude, `revol*` '
        "for words that begin so",
        prepare=tsquery,
        required=True,
        parameter="q",
    ),
    Filter(
        "types",
        Kind.ENUM,
        "Only hits of these types",
        vocabulary=SearchType,
        many=True,
        parameter="type",
    ),
    ref("speaker", "Actor", "Only statements by this speaker"),
    Filter("said_after", Kind.DATE, "Only statements said on or after this date"),
    Filter("said_before", Kind.DATE, "Only statements said on or before this date"),
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

#: Per table: (the text a snippet is cut from, the quote its span holds or None, the
#: column compared by trigram similarity).
_SOURCES: dict[str, tuple[Callable[[Any], Any], str | None, str]] = {
    "statement": (lambda t: t.c.text, "text", "text"),
    "claim": (lambda t: sa.func.concat_ws(" — ", t.c.text, t.c.description), None, "text"),
    "evidence": (lambda t: sa.func.concat_ws(" — ", t.c.summary, t.c.quote), "quote", "summary"),
    "event": (lambda t: sa.func.concat_ws(" — ", t.c.title, t.c.description), None, "title"),
    "actor": (lambda t: sa.func.concat_ws(" — ", t.c.names, t.c.description), None, "names"),
}
_TITLES = {"statement": "text", "claim": "text", "evidence": "summary", "event": "title"}


def _null(type_: Any) -> Any:
    return sa.cast(sa.null(), type_)


#: Similar-word hits are looked for in a long-text table only while full-text search finds
#: fewer than this many rows of it: they are for words the text does not hold (a misspelled
#: or otherwise transliterated name), and comparing every candidate's trigrams is what makes
#: a search over a million statements slow. Actors' names are always compared.
FEW = 50


def _tsquery(words: Any) -> Any:
    """The tsquery, computed once per statement (an InitPlan), not once per row."""
    return sa.select(sa.func.claimgraph_query(words)).scalar_subquery()


def _matches(rows: FromClause, words: Any) -> ColumnElement[bool]:
    return rows.c.search.op("@@", return_type=sa.Boolean)(_tsquery(words))


def _few_hits(table: str, words: Any) -> ColumnElement[bool]:
    """Whether full-text search finds fewer than FEW rows of `table` (reading at most FEW)."""
    rows = TABLES[table].alias()
    found = sa.select(sa.literal(1)).select_from(rows).where(_matches(rows, words)).limit(FEW)
    return sa.select(sa.func.count()).select_from(found.subquery()).scalar_subquery() < FEW


def _hits(table: str, words: Any, similar: Any) -> list[sa.Select[Any]]:
    """The full-text hits and the similar-word hits of one table."""
    rows = TABLES[table].alias()
    passage, quote, compared = _SOURCES[table]
    spanned = quote is not None
    statement = table == "statement"
    columns = [
        sa.literal(table).label("type"),
        rows.c.id.label("id"),
        rows.c[_TITLES.get(table, "name")].label("title"),
        passage(rows).label("passage"),
        (rows.c.span_start if spanned else _null(sa.Integer)).label("span_start"),
        (rows.c.span_end if spanned else _null(sa.Integer)).label("span_end"),
        (rows.c[quote] if quote is not None else _null(sa.Text)).label("span_exact"),
        (rows.c.span_prefix if spanned else _null(sa.Text)).label("span_prefix"),
        (rows.c.span_suffix if spanned else _null(sa.Text)).label("span_suffix"),
        (rows.c.speaker_id if statement else _null(sa.Text)).label("speaker_id"),
        (rows.c.source_id if spanned else _null(sa.Text)).label("source_id"),
        (rows.c.said_on if statement else _null(sa.Date)).label("said_on"),
        (rows.c.said_on_precision if statement else _null(sa.Text)).label("said_on_precision"),
        (rows.c.said_until if statement else _null(sa.Date)).label("said_until"),
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
    likeness = sa.func.round(
        sa.cast(sa.func.word_similarity(similar, rows.c[compared]), sa.Numeric), 6
    )
    similar_rows = sa.select(
        *columns,
        sa.literal(1).label("tier"),
        sa.literal(SearchMatch.SIMILAR.value).label("match"),
        sa.cast(likeness, sa.Float).label("rank"),
    ).where(
        similar.op("<%", return_type=sa.Boolean)(rows.c[compared]),
        sa.not_(_matches(rows, words)),
    )
    if table != "actor":
        similar_rows = similar_rows.where(_few_hits(table, words))
    return [full_text, similar_rows]


def rows(values: Values, window: Window | None = None) -> FromClause:
    """The hits of the query (the filter `query`) that the other filters keep; with a page's
    `window`, only the best of each part after the cursor, so that a page sorts at most a
    page from each part rather than every hit."""
    query = values["query"]
    if isinstance(query, str):
        bound: Any = sa.literal(query, sa.Text)
        similar: Any = sa.literal(similar_words(query), sa.Text)
    else:
        bound, similar = query, similar_words(query)
    selects = [select for table in _SOURCES for select in _hits(table, bound, similar)]
    return union_in_window(selects, lambda part: conditions(part, values), window)


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
