"""The shipped project's PDFs, rendered by WeasyPrint and read back with pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

AUDIENCES = ("students", "policymakers", "public")


def pdf(built: Path, audience: str) -> PdfReader:
    return PdfReader(built / audience / "memo" / "tiangong-brief.pdf")


def text(reader: PdfReader) -> str:
    """All pages' text with line breaks and runs of spaces folded, as a reader would search it."""
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font the PDF uses, and whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return found


def test_student_pdf_carries_the_articles_key_terms(built: Path) -> None:
    content = text(pdf(built, "students"))
    for word in ("Metternich", "Canada", "myopia"):
        assert word in content, word


def test_student_pdf_renders_pinyin_tone_marks_as_text(built: Path) -> None:
    assert "Tiānhé" in text(pdf(built, "students"))
    reading_copy = text(PdfReader(built / "students" / "reader" / "harmony-of-the-heavens-reader.pdf"))
    for term in ("Tiānhé", "fùxīng", "zhōngguó mèng", "tiānmìng"):
        assert term in reading_copy, term


@pytest.mark.parametrize("audience", AUDIENCES)
def test_fonts_are_embedded_and_are_the_bundled_ones(built: Path, audience: str) -> None:
    used = fonts(pdf(built, audience))
    assert used, "no fonts found"
    assert all(used.values()), used
    # Every glyph came from the bundled fonts (the "Memo Serif/Sans" faces): no system fallback was needed.
    assert all("+Memo-" in name for name in used), used


@pytest.mark.parametrize("audience", AUDIENCES)
def test_metadata_title_language_and_tags(built: Path, audience: str) -> None:
    reader = pdf(built, audience)
    assert reader.metadata.title == "China’s space station and the West: compete or cooperate?"
    assert reader.metadata.author == "memo briefing service"  # the publisher of the framing, not the source's author
    assert "Marco Aliberti" in reader.metadata.subject
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root, "PDF is not tagged"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert reader.outline, "no bookmarks"


def test_policymakers_memo_fits_two_a4_pages(built: Path) -> None:
    reader = pdf(built, "policymakers")
    assert len(reader.pages) <= 2
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297


def test_policymakers_pdf_leads_with_the_bottom_line_and_decision(built: Path) -> None:
    content = text(pdf(built, "policymakers"))
    assert content.index("Bottom line up front") < content.index("Decision required") < content.index("Options")


def test_every_pdf_has_selectable_text_on_every_page(built: Path) -> None:
    for audience in AUDIENCES:
        for number, page in enumerate(pdf(built, audience).pages, start=1):
            assert len(page.extract_text().split()) > 20, f"{audience} page {number} has no text"
