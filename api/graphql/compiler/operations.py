"""Which path answers an operation, and the compiled path's caches.

A document is parsed and validated once (under the same guards as the reference path: token,
depth, alias and cost limits) and kept by the SHA-256 of its text with the operation name.
An operation the compiler covers keeps one compiled statement per key of its variables
(`plan.statement_key`); a request then costs: coercing its variables, a dict lookup, a few getters,
and one round trip whose JSON text is the response. Anything else (a parse or validation
error, a mutation, introspection, an argument the checks refuse) is answered by the reference
path, so its errors are exactly the reference path's.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_variable_values,
    parse,
    specified_rules,
)
from strawberry.schema.schema import validate_document

from api.db.engine import Database
from api.graphql.compiler.plan import Compiler, Run, Unsupported, statement_key
from api.store.kit.compiled import Compiled

K = TypeVar("K")
V = TypeVar("V")

#: How many documents, and shapes per operation, are kept compiled.
DOCUMENTS = 512
SHAPES = 64


class LRU(Generic[K, V]):
    """A bounded mapping that forgets the least recently used entry."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> V:
        self.entries[key] = value
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return value


@dataclass
class PreparedOperation:
    """A parsed, validated query operation that the compiler may cover."""

    schema: GraphQLSchema
    definition: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    statements: LRU[Any, Compiled | Unsupported] = field(default_factory=lambda: LRU(SHAPES))

    @property
    def name(self) -> str | None:
        return self.definition.name.value if self.definition.name else None

    def statement(self, variables: Mapping[str, Any]) -> Compiled | None:
        """The compiled statement for these variables (None: not covered)."""
        key = statement_key(dict(variables))
        found = self.statements.get(key)
        if found is None:
            try:
                found = Compiler(self.schema, self.fragments, variables).root(self.definition)
            except Unsupported as unsupported:
                found = unsupported
            self.statements.put(key, found)
        return found if isinstance(found, Compiled) else None

    async def execute(
        self, database: Database, variables: Mapping[str, Any] | None
    ) -> bytes | None:
        """The response body, or None where the reference path must answer."""
        coerced = get_variable_values(
            self.schema, self.definition.variable_definitions or (), dict(variables or {})
        )
        if isinstance(coerced, list):
            return None
        statement = self.statement(coerced.coerced)
        if statement is None:
            return None
        try:
            arguments = statement.arguments(Run(coerced.coerced))
        except Exception:
            return None
        data = await statement.fetchval(database, arguments)
        return b'{"data":' + str(data).encode() + b"}"


def digest(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class PreparedOperations:
    """Documents by hash, each parsed and validated once; what they are for each operation."""

    def __init__(
        self,
        schema: GraphQLSchema,
        rules: Sequence[type[ASTValidationRule]],
        *,
        max_tokens: int,
    ) -> None:
        self.schema = schema
        self.rules = (*specified_rules, *rules)
        self.max_tokens = max_tokens
        self.documents: LRU[str, DocumentNode | Exception] = LRU(DOCUMENTS)
        self.operations: LRU[tuple[str, str | None], PreparedOperation | str] = LRU(DOCUMENTS)

    def document(self, query: str, key: str) -> DocumentNode | None:
        found = self.documents.get(key)
        if found is None:
            try:
                parsed = parse(query, max_tokens=self.max_tokens)
                errors: list[GraphQLError] = validate_document(self.schema, parsed, self.rules)
                found = parsed if not errors else ValueError("invalid")
            except GraphQLError as error:
                found = error
            self.documents.put(key, found)
        return found if isinstance(found, DocumentNode) else None

    def operation(self, query: str, name: str | None) -> PreparedOperation | str:
        """The operation to compile, or why the reference path must answer it."""
        key = digest(query)
        found = self.operations.get((key, name))
        if found is None:
            found = self._operation(query, key, name)
            self.operations.put((key, name), found)
        return found

    def _operation(self, query: str, key: str, name: str | None) -> PreparedOperation | str:
        document = self.document(query, key)
        if document is None:
            return "invalid"
        definitions = [
            item for item in document.definitions if isinstance(item, OperationDefinitionNode)
        ]
        if name is not None:
            definitions = [item for item in definitions if item.name and item.name.value == name]
        if len(definitions) != 1:
            return "operation"
        [definition] = definitions
        if definition.operation is not OperationType.QUERY:
            return str(definition.operation.value)
        fragments = {
            item.name.value: item
            for item in document.definitions
            if isinstance(item, FragmentDefinitionNode)
        }
        return PreparedOperation(self.schema, definition, fragments)
