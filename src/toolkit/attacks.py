"""Reports in, attacks out: group the strike figures of many articles into attacks and reconcile them.

An *attack* is everything one attacker fired in one night or day. An article's
figures belong to the attack of its ``published_date`` (an overnight attack
belongs to the morning it is reported, in Kyiv time), unless the row carries
its own ``attack_date``. Only ``scope == "attack"`` figures are grouped:
cumulative totals ("this week", "since 2022") are never added to nightly ones.

Reconciliation, per attack, weapon class and event (launched, intercepted,
hit, lost):

1. each article offers one figure: its class-level figure (a row without a
   weapon model; when several, the best by the ranking below, which puts
   national figures before regional sub-counts), else the sum of its distinct
   per-model figures;
2. across articles the ``rule`` picks one figure:
   ``official_first`` (default) ranks by attribution (``data/source_ranks.csv``:
   Air Force first), then specificity of the qualifier (exact, about, at
   least / up to), then the larger figure (an interim "at least 50" is
   superseded by the final tally), then article id;
   ``conservative`` takes the lowest figure (ACLED's "most conservative
   estimate" rule);
3. every offered figure stays in :func:`conflicts`, with the chosen one marked.

Unknown stays unknown: a class or event no article gives is null, never zero.
Pure functions of the tables returned by :func:`toolkit.load_dataset`.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from . import schema
from .gazetteer import load_csv

EVENTS = ("launched", "intercepted", "hit", "lost")
RULES = ("official_first", "conservative")
QUALIFIER_RANK = {"exact": 0, "about": 1, "at_least": 2, "up_to": 2}
#: Attacker assumed for an article that gives no strike figure of its own (places, damage, casualties only).
DEFAULT_ATTACKER = "russia"

ATTACK_COLUMNS = ["attack_id", "attack_date", "attacker", "weapon_class", *EVENTS, "n_reports", "article_ids"]
CONFLICT_COLUMNS = ["attack_id", "attack_date", "attacker", "weapon_class", "event", "article_id", "fact_ids",
                    "count", "qualifier", "source", "source_rank", "is_chosen", "evidence"]
_DTYPES = {"attack_id": "string", "attack_date": "string", "attacker": "string", "weapon_class": "string",
           "launched": "Int64", "intercepted": "Int64", "hit": "Int64", "lost": "Int64", "n_reports": "Int64",
           "article_ids": "string", "event": "string", "article_id": "string", "fact_ids": "string",
           "count": "Int64", "qualifier": "string", "source": "string", "source_rank": "Int64",
           "is_chosen": "boolean", "evidence": "string"}


def typed_frame(rows: list[dict[str, Any]] | pd.DataFrame, columns: list[str],
                dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    """Rows as a frame with exactly ``columns``, typed from ``dtypes`` (then :data:`_DTYPES`, then schema)."""
    frame = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for column in columns:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[columns].reset_index(drop=True)
    types = {}
    for column in columns:
        dtype = (dtypes or {}).get(column) or _DTYPES.get(column)
        if dtype is None and column in schema.FIELDS:
            dtype = schema.FIELDS[column].dtype
        if dtype is not None:
            types[column] = dtype
    return frame.astype(types)


def tables_from_rows(**rows: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """A ``tables`` dict (like :func:`toolkit.load_dataset`'s) from a few rows per table; others empty.

    >>> tables = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-12-06"}])
    >>> len(tables["articles"]), len(tables["strike_counts"])
    (1, 0)
    """
    unknown = set(rows) - set(schema.TABLES)
    if unknown:
        raise KeyError(f"no table(s) {sorted(unknown)}")
    return {table: schema.conform(table, rows.get(table, [])) if rows.get(table) else schema.empty_frame(table)
            for table in schema.TABLES}


@lru_cache(maxsize=1)
def _source_patterns() -> tuple[tuple[str, int], ...]:
    rows = load_csv("source_ranks.csv", required=("pattern", "rank"), optional=("label",), key=("pattern",))
    return tuple((row["pattern"].lower(), int(row["rank"])) for row in rows)


def source_rank(source: Any) -> int:
    """Preference of an attribution (1 = Air Force ... 9 = unattributed); lower wins.

    >>> source_rank("Ukraine's Air Force"), source_rank("regional governor Ivan Petrenko"), source_rank(None)
    (1, 3, 9)
    """
    if source is None or (not isinstance(source, str) and pd.isna(source)):
        return 9
    text = str(source).lower()
    ranks = [rank for pattern, rank in _source_patterns() if pattern in text]
    return min(ranks) if ranks else 9


def article_attacks(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per article: article_id, published_date, attack_date, attacker, attack_id.

    The attacker is the one the article's own attack-scope figures name most
    often (``russia`` when it gives none); an undated article is an attack of
    its own (``undated-<article_id>``), never merged with others.

    >>> tables = tables_from_rows(articles=[{"article_id": "a", "published_date": "2024-11-26"}])
    >>> article_attacks(tables)["attack_id"].tolist()
    ['2024-11-26-russia']
    """
    articles = tables["articles"][["article_id", "published_date"]].drop_duplicates("article_id")
    counts = tables["strike_counts"]
    counts = counts[counts["scope"] == "attack"]
    attacker = (counts.dropna(subset=["attacker"]).groupby("article_id")["attacker"]
                .agg(lambda s: s.value_counts().sort_index().idxmax()) if len(counts) else pd.Series(dtype=object))
    frame = articles.copy()
    frame["attacker"] = frame["article_id"].map(attacker).fillna(DEFAULT_ATTACKER)
    frame["attack_date"] = frame["published_date"]
    frame["attack_id"] = _attack_ids(frame["attack_date"], frame["attacker"], frame["article_id"])
    return typed_frame(frame, ["article_id", "published_date", "attack_date", "attacker", "attack_id"])


def _attack_ids(dates: pd.Series, attackers: pd.Series, article_ids: pd.Series) -> list[str]:
    return [f"{d}-{a}" if isinstance(d, str) and d else f"undated-{i}-{a}"
            for d, a, i in zip(dates.astype(object).where(dates.notna(), None), attackers, article_ids)]


def _attack_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Attack-scope strike_counts rows with their attack's date and id."""
    counts = tables["strike_counts"]
    counts = counts[(counts["scope"] == "attack") & counts["count"].notna() & counts["event"].isin(EVENTS)
                    & counts["weapon_class"].notna() & counts["attacker"].notna()].copy()
    dates = tables["articles"].drop_duplicates("article_id").set_index("article_id")["published_date"]
    article_date = counts["article_id"].map(dates)
    if "attack_date" in counts.columns:  # a row's own date, when the extractor gives one, wins
        counts["attack_date"] = counts["attack_date"].fillna(article_date)
    else:
        counts["attack_date"] = article_date
    counts["attack_id"] = _attack_ids(counts["attack_date"], counts["attacker"], counts["article_id"])
    return counts


def _ranking(candidate: dict[str, Any], rule: str) -> tuple:
    qualifier = QUALIFIER_RANK.get(candidate["qualifier"] or "exact", 3)
    if rule == "conservative":
        return (candidate["count"], candidate["source_rank"], qualifier, candidate["article_id"])
    return (candidate["source_rank"], qualifier, -candidate["count"], candidate["article_id"])


def _article_candidate(rows: pd.DataFrame) -> dict[str, Any]:
    """The one figure an article offers for an attack, class and event."""
    first = rows.iloc[0]
    base = {"attack_id": first["attack_id"], "attack_date": first["attack_date"], "attacker": first["attacker"],
            "weapon_class": first["weapon_class"], "event": first["event"], "article_id": first["article_id"]}
    records = [{"count": int(r["count"]), "qualifier": r["qualifier"] if pd.notna(r["qualifier"]) else None,
                "source": r["source"] if pd.notna(r["source"]) else None, "source_rank": source_rank(r["source"]),
                "fact_id": r["fact_id"], "evidence": r["evidence"], "article_id": r["article_id"],
                "model": r["weapon_model"] if pd.notna(r["weapon_model"]) else None}
               for _, r in rows.iterrows()]
    class_level = [r for r in records if r["model"] is None]
    if class_level:
        # national figures before regional sub-counts: official_first ranking within the article
        best = min(class_level, key=lambda r: _ranking(r, "official_first"))
        return {**base, **{k: best[k] for k in ("count", "qualifier", "source", "source_rank", "evidence")},
                "fact_ids": best["fact_id"]}
    per_model: dict[str, dict[str, Any]] = {}
    for record in records:  # one figure per named model (a restated model is not counted twice)
        key = str(record["model"]).lower()
        if key not in per_model or _ranking(record, "official_first") < _ranking(per_model[key], "official_first"):
            per_model[key] = record
    parts = list(per_model.values())
    qualifiers = {p["qualifier"] or "exact" for p in parts}
    return {**base, "count": sum(p["count"] for p in parts),
            "qualifier": "exact" if qualifiers == {"exact"} else sorted(qualifiers - {"exact"})[0],
            "source": parts[0]["source"], "source_rank": min(p["source_rank"] for p in parts),
            "evidence": " | ".join(dict.fromkeys(str(p["evidence"]) for p in parts)),
            "fact_ids": ",".join(str(p["fact_id"]) for p in parts)}


def _candidates(tables: dict[str, pd.DataFrame], rule: str) -> list[dict[str, Any]]:
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose one of {RULES}")
    rows = _attack_rows(tables)
    if rows.empty:
        return []
    candidates = []
    for (attack_id, weapon_class, event, article_id), group in rows.groupby(
            ["attack_id", "weapon_class", "event", "article_id"], sort=True):
        candidates.append(_article_candidate(group))
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for candidate in candidates:
        groups.setdefault((candidate["attack_id"], candidate["weapon_class"], candidate["event"]), []).append(candidate)
    for group in groups.values():
        chosen = min(group, key=lambda c: _ranking(c, rule))
        for candidate in group:
            candidate["is_chosen"] = candidate is chosen
    return candidates


def conflicts(tables: dict[str, pd.DataFrame], rule: str = "official_first") -> pd.DataFrame:
    """Every figure offered for every attack, class and event, one row per article, the chosen one marked.

    >>> tables = tables_from_rows(
    ...     articles=[{"article_id": "early", "published_date": "2024-11-26"},
    ...               {"article_id": "final", "published_date": "2024-11-26"}],
    ...     strike_counts=[{"article_id": "early", "fact_id": "e1", "scope": "attack", "attacker": "russia",
    ...                     "event": "launched", "weapon_class": "drone", "count": 50, "qualifier": "at_least"},
    ...                    {"article_id": "final", "fact_id": "f1", "scope": "attack", "attacker": "russia",
    ...                     "event": "launched", "weapon_class": "drone", "count": 188, "qualifier": "exact",
    ...                     "source": "Air Force"}])
    >>> conflicts(tables)[["article_id", "count", "is_chosen"]].values.tolist()
    [['early', 50, False], ['final', 188, True]]
    """
    frame = typed_frame(_candidates(tables, rule), CONFLICT_COLUMNS)
    return frame.sort_values(["attack_id", "weapon_class", "event", "article_id"], kind="stable",
                             ignore_index=True)


def attacks(tables: dict[str, pd.DataFrame], rule: str = "official_first") -> pd.DataFrame:
    """One row per reconciled attack and weapon class with launched / intercepted / hit / lost.

    ``n_reports`` counts the articles giving any figure for that attack and
    class; ``article_ids`` lists them. See the module docstring for the rules.

    >>> tables = tables_from_rows(
    ...     articles=[{"article_id": "a", "published_date": "2025-12-06"}],
    ...     strike_counts=[{"article_id": "a", "fact_id": "a1", "scope": "attack", "attacker": "russia",
    ...                     "event": "launched", "weapon_class": "drone", "count": 653, "qualifier": "exact"},
    ...                    {"article_id": "a", "fact_id": "a2", "scope": "attack", "attacker": "russia",
    ...                     "event": "intercepted", "weapon_class": "drone", "count": 585}])
    >>> attacks(tables)[["attack_date", "weapon_class", "launched", "intercepted", "hit"]].values.tolist()
    [['2025-12-06', 'drone', 653, 585, <NA>]]
    """
    candidates = _candidates(tables, rule)
    rows: dict[tuple, dict[str, Any]] = {}
    for candidate in candidates:
        key = (candidate["attack_id"], candidate["weapon_class"])
        row = rows.setdefault(key, {"attack_id": candidate["attack_id"], "attack_date": candidate["attack_date"],
                                    "attacker": candidate["attacker"], "weapon_class": candidate["weapon_class"],
                                    "articles": set()})
        row["articles"].add(candidate["article_id"])
        if candidate["is_chosen"]:
            row[candidate["event"]] = candidate["count"]
    out = []
    for row in rows.values():
        articles = sorted(row.pop("articles"))
        out.append({**row, "n_reports": len(articles), "article_ids": ",".join(articles)})
    frame = typed_frame(out, ATTACK_COLUMNS)
    return frame.sort_values(["attack_date", "attacker", "weapon_class"], kind="stable", na_position="last",
                             ignore_index=True)
