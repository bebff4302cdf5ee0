"""JSON-LD expanded as a consumer would, by pyld, offline: contexts come from the copies in
tests/data/jsonld-contexts/ and any other URL fails the test; so does any property the
expansion drops (a term no context defines)."""

from __future__ import annotations

import json
from typing import Any

from pyld import jsonld  # type: ignore[import-untyped]

from api.jsonld import ANNOTATIONS, SCHEMA_ORG
from tests.data import DATA

#: The vendored copy of each context the documents name, by the URL they name it with.
CONTEXTS = {
    SCHEMA_ORG: DATA / "jsonld-contexts" / "schema.org.jsonld",
    ANNOTATIONS: DATA / "jsonld-contexts" / "anno.jsonld",
}

SCHEMA = "http://schema.org/"
OA = "http://www.w3.org/ns/oa#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def vendored(url: str, options: dict[str, Any]) -> dict[str, Any]:
    """pyld's document loader: the vendored copy of a context, never the network."""
    path = CONTEXTS.get(url)
    if path is None:
        raise AssertionError(f"the document needs {url}, which is not vendored")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(path.read_text(encoding="utf-8")),
    }


def expand(document: Any) -> list[dict[str, Any]]:
    """The expanded form; fails on a dropped property."""
    dropped: list[Any] = []
    expanded = jsonld.expand(
        document,
        {"documentLoader": vendored},
        on_property_dropped=lambda *args: dropped.append(args),
    )
    assert not dropped, f"expansion dropped {dropped}"
    return list(expanded)


def values(node: dict[str, Any], iri: str) -> list[Any]:
    """The plain values (`@value`) of a property."""
    return [item["@value"] for item in node.get(iri, [])]


def ids(node: dict[str, Any], iri: str) -> list[str]:
    """The IRIs a property points to."""
    return [item["@id"] for item in node.get(iri, [])]


def _terms() -> set[str]:
    """Every IRI the vendored contexts define a term for (schema.org's and Web Annotation's)."""
    known: set[str] = set()
    for path in CONTEXTS.values():
        context = json.loads(path.read_text(encoding="utf-8"))["@context"]
        prefixes = {key: value for key, value in context.items() if isinstance(value, str)}
        for definition in context.values():
            iri = definition.get("@id") if isinstance(definition, dict) else definition
            if isinstance(iri, str) and ":" in iri:
                prefix, _, local = iri.partition(":")
                known.add(prefixes[prefix] + local if prefix in prefixes else iri)
    return known


KNOWN = _terms()


def unknown_terms(expanded: Any) -> set[str]:
    """The properties and types of the expanded graph that neither vocabulary defines
    (schema.org's `@vocab` would turn a misspelled term into one silently)."""
    found: set[str] = set()
    if isinstance(expanded, list):
        for item in expanded:
            found |= unknown_terms(item)
    elif isinstance(expanded, dict):
        for key, value in expanded.items():
            if key == "@type" and "@value" not in expanded:
                found |= {iri for iri in value if iri not in KNOWN}
            elif not key.startswith("@") and key not in KNOWN:
                found.add(key)
            found |= unknown_terms(value)
    return found
