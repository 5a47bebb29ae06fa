"""JSON Schema for every file type, for ``memo schema`` and for editors.

Files that ``memo init`` writes start with a ``yaml-language-server``
comment pointing at these schemas, so VS Code, Neovim and other editors
with the YAML language server validate and complete them as you type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .kinds import KINDS
from .models import Audience, Context, Position, ProjectConfig, SourceMeta

SCHEMAS: dict[str, type[BaseModel]] = {
    "position": Position, "context": Context, "audience": Audience, "source": SourceMeta, "project": ProjectConfig,
    **{name: kind.spec for name, kind in KINDS.items()},
}


def schema(what: str) -> dict[str, Any]:
    """The JSON Schema of one file type, with a title editors show."""
    data = SCHEMAS[what].model_json_schema(by_alias=True)
    data.setdefault("title", f"memo {what} file")
    return data


def write_schemas(folder: Path) -> list[Path]:
    """Every schema as ``<folder>/<type>.json``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.json"
        path.write_text(json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n", "utf-8")
        written.append(path)
    return written
