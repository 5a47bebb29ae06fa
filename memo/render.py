"""Render stage: Jinja templates turn a selected context into HTML and Markdown.

Templates resolve first in the project's ``templates/`` folder, then in the
built-in set, file by file (like mkdocs' ``custom_dir``). Template folders are
shared between schools and clubs, so every template runs in Jinja's immutable
sandbox and may include only files inside the template folders. Undefined
names fail loudly; HTML is autoescaped; values reaching CSS (``*.css``
templates) are CSS-escaped, so a title can never close the ``<style>`` block.
Markdown in our own text is rendered with raw HTML switched off, and the
finished HTML passes :func:`neutralise`, so no input becomes live markup.
"""

from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markdown_it import MarkdownIt
from markdownify import MarkdownConverter
from markupsafe import Markup

from . import figures
from .errors import MemoError, Problem, inside
from .models import Evidence
from .project import Project
from .select import pick
from .text import smarten
from .voice import install

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_SUFFIXES = (".html", ".css", ".md", ".xml", ".svg", ".txt")
# Our framing gets print typography (curly quotes, dashes); source quotations never pass through here.
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(["replacements", "smartquotes"])
# Sizes a template expression may build: enough for any document, too small to exhaust memory.
MAX_REPEAT = 100_000
MAX_EXPONENT = 1_000


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


# --------------------------------------------------------------------------- CSS


def css_escape(value: Any, string: bool = False) -> str:
    """``value`` with every character that could end a CSS token written as a CSS escape.

    Letters, digits, ``_ . # % -`` and printable non-ASCII stay as they are, so
    ``A4``, ``#ffffff`` or ``10.5`` pass unchanged; quotes, backslashes, braces,
    semicolons, angle brackets and control characters become ``\\hex `` escapes,
    which are inert inside a CSS string and inside an identifier alike.
    """
    out = []
    for ch in str(value):
        code = ord(ch)
        if (ch.isascii() and ch.isalnum()) or ch in "_.#%-" or (code >= 0xA0 and ch.isprintable()) or (string and ch == " "):
            out.append(ch)
        elif code == 0:
            out.append("\ufffd")
        else:
            out.append(f"\\{code:x} ")
    return "".join(out)


def css_string(value: Any) -> Markup:
    """A value as a quoted CSS string, e.g. for ``content:``; the only way text should reach CSS."""
    return Markup('"' + css_escape(smarten(str(value)), string=True) + '"')


@jinja2.pass_context
def _finalize(context: jinja2.runtime.Context, value: Any) -> Any:
    """Every ``{{ }}`` in a CSS template is CSS-escaped unless a CSS filter made it already; elsewhere plain text
    gets curly quotes and apostrophes (our Markdown has them from its typographer; addresses are left alone)."""
    if isinstance(value, Markup):
        return value
    if context.name and context.name.endswith(".css"):
        return Markup(css_escape(smarten(str(value))))
    if isinstance(value, str) and "://" not in value:
        return smarten(value)
    return value


# --------------------------------------------------------------------------- the environment


class TemplateOutside(jinja2.TemplateNotFound):
    """An include, import or extends that would read a file outside the template folders."""


class ConfinedLoader(jinja2.FileSystemLoader):
    """A file-system loader that serves only files inside its folders (no absolute paths, ``..`` or symlinks out)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        if template.startswith(("/", "\\")) or "\\" in template or ".." in template.split("/") or ":" in template:
            raise TemplateOutside(template, f"'{template}' is outside the template folders")
        source, filename, uptodate = super().get_source(environment, template)
        if not any(inside(Path(filename), Path(folder)) for folder in self.searchpath):
            raise TemplateOutside(template, f"'{template}' leads outside the template folders")
        return source, filename, uptodate


class MemoSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with string/list repetition and powers bounded."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"the power {left!r} ** {right!r} is too large for a template")
            return left**right
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
                raise SecurityError(f"repeating a value {count} times is too much for a template")
        return left * right


def template_folders(project: Project) -> list[Path]:
    """The project's templates folder (when it exists), then the built-in templates."""
    return [project.templates_dir, BUILTIN_TEMPLATES] if project.templates_dir.is_dir() else [BUILTIN_TEMPLATES]


def make_environment(project: Project) -> jinja2.Environment:
    """One sandboxed environment per project: project templates shadow built-in ones."""
    env = MemoSandbox(
        loader=ConfinedLoader([str(f) for f in template_folders(project)]),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg", "css"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_inline
    env.filters["md_block"] = markdown_block
    env.filters["css_string"] = css_string

    def cite(evidence: Evidence) -> str:
        source = project.sources[evidence.source or ""]
        # a no-break space keeps "Aliberti, ¶20" together without `white-space: nowrap`, which breaks WeasyPrint's lines
        return f"{source.meta.short_cite},\u00a0{source.locate(evidence.paragraph)}"

    def para(ref: int | str, source: str | None = None) -> str:
        """A paragraph reference in its source's locator style (the only source's, when not named)."""
        found = project.sources.get(source or "") or (next(iter(project.sources.values())) if len(project.sources) == 1 else None)
        return found.locate(ref) if found else paragraph_label(ref)

    env.filters["cite"] = cite
    env.filters["para"] = para
    install(env, project, markdown_inline)
    env.globals["position_title"] = lambda pid: markdown_inline(project.positions[pid].title)
    env.globals["pick"] = pick
    figures.register_jinja(env)
    return env


def render_html(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    """Render one document; every template error becomes a located problem, never a traceback."""
    try:
        return env.get_template(template).render(**context)
    except Exception as exc:  # a template may fail in any way: each becomes a located problem
        raise MemoError([template_problem(exc, template)]) from None


def template_problem(exc: BaseException, template: str | None = None) -> Problem:
    """The located problem for an error raised while compiling or running a template."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(Path(exc.filename or exc.name or template or "?"), f"template syntax error: {exc.message}",
                       line=exc.lineno, hint="check the {% %} and {{ }} tags on this line")
    path, line = _template_line(exc)
    if isinstance(exc, jinja2.UndefinedError):
        return Problem(path, f"template uses an undefined name: {exc.message}", line=line,
                       hint="check the spelling against the names listed in README.md (Templates)")
    if isinstance(exc, jinja2.TemplateNotFound):
        why = exc.message if isinstance(exc, TemplateOutside) else f"template not found: {exc.name}"
        return Problem(path, why or "", line=line,
                       hint="include only templates inside templates/ or memo's built-in set, by a relative name "
                            "such as \"memo/bluf.html\"; a section or kind names a template that must exist")
    if isinstance(exc, SecurityError):
        return Problem(path, f"template tried something the sandbox forbids: {exc}", line=line,
                       hint="templates may only read the values memo gives them; they cannot reach Python internals")
    if isinstance(exc, RecursionError):
        return Problem(path, "templates include or call each other without end", line=line,
                       hint="remove the include or macro call that leads back to itself")
    return Problem(path, f"template error: {type(exc).__name__}: {exc}", line=line,
                   hint="fix the expression on this line (for example a division by zero or a wrong type)")


def _template_line(exc: BaseException) -> tuple[Path | None, int | None]:
    """The innermost template frame of a rendering error."""
    tb = exc.__traceback__
    found: tuple[Path | None, int | None] = (None, None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(TEMPLATE_SUFFIXES):
            found = (Path(name), tb.tb_lineno)
        tb = tb.tb_next
    return found


# --------------------------------------------------------------------------- memo check: every template


def check_templates(project: Project, trial: bool = True) -> list[Problem]:
    """Compile every template (project and built-in); with ``trial``, also render every document once.

    Reports syntax errors, includes that leave the template folders or name no
    template, and names no context provides, each with its template file and line.
    """
    from jinja2 import meta, nodes

    env = make_environment(project)
    problems: list[Problem] = []
    parsed: dict[str, tuple[Path, nodes.Template]] = {}
    for folder in template_folders(project):
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if not path.is_file() or path.suffix not in TEMPLATE_SUFFIXES or name.startswith("assets/") or name in parsed:
                continue
            if not inside(path, folder):
                problems.append(Problem(path, "the template is a link to a file outside the template folders",
                                        hint="copy the file into templates/ instead of linking to it"))
                continue
            try:
                source = path.read_text("utf-8")
                tree = env.parse(source, name, str(path))
                env.compile(tree, name, str(path))
            except UnicodeDecodeError:
                problems.append(Problem(path, "the template is not UTF-8 text", hint="save the file as UTF-8"))
                continue
            except Exception as exc:  # any compile failure is the template's problem
                problems.append(template_problem(exc, name))
                continue
            parsed[name] = (path, tree)
    # Names a template may use: what memo provides, what any template defines, and what the built-in
    # templates use (a kind's context, even for kinds this project has no document of).
    known = set(env.globals) | set(env.filters) | {"kind", "version"} | _context_names(project)
    for path, tree in parsed.values():
        known |= {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        known |= {n.target for n in tree.find_all((nodes.Import, nodes.FromImport)) if isinstance(getattr(n, "target", None), str)}
        known |= {n.name for n in tree.find_all(nodes.Macro)}
        if inside(path, BUILTIN_TEMPLATES):
            known |= meta.find_undeclared_variables(tree)
    for path, tree in parsed.values():
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            problem = _check_reference(env, path, node)
            if problem is not None:
                problems.append(problem)
        for missing in sorted(meta.find_undeclared_variables(tree) - known):
            line = next((n.lineno for n in tree.find_all(nodes.Name) if n.name == missing), None)
            problems.append(Problem(path, f"template uses an undefined name: '{missing}'", line=line,
                                    hint="check the spelling against the names listed in README.md (Templates)"))
    if trial and not problems:
        problems.extend(_trial_render(project, env))
    return _unique(problems)


def _check_reference(env: jinja2.Environment, path: Path, node: Any) -> Problem | None:
    """An include, import or extends of a literal name must stay inside the template folders and exist."""
    from jinja2 import nodes

    target = node.template
    names = [target.value] if isinstance(target, nodes.Const) else [
        item.value for item in getattr(target, "items", []) if isinstance(item, nodes.Const)]
    for name in names:
        if not isinstance(name, str):
            continue
        try:
            env.loader.get_source(env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound as exc:
            outside = isinstance(exc, TemplateOutside) and exc.message
            return Problem(path, outside or f"template not found: {name}", line=node.lineno,
                           hint="include only templates inside templates/ or memo's built-in set, by a relative name such as "
                                "\"memo/bluf.html\"")
    return None


def _context_names(project: Project) -> set[str]:
    """Every name the kinds put into a template context (from a trial selection)."""
    from .kinds import KINDS, specs

    names: set[str] = set()
    for spec in specs(project):
        for audience in project.audiences.values():
            try:
                outputs = KINDS[spec.kind].outputs(project, spec, audience)
            except Exception:  # selection problems are verify's to report
                continue
            for document in outputs:
                names |= set(document.context)
            if outputs:  # a spec may be built for some audiences only
                break
    return names


def _trial_render(project: Project, env: jinja2.Environment) -> list[Problem]:
    """Render every document for every audience, to find runtime template errors before a build does."""
    from . import __version__
    from .kinds import KINDS, specs

    problems: list[Problem] = []
    for spec in specs(project):
        kind = KINDS[spec.kind]
        for audience in project.audiences.values():
            for document in kind.outputs(project, spec, audience):
                try:
                    render_html(env, document.template, {**document.context, "kind": kind.name, "version": __version__})
                except MemoError as exc:
                    problems.extend(exc.problems)
    return problems


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for problem in problems:
        key = (problem.path, problem.line, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


# --------------------------------------------------------------------------- the finished HTML

# Elements that run code or pull in another document: never kept, whatever wrote them.
_DROP_WITH_CONTENT = frozenset({"script"})
_DROP_TAG = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"})
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "cite",
                             "lowsrc", "dynsrc", "longdesc", "ping", "manifest", "codebase", "srcset", "imagesrcset"})
# Attributes the PDF renderer fetches: kept only when they name a file it would read.
_RESOURCE_ATTRIBUTES = frozenset({"src", "poster", "background", "srcset", "data", "lowsrc", "dynsrc"})
_LIVE_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text/html", "data:application", "data:image/svg")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]*)\3""", re.I)


def live_url(value: str) -> bool:
    """True when a browser would run ``value`` as script (``javascript:`` and kin, however disguised)."""
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", htmllib.unescape(value)).lower()
    return squeezed.startswith(_LIVE_SCHEMES)


def readable(url: str, root: Path) -> bool:
    """Whether the PDF renderer would read ``url``: memo's assets, or a file inside the project."""
    if url.startswith("memo-assets:") or url.startswith("#"):
        return True
    parsed = urlparse(url)
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
    elif parsed.scheme or parsed.netloc or not parsed.path:
        return False
    else:
        path = root / unquote(parsed.path)
    return inside(path, root) and path.is_file()


class _Neutraliser(HTMLParser):
    """Finds live markup and unreadable resources in finished HTML, as (start, end, replacement) edits."""

    def __init__(self, text: str, root: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.root = root
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.edits: list[tuple[int, int, str]] = []
        self.dropped: list[str] = []
        self.dropping: tuple[str, int] | None = None
        self.in_style = False

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, self.get_starttag_text() or "")

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], raw: str) -> None:
        start = self._offset()
        end = start + len(raw)
        if self.dropping:
            return
        if tag in _DROP_WITH_CONTENT:
            self.dropping = (tag, start)
            return
        if tag == "style":
            self.in_style = True
        if tag in _DROP_TAG or (tag == "meta" and any(k == "http-equiv" for k, _ in attrs)
                                and any(k == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs)):
            self.edits.append((start, end, ""))
            return
        href = dict(attrs).get("href")
        if tag == "link" and href and not readable(href, self.root):
            self.dropped.append(href)
            self.edits.append((start, end, ""))
            return
        kept: list[tuple[str, str | None]] = []
        for key, value in attrs:
            if key.startswith("on") or key in {"srcdoc", "formaction"} or (key in _URL_ATTRIBUTES and value and live_url(value)):
                continue
            if key in _RESOURCE_ATTRIBUTES and value is not None and not all(
                    readable(part.strip().split(" ")[0], self.root) for part in (value.split(",") if key.endswith("srcset") else [value])):
                self.dropped.append(value)
                if tag == "img":
                    alt = dict(attrs).get("alt") or ""
                    self.edits.append((start, end, f'<span class="dropped-image">{htmllib.escape(alt)}</span>' if alt else ""))
                    return
                continue
            if key == "style" and value and not self._css_ok(value):
                continue
            kept.append((key, value))
        if kept != attrs:
            rebuilt = "<" + tag + "".join(f" {k}" if v is None else f' {k}="{htmllib.escape(v, quote=True)}"' for k, v in kept)
            self.edits.append((start, end, rebuilt + (" />" if raw.rstrip().endswith("/>") else ">")))

    def _css_ok(self, css: str) -> bool:
        lowered = re.sub(r"\s+", "", css).lower()
        if "expression(" in lowered or "javascript:" in lowered or "-moz-binding" in lowered:
            return False
        return all(readable(m.group(2) if m.group(2) is not None else m.group(4), self.root) for m in _CSS_URL.finditer(css)
                   if (m.group(2) or m.group(4) or "").strip())

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self.text.find(">", start) + 1 or len(self.text)
        if self.dropping:
            if tag == self.dropping[0]:
                self.edits.append((self.dropping[1], end, ""))
                self.dropping = None
            return
        if tag == "style":
            self.in_style = False
        if tag in _DROP_TAG:
            self.edits.append((start, end, ""))

    def handle_data(self, data: str) -> None:
        if self.in_style and not self.dropping:
            start = self._offset()
            for match in _CSS_URL.finditer(data):
                url = match.group(2) if match.group(2) is not None else match.group(4)
                if url.strip() and not readable(url, self.root):
                    self.dropped.append(url)
                    self.edits.append((start + match.start(), start + match.end(), "url(about:invalid)" if match.group(2) is not None
                                       else "@import url(about:invalid)"))

    def close(self) -> None:
        super().close()
        if self.dropping:
            self.edits.append((self.dropping[1], len(self.text), ""))
            self.dropping = None


def neutralise(html: str, root: Path) -> tuple[str, list[str]]:
    """``html`` without live markup (scripts, event handlers, ``javascript:`` URLs, frames) and without
    any resource the PDF renderer would refuse; also the refused URLs, for the build's warnings.

    Untouched tags keep their exact bytes; only what is removed changes.
    """
    scanner = _Neutraliser(html, root)
    scanner.feed(html)
    scanner.close()
    if not scanner.edits:
        return html, scanner.dropped
    out, position = [], 0
    for start, end, replacement in sorted(scanner.edits):
        if start < position:
            continue
        out.append(html[position:start])
        out.append(replacement)
        position = end
    out.append(html[position:])
    return "".join(out), scanner.dropped


# --------------------------------------------------------------------------- Markdown


class _SafeMarkdown(MarkdownConverter):
    """markdownify that keeps text as text: ``<``, ``&``, brackets and backslashes are escaped."""

    def escape(self, text: str, parent_tags: Any = None) -> str:
        text = super().escape(text, parent_tags) if text else ""
        return (text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("[", "\\[").replace("]", "\\]"))


_MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S)


def html_to_markdown(html: str) -> str:
    """The document's main content as Markdown, for pasting into other tools; no raw HTML survives."""
    match = _MAIN.search(html)
    body = match.group(1) if match else html
    text = _SafeMarkdown(heading_style="ATX", bullets="-", strip=["span"]).convert(body)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text + "\n"
