"""One call per research question: tidy DataFrames from the dataset's tables, ready for seaborn.

Every function takes ``tables``, the dict returned by :func:`toolkit.load_dataset`
(or :func:`toolkit.attacks.tables_from_rows`), and returns a new frame; empty
tables give empty frames with the same columns. Strike figures are first
grouped into attacks and reconciled (:func:`attacks`, :func:`conflicts`, see
:mod:`toolkit.attacks`); cumulative figures are kept apart
(:func:`cumulative_totals`) and never added to nightly ones; unknown figures
stay null, never zero.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import pandas as pd

from .attacks import (DEFAULT_ATTACKER, RULES, article_attacks, attacks, conflicts, reconciled,
                      tables_from_rows, typed_frame)

FREQS = {"D": "D", "W": "W-SUN", "M": "M", "Q": "Q", "Y": "Y"}
SERVICES = ("power", "heat", "water", "gas")


def _period(dates: pd.Series, freq: str) -> pd.Series:
    """Start of the period (day, Monday of the week, first of the month...) of ISO dates, as Timestamps."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {sorted(FREQS)}, not {freq!r}")
    stamps = pd.to_datetime(dates, errors="coerce")
    return stamps.dt.to_period(FREQS[freq]).dt.start_time


def interception_rates(tables: dict[str, pd.DataFrame] | pd.DataFrame, by: str | list[str] | None = "weapon_class",
                       freq: str | None = None, attacker: str = "russia", rule: str = "official_first") -> pd.DataFrame:
    """Share of launched weapons intercepted, with its denominator: launched, intercepted, rate, n_attacks.
    ``tables`` may be :func:`attacks`' result instead (``rule`` then is the one it was made with).

    Only attacks that give both figures for a class count (null is not zero);
    ``by`` groups (``None`` pools every class, hiding e.g. the low rate of
    ballistic missiles); ``freq`` (``D``, ``W``, ``M``) adds a ``period`` column.

    >>> t = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-12-06"},
    ...                                {"article_id": "b", "published_date": "2025-12-07"}],
    ...     strike_counts=[{"article_id": x, "fact_id": f"{x}{e}", "scope": "attack", "attacker": "russia",
    ...                     "event": e, "weapon_class": "drone", "count": n}
    ...                    for x, e, n in [("a", "launched", 100), ("a", "intercepted", 90),
    ...                                    ("b", "launched", 50), ("b", "intercepted", 30)]])
    >>> interception_rates(t).values.tolist()
    [['drone', 150, 120, 0.8, 2]]
    """
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    columns = (["period"] if freq else []) + keys + ["launched", "intercepted", "rate", "n_attacks"]
    frame = reconciled(tables, rule)
    frame = frame[(frame["attacker"] == attacker) & frame["launched"].notna() & frame["intercepted"].notna()
                  & (frame["launched"] > 0)].copy()
    if frame.empty:
        return typed_frame([], columns, {"period": "datetime64[ns]", "rate": "Float64"})
    if freq:
        frame["period"] = _period(frame["attack_date"], freq)
    group_keys = (["period"] if freq else []) + keys
    if group_keys:
        grouped = frame.groupby(group_keys, sort=True, dropna=False).agg(
            launched=("launched", "sum"), intercepted=("intercepted", "sum"), n_attacks=("attack_id", "nunique"))
        grouped = grouped.reset_index()
    else:
        grouped = pd.DataFrame([{"launched": frame["launched"].sum(), "intercepted": frame["intercepted"].sum(),
                                 "n_attacks": frame["attack_id"].nunique()}])
    grouped["rate"] = (grouped["intercepted"].astype("Float64") / grouped["launched"].astype("Float64")).round(4)
    return typed_frame(grouped, columns, {"period": "datetime64[ns]", "rate": "Float64", "n_attacks": "Int64"})


def launched_vs_intercepted(tables: dict[str, pd.DataFrame] | pd.DataFrame, freq: str = "D", attacker: str = "russia",
                            rule: str = "official_first") -> pd.DataFrame:
    """Long-form series: period, weapon_class, event (launched / intercepted), count (sum over attacks).
    ``tables`` may be :func:`attacks`' result instead.

    Attacks that leave a figure unknown add nothing to it (no zeros invented).

    >>> t = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-12-06"}],
    ...     strike_counts=[{"article_id": "a", "fact_id": "a1", "scope": "attack", "attacker": "russia",
    ...                     "event": "launched", "weapon_class": "drone", "count": 653}])
    >>> launched_vs_intercepted(t).astype({"period": str}).values.tolist()
    [['2025-12-06', 'drone', 'launched', 653]]
    """
    columns = ["period", "weapon_class", "event", "count"]
    frame = reconciled(tables, rule)
    frame = frame[(frame["attacker"] == attacker) & frame["attack_date"].notna()].copy()
    long = frame.melt(id_vars=["attack_date", "weapon_class"], value_vars=["launched", "intercepted"],
                      var_name="event", value_name="count").dropna(subset=["count"])
    if long.empty:
        return typed_frame([], columns, {"period": "datetime64[ns]", "event": "string", "count": "Int64"})
    long["period"] = _period(long["attack_date"], freq)
    out = long.groupby(["period", "weapon_class", "event"], sort=True)["count"].sum().reset_index()
    return typed_frame(out, columns, {"period": "datetime64[ns]", "event": "string", "count": "Int64"})


@lru_cache(maxsize=1)
def _oblast_centres() -> dict[str, tuple[str, float, float]]:
    """ISO code -> (name, latitude, longitude) from the places engineer's ``data/oblasts.csv`` when present."""
    from .gazetteer import load_csv

    try:
        rows = load_csv("oblasts.csv")
    except (FileNotFoundError, OSError):
        return {}
    centres = {}
    for row in rows:
        try:
            centres[row["code"]] = (row["name"], float(row["latitude"]), float(row["longitude"]))
        except (KeyError, ValueError):
            continue
    return centres


def _struck_places(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    places = tables["places"]
    places = places[(places["place_role"] == "struck") & places["oblast_code"].notna()]
    return places.merge(article_attacks(tables), on="article_id", how="left")


def top_oblasts(tables: dict[str, pd.DataFrame], start: str | None = None, end: str | None = None,
                n: int | None = 10) -> pd.DataFrame:
    """Most-struck oblasts over [start, end] (ISO dates, inclusive): n_articles, n_attacks and a map point.

    ``n_attacks`` counts distinct attacks (attack days) the oblast was reported
    struck in, ``n_articles`` the articles saying so; sorted by n_attacks, then
    n_articles. Undated articles are left out when a period is given.

    >>> t = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-12-06"},
    ...                                {"article_id": "b", "published_date": "2025-12-06"}],
    ...     places=[{"article_id": x, "fact_id": f"{x}1", "place_role": "struck", "oblast_code": "UA-51",
    ...              "oblast_name": "Odesa"} for x in "ab"])
    >>> top_oblasts(t)[["oblast_code", "n_articles", "n_attacks"]].values.tolist()
    [['UA-51', 2, 1]]
    """
    columns = ["oblast_code", "oblast_name", "n_articles", "n_attacks", "latitude", "longitude"]
    places = _struck_places(tables)
    if start is not None or end is not None:
        dates = places["attack_date"]
        keep = dates.notna()
        if start is not None:
            keep &= dates >= start
        if end is not None:
            keep &= dates <= end
        places = places[keep]
    if places.empty:
        return typed_frame([], columns, {"n_articles": "Int64", "n_attacks": "Int64"})
    out = places.groupby("oblast_code", sort=True).agg(
        oblast_name=("oblast_name", lambda s: s.dropna().iloc[0] if s.notna().any() else None),
        n_articles=("article_id", "nunique"), n_attacks=("attack_id", "nunique")).reset_index()
    centres = _oblast_centres()
    out["oblast_name"] = [centres.get(code, (name,))[0] or name for code, name in zip(out["oblast_code"],
                                                                                        out["oblast_name"])]
    out["latitude"] = [centres[c][1] if c in centres else None for c in out["oblast_code"]]
    out["longitude"] = [centres[c][2] if c in centres else None for c in out["oblast_code"]]
    out = out.sort_values(["n_attacks", "n_articles", "oblast_code"], ascending=[False, False, True])
    if n is not None:
        out = out.head(n)
    return typed_frame(out, columns, {"n_articles": "Int64", "n_attacks": "Int64"})


def struck_places(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Places reported struck, for a map: place_canonical, oblast_code, latitude, longitude, n_mentions.

    Coordinates are the gazetteer's, never finer; places without coordinates are kept (null).

    >>> t = tables_from_rows(places=[{"article_id": "a", "fact_id": "a1", "place_role": "struck",
    ...     "place_canonical": "Ternopil", "oblast_code": "UA-61", "latitude": 49.55, "longitude": 25.59}] * 2)
    >>> struck_places(t).values.tolist()
    [['Ternopil', 'UA-61', 49.55, 25.59, 2]]
    """
    columns = ["place_canonical", "oblast_code", "latitude", "longitude", "n_mentions"]
    places = tables["places"]
    places = places[(places["place_role"] == "struck") & places["place_canonical"].notna()]
    if places.empty:
        return typed_frame([], columns, {"n_mentions": "Int64"})
    out = places.groupby(["place_canonical", "oblast_code"], sort=True, dropna=False).agg(
        latitude=("latitude", "first"), longitude=("longitude", "first"),
        n_mentions=("article_id", "size")).reset_index()
    out = out.sort_values(["n_mentions", "place_canonical"], ascending=[False, True])
    return typed_frame(out, columns, {"n_mentions": "Int64"})


def infrastructure_over_time(tables: dict[str, pd.DataFrame], freq: str = "M") -> pd.DataFrame:
    """Attacks hitting each infrastructure category per period: period, infrastructure_category, n_attacks.

    >>> t = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-12-06"},
    ...                                {"article_id": "b", "published_date": "2025-12-20"}],
    ...     infrastructure=[{"article_id": x, "fact_id": f"{x}1", "infrastructure_category": "energy"} for x in "ab"])
    >>> infrastructure_over_time(t).astype({"period": str}).values.tolist()
    [['2025-12-01', 'energy', 2]]
    """
    columns = ["period", "infrastructure_category", "n_attacks"]
    rows = tables["infrastructure"].merge(article_attacks(tables), on="article_id", how="left")
    rows = rows[rows["attack_date"].notna() & rows["infrastructure_category"].notna()]
    if rows.empty:
        return typed_frame([], columns, {"period": "datetime64[ns]", "n_attacks": "Int64"})
    rows = rows.assign(period=_period(rows["attack_date"], freq))
    out = rows.groupby(["period", "infrastructure_category"], sort=True)["attack_id"].nunique().reset_index()
    return typed_frame(out.rename(columns={"attack_id": "n_attacks"}), columns,
                       {"period": "datetime64[ns]", "n_attacks": "Int64"})


def _attack_figures(rows: pd.DataFrame, kind: str, value: str) -> pd.DataFrame:
    """Per attack and ``kind`` value: the larger of the largest overall figure (no oblast) and the sum, over
    oblasts, of each oblast's largest figure (tolls rise over a day; regions add up). Columns: attack_id, kind,
    figure."""
    known = rows[rows[value].notna() & rows[kind].notna()]
    overall = known[known["oblast_code"].isna()].groupby(["attack_id", kind])[value].max()
    regional = (known[known["oblast_code"].notna()].groupby(["attack_id", kind, "oblast_code"])[value].max()
                .groupby(level=["attack_id", kind]).sum())
    both = pd.concat([overall.rename("overall"), regional.rename("regional")], axis=1)
    return both.max(axis=1).rename("figure").reset_index()


def impacts_per_attack(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Killed, injured and customers without each service, per attack.

    Columns: attack_id, attack_date, attacker, killed, injured, power_customers,
    heat_customers, water_customers, gas_customers. Per attack, a figure is the
    larger of the largest overall figure any article gives and the sum over
    oblasts of each oblast's largest figure; unknown is null.

    >>> t = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-10-05"},
    ...                                {"article_id": "b", "published_date": "2025-10-05"}],
    ...     casualties=[{"article_id": "a", "fact_id": "a1", "casualty_kind": "killed", "count": 4, "oblast_code": "UA-46"},
    ...                 {"article_id": "a", "fact_id": "a2", "casualty_kind": "killed", "count": 1, "oblast_code": "UA-23"},
    ...                 {"article_id": "b", "fact_id": "b1", "casualty_kind": "killed", "count": 6}])
    >>> impacts_per_attack(t)[["attack_date", "killed", "injured"]].values.tolist()
    [['2025-10-05', 6, <NA>]]
    """
    value_columns = ["killed", "injured"] + [f"{s}_customers" for s in SERVICES]
    columns = ["attack_id", "attack_date", "attacker", *value_columns]
    links = article_attacks(tables)
    casualties = tables["casualties"].merge(links, on="article_id", how="inner")
    outages = tables["outages"].merge(links, on="article_id", how="inner")
    ids = sorted(set(casualties["attack_id"]) | set(outages["attack_id"]))
    if not ids:
        return typed_frame([], columns, {c: "Int64" for c in value_columns})
    meta = links.drop_duplicates("attack_id").set_index("attack_id")
    out = pd.DataFrame({"attack_id": ids}).set_index("attack_id")
    out["attack_date"] = meta["attack_date"].reindex(out.index)
    out["attacker"] = meta["attacker"].reindex(out.index)
    for kind, column, rows, names in (("casualty_kind", "count", casualties, ("killed", "injured")),
                                      ("service", "customers", outages, SERVICES)):
        figures = _attack_figures(rows, kind, column).pivot(index="attack_id", columns=kind, values="figure") \
            if len(rows) else pd.DataFrame()
        for name in names:
            target = name if kind == "casualty_kind" else f"{name}_customers"
            out[target] = figures[name].reindex(out.index) if name in figures.columns else pd.NA
    out = out.reset_index()
    frame = typed_frame(out, columns, {c: "Int64" for c in value_columns})
    return frame.sort_values(["attack_date", "attack_id"], kind="stable", na_position="last", ignore_index=True)


def cumulative_totals(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The cumulative figures ("this week", "since 2022") as reported, one row each, never summed.

    Columns: article_id, published_date, attacker, event, weapon_class,
    weapon_model, count, qualifier, source, evidence.

    >>> t = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-10-05"}],
    ...     strike_counts=[{"article_id": "a", "fact_id": "a1", "scope": "cumulative", "attacker": "russia",
    ...                     "event": "launched", "weapon_class": "drone", "count": 1200, "qualifier": "at_least"}])
    >>> cumulative_totals(t)[["published_date", "weapon_class", "count", "qualifier"]].values.tolist()
    [['2025-10-05', 'drone', 1200, 'at_least']]
    """
    columns = ["article_id", "published_date", "attacker", "event", "weapon_class", "weapon_model", "count",
               "qualifier", "source", "evidence"]
    rows = tables["strike_counts"]
    rows = rows[rows["scope"] == "cumulative"].merge(tables["articles"][["article_id", "published_date"]],
                                                     on="article_id", how="left")
    rows = rows.sort_values(["published_date", "article_id", "start_char"], kind="stable", na_position="last")
    return typed_frame(rows, columns)


# --------------------------------------------------------------------------- diplomacy

def _meetings(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Meetings with their date (the meeting's, else the article's) and a cross-article key (place, date)."""
    meetings = tables["meetings"].merge(tables["articles"][["article_id", "published_date"]], on="article_id",
                                        how="left")
    meetings = meetings.assign(date=meetings["meeting_date"].fillna(meetings["published_date"]),
                               date_is_article_date=meetings["meeting_date"].isna() & meetings["published_date"].notna())
    meetings["meeting_key"] = [f"{str(p).casefold()}|{d}" if isinstance(p, str) and isinstance(d, str) else m
                               for p, d, m in zip(meetings["place"], meetings["date"].astype(object),
                                                  meetings["meeting_id"])]
    return meetings


def meetings_timeline(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Meetings by date and place, one row per reported meeting, with participants (comma-joined).

    ``meeting_date`` is the meeting's own date, else the article's
    (``date_is_article_date`` says which).

    >>> t = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-12-06"}],
    ...     meetings=[{"article_id": "a", "meeting_id": "a:m1", "place": "Miami", "meeting_status": "ongoing"}],
    ...     participants=[{"article_id": "a", "meeting_id": "a:m1", "person_name": n}
    ...                   for n in ("Steve Witkoff", "Rustem Umerov")])
    >>> meetings_timeline(t)[["meeting_date", "place", "participants"]].values.tolist()
    [['2025-12-06', 'Miami', 'Rustem Umerov, Steve Witkoff']]
    """
    columns = ["meeting_date", "place", "meeting_status", "participants", "article_id", "meeting_id",
               "date_is_article_date"]
    meetings = _meetings(tables)
    if meetings.empty:
        return typed_frame([], columns, {"date_is_article_date": "boolean"})
    people = (tables["participants"].dropna(subset=["person_name"]).groupby("meeting_id")["person_name"]
              .agg(lambda s: ", ".join(sorted(set(s)))))
    meetings["participants"] = meetings["meeting_id"].map(people)
    meetings["meeting_date"] = meetings["date"]
    meetings = meetings.sort_values(["meeting_date", "place", "article_id", "meeting_id"], na_position="last")
    return typed_frame(meetings, columns, {"date_is_article_date": "boolean"})


def who_met_whom(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Pairs of people who took part in the same meeting: person_a, person_b (alphabetical), n_meetings.

    Reports of one meeting (same place, same date) in several articles count once.

    >>> t = tables_from_rows(articles=[{"article_id": x, "published_date": "2025-12-06"} for x in "ab"],
    ...     meetings=[{"article_id": x, "meeting_id": f"{x}:m1", "place": "Miami"} for x in "ab"],
    ...     participants=[{"article_id": x, "meeting_id": f"{x}:m1", "person_name": n}
    ...                   for x in "ab" for n in ("Steve Witkoff", "Rustem Umerov")])
    >>> who_met_whom(t).values.tolist()
    [['Rustem Umerov', 'Steve Witkoff', 1]]
    """
    columns = ["person_a", "person_b", "n_meetings"]
    meetings = _meetings(tables)
    people = tables["participants"].dropna(subset=["person_name"]).merge(
        meetings[["meeting_id", "meeting_key"]], on="meeting_id", how="inner")
    pairs: dict[tuple[str, str], set[str]] = {}
    for key, group in people.groupby("meeting_key"):
        for a, b in combinations(sorted(set(group["person_name"])), 2):
            pairs.setdefault((a, b), set()).add(key)
    out = [{"person_a": a, "person_b": b, "n_meetings": len(keys)} for (a, b), keys in pairs.items()]
    frame = typed_frame(out, columns, {"n_meetings": "Int64"})
    return frame.sort_values(["n_meetings", "person_a", "person_b"], ascending=[False, True, True],
                             ignore_index=True)


def plan_versions(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Peace plans by number of points and version: points, plan_version, proposer, first_seen, n_articles.

    >>> t = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-11-21"},
    ...                                {"article_id": "b", "published_date": "2025-11-24"}],
    ...     plans=[{"article_id": x, "fact_id": f"{x}1", "points": 28, "plan_version": "initial", "proposer": "US"}
    ...            for x in "ab"])
    >>> plan_versions(t).values.tolist()
    [[28, 'initial', 'US', '2025-11-21', 2]]
    """
    columns = ["points", "plan_version", "proposer", "first_seen", "n_articles"]
    plans = tables["plans"].merge(tables["articles"][["article_id", "published_date"]], on="article_id",
                                  how="left")
    plans = plans[plans["points"].notna()]
    if plans.empty:
        return typed_frame([], columns, {"first_seen": "string", "n_articles": "Int64"})
    out = plans.groupby(["points", "plan_version", "proposer"], dropna=False, sort=True).agg(
        first_seen=("published_date", "min"), n_articles=("article_id", "nunique")).reset_index()
    out = out.sort_values(["first_seen", "points"], na_position="last", kind="stable")
    return typed_frame(out, columns, {"first_seen": "string", "n_articles": "Int64"})


__all__ = ["attacks", "conflicts", "interception_rates", "launched_vs_intercepted", "top_oblasts", "struck_places",
           "infrastructure_over_time", "impacts_per_attack", "cumulative_totals", "meetings_timeline",
           "who_met_whom", "plan_versions", "article_attacks", "tables_from_rows", "RULES", "DEFAULT_ATTACKER"]
