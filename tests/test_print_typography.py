"""Print typography and reproducibility, read back from real builds of the shipped project."""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import re
import types
from pathlib import Path

import pytest
from pypdf import PdfReader

from memo import build, load_project
from memo.errors import MemoError
from memo.select import edition_date
from memo.typeset import with_contents

from .layout import page_words
from .test_print import judge

REPO = Path(__file__).resolve().parent.parent


def pages_text(path: Path) -> list[str]:
    return page_words(path)


def test_two_clean_builds_give_identical_bytes(built: Path, tmp_path: Path) -> None:
    """Every kind and format, built again from scratch (one audience: the others take the same paths)."""
    again = tmp_path / "again"
    build(load_project(REPO), audiences=["students"], out=again)
    first = {p.relative_to(built): p.read_bytes() for p in sorted((built / "students").rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted((again / "students").rglob("*")) if p.is_file()}
    assert len(first) > 50
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_the_footer_names_the_edition_and_page_n_of_m_with_curly_apostrophes(built: Path) -> None:
    straight = []
    for path in sorted(built.rglob("*.pdf")):
        texts = pages_text(path)
        for number, text in enumerate(texts, 1):
            assert f"Page {number} of {len(texts)}" in text, f"{path}: page {number}"
            assert " edition · " in text, f"{path}: page {number} has no edition in its footer"
        name = str(path.relative_to(built))
        straight += [(name, f"{name}: …{m.group(0)}…") for m in re.finditer(r".{0,30}'.{0,30}", " ".join(texts))]
    judge("apostrophe", straight)


def test_cross_references_carry_page_numbers(built: Path) -> None:
    """The recommendation names its route options as links; on paper each carries the page it points to."""
    html = (built / "students" / "memo" / "tiangong-brief.html").read_text(encoding="utf-8")
    links = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<a class="xref" href="#[^"]+">(.*?)</a>', html, re.S)]
    assert links, "the students memo has no cross-reference"
    text = re.sub(r"\s+", " ", " ".join(pages_text(built / "students" / "memo" / "tiangong-brief.pdf")))
    for link in links:
        words = re.sub(r"\s+", " ", htmlmod.unescape(link)).strip()
        found = re.search(re.escape(words[-25:]) + r", p\. ?(\d+)", text)
        assert found, f"no page number after {words!r}"
        assert 1 <= int(found.group(1)) <= len(pages_text(built / "students" / "memo" / "tiangong-brief.pdf"))


def test_a_document_over_three_pages_opens_with_a_contents_list(built: Path) -> None:
    for path in sorted(built.rglob("*.pdf")):
        texts = pages_text(path)
        html = path.with_suffix(".html")
        sections = html.read_text(encoding="utf-8").split("<main", 1)[-1].count("<h2") if html.is_file() else 0
        if len(texts) > 3 and sections >= 3:  # a reading copy of one article has no sections to list
            assert "Contents" in texts[0] + texts[1], path
            assert re.search(r"\w ?\.{3,} ?\d+", " ".join(texts[:2])), path  # entries with leaders and page numbers
        elif len(texts) <= 3:
            assert not re.search(r"Contents .{0,80}?\.{3,} ?\d", " ".join(texts[:2])), f"{path}: a contents list on a short document"


def test_contents_list_links_every_section_and_keeps_existing_ids() -> None:
    html = '<body><main><h1>T</h1><h2 id="a">One</h2><p>x</p><h2>Two <span>(ours)</span></h2><h2>Three</h2></main></body>'
    listed = with_contents(html)
    assert listed is not None
    assert '<a href="#a">One</a>' in listed and '<a href="#section-2">Two (ours)</a>' in listed
    assert '<h2 id="section-3">Three</h2>' in listed or '<h2 id="section-3">' in listed
    assert listed.index('class="contents"') < listed.index('id="a"')
    assert with_contents('<body><main><h2>Only</h2></main></body>') is None


def test_titles_and_foreign_terms_are_italic_even_where_emphasis_is_bold(built: Path) -> None:
    students = (built / "students" / "memo" / "tiangong-brief.html").read_text(encoding="utf-8")
    assert '<i class="term">fùxīng</i>' in students
    assert "<cite>" in students
    fonts = {str(f["/BaseFont"]) for page in PdfReader(built / "students" / "memo" / "tiangong-brief.pdf").pages
             for f in (ref.get_object() for ref in page["/Resources"].get_object().get("/Font", {}).values())}
    assert any("Sans-Italic" in name for name in fonts), fonts


def test_every_built_in_audience_prints_on_white_paper() -> None:
    project = load_project(REPO)
    for name in ("students", "public", "policymakers"):
        assert project.audiences[name].typography.background.lower() == "#ffffff", name


def test_the_date_comes_from_the_spec_else_the_source_never_the_clock(project_dir: Path, run) -> None:
    spec = project_dir / "documents" / "tiangong-brief.yaml"
    spec.write_text(re.sub(r"(?m)^date:.*\n", "", spec.read_text(encoding="utf-8")), encoding="utf-8")
    result = run(project_dir, "build", "--audience", "public", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (project_dir / "build" / "public" / "memo" / "tiangong-brief.html").read_text(encoding="utf-8")
    assert "7 May 2021" in html.split("</table>")[0]  # the header's Date line: the source's date
    assert dt.date.today().isoformat() not in html


def test_source_date_epoch_dates_a_document_with_no_other_date(monkeypatch: pytest.MonkeyPatch) -> None:
    empty = types.SimpleNamespace(sources={})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")
    assert edition_date(empty, []) == (dt.date(2025, 11, 26), "SOURCE_DATE_EPOCH")  # type: ignore[arg-type]
    assert edition_date(empty, [], dt.date(2024, 1, 2)) == (dt.date(2024, 1, 2), "spec")  # type: ignore[arg-type]
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    with pytest.raises(MemoError, match="no date"):
        edition_date(empty, [])  # type: ignore[arg-type]


def test_paper_size_is_set_per_project_and_per_audience(project_dir: Path, run) -> None:
    config = project_dir / "memo.yml"
    config.write_text(config.read_text(encoding="utf-8") + "page_size: letter\n", encoding="utf-8")
    result = run(project_dir, "build", "--audience", "policymakers", "--format", "pdf")
    assert result.exit_code == 0, result.output
    box = PdfReader(project_dir / "build" / "policymakers" / "memo" / "tiangong-brief.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
