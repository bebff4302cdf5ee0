"""API keys: a secret shown once, stored only as its SHA-256, checked on every write.

A key has a name (a slug, also its id), scopes, maybe an expiry and, once revoked, the time
it was revoked. Scopes nest: `admin` includes `write`, which includes `read`. Keys are
checked in the write's own transaction on the primary, so a revocation takes effect on the
next request. Rotating a key gives it a new secret; the old one keeps working for a grace
period, so that the clients holding it can move over without an outage. When a key was last
used is noted to the minute, apart from the write (see `note_use`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.db.engine import Database
from api.db.models import ApiKey, ApiKeyUse
from api.errors import AlreadyExists, Conflict, Forbidden, InvalidArgument, NotFound, Unauthorized
from api.vocabulary import ID_PATTERN, Scope

#: What each scope a key is created with lets it do.
GRANTS: dict[Scope, list[Scope]] = {
    Scope.READ: [Scope.READ],
    Scope.WRITE: [Scope.READ, Scope.WRITE],
    Scope.ADMIN: [Scope.READ, Scope.WRITE, Scope.ADMIN],
}
PREFIX = "cg_"
_SLUG = re.compile(ID_PATTERN)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeyInfo:
    """A key as `keys list` shows it: never its secret."""

    name: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None
    last_used_at: datetime | None
    previous_expires_at: datetime | None  # a rotated key's former secret works until then


@dataclass(frozen=True)
class Writer:
    """Who is writing: the key's id, and the request it came with (for the audit log)."""

    key: str
    scopes: frozenset[str]
    request_id: str | None = None


def _secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def _later(duration: timedelta | None) -> sa.ColumnElement[datetime] | None:
    """The database's now plus `duration` (None: never)."""
    return None if duration is None else sa.func.now() + duration


async def create(
    session: AsyncSession, name: str, scope: Scope, *, expires: timedelta | None = None
) -> str:
    """Store a new key named `name` (refused from `expires` after now, if given) and return
    its secret (which is not stored)."""
    if not _SLUG.match(name) or len(name) > 120:
        raise InvalidArgument.single("name", "must be a slug: lower-case words joined by '-'")
    secret = _secret()
    inserted = await session.execute(
        insert(ApiKey)
        .values(
            id=name,
            name=name,
            secret_sha256=digest(secret),
            scopes=GRANTS[scope],
            expires_at=_later(expires),
        )
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(col(ApiKey.id))
    )
    if inserted.first() is None:
        raise AlreadyExists("api key", name)
    return secret


async def rotate(session: AsyncSession, name: str, *, grace: timedelta) -> str:
    """Give the key a new secret and return it; the current one keeps working for `grace`
    (a secret rotated away earlier stops at once). A revoked or expired key stays so."""
    secret = _secret()
    found = await session.execute(
        sa.update(ApiKey)
        .where(col(ApiKey.id) == name)
        .values(
            previous_secret_sha256=col(ApiKey.secret_sha256),
            previous_expires_at=sa.func.now() + grace,
            secret_sha256=digest(secret),
        )
        .returning(col(ApiKey.revoked_at))
    )
    row = found.first()
    if row is None:
        raise NotFound("api key", name)
    if row.revoked_at is not None:
        raise Conflict(f"the API key {name!r} is revoked: create a new one")
    return secret


async def listed(session: AsyncSession) -> list[KeyInfo]:
    rows = await session.execute(
        sa.select(ApiKey, col(ApiKeyUse.last_used_at))
        .outerjoin(ApiKeyUse, col(ApiKeyUse.api_key_id) == col(ApiKey.id))
        .order_by(col(ApiKey.id))
    )
    return [
        KeyInfo(
            key.name,
            [str(scope) for scope in key.scopes],
            key.created_at,  # type: ignore[arg-type]
            key.revoked_at,
            key.expires_at,
            last_used_at,
            key.previous_expires_at,
        )
        for key, last_used_at in rows
    ]


async def revoke(session: AsyncSession, name: str) -> None:
    """Revoke the key (a second revocation keeps the first time)."""
    found = await session.execute(
        sa.update(ApiKey)
        .where(col(ApiKey.id) == name)
        .values(revoked_at=sa.func.coalesce(col(ApiKey.revoked_at), sa.func.now()))
        .returning(col(ApiKey.id))
    )
    if found.first() is None:
        raise NotFound("api key", name)


def bearer(authorization: str | None) -> str:
    """The secret of an `Authorization: Bearer …` header; Unauthorized without one."""
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthorized(
            "this operation needs an API key: send `Authorization: Bearer <key>`",
            invalid_token=False,
        )
    return credentials.strip()


async def authenticate(
    session: AsyncSession, authorization: str | None, scope: Scope, request_id: str | None
) -> Writer:
    """The writer behind the header, if its key is known, not revoked, and has `scope`."""
    secret = bearer(authorization)
    hashed = digest(secret)
    row = (
        await session.execute(
            sa.select(
                col(ApiKey.id),
                col(ApiKey.scopes),
                col(ApiKey.revoked_at),
                col(ApiKey.expires_at),
                col(ApiKey.secret_sha256) == hashed,
                col(ApiKey.previous_expires_at),
                sa.func.now(),
            ).where(
                sa.or_(
                    col(ApiKey.secret_sha256) == hashed,
                    col(ApiKey.previous_secret_sha256) == hashed,
                )
            )
        )
    ).first()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("the API key is unknown or revoked", invalid_token=True)
    id, scopes, _, expires_at, current, previous_expires_at, now = row
    if expires_at is not None and expires_at <= now:
        raise Unauthorized(
            f"the API key {id!r} expired at {expires_at:%Y-%m-%d %H:%M} UTC; ask for a new one "
            "(`claimgraph keys create`)",
            invalid_token=True,
        )
    if not current and (previous_expires_at is None or previous_expires_at <= now):
        raise Unauthorized(
            f"this secret of the API key {id!r} was replaced by a rotation and its grace "
            "period is over; use the new secret",
            invalid_token=True,
        )
    granted = frozenset(str(item) for item in scopes)
    if scope.value not in granted:
        raise Forbidden(scope.value)
    return Writer(id, granted, request_id)


#: When this process last noted each key's use (monotonic seconds), and how often it does.
_NOTED: dict[str, float] = {}
NOTE_EVERY = 60.0


async def note_use(database: Database, key: str) -> None:
    """Note that `key` was used now, at most once a minute per key and process, in a
    statement of its own: not in the write's transaction, whose other writes with the same
    key would otherwise wait on the row until it commits."""
    clock = time.monotonic()
    if clock - _NOTED.get(key, -NOTE_EVERY) < NOTE_EVERY:
        return
    _NOTED[key] = clock
    pool = await database.driver_pool()
    await pool.execute(
        "INSERT INTO api_key_use (api_key_id, last_used_at) VALUES ($1, now()) "
        "ON CONFLICT (api_key_id) DO UPDATE SET last_used_at = excluded.last_used_at",
        key,
    )
