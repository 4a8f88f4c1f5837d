"""Record types shared by every module: an article, and the problems met reading one."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Article:
    """One article as the toolkit reads it.

    ``text`` is the normalised body (smart quotes and non-breaking spaces
    folded, line endings unified). ``published`` is an ISO date or None.
    ``source_path`` is the file it came from and ``source_row`` its line or
    row inside a collection (None for single-article files).
    """

    article_id: str
    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    source_path: str | None = None
    source_row: int | None = None
    content_hash: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The article as a plain dict (one row of the ``articles`` table)."""
        return asdict(self)


@dataclass
class Problem:
    """Something that could not be read: which file (and row), and why."""

    source_path: str
    reason: str
    source_row: int | None = None
    severity: str = "skipped"  # skipped | warning

    def __str__(self) -> str:
        where = self.source_path + (f":{self.source_row}" if self.source_row is not None else "")
        return f"{where}: {self.reason}"


@dataclass
class Extraction:
    """Every fact extracted from one article, as rows of the toolkit's tables.

    Keys are table names (``strike_counts``, ``places``, ``meetings``...);
    each row is a dict whose columns are described in :mod:`toolkit.schema`.
    """

    article: Article
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Rows of one table (an empty list if the article has none)."""
        return self.tables.get(table, [])
