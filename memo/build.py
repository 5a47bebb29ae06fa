"""The pipeline end to end: load → verify → select → render → typeset → write.

This is the library API the CLI wraps::

    from memo import build, load_project
    report = build(load_project(Path(".")), audiences=["students"])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import MemoError, Problem, suggest
from .exporters import EXPORTERS, Rendered, document_formats
from .kinds import KINDS, Document, specs
from .load import load_project
from .models import DocumentSpec
from .project import Project
from .render import check_templates, html_to_markdown, make_environment, neutralise, render_html
from .typeset import Typesetter, missing_glyphs
from .verify import deprecations, review, verify
from .write import write_all

CORE_FORMATS = ("pdf", "html", "md")
FORMATS = (*CORE_FORMATS, *document_formats())


@dataclass(frozen=True)
class Job:
    """One spec built for one audience; a kind may turn it into several documents."""

    audience: str
    kind: str
    name: str
    spec: DocumentSpec = field(compare=False, repr=False)


@dataclass
class Built:
    job: Job
    document: str
    paths: list[Path]
    pages: int | None = None
    reading_grade: float | None = None


@dataclass
class BuildReport:
    documents: list[Built] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def check(root: Path, allow_outside: bool = False) -> Project:
    """Load and verify a project, templates included; raise MemoError listing every problem."""
    project = load_project(root, allow_outside)
    problems = verify(project)
    problems += check_templates(project, trial=not problems)
    if problems:
        raise MemoError(problems)
    return project


def plan(project: Project, audiences: Sequence[str] = (), kinds: Sequence[str] = (),
         options: Mapping[str, str | None] | None = None) -> list[Job]:
    """Every (audience, document) pair to build, after checking the names asked for; kinds apply their options."""
    problems = [_unknown("audience", a, project.audiences) for a in audiences if a not in project.audiences]
    problems += [_unknown("kind", k, KINDS) for k in kinds if k not in KINDS]
    if problems:
        raise MemoError(problems)
    chosen = list(audiences) or sorted(project.audiences)
    chosen_specs = [spec for spec in specs(project) if not kinds or spec.kind in kinds]
    if options:
        configured = [KINDS[s.kind].configure(project, s, options) if KINDS[s.kind].configure else s for s in chosen_specs]
        chosen_specs = [s for s in configured if s is not None]
    jobs = [Job(a, spec.kind, spec.name, spec) for a in chosen for spec in chosen_specs]
    if not jobs:
        wanted = f" of kind {', '.join(kinds)}" if kinds else ""
        raise MemoError([Problem(project.path(project.config.documents_dir), f"nothing to build: no documents{wanted}",
                                 hint="add a document file such as documents/brief.yaml with `kind: memo`; see README.md")])
    return jobs


def _unknown(what: str, name: str, known: Iterable[str]) -> Problem:
    known = sorted(known)
    near = suggest(name, known)
    return Problem(None, f"no {what} named '{name}'", hint=(near + " " if near else "") + f"{what}s: {', '.join(known)}")


def build(project: Project, audiences: Sequence[str] = (), kinds: Sequence[str] = (),
          formats: Sequence[str] = FORMATS, out: Path | None = None, strict: bool = False,
          options: Mapping[str, str | None] | None = None) -> BuildReport:
    """Build documents; nothing is written unless every one of them succeeds (and, when ``strict``, warns of nothing).

    ``options`` are the kinds' own build options (``--motion``, ``--debate-format``), applied by ``Kind.configure``.
    """
    problems = verify(project)
    if problems:
        raise MemoError(problems)
    jobs = plan(project, audiences, kinds, options)
    out = out or project.output_dir
    env = make_environment(project)
    typesetter = Typesetter(project.root, project.templates_dir) if "pdf" in formats else None
    report = BuildReport(warnings=deprecations(project) + [w.render(project.root) for w in review(project)])
    files: dict[Path, bytes] = {}
    for job in jobs:
        kind = KINDS[job.kind]
        for document in kind.outputs(project, job.spec, project.audiences[job.audience]):
            built = _build_one(project, env, typesetter, job, document, formats, out, files, report.warnings)
            report.documents.append(built)
    if strict and report.warnings:
        raise MemoError([Problem(None, f"warning: {w}", hint="--strict makes warnings errors; fix the cause or build without --strict")
                         for w in report.warnings])
    result = write_all(files)
    report.written, report.unchanged = result.written, result.unchanged
    return report


def _build_one(project: Project, env: object, typesetter: Typesetter | None, job: Job, document: Document,
               formats: Sequence[str], out: Path, files: dict[Path, bytes], warnings: list[str]) -> Built:
    audience = project.audiences[job.audience]
    kind = KINDS[job.kind]
    context = {**document.context, "kind": kind.name, "version": __version__}
    html, refused = neutralise(render_html(env, document.template, context), project.root)  # type: ignore[arg-type]
    stem = out / audience.name / kind.name / document.name
    built = Built(job, document.name, [], reading_grade=context.get("reading_grade"))
    label = f"{audience.name}/{kind.name}/{document.name}"
    warnings.extend(f"{label}: refused to read {url}" for url in refused)
    if "html" in formats:
        files[stem.with_suffix(".html")] = html.encode("utf-8")
    if "md" in formats:
        files[stem.with_suffix(".md")] = html_to_markdown(html).encode("utf-8")
    for name in kind.formats:
        exporter = EXPORTERS[name]
        if name in formats and exporter.document is not None:
            files[stem.with_suffix(exporter.suffix)] = exporter.document(Rendered(kind.name, document.name, html, context))
    if typesetter is not None and "pdf" in formats:
        missing = missing_glyphs(html, audience.typography.font)
        if missing:
            shown = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:10])
            warnings.append(f"{label}: the {audience.typography.font} font has no glyph for {shown}; "
                            "a system font will stand in if one has it (add a font in templates/assets/fonts)")
        result = typesetter.typeset(html)
        built.pages = result.pages
        files[stem.with_suffix(".pdf")] = result.pdf
        warnings.extend(f"{label}: refused to read {url}" for url in result.refused)
        warnings.extend(f"{label}: WeasyPrint: {message}" for message in result.log)
        limit = audience.length.pages.get(kind.name, audience.length.max_pages)
        if limit and result.pages > limit:
            warnings.append(f"{label}: {result.pages} pages, over the {audience.name} limit of {limit}")
    grade, target = built.reading_grade, audience.reading_grade
    if grade is not None and target is not None and grade > target + 2:
        warnings.append(f"{label}: our framing reads at grade {grade}, above the {audience.name} target of {target}")
    suffixes = [f".{f}" for f in CORE_FORMATS if f in formats] + [EXPORTERS[f].suffix for f in kind.formats if f in formats]
    built.paths = [stem.with_suffix(suffix) for suffix in suffixes]
    return built
