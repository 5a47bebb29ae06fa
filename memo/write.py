"""Write stage: all of a build's files land together, or none do.

Each file is first written beside its target under a temporary name and
flushed to disk; only when every file is staged are they renamed into
place. A failure while staging removes the temporaries and leaves earlier
outputs untouched. Files whose bytes have not changed are not rewritten.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import MemoError, Problem


@dataclass(frozen=True)
class WriteResult:
    written: list[Path]
    unchanged: list[Path]


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_all(files: dict[Path, bytes]) -> WriteResult:
    """Atomically publish ``files`` (path to bytes)."""
    staged: list[tuple[Path, Path]] = []
    unchanged: list[Path] = []
    try:
        for target, data in files.items():
            if _same(target, data):
                unchanged.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            staged.append((Path(temp), target))
    except BaseException as exc:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise MemoError([Problem(Path(exc.filename) if exc.filename else None, f"cannot write output: {exc.strerror}",
                                     hint="check that the output folder (--out) is writable and the disk has room")]) from None
        raise
    for temp, target in staged:
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    return WriteResult(written=[t for _, t in staged], unchanged=unchanged)
