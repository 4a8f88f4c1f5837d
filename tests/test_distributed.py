"""The Dask path (issue #7): the same tables as a serial parse, on a LocalCluster."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from csv_cases import csv_line, csv_row
from toolkit.corpus import build_dataset, load_dataset
from toolkit.distributed import build_dataset_distributed, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def corpus(tmp_path) -> Path:
    """The bundled articles, a duplicate id in another folder, a collection and a bad file."""
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    bundled = sorted((ROOT / "data" / "articles").glob("*.txt"))
    for path in bundled[::6] + [p for p in bundled if p.name.startswith(("syn-s-16", "syn-d-01"))]:
        shutil.copy(path, folder / "a")
    (folder / "b").mkdir()
    shutil.copy(ROOT / "data" / "articles" / "syn-s-16-odessa-izmail-port.txt", folder / "b")  # same id
    (folder / "b" / "feed.jsonl").write_text(
        '{"id": "row-1", "text": "Russia sent 12 attack drones at Sumy overnight; 9 were downed."}\n{broken\n',
        encoding="utf-8")
    (folder / "b" / "empty.txt").write_bytes(b"")
    return folder


def _equal(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    for table in left:
        pd.testing.assert_frame_equal(left[table], right[table], check_exact=True, obj=table)


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def test_distributed_equals_serial_and_reruns_incrementally(corpus, tmp_path, client):
    serial = build_dataset(corpus, tmp_path / "serial", progress=False)
    summary = build_dataset_distributed(corpus, tmp_path / "dask", client=client, partition_files=7)
    assert (summary.articles, summary.skipped) == (serial.articles, serial.skipped)
    _equal(load_dataset(tmp_path / "serial"), load_dataset(tmp_path / "dask"))
    assert "syn-s-16-odessa-izmail-port-2" in set(load_dataset(tmp_path / "dask")["articles"]["article_id"])
    # rerun: one new article, one removed; only the new one is parsed
    (corpus / "b" / "new.txt").write_text("Drones over Poltava\n\nRussia sent 40 drones at Poltava overnight.\n",
                                          encoding="utf-8")
    (corpus / "a" / "syn-d-01-riyadh-us-russia-talks.txt").unlink()
    rerun = build_dataset_distributed(corpus, tmp_path / "dask", client=client, partition_files=7)
    assert (rerun.parsed, rerun.removed) == (1, 1)
    build_dataset(corpus, tmp_path / "serial2", progress=False, full=True)
    _equal(load_dataset(tmp_path / "serial2"), load_dataset(tmp_path / "dask"))
    # the two writers share the dataset format: a serial rerun reuses what the cluster parsed
    (corpus / "b" / "new.txt").write_text("Drones over Poltava\n\nRussia sent 41 drones at Poltava overnight.\n",
                                          encoding="utf-8")
    again = build_dataset(corpus, tmp_path / "dask", progress=False)
    assert (again.parsed, again.reused) == (1, serial.articles - 1)
    build_dataset(corpus, tmp_path / "serial3", progress=False, full=True)
    _equal(load_dataset(tmp_path / "serial3"), load_dataset(tmp_path / "dask"))


@pytest.fixture
def counted_reads(monkeypatch) -> list[str]:
    """The names of the files the serial and the distributed parse read (their text)."""
    import toolkit.corpus
    import toolkit.distributed

    read: list[str] = []
    for module in (toolkit.corpus, toolkit.distributed):
        original = module.read_file

        def counting(path, *args, original=original, **kwargs):
            read.append(Path(path).name)
            return original(path, *args, **kwargs)

        monkeypatch.setattr(module, "read_file", counting)
    return read


def test_distributed_reruns_read_only_what_changed_and_share_the_source_index(corpus, tmp_path, client,
                                                                               counted_reads, monkeypatch):
    for path in corpus.rglob("*"):  # as files are between reruns: not modified within the last 2 s
        os.utime(path, ns=(1_600_000_000_000_000_000,) * 2)
    first = build_dataset_distributed(corpus, tmp_path / "dask", client=client, partition_files=7)
    assert len(counted_reads) == len([p for p in corpus.rglob("*") if p.is_file()])
    counted_reads.clear()
    again = build_dataset_distributed(corpus, tmp_path / "dask", client=client, partition_files=7)
    assert counted_reads == [] and (again.parsed, again.reused, again.skipped) == (0, first.articles, first.skipped)
    assert build_dataset(corpus, tmp_path / "dask", progress=False).parsed == 0 and counted_reads == []
    # a new file before the others takes the id of the article in b/feed.jsonl: that file is read again
    # (on the driver), its article renamed "row-1-2" and parsed under that id
    shutil.copy(ROOT / "data" / "articles" / "syn-d-01-riyadh-us-russia-talks.txt", corpus / "a" / "row-1.txt")
    os.utime(corpus / "a" / "row-1.txt", ns=(1_600_000_100_000_000_000,) * 2)
    rerun = build_dataset_distributed(corpus, tmp_path / "dask", client=client, partition_files=7)
    assert sorted(counted_reads) == ["feed.jsonl", "row-1.txt"] and rerun.parsed == 2
    build_dataset(corpus, tmp_path / "full", progress=False, full=True)
    _equal(load_dataset(tmp_path / "full"), load_dataset(tmp_path / "dask"))
    counted_reads.clear()
    assert build_dataset_distributed(corpus, tmp_path / "dask", client=client).parsed == 0 and counted_reads == []
    import distributed

    def no_cluster(*args, **kwargs):
        raise AssertionError("a cluster was started with nothing to read")

    monkeypatch.setattr(distributed, "LocalCluster", no_cluster)  # nothing to read: no cluster is started
    assert build_dataset_distributed(corpus, tmp_path / "dask").reused == rerun.articles


def test_distributed_stores_batches_as_it_goes_and_equals_serial(corpus, tmp_path, client, monkeypatch):
    """The driver stores the facts a batch at a time (its memory does not hold the whole corpus's)."""
    import json

    import toolkit.corpus

    serial = build_dataset(corpus, tmp_path / "serial", progress=False)
    monkeypatch.setattr(toolkit.corpus, "PARSE_BATCH", 3)
    summary = build_dataset_distributed(corpus, tmp_path / "dask", client=client, partition_files=4)
    assert (summary.articles, summary.parsed, summary.skipped) == (serial.articles, serial.articles, serial.skipped)
    segments = json.loads((toolkit.corpus.current_snapshot(tmp_path / "dask") / "manifest.json")
                          .read_text())["segments"]
    assert len(segments) >= 3 and sum(len(s["articles"]) for s in segments) == serial.articles
    _equal(load_dataset(tmp_path / "serial"), load_dataset(tmp_path / "dask"))
    assert "syn-s-16-odessa-izmail-port-2" in set(load_dataset(tmp_path / "dask")["articles"]["article_id"])


@pytest.mark.slow
def test_distributed_on_worker_processes_and_command_line(corpus, tmp_path):
    """A LocalCluster of worker processes (pickling for real), started by the call itself."""
    build_dataset(corpus, tmp_path / "serial", progress=False)
    assert main([str(corpus), "-o", str(tmp_path / "dask"), "--partition-files", "5"]) == 0
    _equal(load_dataset(tmp_path / "serial"), load_dataset(tmp_path / "dask"))
    assert main([str(corpus), "-o", str(tmp_path / "dask"), "--strict"]) == 3  # empty.txt, broken line


def test_distributed_cuts_big_json_lines_files_into_ranges_and_equals_serial(tmp_path, client):
    """A JSON Lines file over ``piece_bytes`` becomes several tasks (ranges cut at line ends); ids
    made from line numbers, duplicate ids and broken lines come out as in a serial parse."""
    import json

    from toolkit.distributed import partitions_of

    folder = tmp_path / "in"
    folder.mkdir()
    texts = [f"Russia sent {10 + i} attack drones at Sumy overnight; {i} were downed." for i in range(30)]
    lines = [json.dumps({"id": "dup" if i % 7 == 0 else None, "text": t}) for i, t in enumerate(texts)]
    lines[11] = "{broken"
    (folder / "archive.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(ROOT / "data" / "articles" / "syn-s-16-odessa-izmail-port.txt", folder)
    files = [str(folder / "archive.jsonl"), str(folder / "syn-s-16-odessa-izmail-port.txt")]
    parts = partitions_of(files, partition_files=5, piece_bytes=500)
    assert len(parts) > 4 and all(len(p) == 1 and isinstance(p[0], tuple) for p in parts[:-1])
    assert parts[-1] == [files[1]]
    serial = build_dataset(folder, tmp_path / "serial", progress=False)
    summary = build_dataset_distributed(folder, tmp_path / "dask", client=client, piece_bytes=500)
    assert (summary.articles, summary.skipped) == (serial.articles, serial.skipped) == (30, 1)
    dask = load_dataset(tmp_path / "dask")
    _equal(load_dataset(tmp_path / "serial"), dask)
    assert {"dup", "dup-2", "archive-2"} <= set(dask["articles"]["article_id"])


def test_distributed_cuts_big_csv_files_into_ranges_and_equals_serial(tmp_path, client):
    """A UTF-8 CSV file over ``piece_bytes`` becomes several tasks, cut where rows end (cells with
    line breaks stay whole); ids made from line numbers, duplicate ids, ragged rows and blank
    lines come out as in a serial parse."""
    import csv
    import io

    folder = tmp_path / "in"
    folder.mkdir()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "title", "text"])
    for i in range(30):
        text = f"Russia sent {10 + i} attack drones at Sumy overnight;\n{i} were downed, officials said."
        writer.writerow(["dup" if i % 7 == 0 else "", f"Sumy {i}", text] + (["extra"] if i == 12 else []))
        if i == 20:
            out.write("\r\n")
    (folder / "feed.csv").write_text(out.getvalue(), encoding="utf-8")
    _check_ranges(folder / "feed.csv", tmp_path, client, (30, 1), {"dup", "dup-2", "feed-4"})


def _check_ranges(path, tmp_path, client, counts: tuple[int, int], ids: set[str]) -> None:
    """``path``, cut into ranges of about 600 bytes (each a task), parses as a serial parse does:
    ``counts`` articles and problems, the ``ids`` among the articles'."""
    from toolkit.distributed import partitions_of

    parts = partitions_of([str(path)], partition_files=5, piece_bytes=600)
    assert len(parts) > 4 and all(len(p) == 1 and len(p[0]) == 5 for p in parts)
    serial = build_dataset(path.parent, tmp_path / "serial", progress=False)
    summary = build_dataset_distributed(path.parent, tmp_path / "dask", client=client, piece_bytes=600)
    assert (summary.articles, len(summary.problems)) == (serial.articles, len(serial.problems)) == counts
    dask = load_dataset(tmp_path / "dask")
    _equal(load_dataset(tmp_path / "serial"), dask)
    assert ids <= set(dask["articles"]["article_id"])


def test_distributed_cuts_big_json_arrays_into_ranges_and_equals_serial(tmp_path, client, monkeypatch):
    """A UTF-8 JSON array over ``piece_bytes`` (and read item by item: over ``JSON_STREAM_BYTES``)
    becomes several tasks, cut where items start; ids made from item numbers, duplicate ids, items
    that are no articles and a syntax error at the end (the items before it kept) come out as in a
    serial parse."""
    import json

    import toolkit.ingest

    monkeypatch.setattr(toolkit.ingest, "JSON_STREAM_BYTES", 0)  # here: the workers read ranges whatever it is

    folder = tmp_path / "in"
    folder.mkdir()
    items = [{"id": "dup" if i % 7 == 0 else None, "title": f"Sumy {i}",
              "text": f"Russia sent {10 + i} attack drones at Sumy overnight; {i} were downed."} for i in range(30)]
    items[12] = [1, 2]
    text = json.dumps(items, indent=1)
    (folder / "feed.json").write_text(text[:-1] + ", {]", encoding="utf-8")  # broken after the last item
    _check_ranges(folder / "feed.json", tmp_path, client, (29, 2), {"dup", "dup-2", "feed-2"})


def test_distributed_progress_bar_is_full_when_the_parse_returns(corpus, tmp_path, client, monkeypatch):
    """A task's result can be taken before its done-callback has advanced the bar: the parse waits
    for the callbacks (here slow ones) before it closes the bar and returns."""
    import time

    import toolkit.corpus

    make_bar = toolkit.corpus._parse_bar
    bars = []

    def slow_bar(total, progress, unit="article"):
        bar = make_bar(total, progress, unit)
        update = bar.update
        bar.update = lambda n: (time.sleep(0.2), update(n))
        bars.append(bar)
        return bar

    monkeypatch.setattr(toolkit.corpus, "_parse_bar", slow_bar)
    build_dataset_distributed(corpus, tmp_path / "dask", client=client, partition_files=3, piece_bytes=50)
    total = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
    assert bars[-1].n == total


def test_distributed_progress_bar_counts_every_byte_once(corpus, tmp_path, client, monkeypatch):
    """The bar counts the bytes of each partition as its task finishes, all of them once; with
    ``progress=False`` it is not shown."""
    import toolkit.corpus

    bars = []
    make_bar = toolkit.corpus._parse_bar

    def recording(total, progress, unit="article"):
        bars.append(make_bar(total, progress, unit))
        return bars[-1]

    monkeypatch.setattr(toolkit.corpus, "_parse_bar", recording)
    build_dataset_distributed(corpus, tmp_path / "dask", client=client, partition_files=3, piece_bytes=50)
    total = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
    assert bars[-1].total == total and bars[-1].n == total
    build_dataset_distributed(corpus, tmp_path / "quiet", client=client, progress=False)
    assert bars[-1].total == total and bars[-1].n == 0  # a disabled bar counts nothing


def _archive_lines(first: int, count: int) -> bytes:
    """JSON Lines of made-up strike reports; every tenth holds a byte that is not UTF-8."""
    import json

    lines = []
    for i in range(first, first + count):
        line = json.dumps({"id": f"r{i:03d}", "text": f"Report {i}\nRussia sent {10 + i} attack drones at Sumy "
                                                    f"overnight; {i % 9} were downed."}).encode()
        lines.append(line.replace(b"Report", b"Rep\xf6rt") if i % 10 == 3 else line)
    return b"\n".join(lines) + b"\n"


@pytest.fixture
def sent_units(monkeypatch) -> list:
    """The ranges of JSON Lines files the distributed parse reads: ``(file, start, end, first line)``
    (the in-process cluster's workers look the reader up in the module, as it is here)."""
    import toolkit.distributed

    sent: list = []
    pieces, original = toolkit.distributed._PIECES[".jsonl"]

    def recording(path, max_bytes, *where, **kwargs):
        sent.append((str(path), *where))
        return original(path, max_bytes, *where, **kwargs)

    monkeypatch.setitem(toolkit.distributed._PIECES, ".jsonl", (pieces, recording))
    return sent


def test_distributed_reruns_read_only_the_lines_appended_to_a_json_lines_file(tmp_path, client, sent_units,
                                                                               counted_reads):
    """A JSON Lines archive that only grew is read from where the last parse (distributed or serial)
    stopped, as a serial rerun reads it: the tasks are ranges of the new lines, the tables equal a
    full serial parse, and one warning about lines not in UTF-8 is kept per file (not one per range)."""
    import json

    from toolkit.corpus import current_snapshot

    folder = tmp_path / "in"
    folder.mkdir()
    archive = folder / "archive.jsonl"
    archive.write_bytes(_archive_lines(0, 30))
    shutil.copy(ROOT / "data" / "articles" / "syn-s-16-odessa-izmail-port.txt", folder)

    def settle(stamp: int) -> None:  # as files are between reruns: not modified within the last 2 s
        for path in folder.iterdir() if stamp == 1_600_000_000_000_000_000 else [archive]:
            os.utime(path, ns=(stamp,) * 2)

    def same_as_serial(name: str) -> dict[str, pd.DataFrame]:
        build_dataset(folder, tmp_path / name, progress=False, full=True)
        dask = load_dataset(tmp_path / "dask")
        _equal(load_dataset(tmp_path / name), dask)
        return dask

    settle(1_600_000_000_000_000_000)
    first = build_dataset_distributed(folder, tmp_path / "dask", client=client, piece_bytes=600)
    assert first.articles == 31 and len([u for u in sent_units if isinstance(u, tuple)]) > 3
    problems = same_as_serial("serial")["problems"]
    assert problems["reason"].str.startswith("invalid UTF-8").sum() == 1  # lines 4, 14 and 24: one warning
    index = json.loads((current_snapshot(tmp_path / "dask") / "sources.json").read_text())
    assert index[str(archive)]["resume"]["end"] == archive.stat().st_size
    old_size = archive.stat().st_size
    with archive.open("ab") as handle:
        handle.write(_archive_lines(30, 12))
    settle(1_600_000_100_000_000_000)
    sent_units.clear()
    counted_reads.clear()
    rerun = build_dataset_distributed(folder, tmp_path / "dask", client=client, piece_bytes=600)
    assert (rerun.parsed, rerun.reused) == (12, 31) and counted_reads == []
    assert sent_units and all(isinstance(u, tuple) and u[0] == str(archive) and u[1] >= old_size for u in sent_units)
    assert min(sent_units)[1:] == (old_size, min(sent_units)[2], 31)  # from the line after the last one read
    assert sum(end - start for _, start, end, _ in sent_units) == archive.stat().st_size - old_size
    same_as_serial("serial2")
    # a serial rerun goes on from the distributed parse's index: it reads only the lines after
    with archive.open("ab") as handle:
        handle.write(_archive_lines(42, 3))
    settle(1_600_000_200_000_000_000)
    counted_reads.clear()
    assert build_dataset(folder, tmp_path / "dask", progress=False).parsed == 3 and counted_reads == []
    # and the other way round
    with archive.open("ab") as handle:
        handle.write(_archive_lines(45, 4))
    settle(1_600_000_300_000_000_000)
    sent_units.clear()
    assert build_dataset_distributed(folder, tmp_path / "dask", client=client).parsed == 4
    assert [u[1:] for u in sent_units] == [(archive.stat().st_size - len(_archive_lines(45, 4)),
                                             archive.stat().st_size, 46)]
    assert same_as_serial("serial3")["problems"]["reason"].str.startswith("invalid UTF-8").sum() == 1



def test_distributed_reruns_read_only_the_items_added_to_a_json_array(tmp_path, client, monkeypatch, counted_reads):
    """A big JSON array dumped again with items added after its last one: the first parse records
    where its last item ends while it cuts the file, the rerun sends only ranges of the new items,
    a serial rerun goes on from the distributed one's entry, and the tables equal a full serial
    parse."""
    import json

    import toolkit.distributed
    import toolkit.ingest

    monkeypatch.setattr(toolkit.ingest, "JSON_STREAM_BYTES", 0)
    sent: list = []
    pieces, original = toolkit.distributed._PIECES[".json"]
    monkeypatch.setitem(toolkit.distributed._PIECES, ".json",
                        (pieces, lambda path, max_bytes, *where: sent.append(where) or original(path, max_bytes, *where)))
    folder = tmp_path / "in"
    folder.mkdir()
    feed = folder / "feed.json"
    items = [{"id": f"s{i}", "text": f"Russia sent {10 + i} attack drones at Sumy overnight; {i} were downed."}
             for i in range(40)]

    def dump(count: int) -> None:
        feed.write_text(json.dumps(items[:count], indent=2), encoding="utf-8")
        os.utime(feed, ns=(1_600_000_000_000_000_000 + count,) * 2)

    dump(25)
    assert build_dataset_distributed(folder, tmp_path / "dask", client=client, piece_bytes=600).articles == 25
    assert len(sent) > 3
    from toolkit.corpus import current_snapshot

    entry = json.loads((current_snapshot(tmp_path / "dask") / "sources.json").read_text())[str(feed)]["resume"]
    assert (entry["end"], entry["items"]) == (feed.stat().st_size - 2, 25)  # right before "\n]"
    dump(33)
    sent.clear()
    counted_reads.clear()
    rerun = build_dataset_distributed(folder, tmp_path / "dask", client=client, piece_bytes=600)
    assert (rerun.parsed, rerun.reused) == (8, 25) and counted_reads == []
    assert sent and all(start > entry["end"] for start, *_ in sent) and min(sent)[2] == 25  # the items added
    build_dataset(folder, tmp_path / "serial", progress=False, full=True)
    _equal(load_dataset(tmp_path / "serial"), load_dataset(tmp_path / "dask"))
    dump(40)  # a serial rerun goes on from the distributed parse's entry
    counted_reads.clear()
    assert build_dataset(folder, tmp_path / "dask", progress=False).parsed == 7 and counted_reads == []
    build_dataset(folder, tmp_path / "serial", progress=False, full=True)
    _equal(load_dataset(tmp_path / "serial"), load_dataset(tmp_path / "dask"))


def test_distributed_json_lines_file_edited_or_with_an_id_taken_is_read_whole(tmp_path, client, sent_units,
                                                                            counted_reads):
    """An archive whose first lines changed is read again from its start; one whose lines were kept
    but an id of which a new file before it now takes is read whole on the driver (its ranges' results
    are left out), as a serial rerun does; both give a full serial parse's tables."""
    folder = tmp_path / "in"
    folder.mkdir()
    archive = folder / "z-archive.jsonl"
    archive.write_bytes(_archive_lines(0, 20))
    for path in folder.iterdir():
        os.utime(path, ns=(1_600_000_000_000_000_000,) * 2)
    build_dataset_distributed(folder, tmp_path / "dask", client=client, piece_bytes=600)
    archive.write_bytes(_archive_lines(0, 20).replace(b"r005", b"x005") + _archive_lines(20, 3))  # edited
    os.utime(archive, ns=(1_600_000_100_000_000_000,) * 2)
    sent_units.clear()
    assert build_dataset_distributed(folder, tmp_path / "dask", client=client, piece_bytes=600).parsed == 4
    assert min(u[1] for u in sent_units) == 0
    build_dataset(folder, tmp_path / "serial", progress=False, full=True)
    _equal(load_dataset(tmp_path / "serial"), load_dataset(tmp_path / "dask"))
    with archive.open("ab") as handle:
        handle.write(_archive_lines(23, 2))
    # a new file before the archive (in file order) whose id is that of the archive's "r002"
    (folder / "r002.txt").write_text("Other\nRussia sent 7 drones at Kharkiv overnight.\n", encoding="utf-8")
    for path in folder.iterdir():
        os.utime(path, ns=(1_600_000_200_000_000_000,) * 2)
    counted_reads.clear()
    sent_units.clear()
    rerun = build_dataset_distributed(folder, tmp_path / "dask", client=client, piece_bytes=600)
    assert "z-archive.jsonl" in counted_reads  # read whole on the driver
    build_dataset(folder, tmp_path / "serial2", progress=False, full=True)
    dask = load_dataset(tmp_path / "dask")
    _equal(load_dataset(tmp_path / "serial2"), dask)
    assert {"r002", "r002-2"} <= set(dask["articles"]["article_id"]) and rerun.articles == 26
    # read on the driver, the archive's entry still says where its lines end: the next append is read alone
    size = archive.stat().st_size
    with archive.open("ab") as handle:
        handle.write(_archive_lines(25, 2))
    os.utime(archive, ns=(1_600_000_300_000_000_000,) * 2)
    counted_reads.clear()
    sent_units.clear()
    assert build_dataset_distributed(folder, tmp_path / "dask", client=client, piece_bytes=600).parsed == 2
    assert counted_reads == [] and [u[1:] for u in sent_units] == [(size, archive.stat().st_size, 26)]
    build_dataset(folder, tmp_path / "serial3", progress=False, full=True)
    _equal(load_dataset(tmp_path / "serial3"), load_dataset(tmp_path / "dask"))


def test_distributed_command_line_on_a_running_scheduler(corpus, tmp_path, client, capsys):
    """``python -m toolkit.distributed`` on an existing scheduler (``--scheduler``): the summary,
    ``--max-bytes`` as ``toolkit parse`` takes it, ``--strict`` and bad values refused."""
    address = client.scheduler.address
    assert main([str(corpus), "-o", str(tmp_path / "dask"), "--scheduler", address, "--no-progress"]) == 0
    build_dataset(corpus, tmp_path / "serial", progress=False)
    _equal(load_dataset(tmp_path / "serial"), load_dataset(tmp_path / "dask"))
    assert "articles" in capsys.readouterr().out
    small = tmp_path / "small"
    assert main([str(corpus), "-o", str(small), "--scheduler", address, "--no-progress", "--max-bytes", "200"]) == 0
    build_dataset(corpus, tmp_path / "serial-small", progress=False, max_bytes=200)
    _equal(load_dataset(tmp_path / "serial-small"), load_dataset(small))
    assert load_dataset(small)["problems"]["reason"].str.contains("over the limit").sum() >= 5  # big files skipped
    assert main([str(corpus), "-o", str(small), "--scheduler", address, "--no-progress", "--max-bytes", "200",
                 "--strict"]) == 3
    with pytest.raises(SystemExit):
        main([str(corpus), "-o", str(small), "--max-bytes", "0"])
    assert "--max-bytes must be at least 1" in capsys.readouterr().err


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(csv_line, max_size=8), added=st.lists(csv_line, max_size=4), cut=st.booleans())
@example(first=[csv_row(1), csv_row(2)], added=[csv_row(3), csv_row(4)], cut=False)
@example(first=[csv_row(1), b"w3,\"never closed\n"], added=[csv_row(3)], cut=False)  # the quote takes the rest
@example(first=[b"w3,\"never closed\n", csv_row(0)], added=[csv_row(0)], cut=True)  # judged by the old last line
@example(first=[csv_row(1), b"lone,cr\r"], added=[b"\n", csv_row(2)], cut=True)  # "\r" + "\n": one line end
def test_distributed_rerun_of_an_appended_csv_equals_a_full_rebuild(tmp_path_factory, client, monkeypatch,
                                                                     first, added, cut):
    """A big UTF-8 CSV collection (read as a stream) that a serial parse indexed (or, ``cut``, a
    distributed parse that cut it into ranges) and that was then appended to reruns on the cluster
    to a full rebuild's tables and problems, whatever the rows (cells with line breaks, ragged rows,
    blank lines, CRLF, a quote never closed, a lone CR), and goes on from there on the next rerun."""
    from toolkit import ingest

    monkeypatch.setattr(ingest, "CSV_STREAM_BYTES", 0)
    base = tmp_path_factory.mktemp("grow")
    (base / "in").mkdir()
    feed = base / "in" / "feed.csv"
    feed.write_bytes(b"id,text\n" + b"".join(first))
    os.utime(feed, ns=(1_600_000_000_000_000_000,) * 2)
    if cut:
        build_dataset_distributed(base / "in", base / "dask", client=client, progress=False, piece_bytes=100)
    else:
        build_dataset(base / "in", base / "dask", progress=False)
    for step, more in enumerate((added, [csv_row(7)]), start=1):
        with open(feed, "ab") as handle:
            handle.write(b"".join(more))
        os.utime(feed, ns=(1_600_000_000_000_000_000 + step * 10**9,) * 2)
        build_dataset_distributed(base / "in", base / "dask", client=client, progress=False)
        build_dataset(base / "in", base / f"full{step}", progress=False, full=True)
        _equal(load_dataset(base / f"full{step}"), load_dataset(base / "dask"))


def test_distributed_rerun_of_an_appended_csv_reads_only_the_new_rows(tmp_path, client, monkeypatch, counted_reads):
    import toolkit.distributed
    from toolkit import ingest

    monkeypatch.setattr(ingest, "CSV_STREAM_BYTES", 0)
    sent: list = []
    pieces, original = toolkit.distributed._PIECES[".csv"]
    monkeypatch.setitem(toolkit.distributed._PIECES, ".csv", (pieces, lambda path, max_bytes, *where: (
        sent.append(where), original(path, max_bytes, *where))[1]))
    (tmp_path / "in").mkdir()
    feed = tmp_path / "in" / "feed.csv"
    feed.write_bytes(b"id,text\n" + b"".join(csv_row(n) for n in range(6)))
    os.utime(feed, ns=(1_600_000_000_000_000_000,) * 2)
    build_dataset(tmp_path / "in", tmp_path / "dask", progress=False)
    size = feed.stat().st_size
    with open(feed, "ab") as handle:
        handle.write(csv_row(6) + b"w9,\"Two lines:\nRussia fired 9 drones at Lviv.\"\n")
    os.utime(feed, ns=(1_600_000_100_000_000_000,) * 2)
    counted_reads.clear()
    rerun = build_dataset_distributed(tmp_path / "in", tmp_path / "dask", client=client, progress=False)
    assert (rerun.parsed, rerun.reused) == (2, 6) and counted_reads == []
    assert sent == [(size, feed.stat().st_size, 8, 10)]  # from line 8 to the file's last line, 10
    # a first parse on the cluster, the file cut into ranges, records where it stopped as well
    sent.clear()
    first = build_dataset_distributed(tmp_path / "in", tmp_path / "dask2", client=client, progress=False,
                                      piece_bytes=150)
    assert first.articles == 8 and len(sent) > 2 and min(sent)[0] == 0
    size = feed.stat().st_size
    with open(feed, "ab") as handle:
        handle.write(csv_row(10))
    os.utime(feed, ns=(1_600_000_200_000_000_000,) * 2)
    sent.clear()
    counted_reads.clear()
    rerun = build_dataset_distributed(tmp_path / "in", tmp_path / "dask2", client=client, progress=False,
                                      piece_bytes=150)
    assert (rerun.parsed, rerun.reused) == (1, 8) and counted_reads == []
    assert sent == [(size, feed.stat().st_size, 11, 11)]
    build_dataset(tmp_path / "in", tmp_path / "full", progress=False, full=True)
    _equal(load_dataset(tmp_path / "full"), load_dataset(tmp_path / "dask2"))
