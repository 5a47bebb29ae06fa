"""The no-op fast path: when no input byte changed since the last build with the same options, stop early.

A stamp hashes every file of the project (the output folder, hidden folders and caches aside), the
folders ``memo.yml`` names outside it, memo's own package files, the installed libraries and their
versions, today's date (documents without a date show it) and the build's options. The
build records its stamp in the manifest with the outputs it left; a later build with the same stamp
whose outputs are all on disk unchanged has nothing to do, and is answered without loading the
project (so without importing the pipeline). Any change anywhere falls back to the full,
per-document check in :mod:`memo.manifest`, which is always correct: the stamp only skips work
when nothing at all changed.

This module imports no heavy library, so ``memo build`` answers a no-op in a fraction of a second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .write import MANIFEST_NAME

PACKAGE = Path(__file__).resolve().parent
SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", ".tools", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache",
                ".mypy_cache", ".hypothesis", ".tox", ".cache"}
FOLDER_KEYS = ("sources_dir", "positions_dir", "context_dir", "documents_dir", "audiences_dir", "templates_dir")


def _files(folder: Path, skip: set[Path]) -> list[Path]:
    found: list[Path] = []
    for current, dirs, names in os.walk(folder):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and (here / d).resolve() not in skip)
        found.extend(here / name for name in sorted(names) if not name.endswith((".pyc", ".part")))
    return found


def _installed() -> list[str]:
    """Every installed distribution with its version (the names of the ``*.dist-info`` folders): cheap and complete."""
    found: list[str] = []
    for entry in sys.path:
        if not entry.endswith(("site-packages", "dist-packages")):
            continue  # the script's or the working folder: not where libraries live
        with contextlib.suppress(OSError):
            found.extend(name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info")))
    return sorted(found)


def project_root(start: Path) -> Path | None:
    """The folder holding memo.yml at or above ``start``; None leaves the question to the full build."""
    start = start.resolve()
    return next((folder for folder in (start, *start.parents) if (folder / "memo.yml").is_file() or (folder / "memo.yaml").is_file()),
                None)


def config(root: Path) -> dict[str, Any] | None:
    """memo.yml as plain data (None when it does not parse: the full build reports why)."""
    path = root / "memo.yml" if (root / "memo.yml").is_file() else root / "memo.yaml"
    try:
        import yaml

        data = yaml.safe_load(path.read_text("utf-8"))
    except Exception:
        return None
    return data if isinstance(data, dict) else None


def _outside_folders(root: Path, settings: dict[str, Any]) -> list[Path]:
    """Folders memo.yml names that lie outside the project (allowed with --allow-outside)."""
    folders = []
    for key in FOLDER_KEYS:
        value = settings.get(key)
        if isinstance(value, str):
            path = (root / value).resolve()
            if not path.is_relative_to(root.resolve()):
                folders.append(path)
    return folders


def stamp(root: Path, out: Path, options: dict[str, Any], settings: dict[str, Any]) -> str:
    """The hash of everything a build with ``options`` into ``out`` could depend on."""
    hasher = hashlib.sha256()
    hasher.update(json.dumps({"memo": __version__, "options": options, "today": dt.date.today().isoformat(),
                              "libraries": _installed(), "root": str(root), "out": str(out)}, sort_keys=True).encode())
    skip = {out.resolve()}
    for folder in (root, *_outside_folders(root, settings), PACKAGE):
        for path in _files(folder, skip):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            hasher.update(str(path).encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(data).digest())
    return hasher.hexdigest()


def options_key(options: dict[str, Any]) -> str:
    return json.dumps(options, sort_keys=True)


def recorded(out: Path, options: dict[str, Any], current: str) -> dict[str, Any] | None:
    """The last build's record when it had these options and this stamp and its outputs are intact."""
    try:
        data = json.loads((out / MANIFEST_NAME).read_text("utf-8"))
        entry = data["stamps"][options_key(options)]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(entry, dict) or entry.get("stamp") != current:
        return None
    for name, digest in entry.get("outputs", {}).items():
        try:
            if hashlib.sha256((out / name).read_bytes()).hexdigest() != digest:
                return None
        except OSError:
            return None
    return entry
