"""memo's build engine against its floor and against the route a user takes without memo.

Measured, each as wall time and peak memory of the whole process tree (workers included):

* the shipped project (every kind, audience and format): cold, no-op and after touching one
  position, with ``--jobs 1`` and with the default (the CPU count);
* the engine floor: WeasyPrint typesetting the same HTML memo wrote, in one warm process;
* the Pandoc route: ``pandoc doc.md -o doc.pdf --pdf-engine=weasyprint`` for each document
  (Pandoc from the ``pypandoc-binary`` package: ``pip install -e .[bench]``);
* scale: generated projects of 25, 50, 100 and 200 one-sheet handouts (PDF), and ``--jobs 1``
  against ``--jobs 2`` on the smallest;
* ``memo --version``.

The machine may be shared and noisy, so the ratios (measured in the same run) matter more than the
seconds. Results are printed and recorded in benchmarks/RESULTS.md with the date and the machine::

    .venv/bin/python benchmarks/bench_build.py [--scale 25,50,100,200] [--no-pandoc] [--no-record]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PROJECT_PARTS = ("memo.yml", "seeds", "positions", "context", "documents", "templates")
MEMO = [sys.executable, "-m", "memo"]


@dataclass
class Run:
    seconds: float
    peak_mib: float
    output: str


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry))
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry)] = int(line.split()[1])
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run a command to completion; wall time and the peak memory of its process tree."""
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{output}")
    return Run(seconds, peak / 1024, output)


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


def touch_one_position(project: Path) -> None:
    """Edit the first claim of one position, as an organiser would the night before."""
    import yaml

    path = sorted((project / "positions").glob("*.yaml"))[0]
    data = yaml.safe_load(path.read_text("utf-8"))  # a text edit would break folded scalars (`claim: >-`)
    data["claims"][0]["claim"] = "Touched for the benchmark. " + data["claims"][0]["claim"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


SCALE_KIND = "handout"  # one printed sheet a document: what a conference prints by the hundred


def generated_project(target: Path, documents: int) -> Path:
    """The shipped project with ``documents`` documents (numbered copies of its handout)."""
    project = copy_project(target)
    folder = project / "documents"
    brief = next(p for p in sorted(folder.glob("*.yaml")) if f"\nkind: {SCALE_KIND}" in "\n" + p.read_text("utf-8"))
    text = brief.read_text("utf-8")
    name = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("name:"))
    for path in folder.glob("*.yaml"):
        path.unlink()
    for number in range(1, documents + 1):
        copy = text.replace(f"name: {name}", f"name: brief-{number:03d}", 1).replace('\ntitle: "', f'\ntitle: "No. {number}: ', 1)
        (folder / f"brief-{number:03d}.yaml").write_text(copy, "utf-8")
    return project


def engine_floor(html_files: list[Path], root: Path) -> float:
    """Seconds WeasyPrint takes to typeset memo's own HTML in one warm process (start-up excluded)."""
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom memo.typeset import Typesetter\n"
        f"typesetter = Typesetter(Path({str(root)!r}), Path({str(root / 'templates')!r}))\n"
        "pages = [Path(p).read_text('utf-8') for p in sys.argv[1:]]\n"
        "typesetter.typeset(pages[0])  # warm: fonts loaded, caches filled\n"
        "start = time.perf_counter()\n"
        "for page in pages:\n    typesetter.typeset(page)\n"
        "print(time.perf_counter() - start)\n"
    )
    done = run([sys.executable, "-c", script, *map(str, html_files)])
    return float(done.output.strip().splitlines()[-1])


def pandoc_route(markdown_files: list[Path], scratch: Path) -> Run | None:
    """One ``pandoc doc.md -o doc.pdf --pdf-engine=weasyprint`` per document, one after another."""
    try:
        import pypandoc
    except ImportError:
        return None
    pandoc = pypandoc.get_pandoc_path()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    script = "\n".join(f"{pandoc} {md} -o {scratch / f'{n}.pdf'} --pdf-engine=weasyprint" for n, md in enumerate(markdown_files))
    return run(["sh", "-e", "-c", script], env=env)


def version_seconds(repeat: int = 7) -> tuple[float, float]:
    """Fastest wall time of ``memo --version`` (the least disturbed by other work), and its CPU time."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = os.times()
        start = time.perf_counter()
        subprocess.run([*MEMO, "--version"], check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = os.times()
        cpus.append(after.children_user + after.children_system - before.children_user - before.children_system)
    return min(walls), statistics.median(cpus)


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.node()}: {cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; load average {load:.1f} at the start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="25,50,100,200", help="document counts for the scale runs ('' to skip)")
    parser.add_argument("--no-pandoc", action="store_true")
    parser.add_argument("--no-record", action="store_true", help="print only; do not update RESULTS.md")
    args = parser.parse_args()
    from memo.build import default_jobs

    jobs = default_jobs()
    rows: list[tuple[str, str, str, str]] = []  # what, seconds, peak MiB, note
    checks: list[tuple[str, bool]] = []
    header = machine()
    print(header)

    def row(what: str, result: Run | float, note: str = "") -> None:
        seconds, peak = (result.seconds, f"{result.peak_mib:.0f}") if isinstance(result, Run) else (result, "")
        rows.append((what, f"{seconds:.2f}", peak, note))
        print(f"{what:58s} {seconds:8.2f} s  {peak:>6s} MiB  {note}")

    with tempfile.TemporaryDirectory(prefix="memo-bench-") as scratch_name:
        scratch = Path(scratch_name)
        project = copy_project(scratch / "project")
        runs: dict[str, Run] = {}
        for label, flags in (("1", ["-j", "1"]), ("default", [])):
            out = scratch / f"out-{label}"
            build = [*MEMO, "--project", str(project), "build", "-q", "--out", str(out), *flags]
            runs[f"cold {label}"] = run(build)
            runs[f"no-op {label}"] = run(build)
        # the same build with PDF only: what the engine floor (typesetting alone) is compared with, besides the full build
        runs["cold pdf"] = run([*MEMO, "--project", str(project), "build", "-q", "-f", "pdf", "--out", str(scratch / "out-pdf")])
        shutil.copytree(project / "positions", scratch / "positions-before")
        touch_one_position(project)
        for label, flags in (("1", ["-j", "1"]), ("default", [])):
            runs[f"touch {label}"] = run([*MEMO, "--project", str(project), "build", "-q", "--out", str(scratch / f"out-{label}"), *flags])
        out = scratch / "out-1"
        html = sorted(out.rglob("*.html"))
        pdfs = sorted(out.rglob("*.pdf"))
        documents = len(pdfs)
        floor = engine_floor(html, project)
        cold, cold1 = runs["cold default"].seconds, runs["cold 1"].seconds
        row(f"shipped project ({documents} documents, all formats): cold, --jobs 1", runs["cold 1"])
        row(f"  cold, --jobs {jobs} (default)", runs["cold default"], f"{cold1 / cold:.2f}× faster than --jobs 1")
        checks.append((f"--jobs {jobs} ≥ 1.6× faster than --jobs 1 on the shipped project's {documents} documents "
                       f"({cold1 / cold:.2f}×)", cold1 >= 1.6 * cold))
        row(f"  cold, --jobs {jobs}, PDF only", runs["cold pdf"], f"{runs['cold pdf'].seconds / cold:.0%} of the all-formats build")
        row("  no-op rebuild, --jobs 1", runs["no-op 1"], f"{runs['no-op 1'].seconds / cold1:.1%} of cold")
        row(f"  no-op rebuild, --jobs {jobs}", runs["no-op default"], f"{runs['no-op default'].seconds / cold:.1%} of cold")
        row("  after touching one position, --jobs 1", runs["touch 1"], f"{runs['touch 1'].seconds / cold1:.1%} of cold")
        row(f"  after touching one position, --jobs {jobs}", runs["touch default"], f"{runs['touch default'].seconds / cold:.1%} of cold")
        row("engine floor: WeasyPrint, one warm process, same HTML", floor, f"{floor / documents:.2f} s a document")
        bound = 1.25 * floor / jobs
        row(f"  1.25 × floor / {jobs} jobs", bound, f"cold default is {cold / (floor / jobs):.2f} × floor/jobs")
        checks.append((f"cold build with default jobs ≤ 1.25 × engine floor / jobs ({cold / (floor / jobs):.2f}×)", cold <= bound))
        pdf_only = runs["cold pdf"].seconds
        checks.append((f"cold PDF-only build with default jobs ≤ 1.25 × engine floor / jobs ({pdf_only / (floor / jobs):.2f}×)",
                       pdf_only <= bound))
        worst_noop = max(runs["no-op 1"].seconds / cold1, runs["no-op default"].seconds / cold)
        checks.append((f"no-op rebuild ≤ 5% of cold ({worst_noop:.1%})", worst_noop <= 0.05))
        if not args.no_pandoc:
            markdown = sorted(p for p in out.rglob("*.md") if p.with_suffix(".pdf").exists())
            pandoc = pandoc_route(markdown, scratch)
            if pandoc is None:
                print("Pandoc route skipped: pip install -e '.[bench]' for pypandoc-binary")
            else:
                row(f"Pandoc route: pandoc → WeasyPrint, {len(markdown)} documents", pandoc,
                    f"memo cold default is {pandoc.seconds / cold:.1f}× faster")
                checks.append((f"cold build ≥ 5× faster than the Pandoc route ({pandoc.seconds / cold:.1f}×)", pandoc.seconds >= 5 * cold))

        sizes = [int(n) for n in args.scale.split(",") if n.strip()]
        scale: list[tuple[int, Run]] = []
        for count in sizes:
            generated = generated_project(scratch / f"scale-{count}", count)
            build = [*MEMO, "--project", str(generated), "build", "-q", "-k", SCALE_KIND, "-a", "policymakers", "-f", "pdf"]
            if count == sizes[0]:
                serial = run([*build, "--out", str(scratch / f"scale-{count}-j1"), "-j", "1"])
                pair = run([*build, "--out", str(scratch / f"scale-{count}-j2"), "-j", "2"])
                row(f"scale: {count} documents, --jobs 1", serial, f"{serial.seconds / count:.2f} s a document")
                row(f"scale: {count} documents, --jobs 2", pair, f"{serial.seconds / pair.seconds:.2f}× faster than --jobs 1")
                checks.append((f"--jobs 2 ≥ 1.6× faster than --jobs 1 for {count} documents ({serial.seconds / pair.seconds:.2f}×)",
                               serial.seconds >= 1.6 * pair.seconds))
            result = run([*build, "--out", str(scratch / f"scale-{count}-out")])
            scale.append((count, result))
            row(f"scale: {count} documents, --jobs {jobs}", result, f"{result.seconds / count:.2f} s a document")
        if scale:
            peak = max(r.peak_mib for _, r in scale)
            checks.append((f"peak memory under 1 GB at {scale[-1][0]} documents ({peak:.0f} MiB)", peak < 1024))
            # linear growth is a constant cost per added document; the fixed start-up cost is not part of it
            steps = [(b.seconds - a.seconds) / (m - n) for (n, a), (m, b) in itertools.pairwise(scale)]
            if steps:
                spread = max(steps) / min(steps)
                checks.append((f"time linear in documents (each added document costs {min(steps):.3f}–{max(steps):.3f} s, "
                               f"within 1.3×)", spread <= 1.3))
    version, cpu = version_seconds()
    row("memo --version (fastest of 7)", version, f"{cpu:.2f} s of CPU")
    checks.append((f"memo --version under 0.3 s ({version:.2f} s)", version < 0.3))
    print()
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    if not args.no_record:
        record(header, rows, checks)


def record(header: str, rows: list[tuple[str, str, str, str]], checks: list[tuple[str, bool]]) -> None:
    """Put this run at the top of RESULTS.md (earlier runs stay below it)."""
    title = "# Benchmark results\n\nWritten by `benchmarks/bench_build.py`; newest run first. Ratios come from one run each.\n"
    earlier = RESULTS.read_text("utf-8").split("\n## ", 1)[1] if RESULTS.exists() and "\n## " in RESULTS.read_text("utf-8") else ""
    lines = [f"## {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC", "", f"Machine: {header}", "",
             "| what | seconds | peak MiB | note |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {what.strip()} | {seconds} | {peak} | {note} |" for what, seconds, peak, note in rows]
    lines += ["", *(f"- {'PASS' if ok else 'FAIL'}: {text}" for text, ok in checks), ""]
    RESULTS.write_text(title + "\n" + "\n".join(lines) + ("\n## " + earlier if earlier else ""), "utf-8")
    print(f"recorded in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
