"""Model-UN sessions, read back from real outputs: PDFs, HTML, Word files."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber
import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import Result
from pypdf import PdfReader

from memo import build, load_project
from memo.kinds.mun import MunSpec, all_delegations, slug

from .conftest import REPO, copy_project, snapshot

SESSION = "tiangong-specpol"
SESSION_FILE = f"documents/{SESSION}.yaml"
UNCOVERED = ["Brazil", "Nigeria"]


def edit_session(root: Path, change: Callable[[str], str]) -> None:
    path = root / SESSION_FILE
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture(scope="module")
def spec() -> MunSpec:
    return load_project(REPO).documents[SESSION]  # type: ignore[return-value]


@pytest.fixture(scope="module")
def out(built: Path) -> Path:
    return built / "students" / "mun" / SESSION


def first_page(pdf: Path) -> str:
    return PdfReader(pdf).pages[0].extract_text()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --------------------------------------------------------------------------- the shipped session


def test_shipped_session_roster(spec: MunSpec) -> None:
    countries = [d.country for d in all_delegations(load_project(REPO), spec)]
    assert len(countries) >= 12
    for needed in ("United States", "China", "Russia", "Canada", "France", "Germany", "Italy", "United Kingdom", "Japan",
                   "India", "Iran", *UNCOVERED):
        assert needed in countries
    assert {"Brazil", "Nigeria"} <= {row["country"] for row in csv.DictReader(io.StringIO(
        (REPO / "documents" / spec.roster).read_text(encoding="utf-8")))}  # type: ignore[operator]


def test_one_pdf_per_delegation_naming_country_and_committee(spec: MunSpec, out: Path) -> None:
    for delegation in all_delegations(load_project(REPO), spec):
        key = slug(delegation.country)
        for name in (key, f"{key}-position-paper"):
            for suffix in (".pdf", ".html", ".md", ".docx"):
                assert (out / (name + suffix)).is_file(), name + suffix
            page = re.sub(r"\s+", " ", first_page(out / f"{name}.pdf"))
            assert delegation.country in page
            assert "Special Political and Decolonization Committee" in page and "SPECPOL" in page
    for name in ("chair", "resolution"):
        assert all((out / f"{name}{suffix}").is_file() for suffix in (".pdf", ".html", ".md", ".docx"))


def test_covered_state_pack_quotes_and_attributes(out: Path) -> None:
    page = soup(out / "canada.html")
    profile = page.select_one("section.profile")
    assert profile is not None and not profile.select(".uncovered")
    quotes = profile.select("blockquote.evidence")
    assert quotes and all("Aliberti, ¶" in q.get_text().replace("\xa0", " ") for q in quotes)
    # every sentence of framing about the article's view says whose view it is
    assert all(p.select_one(".voice") for p in profile.select("p") if "evidence" not in (p.parent.get("class") or []))
    relations = page.select("section.allies-rivals tbody tr")
    assert {r.find("td").get_text() for r in relations} == {"United States", "China"}
    assert page.select("section.talking-points li") and page.select("section.clauses .clause-list")
    paper = soup(out / "canada-position-paper.html")
    headings = [h.get_text() for h in paper.select("h2")]
    assert headings == ["I. Topic background", "II. Past international action", "III. Country policy",
                        "IV. Proposed solutions", "Works cited"]
    facts = {f.id: f for f in load_project(REPO).context.background}
    session: MunSpec = load_project(REPO).documents[SESSION]  # type: ignore[assignment]
    text = re.sub(r"\s+", " ", paper.get_text(" "))
    for fact_id in [*session.facts, *session.past_action]:  # background facts carry source and date
        fact = facts[fact_id]
        assert f"as of {fact.as_of.day} {fact.as_of:%B %Y}" in text
        assert re.sub(r"\s+", " ", fact.source)[:40] in text


@pytest.mark.parametrize("country", [*UNCOVERED, "France"])
def test_uncovered_state_attributes_no_claim_to_it(country: str, out: Path) -> None:
    project = load_project(REPO)
    theses = [str(p.thesis) for p in project.positions.values()] + [str(c.claim) for p in project.positions.values() for c in p.claims]
    key = slug(country)
    for name in (key, f"{key}-position-paper"):
        page = soup(out / f"{name}.html")
        main = page.find("main")
        text = re.sub(r"\s+", " ", main.get_text(" "))
        assert f"The article does not discuss {country}" in text
        assert not any(t[:60] in text for t in theses), "a position's framing reached an uncovered state's pack"
        assert not main.select("section.talking-points, section.allies-rivals")
        # every block that names the country says it is not covered, asks for research or labels bloc context
        allowed = re.compile(r"does not discuss|not discussed|no view of|no policy for|To research|not a view of|places|assigns"
                             r"|no position for|delegation pack|Position paper|To complete|official sources|official policy")
        for block in main.find_all(["p", "li", "td", "h1", "h2", "h3"]):
            words = block.get_text(" ")
            # the header's Delegation cell holds the name alone; a research question states nothing
            if country in words and words.strip() != country and not words.strip().endswith("?"):
                assert allowed.search(words), words
        # no voiced claim sits in a block that names the country
        for voice in main.select(".voice"):
            assert country not in voice.parent.get_text(" ")


# --------------------------------------------------------------------------- the draft resolution


def test_resolution_format_and_docx_keeps_order_and_punctuation(spec: MunSpec, out: Path) -> None:
    page = soup(out / "resolution.html")
    preamble = page.select("p.preamble")
    assert [p.get_text().strip()[-1] for p in preamble] == [","] * len(spec.resolution.preambulatory)
    assert all(p.find("em", class_="opening") for p in preamble)
    items = page.select("ol.operative > li")
    assert len(items) == len(spec.resolution.operative) and all(li.find("u", class_="opening") for li in items)
    document = docx.Document(out / "resolution.docx")
    texts = [p.text for p in document.paragraphs]
    start = texts.index("The General Assembly,")
    preambles = texts[start + 1: start + 1 + len(spec.resolution.preambulatory)]
    assert preambles == [c.text + "," for c in spec.resolution.preambulatory]
    operative = [t for t in texts if re.match(r"^\d+\.\t", t)]
    expected = []
    for index, clause in enumerate(spec.resolution.operative):
        last = index == len(spec.resolution.operative) - 1
        expected.append(f"{index + 1}.\t{clause.text}{':' if clause.sub else '.' if last else ';'}")
    assert operative == expected
    assert texts[-1].endswith(".") and sum(t.endswith(".") and not re.match(r"^[a-z]+\.\t", t) for t in texts[start:]) == 1
    subs = [t for t in texts if re.match(r"^([a-z]+)\.\t", t)]
    assert subs[:3] == ["a.\tjoint experiments proposed by other States, including developing States;", "b.\tcrews from other States;",
                        "c.\tthe docking of modules built by other States, where safety allows, including:"]
    assert subs[3:5] == ["i.\tcommon docking and life-support standards;", "ii.\tshared procedures for crew rescue;"]
    recalling = next(p for p in document.paragraphs if p.text.startswith("Recalling"))
    assert recalling.runs[0].text == "Recalling" and recalling.runs[0].italic and recalling.runs[0].style.name == "Preambulatory Opening"
    encourages = next(p for p in document.paragraphs if p.text.startswith("1.\tEncourages"))
    assert [r.text for r in encourages.runs if r.underline] == ["Encourages"]
    assert "Drafting notes" not in " ".join(texts)


def test_position_paper_docx_opens_with_its_parts(out: Path) -> None:
    document = docx.Document(out / "canada-position-paper.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Position paper: Canada"
    assert headings[1:] == ["I. Topic background", "II. Past international action", "III. Country policy", "IV. Proposed solutions",
                            "Works cited"]
    assert document.styles["Normal"].font.name == "Times New Roman"


# --------------------------------------------------------------------------- bad input and changes


@pytest.fixture
def session_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def clause_line(root: Path, text: str) -> int:
    lines = (root / SESSION_FILE).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_security_council_verb_in_general_assembly_committee(session_copy: Path, run: Callable[..., Result]) -> None:
    edit_session(session_copy, lambda s: s.replace("- text: Requests the Office for Outer Space Affairs",
                                                   "- text: Decides that the Office for Outer Space Affairs shall"))
    before = snapshot(session_copy)
    result = run(session_copy, "build", "--kind", "mun")
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = clause_line(session_copy, "Decides that")
    assert f"{SESSION_FILE}:{line}:" in result.output
    assert "resolution.operative[3].text: 'Decides' is reserved to the Security Council; SPECPOL is a General Assembly body" \
        in result.output
    assert "hint: use an operative opening such as" in result.output
    assert snapshot(session_copy) == before


def test_unknown_opening_gets_nearest_valid_one(session_copy: Path, run: Callable[..., Result]) -> None:
    edit_session(session_copy, lambda s: s.replace("- text: Encourages all spacefaring", "- text: Encourage all spacefaring"))
    result = run(session_copy, "check")
    line = clause_line(session_copy, "Encourage all spacefaring")
    assert result.exit_code == 1
    assert f"{SESSION_FILE}:{line}:" in result.output
    assert "resolution.operative[0].text: 'Encourage' is not an operative clause opening" in result.output
    assert "did you mean 'Encourages'?" in result.output


def test_security_council_may_decide(session_copy: Path, run: Callable[..., Result]) -> None:
    edit_session(session_copy, lambda s: s.replace("committee: specpol", "committee: unsc").replace(
        "- text: Requests the Office", "- text: Decides that the Office"))
    result = run(session_copy, "check")
    assert result.exit_code == 0, result.output


def test_roster_csv_errors_name_the_line(session_copy: Path, run: Callable[..., Result]) -> None:
    roster = session_copy / "documents" / "tiangong-specpol-roster.csv"
    roster.write_text(roster.read_text(encoding="utf-8") + "Kenya,open-invitaton,\nBrazil,open-invitation,again\n", encoding="utf-8")
    result = run(session_copy, "check")
    assert result.exit_code == 1
    assert "documents/tiangong-specpol-roster.csv:5: bloc: 'open-invitaton' names no bloc of this session" in result.output
    assert "did you mean 'open-invitation'?" in result.output
    assert "documents/tiangong-specpol-roster.csv:6: country: 'Brazil' is already on the roster" in result.output


def test_adding_a_delegation_needs_no_template_change(session_copy: Path, run: Callable[..., Result]) -> None:
    templates = snapshot(REPO / "memo" / "templates")
    edit_session(session_copy, lambda s: s.replace("  - {country: Iran, bloc: sino-russian}",
                                                   "  - {country: Iran, bloc: sino-russian}\n  - {country: Mexico, bloc: open-invitation}"))
    roster = session_copy / "documents" / "tiangong-specpol-roster.csv"
    roster.write_text(roster.read_text(encoding="utf-8") + "Kenya,open-invitation,Added in the spreadsheet\n", encoding="utf-8")
    for name in ("Mexico", "kenya"):  # by the roster's spelling or the file name
        result = run(session_copy, "build", "--kind", "mun", "--session", SESSION, "--delegation", name,
                     "--format", "pdf", "--format", "html")
        assert result.exit_code == 0, result.output
    out = session_copy / "build" / "students" / "mun" / SESSION
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{k}{s}" for k in ("mexico", "mexico-position-paper", "kenya",
                                                                            "kenya-position-paper") for s in (".pdf", ".html"))
    assert "Kenya" in first_page(out / "kenya.pdf") and "Mexico" in first_page(out / "mexico.pdf")
    assert "The article does not discuss Kenya" in soup(out / "kenya.html").get_text()
    assert snapshot(REPO / "memo" / "templates") == templates


def test_unknown_session_or_delegation(session_copy: Path, run: Callable[..., Result]) -> None:
    result = run(session_copy, "build", "--kind", "mun", "--session", "tiangong-specpl")
    assert result.exit_code == 1 and "no session named 'tiangong-specpl'" in result.output and "tiangong-specpol" in result.output
    result = run(session_copy, "build", "--kind", "mun", "--delegation", "Brazi", "--format", "html")
    assert result.exit_code == 1 and "no delegation named 'Brazi'" in result.output and "Brazil" in result.output
    assert not (session_copy / "build").exists()


def test_page_limit_is_reported_with_the_page_count(session_copy: Path) -> None:
    edit_session(session_copy, lambda s: s.replace("page_limit: 2", "page_limit: 1"))
    report = build(load_project(session_copy), kinds=["mun"], formats=["pdf"], options={"delegation": "Canada"})
    assert sorted(b.document for b in report.documents) == [f"{SESSION}/canada", f"{SESSION}/canada-position-paper"]
    paper = next(b for b in report.documents if b.document.endswith("canada-position-paper"))
    assert paper.pages and paper.pages > 1
    assert f"students/mun/{SESSION}/canada-position-paper: {paper.pages} pages, over the NMUN-style limit of 1 page for a position paper" \
        in report.warnings
    assert not any("mun/tiangong-specpol/canada:" in w and " pages, over " in w for w in report.warnings)  # the pack has no page limit


def test_workshop_accessible_profile(session_copy: Path) -> None:
    edit_session(session_copy, lambda s: s.replace("profile: conference", "profile: {default: conference, students: workshop-accessible}"))
    project = load_project(session_copy)
    build(project, kinds=["mun"], formats=["html", "docx"])
    report = build(project, kinds=["mun"], formats=["pdf"], options={"delegation": "Brazil"})
    assert not any("over the NMUN-style limit" in w for w in report.warnings)  # the page limit is the conference profile's
    out = session_copy / "build" / "students" / "mun" / SESSION
    page = soup(out / "resolution.html")
    assert page.select("p.preamble strong.opening") and not page.select("em.opening, u.opening")
    with pdfplumber.open(out / "brazil.pdf") as pdf:
        fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
    assert all("Sans" in f for f in fonts) and not any("Italic" in f for f in fonts)
    document = docx.Document(out / "resolution.docx")
    recalling = next(p for p in document.paragraphs if p.text.startswith("Recalling"))
    assert recalling.runs[0].bold and not recalling.runs[0].italic
    assert document.styles["Normal"].font.name == "Arial"


def test_conference_profile_is_serif_with_italic_openings(out: Path) -> None:
    with pdfplumber.open(out / "resolution.pdf") as pdf:
        chars = pdf.pages[0].chars
    text = "".join(c["text"] for c in chars)
    start = text.index("Recalling")
    assert all("Italic" in c["fontname"] for c in chars[start:start + len("Recalling")])
    assert any("Serif" in c["fontname"] for c in chars)


def test_unknown_profile_and_committee(session_copy: Path, run: Callable[..., Result]) -> None:
    edit_session(session_copy, lambda s: s.replace("profile: conference", "profile: conferense").replace("committee: specpol",
                                                                                                            "committee: specpl"))
    result = run(session_copy, "check")
    assert result.exit_code == 1
    assert "no profile named 'conferense'" in result.output and "did you mean 'conference'?" in result.output
    assert "no committee named 'specpl'" in result.output and "did you mean 'specpol'?" in result.output


def test_session_file_is_plain_yaml() -> None:
    data = yaml.safe_load((REPO / SESSION_FILE).read_text(encoding="utf-8"))
    assert data["kind"] == "mun" and data["roster"].endswith(".csv")
