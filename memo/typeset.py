"""Typeset stage: HTML to tagged, accessible PDF with WeasyPrint.

Rendering is sandboxed: the URL fetcher serves memo's bundled assets
(``memo-assets:`` URLs, which a project's ``templates/assets/`` folder
shadows) and files inside the project, and refuses the network and every
other file.
"""

from __future__ import annotations

import html as htmllib
import logging
import mimetypes
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from fontTools.ttLib import TTFont
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import inside

ASSETS = Path(__file__).parent / "assets"
FONT_FACES = Path(__file__).parent / "templates" / "fonts.css"
ASSET_SCHEME = "memo-assets:"
FONT_FILES = {"serif": "fonts/NotoSerif-Regular.ttf", "sans": "fonts/NotoSans-Regular.ttf"}

# WeasyPrint's warnings are collected per document (see _LogCollector) and reported as build warnings,
# which `memo build --strict` turns into errors; they never reach the terminal directly.
_WEASYPRINT_LOG = logging.getLogger("weasyprint")
_WEASYPRINT_LOG.setLevel(logging.WARNING)
_WEASYPRINT_LOG.propagate = False
_WEASYPRINT_LOG.addHandler(logging.NullHandler())
logging.getLogger("fontTools").setLevel(logging.ERROR)


class _LogCollector(logging.Handler):
    """Keeps WeasyPrint's warnings for one document."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@lru_cache(maxsize=64)
def _read(path: Path) -> bytes:
    return path.read_bytes()


def _content_type(path: Path) -> dict[str, str]:
    """A Content-Type for an asset, so WeasyPrint accepts a linked stylesheet (it refuses text/plain)."""
    kind = mimetypes.guess_type(path.name)[0]
    return {"Content-Type": kind} if kind else {}


class SandboxFetcher(URLFetcher):
    """Serve bundled assets and project files; refuse everything else, and remember what."""

    def __init__(self, root: Path, asset_dirs: list[Path]) -> None:
        super().__init__(allowed_protocols=("file", "memo-assets"), fail_on_errors=False)
        self.root = root
        self.asset_dirs = asset_dirs
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith(ASSET_SCHEME):
            relative = url[len(ASSET_SCHEME):].lstrip("/")
            for folder in self.asset_dirs:
                candidate = folder / relative
                if inside(candidate, folder) and candidate.is_file():
                    return URLFetcherResponse(url, body=_read(candidate.resolve()), headers=_content_type(candidate))
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path))
            if inside(path, self.root) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes(), headers=_content_type(path))
        self.refused.append(url)
        raise ValueError(f"memo reads nothing outside the project: {url}")


@dataclass
class Typeset:
    pdf: bytes
    pages: int
    refused: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)


class Typesetter:
    """One per build: shares WeasyPrint's font configuration across documents."""

    def __init__(self, root: Path, templates_dir: Path | None = None) -> None:
        self.root = root
        self.asset_dirs = ([templates_dir / "assets"] if templates_dir else []) + [ASSETS]
        self.fonts = FontConfiguration()
        shadow = templates_dir / "fonts.css" if templates_dir else None
        self.font_faces = (shadow if shadow and shadow.is_file() else FONT_FACES).read_text(encoding="utf-8")

    def typeset(self, html: str) -> Typeset:
        """The PDF; a document that runs over three pages is set again with a contents list."""
        fetcher = SandboxFetcher(self.root, self.asset_dirs)
        faces = CSS(string=self.font_faces, url_fetcher=fetcher, font_config=self.fonts)

        def render(source: str):
            return HTML(string=source, base_url=self.root.as_uri() + "/", url_fetcher=fetcher).render(
                stylesheets=[faces], font_config=self.fonts)

        collector = _LogCollector()
        _WEASYPRINT_LOG.addHandler(collector)
        try:
            html = keep_lines_whole(html)
            listed = with_contents(html)
            # Typesetting is the build's main cost: guess from the text's length which version is needed, so most
            # documents are set once. Either way a PDF has a contents list exactly when it runs over three pages.
            first, second = (listed, html) if listed is not None and looks_long(html) else (html, listed)
            document = render(first)
            if second is not None and (len(document.pages) > CONTENTS_AFTER_PAGES) == (first is html):
                document = render(second)
            pdf = document.write_pdf(pdf_variant="pdf/ua-1")
        finally:
            _WEASYPRINT_LOG.removeHandler(collector)
        return Typeset(pdf=pdf, pages=len(document.pages), refused=fetcher.refused, log=collector.messages)


CONTENTS_AFTER_PAGES = 3
# Characters of text a page holds, at the low end of memo's layouts (measured 2,100-3,900 on A4 at 10-11.5 pt).
CHARACTERS_A_PAGE = 2_400
_TAG = re.compile(r"<svg\b.*?</svg>|<style\b.*?</style>|<[^>]+>", re.S)


def looks_long(html: str) -> bool:
    """Whether a document's text will likely run over three pages (a guess: only the order of work depends on it)."""
    body = html[html.find("<body"):]
    return len(" ".join(_TAG.sub(" ", body).split())) > CHARACTERS_A_PAGE * (CONTENTS_AFTER_PAGES + 0.5)
# A text run that ends in a space before an inline element ("… politics is <span class=cite>") makes
# WeasyPrint (66-70) break the line after a single word now and then (print review S2; Kozea/WeasyPrint
# #2025, #2308). Moving the space inside the element sets the same text and avoids the faulty split.
_SPACE_BEFORE_INLINE = re.compile(r"(?<=[^\s>]) (<(?:span|a|em|i|cite|strong|b|abbr|q|small)\b[^>]*>)")


def keep_lines_whole(html: str) -> str:
    """The same text with every space before an inline element moved inside it (see above)."""
    start = html.find("<body")
    return html[:start] + _SPACE_BEFORE_INLINE.sub(r"\1 ", html[start:])

_H2 = re.compile(r"<h2(?P<attrs>[^>]*)>(?P<body>.*?)</h2>", re.S)
_ID = re.compile(r"""\bid=["']([^"']+)["']""")


def with_contents(html: str, least: int = 3) -> str | None:
    """``html`` with a contents list of its <h2> sections before the first one (page numbers come from
    CSS ``target-counter``); None when it has fewer than ``least`` sections or already has a list."""
    start = html.find("<main")
    if start < 0 or 'class="contents"' in html:
        return None
    heads = list(_H2.finditer(html, start))
    if len(heads) < least:
        return None
    parts, entries, last = [], [], 0
    for n, head in enumerate(heads, 1):
        found = _ID.search(head["attrs"])
        anchor = found.group(1) if found else f"section-{n}"
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", head["body"])).strip()
        entries.append(f'<li><a href="#{anchor}">{text}</a></li>')
        attrs = head["attrs"] if found else f'{head["attrs"]} id="{anchor}"'
        parts += [html[last:head.start()], f'<h2{attrs}>{head["body"]}</h2>']
        last = head.end()
    parts.append(html[last:])
    listed = "".join(parts)
    rows = (len(entries) + 1) // 2
    nav = ('<nav class="contents" aria-labelledby="contents-title"><h2 id="contents-title">Contents</h2>\n'
           f'<ol style="grid-template-rows: repeat({rows}, auto)">'
           + "".join(entries) + "</ol></nav>\n")
    first = listed.find("<h2", start)
    return listed[:first] + nav + listed[first:]


@lru_cache(maxsize=8)
def _coverage(path: Path) -> frozenset[int]:
    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def visible_text(html: str) -> str:
    """The text a reader sees, without tags, styles or entities."""
    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))


def missing_glyphs(html: str, font: str) -> list[str]:
    """Characters of the document the bundled font for ``font`` cannot draw."""
    covered = _coverage(ASSETS / FONT_FILES[font])
    return sorted({ch for ch in visible_text(html) if ord(ch) not in covered and not ch.isspace()})
