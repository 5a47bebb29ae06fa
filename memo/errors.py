"""Problems with user input, each pinned to a file, line and field.

Every stage reports trouble as :class:`Problem` values and raises
:class:`MemoError` carrying all of them, so ``memo check`` can list every
problem at once and the CLI can print them without a traceback.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, where it is, and how to fix it."""

    path: Path | None
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None
    detail: str | None = None

    def location(self, root: Path | None = None) -> str:
        if self.path is None:
            return "memo"
        text = relative(self.path, root)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text

    def render(self, root: Path | None = None) -> str:
        """``file:line:col: field: message`` then indented detail and hint lines."""
        head = f"{self.location(root)}: "
        if self.field:
            head += f"{self.field}: "
        lines = [head + self.message]
        if self.detail:
            lines.extend("    " + part for part in self.detail.splitlines())
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


class MemoError(Exception):
    """Raised with every problem found; the CLI prints them and exits 1."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.render() for p in self.problems))


def relative(path: Path, root: Path | None) -> str:
    """``path`` as the user sees it: relative to the project when it is inside it."""
    if root is not None:
        with contextlib.suppress(ValueError):
            return str(path.resolve().relative_to(root.resolve()))
    return str(path)


def inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (links resolved) lies within ``folder``: the one test every sandboxed read uses."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The nearest valid name, as a hint (``did you mean 'claims'?``)."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None
