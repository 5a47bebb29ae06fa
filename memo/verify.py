"""Verify stage: every quotation is in its source at its paragraph; every id resolves.

Matching itself lives in :mod:`memo.text`. When a quote fails, the nearest
passage in the sources is shown.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz

from .errors import Problem
from .models import Audience, BackgroundFact, Evidence, GlossaryEntry, Source, walk
from .project import Project
from .text import fold, normalise, quote_in, quote_parts
from .yamlfile import YamlDoc, dotted


@dataclass(frozen=True)
class Nearest:
    ref: int | str
    passage: str
    score: float


def nearest(quote: str, source: Source) -> Nearest | None:
    """The passage of ``source`` most like ``quote``, trimmed to whole words."""
    best: Nearest | None = None
    target = fold(max(quote_parts(quote) or [quote], key=len))
    for ref in source.refs():
        text = source.passage(ref) or ""
        hit = fuzz.partial_ratio_alignment(target, fold(text))
        if hit is None:
            continue
        start, end = hit.dest_start, hit.dest_end
        if len(target) > len(text):
            start, end = 0, len(text)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        if best is None or hit.score > best.score:
            best = Nearest(ref, text[start:end].strip(), hit.score)
    return best


def word_changes(quote: str, passage: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` word-level differences, e.g. ``'cooperate' where the source has 'collaborate'``."""
    ours, theirs = normalise(quote).split(), normalise(passage).split()
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
        if tag == "replace":
            changes.append(f"'{' '.join(ours[i1:i2])}' where the source has '{' '.join(theirs[j1:j2])}'")
        elif tag == "delete":
            changes.append(f"'{' '.join(ours[i1:i2])}' is not in the source")
        elif tag == "insert" and 0 < i1 < len(ours):
            changes.append(f"the source has '{' '.join(theirs[j1:j2])}' here")
    return changes[:limit]


def _ref_text(ref: int | str) -> str:
    return f"key point {ref[1:]}" if isinstance(ref, str) else f"paragraph {ref}"


def verify(project: Project) -> list[Problem]:
    """Every problem with quotations and references in a loaded project."""
    problems: list[Problem] = []
    collections = _collections(project)
    for path, model in project.owned_models():
        problem = _Reporter(path, project.files.get(path), problems)
        local = {"options": {o.id for o in getattr(model, "options", [])}}
        for loc, item in walk(model):
            _check_refs(item, loc, {**collections, **local}, problem)
            if isinstance(item, Evidence):
                _check_quote(project, item, loc, problem)
            elif not isinstance(item, BackgroundFact):
                _check_inline_quotes(project, item, loc, problem)
            elif isinstance(item, GlossaryEntry) and item.paragraph is not None:
                _check_term(project, item, loc, problem)
    from .kinds import KINDS

    for spec in project.documents.values():
        kind = KINDS.get(spec.kind)
        if kind is not None and kind.verify is not None:
            problems.extend(kind.verify(project, spec))
    for audience in project.audiences.values():
        _check_sections(project, audience, _Reporter(audience._origin, project.files.get(audience._origin), problems))
    return problems


def _check_sections(project: Project, audience: Audience, problem: _Reporter) -> None:
    """Each audience orders only sections its document kinds have."""
    from .kinds import KINDS

    for kind, sections in audience.sections.items():
        if kind not in KINDS:
            problem(("sections", kind), f"no document kind named '{kind}'", hint=f"kinds: {', '.join(KINDS)}")
            continue
        for index, section in enumerate(sections):
            if section not in KINDS[kind].sections:
                near = difflib.get_close_matches(section, KINDS[kind].sections, n=1)
                problem(("sections", kind, index), f"'{section}' is not a section of a {kind}",
                        hint=(f"did you mean '{near[0]}'? " if near else "") + "sections: " + ", ".join(KINDS[kind].sections))


@dataclass
class _Reporter:
    """Adds a problem located at a key path of one file."""

    path: Path
    doc: YamlDoc | None
    problems: list[Problem]

    def __call__(self, loc: tuple[str | int, ...], message: str, hint: str | None = None, detail: str | None = None) -> None:
        line, column, _ = self.doc.position(loc) if self.doc else (None, None, ())
        self.problems.append(Problem(self.path, message, line=line, column=column, field=dotted(loc) or None, hint=hint, detail=detail))


def _collections(project: Project) -> dict[str, set[str]]:
    return {
        "sources": set(project.sources),
        "positions": set(project.positions),
        "actors": {a.id for a in project.context.actors},
        "background": {b.id for b in project.context.background},
    }


def _check_refs(item: BaseModel, loc: tuple[str | int, ...], known: dict[str, set[str]], problem: Any) -> None:
    for name, field in type(item).model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        target = extra.get("ref")
        if not target:
            continue
        value = getattr(item, name)
        ids = [value] if isinstance(value, str) else list(value or [])
        key = field.alias or name
        for index, ref in enumerate(ids):
            if ref in known[str(target)]:
                continue
            where = loc + (key,) + ((index,) if isinstance(value, list) else (ref,) if isinstance(value, dict) else ())
            near = difflib.get_close_matches(ref, known[str(target)], n=1, cutoff=0.6)
            problem(where, f"'{ref}' names no {str(target).rstrip('s')} in this project",
                    hint=(f"did you mean '{near[0]}'? " if near else "") + f"known: {', '.join(sorted(known[str(target)])) or 'none'}")


def _check_quote(project: Project, evidence: Evidence, loc: tuple[str | int, ...], problem: Any) -> None:
    source = project.sources.get(evidence.source or "")
    if source is None:
        return  # reported as a dangling reference
    here = (*loc, "quote")
    if not quote_parts(evidence.quote):
        problem(here, "the quotation is empty", hint="copy the words from the source")
        return
    passage = source.passage(evidence.paragraph)
    if passage is None:
        count = f"{len(source.paragraphs)} paragraphs and {len(source.key_points)} key points"
        problem((*loc, "paragraph"), f"{source.id} has no {_ref_text(evidence.paragraph)}", hint=f"it has {count}")
        return
    if quote_in(evidence.quote, passage):
        return
    elsewhere = [ref for ref in source.refs() if quote_in(evidence.quote, source.passage(ref) or "")]
    if elsewhere:
        problem((*loc, "paragraph"), f"the quotation is in {_ref_text(elsewhere[0])} of {source.id}, not {_ref_text(evidence.paragraph)}",
                hint=f"set paragraph: {elsewhere[0]}")
        return
    near = nearest(evidence.quote, source)
    detail = None
    hint = "copy the words exactly; mark a cut with …"
    if near is not None:
        detail = f"nearest passage ({_ref_text(near.ref)}): “{near.passage}”"
        changes = word_changes(max(quote_parts(evidence.quote), key=len), near.passage)
        if changes:
            hint = "; ".join(changes)
    problem(here, f"quotation not found in {source.id} {_ref_text(evidence.paragraph)}", hint=hint, detail=detail)


_INLINE_QUOTE = re.compile(r'[“"]([^“”"]+)[”"]')


def _check_inline_quotes(project: Project, item: BaseModel, loc: tuple[str | int, ...], problem: _Reporter) -> None:
    """Words in double quotation marks inside our own framing must be the source's words too.

    House style: “double quotes” quote a source; ‘single quotes’ mark a term, a
    translation or a paraphrase. Background facts are exempt: they cite their own source.
    """
    for name, field in type(item).model_fields.items():
        value = getattr(item, name)
        if not isinstance(value, str):
            continue
        for words in _INLINE_QUOTE.findall(value):
            if len(words.split()) < 2 or any(quote_in(words, p) for s in project.sources.values() for p in (*s.key_points, *s.paragraphs)):
                continue
            near = [n for s in project.sources.values() if (n := nearest(words, s)) is not None]
            best = max(near, key=lambda n: n.score, default=None)
            problem((*loc, field.alias or name), f"“{words}” is in quotation marks but is not in the source",
                    detail=f"nearest passage ({_ref_text(best.ref)}): “{best.passage}”" if best else None,
                    hint="quote the source exactly, or use single quotes ‘…’ for a term, translation or paraphrase")


def _check_term(project: Project, entry: GlossaryEntry, loc: tuple[str | int, ...], problem: Any) -> None:
    source = project.sources.get(entry.source or "")
    passage = source.passage(entry.paragraph) if source and entry.paragraph is not None else None
    if source is None:
        return
    if passage is None:
        problem((*loc, "paragraph"), f"{source.id} has no {_ref_text(entry.paragraph)}")
    elif normalise(entry.term) not in normalise(passage):
        found = [ref for ref in source.refs() if normalise(entry.term) in normalise(source.passage(ref) or "")]
        problem((*loc, "term"), f"'{entry.term}' does not appear in {_ref_text(entry.paragraph)}",
                hint=f"it appears in {_ref_text(found[0])}" if found else "spell the term as the source does")
