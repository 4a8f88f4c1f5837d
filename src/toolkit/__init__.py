"""Read Russia-Ukraine war strike and diplomacy reporting into tidy, evidence-backed tables.

The public API (what a notebook needs)::

    import toolkit
    articles = list(toolkit.read_articles("data/articles"))
    facts = toolkit.article_facts(articles[0])           # the FACTS.md contract
    extraction = toolkit.extract(articles[0])            # every fact with its evidence
    toolkit.build_dataset("data/articles", "data/processed")
    tables = toolkit.load_dataset("data/processed")      # dict of DataFrames
    toolkit.aggregate.interception_rates(tables)         # one call per research question
    toolkit.compare_with_official(tables, toolkit.load_official(CSV))

Heavy modules are imported lazily so that ``import toolkit`` stays fast.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "read_articles": "ingest",
    "article_from_text": "ingest",
    "extract": "extract",
    "to_facts": "extract",
    "article_facts": "extract",
    "build_tables": "tables",
    "build_dataset": "corpus",
    "load_dataset": "corpus",
    "Article": "records",
    "Problem": "records",
    "Extraction": "records",
    "load_official": "official",
    "compare_with_official": "official",
}
_SUBMODULES = {"aggregate", "official", "schema", "widgets", "plots", "highlight"}

__all__ = sorted(_EXPORTS) + sorted(_SUBMODULES)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
        globals()[name] = value
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
