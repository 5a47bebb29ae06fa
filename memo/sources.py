"""Reading source articles: YAML front matter, key points, numbered paragraphs.

A source file looks like::

    ---
    id: harmony-of-the-heavens
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
holds the key points (``k1``, ``k2``…). The text is kept verbatim.
"""

from __future__ import annotations

from pathlib import Path

from .errors import MemoError, Problem
from .models import Source, SourceMeta
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
    paragraphs = [" ".join(line.strip() for line in block) for block in blocks]
    if not paragraphs:
        raise MemoError([Problem(path, "the source has no body paragraphs", line=end + 2,
                                 hint="put the article's paragraphs after the metadata, separated by blank lines")])
    return Source(meta=meta, key_points=key_points, paragraphs=paragraphs, path=path)


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]
