"""The on-disk dataset: one Parquet file per table, written atomically, rebuilt incrementally.

Layout of a dataset folder::

    DIR/CURRENT                   name of the live snapshot (replaced atomically)
    DIR/snapshots/<name>/*.parquet  one file per table, plus manifest.json
    DIR/csv/*.csv                 CSV exports of the live snapshot

A parse writes a new snapshot beside the old one and then swaps ``CURRENT`` with
``os.replace``: a crash at any point leaves the previous dataset readable, and
a rerun completes the job. Reruns parse only articles whose content hash changed.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from .extract import extract
from .ingest import MAX_ARTICLE_BYTES, read_articles
from .records import Article, Extraction, Problem
from .tables import FACT_TABLES, article_row, build_tables, problem_row, sort_table

log = logging.getLogger(__name__)

FORMAT_VERSION = 1


@dataclass
class ParseSummary:
    """What a parse did: counts of articles and facts, and what it skipped."""

    out_dir: Path
    articles: int = 0
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def skipped(self) -> int:
        """Files or rows skipped (warnings excluded)."""
        return sum(1 for p in self.problems if p.severity == "skipped")

    def __str__(self) -> str:
        lines = [f"{self.articles} articles in {self.out_dir} ({self.parsed} parsed, {self.reused} unchanged, "
                 f"{self.removed} removed) in {self.seconds:.1f} s; {self.skipped} skipped, "
                 f"{len(self.problems) - self.skipped} warnings"]
        lines += [f"  {table:15} {n:6d} rows" for table, n in self.rows.items() if table != "articles"]
        return "\n".join(lines)


# --------------------------------------------------------------------------- reading

def current_snapshot(out_dir: str | Path) -> Path | None:
    """Folder of the live snapshot of a dataset, or None when there is none yet."""
    out_dir = Path(out_dir)
    pointer = out_dir / "CURRENT"
    if not pointer.exists():
        return None
    snapshot = out_dir / "snapshots" / pointer.read_text(encoding="utf-8").strip()
    return snapshot if snapshot.is_dir() else None


def load_dataset(path: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a dataset folder as typed DataFrames (empty tables when none exists).

    >>> tables = load_dataset("data/processed")  # doctest: +SKIP
    >>> tables["strike_counts"].head()  # doctest: +SKIP
    """
    snapshot = current_snapshot(path)
    frames = {}
    for table in schema.TABLES:
        file = snapshot / f"{table}.parquet" if snapshot else None
        if file is not None and file.exists():
            frames[table] = schema.conform(table, pd.read_parquet(file))
        else:
            frames[table] = schema.empty_frame(table)
    return frames


def _manifest(snapshot: Path | None) -> dict[str, Any]:
    if snapshot is None or not (snapshot / "manifest.json").exists():
        return {}
    try:
        return json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        log.warning("%s: unreadable manifest; rebuilding everything", snapshot)
        return {}


# --------------------------------------------------------------------------- parsing

def _extract_batch(articles: list[Article]) -> list[Extraction]:
    return [extract(a) for a in articles]


def _chunks(items: list[Article], size: int) -> Iterator[list[Article]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def extract_all(articles: list[Article], workers: int = 1, progress: bool = True) -> list[Extraction]:
    """Extract facts from many articles, in ``workers`` processes, with a progress bar.

    The result is in the order of ``articles`` whatever the number of workers.
    """
    from tqdm.auto import tqdm

    bar = tqdm(total=len(articles), desc="parsing", unit="article", disable=not progress or not articles)
    results: list[Extraction] = []
    if workers <= 1 or len(articles) < 2 * workers:
        for article in articles:
            results.append(extract(article))
            bar.update(1)
    else:
        size = max(1, min(200, len(articles) // (workers * 4) or 1))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for batch in pool.map(_extract_batch, _chunks(articles, size)):
                results.extend(batch)
                bar.update(len(batch))
    bar.close()
    return results


def build_dataset(paths: Iterable[str | Path] | str | Path, out_dir: str | Path, workers: int = 1,
                  progress: bool = True, max_bytes: int = MAX_ARTICLE_BYTES, full: bool = False,
                  csv_export: bool = True) -> ParseSummary:
    """Parse every article under ``paths`` into the dataset at ``out_dir``.

    Only articles that are new or changed since the last run are parsed
    (``full=True`` parses all); rows of articles no longer present are dropped.
    The result equals a full rebuild. Returns a :class:`ParseSummary`.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    summary = ParseSummary(out_dir=out_dir)
    articles = list(read_articles(paths, summary.problems, max_bytes=max_bytes))
    previous = None if full else current_snapshot(out_dir)
    old_hashes: dict[str, str] = _manifest(previous).get("articles", {}) if previous else {}
    if previous and _manifest(previous).get("format_version") != FORMAT_VERSION:
        previous, old_hashes = None, {}
    unchanged = {a.article_id for a in articles if old_hashes.get(a.article_id) == a.content_hash}
    to_parse = [a for a in articles if a.article_id not in unchanged]
    extractions = extract_all(to_parse, workers=workers, progress=progress)
    fresh = build_tables(extractions, summary.problems)
    if unchanged and previous is not None:
        old = load_dataset(out_dir)
        tables = {}
        for table, frame in fresh.items():
            if table == "problems":
                tables[table] = frame
                continue
            kept = old[table][old[table]["article_id"].isin(unchanged)]
            tables[table] = sort_table(table, schema.conform(table, pd.concat([kept, frame], ignore_index=True))
                                       if len(kept) else frame)
    else:
        tables = fresh
    summary.articles = len(articles)
    summary.parsed = len(to_parse)
    summary.reused = len(unchanged)
    summary.removed = len(set(old_hashes) - {a.article_id for a in articles})
    write_dataset(tables, out_dir, {a.article_id: a.content_hash for a in articles}, csv_export=csv_export)
    summary.rows = {table: len(frame) for table, frame in tables.items()}
    summary.seconds = time.perf_counter() - started
    return summary


# --------------------------------------------------------------------------- writing

def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells a spreadsheet would run as formulas start with a quote."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_string_dtype(out[column]) or out[column].dtype == object:
            series = out[column]
            mask = series.notna() & series.astype(str).str.startswith(_FORMULA_START)
            if mask.any():
                out[column] = series.astype(object)
                out.loc[mask, column] = "'" + series[mask].astype(str)
    return out


def write_dataset(tables: dict[str, pd.DataFrame], out_dir: str | Path,
                  article_hashes: dict[str, str | None] | None = None, csv_export: bool = True) -> Path:
    """Write tables as a new snapshot and make it live atomically; returns the snapshot folder."""
    out_dir = Path(out_dir)
    snapshots = out_dir / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.perf_counter_ns() % 10**6:06d}"
    staging = Path(tempfile.mkdtemp(dir=snapshots, prefix=f".{name}."))
    try:
        for table, frame in tables.items():
            schema.check(table, frame)
            frame.to_parquet(staging / f"{table}.parquet", index=False)
        manifest = {"format_version": FORMAT_VERSION, "articles": article_hashes or {},
                    "rows": {t: len(f) for t, f in tables.items()}}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        final = snapshots / name
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _atomic_write_text(out_dir / "CURRENT", name + "\n")
    if csv_export:
        csv_dir = out_dir / "csv"
        csv_dir.mkdir(exist_ok=True)
        for table, frame in tables.items():
            target = csv_dir / f"{table}.csv"
            _atomic_write_text(target, neutralise_formulas(frame).to_csv(index=False))
    _prune(snapshots, keep={name})
    return final


def _prune(snapshots: Path, keep: set[str]) -> None:
    """Remove old snapshots (and staging leftovers older than an hour)."""
    now = time.time()
    for child in snapshots.iterdir():
        if child.name in keep:
            continue
        if child.name.startswith(".") and now - child.stat().st_mtime < 3600:
            continue  # maybe another process's staging folder
        shutil.rmtree(child, ignore_errors=True)


def article_rows(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """``articles`` table rows for records (helper for callers that skip extraction)."""
    return [article_row(a) for a in articles]


def problem_rows(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """``problems`` table rows."""
    return [problem_row(p) for p in problems]


__all__ = ["ParseSummary", "build_dataset", "load_dataset", "write_dataset", "extract_all", "current_snapshot",
           "FACT_TABLES"]
