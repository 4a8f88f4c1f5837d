"""Parallel parsing (issue #7): ``--workers N`` gives exactly the serial result."""
from __future__ import annotations

import importlib.util
import multiprocessing
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.corpus import build_dataset, extract_all, load_dataset
from toolkit.ingest import read_articles

ROOT = Path(__file__).resolve().parents[1]


def load_generator():
    """``benchmarks/generate.py`` as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """12 generated articles plus a third of the bundled files (real phrasing variety) and its collections."""
    folder = tmp_path_factory.mktemp("corpus")
    load_generator().generate_corpus(folder / "generated", 12, seed=11, size=2_000)
    (folder / "bundled").mkdir()
    bundled = sorted((ROOT / "data" / "articles").iterdir())
    for path in bundled[::3] + [p for p in bundled if p.suffix != ".txt" or p.name.startswith("syn-s-02")]:
        shutil.copy(path, folder / "bundled")
    return folder


def test_parallel_generator_is_reproducible(tmp_path):
    generate = load_generator().generate_corpus
    first = generate(tmp_path / "a", 5, seed=3, size=2_000)
    second = generate(tmp_path / "b", 5, seed=3, size=2_000)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    grown = generate(tmp_path / "c", 3, seed=3, size=2_000, start=2)
    assert grown[0].read_bytes() == first[2].read_bytes()
    assert all(1_500 < len(p.read_text(encoding="utf-8")) < 2_600 for p in first)


@pytest.mark.parametrize("workers", [2, 3])
def test_parallel_extract_all_equals_serial(corpus, workers):
    articles = list(read_articles(corpus))
    serial = extract_all(articles, workers=1, progress=False)
    parallel = extract_all(articles, workers=workers, progress=False)
    assert [e.article.article_id for e in parallel] == [a.article_id for a in articles]
    assert [e.tables for e in parallel] == [e.tables for e in serial]


def _tables_equal(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    assert set(left) == set(right)
    for table in left:
        pd.testing.assert_frame_equal(left[table], right[table], check_exact=True, obj=table)


def test_parallel_parse_with_workers_equals_serial_parse(corpus, tmp_path):
    runner = CliRunner()
    for name, workers in (("serial", "1"), ("parallel", "2")):
        result = runner.invoke(main, ["parse", str(corpus), "-o", str(tmp_path / name), "--workers", workers,
                                      "--no-progress", "--csv"])
        assert result.exit_code == 0, result.output
    serial, parallel = load_dataset(tmp_path / "serial"), load_dataset(tmp_path / "parallel")
    assert len(serial["articles"]) == len(list(read_articles(corpus))) > 12
    _tables_equal(serial, parallel)
    for table in serial:  # the CSV exports are byte-identical too
        assert (tmp_path / "serial" / "csv" / f"{table}.csv").read_bytes() == \
            (tmp_path / "parallel" / "csv" / f"{table}.csv").read_bytes()


def test_parallel_incremental_rerun_with_workers_equals_full_serial(corpus, tmp_path):
    work = tmp_path / "in"
    shutil.copytree(corpus, work)
    build_dataset(work, tmp_path / "inc", workers=2, progress=False)
    load_generator().generate_corpus(work / "generated", 3, seed=11, size=2_000, start=12)  # 3 new articles
    (work / "bundled" / "syn-s-02-wire-267-drones-record.txt").unlink()  # one removed
    summary = build_dataset(work, tmp_path / "inc", workers=2, progress=False)
    assert summary.parsed == 3 and summary.removed == 1
    build_dataset(work, tmp_path / "full", workers=1, progress=False, full=True)
    _tables_equal(load_dataset(tmp_path / "inc"), load_dataset(tmp_path / "full"))


@pytest.mark.slow
def test_parallel_benchmark_runner_quick_mode(tmp_path):
    """`benchmarks/run.py --quick` runs every phase and writes the results table."""
    import subprocess
    import sys

    results = tmp_path / "RESULTS.md"
    # --also-python: the same interpreter stands in for another build of this Python version
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--skip-notebooks",
                           "--also-python", sys.executable, "--results", str(results)],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = results.read_text(encoding="utf-8")
    for measure in ("parse throughput", "floor", "same ratio by CPU time", "2 workers vs 1",
                    "ceiling: the same extraction", "incremental rerun", "`load_dataset` of that dataset",
                    "one JSON Lines file", "Dask LocalCluster", "import toolkit", "peak memory", "Profile",
                    f"same code on `{sys.executable}`", "rerun against dataset size"):
        assert measure in text
    # the distributed rerun read the 10 appended articles only
    assert re.search(r"appended \(only the new lines read\) \d+\.\d\d s \(10 parsed, 60 reused\)", text)
    # the JSON array row says how the array was read (here small: whole) and what the rerun parsed
    assert re.search(r"one JSON array \(0 MB, read whole: not over 32 MB\).*rerun \d+\.\d\d s \(10 parsed, 60 reused\)", text)
    # each dataset size with its rerun time and memory: "60: 0.39 s, 146 MB; 100: ..."
    assert re.search(r"\| 60: \d+\.\d\d s, \d+ MB; 100: \d+\.\d\d s, \d+ MB \|", text)
    if sys.platform.startswith("linux"):  # the initial parse's memory, all processes together
        assert re.search(r"peak memory [1-9]\d* MB for all processes \(PSS\)", text)


@pytest.mark.parametrize("total,processes", [(1, 2), (7, 2), (500, 2), (10_000, 3), (33, 8)])
def test_parallel_chunks_cover_everything_once_and_shrink(total, processes):
    import multiprocessing

    from toolkit.corpus import _Chunks

    chunks = _Chunks(multiprocessing.get_context(), total, processes)
    claimed = list(iter(chunks.claim, None))
    assert [start for start, _ in claimed] == [0] + [stop for _, stop in claimed[:-1]]  # in order, no gap
    sizes = [stop - start for start, stop in claimed]
    assert sum(sizes) == total and all(0 < s <= 50 for s in sizes)
    assert sizes == sorted(sizes, reverse=True)  # big chunks first, small ones at the end for balance
    assert chunks.claim() is None


def test_parallel_results_keep_the_callers_articles(corpus):
    articles = list(read_articles(corpus))
    parallel = extract_all(articles, workers=2, progress=False)
    assert all(e.article is a for e, a in zip(parallel, articles))  # only the tables travel back


def test_parallel_spawned_workers_give_the_serial_result(corpus, monkeypatch):
    """Where ``fork`` is not used (macOS, Windows) workers are spawned and get the articles pickled."""
    import toolkit.corpus

    articles = list(read_articles(corpus))[:10]
    serial = extract_all(articles, workers=1, progress=False)
    monkeypatch.setattr(toolkit.corpus, "_start_method", lambda: "spawn")
    parallel = extract_all(articles, workers=2, progress=False)
    assert [e.tables for e in parallel] == [e.tables for e in serial]


def _fail_in_worker(how: str):
    """An ``extract`` that works in the calling process and fails in a worker process (the caller
    dawdles, so that the worker surely gets a chunk)."""
    import multiprocessing
    import os
    import signal
    import time

    from toolkit.extract import extract
    from toolkit.records import Extraction

    def failing(article):
        if multiprocessing.parent_process() is not None:
            if how == "raise":
                raise MemoryError(f"no memory left for {article.article_id}")
            if how == "unpicklable":  # lost by the worker's queue, which only prints the error
                return Extraction(article=article, tables={"strike_counts": [{"count": lambda: 1}]})
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.2)
        return extract(article)
    return failing


@pytest.mark.skipif(sys.platform == "win32", reason="the test kills a forked worker")
@pytest.mark.parametrize("how,message", [("raise", r"worker process failed(.|\n)*MemoryError: no memory left for"),
                                         ("kill", r"toolkit-extract-1 ended \(exit code -9\)"),
                                         ("unpicklable", r"without sending the facts of every article")])
def test_parallel_a_failing_worker_is_an_error_not_a_hang(corpus, monkeypatch, how, message):
    import toolkit.corpus

    monkeypatch.setattr(toolkit.corpus, "extract", _fail_in_worker(how))
    monkeypatch.setattr(toolkit.corpus, "_start_method", lambda: "fork")  # the worker must see the patch
    articles = list(read_articles(corpus))[:12]
    with pytest.raises(RuntimeError, match=message):
        extract_all(articles, workers=2, progress=False)


@pytest.mark.skipif(sys.platform == "win32", reason="the test kills a forked worker")
@pytest.mark.parametrize("how,message", [("raise", r"worker process failed(.|\n)*MemoryError: no memory left for"),
                                         ("kill", r"toolkit-extract-\d ended \(exit code -9\)"),
                                         ("unpicklable", r"worker process failed(.|\n)*pickle")])
def test_parallel_a_failing_worker_of_a_parse_is_an_error_not_a_hang(corpus, monkeypatch, tmp_path, how, message):
    """The same for the workers of ``build_dataset``, which live for the whole parse: the parse
    fails with the worker's error, stops every worker and leaves the dataset as it was."""
    import toolkit.corpus

    build_dataset(corpus / "bundled", tmp_path / "ds", progress=False)
    before = load_dataset(tmp_path / "ds")
    monkeypatch.setattr(toolkit.corpus, "extract", _fail_in_worker(how))
    monkeypatch.setattr(toolkit.corpus, "_start_method", lambda: "fork")
    monkeypatch.setattr(toolkit.corpus, "PARSE_BATCH", 5)
    with pytest.raises(RuntimeError, match=message):
        build_dataset(corpus, tmp_path / "ds", workers=2, progress=False)
    assert not multiprocessing.active_children()
    _tables_equal(load_dataset(tmp_path / "ds"), before)


def test_parallel_spawned_workers_of_a_parse_give_the_serial_result(corpus, monkeypatch, tmp_path):
    """Where workers cannot be forked (macOS, Windows), the parse's workers are spawned: each
    article is sent to them pickled, with the same result."""
    import toolkit.corpus

    monkeypatch.setattr(toolkit.corpus, "_start_method", lambda: "spawn")
    monkeypatch.setattr(toolkit.corpus, "PARSE_BATCH", 9)
    build_dataset(corpus, tmp_path / "spawned", workers=3, progress=False)
    build_dataset(corpus, tmp_path / "serial", workers=1, progress=False)
    _tables_equal(load_dataset(tmp_path / "spawned"), load_dataset(tmp_path / "serial"))


@pytest.mark.skipif(sys.platform == "win32", reason="fork only")
def test_parallel_forked_workers_inherit_frozen_objects_and_the_caller_gets_them_back(corpus, monkeypatch):
    """The caller's objects are frozen (out of the collector's reach) only while the workers are
    forked, so that the workers' collections leave their pages shared; the caller's stay collectable."""
    import gc
    import multiprocessing

    import toolkit.corpus
    from toolkit.extract import extract

    def frozen_in_worker(article):
        if multiprocessing.parent_process() is not None and gc.get_freeze_count() == 0:
            raise AssertionError("the worker inherited nothing frozen")
        return extract(article)

    monkeypatch.setattr(toolkit.corpus, "extract", frozen_in_worker)
    monkeypatch.setattr(toolkit.corpus, "_start_method", lambda: "fork")
    extract_all(list(read_articles(corpus))[:12], workers=2, progress=False)
    assert gc.get_freeze_count() == 0
    gc.freeze()  # the caller's own frozen objects stay frozen
    try:
        extract_all(list(read_articles(corpus))[:12], workers=2, progress=False)
        assert gc.get_freeze_count() > 0  # (objects freed meanwhile leave the count)
    finally:
        gc.unfreeze()


def _running(pid: int) -> bool:
    """Is the process alive (a zombie, ended but not reaped by whoever adopted it, is not)?"""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return not any(line.startswith("State:") and "Z" in line.split()[1] for line in status.splitlines())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; kills the parse with SIGKILL")
@pytest.mark.parametrize("call", [
    "c.build_dataset({corpus!r}, {out!r}, workers=2, progress=False)",
    "c.extract_all(list(read_articles({corpus!r})) * 3, workers=3, progress=False)"])
def test_parallel_workers_of_a_killed_parse_end_too(corpus, tmp_path, call):
    """A parse killed outright (out of memory, SIGKILL) cannot stop its workers: they notice that
    their parent is gone and end, instead of waiting for work (or to send their facts) forever."""
    import subprocess
    import textwrap
    import time

    pids = tmp_path / "pids"
    pids.mkdir()
    script = tmp_path / "parse.py"
    script.write_text(textwrap.dedent(f"""
        import os, pathlib, time
        import toolkit.corpus as c
        extract = c.extract
        def slow(article):
            (pathlib.Path({str(pids)!r}) / str(os.getpid())).touch()
            time.sleep(0.2)
            return extract(article)
        c.extract, c._start_method = slow, lambda: "fork"
        from toolkit.ingest import read_articles
    """) + call.format(corpus=str(corpus), out=str(tmp_path / "ds")) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)])
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            # (extract_all's caller extracts too)
            workers = [int(p.name) for p in pids.iterdir() if int(p.name) != proc.pid]
        assert len(workers) == 2 and proc.poll() is None
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 20
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, workers))
