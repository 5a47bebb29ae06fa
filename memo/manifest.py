"""The build plan's memory: what each output was made from, by content hash.

Every output document is a target. Its key hashes what the template sees
(the selected context, serialised deterministically), the audience, the
project settings, the bundled and project assets and memo's version. The
manifest in the output folder records, per target, that key, the templates
the render actually loaded (each with its resolved file and a hash of its
text) and a hash of every output file. A target is up to date when its key
matches, each template it loaded still resolves to the same text, and its
outputs are on disk unchanged; then it is neither rendered nor typeset.

Only what reaches a template counts, so editing one position rebuilds only
the documents that show it, and editing a template only those that load it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import __version__
from .project import Project
from .write import MANIFEST_NAME

FORMAT_VERSION = 1


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _project_view(project: Project) -> dict[str, Any]:
    """What templates read from the project itself (not through the selected context).

    Positions are left out but for their titles (templates name any position by its title), so a
    position reaches a target's key only when the target's selection shows it.
    """
    return {
        "root": str(project.root),
        "config": project.config.model_dump(mode="json", by_alias=True),
        "sources": {sid: s.model_dump(mode="json", by_alias=True) for sid, s in sorted(project.sources.items())},
        "context": project.context.model_dump(mode="json", by_alias=True),
        "position_titles": {pid: p.title for pid, p in sorted(project.positions.items())},
    }


class Fingerprinter:
    """Deterministic, JSON-able form of a template context; the project part is computed once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._project_digest: str | None = None

    def plain(self, value: Any) -> Any:
        if value is None or isinstance(value, (bool, int, float, str)):
            return value if not isinstance(value, str) else str(value)
        if isinstance(value, Project):
            if self._project_digest is None:
                self._project_digest = digest(_dumps(_project_view(value)))
            return {"$project": self._project_digest}
        if isinstance(value, BaseModel):
            return {"$model": type(value).__name__, **value.model_dump(mode="json", by_alias=True)}
        if isinstance(value, dict):
            return {str(k): self.plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.plain(v) for v in value]
        if isinstance(value, (set, frozenset)):
            return sorted((self.plain(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
        if isinstance(value, (dt.date, dt.datetime, dt.time)):
            return value.isoformat()
        if isinstance(value, enum.Enum):
            return self.plain(value.value)
        if isinstance(value, Path):
            return str(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {"$dataclass": type(value).__name__,
                    **{f.name: self.plain(getattr(value, f.name)) for f in dataclasses.fields(value)}}
        if callable(value):
            return f"$callable:{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(type(value)))}"
        return repr(value)  # unknown objects: at worst the target is rebuilt every time, never wrongly skipped

    def key(self, context: dict[str, Any], extra: dict[str, Any]) -> tuple[str, int]:
        """The target's key, and the size of its serialised context (a guess at its cost)."""
        data = _dumps({"context": self.plain(context), **extra, "memo": __version__})
        return digest(data), len(data)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def folder_digest(folders: Iterable[Path]) -> str:
    """Hash of every file under ``folders`` (names and bytes): the fonts and images templates use."""
    hasher = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            hasher.update(str(path.relative_to(folder)).encode("utf-8") + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


class TemplateTracker:
    """Records which templates a render loads (extends, includes, imports, however computed)."""

    def __init__(self, env: Any) -> None:
        self.env = env
        self.loaded: set[str] = set()
        self._hashes: dict[str, tuple[str, str] | None] = {}
        original = env._load_template

        def load(name: str, globals: Any) -> Any:
            template = original(name, globals)
            self.loaded.add(template.name or name)
            return template

        env._load_template = load

    def reset(self) -> None:
        self.loaded = set()

    def resolve(self, name: str) -> tuple[str, str] | None:
        """The file ``name`` resolves to now and the hash of its text (None when it is gone)."""
        if name not in self._hashes:
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)
            except Exception:  # a template that no longer resolves: the target is stale
                self._hashes[name] = None
            else:
                self._hashes[name] = (str(filename), digest(source.encode("utf-8")))
        return self._hashes[name]

    def record(self) -> dict[str, list[str]]:
        found = {name: self.resolve(name) for name in sorted(self.loaded)}
        return {name: list(where) for name, where in found.items() if where is not None}


@dataclasses.dataclass
class Manifest:
    """``<out>/.memo-manifest.json``: per target label, its key, templates, outputs and report."""

    path: Path
    targets: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    stamps: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)  # see memo.stamp

    @classmethod
    def read(cls, out: Path) -> Manifest:
        path = out / MANIFEST_NAME
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION or not isinstance(data.get("targets"), dict):
            return cls(path)
        stamps = data.get("stamps")
        return cls(path, data["targets"], stamps if isinstance(stamps, dict) else {})

    def fresh(self, label: str, key: str, suffixes: Iterable[str], tracker: TemplateTracker, out: Path,
              file_hash: Callable[[Path], str | None]) -> dict[str, Any] | None:
        """The recorded entry when ``label`` needs no work, else None."""
        entry = self.targets.get(label)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        for name, where in entry.get("templates", {}).items():
            if tracker.resolve(name) != tuple(where):
                return None
        outputs = entry.get("outputs", {})
        for suffix in suffixes:
            recorded = outputs.get(suffix)
            if not recorded or file_hash(out / recorded["path"]) != recorded["sha256"]:
                return None
        return entry

    def remember(self, key: str, stamp: str, record: dict[str, Any], keep: int = 16) -> None:
        """Record a whole build's stamp (newest last; the oldest beyond ``keep`` are forgotten)."""
        self.stamps.pop(key, None)
        self.stamps[key] = {"stamp": stamp, **record}
        for old in list(self.stamps)[:-keep]:
            del self.stamps[old]

    def to_bytes(self) -> bytes:
        return (json.dumps({"format": FORMAT_VERSION, "memo": __version__, "targets": self.targets, "stamps": self.stamps},
                           sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
