"""Untrusted text (issue #8): formula cells in CSV exports, article ids that try to leave the
output folder, and no network access while parsing HTML."""
from __future__ import annotations

import csv
import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.corpus import build_dataset
from toolkit.ingest import read_articles, safe_article_id

BODY = "Russia sent 30 attack drones towards Kharkiv overnight and air defence downed 25 of them."

FORMULAS = ['=HYPERLINK("https://attacker.example/x","click")', "+1+1", "-2+3", "@SUM(A1:A9)",
            "=cmd|' /C calc'!A0"]


def test_security_csv_export_neutralises_formula_cells_through_a_real_parse(tmp_path):
    rows = [{"id": f"f{i}", "title": formula, "text": BODY, "outlet": formula} for i, formula in enumerate(FORMULAS)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--no-progress",
                                        "--csv"])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "out" / "csv" / "articles.csv", newline="", encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    assert len(exported) == len(FORMULAS)
    for row in exported:
        for column in ("title", "outlet"):
            assert row[column][0] not in "=+-@", row[column]
            assert row[column].startswith("'") and row[column][1:] in FORMULAS
    # the Parquet tables keep the text as it was: only the spreadsheet export is defused
    import toolkit

    titles = set(toolkit.load_dataset(tmp_path / "out")["articles"]["title"])
    assert titles == set(FORMULAS)


HOSTILE_IDS = ["../../escaped", "../escaped-too", "/tmp/absolute-escape", "..", ".", "a/../../b",
               "C:\\Windows\\evil", "~/home-escape", "nested/dir/id", "\x00nul", ""]


@pytest.mark.parametrize("raw", HOSTILE_IDS)
def test_security_safe_article_id_never_holds_a_path(raw):
    cleaned = safe_article_id(raw)
    assert cleaned and "/" not in cleaned and "\\" not in cleaned and not cleaned.startswith(".")
    assert ".." not in cleaned and "\x00" not in cleaned
    assert Path(cleaned).name == cleaned


def _hostile_inputs(folder: Path) -> None:
    folder.mkdir()
    rows = [{"id": raw, "text": BODY} for raw in HOSTILE_IDS]
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    (folder / "front.md").write_text(f"---\ntitle: T\narticle_id: ../../front-escape\n---\n{BODY}\n",
                                     encoding="utf-8")
    (folder / "abs.md").write_text(f"---\ntitle: T\nid: /tmp/front-absolute\n---\n{BODY}\n", encoding="utf-8")


def _all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.mark.parametrize("command", ["facts", "parse"])
def test_security_ids_from_metadata_never_write_outside_the_output_folder(tmp_path, command):
    work = tmp_path / "work"
    work.mkdir()
    _hostile_inputs(work / "in")
    out = work / "deep" / "out"
    before = _all_files(tmp_path)
    args = [command, str(work / "in"), "-o", str(out)] + (["--no-progress"] if command == "parse" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    created = _all_files(tmp_path) - before
    assert created, "something was written"
    for path in created:
        assert path.resolve().is_relative_to(out.resolve()) or path == out.parent, path
    for name in ("escaped", "escaped-too", "front-escape", "front-absolute", "absolute-escape"):
        assert not (Path("/tmp") / name).exists() and not (tmp_path / name).exists()
    if command == "facts":
        files = sorted(p.name for p in out.iterdir())
        assert len(files) == len(HOSTILE_IDS) + 2  # every article kept, under a safe unique name
        assert all(p.parent == out for p in out.iterdir())


@pytest.fixture
def no_network(monkeypatch):
    """Fail loudly (and record) if anything opens a connection or resolves a name."""
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted during a test that forbids it")

    monkeypatch.setattr(socket.socket, "connect", lambda self, *a: refuse(*a))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, *a: refuse(*a))
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


REMOTE_PAGE = """<!doctype html><html><head><title>Strike on Odesa port</title>
<link rel="stylesheet" href="https://cdn.attacker.example/site.css">
<link rel="canonical" href="https://news.attacker.example/2025/03/04/odesa-port">
<meta property="og:url" content="https://news.attacker.example/2025/03/04/odesa-port">
<meta property="og:image" content="https://img.attacker.example/cover.jpg">
<meta http-equiv="refresh" content="0; url=https://redirect.attacker.example/">
<script src="http://tracker.attacker.example/t.js"></script>
<base href="https://base.attacker.example/"></head>
<body><article><h1>Strike on Odesa port</h1>
<p>Russia sent 30 attack drones towards Odesa overnight and air defence downed 25 of them, the navy said.</p>
<img src="https://img.attacker.example/a.jpg" srcset="https://img.attacker.example/b.jpg 2x">
<iframe src="https://video.attacker.example/embed/1"></iframe>
<object data="https://obj.attacker.example/x.swf"></object>
<p>A grain warehouse caught fire after debris fell on the port, regional officials said on Tuesday.</p>
</article></body></html>"""


@pytest.mark.parametrize("content", [
    REMOTE_PAGE,
    "https://news.attacker.example/2025/03/04/a-page-that-is-only-a-url",
    '<html><body><p><a href="https://x.attacker.example/">link</a></p></body></html>',
])
def test_security_html_parsing_makes_no_network_access(tmp_path, no_network, content):
    (tmp_path / "page.html").write_text(content, encoding="utf-8")
    problems: list = []
    articles = list(read_articles(tmp_path, problems))
    build_dataset(tmp_path, tmp_path / "out", progress=False)
    assert no_network == []
    if content is REMOTE_PAGE:
        [article] = articles
        assert "30 attack drones" in article.text and article.published == "2025-03-04"


def test_security_no_network_fixture_really_blocks(no_network):
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    assert no_network
