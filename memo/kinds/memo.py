"""The briefing memo: header, BLUF, background, analysis, options, recommendation."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from ..models import Audience, DocumentSpec, Evidence, Id, Model, Point, Voiced, voiced
from ..project import Project
from ..select import base_context, pick, select_positions, trim_points
from . import Kind, register


class Option(Model):
    id: Id
    title: str
    summary: Voiced = voiced("What the option is.", "ours")
    pros: list[Point] = Field(min_length=1)
    cons: list[Point] = Field(min_length=1)
    feasibility: Voiced = voiced("How feasible it is, and why; cite dated facts through `facts`.", "ours")
    status_quo: bool = False
    leads_to: Id | None = Field(None, json_schema_extra={"ref": "options"},
                                description="The option this one is a path to (a route, not a rival).")
    facts: list[Id] = Field(json_schema_extra={"ref": "background"}, default_factory=list,
                            description="Background fact ids the option's feasibility rests on; shown with it.")
    positions: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list)


class Recommendation(Model):
    option: Id = Field(json_schema_extra={"ref": "options"})
    attributed_to: Literal["source", "ours"] = Field(
        "source", description="Whose recommendation this is: the source's author, or our own framing."
    )
    route: list[Id] = Field(json_schema_extra={"ref": "options"}, default_factory=list,
                            description="The recommended route, step by step, as option ids ending with `option` "
                                        "(e.g. a path option, then the goal); empty: the option alone.")
    why: Voiced = voiced("Why, in a sentence or two.", "ours")
    over: dict[Id, str] = Field(
        json_schema_extra={"ref": "options"}, default_factory=dict, description="Why it beats each other option, by option id."
    )
    evidence: list[Evidence] = Field(default_factory=list)

    @model_validator(mode="after")
    def _route_ends_at_option(self) -> Recommendation:
        if self.route and self.route[-1] != self.option:
            raise ValueError(f"the route must end with the recommended option '{self.option}'")
        return self


class MemoSpec(DocumentSpec):
    """A briefing memo: header, BLUF, background, analysis, options, recommendation, risks."""

    kind: Literal["memo"] = "memo"
    to: dict[str, str] = Field(default_factory=lambda: {"default": "Readers"}, description="By audience name; `default` for the rest.")
    sender: str = Field(alias="from", description="The From line.")
    subject: str
    question: str = Field(description="The decision question the memo answers.")
    bluf: Voiced = voiced("Bottom line up front.", "ours")
    bluf_plain: Voiced | None = Field(None, description="The BLUF in plain words. A string, or `{text, by}` (plain string: ours).")
    summary: list[Point] = Field(default_factory=list, description="Key findings, 5-7 bullets.")
    background: list[Point] = Field(default_factory=list)
    facts: list[Id] = Field(json_schema_extra={"ref": "background"}, default_factory=list, description="Background fact ids from context.")
    options: list[Option] = Field(min_length=2)
    recommendation: Recommendation
    risks: list[Point] = Field(default_factory=list)
    next_steps: list[Point] = Field(default_factory=list)
    decision: str

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _status_quo_present(self) -> MemoSpec:
        if not any(option.status_quo for option in self.options):
            raise ValueError("one option must be the status quo (set `status_quo: true` on it)")
        return self


SECTIONS = (
    "header", "bluf", "warm-up", "summary", "background", "timeline", "actors", "analysis", "key-positions", "options", "options-table",
    "recommendation", "risks", "next-steps", "decision", "glossary", "questions", "sources", "timeline-figure", "argument-map",
)
DEFAULT_SECTIONS = ["header", "bluf", "summary", "background", "analysis", "key-positions", "options", "options-table", "recommendation",
                    "risks", "next-steps", "decision", "sources"]


def select(project: Project, spec: MemoSpec, audience: Audience) -> dict[str, Any]:
    """Choose and frame the memo's content for one audience."""
    positions = select_positions(project, audience, spec.positions)
    bluf = pick(audience, spec.bluf, spec.bluf_plain)
    options = [o.model_copy(update={"pros": trim_points(o.pros, audience, "pros"),
                                     "cons": trim_points(o.cons, audience, "cons")})
               for o in spec.options]
    recommended = next(o for o in options if o.id == spec.recommendation.option)
    if audience.stance == "advocacy":  # the recommended option leads; the rest follow as given
        options.sort(key=lambda o: o.id != recommended.id)
    lists = {name: trim_points(getattr(spec, name), audience, name) for name in ("summary", "background", "risks", "next_steps")}
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
        facts=[facts[i] for i in spec.facts][: audience.length.limit("facts")],
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
