"""The pipeline end to end: load → verify → select → render → typeset → write.

This is the library API the CLI wraps::

    from memo import build, load_project
    report = build(load_project(Path(".")), audiences=["students"])
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import MemoError, Problem, suggest
from .exporters import EXPORTERS, Rendered, document_formats
from .kinds import KINDS, Document, specs
from .load import load_project
from .manifest import Fingerprinter, Manifest, TemplateTracker, digest, folder_digest
from .models import DocumentSpec
from .project import Project
from .readability import Reading, describe, over_target, reading, warning
from .render import check_templates, html_to_markdown, make_environment, neutralise, render_html
from .verify import deprecations, review, verify
from .write import OutputLock, interrupts_as_keyboard, write_all

if TYPE_CHECKING:
    from .typeset import Typesetter

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
    """One output document: ``status`` is "built", "up to date" or "failed"."""

    job: Job
    document: str
    paths: list[Path]
    pages: int | None = None
    reading: Reading | None = None  # words and grades of the rendered page, framing and quotations apart
    status: str = "built"
    label: str = ""
    warnings: list[str] = field(default_factory=list)
    target: float | None = None  # the audience's reading-grade target for our framing

    @property
    def reading_grade(self) -> float | None:
        """The grade of our framing, the one the audience's target applies to."""
        return self.reading.framing_grade if self.reading else None

    def readability(self) -> str | None:
        """Words and grades against the target, as `memo check` words them."""
        return describe(self.reading, self.target) if self.reading else None


@dataclass
class BuildReport:
    documents: list[Built] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for built in self.documents if built.status == status)


class Progress:
    """What a build tells its caller as it goes; the CLI draws a bar or prints lines from it."""

    def start(self, total: int) -> None:
        """``total`` documents are planned."""

    def update(self, built: Built) -> None:
        """One document is done (built, up to date or failed)."""

    def note(self, message: str) -> None:
        """Something the user should know while waiting (another build holds the output folder)."""


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


@dataclass(frozen=True)
class Target:
    """One output document: a planned job's document, where it goes and what decides its staleness."""

    job: Job
    document: Document
    label: str
    stem: Path
    suffixes: tuple[str, ...]
    key: str
    weight: int = 0  # size of what the template sees: a cheap guess at the render's cost


@dataclass
class _Outcome:
    files: dict[str, bytes] = field(default_factory=dict)
    templates: dict[str, list[str]] = field(default_factory=dict)
    pages: int | None = None
    reading: Reading | None = None
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Run:
    """Everything a render needs; worker processes inherit it by forking, so nothing is pickled."""

    project: Project
    env: Any
    tracker: TemplateTracker
    targets: list[Target]
    formats: tuple[str, ...]


_RUN: _Run | None = None
_TYPESETTERS: dict[tuple[Path, Path], Typesetter] = {}


def _typesetter(project: Project) -> Typesetter:
    """One warm typesetter (one font configuration) per project and process, reused across builds."""
    from .typeset import Typesetter

    key = (project.root, project.templates_dir)
    if key not in _TYPESETTERS:
        _TYPESETTERS[key] = Typesetter(project.root, project.templates_dir)
    return _TYPESETTERS[key]


def suffixes_for(kind_name: str, formats: Sequence[str]) -> tuple[str, ...]:
    kind = KINDS[kind_name]
    return tuple([f".{f}" for f in CORE_FORMATS if f in formats] + [EXPORTERS[f].suffix for f in kind.formats if f in formats])


def targets(project: Project, jobs: Sequence[Job], formats: Sequence[str], out: Path,
            shard: tuple[int, int] | None = None) -> list[Target]:
    """Select every document (once, here in the parent) and key it by what its template will see."""
    printer = Fingerprinter(project)
    assets = folder_digest([project.templates_dir / "assets", Path(__file__).parent / "assets"])
    found: list[Target] = []
    for job in jobs:
        kind = KINDS[job.kind]
        audience = project.audiences[job.audience]
        for document in kind.outputs(project, job.spec, audience):
            context = {**document.context, "kind": kind.name, "version": __version__}
            document = dataclasses.replace(document, context=context)
            key, weight = printer.key(context, {"template": document.template, "assets": assets, "audience": audience.name,
                                                         "limit": [document.max_pages, document.limit_note]})
            found.append(Target(job, document, f"{audience.name}/{kind.name}/{document.name}",
                                out / audience.name / kind.name / document.name, suffixes_for(kind.name, formats), key, weight))
    if shard is not None:
        index, count = shard
        found = [t for n, t in enumerate(found) if n % count == index - 1]
    return found


def _render(run: _Run, target: Target) -> _Outcome:
    """Render one target to every requested format (runs in a worker process when --jobs > 1)."""
    project, formats = run.project, run.formats
    kind = KINDS[target.job.kind]
    audience = project.audiences[target.job.audience]
    context = target.document.context
    outcome = _Outcome()
    run.tracker.reset()
    label = target.label
    try:
        html, refused = neutralise(render_html(run.env, target.document.template, context), project.root)
    except MemoError as exc:
        outcome.problems = exc.problems
        return outcome
    outcome.templates = run.tracker.record()
    outcome.reading = reading(html)
    outcome.warnings.extend(f"{label}: refused to read {url}" for url in refused)
    if "html" in formats:
        outcome.files[".html"] = html.encode("utf-8")
    if "md" in formats:
        outcome.files[".md"] = html_to_markdown(html).encode("utf-8")
    for name in kind.formats:
        exporter = EXPORTERS[name]
        if name in formats and exporter.document is not None:
            outcome.files[exporter.suffix] = exporter.document(Rendered(kind.name, target.document.name, html, context))
    if "pdf" in formats:
        from .typeset import missing_glyphs

        missing = missing_glyphs(html, audience.typography.font)
        if missing:
            shown = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:10])
            outcome.warnings.append(f"{label}: the {audience.typography.font} font has no glyph for {shown}; "
                                    "a system font will stand in if one has it (add a font in templates/assets/fonts)")
        result = _typesetter(project).typeset(html)
        outcome.pages = result.pages
        outcome.files[".pdf"] = result.pdf
        outcome.warnings.extend(f"{label}: refused to read {url}" for url in result.refused)
        outcome.warnings.extend(f"{label}: WeasyPrint: {message}" for message in result.log)
        document = target.document
        limit = document.max_pages or audience.length.pages.get(kind.name, audience.length.max_pages)
        if limit and result.pages > limit:
            over = document.limit_note if document.max_pages else f"the {audience.name} limit of {limit}"
            outcome.warnings.append(f"{label}: {result.pages} pages, over {over}")
    goal = audience.grade_for(kind.name, target.document.graded)
    if over_target(outcome.reading, goal):
        outcome.warnings.append(warning(label, outcome.reading, goal))
    return outcome


def _worker_start() -> None:
    """Workers leave Ctrl-C to the parent, which stops them; SIGTERM ends them plainly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _worker_render(index: int) -> tuple[int, _Outcome]:
    assert _RUN is not None
    return index, _render(_RUN, _RUN.targets[index])


def _render_all(run: _Run, jobs: int) -> Iterator[tuple[int, _Outcome]]:
    """Outcomes as they finish; in ``jobs`` forked worker processes when that helps."""
    global _RUN
    count = len(run.targets)
    jobs = max(1, min(jobs, count))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index, target in enumerate(run.targets):
            yield index, _render(run, target)
        return
    if "pdf" in run.formats:
        import weasyprint  # noqa: F401  (imported once here, shared by every forked worker)
    _RUN = run
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start) as pool:
            yield from pool.imap_unordered(_worker_render, range(count))
    finally:
        _RUN = None


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _file_hash(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


def build(project: Project, audiences: Sequence[str] = (), kinds: Sequence[str] = (),
          formats: Sequence[str] = FORMATS, out: Path | None = None, strict: bool = False,
          options: Mapping[str, str | None] | None = None, *, jobs: int = 1,
          progress: Progress | None = None, shard: tuple[int, int] | None = None, force: bool = False,
          before_commit: Callable[[], None] | None = None, stamp: tuple[str, str] | None = None) -> BuildReport:
    """Build what is stale; nothing is written unless every document succeeds (and, when ``strict``, warns of nothing).

    ``options`` are the kinds' own build options (``--motion``, ``--debate-format``), applied by ``Kind.configure``.

    Targets whose inputs (by content hash, see :mod:`memo.manifest`) are unchanged since the last build
    into ``out`` are not rendered again, unless ``force``. ``jobs`` > 1 renders in that many worker
    processes; the bytes are the same as with one. ``shard=(i, n)`` builds the i-th of n slices.
    ``stamp`` (options key, stamp taken before the project was loaded; see :mod:`memo.stamp`) is
    recorded with the outputs, so that an identical later build can stop before loading anything.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    problems = verify(project)
    if problems:
        raise MemoError(problems)
    planned = plan(project, audiences, kinds, options)
    formats = tuple(formats)
    out = out or project.output_dir
    with interrupts_as_keyboard():
        every = targets(project, planned, formats, out, shard)
        progress.start(len(every))
        env = make_environment(project)
        tracker = TemplateTracker(env)
        report = BuildReport()
        with OutputLock(out, on_wait=progress.note):
            manifest = Manifest.read(out)
            stale: list[Target] = []
            for target in every:
                entry = None if force else manifest.fresh(target.label, target.key, target.suffixes, tracker, out, _file_hash)
                if entry is None:
                    stale.append(target)
                    continue
                built = _built(project, target, "up to date", entry.get("pages"), _reading(entry.get("reading")),
                               entry.get("warnings", []))
                report.documents.append(built)
                report.unchanged.extend(built.paths)
                progress.update(built)
            files: dict[Path, bytes] = {}
            failed: list[Problem] = []
            stale.sort(key=lambda t: -t.weight)  # longest first, so no worker is left with a long one at the end
            run = _Run(project, env, tracker, stale, formats)
            for index, outcome in _render_all(run, jobs):
                target = stale[index]
                status = "failed" if outcome.problems else "built"
                built = _built(project, target, status, outcome.pages, outcome.reading, outcome.warnings)
                report.documents.append(built)
                progress.update(built)
                failed.extend(outcome.problems)
                if not outcome.problems:
                    _record(manifest, target, outcome, out, files)
            order = {t.label: n for n, t in enumerate(every)}
            report.documents.sort(key=lambda b: order[b.label])
            report.warnings = deprecations(project) + [w.render(project.root) for w in review(project)]
            report.warnings += [w for b in report.documents for w in b.warnings]
            report.seconds = time.perf_counter() - started
            if failed:
                raise MemoError(failed)
            if strict and report.warnings:
                hint = "--strict makes warnings errors; fix the cause or build without --strict"
                raise MemoError([Problem(None, f"warning: {w}", hint=hint) for w in report.warnings])
            if stamp is not None:
                manifest.remember(*stamp, _stamp_record(manifest, every, report, out))
            files[manifest.path] = manifest.to_bytes()
            result = write_all(files, before_commit)
    report.written = [p for p in result.written if p != manifest.path]
    report.unchanged += [p for p in result.unchanged if p != manifest.path]
    report.seconds = time.perf_counter() - started
    return report


def _built(project: Project, target: Target, status: str, pages: int | None, found: Reading | None, warnings: list[str]) -> Built:
    return Built(target.job, target.document.name, [target.stem.with_suffix(s) for s in target.suffixes], pages=pages,
                 reading=found, status=status, label=target.label, warnings=list(warnings),
                 target=project.audiences[target.job.audience].grade_for(target.job.kind, target.document.graded))


def _reading(recorded: Any) -> Reading | None:
    """A manifest's record of a document's readability (none in manifests older than it)."""
    try:
        return Reading(**recorded) if isinstance(recorded, dict) else None
    except TypeError:
        return None


def _record(manifest: Manifest, target: Target, outcome: _Outcome, out: Path, files: dict[Path, bytes]) -> None:
    """Stage a rendered target's files and its new manifest entry."""
    outputs: dict[str, dict[str, str]] = {}
    old = manifest.targets.get(target.label)
    warnings, pages = list(outcome.warnings), outcome.pages
    if isinstance(old, dict) and old.get("key") == target.key and old.get("templates") == outcome.templates:
        outputs.update(old.get("outputs", {}))  # other formats of the same inputs stay valid
        warnings += [w for w in old.get("warnings", []) if w not in warnings]
        pages = pages if pages is not None else old.get("pages")
    for suffix, data in outcome.files.items():
        path = target.stem.with_suffix(suffix)
        files[path] = data
        outputs[suffix] = {"path": path.relative_to(out).as_posix(), "sha256": digest(data)}
    manifest.targets[target.label] = {
        "key": target.key, "templates": outcome.templates, "outputs": outputs,
        "pages": pages,
        "reading": dataclasses.asdict(outcome.reading) if outcome.reading else None, "warnings": warnings,
    }



def _stamp_record(manifest: Manifest, every: list[Target], report: BuildReport, out: Path) -> dict[str, Any]:
    """What an identical later build needs to answer without loading: outputs, documents, warnings."""
    outputs = {}
    for target in every:
        recorded = manifest.targets[target.label]["outputs"]
        outputs.update({recorded[s]["path"]: recorded[s]["sha256"] for s in target.suffixes})
    documents = [[b.label, [p.relative_to(out).as_posix() for p in b.paths], b.pages, b.readability()] for b in report.documents]
    return {"outputs": outputs, "documents": documents, "warnings": report.warnings}
