"""CPU time of each extractor family on one corpus (for speed work; no target here).

    python benchmarks/families.py [FOLDER] [--repeat N]

Times, in CPU seconds per 100 articles: sentence splitting, weapon counts
(:mod:`toolkit.counts`), impacts (:mod:`toolkit.impacts`), diplomacy, and the
whole :func:`toolkit.extract.extract`. CPU time, not wall time, so that other
work on the machine does not move the figures much.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from toolkit import counts, diplomacy, impacts, text
    from toolkit.extract import extract
    from toolkit.ingest import read_articles

    if args.folder:
        folder = Path(args.folder)
    else:
        sys.path.insert(0, str(HERE))
        from run import corpus

        folder = corpus("throughput", 500, 5_000)
    articles = list(read_articles(folder))
    for a in articles[:5]:
        extract(a)
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        spent = dict.fromkeys(("split", "counts", "impacts", "diplomacy", "extract"), 0.0)
        for a in articles:
            text._last_split = None
            t0 = time.process_time()
            sentences = text.split_sentences(a.text)
            t1 = time.process_time()
            rows = counts.extract_counts(a, sentences)
            t2 = time.process_time()
            impacts.extract_impacts(a, sentences, rows)
            t3 = time.process_time()
            diplomacy.extract_diplomacy(a)
            t4 = time.process_time()
            text._last_split = None
            extract(a)
            t5 = time.process_time()
            for key, spent_s in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                spent[key] += spent_s
        for key, value in spent.items():
            best[key] = min(best.get(key, float("inf")), value)
    per = 100 / len(articles)
    print(f"{folder} ({len(articles)} articles), CPU s per 100 articles, best of {args.repeat}:")
    for key, value in best.items():
        print(f"  {key:10} {value * per:6.3f}")
    print(f"  => {len(articles) / best['extract']:.0f} articles/s by CPU time")


if __name__ == "__main__":
    main()
