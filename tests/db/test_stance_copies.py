"""A stance's copies of its statement's speaker and date (what a claim's dossier reads from
one index) follow the statement, whoever writes it, and are never the stance's own change."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

COPIED = """
SELECT t.id, t.version,
       (t.statement_speaker_key, t.statement_said_on, t.statement_said_on_precision,
        t.statement_said_until)
       IS NOT DISTINCT FROM (coalesce(s.speaker_id, ''), s.said_on, s.said_on_precision,
                             s.said_until) AS same
FROM stance t JOIN statement s ON s.id = t.statement_id
"""


async def stances(connection: AsyncConnection, where: str = "") -> dict[str, Any]:
    rows = await connection.execute(sa.text(COPIED + where))
    return {id: (version, same) for id, version, same in rows}


async def test_every_loaded_stance_has_its_statements_copies(connection: AsyncConnection) -> None:
    found = await stances(connection)
    assert found and all(same for _, same in found.values())


async def test_a_statement_change_is_copied_without_changing_the_stance(
    connection: AsyncConnection,
) -> None:
    statement = await connection.scalar(sa.text("SELECT min(statement_id) FROM stance"))
    where = f" WHERE t.statement_id = '{statement}'"
    before = await stances(connection, where)
    await connection.execute(
        sa.text(
            "UPDATE statement SET speaker_id = 'xi-jinping', said_on = '2021-12-01', "
            f"said_on_precision = 'month' WHERE id = '{statement}'"
        )
    )
    after = await stances(connection, where)
    assert before and after.keys() == before.keys()
    for id, (version, same) in after.items():
        assert same, id
        assert version == before[id][0], "the stance itself did not change"
    moved = await connection.scalar(
        sa.text(
            "SELECT count(*) FROM stance WHERE statement_speaker_key = 'xi-jinping' "
            f"AND statement_said_until = '2022-01-01' AND statement_id = '{statement}'"
        )
    )
    assert moved == len(before)


async def test_a_stance_cannot_carry_other_copies(connection: AsyncConnection) -> None:
    await connection.execute(
        sa.text(
            "UPDATE stance SET statement_speaker_key = 'nobody', statement_said_on = '1999-01-01'"
        )
    )
    # A statement and a claim it takes no stance on yet.
    statement, claim = (
        await connection.execute(
            sa.text(
                "SELECT s.id, c.id FROM statement s, claim c WHERE NOT EXISTS (SELECT FROM stance "
                "t WHERE t.statement_id = s.id AND t.claim_id = c.id) ORDER BY 1, 2 LIMIT 1"
            )
        )
    ).one()
    await connection.execute(
        sa.text(
            "INSERT INTO stance (id, statement_id, claim_id, position, statement_speaker_key) "
            f"VALUES ('a-new-stance', '{statement}', '{claim}', 'neutral', 'nobody')"
        )
    )
    found = await stances(connection)
    assert "a-new-stance" in found and all(same for _, same in found.values())
