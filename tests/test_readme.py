"""The README's promises that CI can check: two quick-start commands, CI running the second,
and every setting, GraphQL error code and metric documented in the README or a guide."""

from __future__ import annotations

import re

from api.config import PROJECT_DIR

README = (PROJECT_DIR / "README.md").read_text()
#: The README and the guides it leads to, where reference material lives.
DOCUMENTATION = "\n".join(
    path.read_text() for path in [PROJECT_DIR / "README.md", *sorted(PROJECT_DIR.glob("docs/*.md"))]
)


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```[^\n]*\n(.*?)```", section, re.DOTALL)
    assert block is not None, "no code block in the Quick start section"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_serve_then_test() -> None:
    serve, test = quick_start_commands()
    assert serve == "python3 run.py serve"
    assert test == "python3 run.py test"


def test_ci_runs_the_readme_test_command() -> None:
    script = (PROJECT_DIR / ".ci" / "run").read_text()
    commands = [
        line
        for line in script.splitlines()
        if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))
    ]
    assert commands == [f"exec {quick_start_commands()[1]}"]


def test_every_setting_is_documented() -> None:
    from api.config import Settings

    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in DOCUMENTATION, name


def test_every_graphql_error_code_is_listed() -> None:
    codes = [
        "BAD_USER_INPUT",
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_REQUEST",
        "PAYLOAD_TOO_LARGE",
        "SERVICE_UNAVAILABLE",
        "INTERNAL_SERVER_ERROR",
    ]
    for code in codes:
        assert f"`{code}`" in DOCUMENTATION, code


def test_every_metric_is_explained() -> None:
    from prometheus_client import Counter
    from prometheus_client.metrics import MetricWrapperBase

    from api import metrics

    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            name = value._name + ("_total" if isinstance(value, Counter) else "")
            assert f"| `{name}` |" in DOCUMENTATION, name


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors for a document's headings: lower case, punctuation dropped, spaces
    as hyphens."""
    prose = re.sub(r"^```.*?^```", "", markdown, flags=re.MULTILINE | re.DOTALL)
    headings = re.findall(r"^#+ (.+)$", prose, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_links_between_the_documents_resolve() -> None:
    """The README and the guides lead to each other: every relative link names a file that
    exists, and a heading in it where it names one."""
    documents = [PROJECT_DIR / "README.md", *sorted(PROJECT_DIR.glob("docs/*.md"))]
    broken = []
    for document in documents:
        for target in re.findall(r"\]\(([^)\s]+)\)", document.read_text()):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            linked = (document.parent / path).resolve() if path else document
            if not linked.exists():
                broken.append(f"{document.name}: {target}")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked.read_text()):
                broken.append(f"{document.name}: {target} (no such heading)")
    assert not broken, broken
