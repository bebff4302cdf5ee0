"""The shell examples of the README and the guides, read as a reader reads them and run as
a reader would paste them.

The convention (docs/README's and each guide's, stated in docs/reading.md):

- A ```sh block is a terminal session: a line starting with `$ ` is a command (it goes on
  over the next lines while the shell would wait for more: a trailing `\\`, an open quote,
  a trailing `|`, a here-document); the lines after it, up to the next `$ `, are what it
  prints (standard output and standard error, as a terminal shows them).
- A line `...` in the output stands for any number of lines left out.
- A command succeeds (exit status 0) unless it says otherwise in a comment at its end,
  `# exits 2`: a refusal shown on purpose.
- A block that is not meant to be run here says so in its info string: ```sh no-run
  (starting the server itself, a benchmark that takes minutes, Docker).
- Values that differ from run to run are masked on both sides before comparing: ETags,
  request ids and other 32-digit hex, secrets, UUIDs, timestamps, durations, sizes in
  bytes, and the server's port (the text says 8000, `PORT` picks another).

Each document runs in one bash session, in order, so that what a command sets (`BASE`,
`KEY`, `ETAG`) is there for the next.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Info-string word that keeps a block from running.
NO_RUN = "no-run"
#: Languages of fenced blocks that are terminal sessions.
SESSIONS = {"sh", "console"}
_EXITS = re.compile(r"#\s*exits (\d+)\s*\Z")
_FENCE = re.compile(r"^```([a-z]*)([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
#: What varies from run to run, and what it reads as once masked.
_MASKS = [
    (re.compile(r"cg_[A-Za-z0-9_-]{43}"), "<secret>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"\b[0-9a-f]{32}\b"), "<hex>"),
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?"), "<time>"),
    (re.compile(r"(?im)^date: .*$"), "date: <date>"),
    (re.compile(r"\b\d+\.\d+ ?m?s\b"), "<duration>"),
    (re.compile(r"\b\d{1,3}(,\d{3})* bytes\b"), "<size> bytes"),
]


@dataclass(frozen=True)
class Example:
    """One command of a document, where it is, and what the text says it prints."""

    document: str
    line: int
    command: str
    expected: tuple[str, ...]

    @property
    def where(self) -> str:
        return f"{self.document}:{self.line}"

    @property
    def status(self) -> int:
        """The exit status the text promises: 0, or what `# exits N` at its end says."""
        said = _EXITS.search(self.command)
        return int(said.group(1)) if said else 0


class ConventionError(AssertionError):
    """A block the convention cannot read: it would not run as written."""


def _incomplete(command: str) -> bool:
    """True while bash would wait for more of `command` (an open quote, a trailing pipe, a
    here-document not yet ended)."""
    if command.endswith("\\"):
        return True
    checked = subprocess.run(
        ["bash", "-n", "-c", command], capture_output=True, text=True, check=False
    )
    # An open quote or a trailing pipe is an error, an open here-document a warning.
    return any(
        said in checked.stderr
        for said in ("unexpected EOF", "unexpected end of file", "here-document")
    )


def examples(text: str, document: str) -> Iterator[Example]:
    """The commands of `text`'s runnable blocks in order, each with its expected output."""
    for fence in _FENCE.finditer(text):
        language, info, body = fence.group(1), fence.group(2).split(), fence.group(3)
        if language not in SESSIONS or NO_RUN in info:
            continue
        first = text.count("\n", 0, fence.start()) + 2
        lines = body.splitlines()
        if not lines or not lines[0].startswith("$ "):
            raise ConventionError(
                f"{document}:{first - 1}: a ```{language} block runs as a terminal session: start "
                f"its commands with '$ ', or mark it ```{language} {NO_RUN}"
            )
        index = 0
        while index < len(lines):
            start = index
            command = lines[index][2:]
            index += 1
            while _incomplete(command):
                if index == len(lines):
                    raise ConventionError(f"{document}:{first + start}: the command never ends")
                command += "\n" + lines[index]
                index += 1
            expected = []
            while index < len(lines) and not lines[index].startswith("$ "):
                expected.append(lines[index])
                index += 1
            yield Example(document, first + start, command, tuple(expected))


def mask(lines: list[str] | tuple[str, ...], port: int | None = None) -> list[str]:
    """`lines` with what varies from run to run masked, trailing blanks and blank lines gone."""
    text = "\n".join(line.rstrip() for line in lines)
    if port is not None:
        text = re.sub(rf"\b(127\.0\.0\.1|localhost):{port}\b", r"\1:8000", text)
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text.rstrip("\n").split("\n") if text.strip() else []


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line for line, a `...` line standing for any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


_MARK = "@@claimgraph-example-done@@"
_ENDED = re.compile(rf"\n{_MARK} (\d+)\n")


@dataclass(frozen=True)
class Outcome:
    """What a command printed, as lines, and its exit status."""

    lines: list[str]
    status: int


def script(commands: list[str], prelude: str = "") -> str:
    """One bash script running `commands` in order, each followed by a line marking its
    end with its exit status."""
    parts = ["exec 2>&1", prelude]
    for command in commands:
        parts += [command, f"printf '\\n%s %s\\n' '{_MARK}' \"$?\""]
    return "\n".join(parts) + "\n"


def run(
    document: list[Example], *, cwd: Path, env: dict[str, str], prelude: str = "", timeout: float
) -> list[Outcome]:
    """Run a document's examples in one bash session; what each printed, and its status."""
    # From a file, so that a command reading standard input does not read the script.
    session = cwd.parent / "session.sh"
    session.write_text(script([example.command for example in document], prelude))
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", str(session)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )
    parts = _ENDED.split(done.stdout.replace("\r\n", "\n"))
    outcomes = [
        Outcome(lines=output.split("\n"), status=int(status))
        for output, status in zip(parts[0:-1:2], parts[1::2], strict=True)
    ]
    if len(outcomes) != len(document):
        raise AssertionError(
            f"the session stopped after {len(outcomes)} of {len(document)} commands:\n"
            f"{done.stdout}{done.stderr}"
        )
    return outcomes


def record(text: str, found: list[Example], outputs: list[Outcome], port: int) -> str:
    """`text` with each example's output as run in place of the one written, where they
    differ once masked (and the written one leaves nothing out with `...`)."""
    lines = text.split("\n")
    for example, outcome in reversed(list(zip(found, outputs, strict=True))):
        output = outcome.lines
        actual = mask(output, port)
        if "..." in example.expected or matches(mask(example.expected), actual):
            continue
        shown = _unmasked(output, port)
        start = example.line - 1 + example.command.count("\n") + 1
        lines[start : start + len(example.expected)] = shown
    return "\n".join(lines)


def _unmasked(output: list[str], port: int) -> list[str]:
    """The output as the text shows it: the port as 8000, trailing blank lines gone."""
    text = "\n".join(line.rstrip() for line in output)
    text = re.sub(rf"\b(127\.0\.0\.1|localhost):{port}\b", r"\1:8000", text)
    return text.rstrip("\n").split("\n") if text.strip() else []
