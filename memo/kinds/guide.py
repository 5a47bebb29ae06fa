"""The teacher's guide: a timed workshop plan, cut-out cards, and an answer key with ¶ references.

The plan is data: each activity names its type, its minutes and (optionally)
its steps; the minutes must add up to the workshop's length. The cards come
from the positions: the author's claims and concessions as verbatim, cited
quotations, and objections in our words. A debate activity points to the
project's debate or model-UN packs when it has documents of those kinds
(looked up in the kinds registry, not named in code).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from ..figures import position_map
from ..models import Audience, Counter, DocumentSpec, Evidence, Id, Model, Question
from ..project import Project
from ..select import base_context
from . import KINDS, Kind, register, specs
from .handout import author_name, map_positions, unique_quotes, voice_label

ActivityType = Literal["warm-up", "reading", "sort", "debate", "discussion", "other"]


class Activity(Model):
    """One timed block of the workshop."""

    type: ActivityType = Field(description="What happens: warm-up, reading, sort (cut-out cards), debate, discussion, other.")
    title: str | None = Field(None, description="Heading in the plan; by default one for the type.")
    minutes: int = Field(ge=1, le=600)
    steps: list[str] = Field(default_factory=list, description="The teacher's instructions (ours); by default ones for the type.")
    uses: list[Id] = Field(default_factory=lambda: ["debate", "mun"], description=(
        "For a debate: the document kinds whose packs it uses when the project has them (e.g. debate, mun)."))
    cards: int = Field(12, ge=4, le=30, description="For a sort: how many cards.")


DEFAULT_PLAN = (("warm-up", 10), ("reading", 25), ("sort", 20), ("debate", 25), ("discussion", 10))


class GuideSpec(DocumentSpec):
    """A teacher's plan for a workshop on the project's sources."""

    kind: Literal["guide"] = "guide"
    question: str | None = Field(None, description="The question the workshop works towards (ours).")
    minutes: int = Field(90, ge=10, le=600, description="The workshop's length; the activities' minutes must add up to it.")
    activities: list[Activity] = Field(default_factory=list, description=(
        "The plan, in order. When empty: warm-up, reading, sort, debate and discussion in the proportions 10/25/20/25/10 of 90."))
    handout: Id | None = Field(None, description="The handout document to use (its name); by default the project's first handout.")

    @field_validator("activities")
    @classmethod
    def _timings_add_up(cls, activities: list[Activity], info: ValidationInfo) -> list[Activity]:
        length = info.data.get("minutes")
        total = sum(a.minutes for a in activities)
        if activities and length is not None and total != length:
            plan = " + ".join(f"{a.minutes} ({a.type})" for a in activities)
            raise ValueError(f"the activities take {total} minutes ({plan}) but the workshop lasts {length} (`minutes`); "
                             f"{'shorten' if total > length else 'lengthen'} an activity by {abs(total - length)} minutes "
                             f"or change `minutes`")
        return activities

    def plan(self) -> list[Activity]:
        """The activities, or the default plan scaled to the workshop's length (the last absorbs rounding)."""
        if self.activities:
            return self.activities
        scaled = [max(1, round(m * self.minutes / 90)) for _, m in DEFAULT_PLAN]
        scaled[-1] += self.minutes - sum(scaled)
        return [Activity(type=t, minutes=m) for (t, _), m in zip(DEFAULT_PLAN, scaled, strict=True)]


TITLES = {"warm-up": "Warm-up", "reading": "Reading with the reading copy", "sort": "Card sort: argue, concede or object?",
          "debate": "Mini-debate", "discussion": "Discussion and wrap-up", "other": "Activity"}


@dataclass(frozen=True)
class Card:
    """A cut-out card: a quotation (the author's words, cited) or an objection (our words)."""

    number: int
    kind: Literal["claim", "concession", "objection"]
    quote: Evidence | None
    text: str | None
    answer: str  # for the key: which pile, and the author's answer to an objection


@dataclass(frozen=True)
class Pack:
    kind: str
    name: str
    description: str
    path: str
    title: str


def _shuffle_key(text: str) -> str:
    """A fixed shuffle: cards are not grouped by pile, and every build deals them alike."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def make_cards(project: Project, limit: int) -> list[Card]:
    """Claims, concessions and objections from every position, about a third each when there are enough."""
    positions = sorted(project.positions.values(), key=lambda p: p.home_order)

    def said(e: Evidence, verb: str) -> str:
        source = project.sources.get(e.source or "") or next(iter(project.sources.values()))
        return f"{author_name(project, source)} {source.meta.terms.get(verb, verb)} this"
    concessions = [(k, e) for p in positions for k in p.counters if k.conceded for e in k.evidence[:1]]
    objections = [k for p in positions for k in p.counters if not k.conceded]
    claims = [e for p in positions for e in p.lead_claim.evidence[:1]]
    share = max(1, limit // 3)
    conceded_quotes = unique_quotes([e for _, e in concessions], share)
    objections = objections[:share]
    room = limit - len(conceded_quotes) - len(objections)
    taken = [e.quote for e in conceded_quotes]
    claim_quotes = [e for e in unique_quotes(claims + conceded_quotes, room + len(conceded_quotes)) if e.quote not in taken][:room]
    drafts: list[tuple[str, Literal["claim", "concession", "objection"], Evidence | None, str | None, str]] = []
    for e in claim_quotes:
        drafts.append((e.quote, "claim", e, None, f"{said(e, 'argues')}: one of the claims."))
    for e in conceded_quotes:
        drafts.append((e.quote, "concession", e, None, f"{said(e, 'concedes')}: a limit of the case, admitted in the text."))
    for k in objections:
        drafts.append((str(k.counter), "objection", None, str(k.counter), _rebuttal(project, k)))
    drafts.sort(key=lambda d: _shuffle_key(d[0]))
    return [Card(i, kind, quote, text, answer) for i, (_, kind, quote, text, answer) in enumerate(drafts, start=1)]


def _rebuttal(project: Project, counter: Counter) -> str:
    """The key's line for an objection: who answers it, how, and where."""
    label = voice_label(project, counter, "response", "answers")
    where = ", ".join(f"¶{e.paragraph}" if isinstance(e.paragraph, int) else e.paragraph for e in counter.response_evidence)
    return f"An objection. {label} {counter.response}" + (f" ({where})" if where else "")


def packs_for(project: Project, audience: Audience, uses: list[str]) -> list[Pack]:
    """Documents of the kinds an activity uses that this project has, with where the build writes them."""
    found = []
    for spec in specs(project):
        if spec.kind in uses and spec.kind in KINDS:
            kind = KINDS[spec.kind]
            # where the build writes it: the main file, or the folder a kind fills with one file per delegation
            names = [d.name for d in kind.outputs(project, spec, audience)]
            if not names:
                continue  # nothing of it is built for this audience
            folders = {n.split("/")[0] for n in names if "/" in n}
            where = f"{audience.name}/{spec.kind}/" + (f"{folders.pop()}/" if len(folders) == 1 else f"{names[0]}.pdf")
            found.append(Pack(spec.kind, spec.name, kind.description.split(":")[0], where, getattr(spec, "title", None) or spec.name))
    return found


@dataclass(frozen=True)
class Step:
    activity: Activity
    title: str
    start: int
    end: int
    packs: list[Pack]


def select(project: Project, spec: GuideSpec, audience: Audience) -> dict[str, Any]:
    """The plan with clock times, the materials, the cards and the answer key."""
    steps, clock = [], 0
    for activity in spec.plan():
        packs = packs_for(project, audience, activity.uses) if activity.type == "debate" else []
        steps.append(Step(activity, activity.title or TITLES[activity.type], clock, clock + activity.minutes, packs))
        clock += activity.minutes
    sort = next((s.activity for s in steps if s.activity.type == "sort"), None)
    cards = make_cards(project, sort.cards) if sort else []
    handouts = [s for s in specs(project) if s.kind == "handout" and (spec.handout is None or s.name == spec.handout)]
    readers = [s for s in specs(project) if s.kind == "reader"]
    questions: list[Question] = list(project.context.questions)
    mapped = map_positions(project, spec, audience, 8)
    nodes, edges = position_map(mapped)
    framing = " ".join([spec.question or "", *(str(q.answer or "") for q in questions)])
    context = base_context(project, audience, [], framing=framing, date=spec.date)
    context.update(
        spec=spec,
        title=spec.title,
        steps=steps,
        cards=cards,
        handout=handouts[0] if handouts else None,
        readers=readers,
        key_questions=questions,
        map_nodes=nodes,
        map_edges=edges,
        answer_label=lambda q: voice_label(project, q, "answer", "answers").replace("Our analysis:", "Our answer:"),
        author=author_name(project),
        sources=list(project.sources.values()),
    )
    return context


KIND = register(
    Kind(
        name="guide",
        spec=GuideSpec,
        template="guide/document.html",
        sections=(),
        select=select,
        description="The teacher's guide: a timed workshop plan, cut-out cards for a concede/rebut sort, "
                    "and an answer key with ¶ references.",
    )
)
