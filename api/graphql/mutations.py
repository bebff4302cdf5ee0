"""GraphQL mutations: the store's write commands, with input types and typed results.

For each kind of record there are `create…`, `update…` and `delete…` mutations. Their inputs
are made from the same documents REST takes (each kind's `Form`), field by field; an update
takes only the fields that change (`null` clears one) and the `expectedVersion` the client
read, as REST takes `If-Match`. Every outcome is a member of the payload union: the record
written, or what stopped it (`ValidationFailed`, `SpanMismatch`, `NotFound`,
`VersionConflict`, ...), each implementing `MutationError`. The API key comes in the same
`Authorization: Bearer` header as for REST. Mutations always run on the resolvers' path.
"""

from __future__ import annotations

import enum
import inspect
import types
from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, Union, get_args, get_origin

import strawberry
from pydantic import BaseModel
from strawberry.scalars import JSON

from api.errors import (
    AlreadyExists as AlreadyExistsError,
)
from api.errors import (
    ClaimgraphError,
    Forbidden,
    InvalidArgument,
    PreconditionFailed,
    Unauthorized,
)
from api.errors import (
    NotFound as NotFoundError,
)
from api.errors import (
    ReanchorFailed as ReanchorFailedError,
)
from api.errors import (
    SpanMismatch as SpanMismatchError,
)
from api.errors import (
    StillReferenced as StillReferencedError,
)
from api.graphql.fields import with_signature
from api.graphql.ids import to_slug
from api.graphql.names import camel, described
from api.graphql.represented import object_type
from api.graphql.types import NODE_TYPES
from api.requests import request_id
from api.store.entities import ENTITIES, WRITABLE
from api.store.kit.representations import ENTITY, ID, MESSAGE, ProblemLostQuote, ProblemReferrer
from api.store.kit.representations import MovedSpan as MovedSpanShape
from api.store.writes import commands
from api.store.writes import transaction as writing
from api.store.writes.forms import Form
from api.store.writes.transaction import Tx

# -- what can go wrong ------------------------------------------------------------------------


@strawberry.interface(description="Why a mutation changed nothing.")
class MutationError:
    message: str = strawberry.field(description=MESSAGE)


@strawberry.type(description="One invalid input field.")
class FieldProblem:
    field: str = strawberry.field(description="The input field at fault (`saidOn`, `span.start`).")
    message: str = strawberry.field(description="What is wrong with it.")


@strawberry.type(description="The input is not valid: each field at fault, and why.")
class ValidationFailed(MutationError):
    errors: list[FieldProblem] = strawberry.field(description="Each field at fault.")


@strawberry.type(description="A quote is not its span of the source text (or not in it).")
class SpanMismatch(MutationError):
    quote: str = strawberry.field(description="The quote as given.")


@strawberry.type(description="No record of this kind has this id.")
class NotFound(MutationError):
    entity: str = strawberry.field(description="The kind of record asked for.")
    slug: str = strawberry.field(description="The slug asked for.")


@strawberry.type(description="A record of this kind already has this id.")
class AlreadyExists(MutationError):
    entity: str = strawberry.field(description=ENTITY)
    slug: str = strawberry.field(description="The slug already taken.")


@strawberry.type(description="The record changed since it was read: `expectedVersion` is stale.")
class VersionConflict(MutationError):
    entity: str = strawberry.field(description=ENTITY)
    slug: str = strawberry.field(description=ID)
    current_version: int = strawberry.field(description="The version the record is at now.")


if TYPE_CHECKING:  # made at run time from the representations; to mypy, any type
    Referrer: TypeAlias = Any
    LostQuote: TypeAlias = Any
    MovedSpan: TypeAlias = Any
else:
    Referrer = object_type(ProblemReferrer, "Referrer")
    LostQuote = object_type(ProblemLostQuote, "LostQuote")
    MovedSpan = object_type(MovedSpanShape, "MovedSpan")


@strawberry.type(description="Other records still refer to this one; provenance is never cascaded.")
class StillReferenced(MutationError):
    referrers: list[Referrer] = strawberry.field(description="What still refers to the record.")


@strawberry.type(description="The source's new text loses or blurs quotes: nothing changed.")
class ReanchorFailed(MutationError):
    lost: list[LostQuote] = strawberry.field(description="The quotes the new text loses.")


@strawberry.enum(description="Why the API key was not enough.")
class NotAuthorizedReason(enum.Enum):
    MISSING_KEY = "missing_key"
    INVALID_KEY = "invalid_key"
    INSUFFICIENT_SCOPE = "insufficient_scope"


@strawberry.type(description="Mutations need `Authorization: Bearer <key>` with the `write` scope.")
class NotAuthorized(MutationError):
    reason: NotAuthorizedReason = strawberry.field(description="What was missing.")


def problem(error: ClaimgraphError) -> MutationError:
    """The typed result for a refusal of the store."""
    message = error.message
    if isinstance(error, Unauthorized):
        reason = (
            NotAuthorizedReason.INVALID_KEY
            if error.invalid_token
            else NotAuthorizedReason.MISSING_KEY
        )
        return NotAuthorized(message=message, reason=reason)
    if isinstance(error, Forbidden):
        return NotAuthorized(message=message, reason=NotAuthorizedReason.INSUFFICIENT_SCOPE)
    if isinstance(error, SpanMismatchError):
        return SpanMismatch(message=message, quote=error.quote)
    if isinstance(error, NotFoundError):
        return NotFound(message=message, entity=error.entity, slug=error.id)
    if isinstance(error, AlreadyExistsError):
        return AlreadyExists(message=message, entity=error.entity, slug=error.id)
    if isinstance(error, PreconditionFailed):
        return VersionConflict(
            message=message, entity=error.entity, slug=error.id, current_version=error.version
        )
    if isinstance(error, StillReferencedError):
        referrers = [Referrer(entity=item.entity, slug=item.id) for item in error.referrers]
        return StillReferenced(message=message, referrers=referrers)
    if isinstance(error, ReanchorFailedError):
        lost = [
            LostQuote(entity=item.entity, slug=item.id, quote=item.quote, reason=item.reason)
            for item in error.lost
        ]
        return ReanchorFailed(message=message, lost=lost)
    errors = error.errors if isinstance(error, InvalidArgument) else []
    return ValidationFailed(
        message=message,
        errors=[FieldProblem(field=item.field, message=item.message) for item in errors],
    )


# -- inputs made from the documents -----------------------------------------------------------

_INPUTS: dict[str, Any] = {}


def _graphql_type(annotation: Any) -> Any:
    """The GraphQL input type of a document field's annotation."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _graphql_type(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        inner = [item for item in get_args(annotation) if item is not type(None)]
        return _graphql_type(inner[0])
    if origin is list:
        return list[_graphql_type(get_args(annotation)[0])]  # type: ignore[misc]
    if origin is dict:
        return JSON
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return input_type(annotation, f"{annotation.__name__}", partial=False)
    if annotation is datetime or (
        isinstance(annotation, type) and issubclass(annotation, datetime)
    ):
        return datetime
    if annotation in (str, int, bool, float, date) or (
        isinstance(annotation, type) and issubclass(annotation, enum.Enum)
    ):
        return annotation
    return str


def input_type(
    model: type[BaseModel], name: str, *, partial: bool, references: Collection[str] = ()
) -> Any:
    """A strawberry input with one field per document field; every field optional (UNSET)
    but, unless `partial`, the ones the document requires."""
    if name in _INPUTS:
        return _INPUTS[name]
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__annotations__": annotations}
    for field_name, info in model.model_fields.items():
        if partial and field_name == "id":
            continue  # the record is named by the mutation's `id`, and never renamed
        graphql = _graphql_type(info.annotation)
        help = described(info.description)
        if info.is_required() and not partial:
            annotations[field_name] = graphql
            namespace[field_name] = strawberry.field(description=help)
        else:
            annotations[field_name] = graphql | None
            namespace[field_name] = strawberry.field(default=strawberry.UNSET, description=help)
    description = (model.__doc__ or f"{name}.").strip().split("\n")[0]
    if references:
        description += " A record it names is given by its slug or its global id."
    if partial:
        description = "Only the fields to change; null clears one. " + description
    created = strawberry.input(type(name, (), namespace), description=description)
    _INPUTS[name] = created
    return created


def data(value: Any) -> Any:
    """An input object as the document's plain data (UNSET fields left out)."""
    if isinstance(value, enum.Enum):
        return value.value
    definition = getattr(value, "__strawberry_definition__", None)
    if definition is not None and hasattr(definition, "fields"):
        found = {}
        for field in definition.fields:
            item = getattr(value, field.python_name)
            if item is not strawberry.UNSET:
                found[field.python_name] = data(item)
        return found
    if isinstance(value, list):
        return [data(item) for item in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _slugs(form: Form, document: dict[str, Any]) -> dict[str, Any]:
    """References given as global ids become slugs (the documents name records by slug)."""
    for name, target in form.references.items():
        value = document.get(name)
        if isinstance(value, str):
            document[name] = to_slug(value, ENTITIES[target].type_name, camel(name))
    return document


# -- the mutations ----------------------------------------------------------------------------


def _success(type_name: str, verb: str, node_type: Any, *, reanchored: bool = False) -> Any:
    field = type_name[0].lower() + type_name[1:]
    annotations: dict[str, Any] = {field: node_type}
    namespace: dict[str, Any] = {
        "__annotations__": annotations,
        field: strawberry.field(description=f"The {field} as stored now."),
    }
    if reanchored:
        annotations["reanchored"] = list[MovedSpan]
        namespace["reanchored"] = strawberry.field(
            description="The spans the new text moved; empty if the text did not change."
        )
    return strawberry.type(
        type(f"{type_name}{verb}", (), namespace), description=f"The {field}, {verb.lower()}."
    )


@strawberry.type(description="The record is gone.")
class Deleted:
    slug: str = strawberry.field(description="The slug the record had.")


def _union(name: str, members: list[Any]) -> Any:
    description = "What the mutation did, or the typed reason it changed nothing."
    return Annotated[Union[tuple(members)], strawberry.union(name, description=description)]  # noqa: UP007


async def _write(info: strawberry.Info, run: Callable[[Tx], Any]) -> Any:
    context = info.context
    authorization = context.request.headers.get("authorization") if context.request else None
    async with writing.transaction(
        context.database, authorization, request_id=request_id.get()
    ) as tx:
        return await run(tx)


def _outcome(allowed: tuple[type, ...], error: ClaimgraphError) -> Any:
    found = problem(error)
    if isinstance(found, allowed):
        return found
    return ValidationFailed(message=error.message, errors=[])


def mutations_for(entity: str) -> dict[str, Any]:
    """The create, update and delete fields of one kind of record."""
    declared = WRITABLE[entity]
    form = declared.form
    assert form is not None
    node_type = NODE_TYPES[entity]
    type_name = declared.type_name
    quoted = form.quote is not None
    created = _success(type_name, "Created", node_type)
    updated = _success(type_name, "Updated", node_type, reanchored=form.reanchors)
    node_field = type_name[0].lower() + type_name[1:]
    create_errors: tuple[type, ...] = (ValidationFailed, AlreadyExists, NotAuthorized)
    update_errors: tuple[type, ...] = (ValidationFailed, NotFound, VersionConflict, NotAuthorized)
    if quoted:
        create_errors += (SpanMismatch,)
        update_errors += (SpanMismatch,)
    if form.reanchors:
        update_errors += (ReanchorFailed,)
    delete_errors = (ValidationFailed, NotFound, VersionConflict, StillReferenced, NotAuthorized)
    references = tuple(form.references)
    create_input = input_type(
        form.model, f"Create{type_name}Input", partial=False, references=references
    )
    update_input = input_type(
        form.model, f"Update{type_name}Input", partial=True, references=references
    )

    def expected(version: int) -> commands.Precondition:
        async def check(tx: Tx, current: Any) -> None:
            if current["version"] != version:
                raise PreconditionFailed(entity, current["id"], current["version"])

        return check

    async def create(root: Any, info: strawberry.Info, input: Any) -> Any:
        document = _slugs(form, data(input))

        async def run(tx: Tx) -> Any:
            written = await commands.create(tx, entity, document)
            return await written.stored(tx)

        try:
            row = await _write(info, run)
        except ClaimgraphError as error:
            return _outcome(create_errors, error)
        return created(**{node_field: node_type.of(row)})

    async def update(
        root: Any, info: strawberry.Info, id: strawberry.ID, expected_version: int, input: Any
    ) -> Any:
        try:
            slug = to_slug(str(id), type_name)
            patch = _slugs(form, data(input))

            async def run(tx: Tx) -> Any:
                written = await commands.update(
                    tx, entity, slug, patch, precondition=expected(expected_version)
                )
                return written, await written.stored(tx)

            written, row = await _write(info, run)
        except ClaimgraphError as error:
            return _outcome(update_errors, error)
        values: dict[str, Any] = {node_field: node_type.of(row)}
        if form.reanchors:
            values["reanchored"] = [MovedSpan.of_model(item.moved_span()) for item in written.moved]
        return updated(**values)

    async def delete(
        root: Any, info: strawberry.Info, id: strawberry.ID, expected_version: int
    ) -> Any:
        try:
            slug = to_slug(str(id), type_name)
            await _write(
                info,
                lambda tx: commands.delete(
                    tx, entity, slug, precondition=expected(expected_version)
                ),
            )
        except ClaimgraphError as error:
            return _outcome(delete_errors, error)
        return Deleted(slug=slug)

    def parameter(name: str, annotation: Any) -> inspect.Parameter:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)

    identity = [parameter("id", strawberry.ID), parameter("expected_version", int)]
    create_payload = _union(f"Create{type_name}Payload", [created, *create_errors])
    update_payload = _union(f"Update{type_name}Payload", [updated, *update_errors])
    delete_payload = _union(f"Delete{type_name}Payload", [Deleted, *delete_errors])
    noun = declared.one
    return {
        f"create_{entity}": strawberry.field(
            resolver=with_signature(create, [parameter("input", create_input)]),
            graphql_type=create_payload,
            description=f"Create {noun}.",
        ),
        f"update_{entity}": strawberry.field(
            resolver=with_signature(update, [*identity, parameter("input", update_input)]),
            graphql_type=update_payload,
            description=f"Change {noun}: only the fields given; `expectedVersion` is the "
            "version you read."
            + (" A new text re-anchors every quote in it, or changes nothing." * form.reanchors),
        ),
        f"delete_{entity}": strawberry.field(
            resolver=with_signature(delete, identity),
            graphql_type=delete_payload,
            description=f"Delete {noun} that nothing refers to.",
        ),
    }


def mutation_type() -> Any:
    fields: dict[str, Any] = {}
    for entity in WRITABLE:
        fields.update(mutations_for(entity))
    namespace: dict[str, Any] = {"__annotations__": {}, **fields}
    return strawberry.type(
        type("Mutation", (), namespace),
        description="Writes: need `Authorization: Bearer <key>` with the `write` scope.",
    )


ERROR_TYPES: list[Any] = [
    ValidationFailed,
    SpanMismatch,
    NotFound,
    AlreadyExists,
    VersionConflict,
    StillReferenced,
    ReanchorFailed,
    NotAuthorized,
]
