"""The debate pack: one motion, both cases, evidence cards, rebuttal blocks, laid out for a format.

A motion file (``kind: debate``) names the positions each side draws on and
writes each side's arguments as claim, warrant and impact, backed by evidence
cards (verbatim quotations with the part read aloud marked), background facts
or, where the source gives a side nothing, research prompts. Debate formats
(British Parliamentary, World Schools, Public Forum, Lincoln-Douglas,
Oxford-style) are data: YAML files in ``memo/debate_formats``, with the
speeches, timings and what each speaker owes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from markupsafe import Markup
from pydantic import Field, field_validator, model_validator

from ..errors import MemoError, Problem, suggest
from ..figures import MapEdge, MapNode, argument_map_svg, map_description
from ..models import AUTHOR, OURS, Audience, BackgroundFact, DocumentSpec, Evidence, Id, Model, Point, Source, Voiced
from ..project import Project
from ..select import base_context, reading_grade
from ..text import fold
from . import Document, Kind, KindOption, register

FORMATS_DIR = Path(__file__).resolve().parent.parent / "debate_formats"
SideName = Literal["proposition", "opposition"]
SIDES: tuple[SideName, SideName] = ("proposition", "opposition")


# --------------------------------------------------------------------------- formats (data)


class Team(Model):
    id: Id
    name: str
    side: SideName


class Speech(Model):
    role: str
    short: str
    team: Id | None = Field(None, description="The team that gives it; none for crossfires and votes.")
    minutes: float = Field(gt=0)
    kind: Literal["speech", "reply", "crossfire", "vote"] = "speech"
    new_arguments: bool = Field(True, description="False for speeches that may add no new arguments (whips, replies, final focus).")
    owes: list[str] = Field(default_factory=list, description="What the speaker owes the debate.")


class DebateFormat(Model):
    """A debate format: sides, teams, speeches in order with timings and duties."""

    id: Id
    name: str
    summary: str
    timings_note: str | None = Field(None, description="Where the timings come from, when not from the league's rules.")
    sides: dict[SideName, str]
    teams: list[Team]
    speeches: list[Speech]
    poi: str
    prep: str
    judging: list[str]
    resolution: bool = Field(False, description="Debated on a resolution ('Resolved: …') rather than a motion.")
    values: bool = Field(False, description="Each side names a value and a criterion (Lincoln-Douglas).")
    votes: bool = Field(False, description="The audience votes before and after (Oxford-style).")

    @property
    def flow_columns(self) -> list[Speech]:
        """The speeches a judge flows, one column each (crossfires and votes are not flowed)."""
        return [s for s in self.speeches if s.kind in ("speech", "reply")]

    @property
    def total_minutes(self) -> float:
        return sum(s.minutes for s in self.speeches)

    def team(self, team_id: str | None) -> Team | None:
        return next((t for t in self.teams if t.id == team_id), None)


@functools.cache
def debate_formats() -> dict[str, DebateFormat]:
    """Every format shipped with memo, by id."""
    found = {}
    for path in sorted(FORMATS_DIR.glob("*.yaml")):
        fmt = DebateFormat.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        found[fmt.id] = fmt
    return found


# --------------------------------------------------------------------------- the motion file


Framing = Voiced  # a string, or {text, by}: whose view it states (models.Voiced)


class Definition(Model):
    term: str
    meaning: Framing


class Clash(Model):
    id: Id
    title: str
    question: str = Field(description="The question the clash turns on.")


class Card(Evidence):
    """An evidence card: a one-sentence tag, the verbatim quotation and the parts read aloud."""

    id: Id
    tag: str = Field(description="One sentence stating the claim the card proves (our words).")
    read: list[str] = Field(default_factory=list,
                            description="The parts read aloud, each copied exactly from the quotation; none = all of it.")
    emphasis: list[str] = Field(default_factory=list, description="Words to stress when reading, each copied from the quotation.")

    @field_validator("tag")
    @classmethod
    def _one_sentence(cls, value: str) -> str:
        if len(re.findall(r"[.!?](?:\s|$)", value)) > 1:
            raise ValueError("a tag is one sentence stating the claim")
        return value


class Answer(Model):
    """The other side's answer to an argument: but, because, therefore."""

    but: Framing = Field(description="The answer's claim (plain string: ours).")
    conceded: bool = Field(False, description="True when `but` is something the source concedes (rendered 'X concedes').")
    because: Framing
    therefore: Framing
    cards: list[Id] = Field(default_factory=list, description="Ids of cards in this file backing the answer.")
    facts: list[Id] = Field(json_schema_extra={"ref": "background"}, default_factory=list)


class Argument(Model):
    """One argument of a side: claim, warrant, impact, its cards and the other side's answers."""

    id: Id
    title: str
    claim: Framing = Field(description="Plain text speaks in the author's voice; write {text, by: ours} for our own.")
    conceded: bool = Field(False, description="True when the claim is something the source concedes.")
    warrant: Framing
    impact: Framing
    cards: list[Id] = Field(default_factory=list, description="Ids of cards in this file.")
    facts: list[Id] = Field(json_schema_extra={"ref": "background"}, default_factory=list,
                            description="Background facts from context, shown with their source and date.")
    draws_on: list[str] = Field(default_factory=list,
                                description="`position`, or `position/claim-id` / `position/counter-id`, it comes from.")
    clash: list[Id] = Field(default_factory=list, description="Clash points it bears on.")
    research: list[str] = Field(default_factory=list, description="What to look for where the source gives no evidence.")
    answers: list[Answer] = Field(default_factory=list, description="The other side's answers.")


class Side(Model):
    positions: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list)
    value: str | None = Field(None, description="Lincoln-Douglas: the value this side upholds.")
    criterion: str | None = Field(None, description="Lincoln-Douglas: how to tell whether the value is met.")
    arguments: list[Argument] = Field(min_length=1)
    research: list[str] = Field(default_factory=list, description="Research prompts for the side as a whole.")
    poi: list[str] = Field(default_factory=list, description="Points of information this side can put to the other.")


MotionType = Literal["this-house-would", "believes-that", "supports", "regrets", "actor", "resolved"]
MOTION_TYPES: dict[str, str] = {
    "this-house-would": "Policy motion (This House would): the proposition owes a model",
    "believes-that": "Value motion (This House believes that)",
    "supports": "Support motion (This House supports)",
    "regrets": "Regret motion (This House regrets): compare with a world without it",
    "actor": "Actor motion: argue as the actor named, in its interest",
    "resolved": "Resolution (Resolved:)",
}


class DebateSpec(DocumentSpec):
    """A debate motion and both sides' cases, built into one pack per audience."""

    kind: Literal["debate"] = "debate"
    motion: str = Field(description="The wording, e.g. 'This House would …'.")
    type: MotionType
    actor: str | None = Field(None, description="Actor motions: whom the house speaks as.")
    resolution: str | None = Field(None, description="The motion as a resolution ('Resolved: …') for Public Forum and Lincoln-Douglas.")
    format: str = Field("wsdc", description="Default format: bp, wsdc, pf, ld or oxford (`--debate-format` overrides).")
    model: str | None = Field(None, description="Policy motions: the model the proposition proposes.")
    counterfactual: str | None = Field(None, description="Regret motions: the world without what is regretted.")
    context: list[Point] = Field(min_length=1, description="The context brief (our framing).")
    definitions: list[Definition] = Field(default_factory=list)
    burdens: dict[SideName, list[str]]
    clash: list[Clash] = Field(min_length=3, max_length=5)
    proposition: Side
    opposition: Side
    cards: list[Card] = Field(default_factory=list)

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in debate_formats():
            raise ValueError(f"no debate format '{value}'; formats: {', '.join(debate_formats())}")
        return value

    @model_validator(mode="after")
    def _type_needs(self) -> DebateSpec:
        if self.type == "actor" and not self.actor:
            raise ValueError("an actor motion names its actor (`actor: the EU`)")
        if self.type == "regrets" and not self.counterfactual:
            raise ValueError("a regret motion needs `counterfactual:` (the world without what is regretted)")
        return self


# --------------------------------------------------------------------------- checks


Report = Callable[..., None]


def verify_motion(project: Project, spec: DebateSpec, report: Report) -> None:
    """Errors: card ids, read-aloud marks inside their quotation, references to positions and clash points."""
    ids = [c.id for c in spec.cards]
    for index, card in enumerate(spec.cards):
        if ids.index(card.id) != index:
            report(("cards", index, "id"), f"duplicate card id '{card.id}'", hint="give each card its own id")
        for key, what in (("read", "read-aloud mark"), ("emphasis", "emphasis mark")):
            for m, mark in enumerate(getattr(card, key)):
                if mark_span(card.quote, mark) is None:
                    report(("cards", index, key, m), f"{what} “{mark}” is not part of card '{card.id}'s quotation",
                           hint="copy the words exactly from the card's quote")
    clash = {c.id for c in spec.clash}
    for side in SIDES:
        for a, arg in enumerate(getattr(spec, side).arguments):
            here = (side, "arguments", a)
            _check_ids(report, (*here, "cards"), arg.cards, ids, "card")
            _check_ids(report, (*here, "clash"), arg.clash, clash, "clash point")
            for i, answer in enumerate(arg.answers):
                _check_ids(report, (*here, "answers", i, "cards"), answer.cards, ids, "card")
            for d, ref in enumerate(arg.draws_on):
                problem = _draws_on_problem(project, ref)
                if problem:
                    report((*here, "draws_on", d), problem[0], hint=problem[1])


def _check_ids(report: Report, loc: tuple[str | int, ...], used: list[str], known: Iterable[str], what: str) -> None:
    known = list(known)
    for index, ref in enumerate(used):
        if ref not in known:
            near = suggest(ref, known)
            report((*loc, index), f"'{ref}' names no {what} in this motion",
                   hint=(near + " " if near else "") + f"{what}s: {', '.join(known) or 'none'}")


def _draws_on_problem(project: Project, ref: str) -> tuple[str, str] | None:
    position_id, _, part = ref.partition("/")
    position = project.positions.get(position_id)
    if position is None:
        return f"'{position_id}' names no position in this project", suggest(position_id, project.positions) or "see `memo list`"
    parts = [c.id for c in position.claims] + [k.id for k in position.counters]
    if part and part not in parts:
        return f"position '{position_id}' has no claim or counter '{part}'", suggest(part, parts) or f"it has: {', '.join(parts)}"
    return None


def review_motion(project: Project, spec: DebateSpec, report: Report) -> None:
    """Warnings about fairness: a lopsided pack, an argument left unanswered or without evidence or prompts."""
    counts = {side: (len(getattr(spec, side).arguments), len(_side_cards(spec, side))) for side in SIDES}
    for what, index in (("arguments", 0), ("cards", 1)):
        few, many = sorted(SIDES, key=lambda s: counts[s][index])
        if counts[many][index] >= 2 and counts[few][index] * 2 < counts[many][index]:
            report((few,), f"the {few} has far fewer {what} ({counts[few][index]}) than the {many} ({counts[many][index]})",
                   hint="a fair pack gives both sides a real case; where the source has no evidence, add research prompts")
    for side in SIDES:
        for a, arg in enumerate(getattr(spec, side).arguments):
            here = (side, "arguments", a)
            if not arg.answers:
                report((*here, "answers"), f"argument '{arg.id}' has no answer from the other side",
                       hint="add `answers:` with but / because / therefore")
            if not arg.cards and not arg.facts and not arg.research and not getattr(spec, side).research:
                report((*here, "research"), f"argument '{arg.id}' has no evidence and no research prompts",
                       hint="say what a debater should look for (`research:`); never invent a card")


def _side_cards(spec: DebateSpec, side: SideName) -> list[str]:
    """Card ids a side reads: those of its arguments and of its answers to the other side."""
    other = SIDES[1 - SIDES.index(side)]
    ids = [c for arg in getattr(spec, side).arguments for c in arg.cards]
    ids += [c for arg in getattr(spec, other).arguments for ans in arg.answers for c in ans.cards]
    return list(dict.fromkeys(ids))


# --------------------------------------------------------------------------- read-aloud marks


def mark_span(quote: str, mark: str) -> tuple[int, int] | None:
    """Where a read-aloud mark lies in a quotation (quotes, dashes and spaces folded), or None."""
    words = fold(mark).split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    found = re.search(pattern, fold(quote))
    return (found.start(), found.end()) if found else None


@dataclass(frozen=True)
class Run:
    """A stretch of a card's text: read aloud or not, emphasised or not."""

    text: str
    read: bool
    emphasis: bool = False


def card_runs(card: Card) -> list[Run]:
    """The card's verbatim text cut into runs by its read-aloud and emphasis marks, in order."""
    size = len(card.quote)
    read = [not card.read] * size
    emphasis = [False] * size
    for marks, flags in ((card.read, read), (card.emphasis, emphasis)):
        for mark in marks:
            span = mark_span(card.quote, mark)
            if span is not None:
                flags[span[0]:span[1]] = [True] * (span[1] - span[0])
    runs: list[Run] = []
    start = 0
    for at in range(1, size + 1):
        if at == size or (read[at], emphasis[at]) != (read[start], emphasis[start]):
            runs.append(Run(card.quote[start:at], read[start], emphasis[start]))
            start = at
    return runs


# --------------------------------------------------------------------------- selection


def text(value: Framing | None) -> str:
    """The words of a framing line, whichever form it was written in."""
    return "" if value is None else str(value)


@dataclass
class Line:
    """A framing line as shown: its words and who says them."""

    text: str
    voice: str


@dataclass
class CardView:
    card: Card
    number: int
    source: Source
    runs: list[Run]
    short: str


@dataclass
class AnswerView:
    but: Line
    because: Line
    therefore: Line
    cards: list[CardView]
    facts: list[BackgroundFact]


@dataclass
class ArgumentView:
    arg: Argument
    number: str
    claim: Line
    warrant: Line
    impact: Line
    cards: list[CardView]
    facts: list[BackgroundFact]
    answers: list[AnswerView]
    clash: list[Clash]
    draws_on: list[str]

    @property
    def evidence_free(self) -> bool:
        return not self.cards and not self.facts


@dataclass
class SideView:
    key: SideName
    label: str
    spec: Side
    arguments: list[ArgumentView] = field(default_factory=list)
    burdens: list[str] = field(default_factory=list)
    cards: list[CardView] = field(default_factory=list)

    @property
    def source_cards(self) -> int:
        return len(self.cards)


def voice_line(project: Project, value: Framing, default: str, source: Source | None, conceded: bool = False) -> Line:
    """Render who speaks: the author (by name), an actor he cites, or us."""
    by = getattr(value, "by", None) or default
    name = _author_name(source) if source else "The author"
    if by == AUTHOR:
        verb = "concedes" if conceded else "argues"
        voice = f"{name} {source.meta.terms[verb] if source else verb}"  # in the genre's words: a treaty "provides"
    elif by == OURS:
        voice = "Our analysis"
    else:
        actor = next((a.name for a in project.context.actors if a.id == by), by)
        voice = f"{actor} (cited by {name})"
    return Line(text(value), voice)


def _author_name(source: Source) -> str:
    """The name a card cites: `cite_as`, an institution's full name, or surnames (never an institution's last word)."""
    return source.meta.short_cite


def short_cite(source: Source) -> str:
    return f"{_author_name(source)} ({source.meta.date.year})"


def select(project: Project, spec: DebateSpec, audience: Audience) -> dict[str, Any]:
    """The pack for one audience: both sides, cards numbered in reading order, format, map."""
    fmt = debate_formats()[spec.format]
    facts = {f.id: f for f in project.context.background}
    cards = {c.id: c for c in spec.cards}
    numbered: dict[str, CardView] = {}
    first = next(iter(project.sources.values()))

    def view(card_id: str) -> CardView:
        if card_id not in numbered:
            card = cards[card_id]
            source = project.sources[card.source or first.id]
            numbered[card_id] = CardView(card, len(numbered) + 1, source, card_runs(card), short_cite(source))
        return numbered[card_id]

    sides: dict[str, SideView] = {}
    for s, key in enumerate(SIDES):
        side: Side = getattr(spec, key)
        view_side = SideView(key, fmt.sides[key], side, burdens=spec.burdens.get(key, []))
        for a, arg in enumerate(side.arguments):
            arg_cards = [view(c) for c in arg.cards]
            source = arg_cards[0].source if arg_cards else first
            answers = []
            for ans in arg.answers:
                ans_cards = [view(c) for c in ans.cards]
                ans_source = ans_cards[0].source if ans_cards else first
                answers.append(AnswerView(*(voice_line(project, getattr(ans, n), OURS, ans_source, ans.conceded and n == "but")
                                            for n in ("but", "because", "therefore")),
                                          cards=ans_cards, facts=[facts[f] for f in ans.facts]))
            view_side.arguments.append(ArgumentView(
                arg=arg, number=f"{'PO'[s]}{a + 1}",
                claim=voice_line(project, arg.claim, "author" if arg_cards else "ours", source, arg.conceded),
                warrant=voice_line(project, arg.warrant, "ours", source),
                impact=voice_line(project, arg.impact, "ours", source),
                cards=arg_cards, facts=[facts[f] for f in arg.facts], answers=answers,
                clash=[c for c in spec.clash if c.id in arg.clash],
                draws_on=[_draws_on_label(project, ref) for ref in arg.draws_on],
            ))
        sides[key] = view_side
    for key, view_side in sides.items():  # a side's cards include those of its answers, numbered on the other side's pass
        view_side.cards = [numbered[c] for c in _side_cards(spec, key)]
    positions = [project.positions[p] for p in dict.fromkeys(spec.proposition.positions + spec.opposition.positions)]
    evidence = [c.card for c in numbered.values()]
    framing = " ".join(text(x) for sv in sides.values() for av in sv.arguments for x in (av.arg.claim, av.arg.warrant, av.arg.impact))
    context = base_context(project, audience, positions, framing=framing, extra_evidence=evidence, date=spec.date)
    used_facts = list({f.id: f for sv in sides.values() for av in sv.arguments
                       for f in (*av.facts, *(x for ans in av.answers for x in ans.facts))}.values())
    motion = spec.resolution if fmt.resolution and spec.resolution else spec.motion
    context.update(
        spec=spec,
        title=spec.title,
        fmt=fmt,
        motion=motion,
        motion_type=MOTION_TYPES[spec.type],
        sides=sides,
        all_cards=sorted(numbered.values(), key=lambda c: c.number),
        facts=used_facts,
        definitions=[voice_line(project, d.meaning, "ours", first) for d in spec.definitions],
        sections=audience.sections.get("debate", DEFAULT_SECTIONS),
        clash_args={c.id: [a for sv in sides.values() for a in sv.arguments if c.id in a.arg.clash] for c in spec.clash},
        maps=[argument_map(motion, sides, key) for key in SIDES],
    )
    context["sources"] = context["sources"] or [first]
    # The pack shows its own framing, not the positions' prose: grade what is printed.
    shown = [framing, *(text(x) for pt in spec.context for x in [pt.text]), *(b for key in SIDES for b in spec.burdens.get(key, []))]
    shown += [text(x) for sv in sides.values() for av in sv.arguments for ans in av.answers for x in (ans.but, ans.because, ans.therefore)]
    context["reading_grade"] = reading_grade(" ".join(shown))
    return context


def _short(value: str, words: int = 12) -> str:
    parts = value.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def argument_map(motion: str, sides: Mapping[str, SideView], key: SideName) -> Markup:
    """One side's arguments for (or against) the motion, and the other side's answers attacking each."""
    side, other = sides[key], sides[SIDES[1 - SIDES.index(key)]]
    group, answer_group = ("pro", "con") if key == "proposition" else ("con", "pro")
    nodes = [MapNode("motion", motion, "motion")]
    edges = []
    for a in side.arguments:
        nodes.append(MapNode(a.number, f"{a.number} {a.arg.title}", group))
        edges.append(MapEdge(a.number, "motion", "supports" if key == "proposition" else "attacks"))
        for i, ans in enumerate(a.answers):
            node = f"{a.number}-answer-{i + 1}"
            nodes.append(MapNode(node, f"{other.label}: {_short(ans.but.text)}", answer_group))
            edges.append(MapEdge(node, a.number, "attacks"))
    title = f"Argument map: the {side.label} case and the {other.label}'s answers"
    return argument_map_svg(nodes, edges, title, map_description(nodes, edges))


def documents(project: Project, spec: DebateSpec, audience: Audience) -> list[Document]:
    """The pack, and for audiences whose pack has cards a card file laid out as Verbatim does (pocket, hat, block, tag)."""
    context = select(project, spec, audience)
    made = [Document(spec.name, "debate/document.html", context)]
    if "cards" in context["sections"]:
        made.append(Document(f"{spec.name}-cards", "debate/card-file.html", {**context, "title": f"Evidence cards: {spec.title}"}))
    return made


def _draws_on_label(project: Project, ref: str) -> str:
    position_id, _, _part = ref.partition("/")
    return project.positions[position_id].title


def configure(project: Project, spec: DebateSpec, options: Mapping[str, str | None]) -> DebateSpec | None:
    """Apply ``--motion`` (build only this one) and ``--debate-format`` (override the motion's default)."""
    motion = options.get("motion")
    if motion:
        names = [d.name for d in project.documents.values() if d.kind == "debate"]
        if motion not in names:
            raise MemoError([Problem(None, f"no motion named '{motion}'",
                                     hint=(suggest(motion, names) or "") + f" motions: {', '.join(names) or 'none'}")])
        if spec.name != motion:
            return None
    fmt = options.get("debate_format")
    return spec.model_copy(update={"format": fmt}) if fmt else spec


SECTIONS = ("cover", "how-to-use", "context", "definitions", "burdens", "clash", "format", "cases", "rebuttals",
            "cards", "poi", "map", "adjudicator", "flow", "glossary", "sources")
DEFAULT_SECTIONS = ["cover", "context", "definitions", "burdens", "clash", "format", "cases", "rebuttals", "cards", "poi",
                    "map", "adjudicator", "flow", "sources"]

KIND = register(
    Kind(
        name="debate",
        spec=DebateSpec,
        template="debate/document.html",
        sections=SECTIONS,
        select=select,
        description="A debate pack: motion, both cases, evidence cards, rebuttal blocks, format, judge's and flow sheets.",
        verify=verify_motion,
        review=review_motion,
        options=(
            KindOption("debate_format", "--debate-format", "Debate packs: build in this format instead of each motion's own.",
                       tuple(debate_formats())),
            KindOption("motion", "--motion", "Debate packs: build only the motion with this name."),
        ),
        configure=configure,
        documents=documents,
        formats=("docx",),
    )
)
