"""GraphQL types made from the representations the store declares once for both transports
(api/store/kit/representations.py, a claim's dossier): the same fields, in the same order,
with the same descriptions.

A representation's `id` is GraphQL's `slug` (GraphQL's `id` is a global id); a field holding
another representation holds the GraphQL type made of it. Each type is a `JsonRow`: built
from the representation's JSON (`of_json`), and read by the compiler as keys of a JSON
document.
"""

from __future__ import annotations

import inspect
import types
from typing import Any, Literal, Self, Union, get_args, get_origin

import strawberry
from pydantic import BaseModel

from api.graphql.fields import SQL, ColumnOf, column
from api.graphql.names import described


@strawberry.type
class JsonRow:
    """An object of a JSON document: its fields are the document's keys."""

    @classmethod
    def of_json(cls, data: dict[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for field in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            if field.base_resolver is not None:  # a field of a subclass, resolved on its own
                continue
            mark = field.metadata.get(SQL)
            key = mark.name if isinstance(mark, ColumnOf) and mark.name else field.python_name
            values[field.python_name] = from_json(field.type, data.get(key))
        return cls(**values)

    @classmethod
    def of_model(cls, model: BaseModel) -> Self:
        return cls.of_json(model.model_dump(mode="json"))


def from_json(kind: Any, value: Any) -> Any:
    """`value` of a document as the GraphQL type `kind` holds it (nested objects built)."""
    inner = getattr(kind, "of_type", None)
    if value is None:
        return None
    if inner is not None and isinstance(value, list):
        return [from_json(inner, item) for item in value]
    if inner is not None:
        return from_json(inner, value)
    if isinstance(kind, type) and issubclass(kind, JsonRow):
        return kind.of_json(value)
    return value


#: The GraphQL type made of each representation, by its model.
MADE: dict[type[BaseModel], Any] = {}


def _annotation(annotation: Any) -> Any:
    """The GraphQL annotation for a representation field's annotation."""
    origin = get_origin(annotation)
    if origin is Literal:  # words of a closed set (a reason): their type
        return type(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        inner = [item for item in get_args(annotation) if item is not type(None)]
        return _annotation(inner[0]) | None
    if origin is list:
        return list[_annotation(get_args(annotation)[0])]  # type: ignore[misc]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return MADE[annotation]
    return annotation


def object_type(
    model: type[BaseModel], name: str | None = None, *, without: tuple[str, ...] = ()
) -> Any:
    """The GraphQL type of `model` (named `name`, else as the model), but the fields
    `without`; representations it holds must be made first."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__annotations__": annotations}
    for field_name, info in model.model_fields.items():
        if field_name in without:
            continue
        key = "slug" if field_name == "id" else field_name
        annotations[key] = _annotation(info.annotation)
        namespace[key] = column(
            name="id" if field_name == "id" else None, description=described(info.description)
        )
    description = described(inspect.cleandoc(model.__doc__ or "")) or None
    made = strawberry.type(
        type(name or model.__name__, (JsonRow,), namespace), description=description
    )
    MADE[model] = made
    return made
