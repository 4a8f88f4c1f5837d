"""The on-disk dataset: one Parquet file per table, written atomically, rebuilt incrementally.

Layout of a dataset folder::

    DIR/CURRENT                   name of the live snapshot (replaced atomically)
    DIR/snapshots/<name>/*.parquet  one file per table, plus manifest.json
    DIR/csv/*.csv                 CSV exports of the live snapshot
    DIR/.lock                     held (flock) by the process writing the dataset

A parse writes a new snapshot beside the old one and then swaps ``CURRENT`` with
``os.replace``: a crash at any point leaves the previous dataset readable, and
a rerun completes the job. Two parses into one folder serialise on ``DIR/.lock``
(the second waits, or fails with :class:`DatasetLockedError` after
``lock_timeout`` seconds); the operating system drops the lock of a killed
process, so no stale lock survives a crash. Reruns parse only articles whose
content hash changed; a change of the toolkit's code, rules or schema (the
extractor fingerprint in the manifest) reparses everything, so an incremental
run always equals a full rebuild.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from .extract import extract
from .ingest import MAX_ARTICLE_BYTES, read_articles
from .lock import DatasetLockedError, dataset_lock
from .records import Article, Extraction, Problem
from .tables import FACT_TABLES, article_row, build_tables, problem_row, sort_table

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
#: How many snapshots to keep: the live one and the one before (a reader may still hold it).
KEEP_SNAPSHOTS = 2


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """Hash of the toolkit's code, rule files and schema: cached facts are reused only while it holds."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for file in sorted(package.rglob("*")):
        if file.is_file() and file.suffix in (".py", ".csv", ".yaml", ".yml", ".json") \
                and "__pycache__" not in file.parts:
            digest.update(file.relative_to(package).as_posix().encode())
            digest.update(b"\x00")
            digest.update(file.read_bytes())
            digest.update(b"\x00")
    digest.update(json.dumps(schema.TABLES, sort_keys=True).encode())
    return digest.hexdigest()[:16]


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
    name = pointer.read_text(encoding="utf-8").strip()
    snapshot = out_dir / "snapshots" / name
    if not name or "/" in name or "\\" in name or name.startswith(".") or not snapshot.is_dir():
        log.warning("%s: CURRENT names no snapshot (%r); the dataset is treated as empty", out_dir, name)
        return None
    return snapshot


def load_dataset(path: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a dataset folder as typed DataFrames (empty tables when none exists).

    Columns the current schema no longer has are dropped (with a warning);
    columns it added since the dataset was written are null.

    >>> tables = load_dataset("data/processed")  # doctest: +SKIP
    >>> tables["strike_counts"].head()  # doctest: +SKIP
    """
    if not Path(path).exists():
        log.warning("%s: no such dataset folder; returning empty tables", path)
    snapshot = current_snapshot(path)
    frames = {}
    for table in schema.TABLES:
        file = snapshot / f"{table}.parquet" if snapshot else None
        if file is not None and file.exists():
            frame = pd.read_parquet(file)
            extra = [c for c in frame.columns if c not in schema.TABLES[table]]
            if extra:
                log.warning("%s: column(s) %s are not in the schema any more; dropped (rerun the parse)",
                            file, extra)
                frame = frame.drop(columns=extra)
            frames[table] = schema.conform(table, frame)
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


def reusable_hashes(out_dir: str | Path) -> dict[str, str]:
    """Content hashes of the articles whose cached facts a rerun may reuse (empty after a toolkit change).

    For other writers (e.g. the distributed parse): the live snapshot's hashes,
    or nothing when its format version or extractor fingerprint is not this toolkit's.
    """
    manifest = _manifest(current_snapshot(out_dir))
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("fingerprint") != extractor_fingerprint():
        return {}
    return dict(manifest.get("articles", {}))


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
                  csv_export: bool = True, lock_timeout: float | None = None) -> ParseSummary:
    """Parse every article under ``paths`` into the dataset at ``out_dir``.

    Only articles that are new or changed since the last run are parsed
    (``full=True`` parses all); rows of articles no longer present are dropped.
    The result equals a full rebuild. Concurrent parses into the same folder
    serialise (see :func:`dataset_lock`). Returns a :class:`ParseSummary`.

    >>> summary = build_dataset("data/articles", "data/processed")  # doctest: +SKIP
    >>> summary.parsed, summary.reused  # doctest: +SKIP
    (36, 0)
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    summary = ParseSummary(out_dir=out_dir)
    articles = list(read_articles(paths, summary.problems, max_bytes=max_bytes))
    with dataset_lock(out_dir, timeout=lock_timeout):
        previous = None if full else current_snapshot(out_dir)
        manifest = _manifest(previous)
        old_hashes: dict[str, str] = manifest.get("articles", {})
        if previous is not None and (manifest.get("format_version") != FORMAT_VERSION
                                     or manifest.get("fingerprint") != extractor_fingerprint()):
            log.info("%s: toolkit or schema changed since the last parse; reparsing everything", out_dir)
            previous = None
        unchanged = ({a.article_id for a in articles if old_hashes.get(a.article_id) == a.content_hash}
                     if previous is not None else set())
        to_parse = [a for a in articles if a.article_id not in unchanged]
        extractions = extract_all(to_parse, workers=workers, progress=progress)
        fresh = build_tables(extractions, summary.problems)
        tables = _merge_unchanged(fresh, previous, unchanged) if unchanged else fresh
        # article metadata is always re-read, never cached: an unchanged text may have moved to another file or row
        tables["articles"] = sort_table("articles", schema.conform("articles", [article_row(a) for a in articles]))
        summary.articles = len(articles)
        summary.parsed = len(to_parse)
        summary.reused = len(unchanged)
        summary.removed = len(set(old_hashes) - {a.article_id for a in articles})
        write_dataset(tables, out_dir, {a.article_id: a.content_hash for a in articles}, csv_export=csv_export)
    summary.rows = {table: len(frame) for table, frame in tables.items()}
    summary.seconds = time.perf_counter() - started
    return summary


def _merge_unchanged(fresh: dict[str, pd.DataFrame], previous: Path | None,
                     unchanged: set[str]) -> dict[str, pd.DataFrame]:
    """Fresh rows plus the previous snapshot's rows of unchanged articles, in canonical order."""
    tables = {}
    for table, frame in fresh.items():
        if table == "problems":  # re-read on every run: reading problems are never cached
            tables[table] = frame
            continue
        file = previous / f"{table}.parquet" if previous is not None else None
        old = (schema.conform(table, pd.read_parquet(file)) if file is not None and file.exists()
               else schema.empty_frame(table))
        kept = old[old["article_id"].isin(unchanged)]
        merged = schema.conform(table, pd.concat([kept, frame], ignore_index=True)) if len(kept) else frame
        tables[table] = sort_table(table, merged)
    return tables


# --------------------------------------------------------------------------- writing

def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; the dataset is meant to be shared
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
    """Write tables as a new snapshot and make it live atomically; returns the snapshot folder.

    Every table is checked against :mod:`toolkit.schema` before anything is
    written; the folder's lock is held throughout.
    """
    with dataset_lock(out_dir):
        return _write_snapshot(tables, Path(out_dir), article_hashes, csv_export)


def _write_snapshot(tables: dict[str, pd.DataFrame], out_dir: Path, article_hashes: dict[str, str | None] | None,
                    csv_export: bool) -> Path:
    for table, frame in tables.items():
        schema.check(table, frame)
    snapshots = out_dir / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.perf_counter_ns() % 10**6:06d}"
    staging = Path(tempfile.mkdtemp(dir=snapshots, prefix=f".{name}."))
    try:
        os.chmod(staging, 0o777 & ~_UMASK)
        for table, frame in tables.items():
            _write_parquet(frame, staging / f"{table}.parquet")
        manifest = {"format_version": FORMAT_VERSION, "fingerprint": extractor_fingerprint(),
                    "articles": article_hashes or {}, "rows": {t: len(f) for t, f in tables.items()}}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        _fsync_dir(staging)
        final = snapshots / name
        os.replace(staging, final)
        _fsync_dir(snapshots)
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
    _prune(snapshots, live=name)
    return final


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _prune(snapshots: Path, live: str) -> None:
    """Remove staging leftovers of killed runs and all but the newest snapshots.

    Runs under the dataset lock, so a staging folder here is never another
    live writer's. The snapshot before the live one is kept for readers that
    resolved ``CURRENT`` just before the swap.
    """
    finished = sorted((c for c in snapshots.iterdir() if c.is_dir() and not c.name.startswith(".")
                       and c.name != live), key=lambda c: c.stat().st_mtime, reverse=True)
    keep = {live} | {c.name for c in finished[:KEEP_SNAPSHOTS - 1]}
    for child in snapshots.iterdir():
        if child.name not in keep:
            shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)


def article_rows(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """``articles`` table rows for records (helper for callers that skip extraction)."""
    return [article_row(a) for a in articles]


def problem_rows(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """``problems`` table rows."""
    return [problem_row(p) for p in problems]


__all__ = ["ParseSummary", "build_dataset", "load_dataset", "write_dataset", "extract_all", "current_snapshot",
           "dataset_lock", "DatasetLockedError", "reusable_hashes", "extractor_fingerprint", "FACT_TABLES"]
