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

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    build(load_project(REPO), audiences=["students"], kinds=["handout", "reader"], formats=["pdf", "html"], out=out)
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
    flat = normalise(text).replace("-\n", "").replace("\n", " ")
    for note in notes[:5]:  # the glosses reach the paper, as footnotes
        term = note.find("b").get_text()
        assert f"{term}:" in flat
    # the text itself is verbatim: every paragraph's words in order in the HTML
    body = normalise(" ".join(p.get_text(" ") for p in soup.select(".body-text .passage")))
    assert normalise(source.paragraphs[0].split()[2]) in body


def test_reader_paragraph_count_matches_the_memo_citations(pack: Path) -> None:
    soup = _html(_one(pack / "reader", ".html"))
    ids = [p["id"] for p in soup.select(".body-text .passage")]
    assert ids == [f"{ids[0].rsplit('-p', 1)[0]}-p{i}" for i in range(1, len(ids) + 1)]
