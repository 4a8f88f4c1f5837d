"""Ingestion: every input format, the encodings, the metadata rules, bad input."""
from __future__ import annotations

import codecs
import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from csv_cases import ODD_LINES
from toolkit.ingest import (
    date_from_url,
    decode_bytes,
    IngestError,
    normalise_text,
    parse_date,
    read_articles,
    read_file,
    safe_article_id,
)
from toolkit.records import Article, Problem

BODY = "Russia launched 50 drones at Kyiv overnight, the Air Force said.\n\nDebris fell in two districts."


def _read(*paths):
    problems: list[Problem] = []
    articles = list(read_articles([str(p) for p in paths], problems))
    return articles, problems


# --------------------------------------------------------------------------- formats

def test_ingest_txt_title_is_first_line(tmp_path):
    (tmp_path / "wire.txt").write_text("Drones hit Kyiv\n\n" + BODY, encoding="utf-8")
    [article], problems = _read(tmp_path / "wire.txt")
    assert article.title == "Drones hit Kyiv"
    assert article.article_id == "wire"
    assert article.text.startswith("Drones hit Kyiv")
    assert "50 drones" in article.text
    assert article.published is None
    assert problems == []


def test_ingest_markdown_front_matter(tmp_path):
    text = ("---\ntitle: \"Air Force: 50 drones\"\npublished: 2025-10-30\nurl: https://example.org/a\n"
            "outlet: Example Wire\n---\n" + BODY)
    (tmp_path / "af.md").write_text(text, encoding="utf-8")
    [article], _ = _read(tmp_path / "af.md")
    assert article.title == "Air Force: 50 drones"
    assert article.published == "2025-10-30"
    assert article.url == "https://example.org/a"
    assert article.outlet == "Example Wire"
    assert article.text.startswith("Air Force: 50 drones\n\nRussia launched")
    assert "---" not in article.text


def test_ingest_published_line_in_text(tmp_path):
    (tmp_path / "d.txt").write_text("Talks open in Riyadh\nPublished: 2025-02-18\n\n" + BODY, encoding="utf-8")
    [article], _ = _read(tmp_path / "d.txt")
    assert article.published == "2025-02-18"


def test_ingest_published_from_url_when_no_metadata(tmp_path):
    text = "---\ntitle: T\nurl: https://news.example/2025/12/06/strike-story\n---\n" + BODY
    (tmp_path / "u.md").write_text(text, encoding="utf-8")
    [article], _ = _read(tmp_path / "u.md")
    assert article.published == "2025-12-06"


def test_ingest_invalid_front_matter_date_is_warned_not_fatal(tmp_path):
    (tmp_path / "bad.md").write_text("---\ntitle: T\npublished: not a date\n---\n" + BODY, encoding="utf-8")
    [article], problems = _read(tmp_path / "bad.md")
    assert article.published is None
    assert any("not a date" in p.reason and p.severity == "warning" for p in problems)


HTML = """<!doctype html><html><head><title>Drones strike Lviv | Example News</title>
<meta property="og:title" content="Drones strike Lviv overnight">
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://example.news/world/drones-strike-lviv">
<meta property="article:published_time" content="2025-12-06T07:30:00+02:00">
<script>var tracking = "launched 999 drones";</script><style>.x{}</style></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Drones strike Lviv overnight</h1>
<p>Russia launched 120 drones and 15 missiles at western Ukraine overnight, the Air Force said on Saturday.</p>
<p>Air defence shot down 100 drones and 12 missiles. A power substation in Lviv region was damaged.</p>
<p>Regional officials said two people were injured and 8,000 households lost power for several hours.</p>
</article><footer>Copyright 2019 Example News. All rights reserved.</footer></body></html>"""


def test_ingest_html_main_text_and_metadata(tmp_path):
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    [article], problems = _read(tmp_path / "page.html")
    assert "120 drones and 15 missiles" in article.text
    assert "tracking" not in article.text and "Sport" not in article.text
    assert article.title == "Drones strike Lviv overnight"
    assert article.outlet == "Example News"
    assert article.published == "2025-12-06"
    assert article.url == "https://example.news/world/drones-strike-lviv"


def test_ingest_html_does_not_take_copyright_year_as_date(tmp_path):
    page = HTML.replace('<meta property="article:published_time" content="2025-12-06T07:30:00+02:00">', "")
    (tmp_path / "nodate.html").write_text(page, encoding="utf-8")
    [article], _ = _read(tmp_path / "nodate.html")
    assert article.published is None


def test_ingest_jsonl_collection_with_broken_line(tmp_path):
    rows = [{"id": "a1", "title": "One", "text": BODY, "published": "2025-03-01", "url": "u", "outlet": "o"},
            {"title": "Two", "text": "Second report: 12 drones were shot down over Sumy region."}]
    lines = [json.dumps(rows[0]), "{not json", json.dumps(rows[1]), json.dumps({"title": "no text"})]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, problems = _read(tmp_path / "batch.jsonl")
    assert [a.article_id for a in articles] == ["a1", "batch-3"]
    assert articles[0].published == "2025-03-01" and articles[0].outlet == "o"
    assert articles[1].source_row == 3
    skipped = {(p.source_row, p.reason.split(":")[0]) for p in problems if p.severity == "skipped"}
    assert (2, "invalid JSON") in skipped
    assert any(p.source_row == 4 and "text" in p.reason for p in problems)


def test_ingest_json_list_and_articles_key(tmp_path):
    (tmp_path / "list.json").write_text(json.dumps([{"text": BODY}, {"text": BODY + " More."}]), encoding="utf-8")
    (tmp_path / "obj.json").write_text(json.dumps({"articles": [{"id": "x", "text": BODY}]}), encoding="utf-8")
    articles, problems = _read(tmp_path / "list.json", tmp_path / "obj.json")
    assert [a.article_id for a in articles] == ["list-1", "list-2", "x"]
    assert problems == []


def test_ingest_csv_collection_sniffs_delimiter_and_keeps_newlines(tmp_path):
    (tmp_path / "semi.csv").write_text('title;text;published\nT1;"Line one.\nLine two: 40 drones.";2024-11-26\n',
                                       encoding="utf-8")
    [article], problems = _read(tmp_path / "semi.csv")
    assert "Line two: 40 drones." in article.text
    assert article.published == "2024-11-26"
    assert article.article_id == "semi-2"
    assert problems == []


def test_ingest_csv_without_text_column_names_the_file(tmp_path):
    (tmp_path / "notext.csv").write_text("title,body_html\nA,B\n", encoding="utf-8")
    articles, problems = _read(tmp_path / "notext.csv")
    assert articles == []
    assert "no 'text' column" in problems[0].reason and problems[0].source_path.endswith("notext.csv")


def test_ingest_csv_ragged_rows_are_warned(tmp_path):
    (tmp_path / "ragged.csv").write_text("title,text\nA,first text here,extra\nB\nC,third text\n", encoding="utf-8")
    articles, problems = _read(tmp_path / "ragged.csv")
    assert [a.title for a in articles] == ["A", "C"]
    assert any(p.source_row == 2 and "fields" in p.reason for p in problems)
    assert any(p.source_row == 3 for p in problems)


# --------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", b""), ("utf-16-be", b""),
])
def test_ingest_encodings_decode_to_same_text(tmp_path, encoding, prefix):
    text = "Kyiv\u2019s air defence \u201cworked\u201d over Zaporizhzhia.\n\nThirty drones were shot down."
    (tmp_path / "enc.txt").write_bytes(prefix + text.encode(encoding))
    [article], problems = _read(tmp_path / "enc.txt")
    assert article.text == normalise_text(text)
    assert all(p.severity == "warning" for p in problems)


def test_ingest_legacy_single_byte_falls_back_with_warning(tmp_path):
    (tmp_path / "legacy.txt").write_bytes("Caf\u00e9 report \u2013 20 drones were shot down.".encode("cp1252"))
    [article], problems = _read(tmp_path / "legacy.txt")
    assert "Caf\u00e9" in article.text
    assert any("cp1252" in p.reason for p in problems)


def test_ingest_normalises_quotes_and_spaces():
    assert normalise_text("\u201cWe\u2019re\u00a0ready\u201d\r\n") == "\"We're ready\"\n"


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("name,content,reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\n", "whitespace"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
    ("archive.txt", gzip.compress(b"hello world" * 10, mtime=0), "gzip"),
    ("nul.txt", b"abc\x00\x01\x02\x03" * 200, "binary"),
], ids=["empty", "whitespace", "png", "gzip", "nul-bytes"])
def test_ingest_bad_files_are_reported_and_batch_goes_on(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    articles, problems = _read(tmp_path)
    assert [a.article_id for a in articles] == ["good"]
    [problem] = [p for p in problems if p.severity == "skipped"]
    assert problem.source_path.endswith(name) and reason in problem.reason


def test_ingest_size_limit_is_configurable(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 5000, encoding="utf-8")
    problems: list[Problem] = []
    assert list(read_articles([tmp_path / "big.txt"], problems, max_bytes=1000)) == []
    assert "over the limit" in problems[0].reason
    assert len(list(read_articles([tmp_path / "big.txt"]))) == 1


def test_ingest_missing_path_raises_clearly(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.txt"):
        list(read_articles([tmp_path / "nowhere.txt"]))


def test_ingest_glob_and_recursive_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a" / "two.md").write_text(BODY, encoding="utf-8")
    (tmp_path / "a" / "skip.bin").write_bytes(b"x")
    (tmp_path / "a" / ".hidden.txt").write_text(BODY, encoding="utf-8")
    assert sorted(a.article_id for a in read_articles(tmp_path)) == ["one", "two"]
    assert [a.article_id for a in read_articles(str(tmp_path / "a" / "*.md"))] == ["two"]


def test_ingest_duplicate_ids_are_made_unique(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "same.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "y" / "same.txt").write_text(BODY, encoding="utf-8")
    assert [a.article_id for a in read_articles(tmp_path)] == ["same", "same-2"]


# --------------------------------------------------------------------------- metadata helpers

@pytest.mark.parametrize("raw,expected", [
    ("../../etc/passwd", "etc-passwd"), ("/abs/path", "abs-path"), ("a b/c", "a-b-c"),
    ("...", None), ("ok-id_1.v2", "ok-id_1.v2"),
])
def test_ingest_safe_article_id(raw, expected):
    got = safe_article_id(raw)
    assert "/" not in got and not got.startswith(".") and ".." not in got
    if expected:
        assert got == expected


@pytest.mark.parametrize("value,expected", [
    ("2025-12-06", "2025-12-06"), ("2025-12-06T07:30:00+02:00", "2025-12-06"), ("6 December 2025", "2025-12-06"),
    ("December 6, 2025", "2025-12-06"), ("not a date", None), ("", None), (None, None), ("2025-13-45", None),
])
def test_ingest_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("url,expected", [
    ("https://x.org/2025/12/06/story", "2025-12-06"), ("https://x.org/news-2024-04-28-digest", "2024-04-28"),
    ("https://x.org/story", None), (None, None), ("https://x.org/2025/13/40/x", None),
])
def test_ingest_date_from_url(url, expected):
    assert date_from_url(url) == expected


def test_ingest_decode_rejects_binary():
    with pytest.raises(IngestError, match="binary"):
        decode_bytes(b"%PDF-1.4 ...")


def test_ingest_reads_every_bundled_article(root):
    problems: list[Problem] = []
    articles = list(read_articles(root / "data" / "articles", problems))
    assert len(articles) >= 8
    assert not [p for p in problems if p.severity == "skipped"]
    assert len({a.article_id for a in articles}) == len(articles)


def test_ingest_reads_every_dev_article(shared):
    articles = list(read_articles(shared / "eval" / "dev" / "articles"))
    gold = {p.stem for p in (shared / "eval" / "dev" / "gold").glob("*.json")}
    assert {a.article_id for a in articles} == gold


# --------------------------------------------------------------------------- JSON Lines, read line by line

def _whole(path: Path) -> list:
    """What the whole-file reading gives for a JSON Lines file (decoded at once, split into lines)."""
    from toolkit import ingest

    text, warning = decode_bytes(path.read_bytes())
    items = list(ingest._iter_collection(text, path, ingest.MAX_ARTICLE_BYTES))
    return ([Problem(str(path), warning, severity="warning")] if warning else []) + items


@pytest.mark.parametrize("raw", [
    b'{"id": "a", "text": "50 drones."}\n\n{"text": "Caf\xc3\xa9 hit."}\n',
    b'\xef\xbb\xbf{"id": "a", "text": "50 drones."}\r\n{"id": "b", "title": "T", "text": "x"}\r\n',
    b'{"id": "a", "text": "50 drones."}\n{broken\n[1, 2]\n{"title": "no text"}\n{"text": "last, no newline"}',
    b'   \n\t\n{"id": "a", "text": "after blank lines"}\n',
], ids=["blank-line", "bom-crlf", "broken-rows", "leading-blanks"])
def test_ingest_jsonl_read_line_by_line_gives_what_the_whole_file_gives(tmp_path, raw):
    from toolkit.ingest import read_file

    path = tmp_path / "feed.jsonl"
    path.write_bytes(raw)
    assert list(read_file(path)) == _whole(path)


def test_ingest_jsonl_is_read_lazily_and_has_no_size_cap(tmp_path, monkeypatch):
    """A JSON Lines file is read as its articles are taken (a line appended after the first one was
    taken is read too), and the cap on a collection's size does not apply to it, nor to a big JSON
    array (it does to a JSON object holding the articles, read whole)."""
    from toolkit import ingest
    from toolkit.ingest import read_file

    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 10_000)
    monkeypatch.setattr(ingest, "JSON_STREAM_BYTES", 5_000)
    rows = [json.dumps({"id": f"r{i}", "text": f"{BODY} Row {i}."}) for i in range(300)]
    (tmp_path / "big.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "big.json").write_text('{"articles": [' + ",".join(rows) + "]}", encoding="utf-8")
    (tmp_path / "array.json").write_text("[" + ",".join(rows) + "]", encoding="utf-8")
    assert len(list(read_file(tmp_path / "array.json"))) == 300
    assert (tmp_path / "big.jsonl").stat().st_size > 3 * 10_000
    items = read_file(tmp_path / "big.jsonl")
    assert next(items).article_id == "r0"
    with (tmp_path / "big.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "late", "text": BODY}) + "\n")
    rest = list(items)
    assert [a.article_id for a in rest] == [f"r{i}" for i in range(1, 300)] + ["late"]
    [problem] = read_file(tmp_path / "big.json")
    assert "over the limit of 10,000" in problem.reason


def test_ingest_jsonl_lines_are_decoded_and_bounded_one_by_one(tmp_path):
    """A line that is not UTF-8 is read as cp1252 with one warning naming it, the lines around it
    stay UTF-8; a line far over the article limit is skipped unread; a line separator inside a
    JSON string (U+2028, legal in JSON) does not split its record."""
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"id": "utf8", "text": "Caf\u00e9 hit by 3 drones."}, ensure_ascii=False).encode(),
             json.dumps({"id": "legacy", "text": "Caf\u00e9 \u2013 4 drones."}, ensure_ascii=False).encode("cp1252"),
             json.dumps({"id": "huge", "text": "x" * 1_100_000}).encode(),
             json.dumps({"id": "sep", "text": "One\u2028two: 5 drones."}, ensure_ascii=False).encode(),
             json.dumps({"id": "legacy2", "text": "\u00e9t\u00e9"}, ensure_ascii=False).encode("cp1252")]
    path.write_bytes(b"\n".join(lines) + b"\n")
    articles, problems = _read_with_limit(path, 1000)
    assert [a.article_id for a in articles] == ["utf8", "legacy", "sep", "legacy2"]
    assert "Caf\u00e9 hit" in articles[0].text and "Caf\u00e9 \u2013 4" in articles[1].text
    assert "\u00e9t\u00e9" in articles[3].text
    [warning] = [p for p in problems if p.severity == "warning"]
    assert warning.source_row == 2 and "cp1252" in warning.reason
    [skipped] = [p for p in problems if p.severity == "skipped"]
    assert skipped.source_row == 3 and "over 1,048,576 bytes" in skipped.reason and "mixed.jsonl:3" in str(skipped)


def _read_with_limit(path: Path, max_bytes: int) -> tuple[list, list]:
    problems: list[Problem] = []
    return list(read_articles([path], problems, max_bytes=max_bytes)), problems


@pytest.mark.parametrize("raw,reason", [
    (b"", "empty file"), (b" \n" * 5000, "file holds only whitespace"), (b"%PDF-1.7\n{}\n", "binary file (PDF"),
    (b"\x01\x02\x03\x04" * 100, "mostly control characters"),
])
def test_ingest_jsonl_bad_files_are_named_as_whole_files_are(tmp_path, raw, reason):
    (tmp_path / "bad.jsonl").write_bytes(raw)
    articles, problems = _read(tmp_path / "bad.jsonl")
    assert articles == [] and len(problems) == 1 and reason in problems[0].reason


def test_ingest_jsonl_in_utf16_is_read_whole(tmp_path):
    (tmp_path / "wide.jsonl").write_bytes(codecs.BOM_UTF16_LE + (json.dumps({"id": "w", "text": BODY}) + "\n")
                                          .encode("utf-16-le"))
    articles, problems = _read(tmp_path / "wide.jsonl")
    assert [a.article_id for a in articles] == ["w"] and problems == []


@pytest.mark.parametrize("block", [5, 64, 1 << 24])
def test_ingest_jsonl_pieces_are_read_apart_as_the_whole_file(tmp_path, monkeypatch, block):
    """Byte ranges cut at line ends (wherever the scan's blocks end), read one by one with their
    first line numbers, give the items of the whole file; a line over the limit stays in one range."""
    from toolkit import ingest
    from toolkit.ingest import json_lines_pieces, read_file, read_json_lines

    monkeypatch.setattr(ingest, "_SCAN_BLOCK", block)
    rows = [json.dumps({"text": f"{BODY} Row {i}."}) for i in range(40)]
    rows[7] = json.dumps({"id": "huge", "text": "x" * 1_100_000})
    rows[9], rows[12] = "{broken", ""
    path = tmp_path / "feed.jsonl"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    pieces = json_lines_pieces(path, 1_000)
    assert len(pieces) >= 4 and pieces[1][2] == 9  # lines 1-8 (8 is the huge one), then from line 9
    apart = [item for start, end, line in pieces
             for item in read_json_lines(path, max_bytes=1_000, start=start, end=end, first_line=line)]
    assert apart == list(read_file(path, max_bytes=1_000))
    assert [p.source_row for p in apart if isinstance(p, Problem)] == [8, 10]
    assert json_lines_pieces(path, 10**9) == [(0, path.stat().st_size, 1)]


@pytest.mark.parametrize("block", [3, 1 << 24])
def test_ingest_big_csv_is_read_as_a_stream_as_it_is_read_whole(tmp_path, monkeypatch, block):
    """A CSV over ``CSV_STREAM_BYTES`` in UTF-8 is read row by row with the whole-file reading's
    rows and warnings (an unclosed quote at the end, blank lines at the end, characters cut across
    the scan's blocks); one that is not UTF-8 is read whole, as cp1252 with its warning."""
    from toolkit import ingest
    from toolkit.ingest import read_file

    monkeypatch.setattr(ingest, "_SCAN_BLOCK", block)
    content = ('title,text\nKyiv,"Caf\u00e9 hit, 3 drones."\n\nLviv,"Two\nlines"\nSumy,"never closed\n'
               'more,text\n\n\n')
    path = tmp_path / "feed.csv"
    path.write_bytes(content.encode("utf-8"))
    whole = list(read_file(path))
    assert any("never closed" in p.reason for p in whole if isinstance(p, Problem))
    monkeypatch.setattr(ingest, "CSV_STREAM_BYTES", 0)
    opened = []
    real_open = ingest.open if hasattr(ingest, "open") else open
    monkeypatch.setattr(ingest, "open", lambda *a, **k: opened.append(k.get("encoding")) or real_open(*a, **k),
                        raising=False)
    assert list(read_file(path)) == whole
    assert "utf-8-sig" in opened  # it was streamed, not read whole
    path.write_bytes(content.encode("cp1252"))
    opened.clear()
    legacy = list(read_file(path))
    assert "utf-8-sig" not in opened and any("cp1252" in p.reason for p in legacy if isinstance(p, Problem))


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".json"])
def test_ingest_big_collections_are_read_in_memory_of_a_row(tmp_path, monkeypatch, suffix):
    """Reading every article of a 4 MB JSON Lines, (big) CSV or (big) JSON array file never holds
    the file: the peak of memory allocated while reading stays under a quarter of its size (read
    whole, the bytes and the text alone take twice its size)."""
    import tracemalloc

    from toolkit import ingest
    from toolkit.ingest import read_file

    monkeypatch.setattr(ingest, "CSV_STREAM_BYTES", 1_000_000)
    monkeypatch.setattr(ingest, "JSON_STREAM_BYTES", 1_000_000)
    monkeypatch.setattr(ingest, "_SCAN_BLOCK", 1 << 16)
    monkeypatch.setattr(ingest, "_JSON_BLOCK", 1 << 16)
    body = BODY.replace("\n", " ")
    path = tmp_path / f"big{suffix}"
    rows = (f'r{i},"{body} Row {i}."' if suffix == ".csv" else json.dumps({"id": f"r{i}", "text": f"{body} Row {i}."})
            for i in range(40_000))
    path.write_text("id,text\n" + "\n".join(rows) + "\n" if suffix == ".csv" else "\n".join(rows) + "\n"
                    if suffix == ".jsonl" else "[\n" + ",\n".join(rows) + "\n]\n", encoding="utf-8")
    size = path.stat().st_size
    assert size > 4_000_000
    tracemalloc.start()
    try:
        count = sum(1 for item in read_file(path) if not isinstance(item, Problem))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 40_000 and peak < size / 4


def test_resume_json_lines_reads_only_what_was_appended_and_refuses_an_edited_file(tmp_path):
    from toolkit.ingest import LinesRead, read_file, resume_json_lines

    path = tmp_path / "wire.jsonl"
    lines = [json.dumps({"id": f"a{n}", "text": f"Russia launched {n} drones at Kyiv."}) + "\n" for n in range(1, 4)]
    path.write_text("".join(lines[:2]), encoding="utf-8")
    read = LinesRead()
    assert [a.article_id for a in read_file(path, read=read)] == ["a1", "a2"]
    entry = read.entry()
    assert entry is not None and (entry["end"], entry["line"]) == (path.stat().st_size, 2)
    items, again = resume_json_lines(path, entry)
    assert list(items) == [] and again.entry() == entry  # nothing added
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n" + lines[2])
    items, again = resume_json_lines(path, entry)
    assert [(a.article_id, a.source_row) for a in items] == [("a3", 4)]
    whole = LinesRead()
    list(read_file(path, read=whole))
    assert again.entry() == whole.entry()  # as if the whole file had been read now
    path.write_text("".join(lines[:2]).replace("a1", "b1") + lines[2], encoding="utf-8")
    assert resume_json_lines(path, entry) is None  # the bytes read before changed
    path.write_text(lines[0], encoding="utf-8")
    assert resume_json_lines(path, entry) is None  # shorter than what was read
    path.write_bytes(codecs.BOM_UTF16_LE + "".join(lines).encode("utf-16-le"))
    utf16 = LinesRead()
    assert len(list(read_file(path, read=utf16))) == 3 and utf16.entry() is None  # read whole: no resume


def test_resume_json_array_reads_only_the_items_added_and_refuses_an_edited_file(tmp_path, monkeypatch):
    """A big JSON array dumped again with more items is read on from its last item; an edit before
    it, bytes added that are not UTF-8, or a file small enough to be read whole again are not."""
    from toolkit import ingest
    from toolkit.ingest import LinesRead, read_file, resume_json_array

    monkeypatch.setattr(ingest, "JSON_STREAM_BYTES", 100)
    records = [{"id": f"a{n}", "text": f"Russia launched {n} drones at Kyiv."} for n in range(1, 5)]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(records[:2], indent=2), encoding="utf-8")
    read = LinesRead()
    assert [a.article_id for a in read_file(path, read=read)] == ["a1", "a2"]
    entry = read.entry()
    assert entry is not None and (entry["items"], entry["line"]) == (2, 8)
    assert path.read_bytes()[entry["end"] - 1:] == b"}\n]"  # the last item's end
    items, again = resume_json_array(path, entry)
    assert list(items) == [] and again.entry() == entry  # nothing added
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    items, again = resume_json_array(path, entry)
    assert [(a.article_id, a.source_row) for a in items] == [("a3", 3), ("a4", 4)]
    whole = LinesRead()
    list(read_file(path, read=whole))
    assert again.entry() == whole.entry() and whole.entry()["items"] == 4
    path.write_text(json.dumps(records, indent=2) + "\n[]", encoding="utf-8")  # extra data: read whole
    extra = LinesRead()
    got = list(read_file(path, read=extra))
    assert len(got) == 5 and got[-1].reason == "invalid JSON: Extra data" and extra.entry() is None
    path.write_text(json.dumps(records, indent=2).replace("a1", "b1"), encoding="utf-8")
    assert resume_json_array(path, entry) is None  # the bytes read before changed
    path.write_bytes(json.dumps(records[:2], indent=2)[:-2].encode() + b',\n  {"text": "Caf\xe9."}\n]')
    assert resume_json_array(path, entry) is None  # what was added is not UTF-8: read whole (cp1252)
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    monkeypatch.setattr(ingest, "JSON_STREAM_BYTES", 10_000)
    assert resume_json_array(path, entry) is None  # now read whole, with json.loads
    small = LinesRead()
    assert len(list(read_file(path, read=small))) == 4 and small.entry() is None


def test_ingest_big_json_array_is_read_item_by_item_and_keeps_the_items_before_an_error(tmp_path, monkeypatch):
    """A ``.json`` array over ``JSON_STREAM_BYTES`` is read an item at a time: the items of a whole
    reading, and the items before a syntax error with the whole reading's problem (a whole reading
    keeps none). An object holding the articles, or a file that is not UTF-8, is read whole."""
    from toolkit import ingest
    from toolkit.ingest import read_file

    monkeypatch.setattr(ingest, "_JSON_BLOCK", 16)
    records = [{"id": f"r{n}", "text": f"Russia launched {n} drones at Kyiv."} for n in range(1, 5)]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")
    whole = list(read_file(path))
    monkeypatch.setattr(ingest, "JSON_STREAM_BYTES", 0)
    decoded = []
    real_loads = ingest.json.loads
    monkeypatch.setattr(ingest.json, "loads", lambda *a, **k: decoded.append(1) or real_loads(*a, **k))
    assert list(read_file(path)) == whole and [a.article_id for a in whole] == ["r1", "r2", "r3", "r4"]
    assert decoded == []  # item by item, not json.loads of the whole text
    path.write_text(json.dumps(records, indent=1).replace('"r3",', '"r3"'), encoding="utf-8")  # a comma missing
    streamed = list(read_file(path))
    assert [a.article_id for a in streamed if isinstance(a, Article)] == ["r1", "r2"]
    assert streamed[-1].reason == "invalid JSON: Expecting ',' delimiter" and streamed[-1].source_row == 12
    assert len(decoded) == 0
    path.write_text(json.dumps({"articles": records}), encoding="utf-8")
    assert [a.article_id for a in read_file(path)] == ["r1", "r2", "r3", "r4"] and len(decoded) == 1
    path.write_bytes(json.dumps(records, ensure_ascii=False).replace("Kyiv", "Kyiv\u00e9").encode("cp1252"))
    legacy = list(read_file(path))
    assert len(decoded) == 2 and "cp1252" in legacy[0].reason and len(legacy) == 5


def test_ingest_json_record_with_a_url_that_is_not_a_string_is_read(tmp_path):
    """A feed's ``url`` of true, a number or a list used to raise in the date-from-URL reading and
    so drop every article of the file; it is read as text now."""
    from toolkit.ingest import read_file

    path = tmp_path / "feed.json"
    path.write_text(json.dumps([{"id": "a", "text": BODY, "url": True}, {"id": "b", "text": BODY, "url": [1]},
                                {"id": "c", "text": BODY, "url": "https://example.org/2025/03/04/kyiv"}]))
    items = list(read_file(path))
    assert [(a.article_id, a.url, a.published) for a in items] == [
        ("a", "True", None), ("b", "[1]", None), ("c", "https://example.org/2025/03/04/kyiv", "2025-03-04")]


_CSV_ROWS = [b'w%d,"Russia sent %d drones at Sumy. Item %d."\n' % (n, n, n) for n in range(40)]
_CSV_ODD = [*ODD_LINES, b"w4,x"]  # and a last line without its line end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(st.sampled_from(_CSV_ROWS), st.sampled_from(_CSV_ODD)), min_size=3, max_size=30),
       bom=st.booleans())
@example(lines=[_CSV_ODD[4], *(_CSV_ROWS[n] for n in (8, 35, 6, 31, 19, 34, 31)), _CSV_ODD[6], _CSV_ODD[5],
                _CSV_ROWS[16], _CSV_ROWS[37], _CSV_ODD[1], *(_CSV_ROWS[n] for n in (16, 2, 8, 37)), _CSV_ODD[7],
                _CSV_ODD[1], _CSV_ROWS[15]], bom=False)  # judged by the last line in a range before the last
def test_ingest_csv_pieces_record_what_a_streamed_read_records(tmp_path_factory, monkeypatch, lines, bom):
    """The :class:`LinesRead` that ``csv_pieces`` fills while it cuts a big CSV file into ranges (for
    a later run to read only the rows appended) is the one a whole streamed read of the file records:
    its end, last line, hash, and whether a row depends on where the file ends."""
    from toolkit import ingest
    from toolkit.ingest import LinesRead, csv_pieces

    monkeypatch.setattr(ingest, "CSV_STREAM_BYTES", 0)
    path = tmp_path_factory.mktemp("cut") / "feed.csv"
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + b"id,text\n" + b"".join(lines))
    whole, cut = LinesRead(), LinesRead()
    list(read_file(path, 5_000_000, whole))
    pieces = csv_pieces(path, 120, cut)
    if len(pieces) == 1:
        assert cut.end == 0  # a file of one range is read whole: nothing recorded
        return
    assert (cut.end, cut.line, cut.whole_lines, cut.tied_to_end, cut.digest.hexdigest()) == \
        (whole.end, whole.line, whole.whole_lines, whole.tied_to_end, whole.digest.hexdigest())


_JSONL_LINES = [b'{"id": "a%d", "text": "Russia sent %d drones at Sumy overnight."}\n' % (n, n) for n in range(30)] + [
    b"\n", b"{broken\n", b'{"text": "Rep\xf6rt: 4 drones."}\n', b'{"text": "CRLF line, 5 drones."}\r\n', b"   \n"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.sampled_from(_JSONL_LINES), min_size=1, max_size=30), bom=st.booleans(),
       last_line_end=st.booleans())
def test_ingest_json_lines_pieces_record_what_a_line_by_line_read_records(tmp_path_factory, lines, bom,
                                                                          last_line_end):
    """The :class:`LinesRead` that ``json_lines_pieces`` fills while it cuts a JSON Lines file into
    ranges is the one a whole line-by-line read of the file records (end, last line, whether the
    last line is whole, hash), so that a later run reads only the lines appended after either."""
    from toolkit.ingest import LinesRead, json_lines_pieces

    content = (codecs.BOM_UTF8 if bom else b"") + b"".join(lines)
    if not last_line_end:
        content = content.rstrip(b"\n")
    path = tmp_path_factory.mktemp("cut") / "feed.jsonl"
    path.write_bytes(content)
    whole, cut = LinesRead(), LinesRead()
    list(read_file(path, 5_000_000, whole))
    pieces = json_lines_pieces(path, 120, cut)
    if len(pieces) == 1:
        return  # read whole, by one task
    assert (cut.end, cut.line, cut.whole_lines, cut.digest.hexdigest()) == \
        (whole.end, whole.line, whole.whole_lines, whole.digest.hexdigest())
    assert [p[0] for p in pieces[1:]] == [p[1] for p in pieces[:-1]] and pieces[-1][1] == len(content)
