"""``memo init``: a new project from any text, checked and buildable at once.

The text may be plain, Markdown or HTML. Web-page debris that can be
recognised (logos, share counts, reading times, repeated bylines, author
bios, comment forms) is dropped; headings are kept as Markdown headings;
what looks like the title, author and date fills the source's front matter,
and everything memo could not find is marked "fill in". Nothing of any
other project leaks in: the example position quotes the new text itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MemoError, Problem
from .yamlfile import read_text

SCHEMA_DIR = ".schemas"
_DEBRIS = re.compile(
    r"^(?:.*\blogo\b.*|\d+\s+comments?\b.*|\d+\s+shares?\b.*|estimated reading time.*|\d+\s+min(?:ute)?s?\s+read|"
    r"share(?: this)?(?: on \w+)?:?|(?:facebook|twitter|x|linkedin|email|print|whatsapp|reddit)|"
    r"skip to (?:main )?content|menu|search|subscribe.*|sign up.*|.*all rights reserved.*|©.*|tags?:.*)$",
    re.I,
)
_TAIL = re.compile(r"^(?:about the authors?|posted in:?.*|filed under:?.*|leave a (?:reply|comment)|comments?|related (?:posts|articles)|"
                   r"you may also like|read more|share this:?)\s*$", re.I)
_DISCLAIMER = re.compile(r"^this (?:article|post|blog post|piece|paper) (?:gives|represents|reflects|presents) the views? of", re.I)
_BULLET = re.compile(r"^\s*(?:[•▪●◦*]|-)\s+")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_DATE_PATTERNS = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), lambda m: dt.date(int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I),
     lambda m: dt.date(int(m[3]), _MONTHS.index(m[2].lower()) + 1, int(m[1]))),
    (re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I),
     lambda m: dt.date(int(m[3]), _MONTHS.index(m[1].lower()) + 1, int(m[2]))),
]
_NAME = re.compile(r"^(?:by\s+)?([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})$")


@dataclass
class Cleaned:
    """The text of a source with its debris removed and what could be learned about it."""

    title: str | None = None
    author: str | None = None
    date: dt.date | None = None
    url: str | None = None
    disclaimer: str | None = None
    key_points: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # body paragraphs and "# heading" lines
    dropped: int = 0


def _date(text: str) -> dt.date | None:
    for pattern, make in _DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            try:
                return make(match)
            except ValueError:
                continue
    return None


def html_to_text(html: str) -> tuple[str, str | None]:
    """An HTML page as Markdown text (headings kept), and the canonical address the page gives, if any."""
    from markdownify import markdownify

    url = None
    patterns = (r'<link[^>]+rel=["\']canonical["\'][^>]*href=["\']([^"\']+)',
                r'<meta[^>]+property=["\']og:url["\'][^>]*content=["\']([^"\']+)')
    for pattern in patterns:
        found = re.search(pattern, html, re.I)
        if found:
            url = found.group(1)
            break
    html = re.sub(r"<(head|script|style|nav|form|aside|noscript|iframe|svg)\b.*?</\1>", " ", html, flags=re.S | re.I)
    text = markdownify(html, heading_style="ATX", bullets="-", strip=["a", "img", "span"])
    return text, url


def clean(text: str) -> Cleaned:
    """Split text into blocks and sort out metadata, key points, body and debris."""
    blocks: list[str] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        while lines and lines[0].startswith("#"):  # a heading glued to its paragraph still stands alone
            blocks.append(lines.pop(0))
        if lines:
            blocks.append(" ".join(lines))
    result = Cleaned()
    seen: dict[str, int] = {}
    for block in blocks:
        seen[block] = seen.get(block, 0) + 1
    body_started = False
    header: list[str] = []
    for block in blocks:
        words = len(block.split())
        if _TAIL.match(block):
            result.dropped += 1
            break
        if _DEBRIS.match(block) or (not body_started and block in header):
            result.dropped += 1
            continue
        if _DISCLAIMER.match(block):
            result.disclaimer = block
            continue
        if not body_started and _BULLET.match(block) and not result.key_points:
            result.key_points = [_BULLET.sub("", item).strip() for item in re.split(r"(?:^|\s+)(?=[•▪●◦]\s)", block) if item.strip()]
            continue
        if not body_started and re.match(r"^#\s", block) and result.title is None:
            result.title = block.lstrip("# ").strip()
            header.append(block)
            continue
        if not body_started and (words >= 25 or block.startswith("#")):
            body_started = True
        if body_started:
            result.blocks.append(block)
            continue
        header.append(block)
        if result.date is None and (found := _date(block)) and words <= 6:
            result.date = found
        elif result.author is None and _NAME.match(block) and words <= 5:
            result.author = _NAME.match(block).group(1)  # type: ignore[union-attr]
        elif result.title is None and words <= 25:
            result.title = block.lstrip("# ").strip()
    return result


def _slug(text: str, words: int = 6) -> str:
    slug = "-".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split()[:words])
    return slug or "source"


def _first_sentence(paragraph: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s+", paragraph)[0]
    return " ".join(sentence.split()[:30])


def _yaml(value: object) -> str:
    """A scalar as YAML: JSON strings are valid YAML and keep every character."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def init_project(folder: Path, source_file: Path) -> list[Path]:
    """Write a new project into ``folder`` from ``source_file``; return the files written."""
    from .schemas import comment, file_type, write_schemas

    folder = folder.resolve()
    if (folder / "memo.yml").exists():
        raise MemoError([Problem(folder / "memo.yml", "this folder is already a memo project",
                                 hint="choose an empty folder, or add the text as a second source in seeds/")])
    text = read_text(source_file)
    url = None
    if source_file.suffix.lower() in (".html", ".htm"):
        text, url = html_to_text(text)
    cleaned = clean(text)
    cleaned.url = cleaned.url or url
    paragraphs = [b for b in cleaned.blocks if not b.startswith("#")]
    if not paragraphs:
        raise MemoError([Problem(source_file, "found no paragraphs of text in this file",
                                 hint="memo needs the text itself: paragraphs separated by blank lines")])
    title = cleaned.title or source_file.stem.replace("-", " ").replace("_", " ").capitalize()
    source_id = _slug(title)
    files: dict[str, str] = {}
    note = "# fill in: "
    meta = [
        "---",
        f"id: {source_id}",
        f"title: {_yaml(title)}" + ("" if cleaned.title else f"  {note}the title"),
        f"author: {_yaml(cleaned.author or 'Unknown author')}" + ("" if cleaned.author else f"  {note}who wrote it"),
        "# author_role: what the author does (their post, as the source gives it)",
        "genre: article  # article, book, report, speech, treaty or resolution",
        f"date: {(cleaned.date or dt.date(1970, 1, 1)).isoformat()}" + ("" if cleaned.date else f"  {note}the date it was published"),
        f"publisher: {_yaml('Unknown publisher')}  {note}who published it",
        f"url: {_yaml(cleaned.url)}" if cleaned.url else "# url: the address where it can be read",
    ]
    if cleaned.disclaimer:
        meta.append(f"disclaimer: {_yaml(cleaned.disclaimer)}")
    key_points = ["\n".join(f"- {point}" for point in cleaned.key_points)] if cleaned.key_points else []
    files[f"seeds/{source_id}.md"] = "\n".join(meta) + "\n---\n" + "\n\n".join(key_points + cleaned.blocks) + "\n"
    quote = _first_sentence(paragraphs[0])
    files["memo.yml"] = (f"# memo project settings; every folder is relative to this file.\n"
                         f"title: {_yaml(title + ': briefing materials')}\nlanguage: en\n")
    files["positions/example-position.yaml"] = _POSITION.format(quote=_yaml(quote))
    files["documents/brief.yaml"] = _DOCUMENT.format(title=_yaml(title), question=_yaml(f"What does ‘{title}’ argue, and is it right?"))
    files[".gitignore"] = "build/\n.schemas/\n"
    written = []
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        what = file_type(name)  # the one document init writes is a memo
        path.write_text((comment(what, path, folder / SCHEMA_DIR) if what else "") + content, "utf-8")
        written.append(path)
    written.extend(write_schemas(folder / SCHEMA_DIR))
    return written


_POSITION = """# An example position: one argued view from the source, written once and used by every document.
# Replace the text with your own summary of an argument the source makes; keep quotations verbatim
# (`memo quote "some words"` prints the exact words with their paragraph).
id: example-position
title: Example position (rewrite me)
thesis: One sentence stating an argument the source makes, in your own words.
priority: 1
claims:
  - id: first-claim
    claim: One step of that argument, in your own words.
    warrant: Why the quotation supports the claim.
    impact: Why it matters.
    evidence:
      - quote: {quote}
        paragraph: 1
"""

_DOCUMENT = """# A briefing memo on the source. Every text here is framing to write; quotations go in `evidence`.
kind: memo
name: brief
title: {title}
from: Your name or organisation
subject: {title}
question: {question}
bluf: The bottom line in two to four sentences (to write).
summary:
  - The first key finding (to write).
options:
  - id: status-quo
    status_quo: true
    title: Keep things as they are
    summary: What happens if nothing changes (to write).
    pros: [A reason to keep things as they are (to write).]
    cons: [A reason to change (to write).]
    feasibility: How easily this can be done (to write).
  - id: change
    title: An alternative
    summary: The main alternative the source discusses (to write).
    pros: [A reason for it (to write).]
    cons: [A reason against it (to write).]
    feasibility: How easily this can be done (to write).
recommendation:
  option: status-quo
  attributed_to: ours
  why: No recommendation has been written yet; replace this with one, and say whose it is.
decision: The decision the reader must take (to write).
"""
