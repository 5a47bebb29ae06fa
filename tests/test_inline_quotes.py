"""Quotation marks inside our own framing are checked against the source too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result


def replace_line(path: Path, startswith: str, new: str) -> int:
    """Replace the first line starting with ``startswith``; return its 1-based number."""
    lines = path.read_text("utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith(startswith))
    lines[number] = new
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return number + 1


def test_a_misquote_inside_framing_fails_with_nearest_passage(project_dir: Path, run: Callable[..., Result]) -> None:
    path = project_dir / "positions" / "metternich-cooperation.yaml"
    line = replace_line(path, "title:", 'title: What "a cool-headed Metternich" would do')
    result = run(project_dir, "check")
    assert result.exit_code == 1
    assert f"positions/metternich-cooperation.yaml:{line}" in result.output
    assert "“a cool-headed Metternich” is in quotation marks but is not in the source" in result.output
    assert "any cool-headed Metternich" in result.output  # the nearest passage
    assert "single quotes" in result.output


def test_exact_inline_quotes_and_single_quoted_terms_pass(project_dir: Path, run: Callable[..., Result]) -> None:
    path = project_dir / "positions" / "metternich-cooperation.yaml"
    replace_line(path, "title:", "title: What “any cool-headed Metternich” would do, in ‘realist’ terms")
    result = run(project_dir, "check")
    assert result.exit_code == 0, result.output
