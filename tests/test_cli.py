"""The command line end to end, in-process with click's CliRunner."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from toolkit import load_dataset
from toolkit.cli import main
from toolkit.extract import CONTRACT_FIELDS

ENTRY_KEYS = {
    "strike_counts": {"scope", "attacker", "event", "weapon", "count", "qualifier"},
    "casualties": {"kind", "count", "qualifier"},
    "outages": {"service", "customers"},
    "meetings": {"place", "participants"},
    "plans": {"points"},
    "people": {"name", "affiliation"},
}


def _write_articles(folder):
    folder.mkdir()
    (folder / "wire.md").write_text("---\ntitle: Drones over Kyiv\npublished: 2025-12-06\n---\n"
                                    "Russia launched 50 drones at Kyiv overnight, the Air Force said.", encoding="utf-8")
    (folder / "talks.txt").write_text("Envoys meet in Miami\n\nSteve Witkoff met Rustem Umerov in Miami on Friday.",
                                      encoding="utf-8")
    return folder


def test_cli_help_lists_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("parse", "facts", "report", "demo", "schema"):
        assert command in result.output


def test_cli_facts_writes_contract_form(tmp_path):
    articles = _write_articles(tmp_path / "in")
    out = tmp_path / "facts"
    result = CliRunner().invoke(main, ["facts", str(articles), "-o", str(out)])
    assert result.exit_code == 0, result.output
    size = sum(p.stat().st_size for p in articles.iterdir())
    assert "100%|" in result.stderr and f" {size}/{size} " in result.stderr  # a bar over the input's bytes
    files = sorted(out.glob("*.json"))
    assert [f.stem for f in files] == ["talks", "wire"]
    for file in files:
        facts = json.loads(file.read_text(encoding="utf-8"))
        assert tuple(facts) == CONTRACT_FIELDS
        assert facts["article_id"] == file.stem
        for field, keys in ENTRY_KEYS.items():
            assert isinstance(facts[field], list)
            for entry in facts[field]:
                assert set(entry) == keys, (field, entry)
        assert all(isinstance(code, str) and code.startswith("UA-") for code in facts["oblasts_struck"])
    assert json.loads((out / "wire.json").read_text())["published"] == "2025-12-06"


def test_cli_facts_with_workers_writes_the_same_files(tmp_path, monkeypatch):
    """``toolkit facts --workers 2`` extracts chunks in parallel and writes byte-identical files."""
    import toolkit.cli

    monkeypatch.setattr(toolkit.cli, "FACTS_CHUNK", 7)  # several chunks and a partial last one
    samples = Path(__file__).resolve().parents[1] / "data" / "articles"
    outputs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        result = CliRunner().invoke(main, ["facts", str(samples), "-o", str(out), "--workers", workers])
        assert result.exit_code == 0, result.output
        outputs[workers] = {f.name: f.read_bytes() for f in out.glob("*.json")}
    assert outputs["2"] == outputs["1"] and len(outputs["1"]) > 7 * 3


def test_cli_facts_output_is_scored_by_shared_scorer(tmp_path, shared):
    out = tmp_path / "dev"
    result = CliRunner().invoke(main, ["facts", str(shared / "eval" / "dev" / "articles"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    score = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(out),
                            str(shared / "eval" / "dev" / "gold"), "--json"],
                           capture_output=True, text=True, check=True)
    report = json.loads(score.stdout)
    assert report["articles"] == len(list((shared / "eval" / "dev" / "gold").glob("*.json")))
    assert set(report["fields"]) == set(ENTRY_KEYS) | {"oblasts_struck", "infrastructure"}


def test_cli_parse_builds_dataset_and_strict_fails_on_skips(tmp_path):
    articles = _write_articles(tmp_path / "in")
    out = tmp_path / "dataset"
    result = CliRunner().invoke(main, ["parse", str(articles), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "2 articles" in result.output
    tables = load_dataset(out)
    assert sorted(tables["articles"]["article_id"]) == ["talks", "wire"]
    assert not (out / "csv").exists()  # CSV copies only when asked for
    result = CliRunner().invoke(main, ["parse", str(articles), "-o", str(out), "--no-progress", "--csv"])
    assert result.exit_code == 0, result.output
    assert (out / "csv" / "articles.csv").exists()
    (articles / "broken.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["parse", str(articles), "-o", str(out), "--no-progress", "--strict"])
    assert result.exit_code == 3
    assert "broken.txt" in result.output


def test_cli_missing_input_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["facts", str(tmp_path / "nope"), "-o", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "nope" in result.output


def test_cli_schema_prints_every_table():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert "### `strike_counts`" in result.output and "### `people`" in result.output


def test_cli_parse_workers_zero_means_every_usable_core_and_negative_is_refused(tmp_path, monkeypatch):
    import toolkit.cli
    import toolkit.corpus

    given = []
    build = toolkit.corpus.build_dataset
    monkeypatch.setattr(toolkit.corpus, "build_dataset", lambda *a, **k: given.append(k["workers"]) or build(*a, **k))
    monkeypatch.setattr(toolkit.cli, "usable_cores", lambda: 3)
    src = _write_articles(tmp_path / "in")
    result = CliRunner().invoke(main, ["parse", str(src), "-o", str(tmp_path / "ds"), "--workers", "0",
                                       "--no-progress"])
    assert result.exit_code == 0, result.output
    assert given == [3] and len(load_dataset(tmp_path / "ds")["articles"]) == 2
    refused = CliRunner().invoke(main, ["parse", str(src), "-o", str(tmp_path / "ds"), "--workers", "-1"])
    assert refused.exit_code == 2 and "-1 is not in the range x>=0" in refused.output


def test_cli_usable_cores_is_at_least_one():
    from toolkit.cli import usable_cores

    assert 1 <= usable_cores() <= (__import__("os").cpu_count() or 1)
