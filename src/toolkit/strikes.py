"""Strike facts of one article: weapon counts (:mod:`toolkit.counts`) and their
impacts — places, infrastructure, casualties, outages (:mod:`toolkit.impacts`,
with places from :mod:`toolkit.places`).
"""
from __future__ import annotations

from typing import Any

from . import counts, impacts
from .records import Article
from .schema import STRIKE_TABLES
from .text import split_sentences


def extract_strikes(article: Article) -> dict[str, list[dict[str, Any]]]:
    """Rows for the strike tables of one article (see :mod:`toolkit.schema`)."""
    sentences = split_sentences(article.text)
    tables: dict[str, list[dict[str, Any]]] = {table: [] for table in STRIKE_TABLES}
    tables["strike_counts"] = counts.extract_counts(article, sentences)
    tables.update(impacts.extract_impacts(article, sentences, tables["strike_counts"]))
    return tables


def strike_facts(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The strike fields of the facts contract (FACTS.md) from an article's strike rows."""
    facts: dict[str, Any] = {"strike_counts": counts.counts_facts(tables.get("strike_counts", []))}
    facts.update(impacts.impacts_facts(tables))
    return facts
