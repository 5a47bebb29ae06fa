"""Coverage: what each edition shows of the project, and what its audience's limits drop.

An editor tuning an audience profile needs to see the cost of each cap: which
source paragraphs, positions, claims, counters, risks and facts reach the
reader. The answer is read from the rendered HTML of every edition (the
words the reader gets), so it holds for any kind and any template.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .build import plan
from .kinds import KINDS
from .models import Evidence, walk
from .project import Project
from .render import make_environment, render_html
from .text import normalise, quote_in

_TAG = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"[*_`]")


@dataclass
class Part:
    """One kind of item: what the edition shows and what it drops, by label."""

    name: str
    shown: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def line(self) -> str:
        total = len(self.shown) + len(self.dropped)
        text = f"{self.name}: {len(self.shown)} of {total} shown"
        return text + (f"; dropped: {', '.join(self.dropped)}" if self.dropped else "")


@dataclass
class Edition:
    label: str
    parts: list[Part]

    def lines(self) -> list[str]:
        return [f"{self.label}:", *("  " + part.line() for part in self.parts)]


def page_text(html: str) -> str:
    """The words of a rendered page, normalised for matching (tags, entities, quote and dash variants folded)."""
    body = html.split("<main", 1)[-1]
    return normalise(htmllib.unescape(_TAG.sub(" ", body)))


def _shows(text: str, page: str) -> bool:
    """True when the start of a framing text appears on the page (Markdown marks and typography folded)."""
    words = normalise(_MARKUP.sub("", str(text))).split()[:10]
    return bool(words) and " ".join(words).casefold() in page.casefold()


def _quoted(evidence: Iterable[Evidence], page: str) -> bool:
    return any(quote_in(e.quote, page) for e in evidence)


def edition_coverage(project: Project, spec: object, html: str) -> list[Part]:
    """What one rendered edition shows of the sources, positions, claims, counters, risks and facts."""
    page = page_text(html)
    parts = []
    everything = [e for _, model in project.owned_models() for _, e in walk(model) if isinstance(e, Evidence)]
    for source in project.sources.values():
        quoted = {e.paragraph for e in everything if e.source == source.id and quote_in(e.quote, page)}
        part = Part(f"{source.id} paragraphs")
        for ref in range(1, len(source.paragraphs) + 1):
            (part.shown if ref in quoted else part.dropped).append(source.locate(ref) if hasattr(source, "locate") else f"¶{ref}")
        parts.append(part)
    wanted = list(getattr(spec, "positions", []) or project.positions)
    positions, claims, counters = Part("positions"), Part("claims"), Part("counters")
    for pid in wanted:
        position = project.positions[pid]
        (positions.shown if f'id="{pid}"' in html or _shows(position.title, page) else positions.dropped).append(pid)
        for claim in position.claims:
            seen = _shows(claim.claim, page) or _quoted(claim.evidence, page)
            (claims.shown if seen else claims.dropped).append(f"{pid}.{claim.id}")
        for counter in position.counters:
            (counters.shown if _shows(counter.counter, page) else counters.dropped).append(f"{pid}.{counter.id}")
    parts += [positions, claims, counters]
    risks = Part("risks")
    for index, point in enumerate(getattr(spec, "risks", []) or []):
        (risks.shown if _shows(point.text, page) else risks.dropped).append(f"risks[{index}]")
    facts = Part("facts")
    by_id = {f.id: f for f in project.context.background}
    named = list(dict.fromkeys([*getattr(spec, "facts", []), *(i for o in getattr(spec, "options", []) for i in getattr(o, "facts", []))]))
    for fid in named:
        if fid in by_id:
            (facts.shown if _shows(by_id[fid].fact, page) or _shows(by_id[fid].source, page) else facts.dropped).append(fid)
    parts += [p for p in (risks, facts) if p.shown or p.dropped]
    return parts


def coverage(project: Project, audiences: Sequence[str] = (), kinds: Sequence[str] = ()) -> list[Edition]:
    """Every edition's coverage, in build order."""
    env = make_environment(project)
    found = []
    for job in plan(project, audiences, kinds):
        kind = KINDS[job.kind]
        for document in kind.outputs(project, job.spec, project.audiences[job.audience]):
            context = {**document.context, "kind": kind.name, "version": ""}
            html = render_html(env, document.template, context)
            found.append(Edition(f"{job.audience}/{kind.name}/{document.name}", edition_coverage(project, job.spec, html)))
    return found
