"""The resolved project as JSON, for other tools (``memo export``)."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..project import Project
from . import Exporter, register


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True)


def export(project: Project) -> dict[str, Any]:
    """Every file's content, resolved: each evidence item carries quote, source and paragraph."""
    return {
        "memo": __version__,
        "project": _dump(project.config),
        "sources": [{**_dump(s.meta), "key_points": s.key_points, "paragraphs": s.paragraphs} for s in project.sources.values()],
        "positions": [_dump(p) for p in project.positions.values()],
        "context": _dump(project.context),
        "documents": [_dump(d) for d in project.documents.values()],
        "audiences": [_dump(a) for a in project.audiences.values()],
    }


register(Exporter(
    name="json",
    suffix=".json",
    description="the resolved, verified project; every evidence item carries quote, source and paragraph",
    project=lambda project: (json.dumps(export(project), ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
))
