"""The ``memo`` command: a thin shell over the library in :mod:`memo.build`.

Every user error arrives as a :class:`~memo.errors.MemoError` and is
printed as located problems with hints, exit code 1, no traceback.
Exit codes: 0 success, 1 bad input, 2 bad usage (unknown audience, kind or
format, a missing --project folder), 130 interrupted, 70 an internal error
(a bug in memo). Only ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import functools
import json
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .build import FORMATS, build, check
from .errors import MemoError, relative, suggest
from .exporters import EXPORTERS, project_formats
from .kinds import KINDS, build_options
from .load import audience_names, find_root, load_project
from .project import Project
from .schemas import SCHEMAS, schema
from .verify import deprecations, review

F = TypeVar("F", bound=Callable[..., Any])
MAX_SHOWN = 50  # problems listed in full; the rest are counted
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70  # sysexits' EX_SOFTWARE: memo itself failed, not the input


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
        except KeyboardInterrupt:
            if obj.get("debug"):
                traceback.print_exc()
            click.echo("memo: interrupted; nothing was written.", err=True)
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


def _project(ctx: click.Context, verified: bool = False) -> Project:
    """The project the command runs on; ``verified`` also checks every quotation and id."""
    root = ctx.obj["root"] = find_root(ctx.obj["start"])
    allow = ctx.obj.get("allow_outside", False)
    return check(root, allow) if verified else load_project(root, allow)


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


def _kind_options(command: F) -> F:
    """The options document kinds add to ``memo build`` (``--motion``, ``--debate-format``…)."""
    for option in reversed(build_options()):
        choice = click.Choice(option.choices) if option.choices else None
        command = click.option(option.flag, option.name, type=choice, default=None, help=option.help)(command)
    return command


@main.command("build")
@click.option("--audience", "-a", "audiences", multiple=True, help="Build for this audience (repeatable; default: all).")
@click.option("--kind", "-k", "kinds", multiple=True, type=click.Choice(sorted(KINDS)), help="Only this document kind (repeatable).")
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(FORMATS), help="Only this format (repeatable; default: all).")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: build/ in the project).")
@click.option("--strict", is_flag=True, help="Treat every warning (WeasyPrint's included) as an error: write nothing.")
@_kind_options
@click.pass_context
@_reports_problems
def build_command(ctx: click.Context, audiences: tuple[str, ...], kinds: tuple[str, ...],
                  formats: tuple[str, ...], out: Path | None, strict: bool, **options: str | None) -> None:
    """Check the project, then write build/<audience>/<kind>/<name>.<ext>."""
    _known_audiences(ctx, audiences)
    project = _project(ctx)
    report = build(project, audiences, kinds, formats or FORMATS, out.resolve() if out else None, strict=strict, options=options)
    for built in report.documents:
        pages = f", {built.pages} page{'s' if built.pages != 1 else ''}" if built.pages else ""
        grade = f", reading grade {built.reading_grade}" if built.reading_grade is not None else ""
        names = ", ".join(relative(p, project.root) for p in built.paths)
        click.echo(f"built {names}{pages}{grade}")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{len(report.written)} file(s) written, {len(report.unchanged)} unchanged.")


def _known_audiences(ctx: click.Context, audiences: tuple[str, ...]) -> None:
    """An unknown --audience is a usage error (exit 2), found before the whole project is loaded."""
    if not audiences:
        return
    known = audience_names(find_root(ctx.obj["start"]))
    for name in audiences:
        if name not in known:
            near = suggest(name, known)
            raise click.BadParameter(f"no audience named '{name}'; {near + ' ' if near else ''}audiences: {', '.join(sorted(known))}",
                                     ctx=ctx, param_hint="'--audience'")


@main.command("check")
@click.pass_context
@_reports_problems
def check_command(ctx: click.Context) -> None:
    """Validate every file and verify every quotation; list all problems."""
    project = _project(ctx, verified=True)
    for warning in deprecations(project):
        click.echo(f"warning: {warning}", err=True)
    for warning in review(project):
        click.echo(f"warning: {warning.render(project.root)}", err=True)
    quotes = sum(len(p.all_evidence()) for p in project.positions.values())
    click.echo(f"ok: {len(project.sources)} source(s), {len(project.positions)} positions, {quotes} position quotes, "
               f"{len(project.documents)} document(s), {len(project.audiences)} audiences; every quotation verified.")
    _report_readability(project)


def _report_readability(project: Project) -> None:
    """Each document's length and reading grades against its audience's target; over target is a warning."""
    from .readability import document_readings

    found = document_readings(project)
    if not found:
        return
    click.echo("readability (words; Flesch-Kincaid grade of our framing, target, and of the quotations):")
    for item in found:
        r = item.reading
        target = f" (target {item.target:g})" if item.target is not None else ""
        framing = f"framing {r.framing_grade}{target}" if r.framing_grade is not None else "framing too short to grade"
        quotes = f", quotations {r.quotes_grade}" if r.quotes_grade is not None else ""
        click.echo(f"  {item.label}: {r.words:,} words; {framing}{quotes}")
    for item in found:
        if item.over:
            click.echo(f"warning: {item.label}: our framing reads at grade {item.reading.framing_grade}, "
                       f"above the target of {item.target:g}", err=True)


@main.command("list")
@click.option("--audiences", "only_audiences", is_flag=True, help="Only the audiences.")
@click.option("--verbose", "-v", is_flag=True, help="With each audience's limits, register and typography.")
@click.pass_context
@_reports_problems
def list_command(ctx: click.Context, only_audiences: bool, verbose: bool) -> None:
    """Sources, positions, documents, audiences and kinds."""
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
                for line in _audience_details(project.audiences[key]):
                    click.echo(f"      {line}")


def _audience_details(audience: Any) -> list[str]:
    """What an audience profile applies, one setting a line, as the builds will use it."""
    settings = audience.model_dump(exclude={"name", "label", "description", "extends", "length", "typography", "sections"})
    lines = [", ".join(f"{k}: {v}" for k, v in settings.items() if v not in (None, [], {}))]
    length = {k: v for k, v in audience.length.model_dump().items() if v not in (None, {}, [])}
    shown = {k: ("; ".join(f"{n} {m}" for n, m in v.items()) if isinstance(v, dict) else v) for k, v in length.items()}
    lines.append("limits: " + ", ".join(f"{k}: {v}" for k, v in shown.items()))
    lines.append("typography: " + ", ".join(f"{k}: {v}" for k, v in audience.typography.model_dump().items()))
    lines.extend(f"sections of a {kind}: {', '.join(names)}" for kind, names in audience.sections.items())
    return lines


@main.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice(project_formats()), default="json", show_default=True,
              help="What to write: " + "; ".join(f"{n}: {EXPORTERS[n].description}" for n in project_formats()) + ".")
@click.pass_context
@_reports_problems
def export_command(ctx: click.Context, fmt: str) -> None:
    """The resolved, verified project in another tool's format, on standard output."""
    data = EXPORTERS[fmt].project(_project(ctx, verified=True))  # type: ignore[misc]
    click.echo(data.decode("utf-8"), nl=False)


@main.command("schema")
@click.argument("what", type=click.Choice(sorted(SCHEMAS)))
def schema_command(what: str) -> None:
    """JSON Schema for one kind of file, for editor completion and validation."""
    click.echo(json.dumps(schema(what), indent=2, ensure_ascii=False))


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
