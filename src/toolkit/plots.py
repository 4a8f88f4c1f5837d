"""Charts for the notebooks: seaborn/matplotlib figures with titles, axis labels and units.

Every function takes a tidy frame from :mod:`toolkit.aggregate` (or
:mod:`toolkit.official`) and returns a :class:`matplotlib.figure.Figure` that a
notebook displays as the last value of a cell. Figures are built without
pyplot, so nothing is drawn twice and nothing leaks between calls. An empty
frame gives a figure that says so ("no facts yet") instead of raising.

The map of struck places draws points at their coordinates over an outline of
Ukraine shipped in ``data/ukraine_outline.csv`` (Natural Earth, public domain):
no tiles, no download.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .gazetteer import load_csv

NO_FACTS = "No facts yet for this selection"

#: One colour per strike event, the same in every chart.
EVENT_COLOURS = {"launched": "#6baed6", "intercepted": "#31a354", "hit": "#de2d26", "lost": "#969696"}
STATUS_COLOURS = {"held": "#3182bd", "ongoing": "#fd8d3c", "planned": "#9e9ac8"}


def _figure(width: float = 8.0, height: float = 4.0) -> tuple[Figure, Axes]:
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def _finish(fig: Figure, ax: Axes, title: str, xlabel: str, ylabel: str) -> Figure:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig


def empty_figure(title: str, xlabel: str = "", ylabel: str = "", message: str = NO_FACTS) -> Figure:
    """A titled, labelled figure carrying a message in place of data."""
    fig, ax = _figure(8, 3)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, fontsize=12, color="#555")
    ax.set_xticks([])
    ax.set_yticks([])
    return _finish(fig, ax, title, xlabel, ylabel)


def _period_labels(periods: pd.Series) -> pd.Series:
    """ISO dates as labels; month starts as ``YYYY-MM`` when every period is one."""
    labels = periods.astype(str).str[:10]
    return labels.str[:7] if len(labels) and labels.str.endswith("-01").all() else labels


#: A bar chart over time shows at most this many periods; more are added up into weeks, months,
#: quarters or years (a thousand daily bars take seconds to draw, and no label can be read)
MAX_PERIODS = 40
_COARSER = (("week", "W-SUN"), ("month", "M"), ("quarter", "Q"), ("year", "Y"))


def coarsen_periods(periods: pd.Series, unit: str) -> tuple[pd.Series, str]:
    """``periods`` (dates) as the starts of periods coarse enough for at most :data:`MAX_PERIODS`
    bars, and the name of that period: as they are (with ``unit``) when they are few enough.
    A period goes whole into the coarser one it starts in (a week that starts on 30 June counts in
    June).

    >>> days = pd.Series(pd.date_range("2025-01-01", periods=90, freq="D"))
    >>> binned, unit = coarsen_periods(days, "day")
    >>> unit, binned.nunique()
    ('week', 14)
    """
    stamps = pd.to_datetime(periods, errors="coerce")
    if stamps.nunique() <= MAX_PERIODS:
        return stamps, unit
    for name, freq in _COARSER:
        binned = stamps.dt.to_period(freq).dt.start_time
        if binned.nunique() <= MAX_PERIODS:
            break
    return binned, name


def _has(frame: pd.DataFrame | None, *columns: str) -> bool:
    return frame is not None and not frame.empty and all(c in frame.columns for c in columns)


def launched_vs_intercepted(frame: pd.DataFrame, title: str = "Weapons launched, intercepted and hitting",
                            unit: str = "day") -> Figure:
    """Bars of weapons per period and event (from ``aggregate.launched_vs_intercepted``); more than
    :data:`MAX_PERIODS` periods are added up into coarser ones (:func:`coarsen_periods`)."""
    import seaborn as sns

    if not _has(frame, "period", "event", "count"):
        return empty_figure(title, "period (Kyiv date)", f"weapons per {unit}\n(count, all weapon classes selected)")
    data = frame.dropna(subset=["count"])
    periods, coarser = coarsen_periods(data["period"], unit)
    ylabel = f"weapons per {coarser}\n(count, all weapon classes selected)"  # two lines: one is taller than the axis
    data = data.assign(period=periods).groupby(["period", "event"], as_index=False)["count"].sum()
    data["period"] = _period_labels(data["period"]) if coarser != unit else data["period"].astype(str).str[:10]
    data["count"] = data["count"].astype(float)
    order = [e for e in EVENT_COLOURS if e in set(data["event"])] + sorted(set(data["event"]) - set(EVENT_COLOURS))
    fig, ax = _figure(min(14.0, max(8.0, 0.3 * data["period"].nunique() + 4)), 4)
    sns.barplot(data=data, x="period", y="count", hue="event", hue_order=order, ax=ax,
                palette={e: EVENT_COLOURS.get(e, "#bdbdbd") for e in order})
    ax.tick_params(axis="x", rotation=45)
    if ax.get_legend() is not None:  # beside the bars, not over them
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1))
    return _finish(fig, ax, title, "period (Kyiv date)", ylabel)


def interception_rates(frame: pd.DataFrame, title: str = "Interception rate by weapon class") -> Figure:
    """Horizontal bars of the share intercepted, labelled with ``intercepted / launched``."""
    xlabel = "intercepted / launched (%)"
    if not _has(frame, "weapon_class", "rate"):
        return empty_figure(title, xlabel, "weapon class")
    data = frame.dropna(subset=["rate"]).copy()
    if data.empty:
        return empty_figure(title, xlabel, "weapon class")
    data = data.groupby("weapon_class", as_index=False)[["launched", "intercepted"]].sum() \
        if "period" in data.columns and data["period"].nunique() > 1 else data
    if "rate" not in data.columns or data["rate"].isna().all():
        data["rate"] = data["intercepted"] / data["launched"]
    data = data.sort_values("rate")
    fig, ax = _figure(8, 0.5 * len(data) + 1.5)
    ax.barh(data["weapon_class"].astype(str), data["rate"].astype(float) * 100, color="#31a354")
    for y, (_, row) in enumerate(data.iterrows()):
        ax.text(float(row["rate"]) * 100 + 1, y, f"{row['intercepted']:,} / {row['launched']:,}", va="center")
    ax.set_xlim(0, 115)
    return _finish(fig, ax, title, xlabel, "weapon class")


def attacks_per_oblast(frame: pd.DataFrame, title: str = "Oblasts struck most often") -> Figure:
    """Bars of attacks and articles per oblast (from ``aggregate.top_oblasts``)."""
    xlabel = "count (attacks, articles)"
    if not _has(frame, "oblast_name"):
        return empty_figure(title, xlabel, "oblast")
    columns = [c for c in ("n_attacks", "n_articles") if c in frame.columns]
    data = frame.set_index(frame["oblast_name"].fillna(frame.get("oblast_code", "?")).astype(str))[columns]
    data = data.astype(float).iloc[::-1].rename(columns={"n_attacks": "attacks", "n_articles": "articles"})
    fig, ax = _figure(8, 0.4 * len(data) + 1.5)
    data.plot.barh(ax=ax, color=["#de2d26", "#fdae6b"][:len(columns)])
    return _finish(fig, ax, title, xlabel, "oblast")


def impacts_per_attack(frame: pd.DataFrame, title: str = "Casualties and outages per attack") -> Figure:
    """Two panels: people killed/injured, and customers left without a service, per attack date (added
    up by week, month... when there are more than :data:`MAX_PERIODS` dates: :func:`coarsen_periods`)."""
    if not _has(frame, "attack_date"):
        return empty_figure(title, "attack date (Kyiv morning)", "people / customers")
    data = frame.copy()
    dated = data["attack_date"].notna()
    dates, unit = coarsen_periods(data.loc[dated, "attack_date"], "day")
    labels = data["attack_date"].astype(str).str[:10]  # an undated attack keeps a bar of its own
    if unit != "day":
        labels[dated] = _period_labels(dates)
    data["attack_date"] = labels
    people = [c for c in ("killed", "injured") if c in data.columns]
    outages = [c for c in data.columns if c not in people and c != "attack_date"
               and pd.api.types.is_numeric_dtype(data[c]) and not c.startswith("n_")]
    fig = Figure(figsize=(9, 6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    by_date = data.groupby("attack_date")
    for ax, columns, ylabel in ((top, people, "people (count)"), (bottom, outages, "customers without service")):
        sums = by_date[columns].sum(min_count=1).astype(float) if columns else pd.DataFrame()
        if sums.empty or sums.isna().all().all():
            ax.text(0.5, 0.5, NO_FACTS, ha="center", va="center", transform=ax.transAxes, color="#555")
        else:
            sums.plot.bar(ax=ax, rot=45)
        ax.set_ylabel(ylabel)
    top.set_title(title)
    bottom.set_xlabel("attack date (Kyiv morning)" + ("" if unit == "day" else f", added up by {unit}"))
    return fig


def infrastructure_over_time(frame: pd.DataFrame, title: str = "Attacks on infrastructure by category") -> Figure:
    """Stacked bars of attacks per period and infrastructure category."""
    ylabel = "attacks (count)"
    if not _has(frame, "period", "infrastructure_category", "n_attacks"):
        return empty_figure(title, "period", ylabel)
    data = frame.assign(period=_period_labels(frame["period"]))
    wide = data.pivot_table(index="period", columns="infrastructure_category", values="n_attacks",
                            aggfunc="sum", fill_value=0)
    fig, ax = _figure(9, 4)
    wide.plot.bar(stacked=True, ax=ax, rot=45, colormap="tab10")
    ax.legend(title="category", loc="upper left", bbox_to_anchor=(1, 1))
    return _finish(fig, ax, title, "period", ylabel)


def ukraine_outline() -> pd.DataFrame:
    """The shipped outline of Ukraine: ``longitude``, ``latitude`` in drawing order (WGS84)."""
    rows = load_csv("ukraine_outline.csv", required=("point", "longitude", "latitude"), optional=(), key=("point",))
    frame = pd.DataFrame(rows).astype({"point": int, "longitude": float, "latitude": float})
    return frame.sort_values("point").reset_index(drop=True)


def struck_places_map(frame: pd.DataFrame, title: str = "Places reported struck", n_labels: int = 12) -> Figure:
    """Points at the struck places' coordinates over Ukraine's outline, sized by mentions."""
    outline = ukraine_outline()
    fig, ax = _figure(9, 6)
    ax.fill(outline["longitude"], outline["latitude"], facecolor="#f7f7f7", edgecolor="#636363", linewidth=1)
    xlabel, ylabel = "longitude (degrees E)", "latitude (degrees N)"
    ax.set_aspect(1 / 0.64)  # about 1/cos(49.5 deg): keeps the country's shape at its latitude
    if not _has(frame, "latitude", "longitude"):
        ax.text(0.5, 0.5, NO_FACTS, ha="center", va="center", transform=ax.transAxes, color="#555")
        return _finish(fig, ax, title, xlabel, ylabel)
    data = frame.dropna(subset=["latitude", "longitude"]).copy()
    size = data["n_mentions"].astype(float) if "n_mentions" in data.columns else pd.Series(1.0, index=data.index)
    data["size"] = 30 + 270 * size / max(float(size.max()), 1.0)
    ax.scatter(data["longitude"].astype(float), data["latitude"].astype(float), s=data["size"], color="#de2d26",
               alpha=0.6, edgecolor="white", linewidth=0.5)
    label = "place_canonical" if "place_canonical" in data.columns else None
    if label:
        for _, row in data.sort_values("size", ascending=False).head(n_labels).iterrows():
            ax.annotate(str(row[label]), (float(row["longitude"]), float(row["latitude"])), fontsize=8,
                        xytext=(4, 4), textcoords="offset points")
    lon_min = min(22.0, float(data["longitude"].min()) - 0.5)
    lon_max = max(40.5, float(data["longitude"].max()) + 0.5)
    lat_min = min(44.2, float(data["latitude"].min()) - 0.5)
    lat_max = max(52.5, float(data["latitude"].max()) + 0.5)
    ax.set_xlim(lon_min, lon_max)
    ax.set_ylim(lat_min, lat_max)
    return _finish(fig, ax, title + " (point size: number of mentions)", xlabel, ylabel)


def meetings_timeline(frame: pd.DataFrame, title: str = "Meetings by place and date") -> Figure:
    """Dots per meeting: date across, place down, colour by status (held, ongoing, planned)."""
    if not _has(frame, "meeting_date", "place"):
        return empty_figure(title, "date", "place")
    data = frame.copy()
    data["date"] = pd.to_datetime(data["meeting_date"], errors="coerce")
    data = data.dropna(subset=["date"])
    data["place"] = data["place"].fillna("(place not given)").astype(str)
    if data.empty:
        return empty_figure(title, "date", "place", "No dated meetings yet")
    places = sorted(data["place"].unique())
    fig, ax = _figure(9, 0.35 * len(places) + 2)
    status_col = data["meeting_status"] if "meeting_status" in data.columns else pd.Series("held", index=data.index)
    for status, group in data.groupby(status_col.fillna("unknown").astype(str)):
        ax.scatter(group["date"], group["place"].map(places.index), label=status, s=60,
                   color=STATUS_COLOURS.get(status, "#969696"))
    ax.set_yticks(range(len(places)), places)
    ax.legend(title="status", loc="upper left", bbox_to_anchor=(1, 1))
    fig.autofmt_xdate()
    return _finish(fig, ax, title, "date (meeting date, else article date)", "place")


def who_met_whom(frame: pd.DataFrame, title: str = "Who met whom", people: Sequence[str] | None = None,
                 max_people: int = 20) -> Figure:
    """A symmetric matrix of meetings shared by each pair of participants (``aggregate.who_met_whom``).

    Only the ``max_people`` people with the most shared meetings are drawn (all of ``people`` when given).
    """
    import seaborn as sns

    if not _has(frame, "person_a", "person_b", "n_meetings"):
        return empty_figure(title, "participant", "participant")
    pairs = pd.concat([frame, frame.rename(columns={"person_a": "person_b", "person_b": "person_a"})])
    matrix = pairs.pivot_table(index="person_a", columns="person_b", values="n_meetings", aggfunc="sum",
                               fill_value=0)
    names = sorted(set(matrix.index) | set(matrix.columns))
    if people:
        names = [n for n in names if n in set(people)] or names
    if len(names) > max_people:
        busiest = matrix.sum(axis=1).reindex(names, fill_value=0).sort_values(ascending=False, kind="stable")
        names = sorted(busiest.index[:max_people])
        title = f"{title} (the {max_people} people with most meetings)"
    matrix = matrix.reindex(index=names, columns=names, fill_value=0).astype(int)
    fig, ax = _figure(0.45 * len(names) + 4, 0.4 * len(names) + 2.5)
    sns.heatmap(matrix, annot=len(names) <= 12, fmt="d", cmap="Blues", ax=ax,
                cbar_kws={"label": "meetings together (count)"})
    return _finish(fig, ax, title, "participant", "participant")


def reported_vs_official(comparison: pd.DataFrame | None, event: str = "launched",
                         title: str | None = None) -> Figure:
    """Paired bars per weapon class: reported and official ``event`` totals over the attacks where both are
    known (from ``official.compare_with_official``)."""
    title = title or f"Reported vs official figures: {event}"
    xlabel = f"weapons {event} (count, summed over attacks with both figures)"
    reported, official = f"reported_{event}", f"official_{event}"
    if not _has(comparison, "weapon_class", reported, official):
        return empty_figure(title, xlabel, "weapon class")
    data = comparison.dropna(subset=[reported, official])
    if data.empty:
        return empty_figure(title, xlabel, "weapon class", "No attack has both a reported and an official figure")
    wide = data.groupby("weapon_class")[[reported, official]].sum().astype(float)
    wide.columns = ["reported", "official"]
    fig, ax = _figure(8, 0.45 * len(wide) + 1.8)
    wide.iloc[::-1].plot.barh(ax=ax, color=["#fd8d3c", "#3182bd"])
    return _finish(fig, ax, title, xlabel, "weapon class")
