"""Linked data: claims as schema.org JSON-LD, their quotes anchored by W3C Web Annotation
selectors (`application/ld+json`).

A document names its contexts by their usual URLs (schema.org's, and the W3C Web Annotation
context); the suite keeps copies of both (tests/data/jsonld-contexts/) to expand what
claimgraph writes without a network.
"""

from __future__ import annotations

from typing import Any

MEDIA_TYPE = "application/ld+json"
SCHEMA_ORG = "https://schema.org/"
ANNOTATIONS = "http://www.w3.org/ns/anno.jsonld"
OA = "http://www.w3.org/ns/oa#"

#: schema.org's terms, plus the Web Annotation ones a quotation needs: it is also a segment of
#: its source's text (`oa:SpecificResource`, whose `source` is that text), picked out by
#: `selector`s written in the Web Annotation context (JSON-LD 1.1's scoped context), as
#: `{"type": "TextQuoteSelector", "exact": ..., "prefix": ..., "suffix": ...}` and
#: `{"type": "TextPositionSelector", "start": ..., "end": ...}`.
CONTEXT: list[Any] = [
    SCHEMA_ORG,
    {
        "@version": 1.1,
        "oa": OA,
        "SpecificResource": "oa:SpecificResource",
        "source": {"@id": "oa:hasSource", "@type": "@id"},
        "selector": {"@id": "oa:hasSelector", "@context": ANNOTATIONS},
    },
]
