"""Fixtures for tests of the database itself."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncConnection

from api.db.engine import Database


@pytest_asyncio.fixture
async def connection(database: Database) -> AsyncIterator[AsyncConnection]:
    """A connection whose transaction is always rolled back."""
    async with database.engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        await transaction.rollback()
