"""Layout read back from a PDF's word boxes (pdfplumber), for the print tests.

A page is measured the way a person checks a proof: which lines hold a single
word that would have fitted on the line before (a broken paragraph), whether
any text leaves the printable area or runs into the right margin, and how much
of the text area is left empty at the foot of a page.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pdfplumber
from pypdf import PdfReader

MM = 72 / 25.4
PRINTABLE_MM = 5
PARAGRAPH_END = re.compile(r"[.!?:]['’”)]*$")  # no ink closer than this to the paper's edge: office printers cannot reach it


@dataclass
class Line:
    """Words on one baseline that sit close together (one column's line, not a whole table row)."""

    words: list[dict]
    page: int

    @property
    def x0(self) -> float:
        return self.words[0]["x0"]

    @property
    def x1(self) -> float:
        return self.words[-1]["x1"]

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @property
    def size(self) -> float:
        return max(w["size"] for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


def lines_of(page: pdfplumber.page.Page, number: int) -> list[Line]:
    """The page's words grouped into lines: same baseline, and no gap wider than three spaces."""
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
    words.sort(key=lambda w: (round(w["bottom"]), w["x0"]))
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w["x0"], w["bottom"])):
        # the line this word continues: one whose last word ends just before it, at an overlapping height
        # (words in a smaller or larger size share the line but not its exact top and bottom)
        for line in lines:
            previous = line.words[-1]
            overlap = min(previous["bottom"], word["bottom"]) - max(previous["top"], word["top"])
            least = min(previous["bottom"] - previous["top"], word["bottom"] - word["top"])
            if overlap > 0.5 * least and 0 <= word["x0"] - previous["x1"] < 3 * 0.3 * word["size"] + 1:
                line.words.append(word)
                break
        else:
            lines.append(Line([word], number))
    return sorted(lines, key=lambda ln: (ln.top, ln.x0))


def stranded_words(lines: list[Line]) -> list[str]:
    """Single-word lines inside a paragraph that greedy line breaking would never make.

    When a single word ends a line early although the next line's first word
    would have fitted after it, the break is WeasyPrint's inline bug (a line
    broken after one word), not the measure. A line is inside a paragraph when
    the lines above and below start at the same x, hold several words and follow
    at the same pitch; the measure is the widest of the three.
    """
    found = []
    by_column: dict[int, list[Line]] = {}
    for line in lines:
        by_column.setdefault(round(line.x0), []).append(line)
    for column in by_column.values():
        column.sort(key=lambda ln: ln.top)
        for before, line, after in zip(column, column[1:], column[2:], strict=False):
            if len(line.words) != 1 or len(before.words) < 2 or len(after.words) < 2:
                continue
            if PARAGRAPH_END.search(line.text):
                continue  # the last line of one paragraph (a footnote, a list item), the next begins below
            if PARAGRAPH_END.search(before.text) or not any(ch.isalnum() for ch in line.text):
                continue  # a one-word item after a finished one (a table cell, a plan row), or a dash placeholder
            if max(ln.size for ln in (before, line, after)) - min(ln.size for ln in (before, line, after)) > 0.5:
                continue  # a heading between two paragraphs, not a line of one
            pitch_above, pitch_below = line.top - before.top, after.top - line.top
            if abs(pitch_above - pitch_below) > 1 or pitch_above > 2.2 * line.size:
                continue
            measure = max(before.x1, after.x1) - line.x0
            space = 0.3 * line.size
            following = after.words[0]["x1"] - after.words[0]["x0"]
            if (line.x1 - line.x0) + space + following < measure - 1:
                found.append(f"page {line.page}: {before.text!r} / {line.text!r} / {after.text!r}")
    return found


@dataclass
class PageReport:
    number: int
    words: int
    empty: float  # share of the text area's height left blank below the last mark
    outside: list[str]


def measure(pdf: Path, margin_mm: float, bottom_margin_mm: float) -> tuple[list[PageReport], list[str]]:
    """Per page: word count, blank share of the text area, text outside the margins; and stranded words."""
    reports: list[PageReport] = []
    stranded: list[str] = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            width, height = page.width, page.height
            top, bottom = margin_mm * MM, height - bottom_margin_mm * MM
            right = width - margin_mm * MM
            lines = lines_of(page, number)
            body = [ln for ln in lines if ln.bottom <= bottom + 1]
            stranded += stranded_words(body)
            outside = [f"page {number}: {ln.text[:40]!r} beyond the right margin" for ln in body if ln.x1 > right + 2]
            edge = PRINTABLE_MM * MM
            outside += [f"page {number}: {ln.text[:40]!r} outside the printable area" for ln in lines
                        if ln.x0 < edge or ln.x1 > width - edge or ln.top < edge or ln.bottom > height - edge]
            marks = [ln.bottom for ln in body]
            area = (right - margin_mm * MM) * (bottom - top)
            marks += [o["bottom"] for o in (*page.rects, *page.lines, *page.curves, *page.images)
                      if o["bottom"] <= bottom + 1 and o["top"] >= top - 1
                      and (o["x1"] - o["x0"]) * (o["bottom"] - o["top"]) < 0.8 * area]  # not a page background
            lowest = max(marks, default=top)
            empty = max(0.0, (bottom - lowest) / (bottom - top))
            reports.append(PageReport(number, sum(len(ln.words) for ln in body), round(empty, 3), outside))
    return reports, stranded


T = TypeVar("T")
_TEXTS: dict[Path, tuple[str, ...]] = {}


def _extract(path: Path) -> tuple[str, ...]:
    return tuple(page.extract_text() or "" for page in PdfReader(path).pages)


def pdf_text(path: Path) -> tuple[str, ...]:
    """Each page's text as pypdf extracts it, read once per test session (a full build has some 60 PDFs)."""
    if path not in _TEXTS:
        _TEXTS[path] = _extract(path)
    return _TEXTS[path]


def prime_pdf_text(paths: list[Path]) -> None:
    """Read many PDFs' text at once on every CPU (pypdf is slow), for the tests that read them later."""
    todo = [p for p in paths if p not in _TEXTS]
    _TEXTS.update(zip(todo, on_every_cpu(_extract, todo), strict=True))


def on_every_cpu(function: Callable[..., T], *arguments: Iterable[Any]) -> list[T]:
    """``map`` over forked worker processes: the PDF readers here are pure Python and slow."""
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, *arguments))


def page_words(path: Path) -> list[str]:
    """Each page's text with its white space made single spaces."""
    return [" ".join(text.split()) for text in pdf_text(path)]
