"""Time and memory of memo's stages on the shipped project, as ratios to a baseline.

The machine is noisy, so absolute seconds mean little: every figure is also
given as a ratio to a baseline measured in the same run (WeasyPrint rendering
one short page with the same fonts). Run:

    .venv/bin/python benchmarks/bench_build.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from memo import build, check
from memo.typeset import Typesetter

ROOT = Path(__file__).resolve().parent.parent
BASELINE_HTML = """<!DOCTYPE html><html lang="en"><head><title>Baseline</title><style>
@font-face { font-family: "Memo Serif"; src: url("memo-assets:fonts/NotoSerif-Regular.ttf"); }
body { font-family: "Memo Serif"; }</style></head><body><h1>Baseline</h1><p>One short page.</p></body></html>"""


def timed(step: Callable[[], object], repeat: int) -> float:
    """Median wall-clock seconds of ``step`` over ``repeat`` runs, after one untimed warm-up."""
    step()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    baseline = timed(lambda: Typesetter(ROOT).typeset(BASELINE_HTML), args.repeat)
    project = check(ROOT)
    rows = [("baseline: WeasyPrint, one short page", baseline)]
    rows.append(("memo check (load + verify)", timed(lambda: check(ROOT), args.repeat)))
    with tempfile.TemporaryDirectory() as out:
        variants = (("build, html + md, 3 audiences", ("html", "md")), ("build, all formats, 3 audiences", ("pdf", "html", "md")))
        for label, formats in variants:
            rows.append((label, timed(lambda f=formats: build(project, formats=f, out=Path(out) / "-".join(f)), args.repeat)))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    width = max(len(label) for label, _ in rows)
    print(f"{'step'.ljust(width)}  seconds  × baseline")
    for label, seconds in rows:
        print(f"{label.ljust(width)}  {seconds:7.3f}  {seconds / baseline:9.1f}")
    print(f"peak memory: {peak_mib:.0f} MiB (repeat={args.repeat})")


if __name__ == "__main__":
    main()
