"""The ``memo`` command: a thin shell over the library in :mod:`memo.build`.

Every user error arrives as a :class:`~memo.errors.MemoError` and is
printed as located problems with hints, exit code 1, no traceback.
Exit codes: 0 success, 1 bad input, 2 bad usage (unknown audience, kind or
format, a missing --project folder), 130 interrupted, 70 an internal error
(a bug in memo). Only ``--debug`` shows tracebacks. An interrupt says
exactly what was written (each output is wholly old or wholly new).

Start-up is kept short: this module imports only click; the pipeline, the
models and the kinds are imported when a command runs (``memo --version``
and ``memo --help`` load none of them, ``memo check`` never loads WeasyPrint).
"""

from __future__ import annotations

import functools
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .errors import MemoError, relative, suggest

if TYPE_CHECKING:
    from .build import Built
    from .project import Project

F = TypeVar("F", bound=Callable[..., Any])
MAX_SHOWN = 50  # problems listed in full; the rest are counted
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70  # sysexits' EX_SOFTWARE: memo itself failed, not the input


def _schema_names() -> list[str]:
    from .schemas import SCHEMAS

    return sorted(SCHEMAS)


def _kind_names() -> list[str]:
    from .kinds import KINDS

    return sorted(KINDS)


def _formats() -> tuple[str, ...]:
    from .build import FORMATS

    return FORMATS


def _project_formats() -> list[str]:
    from .exporters import project_formats

    return project_formats()


class _LazyChoice(click.Choice):
    """A choice whose names are looked up only when a command needs them, not at start-up."""

    def __init__(self, names: Callable[[], Iterable[str]], defer: bool = False) -> None:
        self._names = names
        self.defer = defer  # checked by the command itself, after its no-op fast path (see _check_deferred)
        super().__init__(())

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value if self.defer else super().convert(value, param, ctx)

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        return tuple(self._names())

    @choices.setter
    def choices(self, value: Any) -> None:
        pass


def _check_deferred(ctx: click.Context) -> None:
    """Check the values of deferred choices now, as click would have: a wrong one is a usage error (exit 2)."""
    for param in ctx.command.params:
        if isinstance(param.type, _LazyChoice) and param.type.defer:
            checker = click.Choice(param.type.choices)
            for value in ctx.params.get(param.name or "") or ():
                checker.convert(value, param, ctx)


class _LazyHelpOption(click.Option):
    """An option whose help text is computed when help is shown."""

    def __init__(self, *args: Any, lazy_help: Callable[[], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy_help = lazy_help

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = self._lazy_help()
        return super().get_help_record(ctx)


def _reports_problems(command: F) -> F:
    """Turn MemoError into printed problems and exit code 1; no traceback unless --debug."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        obj = click.get_current_context().obj or {}
        try:
            return command(*args, **kwargs)
        except MemoError as exc:
            if obj.get("debug"):
                traceback.print_exc()
            for problem in exc.problems[:MAX_SHOWN]:
                click.echo(problem.render(obj.get("root")), err=True)
            count = len(exc.problems)
            if count > MAX_SHOWN:
                click.echo(f"memo: {count - MAX_SHOWN} more problems not listed; fix the first {MAX_SHOWN} and run again.", err=True)
            click.echo(f"memo: {count} problem{'s' if count != 1 else ''}; nothing was written.", err=True)
            raise SystemExit(1) from None
        except KeyboardInterrupt as exc:
            if obj.get("debug"):
                traceback.print_exc()
            _report_interrupt(exc)
            raise SystemExit(EXIT_INTERRUPTED) from None
        except (click.exceptions.ClickException, click.exceptions.Exit):
            raise
        except Exception as exc:  # a bug in memo: say so plainly, keep the traceback for --debug
            if obj.get("debug"):
                raise
            click.echo(f"memo: internal error ({type(exc).__name__}: {exc}); this is a bug in memo, not in your files. "
                       "Run again with --debug for the traceback and report it.", err=True)
            raise SystemExit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _report_interrupt(exc: KeyboardInterrupt) -> None:
    """Say exactly what an interrupted command left behind (every output is wholly old or wholly new)."""
    from .write import BOOKKEEPING, Interrupted

    obj = click.get_current_context().obj or {}
    written: list[Path] = exc.written if isinstance(exc, Interrupted) else obj.get("written", [])
    written = [path for path in written if path.name not in BOOKKEEPING]
    if not written:
        click.echo("memo: interrupted; nothing was written.", err=True)
        return
    click.echo(f"memo: interrupted after the write step; {len(written)} file(s) written:", err=True)
    for path in written:
        click.echo(f"  {relative(path, obj.get('root'))}", err=True)


def check(root: Path, allow_outside: bool = False) -> Project:
    """:func:`memo.build.check`, imported on first use to keep start-up short."""
    from .build import check as load_and_verify

    return load_and_verify(root, allow_outside)


def _project(ctx: click.Context, verified: bool = False) -> Project:
    """The project the command runs on; ``verified`` also checks every quotation and id."""
    from .load import find_root, load_project

    root = ctx.obj["root"] = find_root(ctx.obj["start"])
    allow = ctx.obj.get("allow_outside", False)
    return check(root, allow) if verified else load_project(root, allow)


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter("write it as i/n, for example 2/4") from None
    if not 1 <= index <= count:
        raise click.BadParameter(f"i must be between 1 and n (got {value})")
    return index, count


class _Reporter:
    """The build's progress: a bar on a terminal; in a log, one line per document once the build has landed.

    Lines wait for the write step because nothing is written when any document fails, and a log
    must not say "built" for a file that never landed.
    """

    def __init__(self, root: Path, verbosity: int, bar: bool) -> None:
        self.root, self.verbosity, self.use_bar = root, verbosity, bar and verbosity == 0
        self.counts = {"built": 0, "up to date": 0, "failed": 0}
        self.started = time.perf_counter()
        self.lines: list[str] = []
        self._bar: Any = None

    def start(self, total: int) -> None:
        if self.use_bar and total:
            self._bar = click.progressbar(length=total, label="building", show_pos=True, item_show_func=lambda item: item)
            self._bar.__enter__()

    def update(self, built: Built) -> None:
        self.counts[built.status] = self.counts.get(built.status, 0) + 1
        if self._bar is not None:
            self._bar.update(1, built.label)
        elif self.verbosity >= 0 and built.status != "failed" and (built.status == "built" or self.verbosity > 0):
            names = ", ".join(relative(p, self.root) for p in built.paths)
            pages = f", {built.pages} page{'s' if built.pages != 1 else ''}" if built.pages else ""
            readability = built.readability()
            self.lines.append(f"{built.status} {names}{pages}" + (f"; {readability}" if readability else ""))

    def note(self, message: str) -> None:
        click.echo(f"memo: {message}", err=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def summary(self) -> str:
        seconds = time.perf_counter() - self.started
        counts = self.counts
        return f"{counts['built']} built, {counts['up to date']} up to date, {counts['failed']} failed in {seconds:.1f} s"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="memo")
@click.option("--project", "-p", "start", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".",
              show_default=True, help="Project folder (the one holding memo.yml), or any folder inside it.")
@click.option("--allow-outside", is_flag=True, help="Let the folders named in memo.yml lie outside the project.")
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for reporting a bug in memo).")
@click.pass_context
def main(ctx: click.Context, start: Path, allow_outside: bool, debug: bool) -> None:
    """Briefing memos, debate packs and handouts from one source and YAML positions."""
    ctx.obj = {"start": start, "root": None, "allow_outside": allow_outside, "debug": debug}


class _BuildCommand(click.Command):
    """``memo build``, with the options document kinds add (``--motion``, ``--debate-format``…).

    They are added only when the command line uses an option the command does not know by itself, or
    when help is shown: loading the kinds costs more than a no-op build (see :mod:`memo.stamp`).
    """

    _kind_options_added = False

    def _add_kind_options(self) -> None:
        if self._kind_options_added:
            return
        from .kinds import build_options

        self._kind_options_added = True
        at = next(n for n, p in enumerate(self.params) if p.name == "strict") + 1
        for option in reversed(build_options()):
            choice = click.Choice(option.choices) if option.choices else None
            self.params.insert(at, click.Option([option.flag, option.name], type=choice, default=None, help=option.help))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = {name for p in self.params for name in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}
        known |= set(ctx.help_option_names)
        if any(arg.startswith("-") and arg.split("=", 1)[0] not in known and not _short_cluster(arg, known) for arg in args):
            self._add_kind_options()
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._add_kind_options()
        super().format_help(ctx, formatter)


def _short_cluster(arg: str, known: set[str]) -> bool:
    """``-qv`` or ``-j2``: short options the command knows, written together."""
    return len(arg) > 2 and arg[1] != "-" and f"-{arg[1]}" in known


@main.command("build", cls=_BuildCommand)
@click.option("--audience", "-a", "audiences", multiple=True, help="Build for this audience (repeatable; default: all).")
@click.option("--kind", "-k", "kinds", multiple=True, type=_LazyChoice(_kind_names, defer=True),
              help="Only this document kind (repeatable).")
@click.option("--format", "-f", "formats", multiple=True, type=_LazyChoice(_formats, defer=True),
              help="Only this format (repeatable; default: all).")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: build/ in the project).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Render in this many worker processes (default: the CPU count).")
@click.option("--shard", callback=_shard, metavar="I/N", help="Build only the I-th of N equal slices of the documents (for CI runners).")
@click.option("--force", is_flag=True, help="Render every document, even those the manifest says are up to date.")
@click.option("--quiet", "-q", "quiet", is_flag=True, help="Print only warnings and problems.")
@click.option("--verbose", "-v", "verbose", is_flag=True, help="List every document (up to date too), its pages, words and grades.")
@click.option("--strict", is_flag=True, help="Treat every warning (WeasyPrint's included) as an error: write nothing.")
@click.pass_context
@_reports_problems
def build_command(ctx: click.Context, audiences: tuple[str, ...], kinds: tuple[str, ...], formats: tuple[str, ...],
                  out: Path | None, jobs: int | None, shard: tuple[int, int] | None, force: bool, quiet: bool, verbose: bool,
                  strict: bool, **options: str | None) -> None:
    """Check the project, then write build/<audience>/<kind>/<name>.<ext> for what changed."""
    from . import stamp as stamps

    verbosity = -1 if quiet else (1 if verbose else 0)
    given = {name: value for name, value in options.items() if value is not None}
    asked = {"audiences": sorted(audiences), "kinds": sorted(kinds), "formats": sorted(formats), "options": given,
             "shard": shard, "strict": strict, "allow_outside": ctx.obj.get("allow_outside", False)}
    taken = None if force else _stamp_for(ctx, out, asked)
    if taken is not None and _answer_unchanged(*taken, asked, verbosity):
        return
    from .build import FORMATS, build, default_jobs
    from .kinds import build_options
    from .write import interrupts_as_keyboard

    options = {option.name: given.get(option.name) for option in build_options()}  # every kind option, given or not
    _check_deferred(ctx)
    _known_audiences(ctx, audiences)
    with interrupts_as_keyboard():
        project = _project(ctx)
        reporter = _Reporter(project.root, verbosity, sys.stdout.isatty())
        try:
            report = build(project, audiences, kinds, formats or FORMATS, out.resolve() if out else None, strict=strict,
                           options=options, jobs=jobs or default_jobs(), progress=reporter, shard=shard, force=force,
                           stamp=(stamps.options_key(asked), taken[2]) if taken else None)
        except MemoError:
            reporter.close()
            if reporter.use_bar and reporter.counts["failed"]:  # in a log, the problems that follow say it all
                click.echo(f"memo: {reporter.summary()}.", err=True)
            raise
        finally:
            reporter.close()
        ctx.obj["written"] = report.written
    for line in reporter.lines:
        click.echo(line)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if verbose:
        for path in report.written:
            click.echo(f"wrote {relative(path, project.root)}")
    if not quiet:
        click.echo(f"{reporter.summary()}; {len(report.written)} file(s) written, {len(report.unchanged)} unchanged.")


def _stamp_for(ctx: click.Context, out: Path | None, asked: dict[str, Any]) -> tuple[Path, Path, str] | None:
    """(root, output folder, stamp) taken before anything is loaded; None when there can be no fast path."""
    from . import stamp as stamps

    root = stamps.project_root(ctx.obj["start"])
    settings = stamps.config(root) if root is not None else None
    if root is None or settings is None:
        return None
    folder = out.resolve() if out else (root / str(settings.get("output_dir", "build"))).resolve()
    if out is None and not asked["allow_outside"] and not folder.is_relative_to(root):
        return None  # memo.yml's output_dir outside the project: the full build refuses it
    return root, folder, stamps.stamp(root, folder, asked, settings)


def _answer_unchanged(root: Path, folder: Path, taken: str, asked: dict[str, Any], verbosity: int) -> bool:
    """When nothing changed since the last identical build, say so as a full build would, without loading."""
    from . import stamp as stamps

    entry = stamps.recorded(folder, asked, taken)
    if entry is None:
        return False
    ctx = click.get_current_context()
    ctx.obj["root"] = root
    started = time.perf_counter()
    documents = entry.get("documents", [])
    if verbosity > 0:
        for _, paths, pages, readability in documents:
            names = ", ".join(relative(folder / p, root) for p in paths)
            shown = f", {pages} page{'s' if pages != 1 else ''}" if pages else ""
            shown += f"; {readability}" if isinstance(readability, str) else ""
            click.echo(f"up to date {names}{shown}")
    for warning in entry.get("warnings", []):
        click.echo(f"warning: {warning}", err=True)
    if verbosity >= 0:
        outputs = len(entry.get("outputs", {}))
        click.echo(f"0 built, {len(documents)} up to date, 0 failed in {time.perf_counter() - started:.1f} s; "
                   f"0 file(s) written, {outputs} unchanged.")
    return True


@main.command("serve")
@click.option("--audience", "-a", "audiences", multiple=True, help="Serve this audience's documents (repeatable; default: all).")
@click.option("--kind", "-k", "kinds", multiple=True, type=_LazyChoice(_kind_names), help="Only this document kind (repeatable).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: build/ in the project).")
@click.pass_context
@_reports_problems
def serve_command(ctx: click.Context, audiences: tuple[str, ...], kinds: tuple[str, ...], port: int, out: Path | None) -> None:
    """Build HTML, serve it on localhost, rebuild on every change and reload the open page."""
    from .load import find_root
    from .serve import Server
    from .write import interrupts_as_keyboard

    _known_audiences(ctx, audiences)
    with interrupts_as_keyboard():
        root = ctx.obj["root"] = find_root(ctx.obj["start"])
        server = Server(root, audiences, kinds, out.resolve() if out else None, port, say=click.echo)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("memo: stopped serving.", err=True)
            raise SystemExit(EXIT_INTERRUPTED) from None


def _known_audiences(ctx: click.Context, audiences: tuple[str, ...]) -> None:
    """An unknown --audience is a usage error (exit 2), found before the whole project is loaded."""
    if not audiences:
        return
    from .load import audience_names, find_root

    known = audience_names(find_root(ctx.obj["start"]))
    for name in audiences:
        if name not in known:
            near = suggest(name, known)
            raise click.BadParameter(f"no audience named '{name}'; {near + ' ' if near else ''}audiences: {', '.join(sorted(known))}",
                                     ctx=ctx, param_hint="'--audience'")


@main.command("check")
@click.option("--coverage", "show_coverage", is_flag=True,
              help="Also list, for each edition, the source paragraphs, positions, claims, counters, risks and facts it "
                   "shows and those its audience's limits drop.")
@click.pass_context
@_reports_problems
def check_command(ctx: click.Context, show_coverage: bool = False) -> None:
    """Validate every file and verify every quotation; list all problems."""
    from .verify import deprecations, review

    project = _project(ctx, verified=True)
    if show_coverage:
        from .coverage import coverage

        for edition in coverage(project):
            click.echo("\n".join(edition.lines()))
    for warning in deprecations(project):
        click.echo(f"warning: {warning}", err=True)
    for warning in review(project):
        click.echo(f"warning: {warning.render(project.root)}", err=True)
    quotes = sum(len(p.all_evidence()) for p in project.positions.values())
    click.echo(f"ok: {len(project.sources)} source(s), {len(project.positions)} positions, {quotes} position quotes, "
               f"{len(project.documents)} document(s), {len(project.audiences)} audiences; every quotation verified.")
    _report_readability(project)


READABILITY_HEADING = "readability (words; Flesch-Kincaid grade of our framing, target, and of the quotations):"


def _report_readability(project: Project) -> None:
    """Each document's length and reading grades against its audience's target; over target is a warning."""
    from .readability import describe, document_readings, warning

    found = document_readings(project)
    if not found:
        return
    click.echo(READABILITY_HEADING)
    for item in found:
        click.echo(f"  {item.label}: {describe(item.reading, item.target)}")
    for item in found:
        if item.over:
            click.echo(f"warning: {warning(item.label, item.reading, item.target)}", err=True)


@main.command("list")
@click.option("--audiences", "only_audiences", is_flag=True, help="Only the audiences.")
@click.option("--verbose", "-v", is_flag=True, help="With each audience's limits, register and typography.")
@click.pass_context
@_reports_problems
def list_command(ctx: click.Context, only_audiences: bool, verbose: bool) -> None:
    """Sources, positions, documents, audiences and kinds."""
    from .kinds import KINDS

    project = _project(ctx)
    listing = {
        "sources": [(s.id, f"{s.meta.author}, “{s.meta.title}” ({len(s.paragraphs)} paragraphs, {len(s.key_points)} key points)")
                    for s in project.sources.values()],
        "positions": [(p.id, f"[priority {p.priority}] {p.title} ({len(p.claims)} claims, {len(p.all_evidence())} quotes)")
                      for p in project.positions.values()],
        "documents": [(d.name, f"({d.kind}) {d.title}") for d in project.documents.values()],
        "audiences": [(a.name, f"{a.label} ({a.tone}, {a.stance})") for a in project.audiences.values()],
        "kinds": [(k.name, k.description) for k in KINDS.values()],
    }
    for heading, rows in listing.items():
        if only_audiences and heading != "audiences":
            continue
        click.echo(f"{heading}:")
        for key, text in rows:
            click.echo(f"  {key}: {text}")
            if verbose and heading == "audiences":
                for line in audience_details(project.audiences[key]):
                    click.echo(f"      {line}")


def audience_details(audience: Any) -> list[str]:
    """What an audience profile applies, one setting a line, as the builds will use it."""
    settings = audience.model_dump(exclude={"name", "label", "description", "extends", "length", "typography", "sections"})
    lines = [", ".join(f"{k}: {v}" for k, v in settings.items() if v not in (None, [], {}))]
    length = {k: v for k, v in audience.length.model_dump().items() if v not in (None, {}, [])}
    shown = {k: ("; ".join(f"{n} {m}" for n, m in v.items()) if isinstance(v, dict) else v) for k, v in length.items()}
    lines.append("limits: " + ", ".join(f"{k}: {v}" for k, v in shown.items()))
    lines.append("typography: " + ", ".join(f"{k}: {v}" for k, v in audience.typography.model_dump().items()))
    lines.extend(f"sections of a {kind}: {', '.join(names)}" for kind, names in audience.sections.items())
    return lines


def _exporter(name: str) -> Any:
    from .exporters import EXPORTERS

    return EXPORTERS[name]


@main.command("export")
@click.option("--format", "-f", "fmt", type=_LazyChoice(_project_formats), default="json", show_default=True, cls=_LazyHelpOption,
              lazy_help=lambda: "What to write: " + "; ".join(f"{n}: {_exporter(n).description}" for n in _project_formats()) + ".")
@click.pass_context
@_reports_problems
def export_command(ctx: click.Context, fmt: str) -> None:
    """The resolved, verified project in another tool's format, on standard output."""
    data = _exporter(fmt).project(_project(ctx, verified=True))  # type: ignore[misc]
    click.echo(data.decode("utf-8"), nl=False)


@main.command("schema")
@click.argument("what", type=_LazyChoice(_schema_names), required=False)
@click.option("--write", "folder", type=click.Path(file_okay=False, path_type=Path), metavar="FOLDER",
              help="Write every schema as FOLDER/<type>.json (what the files' yaml-language-server comments point at).")
def schema_command(what: str | None, folder: Path | None) -> None:
    """JSON Schema for one kind of file, for editor completion and validation."""
    from .schemas import schema_text, write_schemas

    if folder is not None:
        if what is not None:
            raise click.UsageError("give a file type to print, or --write FOLDER to write them all, not both")
        for path in write_schemas(folder):
            click.echo(f"wrote {path}")
        return
    if what is None:
        raise click.UsageError("name a file type (" + ", ".join(_schema_names()) + "), or give --write FOLDER")
    click.echo(schema_text(what), nl=False)


@main.command("quote")
@click.argument("words", required=False)
@click.option("--paragraph", "-n", "ref", help="Print this paragraph (a number, a key point such as k2, or VI.2) instead of searching.")
@click.option("--source", "-s", "source_id", help="Search or print only this source.")
@click.pass_context
@_reports_problems
def quote_command(ctx: click.Context, words: str | None, ref: str | None, source_id: str | None) -> None:
    """Find a passage in the sources and print its exact words, ready to paste as YAML."""
    from .quotes import find_quote

    project = _project(ctx)
    if source_id is not None and source_id not in project.sources:
        raise click.UsageError(f"no source named '{source_id}' (sources: {', '.join(project.sources)})")
    sources = [project.sources[source_id]] if source_id else list(project.sources.values())
    several = len(project.sources) > 1
    if ref is not None:
        key: int | str = int(ref) if ref.isdigit() else ref
        shown = [(s, s.passage(key)) for s in sources if s.passage(key) is not None]
        if not shown:
            raise click.UsageError(f"no paragraph {ref} in {', '.join(s.id for s in sources)}")
        for source, text in shown:
            click.echo(f"{source.id} {source.locate(key)}:\n{text}")
        return
    if not words:
        raise click.UsageError("give some words to look for, or --paragraph N")
    subset = project if source_id is None else _only(project, source_id)
    found = find_quote(subset, words)
    if not found:
        click.echo(f"memo: nothing in the sources is close to “{words}”", err=True)
        click.echo("  hint: try fewer or rarer words, or print a paragraph with --paragraph N", err=True)
        raise SystemExit(1)
    for item in found:
        how = "exact" if item.exact else f"{item.score:.0f}% match; the source's words differ from yours"
        click.echo(f"# {item.source.id} {item.source.locate(item.ref)} ({how})")
        click.echo(item.yaml(several))


def _only(project: Project, source_id: str) -> Project:
    """The project seen through one source, for searching it alone."""
    from dataclasses import replace

    return replace(project, sources={source_id: project.sources[source_id]})


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--source", "source_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The text to start from: plain text, Markdown or HTML.")
@_reports_problems
def init_command(folder: Path, source_file: Path) -> None:
    """Start a new project in FOLDER from a source text; it checks and builds at once."""
    from .scaffold import init_project

    written = init_project(folder, source_file)
    for path in written:
        if path.suffix != ".json":
            click.echo(f"wrote {relative(path, folder.resolve())}")
    click.echo(f"next: cd {folder} && memo check && memo build --audience students")
    click.echo("  fill in what the source's front matter marks `fill in`, then write positions (`memo quote` finds exact words).")


@main.command("doctor")
@click.pass_context
def doctor_command(ctx: click.Context) -> None:
    """Check this machine: Python, WeasyPrint, Pango, fonts, write access and the test tools."""
    from .doctor import diagnose, project_text
    from .load import find_root, load_project

    text = output = None
    tools = Path.cwd() / ".tools"
    try:
        project = load_project(find_root(ctx.obj["start"]))
        text, output, tools = project_text(project), project.output_dir, project.root / ".tools"
    except MemoError:
        click.echo("(no valid project here: checking the machine only)")
    findings = diagnose(text, output, tools)
    for finding in findings:
        mark = "ok " if finding.ok else ("!! " if finding.required else "-- ")
        click.echo(f"{mark}{finding.name}: {finding.detail}")
        if not finding.ok and finding.fix:
            click.echo(f"     fix: {finding.fix}{'' if finding.required else ' (optional)'}")
    failed = [f for f in findings if f.required and not f.ok]
    click.echo("memo doctor: all required checks pass." if not failed else f"memo doctor: {len(failed)} required check(s) failed.")
    raise SystemExit(1 if failed else 0)
