"""Accessible structure (PDF/UA needs it) and reading level, read from the real outputs."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from memo import build, load_project
from memo.select import reading_grade, select_positions, text_of

from .conftest import REPO

AUDIENCES = ("students", "policymakers", "public")


def page(built: Path, audience: str) -> BeautifulSoup:
    return BeautifulSoup((built / audience / "memo" / "tiangong-brief.html").read_text("utf-8"), "html.parser")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_headings_start_at_one_and_never_skip_a_level(built: Path, audience: str) -> None:
    levels = [int(h.name[1]) for h in page(built, audience).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert max(levels) <= 3  # plain-language guidance: at most three heading levels


@pytest.mark.parametrize("audience", AUDIENCES)
def test_tables_have_header_cells_and_language_is_declared(built: Path, audience: str) -> None:
    html = page(built, audience)
    assert html.html["lang"] == "en"
    assert html.title.get_text() == "China’s space station and the West: compete or cooperate?"
    for table in html.find_all("table"):
        assert table.find("th", scope=True), table.get("class")
    assert all(img.get("alt") for img in html.find_all("img"))


def test_students_read_at_their_target_grade_and_below_policymakers(built: Path) -> None:
    project = load_project(REPO)
    grades = {}
    for name in ("students", "policymakers"):
        audience = project.audiences[name]
        grades[name] = reading_grade(text_of(select_positions(project, audience), audience))
    assert grades["students"] is not None and grades["students"] <= project.audiences["students"].reading_grade
    assert grades["students"] < grades["policymakers"] - 2


def test_build_report_carries_pages_and_grades(tmp_path: Path) -> None:
    report = build(load_project(REPO), audiences=["public"], kinds=["memo"], formats=["pdf"], out=tmp_path)
    (document,) = report.documents
    assert document.pages and document.pages >= 2
    assert document.reading_grade is not None
    assert report.written == [tmp_path / "public" / "memo" / "tiangong-brief.pdf"]
