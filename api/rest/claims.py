"""`/v1/claims`: the propositions in dispute, who takes which side, and the evidence."""

from __future__ import annotations

import json
from typing import Any

from api import jsonld
from api.jsonld import claims
from api.rest.evidence import EVIDENCE
from api.rest.queries import ClaimEvidenceQuery, ClaimQuery, StanceQuery
from api.rest.routing import Body, Call, Link, Registry
from api.rest.schemas import Claim, ClaimList, EvidenceList, Stance, StanceList
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
