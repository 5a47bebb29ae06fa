"""Render stage: Jinja templates turn a selected context into HTML and Markdown.

Templates resolve first in the project's ``templates/`` folder, then in the
built-in set, file by file (like mkdocs' ``custom_dir``). Undefined names
fail loudly; HTML is autoescaped; Markdown in our own text is rendered with
raw HTML switched off, so position files cannot inject markup.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdownify import markdownify
from markupsafe import Markup

from . import figures
from .errors import MemoError, Problem
from .models import Evidence
from .project import Project
from .select import pick

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
# Our framing gets print typography (curly quotes, dashes); source quotations never pass through here.
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(["replacements", "smartquotes"])


def _em_open(self: Any, tokens: list, idx: int, options: Any, env: Any) -> str:
    """``*word*`` is emphasis (bold or italic, per audience); ``_word_`` marks a title or foreign term, always italic."""
    return '<i class="term">' if tokens[idx].markup == "_" else "<em>"


def _em_close(self: Any, tokens: list, idx: int, options: Any, env: Any) -> str:
    return "</i>" if tokens[idx].markup == "_" else "</em>"


_MD.add_render_rule("em_open", _em_open)
_MD.add_render_rule("em_close", _em_close)


def markdown_inline(text: str | None) -> Markup:
    """Our framing text, Markdown inline syntax only, raw HTML escaped."""
    return Markup(_MD.renderInline(text or ""))


def markdown_block(text: str | None) -> Markup:
    return Markup(_MD.render(text or ""))


def paragraph_label(ref: int | str) -> str:
    return f"key point {ref[1:]}" if isinstance(ref, str) else f"¶{ref}"


def css_string(text: str) -> str:
    """Text as the body of a double-quoted CSS string: nothing in it can close the string or the style element."""
    return "".join(ch if ch.isalnum() or ch in " .,:;·’‘“”–—()!?/-" else f"\\{ord(ch):x} " for ch in str(text))


def make_environment(project: Project) -> jinja2.Environment:
    """One environment per project: project templates shadow built-in ones."""
    folders = [project.templates_dir, BUILTIN_TEMPLATES] if project.templates_dir.is_dir() else [BUILTIN_TEMPLATES]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_inline
    env.filters["md_block"] = markdown_block
    env.filters["para"] = paragraph_label
    env.filters["css_string"] = css_string

    def cite(evidence: Evidence) -> str:
        source = project.sources[evidence.source or ""]
        # no-break spaces keep "Aliberti, ¶20" together without `white-space: nowrap`, which breaks WeasyPrint's lines
        return f"{source.meta.author.split()[-1]},\u00a0{paragraph_label(evidence.paragraph)}".replace("key point ", "key\u00a0point\u00a0")

    env.filters["cite"] = cite
    env.globals["position_title"] = lambda pid: markdown_inline(project.positions[pid].title)
    env.globals["pick"] = pick
    figures.register_jinja(env)
    return env


def render_html(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    """Render one document; template errors become located problems, not tracebacks."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise MemoError([Problem(Path(exc.filename or exc.name or template), f"template syntax error: {exc.message}",
                                 line=exc.lineno, hint="check the {% %} and {{ }} tags on this line")]) from None
    except jinja2.UndefinedError as exc:
        where = _template_line(exc)
        raise MemoError([Problem(where[0], f"template uses an undefined name: {exc.message}", line=where[1],
                                 hint="check the spelling against the names listed in README.md (Templates)")]) from None
    except jinja2.TemplateNotFound as exc:
        raise MemoError([Problem(None, f"template not found: {exc.name}",
                                 hint="a section or kind names a template that exists neither in templates/ nor built in")]) from None


def _template_line(exc: BaseException) -> tuple[Path | None, int | None]:
    """The innermost template frame of a rendering error."""
    tb = exc.__traceback__
    found: tuple[Path | None, int | None] = (None, None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".css", ".md")):
            found = (Path(name), tb.tb_lineno)
        tb = tb.tb_next
    return found


_MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S)


def html_to_markdown(html: str) -> str:
    """The document's main content as Markdown, for pasting into other tools."""
    match = _MAIN.search(html)
    body = match.group(1) if match else html
    text = markdownify(body, heading_style="ATX", bullets="-", strip=["span"])
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text + "\n"
