"""Machine instructions per article of the extraction, counted by valgrind (deterministic).

    python benchmarks/instructions.py                      # this tree, generated corpus and real news
    python benchmarks/instructions.py --against fb62f99    # and the code of another commit, for comparison
    python benchmarks/instructions.py --corpus DIR --n 100
    python benchmarks/instructions.py --family counts      # one family: split, counts, impacts, diplomacy

Wall and CPU time on a shared machine move by 15-30% from run to run, more than
most speed changes; instruction counts do not (valgrind's cachegrind, hash seed
fixed). Each count is the difference of two runs over the same N articles (spread over
the corpus: every k-th, so that each style of the generated corpus is in):
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
from toolkit import counts, diplomacy, impacts, text
from toolkit.extract import extract
from toolkit.ingest import read_articles
everything = list(read_articles(Path(sys.argv[1])))
articles = everything[::max(1, len(everything) // int(sys.argv[2]))][:int(sys.argv[2])]  # spread over the corpus
family = sys.argv[4]
if family != "all":  # the other families' input, made once, outside the counted passes
    split = [text.split_sentences(a.text) for a in articles]
    rows = [counts.extract_counts(a, s) for a, s in zip(articles, split)]
for _ in range(int(sys.argv[3])):
    for i, article in enumerate(articles):
        text._last_split = None  # no reuse of the previous split across passes
        if family == "all":
            extract(article)
        elif family == "split":
            text.split_sentences(article.text)
        elif family == "counts":
            counts.extract_counts(article, split[i])
        elif family == "impacts":
            impacts.extract_impacts(article, split[i], rows[i])
        elif family == "diplomacy":
            diplomacy.extract_diplomacy(article)
"""
FAMILIES = ("all", "split", "counts", "impacts", "diplomacy")


def count(src: Path | None, corpus: Path, n: int, passes: int, family: str = "all") -> int:
    """Instructions valgrind counts for ``passes`` extractions (or runs of one ``family`` of
    extractors) of ``n`` articles spread over the corpus."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    if src is not None:  # the code of another commit, ahead of the installed package
        env["PYTHONPATH"] = str(src)
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, "-c", _DRIVER, str(corpus), str(n), str(passes), family]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"valgrind failed on {corpus}:\n{proc.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_article(src: Path | None, corpus: Path, n: int, family: str = "all") -> float:
    """Instructions of one warm extraction (or family), per article (two counts, run side by side)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        once, twice = pool.map(lambda passes: count(src, corpus, n, passes, family), (1, 2))
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
    parser.add_argument("--family", choices=FAMILIES, default="all",
                        help="count one family of extractors only (default: the whole extract)")
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
            counts = {name: per_article(src, corpus, args.n, args.family) for name, src in versions.items()}
            cells = [f"{c / 1e6:.2f} M" for c in counts.values()]
            if args.against:
                cells.append(f"{counts['this tree'] / counts[args.against] - 1:+.1%}")
            label = "" if args.family == "all" else f", {args.family}"
            print(f"| {corpus.name} ({args.n} articles{label}) | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
