"""JSON Schema for every file type, for ``memo schema`` and for editors.

Project YAML files start with a ``yaml-language-server`` comment pointing at
these schemas (``memo init`` writes it; the shipped project carries it next
to its committed ``schemas/`` folder), so VS Code, Neovim and other editors
with the YAML language server validate and complete them as you type.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .kinds import KINDS
from .models import Audience, Context, Position, ProjectConfig, SourceMeta

SCHEMAS: dict[str, type[BaseModel]] = {
    "position": Position, "context": Context, "audience": Audience, "source": SourceMeta, "project": ProjectConfig,
    **{name: kind.spec for name, kind in KINDS.items()},
}
COMMENT = "# yaml-language-server: $schema="
# The folder a file lies in says its type; a document's own `kind` says which document schema applies.
FOLDER_TYPES = {"positions": "position", "context": "context", "audiences": "audience", "documents": "memo"}


def schema(what: str) -> dict[str, Any]:
    """The JSON Schema of one file type, with a title editors show."""
    data = SCHEMAS[what].model_json_schema(by_alias=True)
    data.setdefault("title", f"memo {what} file")
    return data


def schema_text(what: str) -> str:
    """One schema as written to disk: the exact bytes ``memo schema WHAT`` prints, so committed copies can be compared."""
    return json.dumps(schema(what), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Every schema as ``<folder>/<type>.json``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.json"
        path.write_text(schema_text(name), "utf-8")
        written.append(path)
    return written


def file_type(name: str, data: object = None) -> str | None:
    """The schema a project YAML file follows, from its path (``positions/x.yaml``) and, for documents, its ``kind``."""
    if not name.endswith((".yml", ".yaml")):
        return None
    if name in ("memo.yml", "memo.yaml"):
        return "project"
    folder = name.split("/")[0] if "/" in name else ""
    found = FOLDER_TYPES.get(folder)
    if found == "memo" and isinstance(data, dict) and data.get("kind") in KINDS:
        return str(data["kind"])
    return found


def comment(what: str, file: Path, folder: Path) -> str:
    """The editor comment for ``file``: the schema's path relative to the file, forward slashes on every system."""
    target = os.path.relpath(folder / f"{what}.json", file.parent)
    return f"{COMMENT}{Path(target).as_posix()}\n"


def referenced(path: Path) -> Path | None:
    """The schema file a YAML file's editor comment points at, or None when its first line carries none."""
    first = path.read_text("utf-8").split("\n", 1)[0]
    if not first.startswith(COMMENT):
        return None
    return (path.parent / first[len(COMMENT):].strip()).resolve()
