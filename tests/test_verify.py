"""Quote verification: the matching rules, every shipped quotation, and how ``memo check`` reports a bad one."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from memo.load import load_project
from memo.models import Evidence, Source, SourceMeta
from memo.text import normalise, quote_in
from memo.verify import nearest, walk, word_changes

from .conftest import REPO

Run = Callable[..., Result]

PASSAGE = (
    "On 29 April 2021, a Chinese Long March 5B rocket successfully launched the core module of China’s "
    "upcoming space station. Named Tiānhé (Harmony of the Heavens), the module will provide guidance – "
    "and “life support” — for the   entire\nstation."
)

PROJECT = load_project(REPO)
SOURCE = PROJECT.sources["harmony-of-the-heavens"]
METTERNICH = "positions/metternich-cooperation.yaml"
BACKDROP = (
    "Against this threatening backdrop, any cool-headed Metternich will conclude that a space confrontation should be avoided if possible."
)


def _dotted(loc: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


EVIDENCE: list[tuple[str, Evidence]] = [
    (f"{path.relative_to(REPO)}:{_dotted(loc)}", item)
    for path, model in PROJECT.owned_models()
    for loc, item in walk(model)
    if isinstance(item, Evidence)
]


def _passage(evidence: Evidence) -> str:
    source = PROJECT.sources[evidence.source or ""]
    passage = source.passage(evidence.paragraph)
    assert passage is not None, f"{source.id} has no {evidence.paragraph}"
    return passage


# --------------------------------------------------------------------------- matching rules


@pytest.mark.parametrize(
    "quote",
    [
        "China's upcoming space station",
        "China’s upcoming space station",
        "China‘s upcoming space station",
        '"life support"',
        "“life support”",
    ],
)
def test_quote_marks_fold(quote: str) -> None:
    """Curly and straight quotation marks match each other."""
    assert quote_in(quote, PASSAGE)
    assert quote_in(quote, PASSAGE.replace("’", "'").replace("“", '"').replace("”", '"'))


@pytest.mark.parametrize("dash", ["-", "–", "—", "‑", "−"])
def test_dashes_fold(dash: str) -> None:
    """Hyphen, en dash, em dash and their kin match each other, both ways."""
    assert quote_in(f"will provide guidance {dash} and", PASSAGE)
    assert quote_in(f"support” {dash} for the", PASSAGE)
    assert quote_in("guidance – and", f"the module will provide guidance {dash} and more")


@pytest.mark.parametrize(
    "quote", ["for the entire station.", "for the\nentire   station.", "for\tthe entire\u00a0station.", "  for the entire station.  "]
)
def test_whitespace_folds(quote: str) -> None:
    """Runs of spaces, tabs, newlines and no-break spaces count as one space."""
    assert quote_in(quote, PASSAGE)


def test_normalise() -> None:
    """normalise folds marks, dashes and white space and trims the ends."""
    assert normalise("  “Harmony’s”\u00a0 –\n\theavens  ") == '"Harmony\'s" - heavens'


@pytest.mark.parametrize(
    ("good", "bad"),
    [
        ("successfully launched the core module", "successfully launched the main module"),
        ("Named Tiānhé (Harmony", "Named Tianhe (Harmony"),
        ("Named Tiānhé (Harmony", "Named Tiānhe (Harmony"),
        ("a Chinese Long March 5B rocket", "a chinese Long March 5B rocket"),
        ("a Chinese Long March 5B rocket", "A Chinese Long March 5B rocket"),
        ("rocket successfully launched", "rocket successfully launch"),
        ("successfully launched the core", "uccessfully launched the core"),
        ("the core module of", "the core modul of"),
        ("Long March 5B rocket", "Long March 5 rocket"),
    ],
    ids=["changed-word", "tone-marks", "one-tone-mark", "case-inside", "case-first", "truncated-last",
         "truncated-first", "truncated-middle", "truncated-number"],
)
def test_changes_fail(good: str, bad: str) -> None:
    """A changed word, letter, accent or case, or a cut word, does not match."""
    assert quote_in(good, PASSAGE)
    assert not quote_in(bad, PASSAGE)


@pytest.mark.parametrize("mark", ["…", "...", " … ", " ... "])
def test_ellipsis_joins_parts_in_order(mark: str) -> None:
    """``…`` or ``...`` joins parts that each match, in order, in the passage."""
    assert quote_in(f"On 29 April 2021{mark}launched the core module{mark}Named Tiānhé", PASSAGE)
    assert not quote_in(f"launched the core module{mark}On 29 April 2021", PASSAGE)
    assert not quote_in(f"On 29 April 2021{mark}launched the main module", PASSAGE)


def test_part_cannot_match_twice() -> None:
    """Each part matches after the previous one ends, so a repeated part needs a repeat in the source."""
    assert quote_in("the … the", PASSAGE)
    assert not quote_in("Named … Named", PASSAGE)


@pytest.mark.parametrize("quote", ["", "   ", "\n", "…", "...", " … … "])
def test_empty_quote_fails(quote: str) -> None:
    """A quotation with no words matches nothing."""
    assert not quote_in(quote, PASSAGE)


# --------------------------------------------------------------------------- nearest and word_changes


def test_word_changes() -> None:
    """Replaced, extra and missing words are named; identical text has none."""
    assert word_changes("we will cooperate now", "we will collaborate now") == ["'cooperate' where the source has 'collaborate'"]
    assert word_changes("we will not cooperate", "we will cooperate") == ["'not' is not in the source"]
    assert word_changes("we cooperate", "we will cooperate") == ["the source has 'will' here"]
    assert word_changes("China’s “space” – race", "China's \"space\" - race") == []
    assert len(word_changes("a b c d e f g", "a x c y e z g w", limit=2)) == 2


def _source(*paragraphs: str) -> Source:
    meta = SourceMeta(id="test", title="T", author="A. Author", date=dt.date(2021, 5, 7), publisher="P")
    return Source(meta=meta, key_points=["A key point about cooperation."], paragraphs=list(paragraphs), path=Path("test.md"))


def test_nearest_finds_the_paragraph_and_whole_words() -> None:
    """The nearest passage is in the right paragraph and cut on word boundaries."""
    source = _source("Nothing to see here at all.", PASSAGE, "Another paragraph about rockets.")
    near = nearest("rocket successfully lunched the core modul", source)
    assert near is not None
    assert near.ref == 2
    start = PASSAGE.index(near.passage)
    end = start + len(near.passage)
    assert start == 0 or not PASSAGE[start - 1].isalnum()
    assert end == len(PASSAGE) or not PASSAGE[end].isalnum()
    assert "successfully" in near.passage
    assert "modul" in near.passage


def test_nearest_finds_a_key_point() -> None:
    """A quotation from a key point is found there, named ``k1``."""
    near = nearest("A key point about collaboration.", _source("Nothing to see here at all."))
    assert near is not None
    assert near.ref == "k1"


def test_nearest_passage_keeps_closing_punctuation() -> None:
    """A one-word change in a full sentence gives exactly one word change, not a spurious one at the full stop."""
    quote = BACKDROP.replace("conclude", "decide")
    near = nearest(quote, SOURCE)
    assert near is not None
    assert near.ref == 19
    assert word_changes(quote, near.passage) == ["'decide' where the source has 'conclude'"]


# --------------------------------------------------------------------------- every shipped quotation


def test_evidence_comes_from_every_kind_of_file() -> None:
    """The walk reaches quotations in positions, documents and context files."""
    assert {name.split("/", 1)[0] for name, _ in EVIDENCE} == {"positions", "documents", "context"}
    assert len(EVIDENCE) >= 100


@pytest.mark.parametrize("evidence", [e for _, e in EVIDENCE], ids=[n for n, _ in EVIDENCE])
def test_shipped_quote_is_in_its_paragraph(evidence: Evidence) -> None:
    """Every shipped quotation matches its own paragraph."""
    assert quote_in(evidence.quote, _passage(evidence))


@pytest.mark.parametrize("evidence", [e for _, e in EVIDENCE], ids=[n for n, _ in EVIDENCE])
def test_shipped_quote_with_one_word_changed_fails(evidence: Evidence) -> None:
    """Changing the longest word of a shipped quotation, to another word of its paragraph or a non-word, breaks the match."""
    passage = _passage(evidence)
    longest = max(re.findall(r"\w+", evidence.quote), key=len)
    other = next(w for w in sorted(set(re.findall(r"\w+", passage)), key=lambda w: (-len(w), w)) if w.casefold() != longest.casefold())
    for replacement in (other, longest + "x", longest[::-1] if longest[::-1] != longest else longest + "s"):
        changed = re.sub(rf"(?<!\w){re.escape(longest)}(?!\w)", replacement, evidence.quote, count=1)
        assert changed != evidence.quote
        assert not quote_in(changed, passage), changed


# --------------------------------------------------------------------------- memo check


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def _edit(project: Path, old: str, new: str) -> str:
    path = project / METTERNICH
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def _problem(result: Result, location: str) -> list[str]:
    """The lines of the one problem reported, checked to start at ``location``."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.rstrip("\n").splitlines()
    assert lines[-1] == "memo: 1 problem; nothing was written.", result.output
    assert lines[0].startswith(location + ":"), result.output
    return lines[:-1]


def test_check_passes_on_the_shipped_project(project_dir: Path, run: Run) -> None:
    """Control: the untouched copy checks clean."""
    result = run(project_dir, "check")
    assert result.exit_code == 0, result.output
    assert "every quotation verified" in result.output


def test_check_reports_a_changed_word(project_dir: Path, run: Run) -> None:
    """One changed word: located at the quote, the nearest passage shown, the change named."""
    text = _edit(project_dir, BACKDROP, BACKDROP.replace("will conclude", "will decide"))
    lines = _problem(run(project_dir, "check"), f"{METTERNICH}:{_line_of(text, 'will decide')}")
    head, *rest = lines
    assert "claims[0].evidence[0].quote: quotation not found in harmony-of-the-heavens paragraph 19" in head
    assert any(line.startswith("    nearest passage (paragraph 19): “Against this threatening backdrop") for line in rest), lines
    hints = [line for line in rest if line.startswith("  hint: ")]
    assert len(hints) == 1, lines
    assert "'decide' where the source has 'conclude'" in hints[0]


@pytest.mark.parametrize(
    ("quote", "right", "wrong", "named"),
    [(BACKDROP, "19", "12", "paragraph 19"),
     ("To this end, it is high time for the West to engage China in meaningful cooperation mechanisms.", "k2", "19", "key point 2")],
    ids=["paragraph", "key-point"],
)
def test_check_reports_the_right_paragraph(project_dir: Path, run: Run, quote: str, right: str, wrong: str, named: str) -> None:
    """A correct quote with the wrong paragraph: the paragraph it is in, and the fix."""
    text = _edit(project_dir, f'"{quote}"\n        paragraph: {right}\n', f'"{quote}"\n        paragraph: {wrong}\n')
    line = _line_of(text, quote) + 1
    lines = _problem(run(project_dir, "check"), f"{METTERNICH}:{line}")
    assert f"paragraph: the quotation is in {named} of harmony-of-the-heavens" in lines[0]
    assert f"  hint: set paragraph: {right}" in lines


@pytest.mark.parametrize(("wrong", "named"), [("40", "paragraph 40"), ("k9", "key point 9")])
def test_check_reports_a_paragraph_beyond_the_source(project_dir: Path, run: Run, wrong: str, named: str) -> None:
    """A paragraph the source does not have is named as missing, with what the source has."""
    text = _edit(project_dir, f'"{BACKDROP}"\n        paragraph: 19\n', f'"{BACKDROP}"\n        paragraph: {wrong}\n')
    line = _line_of(text, BACKDROP) + 1
    lines = _problem(run(project_dir, "check"), f"{METTERNICH}:{line}")
    assert f"harmony-of-the-heavens has no {named}" in lines[0]
    assert f"  hint: it has {len(SOURCE.paragraphs)} paragraphs and {len(SOURCE.key_points)} key points" in lines
