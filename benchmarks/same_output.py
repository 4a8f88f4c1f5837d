"""Guard for speed work: does the extractor still give exactly the same rows?

    python benchmarks/same_output.py record   # before a change: writes build/same-output/*.jsonl
    python benchmarks/same_output.py check    # after it: lists every article whose rows differ

Corpora: the bundled samples, the labelled sets under tests/data, the dev set and
the 447 news articles in ../shared (when present), and the benchmark corpus.
Rows are compared as canonical JSON, evidence spans included. The record is
kept in ``build/`` (not committed: it quotes the news articles).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "build" / "same-output"
SHARED = ROOT.parent / "shared"


def corpora() -> dict[str, Path]:
    """Name -> folder of every corpus the guard reads (missing ones are left out)."""
    sys.path.insert(0, str(HERE))
    from run import corpus  # noqa: E402  (benchmarks/run.py: the seeded generated corpus)

    found = {"samples": ROOT / "data" / "articles", "dev": SHARED / "eval" / "dev" / "articles",
             "news": SHARED / "data" / "news"}
    for folder in sorted((ROOT / "tests" / "data").glob("heldout*/articles")):
        found[folder.parent.name] = folder
    found = {name: path for name, path in found.items() if path.exists()}
    found["generated"] = corpus("throughput", 500, 5_000)
    return found


def dump(folder: Path) -> dict[str, str]:
    """Article id -> canonical JSON of its extraction."""
    from toolkit.extract import extract
    from toolkit.ingest import read_articles

    out = {}
    for article in read_articles(folder):
        tables = extract(article).tables
        out[article.article_id] = json.dumps({t: rows for t, rows in sorted(tables.items()) if rows},
                                             sort_keys=True, default=str)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["record", "check"])
    parser.add_argument("--only", help="one corpus name")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    differ = 0
    for name, folder in corpora().items():
        if args.only and name != args.only:
            continue
        rows = dump(folder)
        file = OUT / f"{name}.jsonl"
        if args.mode == "record":
            file.write_text("".join(json.dumps([k, v]) + "\n" for k, v in sorted(rows.items())), encoding="utf-8")
            print(f"{name}: {len(rows)} articles recorded")
            continue
        before = dict(json.loads(line) for line in file.read_text(encoding="utf-8").splitlines())
        changed = sorted(k for k in before.keys() | rows.keys() if before.get(k) != rows.get(k))
        differ += len(changed)
        print(f"{name}: {len(rows)} articles, {len(changed)} differ" + (f": {', '.join(changed[:10])}" if changed else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
