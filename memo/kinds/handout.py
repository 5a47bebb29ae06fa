"""The one-sheet handout: the question, key points, three quotations, a timeline strip, a who-argues-what map,
and discussion questions with ruled room to write.

Everything is chosen from the project's data; the spec may name what to show
and otherwise the selector picks (spine or highest-priority positions, their
lead quotations, the forecasts and the latest events).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import Field

from ..figures import MapNode, TimelineItem, position_map, timeline_items
from ..models import Audience, DocumentSpec, Evidence, Point, Position, Source, voice
from ..project import Project
from ..select import base_context, pick, select_positions, with_publication
from ..text import normalise
from . import Kind, register


class HandoutSpec(DocumentSpec):
    """A one-sheet handout for a class or a public meeting."""

    kind: Literal["handout"] = "handout"
    question: str = Field(description="The question the handout puts to its readers (ours).")
    key_points: list[Point] = Field(default_factory=list, max_length=5, description=(
        "Our key points, 3-4 lines. When empty, the map's positions' theses are shown, each as its author's view."))
    quotes: list[Evidence] = Field(default_factory=list, max_length=3, description=(
        "Three key quotations. When empty, the lead quotation of the three most important positions."))
    timeline: list[str] = Field(default_factory=list, description=(
        "Timeline events to show, by `id` or `date`. When empty, every forecast and the latest events, up to `timeline_max`."))
    timeline_max: int = Field(6, ge=2, le=10)
    map_max: int = Field(7, ge=2, le=12, description="At most this many positions in the who-argues-what map.")
    discussion: int = Field(3, ge=1, le=6, description="How many discussion questions (from context/questions, discussion first).")
    answer_lines: int = Field(4, ge=0, le=12, description="Ruled lines of room to write under each question.")


def author_name(project: Project, source: Source | None = None) -> str:
    """How framing names a source's author: `cite_as`, else the surname."""
    source = source or next(iter(project.sources.values()))
    return source.meta.short_cite


def voice_label(project: Project, item: Any, field: str, verb: str = "argues") -> str:
    """Whose view a framing field states, as a lead-in: "Aliberti argues:", "Our analysis:", "Kagan (cited by Aliberti):"."""
    who = voice(item, field)
    if who == "ours":
        return "Our analysis:"
    source = _source_of(project, item) or next(iter(project.sources.values()))
    name = author_name(project, source)
    if who == "author":
        return f"{name} {source.meta.terms.get(verb, verb)}:"
    actors = {a.id: a.name for a in project.context.actors}
    return f"{actors.get(who, who)} (cited by {name}):"


def _source_of(project: Project, item: Any) -> Source | None:
    """The source an item's evidence quotes (several-source projects attribute to it)."""
    evidence: list[Evidence] = item.all_evidence() if isinstance(item, Position) else list(getattr(item, "evidence", None) or [])
    for e in evidence:
        if e.source and e.source in project.sources:
            return project.sources[e.source]
    return None


def unique_quotes(evidence: Iterable[Evidence], limit: int) -> list[Evidence]:
    """At most ``limit`` quotations, none repeated and none inside another already taken."""
    kept: list[Evidence] = []
    seen: list[str] = []
    for e in evidence:
        key = normalise(e.quote).casefold()
        if any(key in s or s in key for s in seen):
            continue
        kept.append(e)
        seen.append(key)
        if len(kept) == limit:
            break
    return kept


def map_positions(project: Project, spec: DocumentSpec, audience: Audience, limit: int) -> list[Position]:
    """The spine, else the audience's most important positions; in the audience's order."""
    chosen = select_positions(project, audience, spec.positions)
    spine = [p for p in chosen if p.id in set(getattr(spec, "spine", []) or [])]
    rest = sorted((p for p in chosen if p not in spine), key=lambda p: p.priority)
    keep = {p.id for p in (spine + rest)[:limit]}
    return [p for p in chosen if p.id in keep]


def chosen_timeline(project: Project, wanted: list[str], limit: int, sources: Sequence[Source] = ()) -> list[TimelineItem]:
    """The named events, else every forecast plus the latest events, in the timeline's own order (sources' publication included)."""
    events = with_publication(project.context.timeline, sources or list(project.sources.values()), len(project.sources) == 1)
    if wanted:
        picked = [e for e in events if (getattr(e, "id", None) in wanted) or e.date in wanted]
    else:
        forecasts = [e for e in events if getattr(e, "forecast", False)][:limit]
        others = [e for e in events if e not in forecasts]
        room = max(limit - len(forecasts), 0)
        keep = forecasts + (others[-room:] if room else [])
        picked = [e for e in events if e in keep]
    return timeline_items(picked, project.context.background, brief=True)


SECTIONS = ("question", "key-points", "quotes", "timeline", "map", "questions", "source")


def select(project: Project, spec: HandoutSpec, audience: Audience) -> dict[str, Any]:
    """The handout's content for one audience."""
    positions = map_positions(project, spec, audience, spec.map_max)
    by_priority = sorted(positions, key=lambda p: p.priority)
    leads = [e for p in by_priority for e in p.lead_claim.evidence]
    quotes = unique_quotes(spec.quotes or leads, 3)
    nodes, edges = position_map(positions)
    nodes = [MapNode(n.id, n.label, n.group) for n in nodes]
    if spec.key_points:
        key_points = [(voice_label(project, pt, "text", "argues"), pt) for pt in spec.key_points]
    else:
        key_points = [(voice_label(project, p, "plain" if pick(audience, p.thesis, p.plain) is p.plain else "thesis"),
                       Point(text=pick(audience, p.thesis, p.plain))) for p in by_priority[:3]]
    discussion = [q for q in project.context.questions if q.stage == "discussion"]
    after = [q for q in project.context.questions if q.stage == "after"]
    questions = (discussion + after)[: spec.discussion]
    framing = " ".join([spec.question, *(str(pt.text) for _, pt in key_points)])
    context = base_context(project, audience, positions, framing=framing, extra_evidence=quotes, date=spec.date)
    context.update(
        spec=spec,
        title=spec.title,
        key_points=key_points,
        quotes=quotes,
        timeline_strip=chosen_timeline(project, spec.timeline, spec.timeline_max, context["sources"]),
        map_nodes=nodes,
        map_edges=edges,
        sheet_questions=questions,
        sections=audience.sections.get("handout", list(SECTIONS)),
        author=author_name(project) if len(project.sources) == 1 else "the sources",
    )
    return context


KIND = register(
    Kind(
        name="handout",
        spec=HandoutSpec,
        template="handout/document.html",
        sections=SECTIONS,
        select=select,
        description="A one-sheet handout: the question, key points, three quotations, a timeline strip, a who-argues-what map, "
                    "questions with room to write.",
    )
)
