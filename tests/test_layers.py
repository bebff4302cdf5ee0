"""The package's layers hold: each module imports only from its own layer's package or below,
and no modules import each other in a circle.

Lowest first: the words and rules everything shares, and partial dates; the database; the
store (and the request plumbing beside it); the formats the transports write; the transports,
which never import each other; the app that composes them (and the contracts and file
exports made from them); serving it; the commands. A function-level import counts
like any other: deferring an import does not change which way the dependency runs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from api.config import PROJECT_DIR

PACKAGE = PROJECT_DIR / "api"

#: Each layer's groups (a module, or a package and everything in it), lowest first. A
#: module may import from lower layers and from its own group, never from a higher layer or
#: another group of its own layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("api.vocabulary", "api.errors", "api.config", "api.caching"),
    ("api.dates",),
    ("api.db",),
    ("api.store", "api.requests", "api.metrics"),
    ("api.jsonld", "api.formats", "api.negotiation", "api.limits", "api.ratelimits", "api.logs"),
    ("api.rest", "api.graphql", "api.web"),
    ("api.app", "api.contracts", "api.exports"),
    ("api.serving",),
    ("api.cli",),
    ("api.__main__",),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module but the migrations (history, importing nothing of ours) and the root
    package's `__init__` (it only names the package)."""
    return {
        module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and path != PACKAGE / "__init__.py"
    }


def imports(path: Path, name: str, known: set[str]) -> Iterator[tuple[str, int]]:
    """Every module of the package that `path` (module `name`) imports, with the line: for
    `from package import module`, the module (a package's own `__init__` holds no code that
    matters here)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            named = [f"{base}.{alias.name}" for alias in node.names]
            for target in [item for item in named if item in known] or [base]:
                yield target, node.lineno


def group_of(name: str) -> tuple[int, str] | None:
    """The layer and group of a module of the package (None: not the package's)."""
    best: tuple[int, str] | None = None
    for index, groups in enumerate(LAYERS):
        for group in groups:
            if (name == group or name.startswith(f"{group}.")) and (
                best is None or len(group) > len(best[1])
            ):
                best = (index, group)
    return best


def graph() -> dict[str, set[tuple[str, int]]]:
    known = modules()
    edges: dict[str, set[tuple[str, int]]] = {}
    for name, path in known.items():
        edges[name] = {
            (target, line)
            for target, line in imports(path, name, set(known))
            if target in known and target != name
        }
    return edges


def test_every_module_has_a_layer() -> None:
    assert [name for name in modules() if group_of(name) is None] == []


def test_imports_run_down_the_layers() -> None:
    wrong = []
    for name, targets in graph().items():
        layer, group = group_of(name) or (-1, "")
        for target, line in sorted(targets):
            target_layer, target_group = group_of(target) or (-1, "")
            if target_layer > layer or (target_layer == layer and target_group != group):
                wrong.append(f"{name}:{line} imports {target} (layer {target_layer})")
    assert wrong == [], "\n".join(wrong)


def test_no_import_circles() -> None:
    """Among modules, counting deferred (function-level) imports too."""
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(name: str) -> None:  # Tarjan's strongly connected components
        index[name] = low[name] = len(index)
        stack.append(name)
        for target, _ in edges[name]:
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            component = []
            while True:
                item = stack.pop()
                component.append(item)
                if item == name:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in sorted(edges):
        if name not in index:
            visit(name)
    assert circles == [], "\n".join(" <-> ".join(circle) for circle in circles)
