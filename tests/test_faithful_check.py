"""`memo check` on faithful framing: each breach is reported with file, line, field and a hint.

Every case adds its own small file to a copy of the shipped project (so the cases do not depend on
the shipped wording), runs the real CLI and reads the located problem back. One test per breach.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from memo.load import load_project
from memo.models import Claim, Counter, Length, Point, Position, Voiced, voice
from memo.verify import deprecations

Run = Callable[..., Result]

# Words that are in paragraph 1 of the shipped source (checked by the quote verifier in every case).
P1 = "On 29 April 2021, a Chinese Long March 5B rocket successfully launched the core module"

POSITION = """\
id: zz-probe
title: A probe position
thesis: The launch happened.
tags: [zz-probe-tag]
claims:
  - id: launched
    claim: The core module was launched.
    warrant: The paragraph reports it.
    impact: It started the station.
    evidence:
      - quote: "{p1}"
        paragraph: 1
counters:
{counters}
"""


def _stderr(result: Result) -> str:
    try:
        return result.stderr
    except ValueError:  # click < 8.2 mixes standard error into output
        return result.output


def _fails_at(run: Run, project: Path, path: str, field: str, *fragments: str) -> str:
    """Run `memo check`; it must exit 1 and print a problem at ``path:line`` for ``field``; returns that problem."""
    result = run(project, "check")
    err = _stderr(result)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    pattern = re.compile(rf"^{re.escape(path)}:(\d+):\d+: {re.escape(field)}: (.*)$", re.M)
    for match in pattern.finditer(err):
        block = err[match.start():].split("\n")
        text = "\n".join([block[0], *[line for line in block[1:4] if line.startswith("  ")]])
        if all(f in text for f in fragments):
            assert "hint:" in text, text
            return text
    raise AssertionError(f"no problem at {path} {field} with {fragments!r} in:\n{err}")


def _write_position(project: Path, counters: str) -> str:
    path = "positions/zz-probe.yaml"
    (project / path).write_text(POSITION.format(p1=P1, counters=counters), encoding="utf-8")
    return path


def _line_of(project: Path, path: str, text: str) -> int:
    lines = (project / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_conceded_counter_without_evidence(run: Run, project_dir: Path) -> None:
    path = _write_position(project_dir, """\
  - id: granted
    counter: The launch was a surprise.
    conceded: true
    response: {text: It was not., by: ours}
""")
    problem = _fails_at(run, project_dir, path, "counters[0].conceded", "marked conceded but quotes no concession")
    assert f"{path}:{_line_of(project_dir, path, 'conceded: true')}:" in problem
    assert "objection, not a concession" in problem


def test_response_without_evidence_or_ours(run: Run, project_dir: Path) -> None:
    path = _write_position(project_dir, f"""\
  - id: objection
    counter: The launch changes nothing.
    evidence: [{{quote: "{P1}", paragraph: 1}}]
    response: The author answers that it changes a great deal.
""")
    problem = _fails_at(run, project_dir, path, "counters[0].response", "quotes nothing")
    assert f"{path}:{_line_of(project_dir, path, 'response: The author')}:" in problem
    assert "by: ours" in problem


def test_response_marked_ours_passes(run: Run, project_dir: Path) -> None:
    _write_position(project_dir, """\
  - id: objection
    counter: The launch changes nothing.
    response: {text: In our reading it changes a great deal., by: ours}
""")
    result = run(project_dir, "check")
    assert result.exit_code == 0, result.output


def test_unknown_voice_actor(run: Run, project_dir: Path) -> None:
    path = _write_position(project_dir, "  []")
    text = (project_dir / path).read_text(encoding="utf-8").replace(
        "    claim: The core module was launched.", "    claim: {text: The core module was launched., by: nobody-we-know}")
    (project_dir / path).write_text(text, encoding="utf-8")
    problem = _fails_at(run, project_dir, path, "claims[0].claim.by", "'nobody-we-know' is not a voice")
    assert f"{path}:{_line_of(project_dir, path, 'nobody-we-know')}:" in problem


def test_glossary_term_not_in_its_paragraph(run: Run, project_dir: Path) -> None:
    """The glossary branch of verify runs (it used to be shadowed by the inline-quote branch)."""
    path = "context/zz-glossary.yaml"
    (project_dir / path).write_text("glossary:\n  - term: Metternich\n    meaning: An Austrian statesman.\n    paragraph: 1\n",
                                    encoding="utf-8")
    problem = _fails_at(run, project_dir, path, "glossary[0].term", "'Metternich' does not appear in paragraph 1")
    assert f"{path}:2:" in problem
    assert "it appears in paragraph" in problem


def test_glossary_paragraph_out_of_range(run: Run, project_dir: Path) -> None:
    path = "context/zz-glossary.yaml"
    (project_dir / path).write_text("glossary:\n  - term: Tiānhé\n    meaning: The core module.\n    paragraph: 99\n",
                                    encoding="utf-8")
    _fails_at(run, project_dir, path, "glossary[0].paragraph", "has no paragraph 99")


def _spine_document(project: Path) -> str:
    """A second, minimal memo whose spine is the probe position."""
    path = "documents/zz-spine.yaml"
    option = "  - id: {id}\n    title: {id}\n    summary: s\n    pros: [p]\n    cons: [c]\n    feasibility: f\n"
    (project / path).write_text(
        "kind: memo\nname: zz-spine\ntitle: Spine probe\nfrom: us\nsubject: s\nquestion: q\nbluf: b\ndecision: d\n"
        "spine:\n  - zz-probe\n"
        "options:\n" + option.format(id="stay") + "    status_quo: true\n" + option.format(id="move")
        + "recommendation: {option: move, why: w}\n", encoding="utf-8")
    return path


def test_spine_position_dropped_by_tags(run: Run, project_dir: Path) -> None:
    _write_position(project_dir, "  []")
    _spine_document(project_dir)
    (project_dir / "audiences").mkdir(exist_ok=True)
    path = "audiences/zz-reader.yaml"
    (project_dir / path).write_text("label: Probe readers\nexclude_tags: [zz-probe-tag]\n", encoding="utf-8")
    problem = _fails_at(run, project_dir, path, "exclude_tags", "would drop spine position 'zz-probe'")
    assert "documents/zz-spine.yaml:10" in problem  # the spine entry's own line


def test_spine_position_dropped_by_max_positions(run: Run, project_dir: Path) -> None:
    _write_position(project_dir, "  []")
    path = _spine_document(project_dir)
    second = _any_position(project_dir)
    text = (project_dir / path).read_text(encoding="utf-8").replace("  - zz-probe\n", f"  - zz-probe\n  - {second}\n")
    (project_dir / path).write_text(text, encoding="utf-8")
    (project_dir / "audiences").mkdir(exist_ok=True)
    audience = "audiences/zz-reader.yaml"
    (project_dir / audience).write_text("label: Probe readers\nlength:\n  max_positions: 1\n", encoding="utf-8")
    problem = _fails_at(run, project_dir, audience, "length.max_positions", "shows at most 1 positions")
    assert f"{audience}:3:" in problem
    assert "raise max_positions" in problem


def _any_position(project: Path) -> str:
    return sorted(p.stem for p in (project / "positions").glob("*.yaml") if p.stem != "zz-probe")[0]


# --------------------------------------------------------------------------- the model itself


def test_plain_strings_still_load_with_default_voices() -> None:
    counter = Counter.model_validate({"id": "c", "counter": "x", "conceded": True, "response": "y"})
    assert isinstance(counter.counter, Voiced) and counter.counter == "x"
    assert voice(counter, "counter") == "author"
    assert voice(counter.model_copy(update={"conceded": False}), "counter") == "ours"
    assert voice(counter, "response") == "author"
    claim = Claim.model_validate({"id": "c", "claim": "a", "warrant": "b", "impact": {"text": "c", "by": "author"},
                                  "evidence": [{"quote": "q", "paragraph": 1}]})
    assert (voice(claim, "claim"), voice(claim, "warrant"), voice(claim, "impact")) == ("author", "ours", "author")
    point = Point.model_validate({"text": "t", "by": "yan-xuetong"})
    assert voice(point, "text") == "yan-xuetong" and voice(Point.model_validate("t"), "text") == "ours"
    assert claim.model_dump()["impact"] == {"text": "c", "by": "author"} and claim.model_dump()["claim"] == "a"


def test_lead_must_name_a_claim() -> None:
    data = {"id": "p", "title": "t", "thesis": "One.", "lead": "missing",
            "claims": [{"id": "a", "claim": "c", "warrant": "w", "impact": "i", "evidence": [{"quote": "q", "paragraph": 1}]}]}
    with pytest.raises(ValueError, match="lead 'missing' names none"):
        Position.model_validate(data)
    assert Position.model_validate({**data, "lead": "a"}).lead_claim.id == "a"


def test_length_points_is_deprecated_but_caps(run: Run, project_dir: Path) -> None:
    assert Length(points=3, items={"risks": 1}).limit("summary") == 3
    assert Length(points=3, items={"risks": 1}).limit("risks") == 1
    (project_dir / "audiences").mkdir(exist_ok=True)
    (project_dir / "audiences/zz-old.yaml").write_text("label: Old profile\nlength:\n  points: 2\n", encoding="utf-8")
    warnings = deprecations(load_project(project_dir))
    assert any(w.startswith("audiences/zz-old.yaml:3: length.points is deprecated") for w in warnings), warnings
    result = run(project_dir, "check")
    assert result.exit_code == 0, result.output
    assert "audiences/zz-old.yaml:3: length.points is deprecated" in _stderr(result)
