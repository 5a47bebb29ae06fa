"""Bad input, case by case, through the real CLI.

Every case first makes a good HTML build for one audience in the project's ``build/``, then
breaks one thing and runs ``memo check`` and ``memo build --format html`` (every audience). Each
run must exit 1 with located problems (``path:line``, field, message, hint), no traceback, and
leave ``build/`` byte-identical: a bad build that wrote anything would add the other audiences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import snapshot

Run = Callable[..., Result]

CHECK = ("check",)
BUILD = ("build", "--format", "html", "--kind", "memo")
BOTH = (CHECK, BUILD)
SUMMARY = re.compile(r"^memo: (\d+) problems?; nothing was written\.$")

POSITION = "positions/metternich-cooperation.yaml"
ACTORS = "context/actors.yaml"
DOCUMENT = "documents/tiangong-brief.yaml"
SEED = "seeds/harmony-of-the-heavens.md"
AUDIENCES = ("policymakers", "public", "students")


# --------------------------------------------------------------------------- helpers


@dataclass
class Reported:
    """One printed problem: its head line, indented detail lines and hint."""

    head: str
    detail: list[str] = field(default_factory=list)
    hint: str | None = None


@dataclass
class Failure:
    """A failed run's problems, parsed from standard error."""

    problems: list[Reported]
    output: str

    def at(self, location: str, *fragments: str) -> Reported:
        """The problem printed at ``location`` (``path:line``) whose head holds every fragment."""
        for problem in self.problems:
            if problem.head.startswith(location + ":") and all(f in problem.head for f in fragments):
                return problem
        raise AssertionError(f"no problem at {location} with {fragments!r} in:\n{self.output}")


def _stderr(result: Result) -> str:
    try:
        return result.stderr
    except ValueError:  # click < 8.2 mixes standard error into output
        return result.output


def failed(result: Result) -> Failure:
    """Check the shape of a failed run and parse its problems."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not re.search(r"^built ", result.output, re.M), result.output
    lines = _stderr(result).rstrip("\n").splitlines()
    assert lines, result.output
    summary = SUMMARY.match(lines[-1])
    assert summary, f"no summary line at the end of:\n{result.output}"
    problems: list[Reported] = []
    for line in lines[:-1]:
        if line.startswith("  hint: "):
            assert problems and problems[-1].hint is None, result.output
            problems[-1].hint = line.removeprefix("  hint: ")
        elif line.startswith("    "):
            assert problems, result.output
            problems[-1].detail.append(line.strip())
        else:
            problems.append(Reported(line))
    assert len(problems) == int(summary.group(1)), result.output
    return Failure(problems, result.output)


def unchanged(project: Path, before: dict[str, bytes]) -> None:
    """The earlier build is byte-identical and nothing is half-written anywhere."""
    assert snapshot(project / "build") == before
    assert not [p for p in project.rglob("*") if p.name.endswith(".part")]


def expect(run: Run, project: Path, before: dict[str, bytes], location: str, *fragments: str,
           hint: str = "", commands: Sequence[tuple[str, ...]] = BOTH) -> list[Failure]:
    """Each command fails with a hinted problem at ``location`` holding ``fragments``; nothing changes."""
    failures = []
    for command in commands:
        failure = failed(run(project, *command))
        problem = failure.at(location, *fragments)
        assert problem.hint, f"no hint for: {problem.head}"
        assert hint in problem.hint, problem.hint
        unchanged(project, before)
        failures.append(failure)
    return failures


def line_of(text: str, needle: str, after: int = 0) -> int:
    """The 1-based number of the first line after ``after`` that contains ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


def edit(project: Path, name: str, old: str, new: str) -> str:
    """Replace the first ``old`` in a project file with ``new``; return the new text."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def drop_key(project: Path, name: str, key_line: str) -> str:
    """Remove the line ``key_line`` (a ``key:`` line) and its more-indented continuation lines."""
    path = project / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.rstrip("\n") == key_line)
    indent = len(key_line) - len(key_line.lstrip())
    end = start + 1
    while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    text = "".join(lines[:start] + lines[end:])
    path.write_text(text, encoding="utf-8")
    return text


@pytest.fixture
def before(project_dir: Path, run: Run) -> dict[str, bytes]:
    """A good HTML build for the students in build/, snapshotted (one audience keeps it quick)."""
    result = run(project_dir, "build", "--format", "html", "--audience", "students", "--kind", "memo")
    assert result.exit_code == 0, result.output
    files = snapshot(project_dir / "build")
    assert sorted(files) == ["students/memo/tiangong-brief.html"]
    return files


# --------------------------------------------------------------------------- the cases


@pytest.mark.parametrize(
    ("name", "old", "new", "needle", "message"),
    [
        (POSITION, "title: Take up China's invitation to cooperate", "title: Foo: bar", "title: Foo: bar",
         "mapping values are not allowed"),
        (POSITION, "    warrant: >-\n      The appeal", "   warrant: >-\n      The appeal", "   warrant: >-", "invalid YAML"),
        (ACTORS, "    name: China\n", "    name: China: PRC\n", "name: China: PRC", "mapping values are not allowed"),
    ],
    ids=["colon-in-value", "broken-indentation", "colon-in-context"],
)
def test_bad_yaml_syntax(project_dir: Path, run: Run, before: dict[str, bytes],
                         name: str, old: str, new: str, needle: str, message: str) -> None:
    """A YAML syntax error names its file and line."""
    text = edit(project_dir, name, old, new)
    expect(run, project_dir, before, f"{name}:{line_of(text, needle)}", "invalid YAML", message)


def test_unknown_key(project_dir: Path, run: Run, before: dict[str, bytes]) -> None:
    """A misspelt top-level key is named, with the nearest valid key."""
    text = edit(project_dir, POSITION, "thesis: >-", "thesiss: >-")
    expect(run, project_dir, before, f"{POSITION}:{line_of(text, 'thesiss:')}", "thesiss: unknown key 'thesiss'",
           hint="did you mean 'thesis'?")


@pytest.mark.parametrize(
    ("name", "old", "new", "needle", "path", "suggestion"),
    [
        (POSITION, "      - quote: ", "      - qoute: ", "- qoute:", "claims[0].evidence[0].qoute", "quote"),
        (ACTORS, "    role: >-", "    rol: >-", "rol: >-", "actors[0].rol", "role"),
        (DOCUMENT, "subject: >-", "subjct: >-", "subjct:", "subjct", "subject"),
    ],
    ids=["evidence", "actor", "document"],
)
def test_unknown_nested_key(project_dir: Path, run: Run, before: dict[str, bytes],
                            name: str, old: str, new: str, needle: str, path: str, suggestion: str) -> None:
    """A misspelt key deep in a file gets its full field path and a suggestion."""
    text = edit(project_dir, name, old, new)
    key = path.rsplit(".", 1)[-1]
    expect(run, project_dir, before, f"{name}:{line_of(text, needle)}", f"{path}: unknown key '{key}'",
           hint=f"did you mean '{suggestion}'?")


@pytest.mark.parametrize(
    ("old", "new", "needle", "path", "message"),
    [
        ("priority: 1", "priority: high", "priority: high", "priority", "valid integer"),
        ("        paragraph: 19\n", "        paragraph: twelve\n", "paragraph: twelve", "claims[0].evidence[0].paragraph",
         "expected a paragraph number"),
        ("    conceded: true", "    conceded: perhaps", "conceded: perhaps", "counters[0].conceded", "valid boolean"),
        ("actors: [united-states, china]", "actors: china", "actors: china", "actors", "valid list"),
    ],
    ids=["priority", "paragraph", "conceded", "actors"],
)
def test_wrong_type(project_dir: Path, run: Run, before: dict[str, bytes],
                    old: str, new: str, needle: str, path: str, message: str) -> None:
    """A value of the wrong type is located, with the field, what was expected and a hint."""
    text = edit(project_dir, POSITION, old, new)
    expect(run, project_dir, before, f"{POSITION}:{line_of(text, needle)}", f"{path}: ", message)


@pytest.mark.parametrize(
    ("name", "key_line", "mapping_start", "path"),
    [
        (POSITION, "thesis: >-", "id: metternich-cooperation", "thesis"),
        (POSITION, "    warrant: >-", "  - id: avoid-confrontation", "claims[0].warrant"),
        (ACTORS, "    role: >-", "  - id: china", "actors[0].role"),
    ],
    ids=["top-level", "in-claim", "in-actor"],
)
def test_missing_required_field(project_dir: Path, run: Run, before: dict[str, bytes],
                                name: str, key_line: str, mapping_start: str, path: str) -> None:
    """A missing field is reported at the mapping that lacks it, with a hint to add it."""
    count = (project_dir / name).read_text(encoding="utf-8").splitlines().count(key_line)
    text = drop_key(project_dir, name, key_line)
    assert text.splitlines().count(key_line) == count - 1
    field_name = path.rsplit(".", 1)[-1]
    expect(run, project_dir, before, f"{name}:{line_of(text, mapping_start)}", f"{path}: missing required field '{field_name}'",
           hint=f"add `{field_name}: …`")


@pytest.mark.parametrize(
    ("old", "new", "needle", "path", "missing", "hint"),
    [
        ("supports: [europe-canada-bridge]", "supports: [no-such-position]", "supports:", "supports[0]", "no-such-position",
         "europe-canada-bridge"),
        ("        paragraph: 19\n", "        source: no-such-source\n        paragraph: 19\n", "source: no-such-source",
         "claims[0].evidence[0].source", "no-such-source", "known: harmony-of-the-heavens"),
        ("actors: [united-states, china]", "actors: [united-states, chinaa]", "actors:", "actors[1]", "chinaa",
         "did you mean 'china'?"),
    ],
    ids=["position", "source", "actor"],
)
def test_dangling_id(project_dir: Path, run: Run, before: dict[str, bytes],
                     old: str, new: str, needle: str, path: str, missing: str, hint: str) -> None:
    """A reference to an id nobody defines names the referring line and the missing id."""
    text = edit(project_dir, POSITION, old, new)
    expect(run, project_dir, before, f"{POSITION}:{line_of(text, needle)}", f"{path}: '{missing}' names no", hint=hint)


@pytest.mark.parametrize("header", ["", "# a copy of the Metternich position\n"], ids=["plain", "after-comment"])
def test_duplicate_position_id(project_dir: Path, run: Run, before: dict[str, bytes], header: str) -> None:
    """Two files with one position id: the second is reported, naming the first, both relative to the project."""
    copy = project_dir / "positions" / "zz-copy.yaml"
    text = header + (project_dir / POSITION).read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    for failure in expect(run, project_dir, before, f"positions/zz-copy.yaml:{line_of(text, 'id: metternich-cooperation')}",
                          "duplicate position id 'metternich-cooperation'", POSITION, hint="own id"):
        assert str(project_dir) not in failure.output


@pytest.mark.parametrize(
    ("name", "old", "new", "key"),
    [
        (POSITION, "thesis: >-", "title: Again\nthesis: >-", "title"),
        (ACTORS, "    name: China\n", "    name: China\n    name: PRC\n", "name"),
    ],
    ids=["top-level", "nested"],
)
def test_duplicate_key(project_dir: Path, run: Run, before: dict[str, bytes], name: str, old: str, new: str, key: str) -> None:
    """A key written twice in one mapping is reported at the second, naming the first line."""
    text = edit(project_dir, name, old, new)
    first = line_of(text, f"{key}: ")
    second = line_of(text, f"{key}: ", after=first)
    expect(run, project_dir, before, f"{name}:{second}", f"key '{key}' appears twice (first on line {first})")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b"  \n\n\t \n", "the file is empty"), (b"# nothing yet\n", "the file holds no data")],
    ids=["zero-bytes", "whitespace", "comment-only"],
)
def test_empty_file(project_dir: Path, run: Run, before: dict[str, bytes], content: bytes, message: str) -> None:
    """An empty position file is a located problem, not a crash."""
    (project_dir / POSITION).write_bytes(content)
    expect(run, project_dir, before, f"{POSITION}:1", message)


@pytest.mark.parametrize(("insert", "at_start"), [(b"  # caf\xe9", False), (b"\xff", True)], ids=["latin-1", "xff"])
def test_not_utf8(project_dir: Path, run: Run, before: dict[str, bytes], insert: bytes, at_start: bool) -> None:
    """A byte that is not UTF-8 on line 3 is reported at line 3 and its column."""
    path = project_dir / POSITION
    lines = path.read_bytes().split(b"\n")
    lines[2] = insert + lines[2] if at_start else lines[2] + insert
    column = 1 if at_start else len(lines[2])
    path.write_bytes(b"\n".join(lines))
    expect(run, project_dir, before, f"{POSITION}:3:{column}", "not UTF-8", hint="UTF-8")


@pytest.mark.parametrize(
    ("content", "needle", "found"),
    [("# positions as a list\n- id: a\n- id: b\n", "- id: a", "found a list"), ("\njust some text\n", "just", "found a single value")],
    ids=["list", "scalar"],
)
def test_top_level_not_a_mapping(project_dir: Path, run: Run, before: dict[str, bytes], content: str, needle: str, found: str) -> None:
    """A file that is a list (or one value) instead of a mapping of fields."""
    (project_dir / POSITION).write_text(content, encoding="utf-8")
    expect(run, project_dir, before, f"{POSITION}:{line_of(content, needle)}", f"expected a mapping of fields, {found}", hint="id:")


def test_unknown_document_kind(project_dir: Path, run: Run, before: dict[str, bytes]) -> None:
    """An unknown document kind is named, with the nearest real kind."""
    text = edit(project_dir, DOCUMENT, "kind: memo\n", "kind: memoo\n")
    expect(run, project_dir, before, f"{DOCUMENT}:{line_of(text, 'kind: memoo')}", "kind: unknown document kind 'memoo'",
           hint="did you mean 'memo'?")


def test_unknown_audience_on_command_line(project_dir: Path, run: Run, before: dict[str, bytes]) -> None:
    """A misspelt --audience is a usage error (exit 2) with a suggestion, and nothing is built."""
    result = run(project_dir, "build", "--audience", "studnets", "--format", "html")
    assert result.exit_code == 2, result.output
    assert "no audience named 'studnets'" in result.output and "did you mean 'students'?" in result.output
    assert "Traceback" not in result.output
    unchanged(project_dir, before)


def test_template_error(project_dir: Path, run: Run, before: dict[str, bytes]) -> None:
    """An undefined name in a project template is located in that template; earlier outputs stay."""
    template = project_dir / "templates" / "memo" / "decision.html"
    template.parent.mkdir(parents=True)
    text = '<section class="decision">\n  <p>{{ spec.decisoin }}</p>\n</section>\n'
    template.write_text(text, encoding="utf-8")
    expect(run, project_dir, before, f"templates/memo/decision.html:{line_of(text, 'decisoin')}", "undefined", "decisoin",
           commands=[BUILD])


def test_several_problems_at_once(project_dir: Path, run: Run, before: dict[str, bytes]) -> None:
    """Three broken files: every one is reported in the same run, and the summary counts them."""
    position = edit(project_dir, POSITION, "priority: 1", "priority: high")
    actors = edit(project_dir, ACTORS, "    name: China\n", "    name: China: PRC\n")
    document = edit(project_dir, DOCUMENT, "kind: memo\n", "kind: memoo\n")
    for failure in expect(run, project_dir, before, f"{POSITION}:{line_of(position, 'priority: high')}", "priority"):
        assert len(failure.problems) == 3
        assert failure.at(f"{ACTORS}:{line_of(actors, 'China: PRC')}", "invalid YAML").hint
        assert failure.at(f"{DOCUMENT}:{line_of(document, 'kind: memoo')}", "memoo").hint
        assert "memo: 3 problems; nothing was written." in failure.output


def _strip_front_matter(text: str) -> str:
    return text.split("---\n", 2)[2].lstrip()


def _unclose_front_matter(text: str) -> str:
    lines = text.splitlines(keepends=True)
    closing = next(i for i, line in enumerate(lines) if i > 0 and line.strip() == "---")
    return "".join(lines[:closing] + lines[closing + 1:])


SOURCE_CASES = [
    pytest.param(_strip_front_matter, "", "must start with '---'", "---", id="no-front-matter"),
    pytest.param(lambda t: t.replace("date: 2021-05-07", "date: not-a-date", 1), "date: not-a-date", "date: ", "YYYY-MM-DD",
                 id="bad-date"),
    pytest.param(lambda t: t.replace("author: Marco Aliberti", "author: Marco: Aliberti", 1), "author: Marco:", "invalid YAML", "quotes",
                 id="bad-yaml"),
    pytest.param(_unclose_front_matter, "", "not closed", "---", id="unclosed"),
]


@pytest.mark.parametrize(("change", "needle", "message", "hint"), SOURCE_CASES)
def test_source_front_matter(project_dir: Path, run: Run, before: dict[str, bytes],
                             change: Callable[[str], str], needle: str, message: str, hint: str) -> None:
    """Problems in a source's front matter are located on the real file's lines."""
    path = project_dir / SEED
    text = change(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    line = line_of(text, needle) if needle else 1
    expect(run, project_dir, before, f"{SEED}:{line}", message, hint=hint)


@pytest.mark.parametrize(("change", "needle", "message", "hint"), SOURCE_CASES)
def test_broken_source_is_reported_alone(project_dir: Path, run: Run, change: Callable[[str], str],
                                         needle: str, message: str, hint: str) -> None:
    """A source that fails to load is one problem: quotations that leave out `source:` are not blamed for it."""
    path = project_dir / SEED
    text = change(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    failure = failed(run(project_dir, *CHECK))
    assert [p.head.split(":", 1)[0] for p in failure.problems] == [SEED], failure.output
    assert failure.at(f"{SEED}:{line_of(text, needle) if needle else 1}", message).hint


def test_missing_output_folder_is_not_created_by_a_failed_build(project_dir: Path, run: Run) -> None:
    """With no earlier build, a failed build leaves no build/ folder behind."""
    edit(project_dir, POSITION, "priority: 1", "priority: high")
    failed(run(project_dir, *BUILD))
    assert not (project_dir / "build").exists()


def test_good_project_still_builds(project_dir: Path, run: Run, before: dict[str, bytes]) -> None:
    """Control: the untouched copy checks and builds, so the failures above come from the breakage."""
    assert run(project_dir, *CHECK).exit_code == 0
    result = run(project_dir, *BUILD)
    assert result.exit_code == 0, result.output
    assert sorted(snapshot(project_dir / "build")) == [f"{a}/memo/tiangong-brief.html" for a in AUDIENCES]
    assert snapshot(project_dir / "build")["students/memo/tiangong-brief.html"] == before["students/memo/tiangong-brief.html"]

