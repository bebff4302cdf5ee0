"""`/v1/claims`: the propositions in dispute, who takes which side, and the evidence."""

from __future__ import annotations

from api.rest.routing import Call, Link, NoQuery, Registry, page_of
from api.rest.schemas import (
    Claim,
    ClaimList,
    ClaimQuery,
    Evidence,
    EvidenceList,
    EvidenceQueryBase,
    Stance,
    StanceList,
    StanceQuery,
)
from api.store import claims, evidence, views

routes = Registry()
BY_ID = {"id": "$request.path.id"}


@routes.get(
    "/v1/claims",
    operation_id="listClaims",
    tag="claims",
    response=ClaimList,
    query=ClaimQuery,
    links={"GetClaim": Link("getClaim", {"id": "$response.body#/data/0/id"})},
)
async def list_claims(call: Call[ClaimQuery]) -> ClaimList:
    """List claims, optionally by tag."""
    filters = claims.ClaimFilters(tag=call.query.tag)
    return page_of(
        ClaimList, Claim.from_row, await views.claim_views(call.session, filters, call.page)
    )


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
async def get_claim(call: Call[NoQuery]) -> Claim:
    """Get a claim, with counts of supporting and disputing statements and of evidence."""
    return Claim.from_row(await views.claim_view(call.database, call.path["id"]))


@routes.get(
    "/v1/claims/{id}/stances",
    operation_id="listClaimStances",
    tag="claims",
    response=StanceList,
    query=StanceQuery,
)
async def list_claim_stances(call: Call[StanceQuery]) -> StanceList:
    """List the stances statements take on a claim: who supports it, who disputes it."""
    claim_id = call.path["id"]
    await views.require(call.session, views.CLAIM, "claim", claim_id)
    filters = claims.StanceFilters(claim=claim_id, position=call.query.position)
    return page_of(
        StanceList, Stance.from_row, await views.stance_views(call.session, filters, call.page)
    )


@routes.get(
    "/v1/claims/{id}/evidence",
    operation_id="listClaimEvidence",
    tag="claims",
    response=EvidenceList,
    query=EvidenceQueryBase,
)
async def list_claim_evidence(call: Call[EvidenceQueryBase]) -> EvidenceList:
    """List the evidence that bears on a claim, with who offers it."""
    claim_id = call.path["id"]
    await views.require(call.session, views.CLAIM, "claim", claim_id)
    filters = evidence.EvidenceFilters(claim=claim_id, relation=call.query.relation)
    page = await views.evidence_views(call.session, filters, call.page, call.query.sort)
    return page_of(EvidenceList, Evidence.from_row, page)
