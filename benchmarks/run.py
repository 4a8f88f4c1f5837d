"""Benchmark runner: throughput, scaling, incremental reruns, memory, notebooks, import time.

    python benchmarks/run.py            # full run (about 10 minutes here), writes benchmarks/RESULTS.md
    python benchmarks/run.py --quick    # small sizes, a smoke test of the runner itself

Each measurement runs in its own Python process (``--phase NAME``) so that its peak
memory and its imports are its own; the parent collects one JSON line per phase and
writes the table. Corpora come from :mod:`generate` (seeded: the same files every run)
and live in ``build/bench/`` (not committed).
"""
from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import TextIO

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate_corpus  # noqa: E402

BUILD = ROOT / "build" / "bench"
TARGETS = {
    "articles_per_s": 500.0,       # one process, ~5 KB articles
    "floor_ratio": 10.0,           # parse time / read-and-split time
    "incremental_s": 3.0,          # 10,000 + 10 new, loading and saving included
    "speedup_2": 1.7,              # two workers vs one
    "import_s": 1.0,
    "notebook_s": 30.0,
}


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux: kilobytes


class _TreePss:
    """The peak proportional set size (PSS) of this process and its children, sampled every
    50 ms (Linux's ``/proc/PID/smaps_rollup``; ``peak_mb`` stays None elsewhere). Unlike RSS,
    PSS counts a page that a forked worker shares with its parent once, split between them:
    the sum is the memory the parse really takes."""

    def __init__(self) -> None:
        import threading

        self.peak_mb: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "_TreePss":
        if Path(f"/proc/{os.getpid()}/smaps_rollup").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            try:
                pids = [me] + [int(p) for p in Path(f"/proc/{me}/task/{me}/children").read_text().split()]
            except OSError:
                pids = [me]
            total_kb = 0
            for pid in pids:
                try:
                    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                        if line.startswith("Pss:"):
                            total_kb += int(line.split()[1])
                            break
                except OSError:  # a worker that has just ended
                    pass
            self.peak_mb = max(self.peak_mb or 0.0, total_kb / 1024)
            self._stop.wait(0.05)


def corpus(name: str, n: int, size: int, seed: int = 7) -> Path:
    """A generated corpus, reused when one with the same parameters exists."""
    folder = BUILD / f"{name}-{n}-{size}-{seed}"
    stamp = folder / ".complete"
    if not stamp.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate_corpus(folder, n, seed=seed, size=size)
        stamp.write_text("ok\n")
    return folder


#: Dataset sizes for the rows on how a rerun's cost grows with the dataset (``--quick``: the first two / 100)
MANY_FILES = (10_000, 30_000, 100_000)


def many_files(n: int) -> Path:
    """``n`` files of one short article each (distinct texts), reused when they exist; their times are
    an hour back, so that the source index keeps them (a file modified within 2 s is always re-read)."""
    folder = BUILD / f"many-{n}"
    stamp = BUILD / f"many-{n}.complete"
    if not stamp.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        past = time.time_ns() - 3_600 * 10**9
        for i in range(n):
            path = folder / f"a{i:07d}.txt"
            path.write_text(f"Report {i}\n\nRussia launched {i % 700 + 5} drones at Ukraine overnight, "
                            f"the air force said in its report number {i}.\n", encoding="utf-8")
            os.utime(path, ns=(past, past))
        stamp.write_text("ok\n")
    return folder


def collection(folder: Path) -> Path:
    """The articles of a generated corpus as one JSON Lines file (``id``, ``title``, ``published``,
    ``text``), reused when it exists: how news-archive dumps come."""
    target = folder.with_suffix(".jsonl")
    if not target.exists():
        staging = target.with_suffix(".jsonl.tmp")
        with staging.open("w", encoding="utf-8") as out:
            _write_lines(folder, out)
        staging.replace(target)
    return target


def write_array(lines: Path, target: Path, added: Path | None = None) -> None:
    """The records of the JSON Lines file ``lines`` (then those of the articles of the folder
    ``added``) dumped as one JSON array, a record per line, as a tool that dumps its whole list
    writes it (so the same list dumped with more has the old one's bytes up to its last item)."""
    extra = io.StringIO()
    if added is not None:
        _write_lines(added, extra)
    with lines.open(encoding="utf-8") as records, target.open("w", encoding="utf-8") as out:
        out.write("[\n" + ",\n".join(line.rstrip("\n") for line in itertools.chain(records, extra.getvalue().splitlines()))
                  + "\n]\n")


def _write_lines(folder: Path, out: TextIO) -> None:
    """Write the articles of ``folder`` to ``out`` as JSON Lines records."""
    from toolkit.ingest import read_articles

    for a in read_articles(folder):
        body = a.text[len(a.title):].lstrip("\n") if a.title and a.text.startswith(a.title) else a.text
        out.write(json.dumps({"id": a.article_id, "title": a.title, "published": a.published, "text": body}) + "\n")


# --------------------------------------------------------------------------- phases (child processes)

def phase_import(args) -> dict:
    started = time.perf_counter()
    import toolkit  # noqa: F401

    imported = time.perf_counter() - started
    from toolkit.extract import extract
    from toolkit.ingest import article_from_text

    extract(article_from_text("Russia launched 50 drones at Kyiv overnight; 40 were shot down.", "warm"))
    return {"import_s": imported, "first_extract_s": time.perf_counter() - started}


def _read(paths: Path | list[Path]) -> list:
    """The articles of a folder, a collection file or a list of files."""
    from toolkit.ingest import read_articles

    return list(read_articles(paths))


def phase_throughput(args) -> dict:
    """Read + extract, one process, one timed pass, against the read + split floor.

    The process first extracts a warm-up corpus of *other* articles (rule files loaded, caches
    filled), never the timed ones: memos keyed on sentences must not get a free second pass over
    text they have already seen. The parent runs this phase once per run, each in a new process.

    Floor and parse are timed in pairs over slices of the corpus (read + split slice k, then
    read + extract slice k): the host's speed drifts by up to 2x within a minute, and a floor
    timed once in 0.2 s before a 4 s parse caught whatever speed that moment had. Paired, both
    sums see the same drift; the floor is timed three times per slice (its minimum is kept: it
    has no memo to warm) so that one preemption does not double it.
    """
    from toolkit.extract import extract
    from toolkit.text import split_sentences

    for article in _read(Path(args.warm)):
        extract(article)
    folder = Path(args.corpus)  # a folder of generated .txt files, or one collection file (real news)
    articles = _read(folder)
    count = len(articles)
    if folder.is_file():  # the article texts, not the JSON around them
        mb = sum(len(a.text.encode("utf-8")) for a in articles) / 1e6
        slices: list[list[Path]] = [[folder]]
    else:
        mb = sum(p.stat().st_size for p in folder.iterdir() if p.suffix == ".txt") / 1e6
        files = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
        size = max(1, len(files) // 20)
        slices = [files[i:i + size] for i in range(0, len(files), size)]
    del articles
    floor = floor_cpu = parse = parse_cpu = 0.0
    for paths in slices:
        best, best_cpu = float("inf"), float("inf")
        for _ in range(3):
            started, cpu = time.perf_counter(), time.process_time()
            for article in _read(paths):
                split_sentences(article.text)
            best = min(best, time.perf_counter() - started)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        floor, floor_cpu = floor + best, floor_cpu + best_cpu
        started, cpu = time.perf_counter(), time.process_time()
        for article in _read(paths):
            extract(article)
        parse, parse_cpu = parse + time.perf_counter() - started, parse_cpu + time.process_time() - cpu
    return {"articles": count, "mb": mb, "floor_s": floor, "floor_cpu_s": floor_cpu, "parse_s": parse,
            "parse_cpu_s": parse_cpu, "peak_mb": _peak_mb()}


def throughput(folder: Path, warm: Path, runs: int, python: str | None = None) -> dict:
    """Medians of ``runs`` throughput phases (each a new process warmed on ``warm``; run by
    ``python`` when given, see :func:`_run_phase`)."""
    each = [_run_phase("throughput", python=python, corpus=folder, warm=warm) for _ in range(runs)]
    count, mb = each[0]["articles"], each[0]["mb"]
    floor_s = statistics.median(r["floor_s"] for r in each)
    parse_s = statistics.median(r["parse_s"] for r in each)
    cpu_s = statistics.median(r["parse_cpu_s"] for r in each)
    floor_cpu_s = statistics.median(r["floor_cpu_s"] for r in each)
    return {"articles": count, "mb": mb, "floor_s": floor_s, "parse_s": parse_s,
            "parse_runs": [r["parse_s"] for r in each], "floor_runs": [r["floor_s"] for r in each],
            "articles_per_s": count / parse_s, "mb_per_s": mb / parse_s,
            "cpu_articles_per_s": count / cpu_s, "cpu_mb_per_s": mb / cpu_s,
            "floor_articles_per_s": count / floor_s, "floor_ratio": parse_s / floor_s,
            "floor_ratio_cpu": cpu_s / floor_cpu_s,
            "peak_mb": max(r["peak_mb"] for r in each)}


def phase_scaling(args) -> dict:
    """One scaling measure in a new process warmed on *other* articles: ``extract_all`` over the
    corpus with ``args.workers`` workers (wall and CPU time, forked children included), or, with
    ``--out``, ``build_dataset`` end to end. Each measure gets its own process so that no memo
    filled by an earlier pass over the same articles (inherited by forked workers, too) flatters it."""
    from toolkit.corpus import build_dataset, extract_all

    folder = Path(args.corpus)
    extract_all(_read(Path(args.warm)), workers=1, progress=False)
    if args.out:
        target = Path(args.out)
        shutil.rmtree(target, ignore_errors=True)
        started = time.perf_counter()
        build_dataset(folder, target, workers=args.workers, progress=False, full=True)
        return {"build_s": time.perf_counter() - started, "peak_mb": _peak_mb()}
    articles = _read(folder)
    cpu = os.times()
    started = time.perf_counter()
    extract_all(articles, workers=args.workers, progress=False)
    wall = time.perf_counter() - started
    after = os.times()  # workers are reaped when the pool closes, so their CPU time is in children_*
    return {"articles": len(articles), "extract_s": wall, "extract_cpu_s": sum(after[:4]) - sum(cpu[:4]),
            "peak_mb": _peak_mb()}


def phase_independent(args) -> dict:
    """Part ``args.part`` of ``args.workers`` of the corpus (every W-th file), extracted by a plain
    process that shares nothing with the others: no pool, no pickling. Warms on other articles,
    says ``ready``, and starts when the parent writes a line (so that the W processes run at once).
    W such processes against one are what two busy cores can give this very workload here."""
    from toolkit.extract import extract

    for article in _read(Path(args.warm)):
        extract(article)
    files = sorted(p for p in Path(args.corpus).iterdir() if p.suffix == ".txt")[args.part::args.workers]
    articles = _read(files)
    print("ready", flush=True)
    sys.stdin.readline()
    started, cpu = time.perf_counter(), time.process_time()
    for article in articles:
        extract(article)
    return {"articles": len(articles), "seconds": time.perf_counter() - started,
            "cpu_s": time.process_time() - cpu}


def independent(folder: Path, warm: Path, workers: int) -> float:
    """Wall time for ``workers`` independent processes (:func:`phase_independent`) to extract the
    corpus between them, all started at once once every one of them is warm."""
    cmds = [[sys.executable, str(Path(__file__).resolve()), "--phase", "independent", "--corpus", str(folder),
             "--warm", str(warm), "--workers", str(workers), "--part", str(k)] for k in range(workers)]
    # stderr is dropped (the warm-up logs warnings, and an unread pipe could fill); a failure names the
    # command, whose error shows when it is run by hand
    procs = [subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=_env(),
                              stderr=subprocess.DEVNULL) for cmd in cmds]
    try:
        for proc, cmd in zip(procs, cmds):
            if proc.stdout.readline().strip() != "ready":  # type: ignore[union-attr]
                raise SystemExit(f"phase independent failed before it was ready: {' '.join(cmd)}")
        started = time.perf_counter()
        for proc in procs:
            proc.stdin.write("go\n")  # type: ignore[union-attr]
            proc.stdin.flush()  # type: ignore[union-attr]
        for proc, cmd in zip(procs, cmds):
            proc.communicate()
            if proc.returncode != 0:
                raise SystemExit(f"phase independent failed: {' '.join(cmd)}")
        return time.perf_counter() - started
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()


def scaling(folder: Path, warm: Path, runs: int) -> dict:
    """Medians over ``runs`` rounds of :func:`phase_scaling` for 1, 2 and all cores (each measure in
    a new process; the worker counts alternate within a round, so a slow spell of the machine
    falls on all of them)."""
    counts = sorted({1, 2, os.cpu_count() or 1})
    each: dict[int, list[dict]] = {w: [] for w in counts}
    for _ in range(runs):
        for w in counts:
            timed = _run_phase("scaling", corpus=folder, warm=warm, workers=w)
            timed.update(_run_phase("scaling", corpus=folder, warm=warm, workers=w, out=BUILD / f"scaling-out-{w}"))
            timed["independent_s"] = independent(folder, warm, w)
            each[w].append(timed)
    out: dict = {"articles": each[1][0]["articles"], "runs": runs, "extract_s": {}, "extract_cpu_s": {},
                 "build_s": {}, "extract_runs": {}, "independent_s": {}, "independent_runs": {}}
    for w, timed in each.items():
        out["extract_s"][str(w)] = statistics.median(t["extract_s"] for t in timed)
        out["extract_cpu_s"][str(w)] = statistics.median(t["extract_cpu_s"] for t in timed)
        out["build_s"][str(w)] = statistics.median(t["build_s"] for t in timed)
        out["extract_runs"][str(w)] = [t["extract_s"] for t in timed]
        out["independent_s"][str(w)] = statistics.median(t["independent_s"] for t in timed)
        out["independent_runs"][str(w)] = [t["independent_s"] for t in timed]
    out["peak_mb"] = max(t["peak_mb"] for timed in each.values() for t in timed)
    return out


def phase_base_dataset(args) -> dict:
    """The 10,000-article dataset the incremental rerun starts from (built once, cached)."""
    from toolkit.corpus import build_dataset

    target = Path(args.out)
    started = time.perf_counter()
    with _TreePss() as pss:
        summary = build_dataset(args.corpus, target, workers=args.workers, progress=False, full=True)
    (target / ".complete").write_text("ok\n")
    return {"articles": summary.articles, "seconds": time.perf_counter() - started, "workers": args.workers,
            "peak_mb": _peak_mb(), "pss_mb": pss.peak_mb}


def phase_appended(args) -> dict:
    """Rerun over a JSON Lines archive (``--corpus``) to which lines were appended since its dataset
    (``--out``) was built: only the appended lines are read and parsed."""
    from toolkit.corpus import build_dataset

    started = time.perf_counter()
    summary = build_dataset(args.corpus, args.out, workers=1, progress=False)
    return {"seconds": time.perf_counter() - started, "parsed": summary.parsed, "reused": summary.reused,
            "peak_mb": _peak_mb()}


def phase_distributed(args) -> dict:
    """The JSON Lines archive (``--corpus``) parsed on a Dask LocalCluster of ``--workers`` worker
    processes into ``--out``; then the articles of ``--warm`` appended to it and a rerun, which reads
    only the appended lines (cut into ranges: ``piece_bytes`` of 1 MB, so that there are tasks to
    spread; the time to start the cluster is not counted)."""
    from distributed import Client, LocalCluster

    from toolkit.distributed import build_dataset_distributed

    started = time.perf_counter()
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      worker_dashboard_address=None) as cluster, Client(cluster) as client:
        cluster_s = time.perf_counter() - started
        began = time.perf_counter()
        first = build_dataset_distributed(args.corpus, args.out, client=client, progress=False, piece_bytes=1 << 20)
        first_s = time.perf_counter() - began
        with open(args.corpus, "a", encoding="utf-8") as out:
            _write_lines(Path(args.warm), out)
        began = time.perf_counter()
        rerun = build_dataset_distributed(args.corpus, args.out, client=client, progress=False, piece_bytes=1 << 20)
        rerun_s = time.perf_counter() - began
    return {"workers": args.workers, "cluster_s": cluster_s, "articles": first.articles, "first_s": first_s,
            "rerun_s": rerun_s, "parsed": rerun.parsed, "reused": rerun.reused, "peak_mb": _peak_mb()}


def phase_incremental(args) -> dict:
    """Rerun over the base corpus plus 10 new articles: only the new ones are parsed. Then, on
    the result: the CSV copies of every table (``--csv``), and a rerun after one old article
    was deleted (the segment that held it is rewritten)."""
    started = time.perf_counter()
    from toolkit.corpus import build_dataset, export_csv

    imported = time.perf_counter() - started
    began = time.perf_counter()
    summary = build_dataset(args.corpus, args.out, workers=1, progress=False)
    seconds = time.perf_counter() - began
    peak = _peak_mb()
    from toolkit.corpus import _manifest, current_snapshot, load_dataset

    began = time.perf_counter()
    loaded = load_dataset(args.out)
    load_s = time.perf_counter() - began
    segments = len(_manifest(current_snapshot(args.out)).get("segments", []))
    began = time.perf_counter()
    export_csv(args.out)
    csv_s = time.perf_counter() - began
    min(Path(args.corpus).glob("*.txt")).unlink()
    began = time.perf_counter()
    deleted = build_dataset(args.corpus, args.out, workers=1, progress=False)
    return {"articles": summary.articles, "parsed": summary.parsed, "reused": summary.reused,
            "seconds": seconds, "with_import_s": seconds + imported, "peak_mb": peak, "csv_s": csv_s,
            "load_s": load_s, "load_rows": sum(map(len, loaded.values())), "segments": segments,
            "after_delete_s": time.perf_counter() - began, "removed": deleted.removed}


def phase_profile(args) -> dict:
    """cProfile of read + extract over a corpus: the functions that cost the most."""
    import cProfile
    import io
    import pstats

    from toolkit.extract import extract

    articles = _read(Path(args.corpus))
    extract(articles[0])  # rule files loaded outside the profile
    profiler = cProfile.Profile()
    profiler.enable()
    for article in articles:
        extract(article)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    total = stats.total_tt
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _callers) in stats.stats.items():
        where = f"{Path(file).name}:{line}({func})" if line else func
        rows.append({"where": where, "calls": nc, "tottime": tt, "cumtime": ct})
    by_cum = sorted((r for r in rows if "toolkit" in r["where"] or ".py:" in r["where"]),
                    key=lambda r: -r["cumtime"])[:18]
    by_tot = sorted(rows, key=lambda r: -r["tottime"])[:12]
    return {"articles": len(articles), "total_s": total, "by_cumtime": by_cum, "by_tottime": by_tot}


def phase_demo_data(args) -> dict:
    """``data/processed`` of the frozen tree, which the notebooks read (as `make demo` builds it)."""
    from toolkit.corpus import build_dataset

    started = time.perf_counter()
    summary = build_dataset(Path(args.corpus) / "data" / "articles", Path(args.corpus) / "data" / "processed",
                            progress=False)
    return {"articles": summary.articles, "seconds": time.perf_counter() - started}


def phase_notebooks(args) -> dict:
    """Execute every notebook (papermill, as `toolkit report` does) and time each one."""
    import toolkit
    from toolkit.report import execute_notebook

    reports = Path(args.out) if args.out else BUILD / "reports"
    times = {"toolkit imported from": str(Path(toolkit.__file__).parent)}
    for notebook in sorted((Path(args.corpus) / "notebooks").glob("*.ipynb")):
        started = time.perf_counter()
        try:
            execute_notebook(notebook, reports)
            times[notebook.name] = time.perf_counter() - started
        except Exception as exc:  # a failing notebook is reported, not fatal to the benchmark
            times[notebook.name] = f"failed after {time.perf_counter() - started:.1f} s: {type(exc).__name__}"
    return {"seconds": times, "peak_mb": _peak_mb()}


PHASES = {name[6:]: fn for name, fn in globals().items() if name.startswith("phase_")}


#: Set by :func:`freeze_code`: the committed code every phase runs (PYTHONPATH), so that edits in the
#: working tree during a run neither mix versions nor invalidate the cached dataset (extractor fingerprint).
FROZEN: Path | None = None


def freeze_code() -> tuple[Path, str]:
    """Export ``src/``, ``notebooks/`` and ``data/articles/`` of HEAD to build/bench/code-<commit>."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
                            check=True).stdout.strip()
    target = BUILD / f"code-{commit}"
    if not (target / ".complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "HEAD", "src", "notebooks", "data/articles"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        (target / ".complete").write_text("ok\n")
    return target, commit


def _env() -> dict:
    env = dict(os.environ)
    if FROZEN is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(FROZEN / "src")] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def _interpreter(python: str) -> str:
    """``python``'s version, checked to be this one's (it imports this environment's compiled packages)."""
    probe = "import platform, sys; print(platform.python_version(), sys.version_info[:2] == tuple(map(int, sys.argv[1:])))"
    out = subprocess.run([python, "-c", probe, *map(str, sys.version_info[:2])], capture_output=True, text=True,
                         check=True).stdout.split()
    if out[1] != "True":
        raise SystemExit(f"--also-python {python} is Python {out[0]}, not {platform.python_version()}: "
                         "it could not import this environment's packages")
    return out[0]


def _run_phase(name: str, python: str | None = None, **kwargs) -> dict:
    """Run one phase in a new process (of ``python``, another interpreter of this Python version
    that then imports this environment's packages, when given) and return its JSON result."""
    cmd = [python or sys.executable, str(Path(__file__).resolve()), "--phase", name]
    for key, value in kwargs.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    env = _env()
    if python:
        paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
        env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"], *paths] if env.get("PYTHONPATH") else paths)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return result


# --------------------------------------------------------------------------- parent

def measure(args) -> dict:
    """Every phase, in order; returns all results."""
    global FROZEN
    size = args.size
    FROZEN, commit = freeze_code()
    results: dict = {"n": args.n, "size": size, "runs": args.runs, "incremental_n": args.incremental_n,
                     "commit": commit, "load_before": os.getloadavg()}
    print(f"benchmark: code of commit {commit} in {FROZEN}; generating corpora", file=sys.stderr)
    small = corpus("throughput", args.n, size)
    imports = [_run_phase("import") for _ in range(args.runs + 2)]
    results["import_s"] = statistics.median(r["import_s"] for r in imports)
    results["first_extract_s"] = statistics.median(r["first_extract_s"] for r in imports)
    warm = corpus("warmup", 20 if args.quick else 100, size, seed=8)  # not the timed articles (phase_throughput)
    results["throughput"] = throughput(small, warm, args.runs)
    news = ROOT.parent / "shared" / "data" / "news" / "gdelt_war_articles_2022_2024.jsonl"
    if news.exists():  # real reporting, for comparison (read in place, never copied)
        results["news"] = throughput(news, warm, args.runs)
    if args.also_python:
        results["also_python"] = {"python": args.also_python, "version": _interpreter(args.also_python),
                                  "throughput": throughput(small, warm, args.runs, args.also_python)}
        if news.exists():
            results["also_python"]["news"] = throughput(news, warm, args.runs, args.also_python)
    results["scaling"] = scaling(small, warm, args.runs)
    results["profile"] = _run_phase("profile", corpus=corpus("throughput", min(args.n, 200), size))

    big = corpus("incremental", args.incremental_n, size)
    base = BUILD / f"dataset-{args.incremental_n}-{size}-{commit}"  # cached facts are valid for this code only
    # The corpus is parsed where it is rerun: copies keep the files' modification times, so
    # the dataset's source index (path, size, mtime) holds for the work copy.
    work_corpus, work_out = BUILD / "incremental-work", BUILD / "incremental-out"
    shutil.rmtree(work_corpus, ignore_errors=True)
    shutil.rmtree(work_out, ignore_errors=True)
    shutil.copytree(big, work_corpus, symlinks=True)
    if not (base / ".complete").exists():
        shutil.rmtree(base, ignore_errors=True)
        results["base_dataset"] = _run_phase("base_dataset", corpus=work_corpus, out=base,
                                             workers=os.cpu_count() or 1)
    shutil.copytree(base, work_out)
    archive = BUILD / "collection-work.jsonl"  # an archive a news desk appends to
    shutil.copyfile(collection(big), archive)
    an_hour_ago = time.time_ns() - 3_600 * 10**9
    os.utime(archive, ns=(an_hour_ago, an_hour_ago))  # not modified within the last 2 s: indexed
    shutil.rmtree(BUILD / "collection-out", ignore_errors=True)
    results["collection"] = _run_phase("base_dataset", corpus=archive, out=BUILD / "collection-out",
                                       workers=os.cpu_count() or 1)
    results["collection"]["mb"] = archive.stat().st_size / 1e6
    fresh = BUILD / "collection-new"
    shutil.rmtree(fresh, ignore_errors=True)
    generate_corpus(fresh, 10, seed=7, size=size, start=args.incremental_n)  # the 10 new articles again
    with archive.open("a", encoding="utf-8") as out:
        _write_lines(fresh, out)
    results["appended"] = _run_phase("appended", corpus=archive, out=BUILD / "collection-out")
    shutil.rmtree(BUILD / "collection-out", ignore_errors=True)
    shutil.copyfile(collection(big), archive)  # the archive again, on a cluster this time
    os.utime(archive, ns=(an_hour_ago, an_hour_ago))
    shutil.rmtree(BUILD / "distributed-out", ignore_errors=True)
    results["distributed"] = _run_phase("distributed", corpus=archive, out=BUILD / "distributed-out", warm=fresh,
                                        workers=os.cpu_count() or 1)
    results["distributed"]["mb"] = archive.stat().st_size / 1e6
    shutil.rmtree(BUILD / "distributed-out", ignore_errors=True)
    array = BUILD / "collection-work.json"  # the same articles as a JSON array, dumped again with 10 more
    write_array(collection(big), array)
    os.utime(array, ns=(an_hour_ago, an_hour_ago))
    shutil.rmtree(BUILD / "array-out", ignore_errors=True)
    results["array"] = _run_phase("base_dataset", corpus=array, out=BUILD / "array-out", workers=os.cpu_count() or 1)
    results["array"]["mb"] = array.stat().st_size / 1e6
    write_array(collection(big), array, fresh)
    results["array_appended"] = _run_phase("appended", corpus=array, out=BUILD / "array-out")
    shutil.rmtree(BUILD / "array-out", ignore_errors=True)
    array.unlink()
    shutil.rmtree(fresh, ignore_errors=True)
    archive.unlink()
    generate_corpus(work_corpus, 10, seed=7, size=size, start=args.incremental_n)  # 10 new articles
    results["incremental"] = _run_phase("incremental", corpus=work_corpus, out=work_out)
    cli = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("toolkit")), "parse", str(work_corpus), "-o", str(work_out),
                    "--no-progress"], check=True, capture_output=True, cwd=ROOT, env=_env())
    results["incremental_cli_noop_s"] = time.perf_counter() - cli

    results["many_files"] = many_files_reruns(MANY_FILES if not args.quick else (60, 100), size)

    if not args.skip_notebooks:
        results["demo_data"] = _run_phase("demo_data", corpus=FROZEN)
        results["notebooks"] = _run_phase("notebooks", corpus=FROZEN)
        results["notebooks_at_scale"] = notebooks_at_scale(work_corpus, work_out)
    results["load_after"] = os.getloadavg()
    return results


def notebooks_at_scale(articles: Path, dataset: Path) -> dict:
    """Every notebook in a copy of the project whose ``data/articles`` is ``articles`` (the
    incremental corpus) and whose ``data/processed`` starts as a copy of ``dataset`` (its parse):
    what a user who dropped that many articles in meets."""
    tree = BUILD / "notebooks-at-scale"
    shutil.rmtree(tree, ignore_errors=True)
    (tree / "data").mkdir(parents=True)
    shutil.copytree(FROZEN / "notebooks", tree / "notebooks")
    (tree / "data" / "articles").symlink_to(articles, target_is_directory=True)
    shutil.copytree(dataset, tree / "data" / "processed")
    out = _run_phase("notebooks", corpus=tree, out=BUILD / "reports-at-scale")
    out["articles"] = sum(1 for p in articles.iterdir() if p.suffix == ".txt")
    shutil.rmtree(tree, ignore_errors=True)
    return out


def many_files_reruns(sizes: tuple[int, ...], size: int) -> list[dict]:
    """For each of ``sizes``: a dataset of that many one-article files (all cores), then a rerun with 10
    new generated articles added to the folder (one process); the 10 are removed again afterwards."""
    rows = []
    for n in sizes:
        folder, out = many_files(n), BUILD / f"many-out-{n}"
        shutil.rmtree(out, ignore_errors=True)
        base = _run_phase("base_dataset", corpus=folder, out=out, workers=os.cpu_count() or 1)
        fresh = BUILD / "many-new"
        shutil.rmtree(fresh, ignore_errors=True)
        generate_corpus(fresh, 10, seed=7, size=size, start=1_000_000)
        added = [Path(shutil.copy2(p, folder / f"new-{p.name}")) for p in sorted(fresh.glob("*.txt"))]
        try:
            rerun = _run_phase("appended", corpus=folder, out=out)
        finally:
            for p in added:
                p.unlink()
            shutil.rmtree(fresh, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
        rows.append({"files": n, "base_s": base["seconds"], "base_workers": base["workers"], **rerun})
    return rows


def _many_files_rows(results: dict) -> list[str]:
    rows = results.get("many_files")
    if not rows:
        return []
    reruns = "; ".join(f"{r['files']:,}: {r['seconds']:.2f} s, {r['peak_mb']:.0f} MB" for r in rows)
    bases = "; ".join(f"{r['files']:,}: {r['base_s']:.1f} s" for r in rows)
    return [f"| incremental rerun against dataset size: N files of one short article each, + 10 new generated "
            f"articles (load + parse + save; one process): files, time, peak memory | {reruns} | | |",
            f"| initial parse of those datasets ({rows[0]['base_workers']} workers) | {bases} | | |"]


def _status(value: float, target: float, higher_is_better: bool) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "met" if ok else "**not met**"


def _load(values) -> str:
    return ", ".join(f"{v:.1f}" for v in values) if values else "n/a"


NOTES_MARKER = "<!-- notes: kept when the table above is regenerated -->"


def _also_python_rows(results: dict) -> list[str]:
    """Rows of the throughput measured again on another interpreter (``--also-python``)."""
    also = results.get("also_python")
    if not also:
        return []
    t = also["throughput"]
    rows = [f"| same code on `{also['python']}` (Python {also['version']}), generated articles | "
            f"{t['articles_per_s']:.1f} articles/s ({t.get('cpu_articles_per_s', float('nan')):.1f} by CPU time), "
            f"floor ratio {t['floor_ratio']:.1f}x | | |"]
    if "news" in also:
        rows.append(f"| same code on `{also['python']}`, real news, by CPU time | "
                    f"{also['news']['cpu_articles_per_s']:.0f} articles/s, {also['news']['cpu_mb_per_s']:.2f} MB/s | | |")
    return rows


def _ceiling_rows(s: dict) -> list[str]:
    """What two busy cores give this workload here: two plain processes, sharing nothing."""
    ind = s.get("independent_s", {})
    if "2" not in ind:
        return []
    return [f"| ceiling: the same extraction split over 2 independent processes (no pool, no pickling) vs 1 | "
            f"{ind['1'] / ind['2']:.2f}x ({ind['1']:.1f} s -> {ind['2']:.1f} s) | | |"]


def _tree_memory(phase: dict) -> str:
    """Peak memory of a phase with worker processes: PSS of all of them (when measured), and the
    largest RSS of one process (which counts pages a worker shares with its parent in both)."""
    rss = f"largest RSS of one process {phase['peak_mb']:.0f} MB"
    pss = phase.get("pss_mb")
    return f"{pss:.0f} MB for all processes (PSS), {rss}" if pss else rss


def render(results: dict, command: str) -> str:
    """RESULTS.md text from the measured results."""
    t, s, inc = results["throughput"], results["scaling"], results["incremental"]
    ex1, ex2 = s["extract_s"]["1"], s["extract_s"].get("2")
    b1, b2 = s["build_s"]["1"], s["build_s"].get("2")
    speed_extract = ex1 / ex2 if ex2 else float("nan")
    speed_build = b1 / b2 if b2 else float("nan")
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on the code of commit `{results['commit']}` "
        f"(exported by `git archive`), {platform.machine()} with {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Command: `{command}` (`make bench`).",
        "",
        f"Corpus: {t['articles']} generated articles of about {results['size']:,} characters "
        f"({t['mb']:.2f} MB; `benchmarks/generate.py`, seed 7); medians of {results['runs']} runs, each "
        "in a new process that first extracts 100 other generated articles (seed 8; so that no memo has seen "
        "the timed text). Every phase runs in its own process. Load average (1, 5, 15 min) before the run "
        f"{_load(results.get('load_before'))}, after it {_load(results.get('load_after'))}: above 2 means other "
        "work shared the 2 cores and the wall-clock figures are pessimistic.",
        "",
        "| measure | result | target | |",
        "| --- | --- | --- | --- |",
        f"| parse throughput, one process (read + extract) | {t['articles_per_s']:.1f} articles/s, "
        f"{t['mb_per_s']:.3f} MB/s | >= {TARGETS['articles_per_s']:.0f} articles/s | "
        f"{_status(t['articles_per_s'], TARGETS['articles_per_s'], True)} |",
        f"| same, by CPU time (independent of other load on the machine) | "
        f"{t.get('cpu_articles_per_s', float('nan')):.1f} articles/s | | |",
        *([f"| same on real news: {results['news']['articles']} articles of `../shared/data/news` "
           f"({results['news']['mb']:.1f} MB, mean {results['news']['mb'] * 1e6 / results['news']['articles']:,.0f} "
           f"bytes), by CPU time | {results['news']['cpu_articles_per_s']:.0f} articles/s, "
           f"{results['news']['cpu_mb_per_s']:.2f} MB/s | (~2.5 MB/s) | |"] if "news" in results else []),
        f"| floor: read + sentence-split only (timed slice by slice beside the parse, best of 3 per slice) | "
        f"{t['floor_articles_per_s']:.1f} articles/s ({t['floor_s']:.2f} s) | | |",
        f"| parse time / floor time | {t['floor_ratio']:.1f}x | <= {TARGETS['floor_ratio']:.0f}x | "
        f"{_status(t['floor_ratio'], TARGETS['floor_ratio'], False)} |",
        *([f"| same ratio by CPU time | {t['floor_ratio_cpu']:.1f}x | | |"] if "floor_ratio_cpu" in t else []),
        *_also_python_rows(results),
        f"| extraction, 2 workers vs 1 (`extract_all`; medians of {s.get('runs', 1)} runs, each a new process) | "
        f"{speed_extract:.2f}x ({ex1:.1f} s -> {ex2:.1f} s) | "
        f">= {TARGETS['speedup_2']}x | {_status(speed_extract, TARGETS['speedup_2'], True)} |",
        f"| `build_dataset` end to end, 2 workers vs 1 | {speed_build:.2f}x ({b1:.1f} s -> {b2:.1f} s) | | |",
        f"| CPU time of the extraction, 2 workers vs 1 (parallel overhead) | "
        f"{s['extract_cpu_s'].get('2', float('nan')):.1f} s vs {s['extract_cpu_s']['1']:.1f} s | | |",
        *_ceiling_rows(s),
        f"| incremental rerun: {results['incremental_n']:,} + 10 new articles (load + parse + save) | "
        f"{inc['seconds']:.2f} s ({inc['parsed']} parsed, {inc['reused']:,} reused) | "
        f"< {TARGETS['incremental_s']:.0f} s | {_status(inc['seconds'], TARGETS['incremental_s'], False)} |",
        f"| same, as a `toolkit parse` process with nothing new | {results['incremental_cli_noop_s']:.2f} s "
        "(interpreter start and imports included) | | |",
        *([f"| `load_dataset` of that dataset ({inc['segments']} segments, {inc['load_rows']:,} rows in all "
           f"tables) | {inc['load_s']:.2f} s | | |"] if "load_s" in inc else []),
        f"| CSV copies of every table of that dataset (`--csv`, optional) | {inc.get('csv_s', float('nan')):.1f} s "
        "| | |",
        f"| rerun after deleting 1 old article (listed as dropped in its segment) | "
        f"{inc.get('after_delete_s', float('nan')):.2f} s | | |",
        f"| `import toolkit` | {results['import_s'] * 1000:.0f} ms | < {TARGETS['import_s']:.0f} s | "
        f"{_status(results['import_s'], TARGETS['import_s'], False)} |",
        f"| import + first extraction (rule files loaded) | {results['first_extract_s']:.2f} s | | |",
        f"| peak memory: one-process parse of {t['articles']} articles | {t['peak_mb']:.0f} MB | | |",
        f"| peak memory: incremental rerun of {results['incremental_n']:,} articles | {inc['peak_mb']:.0f} MB | | |",
        f"| peak memory: scaling phase (largest worker) | {s['peak_mb']:.0f} MB | | |",
    ]
    if "base_dataset" in results:
        bd = results["base_dataset"]
        small_s = s["build_s"].get(str(bd["workers"]))  # the same workers on the small corpus: scaling with size
        versus = f"; {s['articles']} articles: {s['articles'] / small_s:.0f} articles/s" if small_s else ""
        lines.append(f"| initial parse of the {bd['articles']:,}-article dataset ({bd['workers']} workers, "
                     f"`build_dataset` end to end) | {bd['seconds']:.0f} s, {bd['articles'] / bd['seconds']:.0f} "
                     f"articles/s{versus}; peak memory {_tree_memory(bd)} | | |")
    if "collection" in results:
        c = results["collection"]
        lines.append(f"| the same articles as one JSON Lines file ({c['mb']:.0f} MB, read line by line), "
                     f"{c['workers']} workers | {c['seconds']:.0f} s, {c['articles'] / c['seconds']:.0f} articles/s; "
                     f"peak memory {_tree_memory(c)} | | |")
    if "appended" in results:
        a = results["appended"]
        lines.append(f"| rerun of that JSON Lines file with 10 articles appended (only the new lines read; "
                     f"load + parse + save) | {a['seconds']:.2f} s ({a['parsed']} parsed, {a['reused']:,} reused) "
                     "| | |")
    if "distributed" in results:
        d = results["distributed"]
        lines.append(f"| the same JSON Lines file on a Dask LocalCluster of {d['workers']} worker processes "
                     f"(`toolkit.distributed`; cluster start, {d['cluster_s']:.1f} s, not counted) | first parse "
                     f"{d['first_s']:.0f} s, {d['articles'] / d['first_s']:.0f} articles/s; rerun with 10 articles "
                     f"appended (only the new lines read) {d['rerun_s']:.2f} s ({d['parsed']} parsed, "
                     f"{d['reused']:,} reused) | | |")
    if "array_appended" in results:
        c, a = results["array"], results["array_appended"]
        from toolkit.ingest import JSON_STREAM_BYTES

        limit = JSON_STREAM_BYTES / 1e6  # over it, read an item at a time; else whole
        how = ("read an item at a time", "only the items after the last one read") if c["mb"] > limit else (
            f"read whole: not over {limit:.0f} MB", "the file read whole again")
        lines.append(f"| the same articles as one JSON array ({c['mb']:.0f} MB, {how[0]}), "
                     f"{c['workers']} workers; then dumped again with 10 more articles, a rerun ({how[1]}; "
                     f"load + parse + save) | first parse {c['seconds']:.0f} s, "
                     f"{c['articles'] / c['seconds']:.0f} articles/s; rerun {a['seconds']:.2f} s ({a['parsed']} "
                     f"parsed, {a['reused']:,} reused) | | |")
    lines += _many_files_rows(results)
    for name, seconds in (results.get("notebooks") or {}).get("seconds", {}).items():
        if name == "toolkit imported from":
            continue
        if isinstance(seconds, str):
            lines.append(f"| notebook `{name}` | {seconds} | < {TARGETS['notebook_s']:.0f} s | **not met** |")
        else:
            lines.append(f"| notebook `{name}` (papermill, kernel start included) | {seconds:.1f} s | "
                         f"< {TARGETS['notebook_s']:.0f} s | {_status(seconds, TARGETS['notebook_s'], False)} |")
    scale = results.get("notebooks_at_scale")
    if scale:
        each = "; ".join(f"{name[:2]}: {s:.1f} s" if not isinstance(s, str) else f"{name[:2]}: {s}"
                         for name, s in scale["seconds"].items() if name != "toolkit imported from")
        lines.append(f"| every notebook over the {scale['articles']:,} articles of the incremental rerun, their "
                     f"dataset copied to `data/processed` (what a user who drops them in meets; papermill) | "
                     f"{each}; peak memory {scale['peak_mb']:.0f} MB | | |")
    p = results["profile"]
    lines += ["", f"## Profile (cProfile, extraction of {p['articles']} articles, {p['total_s']:.1f} s "
              "with profiling overhead)", "", "Cumulative time by function:", "",
              "| function | calls | cumulative s | share |", "| --- | --- | --- | --- |"]
    for row in p["by_cumtime"]:
        lines.append(f"| `{row['where']}` | {row['calls']:,} | {row['cumtime']:.2f} | "
                     f"{row['cumtime'] / p['total_s']:.0%} |")
    lines += ["", "Own time (excluding callees):", "", "| function | calls | own s |", "| --- | --- | --- |"]
    for row in p["by_tottime"]:
        lines.append(f"| `{row['where']}` | {row['calls']:,} | {row['tottime']:.2f} |")
    lines += ["", "Raw figures: `build/bench/results.json` after a run.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Toolkit benchmarks; writes benchmarks/RESULTS.md.")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--warm", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--part", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=500, help="articles in the throughput corpus (default 500)")
    parser.add_argument("--size", type=int, default=5_000, help="characters per article (default 5000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measure (median; default 3)")
    parser.add_argument("--incremental-n", type=int, default=10_000, help="dataset size for the rerun test")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--also-python", metavar="PATH",
                        help="also time the throughput phases on this interpreter (same Python version; it "
                             "imports this environment's packages), e.g. a PGO/LTO build such as /usr/bin/python3.11")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test of the runner")
    parser.add_argument("--results", default=str(HERE / "RESULTS.md"), help="where to write the table")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args)))
        return
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "") + (
        f" --also-python {args.also_python}" if args.also_python else "")
    if args.quick:
        args.n, args.runs, args.incremental_n = 30, 1, 60
    results = measure(args)
    BUILD.mkdir(parents=True, exist_ok=True)
    (BUILD / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    text = render(results, command)
    target = Path(args.results)
    previous = target.read_text(encoding="utf-8") if target.exists() else ""
    if NOTES_MARKER in previous:  # hand-written findings below the marker survive a rerun
        text += "\n" + NOTES_MARKER + previous.split(NOTES_MARKER, 1)[1]
    target.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
