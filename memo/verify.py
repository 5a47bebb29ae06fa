"""Verify stage: every quotation is in its source at its paragraph; every id resolves.

Matching itself lives in :mod:`memo.text`. When a quote fails, the nearest
passage in the sources is shown.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz

from .errors import Problem, relative
from .models import AUTHOR, OURS, Audience, BackgroundFact, Counter, DocumentSpec, Evidence, GlossaryEntry, Source, Voiced, walk
from .project import Project
from .text import fold, match_quote, nfc, normalise, quote_in, quote_parts
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
        text = nfc(source.passage(ref) or "")
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
            mine, source = " ".join(ours[i1:i2]), " ".join(theirs[j1:j2])
            changes.append(_lookalike(mine, source) or f"'{mine}' where the source has '{source}'")
        elif tag == "delete":
            changes.append(f"'{' '.join(ours[i1:i2])}' is not in the source")
        elif tag == "insert" and 0 < i1 < len(ours):
            changes.append(f"the source has '{' '.join(theirs[j1:j2])}' here")
    return changes[:limit]


def _lookalike(mine: str, source: str) -> str | None:
    """Name the characters that differ when two words would print alike (a hint must never show 'x' vs 'x')."""
    if _skeleton(mine) != _skeleton(source):
        return None
    matcher = difflib.SequenceMatcher(None, mine, source, autojunk=False)
    ours = [c for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for c in mine[i1:i2]]
    theirs = [c for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal" for c in source[j1:j2]]
    if not ours and not theirs:
        return None

    def names(chars: list[str]) -> str:
        return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in chars[:3]) or "nothing"

    return f"'{mine}' looks like the source's word but differs in a hidden or look-alike character: {names(ours)} " \
           f"where the source has {names(theirs)}; retype the word"


# Cyrillic and Greek letters that print like Latin ones.
_CONFUSABLES = str.maketrans("аеорсухАВЕКМНОРСТХіјѕοαΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "aeopcyxABEKMHOPCTXijsoaABEZHIKMNOPTYX")


def _skeleton(word: str) -> str:
    """How a word prints: compatibility forms folded, look-alike letters mapped, invisible characters gone."""
    visible = "".join(c for c in word if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", visible).translate(_CONFUSABLES)


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
            _check_voices(item, loc, collections["actors"], problem)
            if isinstance(item, Evidence):
                _check_quote(project, item, loc, problem)
                continue
            if isinstance(item, GlossaryEntry) and item.paragraph is not None:
                _check_term(project, item, loc, problem)
            if isinstance(item, Counter):
                _check_counter(item, loc, problem)
            if not isinstance(item, BackgroundFact):
                _check_inline_quotes(project, item, loc, problem)
    _run_kind_checks(project, "verify", problems)
    for audience in project.audiences.values():
        _check_sections(project, audience, _Reporter(audience._origin, project.files.get(audience._origin), problems))
    for spec in project.documents.values():
        _check_spine(project, spec, problems)
    for position in project.positions.values():
        _check_relations(position, _Reporter(position._origin, project.files.get(position._origin), problems))
    return problems


def review(project: Project) -> list[Problem]:
    """Warnings the document kinds raise (fairness, balance): worth reading, never fatal."""
    warnings: list[Problem] = []
    _run_kind_checks(project, "review", warnings)
    return warnings


def _run_kind_checks(project: Project, hook: str, found: list[Problem]) -> None:
    from .kinds import KINDS

    for spec in project.documents.values():
        checker = getattr(KINDS[spec.kind], hook)
        if checker is not None and spec._origin is not None:
            checker(project, spec, _Reporter(spec._origin, project.files.get(spec._origin), found))


def _check_relations(position: Any, problem: _Reporter) -> None:
    """A position may not support or attack itself, nor both support and attack another."""
    for relation in ("supports", "attacks"):
        for index, target in enumerate(getattr(position, relation)):
            if target == position.id:
                problem((relation, index), f"the position {relation.removesuffix('s')}s itself",
                        hint=f"remove '{target}' from {relation}")
    for index, target in enumerate(position.attacks):
        if target in position.supports and target != position.id:
            problem(("attacks", index), f"'{target}' is both supported and attacked by this position",
                    hint="keep it in supports or in attacks, not both")


def deprecations(project: Project) -> list[str]:
    """Old keys that still load but should be rewritten, each located (printed as warnings, never fatal)."""
    found = []
    for audience in project.audiences.values():
        if audience.length.points is not None and audience._origin is not None:
            doc = project.files.get(audience._origin)
            line = doc.position(("length", "points"))[0] if doc else None
            where = relative(audience._origin, project.root) + (f":{line}" if line else "")
            found.append(f"{where}: length.points is deprecated; write per-list caps in length.items "
                         f"(e.g. `items: {{summary: 5, risks: 3}}`); points still caps every list without its own entry")
    return found


def _check_voices(item: BaseModel, loc: tuple[str | int, ...], actors: set[str], problem: _Reporter) -> None:
    """A `by:` voice is the author, ours, or a person the project knows (context/actors)."""
    for name, field in type(item).model_fields.items():
        value = getattr(item, name)
        by = value.by if isinstance(value, Voiced) else None
        if by is None or by in (AUTHOR, OURS) or by in actors:
            continue
        near = difflib.get_close_matches(by, [AUTHOR, OURS, *actors], n=1, cutoff=0.6)
        problem((*loc, field.alias or name, "by"), f"'{by}' is not a voice: neither `author`, `ours` nor an actor id",
                hint=(f"did you mean '{near[0]}'? " if near else "")
                + "add the person to context/actors, or write `by: author` / `by: ours`")


def _check_counter(counter: Counter, loc: tuple[str | int, ...], problem: _Reporter) -> None:
    """A concession is quoted where the source makes it; a response is the source's (quoted) or marked ours."""
    if counter.conceded and not counter.evidence:
        problem((*loc, "conceded"), f"counter '{counter.id}' is marked conceded but quotes no concession",
                hint="add `evidence:` with the words where the author concedes it, or set `conceded: false` "
                     "(a conclusion he rejects is an objection, not a concession)")
    if not counter.response_evidence and counter.response.by != OURS:
        problem((*loc, "response"), f"the response to '{counter.id}' is given as the author's answer but quotes nothing",
                hint="add `response_evidence:` quoting where he answers it, or write the response as "
                     "`{text: …, by: ours}` when the answer is our analysis")


def _check_spine(project: Project, spec: DocumentSpec, problems: list[Problem]) -> None:
    """No audience's tags or caps may drop a position the document names as its spine."""
    if not spec.spine or spec._origin is None:
        return
    doc = project.files.get(spec._origin)
    spine_at = _Reporter(spec._origin, doc, problems)

    def entry(index: int) -> str:
        line = doc.position(("spine", index))[0] if doc else None
        return f"spine entry '{spec.spine[index]}' at {relative(spec._origin, project.root)}" + (f":{line}" if line else "")

    for index, pid in enumerate(spec.spine):
        if spec.positions and pid in project.positions and pid not in spec.positions:
            spine_at(("spine", index), f"spine position '{pid}' is not among the document's positions",
                     hint="add it to `positions:`, or leave `positions:` empty to draw on all")
    for audience in project.audiences.values():
        at = _Reporter(audience._origin, project.files.get(audience._origin), problems)
        for index, pid in enumerate(spec.spine):
            position = project.positions.get(pid)
            if position is None:
                continue
            if audience.include_tags and not set(position.tags) & set(audience.include_tags):
                at(("include_tags",), f"audience '{audience.name}' would drop spine position '{pid}' of {spec.name}: "
                   "it has none of the included tags", detail=entry(index),
                   hint=f"tag the position with one of {', '.join(audience.include_tags)}, or widen include_tags")
            hit = sorted(set(position.tags) & set(audience.exclude_tags))
            if hit:
                at(("exclude_tags",), f"audience '{audience.name}' would drop spine position '{pid}' of {spec.name}: "
                   f"it is tagged {', '.join(hit)}", detail=entry(index), hint="remove the tag from exclude_tags or from the position")
        cap = audience.length.max_positions
        if cap is not None and cap < len(spec.spine):
            at(("length", "max_positions"), f"audience '{audience.name}' shows at most {cap} positions, but {spec.name} "
               f"has {len(spec.spine)} spine positions", detail=entry(cap),
               hint=f"raise max_positions to at least {len(spec.spine)}, or shorten the spine")


def _check_sections(project: Project, audience: Audience, problem: _Reporter) -> None:
    """Each audience orders only sections its document kinds have."""
    from .kinds import KINDS

    for kind, sections in audience.sections.items():
        if kind not in KINDS:
            problem(("sections", kind), f"no document kind named '{kind}'", hint=f"kinds: {', '.join(KINDS)}")
            continue
        if not sections:
            problem(("sections", kind), f"the {kind} has no sections: it would build an empty document",
                    hint=f"list the sections in order (sections: {', '.join(KINDS[kind].sections)}), or remove `{kind}:` "
                         "to use the default")
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
        "timeline": {t.id for t in project.context.timeline if t.id},
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
    match = match_quote(evidence.quote, passage)
    if match.found:
        return
    if match.dropped:
        problem(here, f"the cut (…) in this quotation leaves out '{match.dropped}', which turns the source's sense around",
                detail=f"left out of {_ref_text(evidence.paragraph)}: “… {match.gap} …”",
                hint=f"keep '{match.dropped}' in the quotation, or quote the parts as separate quotations")
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
        problem((*loc, "paragraph"), f"{source.id} has no {_ref_text(entry.paragraph)}",
                hint=f"it has {len(source.paragraphs)} paragraphs and {len(source.key_points)} key points")
    elif normalise(entry.term) not in normalise(passage):
        found = [ref for ref in source.refs() if normalise(entry.term) in normalise(source.passage(ref) or "")]
        problem((*loc, "term"), f"'{entry.term}' does not appear in {_ref_text(entry.paragraph)}",
                hint=f"it appears in {_ref_text(found[0])}" if found else "spell the term as the source does")
