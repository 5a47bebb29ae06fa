"""How fast memo refuses hostile inputs, as ratios to loading one ordinary position file.

The issue this answers: a 478-byte YAML alias bomb hung `memo check` for minutes, 500 nested
brackets crashed it, and a 50 MB file took 180 s and 3.4 GB. Each is now refused; this script
shows by how much the refusal costs more (or less) than reading a normal file, and the peak
memory Python allocated for it. Run:

    .venv/bin/python benchmarks/bench_hostile.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from memo.errors import MemoError
from memo.models import Position
from memo.yamlfile import load_yaml, parse_yaml, validate

ROOT = Path(__file__).resolve().parent.parent
BOMB = "".join(f"{c}: &{c} [{','.join([f'*{p}'] * 9) if p else ','.join(['lol'] * 9)}]\n"
               for p, c in zip(["", *"abcdefgh"], "abcdefghi", strict=True))


def measure(step: Callable[[], object], repeat: int) -> tuple[float, int]:
    """Median seconds over ``repeat`` runs, and peak traced memory in bytes of one run."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak


def refused(step: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            step()
        except MemoError:
            return
        raise AssertionError("a hostile input was accepted")

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    position = ROOT / "positions" / "metternich-cooperation.yaml"
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.yaml"
        big.write_text("items:\n" + "  - lol\n" * 7_000_000, "utf-8")  # 56 MB
        cases = {
            "ordinary position (baseline)": lambda: validate(load_yaml(position), Position),
            f"alias bomb ({len(BOMB.encode())} bytes)": refused(lambda: parse_yaml(Path("bomb.yaml"), BOMB)),
            "500 nested brackets": refused(lambda: parse_yaml(Path("deep.yaml"), "a: " + "[" * 500 + "]" * 500)),
            f"{big.stat().st_size / 1e6:.0f} MB file": refused(lambda: load_yaml(big)),
        }
        base = None
        print(f"{'input':34} {'seconds':>9} {'× baseline':>11} {'peak MB':>8}")
        for name, step in cases.items():
            seconds, peak = measure(step, repeat)
            base = base or seconds
            print(f"{name:34} {seconds:9.4f} {seconds / base:11.2f} {peak / 1e6:8.2f}")


if __name__ == "__main__":
    main()
