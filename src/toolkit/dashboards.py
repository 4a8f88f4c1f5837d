"""The notebooks' dashboards: labelled controls driving HTML and chart outputs.

Built from the blocks in :mod:`toolkit.widgets` (which also holds the
functions notebooks call, ``widgets.strike_dashboard(tables)`` and the like).
Each dashboard keeps the last thing it showed in ``state`` so that tests and
nbval cells can change a control and check the result without a browser.
"""
from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .widgets import (_LOCATION_COLUMNS, _STYLE, ALL, date_picker, differing, dropdown, figure_png, filter_tables,
                      frame_html, image, message_html, oblast_options)


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

    def chart(self, name: str) -> Any:
        """One of the dashboard's charts as a static image (shows in exported HTML, where widgets do not)."""
        from IPython.display import Image

        return Image(data=self.outputs[name].value, format="png")

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
        attacks = aggregate.attacks(chosen)  # reconciled once for the summary and both charts that need it
        charts: dict[str, Callable[[], Any]] = {
            "launched": lambda: plots.launched_vs_intercepted(aggregate.launched_vs_intercepted(attacks, freq="D")),
            "rates": lambda: plots.interception_rates(aggregate.interception_rates(attacks, by="weapon_class")),
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
    """Read one article: pick a file (and, in a collection, which of its articles) or paste a text,
    see its facts and its highlighted text."""

    def __init__(self, folder: str | Path, file: str | None = None) -> None:
        import ipywidgets as w

        self.folder = Path(folder)
        files = sorted(p.name for p in self.folder.iterdir() if p.is_file() and not p.name.startswith(".")) \
            if self.folder.is_dir() else []
        self.extraction: Any = None
        self._holding = False
        number = w.BoundedIntText(description="Article no. in the file", value=1, min=1, max=10**9, style=_STYLE,
                                  tooltip="A JSON Lines, JSON or CSV collection holds many articles: 1 is its first")
        controls = {"file": dropdown("Article file", files, value=file, include_all=False), "number": number,
                    "paste": w.Textarea(description="Or paste a text", placeholder="Paste an article here",
                                        style=_STYLE, layout=w.Layout(width="60%", height="6em")),
                    "use_paste": w.ToggleButton(description="Read pasted text", value=False,
                                                tooltip="Show the pasted text instead of the file")}
        outputs = {"summary": w.HTML(), "text": w.HTML(), "facts": w.HTML()}
        # registered before the dashboard's own observers: another file opens at its first article,
        # read once (the number's change is held back, the file's change then reads it)
        controls["file"].observe(self._first_article, names="value")
        super().__init__("Read one article", controls, outputs)
        self.refresh()

    def _first_article(self, _change: Any) -> None:
        if self.controls["number"].value != 1:
            self._holding = True
            try:
                self.controls["number"].value = 1
            finally:
                self._holding = False

    def refresh(self) -> None:
        """Read the chosen article of the chosen file (or the pasted text), extract its facts and show them."""
        from .extract import extract
        from .highlight import highlight_extraction
        from .ingest import IngestError, article_from_text, read_articles

        if self._holding:
            return
        self.extraction = None
        number = self.controls["number"].value
        source = "pasted text" if self.controls["use_paste"].value else self.controls["file"].value
        try:
            if self.controls["use_paste"].value:
                article = article_from_text(self.controls["paste"].value)
            elif source:
                # read up to the chosen article only: the 3rd of a big archive costs three articles
                found = list(itertools.islice(read_articles(self.folder / str(source)), number))
                article = found[-1] if len(found) == number else None
                if article is None and found:
                    source = f"{source} holds {len(found)} article{'s' * (len(found) > 1)}, not {number}"
            else:
                article = None
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
        name = article.article_id if source == "pasted text" or number == 1 else \
            f"{article.article_id} (article {number} of {source})"
        self.outputs["summary"].value = message_html(f"{name}: {n_facts} facts" if n_facts
                                                     else f"{name}: no facts found yet")
        self.outputs["facts"].value = shown
        self.outputs["text"].value = highlight_extraction(self.extraction)
        self.state = {"source": source, "number": 1 if source == "pasted text" else number,
                      "article_id": article.article_id, "n_facts": n_facts, "html": self.outputs["text"].value}


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
