"""`/v1/claims`: the propositions in dispute, who takes which side, and the evidence."""

from __future__ import annotations

import json
from typing import Any

from api import formats, jsonld
from api.errors import NotFound
from api.jsonld import claims
from api.rest.evidence import EVIDENCE_VIEW
from api.rest.queries import ClaimEvidenceQuery, ClaimQuery, StanceQuery
from api.rest.routing import JSON, Body, Call, Operation, OperationLink, Registry
from api.rest.schemas import Claim, ClaimList, EvidenceList, Stance, StanceList
from api.rest.writes import Outcome, Resource, WriteCall, created_links, writable
from api.store import dossier
from api.store.claims import CLAIM
from api.store.dossier import Dossier, DossierRow
from api.store.kit import views
from api.store.kit.views import View
from api.store.stances import STANCE, ClaimStanceInput
from api.store.writes import commands
from api.vocabulary import Scope

routes = Registry()
BY_ID = {"id": "$request.path.id"}
CLAIM_VIEW = View.of(CLAIM, Claim)
STANCE_VIEW = View.of(STANCE, Stance)


@routes.get(
    "/v1/claims",
    operation_id="listClaims",
    tag="claims",
    response=ClaimList,
    query=ClaimQuery,
    links={"GetClaim": OperationLink("getClaim", {"id": "$response.body#/data/0/id"})},
)
async def list_claims(call: Call[Any]) -> Body:
    """List claims, optionally by tag."""
    return await call.page(CLAIM_VIEW)


@routes.get(
    "/v1/claims/{id}",
    operation_id="getClaim",
    tag="claims",
    response=Claim,
    links={
        "ListClaimStances": OperationLink("listClaimStances", BY_ID),
        "ListClaimEvidence": OperationLink("listClaimEvidence", BY_ID),
    },
    alternates=(jsonld.MEDIA_TYPE,),
)
async def get_claim(call: Call[Any]) -> Body:
    """Get a claim, with counts of supporting and disputing statements and of evidence.

    With `Accept: application/ld+json`: the claim as schema.org JSON-LD, a `Claim` whose
    `appearance`s are the statements taking a stance on it (a `Role` whose `roleName` is the
    position, holding the statement as a `Quotation` with its speaker, its source and W3C Web
    Annotation `TextQuoteSelector` and `TextPositionSelector` into the source's text).
    """
    if call.media_type == jsonld.MEDIA_TYPE:
        found = await claims.document(call.database, call.path["id"], base=call.base_url)
        return Body(json.dumps(found, ensure_ascii=False).encode())
    return await call.one(CLAIM_VIEW)


@routes.get(
    "/v1/claims/{id}/stances",
    operation_id="listClaimStances",
    tag="claims",
    response=StanceList,
    query=StanceQuery,
)
async def list_claim_stances(call: Call[Any]) -> Body:
    """List the stances statements take on a claim: who supports it, who disputes it."""
    return await call.page(STANCE_VIEW, within=(CLAIM, "claim"))


@routes.get(
    "/v1/claims/{id}/evidence",
    operation_id="listClaimEvidence",
    tag="claims",
    response=EvidenceList,
    query=ClaimEvidenceQuery,
)
async def list_claim_evidence(call: Call[Any]) -> Body:
    """List the evidence that bears on a claim, with who offers it."""
    return await call.page(EVIDENCE_VIEW, within=(CLAIM, "claim"))


@routes.get(
    "/v1/claims/{id}/dossier",
    operation_id="getClaimDossier",
    tag="claims",
    response=Dossier,
    rows=DossierRow,
)
async def get_claim_dossier(call: Call[Any]) -> Body:
    """Get everything on a claim: each side by speaker, evidence, dates, contradictions.

    Supporters and disputers are grouped by speaker, in the order they first said it, their
    statements in date order, each marked hedged or not and attributed explicitly or by
    context. A large claim is listed in part and counted in full: the first 20 speakers of
    each side (`supporter_count`, ...), 10 statements of each (`statement_count`; the rest:
    `GET /v1/statements?claim=…&position=…&speaker=…`). Evidence comes for, against, and as
    context. `first_said`/`last_said` are as precise as the sources. Contradictions: pairs
    of statements on opposite sides (all counted, the first 50 listed), and speakers whose
    own statements take both sides (all counted, the first 20 listed with 10 ids a side).

    With `Accept: text/csv` or `application/x-ndjson`: the same as a table, one row per
    statement listed (its side, speaker, date and precision, hedged or not, attribution,
    quote, source and span), then one per piece of evidence.
    """
    if call.media_type in formats.MEDIA_TYPES:
        rows = await dossier.rows(call.database, call.path["id"])
        return Body(formats.table(call.media_type, DossierRow, rows))
    return Body(await views.dossier(call.database, call.path["id"]))


@routes.get(
    "/v1/stances/{id}",
    operation_id="getStance",
    tag="claims",
    response=Stance,
    links={
        "GetClaim": OperationLink("getClaim", {"id": "$response.body#/claim/id"}),
        "GetStatement": OperationLink("getStatement", {"id": "$response.body#/statement/id"}),
    },
)
async def get_stance(call: Call[Any]) -> Body:
    """Get a stance: a statement's position on a claim."""
    return await call.one(STANCE_VIEW)


writable(
    routes,
    Resource(CLAIM_VIEW, "claims"),
)
STANCES = Resource(STANCE_VIEW, "claims")
writable(routes, STANCES, create=False)


async def create_claim_stance(call: WriteCall) -> Outcome:
    """Record a statement's stance on this claim.

    The stance's id is `statement--claim`; one stance per statement and claim. Needs an API
    key with the `write` scope. Send `Idempotency-Key` to make a retry safe."""
    if not await call.tx.exists("claim", call.id):
        raise NotFound("claim", call.id)
    body = {**call.body, "claim": call.id} if isinstance(call.body, dict) else call.body
    written = await commands.create(call.tx, "stance", body)
    return await call.created(STANCE_VIEW, written, STANCES.location(written.id))


routes.add(
    Operation(
        "/v1/claims/{id}/stances",
        "createClaimStance",
        "claims",
        create_claim_stance,
        Stance,
        links=created_links(STANCES),
        method="POST",
        body=ClaimStanceInput,
        body_types=(JSON,),
        status=201,
        scope=Scope.WRITE,
    )
)
routes.find("getClaim").links["CreateClaimStance"] = OperationLink("createClaimStance", BY_ID)
