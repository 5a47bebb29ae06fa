"""The error catalogue: every bad input memo knows, through the real CLI, case by case.

The module builds the shipped project once (students, HTML and Markdown) into a shared output
folder and snapshots it. Each case breaks a fresh copy of the project in one way, then runs
``memo check`` and ``memo build`` (every audience, HTML and Markdown) into that same folder. Each
must exit with the case's code, name the file (and line, where there is one), print no
traceback, and leave the earlier outputs byte-identical with no temporary file behind.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from memo.cli import main

from .conftest import PROJECT_PARTS, REPO, snapshot

POSITION = "positions/metternich-cooperation.yaml"
MEMBERSHIP = "positions/membership-not-competition.yaml"
DOCUMENT = "documents/tiangong-brief.yaml"
SEED = "seeds/harmony-of-the-heavens.md"
ACTORS = "context/actors.yaml"
GLOSSARY = "context/glossary.yaml"
BACKGROUND = "context/background.yaml"
TIMELINE = "context/timeline.yaml"
QUESTIONS = "context/questions.yaml"
FOOTER = "templates/footer.html"
CONFIG = "memo.yml"

ALIAS_BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
LIVE = re.compile(r"<script|\son\w+\s*=|javascript:", re.I)


# --------------------------------------------------------------------------- how a case breaks the project


def edit(name: str, old: str, new: str, needle: str | None = None) -> Callable[[Path], str]:
    """Replace ``old`` by ``new`` in one file; the expected location is the line holding ``needle`` (or the file alone)."""

    def apply(project: Path) -> str:
        path = project / name
        text = path.read_text("utf-8")
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new, 1)
        path.write_text(text, "utf-8")
        return f"{name}:{line_of(text, needle)}" if needle else name

    return apply


def write(name: str, content: str | bytes, needle: str | None = None, line: int | None = None) -> Callable[[Path], str]:
    """Write a whole file; the location is ``needle``'s line, ``line``, or the file alone."""

    def apply(project: Path) -> str:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")
        if needle:
            return f"{name}:{line_of(str(content), needle)}"
        return f"{name}:{line}" if line else name

    return apply


def both(*steps: Callable[[Path], str]) -> Callable[[Path], str]:
    """Several changes; the location is the last one's."""

    def apply(project: Path) -> str:
        return [step(project) for step in steps][-1]

    return apply


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


@dataclass(frozen=True)
class Case:
    id: str
    apply: Callable[[Path], str]
    fragments: tuple[str, ...]
    code: int = 1
    check: bool = True  # `memo check` must fail too (build-only cases say False)
    build: bool = True
    args: tuple[str, ...] = ()


def case(id: str, apply: Callable[[Path], str], *fragments: str, **kw: object) -> pytest.param:
    return pytest.param(Case(id, apply, fragments, **kw), id=id)  # type: ignore[arg-type]


AUDIENCE = "audiences/club.yaml"
CLUB = "label: Debate club\nextends: students\n"

CASES = [
    # ---- positions
    case(
        "position-bad-yaml",
        edit(POSITION, "title: Take up China's invitation to cooperate", "title: Take: up", "title: Take: up"),
        "invalid YAML",
    ),
    case("position-unknown-key", edit(POSITION, "thesis: >-", "thesiss: >-", "thesiss:"), "unknown key 'thesiss'", "did you mean"),
    case("position-priority-type", edit(POSITION, "priority: 1", "priority: high", "priority: high"), "priority"),
    case(
        "paragraph-true",
        edit(POSITION, "        paragraph: 19\n", "        paragraph: true\n", "paragraph: true"),
        "expected a paragraph number",
    ),
    case(
        "paragraph-float",
        edit(POSITION, "        paragraph: 19\n", "        paragraph: 2.5\n", "paragraph: 2.5"),
        "expected a paragraph number",
    ),
    case(
        "paragraph-missing", edit(POSITION, "        paragraph: 19\n", "        paragraph: 999\n", "paragraph: 999"), "has no paragraph 999"
    ),
    case(
        "misquote",
        edit(
            POSITION, "any cool-headed Metternich will conclude", "any cool-headed Metternich would conclude", "Metternich would conclude"
        ),
        "quotation not found",
        "'would' where the source has 'will'",
    ),
    case(
        "negation-cut",
        edit(
            MEMBERSHIP,
            '"this posture unveils the quest for membership, respect, '
            'and equality in the global space community – not a desire for competition or imperial isolation."',
            '"this posture unveils … a desire for competition"',
            "posture unveils …",
        ),
        "leaves out 'not'",
    ),
    case(
        "supports-itself",
        edit(POSITION, "supports: [europe-canada-bridge]", "supports: [europe-canada-bridge, metternich-cooperation]", "supports: [europe"),
        "supports itself",
    ),
    case(
        "supports-and-attacks",
        edit(
            POSITION,
            "supports: [europe-canada-bridge]",
            "supports: [europe-canada-bridge]\nattacks: [europe-canada-bridge]",
            "attacks: [europe",
        ),
        "both supported and attacked",
    ),
    case(
        "dangling-support",
        edit(POSITION, "supports: [europe-canada-bridge]", "supports: [no-such-position]", "supports:"),
        "names no position",
    ),
    case("alias-bomb", write(POSITION, ALIAS_BOMB, needle="e: &e"), "aliases (*name) here expand"),
    case("deep-nesting", write(POSITION, "id: x\ntitle: " + "[" * 500 + "]" * 500 + "\n", line=2), "nested more than"),
    case("recursive-alias", write(POSITION, "id: &a [*a]\n", line=1), "refers to the value that holds it"),
    case("duplicate-key", edit(POSITION, "thesis: >-", "title: Again\nthesis: >-", "title: Again"), "appears twice"),
    case(
        "duplicate-position-id",
        lambda p: write("positions/zz-copy.yaml", (p / POSITION).read_text("utf-8"), needle="id: metternich-cooperation")(p),
        "duplicate position id",
    ),
    case("file-too-large", write(POSITION, "id: x\n" + "# padding\n" * 300_000), "over the limit of 2.0 MB", "3.0 MB"),
    case("not-utf8", write(POSITION, b"id: caf\xe9\n", line=1), "not UTF-8"),
    case("empty-position", write(POSITION, "", line=1), "the file is empty"),
    case("position-is-a-list", write(POSITION, "- id: a\n", line=1), "expected a mapping of fields"),
    case("id-with-path", edit(POSITION, "id: metternich-cooperation", "id: ../../evil", "id: ../../evil"), "id"),
    case("actors-not-a-list", edit(POSITION, "actors: [united-states, china]", "actors: china", "actors: china"), "valid list"),
    case(
        "empty-quote",
        edit(
            POSITION,
            '"Against this threatening backdrop, any cool-headed Metternich will conclude that a space confrontation '
            'should be avoided if possible."',
            '""',
            'quote: ""',
        ),
        "empty",
    ),
    case("no-claims", lambda p: _replace_claims(p), "claims", "at least 1"),
    # ---- sources
    case("source-no-front-matter", lambda p: _rewrite(p, SEED, lambda t: t.split("---\n", 2)[2], line=1), "must start with '---'"),
    case("source-bad-date", edit(SEED, "date: 2021-05-07", "date: someday", "date: someday"), "date"),
    case("source-unclosed", lambda p: _rewrite(p, SEED, _unclose, line=1), "not closed"),
    case(
        "source-no-paragraphs",
        write(SEED, "---\nid: harmony-of-the-heavens\ntitle: T\nauthor: A B\ndate: 2021-05-07\npublisher: P\n---\n", line=8),
        "no body paragraphs",
    ),
    case("source-bad-id", edit(SEED, "id: harmony-of-the-heavens", "id: Harmony Heavens", "id: Harmony"), "id"),
    # ---- documents
    case("kind-is-a-list", edit(DOCUMENT, "kind: memo\n", "kind: [memo]\n", "kind: [memo]"), "kind must be one name"),
    case("kind-unknown", edit(DOCUMENT, "kind: memo\n", "kind: memoo\n", "kind: memoo"), "unknown document kind 'memoo'"),
    case("document-missing-subject", lambda p: _drop(p, DOCUMENT, "subject: >-", "kind: memo"), "missing required field 'subject'"),
    case(
        "recommendation-dangling",
        edit(DOCUMENT, "  option: accept-invitation", "  option: no-such-option", "option: no-such-option"),
        "no-such-option",
    ),
    case("no-status-quo", edit(DOCUMENT, "    status_quo: true\n", "", None), "status quo"),
    # ---- audiences
    case("extends-a-list", write(AUDIENCE, "label: Club\nextends: [students]\n", needle="extends"), "extends must name one audience"),
    case("extends-unknown", write(AUDIENCE, "label: Club\nextends: studnets\n", needle="extends"), "extends unknown audience"),
    case(
        "extends-loop",
        both(write("audiences/a.yaml", "label: A\nextends: b\n"), write("audiences/b.yaml", "label: B\nextends: a\n")),
        "extends itself",
    ),
    case(
        "duplicate-audience-name",
        both(write("audiences/a.yaml", "name: club\nlabel: A\n"), write("audiences/b.yaml", "name: club\nlabel: B\n", needle="name: club")),
        "duplicate audience name 'club'",
    ),
    case("empty-sections", write(AUDIENCE, CLUB + "sections:\n  memo: []\n", needle="memo: []"), "has no sections"),
    case(
        "unknown-section",
        write(AUDIENCE, CLUB + "sections:\n  memo: [header, bluff]\n", needle="memo: [header"),
        "'bluff' is not a section",
    ),
    case("typography-range", write(AUDIENCE, CLUB + "typography:\n  size_pt: 100\n", needle="size_pt"), "size_pt"),
    case("audience-bad-name", write(AUDIENCE, "name: Club Night\nlabel: Club\n", needle="name:"), "name"),
    # ---- context
    case(
        "duplicate-actor",
        edit(ACTORS, "actors:\n", "actors:\n  - {id: china, name: China again, role: A copy.}\n", "- id: china"),
        "duplicate actors id 'china'",
    ),
    case(
        "glossary-paragraph-true",
        edit(GLOSSARY, "    paragraph: 1\n", "    paragraph: true\n", "paragraph: true"),
        "expected a paragraph number",
    ),
    case("background-no-as-of", edit(BACKGROUND, "    as_of: 1967-10-10\n", "", "- id: outer-space-treaty"), "as_of"),
    case(
        "timeline-misquote",
        edit(
            TIMELINE,
            'quote: "1914 showed what happens when it is absent"',
            'quote: "1914 showed what happens when it is gone"',
            "it is gone",
        ),
        "quotation not found",
    ),
    case("question-stage", edit(QUESTIONS, "  - stage: before\n", "  - stage: during\n", "stage: during"), "stage"),
    # ---- templates
    case("template-executes-code", write(FOOTER, "{{ cycler.__init__.__globals__.os.popen('id').read() }}\n", line=1), "sandbox forbids"),
    case("template-division-by-zero", write(FOOTER, "<footer>\n{{ 1 // 0 }}\n</footer>\n", line=2), "ZeroDivisionError"),
    case("template-syntax", write("templates/memo/bluf.html", "<section>\n{% if %}\n</section>\n", line=2), "template syntax error"),
    case(
        "template-include-absolute",
        write(FOOTER, "<footer>\n{% include '/etc/passwd' %}\n</footer>\n", line=2),
        "outside the template folders",
    ),
    case(
        "template-include-parent",
        write(FOOTER, "<footer>\n{% include '../memo.yml' %}\n</footer>\n", line=2),
        "outside the template folders",
    ),
    case(
        "template-undefined-unused", write("templates/extra.html", "<p>\n{{ no_such_name }}\n</p>\n", line=2), "undefined name", build=False
    ),
    case("template-includes-itself", write(FOOTER, "<footer>{% include 'footer.html' %}</footer>\n", line=1), "without end"),
    case("template-huge-repeat", write(FOOTER, "<footer>{{ 'x' * 10**9 }}</footer>\n", line=1), "sandbox forbids"),
    # ---- config
    case(
        "output-dir-outside",
        edit(CONFIG, "language: en", "language: en\noutput_dir: ../elsewhere", "output_dir"),
        "outside the project",
        "--allow-outside",
    ),
    case(
        "templates-dir-absolute", edit(CONFIG, "language: en", "language: en\ntemplates_dir: /etc", "templates_dir"), "outside the project"
    ),
    case(
        "max-file-mb",
        both(edit(CONFIG, "language: en", "language: en\nmax_file_mb: 0.001"), lambda p: SEED),
        "bytes, over the limit of 1,000 bytes",
    ),
    case("config-unknown-key", edit(CONFIG, "language: en", "langauge: en", "langauge"), "unknown key 'langauge'"),
    case(
        "config-no-title",
        lambda p: _rewrite(p, CONFIG, lambda t: re.sub(r"(?m)^title:.*\n", "", t), line=None),
        "missing required field 'title'",
    ),
    # ---- usage: exit 2, before the project is loaded
    case("unknown-audience", lambda p: "", "no audience named 'studnets'", code=2, check=False, args=("--audience", "studnets")),
    case("unknown-kind", lambda p: "", "--kind", code=2, check=False, args=("--kind", "nokind")),
    case("unknown-format", lambda p: "", "--format", code=2, check=False, args=("--format", "nofmt")),
]


def _rewrite(project: Path, name: str, change: Callable[[str], str], line: int | None) -> str:
    path = project / name
    path.write_text(change(path.read_text("utf-8")), "utf-8")
    return f"{name}:{line}" if line else name


def _unclose(text: str) -> str:
    lines = text.splitlines(keepends=True)
    closing = next(i for i, line in enumerate(lines) if i > 0 and line.strip() == "---")
    return "".join(lines[:closing] + lines[closing + 1 :])


def _drop(project: Path, name: str, key_line: str, mapping_needle: str) -> str:
    path = project / name
    lines = path.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.rstrip("\n") == key_line)
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    text = "".join(lines[:start] + lines[end:])
    path.write_text(text, "utf-8")
    return f"{name}:{line_of(text, mapping_needle)}" if mapping_needle else name


def _replace_claims(project: Path) -> str:
    path = project / POSITION
    text = path.read_text("utf-8")
    start = text.index("claims:\n")
    end = text.index("\ncounters:") if "\ncounters:" in text else text.index("\nsupports:")
    text = text[:start] + "claims: []" + text[end:]
    path.write_text(text, "utf-8")
    return f"{POSITION}:{line_of(text, 'claims: []')}"


# --------------------------------------------------------------------------- the run


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """One good build (students, HTML + Markdown) into a shared folder, and its snapshot."""
    out = tmp_path_factory.mktemp("catalogue-out")
    result = CliRunner().invoke(
        main, ["--project", str(REPO), "build", "-a", "students", "-k", "memo", "-f", "html", "-f", "md", "--out", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    files = snapshot(out)
    assert {"students/memo/tiangong-brief.html", "students/memo/tiangong-brief.md"} <= set(files)
    assert not any(LIVE.search(data.decode("utf-8")) for data in files.values())
    return out, files


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    target.mkdir()
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


def _invoke(project: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(project), *args])


@pytest.mark.parametrize("bad", CASES)
def test_catalogue(bad: Case, fresh: Path, earlier: tuple[Path, dict[str, bytes]]) -> None:
    out, before = earlier
    location = bad.apply(fresh)
    commands = ([("check",)] if bad.check else []) + (
        [("build", "-f", "html", "-f", "md", "--out", str(out), *bad.args)] if bad.build else []
    )
    assert commands
    for command in commands:
        result = _invoke(fresh, *command)
        text = result.output
        assert result.exit_code == bad.code, f"{command}: exit {result.exit_code}\n{text}"
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in text, text
        for fragment in bad.fragments:
            assert fragment in text, f"{fragment!r} not in:\n{text}"
        if bad.code == 1:
            assert re.search(rf"^{re.escape(location)}[:\s]", text, re.M), f"no problem at {location!r} in:\n{text}"
            assert "hint: " in text, text
            assert re.search(r"^memo: \d+ problems?; nothing was written\.$", text, re.M), text
        assert snapshot(out) == before, f"{command} changed the earlier outputs"
        assert not [p for p in out.rglob("*") if p.name.endswith(".part") or p.name.startswith(".")]


def test_the_catalogue_is_long_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.values[0].id for c in CASES}) == len(CASES)
