"""One writer per dataset folder: an OS file lock on ``DIR/.lock``.

The lock is ``flock`` (``msvcrt.locking`` on Windows) on an open file, so the
operating system releases it when the holder exits or is killed: no stale lock
survives a crash. It is re-entrant within one process.
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_LOCK_NAME = ".lock"


class DatasetLockedError(RuntimeError):
    """Another process is writing the same dataset folder."""


_held_locks: dict[str, int] = {}
_held_guard = threading.Lock()


@contextlib.contextmanager
def dataset_lock(out_dir: str | Path, timeout: float | None = None) -> Iterator[Path]:
    """Hold the dataset folder's write lock (re-entrant within one process).

    Waits for another writer to finish; with ``timeout`` (seconds; 0 = do not
    wait) raises :class:`DatasetLockedError` naming the folder instead.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    key = str(out_dir.resolve())
    with _held_guard:
        if key in _held_locks:
            _held_locks[key] += 1
            reentrant = True
        else:
            reentrant = False
    if reentrant:
        try:
            yield out_dir
        finally:
            with _held_guard:
                _held_locks[key] -= 1
        return
    handle = open(out_dir / _LOCK_NAME, "a+b")  # noqa: SIM115 - held for the whole block
    try:
        _acquire(handle, out_dir, timeout)
        with _held_guard:
            _held_locks[key] = 1
        try:
            yield out_dir
        finally:
            with _held_guard:
                _held_locks.pop(key, None)
            _release(handle)
    finally:
        handle.close()


def _acquire(handle: Any, out_dir: Path, timeout: float | None) -> None:
    deadline = None if timeout is None else time.monotonic() + timeout
    waited = False
    while True:
        try:
            _try_lock(handle)
            return
        except BlockingIOError:
            pass
        if deadline is not None and time.monotonic() >= deadline:
            raise DatasetLockedError(f"{out_dir}: another parse is writing this dataset "
                                     f"(lock file {out_dir / _LOCK_NAME}); try again when it has finished")
        if not waited:
            log.warning("%s: another parse is writing this dataset; waiting for it to finish", out_dir)
            waited = True
        time.sleep(0.05)


def _try_lock(handle: Any) -> None:
    """Take an exclusive lock without blocking; BlockingIOError when someone holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            raise BlockingIOError(str(exc)) from exc
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _release(handle: Any) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
