"""`/v1/evidence`: what each side offers for or against a claim."""

from __future__ import annotations

from api.rest.routing import Call, Link, NoQuery, Registry, page_of
from api.rest.schemas import Evidence, EvidenceList, EvidenceQuery
from api.store import evidence, views

routes = Registry()


@routes.get(
    "/v1/evidence",
    operation_id="listEvidence",
    tag="evidence",
    response=EvidenceList,
    query=EvidenceQuery,
    links={"GetEvidence": Link("getEvidence", {"id": "$response.body#/data/0/id"})},
)
async def list_evidence(call: Call[EvidenceQuery]) -> EvidenceList:
    """List evidence, filtered by claim, relation, source or who offers it."""
    q = call.query
    filters = evidence.EvidenceFilters(
        claim=q.claim, relation=q.relation, source=q.source, offered_by=q.offered_by
    )
    page = await views.evidence_views(call.session, filters, call.page, q.sort)
    return page_of(EvidenceList, Evidence.from_row, page)


@routes.get(
    "/v1/evidence/{id}",
    operation_id="getEvidence",
    tag="evidence",
    response=Evidence,
    links={
        "GetClaim": Link("getClaim", {"id": "$response.body#/claim/id"}),
        "GetSource": Link("getSource", {"id": "$response.body#/source/id"}),
    },
)
async def get_evidence(call: Call[NoQuery]) -> Evidence:
    """Get a piece of evidence with its claim, span, statement, event and who offers it."""
    return Evidence.from_row(await views.evidence_view(call.database, call.path["id"]))
