"""Issue 5 "Must show", read from the BUILT outputs of the shipped project (the session build in conftest).

Each memo edition carries the article's spine (its three modifiers and the recommendation), says how old the
article is and what has happened since, keeps the author's route as his recommendation, fits its pages, and no
output or position file repeats the framing the content review found false.
"""

from __future__ import annotations

import html as htmllib
import re
import statistics
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from click.testing import Result
from pypdf import PdfReader

from memo import load_project
from memo.models import Evidence, walk
from memo.text import normalise, quote_in

from .conftest import REPO
from .layout import pdf_text

EDITIONS = ("students", "public", "policymakers")
PROJECT = load_project(REPO)
SPEC = PROJECT.documents["tiangong-brief"]
MODIFIERS = ("prestige-for-home", "marathon-not-sprint", "membership-not-competition")


def page(built: Path, audience: str) -> BeautifulSoup:
    return BeautifulSoup((built / audience / "memo" / "tiangong-brief.html").read_text("utf-8"), "html.parser")


def words(node: BeautifulSoup) -> str:
    return normalise(node.get_text(" ", strip=True))


# --------------------------------------------------------------------------- the spine


def test_the_spine_is_the_three_modifiers_and_the_recommendation() -> None:
    assert set(MODIFIERS) <= set(SPEC.spine)
    recommending = {p.id for p in PROJECT.positions.values() if "recommendation" in p.tags}
    assert recommending and recommending <= set(SPEC.spine)


@pytest.mark.parametrize("audience", EDITIONS)
def test_every_edition_carries_the_modifiers_and_the_recommendation(built: Path, audience: str) -> None:
    soup = page(built, audience)
    shown = {node["id"] for node in soup.select("[id]")}
    for pid in SPEC.spine:
        assert pid in shown, f"{audience} drops spine position {pid}"
        assert PROJECT.positions[pid].title.split("'")[0].split("’")[0] in words(soup)
    text = words(soup).casefold()
    assert "marathon" in text and "seat at the table" in text and "home audience" in text
    recommendation = soup.select_one(".recommendation")
    assert recommendation is not None and "recommends" in words(recommendation)


@pytest.mark.parametrize("audience", EDITIONS)
def test_every_edition_says_what_happened_since_the_article(built: Path, audience: str) -> None:
    soup = page(built, audience)
    since = soup.select_one("section.since")
    assert since is not None, f"{audience} has no 'Since the article' section"
    text = words(since)
    assert "published on 7 May 2021, five years before this edition" in text
    ids = {li["id"] for li in since.select("li.fact")}
    assert {"fact-russia-iss-2028", "fact-esa-tiangong-2023"} <= ids
    assert "2028" in text and "January 2023" in text
    # the fact that overtakes the 2025 forecast says so, and every fact is sourced in the Sources list
    russia = since.select_one("#fact-russia-iss-2028")
    assert "forecast (2021)" in words(russia)
    for ref in since.select("a[href^='#fact-source-']"):
        target = soup.select_one(ref["href"])
        assert target is not None and "as of" in words(target)


@pytest.mark.parametrize("audience", EDITIONS)
def test_the_authors_route_is_his_recommendation_not_a_rival_option(built: Path, audience: str) -> None:
    soup = page(built, audience)
    options = soup.select_one("section.options")
    text = words(options)
    assert "(a)" in text and "(b)" in text and "(c)" in text
    assert re.search(r"\(c\)[^()]*Europe and Canada[^()]*, as a path to \(b\)", text)
    recommendation = words(soup.select_one(".recommendation"))
    assert re.search(r"Aliberti recommends: \(c\) .* as the route to \(b\)", recommendation)
    assert "Over (c)" not in recommendation


def test_voices_are_rendered_for_the_author_cited_people_and_ourselves(built: Path) -> None:
    text = words(page(built, "students"))
    assert "Aliberti argues:" in text and "Aliberti concedes:" in text and "Our analysis:" in text
    assert "The author concedes" not in text


@pytest.mark.parametrize("audience", EDITIONS)
def test_a_quotation_appears_once_per_document(built: Path, audience: str) -> None:
    quotes = [normalise(q.get_text(" ", strip=True).split("”")[0]) for q in page(built, audience).select("blockquote.evidence")]
    assert len(quotes) == len(set(quotes)), f"repeated quotations in {audience}"
    for i, one in enumerate(quotes):
        for other in quotes[i + 1:]:
            assert one not in other and other not in one


@pytest.mark.parametrize("audience", EDITIONS)
def test_the_glossary_covers_every_term_the_edition_uses(built: Path, audience: str) -> None:
    soup = page(built, audience)
    glossary = soup.select_one("dl.glossary")
    if glossary is None:
        return  # this edition prints no glossary
    listed = {dt.get_text(strip=True) for dt in glossary.select("dt")}
    glossary.decompose()
    text = words(soup).casefold()
    for entry in PROJECT.context.glossary:
        if re.search(r"(?<!\w)" + re.escape(normalise(entry.term).casefold()) + r"(?:e?s)?(?!\w)", text):
            assert entry.term in listed, f"{audience} uses '{entry.term}' but its glossary does not explain it"


# --------------------------------------------------------------------------- banned framing

BANNED = (
    "the split is not of the US's making",
    "fears of a bloc are overdrawn",
    "help to America rather than a break",
    "Hu Jintao said as much",
)
# The article's 2025 forecast stated as a plan (in our framing; the article's own words may quote it).
EXIT_AS_PLAN = re.compile(r"(has decided|decided|is to|will|plans|planned:?)\s+(to\s+)?leav\w*\s+the ISS[^.]*2025", re.I)


def _without_source_text(text: str) -> str:
    """Our framing only: every source passage and every verified quotation cut out."""
    text = normalise(text)
    for source in PROJECT.sources.values():
        for passage in (*source.key_points, *source.paragraphs):
            text = text.replace(normalise(passage), " ")
    quotes = sorted({normalise(e.quote) for _, m in PROJECT.owned_models() for _, e in walk(m) if isinstance(e, Evidence)}, key=len)
    for quote in reversed(quotes):
        for part in re.split(r"\s*(?:…|\.\.\.)\s*", quote):
            if len(part) > 12:
                text = text.replace(part, " ")
    return text


def _outputs(built: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(built.rglob("*")):
        if path.suffix in (".html", ".md"):
            raw = path.read_text("utf-8")
            found[str(path.relative_to(built))] = htmllib.unescape(re.sub(r"<[^>]+>", " ", raw)) if path.suffix == ".html" else raw
        elif path.suffix == ".pdf":
            found[str(path.relative_to(built))] = " ".join(pdf_text(path))
    return found


def test_no_output_or_project_file_repeats_the_banned_framing(built: Path) -> None:
    files = _outputs(built)
    assert any(name.endswith(".pdf") for name in files) and any(name.endswith(".html") for name in files)
    for folder in ("positions", "context", "documents"):
        for path in sorted((REPO / folder).glob("*.yaml")):
            files[f"{folder}/{path.name}"] = path.read_text("utf-8")
    for name, text in files.items():
        framing = _without_source_text(text)
        folded = " ".join(normalise(text).split())
        for phrase in BANNED:
            assert normalise(phrase).casefold() not in folded.casefold(), f"{name} still says “{phrase}”"
        found = EXIT_AS_PLAN.search(" ".join(framing.split()))
        assert found is None, f"{name} states the 2025 ISS exit as a plan: “{found.group(0)}”"


# --------------------------------------------------------------------------- quotations


def test_every_exported_quotation_is_verbatim_and_most_paragraphs_are_quoted(run: Callable[..., Result]) -> None:
    import json

    result = run(REPO, "export")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    sources = {s["id"]: s for s in data["sources"]}
    quoted: set[int] = set()

    def visit(value: object) -> None:
        if isinstance(value, dict):
            if {"quote", "paragraph", "source"} <= set(value):
                source = sources[value["source"]]
                ref = value["paragraph"]
                passage = source["key_points"][int(ref[1:]) - 1] if isinstance(ref, str) else source["paragraphs"][ref - 1]
                assert quote_in(value["quote"], passage), value
                if isinstance(ref, int):
                    quoted.add(ref)
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit(data)
    body = len(next(iter(sources.values()))["paragraphs"])
    assert body == 22 and len(quoted) >= 18, f"{len(quoted)} of {body} body paragraphs quoted"


# --------------------------------------------------------------------------- coverage


def test_check_coverage_lists_what_each_edition_shows_and_drops(run: Callable[..., Result]) -> None:
    result = run(REPO, "check", "--coverage")
    assert result.exit_code == 0, result.output
    blocks: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            current = blocks.setdefault(line[:-1], [])
        elif line.startswith("  ") and blocks:
            current.append(line.strip())
    for audience in EDITIONS:
        lines = blocks[f"{audience}/memo/tiangong-brief"]
        parts = {line.split(":", 1)[0]: line for line in lines}
        for part in ("harmony-of-the-heavens paragraphs", "positions", "claims", "counters", "facts"):
            assert re.match(rf"{re.escape(part)}: \d+ of \d+ shown", parts[part]), lines
        assert any("dropped:" in line for line in lines)
        dropped = parts["positions"].split("dropped:", 1)[1] if "dropped:" in parts["positions"] else ""
        assert not set(SPEC.spine) & set(dropped.replace(",", " ").split())


def test_the_timeline_shows_each_forecast_with_what_happened(project_dir: Path, run: Callable[..., Result]) -> None:
    (project_dir / "audiences").mkdir()
    (project_dir / "audiences" / "zz-timeline.yaml").write_text(
        "label: Timeline readers\nsections:\n  memo: [header, timeline, sources]\n", "utf-8")
    result = run(project_dir, "build", "--audience", "zz-timeline", "--kind", "memo", "--format", "html")
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup((project_dir / "build/zz-timeline/memo/tiangong-brief.html").read_text("utf-8"), "html.parser")
    forecasts = soup.select("table.timeline tr.forecast")
    assert forecasts and all("Forecast in 2021" in words(row) for row in forecasts)
    russia = next(row for row in forecasts if "2025" in words(row))
    assert "What happened:" in words(russia) and "2028" in words(russia)


# --------------------------------------------------------------------------- pages


def _pdf(built: Path, audience: str) -> Path:
    return built / audience / "memo" / "tiangong-brief.pdf"


@pytest.mark.parametrize("audience, most", [("students", 4), ("public", 2), ("policymakers", 2)])
def test_memo_editions_fit_their_readers(built: Path, audience: str, most: int) -> None:
    assert len(PdfReader(_pdf(built, audience)).pages) <= most


def test_policymakers_two_pages_ten_point_body_and_the_decision_on_page_one(built: Path) -> None:
    with pdfplumber.open(_pdf(built, "policymakers")) as doc:
        assert len(doc.pages) == 2
        sizes = [round(c["size"], 1) for p in doc.pages for c in p.chars if c["text"].strip()]
        assert statistics.median(sizes) >= 10
        first = " ".join((doc.pages[0].extract_text() or "").split())
    assert "Decision required" in first and "For the ESA Council" in first
