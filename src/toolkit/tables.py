"""Facts to tidy DataFrames: one frame per table of :mod:`toolkit.schema`.

Pure: extractions in, frames out.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from . import schema
from .records import Article, Extraction, Problem

FACT_TABLES = tuple(t for t in schema.TABLES if t not in ("articles", "problems"))


def article_row(article: Article) -> dict[str, Any]:
    """The ``articles`` table row of one article."""
    return {
        "article_id": article.article_id, "title": article.title, "published_date": article.published,
        "url": article.url, "outlet": article.outlet, "source_path": article.source_path,
        "source_row": article.source_row, "content_hash": article.content_hash, "n_chars": len(article.text),
    }


def problem_row(problem: Problem) -> dict[str, Any]:
    """The ``problems`` table row of one skipped file or row."""
    return {"source_path": problem.source_path, "source_row": problem.source_row,
            "reason": problem.reason, "severity": problem.severity}


def rows_by_table(extractions: Iterable[Extraction]) -> dict[str, list[dict[str, Any]]]:
    """Gather the rows of many extractions per table (articles included)."""
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in schema.TABLES if t != "problems"}
    for extraction in extractions:
        rows["articles"].append(article_row(extraction.article))
        for table in FACT_TABLES:
            rows[table].extend(extraction.rows(table))
    return rows


def build_tables(extractions: Iterable[Extraction], problems: Iterable[Problem] = ()) -> dict[str, pd.DataFrame]:
    """Every table as a typed DataFrame, sorted by article and evidence position.

    >>> tables = build_tables([])
    >>> sorted(tables)[:3]
    ['articles', 'casualties', 'infrastructure']
    """
    rows = rows_by_table(extractions)
    frames = {table: schema.conform(table, table_rows) for table, table_rows in rows.items()}
    frames["problems"] = schema.conform("problems", [problem_row(p) for p in problems])
    return {table: sort_table(table, frame) for table, frame in frames.items()}


#: The columns that order a table's rows, in order of precedence (those of them it has).
SORT_KEYS = ("article_id", "start_char", "meeting_id", "fact_id", "person_name", "source_path", "source_row")


def sort_keys(columns: Iterable[str]) -> list[str]:
    """The columns of :data:`SORT_KEYS` among ``columns``, in order of precedence."""
    have = set(columns)
    return [c for c in SORT_KEYS if c in have]


def sort_table(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table in its canonical row order (so reruns and parallel runs give identical files):
    by :func:`sort_keys`, stable, missing values first."""
    keys = sort_keys(frame.columns)
    if frame.empty or not keys:
        return frame.reset_index(drop=True)
    return frame.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)
