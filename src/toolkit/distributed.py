"""Parse a corpus on a Dask cluster (``dask.distributed``): beyond one machine.

The same functions as :func:`toolkit.corpus.build_dataset` -- :func:`toolkit.ingest.read_file`
and :func:`toolkit.extract.extract` -- are mapped over partitions of the corpus's files on
the cluster's workers (a big JSON Lines file is cut at line ends, a big UTF-8 CSV file at row
ends and a big UTF-8 JSON array where items start, into ranges of their own, so that an archive
dump of a few huge files spreads over the workers too); the driver takes the rows
partition by partition, makes article ids unique exactly as a serial run does, and stores them
as a serial run does (in batches of segments, then :func:`toolkit.corpus.store_parse`; unchanged
articles keep their rows).
Reruns are incremental as with ``toolkit parse``: files unchanged since the last parse are
taken from its source index without being read, and only new or changed articles (content
hashes) are parsed.

Workers must see the input files under the same paths (a shared or network file system)
and have the toolkit installed::

    from dask.distributed import Client
    from toolkit.distributed import build_dataset_distributed

    client = Client("tcp://scheduler.example.org:8786")  # an existing cluster
    build_dataset_distributed(["/mnt/archive/articles"], "/mnt/archive/processed", client=client)

or from a shell: ``python -m toolkit.distributed /mnt/archive/articles -o /mnt/archive/processed
--scheduler tcp://scheduler.example.org:8786``. Without a client or address a
``LocalCluster`` with one worker process per core is started for the call.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ingest import (JSON_LINES_SUFFIXES, MAX_ARTICLE_BYTES, LinesRead, appended_ranges, csv_pieces, iter_paths,
                     json_array_pieces, json_lines_pieces, read_csv_range, read_file, read_json_array_range,
                     read_json_lines, utf8_warning)
from .records import Article, Extraction, Problem

log = logging.getLogger(__name__)

#: Files per task: large enough to amortise scheduling, small enough to balance load.
PARTITION_FILES = 200
#: A JSON Lines, UTF-8 CSV or UTF-8 JSON array file larger than this is cut at line (row, item) boundaries into
#: byte ranges of about this size, each
#: a task of its own: the few big files of an archive dump spread over the workers, and no task
#: holds the facts of a whole file (about 1,600 articles of 5 KB, some 80 MB of facts, per range).
PIECE_BYTES = 8_000_000

#: A unit of a partition: a file, a range of a JSON Lines file ``(file, start, end, first line)``, of
#: a CSV file ``(file, start, end, first line, the file's last line)``, or of a JSON array file
#: ``(file, start, end, items before, lines before)``
Unit = str | tuple[str, int, int, int] | tuple[str, int, int, int, int]

#: How the files of each kind are cut into ranges, and how a range is read
_PIECES = {".csv": (csv_pieces, read_csv_range), ".json": (json_array_pieces, read_json_array_range),
           **dict.fromkeys(JSON_LINES_SUFFIXES, (json_lines_pieces, read_json_lines))}


def partitions_of(files: list[str], partition_files: int = PARTITION_FILES, piece_bytes: int = PIECE_BYTES,
                  reads: dict[str, LinesRead] | None = None) -> list[list[Unit]]:
    """The tasks of a parse, in file order: runs of up to ``partition_files`` files, and each range
    of a JSON Lines, CSV or JSON array file over ``piece_bytes`` (see
    :func:`toolkit.ingest.json_lines_pieces`, :func:`toolkit.ingest.csv_pieces` and
    :func:`toolkit.ingest.json_array_pieces`; finding the ranges reads such a file once, on the
    driver: a CSV file through the CSV reader, since a quoted cell may hold line ends, and a JSON
    array through the JSON decoder) as a task of its own. ``reads``, if given, gets the
    :class:`toolkit.ingest.LinesRead` of each file cut into ranges (for its entry in the source
    index: a later run reads only the lines or items appended to it)."""
    partitions: list[list[Unit]] = []
    run: list[Unit] = []
    for path in files:
        pieces = None
        suffix = Path(path).suffix.lower()
        if suffix in _PIECES:
            try:
                read = LinesRead() if reads is not None else None
                pieces = _PIECES[suffix][0](path, piece_bytes, read)
                if read is not None and read.end:
                    reads[path] = read
            except OSError:
                pieces = None  # read_file reports it
        if pieces is not None and len(pieces) > 1:
            if run:
                partitions.append(run)
                run = []
            partitions.extend([(path, *piece)] for piece in pieces)
            continue
        run.append(path)
        if len(run) == partition_files:
            partitions.append(run)
            run = []
    if run:
        partitions.append(run)
    return partitions


class _Hashes:
    """The old content hashes as a parse sends them to the workers: a mapping Dask does not walk."""

    __slots__ = ("hashes",)

    def __init__(self, hashes: dict[str, str]) -> None:
        self.hashes = hashes

    def get(self, article_id: str, default: str | None = None) -> str | None:
        return self.hashes.get(article_id, default)


def parse_partition(paths: list[Unit], old_hashes: dict[str, str] | _Hashes, max_bytes: int = MAX_ARTICLE_BYTES
                    ) -> list[tuple[str, Article | Problem, dict[str, list[dict[str, Any]]] | None]]:
    """Read and extract one partition (runs on a worker): files, or ranges of JSON Lines, CSV or JSON files
    (see :func:`partitions_of`).

    Returns, in file order, ``(file, item, tables)``: ``item`` an Article or a Problem, and
    ``tables`` the article's fact rows, or None when its content hash is unchanged since the
    last run (its old rows are kept) or it is a Problem.
    """
    from .extract import extract

    out: list[tuple[str, Article | Problem, dict[str, list[dict[str, Any]]] | None]] = []
    for unit in paths:
        path, items = (unit, read_file(unit, max_bytes)) if isinstance(unit, str) else (
            unit[0], _PIECES[Path(unit[0]).suffix.lower()][1](unit[0], max_bytes, *unit[1:]))
        for item in items:
            if isinstance(item, Problem) or old_hashes.get(item.article_id) == item.content_hash:
                out.append((path, item, None))
            else:
                out.append((path, item, extract(item).tables))
    return out


def build_dataset_distributed(paths: Iterable[str | Path] | str | Path, out_dir: str | Path, client: Any = None,
                              scheduler: str | None = None, partition_files: int = PARTITION_FILES,
                              max_bytes: int = MAX_ARTICLE_BYTES, full: bool = False, csv_export: bool = False,
                              piece_bytes: int = PIECE_BYTES, progress: bool = True):
    """Parse every article under ``paths`` on a Dask cluster into the dataset at ``out_dir``.

    ``client`` is a ``dask.distributed.Client``; else ``scheduler`` is the address of an
    existing scheduler (``tcp://host:8786``); else a LocalCluster runs for this call (when there
    is anything to read). The tables written equal those of :func:`toolkit.corpus.build_dataset`
    on the same input. A file whose size, times and inode are as the last parse (serial or
    distributed) read them is not read again: its rows come from the source index, as in a
    serial rerun. Of a JSON Lines file that was only appended to, only the lines after those the
    last parse read are read, in ranges on the workers; so are the rows appended to a CSV file read
    as a stream (over :data:`toolkit.ingest.CSV_STREAM_BYTES`) when the last parse recorded where it
    stopped (a serial parse does, and a distributed one for a file it cut into ranges); other
    files are read again whole.
    The driver takes the partitions' results in file order as they are done and stores the
    facts :data:`toolkit.corpus.PARSE_BATCH` articles at a time, keeping only the articles'
    table rows, so its memory does not grow with the facts of the whole corpus. The dataset's
    write lock is held for the whole run. A progress bar (``progress``) counts the bytes of the
    partitions the workers have done, in whatever order they finish. Returns a
    :class:`toolkit.corpus.ParseSummary`.
    """
    from distributed import Client, LocalCluster

    from .corpus import (PARSE_BATCH, ParseSummary, _manifest, _parse_bar, _sources_index, _store_batch,
                         current_snapshot, dataset_lock, reusable_hashes, store_parse, stored_articles)

    started = time.perf_counter()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out_dir = Path(out_dir)
    files = [str(p) for p in iter_paths(paths)]
    summary = ParseSummary(out_dir=out_dir)
    # held from reading the old hashes to the commit: no other writer changes the dataset meanwhile,
    # nor removes the batches stored on the way (they are live only once the snapshot names them)
    with dataset_lock(out_dir):
        old_hashes = {} if full else reusable_hashes(out_dir)
        live = None if full or not old_hashes else current_snapshot(out_dir)
        manifest = _manifest(live)
        cache = _sources_index(live) if live is not None and manifest.get("max_bytes") == max_bytes else {}
        assembly = _Assembly(old_hashes, stored_articles(manifest), summary, max_bytes)
        plan = _plan(files, cache, assembly, partition_files, piece_bytes)
        partitions = [step for step in plan if isinstance(step, list)]
        batches = []
        bar, lock = None, threading.Lock()
        own_cluster = None
        own_client = client is None and bool(partitions)  # nothing to read: no cluster needed
        if own_client:
            if scheduler:
                client = Client(scheduler)
            else:
                own_cluster = LocalCluster(threads_per_worker=1, dashboard_address=None,
                                           worker_dashboard_address=None)
                client = Client(own_cluster)
        try:
            sizes = [sum(map(_unit_bytes, partition)) for partition in partitions]
            bar = _parse_bar(sum(sizes), progress, unit="B")

            counted = threading.Semaphore(0)

            def advance(size: int) -> None:
                with lock:  # the callbacks run in the client's threads
                    bar.update(size)
                counted.release()

            futures = []
            if partitions:
                # boxed: Dask walks a dict (or a list holding one) looking for futures, which took 4.5 s for
                # 100,000 hashes; hash=False: a key of its own, not that of an equal box a call before
                # scattered and is releasing (its tasks were cancelled for "lost dependencies")
                [hashes_future] = client.scatter([_Hashes(old_hashes)], broadcast=True, hash=False)
                futures = client.map(parse_partition, partitions, old_hashes=hashes_future, max_bytes=max_bytes,
                                     pure=False)
            for future, size in zip(futures, sizes):
                future.add_done_callback(lambda _done, size=size: advance(size))
            results = iter(futures)
            for step in plan:  # in file order (ids are made unique in that order), each when done
                if isinstance(step, str):
                    assembly.add_cached(step, cache[step])
                elif isinstance(step, _Appended):
                    assembly.add_appended(step)
                else:
                    future = next(results)
                    rows = future.result()
                    future.release()
                    if not (isinstance(step[0], tuple) and step[0][0] in assembly.reread):
                        assembly.add(rows)  # (a range of a file read whole on the driver instead is not)
                if len(assembly.extractions) >= PARSE_BATCH:
                    batches.append(_store_batch(out_dir, assembly.extractions))
                    assembly.extractions = []
            for _ in futures:  # a future's result may come before its callback has run: the bar counts all
                counted.acquire(timeout=10)
        finally:
            if bar is not None:
                with lock:
                    bar.close()
            if own_client:
                client.close()
            if own_cluster is not None:
                own_cluster.close()
        store_parse(out_dir, manifest, assembly.records, assembly.extractions, assembly.unchanged, summary,
                    assembly.index(), max_bytes, csv_export=csv_export, batches=batches)
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass
class _Appended:
    """A step of a parse: the lines of a JSON Lines (or streamed CSV) file that a parse read before,
    taken from the source index (``hit``); the ranges of the lines appended since follow it in the
    plan. ``read`` is the :class:`toolkit.ingest.LinesRead` of the file up to its end now."""

    path: str
    hit: dict[str, Any]
    read: LinesRead


def _plan(files: list[str], cache: dict[str, Any], assembly: _Assembly, partition_files: int,
          piece_bytes: int) -> list[str | _Appended | list[Unit]]:
    """The steps of a parse in file order: the path of a file to take from the source index
    ``cache`` (its size, times and inode are as the last parse read them: see
    :func:`toolkit.corpus._file_key`); for a JSON Lines, streamed CSV or JSON array file that was
    only appended to since (its bytes read then hash as they did), its lines or items read then (an
    :class:`_Appended`), then a task per range of those after (:func:`toolkit.ingest.appended_ranges`:
    as a serial rerun reads only those); or a partition of the other files, to read on the workers
    (:func:`partitions_of`). The time and file key of each file to read are noted in ``assembly``
    first, for its entry in the next run's index, and the :class:`toolkit.ingest.LinesRead` of
    each file cut into ranges on the driver."""
    from .corpus import RACY_NS, _file_key

    plan: list[str | _Appended | list[Unit]] = []
    run: list[str] = []
    for path in files:
        now = time.time_ns()
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        hit = cache.get(path) if stat is not None else None
        cached = bool(hit and hit.get("key") == _file_key(stat))
        resume = hit.get("resume") if hit and not cached else None
        appended = None
        if resume and stat.st_size >= resume["end"]:  # JSON Lines, streamed CSV and JSON array files
            appended = appended_ranges(path, resume, piece_bytes, assembly.max_bytes)
        if cached or appended:
            plan.extend(partitions_of(run, partition_files, piece_bytes, assembly.reads))
            run = []
        if cached:
            plan.append(path)
            continue
        if stat is not None and stat.st_mtime_ns < now - RACY_NS:
            assembly.keys[path] = _file_key(stat)  # (a file modified just before is read again next time)
        if appended:
            pieces, read = appended
            plan.append(_Appended(path, hit, read))
            plan.extend([(path, *piece)] for piece in pieces)
            continue
        run.append(path)
    plan.extend(partitions_of(run, partition_files, piece_bytes, assembly.reads))
    return plan


def _unit_bytes(unit: Unit) -> int:
    """Bytes of a partition's unit: a file's size (0 when it cannot be read), a range's length."""
    if isinstance(unit, tuple):
        return unit[2] - unit[1]
    try:
        return os.stat(unit).st_size
    except OSError:
        return 0


class _Assembly:
    """The partitions' results and the files taken from the source index, put together in file
    order: unique ids (as :func:`toolkit.ingest.read_articles` makes them), the articles' table
    rows (not their text), the extractions of the new or changed articles, the ids of the
    unchanged ones, and the entries of the source index for the next run (as
    :func:`toolkit.corpus.build_dataset` writes them, so that either path reuses the other's)."""

    def __init__(self, old_hashes: dict[str, str], stored: set[str], summary: Any,
                 max_bytes: int = MAX_ARTICLE_BYTES) -> None:
        self.old_hashes, self.stored, self.summary, self.max_bytes = old_hashes, stored, summary, max_bytes
        self.seen: dict[str, int] = {}
        self.records: list[Any] = []  # toolkit.corpus._Record: the articles rows, without the text
        self.extractions: list[Extraction] = []
        self.unchanged: set[str] = set()
        self.keys: dict[str, list[int]] = {}  # file -> its key when it was sent to be read (indexed files only)
        self.entries: dict[str, list[Any]] = {}  # file -> its items in the index: rows (own ids) and problems
        self.cached: dict[str, dict[str, Any]] = {}  # file -> its entry taken from the index as it was
        self.reads: dict[str, LinesRead] = {}  # JSON Lines file -> how far it was read line by line
        self.warned: set[str] = set()  # JSON Lines files whose lines not in UTF-8 were warned about
        self.reread: set[str] = set()  # files read whole on the driver instead of by their ranges

    def add(self, rows: list[tuple[str, Article | Problem, dict | None]]) -> None:
        """Take the next partition's ``(file, item, tables)`` rows (see :func:`parse_partition`)."""
        from .corpus import _Record, _unique_id, renamed, row_of
        from .extract import extract
        from .tables import problem_row

        for path, item, tables in rows:
            entries = self.entries.setdefault(path, [])
            if isinstance(item, Problem):
                if utf8_warning(item):  # one per file, as a serial read gives (each range of a file gives one)
                    if path in self.warned:
                        continue
                    self.warned.add(path)
                (log.warning if item.severity == "warning" else log.error)("%s", item)
                self.summary.problems.append(item)
                entries.append({"problem": problem_row(item)})
                continue
            record = _Record(row_of(item))
            entries.append(record.row)  # the index keeps the file's own id
            unique = _unique_id(item.article_id, self.seen)
            was_renamed = unique != item.article_id
            if was_renamed:
                record = renamed(record, unique)
                item.article_id = unique
            self.records.append(record)
            if self.old_hashes.get(item.article_id) == item.content_hash and item.article_id in self.stored \
                    and (tables is None or was_renamed):
                self.unchanged.add(item.article_id)
            elif tables is None or was_renamed:  # the worker's rows carry the id before renaming, or none
                self.extractions.append(extract(item))
            else:
                self.extractions.append(Extraction(article=item, tables=tables))

    def add_cached(self, path: str, hit: dict[str, Any]) -> None:
        """Take a file unchanged since the last run from its entry ``hit`` in the source index: its
        rows, when every article of it keeps its stored facts under the id it gets now; else (an id
        now taken by a file before it, say) the file is read and extracted here."""
        items = self._reusable(hit)
        if items is None:
            self.keys[path] = hit["key"]  # (unchanged since it was indexed: its new entry is as good)
            self._read_here(path)
            return
        self.cached[path] = hit
        self._add_items(items)

    def add_appended(self, step: _Appended) -> None:
        """Take the lines or items of a file read by the last parse from its entry in the source
        index, as :meth:`add_cached` takes a file (the ranges of those appended since come next,
        from the workers); if they cannot be reused, the file is read whole here, and its ranges'
        results are left out (:attr:`reread`)."""
        items = self._reusable(step.hit)
        if items is None:
            self.reread.add(step.path)
            self._read_here(step.path)
            return
        self.entries[step.path] = list(step.hit["items"])
        self.reads[step.path] = step.read
        if step.read.warned:
            self.warned.add(step.path)
        self._add_items(items)

    def _read_here(self, path: str) -> None:
        """Read a file whole on the driver and extract its new or changed articles here, recording
        how far it was read line by line (its resume entry, as a serial read records it)."""
        read = LinesRead()
        self.add([(path, item, None) for item in read_file(path, self.max_bytes, read)])
        self.reads[path] = read

    def _reusable(self, hit: dict[str, Any]) -> list[Any] | None:
        from .corpus import cached_items

        return cached_items(hit, self.seen, lambda article_id, content_hash: article_id in self.stored
                            and self.old_hashes.get(article_id) == content_hash)

    def _add_items(self, items: list[Any]) -> None:
        from .corpus import _unique_ids, renamed

        for unique, record in _unique_ids(items, self.seen):
            self.records.append(record if unique == record.article_id else renamed(record, unique))
            self.unchanged.add(unique)
        for problem in (i for i in items if isinstance(i, Problem)):
            (log.warning if problem.severity == "warning" else log.error)("%s", problem)
            self.summary.problems.append(problem)

    def index(self) -> dict[str, Any]:
        """The source index of this parse: the files taken from the last one as they were, and
        every file read whose key was noted (not modified within the last two seconds)."""
        index = dict(self.cached)
        for path, key in self.keys.items():
            entries = self.entries.get(path, [])
            index[path] = {"key": key, "items": entries}
            read = self.reads.get(path)
            if read is not None:  # as a serial read records it (see toolkit.corpus._read_sources)
                read.warned = read.warned or path in self.warned
                resume = read.entry()
                if resume and all("problem" not in e or e["problem"]["source_row"] is not None for e in entries):
                    index[path]["resume"] = resume
        return index


def main(argv: list[str] | None = None) -> int:
    """``python -m toolkit.distributed PATH... -o OUT [--scheduler ADDRESS]``."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m toolkit.distributed",
        description="Parse articles (files, folders, globs) on a Dask cluster into the dataset at OUT: the same "
                    "tables as `toolkit parse`, which can rerun the dataset after it (and the other way round).",
        epilog="Example: python -m toolkit.distributed /mnt/archive/articles -o /mnt/archive/processed "
               "--scheduler tcp://10.0.0.5:8786 (the workers need the toolkit installed and the files under the "
               "same paths). Without --scheduler, a LocalCluster of this machine's cores runs for the call.")
    parser.add_argument("paths", nargs="+", help="article files, folders or globs")
    parser.add_argument("-o", "--out", required=True, help="dataset folder to create or update")
    parser.add_argument("--scheduler", help="address of an existing scheduler, e.g. tcp://host:8786")
    parser.add_argument("--partition-files", type=int, default=PARTITION_FILES,
                        help=f"files per task (default {PARTITION_FILES})")
    parser.add_argument("--piece-bytes", type=int, default=PIECE_BYTES,
                        help="cut JSON Lines, UTF-8 CSV and UTF-8 JSON array files larger than this into ranges "
                             f"parsed as tasks of their own (default {PIECE_BYTES:,})")
    parser.add_argument("--max-bytes", type=int, default=MAX_ARTICLE_BYTES,
                        help=f"skip articles whose text is larger than this many bytes (default {MAX_ARTICLE_BYTES:,})")
    parser.add_argument("--full", action="store_true", help="reparse every article, not only new or changed ones")
    parser.add_argument("--csv", action="store_true", help="also write OUT/csv/<table>.csv")
    parser.add_argument("--strict", action="store_true", help="exit with status 3 if anything was skipped")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = parser.parse_args(argv)
    for name in ("partition_files", "piece_bytes", "max_bytes"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    summary = build_dataset_distributed(args.paths, args.out, scheduler=args.scheduler,
                                        partition_files=args.partition_files, max_bytes=args.max_bytes, full=args.full,
                                        csv_export=args.csv, piece_bytes=args.piece_bytes,
                                        progress=not args.no_progress)
    print(summary)
    return 3 if args.strict and summary.skipped else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
