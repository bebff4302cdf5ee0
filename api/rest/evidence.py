"""`/v1/evidence`: what each side offers for or against a claim."""

from __future__ import annotations

from typing import Any

from api.rest.queries import EvidenceQuery
from api.rest.routing import Body, Call, OperationLink, Registry
from api.rest.schemas import Evidence, EvidenceList
from api.rest.writes import Resource, writable
from api.store.evidence import EVIDENCE
from api.store.kit.views import View

routes = Registry()
EVIDENCE_VIEW = View.of(EVIDENCE, Evidence)


@routes.get(
    "/v1/evidence",
    operation_id="listEvidence",
    tag="evidence",
    response=EvidenceList,
    query=EvidenceQuery,
    links={"GetEvidence": OperationLink("getEvidence", {"id": "$response.body#/data/0/id"})},
)
async def list_evidence(call: Call[Any]) -> Body:
    """List evidence, filtered by claim, relation, source or who offers it."""
    return await call.page(EVIDENCE_VIEW)


@routes.get(
    "/v1/evidence/{id}",
    operation_id="getEvidence",
    tag="evidence",
    response=Evidence,
    links={
        "GetClaim": OperationLink("getClaim", {"id": "$response.body#/claim/id"}),
        "GetSource": OperationLink("getSource", {"id": "$response.body#/source/id"}),
    },
)
async def get_evidence(call: Call[Any]) -> Body:
    """Get a piece of evidence with its claim, span, statement, event and who offers it."""
    return await call.one(EVIDENCE_VIEW)


writable(
    routes,
    Resource(EVIDENCE_VIEW, "evidence"),
)
