"""memo: briefing memos, debate packs and handouts from one article and YAML positions.

The pipeline, one module a stage: :mod:`memo.load` → :mod:`memo.verify` →
:mod:`memo.select` → :mod:`memo.render` → :mod:`memo.typeset` → :mod:`memo.write`,
joined by :mod:`memo.build`. The names below are imported on first use, so
``memo --version`` starts without loading the pipeline.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "BuildReport": "build", "build": "build", "check": "build", "plan": "build",
    "MemoError": "errors", "Problem": "errors",
    "find_root": "load", "load_project": "load",
}
__all__ = ["BuildReport", "MemoError", "Problem", "__version__", "build", "check", "find_root", "load_project", "plan"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'memo' has no attribute {name!r}")


class _Package(types.ModuleType):
    """``memo.build`` stays the function even after the submodule of that name is imported."""

    @property
    def build(self) -> Any:
        from .build import build

        return build

    @build.setter
    def build(self, value: Any) -> None:
        pass  # the import system records the submodule here; it stays reachable as sys.modules["memo.build"]


sys.modules[__name__].__class__ = _Package
