"""The formats a whole list is exported in, batch by batch: CSV and NDJSON.

Both take the items as the list's JSON pages hold them (JSON text, as PostgreSQL wrote it)
and need nothing but the list's item model, so that REST's streamed lists and
`claimgraph export` write the same bytes.

**NDJSON** (`application/x-ndjson`): one item per line, exactly the JSON object of the list.

**CSV** (`text/csv`, RFC 4180, UTF-8, CRLF, a header row): one row per item and one column
per scalar field of the item model, nested objects flattened into dotted names
(`speaker.id`, `speaker.name`, `span.start`). The columns are the same for every row, in the
model's field order. A list or a mapping (`stances`, `aliases`, `identifiers`) is one cell
holding its compact JSON text; `true`/`false` for booleans, numbers as JSON writes them; an
empty cell for null (a null object empties all its columns).
"""

from __future__ import annotations

import csv
import io
import json
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from api.store.kit.views import model_in

CSV = "text/csv"
NDJSON = "application/x-ndjson"


@dataclass(frozen=True)
class Column:
    """A CSV column: the path of keys to its value in an item; `whole` for a list or a
    mapping, written as JSON text."""

    path: tuple[str, ...]
    whole: bool = False

    @property
    def name(self) -> str:
        return ".".join(self.path)

    def cell(self, item: Any) -> str:
        value = item
        for key in self.path:
            if value is None:
                return ""
            value = value[key]
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, list | dict):
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(value)  # true/false, numbers as JSON writes them


def columns(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """The CSV columns of a list whose items are `model`: its fields in order, a nested
    model's fields in its place."""
    found: list[Column] = []
    for name, info in model.model_fields.items():
        nested, many = model_in(info.annotation)
        if nested is not None and not many:
            found.extend(columns(nested, (*prefix, name)))
        else:
            found.append(Column((*prefix, name), whole=many or _is_container(info.annotation)))
    return tuple(found)


def _is_container(annotation: Any) -> bool:
    """Whether a field holds a list or a mapping (of plain values: `aliases`, `identifiers`)."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_is_container(argument) for argument in get_args(annotation))
    return origin in (list, dict) or annotation in (list, dict)


class Encoder:
    """Writes a list's items in one format: `head()` once, then `encode()` each batch."""

    content_type: str
    suffix: str

    def head(self) -> bytes:
        return b""

    def encode(self, items: Sequence[str]) -> bytes:
        raise NotImplementedError


class Ndjson(Encoder):
    content_type = NDJSON
    suffix = "ndjson"

    def encode(self, items: Sequence[str]) -> bytes:
        # A raw line break in JSON text can only be whitespace between tokens (inside a
        # string it is escaped): PostgreSQL keeps what a stored json value had.
        lines = (item.replace("\r", " ").replace("\n", " ") for item in items)
        return "".join(f"{line}\n" for line in lines).encode()


class Csv(Encoder):
    content_type = "text/csv; charset=utf-8; header=present"
    suffix = "csv"

    def __init__(self, model: type[BaseModel]) -> None:
        self.columns = columns(model)

    def head(self) -> bytes:
        return self._rows([[column.name for column in self.columns]])

    def encode(self, items: Sequence[str]) -> bytes:
        parsed = (json.loads(item) for item in items)
        return self._rows([[column.cell(item) for column in self.columns] for item in parsed])

    @staticmethod
    def _rows(rows: list[list[str]]) -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode()


#: The media types a list is exported in.
MEDIA_TYPES = (CSV, NDJSON)


def encoder(media_type: str, model: type[BaseModel]) -> Encoder:
    """The encoder of `media_type` (one of MEDIA_TYPES) for items of `model`."""
    return Csv(model) if media_type == CSV else Ndjson()


def table(media_type: str, model: type[BaseModel], rows: Sequence[BaseModel]) -> bytes:
    """Rows of `model`, whole, in `media_type` (one of MEDIA_TYPES)."""
    found = encoder(media_type, model)
    return found.head() + found.encode([row.model_dump_json() for row in rows])


def describe(model: type[BaseModel], rows: str = "Every matching item (all pages)") -> str:
    """The CSV columns of `model`, for the API reference; `rows` says what the rows are."""
    listed = ", ".join(
        f"`{column.name}`" + (" (JSON)" if column.whole else "") for column in columns(model)
    )
    return (
        f"{rows}, one row each after a header row (RFC 4180, UTF-8). "
        f"Columns: {listed}. Nested objects are flattened into dotted names; a list or "
        "mapping marked (JSON) is one cell of JSON text; null is an empty cell."
    )
