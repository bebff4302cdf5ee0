"""GraphQL's CollectFields: a selection set, with fragments, directives and merged fields.

As the execution algorithm of the specification does it (and graphql-core's executor, which
the reference path runs): fields are grouped by response key in the order they first appear,
fragment spreads are visited once per selection set, `@skip` wins over `@include`, and a
fragment applies when its type condition is the object type or an abstract type it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
    is_abstract_type,
    type_from_ast,
    value_from_ast,
)
from graphql.language import DirectiveNode

Grouped = dict[str, list[FieldNode]]


def _directive(node: Any, name: str) -> DirectiveNode | None:
    return next((item for item in node.directives or () if item.name.value == name), None)


def _if(directive: DirectiveNode | None, variables: Mapping[str, Any]) -> bool | None:
    if directive is None:
        return None
    argument = next(item for item in directive.arguments or () if item.name.value == "if")
    condition = GraphQLSkipDirective.args["if"].type
    return bool(value_from_ast(argument.value, condition, dict(variables)))


def included(node: Any, variables: Mapping[str, Any]) -> bool:
    if _if(_directive(node, GraphQLSkipDirective.name), variables):
        return False
    return _if(_directive(node, GraphQLIncludeDirective.name), variables) is not False


def _applies(
    schema: GraphQLSchema,
    fragment: FragmentDefinitionNode | InlineFragmentNode,
    type_: GraphQLObjectType,
) -> bool:
    if fragment.type_condition is None:
        return True
    condition = type_from_ast(schema, fragment.type_condition)
    if condition is type_:
        return True
    return is_abstract_type(condition) and schema.is_sub_type(condition, type_)


def collect(
    schema: GraphQLSchema,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    type_: GraphQLObjectType,
    selection_sets: Iterable[SelectionSetNode],
) -> Grouped:
    """The fields that the selection sets select on an object of `type_`, by response key."""
    grouped: Grouped = {}
    visited: set[str] = set()

    def visit(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if not included(selection, variables):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if _applies(schema, selection, type_):
                    visit(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in visited:
                    continue
                visited.add(name)
                fragment = fragments.get(name)
                if fragment is not None and _applies(schema, fragment, type_):
                    visit(fragment.selection_set)

    for selection_set in selection_sets:
        visit(selection_set)
    return grouped


def subfields(nodes: list[FieldNode]) -> list[SelectionSetNode]:
    """The selection sets of a field's nodes (merged fields select together)."""
    return [node.selection_set for node in nodes if node.selection_set is not None]
