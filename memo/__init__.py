"""memo: briefing memos, debate packs and handouts from one article and YAML positions.

The pipeline, one module a stage: :mod:`memo.load` → :mod:`memo.verify` →
:mod:`memo.select` → :mod:`memo.render` → :mod:`memo.typeset` → :mod:`memo.write`,
joined by :mod:`memo.build`.
"""

__version__ = "0.1.0"

from .build import BuildReport, build, check, plan
from .errors import MemoError, Problem
from .load import find_root, load_project

__all__ = ["BuildReport", "MemoError", "Problem", "__version__", "build", "check", "find_root", "load_project", "plan"]
