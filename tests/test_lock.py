"""The dataset write lock: re-entrant in one process, exclusive across processes, released on exit."""
from __future__ import annotations

import subprocess
import sys

from toolkit.lock import dataset_lock

_TRY = """
import sys
from toolkit.lock import DatasetLockedError, dataset_lock
try:
    with dataset_lock(sys.argv[1], timeout=0):
        print("got it")
except DatasetLockedError as exc:
    print("locked:", exc)
"""


def _other_process_tries(folder) -> str:
    return subprocess.run([sys.executable, "-c", _TRY, str(folder)], capture_output=True, text=True,
                          check=True, timeout=120).stdout.strip()


def test_lock_is_reentrant_exclusive_and_released(tmp_path):
    with dataset_lock(tmp_path / "ds"):
        with dataset_lock(tmp_path / "ds"):  # the same process again: no deadlock
            pass
        message = _other_process_tries(tmp_path / "ds")
        assert message.startswith("locked:") and "another parse is writing" in message
    assert _other_process_tries(tmp_path / "ds") == "got it"
