"""Authoring: `memo init` from a new text, `memo quote`, schemas for editors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from memo.cli import main
from memo.schemas import SCHEMAS, file_type, referenced
from memo.sources import read_source

from .conftest import REPO

CHARTER = """<html><head><title>Charter</title><link rel="canonical" href="https://example.org/charter"></head><body>
<nav>Home | About | Contact</nav>
<p>Site Logo</p>
<h1>A Charter for the Quiet Library</h1>
<p>Ada Quill</p>
<p>3 March 2024</p>
<p>12 shares</p>
<h2>Article I</h2>
<p>The library shall be open to every reader without charge, and no reader shall be asked to explain why they came.</p>
<p>Silence is kept in the reading rooms, but conversation is welcome in the garden and the hall.</p>
<h2>Article II</h2>
<p>The keepers of the library shall never sell a book that a reader has asked to borrow, however rare it may be.</p>
<p>Damaged books are mended, not discarded, unless no page can be saved and the keepers agree on it together.</p>
<p>Leave a Reply</p>
<p>Your email address will not be published.</p>
<script>alert(1)</script>
</body></html>
"""


@pytest.fixture
def cli() -> Callable[..., Result]:
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def new_project(tmp_path: Path, cli: Callable[..., Result]) -> Path:
    """`memo init` on a text memo has never seen: an HTML page with article headings and web debris."""
    page = tmp_path / "charter.html"
    page.write_text(CHARTER, "utf-8")
    result = cli("init", str(tmp_path / "charter"), "--source", str(page))
    assert result.exit_code == 0, result.output
    return tmp_path / "charter"


def test_init_makes_a_project_that_checks_and_builds(new_project: Path, cli: Callable[..., Result]) -> None:
    for name in ("memo.yml", "positions/example-position.yaml", "documents/brief.yaml", ".gitignore"):
        assert (new_project / name).is_file(), name
    source = read_source(next((new_project / "seeds").glob("*.md")))
    assert source.meta.title == "A Charter for the Quiet Library"
    assert source.meta.author == "Ada Quill"
    assert source.meta.date.isoformat() == "2024-03-03"
    assert source.meta.url == "https://example.org/charter"
    assert [s.label for s in source.sections] == ["I", "II"]
    assert len(source.paragraphs) == 4
    text = "\n".join(source.paragraphs)
    for debris in ("Logo", "shares", "Leave a Reply", "email address", "alert", "Home | About"):
        assert debris not in text
    assert cli("--project", str(new_project), "check").exit_code == 0
    result = cli("--project", str(new_project), "build", "--audience", "students", "--format", "pdf", "--format", "html")
    assert result.exit_code == 0, result.output
    pdf = new_project / "build" / "students" / "memo" / "brief.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_nothing_of_the_shipped_project_leaks_into_a_new_one(new_project: Path) -> None:
    everything = " ".join(p.read_text("utf-8") for p in new_project.rglob("*") if p.is_file() and ".schemas" not in p.parts)
    for word in ("Aliberti", "Tiangong", "Metternich", "China", "harmony-of-the-heavens"):
        assert word not in everything


def test_new_files_carry_the_schema_comment_and_validate(new_project: Path) -> None:
    for name, kind in (("memo.yml", "project"), ("positions/example-position.yaml", "position"), ("documents/brief.yaml", "memo")):
        assert referenced(new_project / name) == (new_project / ".schemas" / f"{kind}.json").resolve()
        schema = json.loads((new_project / ".schemas" / f"{kind}.json").read_text("utf-8"))
        jsonschema.validate(_as_editor_reads(new_project / name), schema)


def test_a_treaty_source_is_cited_with_its_own_locator(new_project: Path, cli: Callable[..., Result]) -> None:
    seed = next((new_project / "seeds").glob("*.md"))
    seed.write_text(seed.read_text("utf-8").replace("genre: article", 'genre: treaty\nlocator: "Art. {section}({index})"'), "utf-8")
    position = new_project / "positions" / "example-position.yaml"
    position.write_text(position.read_text("utf-8").replace("paragraph: 1", "paragraph: II.1").replace(
        position.read_text("utf-8").split("quote: ")[1].splitlines()[0],
        '"shall never sell a book that a reader has asked to borrow"'), "utf-8")
    result = cli("--project", str(new_project), "build", "--audience", "students", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (new_project / "build" / "students" / "memo" / "brief.html").read_text("utf-8")
    assert "Art. II(1)" in html


def test_quote_finds_a_phrase_with_one_word_changed(cli: Callable[..., Result]) -> None:
    result = cli("--project", str(REPO), "quote", "Perhaps such cooperation might fail, but the reality is that all alternatives")
    assert result.exit_code == 0, result.output
    assert '"Perhaps such cooperation will fail, but the reality is that all alternatives"' in result.output
    assert "paragraph: 19" in result.output
    exact = cli("--project", str(REPO), "quote", "a decade-long marathon")
    assert "(exact)" in exact.output and "paragraph: k1" in exact.output


def test_quote_prints_a_paragraph_and_reports_misses(cli: Callable[..., Result]) -> None:
    shown = cli("--project", str(REPO), "quote", "--paragraph", "13")
    assert shown.exit_code == 0 and "Artemis vs. Chang’e" in shown.output
    assert cli("--project", str(REPO), "quote", "--paragraph", "99").exit_code == 2
    missing = cli("--project", str(REPO), "quote", "zebra crossings at dawn")
    assert missing.exit_code == 1 and "hint:" in missing.output


def test_init_refuses_an_existing_project(new_project: Path, cli: Callable[..., Result], tmp_path: Path) -> None:
    page = tmp_path / "again.txt"
    page.write_text("A title\n\n" + "Some words of a paragraph that is long enough to be a body paragraph. " * 3, "utf-8")
    result = cli("init", str(new_project), "--source", str(page))
    assert result.exit_code == 1 and "already a memo project" in result.output


def _as_editor_reads(path: Path) -> object:
    """YAML as a JSON-Schema validator sees it: dates stay strings."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str))


SHIPPED_YAML = ["memo.yml", *(f"{folder}/{p.name}" for folder in ("positions", "context", "documents")
                               for p in sorted((REPO / folder).glob("*.yaml")))]


def test_committed_schemas_are_what_memo_schema_prints_now(cli: Callable[..., Result]) -> None:
    """`schemas/` is generated (`memo schema --write schemas`): a model change without regenerating fails here."""
    assert sorted(p.stem for p in (REPO / "schemas").glob("*.json")) == sorted(SCHEMAS)
    for name in SCHEMAS:
        printed = cli("schema", name)
        assert printed.exit_code == 0
        assert (REPO / "schemas" / f"{name}.json").read_text("utf-8") == printed.output, f"regenerate schemas/{name}.json"


def test_schema_write_writes_every_schema(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("schema", "--write", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "out").iterdir()} == {p.name for p in (REPO / "schemas").glob("*.json")}
    assert cli("schema").exit_code == 2  # neither a type nor --write


@pytest.mark.parametrize("name", SHIPPED_YAML)
def test_shipped_files_point_editors_at_their_schema_and_validate(name: str) -> None:
    """Each shipped YAML file's first line names the committed schema of its own type, and the file validates against it."""
    path = REPO / name
    data = _as_editor_reads(path)
    target = referenced(path)
    assert target is not None, f"{name} lacks the yaml-language-server comment"
    assert target == (REPO / "schemas" / f"{file_type(name, data)}.json").resolve() and target.is_file()
    jsonschema.validate(data, json.loads(target.read_text("utf-8")))


def test_schemas_validate_every_shipped_file() -> None:
    """`memo schema` output validates the shipped project's files (and the built-in audiences), as an editor would."""
    from memo.schemas import schema
    from memo.sources import read_source as read

    checked = 0
    for folder, kind in (("positions", "position"), ("context", "context"), ("documents", None), ("memo/audiences", "audience")):
        for path in sorted((REPO / folder).glob("*.yaml")):
            data = _as_editor_reads(path)
            jsonschema.validate(data, schema(kind or data["kind"]))
            checked += 1
    jsonschema.validate(_as_editor_reads(REPO / "memo.yml"), schema("project"))
    for seed in (REPO / "seeds").glob("*.md"):
        meta = read(seed).meta.model_dump(mode="json", exclude_none=True)
        jsonschema.validate(meta, schema("source"))
    assert checked >= 15


def test_doctor_passes_on_a_machine_set_up_by_the_readme(cli: Callable[..., Result]) -> None:
    result = cli("--project", str(REPO), "doctor")
    assert result.exit_code == 0, result.output
    for name in ("Python", "WeasyPrint", "Pango", "font coverage", "output folder", "java", "chromium"):
        assert name in result.output
    assert "all required checks pass" in result.output


def test_doctor_names_characters_the_fonts_lack(project_dir: Path, cli: Callable[..., Result]) -> None:
    questions = project_dir / "context" / "questions.yaml"
    questions.write_text(questions.read_text("utf-8") + "  - {text: 'What does 𓂀 mean here?', stage: discussion}\n", "utf-8")
    result = cli("--project", str(project_dir), "doctor")
    assert "no glyph for 𓂀 (U+13080)" in result.output
    assert "fix: add a font" in result.output


def test_check_reports_words_and_grades_for_framing_and_quotations(cli: Callable[..., Result]) -> None:
    result = cli("--project", str(REPO), "check")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("  students/memo/")]
    assert lines, result.output
    assert " words; framing " in lines[0] and "(target 10)" in lines[0] and ", quotations " in lines[0]


def test_build_reports_words_and_grades_against_the_target(project_dir: Path, cli: Callable[..., Result]) -> None:
    """`memo build` prints each document's words and grades as `memo check` does; over the target is a warning, also when up to date."""
    (project_dir / "audiences").mkdir()
    (project_dir / "audiences" / "terse.yaml").write_text("name: terse\nlabel: Terse\nreading_grade: 3\n", "utf-8")
    args = ("--project", str(project_dir), "build", "-a", "terse", "-a", "students", "-k", "memo", "-f", "html")
    result = cli(*args)
    assert result.exit_code == 0, result.output
    built = {line.split()[1].rstrip(";,"): line for line in result.stdout.splitlines() if line.startswith("built ")}
    terse = next(line for name, line in built.items() if name.endswith("terse/memo/tiangong-brief.html"))
    assert " words; framing " in terse and "(target 3), quotations " in terse
    lead = "warning: terse/memo/tiangong-brief: our framing reads at grade"
    warned = [line for line in result.stderr.splitlines() if line.startswith(lead)]
    assert len(warned) == 1 and warned[0].endswith("above the target of 3")
    checked = cli("--project", str(project_dir), "check").stdout
    students = next(line for name, line in built.items() if name.endswith("students/memo/tiangong-brief.html"))
    assert students.split("; ", 1)[1] in checked  # the same words and grades as `memo check` reports
    again = cli(*args, "-v")
    assert any(line.startswith("up to date ") and "(target 3)" in line for line in again.stdout.splitlines())
    assert warned[0] in again.stderr


def test_readability_tells_quotations_from_framing() -> None:
    from memo.readability import reading

    framing = "We say this in short words. " * 5
    quote = ("Notwithstanding multitudinous considerations, institutionalised multilateral cooperation "
             "necessitates comprehensive reciprocity. ") * 3
    page = f"<main><p>{framing}</p><blockquote class='evidence'><p>“{quote}” <span class='cite'>(X, ¶1)</span></p></blockquote></main>"
    found = reading(page)
    assert found.framing_words == len(framing.split()) + 2  # the citation is ours
    assert abs(found.quote_words - len(quote.split())) <= 1  # the closing quotation mark stands alone
    assert found.quotes_grade is not None and found.framing_grade is not None and found.quotes_grade > found.framing_grade + 5


def test_list_shows_each_audiences_limits(cli: Callable[..., Result]) -> None:
    result = cli("--project", str(REPO), "list", "--audiences", "-v")
    assert result.exit_code == 0
    assert "sources:" not in result.output
    for name in ("students", "public", "policymakers"):
        assert f"  {name}: " in result.output
    assert "limits: " in result.output and "typography: " in result.output and "sections of a memo: " in result.output
    documented = (REPO / "docs" / "formats.md").read_text("utf-8")
    for line in result.output.splitlines():
        if line.startswith("      "):  # every setting of every built-in audience, documented as listed
            assert f"\n{line.strip()}\n" in documented, line


def test_readability_counts_headings_and_cells_as_units_and_skips_reference_lists() -> None:
    from memo.readability import reading

    prose = "<p>We write short words. They are easy to read. Most of them are plain.</p>"
    heading = "<h2>What the parties to the treaty recommend for the station</h2>"
    sources = ('<section class="sources"><ul><li>Department of Defense and Full-Year Continuing Appropriations Act, '
               "2011, Division B, §1340, and the corresponding section of each later annual appropriations act</li></ul></section>")
    plain = reading(f"<main>{prose * 3}</main>")
    # a heading is a sentence of its own, not the start of the paragraph after it
    punctuated = "<p>What the parties to the treaty recommend for the station.</p>"
    assert reading(f"<main>{heading}{prose * 3}</main>").framing_grade == reading(f"<main>{punctuated}{prose * 3}</main>").framing_grade
    with_list = reading(f"<main>{prose * 3}{sources}</main>")
    assert (with_list.words, with_list.framing_grade) == (plain.words, plain.framing_grade)
