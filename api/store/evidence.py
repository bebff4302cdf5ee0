"""Evidence: what each side offers for or against a claim, pinned to its span."""

from __future__ import annotations

from api.store.kit.filters import equals, ref, vocabulary
from api.store.kit.pagination import Sort, int_key, text_key
from api.vocabulary import EvidenceRelation

_id = text_key("id")
SORTS = {
    "position": Sort(
        "position",
        (text_key("source_id"), int_key("span_start"), _id),
        "Reading order: source, then position in its text.",
    ),
    "id": Sort("id", (_id,), "By slug."),
}
DEFAULT_SORT = "position"
FILTERS = (
    ref("claim", "Claim", "The claim it bears on"),
    vocabulary("relation", EvidenceRelation, "Supports, refutes, or context"),
    ref("source", "Source", "The source it is found in"),
    ref("offered_by", "Actor", "Who offers it, an actor"),
)
conditions = equals(
    {
        "claim": "claim_id",
        "relation": "relation",
        "source": "source_id",
        "offered_by": "offered_by_id",
    }
)
