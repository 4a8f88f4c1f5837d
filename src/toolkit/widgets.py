"""Widget builders shared by the notebooks, so that every dashboard looks and behaves alike.

Labelled controls (:func:`dropdown`, :func:`date_picker`), chart and table
outputs (:func:`image`, :func:`frame_html`), what a cell shows for a possibly
empty frame (:func:`table`), the selection logic (:func:`filter_tables`, a pure
function over the dataset's tables), and the dashboards notebooks open
(:func:`strike_dashboard`, :func:`diplomacy_explorer`, :func:`article_viewer`,
:func:`comparison_explorer`; classes in :mod:`toolkit.dashboards`). Each
dashboard holds its controls, its outputs and the last thing it showed
(``state``), plus ``view``, the box to display. Outputs are ``HTML`` and
``Image`` widgets whose *values* are set from Python, so a test (or an nbval
cell) can change a control and assert on what the dashboard now shows without
a browser; charts are PNG images rendered from :mod:`toolkit.plots`.
"""
from __future__ import annotations

import html
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

ALL = "(all)"
#: Columns that locate a fact rather than state it (left out of the per-article fact tables).
_LOCATION_COLUMNS = ("article_id", "fact_id", "meeting_id", "evidence", "start_char", "end_char")
_STYLE = {"description_width": "initial"}


# --------------------------------------------------------------------------- building blocks

def dropdown(label: str, options: Iterable[Any], value: Any = None, include_all: bool = True) -> Any:
    """A labelled dropdown; with ``include_all`` its first option is ``(all)``."""
    import ipywidgets as w

    values = [ALL] if include_all else []
    # each option once, in order (looked up in a dict: a list's ``in`` made 10,000 options cost 50
    # million comparisons)
    values += [o for o in dict.fromkeys(options) if o not in values[:1]]
    return w.Dropdown(description=label, options=values, value=value if value in values else values[0] if values
                      else None, style=_STYLE, layout=w.Layout(width="max-content"))


def date_picker(label: str, value: str | None) -> Any:
    """A labelled date picker set to an ISO date (or empty)."""
    import ipywidgets as w

    day = pd.Timestamp(value).date() if value else None
    return w.DatePicker(description=label, value=day, style=_STYLE)


def figure_png(fig: Any, dpi: int = 80) -> bytes:
    """A matplotlib figure as PNG bytes (for an ``Image`` widget or a test)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def image(label: str) -> Any:
    """An empty PNG ``Image`` widget with an accessible label."""
    import ipywidgets as w

    widget = w.Image(format="png", layout=w.Layout(width="100%", height="auto"))
    widget.description = label  # carried in the widget state, named by the browser test
    widget.add_class("toolkit-chart")
    return widget


def frame_html(frame: pd.DataFrame, max_rows: int = 30, empty: str = "No facts yet.") -> str:
    """A frame as an escaped HTML table (pandas escapes cell text), or a message when empty."""
    if frame is None or frame.empty:
        return f"<p><em>{html.escape(empty)}</em></p>"
    return frame.head(max_rows).to_html(index=False, escape=True, na_rep="", border=0) + (
        f"<p>… {len(frame) - max_rows} more rows</p>" if len(frame) > max_rows else "")


def message_html(text: str) -> str:
    """A one-line status message, escaped."""
    return f'<p style="margin:4px 0"><b>{html.escape(text)}</b></p>'


def table(frame: pd.DataFrame | None, empty: str = "No facts yet.") -> Any:
    """What a notebook cell shows for a frame: the frame itself, or a clear message when it is empty."""
    from IPython.display import HTML

    if frame is None or frame.empty:
        return HTML(f"<p><em>{html.escape(empty)}</em></p>")
    return frame


def table_sizes(tables: dict[str, pd.DataFrame] | str | Path) -> pd.DataFrame:
    """Rows per table of a dataset (a quick look at what the extractors found): of loaded ``tables``,
    or of a dataset folder, counted without loading it (:func:`toolkit.corpus.table_rows`)."""
    if not isinstance(tables, dict):
        from .corpus import table_rows

        rows = table_rows(tables)
        return pd.DataFrame({"table": list(rows), "rows": list(rows.values())})
    return pd.DataFrame({"table": list(tables), "rows": [len(f) for f in tables.values()]})


def topic_counts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Positions and sticking points by the number of articles naming them (most named first)."""
    positions = tables["positions"].dropna(subset=["topic"])
    counts = positions.groupby("topic")["article_id"].nunique().rename("n_articles").reset_index()
    return counts.sort_values(["n_articles", "topic"], ascending=[False, True], ignore_index=True)


def differing(comparison: pd.DataFrame | None) -> pd.DataFrame | None:
    """Rows of an official comparison where a reported figure differs from the official one."""
    if comparison is None or comparison.empty:
        return comparison
    columns = [c for c in ("launched_difference", "intercepted_difference") if c in comparison.columns]
    mask = pd.Series(False, index=comparison.index)
    for column in columns:
        mask |= comparison[column].fillna(0).astype(float).ne(0)
    return comparison[mask].reset_index(drop=True)


def find_file(path: str | Path | None, candidates: Iterable[str | Path] = ()) -> Path | None:
    """``path`` when given (it must exist), else the first candidate that exists, else None."""
    if path:
        if not Path(path).exists():
            raise FileNotFoundError(f"no such file: {path}")
        return Path(path)
    return next((Path(c) for c in candidates if Path(c).exists()), None)


# --------------------------------------------------------------------------- selection logic

def _article_ids_between(articles: pd.DataFrame, start: Any, end: Any) -> set[str]:
    dates = pd.to_datetime(articles["published_date"], errors="coerce")
    keep = pd.Series(True, index=articles.index)
    if start:
        keep &= dates >= pd.Timestamp(start)
    if end:
        keep &= dates <= pd.Timestamp(end)
    return set(articles.loc[keep, "article_id"])


def filter_tables(tables: dict[str, pd.DataFrame], start: Any = None, end: Any = None, attacker: str | None = None,
                  weapon_class: str | None = None, oblast_code: str | None = None) -> dict[str, pd.DataFrame]:
    """The tables restricted to a selection (``None`` or ``(all)`` means no restriction).

    ``start``/``end`` keep articles published in that range (inclusive);
    ``attacker``/``weapon_class`` keep the matching weapon counts and the
    articles that report them; ``oblast_code`` keeps the articles naming a place,
    target, casualty or outage there and, in tables that carry an oblast, only
    that oblast's rows.
    """
    chosen = {k: v for k, v in {"attacker": attacker, "weapon_class": weapon_class}.items() if v not in (None, ALL)}
    oblast = oblast_code if oblast_code not in (None, ALL) else None
    if not (start or end or chosen or oblast):
        return dict(tables)
    out = {name: frame.copy() for name, frame in tables.items()}
    ids = set(out["articles"]["article_id"])
    if start or end:
        ids &= _article_ids_between(out["articles"], start, end)
    if chosen:
        counts = out["strike_counts"]
        for column, value in chosen.items():
            counts = counts[counts[column] == value]
        out["strike_counts"] = counts
        ids &= set(counts["article_id"])
    if oblast:
        named: set[str] = set()
        for name in ("places", "infrastructure", "casualties", "outages"):
            frame = out[name]
            if "oblast_code" in frame.columns:
                out[name] = frame[frame["oblast_code"] == oblast]
                named |= set(out[name]["article_id"])
        ids &= named
    for name, frame in out.items():
        if "article_id" in frame.columns:
            out[name] = frame[frame["article_id"].isin(ids)].reset_index(drop=True)
    return out


def oblast_options(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str]]:
    """(label, oblast_code) pairs of the oblasts named in the places table, by name."""
    places = tables["places"].dropna(subset=["oblast_code"])
    if places.empty:
        return []
    names = places.groupby("oblast_code")["oblast_name"].first()
    return sorted(((f"{n if isinstance(n, str) else c} ({c})", c) for c, n in names.items()), key=lambda p: p[0])


# --------------------------------------------------------------------------- dashboards (toolkit.dashboards)

def strike_dashboard(tables: dict[str, pd.DataFrame]) -> Any:
    """The strike dashboard over a dataset's tables (display ``.view``)."""
    from .dashboards import StrikeDashboard

    return StrikeDashboard(tables)


def diplomacy_explorer(tables: dict[str, pd.DataFrame]) -> Any:
    """The person/plan explorer over a dataset's tables (display ``.view``)."""
    from .dashboards import DiplomacyExplorer

    return DiplomacyExplorer(tables)


def article_viewer(folder: str | Path, file: str | None = None) -> Any:
    """The one-article reader over a folder of article files, showing ``file`` first (display ``.view``)."""
    from .dashboards import ArticleViewer

    return ArticleViewer(folder, file)


def comparison_explorer(comparison: pd.DataFrame | None) -> Any:
    """The reported-vs-official explorer over ``official.compare_with_official``'s frame (display ``.view``)."""
    from .dashboards import ComparisonExplorer

    return ComparisonExplorer(comparison)
