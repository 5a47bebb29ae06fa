"""Figures: accessible inline SVG, escaped text, labels inside the figure, drawn as vectors by WeasyPrint."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from weasyprint import HTML

from memo.figures import (
    WIDTH,
    MapEdge,
    MapNode,
    TimelineItem,
    argument_map_svg,
    map_description,
    text_width,
    timeline_description,
    timeline_svg,
    wrap,
)
from memo.render import BUILTIN_TEMPLATES

ITEMS = [
    TimelineItem("1992", "A programme begins with a very long description that must wrap over several lines"),
    TimelineItem("2005", "Something <b>bold</b> & risky happens"),
    TimelineItem("2011", "A law is passed."),
    TimelineItem("2021", "A module is launched."),
    TimelineItem("2022", "Two stations will exist.", forecast=True, outcome="One station was completed (agency, as of 2026)."),
    TimelineItem("2025", "A partner will leave.", forecast=True),
]
NODES = [
    MapNode("m", "We should cooperate", "motion"),
    MapNode("a", "Everyone gains from it, a reason written long enough to need several lines in its box", "pro"),
    MapNode("b", "It is naïve <script>alert(1)</script>", "con"),
    MapNode("c", "A supporting detail", "position"),
]
EDGES = [MapEdge("a", "m", "supports"), MapEdge("b", "m", "attacks"), MapEdge("c", "a", "supports")]


def _svg(markup: str) -> BeautifulSoup:
    return BeautifulSoup(str(markup), "html.parser").find("svg")


@pytest.mark.parametrize("make", [
    lambda: timeline_svg(ITEMS, "A <timeline>", timeline_description(ITEMS)),
    lambda: argument_map_svg(NODES, EDGES, "A map & more", map_description(NODES, EDGES)),
])
def test_svg_is_accessible_and_escaped(make) -> None:
    markup = str(make())
    assert not markup.startswith("<?xml")
    svg = _svg(markup)
    assert svg["role"] == "img"
    title, desc = svg.find("title"), svg.find("desc")
    assert svg["aria-labelledby"] == title["id"] and svg["aria-describedby"] == desc["id"]
    assert svg.find(True) is title  # the title comes first
    assert title.get_text() in {"A <timeline>", "A map & more"}
    assert "<script>" not in markup and "<b>" not in markup  # input text never becomes markup
    assert not svg.find("script") and not svg.find("b")


def test_same_input_same_svg_and_distinct_ids() -> None:
    one = timeline_svg(ITEMS, "T", "d")
    assert one == timeline_svg(ITEMS, "T", "d")
    assert _svg(one).find("title")["id"] != _svg(timeline_svg(ITEMS[:2], "T", "d")).find("title")["id"]


def test_wrap_never_exceeds_width() -> None:
    lines = wrap("Supercalifragilisticexpialidocious is a word " * 3, 60, 10)
    assert all(text_width(line, 10) <= 60 + 0.01 for line in lines)
    assert "".join(lines).replace("-", "").replace(" ", "") == ("Supercalifragilisticexpialidocious is a word" * 3).replace(" ", "")


def test_timeline_marks_forecasts_and_outcomes() -> None:
    text = _svg(timeline_svg(ITEMS, "T", "d")).get_text(" ")
    assert text.count("Forecast") == 2
    assert "What happened: One station was completed" in " ".join(text.split())
    assert "not yet known" in " ".join(text.split()).lower() or "Not yet known" in text


def test_map_relations_differ_by_line_style_not_colour() -> None:
    svg = _svg(argument_map_svg(NODES, EDGES, "T", "d"))
    colours = {el.get("stroke") for el in svg.find_all(["line", "path", "rect", "circle"]) if el.get("stroke")}
    assert colours <= {"#1a1a1a"}  # one ink: nothing depends on colour
    dashed = [el for el in svg.find_all("path") if el.get("stroke-dasharray")]
    solid = [el for el in svg.find_all("path") if not el.get("stroke-dasharray")]
    assert dashed and solid


@pytest.fixture(scope="module")
def figure_pdf() -> pdfplumber.PDF:
    css = (BUILTIN_TEMPLATES / "figures.css").read_text()
    fonts = BUILTIN_TEMPLATES.parent / "assets" / "fonts"
    faces = "".join(f'@font-face {{ font-family: "Memo Sans"; {w} src: url("{(fonts / f).as_uri()}"); }}'
                    for f, w in (("NotoSans-Regular.ttf", ""), ("NotoSans-Bold.ttf", "font-weight: bold;"),
                                 ("NotoSans-Italic.ttf", "font-style: italic;")))
    body = (f"<figure class='figure'>{timeline_svg(ITEMS, 'T', 'd')}</figure>"
            f"<figure class='figure'>{argument_map_svg(NODES, EDGES, 'M', 'd')}</figure>")
    html = f"<html><head><style>{faces}{css} @page {{ size: A4; margin: 20mm }}</style></head><body>{body}</body></html>"
    pdf = pdfplumber.open(io.BytesIO(HTML(string=html).write_pdf()))
    yield pdf
    pdf.close()


def test_figures_are_vector_text_inside_the_column(figure_pdf: pdfplumber.PDF) -> None:
    page = figure_pdf.pages[0]
    words = page.extract_words()
    text = " ".join(w["text"] for w in words)
    assert "programme" in text and "cooperate" in text and "<b>bold</b>" in text
    assert not page.images  # vectors, not a raster
    left, right = 20 * 72 / 25.4, page.width - 20 * 72 / 25.4
    assert all(left - 1 <= w["x0"] and w["x1"] <= right + 1 for w in words), "a label runs outside the text column"
    fonts = {c["fontname"].split("+")[-1] for c in page.chars}
    assert fonts and all(re.match(r"Memo-Sans", f) for f in fonts)


def test_width_constant_matches_viewbox() -> None:
    assert _svg(timeline_svg(ITEMS, "T", "d"))["viewbox"].split()[2] == str(int(WIDTH))
