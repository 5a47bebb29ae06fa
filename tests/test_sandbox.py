"""Rendering is offline and reads no file outside the project."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from pypdf import PdfReader


@pytest.mark.parametrize("url", ["/etc/hostname", "https://example.org/logo.png", "../../outside.png"])
def test_images_outside_the_project_are_refused_and_reported(project_dir: Path, run: Callable[..., Result],
                                                             url: str) -> None:
    (project_dir.parent / "outside.png").write_bytes(b"not really a png")
    path = project_dir / "positions" / "metternich-cooperation.yaml"
    text = path.read_text("utf-8")
    start = text.index("\ntitle:") + 1
    end = text.index("\n", start)
    path.write_text(text[:start] + f'title: "Cooperate ![logo]({url})"' + text[end:], "utf-8")
    result = run(project_dir, "build", "-a", "students", "-k", "memo", "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert "refused to read" in result.output
    assert PdfReader(project_dir / "build/students/memo/tiangong-brief.pdf").pages


def test_files_inside_the_project_may_be_used(project_dir: Path, run: Callable[..., Result]) -> None:
    (project_dir / "templates" / "assets" / "fonts").mkdir(parents=True)
    # A project asset shadows a bundled one: a copy of the bundled sans font under the serif name.
    from memo.typeset import ASSETS

    (project_dir / "templates" / "assets" / "fonts" / "NotoSerif-Regular.ttf").write_bytes(
        (ASSETS / "fonts" / "NotoSans-Regular.ttf").read_bytes())
    result = run(project_dir, "build", "-a", "policymakers", "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert "refused" not in result.output
    reader = PdfReader(project_dir / "build/policymakers/memo/tiangong-brief.pdf")
    names = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("NotoSans" in n or "Memo-Serif" in n for n in names), names
