"""Select stage: what an audience sees, in what order, in what register.

Positions are written once; here each audience's profile picks them (tags,
count, priority or source order) and trims them (claims, quotes, counters).
Kinds build on :func:`base_context`, which every document shares.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from .errors import MemoError, Problem
from .models import (
    Audience,
    BackgroundFact,
    Context,
    Evidence,
    GlossaryEntry,
    Point,
    Position,
    PublishedEvent,
    Source,
    TimelineEvent,
    walk,
)
from .project import Project
from .text import normalise
from .voice import framing_texts

M = TypeVar("M", bound=BaseModel)


def pick(audience: Audience, expert: str, plain: str | None) -> str:
    """The plain-language variant for plain-tone audiences, when one was written."""
    return plain if audience.tone == "plain" and plain else expert


def select_positions(project: Project, audience: Audience, wanted: Iterable[str] = (), spine: Iterable[str] = ()) -> list[Position]:
    """The positions this audience sees, ordered and trimmed to its length limits.

    Spine positions (the document's argument) are always kept: tags and caps
    choose among the rest (``memo check`` reports a profile that would drop one).
    """
    chosen = [project.positions[i] for i in (list(wanted) or list(project.positions))]
    keep = {i for i in spine if i in project.positions}
    chosen += [project.positions[i] for i in spine if i in keep and project.positions[i] not in chosen]
    if audience.include_tags:
        chosen = [p for p in chosen if p.id in keep or set(p.tags) & set(audience.include_tags)]
    chosen = [p for p in chosen if p.id in keep or not set(p.tags) & set(audience.exclude_tags)]
    chosen.sort(key=lambda p: (p.id not in keep, p.priority))  # the spine, then the most important, survive a cap…
    limits = audience.length
    if limits.max_positions:
        chosen = chosen[: max(limits.max_positions, len(keep))]
    if audience.order == "source":  # …then they follow the article's own sequence
        chosen.sort(key=lambda p: p.home_order)
    return [_trim(p, audience) for p in chosen]


def _trim(position: Position, audience: Audience) -> Position:
    """Claims capped with the lead claim kept first (shown in the position's own order), quotes capped."""
    limits = audience.length
    claims = position.claims
    if limits.claims_per_position:
        lead = position.lead_claim
        kept = {c.id for c in [lead, *(c for c in claims if c is not lead)][: limits.claims_per_position]}
        claims = [c for c in claims if c.id in kept]
    claims = [c.model_copy(update={"evidence": c.evidence[: limits.quotes_per_claim or None]}) for c in claims]
    budget = limits.items.get("quotes")  # quotations per position, across its claims
    if budget is not None:
        trimmed = []
        for c in claims:
            trimmed.append(c.model_copy(update={"evidence": c.evidence[:budget]}))
            budget = max(0, budget - len(c.evidence))
        claims = trimmed
    counters = position.counters[: limits.items.get("counters")] if limits.counters else []
    return position.model_copy(update={"claims": claims, "counters": counters})


def once(blocks: Sequence[Any], seen: set[tuple[str | None, int | str, str]] | None = None) -> list[Any]:
    """``blocks`` in reading order with every quotation shown only where it first appears.

    A quotation repeats when its words are inside one already shown from the
    same paragraph, or hold one; later copies are dropped from the models (copies, the
    project is untouched). Pass one ``seen`` set through a whole document.
    """
    seen = set() if seen is None else seen
    return [_drop_seen(block, seen) for block in blocks]


def _drop_seen(value: Any, seen: set[tuple[str | None, int | str, str]]) -> Any:
    if isinstance(value, list):
        kept = []
        for item in value:
            if isinstance(item, Evidence):
                key = (item.source, item.paragraph, normalise(item.quote).casefold())
                if any(s[:2] == key[:2] and (key[2] in s[2] or s[2] in key[2]) for s in seen):
                    continue
                seen.add(key)
                kept.append(item)
            else:
                kept.append(_drop_seen(item, seen))
        return kept
    if isinstance(value, BaseModel):
        update = {name: _drop_seen(getattr(value, name), seen) for name in type(value).model_fields
                  if isinstance(getattr(value, name), (list, BaseModel))}
        return value.model_copy(update=update)
    return value


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


def uses_term(term: str, text: str) -> bool:
    """True when ``term`` (or its plural) stands as a word in ``text``, case-insensitively."""
    pattern = r"(?<!\w)" + re.escape(normalise(term).casefold()) + r"(?:e?s)?(?!\w)"
    return re.search(pattern, text) is not None


def glossary_for(entries: Iterable[GlossaryEntry], audience: Audience, text: str) -> list[GlossaryEntry]:
    """The glossary an edition prints: every entry, or each term its shown text uses (in alphabetical order)."""
    folded = re.sub(r"[_*]+", " ", normalise(text)).casefold()  # _term_ (a foreign word, italic) is still the term
    chosen = [g for g in entries if audience.glossary == "all" or uses_term(g.term, folded)]
    return sorted(chosen, key=lambda g: normalise(g.term).casefold())


def shown_text(*items: Any) -> str:
    """All framing and quoted words under ``items`` (models, strings, lists of them): what a reader of them sees."""
    parts: list[str] = []
    for item in items:
        if isinstance(item, str):
            parts.append(item)
            continue
        if isinstance(item, list):
            parts.append(shown_text(*item))
            continue
        parts.extend(framing_texts(item))
        for _, inner in walk(item):
            for name in ("quote", "fact", "event", "title"):
                value = getattr(inner, name, None)
                if isinstance(value, str):
                    parts.append(value)
    return " ".join(parts)


def source_date(sources: Iterable[Source]) -> dt.date | None:
    """The date after which facts count as "since": the latest of the document's sources."""
    return max((s.meta.date for s in sources), default=None)


def since(facts: Iterable[BackgroundFact], after: dt.date | None) -> list[BackgroundFact]:
    """Facts dated after ``after`` (what has happened since the article), oldest first."""
    if after is None:
        return []
    return sorted((f for f in facts if f.start is not None and f.start > after), key=lambda f: f.start or after)


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def age_note(sources: Iterable[Source], edition: dt.date) -> str | None:
    """ "This article was published on 7 May 2021, five years before this edition." when a source is over a year old."""
    notes = []
    for source in sources:
        published = source.meta.date
        years = edition.year - published.year - ((edition.month, edition.day) < (published.month, published.day))
        if (edition - published).days > 365:
            count = _WORDS[years] if years < len(_WORDS) else str(years)
            notes.append(f"“{source.meta.title}” was published on {published.day} {published:%B %Y}, "
                         f"{count} year{'s' if years != 1 else ''} before this edition; see what has happened since.")
    return " ".join(notes) or None


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
                "december")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_WORDED_DATE = re.compile(r"(?:(\d{1,2}) )?([a-z]+) (\d{4})")


def date_key(text: str) -> tuple[int, int, int] | None:
    """A timeline date as (year, month, day), 0 where the date is less precise; None for "early 2000s" and the like."""
    text = " ".join(text.casefold().replace(",", " ").split())
    if found := _ISO_DATE.fullmatch(text):
        return int(found[1]), int(found[2] or 0), int(found[3] or 0)
    if (found := _WORDED_DATE.fullmatch(text)) and found[2] in _MONTH_NAMES:
        return int(found[3]), _MONTH_NAMES.index(found[2]) + 1, int(found[1] or 0)
    return None


def with_publication(events: Sequence[TimelineEvent], sources: Sequence[Source], single: bool = True) -> list[TimelineEvent]:
    """The timeline with each source's own publication on it, at its place in time.

    The date is one the source's metadata carries and its text need not: without it a timeline could not
    show when the source itself appeared. An event the project already dates to that day, citing that source
    (or citing no source, when ``single``: the project has one), stands for it and nothing is added.
    """
    timeline = list(events)
    for source in sources:
        published = source.meta.date
        day = (published.year, published.month, published.day)
        if any(not isinstance(e, PublishedEvent) and e.evidence is not None and date_key(e.date) == day
               and (e.evidence.source == source.id or (e.evidence.source is None and single)) for e in timeline):
            continue
        event = PublishedEvent(date=f"{published.day} {published:%B %Y}", event=f"“{source.meta.title}” is published.",
                               source=source.id, cited=f"{source.meta.short_cite}, {source.meta.publisher}")
        earlier = [i for i, e in enumerate(timeline) if (key := date_key(e.date)) is not None and key <= day]
        timeline.insert(earlier[-1] + 1 if earlier else 0, event)
    return timeline


def timeline_with_outcomes(timeline: Iterable[TimelineEvent], facts: Iterable[BackgroundFact]) -> list[dict[str, Any]]:
    """Timeline rows, each forecast with the facts that supersede it."""
    facts = list(facts)
    return [{"event": t, "outcomes": [f for f in facts if t.id and t.id in f.supersedes]} for t in timeline]


def reading_grade(text: str) -> float | None:
    """Flesch-Kincaid grade of our framing text (quotations excluded)."""
    import textstat  # slow to import; only builds need it

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
                 extra_evidence: Iterable[Evidence] = (), date: dt.date | None = None, shown: str = "") -> dict[str, Any]:
    """What every document kind shows besides its own sections: scaffolds, sources, metadata.

    ``shown`` is all the text the document prints (framing, quotations, options, facts…) when the kind knows it: its
    glossary then covers every term it uses, and no term it does not.
    """
    context: Context = project.context
    evidence = evidence_of(positions) + list(extra_evidence)
    quoted = " ".join(e.quote for e in evidence)
    ours = f"{framing} {text_of(positions, audience)}"
    everything = normalise(shown or f"{ours} {quoted}").casefold()
    selected = {p.id for p in positions}
    actor_ids = [a for p in positions for a in p.actors]
    sources = cited_sources(project, evidence)
    date, date_origin = edition_date(project, sources, date)
    timeline = with_publication(context.timeline, sources or list(project.sources.values()), len(project.sources) == 1)
    return {
        "project": project,
        "audience": audience,
        "date": date,
        "date_origin": date_origin,
        "positions": positions,
        "glossary": glossary_for(context.glossary, audience, everything),
        "timeline": timeline,
        "timeline_rows": timeline_with_outcomes(timeline, context.background),
        "age_note": age_note(sources, date),
        "actors": [a for a in context.actors if a.id in actor_ids],
        "questions": {
            stage: [q for q in context.questions if q.stage == stage and (not q.positions or set(q.positions) & selected)]
            for stage in ("before", "after", "discussion")
        },
        "sources": sources,
        "reading_grade": reading_grade(ours),
    }
