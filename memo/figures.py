"""Figures: a timeline strip and an argument map, as inline, accessible SVG.

Drawn with drawsvg (a small, maintained, dependency-free SVG writer that
escapes every text node and attribute it writes), so no input ever becomes
markup. The layout is ours: text is measured with the bundled Noto Sans
metrics (fontTools) and wrapped to fit its box, so labels never overflow
in the PDF (WeasyPrint draws inline SVG as vectors) or the browser. Every
distinction is greyscale-safe: supports vs attacks differ by line style and
arrowhead, forecasts by a hollow marker and a dashed rule, never by colour.

Templates call the Jinja globals ``timeline_figure`` and ``argument_map``
(registered by :func:`register_jinja`), or the builders ``timeline_items``
and ``position_map`` to turn project data into figure items.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import drawsvg as dw
from fontTools.ttLib import TTFont
from markupsafe import Markup, escape

from .text import smarten

if TYPE_CHECKING:
    import jinja2

FONTS = Path(__file__).parent / "assets" / "fonts"
FAMILY = "Memo Sans, Noto Sans, sans-serif"
INK = "#1a1a1a"
GREY = "#555555"
WIDTH = 640  # user units; the figure scales to the text column (CSS width: 100%)


@dataclass(frozen=True)
class TimelineItem:
    label: str  # the date as written: "1992", "June 2021"
    text: str
    forecast: bool = False
    outcome: str | None = None  # what became of a forecast, with its source and "as of"


@dataclass(frozen=True)
class MapNode:
    id: str
    label: str
    group: str | None = None  # "motion", "pro", "con", "position", or None


@dataclass(frozen=True)
class MapEdge:
    source: str
    target: str
    relation: Literal["supports", "attacks"]


# --------------------------------------------------------------------------- text metrics


@lru_cache(maxsize=4)
def _metrics(bold: bool) -> tuple[dict[int, int], float, int]:
    font = TTFont(FONTS / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"), lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    widths = {code: hmtx[name][0] for code, name in cmap.items()}
    return widths, float(font["head"].unitsPerEm), hmtx[".notdef"][0]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Advance width of ``text`` set in the bundled sans at ``size`` user units."""
    widths, upem, fallback = _metrics(bold)
    return sum(widths.get(ord(c), fallback) for c in text) * size / upem


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy line breaking by measured width; a word too long for a line is cut, never left to overflow."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word, size, bold) > width:
            cut = max([i for i in range(1, len(word)) if text_width(word[:i] + "-", size, bold) <= width] or [1])
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


# --------------------------------------------------------------------------- svg assembly


def _figure_id(kind: str, *parts: object) -> str:
    """A stable id from the content, so builds are reproducible and two figures on a page never clash."""
    digest = hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:8]
    return f"fig-{kind}-{digest}"


def _finish(drawing: dw.Drawing, fid: str, title: str, description: str, css_class: str) -> Markup:
    """Inline SVG: no XML declaration, role=img, <title> and <desc> first for assistive technology."""
    svg = drawing.as_svg() or ""
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<defs>\s*</defs>\s*", "", svg)
    head = (f'<title id="{fid}-title">{escape(smarten(str(title)))}</title>'
            f'<desc id="{fid}-desc">{escape(smarten(str(description)))}</desc>')
    svg = re.sub(r"^<svg([^>]*)>", lambda m: f'<svg{m.group(1)}>\n{head}', svg, count=1)
    return Markup(svg)


def _drawing(height: float, fid: str, css_class: str) -> dw.Drawing:
    return dw.Drawing(
        WIDTH, math.ceil(height), id_prefix=fid, role="img", class_=css_class,
        aria_labelledby=f"{fid}-title", aria_describedby=f"{fid}-desc",
        font_family=FAMILY, fill=INK,
    )


def _lines(d: dw.Drawing, lines: Sequence[str], x: float, y: float, size: float, leading: float, *,
           bold: bool = False, italic: bool = False, anchor_centre: bool = False, fill: str = INK) -> float:
    """Draw lines from baseline ``y``; return the baseline after the last line."""
    for line in map(smarten, lines):
        lx = x - text_width(line, size, bold) / 2 if anchor_centre else x
        d.append(dw.Text(line, size, round(lx, 2), round(y, 2), font_weight="bold" if bold else None,
                         font_style="italic" if italic else None, fill=fill))
        y += leading
    return y


# --------------------------------------------------------------------------- timeline


T_SIZE = 10.5
T_LEAD = 13.0
T_LABEL = 11.5


def _timeline_block(item: TimelineItem, width: float) -> list[tuple[list[str], bool, bool]]:
    """One item's text as (lines, bold, italic) runs: date, [forecast tag], text, [what happened]."""
    runs: list[tuple[list[str], bool, bool]] = [(wrap(item.label, width, T_LABEL, True), True, False)]
    if item.forecast:
        runs.append((["Forecast"], False, True))
    runs.append((wrap(item.text, width, T_SIZE), False, False))
    if item.forecast:
        outcome = item.outcome or "Not yet known."
        runs.append((wrap(f"What happened: {outcome}", width - 8, T_SIZE), False, False))
    return runs


def _runs_height(runs: list[tuple[list[str], bool, bool]], forecast: bool) -> float:
    height = sum(len(lines) for lines, _, _ in runs) * T_LEAD + 2
    return height + (8 if forecast else 0)


def timeline_svg(items: Sequence[TimelineItem], title: str, description: str) -> Markup:
    """A horizontal strip: one tick per item in the given order; forecasts hollow, with what happened."""
    items = list(items)
    fid = _figure_id("timeline", title, description, items)
    n = max(len(items), 1)
    two_rows = n > 4  # labels alternate above and below the axis, so each gets two slots of width
    # ticks are inset so the first and last labels, centred on their ticks, stay inside the figure
    slot = (WIDTH + 6) / (n + 1) if two_rows else WIDTH / n
    text_w = min((2 * slot if two_rows else slot) - 10, WIDTH - 8)
    first_tick = text_w / 2 + 2 if two_rows else slot / 2
    blocks = [_timeline_block(item, text_w) for item in items]
    heights = [_runs_height(b, item.forecast) for b, item in zip(blocks, items, strict=True)]
    above = max([h for i, h in enumerate(heights) if two_rows and i % 2 == 1] or [0.0])
    below = max([h for i, h in enumerate(heights) if not two_rows or i % 2 == 0] or [0.0])
    pad = 14.0
    axis_y = pad + above + (pad if above else 0)
    legend_y = axis_y + pad + below + 12
    height = legend_y + 8
    d = _drawing(height, fid, "figure timeline-figure")
    d.append(dw.Line(4, axis_y, WIDTH - 4, axis_y, stroke=INK, stroke_width=1.6))
    for i, (item, runs, h) in enumerate(zip(items, blocks, heights, strict=True)):
        cx = first_tick + slot * i
        up = two_rows and i % 2 == 1
        x = cx - text_w / 2
        stem_end = axis_y - pad + 4 if up else axis_y + pad - 4
        d.append(dw.Line(cx, axis_y, cx, stem_end, stroke=INK, stroke_width=0.8,
                         stroke_dasharray="2,2" if item.forecast else None))
        if item.forecast:  # hollow marker: a forecast, not an event
            d.append(dw.Circle(cx, axis_y, 4.5, fill="#ffffff", stroke=INK, stroke_width=1.4))
        else:
            d.append(dw.Circle(cx, axis_y, 4, fill=INK))
        y = (axis_y - pad - h + T_LEAD) if up else (axis_y + pad + T_LEAD - 2)
        for lines, bold, italic in runs:
            if lines and lines[0].startswith("What happened:"):
                box_top = y - T_LEAD + 4
                box_h = len(lines) * T_LEAD + 4
                d.append(dw.Rectangle(x, box_top, text_w, box_h, fill="none", stroke=INK, stroke_width=0.7,
                                      stroke_dasharray="3,2"))
                y = _lines(d, lines, x + 4, y + 2, T_SIZE, T_LEAD, bold=bold, italic=italic)
            else:
                y = _lines(d, lines, x, y, T_LABEL if bold else T_SIZE, T_LEAD, bold=bold, italic=italic)
    # legend: what the markers mean, in words
    lx = 6.0
    d.append(dw.Circle(lx + 4, legend_y - 4, 4, fill=INK))
    lx = _legend_text(d, "event", lx + 12, legend_y)
    if any(item.forecast for item in items):
        d.append(dw.Circle(lx + 4, legend_y - 4, 4.5, fill="#ffffff", stroke=INK, stroke_width=1.4))
        _legend_text(d, "forecast made in the source (dashed box: what happened since)", lx + 12, legend_y)
    return _finish(d, fid, title, description, "figure timeline-figure")


def _legend_text(d: dw.Drawing, text: str, x: float, y: float) -> float:
    d.append(dw.Text(text, 9.5, round(x, 2), round(y, 2), fill=GREY))
    return x + text_width(text, 9.5) + 14


# --------------------------------------------------------------------------- argument map


M_SIZE = 10.5
M_LEAD = 13.0
BOX_PAD = 5.0
ROW_GAP = 34.0
MAX_PER_ROW = 5


def _layers(nodes: Sequence[MapNode], edges: Sequence[MapEdge]) -> tuple[list[list[MapNode]], set[tuple[str, str]]]:
    """Rows top to bottom: what is argued for on top, what supports or attacks it below.

    A node sits one row below the lowest-placed node it points at (longest path), so every
    edge that the layering keeps runs upwards; edges that would close a cycle are returned
    as back edges and drawn downwards.
    """
    ids = [n.id for n in nodes]
    out: dict[str, list[str]] = {i: [] for i in ids}
    for e in edges:
        if e.source in out and e.target in out and e.source != e.target:
            out[e.source].append(e.target)
    # the main conclusion stays on top: whatever it supports in turn closes a cycle, drawn as a back edge
    back: set[tuple[str, str]] = {(n.id, t) for n in nodes if n.group == "motion" for t in out[n.id]}
    state: dict[str, int] = {}

    def visit(node: str) -> None:  # DFS: an edge to a node still on the stack closes a cycle
        state[node] = 1
        for target in out[node]:
            if (node, target) in back:
                continue
            if state.get(target) == 1:
                back.add((node, target))
            elif target not in state:
                visit(target)
        state[node] = 2

    for node in ids:
        if node not in state:
            visit(node)
    depth: dict[str, int] = {}

    def level(node: str) -> int:
        if node not in depth:
            targets = [t for t in out[node] if (node, t) not in back]
            depth[node] = 1 + max((level(t) for t in targets), default=-1)
        return depth[node]

    rows: dict[int, list[MapNode]] = {}
    for n in nodes:
        rows.setdefault(level(n.id), []).append(n)
    layered: list[list[MapNode]] = []
    for key in sorted(rows):
        row = rows[key]
        layered.extend(row[i:i + MAX_PER_ROW] for i in range(0, len(row), MAX_PER_ROW))
    return layered, back


def _node_style(group: str | None) -> dict[str, Any]:
    """Greyscale-safe: the conclusion is heavy, objections dashed, the rest plain."""
    if group == "motion":
        return {"stroke_width": 2.2, "bold": True}
    if group == "con":
        return {"stroke_width": 1.0, "stroke_dasharray": "4,2", "bold": False}
    return {"stroke_width": 1.0, "bold": False}


def _arrowhead(d: dw.Drawing, x: float, y: float, ux: float, uy: float, relation: str) -> None:
    """Supports: a filled triangle. Attacks: a bar across the line (a 'stop'), plus an open chevron."""
    px, py = -uy, ux
    if relation == "supports":
        pts = [x, y, x - 8 * ux + 4 * px, y - 8 * uy + 4 * py, x - 8 * ux - 4 * px, y - 8 * uy - 4 * py]
        d.append(dw.Lines(*[round(v, 2) for v in pts], close=True, fill=INK, stroke=INK, stroke_width=0.6))
    else:
        d.append(dw.Line(round(x + 6 * px, 2), round(y + 6 * py, 2), round(x - 6 * px, 2), round(y - 6 * py, 2),
                         stroke=INK, stroke_width=2.0))


def argument_map_svg(nodes: Sequence[MapNode], edges: Sequence[MapEdge], title: str, description: str) -> Markup:
    """Boxes in rows (conclusions on top) joined by typed arrows; a legend says which line is which."""
    nodes = list(nodes)
    edges = [e for e in edges if e.source != e.target]
    fid = _figure_id("map", title, description, nodes, edges)
    rows, _ = _layers(nodes, edges)
    gap = 12.0
    boxes: dict[str, tuple[float, float, float, float]] = {}
    texts: dict[str, list[str]] = {}
    y = 10.0
    bands: list[tuple[float, float, list[tuple[float, float]]]] = []  # each row: top, bottom, box spans
    for row in rows:
        box_w = (WIDTH - 8 - gap * (len(row) - 1)) / max(len(row), 1)
        box_w = min(box_w, 220.0)
        total = box_w * len(row) + gap * (len(row) - 1)
        x0 = (WIDTH - total) / 2
        bold = [_node_style(n.group)["bold"] for n in row]
        wrapped = [wrap(n.label, box_w - 2 * BOX_PAD, M_SIZE, b) for n, b in zip(row, bold, strict=True)]
        row_h = max(len(lines) for lines in wrapped) * M_LEAD + 2 * BOX_PAD
        for k, (n, lines) in enumerate(zip(row, wrapped, strict=True)):
            boxes[n.id] = (x0 + k * (box_w + gap), y, box_w, row_h)
            texts[n.id] = lines
        bands.append((y, y + row_h, [(x0 + k * (box_w + gap), x0 + k * (box_w + gap) + box_w) for k in range(len(row))]))
        y += row_h + ROW_GAP
    legend_y = y - ROW_GAP + 24
    height = legend_y + 10
    d = _drawing(height, fid, "figure argument-map")
    drawn = [e for e in edges if e.source in boxes and e.target in boxes]
    port = _ports(drawn, boxes)
    for e in drawn:  # edges first, boxes over them
        sx, sy, sw, sh = boxes[e.source]
        tx, ty, tw, th = boxes[e.target]
        if abs(sy - ty) < 1:  # same row: side to side
            left = sx < tx
            x1, y1 = (sx + sw, sy + sh / 2) if left else (sx, sy + sh / 2)
            x2, y2 = (tx, ty + th / 2) if left else (tx + tw, ty + th / 2)
        elif sy > ty:  # source below: arrow goes up
            x1, y1, x2, y2 = port[(e, e.source)], sy, port[(e, e.target)], ty + th
        else:
            x1, y1, x2, y2 = port[(e, e.source)], sy + sh, port[(e, e.target)], ty
        points = _route(x1, y1, x2, y2, bands)
        (px, py), (qx, qy) = points[-2], points[-1]
        length = math.hypot(qx - px, qy - py) or 1.0
        ux, uy = (qx - px) / length, (qy - py) / length
        end_x, end_y = qx - 1.5 * ux, qy - 1.5 * uy
        points[-1] = (end_x - 6 * ux, end_y - 6 * uy)
        dash = "5,3" if e.relation == "attacks" else None
        d.append(dw.Lines(*[round(v, 2) for point in points for v in point], close=False, fill="none",
                          stroke=INK, stroke_width=1.1, stroke_dasharray=dash))
        _arrowhead(d, end_x, end_y, ux, uy, e.relation)
    for n in nodes:
        x, by, w, h = boxes[n.id]
        style = _node_style(n.group)
        d.append(dw.Rectangle(round(x, 2), round(by, 2), round(w, 2), round(h, 2), rx=3, fill="#ffffff", stroke=INK,
                              stroke_width=style["stroke_width"], stroke_dasharray=style.get("stroke_dasharray")))
        lines = texts[n.id]
        text_h = len(lines) * M_LEAD
        first = by + (h - text_h) / 2 + M_SIZE
        _lines(d, lines, x + w / 2, first, M_SIZE, M_LEAD, bold=style["bold"], anchor_centre=True)
    _map_legend(d, legend_y, {e.relation for e in edges}, {n.group for n in nodes})
    return _finish(d, fid, title, description, "figure argument-map")


def _route(x1: float, y1: float, x2: float, y2: float,
           bands: Sequence[tuple[float, float, list[tuple[float, float]]]]) -> list[tuple[float, float]]:
    """The edge's path: straight, except that it passes rows in between through the gap nearest its line, never behind a box."""
    points = [(x1, y1)]
    low, high = min(y1, y2), max(y1, y2)
    crossed = [band for band in bands if band[0] > low + 1 and band[1] < high - 1]
    crossed.sort(key=lambda band: band[0], reverse=y1 > y2)  # in the direction of travel
    for top, bottom, spans in crossed:
        middle = (top + bottom) / 2
        along = x1 + (x2 - x1) * (middle - y1) / ((y2 - y1) or 1.0)
        gaps = [(spans[0][0] - 6)] + [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(spans)] + [spans[-1][1] + 6]
        gx = min(gaps, key=lambda g: abs(g - along))
        if any(a - 1 < along < b + 1 for a, b in spans):  # the straight line would cross a box: go through the gap
            first, second = (bottom + 4, top - 4) if y1 > y2 else (top - 4, bottom + 4)
            points += [(gx, first), (gx, second)]
    points.append((x2, y2))
    return points


def _ports(edges: Sequence[MapEdge], boxes: dict[str, tuple[float, float, float, float]]) -> dict[tuple[MapEdge, str], float]:
    """Where each edge meets each box: spread along the side, ordered by the other end's x, so arrows do not pile up."""
    ends: dict[str, list[tuple[float, MapEdge]]] = {}
    for e in edges:
        for here, there in ((e.source, e.target), (e.target, e.source)):
            bx, _, bw, _ = boxes[there]
            ends.setdefault(here, []).append((bx + bw / 2, e))
    port: dict[tuple[MapEdge, str], float] = {}
    for node, items in ends.items():
        x, _, w, _ = boxes[node]
        items.sort(key=lambda item: item[0])
        for k, (_, e) in enumerate(items):
            port[(e, node)] = x + w * (0.15 + 0.7 * (k + 0.5) / len(items))
    return port


def _map_legend(d: dw.Drawing, y: float, relations: set[str], groups: set[str | None]) -> None:
    x = 6.0
    for relation, words in (("supports", "supports (solid line, filled arrow)"), ("attacks", "attacks (dashed line, bar)")):
        if relation not in relations:
            continue
        d.append(dw.Line(x, y - 4, x + 22, y - 4, stroke=INK, stroke_width=1.1,
                         stroke_dasharray="5,3" if relation == "attacks" else None))
        _arrowhead(d, x + 30, y - 4, 1.0, 0.0, relation)
        x = _legend_text(d, words, x + 36, y)
    if "motion" in groups:
        d.append(dw.Rectangle(x, y - 10, 16, 10, fill="#ffffff", stroke=INK, stroke_width=2.2))
        x = _legend_text(d, "the main conclusion", x + 22, y)
    if "con" in groups:
        d.append(dw.Rectangle(x, y - 10, 16, 10, fill="#ffffff", stroke=INK, stroke_width=1.0, stroke_dasharray="4,2"))
        _legend_text(d, "objection", x + 22, y)


# --------------------------------------------------------------------------- builders from project data


def timeline_items(events: Iterable[Any], facts: Iterable[Any] = (), brief: bool = False) -> list[TimelineItem]:
    """Context timeline events as figure items; a forecast gets the fact(s) that supersede it as its outcome.

    Reads the issue-5 fields (`id`, `forecast`, facts' `supersedes`). ``brief`` keeps the first sentence of
    each text and the first part of each fact's source, so a strip stays a strip (the full text is in the memo).
    """
    cut = _first_sentence if brief else (lambda text: text)
    outcomes: dict[str, list[str]] = {}
    for fact in facts:
        for event_id in getattr(fact, "supersedes", None) or ():
            as_of = getattr(fact, "as_of", None)
            cited = str(fact.source).split(",")[0] if brief else str(fact.source)
            outcomes.setdefault(event_id, []).append(
                f"{cut(_plain(fact.fact))} ({cited}{f', as of {as_of:%-d %B %Y}' if as_of else ''})")
    items = []
    for event in events:
        forecast = bool(getattr(event, "forecast", False))
        event_id = getattr(event, "id", None)
        outcome = " ".join(outcomes.get(event_id or "", [])) or None
        items.append(TimelineItem(label=str(event.date), text=cut(_plain(event.event)), forecast=forecast, outcome=outcome))
    return items


BRIEF_WORDS = 16  # a strip's label: longer first sentences are cut at a word, marked with an ellipsis
_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s+[A-Z\u201c\"(]|$)", re.S)


def _first_sentence(text: str) -> str:
    """The first sentence, for a compact figure; the text as it is when it has only one."""
    match = _SENTENCE.match(text)
    sentence = match.group(1) if match else text
    words = sentence.split()
    return sentence if len(words) <= BRIEF_WORDS else " ".join(words[:BRIEF_WORDS]).rstrip(",;:") + " …"


def position_map(positions: Sequence[Any], motion: str | None = None, label: str = "title") -> tuple[list[MapNode], list[MapEdge]]:
    """Positions and their `supports`/`attacks` relations among those given.

    The node that most others support is the main conclusion ("motion") unless one is named.
    """
    ids = {p.id for p in positions}
    edges = [MapEdge(p.id, t, "supports") for p in positions for t in p.supports if t in ids]
    edges += [MapEdge(p.id, t, "attacks") for p in positions for t in p.attacks if t in ids]
    if motion is None and edges:
        motion = _most_supported(edges)
    attacked_motion = {e.source for e in edges if e.relation == "attacks" and e.target == motion}
    nodes = [MapNode(p.id, _plain(str(getattr(p, label))),
                     "motion" if p.id == motion else "con" if p.id in attacked_motion else "position")
             for p in positions]
    return nodes, edges


def _most_supported(edges: Sequence[MapEdge]) -> str | None:
    """The position the most others lead to through chains of support (then the most direct supports):
    the argument's conclusion, not merely a busy intermediate step."""
    into: dict[str, set[str]] = {}
    for e in edges:
        if e.relation == "supports":
            into.setdefault(e.target, set()).add(e.source)

    def reach(node: str) -> int:
        seen: set[str] = set()
        todo = [node]
        while todo:
            for source in into.get(todo.pop(), ()):
                if source not in seen and source != node:
                    seen.add(source)
                    todo.append(source)
        return len(seen)

    return max(sorted(into), key=lambda k: (reach(k), len(into[k])), default=None)


_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(.+?)\1")


def _plain(text: Any) -> str:
    """Our framing as plain text for a figure: Markdown emphasis dropped, straight quotes curled."""
    value = getattr(text, "text", text)  # an attributed text (issue 5) or a plain string
    return " ".join(smarten(_EMPHASIS.sub(r"\2", str(value))).split())


def timeline_description(items: Sequence[TimelineItem]) -> str:
    """The timeline in words, for the SVG's <desc>: every item, forecasts and outcomes included."""
    parts = []
    for item in items:
        text = f"{item.label}: {'forecast: ' if item.forecast else ''}{item.text}"
        if item.forecast:
            text += f" What happened: {item.outcome or 'not yet known.'}"
        parts.append(text)
    return smarten(f"{len(items)} dated items in order. " + " ".join(parts))


def map_description(nodes: Sequence[MapNode], edges: Sequence[MapEdge]) -> str:
    """The map in words, for the SVG's <desc>: every box and every relation."""
    names = {n.id: _plain(n.label).rstrip(".") for n in nodes}
    main = [names[n.id] for n in nodes if n.group == "motion"]
    lead = f"Main conclusion: {main[0]}. " if main else ""
    relations = [f"{names[e.source]} {e.relation} {names[e.target]}." for e in edges if e.source in names and e.target in names]
    return f"{len(nodes)} positions. {lead}" + " ".join(relations)


def register_jinja(env: jinja2.Environment) -> None:
    """Template helpers: ``timeline_figure``, ``argument_map``, ``timeline_items``, ``position_map``."""
    env.globals.update(
        timeline_figure=timeline_svg,
        argument_map=argument_map_svg,
        timeline_items=timeline_items,
        position_map=position_map,
        timeline_description=timeline_description,
        map_description=map_description,
        TimelineItem=TimelineItem,
        MapNode=MapNode,
        MapEdge=MapEdge,
    )
