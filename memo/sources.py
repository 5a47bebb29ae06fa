"""Reading source articles: YAML front matter, key points, numbered paragraphs.

A source file looks like::

    ---
    id: my-source
    title: "…"
    author: …
    date: 2021-05-07
    publisher: …
    ---
    - First key point.
    - Second key point.

    First body paragraph (paragraph 1).

    Second body paragraph (paragraph 2).

Body paragraphs are separated by blank lines; a leading block of ``- `` lines
holds the key points (``k1``, ``k2``…). Markdown headings (``# Article VI``)
divide the body into sections: they are not paragraphs, paragraphs keep one
number through the whole text, and each can also be cited within its section
(``VI.2``). The text is kept verbatim.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import MemoError, Problem
from .models import Section, Source, SourceMeta
from .yamlfile import MAX_FILE_BYTES, parse_yaml, read_text, validate

FENCE = "---"


def read_source(path: Path, limit: int | None = MAX_FILE_BYTES) -> Source:
    """Parse one source file into metadata, key points and paragraphs."""
    text = read_text(path, limit)
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise MemoError([Problem(path, "a source file must start with '---' and its metadata", line=1,
                                 hint="add front matter: ---, then id, title, author, date, publisher, then ---")])
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == FENCE)
    except StopIteration:
        raise MemoError([Problem(path, "the metadata block is not closed", line=1,
                                 hint="end the front matter with a line holding only '---'")]) from None
    meta = validate(parse_yaml(path, "\n".join(lines[1:end]), line_offset=1), SourceMeta)

    blocks = _blocks(lines[end + 1:])
    key_points: list[str] = []
    if blocks and all(line.startswith("- ") for line in blocks[0]):
        key_points = [line[2:].strip() for line in blocks.pop(0)]
    paragraphs: list[str] = []
    sections: list[Section] = []
    for block in blocks:
        heading = _HEADING.match(block[0])
        if heading and len(block) == 1:
            title = heading.group(2).strip()
            sections.append(Section(title=title, label=section_label(title, len(sections) + 1), level=len(heading.group(1)),
                                    first=len(paragraphs) + 1, count=0))
            continue
        paragraphs.append(" ".join(line.strip() for line in block))
        if sections:
            sections[-1].count += 1
    if not paragraphs:
        raise MemoError([Problem(path, "the source has no body paragraphs", line=end + 2,
                                 hint="put the article's paragraphs after the metadata, separated by blank lines")])
    return Source(meta=meta, key_points=key_points, paragraphs=paragraphs, sections=[s for s in sections if s.count], path=path)


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED = re.compile(r"^(?:article|art\.?|section|sec\.?|part|chapter|clause|§)\s*([A-Za-z0-9]+)\b", re.I)


def section_label(title: str, position: int) -> str:
    """How a heading is cited: ``Article VI`` → ``VI``, ``Part 2: Aims`` → ``2``, else a slug of its words."""
    numbered = _NUMBERED.match(title)
    if numbered:
        return numbered.group(1)
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")
    return slug or f"s{position}"


def _blocks(lines: list[str]) -> list[list[str]]:
    """Blank-line-separated blocks; a heading line is always a block of its own."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if _HEADING.match(line):
            blocks.extend([[line], []])
        elif line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]
