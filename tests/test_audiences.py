"""Audiences differ in substance: what is selected, how much, in what order and register."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import Result

from memo import load_project
from memo.select import select_positions

from .conftest import REPO


def soup(built: Path, audience: str) -> BeautifulSoup:
    return BeautifulSoup((built / audience / "memo" / "tiangong-brief.html").read_text("utf-8"), "html.parser")


def section_headings(page: BeautifulSoup) -> list[str]:
    return [h.get_text(" ", strip=True) for h in page.find_all("h2")]


def test_students_get_every_scaffold_policymakers_none(built: Path) -> None:
    students = section_headings(soup(built, "students"))
    policy = section_headings(soup(built, "policymakers"))
    for scaffold in ("Before you read", "Glossary"):  # questions, actors and the timeline are in the handout and guide
        assert scaffold in students
        assert scaffold not in policy
    assert "Since the article" in students and "Since the article" in policy
    assert "Decision required" in policy and "Decision required" not in students


def test_students_glossary_explains_every_pinyin_term_it_uses(built: Path) -> None:
    page = soup(built, "students")
    terms = [dt.get_text(strip=True) for dt in page.select("dl.glossary dt")]
    page.select_one("dl.glossary").decompose()
    used = [t for t in ("Tiānhé", "fùxīng", "zhōngguó mèng", "tiānmìng", "Cháng’é") if t in page.get_text(" ")]
    assert "Tiānhé" in used
    for term in used:
        assert term in terms


def test_students_follow_the_articles_order_policymakers_priority(built: Path) -> None:
    project = load_project(REPO)
    spec = project.documents["tiangong-brief"]
    students = [s["id"] for s in soup(built, "students").select("section.position")]
    assert students == [p.id for p in select_positions(project, project.audiences["students"], spec.positions, spec.spine)]
    homes = [project.positions[i].home_order for i in students]
    assert homes == sorted(homes)  # the article's own order, by each position's home paragraph
    policy = [d["id"] for d in soup(built, "policymakers").select("div.position")]
    assert set(spec.spine) <= set(policy)  # the spine first, whatever the priorities
    assert len(policy) <= len(students)


def test_registers_differ_plain_for_students_expert_for_policymakers(built: Path) -> None:
    project = load_project(REPO)
    spec = project.documents["tiangong-brief"]
    students = soup(built, "students").select_one(".bluf").get_text(" ", strip=True)
    policy = soup(built, "policymakers").select_one(".bluf").get_text(" ", strip=True)
    assert spec.bluf_plain and spec.bluf_plain.split()[0] in students and spec.bluf.split(".")[0][-30:] in policy
    assert students != policy


def test_stance_objective_reports_the_authors_view_advocacy_recommends(built: Path) -> None:
    students = soup(built, "students")
    policy = soup(built, "policymakers")
    assert "What the author recommends" in section_headings(students)
    assert "Recommendation" in section_headings(policy)
    assert "not a neutral finding" in students.select_one(".recommendation").get_text()
    # Options keep one lettered order in every edition; advocacy marks the recommended one and says why it beats
    # each option that is not on the recommended route.
    rows = [th.get_text(" ", strip=True) for th in policy.select("table.options tbody th")]
    assert [row[:3] for row in rows] == ["(a)", "(b)", "(c)"][: len(rows)]
    spec = load_project(REPO).documents["tiangong-brief"]
    recommended = [o.id for o in spec.options].index(spec.recommendation.option)
    assert "(recommended)" in rows[recommended]
    route = spec.recommendation.route or [spec.recommendation.option]
    assert len(policy.select(".recommendation li")) == len([o for o in spec.recommendation.over if o not in route])


def test_quotes_are_cited_with_their_paragraph_everywhere(built: Path) -> None:
    for audience in ("students", "policymakers", "public"):
        quotes = soup(built, audience).select("blockquote.evidence")
        assert quotes
        for quote in quotes:
            assert "¶" in quote.select_one(".cite").get_text() or "key point" in quote.select_one(".cite").get_text()


def test_framing_is_marked_as_ours(built: Path) -> None:
    page = soup(built, "students")
    cards = page.select("section.position")
    assert cards and all(card.select_one(".thesis .voice") for card in cards)  # each says whose view its thesis is
    assert "our framing" in page.select_one(".legend").get_text()


def test_background_facts_carry_date_source_and_as_of_date(built: Path) -> None:
    page = soup(built, "students")
    facts = page.select("li.fact")
    assert facts
    for fact in facts:
        assert re.search(r"\b(19|20)\d\d\b", fact.select_one(".when").get_text())
        ref = fact.select_one("a[href^='#fact-source-']")
        assert ref is not None
        source = page.select_one(ref["href"]).get_text()
        assert "as of" in source


def build_own_audience(project_dir: Path, run: Callable[..., Result], name: str, body: str) -> str:
    """Write audiences/<name>.yaml, build it as HTML, return the memo's HTML."""
    (project_dir / "audiences").mkdir()
    (project_dir / "audiences" / f"{name}.yaml").write_text(body, "utf-8")
    result = run(project_dir, "build", "--audience", name, "--format", "html")
    assert result.exit_code == 0, result.output
    return (project_dir / "build" / name / "memo" / "tiangong-brief.html").read_text("utf-8")


def test_project_audience_extends_a_builtin(project_dir: Path, run: Callable[..., Result]) -> None:
    html = build_own_audience(project_dir, run, "large-print",
                              "extends: students\nlabel: Students (large print)\ntypography:\n  size_pt: 15\n")
    assert "font-size: 15.0pt" in html and "Before you read" in html  # inherited sections, own size


def test_project_audience_replaces_builtin_of_same_name(project_dir: Path, run: Callable[..., Result]) -> None:
    html = build_own_audience(project_dir, run, "students",
                              "name: students\nextends: students\nlabel: Year 10\nsections:\n  memo: [header, bluf, glossary]\n")
    page = BeautifulSoup(html, "html.parser")
    assert section_headings(page) == ["Bottom line up front", "Glossary"]
    assert "Year 10 edition" in page.get_text()


@pytest.mark.parametrize("body, message", [
    ("name: a\nextends: b\nlabel: A\n---b\n", "extends"),
    ("name: a\nextends: nobody\nlabel: A\n", "extends unknown audience 'nobody'"),
])
def test_bad_extends_is_reported(project_dir: Path, run: Callable[..., Result], body: str, message: str) -> None:
    (project_dir / "audiences").mkdir()
    (project_dir / "audiences" / "a.yaml").write_text(body.replace("---b\n", ""), "utf-8")
    if "extends: b" in body:
        (project_dir / "audiences" / "b.yaml").write_text("name: b\nextends: a\nlabel: B\n", "utf-8")
    result = run(project_dir, "check")
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_grade_targets_by_kind_and_a_resolution_is_not_graded(run) -> None:
    """students: grade 10 for what we write, 14 for model-UN papers (a formal register), none for a resolution."""
    result = run(REPO, "check")
    assert result.exit_code == 0, result.output
    lines = {line.strip().split(":")[0]: line for line in result.output.splitlines() if line.startswith("  students/")}
    assert "(target 10)" in lines["students/memo/tiangong-brief"]
    assert "(target 14)" in lines["students/mun/tiangong-specpol/canada"]
    resolution = lines["students/mun/tiangong-specpol/resolution"]
    assert "framing" in resolution and "target" not in resolution
    assert not any("resolution: our framing reads" in line for line in result.output.splitlines())
