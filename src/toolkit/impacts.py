"""Impacts of strikes: places struck, infrastructure, casualties, outages (issue #3).

Placeholder: the rules land with the strike extractor.
"""
from __future__ import annotations

from typing import Any

from .records import Article
from .text import Sentence


def extract_impacts(article: Article, sentences: list[Sentence],
                    strike_counts: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``places``, ``infrastructure``, ``casualties`` and ``outages`` rows of one article."""
    return {"places": [], "infrastructure": [], "casualties": [], "outages": []}


def impacts_facts(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The contract's ``oblasts_struck``, ``casualties``, ``infrastructure``, ``outages``."""
    return {"oblasts_struck": [], "casualties": [], "infrastructure": [], "outages": []}
