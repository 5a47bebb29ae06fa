"""The build engine: incremental builds from the manifest, parallel workers, progress, shards, start-up imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from memo import build, load_project
from memo.kinds.memo import DEFAULT_SECTIONS
from memo.write import MANIFEST_NAME, OutputLock

from .conftest import snapshot

HTML = ("html",)
MEMO = ["memo"]  # one kind keeps these builds quick; the engine treats every kind alike
BRIEF = "tiangong-brief"


def labels(report: object, status: str) -> set[str]:
    return {b.label for b in report.documents if b.status == status}  # type: ignore[attr-defined]


def add_narrow_document(project: Path) -> None:
    """A second memo that shows one position only, so an edit elsewhere must leave it alone."""
    text = (project / "documents" / f"{BRIEF}.yaml").read_text("utf-8")
    text = text.replace(f"name: {BRIEF}", "name: narrow", 1)
    text = text.replace("\npositions: []\n", "\npositions: [security-spillover]\n", 1)
    data = yaml.safe_load(text)
    data.pop("spine", None)  # a one-position memo keeps no spine
    (project / "documents" / "narrow.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def prefix_summary(path: Path, words: str) -> None:
    """Put ``words`` before a position's thesis and plain summary (every edition that shows it prints one of them)."""
    data = yaml.safe_load(path.read_text("utf-8"))
    for field in ("thesis", "plain"):
        value = data.get(field)
        if isinstance(value, dict):
            value["text"] = words + value["text"]
        elif isinstance(value, str):
            data[field] = words + value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def manifest_is_consistent(out: Path) -> None:
    """Every output the manifest records is on disk with the recorded hash."""
    import hashlib

    data = json.loads((out / MANIFEST_NAME).read_text("utf-8"))
    assert data["targets"]
    for entry in data["targets"].values():
        for record in entry["outputs"].values():
            assert hashlib.sha256((out / record["path"]).read_bytes()).hexdigest() == record["sha256"], record["path"]


def no_leftovers(out: Path) -> None:
    assert [p.name for p in out.rglob("*") if p.name.endswith((".part", ".old"))] == []


def test_a_no_op_rebuild_renders_nothing(project_dir: Path) -> None:
    project = load_project(project_dir)
    first = build(project, kinds=MEMO, formats=HTML)
    assert labels(first, "built") == {f"{a}/memo/{BRIEF}" for a in ("policymakers", "public", "students")}
    before = {p: p.stat().st_mtime_ns for p in (project_dir / "build").rglob("*.html")}
    again = build(load_project(project_dir), kinds=MEMO, formats=HTML)
    assert labels(again, "built") == set() and len(labels(again, "up to date")) == 3
    assert again.written == [] and len(again.unchanged) == 3
    assert {p: p.stat().st_mtime_ns for p in (project_dir / "build").rglob("*.html")} == before
    manifest_is_consistent(project_dir / "build")


def test_one_position_edit_rebuilds_exactly_the_documents_that_show_it(project_dir: Path) -> None:
    add_narrow_document(project_dir)
    project = load_project(project_dir)
    first = build(project, kinds=MEMO, formats=HTML)
    assert len(labels(first, "built")) == 6
    # A position the full brief shows to some audiences but not all (and `narrow` never shows), read from the outputs.
    shows = {name: {pid for pid in project.positions
                    if f'id="{pid}"' in (project_dir / "build" / name / "memo" / f"{BRIEF}.html").read_text("utf-8")}
             for name in project.audiences}
    edited = next(pid for pid in sorted(project.positions)
                  if pid != "security-spillover" and 0 < sum(pid in ids for ids in shows.values()) < len(shows))
    prefix_summary(project_dir / "positions" / f"{edited}.yaml", "Edited for the engine test, ")  # every card prints its summary
    again = build(load_project(project_dir), kinds=MEMO, formats=HTML)
    expected = {f"{name}/memo/{BRIEF}" for name, ids in shows.items() if edited in ids}
    assert labels(again, "built") == expected
    assert len(labels(again, "up to date")) == 6 - len(expected)
    for label in expected:
        assert "Edited for the engine test," in (project_dir / "build" / f"{label}.html").read_text("utf-8")
    manifest_is_consistent(project_dir / "build")


def test_a_template_edit_rebuilds_only_the_documents_that_load_it(project_dir: Path) -> None:
    add_narrow_document(project_dir)
    project = load_project(project_dir)
    build(project, kinds=MEMO, formats=HTML)
    builtin = Path(__file__).resolve().parent.parent / "memo" / "templates" / "memo" / "risks.html"
    shadow = project_dir / "templates" / "memo" / "risks.html"
    shadow.parent.mkdir(parents=True, exist_ok=True)
    shadow.write_text(builtin.read_text("utf-8") + "<!-- the project's own risks section -->\n", "utf-8")
    again = build(load_project(project_dir), kinds=MEMO, formats=HTML)
    with_risks = {name for name, audience in project.audiences.items() if "risks" in audience.sections.get("memo", DEFAULT_SECTIONS)}
    assert 0 < len(with_risks) < len(project.audiences)
    assert labels(again, "built") == {f"{a}/memo/{d}" for a in with_risks for d in (BRIEF, "narrow")}
    some = sorted(with_risks)[0]
    assert "the project's own risks section" in (project_dir / "build" / some / "memo" / "narrow.html").read_text("utf-8")


def test_a_changed_or_missing_output_is_rebuilt(project_dir: Path) -> None:
    build(load_project(project_dir), kinds=MEMO, formats=HTML)
    out = project_dir / "build"
    (out / "public" / "memo" / f"{BRIEF}.html").write_text("tampered", "utf-8")
    (out / "students" / "memo" / f"{BRIEF}.html").unlink()
    again = build(load_project(project_dir), kinds=MEMO, formats=HTML)
    assert labels(again, "built") == {f"public/memo/{BRIEF}", f"students/memo/{BRIEF}"}
    assert (out / "public" / "memo" / f"{BRIEF}.html").read_text("utf-8").startswith("<!DOCTYPE html>")


def test_a_new_format_builds_only_that_format_again(project_dir: Path) -> None:
    project = load_project(project_dir)
    build(project, audiences=["public"], kinds=MEMO, formats=HTML)
    both = build(project, audiences=["public"], kinds=MEMO, formats=("html", "md"))
    assert labels(both, "built") == {f"public/memo/{BRIEF}"}
    assert build(project, audiences=["public"], kinds=MEMO, formats=("md",)).written == []


def test_jobs_two_writes_the_same_bytes_as_jobs_one(project_dir: Path, tmp_path: Path) -> None:
    project = load_project(project_dir)
    one, two = tmp_path / "one", tmp_path / "two"
    serial = build(project, audiences=["public", "policymakers"], kinds=MEMO, out=one, jobs=1)
    parallel = build(project, audiences=["public", "policymakers"], kinds=MEMO, out=two, jobs=2)
    assert snapshot(one) == snapshot(two)
    assert len(snapshot(one)) == 6 and any(name.endswith(".pdf") for name in snapshot(one))
    assert [b.label for b in serial.documents] == [b.label for b in parallel.documents]
    assert [b.pages for b in serial.documents] == [b.pages for b in parallel.documents]
    assert serial.warnings == parallel.warnings


def test_shards_together_build_everything_once(project_dir: Path, run: Callable[..., Result]) -> None:
    add_narrow_document(project_dir)
    first = run(project_dir, "build", "-k", "memo", "-f", "html", "--shard", "1/2")
    second = run(project_dir, "build", "-k", "memo", "-f", "html", "--shard", "2/2")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert first.output.count("built build/") == 3 and second.output.count("built build/") == 3
    assert len(snapshot(project_dir / "build")) == 6
    manifest_is_consistent(project_dir / "build")
    assert "6 up to date" in run(project_dir, "build", "-k", "memo", "-f", "html").output
    bad = run(project_dir, "build", "--shard", "3/2")
    assert bad.exit_code == 2 and "between 1 and n" in bad.output


def test_progress_lines_quiet_and_verbose(project_dir: Path, run: Callable[..., Result]) -> None:
    result = run(project_dir, "build", "-k", "memo", "-f", "html", "-j", "1")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert sum(line.startswith("built build/") for line in lines) == 3
    assert lines[-1].startswith("3 built, 0 up to date, 0 failed in ") and "3 file(s) written, 0 unchanged." in lines[-1]
    quiet = run(project_dir, "build", "-k", "memo", "-f", "html", "-q")
    assert quiet.exit_code == 0 and quiet.stdout == ""  # warnings (framing over a reading-grade target) still reach stderr
    assert all(line.startswith("warning: ") for line in quiet.stderr.splitlines())
    verbose = run(project_dir, "build", "-k", "memo", "-f", "html", "-v")
    assert sum(line.startswith("up to date build/") for line in verbose.output.splitlines()) == 3
    assert "0 built, 3 up to date, 0 failed" in verbose.output


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    """The second lock waits (and says so) while the first is held, and gets it once released."""
    first = OutputLock(tmp_path, timeout=0).__enter__()
    said: list[str] = []

    def waiting(message: str) -> None:
        said.append(message)
        first.__exit__(None, None, None)  # the first build finishes while the second waits

    with OutputLock(tmp_path, timeout=30, on_wait=waiting):
        assert len(said) == 1 and said[0].startswith(f"waiting for another memo build (pid {os.getpid()})")


def test_a_second_build_refuses_after_waiting(project_dir: Path, run: Callable[..., Result],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(project_dir, "build", "-a", "public", "-k", "memo", "-f", "html").exit_code == 0
    out = project_dir / "build"
    before = snapshot(out)
    edit(project_dir / "positions" / "us-myopia.yaml", "claim: ", "claim: Changed. ")
    monkeypatch.setenv("MEMO_LOCK_TIMEOUT", "0.2")
    with OutputLock(out, timeout=0):
        result = run(project_dir, "build", "-a", "public", "-k", "memo", "-f", "html")
    assert result.exit_code == 1
    assert "another memo build" in result.output and "hint:" in result.output and "Traceback" not in result.output
    assert snapshot(out) == before


def test_two_builds_at_once_leave_one_consistent_folder(project_dir: Path) -> None:
    """Two real processes build into one folder at the same moment: both succeed, one after the other."""
    command = [sys.executable, "-m", "memo", "--project", str(project_dir), "build", "-k", "memo", "-f", "html", "-f", "md", "-j", "1"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    outputs = [p.communicate(timeout=240)[0] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    out = project_dir / "build"
    assert len(snapshot(out)) == 6
    manifest_is_consistent(out)
    no_leftovers(out)


def _modules_after(*args: str) -> set[str]:
    """The modules a fresh interpreter holds after running the CLI with ``args``."""
    script = (f"import sys\nfrom memo.cli import main\ntry:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
              "print('MODULES', ' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parent.parent)
    line = next(line for line in done.stdout.splitlines() if line.startswith("MODULES "))
    return set(line.split()[1:])


def test_an_unchanged_project_is_answered_without_loading_it(project_dir: Path, run: Callable[..., Result]) -> None:
    """The no-op fast path: same options, no byte changed: no pipeline module is imported, nothing rendered."""
    args = ("--project", str(project_dir), "build", "-k", "memo", "-f", "html")
    assert run(project_dir, *args[2:]).exit_code == 0
    assert "0 built, 3 up to date, 0 failed" in run(project_dir, *args[2:]).output
    modules = _modules_after(*args)
    assert "memo.stamp" in modules and not {"memo.build", "memo.load", "memo.kinds", "pydantic", "jinja2"} & modules
    edit(project_dir / "documents" / f"{BRIEF}.yaml", '\ntitle: "', '\ntitle: "Changed: ')
    assert "memo.build" in _modules_after(*args)  # a changed byte: the full, per-document check runs
    assert "0 built, 3 up to date" in run(project_dir, *args[2:]).output
    assert "3 built, 0 up to date" in run(project_dir, *args[2:], "--force").output
    assert run(project_dir, *args[2:], "-k", "nothing").exit_code == 2  # a wrong name is still a usage error


def test_check_never_imports_weasyprint() -> None:
    modules = _modules_after("check")
    assert "memo.verify" in modules  # it really checked
    assert not {m for m in modules if m.split(".")[0] == "weasyprint"}


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_load_no_pipeline(args: list[str]) -> None:
    modules = _modules_after(*args)
    assert "click" in modules
    assert not {m for m in modules if m.split(".")[0] in {"weasyprint", "pydantic", "jinja2", "rapidfuzz", "yaml"}}
    assert not {m for m in modules if m.startswith("memo.") and m not in {"memo.cli", "memo.errors"}}


def test_environment_is_clean_of_memo_build_workers() -> None:
    """After parallel builds, no worker process of ours lingers (the pool is closed every build)."""
    children = [p for p in os.listdir("/proc") if p.isdigit() and _parent_of(int(p)) == os.getpid()]
    assert children == []


def _parent_of(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1])
