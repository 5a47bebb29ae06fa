"""The reading copy: a source as printed for a class, so every ¶ citation can be followed on paper.

Paragraph numbers stand in the margin (the same numbers the memo cites), key
points are labelled k1, k2…, glossary terms are glossed in footnotes at
their first use, and the lines are spaced to leave room to annotate. One is
made for every source that has no reader spec of its own (``Kind.implicit``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from ..figures import TimelineItem, timeline_items
from ..models import Audience, DocumentSpec, GlossaryEntry, Id, Source
from ..project import Project
from ..select import base_context, with_publication
from . import Kind, register


class ReaderSpec(DocumentSpec):
    """A reading copy of one source (made automatically for every source; a file may set its title or date)."""

    kind: Literal["reader"] = "reader"
    source: Id = Field(json_schema_extra={"ref": "sources"}, description="The source to print.")
    glosses: Literal["footnotes", "none"] = Field("footnotes", description="Glossary terms glossed in footnotes at first use.")


@dataclass(frozen=True)
class Segment:
    """A run of the source's text; ``gloss`` is set on the first use of a glossary term."""

    text: str
    gloss: GlossaryEntry | None = None


@dataclass(frozen=True)
class Passage:
    ref: str  # "k1" or "12"
    segments: list[Segment]
    label: str = ""  # the margin label in the source's locator style: ¶12, Art. VI(2), k1
    heading: str | None = None  # the title of a section that starts here
    level: int = 2


def implicit(project: Project) -> list[DocumentSpec]:
    """A reader for every source that no reader file covers."""
    covered = {getattr(s, "source", None) for s in project.documents.values() if s.kind == "reader"}
    return [ReaderSpec(name=f"{source.id}-reader", title=source.meta.title, source=source.id)
            for source in project.sources.values() if source.id not in covered]


def _term_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?:e?s)?(?!\w)", re.IGNORECASE)  # a plural counts as a use


def glossed(source: Source, entries: list[GlossaryEntry]) -> tuple[list[Passage], list[Passage]]:
    """Key points and paragraphs split into segments, each glossary term glossed once, at its first use.

    A term is looked for first in the paragraph its entry cites, else from the start of the text.
    """
    refs: list[int | str] = source.refs()
    texts = {str(ref): source.passage(ref) or "" for ref in refs}
    spans: dict[str, list[tuple[int, int, GlossaryEntry]]] = {str(ref): [] for ref in refs}
    for entry in entries:
        pattern = _term_pattern(entry.term)
        order = [str(entry.paragraph)] if entry.paragraph is not None else []
        order += [str(ref) for ref in refs if str(ref) not in order]
        for ref in order:
            taken = spans.get(ref)
            if taken is None:
                continue
            match = next((m for m in pattern.finditer(texts[ref])
                          if not any(m.start() < end and start < m.end() for start, end, _ in taken)), None)
            if match:
                taken.append((match.start(), match.end(), entry))
                break
    passages: list[Passage] = []
    for ref in refs:
        key = str(ref)
        text, segments, at = texts[key], [], 0
        for start, end, entry in sorted(spans[key], key=lambda s: s[0]):
            if start > at:
                segments.append(Segment(text[at:start]))
            segments.append(Segment(text[start:end], entry))
            at = end
        if at < len(text):
            segments.append(Segment(text[at:]))
        if isinstance(ref, int):
            section = source.section_of(ref)
            starts = section is not None and section.first == ref
            passages.append(Passage(key, segments, source.locate(ref), section.title if starts else None,
                                    min(max(section.level + 1, 2), 4) if starts else 2))
        else:
            passages.append(Passage(key, segments, key))
    keys = [p for p in passages if p.ref.startswith("k")]
    body = [p for p in passages if not p.ref.startswith("k")]
    return keys, body


STRIP = 5  # events per strip: the reading copy's column is narrow, so a long timeline is set as several strips


def _strips(items: list[TimelineItem]) -> list[list[TimelineItem]]:
    count = -(-len(items) // STRIP)
    size = -(-len(items) // count) if count else STRIP  # balanced: 13 events make strips of 5, 4 and 4
    return [items[i:i + size] for i in range(0, len(items), size)]


def select(project: Project, spec: ReaderSpec, audience: Audience) -> dict[str, Any]:
    """The source's text, split for glosses, with its citation."""
    source = project.sources[spec.source]
    entries = [g for g in project.context.glossary if g.source in (None, source.id)] if spec.glosses == "footnotes" else []
    if len(project.sources) > 1:
        entries = [g for g in entries if g.source == source.id]
    key_points, paragraphs = glossed(source, entries)
    single = len(project.sources) == 1
    events = with_publication([t for t in project.context.timeline if (t.evidence.source or (source.id if single else None)) == source.id],
                              [source], single)
    context = base_context(project, audience, [], framing="", date=spec.date)
    context.update(
        spec=spec,
        title=spec.title,
        source=source,
        sources=[source],
        key_points=key_points,
        paragraphs=paragraphs,
        timeline_strips=_strips(timeline_items(events, project.context.background, brief=True)),
        glossed_count=sum(1 for p in key_points + paragraphs for s in p.segments if s.gloss),
        reading_grade=None,
    )
    return context


KIND = register(
    Kind(
        name="reader",
        spec=ReaderSpec,
        template="reader/document.html",
        sections=(),
        select=select,
        implicit=implicit,
        description="A reading copy of each source: numbered paragraphs in the margin, key points k1…, glossary footnotes, "
                    "room to annotate.",
    )
)
