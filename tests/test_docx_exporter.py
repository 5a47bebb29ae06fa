"""The shared HTML → .docx exporter, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest

from memo.exporters import EXPORTERS, Rendered
from memo.exporters.docx import Layout, html_to_docx, list_label

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Test page</title><meta name="keywords" content="k1, k2">
<style>p { color: red }</style><script>alert(1)</script></head>
<body><nav>navigation</nav><main>
<h1>Heading <em>one</em></h1>
<h2>Two</h2><h3>Three</h3><h4>Four</h4><h5>Five</h5>
<p>Plain <strong>bold</strong>   and <u>under</u>, <em>emph</em> and <span data-docx-style="Clause Opening">Recalling</span> end,</p>
<ol><li><u>Encourages</u> all states;<ol type="a"><li>first;</li><li>second;<ol type="i"><li>deep;</li></ol></li></ol></li>
<li><strong>Requests</strong> the Secretariat.</li></ol>
<ul><li>bullet<ul><li>nested bullet</li></ul></li></ul>
<blockquote><p>a quotation</p></blockquote>
<table><thead><tr><th>Country</th><th>Bloc</th></tr></thead><tbody><tr><td>Canada</td><td><p>bridge</p><p>second</p></td></tr></tbody></table>
<p data-docx-style="Preamble">styled paragraph</p>
<h2 data-docx-style="Section Title">Styled heading</h2>
<p>line<br>break</p>
<p data-docx="skip">left out</p>
<p><a href="https://example.org/x">link text</a> <img src="https://example.org/a.png" alt="pic">
{MERGEFIELD x} &lt;w:fldSimple/&gt; <w:fldSimple/>&lt;script&gt;</p>
<p>control\x07char</p>
</main><footer>colophon</footer></body></html>"""


@pytest.fixture(scope="module")
def made() -> tuple[bytes, docx.document.Document]:
    data = html_to_docx(PAGE, {"date": dt.date(2026, 5, 1)})
    return data, docx.Document(io.BytesIO(data))


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_headings_paragraphs_and_main_only(made: tuple[bytes, docx.document.Document]) -> None:
    _, d = made
    styles = {p.text: p.style.name for p in d.paragraphs}
    assert styles["Heading one"] == "Heading 1"
    assert styles["Two"] == "Heading 2" and styles["Three"] == "Heading 3"
    assert styles["Four"] == "Heading 4" and styles["Five"] == "Heading 4"
    assert "navigation" not in texts(d) and "colophon" not in texts(d) and "left out" not in texts(d)
    assert "alert(1)" not in " ".join(texts(d))
    assert "Plain bold and under, emph and Recalling end," in texts(d)


def test_inline_formatting_and_styles(made: tuple[bytes, docx.document.Document]) -> None:
    _, d = made
    para = next(p for p in d.paragraphs if p.text.startswith("Plain"))
    runs = {r.text: r for r in para.runs}
    assert runs["bold"].bold is True
    assert runs["under"].underline is True
    assert runs["emph"].style.name == "Emphasis" and d.styles["Emphasis"].font.italic
    assert runs["Recalling"].style.name == "Clause Opening"
    assert d.styles["Clause Opening"].type == docx.enum.style.WD_STYLE_TYPE.CHARACTER
    styled = next(p for p in d.paragraphs if p.text == "styled paragraph")
    assert styled.style.name == "Preamble" and styled.style.base_style.name == "Normal"
    heading = next(p for p in d.paragraphs if p.text == "Styled heading")
    assert heading.style.name == "Section Title" and heading.style.base_style.name == "Heading 2"
    assert "line\nbreak" in texts(d)


def test_lists_keep_numbers_order_and_nesting(made: tuple[bytes, docx.document.Document]) -> None:
    _, d = made
    numbered = [t for t in texts(d) if "\t" in t]
    assert numbered == ["1.\tEncourages all states;", "a.\tfirst;", "b.\tsecond;", "i.\tdeep;", "2.\tRequests the Secretariat."]
    first = next(p for p in d.paragraphs if p.text.startswith("1."))
    assert [r.text for r in first.runs if r.underline] == ["Encourages"]
    sub = next(p for p in d.paragraphs if p.text.startswith("a."))
    assert sub.paragraph_format.left_indent > first.paragraph_format.left_indent
    bullets = {p.text: p.style.name for p in d.paragraphs if p.style.name.startswith("List Bullet")}
    assert bullets == {"bullet": "List Bullet", "nested bullet": "List Bullet 2"}
    assert next(p for p in d.paragraphs if p.text == "a quotation").style.name == "Quote"


def test_tables(made: tuple[bytes, docx.document.Document]) -> None:
    _, d = made
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Country", "Bloc"]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold is True
    assert [c.text for c in table.rows[1].cells] == ["Canada", "bridge\nsecond"]


def test_no_live_content(made: tuple[bytes, docx.document.Document]) -> None:
    data, d = made
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        body = z.read("word/document.xml").decode()
    assert not any(n.startswith("word/media") or n.endswith(".bin") or "vbaProject" in n for n in names)
    assert "fldSimple w:" not in body and "<w:fldChar" not in body and "<w:hyperlink" not in body
    assert "example.org" not in body
    assert "link text {MERGEFIELD x} <w:fldSimple/> <script>" in texts(d)
    assert "controlchar" in texts(d)


def test_reproducible_and_dated(made: tuple[bytes, docx.document.Document]) -> None:
    data, d = made
    assert html_to_docx(PAGE, {"date": dt.date(2026, 5, 1)}) == data
    props = d.core_properties
    assert props.title == "Test page" and props.keywords == "k1, k2" and props.author == "memo"
    assert props.created == props.modified == dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 5, 1, 0, 0, 0)}


def test_layout_and_registration() -> None:
    d = docx.Document(io.BytesIO(html_to_docx("<p>x</p>", {"docx_layout": Layout(font="Arial", size_pt=11, margin_mm=20,
                                                                                        page_size="letter")})))
    assert d.styles["Normal"].font.name == "Arial" and d.styles["Normal"].font.size.pt == 11
    assert round(d.sections[0].left_margin.mm) == 20 and round(d.sections[0].page_width.mm, 1) == 215.9
    exporter = EXPORTERS["docx"]
    assert exporter.suffix == ".docx" and exporter.document is not None
    assert exporter.document(Rendered("k", "n", "<main><p>hello</p></main>", {})).startswith(b"PK")
    assert [list_label(t, n) for t, n in (("1", 3), ("a", 28), ("A", 2), ("i", 4), ("I", 9))] == ["3.", "ab.", "B.", "iv.", "IX."]
