"""How tests/examples.py reads a document: which blocks run, where a command ends, what its
output is, and what is masked; so that a document fails for what it says, not for how."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import examples

DOCUMENT = """\
Text.

```sh
$ BASE=http://127.0.0.1:${PORT:-8000}
$ curl -s $BASE/v1/claims \\
    | jq -c '{first: .data[0].id,
      count: (.data | length)}'
{"first":"a","count":2}
$ cat > body.json <<'EOF'
{"text": "d'etat"}
EOF
$ echo done
done
$ false   # exits 1
```

```sh no-run
python3 run.py serve
```

```json
{"not": "run"}
```
"""


def test_commands_their_continuations_and_their_output() -> None:
    found = list(examples.examples(DOCUMENT, "doc.md"))
    assert [example.line for example in found] == [4, 5, 9, 12, 14]
    assert found[1].command.endswith("(.data | length)}'")
    assert found[1].expected == ('{"first":"a","count":2}',)
    assert found[2].command.endswith("EOF") and found[2].expected == ()
    assert found[3].expected == ("done",) and found[3].status == 0
    assert found[4].status == 1


def test_a_block_without_commands_must_say_it_does_not_run() -> None:
    with pytest.raises(examples.ConventionError, match=r"doc.md:2: .*```sh no-run"):
        list(examples.examples("\n```sh\ncurl -s localhost:8000\n```\n", "doc.md"))


def test_a_command_that_never_ends_is_refused() -> None:
    with pytest.raises(examples.ConventionError, match="never ends"):
        list(examples.examples("```sh\n$ echo 'open\n```\n", "doc.md"))


def test_what_varies_is_masked() -> None:
    output = [
        'etag: W/"dbed51ebf088fc7a03533ef8403883a1"',
        "cg_59UT0lXLBjvhPZGFVJF_IfjUOD0EYnA7SuXuV-f_1Wk",
        '{"created_at":"2026-11-26T02:00:33.740161+00:00"}',
        "link: <http://127.0.0.1:43123/v1/claims>",
        "loaded in 0.16s",
        "",
    ]
    assert examples.mask(output, port=43123) == [
        'etag: W/"<hex>"',
        "<secret>",
        '{"created_at":"<time>"}',
        "link: <http://127.0.0.1:8000/v1/claims>",
        "loaded in <duration>",
    ]


@pytest.mark.parametrize(
    ("expected", "actual", "match"),
    [
        (["a", "...", "d"], ["a", "b", "c", "d"], True),
        (["a", "..."], ["a"], True),
        (["a", "d"], ["a", "b", "d"], False),
        (["a"], ["a", "b"], False),
    ],
)
def test_an_ellipsis_stands_for_lines_left_out(
    expected: list[str], actual: list[str], match: bool
) -> None:
    assert examples.matches(expected, actual) is match


def test_a_session_keeps_its_variables_and_each_commands_status(tmp_path: Path) -> None:
    """One bash session for a document: a variable set by one command is there for the
    next; output without a final newline still ends where the next command begins."""
    text = "```sh\n$ NAME=claimgraph\n$ printf %s $NAME\nclaimgraph\n$ grep -q x /dev/null\n```\n"
    found = list(examples.examples(text, "doc.md"))
    folder = tmp_path / "checkout"
    folder.mkdir()
    outcomes = examples.run(found, cwd=folder, env={"PATH": "/usr/bin:/bin"}, timeout=30)
    assert [examples.mask(outcome.lines) for outcome in outcomes] == [[], ["claimgraph"], []]
    assert [outcome.status for outcome in outcomes] == [0, 0, 1]
