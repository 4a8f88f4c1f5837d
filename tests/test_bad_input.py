"""Bad input (issue #8): every fixture is made here in tmp_path, read in one batch with a good
article, and gets either a correct parse or a clear message naming the file (and row).

The table below is also the record of every bad input tried and its outcome.
"""
from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main, skip_reasons
from toolkit.extract import article_facts, extract
from toolkit.ingest import read_articles
from toolkit.records import Problem
from toolkit.text import find_numbers, split_sentences

GOOD = "Drones over Kharkiv\n\nRussia sent 30 attack drones towards Kharkiv overnight and air defence downed 25.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
ARTICLE_EN = "Russia fired 40 drones at Kyiv overnight, and air defence downed 35 of them, the air force said."


def _deep_html(depth: int) -> str:
    return ("<html><head><title>Nested</title></head><body>" + "<div>" * depth + f"<p>{ARTICLE_EN}</p>"
            + "</div>" * depth + "</body></html>")


NAV_ONLY = """<!doctype html><html><head><title>Portal</title>
<script src="https://cdn.example.org/app.js"></script><script>var queue = []; queue.push("drones 500");</script>
</head><body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<script>for (var i = 0; i < 3; i++) { queue.push(i); }</script>
<footer><a href="/terms">Terms</a></footer></body></html>"""

# (file name, content, outcome, what the message or the article must show)
#   outcome "skipped": one skipped Problem naming the file (and row) whose reason contains the fragment
#   outcome "article": read; the fragment is in the article text, and warnings (if any) name the file
#   outcome "warning": read, with a warning containing the fragment
CASES = [
    ("empty.txt", b"", "skipped", "empty file"),
    ("blank.txt", b" \n\t \n\n", "skipped", "only whitespace"),
    ("picture.txt", PNG, "skipped", "PNG image"),
    ("packed.md", gzip.compress(GOOD.encode() * 20), "skipped", "gzip archive"),
    ("latin.txt", ARTICLE_EN.encode() + b"\nCaf\xe9 owners in Kyiv \xff\xfe counted the damage.\n", "warning",
     "invalid UTF-8 at byte"),
    ("wide-le.txt", ("Headline\n\n" + ARTICLE_EN).encode("utf-16-le"), "warning", "decoded as utf-16-le"),
    ("wide-be.txt", ("Headline\n\n" + ARTICLE_EN).encode("utf-16-be"), "warning", "decoded as utf-16-be"),
    ("nav.html", NAV_ONLY.encode(), "skipped", "no article text"),
    ("deep300.html", _deep_html(300).encode(), "article", "40 drones at Kyiv"),
    ("deep5000.html", _deep_html(5000).encode(), "skipped", "nested 5,00"),
    ("ukrainian.txt", "Удари по Києву\n\nУночі Росія запустила 40 дронів по Києву, повідомили Повітряні сили. "
     "Сили протиповітряної оборони збили 35.\n".encode(), "warning", "mostly Cyrillic"),
    ("russian.txt", "Атака на Киев\n\nНочью Россия запустила 40 беспилотников по Киеву, сообщили в "
     "Воздушных силах Украины.\n".encode(), "warning", "mostly Cyrillic"),
    ("no-text-column.csv", b"title,url\nStrike,https://example.org/a\n", "skipped", "no 'text' column"),
    ("bad-date.md", f"---\ntitle: Dated\npublished: 2025-13-45\n---\n{ARTICLE_EN}\n".encode(), "warning",
     "'2025-13-45' is not a date"),
    ("word-date.md", f"---\ntitle: Dated\npublished: sometime soon\n---\n{ARTICLE_EN}\n".encode(), "warning",
     "is not a date"),
    ("broken-yaml.md", f"---\ntitle: [unclosed\n---\n{ARTICLE_EN}\n".encode(), "warning", "not valid YAML"),
    ("numbers.txt", b"Codes\n\nThe list 1,2,3 and a scale of 10^9 appear in the annex.\n", "article", "1,2,3"),
    ("long-sentence.txt", ("Long\n\n" + "drone " * 17_000 + "\n").encode(), "article", "drone drone"),
    ("controls.txt", bytes(range(1, 32)) * 100, "skipped", "control characters"),
    ("nul.txt", b"abc\x00\x01\x02\x03" * 200, "skipped", "binary"),
]


def _read(folder: Path) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    return list(read_articles(folder, problems)), problems


@pytest.mark.parametrize("name,content,outcome,fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_parsed_or_named_and_batch_goes_on(tmp_path, name, content, outcome, fragment):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    articles, problems = _read(tmp_path)
    ids = [a.article_id for a in articles]
    assert "good" in ids, "the batch must go on"
    mine = [p for p in problems if Path(p.source_path).name == name]
    assert all(name in str(p) for p in mine), "every message names the file"
    if outcome == "skipped":
        assert ids == ["good"]
        assert [p.severity for p in mine] == ["skipped"] and fragment in mine[0].reason, mine
    else:
        assert Path(name).stem in ids
        article = next(a for a in articles if a.article_id == Path(name).stem)
        extract(article)  # extraction copes with whatever was read
        if outcome == "warning":
            assert any(p.severity == "warning" and fragment in p.reason for p in mine), mine
        else:
            assert fragment in article.text
        assert not [p for p in mine if p.severity == "skipped"]


def test_bad_input_fifty_megabyte_file_is_skipped_with_size_message(tmp_path):
    with open(tmp_path / "huge.txt", "wb") as f:
        f.write(b"Drones were heard over the city again tonight. " * (50 * 2**20 // 47 + 1))
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    started = time.perf_counter()
    articles, problems = _read(tmp_path)
    assert time.perf_counter() - started < 5, "a huge file is refused from its size, not read whole"
    assert [a.article_id for a in articles] == ["good"]
    [problem] = problems
    assert problem.source_path.endswith("huge.txt")
    assert "52,428," in problem.reason and "over the limit" in problem.reason and "--max-bytes" in problem.reason


def test_bad_input_size_limit_per_article_in_collections(tmp_path):
    rows = [{"id": "small", "text": ARTICLE_EN}, {"id": "large", "text": "word " * 3_000}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    problems: list[Problem] = []
    articles = list(read_articles(tmp_path, problems, max_bytes=10_000))
    assert [a.article_id for a in articles] == ["small"]
    [problem] = problems
    assert problem.source_row == 2 and "over the limit of 10,000" in problem.reason


@pytest.mark.parametrize("content,good_rows,problem_rows", [
    # ragged rows: short and long rows are read with a warning naming the row
    ("title,text,url\nA,Russia fired 40 drones.,https://example.org/a\nB,Only two fields here\n"
     "C,Third row text,https://example.org/c,extra,more\n", [2, 3, 4], {3: "warning", 4: "warning"}),
    # embedded newlines in a quoted cell stay inside one article
    ('title,text\nA,"First line about drones.\nSecond line about missiles."\nB,Next row.\n', [2, 4], {}),
    # a semicolon file whose prose is full of commas: the delimiter comes from the header
    ("id;title;text\n1;Strike, again;Russia fired 40 drones, 3 missiles, and 2 bombs, officials said.\n",
     [2], {}),
    # tab-separated text saved as .csv
    ("title\ttext\nA\tRussia fired 40 drones, officials said.\n", [2], {}),
    # one column, unquoted commas: the row is read whole
    ("text\nRussia fired 40 drones, 3 missiles, and 2 bombs.\n", [2], {}),
    # an unterminated quote swallows the rest of the file: read, with a warning naming its row
    ('title,text\nA,Russia fired 40 drones.\nB,"never closed\nC,more\n', [2, 3], {3: "warning"}),
    # a row without text
    ("title,text\nA,\nB,Russia fired 40 drones.\n", [3], {2: "skipped"}),
])
@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_bad_input_csv_variants(tmp_path, monkeypatch, content, good_rows, problem_rows, streamed):
    """(``streamed``: read as big CSV files are, a row at a time.)"""
    import toolkit.ingest

    if streamed:
        monkeypatch.setattr(toolkit.ingest, "CSV_STREAM_BYTES", 0)
    (tmp_path / "feed.csv").write_text(content, encoding="utf-8")
    articles, problems = _read(tmp_path)
    assert [a.source_row for a in articles] == good_rows
    assert {p.source_row: p.severity for p in problems} == problem_rows
    if '"First' in content:
        assert "First line about drones.\nSecond line about missiles." in articles[0].text


def test_bad_input_unsupported_file_named_explicitly(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 not read")
    articles, problems = list(read_articles(tmp_path / "notes.docx")), []
    problems: list[Problem] = []
    assert list(read_articles(tmp_path / "notes.docx", problems)) == [] and not articles
    assert "notes.docx" in str(problems[0]) and "unsupported file type" in problems[0].reason


def test_bad_input_jsonl_with_one_broken_line(tmp_path):
    lines = [json.dumps({"id": "a", "text": ARTICLE_EN}), '{"id": "b", "text": "cut off', "[1, 2, 3]",
             json.dumps({"id": "d", "text": "Air defence downed 12 missiles over Odesa."})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, problems = _read(tmp_path)
    assert [a.article_id for a in articles] == ["a", "d"]
    assert [(p.source_row, p.severity) for p in problems] == [(2, "skipped"), (3, "skipped")]
    assert "invalid JSON" in problems[0].reason and "feed.jsonl:2" in str(problems[0])


@pytest.mark.parametrize("sentence", [
    "The list 1,2,3 and a scale of 10^9 appear in the annex.",
    "Version 2.3.4 of the plan, and 10^6 to 10^9 in the notes.",
])
def test_bad_input_number_lookalikes_are_not_counts(sentence):
    values = {value for value, _, _ in find_numbers(sentence)}
    assert not values & {1, 2, 3, 4, 6, 9, 10}
    facts = article_facts(_article(sentence))
    assert not [c for c in facts["strike_counts"] if c.get("value") in {1, 2, 3, 9, 10}]


def test_bad_input_hundred_thousand_character_sentence_is_quick():
    text = "Drones " + "and missiles " * 7_700 + "were launched at 40 towns."
    assert len(text) > 100_000
    started = time.perf_counter()
    sentences = split_sentences(text)
    extract(_article(text))
    assert time.perf_counter() - started < 5
    assert max(s.end - s.start for s in sentences) <= 2_000
    assert all(text[s.start:s.end] == s.text for s in sentences)


def _article(text: str):
    from toolkit.ingest import article_from_text

    return article_from_text(text, "probe")


def test_bad_input_cli_summary_counts_read_and_skipped_and_strict_fails(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content, _, _ in CASES:
        (folder / name).write_bytes(content)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "feed.jsonl").write_text(json.dumps({"text": ARTICLE_EN}) + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["parse", str(folder), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    n_skipped = sum(1 for c in CASES if c[2] == "skipped") + 1
    n_read = len(CASES) - n_skipped + 1 + 1 + 1  # the read cases, good.txt, the good JSONL line
    assert f"{n_read} articles in" in result.output and f"{n_skipped} skipped" in result.output
    assert "skipped, by reason:" in result.output and "feed.jsonl:2" in result.output
    assert "4 binary file, not text" in result.output  # PNG, gzip, NUL bytes, control characters
    strict = runner.invoke(main, ["parse", str(folder), "-o", str(out), "--no-progress", "--strict"])
    assert strict.exit_code == 3
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "good.txt").write_text(GOOD, encoding="utf-8")
    assert runner.invoke(main, ["parse", str(clean), "-o", str(tmp_path / "o2"), "--no-progress",
                                "--strict"]).exit_code == 0


@pytest.mark.parametrize("reasons,expected", [
    (["binary file (PNG image), not text", "binary file (gzip archive), not text"], {"binary file, not text": 2}),
    (["invalid JSON: Expecting value (column 1)"], {"invalid JSON": 1}),
    (["file is 52,428,800 bytes, over the limit of 20,000,000 (one article)"],
     {"file is N bytes, over the limit of N": 1}),
])
def test_bad_input_skip_reasons_group_by_kind(reasons, expected):
    assert skip_reasons([Problem("f.txt", r) for r in reasons] + [Problem("w.txt", "x", severity="warning")]) \
        == expected
