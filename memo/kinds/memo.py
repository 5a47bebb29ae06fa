"""The briefing memo: header, BLUF, background, analysis, options, recommendation."""

from __future__ import annotations

from typing import Any

from ..models import Audience, MemoSpec
from ..project import Project
from ..select import base_context, pick, select_positions
from . import Kind, register

SECTIONS = (
    "header", "bluf", "warm-up", "summary", "background", "timeline", "actors", "analysis", "options",
    "recommendation", "risks", "next-steps", "decision", "glossary", "questions", "sources",
)
DEFAULT_SECTIONS = ["header", "bluf", "summary", "background", "analysis", "options", "recommendation",
                    "risks", "next-steps", "decision", "sources"]


def select(project: Project, spec: MemoSpec, audience: Audience) -> dict[str, Any]:
    """Choose and frame the memo's content for one audience."""
    positions = select_positions(project, audience, spec.positions)
    bluf = pick(audience, spec.bluf, spec.bluf_plain)
    recommended = next(o for o in spec.options if o.id == spec.recommendation.option)
    options = list(spec.options)
    if audience.stance == "advocacy":  # the recommended option leads; the rest follow as given
        options.sort(key=lambda o: o.id != recommended.id)
    extra = [e for o in spec.options for pt in (*o.pros, *o.cons) for e in pt.evidence]
    extra += [e for pt in (*spec.summary, *spec.background, *spec.risks) for e in pt.evidence]
    extra += spec.recommendation.evidence
    context = base_context(project, audience, positions, framing=bluf, extra_evidence=extra, date=spec.date)
    shown = {p.id for p in positions}
    context.update(
        spec=spec,
        title=spec.title,
        to=spec.to.get(audience.name, spec.to.get("default", "")),
        bluf=bluf,
        options=options,
        recommended=recommended,
        facts=[f for f in project.context.background if f.id in spec.facts],
        sections=audience.sections.get("memo", DEFAULT_SECTIONS),
        shown_positions=shown,
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
