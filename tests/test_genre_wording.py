"""A treaty project: framing worded by the source's genre, and a timeline from the source's own metadata.

Templates say "the treaty" and "the parties" for a treaty, never "the article" and "the author"; a
project with no timeline events of its own still shows when its source was published. The project is
written by the test (a made-up treaty), so nothing of the shipped article can help it pass; every
document kind is rendered by the real engine and read back as HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from memo import build, load_project
from memo.models import PublishedEvent, TimelineEvent
from memo.select import date_key, with_publication
from memo.sources import read_source

from .conftest import REPO

TREATY = """---
id: lake-treaty
title: Treaty on the Shared Waters of Lake Vell
author: Conference of the Lake States
institution: true
cite_as: Lake Treaty
genre: treaty
locator: "Art. {section}({index})"
date: 2019-03-14
publisher: Secretariat of the Lake States
---
# Article I

The waters of Lake Vell shall be used by all riparian States for peaceful purposes and for the benefit of every community on its shores.

No State shall divert the inflowing rivers in a way that lowers the level of the lake below the mark agreed in the annex.

# Article II

Each State shall measure the quality of the water at its own shore every month and share the results with the other parties.

A State that finds pollution coming from the territory of another shall notify that State and the secretariat within ten days.

# Article III

The parties shall settle any dispute about the lake by consultation, and failing that by a commission of three experts.

Nothing in this treaty shall prevent a State from fishing in its own waters, provided the catch respects the common quota.
"""

POSITIONS = {
    "shared-monitoring": """id: shared-monitoring
title: Monitoring is shared
thesis: The treaty makes every State measure its own shore and share what it finds.
priority: 1
actors: [north-shore]
claims:
  - id: monthly
    claim: Each State measures the water every month.
    warrant: Regular data lets the others check the lake's health.
    impact: Pollution is seen early.
    evidence:
      - quote: "Each State shall measure the quality of the water at its own shore every month"
        paragraph: II.1
counters:
  - id: own-waters
    counter: States keep the right to fish in their own waters.
    conceded: true
    evidence:
      - quote: "Nothing in this treaty shall prevent a State from fishing in its own waters"
        paragraph: III.2
    response: {text: Fishing is limited by the common quota., by: ours}
""",
    "peaceful-use": """id: peaceful-use
title: The lake is for peaceful use
thesis: The lake may only be used for peaceful purposes, by all riparian States.
priority: 2
actors: [south-shore]
claims:
  - id: peaceful
    claim: All riparian States may use the waters, but only peacefully.
    warrant: Shared use rests on shared restraint.
    impact: No State can make the lake a military zone.
    evidence:
      - quote: "The waters of Lake Vell shall be used by all riparian States for peaceful purposes"
        paragraph: I.1
""",
}

CONTEXT = """actors:
  - {id: north-shore, name: Northland, role: A riparian State on the northern shore.}
  - {id: south-shore, name: Southland, role: A riparian State on the southern shore.}
glossary:
  - {term: riparian, meaning: On the bank of a river or lake.}
questions:
  - {text: "Who checks the water?", stage: discussion}
"""

DOCUMENTS = {
    "brief": """kind: memo
title: The Lake Vell treaty
from: A test desk
subject: The Lake Vell treaty
question: What does the treaty require of the lake States?
bluf: The treaty shares the lake and its monitoring among all riparian States.
summary: [Monitoring is monthly and shared.]
options:
  - {id: keep, status_quo: true, title: Keep the treaty, summary: Nothing changes.,
     pros: [It works.], cons: [It is slow.], feasibility: Easy.}
  - {id: amend, title: Amend it, summary: Add weekly checks., pros: [Faster warnings.], cons: [It costs more.], feasibility: Hard.}
recommendation:
  option: keep
  attributed_to: source
  why: The treaty already requires monthly checks shared with all parties.
  evidence:
    - {quote: "share the results with the other parties", paragraph: II.1}
decision: Whether to propose an amendment.
""",
    "lake-debate": """kind: debate
title: Should the lake treaty be tightened?
motion: This House would require weekly water checks under the lake treaty.
type: this-house-would
context: [The treaty requires monthly checks of the water at each shore.]
burdens:
  proposition: [Show weekly checks are worth their cost.]
  opposition: [Show monthly checks are enough.]
clash:
  - {id: cost, title: Cost, question: "Are weekly checks worth their cost?"}
  - {id: speed, title: Speed, question: "Does pollution spread faster than a month?"}
  - {id: trust, title: Trust, question: "Do the shore States trust each other's data?"}
proposition:
  positions: [shared-monitoring]
  arguments:
    - id: early-warning
      title: Earlier warning
      claim: Monthly checks already share data; weekly ones would warn sooner.
      warrant: {text: More frequent data finds pollution sooner., by: ours}
      impact: {text: Less harm to the lake., by: ours}
      cards: [monthly]
      clash: [cost]
opposition:
  positions: [peaceful-use]
  arguments:
    - id: enough
      title: Monthly is enough
      claim: {text: Monthly checks already meet the treaty's aim., by: ours}
      warrant: {text: The lake changes slowly., by: ours}
      impact: {text: Money is better spent elsewhere., by: ours}
      clash: [cost]
      research: ["How fast does pollution spread in a lake this size?"]
cards:
  - id: monthly
    tag: Every State measures its shore monthly and shares the results.
    quote: "Each State shall measure the quality of the water at its own shore every month and share the results with the other parties."
    paragraph: II.1
""",
    "lake-handout": """kind: handout
title: Sharing a lake
question: Is sharing data enough to keep a lake clean?
""",
    "lake-workshop": """kind: guide
title: Sharing a lake, a workshop
question: Is sharing data enough to keep a lake clean?
minutes: 60
activities:
  - {type: warm-up, minutes: 10}
  - {type: reading, minutes: 20}
  - {type: sort, minutes: 15, cards: 4}
  - {type: discussion, minutes: 15}
""",
    "lake-session": """kind: mun
title: The shared waters of Lake Vell
conference: Test Model UN
committee: specpol
topic: Shared lakes
audiences: [students]
blocs:
  - {id: shores, name: The shore States, actors: [north-shore, south-shore], text: Both shores share the lake.}
delegations:
  - {country: Northland, bloc: shores, actor: north-shore}
  - {country: Eastland}
resolution:
  preambulatory:
    - {text: Recalling that the waters of the lake are for peaceful use, positions: [peaceful-use]}
  operative:
    - {text: Encourages every State to share its monthly measurements, positions: [shared-monitoring]}
""",
}

# An audience whose memo has a timeline section, though the project writes no timeline events.
CLERKS = "name: clerks\nlabel: Clerks\nsections:\n  memo: [header, timeline, sources]\n"

# Wording that belongs to an article and its author, never to a treaty.
ARTICLE_WORDS = re.compile(r"\b(?:the|this) article\b|\barticle’s\b|\b(?:the|an?) author\b|\bauthor’s\b", re.I)


def _visible(html: str) -> str:
    """The page's text, without markup (and so without tags such as <article>)."""
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


@pytest.fixture(scope="module")
def treaty_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("treaty")
    (root / "memo.yml").write_text("title: Lake Vell materials\n", "utf-8")
    files = {"seeds/lake-treaty.md": TREATY, "context/context.yaml": CONTEXT, "audiences/clerks.yaml": CLERKS,
             **{f"positions/{k}.yaml": v for k, v in POSITIONS.items()}, **{f"documents/{k}.yaml": v for k, v in DOCUMENTS.items()}}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    build(load_project(root), formats=["html"], out=root / "build")
    return root / "build"


def test_every_kind_renders_for_the_treaty(treaty_build: Path) -> None:
    kinds = {p.relative_to(treaty_build).parts[1] for p in treaty_build.rglob("*.html")}
    assert kinds == {"memo", "debate", "handout", "guide", "mun", "reader"}


def test_a_treaty_is_never_called_an_article(treaty_build: Path) -> None:
    pages = sorted(treaty_build.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        found = ARTICLE_WORDS.findall(_visible(page.read_text("utf-8")))
        assert not found, f"{page.relative_to(treaty_build)} says {found}"


def test_a_treaty_reads_as_a_treaty(treaty_build: Path) -> None:
    memo = _visible((treaty_build / "students" / "memo" / "brief.html").read_text("utf-8"))
    assert "The treaty’s provisions" in memo
    assert "Lake Treaty provides" in memo  # the genre's verb in voice labels
    assert "What the parties recommend" in memo or "Recommendation" in memo
    debate = _visible((treaty_build / "students" / "debate" / "lake-debate.html").read_text("utf-8"))
    assert "not the parties’" in debate and "Art. II(1)" in debate
    delegation = next((treaty_build / "students" / "mun").rglob("*eastland*.html"))
    assert "The treaty does not discuss" in _visible(delegation.read_text("utf-8"))


def test_the_shipped_article_still_reads_as_an_article(tmp_path: Path) -> None:
    build(load_project(REPO), audiences=["students"], kinds=["memo", "debate", "reader"], formats=["html"], out=tmp_path)
    memo = _visible((tmp_path / "students" / "memo" / "tiangong-brief.html").read_text("utf-8"))
    assert "The article’s argument" in memo and "checked against the article" in memo and "Aliberti argues" in memo
    debate = _visible((tmp_path / "students" / "debate" / "tiangong-invitation.html").read_text("utf-8"))
    assert "reports the article" in debate and "not the author’s" in debate
    reader = _visible(next((tmp_path / "students" / "reader").glob("*.html")).read_text("utf-8"))
    assert "Dates in the article" in reader and "is published" not in reader  # its own 7 May 2021 entry stands for it


PUBLISHED = "“Treaty on the Shared Waters of Lake Vell” is published."


def test_a_timeline_comes_from_the_sources_metadata_alone(treaty_build: Path) -> None:
    """No timeline events in the project, yet the memo, the handout and the reading copy date the treaty itself."""
    memo = _visible((treaty_build / "clerks" / "memo" / "brief.html").read_text("utf-8"))
    assert "Timeline of events the treaty names" in memo
    assert "14 March 2019" in memo and PUBLISHED in memo and "(Lake Treaty, Secretariat of the Lake States)" in memo
    for page in ("students/handout/lake-handout.html", "students/reader/lake-treaty-reader.html"):
        html = (treaty_build / page).read_text("utf-8")
        assert "14 March 2019" in html and "Lake Vell" in html and "is published" in html, page


def test_the_publication_takes_its_place_in_time_once(tmp_path: Path) -> None:
    path = tmp_path / "lake-treaty.md"
    path.write_text(TREATY, "utf-8")
    source = read_source(path)
    evidence = {"quote": "The waters of Lake Vell", "paragraph": 1}
    events = [TimelineEvent(date=d, event=f"Event {d}.", evidence=evidence) for d in ("early 2000s", "2018", "March 2019", "2020-01-02")]
    timeline = with_publication(events, [source])
    assert [e.date for e in timeline] == ["early 2000s", "2018", "March 2019", "14 March 2019", "2020-01-02"]
    assert isinstance(timeline[3], PublishedEvent) and timeline[3].source == "lake-treaty"
    same_day = TimelineEvent(date="2019-03-14", event="The parties sign.", evidence=evidence)
    assert with_publication([*events, same_day], [source]) == [*events, same_day]  # the project's own entry stands for it
    assert len(with_publication([same_day], [source], single=False)) == 2  # several sources: it must name this one


@pytest.mark.parametrize(("text", "key"), [("1992", (1992, 0, 0)), ("March 2021", (2021, 3, 0)), ("29 April 2021", (2021, 4, 29)),
                                           ("2021-05-07", (2021, 5, 7)), ("since 2014", None), ("early 2000s", None)])
def test_timeline_dates_are_read_as_written(text: str, key: tuple[int, int, int] | None) -> None:
    assert date_key(text) == key
