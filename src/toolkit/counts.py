"""Weapon counts: launched / intercepted / hit / lost, by class and model (issue #3).

Placeholder: the rules land with the strike extractor.
"""
from __future__ import annotations

from typing import Any

from .records import Article
from .text import Sentence


def extract_counts(article: Article, sentences: list[Sentence]) -> list[dict[str, Any]]:
    """``strike_counts`` rows of one article."""
    return []


def counts_facts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract's ``strike_counts`` entries (one per fact) from the rows."""
    return []
