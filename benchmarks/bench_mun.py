"""Scale of a model-UN session: build time for 25, 50, 100 and 200 delegations.

Each size is a copy of the shipped project whose session takes its roster from
a generated CSV (the shipped delegations, then generated states the source does
not cover). Times are also given per delegation and as a ratio to the smallest
size, so linear growth shows as a flat per-delegation figure; the session-wide
work (``memo.kinds.mun.shared``) is counted to show it runs once per session
and audience, not once per delegation. Run:

    .venv/bin/python benchmarks/bench_mun.py [--sizes 25 50 100 200] [--formats pdf html md docx]
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import tempfile
import time
from pathlib import Path

import memo.kinds.mun as mun
from memo import build, load_project

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("memo.yml", "seeds", "positions", "context", "documents", "templates")
SESSION = "tiangong-specpol"


def make_project(target: Path, size: int) -> Path:
    """A project copy whose session has ``size`` delegations (shipped ones first)."""
    target.mkdir(parents=True)
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    project = load_project(target)
    spec = project.documents[SESSION]
    shipped = mun.all_delegations(project, spec)  # type: ignore[arg-type]
    blocs = [b.id for b in spec.blocs]  # type: ignore[attr-defined]
    rows = [(d.country, d.bloc or "", d.notes) for d in shipped]
    rows += [(f"Generated State {n:03d}", blocs[n % len(blocs)], "generated") for n in range(1, size - len(rows) + 1)]
    session = target / "documents" / f"{SESSION}.yaml"
    text = session.read_text(encoding="utf-8")
    start, end = text.index("\ndelegations:\n"), text.index("\nroster:")
    session.write_text(text[:start] + "\ndelegations: []" + text[end:], encoding="utf-8")
    with (target / "documents" / spec.roster).open("w", newline="", encoding="utf-8") as handle:  # type: ignore[attr-defined]
        writer = csv.writer(handle)
        writer.writerow(["country", "bloc", "notes"])
        writer.writerows(rows[:size])
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200])
    parser.add_argument("--formats", nargs="+", default=["pdf", "html", "md", "docx"])
    args = parser.parse_args()

    calls = 0
    original = mun.shared

    def counted(*a: object, **k: object) -> mun.Shared:
        nonlocal calls
        calls += 1
        return original(*a, **k)  # type: ignore[arg-type]

    mun.shared = counted  # type: ignore[assignment]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        warm = make_project(Path(tmp) / "warm", 12)
        build(load_project(warm), kinds=["mun"], formats=args.formats, options={"delegation": "canada"})  # fonts and templates warm
        for size in args.sizes:
            root = make_project(Path(tmp) / f"n{size}", size)
            project = load_project(root)
            calls = 0
            start = time.perf_counter()
            report = build(project, kinds=["mun"], formats=args.formats)
            seconds = time.perf_counter() - start
            results.append((size, seconds, len(report.documents), calls))
    base = results[0][1] / results[0][0]
    print(f"formats: {' '.join(args.formats)}; audiences: the session's own")
    print("delegations  documents  seconds  s/delegation  × per-delegation time of the smallest  shared() calls")
    for size, seconds, documents, shared_calls in results:
        print(f"{size:11d}  {documents:9d}  {seconds:7.1f}  {seconds / size:12.3f}  {seconds / size / base:37.2f}  {shared_calls:14d}")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
