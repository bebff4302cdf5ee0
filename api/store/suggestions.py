"""Suggested quotes: candidate statements in a source's text, for an analyst to accept.

Rules, not a model (deterministic, nothing downloaded, linear in the text's length):

- **Quotation marks**: a passage between double quotes (straight `"`, curly “ ”), or
  between single curly quotes (U+2018, U+2019) outside any double quote, of at least three words
  (shorter ones are usually terms the writer marks, not statements). Nested single quotes
  stay part of their passage. An ellipsis inside a quotation marks a cut: each part is its
  own suggestion. A quotation broken by an attribution (`"…," he said, "…"`) is two
  suggestions with the one speaker.
- **Reporting verb**: a sentence that holds a reporting verb (said, told, stated, claimed,
  called, according to, accused, …) is a paraphrase, unless it only attributes the
  quotations it holds.

Each suggestion comes with its exact span (offsets of the stored text, so that accepting it
writes a statement the database verifies), a guessed speaker (the name attributed next to
it, or the nearest attributed one before it in the paragraph; a known actor when one has a
similar name, else the name as written, marked new by a null id), a guessed date (the one
written nearest to it in its sentence, else in the sentences before it in its paragraph,
with its precision), the reason, and whether the passage is already recorded (a statement
or a piece of evidence of the source overlaps half of it or more). Nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import Field

from api.db.engine import Database
from api.errors import NotFound
from api.store.kit.representations import PASSAGE, Offsets, Representation
from api.vocabulary import Precision, StatementKind

#: Fewer words than this between quotation marks: a term, not a statement.
MIN_WORDS = 3
#: A sentence with quotations and at most this many words around them only attributes them
#: (`"…," Jane Doe said on 3 March 2021.`); with more, it also reports in its own words.
ATTRIBUTION_WORDS = 8

_VERBS = (
    r"said|says|say|told|tells|stated|states|claimed|claims|called|calls|accused|accuses|"
    r"reported|reports|warned|warns|argued|argues|insisted|insists|denied|denies|added|"
    r"noted|notes|stressed|stresses|explained|announced|declared|asserted|alleged|alleges|"
    r"suggested|suggests|implied|implies|wrote|writes|tweeted|posted|admitted|acknowledged|"
    r"confirmed|believed|believes|expressed|highlighted|pointed (?:out|to)|compared|"
    r"according to"
)
#: Lower case: `States` in `United States` is no verb (a sentence may open with `According`).
_VERB = re.compile(rf"\b(?:{_VERBS}|According to)\b")
#: Quotations, each with its opening and closing marks: double (straight or curly), or single
#: curly (a closing ’ followed by a letter is an apostrophe, not the end).
_DOUBLE = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')
_SINGLE = re.compile(r"(?<!\w)‘((?:[^’\n]|’(?=\w))+)’(?!\w)")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘(]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n")
_NAME = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:(?:of|de|van|von|al|bin)\s+)?[A-Z][\w’'.-]*)*")
#: Names that point back to someone named before: a pronoun, or a role in lower case
#: (`the president`, `the spokesman`).
_PRONOUN = re.compile(r"^(?:he|she|they|it|we|i|[a-z]+(?: [a-z]+)?)$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_NUMBER = {name: index for index, name in enumerate(_MONTHS.split("|"), start=1)}
_DAY = Precision.DAY
#: A date found, with how much of it the text gives.
Dated = tuple[date, Precision]
_DATES: tuple[tuple[re.Pattern[str], Precision], ...] = (
    (
        re.compile(rf"\b(?P<day>\d{{1,2}}) (?P<month>{_MONTHS}),? (?P<year>\d{{4}})\b"),
        Precision.DAY,
    ),
    (
        re.compile(rf"\b(?P<month>{_MONTHS}) (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})\b"),
        Precision.DAY,
    ),
    (re.compile(rf"\b(?P<month>{_MONTHS}),? (?P<year>\d{{4}})\b"), Precision.MONTH),
    (re.compile(r"\bin (?P<year>(?:19|20)\d{2})\b"), Precision.YEAR),
)


class SuggestedSpeaker(Representation):
    """Who a suggestion's words seem to be by."""

    name: str = Field(description="The name as written in the text, or the actor's.")
    id: str | None = Field(
        description="The known actor of a similar name; null for a name no actor has (new)."
    )


class Suggestion(Representation):
    """A passage of a source that reads like a statement: proposed, not stored."""

    span: Offsets = Field(description=PASSAGE)
    text: str = Field(description="The passage, exactly `source.text[start:end]`.")
    kind: StatementKind = Field(
        description="`quote` for words in quotation marks, `paraphrase` for reported speech."
    )
    speaker: SuggestedSpeaker | None = Field(
        description="The guessed speaker: the name attributed nearest to the passage."
    )
    date: str | None = Field(
        description="The guessed date, written nearest to the passage: `2022`, `2022-01` or "
        "`2022-01-10`; null if none."
    )
    precision: Precision = Field(description="How much of `date` is known.")
    reason: Literal["quotation marks", "reporting verb"] = Field(
        description="Why the passage is suggested."
    )
    recorded: bool = Field(
        description="Whether a statement or evidence of the source already covers half of it "
        "or more."
    )


@dataclass
class _Found:
    """A passage found, before its speaker is known by id."""

    start: int
    end: int
    kind: StatementKind
    reason: Literal["quotation marks", "reporting verb"]
    date: Dated | None
    paragraph: int
    sentence: int
    #: Who may have said it, likeliest first (names as written).
    names: list[str] = field(default_factory=list)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding blanks and a trailing comma, semicolon or colon (the
    punctuation that ties a quotation to its attribution)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _words(text: str) -> int:
    return len(text.split())


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for gap in _PARAGRAPH.finditer(text):
        yield start, gap.start()
        start = gap.end()
    yield start, len(text)


def _sentences(
    text: str, start: int, end: int, quotations: Sequence[tuple[int, int, int, int]] = ()
) -> list[tuple[int, int]]:
    """The sentences of [start, end): a quotation of several sentences stays in one."""
    found, at = [], start
    for boundary in _SENTENCE_END.finditer(text, start, end):
        if any(low < boundary.start() < high - 1 for low, _, _, high in quotations):
            continue
        found.append((at, boundary.start()))
        at = boundary.end()
    found.append((at, end))
    return [(low, high) for low, high in found if text[low:high].strip()]


def _quotations(text: str, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(outer start, inner start, inner end, outer end) of each quotation in the range."""
    found = [
        (match.start(), match.start() + 1, match.end() - 1, match.end())
        for match in _DOUBLE.finditer(text, start, end)
    ]
    for match in _SINGLE.finditer(text, start, end):
        if not any(low <= match.start() < high for low, _, _, high in found):
            found.append((match.start(), match.start() + 1, match.end() - 1, match.end()))
    return sorted(found)


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_DATED = re.compile(rf"^(?:on|in)\s+(?:\d{{1,2}}\s+)?(?:{_MONTHS})?\s*\d{{0,4}},?\s+", re.I)


def _subject(clause: str) -> list[str]:
    """Who a clause ending at its reporting verb names, likeliest first: a name of two
    capitalised words or more nearest the verb (`Pepe Escobar` in `Brazilian journalist Pepe
    Escobar`), and it without the titles before it; then the whole clause when it is short
    (`Western diplomats and analysts`) and each of the several it names; then a single
    capitalised word. An apposition is cut (`Melinda Haring, deputy director of…`)."""
    clause = _DATED.sub("", clause.strip(" ,.;:")).split(",")[0].strip()
    names = [match.group().strip(" .") for match in _NAME.finditer(clause)]
    # A long name, then itself without the titles before it (`President Xi Jinping`,
    # `Xi Jinping`, `Jinping`).
    candidates = [
        " ".join(name.split()[start:])
        for name in reversed(names)
        if len(name.split()) > 1
        for start in range(len(name.split()))
    ]
    short = _ARTICLE.sub("", clause)
    if short and len(short.split()) <= 8:
        candidates.append(short)
        # Each of several named together (`Russian officials and pro-Kremlin media`).
        candidates += [_ARTICLE.sub("", part.strip()) for part in re.split(r",| and ", short)]
    candidates += [name for name in reversed(names) if len(name.split()) == 1]
    return list(dict.fromkeys(candidate for candidate in candidates if candidate))


def _object(clause: str) -> list[str]:
    """Who `according to` names: the words after it, up to a comma or the end."""
    return _subject(clause.split(",")[0].strip(" ."))


def _attribution(text: str, low: int, high: int, sentence: tuple[int, int]) -> list[str]:
    """Who a quotation at [low, high) is attributed to: after it, in the rest of its
    sentence (`," Lebedev said` / `, said Lebedev`), else before it (`Lebedev said: "`)."""
    after = text[high : sentence[1]]
    verb = _VERB.search(after)
    if verb is not None and verb.start() <= 120:
        clause = after[: verb.start()]
        names = _subject(clause if clause.strip(" ,") else after[verb.end() :].split(",")[0])
        if names and not _PRONOUN.match(names[0]):
            return names
    # Before it, from the end of the quotation before it in the sentence, if any.
    opened = max(
        (match.end() for match in _DOUBLE.finditer(text, sentence[0], low)), default=sentence[0]
    )
    before = text[opened:low]
    verbs = list(_VERB.finditer(before))
    if verbs:
        last = verbs[-1]
        if last.group().lower() == "according to":
            return _object(before[last.end() :])
        return _subject(before[: last.start()])
    return names if verb is not None and verb.start() <= 120 else []


def _date(text: str, sentence: tuple[int, int], position: int) -> Dated | None:
    """The date written nearest to `position` in the sentence (of dates written within one
    another, `10 January 2022` and its `January 2022`, the most precise)."""
    matches = [
        (match, precision)
        for pattern, precision in _DATES
        for match in pattern.finditer(text, *sentence)
    ]
    best: tuple[int, date, Precision] | None = None
    for match, precision in matches:
        if any(
            other is not match and other.start() <= match.start() and match.end() <= other.end()
            for other, _ in matches
        ):
            continue
        month = _MONTH_NUMBER.get(match.groupdict().get("month") or "", 1)
        day = int(match.groupdict().get("day") or 1)
        try:
            found = date(int(match.group("year")), month, day)
        except ValueError:
            continue
        distance = abs(match.start() - position)
        if best is None or distance < best[0]:
            best = (distance, found, precision)
    return None if best is None else (best[1], best[2])


def _sentence_of(sentences: Sequence[tuple[int, int]], position: int) -> int:
    return next(index for index, (low, high) in enumerate(sentences) if low <= position <= high)


def find(text: str) -> list[_Found]:
    """Every passage of `text` that reads like a statement, in reading order."""
    found: list[_Found] = []
    for paragraph, (p_start, p_end) in enumerate(_paragraphs(text)):
        quotations = [
            quotation
            for quotation in _quotations(text, p_start, p_end)
            if _words(text[quotation[1] : quotation[2]]) >= MIN_WORDS
        ]
        sentences = _sentences(text, p_start, p_end, quotations)
        dates = [_date(text, sentence, sentence[0]) for sentence in sentences]
        here: list[_Found] = []
        for low, inner_start, inner_end, high in quotations:
            opening = sentences[_sentence_of(sentences, low)]
            closing = sentences[_sentence_of(sentences, high)]
            names = _attribution(text, low, high, (opening[0], closing[1]))
            at = inner_start
            for cut in [*_ELLIPSIS.finditer(text, inner_start, inner_end), None]:
                part_end = inner_end if cut is None else cut.start()
                start, end = _trimmed(text, at, part_end)
                at = inner_end if cut is None else cut.end()
                if _words(text[start:end]) < MIN_WORDS:
                    continue
                index = _sentence_of(sentences, start)
                here.append(
                    _Found(
                        start,
                        end,
                        StatementKind.QUOTE,
                        "quotation marks",
                        _date(text, sentences[index], start) or _earlier(dates, index),
                        paragraph,
                        index,
                        names=names,
                    )
                )
        for index, sentence in enumerate(sentences):
            inside = [q for q in quotations if q[0] < sentence[1] and sentence[0] < q[3]]
            outside = text[sentence[0] : sentence[1]]
            for low, _, _, high in sorted(inside, reverse=True):
                outside = outside[: max(0, low - sentence[0])] + outside[high - sentence[0] :]
            if inside and _words(outside) <= ATTRIBUTION_WORDS:
                continue  # its quotations and their attribution: the quotations are suggested
            start, end = _trimmed(text, *sentence)
            verb = _VERB.search(text, start, end)
            if verb is None:
                continue
            if verb.group().lower() == "according to":
                names = _object(text[verb.end() : end])
            else:
                names = _subject(text[start : verb.start()])
            here.append(
                _Found(
                    start,
                    end,
                    StatementKind.PARAPHRASE,
                    "reporting verb",
                    _date(text, sentence, start) or _earlier(dates, index),
                    paragraph,
                    index,
                    names=names,
                )
            )
        found += sorted(here, key=lambda item: item.start)
    _carry_speakers(found)
    return found


def _earlier(dates: Sequence[Dated | None], index: int) -> Dated | None:
    """The date written in the nearest sentence before `index` that has one."""
    return next((found for found in reversed(dates[:index]) if found is not None), None)


def _carry_speakers(found: list[_Found]) -> None:
    """A passage attributed to no one, or to a pronoun, is by the nearest speaker named
    before it in its paragraph."""
    last: dict[int, list[str]] = {}
    for item in found:
        if not item.names or _PRONOUN.match(item.names[0]):
            item.names = last.get(item.paragraph, [])
        else:
            last[item.paragraph] = item.names


#: The known actor most like each name (a candidate's words found in its name or aliases),
#: through the trigram index on names: its cost follows the names asked, not the actors.
_ACTORS = """
SELECT q.name AS asked, a.id, a.name
FROM unnest($1::text[]) AS q(name)
CROSS JOIN LATERAL (
    SELECT id, name FROM actor WHERE q.name <% names
    ORDER BY word_similarity(q.name, names) DESC, id
    LIMIT 1
) AS a
"""

_RECORDED = """
SELECT span_start, span_end FROM statement WHERE source_id = $1
UNION ALL
SELECT span_start, span_end FROM evidence WHERE source_id = $1
"""


def _recorded(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a recorded span overlaps half of [start, end) or more, or half of itself."""
    for low, high in spans:
        overlap = min(end, high) - max(start, low)
        if overlap > 0 and (2 * overlap >= end - start or 2 * overlap >= high - low):
            return True
    return False


async def suggest(database: Database, source: str) -> list[Suggestion]:
    """The suggested statements of a source's text; NotFound if there is no such source."""
    pool = await database.driver_pool()
    text = await pool.fetchval("SELECT text FROM source WHERE id = $1", source)
    if text is None:
        raise NotFound("source", source)
    found = find(text)
    names = sorted({name for item in found for name in item.names})
    actors: dict[str, tuple[str, str]] = {}
    for row in await pool.fetch(_ACTORS, names):
        actors[row["asked"]] = (row["id"], row["name"])
    spans = [(row["span_start"], row["span_end"]) for row in await pool.fetch(_RECORDED, source)]
    suggestions = []
    for item in found:
        speaker = _speaker(item.names, actors)
        shown, precision = _shown(item.date)
        suggestions.append(
            Suggestion(
                span=Offsets(start=item.start, end=item.end),
                text=text[item.start : item.end],
                kind=item.kind,
                speaker=speaker,
                date=shown,
                precision=precision,
                reason=item.reason,
                recorded=_recorded(item.start, item.end, spans),
            )
        )
    return suggestions


def _speaker(names: Sequence[str], actors: dict[str, tuple[str, str]]) -> SuggestedSpeaker | None:
    """The first candidate name a known actor has, else the likeliest name as written."""
    for name in names:
        if name in actors:
            id, known = actors[name]
            return SuggestedSpeaker(name=known, id=id)
    return SuggestedSpeaker(name=names[0], id=None) if names else None


def _shown(found: Dated | None) -> tuple[str | None, Precision]:
    if found is None:
        return None, Precision.UNKNOWN
    day, precision = found
    return day.isoformat()[: {Precision.YEAR: 4, Precision.MONTH: 7}.get(precision, 10)], precision
