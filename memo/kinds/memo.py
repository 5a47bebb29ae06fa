"""The briefing memo: header, BLUF, background, analysis, options, recommendation."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from ..models import Audience, DocumentSpec, Evidence, Id, Model, Point, Voiced, voiced, walk
from ..project import Project
from ..select import (
    base_context,
    cited_sources,
    evidence_of,
    once,
    pick,
    select_positions,
    shown_text,
    since,
    source_date,
    trim_points,
    with_publication,
)
from ..voice import framing_texts
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
    "header", "bluf", "question", "warm-up", "summary", "since", "background", "timeline", "actors", "analysis", "key-positions", "options",
    "options-table", "options-summary", "recommendation", "risks", "next-steps", "decision", "glossary", "questions", "sources",
    "timeline-figure",
    "argument-map",
)
DEFAULT_SECTIONS = ["header", "bluf", "question", "summary", "since", "background", "analysis", "key-positions", "options", "options-table",
                    "recommendation", "risks", "next-steps", "decision", "sources"]
POINT_LISTS = ("summary", "background", "risks", "next_steps")


def select(project: Project, spec: MemoSpec, audience: Audience) -> dict[str, Any]:
    """Choose and frame the memo's content for one audience."""
    sections = audience.sections.get("memo", DEFAULT_SECTIONS)
    positions = select_positions(project, audience, spec.positions, spec.spine)
    bluf = pick(audience, spec.bluf, spec.bluf_plain)
    limits = audience.length
    options = [o.model_copy(update={"pros": trim_points(o.pros, audience, "pros"),
                                     "cons": trim_points(o.cons, audience, "cons")})
               for o in spec.options]
    lists = {name: trim_points(getattr(spec, name), audience, name) for name in POINT_LISTS}
    recommendation = spec.recommendation.model_copy(
        update={"evidence": spec.recommendation.evidence[: limits.quotes_per_claim or None]})
    lists, positions, options, recommendation = _quote_once(sections, lists, positions, options, recommendation)

    by_id = {f.id: f for f in project.context.background}
    listed = [by_id[i] for i in spec.facts]
    cited = cited_sources(project, evidence_of(positions) + _evidence(spec)) or list(project.sources.values())
    after = since(listed, source_date(cited))
    facts = [f for f in listed if f not in after][: limits.limit("facts")]
    later = since([f for f in listed if f in after][: limits.limit("since")], source_date(cited))  # the spec's first, by date
    option_facts = {o.id: [by_id[i] for i in o.facts] for o in options}
    route = [next(o for o in options if o.id == i) for i in (spec.recommendation.route or [spec.recommendation.option])]
    recommended = route[-1]

    shown = {
        "header": [spec.title, spec.subject, spec.sender, spec.to.get(audience.name, spec.to.get("default", ""))],
        "bluf": [bluf], "question": [spec.question], "summary": lists["summary"], "since": later,
        "background": [*lists["background"], *facts],
        "timeline": with_publication(project.context.timeline, cited, len(project.sources) == 1),
        "analysis": positions, "key-positions": positions,
        "options": ["status quo", *options, *(f for fs in option_facts.values() for f in fs)],
        "options-table": ["status quo", *options, *(f for fs in option_facts.values() for f in fs)],
        "options-summary": [o.title for o in options] + [o.summary for o in options] + ["status quo"],
        "recommendation": [recommendation], "risks": lists["risks"], "next-steps": lists["next_steps"], "decision": [spec.decision],
    }
    framing = " ".join(str(x) for x in (bluf, *framing_texts([lists[n] for n in POINT_LISTS]), *framing_texts(options)))
    text = shown_text(*[v for name in sections for v in shown.get(name, [])], *(s.meta.title for s in cited))
    extra = [e for o in options for pt in (*o.pros, *o.cons) for e in pt.evidence]
    extra += [e for points in lists.values() for pt in points for e in pt.evidence] + recommendation.evidence
    context = base_context(project, audience, positions, framing=framing, extra_evidence=extra, date=spec.date, shown=text)
    tabled = {"options", "options-table"} & set(sections)
    cited_facts = [*facts, *later, *(f for fs in option_facts.values() for f in fs if tabled)]
    context.update(
        spec=spec,
        title=spec.title,
        to=spec.to.get(audience.name, spec.to.get("default", "")),
        bluf=bluf,
        options=options,
        recommended=recommended,
        route=route,
        option_letter={o.id: "abcdefghijklmnopqrstuvwxyz"[i] for i, o in enumerate(options)},
        option_facts=option_facts,
        facts=facts,
        since=later,
        fact_sources=list({f.id: f for f in cited_facts}.values()),
        fact_number={f: i for i, f in enumerate({f.id: f for f in cited_facts}, 1)},
        sections=sections,
        shown_positions={p.id for p in positions},
        recommendation=recommendation,
        recommendation_evidence=recommendation.evidence,
        **lists,
    )
    return context


def _evidence(spec: MemoSpec) -> list[Evidence]:
    return [e for _, e in walk(spec) if isinstance(e, Evidence)]


def _quote_once(sections: list[str], lists: dict[str, list[Point]], positions: list[Any], options: list[Option],
                recommendation: Recommendation) -> tuple[dict[str, list[Point]], list[Any], list[Option], Recommendation]:
    """Each quotation shown once, where the reader first meets it (in the audience's section order)."""
    seen: set[tuple[str | None, int | str, str]] = set()
    blocks: dict[str, Any] = {"summary": lists["summary"], "background": lists["background"], "analysis": positions,
                              "key-positions": positions, "options": options, "options-table": options, "options-summary": options,
                              "recommendation": [recommendation], "risks": lists["risks"], "next-steps": lists["next_steps"]}
    done: dict[int, Any] = {}
    for name in sections:
        block = blocks.get(name)
        if block is None or id(block) in done:
            continue
        done[id(block)] = once([block], seen)[0]
    def result(name: str) -> Any:
        block = blocks[name]
        return done.get(id(block), block)
    lists = {"summary": result("summary"), "background": result("background"), "risks": result("risks"),
             "next_steps": result("next-steps")}
    return lists, result("analysis"), result("options"), result("recommendation")[0]


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
