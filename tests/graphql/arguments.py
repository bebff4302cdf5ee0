"""Meaningful argument values for schemathesis's positive GraphQL cases.

GraphQL's `ID`, `String` and `Int` cannot say "an id that exists", "a cursor this API issued"
or "1 to 100", so a schema-valid random value is often one the API must refuse (and does,
with BAD_USER_INPUT). For positive cases, ids become real ones of the right type, `first`
falls within 1..100, `after` (a cursor) is dropped, NUL characters (which PostgreSQL text
cannot hold) are removed from strings and a search's `query` with no word in it (refused:
nothing to search for) becomes one, as an empty list of `types` becomes null; everything
else stays as generated.
"""

from __future__ import annotations

import base64
import itertools
import re
import unicodedata
from typing import Any

from graphql import (
    ArgumentNode,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectFieldNode,
    StringValueNode,
    Visitor,
    parse,
    print_ast,
    visit,
)

from api.db.embedded import wheel_install_dir
from api.store.search import tsquery

SLUGS = {
    "Actor": ["vladimir-putin", "cis", "melinda-haring"],
    "Statement": ["tokayev-attempted-coup", "haring-hand-behind-the-scenes"],
    "Claim": ["unrest-had-foreign-backing", "us-involved-in-protests"],
    "Event": ["kazakhstan-unrest-2022", "troop-deployment-2022"],
    "Evidence": ["seven-gun-shops-seized"],
    "Source": ["kazakhstan-2022"],
}
#: Which type an id-valued argument or filter field refers to.
REFERS_TO = {
    "actor": "Actor",
    "statement": "Statement",
    "claim": "Claim",
    "event": "Event",
    "evidence": "Evidence",
    "source": "Source",
    "speaker": "Actor",
    "offeredBy": "Actor",
    "parent": "Event",
}
GLOBAL_IDS = [
    base64.b64encode(f"{kind}:{slug}".encode()).decode()
    for kind, slugs in SLUGS.items()
    for slug in slugs
]


#: PostgreSQL's English stop words, which a search drops (after folding accents: `â` is `a`).
STOP_WORDS = set(
    (wheel_install_dir() / "share" / "tsearch_data" / "english.stop").read_text().split()
)


def _folded(word: str) -> str:
    """`word` in lower case without its accents, as the `claimgraph` configuration reads it."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _searchable(text: str) -> bool:
    """Whether PostgreSQL finds a word to search for in `text` (one not a stop word)."""
    try:
        query = tsquery(text.replace("\x00", ""))
    except ValueError:
        return False
    return any(_folded(word) not in STOP_WORDS for word in re.findall(r"\w+", query))


class _Realistic(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.field: list[str] = []
        self.counter = itertools.count()

    def enter_field(self, node: Any, *_: Any) -> None:
        self.field.append(node.name.value)

    def leave_field(self, node: Any, *_: Any) -> None:
        self.field.pop()

    def _pick(self, pool: list[str]) -> StringValueNode:
        return StringValueNode(value=pool[next(self.counter) % len(pool)])

    def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
        name = node.name.value
        if name == "first":
            value = node.value
            number = int(value.value) if isinstance(value, IntValueNode) else 5
            return ArgumentNode(
                name=node.name, value=IntValueNode(value=str(min(max(number, 1), 100)))
            )
        if name == "after":
            return ArgumentNode(name=node.name, value=NullValueNode())
        if name == "id":
            kind = REFERS_TO.get(self.field[-1]) if self.field else None
            return ArgumentNode(
                name=node.name, value=self._pick(SLUGS[kind] if kind else GLOBAL_IDS)
            )
        if name == "types" and self.field[-1:] == ["search"]:
            # An empty list names no type to search: refused, like an unknown type.
            if isinstance(node.value, ListValueNode) and not node.value.values:
                return ArgumentNode(name=node.name, value=NullValueNode())
            return None
        if name == "query" and self.field[-1:] == ["search"]:
            value = node.value
            if not isinstance(value, StringValueNode) or not _searchable(value.value):
                return ArgumentNode(name=node.name, value=StringValueNode(value="revolution"))
            return None
        if name == "ids":
            return ArgumentNode(
                name=node.name,
                value=ListValueNode(values=(self._pick(GLOBAL_IDS), self._pick(GLOBAL_IDS))),
            )
        return None

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        # PostgreSQL text cannot hold NUL: the API refuses it (BAD_USER_INPUT).
        if "\x00" in node.value:
            return StringValueNode(value=node.value.replace("\x00", ""))
        return None

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> Any:
        kind = REFERS_TO.get(node.name.value)
        if kind and isinstance(node.value, StringValueNode):
            return ObjectFieldNode(name=node.name, value=self._pick(SLUGS[kind]))
        return None


def realistic(case: Any) -> None:
    """Rewrite a positive case's query in place (negative cases are left alone)."""
    if not case.meta or not case.meta.generation.mode.is_positive:
        return
    body = case.body
    query = body["query"] if isinstance(body, dict) else body
    rewritten = print_ast(visit(parse(query), _Realistic()))
    if isinstance(body, dict):
        body["query"] = rewritten
    else:
        case.body = rewritten
