"""Debate packs: real builds of the shipped motions, read back from PDF and HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from memo import build, load_project
from memo.kinds.debate import DebateSpec, debate_formats, mark_span
from memo.text import normalise
from memo.verify import review

from .conftest import REPO

DOMAIN = Path("/work/shared/domain.md")


@pytest.fixture(scope="module")
def project():
    return load_project(REPO)


@pytest.fixture(scope="module")
def motions(project) -> list[DebateSpec]:
    return [d for d in project.documents.values() if d.kind == "debate"]


@pytest.fixture(scope="module")
def students(tmp_path_factory: pytest.TempPathFactory, project) -> Path:
    """The students' debate packs, built once with the real engine (PDF and HTML)."""
    out = tmp_path_factory.mktemp("debate")
    build(project, audiences=["students"], kinds=["debate"], formats=["pdf", "html"], out=out)
    return out / "students" / "debate"


def pdf_text(path: Path) -> str:
    return normalise(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))


def test_one_pdf_per_motion_with_both_full_cases(students: Path, motions: list[DebateSpec]) -> None:
    assert len(motions) >= 1
    for spec in motions:
        pdf = students / f"{spec.name}.pdf"
        text = pdf_text(pdf)
        fmt = debate_formats()[spec.format]
        for side in ("proposition", "opposition"):
            label = fmt.sides[side]
            assert f"The {label} case" in text
            assert len(getattr(spec, side).arguments) >= 3
        cites = re.findall(r"Aliberti \(2021\), (?:¶\d+|key point \d)", text)
        assert len(cites) >= 8, spec.name
        assert "Role cards" in text and "Flow sheet" in text and "Adjudicator" in text


def test_cards_rebuttals_and_map_in_html(students: Path, motions: list[DebateSpec]) -> None:
    for spec in motions:
        soup = BeautifulSoup((students / f"{spec.name}.html").read_text(encoding="utf-8"), "html.parser")
        cards = soup.select("div.card")
        assert len(cards) >= 8
        for card in cards:
            cite = card.select_one("p.card-cite").get_text()
            assert re.search(r"Aliberti \(2021\), (¶\d+|key point \d)", cite)
            for needed in ("Marco Aliberti", "European Space Policy Institute", "7 May 2021", "LSE IDEAS", "Harmony of the Heavens"):
                assert needed in cite
            assert card.select_one("h4[data-docx-style=Tag]") is not None
            assert card.select("u"), "every card marks what is read aloud"
        arguments = [a for side in ("proposition", "opposition") for a in getattr(spec, side).arguments]
        blocks = soup.select("section.rebuttals div.block")
        assert len(blocks) == len(arguments)
        for block in blocks:
            words = block.get_text(" ")
            for step in ("They say", "But", "Because", "Therefore"):
                assert step in words


def test_every_read_aloud_mark_lies_inside_its_verified_quotation(students: Path, motions: list[DebateSpec], project) -> None:
    for spec in motions:
        for card in spec.cards:
            for mark in card.read:
                assert mark_span(card.quote, mark) is not None, (spec.name, card.id, mark)
        soup = BeautifulSoup((students / f"{spec.name}.html").read_text(encoding="utf-8"), "html.parser")
        quotes = {normalise(c.quote) for c in spec.cards}
        for card in soup.select("div.card"):
            body = normalise(card.select_one("p.card-text").get_text())
            assert body in quotes  # the card text is the verified quotation, nothing added
            for underlined in card.select("u"):
                assert normalise(underlined.get_text()) in body


def test_timings_match_domain_md() -> None:
    domain = DOMAIN.read_text(encoding="utf-8") if DOMAIN.is_file() else ""
    formats = debate_formats()
    assert set(formats) == {"bp", "wsdc", "pf", "ld", "oxford"}
    bp = formats["bp"]
    assert [s.minutes for s in bp.speeches] == [7] * 8
    roles = " ".join(s.role for s in bp.speeches)
    for role in ("Prime Minister", "Leader of the Opposition", "Deputy Prime Minister", "Deputy Leader of the Opposition",
                 "Member of Government", "Member of Opposition", "Government Whip", "Opposition Whip"):
        assert role in roles
    assert all(not s.new_arguments for s in bp.speeches if "Whip" in s.role)
    ws = formats["wsdc"]
    assert [s.minutes for s in ws.speeches] == [8] * 6 + [4, 4]
    replies = [s for s in ws.speeches if s.kind == "reply"]
    assert [ws.team(s.team).side for s in replies] == ["opposition", "proposition"]  # opposition replies first
    pf = "-".join(str(int(s.minutes)) for s in formats["pf"].speeches)
    assert pf == "4-4-3-4-4-3-3-3-3-2-2"
    assert [s.kind for s in formats["pf"].speeches].count("crossfire") == 3
    if domain:
        assert pf in domain and "7-minute" in domain and "8 and 4 minutes" in domain
    assert formats["ld"].values and formats["oxford"].votes


def test_format_override_and_one_motion(tmp_path: Path, project, motions: list[DebateSpec]) -> None:
    name = motions[0].name
    report = build(project, audiences=["students"], kinds=["debate"], formats=["html"], out=tmp_path,
                   options={"motion": name, "debate_format": "bp"})
    assert [b.document for b in report.documents] == [name]
    html = (tmp_path / "students" / "debate" / f"{name}.html").read_text(encoding="utf-8")
    for role in ("Prime Minister", "Leader of the Opposition", "Deputy Prime Minister", "Deputy Leader of the Opposition",
                 "Member of Government", "Member of Opposition", "Government Whip", "Opposition Whip"):
        assert role in html
    assert "No new arguments in this speech" in html
    report = build(project, audiences=["students"], kinds=["debate"], formats=["html"], out=tmp_path,
                   options={"motion": name, "debate_format": "wsdc"})
    soup = BeautifulSoup((tmp_path / "students" / "debate" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    cards = [c.get_text(" ") for c in soup.select(".role-card")]
    assert any("Opposition Reply" in c and "4 min" in c for c in cards)
    assert any("Proposition Reply" in c and "4 min" in c for c in cards)
    flow = [th.get_text(" ") for th in soup.select("table.flow-sheet th")]
    assert len(flow) == 8 and "OR" in flow[6] and "PR" in flow[7]


def test_cli_options(project_dir: Path, run, motions: list[DebateSpec]) -> None:
    name = motions[0].name
    result = run(project_dir, "build", "-a", "students", "-k", "debate", "-f", "html", "--motion", name, "--debate-format", "pf")
    assert result.exit_code == 0, result.output
    html = (project_dir / "build" / "students" / "debate" / f"{name}.html").read_text(encoding="utf-8")
    assert "Grand Crossfire" in html and "Resolved:" in html
    result = run(project_dir, "build", "-k", "debate", "--motion", "no-such-motion")
    assert result.exit_code == 1 and "no motion named 'no-such-motion'" in result.output


def _edit(project_dir: Path, name: str, change) -> None:
    path = project_dir / "documents" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_mark_outside_its_quotation_is_a_located_error(project_dir: Path, run, motions: list[DebateSpec]) -> None:
    name = motions[0].name

    def change(data):
        data["cards"][0]["read"] = ["words the author never wrote"]
    _edit(project_dir, name, change)
    result = run(project_dir, "check")
    assert result.exit_code == 1
    assert re.search(rf"documents/{name}.yaml:\d+:\d+: cards\[0\]\.read\[0\]: read-aloud mark", result.output)
    assert "hint:" in result.output


def test_side_without_source_evidence_builds_with_honest_notice(project_dir: Path, run, motions: list[DebateSpec]) -> None:
    """The article gives a side nothing: the pack says so, offers research, and shows no card for it."""
    name = motions[0].name

    def change(data):
        for arg in data["opposition"]["arguments"]:
            arg["cards"] = []
            arg["facts"] = []
            arg["claim"] = {"text": "A claim the article gives no evidence for.", "by": "ours"}
            arg["research"] = ["Find official statements on the terms of access to the station."]
        for arg in data["proposition"]["arguments"]:
            for answer in arg["answers"]:
                answer["cards"] = []
    _edit(project_dir, name, change)
    result = run(project_dir, "build", "-a", "students", "-k", "debate", "-f", "html", "-f", "pdf", "--motion", name)
    assert result.exit_code == 0, result.output
    assert "far fewer cards" in result.output  # the fairness warning
    out = project_dir / "build" / "students" / "debate"
    soup = BeautifulSoup((out / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    case = soup.select_one("section.case-opposition")
    assert "The article gives this side no evidence" in case.get_text(" ")
    assert "Find official statements" in case.get_text(" ")
    assert not case.select("a.card-ref")
    assert "No cards: the article gives the Proposition no evidence" not in soup.get_text(" ")
    assert "No cards: the article gives the Opposition no evidence" in soup.get_text(" ")
    assert "The article gives this side no evidence" in pdf_text(out / f"{name}.pdf")


def test_review_warns_about_unanswered_arguments(project_dir: Path, motions: list[DebateSpec]) -> None:
    name = motions[0].name

    def change(data):
        data["proposition"]["arguments"][0]["answers"] = []
    _edit(project_dir, name, change)
    warnings = [w.render(project_dir) for w in review(load_project(project_dir))]
    assert any("has no answer from the other side" in w and "proposition.arguments[0].answers" in w for w in warnings)
    assert not [w for w in review(load_project(REPO))], "the shipped motions are balanced and fully answered"
