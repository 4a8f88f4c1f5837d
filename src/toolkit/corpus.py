"""The on-disk dataset: Parquet tables in immutable segments, written atomically, rebuilt incrementally.

Layout of a dataset folder::

    DIR/CURRENT                       name of the live snapshot (replaced atomically)
    DIR/snapshots/<name>/             manifest.json, articles.parquet, problems.parquet, sources.json
    DIR/segments/<segment>/*.parquet  the fact tables of a group of articles (never modified once written)
    DIR/csv/*.csv                     CSV exports of the live snapshot (``--csv``)
    DIR/.lock                         held (flock) by the process writing the dataset

A snapshot's manifest lists the segments that hold its facts and the articles
of each segment. A rerun parses only articles whose content hash changed and
writes their rows as one new segment; segments whose articles are all
unchanged are reused as they are, and only a segment that held a changed or
deleted article is rewritten (its other rows move into the new segment).
Small segments are merged as they accumulate, so a dataset keeps a few
segments however many reruns it has seen. Files are not even re-read when
their path, size, modification and status-change times (nanoseconds) and
inode equal the last run's (``sources.json``), and of a JSON Lines file (or a big CSV
file) that was only appended to (its bytes up to where the last run stopped hash as they
did) only the new lines are read; a file modified within two
seconds of being read is always re-read next time; a run that finds every file as it was keeps the
live snapshot and writes nothing. A run writes its new segment and snapshot beside
the old ones and then swaps ``CURRENT`` with ``os.replace``: a crash at any
point leaves the previous dataset readable, and a rerun completes the job.
Two parses into one folder serialise on ``DIR/.lock`` (the second waits, or
fails with :class:`DatasetLockedError` after ``lock_timeout`` seconds); the
operating system drops the lock of a killed process, so no stale lock
survives a crash. A change of the toolkit's code, rules or schema (the
extractor fingerprint in the manifest) reparses everything, so an incremental
run always equals a full rebuild.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import pickle
import queue
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, BinaryIO, cast

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from . import schema
from .extract import extract, warm_up
from .ingest import MAX_ARTICLE_BYTES, LinesRead, iter_paths, read_file, resume_read
from .lock import DatasetLockedError, dataset_lock
from .machine import usable_cores
from .records import Article, Extraction, Problem
from .tables import FACT_TABLES, article_row, build_tables, problem_row, sort_keys, sort_table

log = logging.getLogger(__name__)

#: 1: every table in the snapshot folder; 2: fact tables in shared segments (read by ``load_dataset`` too).
FORMAT_VERSION = 2
#: How many snapshots to keep: the live one and the one before (a reader may still hold it).
KEEP_SNAPSHOTS = 2
#: A file whose modification time is this close to the moment it was read is re-read next run
#: (it may have changed again within the file system's timestamp resolution).
RACY_NS = 2_000_000_000


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


def _manifest(snapshot: Path | None) -> dict[str, Any]:
    if snapshot is None or not (snapshot / "manifest.json").exists():
        return {}
    try:
        return json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        log.warning("%s: unreadable manifest; rebuilding everything", snapshot)
        return {}


def _table_files(snapshot: Path, manifest: dict[str, Any], table: str) -> list[tuple[Path, frozenset[str]]]:
    """The Parquet files that hold a table of a snapshot, in either format version, each with
    the ids of the articles whose rows in it are no longer live (a segment's ``dropped``)."""
    if table in FACT_TABLES and "segments" in manifest:
        segments = snapshot.parent.parent / "segments"
        return [(segments / segment["name"] / f"{table}.parquet", frozenset(segment.get("dropped", ())))
                for segment in manifest["segments"]]
    return [(snapshot / f"{table}.parquet", frozenset())]


#: Arrow types read straight into the schema's nullable pandas types (see :func:`_read_table`)
_NULLABLE = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.float64(): pd.Float64Dtype()}


def _read_parquet(file: Path) -> pa.Table | None:
    """One Parquet file as an Arrow table, or None when it does not exist.

    ``ParquetFile.read`` takes half the time of ``pq.read_table``, which goes through the dataset
    machinery even for one file: about 0.3 ms against 0.6 ms per file of a segment, and a dataset
    has ten per segment. Arrow releases the GIL while it reads, so files read in threads overlap."""
    try:
        with pq.ParquetFile(file) as handle:
            return handle.read(use_threads=False)
    except FileNotFoundError:
        return None
    except (pa.ArrowException, OSError) as exc:
        raise _unreadable(file, exc) from exc


def _unreadable(file: Path, exc: Exception) -> ValueError:
    return ValueError(f"{file}: not a readable Parquet file ({exc}); rerun the parse with --full to rebuild the dataset")


#: ``load_dataset`` reads the files of a table in at most this many threads (and no more than the
#: cores it may use): 200 segments of a 10,000-article dataset, 2,000 files, took 0.77 s in one
#: thread and 0.41-0.50 s in 2; 4 and 8 threads were no faster on 2 cores.
READ_THREADS = 4


def _read_table(table: str, files: list[tuple[Path, frozenset[str]]],
                read_all: Callable[..., Iterable[pa.Table | None]] = map) -> pd.DataFrame:
    """One table of a snapshot: its files (segments) read and joined in Arrow, without the rows of
    the articles each lists as dropped, in canonical row order, as a typed frame. ``read_all`` maps
    :func:`_read_parquet` over the files (a thread pool's ``map`` reads them side by side).

    Files are joined and sorted in Arrow, then converted once: ``pd.read_parquet`` would rebuild
    the ``string`` columns from the pandas metadata in the file, making one Python string per row;
    Arrow's own conversion makes one per distinct value (the evidence sentence of many rows, the
    same event or class words), and typing those strings is a check, not a copy. Sorting the
    joined rows in Arrow takes a fraction of what pandas takes on string columns."""
    parts = []
    for (file, dropped), part in zip(files, read_all(_read_parquet, [file for file, _ in files])):
        if part is None:
            log.warning("%s: missing; its rows are left out (rerun the parse with --full)", file)
            continue
        extra = [c for c in part.column_names if c not in schema.TABLES[table]]
        if extra:
            log.warning("%s: column(s) %s are not in the schema any more; dropped (rerun the parse)", file, extra)
            part = part.drop_columns(extra)
        if dropped:
            part = part.filter(pc.invert(_dropped_rows(part["article_id"], dropped)))
        parts.append(part)
    if not parts:
        return schema.empty_frame(table)
    joined = parts[0]
    if len(parts) > 1:  # every file is written in canonical order, but not their rows together
        parts, in_order = _by_first_article(parts)
        # columns a schema added since an older file was written are null there (as schema.conform makes them)
        joined = pa.concat_tables(parts, promote_options="default")
        keys = sort_keys(joined.column_names)
        if keys and not in_order:  # Arrow's sort is stable, nulls first, as sort_table's
            joined = joined.sort_by([(key, "ascending", "at_start") for key in keys])
    return schema.conform(table, joined.to_pandas(ignore_metadata=True, types_mapper=_NULLABLE.get))


def _by_first_article(parts: list[pa.Table]) -> tuple[list[pa.Table], bool]:
    """The non-empty ``parts`` (files of one table, each in canonical order, each holding other
    articles) ordered by their first ``article_id``, and whether their rows are then in canonical
    order together: so when the articles of each part come after those of the part before (the
    batches of one parse), which spares sorting them all again."""
    parts = [p for p in parts if p.num_rows] or parts[:1]
    if len(parts) == 1:
        return parts, True
    if sort_keys(parts[0].column_names)[:1] != ["article_id"]:
        return parts, False
    ids = [p["article_id"] for p in parts]
    if any(i.null_count for i in ids):
        return parts, False
    bounds = [(i[0].as_py(), i[-1].as_py()) for i in ids]
    order = sorted(range(len(parts)), key=lambda k: bounds[k])
    in_order = all(bounds[a][1] < bounds[b][0] for a, b in zip(order, order[1:]))
    return [parts[k] for k in order], in_order


def load_dataset(path: str | Path, tables: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of a dataset folder (or only ``tables``, in the order given) as typed DataFrames
    (empty tables when none exists).

    Columns the current schema no longer has are dropped (with a warning);
    columns it added since the dataset was written are null. On a big dataset, name the tables
    a notebook needs: the others are not read (a 10,000-article dataset holds about 835,000 rows
    in all; ``strike_counts`` alone about 264,000).

    >>> tables = load_dataset("data/processed")  # doctest: +SKIP
    >>> tables["strike_counts"].head()  # doctest: +SKIP
    >>> load_dataset("data/processed", tables=["strike_counts", "places"])  # doctest: +SKIP
    """
    names = list(schema.TABLES) if tables is None else [tables] if isinstance(tables, str) else list(tables)
    unknown = [t for t in names if t not in schema.TABLES]
    if unknown:
        raise ValueError(f"no such table(s) {unknown}; the tables are {list(schema.TABLES)}")
    if not Path(path).exists():
        log.warning("%s: no such dataset folder; returning empty tables", path)
    snapshot = current_snapshot(path)
    if snapshot is None:
        return {table: schema.empty_frame(table) for table in names}
    manifest = _manifest(snapshot)
    files = {table: _table_files(snapshot, manifest, table) for table in names}
    threads = min(READ_THREADS, usable_cores(), max((len(f) for f in files.values()), default=0))
    if threads < 2:
        return {table: _read_table(table, files[table]) for table in names}
    with ThreadPoolExecutor(threads, thread_name_prefix="toolkit-read") as pool:
        return {table: _read_table(table, files[table], pool.map) for table in names}


def table_rows(path: str | Path) -> dict[str, int]:
    """Rows per table of a dataset folder, as :func:`load_dataset` would give them, without loading
    any table: the counts its manifest keeps, else (a dataset of an older format) counted from the
    Parquet files' metadata (and, in a segment some of whose articles were dropped since, from its
    ``article_id`` column alone). 0 for every table of a folder with no dataset."""
    snapshot = current_snapshot(path)
    if snapshot is None:
        return dict.fromkeys(schema.TABLES, 0)
    manifest = _manifest(snapshot)
    kept = manifest.get("rows", {})
    if all(isinstance(kept.get(table), int) for table in schema.TABLES):
        return {table: kept[table] for table in schema.TABLES}
    rows: dict[str, int] = {}
    for table in schema.TABLES:
        rows[table] = 0
        for file, dropped in _table_files(snapshot, manifest, table):
            try:
                with pq.ParquetFile(file) as handle:
                    if not dropped:
                        rows[table] += handle.metadata.num_rows
                        continue
                    ids = handle.read(columns=["article_id"], use_threads=False)["article_id"]
            except FileNotFoundError:
                continue  # load_dataset warns about it
            except (pa.ArrowException, OSError) as exc:
                raise _unreadable(file, exc) from exc
            rows[table] += len(ids) - (pc.sum(_dropped_rows(ids, dropped)).as_py() or 0)
    return rows


def _dropped_rows(ids: pa.ChunkedArray, dropped: frozenset[str]) -> pa.ChunkedArray:
    """Which rows (their ``article_id``) belong to articles a segment lists as ``dropped``."""
    return pc.fill_null(pc.is_in(ids, value_set=pa.array(sorted(dropped), pa.string())), False)


def _compatible(manifest: dict[str, Any]) -> bool:
    return manifest.get("format_version") == FORMAT_VERSION and manifest.get("fingerprint") == extractor_fingerprint()


def reusable_hashes(out_dir: str | Path) -> dict[str, str]:
    """Content hashes of the articles whose cached facts a rerun may reuse (empty after a toolkit change).

    For other writers (e.g. the distributed parse): the live snapshot's hashes,
    or nothing when its format version or extractor fingerprint is not this toolkit's.
    """
    manifest = _manifest(current_snapshot(out_dir))
    return dict(manifest.get("articles", {})) if _compatible(manifest) else {}


#: The fields of an ``articles`` row as a parse keeps it (a list, in this order: the source index
#: stores it so too), and the positions of those it reads
ROW_FIELDS = tuple(schema.TABLES["articles"])
_ID, _PATH, _HASH = ROW_FIELDS.index("article_id"), ROW_FIELDS.index("source_path"), ROW_FIELDS.index("content_hash")


def row_of(article: Article) -> list[Any]:
    """The ``articles`` row of ``article`` as a parse keeps it (values in :data:`ROW_FIELDS` order:
    a list takes a third of the memory of the dict, and of its text in the source index)."""
    row = article_row(article)
    return [row[field] for field in ROW_FIELDS]


@dataclass(slots=True)
class _Record:
    """An article as a parse keeps it: its ``articles`` row (:func:`row_of`), and the article itself
    (its text) only from the reading of its file until it is parsed; a file unchanged since the
    last run gives rows alone."""

    row: list[Any]
    article: Article | None = None

    @property
    def article_id(self) -> str:
        return self.row[_ID]

    @property
    def content_hash(self) -> str | None:
        return self.row[_HASH]


def _sources_index(snapshot: Path) -> dict[str, Any]:
    try:
        return json.loads((snapshot / "sources.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, json.JSONDecodeError):
        log.warning("%s: unreadable sources.json; every file is read again", snapshot)
        return {}


def _file_key(stat: os.stat_result) -> list[int]:
    """What must be unchanged for a file to be taken from the source index: size, modification
    time, status-change time and inode. A tool that writes new text and then sets the old
    modification time back (``cp -p``, ``rsync -t``, an archive restore) cannot set the
    status-change time back, and an editor that saves by renaming a new file gives a new inode;
    either way the file is read again (its content hash then decides whether it is parsed)."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


#: A file's articles go to the parse this many at a time as they are read (a JSON Lines collection
#: is read line by line: memory holds its rows, not its text).
READ_PIECE = 64


def _read_sources(files: list[Path], sizes: dict[Path, int], problems: list[Problem], max_bytes: int,
                  cache: dict[str, Any], index: dict[str, Any], reusable: Callable[[str, str | None], bool],
                  ) -> Iterator[tuple[list[_Record], int]]:
    """The articles of each of ``files`` in turn, as :func:`toolkit.ingest.read_file` gives them,
    with ids made unique over the whole run as :func:`toolkit.ingest.read_articles` makes them:
    pieces of up to :data:`READ_PIECE` articles, each with its share of the file's bytes of
    ``sizes`` (what the progress bar counts; all of them are shared out by the file's last piece).
    A file whose size, modification time, status-change time and inode are unchanged
    (:func:`_file_key`) is taken from ``cache``, as rows without text, unless one of its articles is
    not ``reusable(article_id, content_hash)`` (its facts are not stored): then it is read again for
    its text. A JSON Lines file, a CSV file read as a stream or a JSON array read an item at a
    time, that was only appended to (its first bytes hash as they did), is taken from ``cache`` up
    to where the last run stopped, and only the lines or items after are read
    (:func:`toolkit.ingest.resume_read`), on the same condition. Problems are logged and
    appended to ``problems``; ``index`` is filled with the entries to cache for the next run (they
    hold each file's own ids, and share their rows with the records of the articles whose ids are
    unchanged)."""
    seen: dict[str, int] = {}
    for path in files:
        key = str(path)
        try:
            stat = path.stat()
        except OSError:
            stat = None
        now = time.time_ns()
        hit = cache.get(key) if stat is not None else None
        cached: list[_Record | Problem] | None = None
        rest: Iterable[Article | Problem] = ()  # what is read of the file
        read: LinesRead | None = None  # how far a line-by-line read got
        resume = hit.get("resume") if hit else None
        if hit and (hit.get("key") == _file_key(stat) or resume and stat.st_size >= resume["end"]):
            cached = cached_items(hit, seen, reusable)  # None: e.g. an id now taken by another file
            if cached is not None and hit.get("key") != _file_key(stat):
                resumed = resume_read(path, resume, max_bytes)
                if resumed is None:
                    cached = None  # edited, not only appended to
                else:
                    rest, read = resumed
        if cached is None:
            read = LinesRead()
            rest = read_file(path, max_bytes, read)
        items = itertools.chain(cached or (), (_Record(row_of(i), i) if isinstance(i, Article) else i
                                               for i in rest))
        entries: list[dict[str, Any]] = []  # the file's entry in the index
        left = sizes.get(path, 0)
        piece: list[_Record] = []
        for item in items:
            if isinstance(item, Problem):
                (log.warning if item.severity == "warning" else log.error)("%s", item)
                problems.append(item)
                entries.append({"problem": problem_row(item)})
                continue
            if item.row[_PATH] == key:  # one string for all the rows of a collection file
                item.row[_PATH] = key
            entries.append(item.row)
            article_id = _unique_id(item.article_id, seen)
            if article_id != item.article_id:  # a new row: the index keeps the file's own id
                item = renamed(item, article_id)
                if item.article is not None:
                    item.article.article_id = article_id
            piece.append(item)
            if len(piece) == READ_PIECE:
                share = min(left, sum(len(r.article.text) for r in piece if r.article is not None))
                left -= share
                yield piece, share
                piece = []
        if stat is not None and stat.st_mtime_ns < now - RACY_NS:
            index[key] = {"key": _file_key(stat), "items": entries}
            resume = read.entry() if read is not None else resume
            if resume and all("problem" not in e or e["problem"]["source_row"] is not None for e in entries):
                index[key]["resume"] = resume  # every problem is a line's, none the file's
        yield piece, left


def cached_items(hit: dict[str, Any], seen: MutableMapping[str, int],
                 reusable: Callable[[str, str | None], bool]) -> list[_Record | Problem] | None:
    """A file's records and problems from its entry ``hit`` in the source index, or None when one of
    its articles is not ``reusable`` (its stored facts kept) under the id it would get after the ids
    ``seen`` so far (counted apart, on top of ``seen``, which stays as it is: a copy of it would cost
    the whole run's ids for every file, quadratic in a folder of many files; a ``ChainMap`` layer
    over it, whose every lookup runs in Python, cost seconds for a file of a million articles)."""
    items = [Problem(**item["problem"]) if "problem" in item else _Record(item) for item in hit["items"]]
    counted: dict[str, int] = {}  # the ids of this file, counted on top of ``seen`` (as _unique_id counts)
    for item in items:
        if isinstance(item, Problem):
            continue
        article_id = item.row[_ID]
        n = (counted.get(article_id) or seen.get(article_id, 0)) + 1
        counted[article_id] = n
        if not reusable(f"{article_id}-{n}" if n > 1 else article_id, item.row[_HASH]):
            return None
    return items


def renamed(record: _Record, article_id: str) -> _Record:
    """``record`` under another id, in a row of its own (the source index keeps the file's own id)."""
    row = list(record.row)
    row[_ID] = article_id
    return _Record(row, record.article)


def _unique_id(article_id: str, seen: MutableMapping[str, int]) -> str:
    """The id an article gets in a run: the second article with an id gets "-2", and so on
    (``seen`` counts the ids so far, and is updated)."""
    n = seen.get(article_id, 0) + 1
    seen[article_id] = n
    return f"{article_id}-{n}" if n > 1 else article_id


def _unique_ids(items: list[_Record | Problem], seen: MutableMapping[str, int]) -> Iterator[tuple[str, _Record]]:
    """``(unique id, record)`` for the articles among ``items`` (see :func:`_unique_id`)."""
    for item in items:
        if not isinstance(item, Problem):
            yield _unique_id(item.article_id, seen), item


# --------------------------------------------------------------------------- parsing

def _chunk_size(left: int, processes: int, smallest: int = 4, largest: int = 50) -> int:
    """Guided scheduling: the next chunk is a quarter of the remainder per process, within
    [smallest, largest], so chunks shrink as the work runs out and every process finishes at
    about the same time."""
    return min(left, max(smallest, min(largest, left // (processes * 4))))


class _Chunks:
    """Chunks of ``range(total)`` handed out to whichever process asks first, through a counter
    in shared memory: a process that runs slower (a busy core, long articles) simply takes fewer."""

    def __init__(self, context: BaseContext, total: int, processes: int) -> None:
        self.total, self.processes = total, processes
        self.lock = context.Lock()
        self.next = context.RawValue("q", 0)

    def claim(self) -> tuple[int, int] | None:
        """The next chunk as ``(start, stop)``, or None when every article is taken."""
        with self.lock:
            start = self.next.value
            if start >= self.total:
                return None
            stop = start + _chunk_size(self.total - start, self.processes)
            self.next.value = stop
        return start, stop


def _extract_worker(articles: list[Article], chunks: _Chunks, results: Any) -> None:
    """A worker process: extract the chunks it claims and send back only their tables (the
    parent keeps the articles); then None. An error is sent as text, for the parent to raise.
    A worker whose parent has died stops after its chunk (see :func:`_pool_worker`)."""
    parent = multiprocessing.parent_process()
    orphan = False
    try:
        while not (orphan := parent is not None and not parent.is_alive()) and (claimed := chunks.claim()):
            start, stop = claimed
            results.put((start, [extract(a).tables for a in articles[start:stop]]))
    except BaseException:  # noqa: BLE001  (sent to the parent, which raises it with the traceback)
        results.put(f"({multiprocessing.current_process().name}):\n{traceback.format_exc()}")
    finally:
        _end_worker(results, orphan)


def _end_worker(results: Any, orphan: bool) -> None:
    """A worker's last word: None on its queue, flushed; nothing, and no wait, when its parent
    is gone (nobody reads the queue, and a full pipe would hold the worker forever)."""
    if orphan:
        results.cancel_join_thread()
    else:
        results.put(None)
    results.close()
    if not orphan:
        results.join_thread()


def _start_method() -> str:
    """``fork`` where it is safe (Linux and other Unix, not macOS): workers then share the parent's
    compiled rules and articles without copying them. ``spawn`` elsewhere, which pickles the
    articles once to each worker."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else "spawn"


def extract_all(articles: list[Article], workers: int = 1, progress: bool = True) -> list[Extraction]:
    """Extract facts from many articles, in ``workers`` processes, with a progress bar.

    With ``workers=N`` the calling process is one of the N: it extracts chunks itself while
    N - 1 worker processes take others, each claiming the next chunk when it is free, and
    only their tables are sent back. No thread runs beside the caller's own extraction: it
    collects the workers' results between its chunks. The result is in the order of
    ``articles`` whatever the number of workers. A worker that fails or dies raises
    :class:`RuntimeError` naming it.
    """
    bar = _parse_bar(len(articles), progress)
    try:
        return _extract(articles, workers, bar)
    finally:
        bar.close()


def _parse_bar(total: int, progress: bool, unit: str = "article") -> Any:
    """A progress bar over ``total`` articles, or bytes (``unit="B"``), shown once the work has
    taken half a second (a rerun that parses nothing shows none)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="parsing", unit=unit, disable=not progress or not total, delay=0.5,
                **({"unit_scale": True, "unit_divisor": 1024} if unit == "B" else {}))


def _extract(articles: list[Article], workers: int, bar: Any, weights: list[int] | None = None) -> list[Extraction]:
    """:func:`extract_all`, advancing the progress bar ``bar`` (which it leaves open) by one per
    article, or by ``weights[i]`` for article ``i``."""
    results: list[Extraction | None] = [None] * len(articles)

    def advance(start: int, stop: int) -> None:
        bar.update(stop - start if weights is None else sum(weights[start:stop]))

    if workers <= 1 or len(articles) < 2 * workers:
        for i, article in enumerate(articles):
            results[i] = extract(article)
            advance(i, i + 1)
        return cast("list[Extraction]", results)
    method, context = _worker_context()
    chunks = _Chunks(context, len(articles), workers)
    sent = context.Queue()
    processes = [context.Process(target=_extract_worker, args=(articles, chunks, sent), daemon=True,
                                 name=f"toolkit-extract-{k + 1}") for k in range(workers - 1)]
    running = len(processes)

    def take(item: Any) -> None:
        nonlocal running
        if item is None:
            running -= 1
        elif isinstance(item, str):
            raise RuntimeError(f"a worker process failed while extracting {item}")
        else:
            start, tables = item
            for i, article_tables in enumerate(tables, start):
                results[i] = Extraction(article=articles[i], tables=article_tables)
            advance(start, start + len(tables))

    try:
        _start_processes(processes, method)
        while (claimed := chunks.claim()) is not None:  # the caller works too
            start, stop = claimed
            for i in range(start, stop):
                results[i] = extract(articles[i])
            advance(start, stop)
            while not sent.empty():
                take(sent.get())
        while running:
            try:
                take(sent.get(timeout=1.0))
            except queue.Empty:
                _raise_if_dead(processes)
        for process in processes:
            process.join()
        if any(r is None for r in results):  # e.g. a result a worker's queue could not send
            raise RuntimeError(_NOT_ALL_SENT)
    finally:
        _terminate(processes)
        sent.close()
    return cast("list[Extraction]", results)


#: the error of a parse whose workers ended while facts were still to come
_NOT_ALL_SENT = "the worker processes ended without sending the facts of every article"


def _worker_context() -> tuple[str, BaseContext]:
    """The start method of worker processes and its context; before forking, the rules are
    compiled, so that forked workers inherit them instead of each compiling them."""
    method = _start_method()
    if method == "fork":
        warm_up()
    return method, multiprocessing.get_context(method)


def _start_processes(processes: list[Any], method: str) -> None:
    """Start worker processes. Forked ones inherit the caller's objects frozen: the workers'
    garbage collections then leave them alone, so their pages stay shared. Not when the caller
    froze objects of its own (they stay frozen); the caller's are unfrozen afterwards."""
    freeze = method == "fork" and not gc.get_freeze_count()
    if freeze:
        gc.freeze()
    try:
        for process in processes:
            process.start()
    finally:
        if freeze:
            gc.unfreeze()


def _raise_if_dead(processes: list[Any]) -> None:
    """Raise :class:`RuntimeError` naming a worker process that ended with an error or a signal."""
    dead = [p for p in processes if p.exitcode not in (None, 0)]
    if dead:
        raise RuntimeError(f"worker process {dead[0].name} ended (exit code {dead[0].exitcode}) "
                           "before sending its articles' facts; try fewer workers") from None


def _terminate(processes: list[Any]) -> None:
    """Terminate the worker processes still alive, and reap them."""
    for process in processes:
        if process.is_alive():
            process.terminate()
            process.join()


def build_dataset(paths: Iterable[str | Path] | str | Path, out_dir: str | Path, workers: int = 1,
                  progress: bool = True, max_bytes: int = MAX_ARTICLE_BYTES, full: bool = False,
                  csv_export: bool = False, lock_timeout: float | None = None) -> ParseSummary:
    """Parse every article under ``paths`` into the dataset at ``out_dir``.

    Only articles that are new or changed since the last run are parsed
    (``full=True`` parses all); rows of articles no longer present are dropped.
    The result equals a full rebuild. ``csv_export=True`` also writes
    ``out_dir/csv/*.csv`` (a copy of every table: costly on large datasets).
    Concurrent parses into the same folder serialise (see :func:`dataset_lock`).
    Returns a :class:`ParseSummary`.

    >>> summary = build_dataset("data/articles", "data/processed")  # doctest: +SKIP
    >>> summary.parsed, summary.reused  # doctest: +SKIP
    (36, 0)
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    summary = ParseSummary(out_dir=out_dir)
    with dataset_lock(out_dir, timeout=lock_timeout):
        previous = None if full else current_snapshot(out_dir)
        manifest = _manifest(previous)
        if previous is not None and not _compatible(manifest):
            log.info("%s: toolkit or schema changed since the last parse; reparsing everything", out_dir)
            previous, manifest = None, {}
        cache = _sources_index(previous) if previous is not None and manifest.get("max_bytes") == max_bytes else {}
        files = list(iter_paths([paths] if isinstance(paths, (str, Path)) else paths))
        sizes = _sizes(files)
        stored, old_hashes = stored_articles(manifest), manifest.get("articles", {})
        parse = _Parse(out_dir, workers, _parse_bar(sum(sizes.values()), progress, unit="B"),
                       reusable=lambda article_id, content_hash: article_id in stored
                       and old_hashes.get(article_id) == content_hash)
        sources: dict[str, Any] = {}
        try:
            for records, size in _read_sources(files, sizes, summary.problems, max_bytes, cache, sources,
                                               parse.reusable):
                parse.add(records, size)
            extractions = parse.extract_last()
        finally:
            parse.close()
            parse.bar.close()
        if previous is not None and not extractions and not parse.batches and sources == cache \
                and list(sources) == list(cache) and len(sources) == len(files) \
                and parse.unchanged == set(manifest.get("articles", {})) \
                and len(parse.records) == len(parse.unchanged):
            _keep_snapshot(out_dir, previous, manifest, len(parse.records), summary, csv_export)
        else:
            store_parse(out_dir, manifest, parse.records, extractions, parse.unchanged, summary, sources, max_bytes,
                        csv_export, batches=parse.batches)
    summary.seconds = time.perf_counter() - started
    return summary


def seed_dataset(source: str | Path, target: str | Path) -> bool:
    """Start the dataset at ``target`` from the live snapshot of the dataset at ``source`` when
    ``target`` holds none that this toolkit can reuse: a parse into ``target`` then parses only the
    articles that differ from ``source``'s, and skips reading the files that ``source``'s last parse
    read as they are now (its source index comes along). So a second dataset over much the same
    inputs (the baseline plus new articles, a subset of the articles) costs a rerun, not a parse of
    everything.

    Segments and snapshot files are hard-linked where the file system allows (nothing rewrites them
    once written: a later parse of either dataset writes new files), else copied. Holds the write
    locks of both folders, ``source``'s first. Returns whether ``target`` was seeded (not when
    ``source`` has no snapshot this toolkit can reuse or its lock cannot be taken, as in a folder
    this user may only read, nor when ``target`` has one already).

    >>> seed_dataset("data/processed", "data/processed/updates/with-new")  # doctest: +SKIP
    True
    """
    source, target = Path(source), Path(target)
    if source.resolve() == target.resolve() or current_snapshot(source) is None:
        return False  # (no lock taken: nothing is written into a folder that holds no dataset)
    with contextlib.ExitStack() as locks:
        try:
            locks.enter_context(dataset_lock(source))
        except OSError as exc:  # e.g. a shared dataset this user may only read: no copy, a parse of everything
            log.warning("%s: cannot take its write lock (%s); %s is not started from it", source, exc, target)
            return False
        locks.enter_context(dataset_lock(target))
        live = current_snapshot(source)
        manifest = _manifest(live)
        if live is None or not _compatible(manifest):
            return False
        own = current_snapshot(target)
        if own is not None and _compatible(_manifest(own)):
            return False
        for segment in manifest.get("segments", []):
            if not (target / "segments" / segment["name"]).is_dir():
                _write_folder(target / "segments", partial(_link_files, source / "segments" / segment["name"]),
                              name=segment["name"])
        name = _write_folder(target / "snapshots", partial(_link_files, live))
        _atomic_write_text(target / "CURRENT", name + "\n")
        _prune(target, live=name)
    log.info("%s: started from the dataset at %s", target, source)
    return True


def _link_files(source: Path, folder: Path) -> None:
    """Every file of ``source`` into ``folder``: hard links, or copies where links cannot be made."""
    for file in source.iterdir():
        if file.is_file():
            try:
                os.link(file, folder / file.name)
            except OSError:  # another file system, or one without hard links
                shutil.copy2(file, folder / file.name)


def _keep_snapshot(out_dir: Path, live: Path, manifest: dict[str, Any], articles: int, summary: ParseSummary,
                   csv_export: bool) -> None:
    """A run that read nothing new keeps the live snapshot as it is: every file was taken from its
    source index unchanged (none too recent to be indexed) and in the same order, so the new
    snapshot would hold the same rows, problems and index (rewriting it took a third of a
    10,000-article no-op rerun, and grows with the corpus)."""
    _prune(out_dir, live=live.name)
    summary.rows = dict(manifest.get("rows", {}))
    summary.articles = summary.reused = articles
    if csv_export:
        export_csv(out_dir)


def _sizes(files: list[Path]) -> dict[Path, int]:
    """Bytes of each file (0 for one that cannot be read): what the parse's progress bar counts."""
    sizes = {}
    for path in files:
        try:
            sizes[path] = path.stat().st_size
        except OSError:
            sizes[path] = 0
    return sizes


class _Parse:
    """A parse as the articles are read: the articles to parse wait in ``pending`` and are
    parsed and stored :data:`PARSE_BATCH` at a time (all batches but the last, which goes
    through :func:`store_parse` with the rest), so memory holds the text and facts of a batch
    or two whatever the size of the corpus; ``records`` keeps every article's table row, not
    its text. The progress bar counts the bytes of the files, each file's bytes shared among
    the articles it holds that are parsed (at once when none is).

    With one worker the caller extracts each batch when it is full. With more, worker
    processes that live for the whole parse (:class:`_Workers`) extract the articles in chunks
    as they are read, while the caller goes on reading files and stores each batch once its
    facts are all back: reading and storing then overlap the extraction."""

    def __init__(self, out_dir: Path, workers: int, bar: Any, reusable: Callable[[str, str | None], bool]) -> None:
        self.out_dir, self.workers, self.bar, self.reusable = out_dir, workers, bar, reusable
        self.records: list[_Record] = []
        self.unchanged: set[str] = set()  # ids of the articles whose stored facts are kept
        self.pending: list[Article] = []
        self.weights: list[int] = []  # the progress of each pending article, in bytes
        self.batches: list[dict[str, Any]] = []  # the manifest entries of the batches stored so far
        self.pool: _Workers | None = None  # started with the first chunk to send (workers > 1)
        self.sent = 0  # articles of ``pending`` sent to the pool
        self.waiting: list[_Batch] = []  # batches sent to the pool, not stored yet; the last one is being read

    def add(self, records: list[_Record], size: int) -> None:
        """Take articles read from a file (all of them, or a piece), ``size`` bytes of it, in file order."""
        fresh: list[Article] = []
        for record in records:
            article, record.article = record.article, None  # the text goes with the article, if parsed
            self.records.append(record)
            if article is None or self.reusable(record.article_id, record.content_hash):
                self.unchanged.add(record.article_id)  # (a file from the cache holds reusable articles only)
            else:
                fresh.append(article)
        if not fresh:
            self.bar.update(size)
            return
        share, rest = divmod(size, len(fresh))
        for n, article in enumerate(fresh):
            if len(self.pending) == PARSE_BATCH:  # more follow: this batch is not the last
                self._close_batch()
            self.pending.append(article)
            self.weights.append(share + (rest if n == 0 else 0))
            if self.workers > 1 and len(self.pending) - self.sent == _Workers.CHUNK:
                self._send()
        if self.pool is not None:
            self._store_done(self.pool.collect(block=False))

    def _send(self) -> None:
        """Send the pending articles not sent yet to the pool (started now if need be)."""
        if self.pool is None:
            self.pool = _Workers(self.workers)
            self.waiting.append(_Batch(self.pending, self.weights))  # the batch being read
        self.pool.send(self.waiting[-1], self.sent, self.pending[self.sent:])
        self.sent = len(self.pending)

    def _close_batch(self) -> None:
        """The pending batch is full: extract and store it (one worker), or send its last articles
        to the pool and store the batch before it once its facts are back (so the workers extract
        this batch while the next one is read, and the text of two batches at most is held)."""
        if self.pool is None and self.workers <= 1:
            self.batches.append(_store_batch(self.out_dir, _extract(self.pending, self.workers, self.bar,
                                                                    self.weights)))
        else:
            if self.sent < len(self.pending) or self.pool is None:
                self._send()
            while len(self.waiting) > 1:  # the batch before: stored before this one's articles are read
                self._store_done(self.pool.collect(block=True))
            self.waiting.append(_Batch([], []))
        self.pending, self.weights, self.sent = ([], [], 0) if self.pool is None else (
            self.waiting[-1].articles, self.waiting[-1].weights, 0)

    def _store_done(self, done: list[tuple[_Batch, int, int]]) -> None:
        """Advance the bar by the chunks ``done``, then store the oldest full batches whose facts are all back."""
        for batch, start, stop in done:
            self.bar.update(sum(batch.weights[start:stop]))
        while len(self.waiting) > 1 and self.waiting[0].complete():
            self.batches.append(_store_batch(self.out_dir, self.waiting.pop(0).extractions()))

    def extract_last(self) -> list[Extraction]:
        """The extractions of the last batch (for :func:`store_parse`); the batches before it are stored."""
        if self.pool is None:
            return _extract(self.pending, self.workers, self.bar, self.weights)
        try:
            if self.sent < len(self.pending):
                self._send()
            while not all(batch.complete() for batch in self.waiting):
                self._store_done(self.pool.collect(block=True))
            self._store_done([])
            last = self.waiting.pop().extractions()
        except BaseException:
            self.close()
            raise
        self.pool.close(graceful=True)
        self.pool = None
        return last

    def close(self) -> None:
        """Stop the worker processes at once, if any are left (after an error)."""
        if self.pool is not None:
            self.pool.close(graceful=False)
            self.pool = None


class _Batch:
    """A batch of articles sent to the pool in chunks, and the facts of each as they come back."""

    def __init__(self, articles: list[Article], weights: list[int]) -> None:
        self.articles, self.weights = articles, weights
        self.tables: list[dict[str, list[dict[str, Any]]] | None] = []
        self.missing = 0  # articles sent whose facts are not back

    def complete(self) -> bool:
        return self.missing == 0 and len(self.tables) == len(self.articles)

    def extractions(self) -> list[Extraction]:
        return [Extraction(article=a, tables=cast("dict[str, list[dict[str, Any]]]", t))
                for a, t in zip(self.articles, self.tables)]


def _pool_worker(tasks: Any, results: Any) -> None:
    """A worker process of :class:`_Workers`: extract each chunk it is sent and send back its
    tables, until it is sent None; then None. An error is sent as text, for the parent to raise.
    A worker whose parent has died (killed, out of memory) ends within a second or so instead of
    waiting for work forever."""
    parent = multiprocessing.parent_process()
    orphan = False
    try:
        while not (orphan := parent is not None and not parent.is_alive()):
            try:
                task = tasks.get(timeout=1.0)
            except queue.Empty:
                continue
            if task is None:
                break
            key, articles = task
            # pickled here, not by the queue's thread, which would only print an error and drop it
            results.put(pickle.dumps((key, [extract(a).tables for a in articles]), pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001  (sent to the parent, which raises it with the traceback)
        results.put(f"({multiprocessing.current_process().name}):\n{traceback.format_exc()}")
    finally:
        _end_worker(results, orphan)


class _Workers:
    """Worker processes that live for a whole :func:`build_dataset` run: chunks of articles
    are sent to them as the files are read, and their tables come back in any order (each
    chunk is keyed by its batch and position). They are started (forked from a caller that
    holds little, its objects frozen) before most of the corpus is read, so no page they share
    with the caller is copied when the caller later frees its batches' rows. A worker that
    fails or dies raises :class:`RuntimeError` naming it."""

    #: articles per chunk sent: small enough that the workers finish together (a chunk of
    #: generated articles takes about 50 ms), large enough that sending costs little
    CHUNK = 16

    def __init__(self, workers: int) -> None:
        method, context = _worker_context()
        self.tasks, self.results = context.Queue(), context.Queue()
        self.chunks: dict[int, tuple[_Batch, int, int]] = {}
        self.next_key = 0
        self.processes = [context.Process(target=_pool_worker, args=(self.tasks, self.results), daemon=True,
                                          name=f"toolkit-extract-{k + 1}") for k in range(workers)]
        try:
            _start_processes(self.processes, method)
        except BaseException:
            self.close(graceful=False)
            raise
        self.running = len(self.processes)

    def send(self, batch: _Batch, start: int, articles: list[Article]) -> None:
        """Send ``articles``, which begin at ``start`` in ``batch``, to be extracted."""
        self.chunks[self.next_key] = (batch, start, start + len(articles))
        batch.tables.extend([None] * (start + len(articles) - len(batch.tables)))
        batch.missing += len(articles)
        self.tasks.put((self.next_key, articles))
        self.next_key += 1

    def collect(self, block: bool) -> list[tuple[_Batch, int, int]]:
        """The chunks whose tables came back (filled into their batch): those already here, or
        (``block``) at least one, waiting for it."""
        done = []
        while self.chunks:
            try:
                item = self.results.get(timeout=1.0) if block and not done else self.results.get_nowait()
            except queue.Empty:
                if not (block and not done):
                    break
                _raise_if_dead(self.processes)
                if not self.running or not any(p.is_alive() for p in self.processes):
                    raise RuntimeError(_NOT_ALL_SENT)
                continue
            if item is None:
                self.running -= 1
                continue
            if isinstance(item, str):
                raise RuntimeError(f"a worker process failed while extracting {item}")
            key, tables = pickle.loads(item)
            batch, start, stop = self.chunks.pop(key)
            batch.tables[start:stop] = tables
            batch.missing -= stop - start
            done.append((batch, start, stop))
        return done

    def close(self, graceful: bool) -> None:
        """Stop the workers: when ``graceful`` (all work done), each is sent None and joined; else,
        or if one is still alive after that, they are terminated."""
        if graceful:
            for process in self.processes:
                if process.is_alive():
                    self.tasks.put(None)
            for process in self.processes:
                if process.pid is not None:
                    process.join(timeout=5.0)
        else:
            self.tasks.cancel_join_thread()  # chunks nobody will read must not hold the caller at exit
        _terminate(self.processes)
        self.tasks.close()
        self.results.close()


def stored_articles(manifest: dict[str, Any]) -> set[str]:
    """Ids of the articles whose facts the segments of a snapshot's manifest hold."""
    return {a for segment in manifest.get("segments", []) for a in segment["articles"]}


def store_parse(out_dir: Path, manifest: dict[str, Any], records: list[_Record],
                extractions: list[Extraction], unchanged: set[str], summary: ParseSummary,
                sources: dict[str, Any] | None = None, max_bytes: int | None = None, csv_export: bool = False,
                batches: Sequence[dict[str, Any]] = ()) -> None:
    """Write the result of a parse (under the dataset lock): the extractions as a new segment,
    the segments of ``manifest`` (the live snapshot's, or ``{}``) for the ``unchanged`` articles,
    the segments of ``batches`` (parsed articles already stored by :func:`_store_batch`), every
    record's ``articles`` row and ``summary.problems``; fills in ``summary``."""
    fresh = build_tables(extractions)
    segments = _update_segments(out_dir, manifest.get("segments", []), unchanged, fresh,
                                [e.article.article_id for e in extractions]) + list(batches)
    articles = sort_table("articles", schema.conform("articles", pd.DataFrame([r.row for r in records],
                                                                             columns=list(ROW_FIELDS))))
    problems = sort_table("problems", schema.conform("problems", [problem_row(p) for p in summary.problems]))
    hashes = {r.article_id: r.content_hash for r in records}
    summary.rows = _commit(out_dir, segments, articles, problems, hashes, sources or {}, max_bytes)
    summary.articles = len(records)
    summary.parsed = len(extractions) + sum(len(b["articles"]) for b in batches)
    summary.reused = len(unchanged)
    summary.removed = len(set(manifest.get("articles", {})) - set(hashes))
    if csv_export:
        export_csv(out_dir)


# --------------------------------------------------------------------------- segments

#: :func:`build_dataset` parses this many articles at a time and stores each batch as a segment
#: (with workers, while they extract the next): facts as Python rows take about 50 KB per
#: article, so memory holds about 50-100 MB of them whatever the size of the corpus (20,000
#: generated articles, 2 workers: 442 MB at the peak for both processes, by PSS, against 613 MB
#: with batches of 2,000, in the same time, when workers were forked for each batch; 419-421 MB
#: with workers that live for the whole parse; a 10,000-article dataset of 10 segments loads as
#: fast as one of 5).
PARSE_BATCH = 1_000


def _store_batch(out_dir: Path, extractions: list[Extraction]) -> dict[str, Any]:
    """Store the facts of a batch of parsed articles as a segment of its own; returns its manifest
    entry. The segment is live only once a snapshot names it (a run killed before its commit leaves
    it to :func:`_prune`)."""
    frames = build_tables(extractions)
    facts = {table: frames[table] for table in FACT_TABLES}
    return {"name": _write_segment(out_dir, facts), "articles": sorted(e.article.article_id for e in extractions),
            "rows": {t: len(f) for t, f in facts.items()}}

#: A new segment is merged with the one before it while that one holds at most this many
#: times its articles: the segment sizes grow geometrically, so there are O(log n) of them.
MERGE_RATIO = 2
#: A segment that loses articles (deleted or changed files) is not rewritten while at most this
#: share of the articles it holds rows for are gone: their ids are listed in its ``dropped`` and
#: their rows are left out when it is read. Past that share it is rewritten without them.
DEAD_SHARE = 0.25


def _segment_frames(out_dir: Path, segment: dict[str, Any], keep: set[str] | None = None) -> dict[str, pd.DataFrame]:
    folder = out_dir / "segments" / segment["name"]
    dropped = frozenset(segment.get("dropped", ()))
    frames = {}
    for table in FACT_TABLES:
        frame = _read_table(table, [(folder / f"{table}.parquet", dropped)])
        frames[table] = frame[frame["article_id"].isin(keep)] if keep is not None else frame
    return frames


def _combine(parts: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    out = {}
    for table in FACT_TABLES:
        frames = [p[table] for p in parts if len(p[table])]
        out[table] = (sort_table(table, schema.conform(table, pd.concat(frames, ignore_index=True)))
                      if len(frames) > 1 else frames[0].reset_index(drop=True) if frames
                      else schema.empty_frame(table))
    return out


def _drop_from_segment(out_dir: Path, segment: dict[str, Any], survivors: list[str],
                       dropped: list[str]) -> dict[str, Any]:
    """The manifest entry of ``segment`` with the ``dropped`` articles no longer live (its
    files are not touched; only their ``article_id`` column is read to count the live rows)."""
    gone = set(dropped) - set(segment.get("dropped", ()))
    folder = out_dir / "segments" / segment["name"]
    rows = {}
    for table in FACT_TABLES:
        file = folder / f"{table}.parquet"
        if not file.exists():  # left out on reading too (see _read_table)
            log.warning("%s: missing; its rows are left out (rerun the parse with --full)", file)
            rows[table] = 0
            continue
        ids = pd.read_parquet(file, columns=["article_id"])["article_id"]
        rows[table] = segment["rows"].get(table, 0) - int(ids.isin(gone).sum())
    return {**segment, "articles": survivors, "dropped": dropped, "rows": rows}


def _update_segments(out_dir: Path, old: list[dict[str, Any]], unchanged: set[str], fresh: dict[str, pd.DataFrame],
                     parsed: list[str]) -> list[dict[str, Any]]:
    """The segments of the new snapshot: old ones whose articles are all unchanged (or that lost
    only a few: see :data:`DEAD_SHARE`), and one new segment with the parsed articles and the
    unchanged rows of the other old segments (then merged with its predecessors while they are
    small). Writes the new segment."""
    kept: list[dict[str, Any]] = []
    parts = [{t: fresh[t] for t in FACT_TABLES}]
    articles = list(parsed)
    for segment in old:
        if all(a in unchanged for a in segment["articles"]):
            kept.append(segment)
            continue
        survivors = [a for a in segment["articles"] if a in unchanged]
        if not survivors:
            continue
        dropped = sorted(set(segment.get("dropped", ())) | set(segment["articles"]) - set(survivors))
        if len(dropped) <= DEAD_SHARE * (len(survivors) + len(dropped)):
            kept.append(_drop_from_segment(out_dir, segment, survivors, dropped))
        else:  # too many gone: rewrite the segment without them
            parts.append(_segment_frames(out_dir, segment, set(survivors)))
            articles += survivors
    while kept and len(kept[-1]["articles"]) <= MERGE_RATIO * len(articles):
        segment = kept.pop()
        parts.append(_segment_frames(out_dir, segment))
        articles += segment["articles"]
    if not articles:
        return kept
    frames = _combine(parts)
    return kept + [{"name": _write_segment(out_dir, frames), "articles": sorted(articles),
                    "rows": {t: len(f) for t, f in frames.items()}}]


def _new_name() -> str:
    return time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.perf_counter_ns() % 10**6:06d}"


def _write_folder(parent: Path, fill: Callable[[Path], None], name: str | None = None) -> str:
    """A new folder in ``parent`` (named ``name``, else a new name), filled by ``fill`` in a hidden
    staging folder, fsynced, then renamed into place (all or nothing); returns its name."""
    parent.mkdir(parents=True, exist_ok=True)
    name = name or _new_name()
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{name}."))
    try:
        os.chmod(staging, 0o777 & ~_UMASK)
        fill(staging)
        _fsync_dir(staging)
        os.replace(staging, parent / name)
        _fsync_dir(parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return name


def _write_segment(out_dir: Path, frames: dict[str, pd.DataFrame]) -> str:
    """Write fact tables as a new immutable segment (staged, then renamed); returns its name."""
    for table, frame in frames.items():
        schema.check(table, frame)

    def fill(folder: Path) -> None:
        for table, frame in frames.items():
            _write_parquet(frame, folder / f"{table}.parquet")

    return _write_folder(out_dir / "segments", fill)


# --------------------------------------------------------------------------- writing

def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def _atomic_write_text(path: Path, text: str) -> None:
    _atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def _atomic_write(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` through ``fill`` (given a binary file) into a temporary file beside it,
    fsync it and rename it over ``path``: readers see the old file or the new one, never a part."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; the dataset is meant to be shared
        with os.fdopen(fd, "wb") as f:
            fill(f)
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


def export_csv(out_dir: str | Path, tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write ``out_dir/csv/<table>.csv`` for every table of the live snapshot (formula cells
    neutralised, each file replaced atomically); returns the CSV folder."""
    out_dir = Path(out_dir)
    tables = load_dataset(out_dir) if tables is None else tables
    csv_dir = out_dir / "csv"
    csv_dir.mkdir(parents=True, exist_ok=True)
    for table, frame in tables.items():
        arrow = _arrow_table(frame)
        if arrow is None:  # a column Arrow cannot hold: pandas writes it (about 5x slower)
            _atomic_write_text(csv_dir / f"{table}.csv", neutralise_formulas(frame).to_csv(index=False))
        else:
            _atomic_write(csv_dir / f"{table}.csv", lambda f, t=arrow: pa_csv.write_csv(t, f))
    return csv_dir


#: a text cell that opens like a formula, and the same cell opened with a quote (RE2 syntax)
_FORMULA_CELL, _QUOTED_CELL = "^([=+@\t\r-])", "'\\1"


def _arrow_table(frame: pd.DataFrame) -> pa.Table | None:
    """``frame`` as an Arrow table ready for Arrow's CSV writer, with what :func:`neutralise_formulas`
    does done on the Arrow columns (text cells that open like a formula get a quote in front) and
    booleans written as pandas writes them (``True``/``False``); None when a column does not convert.

    Arrow writes the same values as ``to_csv``; it quotes every text cell (valid CSV, read back the
    same by any CSV reader)."""
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError, TypeError):
        return None
    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = pc.replace_substring_regex(column, pattern=_FORMULA_CELL, replacement=_QUOTED_CELL)
        elif pa.types.is_boolean(column.type):
            column = pc.if_else(column, "True", "False")
        elif not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
                  or pa.types.is_null(column.type)):
            return None  # dates, lists...: left to pandas, whose format users know
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def write_dataset(tables: dict[str, pd.DataFrame], out_dir: str | Path,
                  article_hashes: dict[str, str | None] | None = None, csv_export: bool = False) -> Path:
    """Write complete tables as a new snapshot (one segment) and make it live atomically;
    returns the snapshot folder.

    Every table is checked against :mod:`toolkit.schema` before anything is
    written; the folder's lock is held throughout.
    """
    out_dir = Path(out_dir)
    for table, frame in tables.items():
        schema.check(table, frame)
    frames = {t: tables.get(t, schema.empty_frame(t)) for t in schema.TABLES}
    ids = list(frames["articles"]["article_id"])
    with dataset_lock(out_dir):
        segments = []
        if ids:
            facts = {t: frames[t] for t in FACT_TABLES}
            segments = [{"name": _write_segment(out_dir, facts), "articles": sorted(ids),
                         "rows": {t: len(f) for t, f in facts.items()}}]
        hashes = article_hashes if article_hashes is not None else dict.fromkeys(ids)
        _commit(out_dir, segments, frames["articles"], frames["problems"], hashes, {}, None)
        if csv_export:
            export_csv(out_dir, frames)
        return current_snapshot(out_dir)


def _commit(out_dir: Path, segments: list[dict[str, Any]], articles: pd.DataFrame, problems: pd.DataFrame,
            hashes: dict[str, str | None], sources: dict[str, Any], max_bytes: int | None) -> dict[str, int]:
    """Write the snapshot (articles, problems, manifest, source index), swap ``CURRENT`` to it,
    prune; returns the row count of every table."""
    schema.check("articles", articles)
    schema.check("problems", problems)
    rows = {t: sum(s["rows"].get(t, 0) for s in segments) for t in FACT_TABLES}
    rows = {t: len(articles) if t == "articles" else len(problems) if t == "problems" else rows[t]
            for t in schema.TABLES}
    manifest = {"format_version": FORMAT_VERSION, "fingerprint": extractor_fingerprint(),
                "max_bytes": max_bytes, "articles": hashes, "segments": segments, "rows": rows}

    def fill(folder: Path) -> None:
        _write_parquet(articles, folder / "articles.parquet")
        _write_parquet(problems, folder / "problems.parquet")
        _write_json(manifest, folder / "manifest.json")
        _write_json(sources, folder / "sources.json")
        # the segments it uses, apart: pruning reads these (a manifest holds every article's hash)
        _write_json(sorted(s["name"] for s in segments), folder / SEGMENT_NAMES)

    name = _write_folder(out_dir / "snapshots", fill)
    _atomic_write_text(out_dir / "CURRENT", name + "\n")
    _prune(out_dir, live=name)
    return rows


def _write_json(value: Any, path: Path) -> None:
    """Write ``value`` as ``json.dumps(value, separators=(",", ":"), sort_keys=True)`` would (the
    same bytes, UTF-8), a piece at a time (:func:`_json_pieces`): the source index of 100,000
    articles is 28 MB of text, which held whole and encoded whole doubled the peak of a rerun's
    writing."""
    with open(path, "wb") as f:
        for piece in _json_pieces(value):
            f.write(piece.encode("utf-8"))
        f.flush()
        os.fsync(f.fileno())


#: :func:`_json_pieces` encodes a list or dict of more items than this that many at a time
JSON_PIECE_ITEMS = 1_000


def _json_pieces(value: Any) -> Iterator[str]:
    """``json.dumps(value, separators=(",", ":"), sort_keys=True)`` in pieces (string keys): a list
    or dict of more than :data:`JSON_PIECE_ITEMS` items, or a dict that holds one, is opened here
    and its items are encoded up to that many at a time, each piece by the C encoder (one call per
    item would be slower than one for the whole)."""
    if not _split(value):
        yield _compact(value)
    elif isinstance(value, list):
        yield "["
        for start in range(0, len(value), JSON_PIECE_ITEMS):
            yield ("," if start else "") + _compact(value[start:start + JSON_PIECE_ITEMS])[1:-1]
        yield "]"
    else:
        chunks: list[str | list[str]] = []  # runs of keys encoded together, and keys whose value is split
        run: list[str] = []
        for key in sorted(value):
            if _split(value[key]) or len(run) == JSON_PIECE_ITEMS:
                chunks += [run] if run else []
                run = []
            if _split(value[key]):
                chunks.append(key)
            else:
                run.append(key)
        chunks += [run] if run else []
        yield "{"
        for n, chunk in enumerate(chunks):
            comma = "," if n else ""
            if isinstance(chunk, list):
                yield comma + _compact({key: value[key] for key in chunk})[1:-1]
            else:
                yield comma + json.dumps(chunk) + ":"
                yield from _json_pieces(value[chunk])
        yield "}"


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _split(value: Any) -> bool:
    """Whether :func:`_json_pieces` writes ``value`` in pieces: a list or dict of more than
    :data:`JSON_PIECE_ITEMS` items, or a dict holding such a value."""
    if isinstance(value, list):
        return len(value) > JSON_PIECE_ITEMS
    return isinstance(value, dict) and (len(value) > JSON_PIECE_ITEMS or any(map(_split, value.values())))


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


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


#: A snapshot's list of the segments it uses (as its manifest lists them), read by :func:`_prune`:
#: the manifest of a million-article dataset is 60 MB of JSON (every article's hash), and reading
#: two of them took 1.6 s of each rerun.
SEGMENT_NAMES = "segments.json"


def _prune(out_dir: Path, live: str) -> None:
    """Remove staging leftovers of killed runs, all but the newest snapshots, and the segments
    no kept snapshot uses.

    Runs under the dataset lock, so a staging folder here is never another
    live writer's. The snapshot before the live one is kept for readers that
    resolved ``CURRENT`` just before the swap.
    """
    snapshots = out_dir / "snapshots"
    finished = sorted((c for c in snapshots.iterdir() if c.is_dir() and not c.name.startswith(".")
                       and c.name != live), key=lambda c: c.stat().st_mtime, reverse=True)
    keep = {live} | {c.name for c in finished[:KEEP_SNAPSHOTS - 1]}
    for child in snapshots.iterdir():
        if child.name not in keep:
            _remove(child)
    segments = out_dir / "segments"
    if not segments.is_dir():
        return
    used: set[str] = set()
    for name in keep:
        file = snapshots / name / SEGMENT_NAMES
        try:
            if file.exists():
                names = json.loads(file.read_text(encoding="utf-8"))
                if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
                    raise TypeError("not a list of names")
                used |= set(names)
                continue
            file = snapshots / name / "manifest.json"  # a snapshot written before SEGMENT_NAMES
            used |= {s["name"] for s in json.loads(file.read_text(encoding="utf-8")).get("segments", [])}
        except (OSError, json.JSONDecodeError, KeyError, TypeError):
            log.warning("%s: unreadable; no segment is removed this time", file)
            return
    for child in segments.iterdir():
        if child.name not in used:
            _remove(child)


def article_rows(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """``articles`` table rows for records (helper for callers that skip extraction)."""
    return [article_row(a) for a in articles]


def problem_rows(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """``problems`` table rows."""
    return [problem_row(p) for p in problems]


__all__ = ["ParseSummary", "build_dataset", "load_dataset", "write_dataset", "export_csv", "extract_all",
           "current_snapshot", "dataset_lock", "DatasetLockedError", "reusable_hashes", "extractor_fingerprint",
           "FACT_TABLES"]
