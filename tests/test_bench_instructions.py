"""``benchmarks/instructions.py``: valgrind instruction counts per article, whole or one family (slow)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
@pytest.mark.parametrize("family", ["all", "impacts"])  # impacts: the driver prepares count rows first
def test_instructions_counts_a_family_per_article(family):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "instructions.py"), "--corpus",
                           str(ROOT / "data" / "articles"), "--n", "4", "--family", family],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    label = "4 articles" if family == "all" else f"4 articles, {family}"
    row = re.search(rf"\| articles \({label}\) \| ([\d.]+) M \|", proc.stdout)
    assert row, proc.stdout
    assert 0.01 < float(row.group(1)) < 100  # millions of instructions per warm article


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_instructions_add_up_every_worker_process():
    """--workers: extract_all in 1 and in 2 processes, the forked child's instructions counted too."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "instructions.py"), "--corpus",
                           str(ROOT / "data" / "articles"), "--n", "4", "--workers", "1", "2"],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    row = re.search(r"\| articles \(4 articles, extract_all\) \| ([\d.]+) M \| ([\d.]+) M \| ([+-][\d.]+)% \|",
                    proc.stdout)
    assert row, proc.stdout
    one, two = float(row.group(1)), float(row.group(2))
    # the child's share is in: without it, two workers would seem to need about half the work
    assert 0.01 < one < 100 and 0.8 * one < two < 3 * one


def test_instructions_workers_mode_refuses_other_modes():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "instructions.py"), "--workers", "2",
                           "--family", "counts"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "--workers" in proc.stderr
