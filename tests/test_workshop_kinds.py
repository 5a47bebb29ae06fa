"""The workshop pack: handout, reader and guide built from the shipped project with the real engine, read back."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup

from memo import build, load_project
from memo.kinds import KINDS, specs
from memo.text import normalise

from .test_structured_sources import TREATY

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    build(load_project(REPO), audiences=["students"], kinds=["handout", "reader", "guide"], formats=["pdf", "html"], out=out)
    return out / "students"


def _pdf_pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _one(folder: Path, suffix: str) -> Path:
    found = sorted(folder.glob(f"*{suffix}"))
    assert found, f"nothing in {folder}"
    return found[0]


# --------------------------------------------------------------------------- handout


def test_handout_fits_one_sheet_with_figures_quotes_and_room_to_write(pack: Path) -> None:
    pages = _pdf_pages(_one(pack / "handout", ".pdf"))
    assert 1 <= len(pages) <= 2
    assert "The question" in pages[0]
    soup = _html(_one(pack / "handout", ".html"))
    svgs = soup.find_all("svg")
    assert len(svgs) >= 2 and all(svg.find("title") and svg.find("title").get_text().strip() for svg in svgs)
    quotes = [normalise(q.get_text()) for q in soup.select(".key-quotes blockquote")]
    assert len(quotes) == 3 and len(set(quotes)) == 3
    every_quote = [normalise(q.get_text()) for q in soup.select("blockquote")]
    assert len(every_quote) == len(set(every_quote)), "a quotation appears twice in the handout"
    questions = soup.select(".sheet-questions > ol > li")
    assert questions and all(len(li.select(".write-here .rule")) >= 3 for li in questions)


# --------------------------------------------------------------------------- reader


def test_a_reader_is_made_for_every_source_without_a_file() -> None:
    project = load_project(REPO)
    readers = [s for s in specs(project) if s.kind == "reader"]
    assert sorted(s.source for s in readers) == sorted(project.sources)
    assert KINDS["reader"].implicit is not None


def test_reader_numbers_every_paragraph_and_glosses_terms(pack: Path) -> None:
    project = load_project(REPO)
    source = next(iter(project.sources.values()))
    pages = _pdf_pages(_one(pack / "reader", ".pdf"))
    text = "\n".join(pages)
    numbers = [int(n) for n in re.findall(r"¶(\d+)", text)]
    assert sorted(set(numbers)) == list(range(1, len(source.paragraphs) + 1))
    for k in range(1, len(source.key_points) + 1):
        assert re.search(rf"(?m)^k{k}\b", text), f"key point k{k} has no label"
    assert source.meta.author in pages[0] and "Cite as" in pages[0]
    if source.meta.url:
        assert source.meta.url in normalise(pages[0]).replace(" ", "")
    soup = _html(_one(pack / "reader", ".html"))
    notes = soup.select(".gloss-note")
    assert len(notes) >= len(project.context.glossary) * 3 // 4, "most glossary terms should be glossed where used"
    for note in notes[:5]:  # the glosses reach the paper as numbered footnotes, not inline text
        term = note.find("b").get_text()
        assert re.search(rf"(?m)^\d+\. {re.escape(term)}:", text), f"no footnote for {term}"
    # the text itself is verbatim: every paragraph's words in order in the HTML
    body = normalise(" ".join(p.get_text(" ") for p in soup.select(".body-text .passage")))
    assert normalise(source.paragraphs[0].split()[2]) in body


def test_reader_paragraph_count_matches_the_memo_citations(pack: Path) -> None:
    soup = _html(_one(pack / "reader", ".html"))
    ids = [p["id"] for p in soup.select(".body-text .passage")]
    assert ids == [f"{ids[0].rsplit('-p', 1)[0]}-p{i}" for i in range(1, len(ids) + 1)]


# --------------------------------------------------------------------------- guide


def test_guide_plan_adds_up_and_ends_with_an_answer_key(pack: Path) -> None:
    project = load_project(REPO)
    spec = next(s for s in project.documents.values() if s.kind == "guide")
    soup = _html(_one(pack / "guide", ".html"))
    rows = soup.select("table.plan-table tbody tr")
    assert len(rows) == len(spec.plan()) and sum(a.minutes for a in spec.plan()) == spec.minutes
    assert rows[-1].find("td").get_text().endswith(f"{spec.minutes // 60}:{spec.minutes % 60:02d}")
    types = {a.type for a in spec.plan()}
    assert {"warm-up", "reading", "sort"} <= types and types & {"debate"}
    # every question has an answer with ¶ references, in the key at the end
    key = soup.select_one("section.answer-key")
    assert key is not None and key.find_next_sibling("section") is None
    answered = key.select("ol.key > li")
    assert len(answered) == len(project.context.questions)
    assert all(li.select_one(".voice") and re.search(r"¶\d+", li.get_text()) for li in answered)
    # cards: quotations verbatim and cited, objections marked as ours, each card in the key
    cards = soup.select(".cards .card")
    assert len(cards) >= 8
    quotes = {normalise(e.quote) for p in project.positions.values() for e in p.all_evidence()}
    for card in cards:
        if card.select_one(".card-cite"):
            assert normalise(card.select_one(".card-text").get_text().strip("“”")) in quotes
        else:
            assert "our wording" in card.get_text()
    assert len(key.select("ol.card-key > li")) == len(cards)
    pages = _pdf_pages(_one(pack / "guide", ".pdf"))
    assert "Answer key" in "\n".join(pages) and "Card 1" in "\n".join(pages)


def test_guide_uses_the_debate_pack_when_the_project_has_one(pack: Path) -> None:
    project = load_project(REPO)
    debates = [s for s in specs(project) if s.kind in ("debate", "mun")]
    paths = [p.get_text() for p in _html(_one(pack / "guide", ".html")).select("span.path")]
    for spec in debates:
        named = [p for p in paths if p.startswith(f"students/{spec.kind}/{spec.name}")]
        assert named, f"the guide does not name {spec.kind}/{spec.name}"
        # where the build writes it: the pack's file, or the folder of a session's per-delegation files
        assert all(p.endswith((".pdf", "/")) for p in named), named


def test_guide_names_the_packs_where_a_full_build_writes_them(built: Path) -> None:
    paths = [p.get_text() for p in _html(built / "students" / "guide" / "tiangong-workshop.html").select("span.path")]
    assert paths
    for path in paths:
        assert (built / path).is_file() if path.endswith(".pdf") else (built / path).is_dir(), path


def test_bad_timings_are_a_located_error(project_dir: Path, run) -> None:
    guide = next(p for p in (project_dir / "documents").glob("*.yaml") if "kind: guide" in p.read_text("utf-8"))
    text = guide.read_text("utf-8")
    assert "minutes: 25}" in text
    guide.write_text(text.replace("minutes: 25}", "minutes: 20}", 1), "utf-8")
    line = next(i for i, row in enumerate(guide.read_text("utf-8").splitlines(), start=1) if row.startswith("activities:"))
    result = run(project_dir, "build", "--kind", "guide", "--format", "html")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(rf"{re.escape(guide.name)}:({line}|{line + 1}):", result.output), "the error names the activities' line"
    assert "the activities take 85 minutes" in result.output and "workshop lasts 90" in result.output
    assert not (project_dir / "build").exists()


def test_question_answer_paragraphs_are_checked(project_dir: Path, run) -> None:
    questions = project_dir / "context" / "questions.yaml"
    text = questions.read_text("utf-8")
    questions.write_text(text.replace("paragraphs: [9, 10]", "paragraphs: [9, 99]", 1), "utf-8")
    result = run(project_dir, "check")
    assert result.exit_code == 1 and "questions.yaml:" in result.output and "no paragraph 99" in result.output


def test_reader_follows_a_sources_headings_and_locator(tmp_path: Path, run) -> None:
    """A project with one structured source and no document files still gets its reading copy, in the source's own style."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "memo.yml").write_text("title: Treaty workshop\n", "utf-8")
    (tmp_path / "seeds" / "space-treaty.md").write_text(TREATY, "utf-8")
    result = run(tmp_path, "build", "--audience", "students", "--format", "html")
    assert result.exit_code == 0, result.output
    soup = _html(tmp_path / "build" / "students" / "reader" / "space-treaty-reader.html")
    assert [h.get_text() for h in soup.select(".source-heading")] == ["Article I", "Article VI"]
    assert [n.get_text() for n in soup.select(".body-text .num")] == ["Art. I(1)", "Art. I(2)", "Art. VI(1)", "Art. VI(2)"]
    assert "The text is the treaty’s own" in soup.get_text()


def test_every_student_document_has_a_titled_figure(pack: Path) -> None:
    for kind in ("handout", "reader", "guide"):
        svgs = _html(_one(pack / kind, ".html")).find_all("svg")
        assert svgs, f"the students {kind} has no figure"
        for svg in svgs:
            assert svg.get("role") == "img" and svg.find("title").get_text().strip() and svg.find("desc").get_text().strip()


def test_the_students_memo_and_every_handout_have_a_titled_figure(built: Path) -> None:
    """The workshop pack's brief and each audience's handout carry a figure (SVG with a title and a description)."""
    pages = [built / "students" / "memo" / "tiangong-brief.html", *sorted(built.glob("*/handout/*.html"))]
    assert len(pages) >= 4
    for page in pages:
        svgs = _html(page).find_all("svg")
        assert svgs, f"{page.relative_to(built)} has no figure"
        assert all(svg.find("title").get_text().strip() and svg.find("desc").get_text().strip() for svg in svgs), page
