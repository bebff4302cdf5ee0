"""The query strings of the lists: made from each entity's declared filters and sorts."""

from __future__ import annotations

from api.rest.schemas import query_model
from api.store.actors import ACTOR
from api.store.claims import CLAIM
from api.store.events import EVENT
from api.store.evidence import EVIDENCE
from api.store.search import SEARCH
from api.store.stances import STANCE
from api.store.statements import STATEMENT
from api.store.timeline import TIMELINE

ActorQuery = query_model("ActorQuery", ACTOR)
StatementQuery = query_model("StatementQuery", STATEMENT)
ActorStatementQuery = query_model("ActorStatementQuery", STATEMENT, exclude=("speaker",))
SourceStatementQuery = query_model("SourceStatementQuery", STATEMENT, exclude=("source",))
EventStatementQuery = query_model("EventStatementQuery", STATEMENT, exclude=("event",))
ClaimQuery = query_model("ClaimQuery", CLAIM)
StanceQuery = query_model("StanceQuery", STANCE, exclude=("claim", "statement"))
EventQuery = query_model("EventQuery", EVENT)
EvidenceQuery = query_model("EvidenceQuery", EVIDENCE)
ClaimEvidenceQuery = query_model("ClaimEvidenceQuery", EVIDENCE, exclude=("claim",))
SearchQuery = query_model("SearchQuery", SEARCH)
TimelineQuery = query_model("TimelineQuery", TIMELINE)
