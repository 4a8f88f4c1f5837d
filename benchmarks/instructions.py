"""Machine instructions per article of the extraction, counted by valgrind (deterministic).

    python benchmarks/instructions.py                      # this tree, generated corpus and real news
    python benchmarks/instructions.py --against fb62f99    # and the code of another commit, for comparison
    python benchmarks/instructions.py --corpus DIR --n 100
    python benchmarks/instructions.py --family counts      # one family: split, counts, impacts, diplomacy
    python benchmarks/instructions.py --workers 1 2        # extract_all in 1 and in 2 processes, all counted

Wall and CPU time on a shared machine move by 15-30% from run to run, more than
most speed changes; instruction counts do not (valgrind's cachegrind, hash seed
fixed). Each figure is the difference of two runs: one extracts N warm-up
articles (imports, rule files, caches warmed), the other the same and then N
other articles, so the figure is the cost of a warm extraction of articles the
process has not seen before (memos of sentences get no free second pass). The
2N articles are spread over the corpus (every k-th, alternately warm-up and
timed), so that each style of the generated corpus is in. Needs ``valgrind`` on
the PATH; a run takes about a minute per corpus (valgrind is ~50x slower).
Instructions are not time (memory stalls are not counted): use this to compare
two versions of the code, and the timings of ``run.py`` for absolute figures.

With ``--workers N`` the timed articles go through ``corpus.extract_all`` with N
worker processes and the instructions of every process are added up (valgrind
follows the forked children). A forked child starts with its parent's count, so
the warm-up run forks the same number of children, which do nothing: the
difference is then the work of the parallel extraction, pickling and chunking
included. Equal figures for 1 and 2 workers mean the parallel path adds no work,
and a speed-up below 2x is the machine (two busy cores running slower each).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NEWS = ROOT.parent / "shared" / "data" / "news" / "gdelt_war_articles_2022_2024.jsonl"

_DRIVER = """
import sys
from pathlib import Path
from toolkit import counts, diplomacy, impacts, text
from toolkit.extract import extract
from toolkit.ingest import read_articles
everything = list(read_articles(Path(sys.argv[1])))
n, timed_too, family, workers = int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4], int(sys.argv[5])
chosen = everything[::max(1, len(everything) // (2 * n))][:2 * n]  # spread over the corpus
warm, timed = chosen[0::2], chosen[1::2]  # disjoint: what the timed articles meet is only what others left
if family != "all":  # the other families' input, made for every article in both runs
    split = {id(a): text.split_sentences(a.text) for a in chosen}
    rows = {id(a): counts.extract_counts(a, split[id(a)]) for a in chosen}
if workers:  # extract_all in that many processes; a run without the timed part forks idle children
    import multiprocessing
    from toolkit.corpus import _start_method, extract_all
    extract_all(warm, workers=1, progress=False)
    if timed_too:
        extract_all(timed, workers=workers, progress=False)
    elif workers > 1:
        idle = [multiprocessing.get_context(_start_method()).Process(target=int) for _ in range(workers - 1)]
        for child in idle:
            child.start()
        for child in idle:
            child.join()
    print("timed", len(timed))
    sys.exit(0)
for group in ([warm, timed] if timed_too else [warm]):
    for article in group:
        text._last_split = None  # no reuse of a split made outside the counted part
        if family == "all":
            extract(article)
        elif family == "split":
            text.split_sentences(article.text)
        elif family == "counts":
            counts.extract_counts(article, split[id(article)])
        elif family == "impacts":
            impacts.extract_impacts(article, split[id(article)], rows[id(article)])
        elif family == "diplomacy":
            diplomacy.extract_diplomacy(article)
print("timed", len(timed))
"""
FAMILIES = ("all", "split", "counts", "impacts", "diplomacy")


def count(src: Path | None, corpus: Path, n: int, timed_too: bool, family: str = "all",
          workers: int = 0) -> tuple[int, int]:
    """Instructions valgrind counts for a run that extracts (or runs one ``family`` of extractors on)
    the warm-up articles, and then the timed ones if ``timed_too``; and how many articles are timed.
    With ``workers`` the timed articles go through ``extract_all`` and every process is counted."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    if src is not None:  # the code of another commit, ahead of the installed package
        env["PYTHONPATH"] = str(src)
    with tempfile.TemporaryDirectory() as out:
        cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--trace-children=yes",
               f"--cachegrind-out-file={out}/cg.%p",
               sys.executable, "-c", _DRIVER, str(corpus), str(n), "1" if timed_too else "0", family, str(workers)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        totals = [re.search(r"^summary: (\d+)$", f.read_text(), re.MULTILINE) for f in Path(out).glob("cg.*")]
    timed = re.search(r"^timed (\d+)$", proc.stdout, re.MULTILINE)
    if proc.returncode != 0 or not totals or not all(totals) or not timed:
        raise SystemExit(f"valgrind failed on {corpus}:\n{proc.stderr[-2000:]}")
    return sum(int(t.group(1)) for t in totals), int(timed.group(1))


def per_article(src: Path | None, corpus: Path, n: int, family: str = "all", workers: int = 0) -> float:
    """Instructions of one warm extraction (or family), per article: a run over warm-up and timed
    articles minus a run over the warm-up articles alone (run side by side)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        (warm, _), (both, timed) = pool.map(
            lambda timed_too: count(src, corpus, n, timed_too, family, workers), (False, True))
    if timed == 0:
        raise SystemExit(f"{corpus}: fewer than two articles")
    return (both - warm) / timed


def export(rev: str, into: Path) -> Path:
    """``src/`` of commit ``rev`` (git archive) under ``into``; returns that ``src`` folder."""
    archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="also count the code of this commit")
    parser.add_argument("--corpus", action="append", help="folder or collection file (repeatable)")
    parser.add_argument("--n", type=int, default=60, help="articles per corpus (default 60)")
    parser.add_argument("--family", choices=FAMILIES, default="all",
                        help="count one family of extractors only (default: the whole extract)")
    parser.add_argument("--workers", type=int, nargs="+", metavar="N",
                        help="count extract_all with N worker processes (all processes added up), per N given")
    args = parser.parse_args()
    if args.workers and (args.against or args.family != "all" or min(args.workers) < 1):
        parser.error("--workers takes numbers >= 1 and goes with neither --against nor --family")
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    sys.path.insert(0, str(HERE))
    from run import corpus as generated

    corpora = [Path(c) for c in args.corpus] if args.corpus else \
        [generated("throughput", 500, 5_000)] + ([NEWS] if NEWS.exists() else [])
    if args.workers:
        names = [f"{w} worker{'s' * (w > 1)}" for w in args.workers]
        print("| corpus | " + " | ".join(names) + " | change from the first |")
        print("| --- " * (len(names) + 2) + "|")
        for corpus in corpora:
            figures = [per_article(None, corpus, args.n, "all", w) for w in args.workers]
            cells = [f"{c / 1e6:.2f} M" for c in figures] + [
                ", ".join(f"{c / figures[0] - 1:+.1%}" for c in figures[1:]) or "-"]
            print(f"| {corpus.name} ({args.n} articles, extract_all) | " + " | ".join(cells) + " |", flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        versions: dict[str, Path | None] = {"this tree": None}
        if args.against:
            versions[args.against] = export(args.against, Path(tmp))
        print("| corpus | " + " | ".join(versions) + (" | change |" if args.against else " |"))
        print("| --- " * (len(versions) + 1 + bool(args.against)) + "|")
        for corpus in corpora:
            counts = {name: per_article(src, corpus, args.n, args.family) for name, src in versions.items()}
            cells = [f"{c / 1e6:.2f} M" for c in counts.values()]
            if args.against:
                cells.append(f"{counts['this tree'] / counts[args.against] - 1:+.1%}")
            label = "" if args.family == "all" else f", {args.family}"
            print(f"| {corpus.name} ({args.n} articles{label}) | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
