"""HTML → Word (.docx), for conferences and teachers that take submissions in Word.

A generic converter: any kind that lists ``"docx"`` in ``Kind.formats`` gets a
``.docx`` beside its PDF, made from the same rendered HTML, so the Word file
says exactly what the PDF says. What is mapped:

- ``h1``–``h4`` (``h5``/``h6`` too) → Heading 1–4; ``p`` → Normal;
  ``blockquote`` → Quote; ``ul``/``ol`` → bulleted and numbered paragraphs,
  nested (numbers are written as text, following ``type`` and ``start``, so
  the numbering a reader sees is exactly the HTML's and survives copy-paste);
  ``table`` → a grid table, header cells bold;
- ``strong``/``b`` bold, ``em``/``i`` the character style "Emphasis",
  ``u`` underlined, ``sup``/``sub``, ``br``;
- ``data-docx-style="NAME"`` on a block element gives the paragraph style
  NAME, on a ``span`` (or any inline element) the character style NAME; a
  missing style is created (based on the heading of the element's level,
  or on Normal), so a template names its styles and Word users can restyle
  every preambulatory clause at once;
- ``data-docx="skip"``, ``hidden`` and ``aria-hidden="true"`` leave an
  element out; ``data-docx-break="before"`` starts it on a new page.

Only text is carried over: no images, hyperlinks, fields or macros, so
nothing in the input becomes live content in Word. Only ``<main>`` is
converted when the page has one (the colophon and navigation stay out).

The output is reproducible: core properties and every zip entry carry fixed
dates (the document's own date when the context has one), so an unchanged
build writes identical bytes.

Layout comes from the context: a :class:`Layout` under ``docx_layout``, or
else the audience's typography (serif → Times New Roman, sans → Arial).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt, RGBColor

from . import Exporter, Rendered, register

FONTS = {"serif": "Times New Roman", "sans": "Arial"}
PAGE_SIZES = {"A4": (210.0, 297.0), "letter": (215.9, 279.4)}
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIP = {"head", "script", "style", "template", "svg", "img", "nav", "button", "form", "noscript", "iframe", "object"}
_BLOCK = {"address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
          "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section",
          "summary", "table", "ul", "body", "html", "caption"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass
class Layout:
    """Page and body text settings for the Word file."""

    font: str = "Times New Roman"
    size_pt: float = 12
    margin_mm: float = 25.4
    page_size: str = "A4"
    heading_font: str | None = None


@dataclass
class Node:
    """A parsed HTML element (text children are plain strings)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    """A forgiving HTML tree: unclosed elements close with their parent."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _find(node: Node, tag: str) -> Node | None:
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                return child
            found = _find(child, tag)
            if found is not None:
                return found
    return None


def _skipped(node: Node) -> bool:
    a = node.attrs
    return (node.tag in _SKIP or a.get("data-docx") == "skip" or "hidden" in a
            or a.get("aria-hidden") == "true")


def _is_block(item: Node | str) -> bool:
    return isinstance(item, Node) and item.tag in _BLOCK


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def _alpha(number: int) -> str:
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(97 + rest) + out
    return out


def list_label(kind: str, number: int) -> str:
    """The marker an ``<ol type=…>`` shows for an item: 1., a., A., i., I."""
    text = {"a": _alpha, "A": lambda n: _alpha(n).upper(), "i": _roman, "I": lambda n: _roman(n).upper()}.get(
        kind, str)(number)
    return f"{text}."


@dataclass
class _Format:
    bold: bool = False
    underline: bool = False
    superscript: bool = False
    subscript: bool = False
    styles: tuple[str, ...] = ()


class _Writer:
    """Walks the tree and writes paragraphs, keeping HTML's white-space rules."""

    def __init__(self, document: Any, layout: Layout) -> None:
        self.doc = document
        self.layout = layout
        self.break_next = False
        # python-docx finds a style by name with a scan of every style, per paragraph and run: look each up once
        self.styles: dict[str, Any] = {s.name: s for s in document.styles}

    # ---- styles
    def paragraph_style(self, name: str, level: int | None) -> str:
        if name not in self.styles:
            styles = self.doc.styles
            style = self.styles[name] = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.styles[f"Heading {level}"] if level else self.styles["Normal"]
            style.next_paragraph_style = self.styles["Normal"]
        return name

    def character_style(self, name: str) -> str:
        if name not in self.styles:
            style = self.styles[name] = self.doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
            if name == "Emphasis":
                style.font.italic = True
        return name

    def style(self, name: str | None) -> Any:
        """The style object for ``name`` (python-docx then skips its lookup by name)."""
        return self.styles.get(name, name) if name else None

    # ---- blocks
    def blocks(self, container: Any, node: Node, style: str | None = None, indent: int = 0) -> None:
        """Write a node's children into ``container`` (the document or a table cell)."""
        run: list[Node | str] = []
        for child in node.children:
            if isinstance(child, Node) and _skipped(child):
                continue
            if _is_block(child):
                self.inline_paragraph(container, run, style, indent)
                run = []
                self.block(container, child, style, indent)  # type: ignore[arg-type]
            else:
                run.append(child)
        self.inline_paragraph(container, run, style, indent)

    def block(self, container: Any, node: Node, style: str | None, indent: int) -> None:
        if node.attrs.get("data-docx-break") == "before":
            self.break_next = True
        tag = node.tag
        level = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else None
        own = node.attrs.get("data-docx-style")
        if level:
            heading = min(level, 4)
            name = self.paragraph_style(own, heading) if own else f"Heading {heading}"
            self.inline_paragraph(container, node.children, name, 0)
        elif tag in ("ul", "ol"):
            self.list(container, node, indent)
        elif tag == "table":
            self.table(container, node)
        elif tag == "blockquote":
            self.blocks(container, node, self.paragraph_style(own, None) if own else "Quote", indent)
        elif tag == "hr":
            return
        elif tag in ("p", "dt", "dd", "figcaption", "caption", "pre", "summary", "address"):
            name = self.paragraph_style(own, None) if own else style
            self.inline_paragraph(container, node.children, name, indent, pre=tag == "pre")
        else:
            self.blocks(container, node, self.paragraph_style(own, None) if own else style, indent)

    def list(self, container: Any, node: Node, indent: int) -> None:
        ordered = node.tag == "ol"
        number = int(node.attrs.get("start", "1") or 1) if ordered else 0
        kind = node.attrs.get("type", "1")
        depth = indent + 1
        for item in node.children:
            if not isinstance(item, Node) or item.tag != "li" or _skipped(item):
                continue
            own = item.attrs.get("data-docx-style")
            if ordered:
                number = int(item.attrs.get("value", number) or number)
                marker = list_label(kind, number)
                number += 1
                name = self.paragraph_style(own, None) if own else None
            else:
                marker = None
                name = self.paragraph_style(own, None) if own else ("List Bullet" if depth == 1 else f"List Bullet {min(depth, 3)}")
            inline = [c for c in item.children if not _is_block(c)]
            nested = [c for c in item.children if _is_block(c)]
            first = inline
            if not "".join(c if isinstance(c, str) else c.text() for c in inline).strip() and nested:
                first = []
            self.inline_paragraph(container, first, name, depth, marker=marker, force=bool(marker))
            holder = Node("div", children=nested)
            self.blocks(container, holder, None, depth)

    def table(self, container: Any, node: Node) -> None:
        rows: list[Node] = []

        def collect(n: Node) -> None:
            for c in n.children:
                if isinstance(c, Node) and not _skipped(c):
                    if c.tag == "tr":
                        rows.append(c)
                    elif c.tag in ("thead", "tbody", "tfoot"):
                        collect(c)
                    elif c.tag == "caption":
                        self.inline_paragraph(container, c.children, "Caption", 0)
        collect(node)
        cells = [[c for c in r.children if isinstance(c, Node) and c.tag in ("td", "th")] for r in rows]
        width = max((sum(int(c.attrs.get("colspan", "1") or 1) for c in row) for row in cells), default=0)
        if not width:
            return
        table = container.add_table(rows=len(cells), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(cells):
            col = 0
            for cell_node in row:
                span = int(cell_node.attrs.get("colspan", "1") or 1)
                cell = table.cell(r, col)
                if span > 1:
                    cell = cell.merge(table.cell(r, col + span - 1))
                col += span
                self.cell(cell, cell_node)

    def cell(self, cell: Any, node: Node) -> None:
        start = len(cell.paragraphs)
        header = node.tag == "th"
        self.blocks(cell, Node("td", children=[Node("strong", children=node.children)] if header else node.children))
        # a new cell holds one empty paragraph; drop it when content followed
        if start == 1 and len(cell.paragraphs) > 1 and not cell.paragraphs[0].text:
            element = cell.paragraphs[0]._element
            element.getparent().remove(element)

    # ---- inline
    def inline_paragraph(self, container: Any, items: list[Node | str], style: str | None, indent: int,
                         pre: bool = False, marker: str | None = None, force: bool = False) -> None:
        pieces: list[tuple[str, _Format]] = []
        self.collect(items, _Format(), pieces, pre)
        if not pre:
            pieces = _collapse(pieces)
        if not pieces and not force:
            return
        paragraph = container.add_paragraph(style=self.style(style))
        if self.break_next:
            paragraph.paragraph_format.page_break_before = True
            self.break_next = False
        if indent and (marker or not (style or "").startswith("List Bullet")):
            paragraph.paragraph_format.left_indent = Mm(8 * indent)
            if marker:
                paragraph.paragraph_format.first_line_indent = Mm(-8)
        if marker:
            paragraph.add_run(marker + "\t")
            paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(8 * indent))
        for text, fmt in pieces:
            if text == "\n":
                paragraph.add_run().add_break(WD_BREAK.LINE)
                continue
            run = paragraph.add_run(text)
            run.bold = fmt.bold or None
            run.underline = fmt.underline or None
            if fmt.superscript:
                run.font.superscript = True
            if fmt.subscript:
                run.font.subscript = True
            if fmt.styles:
                run.style = self.style(fmt.styles[-1])
                if len(fmt.styles) > 1 and "Emphasis" in fmt.styles:
                    run.italic = True

    def collect(self, items: list[Node | str], fmt: _Format, out: list[tuple[str, _Format]], pre: bool) -> None:
        for item in items:
            if isinstance(item, str):
                text = _CONTROL.sub("", item)
                out.append((text if pre else _SPACE.sub(" ", text), fmt))
                continue
            if _skipped(item):
                continue
            tag = item.tag
            if tag == "br":
                out.append(("\n", fmt))
                continue
            new = _Format(fmt.bold, fmt.underline, fmt.superscript, fmt.subscript, fmt.styles)
            if tag in ("strong", "b"):
                new.bold = True
            elif tag in ("em", "i", "cite", "dfn", "var"):
                new.styles = (*new.styles, self.character_style("Emphasis"))
            elif tag in ("u", "ins"):
                new.underline = True
            elif tag == "sup":
                new.superscript = True
            elif tag == "sub":
                new.subscript = True
            own = item.attrs.get("data-docx-style")
            if own:
                new.styles = (*new.styles, self.character_style(own))
            self.collect(item.children, new, out, pre)


def _collapse(pieces: list[tuple[str, _Format]]) -> list[tuple[str, _Format]]:
    """HTML white-space: one space between words, none at either end of a paragraph or line."""
    out: list[tuple[str, _Format]] = []
    space = True  # at the start, leading spaces vanish
    for text, fmt in pieces:
        if text == "\n":
            if out and out[-1][0].endswith(" "):
                out[-1] = (out[-1][0].rstrip(" "), out[-1][1])
            out.append((text, fmt))
            space = True
            continue
        if space:
            text = text.lstrip(" ")
        if not text:
            continue
        out.append((text, fmt))
        space = text.endswith(" ")
    while out and out[-1][0] != "\n" and out[-1][0].endswith(" "):
        stripped = out[-1][0].rstrip(" ")
        if stripped:
            out[-1] = (stripped, out[-1][1])
            break
        out.pop()
    return [p for p in out if p[0]]


def layout_for(context: dict[str, Any]) -> Layout:
    """The kind's own layout, else one derived from the audience's typography."""
    given = context.get("docx_layout")
    if isinstance(given, Layout):
        return given
    audience = context.get("audience")
    typography = getattr(audience, "typography", None)
    if typography is None:
        return Layout()
    return Layout(font=FONTS.get(typography.font, typography.font), size_pt=min(max(typography.size_pt, 10), 14),
                  margin_mm=typography.margin_mm, page_size=typography.page_size)


def _setup(document: Any, layout: Layout) -> None:
    width, height = PAGE_SIZES.get(layout.page_size, PAGE_SIZES["A4"])
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(layout.margin_mm))
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = layout.font
    normal.font.size = Pt(layout.size_pt)
    for level, scale in ((1, 1.5), (2, 1.25), (3, 1.1), (4, 1.0)):
        heading = styles[f"Heading {level}"]
        heading.font.name = layout.heading_font or layout.font
        heading.font.size = Pt(round(layout.size_pt * scale, 1))
        heading.font.color.rgb = RGBColor(0, 0, 0)  # greyscale-safe: no theme blue
    for name in ("Title", "Quote", "Caption"):
        if name in [s.name for s in styles]:
            styles[name].font.color.rgb = RGBColor(0, 0, 0)


def _title(tree: Node) -> str:
    node = _find(tree, "title") or _find(tree, "h1")
    return _SPACE.sub(" ", node.text()).strip() if node else ""


def _meta(tree: Node, name: str) -> str:
    def walk(node: Node) -> str | None:
        for c in node.children:
            if isinstance(c, Node):
                if c.tag == "meta" and c.attrs.get("name") == name:
                    return c.attrs.get("content", "")
                found = walk(c)
                if found is not None:
                    return found
        return None
    return walk(tree) or ""


def _stamp(context: dict[str, Any]) -> dt.datetime:
    date = context.get("date")
    if isinstance(date, dt.datetime):
        return date.astimezone(dt.timezone.utc) if date.tzinfo else date.replace(tzinfo=dt.timezone.utc)
    if isinstance(date, dt.date):
        return dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    return _EPOCH


def _reproducible(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite the zip with fixed entry times, in a fixed order."""
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def html_to_docx(html: str, context: dict[str, Any] | None = None) -> bytes:
    """A Word document with the text and structure of ``html`` (its ``<main>`` when present)."""
    context = context or {}
    tree = parse(html)
    document = docx.Document()
    layout = layout_for(context)
    _setup(document, layout)
    body = _find(tree, "main") or _find(tree, "body") or tree
    _Writer(document, layout).blocks(document, body)
    stamp = _stamp(context)
    props = document.core_properties
    props.title = _title(tree)
    project = context.get("project")
    config = getattr(project, "config", None)
    props.author = str(getattr(config, "publisher", None) or "memo")
    props.last_modified_by = props.author
    props.comments = ""
    props.keywords = _meta(tree, "keywords")
    props.subject = _meta(tree, "description")
    props.language = getattr(config, "language", "") or ""
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible(buffer.getvalue(), stamp)


register(Exporter(
    name="docx",
    suffix=".docx",
    description="Word document with the same text and structure as the PDF (for conferences that take Word)",
    document=lambda rendered: html_to_docx(rendered.html, rendered.context),
))

__all__ = ["Layout", "Rendered", "html_to_docx", "list_label", "parse"]
