"""Suggested statements: each quoting style of news text found with its exact span, reported
speech, the guessed speaker and date, and what is already recorded."""

from __future__ import annotations

import pytest

from api.db.engine import Database
from api.errors import NotFound
from api.store import suggestions
from api.store.suggestions import find
from api.vocabulary import Precision, StatementKind
from tests.conftest import article_text


def found(text: str) -> list[tuple[str, StatementKind, list[str]]]:
    return [(text[item.start : item.end], item.kind, item.names) for item in find(text)]


class TestQuotationMarks:
    def test_straight_quotes_attributed_after_with_a_date(self) -> None:
        text = '"The plan failed completely," Jane Doe said on 3 March 2021.'
        [item] = find(text)
        assert text[item.start : item.end] == "The plan failed completely"
        assert item.names[0] == "Jane Doe"
        assert item.date is not None and item.date[1] is Precision.DAY
        assert item.date[0].isoformat() == "2021-03-03"

    def test_curly_quotes_by_a_role_named_before(self) -> None:
        text = "Tom Brown said the city was ready. “We will not back down,” the mayor said."
        assert [(quote, kind, names[0]) for quote, kind, names in found(text)] == [
            ("Tom Brown said the city was ready.", StatementKind.PARAPHRASE, "Tom Brown"),
            ("We will not back down", StatementKind.QUOTE, "Tom Brown"),
        ]

    def test_nested_single_quotes_stay_in_the_passage(self) -> None:
        text = "\"They call it a 'peaceful transition' but it is not,\" Ana Lima said."
        [(quote, _, names)] = found(text)
        assert quote == "They call it a 'peaceful transition' but it is not"
        assert names[0] == "Ana Lima"

    def test_a_quotation_broken_by_its_attribution(self) -> None:
        text = '"The reforms will fail," Minister Ruth Kay said, "and the people will pay for it."'
        items = found(text)
        assert [quote for quote, _, _ in items] == [
            "The reforms will fail",
            "and the people will pay for it.",
        ]
        assert all(names[0] == "Minister Ruth Kay" for _, _, names in items)

    def test_an_ellipsis_cuts_a_quotation(self) -> None:
        text = '"We tried everything we could... Nothing worked at all," said Omar Haddad.'
        assert [(quote, names[0]) for quote, _, names in found(text)] == [
            ("We tried everything we could", "Omar Haddad"),
            ("Nothing worked at all", "Omar Haddad"),
        ]

    def test_single_curly_quotes_as_quotation_marks(self) -> None:
        text = "‘The border will stay open for now,’ a spokesman for Kenya’s government said."
        [(quote, kind, _)] = found(text)
        assert quote == "The border will stay open for now"
        assert kind is StatementKind.QUOTE

    def test_a_term_in_quotes_is_no_quotation(self) -> None:
        text = 'He called it a "color revolution" and left the room.'
        assert found(text) == [(text, StatementKind.PARAPHRASE, found(text)[0][2])]


class TestReportedSpeech:
    @pytest.mark.parametrize(
        ("text", "speaker"),
        [
            ("According to Lena Ortiz, the talks collapsed on Friday.", "Lena Ortiz"),
            ("Officials in Rome claimed that the vote had been rigged.", "Officials in Rome"),
        ],
    )
    def test_a_sentence_with_a_reporting_verb(self, text: str, speaker: str) -> None:
        [(sentence, kind, names)] = found(text)
        assert sentence == text and kind is StatementKind.PARAPHRASE
        assert names[0] == speaker

    def test_no_reporting_verb_no_suggestion(self) -> None:
        assert found("The United States sent no troops. Prices rose in January.") == []


class TestOnTheArticle:
    def test_every_span_is_its_text_and_inside_it(self) -> None:
        text = article_text()
        items = find(text)
        assert len(items) > 10
        for item in items:
            assert 0 <= item.start < item.end <= len(text)
            assert text[item.start : item.end] == text[item.start : item.end].strip()

    async def test_speakers_known_and_passages_recorded(self, database: Database) -> None:
        found = await suggestions.suggest(database, "kazakhstan-2022")
        text = article_text()
        assert all(text[item.span.start : item.span.end] == item.text for item in found)
        lebedev = [item for item in found if item.text.startswith("It is obvious today")]
        assert [item.speaker.id for item in lebedev if item.speaker] == ["sergei-lebedev"]
        assert all(item.recorded for item in lebedev)

    async def test_an_unknown_source(self, database: Database) -> None:
        with pytest.raises(NotFound):
            await suggestions.suggest(database, "no-such-source")
