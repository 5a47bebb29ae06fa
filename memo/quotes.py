"""Finding exact quotations: the authoring side of quote verification.

``memo quote "some words"`` looks for the passage a writer half-remembers
(or typed with a slip) and prints the source's exact words with their
paragraph, ready to paste into a position file, so quotations start
verbatim instead of being corrected after ``memo check`` fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .models import Source
from .project import Project
from .text import fold, quote_in
from .verify import Nearest, nearest


@dataclass(frozen=True)
class Found:
    source: Source
    ref: int | str
    quote: str
    score: float
    exact: bool

    def yaml(self, several_sources: bool) -> str:
        """The evidence item as YAML lines (JSON-quoted strings are valid YAML and keep every character)."""
        lines = [f"- quote: {json.dumps(self.quote, ensure_ascii=False)}"]
        if several_sources:
            lines.append(f"  source: {self.source.id}")
        ref = self.ref  # k2 and VI.2 are plain YAML strings, like the numbers
        lines.append(f"  paragraph: {ref}")
        return "\n".join(lines)


def find_quote(project: Project, words: str, limit: int = 3, threshold: float = 70.0) -> list[Found]:
    """The passages most like ``words`` across every source, best first, trimmed to whole words."""
    found: list[Found] = []
    for source in project.sources.values():
        for ref in source.refs():
            passage = source.passage(ref) or ""
            if quote_in(words, passage):
                found.append(Found(source, ref, _exact_span(words, passage), 100.0, True))
        if any(f.source is source for f in found):
            continue
        best = _best_window(words, source) or nearest(words, source)
        if best is not None and best.score >= threshold:
            found.append(Found(source, best.ref, best.passage, best.score, False))
    found.sort(key=lambda f: -f.score)
    return found[:limit]


def _word(token: str) -> str:
    return fold(token).strip(".,;:!?()[]\"'").casefold()


def _best_window(words: str, source: Source) -> Nearest | None:
    """The run of source words that starts and ends like ``words`` and reads most like it.

    A writer usually remembers where a quotation begins and ends but slips in
    between (a changed or dropped word), so windows are anchored on the first
    and last words and scored on the whole run.
    """
    from rapidfuzz import fuzz

    query = words.split()
    if len(query) < 2:
        return None
    first, last, target = _word(query[0]), _word(query[-1]), " ".join(_word(t) for t in query)
    best: Nearest | None = None
    for ref in source.refs():
        tokens = (source.passage(ref) or "").split()
        folded = [_word(t) for t in tokens]
        for i, token in enumerate(folded):
            if fuzz.ratio(token, first) < 80:
                continue
            for j in range(i + 1, min(len(tokens), i + 2 * len(query) + 5)):
                if fuzz.ratio(folded[j], last) < 80:
                    continue
                score = fuzz.ratio(" ".join(folded[i:j + 1]), target)
                if best is None or score > best.score:
                    best = Nearest(ref, " ".join(tokens[i:j + 1]).rstrip(",;:"), score)
    return best


def _exact_span(words: str, passage: str) -> str:
    """The source's own characters for a folded match (its curly quotes and dashes, not the writer's)."""
    folded, target = fold(passage), fold(words).strip()
    start = folded.find(target)
    return passage[start:start + len(target)] if start >= 0 else words
