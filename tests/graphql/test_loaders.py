"""The request's DataLoaders: one waiter's cancellation is not everyone's."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from api.graphql.loaders import SharedLoader


async def test_a_cancelled_waiter_leaves_the_answer_to_the_others() -> None:
    """graphql-core cancels a failed field's siblings; another resolver waiting for the same
    key must still get its row, not a CancelledError."""
    release = asyncio.Event()

    async def load(keys: Sequence[str]) -> list[str]:
        await release.wait()
        return [key.upper() for key in keys]

    loader = SharedLoader(load_fn=load)
    cancelled = asyncio.ensure_future(loader.load("a"))
    kept = asyncio.ensure_future(loader.load("a"))
    await asyncio.sleep(0)
    cancelled.cancel()
    await asyncio.sleep(0)
    release.set()
    assert await kept == "A"
    assert cancelled.cancelled()
