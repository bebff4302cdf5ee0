"""`/v1/claims`: the propositions in dispute, who takes which side, and the evidence."""

from __future__ import annotations

from typing import Any

from api.rest.evidence import EVIDENCE
from api.rest.queries import ClaimEvidenceQuery, ClaimQuery, StanceQuery
from api.rest.routing import Body, Call, Link, Registry
from api.rest.schemas import Claim, ClaimList, Dossier, EvidenceList, Stance, StanceList
from api.store import views
from api.store.views import View

routes = Registry()
BY_ID = {"id": "$request.path.id"}
CLAIM = View.of("claim", Claim)
STANCE = View.of("stance", Stance)


@routes.get(
    "/v1/claims",
    operation_id="listClaims",
    tag="claims",
    response=ClaimList,
    query=ClaimQuery,
    links={"GetClaim": Link("getClaim", {"id": "$response.body#/data/0/id"})},
)
async def list_claims(call: Call[Any]) -> Body:
    """List claims, optionally by tag."""
    return await call.page(CLAIM)


@routes.get(
    "/v1/claims/{id}",
    operation_id="getClaim",
    tag="claims",
    response=Claim,
    links={
        "ListClaimStances": Link("listClaimStances", BY_ID),
        "ListClaimEvidence": Link("listClaimEvidence", BY_ID),
    },
)
async def get_claim(call: Call[Any]) -> Body:
    """Get a claim, with counts of supporting and disputing statements and of evidence."""
    return await call.one(CLAIM)


@routes.get(
    "/v1/claims/{id}/stances",
    operation_id="listClaimStances",
    tag="claims",
    response=StanceList,
    query=StanceQuery,
)
async def list_claim_stances(call: Call[Any]) -> Body:
    """List the stances statements take on a claim: who supports it, who disputes it."""
    return await call.page(STANCE, within=("claim", "claim"))


@routes.get(
    "/v1/claims/{id}/evidence",
    operation_id="listClaimEvidence",
    tag="claims",
    response=EvidenceList,
    query=ClaimEvidenceQuery,
)
async def list_claim_evidence(call: Call[Any]) -> Body:
    """List the evidence that bears on a claim, with who offers it."""
    return await call.page(EVIDENCE, within=("claim", "claim"))


@routes.get(
    "/v1/claims/{id}/dossier",
    operation_id="getClaimDossier",
    tag="claims",
    response=Dossier,
)
async def get_claim_dossier(call: Call[Any]) -> Body:
    """Get everything on a claim: each side by speaker, evidence, dates, contradictions.

    Supporters and disputers are grouped by speaker, their statements in date order (at
    most 50 listed per speaker and side; all counted), each marked hedged or not. Evidence
    comes for, against, and as context. `first_said`/`last_said` are as precise as the
    sources. Contradictions: pairs of statements on opposite sides (all counted, the first
    50 listed), and speakers whose own statements take both sides.
    """
    return Body(await views.dossier(call.database, call.path["id"]))
