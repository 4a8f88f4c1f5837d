"""Diplomacy facts: meetings, participants, plans, people, positions.

Placeholder until the diplomacy rules land (issue #4): returns no facts, in
the right shape.
"""
from __future__ import annotations

from typing import Any

from .records import Article

DIPLOMACY_TABLES = ("meetings", "participants", "plans", "people", "positions")


def extract_diplomacy(article: Article) -> dict[str, list[dict[str, Any]]]:
    """Rows for the diplomacy tables of one article (see :mod:`toolkit.schema`)."""
    return {table: [] for table in DIPLOMACY_TABLES}


def diplomacy_facts(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The diplomacy fields of the facts contract (FACTS.md) from an article's rows."""
    return {"meetings": [], "plans": [], "people": []}
