"""Rate limits: how much of its allowance a client has left, kept in PostgreSQL.

Every worker (and every replica of the service) takes from the same buckets, in one
statement each (`claimgraph_rate_take`, migration 0016), so a limit holds however requests
are spread. A bucket is a kind of request (`reads`, `writes`) and a client; its allowance
refills steadily, `count` per `seconds`, up to `count` at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from api.config import Rate
from api.db.engine import Database

_TAKE = "SELECT allowed, ahead FROM claimgraph_rate_take($1, $2, $3, $4)"


@dataclass(frozen=True)
class Decision:
    """Whether a request may go on, and what to tell the client either way."""

    allowed: bool
    policy: str
    rate: Rate
    remaining: int  # requests of cost 1 the client may still make now
    reset: int  # seconds until the allowance is whole again
    retry_after: int  # refused: seconds until this request would be allowed

    @property
    def headers(self) -> dict[str, str]:
        """The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers)."""
        headers = {
            "RateLimit-Policy": f'"{self.policy}";q={self.rate.count};w={self.rate.seconds}',
            "RateLimit": f'"{self.policy}";r={self.remaining};t={self.reset}',
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers

    @property
    def message(self) -> str:
        return (
            f"more than {self.rate} {self.policy} from this client; retry in {self.retry_after} s"
        )


async def take(database: Database, policy: str, client: str, rate: Rate, cost: int = 1) -> Decision:
    """Take `cost` from the client's `policy` bucket (a cost above the whole allowance takes
    all of it: such a request waits for a full bucket, it is not refused for ever)."""
    emission = rate.seconds / rate.count
    cost = max(1, min(cost, rate.count))
    pool = await database.driver_pool()
    row = await pool.fetchrow(_TAKE, f"{policy}:{client}"[:200], cost, emission, rate.seconds)
    assert row is not None
    allowed, ahead = bool(row["allowed"]), float(row["ahead"])
    remaining = max(0, math.floor((rate.seconds - ahead) / emission + 1e-9))
    retry = 0 if allowed else max(1, math.ceil(ahead + cost * emission - rate.seconds))
    return Decision(allowed, policy, rate, remaining, math.ceil(ahead), retry)
