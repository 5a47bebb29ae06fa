"""Debate packs: real builds of the shipped motions, read back from PDF and HTML."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from memo import build, load_project
from memo.kinds.debate import DebateSpec, debate_formats, mark_span
from memo.text import normalise, quote_in
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
    build(project, audiences=["students"], kinds=["debate"], formats=["pdf", "html", "docx"], out=out)
    return out / "students" / "debate"


def pdf_text(path: Path) -> str:
    return normalise(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))


def test_one_pdf_per_motion_with_both_full_cases(students: Path, motions: list[DebateSpec]) -> None:
    assert len(motions) >= 3
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
            assert quote_in(card.quote, project.sources[card.source].passage(card.paragraph)), (spec.name, card.id)
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
    assert [b.document for b in report.documents] == [name, f"{name}-cards"]
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
    result = run(project_dir, "build", "-a", "students", "-k", "debate", "-f", "html", "--motion", name, "--debate-format", "ld")
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup((project_dir / "build" / "students" / "debate" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    case = soup.select_one("section.case-proposition").get_text(" ")
    assert "The Affirmative case" in case and "Value:" in case and "Criterion:" in case
    assert "Cross-examination" in soup.select_one("section.format").get_text(" ")
    result = run(project_dir, "build", "-a", "students", "-k", "debate", "-f", "html", "--motion", name, "--debate-format", "oxford")
    html = (project_dir / "build" / "students" / "debate" / f"{name}.html").read_text(encoding="utf-8")
    assert "Audience vote before the debate" in html and "Audience vote after the debate" in html and "Shift" in html
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


def test_one_pack_pdf_per_motion_and_a_card_file(students: Path, motions: list[DebateSpec]) -> None:
    packs = sorted(p.stem for p in students.glob("*.pdf") if not p.stem.endswith("-cards"))
    assert packs == sorted(m.name for m in motions)
    assert sorted(p.stem for p in students.glob("*-cards.pdf")) == sorted(f"{m.name}-cards" for m in motions)


def test_card_file_docx_uses_verbatim_styles(students: Path, motions: list[DebateSpec]) -> None:
    for spec in motions:
        document = docx.Document(str(students / f"{spec.name}-cards.docx"))
        used = {p.style.name for p in document.paragraphs}
        assert {"Pocket", "Hat", "Block", "Tag"} <= used
        for name, level in (("Pocket", 1), ("Hat", 2), ("Block", 3), ("Tag", 4)):
            assert document.styles[name].base_style.name == f"Heading {level}"
        runs = [r for p in document.paragraphs for r in p.runs]
        cites = [r.text for r in runs if r.style is not None and r.style.name == "Cite"]
        assert len(cites) >= 8 and all(re.match(r"Aliberti \(2021\), (¶\d+|key point \d)", c) for c in cites)
        paragraphs = document.paragraphs
        card_texts = [p for prev, p in itertools.pairwise(paragraphs)
                      if any(r.style is not None and r.style.name == "Cite" for r in prev.runs)]
        underlined = [r.text for p in card_texts for r in p.runs if r.underline]
        quotes = " ".join(normalise(c.quote) for c in spec.cards)
        assert underlined and all(normalise(u) in quotes for u in underlined if u.strip())
        assert any(r.style is not None and r.style.name == "Emphasis" for r in runs)
        tags = [p.text for p in document.paragraphs if p.style.name == "Tag"]
        assert len(tags) >= 8


def test_argdown_export_parses_with_the_real_parser(tmp_path: Path, project_dir: Path, run, motions: list[DebateSpec]) -> None:
    result = run(project_dir, "export", "--format", "argdown")
    assert result.exit_code == 0, result.output
    source = tmp_path / "motions.argdown"
    source.write_text(result.output, encoding="utf-8")
    tool = REPO / ".tools" / "node_modules" / ".bin" / "argdown"
    if not tool.exists():
        pytest.skip("@argdown/cli is not installed (run scripts/setup.sh --test)")
    done = subprocess.run([str(tool), "json", str(source), str(tmp_path)], capture_output=True, text=True, timeout=120)
    log = done.stdout + done.stderr
    assert done.returncode == 0 and "error" not in log.lower(), log
    data = json.loads((tmp_path / "motions.json").read_text(encoding="utf-8"))
    arguments = sum(len(getattr(m, side).arguments) for m in motions for side in ("proposition", "opposition"))
    answers = sum(len(a.answers) for m in motions for side in ("proposition", "opposition") for a in getattr(m, side).arguments)
    assert len(data["arguments"]) == arguments + answers
    kinds = [r["relationType"] for r in data["relations"]]
    assert kinds.count("support") == sum(len(m.proposition.arguments) for m in motions)
    assert kinds.count("attack") == sum(len(m.opposition.arguments) for m in motions) + answers
    assert len([s for s in data["statements"] if "motion" in s]) == len(motions)


def test_debate_html_passes_the_nu_checker(students: Path) -> None:
    jar = REPO / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists():
        pytest.skip("vnu.jar is not installed (run scripts/setup.sh --test)")
    pages = sorted(str(p) for p in students.glob("*.html"))
    done = subprocess.run(["java", "-jar", str(jar), "--errors-only", *pages], capture_output=True, text=True, timeout=300)
    # The bundled fonts use memo's own memo-assets: scheme, which only WeasyPrint resolves.
    errors = [line for line in (done.stdout + done.stderr).splitlines() if line.strip() and "memo-assets:" not in line]
    assert not errors, "\n".join(errors[:20])


def test_students_pack_teaches_and_policymakers_pack_is_compact(tmp_path: Path, project, motions: list[DebateSpec]) -> None:
    name = motions[0].name
    build(project, audiences=["students", "policymakers"], kinds=["debate"], formats=["html"], out=tmp_path,
          options={"motion": name})
    students = BeautifulSoup((tmp_path / "students" / "debate" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    assert "How to use this pack" in students.get_text(" ") and students.select_one("section.glossary-section")
    compact = BeautifulSoup((tmp_path / "policymakers" / "debate" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    assert compact.select("section.case") and compact.select("section.rebuttals div.block") and compact.select("figure svg")
    for absent in ("section.how-to-use", "section.flow", "section.format", "section.cards", "a.card-ref"):
        assert not compact.select(absent), absent
    assert compact.select("blockquote.evidence")  # the evidence is quoted inline instead of by card number
    assert not (tmp_path / "policymakers" / "debate" / f"{name}-cards.html").exists()
