"""The briefing memo: header, BLUF, background, analysis, options, recommendation."""

from __future__ import annotations

from typing import Any

from ..models import Audience, MemoSpec
from ..project import Project
from ..select import base_context, pick, select_positions, trim_points
from . import Kind, register

SECTIONS = (
    "header", "bluf", "warm-up", "summary", "background", "timeline", "actors", "analysis", "key-positions", "options", "options-table",
    "recommendation", "risks", "next-steps", "decision", "glossary", "questions", "sources",
)
DEFAULT_SECTIONS = ["header", "bluf", "summary", "background", "analysis", "key-positions", "options", "options-table", "recommendation",
                    "risks", "next-steps", "decision", "sources"]


def select(project: Project, spec: MemoSpec, audience: Audience) -> dict[str, Any]:
    """Choose and frame the memo's content for one audience."""
    positions = select_positions(project, audience, spec.positions)
    bluf = pick(audience, spec.bluf, spec.bluf_plain)
    options = [o.model_copy(update={"pros": trim_points(o.pros, audience), "cons": trim_points(o.cons, audience)})
               for o in spec.options]
    recommended = next(o for o in options if o.id == spec.recommendation.option)
    if audience.stance == "advocacy":  # the recommended option leads; the rest follow as given
        options.sort(key=lambda o: o.id != recommended.id)
    lists = {name: trim_points(getattr(spec, name), audience) for name in ("summary", "background", "risks", "next_steps")}
    extra = [e for o in options for pt in (*o.pros, *o.cons) for e in pt.evidence]
    extra += [e for points in lists.values() for pt in points for e in pt.evidence]
    recommendation_evidence = spec.recommendation.evidence[: audience.length.quotes_per_claim or None]
    extra += recommendation_evidence
    context = base_context(project, audience, positions, framing=bluf, extra_evidence=extra, date=spec.date)
    shown = {p.id for p in positions}
    facts = {f.id: f for f in project.context.background}
    context.update(
        spec=spec,
        title=spec.title,
        to=spec.to.get(audience.name, spec.to.get("default", "")),
        bluf=bluf,
        options=options,
        recommended=recommended,
        facts=[facts[i] for i in spec.facts][: audience.length.points or None],
        sections=audience.sections.get("memo", DEFAULT_SECTIONS),
        shown_positions=shown,
        recommendation_evidence=recommendation_evidence,
        **lists,
    )
    return context


KIND = register(
    Kind(
        name="memo",
        spec=MemoSpec,
        template="memo/document.html",
        sections=SECTIONS,
        select=select,
        description="A briefing memo: bottom line up front, options, recommendation, risks.",
    )
)
