"""Shared fixtures: the shipped example project, copies of it to break, and one real build."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from memo import build, load_project
from memo.cli import main
from memo.write import BOOKKEEPING

from .layout import prime_pdf_text

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("memo.yml", "seeds", "positions", "context", "documents", "templates")


def copy_project(target: Path) -> Path:
    """Copy the shipped project's files into ``target`` (made here), for a test to edit freely."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped project, safe to edit."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke the real CLI in-process: run(project_dir, "build", "--audience", "students")."""
    runner = CliRunner()

    def invoke(project: Path, *args: str) -> Result:
        return runner.invoke(main, ["--project", str(project), *args], catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built once, every audience and format, with the real engine."""
    out = tmp_path_factory.mktemp("build")
    build(load_project(REPO), out=out)
    prime_pdf_text(sorted(out.rglob("*.pdf")))
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output under ``folder`` with its bytes, to prove a failed run changed nothing.

    memo's own bookkeeping (the build manifest and the lock file) is left out.
    """
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in BOOKKEEPING}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop the warm typesetters while WeasyPrint is still importable: collected at interpreter exit, their font
    configurations print a harmless but noisy TypeError from ``FontConfiguration.__del__``."""
    import gc
    import sys

    engine = sys.modules.get("memo.build")
    if engine is not None:
        engine._TYPESETTERS.clear()
    gc.collect()
