"""Shared fixtures: paths to the shared material beside the project."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root() -> Path:
    """The project root."""
    return ROOT


@pytest.fixture(scope="session")
def shared() -> Path:
    """`../shared/` beside the project (read-only); tests needing it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared/ is not beside the project")
    return SHARED
