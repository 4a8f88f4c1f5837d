"""One article in, every fact out: the strike and diplomacy extractors together.

``extract`` never raises on text: an extractor failure is logged and the
article keeps the facts the other extractor found.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from .diplomacy import diplomacy_facts, extract_diplomacy
from .records import Article, Extraction
from .strikes import extract_strikes, strike_facts
from .text import body_end

log = logging.getLogger(__name__)

#: Field order of the facts contract (FACTS.md).
CONTRACT_FIELDS = ("article_id", "published", "strike_counts", "oblasts_struck", "casualties",
                   "infrastructure", "outages", "meetings", "plans", "people")
_FACT_ID_TABLES = {"strike_counts", "places", "infrastructure", "casualties", "outages", "plans", "positions"}


def extract(article: Article) -> Extraction:
    """All facts of one article as table rows, each with its evidence span.

    >>> from toolkit.ingest import article_from_text
    >>> extract(article_from_text("Russia launched 50 drones.")).rows("strike_counts")  # doctest: +SKIP
    """
    tables: dict[str, list[dict[str, Any]]] = {}
    # Site navigation after the body is not part of the article (FACTS.md); spans
    # into the cut text are spans into the whole text.
    end = body_end(article.text)
    body = article if end == len(article.text) else replace(article, text=article.text[:end])
    for name, extractor in (("strikes", extract_strikes), ("diplomacy", extract_diplomacy)):
        try:
            tables.update(extractor(body))
        except Exception:  # one rule's bug must not lose the article: log it and go on
            log.exception("%s: %s extractor failed; its facts are missing", article.article_id, name)
    for table, rows in tables.items():
        for n, row in enumerate(rows, start=1):
            row["article_id"] = article.article_id
            if table in _FACT_ID_TABLES:
                row.setdefault("fact_id", f"{article.article_id}:{table}:{n}")
    return Extraction(article=article, tables=tables)


#: A short text (our own words) that takes every extractor through its rule files.
_WARM_UP_TEXT = (
    "Russia launched 50 Shahed drones and 3 Kh-101 cruise missiles at Ukraine overnight; air defence shot down "
    "45 drones and 2 missiles, the air force said on Saturday. A drone hit an energy substation in the Lviv "
    "region, killing 2 people and injuring 5, and 10,000 households were left without power. President "
    "Volodymyr Zelensky met Donald Trump in Miami on Friday to discuss the 20-point peace plan.")


def warm_up() -> None:
    """Load and compile every rule file now (about a second), e.g. in a parent process
    before it forks workers, which then share the compiled rules instead of each loading them."""
    from .ingest import article_from_text

    extract(article_from_text(_WARM_UP_TEXT, "warm-up", published="2025-12-06"))


def to_facts(extraction: Extraction) -> dict[str, Any]:
    """The facts contract (FACTS.md) for one article, fields in the contract's order."""
    facts: dict[str, Any] = {"article_id": extraction.article.article_id,
                             "published": extraction.article.published}
    for name, builder in (("strikes", strike_facts), ("diplomacy", diplomacy_facts)):
        try:
            facts.update(builder(extraction.tables))
        except Exception:
            log.exception("%s: %s facts failed", extraction.article.article_id, name)
    return {field: facts.get(field, []) for field in CONTRACT_FIELDS}


def article_facts(article: Article) -> dict[str, Any]:
    """Shortcut: the facts contract of one article."""
    return to_facts(extract(article))
