"""API keys: a secret shown once, stored only as its SHA-256, checked on every write.

A key has a name (a slug, also its id), scopes and, once revoked, the time it was revoked.
Scopes nest: `admin` includes `write`, which includes `read`. Keys are checked in the write's
own transaction on the primary, so a revocation takes effect on the next request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.db.models import ApiKey
from api.errors import AlreadyExists, Forbidden, InvalidArgument, NotFound, Unauthorized
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


@dataclass(frozen=True)
class Writer:
    """Who is writing: the key's id, and the request it came with (for the audit log)."""

    key: str
    scopes: frozenset[str]
    request_id: str | None = None


async def create(session: AsyncSession, name: str, scope: Scope) -> str:
    """Store a new key named `name` and return its secret (which is not stored)."""
    if not _SLUG.match(name) or len(name) > 120:
        raise InvalidArgument.single("name", "must be a slug: lower-case words joined by '-'")
    secret = PREFIX + secrets.token_urlsafe(32)
    inserted = await session.execute(
        insert(ApiKey)
        .values(id=name, name=name, secret_sha256=digest(secret), scopes=GRANTS[scope])
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(col(ApiKey.id))
    )
    if inserted.first() is None:
        raise AlreadyExists("api key", name)
    return secret


async def listed(session: AsyncSession) -> list[KeyInfo]:
    rows = await session.execute(sa.select(ApiKey).order_by(col(ApiKey.id)))
    return [
        KeyInfo(key.name, [str(scope) for scope in key.scopes], key.created_at, key.revoked_at)  # type: ignore[arg-type]
        for key in rows.scalars()
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
    row = (
        await session.execute(
            sa.select(col(ApiKey.id), col(ApiKey.scopes), col(ApiKey.revoked_at)).where(
                col(ApiKey.secret_sha256) == digest(secret)
            )
        )
    ).first()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("the API key is unknown or revoked", invalid_token=True)
    scopes = frozenset(str(item) for item in row.scopes)
    if scope.value not in scopes:
        raise Forbidden(scope.value)
    return Writer(row.id, scopes, request_id)
