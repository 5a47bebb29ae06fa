"""Write stage: all of a build's files land together, or none do.

Staging, renaming and cleanup are one guarded step. Each file is first
written beside its target under a temporary ``.part`` name and flushed to
disk; only when every file is staged are they renamed into place, with
SIGINT and SIGTERM held back until the last rename is done, so an interrupt
leaves every output wholly old or wholly new. A signal that arrives while
staging stops it, removes the temporaries and writes nothing. A write error
while renaming puts the renamed files back from hard-linked backups. Files
whose bytes have not changed are not rewritten.

An output folder is written by one build at a time: :class:`OutputLock`
holds a lock file there, and a second build waits for it, then refuses.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from .errors import MemoError, Problem

MANIFEST_NAME = ".memo-manifest.json"
LOCK_NAME = ".memo.lock"
BOOKKEEPING = (MANIFEST_NAME, LOCK_NAME)
_HELD = {signal.SIGINT, signal.SIGTERM}


@dataclass(frozen=True)
class WriteResult:
    written: list[Path]
    unchanged: list[Path]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped a build; ``written`` names exactly the files that landed."""

    def __init__(self, written: list[Path] | None = None) -> None:
        super().__init__()
        self.written = written or []


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def interrupts_as_keyboard() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt like Ctrl-C, so a stopped build cleans up after itself."""
    if not _main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back; a held one is delivered (as KeyboardInterrupt) on leaving."""
    if not _main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Stop(Exception):
    """A held signal is waiting: stop staging and clean up."""


def _signal_waiting() -> bool:
    return _main_thread() and bool(signal.sigpending() & _HELD)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _cannot_write(exc: OSError) -> MemoError:
    return MemoError([Problem(Path(exc.filename) if exc.filename else None, f"cannot write output: {exc.strerror}",
                              hint="check that the output folder (--out) is writable and the disk has room")])


def write_all(files: dict[Path, bytes], before_commit: Callable[[], None] | None = None) -> WriteResult:
    """Publish ``files`` (path to bytes, renamed in this order) as one step; see the module docstring.

    ``before_commit`` runs once everything is staged, just before the first rename (tests use it to
    interrupt the write step itself).
    """
    result: WriteResult | None = None
    try:
        with _signals_held():
            result = _write(files, before_commit)
    except KeyboardInterrupt:
        raise Interrupted(result.written if result else []) from None
    return result


def _write(files: dict[Path, bytes], before_commit: Callable[[], None] | None) -> WriteResult:
    staged: list[tuple[Path, Path]] = []
    unchanged: list[Path] = []
    try:
        for target, data in files.items():
            if _signal_waiting():
                raise _Stop
            if _same(target, data):
                unchanged.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            staged.append((Path(temp), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, 0o644)
        if before_commit is not None:
            before_commit()
        if _signal_waiting():
            raise _Stop
        _commit(staged)
    except BaseException as exc:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        if isinstance(exc, _Stop):
            return WriteResult(written=[], unchanged=[])
        if isinstance(exc, OSError):
            raise _cannot_write(exc) from None
        raise
    return WriteResult(written=[t for _, t in staged], unchanged=unchanged)


def _commit(staged: list[tuple[Path, Path]]) -> None:
    """Rename every staged file into place; on an error, put back what was already replaced."""
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for _, target in staged:
            if target.exists():
                backup = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
                with contextlib.suppress(OSError):  # no hard links here: that file cannot be put back
                    os.link(target, backup)
                    backups[target] = backup
        for temp, target in staged:
            os.replace(temp, target)
            done.append(target)
    except OSError:
        for target in reversed(done):
            if target in backups:
                os.replace(backups.pop(target), target)
            else:
                target.unlink(missing_ok=True)
        raise
    finally:
        for backup in backups.values():
            backup.unlink(missing_ok=True)


class OutputLock:
    """One build at a time per output folder: wait up to ``timeout`` seconds for another, then refuse."""

    def __init__(self, folder: Path, timeout: float | None = None, on_wait: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.timeout = float(os.environ.get("MEMO_LOCK_TIMEOUT", 600)) if timeout is None else timeout
        self.on_wait = on_wait
        self._fd: int | None = None
        self._created = False

    def __enter__(self) -> OutputLock:
        path = self.folder / LOCK_NAME
        self._created = not self.folder.exists()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise _cannot_write(exc) from None
        deadline = time.monotonic() + self.timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise MemoError([Problem(path, f"another memo build ({holder}) is writing to this output folder",
                                             hint="wait for it to finish, or build into another folder with --out")]) from None
                if not told and self.on_wait is not None:
                    self.on_wait(f"waiting for another memo build ({holder}) writing to {self.folder}")
                    told = True
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is None:
            return
        if exc is not None and self._created:  # a failed first build leaves no output folder behind
            with contextlib.suppress(OSError):
                (self.folder / LOCK_NAME).unlink()
                self.folder.rmdir()
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
