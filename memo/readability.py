"""How hard a document is to read: word count, and grades for our framing and the quotations apart.

The audience's reading-grade target applies to what *we* write; the
source's words cannot be simplified, but a teacher should still see that
the quotations read at grade 15 while the framing reads at 9. Both are
measured on the rendered HTML, so they describe exactly what is printed:
verbatim source words are the text inside ``<q>``, ``<blockquote>`` and any
element marked ``data-verbatim`` or with the class ``evidence`` or ``quote``.
A heading, list item or table cell is a unit of its own (a sentence to the
formula, punctuated or not), and reference apparatus (the memo's header block,
source lists, the contents list, the colophon) is not prose and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

_VERBATIM_CLASSES = {"evidence", "quote", "verbatim", "card-text"}
_OURS_INSIDE = {"cite", "gloss-note", "num"}
_SKIPPED = {"style", "script", "head", "title", "svg", "footer", "nav"}
# Reference apparatus, not prose: the memo's header block, source lists and the colophon.
_SKIPPED_CLASSES = {"memo-head", "sources", "colophon", "contents"}
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "caption", "figcaption", "blockquote"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "source", "area", "base", "embed", "param", "track"}


@dataclass(frozen=True)
class Reading:
    words: int
    framing_words: int
    quote_words: int
    framing_grade: float | None
    quotes_grade: float | None


class _Splitter(HTMLParser):
    """Sorts the visible text of a page into our framing and the source's words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, verbatim, skipped)
        self.framing: list[str] = []
        self.quotes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        names = dict(attrs)
        classes = set((names.get("class") or "").split())
        verbatim = tag in {"q", "blockquote"} or "data-verbatim" in names or bool(classes & _VERBATIM_CLASSES)
        inside, skipped = (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)
        ours = bool(classes & _OURS_INSIDE)  # a citation, a gloss or a number inside a quotation is ours
        self.stack.append((tag, (inside or verbatim) and not ours, skipped or tag in _SKIPPED or bool(classes & _SKIPPED_CLASSES)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        if tag in _BLOCKS:  # a heading, list item or table cell ends a unit of reading, punctuated or not
            for part in (self.framing, self.quotes):
                if part and not part[-1].rstrip().endswith((".", "?", "!", ":", ";")):
                    part[-1] = part[-1].rstrip() + "."

    def handle_data(self, data: str) -> None:
        if not data.strip() or (self.stack and self.stack[-1][2]):
            return
        (self.quotes if self.stack and self.stack[-1][1] else self.framing).append(data)


def _grade(text: str) -> float | None:
    import textstat

    return round(textstat.flesch_kincaid_grade(text), 1) if len(text.split()) >= 20 else None


def reading(html: str) -> Reading:
    """Words and Flesch-Kincaid grades of a rendered document, framing and quotations apart."""
    splitter = _Splitter()
    splitter.feed(html)
    framing, quotes = " ".join(splitter.framing), " ".join(splitter.quotes)
    f_words, q_words = len(framing.split()), len(quotes.split())
    return Reading(f_words + q_words, f_words, q_words, _grade(framing), _grade(quotes))


def describe(found: Reading, target: float | None) -> str:
    """One document's line, the same in `memo check` and `memo build`: "1,234 words; framing 10.4 (target 10), quotations 13.8"."""
    goal = f" (target {target:g})" if target is not None else ""
    framing = f"framing {found.framing_grade}{goal}" if found.framing_grade is not None else "framing too short to grade"
    quotes = f", quotations {found.quotes_grade}" if found.quotes_grade is not None else ""
    return f"{found.words:,} words; {framing}{quotes}"


def over_target(found: Reading, target: float | None) -> bool:
    """Our framing above the audience's grade target (the quotations are the source's and cannot be simplified)."""
    return found.framing_grade is not None and target is not None and found.framing_grade > target


def warning(label: str, found: Reading, target: float | None) -> str:
    """The warning for a document over target, worded alike by check and build."""
    return f"{label}: our framing reads at grade {found.framing_grade}, above the target of {target:g}"


@dataclass(frozen=True)
class DocumentReading:
    label: str
    reading: Reading
    target: float | None

    @property
    def over(self) -> bool:
        return over_target(self.reading, self.target)


def document_readings(project: object) -> list[DocumentReading]:
    """Every document of every audience rendered (not typeset) and measured."""
    from .kinds import KINDS, specs
    from .render import make_environment, render_html

    env = make_environment(project)  # type: ignore[arg-type]
    found = []
    for audience in project.audiences.values():  # type: ignore[attr-defined]
        for spec in specs(project):  # type: ignore[arg-type]
            kind = KINDS[spec.kind]
            for document in kind.outputs(project, spec, audience):  # type: ignore[arg-type]
                from . import __version__

                html = render_html(env, document.template, {**document.context, "kind": kind.name, "version": __version__})
                found.append(DocumentReading(f"{audience.name}/{kind.name}/{document.name}", reading(html),
                                             audience.grade_for(kind.name, document.graded)))
    return found
