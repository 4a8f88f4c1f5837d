"""Widget builders shared by the notebooks, so that every dashboard looks and behaves alike.

Each builder returns a small object holding its controls (labelled ipywidgets),
its outputs and the last thing it showed (``state``), plus ``view``: the box to
display. Outputs are ``HTML`` and ``Image`` widgets whose *values* are set from
Python, so a test (or an nbval cell) can change a control and assert on what
the dashboard now shows without a browser; charts are PNG images rendered from
:mod:`toolkit.plots`. The selection logic (:func:`filter_tables`) is a pure
function over the dataset's tables.
"""
from __future__ import annotations

import html
import io
from collections.abc import Callable, Iterable
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
    values += [o for o in options if o not in values]
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


def table_sizes(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows per table of a dataset (a quick look at what the extractors found)."""
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


# --------------------------------------------------------------------------- dashboards

def _arrange(outputs: list[Any]) -> list[Any]:
    """Outputs in order, with each run of two or more charts laid out in a two-column grid."""
    import ipywidgets as w

    arranged: list[Any] = []
    run: list[Any] = []
    for output in [*outputs, None]:
        if isinstance(output, w.Image):
            run.append(output)
            continue
        if len(run) > 1:
            arranged.append(w.GridBox(run, layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))",
                                                           grid_gap="8px")))
        else:
            arranged += run
        run = []
        if output is not None:
            arranged.append(output)
    return arranged


class Dashboard:
    """Controls, outputs and the last state shown; ``view`` is the box to display."""

    def __init__(self, title: str, controls: dict[str, Any], outputs: dict[str, Any]) -> None:
        import ipywidgets as w

        self.title = title
        self.controls = controls
        self.outputs = outputs
        self.state: dict[str, Any] = {}
        header = w.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>")
        self.view = w.VBox([header, w.HBox(list(controls.values()), layout=w.Layout(flex_flow="row wrap")),
                            *_arrange(list(outputs.values()))])
        self.view.add_class("toolkit-dashboard")
        for control in controls.values():
            control.observe(lambda _change: self.refresh(), names="value")

    def labels(self) -> list[str]:
        """The label of every control, in display order (each widget has one)."""
        return [c.description for c in self.controls.values()]

    def selection(self) -> dict[str, Any]:
        """The current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self) -> None:  # pragma: no cover - overridden
        """Recompute the outputs from the controls."""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.view._repr_mimebundle_(**kwargs)


class StrikeDashboard(Dashboard):
    """Strike dashboard: date range, attacker, weapon class and oblast drive five charts."""

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        import ipywidgets as w

        self.tables = tables
        dates = pd.to_datetime(tables["articles"]["published_date"], errors="coerce").dropna()
        counts = tables["strike_counts"]
        oblast = dropdown("Oblast", [])
        oblast.options = [(ALL, ALL), *oblast_options(tables)]
        controls = {
            "start": date_picker("Published from", dates.min().date().isoformat() if len(dates) else None),
            "end": date_picker("to", dates.max().date().isoformat() if len(dates) else None),
            "attacker": dropdown("Attacker", sorted(counts["attacker"].dropna().unique())),
            "weapon_class": dropdown("Weapon class", sorted(counts["weapon_class"].dropna().unique())),
            "oblast": oblast,
        }
        outputs = {"summary": w.HTML(), "launched": image("Launched vs intercepted over time"),
                   "rates": image("Interception rate by weapon class"), "oblasts": image("Attacks per oblast"),
                   "impacts": image("Casualties and outages"), "map": image("Map of struck places")}
        super().__init__("Strike dashboard", controls, outputs)
        self.refresh()

    def refresh(self) -> None:
        """Filter the tables by the controls and redraw every chart (a selection seen before is reused)."""
        s = self.selection()
        key = tuple(sorted((k, str(v)) for k, v in s.items()))
        cache: dict[tuple, tuple[dict[str, Any], dict[str, Any]]] = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            cache[key] = self._draw(s)
            while len(cache) > 16:  # the oldest selections go first
                cache.pop(next(iter(cache)))
        values, state = cache[key]
        for name, value in values.items():
            self.outputs[name].value = value
        self.state = dict(state)

    def _draw(self, s: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        from . import aggregate, plots

        chosen = filter_tables(self.tables, s["start"], s["end"], s["attacker"], s["weapon_class"], s["oblast"])
        attacks = aggregate.attacks(chosen)
        charts: dict[str, Callable[[], Any]] = {
            "launched": lambda: plots.launched_vs_intercepted(aggregate.launched_vs_intercepted(chosen, freq="D")),
            "rates": lambda: plots.interception_rates(aggregate.interception_rates(chosen, by="weapon_class")),
            "oblasts": lambda: plots.attacks_per_oblast(aggregate.top_oblasts(chosen, n=10)),
            "impacts": lambda: plots.impacts_per_attack(aggregate.impacts_per_attack(chosen)),
            "map": lambda: plots.struck_places_map(aggregate.struck_places(chosen)),
        }
        values: dict[str, Any] = {name: figure_png(draw()) for name, draw in charts.items()}
        n_articles = len(chosen["articles"])
        text = (f"{len(attacks)} attack rows from {n_articles} articles in this selection" if len(attacks)
                else f"No strike facts yet for this selection ({n_articles} articles)")
        values["summary"] = message_html(text)
        state = {"selection": s, "n_articles": n_articles, "n_attack_rows": len(attacks), "summary": text,
                 "charts": {name: len(values[name]) for name in charts}}
        return values, state


class DiplomacyExplorer(Dashboard):
    """Follow one person or one plan: their meetings, who they met, the plan's versions."""

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        import ipywidgets as w

        self.tables = tables
        names = pd.concat([tables["participants"]["person_name"], tables["people"]["person_name"]]).dropna()
        plans = tables["plans"]["points"].dropna().astype(int).unique()
        controls = {"person": dropdown("Follow person", sorted(names.unique())),
                    "plan": dropdown("Follow plan (points)", [f"{p}-point plan" for p in sorted(plans)])}
        outputs = {"summary": w.HTML(), "matrix": image("Who met whom"), "plans": w.HTML(),
                   "meetings": w.HTML()}
        super().__init__("Follow a person or a plan", controls, outputs)
        self.refresh()

    def refresh(self) -> None:
        """Restrict meetings to the chosen person and plans to the chosen plan, and redraw."""
        from . import aggregate, plots

        person, plan = self.controls["person"].value, self.controls["plan"].value
        timeline = aggregate.meetings_timeline(self.tables)
        if person != ALL and not timeline.empty:
            timeline = timeline[timeline["participants"].fillna("").str.split(r",\s*").map(lambda ps: person in ps)]
        versions = aggregate.plan_versions(self.tables)
        if plan != ALL and not versions.empty:
            versions = versions[versions["points"] == int(plan.split("-")[0])]
        pairs = aggregate.who_met_whom(self.tables)
        if person != ALL and not pairs.empty:
            pairs = pairs[(pairs["person_a"] == person) | (pairs["person_b"] == person)]
        shown = timeline.drop(columns=[c for c in ("meeting_id", "date_is_article_date") if c in timeline.columns])
        self.outputs["meetings"].value = "<h4>Meetings</h4>" + frame_html(shown, max_rows=15,
                                                                           empty="No meetings yet.")
        self.outputs["matrix"].value = figure_png(plots.who_met_whom(pairs))
        self.outputs["plans"].value = "<h4>Plans and versions</h4>" + frame_html(versions, empty="No plans yet.")
        text = f"{len(timeline)} meetings, {len(versions)} plan versions" + (
            f" for {person}" if person != ALL else "")
        self.outputs["summary"].value = message_html(text)
        self.state = {"person": person, "plan": plan, "n_meetings": len(timeline), "n_plan_versions": len(versions),
                      "n_pairs": len(pairs), "summary": text}


class ArticleViewer(Dashboard):
    """Read one article: pick a file or paste a text, see its facts and its highlighted text."""

    def __init__(self, folder: str | Path, file: str | None = None) -> None:
        import ipywidgets as w

        self.folder = Path(folder)
        files = sorted(p.name for p in self.folder.iterdir() if p.is_file() and not p.name.startswith(".")) \
            if self.folder.is_dir() else []
        self.extraction: Any = None
        controls = {"file": dropdown("Article file", files, value=file, include_all=False),
                    "paste": w.Textarea(description="Or paste a text", placeholder="Paste an article here",
                                        style=_STYLE, layout=w.Layout(width="60%", height="6em")),
                    "use_paste": w.ToggleButton(description="Read pasted text", value=False,
                                                tooltip="Show the pasted text instead of the file")}
        outputs = {"summary": w.HTML(), "text": w.HTML(), "facts": w.HTML()}
        super().__init__("Read one article", controls, outputs)
        self.refresh()

    def refresh(self) -> None:
        """Read the chosen file (or the pasted text), extract its facts and show them."""
        from .extract import extract
        from .highlight import highlight_extraction
        from .ingest import IngestError, article_from_text, read_articles

        self.extraction = None
        source = "pasted text" if self.controls["use_paste"].value else self.controls["file"].value
        try:
            if self.controls["use_paste"].value:
                article = article_from_text(self.controls["paste"].value)
            else:
                article = next(iter(read_articles(self.folder / str(source))), None) if source else None
        except (IngestError, FileNotFoundError) as exc:
            article, source = None, f"{source} ({exc})"
        if article is None:
            self.outputs["summary"].value = message_html(f"Nothing to read: {source}")
            self.outputs["facts"].value = self.outputs["text"].value = ""
            self.state = {"source": source, "n_facts": 0, "html": ""}
            return
        self.extraction = extract(article)
        facts = {t: pd.DataFrame(rows) for t, rows in self.extraction.tables.items() if rows}
        n_facts = sum(len(f) for f in facts.values())
        shown = "".join(f"<h4>{html.escape(t)} ({len(f)})</h4>"
                        + frame_html(f.drop(columns=[c for c in _LOCATION_COLUMNS if c in f.columns]))
                        for t, f in facts.items())
        self.outputs["summary"].value = message_html(f"{article.article_id}: {n_facts} facts" if n_facts
                                                     else f"{article.article_id}: no facts found yet")
        self.outputs["facts"].value = shown
        self.outputs["text"].value = highlight_extraction(self.extraction)
        self.state = {"source": source, "article_id": article.article_id, "n_facts": n_facts,
                      "html": self.outputs["text"].value}


def strike_dashboard(tables: dict[str, pd.DataFrame]) -> StrikeDashboard:
    """The strike dashboard over a dataset's tables (display ``.view``)."""
    return StrikeDashboard(tables)


def diplomacy_explorer(tables: dict[str, pd.DataFrame]) -> DiplomacyExplorer:
    """The person/plan explorer over a dataset's tables (display ``.view``)."""
    return DiplomacyExplorer(tables)


def article_viewer(folder: str | Path, file: str | None = None) -> ArticleViewer:
    """The one-article reader over a folder of article files, showing ``file`` first (display ``.view``)."""
    return ArticleViewer(folder, file)


class ComparisonExplorer(Dashboard):
    """Reported against official figures: pick a weapon class, optionally only the rows that differ."""

    def __init__(self, comparison: pd.DataFrame | None) -> None:
        import ipywidgets as w

        self.comparison = comparison if comparison is not None else pd.DataFrame()
        classes = sorted(self.comparison["weapon_class"].dropna().unique()) if len(self.comparison) else []
        controls = {"weapon_class": dropdown("Weapon class", classes),
                    "only_differing": w.Checkbox(description="Only rows where reports differ", value=False,
                                                 style=_STYLE)}
        outputs = {"summary": w.HTML(), "chart": image("Reported vs official launched"), "table": w.HTML()}
        super().__init__("Reported vs official figures", controls, outputs)
        self.refresh()

    def refresh(self) -> None:
        """Filter the comparison by the controls and redraw."""
        from . import plots

        rows = self.comparison
        chosen = self.controls["weapon_class"].value
        if chosen != ALL and len(rows):
            rows = rows[rows["weapon_class"] == chosen]
        if self.controls["only_differing"].value:
            rows = differing(rows)
        shown = rows.drop(columns=[c for c in ("official_sha256",) if c in rows.columns])
        self.outputs["table"].value = frame_html(shown, max_rows=20, empty="Nothing to compare for this selection.")
        self.outputs["chart"].value = figure_png(plots.reported_vs_official(rows, event="launched"))
        text = f"{len(rows)} attack and weapon-class rows"
        self.outputs["summary"].value = message_html(text)
        self.state = {"weapon_class": chosen, "only_differing": self.controls["only_differing"].value,
                      "n_rows": len(rows), "summary": text}


def comparison_explorer(comparison: pd.DataFrame | None) -> ComparisonExplorer:
    """The reported-vs-official explorer over ``official.compare_with_official``'s frame (display ``.view``)."""
    return ComparisonExplorer(comparison)
