"""Machine instructions per article of the extraction, counted by valgrind (deterministic).

    python benchmarks/instructions.py                      # this tree, generated corpus and real news
    python benchmarks/instructions.py --against fb62f99    # and the code of another commit, for comparison
    python benchmarks/instructions.py --corpus DIR --n 100

Wall and CPU time on a shared machine move by 15-30% from run to run, more than
most speed changes; instruction counts do not (valgrind's cachegrind, hash seed
fixed). Each count is the difference of two runs over the same first N articles:
one extracts them once (imports, rule files, caches warmed), the other twice, so
the figure is the cost of a warm extraction. Needs ``valgrind`` on the PATH; a
run takes about a minute per corpus (valgrind is ~50x slower than Python alone).
Instructions are not time (memory stalls are not counted): use this to compare
two versions of the code, and the timings of ``run.py`` for absolute figures.
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
from toolkit import text
from toolkit.extract import extract
from toolkit.ingest import read_articles
articles = list(read_articles(Path(sys.argv[1])))[:int(sys.argv[2])]
for _ in range(int(sys.argv[3])):
    for article in articles:
        text._last_split = None  # no reuse of the previous split across passes
        extract(article)
"""


def count(src: Path | None, corpus: Path, n: int, passes: int) -> int:
    """Instructions valgrind counts for ``passes`` extractions of the first ``n`` articles."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    if src is not None:  # the code of another commit, ahead of the installed package
        env["PYTHONPATH"] = str(src)
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, "-c", _DRIVER, str(corpus), str(n), str(passes)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"valgrind failed on {corpus}:\n{proc.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_article(src: Path | None, corpus: Path, n: int) -> float:
    """Instructions of one warm extraction, per article (two counts, run side by side)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        once, twice = pool.map(lambda passes: count(src, corpus, n, passes), (1, 2))
    return (twice - once) / n


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
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    sys.path.insert(0, str(HERE))
    from run import corpus as generated

    corpora = [Path(c) for c in args.corpus] if args.corpus else \
        [generated("throughput", 500, 5_000)] + ([NEWS] if NEWS.exists() else [])
    with tempfile.TemporaryDirectory() as tmp:
        versions: dict[str, Path | None] = {"this tree": None}
        if args.against:
            versions[args.against] = export(args.against, Path(tmp))
        print("| corpus | " + " | ".join(versions) + (" | change |" if args.against else " |"))
        print("| --- " * (len(versions) + 1 + bool(args.against)) + "|")
        for corpus in corpora:
            counts = {name: per_article(src, corpus, args.n) for name, src in versions.items()}
            cells = [f"{c / 1e6:.2f} M" for c in counts.values()]
            if args.against:
                cells.append(f"{counts['this tree'] / counts[args.against] - 1:+.1%}")
            print(f"| {corpus.name} (first {args.n}) | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
