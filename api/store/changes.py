"""The change feed: every audited write, in commit order, to read from any point and to follow.

The audit log is the feed (api/store/writes/transaction.py writes an entry in each write's own
transaction); migration 0014 numbers each entry at commit (`seq`), under one lock, so that
numbers grow in the order changes become visible: a reader that has seen N has seen
everything before it, and resumes after N with nothing lost or repeated. A public change
says what changed (`seq`, `time`, `action`, `entity`, `id`, `version`); who wrote it and the
rows before and after stay in the admins' `/v1/audit`.

Followers share one `LISTEN` connection per process (`Feed`): a commit's NOTIFY carries only
its number, which wakes every follower; each then reads what it has not seen from the log
itself. So a slow follower, or one that reconnects, never loses a change and costs the
others nothing, and the number of connections does not grow with followers.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import functools
import itertools
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import Field

from api.db.connections import connect
from api.db.engine import Database
from api.errors import ClaimgraphError, DatabaseUnavailable
from api.store.kit import batch
from api.store.kit.entity import Entity
from api.store.kit.representations import Representation
from api.store.kit.rows import Record
from api.vocabulary import ChangeAction

log = logging.getLogger("claimgraph.changes")

CHANNEL = "claimgraph_changes"
#: Changes read from the log at once.
BATCH = 200
#: Recent changes kept in memory for followers that keep up; records read for the latest ones.
WINDOW = 10_000
ROWS = 64


class Change(Representation):
    """One committed write to one record, as the feed shows it."""

    seq: int = Field(description="The change's number: they grow in commit order.")
    time: datetime = Field(description="When the write was made (as its transaction began).")
    action: ChangeAction = Field(description="What the write did to the record.")
    entity: str = Field(description="The kind of record (`statement`, `claim`, ...).")
    id: str = Field(description="The record's id.")
    version: int | None = Field(
        description="The record's version after the change; for a delete, its last one."
    )

    @functools.cached_property
    def event(self) -> bytes:
        """The change as a Server-Sent Event, encoded once for every follower it goes to."""
        data = self.model_dump_json()
        return f"id: {self.seq}\nevent: change\ndata: {data}\n\n".encode()


class Signal:
    """Wakes every waiter at once: an Event per round, set and replaced by `wake`. (A
    Condition would have each waiter take its lock in turn; shielding one shared future costs
    a wrapper per waiter per round.)"""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def wake(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait(self) -> None:
        await self._event.wait()


class TooManyFollowers(ClaimgraphError):
    """Raised when this process already streams the feed to as many followers as it may."""

    code = "TOO_MANY_FOLLOWERS"
    retry_after = 5


_PAGE = """
SELECT seq, at AS time, action, entity, entity_id AS id,
       coalesce((after ->> 'version')::int, (before ->> 'version')::int) AS version
FROM audit_log
WHERE seq > $1 AND ($2::text[] IS NULL OR entity = ANY($2))
ORDER BY seq
LIMIT $3
"""


async def page(
    database: Database, *, after: int, entities: Sequence[str] | None, limit: int
) -> list[Change]:
    """The changes after `after`, of `entities` (all: None), at most `limit`, in order."""
    pool = await database.driver_pool()
    rows = await pool.fetch(_PAGE, after, list(entities) if entities else None, limit)
    return [Change.model_validate(dict(row)) for row in rows]


async def latest(database: Database) -> int:
    """The number of the last change committed (0 before any)."""
    pool = await database.driver_pool()
    return int(await pool.fetchval("SELECT coalesce(max(seq), 0) FROM audit_log"))


class Feed:
    """This process's one `LISTEN` on the feed, and one reader of the log for all followers.

    A commit's NOTIFY wakes the reader, which reads what was committed since it last read
    (one query however many follow) into a window of recent changes, and wakes the
    followers; each takes what it has not seen from the window, filtered in memory. A
    follower that starts further back, or falls behind the window, reads the log itself
    until it has caught up. When the database goes away every follow ends (raises
    DatabaseUnavailable): a client resumes from the last number it saw.
    """

    def __init__(
        self,
        database: Database,
        *,
        most: int,
        window: int = WINDOW,
        counted: Callable[[int], object] = lambda _step: None,
    ) -> None:
        self.database = database
        self.most = most
        self.followers = 0
        #: Told +1 and -1 as followers come and go (the app's gauge of them).
        self._counted = counted
        self._size = window
        self._window: deque[Change] = deque()
        self._floor = 0  # the window holds every change after this number
        self._head = 0  # the highest number read into the window
        self._announced = 0  # the highest number announced
        self._announcements = Signal()  # a commit was announced (or the LISTEN was lost)
        self._advanced = Signal()  # the window holds more (or the LISTEN was lost)
        self._connection: asyncpg.Connection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._opening = asyncio.Lock()
        self._broken = False
        self._rows: dict[int, asyncio.Task[Any]] = {}

    async def _listen(self) -> None:
        async with self._opening:
            if self._connection is not None and not self._connection.is_closed():
                return
            connection = await connect(self.database.url, self.database.timeouts)
            connection.add_termination_listener(lambda _: self._lost())
            await connection.add_listener(CHANNEL, self._announce)
            # Announcements from here on wake the reader; the window starts at what is
            # committed now (numbers grow in commit order, so nothing below it comes later).
            self._head = self._floor = self._announced = await latest(self.database)
            self._window.clear()
            self._broken = False
            self._connection = connection
            self._reader = asyncio.create_task(self._read())

    def _announce(self, connection: object, pid: int, channel: str, payload: str) -> None:
        self._announced = max(self._announced, int(payload))
        self._announcements.wake()

    def _lost(self) -> None:
        self._broken = True
        self._connection = None
        self._announcements.wake()
        self._advanced.wake()

    async def _read(self) -> None:
        """Read what is announced into the window, as long as the LISTEN holds."""
        while not self._broken:
            while self._announced <= self._head and not self._broken:
                await self._announcements.wait()
            if self._broken:
                return
            try:
                found = await page(self.database, after=self._head, entities=None, limit=BATCH)
            except DatabaseUnavailable:
                self._lost()
                return
            if not found:  # announced but read before it was visible: wait for the next
                await asyncio.sleep(0.01)
                continue
            self._window.extend(found)
            self._head = found[-1].seq
            while len(self._window) > self._size:
                self._floor = self._window.popleft().seq
            self._advanced.wake()

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None

    @contextlib.asynccontextmanager
    async def following(self) -> AsyncIterator[None]:
        """A follower's place: TooManyFollowers beyond `most` in this process."""
        if self.followers >= self.most:
            raise TooManyFollowers(
                f"this server already streams the feed to {self.most} followers; retry soon"
            )
        self.followers += 1
        self._counted(1)
        try:
            await self._listen()
            yield
        finally:
            self.followers -= 1
            self._counted(-1)

    def _after(self, after: int, entities: Sequence[str] | None) -> list[Change]:
        """The window's changes after `after` (of `entities`), at most BATCH."""
        start = bisect.bisect_right(self._window, after, key=lambda change: change.seq)
        found: Iterable[Change] = itertools.islice(self._window, start, None)
        if entities:
            found = (change for change in found if change.entity in entities)
        return list(itertools.islice(found, BATCH))

    async def follow(
        self, after: int, entities: Sequence[str] | None, *, idle: float
    ) -> AsyncIterator[list[Change]]:
        """Batches of the changes after `after` as they commit, forever; an empty batch
        after `idle` seconds without one (a heartbeat's chance)."""
        clock = asyncio.get_running_loop().time
        last = clock()
        while True:
            if self._broken:
                raise DatabaseUnavailable.default()
            if after < self._floor:  # before the window: from the log itself
                found = await page(self.database, after=after, entities=entities, limit=BATCH)
                after = found[-1].seq if found else after
                if len(found) < BATCH:  # all that is visible read: the window has the rest
                    after = max(after, self._floor)
            else:
                head = self._head
                found = self._after(after, entities)
                after = found[-1].seq if len(found) == BATCH else max(after, head)
            quiet = idle - (clock() - last)
            if found or quiet <= 0:
                yield found
                last = clock()
            elif self._head <= after:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(quiet):
                        await self._advanced.wait()

    def _forget_failed(self, seq: int, task: asyncio.Future[Any]) -> None:
        if task.cancelled() or task.exception() is not None:
            self._rows.pop(seq, None)

    async def row(self, entity: Entity, change: Change) -> Record | None:
        """The record a change names, as it is now: read once for all the followers that
        ask for it as they deliver the same change (a subscription's `node`)."""
        task = self._rows.get(change.seq)
        if task is None:
            task = asyncio.ensure_future(batch.rows_by_ids(self.database, entity, [change.id]))
            self._rows[change.seq] = task
            # A failed read is not kept: the next follower asking reads again.
            task.add_done_callback(functools.partial(self._forget_failed, change.seq))
            while len(self._rows) > ROWS:
                self._rows.pop(next(iter(self._rows)))
        found: dict[str, Record] = await asyncio.shield(task)
        return found.get(change.id)
