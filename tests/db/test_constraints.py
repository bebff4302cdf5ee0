"""The database itself refuses what must never be stored, whoever writes it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection


async def refused(connection: AsyncConnection, sql: str, match: str) -> None:
    savepoint = await connection.begin_nested()
    with pytest.raises(DBAPIError, match=match):
        await connection.execute(sa.text(sql))
    await savepoint.rollback()


async def test_quote_must_match_its_span(connection: AsyncConnection) -> None:
    await refused(
        connection,
        "UPDATE statement SET text = 'We are talking about a failed coup' "
        "WHERE id = 'tokayev-attempted-coup'",
        r"quote 'We are talking about a failed coup' does not match span",
    )


async def test_span_must_point_at_its_quote(connection: AsyncConnection) -> None:
    await refused(
        connection,
        "UPDATE statement SET span_start = span_start + 1 WHERE id = 'tokayev-attempted-coup'",
        "does not match span",
    )


async def test_span_must_be_ordered(connection: AsyncConnection) -> None:
    await refused(
        connection,
        "UPDATE evidence SET span_end = span_start, quote = '' "
        "WHERE id = 'radios-used-to-coordinate'",
        "span_order",
    )


async def test_evidence_quote_is_checked_too(connection: AsyncConnection) -> None:
    await refused(
        connection,
        "UPDATE evidence SET quote = 'They used phones' WHERE id = 'radios-used-to-coordinate'",
        "does not match span",
    )


async def test_quoted_source_text_cannot_change_under_its_spans(
    connection: AsyncConnection,
) -> None:
    """The check runs at commit (re-anchoring moves the spans after the text); forcing the
    deferred constraint now shows the refusal a commit would get."""
    savepoint = await connection.begin_nested()
    await connection.execute(
        sa.text("UPDATE source SET text = 'rewritten' WHERE id = 'kazakhstan-2022'")
    )
    with pytest.raises(DBAPIError, match="no longer reads its quote"):
        await connection.execute(sa.text("SET CONSTRAINTS source_spans_match IMMEDIATE"))
    await savepoint.rollback()


async def test_a_text_change_that_keeps_every_span_passes(connection: AsyncConnection) -> None:
    await connection.execute(
        sa.text("UPDATE source SET text = text || ' Appended.' WHERE id = 'kazakhstan-2022'")
    )
    await connection.execute(sa.text("SET CONSTRAINTS source_spans_match IMMEDIATE"))


async def test_moved_spans_must_be_rewritten_with_the_text(connection: AsyncConnection) -> None:
    savepoint = await connection.begin_nested()
    with pytest.raises(DBAPIError, match="no longer reads its quote"):
        await connection.execute(
            sa.text("UPDATE source SET text = 'Prepended. ' || text WHERE id = 'kazakhstan-2022'")
        )
        await connection.execute(sa.text("SET CONSTRAINTS source_spans_match IMMEDIATE"))
    await savepoint.rollback()


@pytest.mark.parametrize(
    ("sql", "constraint"),
    [
        ("UPDATE actor SET kind = 'alien' WHERE id = 'cis'", "actor_kind"),
        ("UPDATE actor SET country = 'kz' WHERE id = 'kazakhstan'", "country_alpha2"),
        (
            "UPDATE statement SET said_on_precision = 'unknown' "
            "WHERE id = 'tokayev-attempted-coup'",
            "said_on_known",
        ),
        ("UPDATE stance SET position = 'likes' WHERE id LIKE 'tokayev%' ", "position"),
        (
            "INSERT INTO stance (id, statement_id, claim_id, position) VALUES "
            "('dup', 'tokayev-attempted-coup', 'unrest-was-coup-attempt', 'supports')",
            "uq_stance_statement_id_claim_id",
        ),
        (
            "UPDATE statement SET speaker_id = 'nobody' WHERE id = 'tokayev-attempted-coup'",
            "fk_statement_speaker_id_actor",
        ),
        ("UPDATE event SET parent_id = id WHERE id = 'almaty-riots-2022'", "not_own_parent"),
        ("UPDATE actor SET id = 'Not A Slug' WHERE id = 'cis'", "id_slug"),
        (
            "UPDATE statement SET attribution = NULL WHERE id = 'tokayev-attempted-coup'",
            "attribution_with_speaker",
        ),
    ],
)
async def test_check_constraints(connection: AsyncConnection, sql: str, constraint: str) -> None:
    await refused(connection, sql, constraint)


async def test_version_bumps_on_change_only(connection: AsyncConnection) -> None:
    def version() -> sa.TextClause:
        return sa.text("SELECT version, updated_at FROM claim WHERE id = 'ned-is-cia-front'")

    before = (await connection.execute(version())).one()
    await connection.execute(sa.text("UPDATE claim SET tags = tags WHERE id = 'ned-is-cia-front'"))
    assert (await connection.execute(version())).one() == before
    await connection.execute(
        sa.text("UPDATE claim SET description = 'changed' WHERE id = 'ned-is-cia-front'")
    )
    after = (await connection.execute(version())).one()
    assert after.version == before.version + 1
