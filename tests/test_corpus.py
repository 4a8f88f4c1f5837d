"""The dataset: schemas enforced, incremental reruns equal full rebuilds, atomic writes, one writer at a time."""
from __future__ import annotations

import codecs
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import weakref
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from csv_cases import csv_line, csv_row
from toolkit import corpus, schema
from toolkit.records import Article, Extraction
from toolkit.tables import sort_table

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "articles"

# Short reports in our own words (the fake extractor below reads their numbers and place words).
TEXTS = [
    "Russia launched 120 drones at Ukraine overnight; 97 were shot down over Kyiv.",
    "Air defence destroyed 14 of 16 cruise missiles aimed at Lviv, the air force said.",
    "A drone hit an apartment block in Odesa, injuring 3 people.",
    "Talks in Geneva on a 20-point plan ended without a deal.",
    "The regional governor said 2 drones fell near Poltava; nobody was hurt.",
]
PLACES = ("Kyiv", "Lviv", "Odesa", "Poltava", "Geneva")


def fake_extract(article: Article) -> Extraction:
    """A deterministic stand-in extractor: one count per number, one place per known place word."""
    counts, places = [], []
    for n, m in enumerate(re.finditer(r"\d+", article.text), start=1):
        counts.append({"article_id": article.article_id, "fact_id": f"{article.article_id}:strike_counts:{n}",
                       "scope": "attack", "attacker": "russia", "event": "launched", "weapon_class": "drone",
                       "count": int(m.group()), "qualifier": "exact", "is_headline": False,
                       "evidence": m.group(), "start_char": m.start(), "end_char": m.end()})
    for n, m in enumerate(re.finditer("|".join(PLACES), article.text), start=1):
        places.append({"article_id": article.article_id, "fact_id": f"{article.article_id}:places:{n}",
                       "place_name": m.group(), "place_canonical": m.group(), "place_role": "struck",
                       "evidence": m.group(), "start_char": m.start(), "end_char": m.end()})
    return Extraction(article=article, tables={"strike_counts": counts, "places": places})


@pytest.fixture
def fake_extractor(monkeypatch):
    monkeypatch.setattr(corpus, "extract", fake_extract)


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(f"---\ntitle: {name}\npublished: 2025-12-06\n---\n{text}\n",
                                        encoding="utf-8")


def _assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert set(a) == set(b)
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)


# --------------------------------------------------------------------------- schema and layout

def test_corpus_every_table_matches_the_schema(tmp_path):
    corpus.build_dataset(SAMPLES, tmp_path / "ds", progress=False, csv_export=True)
    tables = corpus.load_dataset(tmp_path / "ds")
    assert set(tables) == set(schema.TABLES)
    for table, frame in tables.items():
        schema.check(table, frame)
        exported = pd.read_csv(tmp_path / "ds" / "csv" / f"{table}.csv")
        assert list(exported.columns) == schema.TABLES[table]
        assert len(exported) == len(frame)
    from toolkit.ingest import read_articles

    assert len(tables["articles"]) == len(list(read_articles(SAMPLES)))
    assert tables["problems"].empty  # every bundled sample reads cleanly


def test_corpus_write_refuses_off_schema_frames_and_keeps_the_old_dataset(tmp_path, fake_extractor):
    _write(tmp_path / "in", "a", TEXTS[0])
    corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=False)
    before = corpus.load_dataset(tmp_path / "ds")
    bad = dict(before)
    bad["strike_counts"] = bad["strike_counts"].astype({"count": "float64"})
    with pytest.raises(ValueError, match="count"):
        corpus.write_dataset(bad, tmp_path / "ds")
    _assert_same(before, corpus.load_dataset(tmp_path / "ds"))


def _plain_load(path: Path) -> dict[str, pd.DataFrame]:
    """What load_dataset reads, written the plain way: pandas' own reader, each segment without
    its dropped articles, joined, typed, then sorted by sort_table."""
    snapshot = corpus.current_snapshot(path)
    manifest = corpus._manifest(snapshot)
    out = {}
    for table in schema.TABLES:
        frames = []
        for file, dropped in corpus._table_files(snapshot, manifest, table):
            frame = pd.read_parquet(file)
            frames.append(frame[~frame["article_id"].isin(dropped)] if dropped else frame)
        out[table] = sort_table(table, schema.conform(table, pd.concat(frames, ignore_index=True)))
    return out


def test_corpus_load_dataset_reads_what_pandas_read_parquet_reads(tmp_path, monkeypatch):
    """Arrow's reading, joining and sorting of the segments gives the frames pandas' own reader and
    sort give, nulls included (text, Int64, boolean and Float64 columns with missing values): for
    segments in order (the batches of one parse), overlapping ones and ones with dropped articles."""
    src = tmp_path / "in"
    shutil.copytree(SAMPLES, src)
    monkeypatch.setattr(corpus, "PARSE_BATCH", 7)
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    segments = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())["segments"]
    assert len(segments) == 7
    fast = corpus.load_dataset(tmp_path / "ds")
    nulls = {table: frame.isna().any().sum() for table, frame in fast.items()}
    assert sum(nulls.values()) >= 10 and fast["strike_counts"]["weapon_model"].isna().any()
    plain = _plain_load(tmp_path / "ds")
    for table in schema.TABLES:
        schema.check(table, fast[table])
        pd.testing.assert_frame_equal(fast[table], plain[table], check_exact=True, obj=table)
    # a new article whose id falls amid the others (its segment overlaps theirs) and a deleted one
    shutil.copy(min(src.glob("syn-s-02*.txt")), src / "news-2025-11-30-copy.txt")
    min(src.glob("syn-d-*.txt")).unlink()
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    segments = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())["segments"]
    assert any(s.get("dropped") for s in segments)
    fast, plain = corpus.load_dataset(tmp_path / "ds"), _plain_load(tmp_path / "ds")
    for table in schema.TABLES:
        pd.testing.assert_frame_equal(fast[table], plain[table], check_exact=True, obj=table)
    # rows per table without loading: the manifest's counts, or (older format) counted in the files
    sizes = {table: len(frame) for table, frame in fast.items()}
    assert corpus.table_rows(tmp_path / "ds") == sizes and sizes["strike_counts"] > 0
    manifest = corpus._manifest
    monkeypatch.setattr(corpus, "_manifest", lambda snapshot: {k: v for k, v in manifest(snapshot).items()
                                                                if k != "rows"})
    assert corpus.table_rows(tmp_path / "ds") == sizes
    monkeypatch.setattr(corpus, "_manifest", manifest)
    assert corpus.table_rows(tmp_path / "nowhere") == dict.fromkeys(schema.TABLES, 0)
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(fast, corpus.load_dataset(tmp_path / "full"))


def test_corpus_load_dataset_reads_segments_in_threads_as_in_one(tmp_path, monkeypatch, caplog):
    """Files read side by side in threads give the same frames as one by one, in the same order; a
    missing file is left out with a warning naming it, and a damaged one stops the load with an
    error naming it (not a bare Arrow message)."""
    monkeypatch.setattr(corpus, "PARSE_BATCH", 5)
    corpus.build_dataset(SAMPLES, tmp_path / "ds", progress=False)
    segments = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())["segments"]
    assert len(segments) >= 8
    threads = []
    real_pool = corpus.ThreadPoolExecutor

    def pool(workers, **kwargs):
        threads.append(workers)
        return real_pool(workers, **kwargs)

    monkeypatch.setattr(corpus, "ThreadPoolExecutor", pool)
    monkeypatch.setattr(corpus, "usable_cores", lambda: 1)
    serial = corpus.load_dataset(tmp_path / "ds")
    monkeypatch.setattr(corpus, "usable_cores", lambda: 16)
    _assert_same(serial, corpus.load_dataset(tmp_path / "ds"))
    assert threads == [corpus.READ_THREADS]
    middle = tmp_path / "ds" / "segments" / segments[3]["name"]
    lost = set(pd.read_parquet(middle / "places.parquet")["article_id"])
    (middle / "places.parquet").unlink()
    with caplog.at_level("WARNING"):
        tables = corpus.load_dataset(tmp_path / "ds")
    assert f"{middle / 'places.parquet'}: missing" in caplog.text
    expected = serial["places"][~serial["places"]["article_id"].isin(lost)].reset_index(drop=True)
    assert lost and len(expected) < len(serial["places"])
    pd.testing.assert_frame_equal(tables["places"], expected)
    (middle / "strike_counts.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(ValueError, match=r"strike_counts\.parquet: not a readable Parquet file.*--full"):
        corpus.load_dataset(tmp_path / "ds")


def test_corpus_load_dataset_of_an_empty_folder_gives_empty_typed_tables(tmp_path):
    tables = corpus.load_dataset(tmp_path)
    for table, frame in tables.items():
        assert frame.empty
        schema.check(table, frame)


def test_corpus_csv_export_neutralises_formulas(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "f.txt").write_text("---\ntitle: \"=HYPERLINK(1)\"\n---\nA quiet night.\n", encoding="utf-8")
    corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=False, csv_export=True)
    exported = (tmp_path / "ds" / "csv" / "articles.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in exported
    assert corpus.load_dataset(tmp_path / "ds")["articles"].loc[0, "title"] == "=HYPERLINK(1)"


def test_corpus_csv_export_reads_back_as_pandas_own_csv(tmp_path):
    """Arrow writes the CSV files; read back as text they equal what pandas' ``to_csv`` of the
    neutralised tables gives (same values, booleans True/False, empty cells for missing values)."""
    corpus.build_dataset(SAMPLES, tmp_path / "ds", progress=False)
    tables = corpus.load_dataset(tmp_path / "ds")
    articles = tables["articles"].copy()
    articles.loc[0, "title"], articles.loc[1, "title"] = "=HYPERLINK(1)", "-5 drones\tand a \"quote\", too"
    articles.loc[2, "title"] = pd.NA
    tables["articles"] = articles
    assert tables["strike_counts"]["is_headline"].any() and not tables["strike_counts"]["is_headline"].all()
    corpus.export_csv(tmp_path / "ds", tables)
    for table, frame in tables.items():
        expected = corpus.neutralise_formulas(frame).to_csv(index=False)
        as_text = {"keep_default_na": False, "dtype": str}
        got = pd.read_csv(tmp_path / "ds" / "csv" / f"{table}.csv", **as_text)
        pd.testing.assert_frame_equal(got, pd.read_csv(io.StringIO(expected), **as_text), obj=table)
    exported = pd.read_csv(tmp_path / "ds" / "csv" / "articles.csv", keep_default_na=False, dtype=str)
    assert list(exported["title"][:3]) == ["'=HYPERLINK(1)", "'-5 drones\tand a \"quote\", too", ""]


def test_corpus_csv_export_falls_back_to_pandas_for_columns_arrow_cannot_hold(tmp_path):
    frame = pd.DataFrame({"name": ["=1+1", "ok"], "mixed": [{"a": 1}, 3]})
    corpus.export_csv(tmp_path, {"odd": frame})
    assert (tmp_path / "csv" / "odd.csv").read_text(encoding="utf-8") == "name,mixed\n'=1+1,{'a': 1}\nok,3\n"


# --------------------------------------------------------------------------- incremental

def test_corpus_rerun_parses_only_what_changed(tmp_path, fake_extractor):
    src = tmp_path / "in"
    for i, text in enumerate(TEXTS[:3]):
        _write(src, f"a{i}", text)
    first = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert (first.parsed, first.reused, first.removed) == (3, 0, 0)
    _write(src, "a1", TEXTS[1] + " Later, 5 more were downed.")
    (src / "a2.txt").unlink()
    _write(src, "a3", TEXTS[3])
    second = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert (second.parsed, second.reused, second.removed) == (2, 1, 1)
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))


def test_corpus_article_moved_to_another_file_is_reused_with_its_new_place(tmp_path, fake_extractor):
    src = tmp_path / "in"
    src.mkdir()
    item = json.dumps({"id": "brief-1", "title": "Night attack", "published": "2025-12-06", "text": TEXTS[0]})
    (src / "first.jsonl").write_text(item + "\n", encoding="utf-8")
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    (src / "first.jsonl").unlink()
    (src / "second.jsonl").write_text(json.dumps({"id": "other", "text": TEXTS[1]}) + "\n" + item + "\n",
                                      encoding="utf-8")
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert (summary.parsed, summary.reused) == (1, 1)
    articles = corpus.load_dataset(tmp_path / "ds")["articles"].set_index("article_id")
    assert articles.loc["brief-1", "source_path"].endswith("second.jsonl") and articles.loc["brief-1", "source_row"] == 2
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))


def test_corpus_toolkit_change_reparses_everything(tmp_path, fake_extractor, monkeypatch):
    _write(tmp_path / "in", "a", TEXTS[0])
    corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=False)
    assert list(corpus.reusable_hashes(tmp_path / "ds")) == ["a"]
    monkeypatch.setattr(corpus, "extractor_fingerprint", lambda: "a-new-version")
    assert corpus.reusable_hashes(tmp_path / "ds") == {}
    summary = corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=False)
    assert (summary.parsed, summary.reused) == (1, 0)


_operation = st.tuples(st.sampled_from(["add", "change", "delete"]), st.integers(0, 5),
                       st.integers(0, len(TEXTS) - 1))


def _age(path: Path, step: int) -> None:
    """Give a file an old modification time (distinct per step), as files have between reruns."""
    os.utime(path, ns=(1_600_000_000_000_000_000 + step * 1_000_000_000,) * 2)


def _check_incremental_equals_full(base, operations, aged: bool = False, initial: int = 0) -> None:
    """Apply the operations one rerun at a time; the dataset must equal a full rebuild.
    ``aged``: files carry old modification times, so unchanged files come from the source index.
    ``initial``: articles parsed together first (one big segment, which later reruns drop from)."""
    src, incremental, full = base / "in", base / "inc", base / "full"
    src.mkdir()
    for slot in range(initial):
        _write(src, f"a{slot}", TEXTS[slot % len(TEXTS)] + f" First {slot}.")
    if initial:
        corpus.build_dataset(src, incremental, progress=False)
    for step, (op, slot, text) in enumerate(operations):
        target = src / f"a{slot}.txt"
        if op == "delete":
            target.unlink(missing_ok=True)
        elif op == "add" or target.exists():
            _write(src, f"a{slot}", TEXTS[text] + (f" Update {step}." if op == "change" else ""))
            if aged:
                _age(target, step)
        corpus.build_dataset(src, incremental, progress=False)
    corpus.build_dataset(src, full, progress=False, full=True)
    _assert_same(corpus.load_dataset(incremental), corpus.load_dataset(full))
    segments = json.loads((corpus.current_snapshot(incremental) / "manifest.json").read_text())["segments"]
    assert len(segments) <= 1 + bool(initial) + len(operations).bit_length()  # merged as they accumulate


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(_operation, min_size=1, max_size=5), aged=st.booleans())
def test_corpus_incremental_equals_full_rebuild(tmp_path_factory, fake_extractor, operations, aged):
    _check_incremental_equals_full(tmp_path_factory.mktemp("prop"), operations, aged)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(_operation, min_size=1, max_size=5), initial=st.integers(4, 10))
def test_corpus_incremental_on_a_big_segment_equals_full_rebuild(tmp_path_factory, fake_extractor, operations,
                                                                 initial):
    """Changes and deletions in a big segment: listed as dropped, then rewritten past a quarter."""
    _check_incremental_equals_full(tmp_path_factory.mktemp("prop"), operations, initial=initial)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(_operation, min_size=1, max_size=10), aged=st.booleans(), initial=st.integers(0, 10))
def test_corpus_incremental_equals_full_rebuild_many_sequences(tmp_path_factory, fake_extractor, operations, aged,
                                                               initial):
    _check_incremental_equals_full(tmp_path_factory.mktemp("prop"), operations, aged, initial)


@pytest.fixture
def counted_reads(monkeypatch):
    """The paths of the files the dataset builder reads (their text, not their size and time)."""
    read: list[str] = []
    original = corpus.read_file

    def counting(path, *args, **kwargs):
        read.append(Path(path).name)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(corpus, "read_file", counting)
    return read


def test_corpus_rerun_does_not_reread_files_whose_size_and_time_are_unchanged(tmp_path, fake_extractor,
                                                                               counted_reads):
    src = tmp_path / "in"
    for i, text in enumerate(TEXTS[:3]):
        _write(src, f"a{i}", text)
        _age(src / f"a{i}.txt", i)
    (src / "empty.txt").write_text("", encoding="utf-8")  # a problem, remembered as one
    _age(src / "empty.txt", 9)
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert sorted(counted_reads) == ["a0.txt", "a1.txt", "a2.txt", "empty.txt"]
    counted_reads.clear()
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert counted_reads == [] and (summary.parsed, summary.reused) == (0, 3)
    assert [p.source_path for p in summary.problems] == [str(src / "empty.txt")]  # still reported
    _write(src, "a1", TEXTS[1] + " Later, 5 more.")  # new size and time
    _age(src / "a1.txt", 20)
    (src / "a2.txt").write_text((src / "a2.txt").read_text().replace("3 people", "4 people"))  # same size
    _age(src / "a2.txt", 21)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert sorted(counted_reads) == ["a1.txt", "a2.txt"] and (summary.parsed, summary.reused) == (2, 1)
    counted_reads.clear()
    _write(src, "a0", TEXTS[0].replace("120", "121"))  # just written: re-read on the next run too
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert counted_reads == ["a0.txt", "a0.txt"]
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))


def test_corpus_rerun_reads_a_file_rewritten_with_its_old_size_and_time(tmp_path, fake_extractor, counted_reads):
    """``cp -p`` / ``rsync -t``: new text of the same length, the old modification time put back.
    The status-change time (or, for a save by rename, the inode) still tells the file changed."""
    src = tmp_path / "in"
    _write(src, "a0", TEXTS[0])
    _age(src / "a0.txt", 1)
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    counted_reads.clear()
    path = src / "a0.txt"
    before = path.stat()
    changed = path.read_text(encoding="utf-8").replace("120", "121")
    assert len(changed) == len(path.read_text(encoding="utf-8")) and "121" in changed
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert counted_reads == ["a0.txt"] and summary.parsed == 1
    counted_reads.clear()
    replacement = src / "a0.new"  # an editor saving by rename: a new inode, the old size and time
    replacement.write_text(changed.replace("121", "122"), encoding="utf-8")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, path)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert counted_reads == ["a0.txt"] and summary.parsed == 1
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))


def test_corpus_cached_file_whose_article_id_is_taken_by_a_new_file_is_read_again(tmp_path, fake_extractor):
    src = tmp_path / "in"
    src.mkdir()
    (src / "b.jsonl").write_text(json.dumps({"id": "wire", "text": TEXTS[0]}) + "\n", encoding="utf-8")
    _age(src / "b.jsonl", 1)
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    (src / "a.jsonl").write_text(json.dumps({"id": "wire", "text": TEXTS[1]}) + "\n", encoding="utf-8")
    _age(src / "a.jsonl", 2)  # read first: b.jsonl's article becomes wire-2
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert (summary.parsed, summary.reused) == (2, 0)
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))
    assert sorted(corpus.load_dataset(tmp_path / "ds")["articles"]["article_id"]) == ["wire", "wire-2"]


def test_corpus_renamed_ids_stay_out_of_the_source_index(tmp_path, fake_extractor, counted_reads):
    """The index caches each file's own ids: a third run reuses both files without reading them."""
    src = tmp_path / "in"
    src.mkdir()
    for step, name in enumerate(("a", "b"), start=1):
        (src / f"{name}.jsonl").write_text(json.dumps({"id": "wire", "text": TEXTS[step]}) + "\n", encoding="utf-8")
        _age(src / f"{name}.jsonl", step)
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    counted_reads.clear()
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert (summary.parsed, summary.reused, counted_reads) == (0, 2, [])
    assert sorted(corpus.load_dataset(tmp_path / "ds")["articles"]["article_id"]) == ["wire", "wire-2"]
    (src / "a.jsonl").unlink()  # b.jsonl's article is "wire" again
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert list(corpus.load_dataset(tmp_path / "ds")["articles"]["article_id"]) == ["wire"]
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))


# --------------------------------------------------------------------------- archives that grow

def _line(n: int, text: int | None = None) -> bytes:
    return (json.dumps({"id": f"w{n}", "text": TEXTS[(n if text is None else text) % len(TEXTS)] + f" Item {n}."})
            + "\n").encode()


@pytest.fixture
def decoded_lines(monkeypatch):
    """The line numbers of the JSON Lines records the dataset builder turns into articles."""
    from toolkit import ingest
    lines: list[int] = []
    original = ingest._record_to_article

    def counting(record, path, row, max_bytes):
        lines.append(row)
        return original(record, path, row, max_bytes)

    monkeypatch.setattr(ingest, "_record_to_article", counting)
    return lines


def _resume_entry(out_dir: Path, path: Path) -> dict | None:
    sources = json.loads((corpus.current_snapshot(out_dir) / "sources.json").read_text(encoding="utf-8"))
    return sources[str(path)].get("resume")


def _indexed_archive(base: Path, content: bytes, name: str = "wire.jsonl") -> tuple[Path, Path]:
    """A folder holding one archive file of ``content`` (an old file, so indexed), parsed into
    ``base / "ds"``; returns the folder and the archive."""
    src = base / "in"
    src.mkdir()
    archive = src / name
    archive.write_bytes(content)
    _age(archive, 1)
    corpus.build_dataset(src, base / "ds", progress=False)
    return src, archive


def test_corpus_rerun_of_an_appended_archive_reads_only_the_new_lines(tmp_path, fake_extractor, decoded_lines):
    src, archive = _indexed_archive(tmp_path, b"".join(_line(n) for n in range(1, 6)))
    assert decoded_lines == [1, 2, 3, 4, 5]
    assert _resume_entry(tmp_path / "ds", archive)["end"] == archive.stat().st_size
    decoded_lines.clear()
    with open(archive, "ab") as handle:
        handle.write(_line(6) + b"\n" + _line(7, text=0))  # a blank line too; "w7" has w0's text
    _age(archive, 2)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [6, 8] and (summary.parsed, summary.reused) == (2, 5)
    assert _resume_entry(tmp_path / "ds", archive)["line"] == 8
    decoded_lines.clear()
    os.utime(archive)  # touched, not changed: its bytes are checked, no line is read
    _age(archive, 3)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [] and (summary.parsed, summary.reused) == (0, 7)
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))


def test_corpus_archive_edited_before_the_end_is_read_whole(tmp_path, fake_extractor, decoded_lines):
    """An edit in the lines read before (same size, then lines appended), a truncation, or a last line
    without its line end (a writer may still be adding to it): every line is read again."""
    src, archive = _indexed_archive(tmp_path, b"".join(_line(n) for n in range(1, 5)))
    decoded_lines.clear()
    archive.write_bytes(archive.read_bytes().replace(b"Item 2.", b"Item 9.") + _line(5))
    _age(archive, 2)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [1, 2, 3, 4, 5] and (summary.parsed, summary.reused) == (2, 3)
    decoded_lines.clear()
    archive.write_bytes(b"".join(_line(n) for n in range(1, 3)) + _line(3)[:-1])  # shorter, no final line end
    _age(archive, 3)
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [1, 2, 3] and _resume_entry(tmp_path / "ds", archive) is None
    decoded_lines.clear()
    with open(archive, "ab") as handle:
        handle.write(b' \n' + _line(4))  # the last line completed: it is read again with the rest
    _age(archive, 4)
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [1, 2, 3, 4]
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))


_CP1252_LINE = b'{"id": "w1", "text": "Caf\xe9 owners said 4 drones hit Odesa."}\n'  # same id as w1
_archive_line = st.one_of(
    st.integers(0, 30).map(_line),
    st.sampled_from([b"\n", b"  \r\n", b"{not json\n", b'{"title": "no text"}\n', b"[1, 2]\n", _CP1252_LINE,
                     b'{"text": "Two drones fell near Poltava, officials said."}\r\n']),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(_archive_line, max_size=6), added=st.lists(_archive_line, max_size=4),
       bom=st.booleans(), cut=st.booleans())
@example(first=[_line(1), _CP1252_LINE], added=[_CP1252_LINE, _line(2)], bom=False, cut=False)  # one warning
@example(first=[b" " * 5_000 + b"\n"], added=[_line(3)], bom=False, cut=False)  # "only whitespace": read again
@example(first=[_line(1)], added=[b"\x01" * 3_000 + b"\n"], bom=False, cut=False)  # now refused as binary
def test_corpus_appended_archive_equals_a_full_rebuild(tmp_path_factory, fake_extractor, first, added, bom, cut):
    """Whatever the lines read before and the lines appended (blank, broken, not UTF-8, ids met
    before, no final line end), a rerun gives the tables and problems of a full rebuild."""
    base = tmp_path_factory.mktemp("grow")
    before = (codecs.BOM_UTF8 if bom else b"") + b"".join(first)
    src, archive = _indexed_archive(base, before[:-1] if cut and before.endswith(b"\n") else before)
    with open(archive, "ab") as handle:
        handle.write(b"".join(added))
    _age(archive, 2)
    corpus.build_dataset(src, base / "ds", progress=False)
    corpus.build_dataset(src, base / "full", progress=False, full=True)
    incremental, full = corpus.load_dataset(base / "ds"), corpus.load_dataset(base / "full")
    _assert_same(incremental, full)
    assert "problems" in full



@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(csv_line, max_size=6), added=st.lists(csv_line, max_size=4))
@example(first=[csv_row(1), csv_row(2)], added=[csv_row(3)])
@example(first=[csv_row(1), b"w3,\"never closed\n"], added=[csv_row(3)])  # the open quote takes the rest
@example(first=[b"w3,\"never closed\n", csv_row(0)], added=[csv_row(0)])  # judged by the old last line
@example(first=[b"w3,\"never closed\n", b"lone,cr\r", b"w1,\"Two lines:\nRussia fired 9 drones at Lviv.\"\n"],
         added=[csv_row(0)])  # a lone CR: the last line counted in line feeds comes before the reader's
@example(first=[csv_row(1), b"lone,cr\r"], added=[b"\n", csv_row(2)])  # "\r" + "\n": one line end, read again
def test_corpus_appended_csv_equals_a_full_rebuild(tmp_path_factory, fake_extractor, monkeypatch, first, added):
    """A CSV file read as a stream (as those over ``CSV_STREAM_BYTES`` are) that was appended to
    reruns to a full rebuild's tables and problems, whatever the rows before and after (cells with
    line breaks, ragged rows, blank lines, CRLF, a quote never closed, a lone CR)."""
    from toolkit import ingest

    monkeypatch.setattr(ingest, "CSV_STREAM_BYTES", 0)
    base = tmp_path_factory.mktemp("grow")
    src, feed = _indexed_archive(base, b"id,text\n" + b"".join(first), "feed.csv")
    with open(feed, "ab") as handle:
        handle.write(b"".join(added))
    _age(feed, 2)
    corpus.build_dataset(src, base / "ds", progress=False)
    corpus.build_dataset(src, base / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(base / "ds"), corpus.load_dataset(base / "full"))


def _feed(numbers: range, texts: dict[int, int] | None = None) -> bytes:
    """A JSON array of articles as a tool that dumps its whole list writes it (indented)."""
    return json.dumps([{"id": f"w{n}", "text": TEXTS[(texts or {}).get(n, n) % len(TEXTS)] + f" Item {n}."}
                       for n in numbers], indent=2).encode()


def test_corpus_rerun_of_a_json_array_dumped_again_with_more_reads_only_the_new_items(tmp_path, fake_extractor,
                                                                                    decoded_lines, monkeypatch):
    from toolkit import ingest

    monkeypatch.setattr(ingest, "JSON_STREAM_BYTES", 0)
    src, feed = _indexed_archive(tmp_path, _feed(range(1, 4)), "feed.json")
    assert decoded_lines == [1, 2, 3] and _resume_entry(tmp_path / "ds", feed)["items"] == 3
    decoded_lines.clear()
    feed.write_bytes(_feed(range(1, 6), texts={5: 0}))  # "w5" has w0's text
    _age(feed, 2)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [4, 5] and (summary.parsed, summary.reused) == (2, 3)
    assert _resume_entry(tmp_path / "ds", feed)["items"] == 5
    decoded_lines.clear()
    feed.write_bytes(_feed(range(1, 6), texts={5: 0}).replace(b"Item 2.", b"Item 9."))  # an edit: read whole
    _age(feed, 3)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [1, 2, 3, 4, 5] and (summary.parsed, summary.reused) == (1, 4)
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))


_feed_item = st.one_of(
    st.integers(0, 30).map(lambda n: {"id": f"w{n % 7}", "text": TEXTS[n % len(TEXTS)] + f" Item {n}."}),
    st.sampled_from([{"title": "no text"}, [1, 2], None, "a string", {"text": "Café owners said 4 drones hit Odesa."},
                     {"id": "w1", "text": "Two drones fell near Poltava, officials said."}]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(_feed_item, min_size=1, max_size=6), added=st.lists(_feed_item, max_size=4),
       indent=st.sampled_from([None, 2]))
def test_corpus_json_array_dumped_again_with_more_equals_a_full_rebuild(tmp_path_factory, fake_extractor,
                                                                      monkeypatch, first, added, indent):
    """Whatever the items before and after (ids met before, items that are no article), a rerun of
    a big JSON array dumped again with items added gives the tables and problems of a full rebuild."""
    from toolkit import ingest

    monkeypatch.setattr(ingest, "JSON_STREAM_BYTES", 0)
    base = tmp_path_factory.mktemp("grow")
    src, feed = _indexed_archive(base, json.dumps(first, indent=indent).encode(), "feed.json")
    feed.write_bytes(json.dumps(first + added, indent=indent).encode())
    _age(feed, 2)
    corpus.build_dataset(src, base / "ds", progress=False)
    corpus.build_dataset(src, base / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(base / "ds"), corpus.load_dataset(base / "full"))


def test_corpus_rerun_of_an_appended_csv_reads_only_the_new_rows(tmp_path, fake_extractor, decoded_lines, monkeypatch):
    from toolkit import ingest

    monkeypatch.setattr(ingest, "CSV_STREAM_BYTES", 0)
    src, feed = _indexed_archive(tmp_path, b"id,text\n" + b"".join(csv_row(n) for n in range(1, 4)), "feed.csv")
    assert decoded_lines == [2, 3, 4]
    decoded_lines.clear()
    with open(feed, "ab") as handle:
        handle.write(csv_row(5) + b"w9,\"Two lines:\nRussia fired 9 drones at Lviv.\"\n")
    _age(feed, 2)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [5, 6] and (summary.parsed, summary.reused) == (2, 3)
    decoded_lines.clear()
    with open(feed, "ab") as handle:  # after a last row whose cell holds a line break (article text does)
        handle.write(csv_row(6))
    _age(feed, 3)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [8] and (summary.parsed, summary.reused) == (1, 5)
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))

def test_corpus_rerun_writes_only_a_small_segment_and_keeps_the_big_one(tmp_path, fake_extractor):
    src = tmp_path / "in"
    for i in range(12):
        _write(src, f"a{i:02d}", TEXTS[i % len(TEXTS)] + f" Item {i}.")
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    first = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())["segments"]
    _write(src, "new", TEXTS[2])
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    second = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())["segments"]
    assert second[0] == first[0] and second[1]["articles"] == ["new"]
    (src / "a03.txt").unlink()  # the big segment loses an article: not rewritten, its rows are left out
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    third = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())["segments"]
    assert [s["name"] for s in third] == [s["name"] for s in second]
    assert third[0]["dropped"] == ["a03"] and "a03" not in third[0]["articles"] and len(third[0]["articles"]) == 11
    assert third[0]["rows"]["strike_counts"] < first[0]["rows"]["strike_counts"]  # live rows only
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))
    manifest = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())
    assert manifest["rows"] == json.loads((corpus.current_snapshot(tmp_path / "full") / "manifest.json")
                                          .read_text())["rows"]
    for i in (0, 1, 2):  # a quarter of its articles gone: rewritten without them, merged with the small one
        (src / f"a{i:02d}.txt").unlink()
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    fourth = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())["segments"]
    assert len(fourth) == 1 and len(fourth[0]["articles"]) == 9 and "dropped" not in fourth[0]
    on_disk = {p.name for p in (tmp_path / "ds" / "segments").iterdir()}
    assert on_disk == {s["name"] for s in third + fourth}  # the previous snapshot's segments are kept, no more
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))


def test_corpus_changed_article_in_a_big_segment_is_dropped_there_and_stored_anew(tmp_path, fake_extractor):
    src = tmp_path / "in"
    for i in range(8):
        _write(src, f"a{i:02d}", TEXTS[i % len(TEXTS)] + f" Item {i}.")
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    _write(src, "a05", TEXTS[0] + " Changed.")
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert (summary.parsed, summary.reused) == (1, 7)
    segments = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())["segments"]
    assert segments[0]["dropped"] == ["a05"] and segments[1]["articles"] == ["a05"]
    _write(src, "a05", TEXTS[1] + " Changed again.")  # dropped from the small segment too: it is rewritten
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))


def test_corpus_reads_a_dataset_of_format_1_and_rebuilds_it(tmp_path, fake_extractor):
    _write(tmp_path / "in", "a", TEXTS[0])
    corpus.build_dataset(tmp_path / "in", tmp_path / "new", progress=False)
    tables = corpus.load_dataset(tmp_path / "new")
    old = tmp_path / "old" / "snapshots" / "v1"  # the layout of format 1: every table in the snapshot folder
    old.mkdir(parents=True)
    for table, frame in tables.items():
        frame.to_parquet(old / f"{table}.parquet", index=False)
    (old / "manifest.json").write_text(json.dumps({"format_version": 1, "fingerprint": "x", "articles": {"a": "h"}}))
    (tmp_path / "old" / "CURRENT").write_text("v1\n")
    _assert_same(corpus.load_dataset(tmp_path / "old"), tables)
    summary = corpus.build_dataset(tmp_path / "in", tmp_path / "old", progress=False)
    assert (summary.parsed, summary.reused) == (1, 0)
    _assert_same(corpus.load_dataset(tmp_path / "old"), tables)


def test_corpus_keeps_previous_snapshot_and_prunes_older_ones_and_leftovers(tmp_path, fake_extractor):
    _write(tmp_path / "in", "a", TEXTS[0])
    snapshots = tmp_path / "ds" / "snapshots"
    corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=False)
    (snapshots / ".dead-staging.xyz").mkdir()  # what a killed run leaves behind
    for _ in range(3):
        corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=False, full=True)
    names = sorted(p.name for p in snapshots.iterdir())
    assert len(names) == corpus.KEEP_SNAPSHOTS and not any(n.startswith(".") for n in names)
    assert corpus.current_snapshot(tmp_path / "ds").name in names


# --------------------------------------------------------------------------- concurrency and crashes

_HOLD_LOCK = """
import sys, time
from toolkit.lock import dataset_lock  # light: no pandas, so the holder starts fast
with dataset_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _start_lock_holder(out_dir: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(out_dir), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_corpus_second_writer_fails_clearly_when_told_not_to_wait(tmp_path):
    _write(tmp_path / "in", "a", TEXTS[0])
    holder = _start_lock_holder(tmp_path / "ds", 30)
    try:
        with pytest.raises(corpus.DatasetLockedError, match="another parse is writing"):
            corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=False, lock_timeout=0.3)
    finally:
        holder.kill()
        holder.wait()
    assert corpus.current_snapshot(tmp_path / "ds") is None  # nothing half-written


def test_corpus_second_writer_waits_for_the_first(tmp_path):
    _write(tmp_path / "in", "a", TEXTS[0])
    holder = _start_lock_holder(tmp_path / "ds", 1.0)
    started = time.monotonic()
    summary = corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=False)
    holder.wait()
    assert time.monotonic() - started >= 0.5
    assert summary.articles == 1 and len(corpus.load_dataset(tmp_path / "ds")["articles"]) == 1


_PARSE = """
import sys
from toolkit.corpus import build_dataset
build_dataset(sys.argv[1], sys.argv[2], progress=False)
"""


def test_corpus_two_parses_at_once_serialise_into_a_valid_dataset(tmp_path):
    for i, text in enumerate(TEXTS):
        _write(tmp_path / "one", f"a{i}", text)
        _write(tmp_path / "two", f"b{i}", text)
    procs = [subprocess.Popen([sys.executable, "-c", _PARSE, str(tmp_path / folder), str(tmp_path / "ds")])
             for folder in ("one", "two")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    tables = corpus.load_dataset(tmp_path / "ds")
    for table, frame in tables.items():
        schema.check(table, frame)
    ids = set(tables["articles"]["article_id"])
    assert ids in ({f"a{i}" for i in range(len(TEXTS))}, {f"b{i}" for i in range(len(TEXTS))})
    manifest = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())
    assert set(manifest["articles"]) == ids


# The child parses with a parquet writer slowed down, says when it starts writing, and is killed then.
_SLOW_PARSE = """
import sys, time
import pandas as pd
from toolkit import corpus
original = pd.DataFrame.to_parquet
def slow(self, *args, **kwargs):
    print("writing", flush=True)
    time.sleep(0.5)
    return original(self, *args, **kwargs)
pd.DataFrame.to_parquet = slow
corpus.build_dataset(sys.argv[1], sys.argv[2], progress=False)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_corpus_sigkill_mid_write_leaves_the_old_dataset_and_a_rerun_completes(tmp_path):
    src, out = tmp_path / "in", tmp_path / "ds"
    for i, text in enumerate(TEXTS[:2]):
        _write(src, f"a{i}", text)
    corpus.build_dataset(src, out, progress=False)
    before = corpus.load_dataset(out)
    for i, text in enumerate(TEXTS[2:], start=2):
        _write(src, f"a{i}", text)
    child = subprocess.Popen([sys.executable, "-c", _SLOW_PARSE, str(src), str(out)], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "writing"
    time.sleep(0.7)  # a table or two written into the staging folder
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    staged = [p for folder in ("segments", "snapshots") for p in (out / folder).iterdir() if p.name.startswith(".")]
    assert staged  # the half-written segment
    _assert_same(before, corpus.load_dataset(out))
    summary = corpus.build_dataset(src, out, progress=False)
    assert (summary.parsed, summary.reused) == (len(TEXTS) - 2, 2)
    assert len(corpus.load_dataset(out)["articles"]) == len(TEXTS)
    assert not any(p.name.startswith(".") for folder in ("segments", "snapshots") for p in (out / folder).iterdir())
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(out), corpus.load_dataset(tmp_path / "full"))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_corpus_killed_lock_holder_does_not_block_the_next_parse(tmp_path):
    _write(tmp_path / "in", "a", TEXTS[0])
    holder = _start_lock_holder(tmp_path / "ds", 60)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    summary = corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=False, lock_timeout=5)
    assert summary.articles == 1


def test_corpus_progress_bar_is_shown_on_long_runs_only(tmp_path, monkeypatch, capsys):
    """A parse that takes more than half a second shows its bar; a rerun that parses nothing does not."""
    import time

    def slow(article):
        time.sleep(0.2)
        return fake_extract(article)

    monkeypatch.setattr(corpus, "extract", slow)
    for i, text in enumerate(TEXTS):
        _write(tmp_path / "in", f"a{i}", text)
    corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=True)
    assert "parsing" in capsys.readouterr().err
    summary = corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=True)
    assert summary.parsed == 0 and "parsing" not in capsys.readouterr().err


def test_corpus_rerun_that_reads_nothing_new_keeps_the_live_snapshot(tmp_path, fake_extractor):
    """A rerun whose files all come from the source index unchanged writes nothing: the live
    snapshot stays (same folder, same files); a file whose status changed (same text), a file too
    recent to be indexed, or the same files in another order (ids of duplicates swap) make a new one
    that equals a full rebuild."""
    src = tmp_path / "in"
    for name, text in (("a", TEXTS[0]), ("b", TEXTS[1])):
        _write(src / "x", name, text)
        _age(src / "x" / f"{name}.txt", 1)
    (src / "y").mkdir()
    (src / "y" / "a.txt").write_bytes((src / "x" / "a.txt").read_bytes().replace(b"title: a", b"title: a2"))
    (src / "y" / "bad.jsonl").write_text("{broken\n", encoding="utf-8")
    for path in (src / "y").iterdir():
        _age(path, 2)
    ds = tmp_path / "ds"
    first = corpus.build_dataset([src / "x", src / "y"], ds, progress=False)
    live = corpus.current_snapshot(ds)
    stamps = {f.name: f.stat().st_mtime_ns for f in live.iterdir()}
    again = corpus.build_dataset([src / "x", src / "y"], ds, progress=False)
    assert corpus.current_snapshot(ds) == live and {f.name: f.stat().st_mtime_ns for f in live.iterdir()} == stamps
    assert (again.articles, again.parsed, again.reused, again.removed, again.skipped, again.rows) == (
        first.articles, 0, first.articles, 0, first.skipped, first.rows)
    # the same files the other way round: "a" is now y/a.txt, "a-2" x/a.txt
    swapped = corpus.build_dataset([src / "y", src / "x"], ds, progress=False)
    assert corpus.current_snapshot(ds) != live and swapped.parsed == 2
    corpus.build_dataset([src / "y", src / "x"], tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(ds), corpus.load_dataset(tmp_path / "full"))
    for change in ("touch", "recent"):
        live = corpus.current_snapshot(ds)
        if change == "touch":
            _age(src / "x" / "b.txt", 3)  # same text, new modification time: read again, reindexed
        else:
            (src / "y" / "bad.jsonl").write_text("{still broken\n", encoding="utf-8")  # too recent to index
        rerun = corpus.build_dataset([src / "y", src / "x"], ds, progress=False)
        assert corpus.current_snapshot(ds) != live and rerun.parsed == 0
    corpus.build_dataset([src / "y", src / "x"], tmp_path / "full2", progress=False, full=True)
    _assert_same(corpus.load_dataset(ds), corpus.load_dataset(tmp_path / "full2"))


def test_corpus_module_doc_mentions_every_guarantee():
    doc = textwrap.dedent(corpus.__doc__ or "")
    for word in ("atomically", "lock", "fingerprint", "full rebuild"):
        assert word in doc


def test_corpus_load_tolerates_schema_drift_and_a_bad_pointer(tmp_path, fake_extractor):
    _write(tmp_path / "in", "a", TEXTS[0])
    corpus.build_dataset(tmp_path / "in", tmp_path / "ds", progress=False)
    snapshot = corpus.current_snapshot(tmp_path / "ds")
    old = pd.read_parquet(snapshot / "articles.parquet").assign(retired_column="x")
    old.to_parquet(snapshot / "articles.parquet", index=False)  # as if written by an older toolkit
    articles = corpus.load_dataset(tmp_path / "ds")["articles"]
    schema.check("articles", articles)
    (tmp_path / "ds" / "CURRENT").write_text("../../elsewhere\n", encoding="utf-8")
    assert corpus.current_snapshot(tmp_path / "ds") is None
    assert corpus.load_dataset(tmp_path / "ds")["articles"].empty


def test_corpus_dropping_from_a_segment_with_a_missing_file_warns_and_goes_on(tmp_path, fake_extractor, caplog):
    src = tmp_path / "in"
    for i in range(8):
        _write(src, f"a{i:02d}", TEXTS[i % len(TEXTS)] + f" Item {i}.")
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    segment = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())["segments"][0]
    (tmp_path / "ds" / "segments" / segment["name"] / "places.parquet").unlink()  # damaged by hand
    (src / "a04.txt").unlink()
    with caplog.at_level("WARNING"):
        summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert summary.removed == 1 and "places.parquet: missing" in caplog.text
    tables = corpus.load_dataset(tmp_path / "ds")
    assert "a04" not in set(tables["strike_counts"]["article_id"]) and len(tables["places"]) == 0


# --------------------------------------------------------------------------- parsing in batches

def test_corpus_batches_are_stored_as_segments_and_give_the_same_tables(tmp_path, fake_extractor, monkeypatch):
    """A big parse stores every batch but the last as a segment of its own (memory holds one batch)."""
    src = tmp_path / "in"
    for i in range(11):
        _write(src, f"a{i:02d}", TEXTS[i % len(TEXTS)] + f" Item {i}.")
    corpus.build_dataset(src, tmp_path / "whole", progress=False)
    monkeypatch.setattr(corpus, "PARSE_BATCH", 4)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert (summary.articles, summary.parsed, summary.reused) == (11, 11, 0)
    segments = json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json").read_text())["segments"]
    assert sorted(len(s["articles"]) for s in segments) == [3, 4, 4]
    assert sorted(a for s in segments for a in s["articles"]) == [f"a{i:02d}" for i in range(11)]
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "whole"))
    assert summary.rows == json.loads((corpus.current_snapshot(tmp_path / "whole") / "manifest.json")
                                      .read_text())["rows"]
    # a rerun with a change and a deletion still equals a full rebuild
    _write(src, "a05", TEXTS[0] + " Changed.")
    (src / "a09.txt").unlink()
    for name in ("new1", "new2", "new3", "new4", "new5"):
        _write(src, name, TEXTS[3] + f" {name}.")
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert (summary.parsed, summary.reused, summary.removed) == (6, 9, 1)
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))
    on_disk = {p.name for p in (tmp_path / "ds" / "segments").iterdir()}
    live = {s["name"] for s in json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json")
                                          .read_text())["segments"]}
    assert live <= on_disk


def test_corpus_batches_in_parallel_equal_a_serial_parse(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "PARSE_BATCH", 5)
    corpus.build_dataset(SAMPLES, tmp_path / "parallel", progress=False, workers=2)
    monkeypatch.setattr(corpus, "PARSE_BATCH", 10_000)
    corpus.build_dataset(SAMPLES, tmp_path / "serial", progress=False)
    _assert_same(corpus.load_dataset(tmp_path / "parallel"), corpus.load_dataset(tmp_path / "serial"))


@pytest.mark.parametrize("workers", [1, 2])
def test_corpus_a_failure_after_stored_batches_keeps_the_old_dataset(tmp_path, fake_extractor, monkeypatch,
                                                                     workers):
    """Batches stored before a failure are not live: the dataset is the old one, and the next run
    removes them. With workers, the failure comes from a worker process, and none is left running."""
    src = tmp_path / "in"
    for i in range(6):
        _write(src, f"a{i:02d}", TEXTS[i % len(TEXTS)])
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    before = corpus.load_dataset(tmp_path / "ds")
    old_segments = {p.name for p in (tmp_path / "ds" / "segments").iterdir()}
    for i in range(6, 14):
        _write(src, f"a{i:02d}", TEXTS[i % len(TEXTS)])

    def failing(article):
        if article.article_id == "a12":
            raise MemoryError("out of memory")
        return fake_extract(article)

    monkeypatch.setattr(corpus, "PARSE_BATCH", 3)
    monkeypatch.setattr(corpus, "extract", failing)
    monkeypatch.setattr(corpus, "_start_method", lambda: "fork")  # the workers must see the patch
    with pytest.raises(MemoryError if workers == 1 else RuntimeError, match="out of memory"):
        corpus.build_dataset(src, tmp_path / "ds", progress=False, workers=workers)
    assert not multiprocessing.active_children()
    stored = {p.name for p in (tmp_path / "ds" / "segments").iterdir()} - old_segments
    assert len(stored) == 2 if workers == 1 else len(stored) <= 2  # stored, not live
    _assert_same(corpus.load_dataset(tmp_path / "ds"), before)
    monkeypatch.setattr(corpus, "extract", fake_extract)
    corpus.build_dataset(src, tmp_path / "ds", progress=False)
    live = {s["name"] for s in json.loads((corpus.current_snapshot(tmp_path / "ds") / "manifest.json")
                                          .read_text())["segments"]}
    assert {p.name for p in (tmp_path / "ds" / "segments").iterdir()} == live | old_segments


def test_corpus_parse_holds_the_text_of_one_batch_at_a_time(tmp_path, monkeypatch):
    """Articles are read as the parse goes: when a batch is extracted, the articles of the batches
    before it are gone (only their table rows are kept), so memory does not grow with the corpus's text."""
    src = tmp_path / "in"
    for i in range(14):
        _write(src, f"a{i:02d}", TEXTS[i % len(TEXTS)] + f" Item {i}.")
    refs: list[weakref.ref] = []
    most = 0

    def tracking(article):
        nonlocal most
        refs.append(weakref.ref(article))
        most = max(most, sum(r() is not None for r in refs))
        return fake_extract(article)

    monkeypatch.setattr(corpus, "PARSE_BATCH", 3)
    monkeypatch.setattr(corpus, "extract", tracking)
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert summary.parsed == 14 and len(refs) == 14
    assert most <= 3 + 1  # the batch being extracted and the article that closed it
    monkeypatch.setattr(corpus, "extract", fake_extract)
    monkeypatch.setattr(corpus, "PARSE_BATCH", 10_000)
    corpus.build_dataset(src, tmp_path / "whole", progress=False)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "whole"))


@pytest.mark.parametrize("layout", ["files", "collection"])
def test_corpus_parse_with_workers_holds_the_text_of_two_batches_at_most(tmp_path, monkeypatch, layout):
    """With worker processes the caller reads the next batch while the workers extract one: when
    a batch is stored, the caller holds the articles of that batch and of the one being read
    (and the piece of a file in hand), not those of the batches stored before; a JSON Lines
    collection is read a piece at a time, not whole."""
    import gc

    from toolkit.records import Article

    src = tmp_path / "in"
    if layout == "files":
        for i in range(30):
            _write(src, f"a{i:02d}", TEXTS[i % len(TEXTS)] + f" Item {i}.")
    else:
        src.mkdir()
        (src / "wire.jsonl").write_text("".join(json.dumps({"id": f"a{i:02d}", "text": TEXTS[i % len(TEXTS)]
                                                            + f" Item {i}."}) + "\n" for i in range(30)))
        monkeypatch.setattr(corpus, "READ_PIECE", 3)
    alive: list[int] = []
    store_batch = corpus._store_batch

    def counting(out_dir, extractions):
        gc.collect()
        alive.append(sum(isinstance(o, Article) for o in gc.get_objects()))
        return store_batch(out_dir, extractions)

    monkeypatch.setattr(corpus, "PARSE_BATCH", 4)
    monkeypatch.setattr(corpus, "_store_batch", counting)
    before = sum(isinstance(o, Article) for o in gc.get_objects())
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=False, workers=2)
    assert summary.parsed == 30 and len(alive) == 7  # 8 batches, the last stored with the snapshot
    assert max(alive) - before <= 2 * 4 + (1 if layout == "files" else 3)
    monkeypatch.setattr(corpus, "PARSE_BATCH", 10_000)
    corpus.build_dataset(src, tmp_path / "whole", progress=False)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "whole"))


class _Bar:
    """A stand-in progress bar that records what it is given."""

    def __init__(self, total, progress, unit="article"):
        self.total, self.unit, self.done = total, unit, 0

    def update(self, n):
        self.done += n

    def close(self):
        pass


@pytest.mark.parametrize("workers", [1, 2])
def test_corpus_progress_counts_every_byte_of_the_input_once(tmp_path, fake_extractor, monkeypatch, workers):
    """The parse's bar counts the files' bytes: each file's bytes once, whether its articles are
    parsed, reused or skipped, and a collection's bytes shared among its articles."""
    src = tmp_path / "in"
    for i in range(9):
        _write(src, f"a{i:02d}", TEXTS[i % len(TEXTS)])
    (src / "wire.jsonl").write_text("".join(json.dumps({"id": f"w{i}", "text": TEXTS[i % 5] + "x" * i}) + "\n"
                                            for i in range(7)), encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    bars: list[_Bar] = []
    monkeypatch.setattr(corpus, "_parse_bar", lambda *a, **k: bars.append(_Bar(*a, **k)) or bars[-1])
    monkeypatch.setattr(corpus, "PARSE_BATCH", 4)
    first = sum(p.stat().st_size for p in src.iterdir())
    corpus.build_dataset(src, tmp_path / "ds", progress=True, workers=workers)
    _write(src, "a03", "Changed: 5 drones.")
    (src / "a04.txt").unlink()
    size = sum(p.stat().st_size for p in src.iterdir())
    summary = corpus.build_dataset(src, tmp_path / "ds", progress=True, workers=workers)
    assert summary.parsed == 1
    assert [(b.unit, b.total, b.done) for b in bars[-1:]] == [("B", size, size)]
    assert bars[0].total == bars[0].done == first  # the first run: every file parsed


def test_corpus_load_dataset_reads_only_the_tables_named(tmp_path, monkeypatch):
    """``tables=`` reads those tables alone (the same frames as a full load), in the order given;
    an unknown name is refused with the list of tables."""
    corpus.build_dataset(SAMPLES, tmp_path / "ds", progress=False)
    everything = corpus.load_dataset(tmp_path / "ds")
    read: list[str] = []
    real = corpus._read_table
    monkeypatch.setattr(corpus, "_read_table", lambda table, *a: read.append(table) or real(table, *a))
    some = corpus.load_dataset(tmp_path / "ds", tables=["places", "strike_counts"])
    assert list(some) == read == ["places", "strike_counts"]
    _assert_same(some, {t: everything[t] for t in some})
    assert list(corpus.load_dataset(tmp_path / "ds", tables="meetings")) == ["meetings"]
    assert list(corpus.load_dataset(tmp_path / "nowhere", tables=["people"])) == ["people"]
    with pytest.raises(ValueError, match="no such table.*'strikes'.*strike_counts"):
        corpus.load_dataset(tmp_path / "ds", tables=["strikes"])


_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5))
_json_tree = st.recursive(_json_leaf, lambda inner: st.one_of(st.lists(inner, max_size=6),
                                                              st.dictionaries(st.text(max_size=3), inner, max_size=6)),
                          max_leaves=40)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_json_tree, piece=st.integers(1, 4))
def test_corpus_json_written_in_pieces_is_json_dumps(monkeypatch, tmp_path_factory, value, piece):
    """The manifest and source index are written a piece at a time, in exactly the bytes of one
    ``json.dumps`` (sorted keys, compact separators), however the lists and dicts nest."""
    monkeypatch.setattr(corpus, "JSON_PIECE_ITEMS", piece)
    path = tmp_path_factory.mktemp("json") / "value.json"
    corpus._write_json(value, path)
    assert path.read_bytes() == json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")


def test_corpus_seed_dataset_makes_a_second_dataset_cost_a_rerun(tmp_path, fake_extractor, counted_reads):
    """A dataset started from another over the same inputs reads and parses only what differs, and
    the two stay independent: a parse into one leaves the other's tables as they were."""
    src = tmp_path / "in"
    for i, text in enumerate(TEXTS[:3]):
        _write(src, f"a{i}", text)
        _age(src / f"a{i}.txt", i)
    corpus.build_dataset(src, tmp_path / "base", progress=False)
    base = corpus.load_dataset(tmp_path / "base")
    assert corpus.seed_dataset(tmp_path / "base", tmp_path / "copy")
    _assert_same(corpus.load_dataset(tmp_path / "copy"), base)
    assert all(p.stat().st_nlink == 2 for p in (tmp_path / "copy").rglob("*.parquet"))  # linked, not copied
    counted_reads.clear()
    summary = corpus.build_dataset(src, tmp_path / "copy", progress=False)
    assert counted_reads == [] and (summary.parsed, summary.reused) == (0, 3)
    new = tmp_path / "new"
    _write(new, "n0", TEXTS[3])
    (src / "a1.txt").unlink()  # one dropped from its segment, one new
    summary = corpus.build_dataset([src, new], tmp_path / "copy", progress=False)
    assert counted_reads == ["n0.txt"] and (summary.parsed, summary.reused, summary.removed) == (1, 2, 1)
    _assert_same(corpus.load_dataset(tmp_path / "base"), base)  # the source as it was
    corpus.build_dataset([src, new], tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "copy"), corpus.load_dataset(tmp_path / "full"))
    corpus.build_dataset(src, tmp_path / "base", progress=False)  # the source goes on as it would alone
    corpus.build_dataset(src, tmp_path / "full-base", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "base"), corpus.load_dataset(tmp_path / "full-base"))


def test_corpus_seed_dataset_only_starts_a_folder_without_a_dataset(tmp_path, fake_extractor):
    src = tmp_path / "in"
    _write(src, "a0", TEXTS[0])
    assert not corpus.seed_dataset(tmp_path / "none", tmp_path / "copy")  # nothing to start from
    assert not (tmp_path / "none").exists() and not (tmp_path / "copy").exists()
    corpus.build_dataset(src, tmp_path / "base", progress=False)
    assert not corpus.seed_dataset(tmp_path / "base", tmp_path / "base")
    _write(tmp_path / "other", "b0", TEXTS[1])
    corpus.build_dataset(tmp_path / "other", tmp_path / "copy", progress=False)
    assert not corpus.seed_dataset(tmp_path / "base", tmp_path / "copy")  # it has a dataset of its own
    assert list(corpus.load_dataset(tmp_path / "copy")["articles"]["article_id"]) == ["b0"]


def test_corpus_seed_dataset_copies_where_hard_links_cannot_be_made(tmp_path, fake_extractor, monkeypatch):
    src = tmp_path / "in"
    _write(src, "a0", TEXTS[0])
    corpus.build_dataset(src, tmp_path / "base", progress=False)

    def no_links(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(corpus.os, "link", no_links)
    assert corpus.seed_dataset(tmp_path / "base", tmp_path / "copy")
    _assert_same(corpus.load_dataset(tmp_path / "copy"), corpus.load_dataset(tmp_path / "base"))
    copied = [p for p in (tmp_path / "copy").rglob("*.parquet")]
    assert copied and all(p.stat().st_nlink == 1 for p in copied)  # copies, not links


def test_corpus_seed_dataset_from_a_folder_it_cannot_lock_starts_nothing(tmp_path, fake_extractor, monkeypatch,
                                                                          caplog):
    """A shared dataset this user may only read: no copy (a warning says so), and nothing breaks."""
    src = tmp_path / "in"
    _write(src, "a0", TEXTS[0])
    corpus.build_dataset(src, tmp_path / "shared", progress=False)
    original = corpus.dataset_lock

    def read_only(out_dir, *args, **kwargs):
        if Path(out_dir) == tmp_path / "shared":
            raise PermissionError(13, "Permission denied", str(Path(out_dir) / ".lock"))
        return original(out_dir, *args, **kwargs)

    monkeypatch.setattr(corpus, "dataset_lock", read_only)
    assert not corpus.seed_dataset(tmp_path / "shared", tmp_path / "mine")
    assert "cannot take its write lock" in caplog.text and not (tmp_path / "mine").exists()
    assert corpus.build_dataset(src, tmp_path / "mine", progress=False).parsed == 1


def test_corpus_prune_reads_each_snapshots_segment_list_or_its_manifest(tmp_path, fake_extractor, caplog):
    """Pruning keeps the segments the live and the previous snapshot use: read from each snapshot's
    short list (``segments.json``, the manifest's segments), or from its manifest when the list is
    missing (a snapshot written before it); an unreadable list removes nothing, with a warning."""
    src, ds = tmp_path / "in", tmp_path / "ds"
    for i in range(6):
        _write(src, f"a{i}", TEXTS[i % len(TEXTS)] + f" Item {i}.")

    def live() -> tuple[Path, dict]:
        snapshot = corpus.current_snapshot(ds)
        return snapshot, json.loads((snapshot / "manifest.json").read_text())

    def used() -> set[str]:
        return {p.name for p in (ds / "segments").iterdir()}

    corpus.build_dataset(src, ds, progress=False)
    snapshot, manifest = live()
    assert json.loads((snapshot / corpus.SEGMENT_NAMES).read_text()) == sorted(
        s["name"] for s in manifest["segments"])
    (snapshot / corpus.SEGMENT_NAMES).unlink()  # as a snapshot of an older version has none
    first = {s["name"] for s in manifest["segments"]}
    for i in (0, 1):  # a third of the segment's articles gone: it is rewritten without them
        (src / f"a{i}.txt").unlink()
    corpus.build_dataset(src, ds, progress=False)
    assert not first & {s["name"] for s in live()[1]["segments"]}
    assert first <= used()  # the previous snapshot's segments, read from its manifest, are kept
    _write(src, "new", TEXTS[1] + " New.")
    corpus.build_dataset(src, ds, progress=False)
    assert not first & used()  # the first snapshot is gone, and the segments only it used
    snapshot, manifest = live()
    assert used() == {s["name"] for s in manifest["segments"]} | set(
        json.loads(next(p for p in (ds / "snapshots").iterdir() if p != snapshot).joinpath(
            corpus.SEGMENT_NAMES).read_text()))
    (snapshot / corpus.SEGMENT_NAMES).write_text('{"not": "a list"}')
    before = used()
    for i in range(2, 6):  # the old segment's articles gone: it is no longer used
        (src / f"a{i}.txt").unlink()
    with caplog.at_level("WARNING"):
        corpus.build_dataset(src, ds, progress=False)
    assert before <= used() and "unreadable; no segment is removed" in caplog.text
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(ds), corpus.load_dataset(tmp_path / "full"))


def test_corpus_rerun_reuses_a_file_whose_articles_share_an_id(tmp_path, fake_extractor, decoded_lines):
    """A collection holding one id several times ("a", "a-2", "a-3" in the dataset) is taken from
    the source index on a rerun, and after a file before it that takes the id too, read again."""
    lines = [{"id": "a", "text": TEXTS[0]}, {"id": "a", "text": TEXTS[1]}, {"id": "b", "text": TEXTS[2]},
             {"id": "a", "text": TEXTS[3]}]
    src, wire = _indexed_archive(tmp_path, "".join(json.dumps(r) + "\n" for r in lines).encode(), "wire.jsonl")
    assert decoded_lines == [1, 2, 3, 4]
    decoded_lines.clear()
    again = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [] and (again.parsed, again.reused) == (0, 4)
    assert set(corpus.load_dataset(tmp_path / "ds")["articles"]["article_id"]) == {"a", "a-2", "a-3", "b"}
    _write(src, "a", TEXTS[4])  # a.txt comes before wire.jsonl: it is "a", the archive's become a-2, a-3, a-4
    _age(src / "a.txt", 3)
    rerun = corpus.build_dataset(src, tmp_path / "ds", progress=False)
    assert decoded_lines == [1, 2, 3, 4] and rerun.articles == 5
    corpus.build_dataset(src, tmp_path / "full", progress=False, full=True)
    _assert_same(corpus.load_dataset(tmp_path / "ds"), corpus.load_dataset(tmp_path / "full"))
