"""Typeset stage: HTML to tagged, accessible PDF with WeasyPrint.

Rendering is sandboxed: the URL fetcher serves memo's bundled assets
(``memo-assets:`` URLs, which a project's ``templates/assets/`` folder
shadows) and files inside the project, and refuses the network and every
other file.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import inside

ASSETS = Path(__file__).parent / "assets"
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
                    kind = {".css": "text/css"}.get(candidate.suffix)  # a linked print stylesheet needs its type
                    return URLFetcherResponse(url, body=_read(candidate.resolve()), headers={"Content-Type": kind} if kind else None)
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path))
            if inside(path, self.root) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
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

    def typeset(self, html: str) -> Typeset:
        fetcher = SandboxFetcher(self.root, self.asset_dirs)
        collector = _LogCollector()
        _WEASYPRINT_LOG.addHandler(collector)
        try:
            document = HTML(string=html, base_url=self.root.as_uri() + "/", url_fetcher=fetcher).render(font_config=self.fonts)
            pdf = document.write_pdf(pdf_variant="pdf/ua-1")
        finally:
            _WEASYPRINT_LOG.removeHandler(collector)
        return Typeset(pdf=pdf, pages=len(document.pages), refused=fetcher.refused, log=collector.messages)


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
