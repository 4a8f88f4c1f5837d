"""Strike facts: weapons launched / intercepted / hit / lost, places, targets, casualties, outages.

Placeholder until the strike rules land (issue #3): returns no facts, in the
right shape.
"""
from __future__ import annotations

from typing import Any

from .records import Article

STRIKE_TABLES = ("strike_counts", "places", "infrastructure", "casualties", "outages")


def extract_strikes(article: Article) -> dict[str, list[dict[str, Any]]]:
    """Rows for the strike tables of one article (see :mod:`toolkit.schema`)."""
    return {table: [] for table in STRIKE_TABLES}


def strike_facts(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The strike fields of the facts contract (FACTS.md) from an article's strike rows."""
    return {"strike_counts": [], "oblasts_struck": [], "casualties": [], "infrastructure": [], "outages": []}
