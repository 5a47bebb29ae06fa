"""Model-UN sessions: a pack and a position-paper draft per delegation, the chair's pack, a draft resolution.

A session file (``kind: mun``) names the conference, committee, topic, rules
and delegations (also from a CSV roster next to it), the blocs and relations
the source describes (each with verified quotations), and the clause data of
a draft resolution. What a delegation's pack says about its country comes
only from the project: the context actor the country matches and the
positions that name that actor. A state no actor matches is *uncovered*: its
pack says so and offers its bloc's context and research prompts, never a
stance. Clause openings are checked against the phrase lists in ``mun.yaml``
(package data), and verbs reserved to the Security Council against the
committee's body.
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, PrivateAttr, field_validator, model_validator

from ..errors import MemoError, Problem, suggest
from ..exporters.docx import FONTS, Layout
from ..models import (
    AUTHOR,
    Actor,
    Audience,
    BackgroundFact,
    DocumentSpec,
    Evidence,
    Id,
    Model,
    Point,
    Position,
    Source,
    Typography,
    Voiced,
    voiced,
)
from ..project import Project
from ..select import base_context, pick
from . import Document, Kind, KindOption, register

DATA = Path(__file__).with_suffix(".yaml")
CLAUSE_END = re.compile(r"[\s,;.:]+$")


@functools.cache
def conventions() -> dict[str, Any]:
    """Phrase lists and committees shipped with memo (``memo/kinds/mun.yaml``)."""
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


_THE = re.compile(r"^(United |Republic|Kingdom|Russian Federation|Democratic |Federated |People|Islamic Republic|Holy See"
                  r"|Netherlands|Philippines|Bahamas|Gambia|Maldives|Comoros|Seychelles|Central African|Dominican|Czech)"
                  r"|(Islands|Emirates|Republic)$")


def in_sentence(country: str) -> str:
    """A country's name mid-sentence: 'the United States', 'France'."""
    return f"the {country}" if _THE.search(country) else country


def slug(text: str) -> str:
    """A file-name-safe id for a country name: 'Côte d'Ivoire' → 'cote-d-ivoire'."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "delegation"


# --------------------------------------------------------------------------- spec


class Committee(Model):
    """A committee; `body` decides which clause openings it may use."""

    name: str
    short: str
    body: Literal["general-assembly", "security-council", "other"] = "general-assembly"
    subject: str = Field(description="How the resolution opens: 'The General Assembly'.")


class Rules(Model):
    """The conference's rules for position papers (NMUN-style by default)."""

    name: str = "NMUN-style"
    page_limit: int | None = Field(2, ge=1, description="Pages a position paper may have; going over is reported.")
    font: Literal["serif", "sans"] = "serif"
    font_name: str = Field("Times New Roman", description="The font named in the Word files.")
    size_pt: float = Field(12, ge=9, le=14)
    margin_mm: float = Field(25.4, ge=10, le=40)
    page_size: Literal["A4", "letter"] = "letter"


class Bloc(Model):
    """A group of states as the source describes it, with the quotation that does."""

    id: Id
    name: str
    actors: list[Id] = Field(json_schema_extra={"ref": "actors"}, default_factory=list,
                             description="Context actors the source places in this group.")
    text: Voiced = voiced("What the source says of the group.", "author")
    evidence: list[Evidence] = Field(default_factory=list)

    def default_voice(self, field: str) -> str:
        return AUTHOR


class Delegation(Model):
    country: str
    actor: Id | None = Field(None, json_schema_extra={"ref": "actors"},
                             description="The context actor for this country; found by name when left out.")
    bloc: Id | None = Field(None, description="A bloc id of this session.")
    notes: str = ""


class Relation(Model):
    """Two actors as allies, partners or rivals, in the source's terms."""

    between: list[Id] = Field(json_schema_extra={"ref": "actors"}, min_length=2, max_length=2)
    relation: Literal["allies", "partners", "rivals", "possible partners"]
    text: Voiced = voiced("What the source says of the two.", "author")
    evidence: list[Evidence] = Field(min_length=1)

    def default_voice(self, field: str) -> str:
        return AUTHOR


class Clause(Model):
    """A resolution clause: its text starts with a listed opening; punctuation is added when rendered."""

    text: str
    positions: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list)
    facts: list[Id] = Field(json_schema_extra={"ref": "background"}, default_factory=list)
    sub: list[Clause] = Field(default_factory=list, description="Sub-clauses (a., b.; then i., ii.).")

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @field_validator("text")
    @classmethod
    def _no_end_punctuation(cls, value: str) -> str:
        return CLAUSE_END.sub("", value)

    @classmethod
    def __get_pydantic_json_schema__(cls, core: Any, handler: Any) -> dict[str, Any]:
        """Editors must accept the short form too: a clause may be a plain string."""
        return {"anyOf": [{"type": "string"}, handler(core)]}


class Resolution(Model):
    code: str | None = Field(None, description="The document code, e.g. 'SPECPOL/1/1'.")
    sponsors: list[str] = Field(default_factory=list)
    signatories: list[str] = Field(default_factory=list)
    preambulatory: list[Clause] = Field(min_length=1)
    operative: list[Clause] = Field(min_length=1)


class Phrases(Model):
    preambulatory: list[str] = Field(default_factory=list)
    operative: list[str] = Field(default_factory=list)


class MunSpec(DocumentSpec):
    """A model-UN session: committee, topic, rules, delegations, blocs and a draft resolution."""

    kind: Literal["mun"] = "mun"
    conference: str
    committee: Id | Committee = Field(description="A committee id (copuos, specpol, disec, ga-plenary, unsc) or its data.")
    topic: str
    rules: Rules = Field(default_factory=Rules)
    profile: str | dict[str, str] = Field(
        "conference", description="conference | workshop-accessible; or by audience name with `default` for the rest.")
    audiences: list[Id] = Field(default_factory=list, description="Audiences this session is built for; all when empty.")
    delegations: list[Delegation] = Field(default_factory=list)
    roster: str | None = Field(None, description="A CSV file next to the session: country, bloc, notes (and actor).")
    blocs: list[Bloc] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    background: list[Point] = Field(default_factory=list, description="The topic's background, our framing.")
    facts: list[Id] = Field(json_schema_extra={"ref": "background"}, default_factory=list)
    past_action: list[Id] = Field(json_schema_extra={"ref": "background"}, default_factory=list,
                                  description="Background facts on past international action.")
    questions: list[str] = Field(default_factory=list, description="What a resolution must answer (chair's pack).")
    research: list[str] = Field(default_factory=list, description="Research prompts; `{country}` is replaced.")
    paper_positions: int = Field(3, ge=1, description="Positions a position-paper draft restates (highest priority first).")
    phrases: Phrases = Field(default_factory=Phrases, description="Openings this conference adds to the built-in lists.")
    resolution: Resolution
    _only: str | None = PrivateAttr(default=None)  # set by --delegation: the one delegation to build


BODIES = {"general-assembly": "General Assembly", "security-council": "Security Council", "other": "non-UN"}
PROFILES = {
    "conference": {"emphasis": "italic", "operative": "underline", "background": "#ffffff", "line_height": 1.2,
                   "limit": True, "sans_size": None},
    "workshop-accessible": {"emphasis": "bold", "operative": "bold", "background": "#fbf8ef", "line_height": 1.5,
                            "limit": False, "sans_size": 13.0},
}


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Opening:
    phrase: str | None
    rest: str


def committee_of(spec: MunSpec) -> Committee | None:
    if isinstance(spec.committee, Committee):
        return spec.committee
    data = conventions()["committees"].get(spec.committee)
    return Committee(**data) if data else None


def opening(text: str, phrases: list[str]) -> Opening:
    """The longest listed phrase the clause starts with (whole words)."""
    for phrase in sorted(phrases, key=len, reverse=True):
        if text == phrase or text.startswith(phrase + " ") or text.startswith(phrase + ","):
            return Opening(phrase, text[len(phrase):])
    return Opening(None, text)


def phrase_lists(spec: MunSpec) -> dict[str, list[str]]:
    lists = conventions()["phrases"]
    committee = committee_of(spec)
    council = committee is not None and committee.body == "security-council"
    return {
        "preambulatory": lists["preambulatory"] + spec.phrases.preambulatory,
        "operative": lists["operative"] + spec.phrases.operative + (lists["security_council"] if council else []),
        "security_council": lists["security_council"],
    }


def _nearest(text: str, phrases: list[str]) -> str | None:
    words = text.split()
    candidates = {" ".join(words[:n]) for n in range(1, 4)}
    best: tuple[float, str] | None = None
    for candidate in candidates:
        for phrase in phrases:
            score = difflib.SequenceMatcher(None, candidate.casefold(), phrase.casefold()).ratio()
            if best is None or score > best[0]:
                best = (score, phrase)
    return best[1] if best and best[0] >= 0.5 else None


Reporter = Callable[[tuple[str | int, ...], str, str | None], None]


def _check_clauses(spec: MunSpec, report: Reporter) -> None:
    lists = phrase_lists(spec)
    committee = committee_of(spec)
    for part in ("preambulatory", "operative"):
        allowed = lists[part]
        for index, clause in enumerate(getattr(spec.resolution, part)):
            where = ("resolution", part, index, "text")
            found = opening(clause.text, allowed)
            if found.phrase is not None:
                continue
            first = clause.text.split(" ", 1)[0]
            reserved = opening(clause.text, lists["security_council"]).phrase
            if reserved and part == "operative" and committee is not None:
                near = _nearest(clause.text, [p for p in allowed if p not in lists["security_council"]])
                report(where, f"'{reserved}' is reserved to the Security Council; {committee.short} is a "
                              f"{BODIES[committee.body]} body",
                       f"use an operative opening such as '{near or 'Recommends'}', or move the topic to the Security Council")
                continue
            near = _nearest(clause.text, allowed)
            other = "operative" if part == "preambulatory" else "preambulatory"
            misplaced = opening(clause.text, lists[other]).phrase
            if misplaced:
                hint = f"'{misplaced}' opens {other} clauses; a {part} clause could open with '{near}'"
            else:
                hint = (f"did you mean '{near}'? " if near else "") + f"{part} openings are listed in memo/kinds/mun.yaml " \
                       "(add a conference's own under `phrases:`)"
            report(where, f"'{first}' is not {'an' if part == 'operative' else 'a'} {part} clause opening", hint)


def _read_roster(project: Project, spec: MunSpec) -> tuple[Path | None, list[tuple[int, Delegation]], list[Problem]]:
    """Delegations from the session's CSV file, each with its line number, and the problems found."""
    if not spec.roster or spec._origin is None:
        return None, [], []
    path = spec._origin.parent / spec.roster
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "it does not exist" if isinstance(exc, FileNotFoundError) else str(exc)
        return path, [], [Problem(path, f"cannot read the roster: {reason}",
                                  hint=f"put the CSV next to {spec._origin.name} or fix `roster:`")]
    reader = csv.reader(text.splitlines())
    rows = list(reader)
    if not rows:
        return path, [], [Problem(path, "the roster is empty", line=1, hint="first line: country,bloc,notes")]
    header = [h.strip().lower() for h in rows[0]]
    known = ["country", "bloc", "notes", "actor"]
    for column, name in enumerate(header):
        if name not in known:
            near = difflib.get_close_matches(name, known, n=1)
            problems.append(Problem(path, f"unknown column '{name}'", line=1, column=column + 1,
                                    hint=(f"did you mean '{near[0]}'? " if near else "") + "columns: " + ", ".join(known)))
    if "country" not in header:
        problems.append(Problem(path, "the roster has no 'country' column", line=1, hint="first line: country,bloc,notes"))
    if problems:
        return path, [], problems
    found: list[tuple[int, Delegation]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        if len(row) > len(header):
            problems.append(Problem(path, f"{len(row)} cells where the header has {len(header)}", line=line,
                                    hint="quote a cell that holds a comma: \"Korea, Republic of\""))
            continue
        if not values["country"]:
            problems.append(Problem(path, "the country cell is empty", line=line, field="country"))
            continue
        try:
            found.append((line, Delegation(country=values["country"], bloc=values.get("bloc") or None,
                                           notes=values.get("notes", ""), actor=values.get("actor") or None)))
        except ValueError as exc:
            problems.append(Problem(path, str(exc).splitlines()[-1].strip(), line=line, hint="actor: an id such as united-states"))
    return path, found, problems


def verify_session(project: Project, spec: MunSpec, report: Callable[..., None]) -> None:
    """Session checks `memo check` runs: committee, openings, blocs, roster, sponsors, research prompts.

    ``report(key_path, message, hint)`` locates a problem in the session file; problems in
    the CSV roster are located in that file, at their line.
    """
    problems: list[Problem] = getattr(report, "problems", [])
    committees = conventions()["committees"]
    if committee_of(spec) is None:
        near = difflib.get_close_matches(str(spec.committee), committees, n=1)
        report(("committee",), f"no committee named '{spec.committee}'",
               (f"did you mean '{near[0]}'? " if near else "") + "committees: " + ", ".join(committees)
               + "; or give {name, short, body, subject}")
    else:
        _check_clauses(spec, report)
    for name, value in spec.profile.items() if isinstance(spec.profile, dict) else [("", spec.profile)]:
        if value not in PROFILES:
            near = difflib.get_close_matches(value, PROFILES, n=1)
            report(("profile", name) if name else ("profile",), f"no profile named '{value}'",
                   (f"did you mean '{near[0]}'? " if near else "") + "profiles: " + ", ".join(PROFILES))
    blocs = {b.id for b in spec.blocs}
    for index, delegation in enumerate(spec.delegations):
        if delegation.bloc and delegation.bloc not in blocs:
            near = difflib.get_close_matches(delegation.bloc, blocs, n=1)
            report(("delegations", index, "bloc"), f"'{delegation.bloc}' names no bloc of this session",
                   (f"did you mean '{near[0]}'? " if near else "") + "blocs: " + ", ".join(sorted(blocs)))
    path, rows, roster_problems = _read_roster(project, spec)
    problems.extend(roster_problems)
    actors = {a.id for a in project.context.actors}
    seen: dict[str, str] = {}
    for index, delegation in enumerate(spec.delegations):
        seen.setdefault(slug(delegation.country), f"delegations[{index}]")
    for line, delegation in rows:
        if delegation.bloc and delegation.bloc not in blocs:
            near = difflib.get_close_matches(delegation.bloc, blocs, n=1)
            problems.append(Problem(path, f"'{delegation.bloc}' names no bloc of this session", line=line, field="bloc",
                                    hint=(f"did you mean '{near[0]}'? " if near else "") + "blocs: " + ", ".join(sorted(blocs))))
        if delegation.actor and delegation.actor not in actors:
            near = difflib.get_close_matches(delegation.actor, actors, n=1)
            problems.append(Problem(path, f"'{delegation.actor}' names no actor in this project", line=line, field="actor",
                                    hint=f"did you mean '{near[0]}'?" if near else "leave it empty for a state the source does not cover"))
        key = slug(delegation.country)
        if key in seen:
            problems.append(Problem(path, f"'{delegation.country}' is already on the roster ({seen[key]})", line=line,
                                    field="country", hint="each country once per session"))
        seen.setdefault(key, f"line {line}")
    if not seen and not roster_problems:
        report(("delegations",), "the session has no delegations", "list them under `delegations:` or in a CSV named by `roster:`")
    names = {slug(d.country) for d in all_delegations(project, spec)}
    for part in ("sponsors", "signatories"):
        for index, country in enumerate(getattr(spec.resolution, part)):
            if slug(country) not in names:
                near = difflib.get_close_matches(country, [d.country for d in all_delegations(project, spec)], n=1)
                report(("resolution", part, index), f"'{country}' is not a delegation of this session",
                       f"did you mean '{near[0]}'?" if near else "sponsors and signatories come from the roster")
    for index, prompt in enumerate(spec.research):
        unknown = set(re.findall(r"\{(\w*)\}", prompt)) - {"country"}
        if unknown:
            report(("research", index), f"unknown placeholder {{{sorted(unknown)[0]}}}", "the only placeholder is {country}")


def all_delegations(project: Project, spec: MunSpec) -> list[Delegation]:
    """The session file's delegations, then the CSV roster's, in order."""
    _, rows, _ = _read_roster(project, spec)
    return [*spec.delegations, *(d for _, d in rows)]


# --------------------------------------------------------------------------- selection


def voice_name(source: Source) -> str:
    cite_as = getattr(source.meta, "cite_as", None)
    return cite_as or source.meta.author.split()[-1]


def _by(value: Any, default: str) -> str:
    return getattr(value, "by", None) or default


@dataclass
class Said:
    """A sentence of framing with whose view it states, ready to render."""

    lead: str
    text: str
    evidence: list[Evidence]


@dataclass
class Shared:
    """Everything a session's documents share: computed once per session and audience."""

    spec: MunSpec
    committee: Committee
    audience: Audience
    profile: str
    delegations: list[Delegation]
    actors: dict[str, Actor]
    blocs: dict[str, Bloc]
    positions: list[Position]
    facts: list[BackgroundFact]
    past_action: list[BackgroundFact]
    sources: list[Source]
    author: str
    base: dict[str, Any]
    preambulatory: list[dict[str, Any]]
    operative: list[dict[str, Any]]
    covered_ids: set[str]

    def say(self, value: Any, default: str = "author", verb: str = "argues") -> str:
        """The lead-in that names whose view a framing text states."""
        by = _by(value, default)
        if by == "author":
            terms = self.sources[0].meta.terms if len(self.sources) == 1 else {}
            return f"{self.author} {terms.get(verb, verb)}:"  # in the genre's words: a treaty "provides"
        if by == "ours":
            return "Our analysis:"
        actor = self.actors.get(by)
        return f"{actor.name if actor else by} (cited by {self.author}):"


def _actor_for(delegation: Delegation, actors: dict[str, Actor]) -> Actor | None:
    if delegation.actor:
        return actors.get(delegation.actor)
    key = slug(delegation.country)
    for actor in actors.values():
        if actor.id == key or slug(actor.name) == key:
            return actor
    return None


def _profile(spec: MunSpec, audience: Audience) -> str:
    if isinstance(spec.profile, str):
        return spec.profile
    return spec.profile.get(audience.name, spec.profile.get("default", "conference"))


def _typography(rules: Rules, audience: Audience, profile: str) -> Typography:
    look = PROFILES[profile]
    if profile == "conference":
        return Typography(font=rules.font, size_pt=rules.size_pt, line_height=look["line_height"], background=look["background"],
                          align="left", emphasis=look["emphasis"], page_size=rules.page_size, margin_mm=rules.margin_mm)
    return Typography(font="sans", size_pt=max(audience.typography.size_pt, look["sans_size"]), line_height=look["line_height"],
                      background=look["background"], align="left", emphasis=look["emphasis"], page_size=rules.page_size,
                      margin_mm=max(18.0, min(rules.margin_mm, 25.4)))


def _clauses(spec: MunSpec) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Clauses split into opening and rest, with the punctuation the format prescribes."""
    lists = phrase_lists(spec)
    pre = [{"opening": (o := opening(c.text, lists["preambulatory"])).phrase or "", "rest": o.rest, "end": ",", "clause": c,
            "sub": []} for c in spec.resolution.preambulatory]
    ops = []
    count = len(spec.resolution.operative)
    for index, clause in enumerate(spec.resolution.operative):
        last = index == count - 1
        found = opening(clause.text, lists["operative"])
        ops.append({"opening": found.phrase or "", "rest": found.rest, "clause": clause,
                    "end": ":" if clause.sub else ("." if last else ";"), "sub": _subs(clause.sub, last)})
    return pre, ops


def _subs(subs: list[Clause], last: bool) -> list[dict[str, Any]]:
    out = []
    for index, sub in enumerate(subs):
        final = last and index == len(subs) - 1
        out.append({"text": sub.text, "end": ":" if sub.sub else ("." if final else ";"), "sub": _subs(sub.sub, final)})
    return out


def shared(project: Project, spec: MunSpec, audience: Audience) -> Shared:
    """The session-wide work, done once: roster, blocs, positions, clauses, facts."""
    committee = committee_of(spec) or Committee(name=str(spec.committee), short=str(spec.committee), subject="The General Assembly")
    profile = _profile(spec, audience)
    styled = audience.model_copy(update={"typography": _typography(spec.rules, audience, profile)})
    positions = [project.positions[i] for i in (spec.positions or list(project.positions))]
    facts_by_id = {f.id: f for f in project.context.background}
    extra = [e for b in spec.blocs for e in b.evidence] + [e for r in spec.relations for e in r.evidence]
    extra += [e for p in spec.background for e in p.evidence]
    base = base_context(project, styled, positions, framing=spec.topic, extra_evidence=extra, date=spec.date)
    sources = base["sources"] or list(project.sources.values())
    pre, ops = _clauses(spec)
    delegations = all_delegations(project, spec)
    actors = {a.id: a for a in project.context.actors}
    return Shared(spec=spec, committee=committee, audience=styled, profile=profile, delegations=delegations,
                  actors=actors, blocs={b.id: b for b in spec.blocs}, positions=positions,
                  facts=[facts_by_id[i] for i in spec.facts], past_action=[facts_by_id[i] for i in spec.past_action],
                  sources=sources, author=voice_name(sources[0]), base=base, preambulatory=pre, operative=ops,
                  covered_ids={slug(d.country) for d in delegations if _actor_for(d, actors)})


def _mentions(text: str, names: list[str]) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text) for n in names if n)


def _names(actor: Actor, country: str) -> list[str]:
    """How the source may name a country: the actor's name and id words, the roster's name."""
    return sorted({actor.name, country, actor.id.replace("-", " ").title()}, key=len, reverse=True)


def delegation_context(s: Shared, delegation: Delegation) -> dict[str, Any]:
    """What one delegation's pack and position paper show."""
    actor = _actor_for(delegation, s.actors)
    bloc = s.blocs.get(delegation.bloc or "")
    covered = actor is not None
    mine = [p for p in s.positions if actor and actor.id in p.actors]
    names = _names(actor, delegation.country) if actor else []
    said = []
    for p in mine:
        quotes = [e for e in p.all_evidence() if _mentions(e.quote, names)] or p.claims[0].evidence[:1]
        lead = p.lead_claim
        said.append({"position": p, "thesis": pick(s.audience, p.thesis, p.plain), "quotes": quotes[:1], "claim": lead})
    relations = []
    for r in s.spec.relations:
        if actor and actor.id in r.between:
            other = s.actors.get(next(a for a in r.between if a != actor.id))
            relations.append({"relation": r, "with": other.name if other else "", "lead": s.say(r.text)})
    blocs = [b for b in s.spec.blocs if (actor and actor.id in b.actors) or b.id == delegation.bloc]
    pos_ids = {p.id for p in mine}
    suggested_pre = [c for c in s.preambulatory if set(c["clause"].positions) & pos_ids]
    suggested_ops = [c for c in s.operative if set(c["clause"].positions) & pos_ids]
    research = [prompt.replace("{country}", in_sentence(delegation.country)) for prompt in s.spec.research]
    paper = sorted(said, key=lambda item: item["position"].priority)[: s.spec.paper_positions]
    evidence = [e for item in said for e in item["quotes"]] + [e for r in relations for e in r["relation"].evidence]
    evidence += [e for b in blocs for e in b.evidence]
    return {
        "delegation": delegation, "country": delegation.country, "actor": actor, "covered": covered, "bloc": bloc,
        "the_country": in_sentence(delegation.country), "paper": [item for item in said if item in paper],
        "said": said, "relations": relations, "blocs": blocs, "suggested_pre": suggested_pre, "suggested_ops": suggested_ops,
        "research": research, "cited": evidence,
    }


def _common(s: Shared, title: str) -> dict[str, Any]:
    return {
        **s.base,
        "audience": s.audience,
        "spec": s.spec,
        "title": title,
        "session": s.spec,
        "committee": s.committee,
        "profile": s.profile,
        "profile_look": PROFILES[s.profile],
        "body_name": BODIES[s.committee.body],
        "author": s.author,
        "say": s.say,
        "sources": s.sources,
        "facts": s.facts,
        "background": s.spec.background,
        "past_action": s.past_action,
        "all_facts": _unique(s.facts + s.past_action),
        "reference": {f.id: len(s.sources) + n for n, f in enumerate(_unique(s.facts + s.past_action), start=1)},
        "roster": s.delegations,
        "blocs": s.spec.blocs,
        "actors_by_id": s.actors,
        "preambulatory": s.preambulatory,
        "operative": s.operative,
        "session_positions": s.positions,
        "covered_ids": s.covered_ids,
        "slug": slug,
        "docx_layout": Layout(font=s.spec.rules.font_name if s.audience.typography.font == s.spec.rules.font
                              else FONTS[s.audience.typography.font],
                              size_pt=min(s.audience.typography.size_pt, 14), margin_mm=s.spec.rules.margin_mm,
                              page_size=s.spec.rules.page_size),
    }


def _unique(facts: list[BackgroundFact]) -> list[BackgroundFact]:
    seen: dict[str, BackgroundFact] = {}
    for fact in facts:
        seen.setdefault(fact.id, fact)
    return list(seen.values())


def select(project: Project, spec: MunSpec, audience: Audience) -> dict[str, Any]:
    """The chair's pack context (the kind's main document)."""
    s = shared(project, spec, audience)
    return _chair(s)


def _chair(s: Shared) -> dict[str, Any]:
    members: dict[str, list[str]] = {b.id: [] for b in s.spec.blocs}
    for d in s.delegations:
        if d.bloc in members:
            members[d.bloc].append(d.country)
    return {**_common(s, f"Chair’s pack: {s.spec.title}"), "members": members}


def documents(project: Project, spec: MunSpec, audience: Audience) -> list[Document]:
    """Per session: the chair's pack, the draft resolution, and per delegation a pack and a position paper.

    With ``--delegation`` only that delegation's pack and paper are made (the session-wide
    work is still done once).
    """
    if spec.audiences and audience.name not in spec.audiences:
        return []
    s = shared(project, spec, audience)
    folder = spec.name
    limit = spec.rules.page_limit if PROFILES[s.profile]["limit"] else None
    note = f"the {spec.rules.name} limit of {limit} page{'s' if limit != 1 else ''} for a position paper"
    only = spec._only
    out = [] if only else [
        Document(f"{folder}/chair", "mun/chair.html", _chair(s)),
        Document(f"{folder}/resolution", "mun/resolution.html", {**_common(s, f"Draft resolution: {spec.topic}")},
                 graded=False),  # a resolution is one long sentence by UN convention: no grade fits it
    ]
    for delegation in s.delegations:
        key = slug(delegation.country)
        if only and key != only:
            continue
        own = delegation_context(s, delegation)
        out.append(Document(f"{folder}/{key}", "mun/delegation.html", {**_common(s, f"{delegation.country}: delegation pack"), **own}))
        out.append(Document(f"{folder}/{key}-position-paper", "mun/position-paper.html",
                            {**_common(s, f"Position paper: {delegation.country}"), **own}, max_pages=limit, limit_note=note))
    return out


def configure(project: Project, spec: MunSpec, options: Mapping[str, str | None]) -> MunSpec | None:
    """Apply ``--session`` (build only this session) and ``--delegation`` (only this delegation's pack and paper)."""
    sessions = [d for d in project.documents.values() if isinstance(d, MunSpec)]
    wanted = options.get("session")
    if wanted:
        names = [d.name for d in sessions]
        if wanted not in names:
            raise MemoError([Problem(None, f"no session named '{wanted}'",
                                     hint=(suggest(wanted, names) or "") + f" sessions: {', '.join(names) or 'none'}")])
        if spec.name != wanted:
            return None
    delegation = options.get("delegation")
    if not delegation:
        return spec
    key = slug(delegation)
    pool = [d for d in sessions if not wanted or d.name == wanted]
    countries = {slug(d.country): d.country for session in pool for d in all_delegations(project, session)}
    if key not in countries:
        raise MemoError([Problem(None, f"no delegation named '{delegation}'" + (f" in session {wanted}" if wanted else ""),
                                 hint=(suggest(delegation, countries.values()) or "")
                                 + " name a delegation as the roster spells it, or its file name (united-states)")])
    if key not in {slug(d.country) for d in all_delegations(project, spec)}:
        return None
    chosen = spec.model_copy()
    chosen._only = key
    return chosen


SECTIONS = ("profile", "allies-rivals", "talking-points", "blocs", "position-paper", "clauses", "research")

KIND = register(
    Kind(
        name="mun",
        spec=MunSpec,
        template="mun/chair.html",
        sections=SECTIONS,
        select=select,
        description="A model-UN session: a pack and a position-paper draft per delegation, the chair's pack, a draft resolution.",
        documents=documents,
        formats=("docx",),
        verify=verify_session,
        options=(
            KindOption("session", "--session", "Model UN: build only the session with this name."),
            KindOption("delegation", "--delegation", "Model UN: build only this delegation's pack and position paper."),
        ),
        configure=configure,
    )
)
