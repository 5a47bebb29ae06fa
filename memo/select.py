"""Select stage: what an audience sees, in what order, in what register.

Positions are written once; here each audience's profile picks them (tags,
count, priority or source order) and trims them (claims, quotes, counters).
Kinds build on :func:`base_context`, which every document shares.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import Any

import textstat

from .errors import MemoError, Problem
from .models import Audience, Context, Evidence, Point, Position, Source
from .project import Project
from .text import normalise


def pick(audience: Audience, expert: str, plain: str | None) -> str:
    """The plain-language variant for plain-tone audiences, when one was written."""
    return plain if audience.tone == "plain" and plain else expert


def select_positions(project: Project, audience: Audience, wanted: Iterable[str] = ()) -> list[Position]:
    """The positions this audience sees, ordered and trimmed to its length limits."""
    chosen = [project.positions[i] for i in (list(wanted) or list(project.positions))]
    if audience.include_tags:
        chosen = [p for p in chosen if set(p.tags) & set(audience.include_tags)]
    chosen = [p for p in chosen if not set(p.tags) & set(audience.exclude_tags)]
    chosen.sort(key=lambda p: p.priority)  # the most important survive a cap…
    limits = audience.length
    if limits.max_positions:
        chosen = chosen[: limits.max_positions]
    if audience.order == "source":  # …then they follow the article's own sequence
        chosen.sort(key=lambda p: p.first_paragraph)
    return [_trim(p, audience) for p in chosen]


def _trim(position: Position, audience: Audience) -> Position:
    limits = audience.length
    claims = position.claims[: limits.claims_per_position or None]
    claims = [c.model_copy(update={"evidence": c.evidence[: limits.quotes_per_claim or None]}) for c in claims]
    return position.model_copy(update={"claims": claims, "counters": position.counters if limits.counters else []})


def trim_points(points: list[Point], audience: Audience, name: str | None = None) -> list[Point]:
    """Our points cut to the audience's cap for list ``name``, with or without their quotations."""
    cap = audience.length.limit(name) if name else audience.length.points
    kept = points[:cap] if cap is not None else points
    return kept if audience.length.point_quotes else [p.model_copy(update={"evidence": []}) for p in kept]


def cited_sources(project: Project, evidence: Iterable[Evidence]) -> list[Source]:
    ids = {e.source for e in evidence}
    return [s for s in project.sources.values() if s.id in ids]


def evidence_of(positions: Iterable[Position]) -> list[Evidence]:
    return [e for p in positions for e in p.all_evidence()]


def text_of(positions: Iterable[Position], audience: Audience) -> str:
    """Our framing text as this audience reads it, for glossary matching and readability."""
    parts: list[str] = []
    for p in positions:
        parts.append(pick(audience, p.thesis, p.plain))
        for c in p.claims:
            parts.extend([c.claim, c.warrant, c.impact])
    return " ".join(parts)


def reading_grade(text: str) -> float | None:
    """Flesch-Kincaid grade of our framing text (quotations excluded)."""
    return round(textstat.flesch_kincaid_grade(text), 1) if text.strip() else None


def edition_date(project: Project, sources: Iterable[Source], date: dt.date | None = None) -> tuple[dt.date, str]:
    """The printed date and where it came from: the spec, else the newest cited source, else
    ``SOURCE_DATE_EPOCH``. Never the build clock, so the same inputs give the same bytes."""
    if date:
        return date, "spec"
    dates = [s.meta.date for s in sources] or [s.meta.date for s in project.sources.values()]
    if dates:
        return max(dates), "source"
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date(), "SOURCE_DATE_EPOCH"
    raise MemoError([Problem(None, "this document has no date: no `date:` in its spec and no source to date it by",
                             hint="add `date: YYYY-MM-DD` to the document file, or set SOURCE_DATE_EPOCH")])


def base_context(project: Project, audience: Audience, positions: list[Position], framing: str,
                 extra_evidence: Iterable[Evidence] = (), date: dt.date | None = None) -> dict[str, Any]:
    """What every document kind shows besides its own sections: scaffolds, sources, metadata."""
    context: Context = project.context
    evidence = evidence_of(positions) + list(extra_evidence)
    quoted = " ".join(e.quote for e in evidence)
    ours = f"{framing} {text_of(positions, audience)}"
    everything = normalise(f"{ours} {quoted}").casefold()
    selected = {p.id for p in positions}
    actor_ids = [a for p in positions for a in p.actors]
    sources = cited_sources(project, evidence)
    date, date_origin = edition_date(project, sources, date)
    return {
        "project": project,
        "audience": audience,
        "date": date,
        "date_origin": date_origin,
        "positions": positions,
        "glossary": [g for g in context.glossary
                     if audience.glossary == "all" or normalise(g.term).casefold() in everything],
        "timeline": context.timeline,
        "actors": [a for a in context.actors if a.id in actor_ids],
        "questions": {
            stage: [q for q in context.questions if q.stage == stage and (not q.positions or set(q.positions) & selected)]
            for stage in ("before", "after", "discussion")
        },
        "sources": sources,
        "reading_grade": reading_grade(ours),
    }
