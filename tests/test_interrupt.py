"""Interrupted and failed writes: every output wholly old or wholly new, no temporary file left, exit 130.

Each interrupted build runs the real CLI in a child process that signals itself at a chosen moment
(after its first document, while staging, in the middle of the rename loop), as Ctrl-C or a
``kill`` would. The outputs are then compared with the build before and a clean build after.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import snapshot
from .test_engine import edit, manifest_is_consistent, no_leftovers

DRIVER = """
import os, signal, sys
from memo import cli
SIGNAL = getattr(signal, os.environ["TEST_SIGNAL"])
{patch}
cli.main(sys.argv[1:])
"""

AFTER_FIRST_DOCUMENT = """
shown = cli._Reporter.update
def update(self, built):
    shown(self, built)
    if built.status == "built":
        os.kill(os.getpid(), SIGNAL)
cli._Reporter.update = update
"""

IN_THE_RENAME_LOOP = """
real_replace = os.replace
calls = []
def replace(source, target):
    calls.append(target)
    if len(calls) == 2:
        os.kill(os.getpid(), SIGNAL)
    return real_replace(source, target)
os.replace = replace
"""

WHILE_STAGING = """
real_fsync = os.fsync
calls = []
def fsync(fd):
    calls.append(fd)
    if len(calls) == 2:
        os.kill(os.getpid(), SIGNAL)
    return real_fsync(fd)
os.fsync = fsync
"""

FORMATS = ("-k", "memo", "-f", "html", "-f", "md")


@pytest.fixture
def stale(project_dir: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A project built once (the old outputs), then edited so that every document is stale; and the new outputs."""
    build = [sys.executable, "-m", "memo", "--project", str(project_dir), "build", *FORMATS, "-j", "1"]
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    old = snapshot(project_dir / "build")
    edit(project_dir / "documents" / "tiangong-brief.yaml", "\ntitle: \"", "\ntitle: \"Newly edited: ")
    subprocess.run([*build, "--out", str(tmp_path / "new")], check=True, capture_output=True, timeout=300)
    new = snapshot(tmp_path / "new")
    assert len(old) == 6 and old.keys() == new.keys() and all(old[k] != new[k] for k in old)
    return project_dir, old, new


def assert_intact(out: Path, expected: dict[str, bytes]) -> None:
    """The output folder holds exactly ``expected`` (a whole set, old or new), no staging files and a true manifest."""
    assert snapshot(out) == expected
    no_leftovers(out)
    manifest_is_consistent(out)


def interrupted(project: Path, patch: str, signame: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TEST_SIGNAL": signame}
    return subprocess.run([sys.executable, "-c", DRIVER.format(patch=patch), "--project", str(project), "build", *FORMATS, *args],
                          capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.parametrize(("signame", "jobs"), [("SIGINT", "1"), ("SIGTERM", "2")])
def test_a_build_stopped_after_its_first_document_keeps_the_old_outputs(stale: tuple[Path, dict, dict], signame: str,
                                                                          jobs: str) -> None:
    project, old, _ = stale
    done = interrupted(project, AFTER_FIRST_DOCUMENT, signame, "-j", jobs)
    assert done.returncode == 130, done.stderr
    assert "interrupted; nothing was written" in done.stderr and "Traceback" not in done.stderr
    assert_intact(project / "build", old)


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_a_signal_in_the_rename_loop_lands_the_whole_new_set(stale: tuple[Path, dict, dict], signame: str) -> None:
    project, _, new = stale
    done = interrupted(project, IN_THE_RENAME_LOOP, signame)
    assert done.returncode == 130, done.stderr
    assert "interrupted after the write step; 6 file(s) written:" in done.stderr, done.stderr
    assert sorted(line.strip() for line in done.stderr.splitlines()[1:]) == sorted(f"build/{name}" for name in new)
    assert_intact(project / "build", new)


def test_a_signal_while_staging_writes_nothing(stale: tuple[Path, dict, dict]) -> None:
    project, old, _ = stale
    done = interrupted(project, WHILE_STAGING, "SIGINT")
    assert done.returncode == 130, done.stderr
    assert "interrupted; nothing was written" in done.stderr
    assert_intact(project / "build", old)


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_write_error_keeps_every_old_output(stale: tuple[Path, dict, dict], run: Callable[..., Result],
                                              monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """A full disk while staging, or a failing rename half-way: the old set stays, whole, and is reported."""
    project, old, _ = stale
    real = getattr(os, where)
    calls: list[object] = []

    def failing(*args: object) -> object:
        calls.append(args)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(project / "build"))
        return real(*args)

    monkeypatch.setattr(os, where, failing)
    result = run(project, "build", *FORMATS, "-j", "1")
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "cannot write output: No space left on device" in result.output and "nothing was written" in result.output
    assert_intact(project / "build", old)


def test_sigterm_to_a_real_build_process_exits_130_and_cleans_up(stale: tuple[Path, dict, dict]) -> None:
    """A plain `kill` from outside, while the build renders PDFs in worker processes (every document, so the
    signal comes while the workers still have work: a memo-only build can now finish before it)."""
    project, old, _ = stale
    child = subprocess.Popen([sys.executable, "-m", "memo", "--project", str(project), "build", "--force", "-j", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    manifest = project / "build" / ".memo-manifest.json"
    before = manifest.stat().st_mtime_ns
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _has_children(child.pid):
        time.sleep(0.05)
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    out = project / "build"
    assert snapshot(out) == old and manifest.stat().st_mtime_ns == before
    no_leftovers(out)
    assert not _has_children(child.pid)


def _has_children(pid: int) -> bool:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                return True
    return False
