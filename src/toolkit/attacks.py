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


def _kyiv_zone():
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    for name in ("Europe/Kyiv", "Europe/Kiev"):  # old tz data only knows "Europe/Kiev"
        try:
            return ZoneInfo(name)
        except ZoneInfoNotFoundError:
            continue
    return None


def kyiv_date(value: Any) -> str | None:
    """ISO date in Kyiv of a date or timestamp; a timestamp with a UTC offset is converted to Europe/Kyiv.

    Naive timestamps are taken as Kyiv local time (as the Air Force reports are).

    >>> kyiv_date("2025-11-28T23:30:00Z"), kyiv_date("2025-12-06 10:00"), kyiv_date("not a date")
    ('2025-11-29', '2025-12-06', None)
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    try:
        stamp = pd.Timestamp(str(value).strip())
    except (ValueError, TypeError):
        return None
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        zone = _kyiv_zone()
        stamp = stamp.tz_convert(zone) if zone is not None else stamp.tz_convert("UTC") + pd.Timedelta(hours=2)
    return stamp.date().isoformat()


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
    # per article, the attacker named most often, the first by name on a tie (in pandas' own
    # operations: a Python function per article took 1.3 s for 10,000 articles, against 0.1 s)
    named = counts.dropna(subset=["attacker"]).groupby(["article_id", "attacker"]).size().reset_index(name="n")
    attacker = (named.sort_values(["article_id", "n", "attacker"], ascending=[True, False, True], kind="stable")
                .drop_duplicates("article_id").set_index("article_id")["attacker"])
    frame = articles.copy()
    frame["attacker"] = frame["article_id"].map(attacker).fillna(DEFAULT_ATTACKER)
    frame["attack_date"] = frame["published_date"]
    frame["attack_id"] = _attack_ids(frame["attack_date"], frame["attacker"], frame["article_id"])
    return typed_frame(frame, ["article_id", "published_date", "attack_date", "attacker", "attack_id"])


def _attack_ids(dates: pd.Series, attackers: pd.Series, article_ids: pd.Series) -> list[str]:
    # iterated as NumPy object arrays: a pandas string column yields its values one Python call each
    return [f"{d}-{a}" if isinstance(d, str) and d else f"undated-{i}-{a}"
            for d, a, i in zip(dates.to_numpy(dtype=object, na_value=None), attackers.to_numpy(dtype=object),
                               article_ids.to_numpy(dtype=object))]


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


_GROUP = ["attack_id", "weapon_class", "event"]
_ARTICLE_GROUP = [*_GROUP, "article_id"]


def _with_ranks(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with the sort keys of the ranking: source_rank, qualifier_rank, minus_count."""
    sources = rows["source"].astype(object).where(rows["source"].notna(), None)
    ranks = {s: source_rank(s) for s in set(sources)}
    return rows.assign(source_rank=sources.map(ranks).astype("int64"),
                       qualifier_rank=rows["qualifier"].astype(object).map(QUALIFIER_RANK).fillna(
                           QUALIFIER_RANK["exact"]).astype("int64"),
                       minus_count=-rows["count"].astype("int64"))


def _join_by(frame: pd.DataFrame, keys: list[str], column: str, sep: str) -> pd.Series:
    """Distinct values of ``column`` joined per group of ``keys`` in row order (one pass, no per-group pandas)."""
    joined: dict[tuple, dict[str, None]] = {}
    for key, value in zip(frame[keys].itertuples(index=False, name=None), frame[column].astype(object)):
        joined.setdefault(key, {})[str(value)] = None
    index = pd.MultiIndex.from_tuples(list(joined), names=keys) if joined else None
    return pd.Series([sep.join(v) for v in joined.values()], index=index, dtype=object)


_OFFICIAL_FIRST = ["source_rank", "qualifier_rank", "minus_count", "article_id", "fact_ids"]
_CONSERVATIVE = ["count", "source_rank", "qualifier_rank", "article_id", "fact_ids"]


def _article_candidates(rows: pd.DataFrame) -> pd.DataFrame:
    """The one figure each article offers per attack, class and event.

    Its class-level figure (no model named; national before regional: the
    official_first order within the article), else the sum of its distinct
    per-model figures (a restated model counted once).
    """
    rows = _with_ranks(rows).rename(columns={"fact_id": "fact_ids"})
    rows["fact_ids"] = rows["fact_ids"].astype(object)
    class_level = rows[rows["weapon_model"].isna()]
    best = (class_level.sort_values([*_ARTICLE_GROUP, *_OFFICIAL_FIRST[:3], "fact_ids"], kind="stable")
            .drop_duplicates(_ARTICLE_GROUP))
    keys = pd.MultiIndex.from_frame(best[_ARTICLE_GROUP]) if len(best) else None
    model_rows = rows[rows["weapon_model"].notna()]
    if keys is not None and len(model_rows):
        model_rows = model_rows[~pd.MultiIndex.from_frame(model_rows[_ARTICLE_GROUP]).isin(keys)]
    if len(model_rows):
        model_rows = (model_rows.assign(model_key=model_rows["weapon_model"].astype(str).str.casefold())
                      .sort_values([*_ARTICLE_GROUP, "model_key", *_OFFICIAL_FIRST[:3], "fact_ids"], kind="stable")
                      .drop_duplicates([*_ARTICLE_GROUP, "model_key"]))
        grouped = model_rows.groupby(_ARTICLE_GROUP, sort=False)
        summed = grouped.agg(attack_date=("attack_date", "first"), attacker=("attacker", "first"),
                             count=("count", "sum"), qualifier_rank=("qualifier_rank", "max"),
                             source=("source", "first"), source_rank=("source_rank", "min"))
        # the weakest qualifier of the parts qualifies their sum ("at least 40 Kh-101 and 9 Kalibr")
        weakest = (model_rows.sort_values("qualifier_rank", ascending=False, kind="stable")
                   .drop_duplicates(_ARTICLE_GROUP).set_index(_ARTICLE_GROUP)["qualifier"])
        summed["qualifier"] = weakest.reindex(summed.index).fillna("exact")
        in_text_order = model_rows.sort_values([*_ARTICLE_GROUP, "start_char", "fact_ids"], kind="stable")
        summed["evidence"] = _join_by(in_text_order, _ARTICLE_GROUP, "evidence", " | ").reindex(summed.index)
        summed["fact_ids"] = _join_by(in_text_order, _ARTICLE_GROUP, "fact_ids", ",").reindex(summed.index)
        summed = summed.reset_index()
        summed["minus_count"] = -summed["count"].astype("int64")
        best = pd.concat([best, summed], ignore_index=True) if len(best) else summed
    return best


def _candidates(tables: dict[str, pd.DataFrame], rule: str) -> pd.DataFrame:
    """Every article's figure per attack, class and event, with ``is_chosen`` set by ``rule``."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose one of {RULES}")
    rows = _attack_rows(tables)
    if rows.empty:
        return typed_frame([], CONFLICT_COLUMNS)
    candidates = _article_candidates(rows)
    order = _CONSERVATIVE if rule == "conservative" else _OFFICIAL_FIRST
    candidates = candidates.sort_values([*_GROUP, *order], kind="stable")
    candidates["is_chosen"] = ~candidates.duplicated(_GROUP)
    return typed_frame(candidates, CONFLICT_COLUMNS)


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
    return _candidates(tables, rule).sort_values(["attack_id", "weapon_class", "event", "article_id"],
                                                 kind="stable", ignore_index=True)


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
    if candidates.empty:
        return typed_frame([], ATTACK_COLUMNS)
    keys = ["attack_id", "weapon_class"]
    chosen = candidates[candidates["is_chosen"]].pivot(index=keys, columns="event", values="count")
    reports = candidates.groupby(keys, sort=False).agg(
        attack_date=("attack_date", "first"), attacker=("attacker", "first"), n_reports=("article_id", "nunique"))
    pairs = candidates[[*keys, "article_id"]].drop_duplicates().sort_values([*keys, "article_id"])
    reports["article_ids"] = _join_by(pairs, keys, "article_id", ",").reindex(reports.index)
    out = reports.join(chosen, how="left").reset_index()
    frame = typed_frame(out, ATTACK_COLUMNS)
    return frame.sort_values(["attack_date", "attacker", "weapon_class"], kind="stable", na_position="last",
                             ignore_index=True)


def reconciled(tables_or_attacks: dict[str, pd.DataFrame] | pd.DataFrame, rule: str = "official_first") -> pd.DataFrame:
    """:func:`attacks` of a tables dict, or the frame itself when it is already that result (so that a
    caller drawing several charts or comparisons reconciles once; ``rule`` applies to a dict only)."""
    return attacks(tables_or_attacks, rule=rule) if isinstance(tables_or_attacks, dict) else tables_or_attacks
