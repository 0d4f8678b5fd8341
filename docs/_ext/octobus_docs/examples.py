"""Run the Python examples of a docs page, so the docs cannot drift from the code.

Every ```` ```python ```` block of a page is an example. The blocks of one page run in
order in one namespace, as a reader pasting them one after the other would run them. A
```` ```text ```` block (or a ```` ```{code-block} text ```` with a ``:caption:``) right after
a Python block is that block's expected standard output, compared exactly. Tests in the
members' ``tests/`` folders call `run_page` for each page, and a test checks that every page
with examples is run by the test module `PAGES_WITH_EXAMPLES` names.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import re
import shlex
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DOCS_DIR",
    "PAGES_WITH_EXAMPLES",
    "CodeExample",
    "ConsoleCommand",
    "ExampleFailedError",
    "console_commands",
    "page_examples",
    "pages_with_python",
    "run_page",
]

DOCS_DIR = Path(__file__).resolve().parents[2]
"""The docs source directory."""

PAGES_WITH_EXAMPLES: dict[str, str] = {
    "guides/consuming-events.md": "schemas-client/tests/docs_examples_test.py",
    "guides/running-the-gateway.md": "producer/tests/docs_examples_test.py",
    "guides/schemas-in-ci.md": "schemas-client/tests/docs_examples_test.py",
}
"""Every page with Python examples, and the test module that runs them.

A test checks this against the pages (`pages_with_python`), so a new example cannot go
unrun: a page added here must also be run by the test module named.
"""

_FENCE = re.compile(
    r"^(?P<fence>```+|~~~+)(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


_OUTPUT_INFOS = ("text", "{code-block} text")
"""Fences that hold the output of the Python block right before them."""


@dataclass(frozen=True)
class CodeExample:
    """One Python block of a page, with the output it promises.

    Attributes
    ----------
    page
        The page, relative to the docs directory.
    line
        The line of the block's first code line in the page (1-based).
    code
        The Python source.
    expected_output
        The text block that follows it, or None when it prints nothing checked.
    """

    page: str
    line: int
    code: str
    expected_output: str | None


@dataclass(frozen=True)
class ConsoleCommand:
    """One ``$ command`` line of a ```` ```console ```` block, with the output shown after it.

    Attributes
    ----------
    page
        The page, relative to the docs directory.
    line
        The command's line in the page (1-based).
    block
        Which ```` ```console ```` block of the page it is in (0-based).
    argv
        The command, split as a shell would.
    expected_output
        The lines shown after it, up to the next command or the end of the block.
    """

    page: str
    line: int
    block: int
    argv: list[str]
    expected_output: str


class ExampleFailedError(AssertionError):
    """An example raised, or printed something other than its page says."""


def page_examples(page: str) -> list[CodeExample]:
    """Return the Python examples of a page, in order.

    Parameters
    ----------
    page
        The page, relative to the docs directory (``guides/consuming-events.md``).

    Returns
    -------
    list of CodeExample
        One per ```` ```python ```` block.
    """
    text = (DOCS_DIR / page).read_text(encoding="utf-8")
    blocks = list(_FENCE.finditer(text))
    examples = []
    for index, block in enumerate(blocks):
        if block.group("info").strip() != "python":
            continue
        expected = None
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            following is not None
            and following.group("info").strip() in _OUTPUT_INFOS
            and not text[block.end() : following.start()].strip()
        ):
            # A directive's options (":caption: Output") are not output.
            lines = following.group("body").splitlines(keepends=True)
            output = list(itertools.dropwhile(lambda line: line.startswith(":"), lines))
            if len(output) < len(lines) and output and not output[0].strip():
                output = output[1:]  # the blank line that ends the options
            expected = "".join(output)
        body, start = block.group("body"), block.start("body")
        line = text.count("\n", 0, start) + 1
        examples.append(CodeExample(page, line, body, expected))
    return examples


def console_commands(page: str, program: str) -> list[ConsoleCommand]:
    """Return the commands of a program shown in a page's console blocks, with their output.

    Parameters
    ----------
    page
        The page, relative to the docs directory.
    program
        The command name to collect (``octobus-schemas``); other commands, such as
        ``export`` lines, are not collected.

    Returns
    -------
    list of ConsoleCommand
        In page order.
    """
    text = (DOCS_DIR / page).read_text(encoding="utf-8")
    commands = []
    console_blocks = [m for m in _FENCE.finditer(text) if m.group("info").strip() == "console"]
    for block_index, block in enumerate(console_blocks):
        first_line = text.count("\n", 0, block.start("body")) + 1
        lines = block.group("body").splitlines()
        for offset, line in enumerate(lines):
            if not line.startswith(f"$ {program}"):
                continue
            output = []
            for following in lines[offset + 1 :]:
                if following.startswith("$ "):
                    break
                output.append(following + "\n")
            commands.append(
                ConsoleCommand(
                    page, first_line + offset, block_index, shlex.split(line[2:]), "".join(output)
                )
            )
    return commands


def pages_with_python() -> set[str]:
    """Return every page of the docs that has a Python example.

    Returns
    -------
    set of str
        Pages relative to the docs directory; generated and built files excluded.
    """
    pages = set()
    for path in DOCS_DIR.rglob("*.md"):
        page = path.relative_to(DOCS_DIR)
        if page.parts[0] not in ("_build", "_generated", "_ext") and page_examples(str(page)):
            pages.add(page.as_posix())
    return pages


def run_page(page: str, namespace: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run every example of a page in one namespace and check the outputs it shows.

    Parameters
    ----------
    page
        The page, relative to the docs directory.
    namespace
        Names the examples may use beyond what they import (none, normally).

    Returns
    -------
    dict
        The namespace after the last example.

    Raises
    ------
    ExampleFailedError
        If the page has no examples, an example raises, or its output differs from the
        text block after it; the message names the page and line.
    """
    examples = page_examples(page)
    if not examples:
        raise ExampleFailedError(f"{page} has no ```python examples")
    scope: dict[str, Any] = {"__name__": f"docs_example_{Path(page).stem.replace('-', '_')}"}
    scope.update(namespace or {})
    with tempfile.TemporaryDirectory(prefix="octobus-docs-") as workdir:
        for example in examples:
            _run_example(example, scope, Path(workdir))
    return scope


def _run_example(example: CodeExample, scope: dict[str, Any], workdir: Path) -> None:
    where = f"{example.page}, line {example.line}"
    # Each example is a real file, padded so its line numbers are the page's: tracebacks
    # point at the page's line, and inspect.getsource() works on what it defines
    # (FastStream's test broker reads its caller's source from disk).
    path = workdir / f"{Path(example.page).stem}_line_{example.line}.py"
    path.write_text("\n" * (example.line - 1) + example.code, encoding="utf-8")
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            exec(code, scope)  # noqa: S102 - running the docs' own examples is the point
    except Exception as error:
        raise ExampleFailedError(f"the example at {where} raised {error!r}") from error
    if example.expected_output is not None and output.getvalue() != example.expected_output:
        raise ExampleFailedError(
            f"the example at {where} printed {output.getvalue()!r}, "
            f"the page says {example.expected_output!r}"
        )
