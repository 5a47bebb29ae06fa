"""The ``memo`` command: a thin shell over the library in :mod:`memo.build`.

Every user error arrives as a :class:`~memo.errors.MemoError` and is
printed as located problems with hints, exit code 1, no traceback.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .build import FORMATS, build, check
from .errors import MemoError, relative
from .exporters import EXPORTERS, project_formats
from .kinds import KINDS
from .load import find_root, load_project
from .models import Audience, Context, Position, ProjectConfig, SourceMeta
from .project import Project
from .verify import deprecations

F = TypeVar("F", bound=Callable[..., Any])
SCHEMAS = {"position": Position, "context": Context, "audience": Audience, "source": SourceMeta, "project": ProjectConfig,
           **{name: kind.spec for name, kind in KINDS.items()}}


def _reports_problems(command: F) -> F:
    """Turn MemoError into printed problems and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MemoError as exc:
            root = click.get_current_context().obj.get("root") if click.get_current_context().obj else None
            for problem in exc.problems:
                click.echo(problem.render(root), err=True)
            count = len(exc.problems)
            click.echo(f"memo: {count} problem{'s' if count != 1 else ''}; nothing was written.", err=True)
            raise SystemExit(1) from None

    return wrapper  # type: ignore[return-value]


def _project(ctx: click.Context, verified: bool = False) -> Project:
    """The project the command runs on; ``verified`` also checks every quotation and id."""
    root = ctx.obj["root"] = find_root(ctx.obj["start"])
    return check(root) if verified else load_project(root)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="memo")
@click.option("--project", "-p", "start", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Project folder (the one holding memo.yml), or any folder inside it.")
@click.pass_context
def main(ctx: click.Context, start: Path) -> None:
    """Briefing memos, debate packs and handouts from one source and YAML positions."""
    ctx.obj = {"start": start, "root": None}


@main.command("build")
@click.option("--audience", "-a", "audiences", multiple=True, help="Build for this audience (repeatable; default: all).")
@click.option("--kind", "-k", "kinds", multiple=True, type=click.Choice(sorted(KINDS)), help="Only this document kind (repeatable).")
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(FORMATS), help="Only this format (repeatable; default: all).")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: build/ in the project).")
@click.pass_context
@_reports_problems
def build_command(ctx: click.Context, audiences: tuple[str, ...], kinds: tuple[str, ...],
                  formats: tuple[str, ...], out: Path | None) -> None:
    """Check the project, then write build/<audience>/<kind>/<name>.<ext>."""
    project = _project(ctx)
    report = build(project, audiences, kinds, formats or FORMATS, out.resolve() if out else None)
    for built in report.documents:
        pages = f", {built.pages} page{'s' if built.pages != 1 else ''}" if built.pages else ""
        grade = f", reading grade {built.reading_grade}" if built.reading_grade is not None else ""
        names = ", ".join(relative(p, project.root) for p in built.paths)
        click.echo(f"built {names}{pages}{grade}")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{len(report.written)} file(s) written, {len(report.unchanged)} unchanged.")


@main.command("check")
@click.pass_context
@_reports_problems
def check_command(ctx: click.Context) -> None:
    """Validate every file and verify every quotation; list all problems."""
    project = _project(ctx, verified=True)
    for warning in deprecations(project):
        click.echo(f"warning: {warning}", err=True)
    quotes = sum(len(p.all_evidence()) for p in project.positions.values())
    click.echo(f"ok: {len(project.sources)} source(s), {len(project.positions)} positions, {quotes} position quotes, "
               f"{len(project.documents)} document(s), {len(project.audiences)} audiences; every quotation verified.")


@main.command("list")
@click.pass_context
@_reports_problems
def list_command(ctx: click.Context) -> None:
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
        click.echo(f"{heading}:")
        for key, text in rows:
            click.echo(f"  {key}: {text}")


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
    click.echo(json.dumps(SCHEMAS[what].model_json_schema(by_alias=True), indent=2))
