"""Cross-cutting checks over every extractor: evidence spans, contract form, robustness on real text."""
from __future__ import annotations

import json

import pytest

from toolkit import schema
from toolkit.extract import CONTRACT_FIELDS, article_facts, extract
from toolkit.ingest import article_from_text, read_articles
from toolkit.tables import build_tables


def _dev_articles(shared):
    return list(read_articles(shared / "eval" / "dev" / "articles"))


def test_extract_every_fact_has_its_evidence_span(root, shared):
    articles = _dev_articles(shared) + list(read_articles(root / "data" / "articles"))
    checked = 0
    for article in articles:
        extraction = extract(article)
        for table, rows in extraction.tables.items():
            for row in rows:
                if "evidence" not in schema.TABLES[table]:
                    continue
                start, end = row.get("start_char"), row.get("end_char")
                assert start is not None and end is not None, (article.article_id, table, row)
                assert article.text[start:end] == row["evidence"], (article.article_id, table, row)
                checked += 1
    assert checked > 1000  # every table with evidence was checked, row by row


def test_extract_tables_conform_to_schema(shared):
    tables = build_tables(extract(a) for a in _dev_articles(shared))
    for name, frame in tables.items():
        schema.check(name, frame)


def test_extract_contract_is_json_serialisable_and_ordered(shared):
    for article in _dev_articles(shared)[:20]:
        facts = article_facts(article)
        assert tuple(facts) == CONTRACT_FIELDS
        json.dumps(facts)


def test_extract_never_raises_on_real_news(shared):
    path = shared / "data" / "news" / "gdelt_war_articles_2022_2024.jsonl"
    n = 0
    for article in read_articles(path):
        extract(article)
        n += 1
    assert n == 447


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "1,2,3 10^9", "(((", "Kyiv" * 1000, "a." * 5000])
def test_extract_odd_text_does_not_raise(text):
    if not text.strip():
        pytest.skip("empty text is refused at ingestion")
    extract(article_from_text(text))


def test_extract_reads_no_rule_or_gazetteer_file_after_the_first_article(root, monkeypatch):
    """Rule files and gazetteers are loaded once per process, never again per article."""
    import builtins
    import pathlib

    import yaml

    articles = list(read_articles(root / "data" / "articles"))
    expected = [extract(article).tables for article in articles]  # the first one loads every rule file

    def refuse(*args, **kwargs):
        raise AssertionError(f"a file was read during extraction: {args[:1]}")

    for owner, name in ((pathlib.Path, "read_text"), (pathlib.Path, "read_bytes"), (pathlib.Path, "open"),
                        (builtins, "open"), (yaml, "load"), (yaml, "safe_load")):
        monkeypatch.setattr(owner, name, refuse)
    # (extract logs a failing extractor and goes on: compare the tables, which would lose its facts)
    assert [extract(article).tables for article in articles] == expected
