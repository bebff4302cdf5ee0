"""Counts each GraphQL operation that strawberry executes (the resolvers' path).

The compiled path counts its own operations with `metrics.count_graphql_operation(name,
"compiled")`; together the two show how much of the traffic the compiler takes.
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from api import metrics


class CountOperations(SchemaExtension):
    """Counts the operation by name, with path "fallback", once it has run (or failed)."""

    def on_operation(self) -> Iterator[None]:
        yield
        metrics.count_graphql_operation(self.execution_context.operation_name, "fallback")
