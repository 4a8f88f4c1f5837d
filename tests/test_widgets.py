"""Widget builders: every control labelled, controls drive the outputs (checked on widget state), empty data ok."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from toolkit import ingest, widgets
from toolkit.attacks import tables_from_rows
from toolkit.corpus import load_dataset, write_dataset


def _count(article_id, n, event, weapon_class, count, attacker="russia", source="Air Force"):
    return {"article_id": article_id, "fact_id": f"{article_id}:{n}", "scope": "attack", "attacker": attacker,
            "event": event, "weapon_class": weapon_class, "count": count, "qualifier": "exact", "source": source,
            "start_char": 0, "end_char": 10, "evidence": "our words"}


def _place(article_id, name, code, lat, lon):
    return {"article_id": article_id, "fact_id": f"{article_id}:p{name}", "place_name": name,
            "place_canonical": name, "place_kind": "city", "country_code": "UA", "oblast_code": code,
            "oblast_name": name, "latitude": lat, "longitude": lon, "place_role": "struck"}


@pytest.fixture(scope="module")
def tables():
    """Three small made-up reports: two nights of Russian strikes and one Ukrainian drone raid."""
    return tables_from_rows(
        articles=[{"article_id": "a", "published_date": "2025-03-01", "title": "Night one"},
                  {"article_id": "b", "published_date": "2025-03-02", "title": "Night two"},
                  {"article_id": "c", "published_date": "2025-03-02", "title": "Raid on a refinery"}],
        strike_counts=[_count("a", 1, "launched", "drone", 90), _count("a", 2, "intercepted", "drone", 80),
                       _count("b", 1, "launched", "ballistic_missile", 4),
                       _count("b", 2, "launched", "drone", 120), _count("b", 3, "intercepted", "drone", 100),
                       _count("c", 1, "intercepted", "drone", 30, attacker="ukraine", source="Russian MoD")],
        places=[_place("a", "Lviv", "UA-46", 49.84, 24.03), _place("b", "Kharkiv", "UA-63", 49.99, 36.23)],
        casualties=[{"article_id": "b", "fact_id": "b:c1", "casualty_kind": "injured", "count": 3,
                     "oblast_code": "UA-63"}],
        meetings=[{"article_id": "a", "meeting_id": "a:m1", "place": "Geneva", "meeting_status": "held",
                   "meeting_date": "2025-02-27"},
                  {"article_id": "b", "meeting_id": "b:m1", "place": "Riyadh", "meeting_status": "planned",
                   "meeting_date": "2025-03-10"}],
        participants=[{"article_id": "a", "meeting_id": "a:m1", "person_name": p}
                      for p in ("Person One", "Person Two")]
        + [{"article_id": "b", "meeting_id": "b:m1", "person_name": p} for p in ("Person One", "Person Three")],
        plans=[{"article_id": "a", "fact_id": "a:pl1", "points": 12, "plan_version": "initial"},
               {"article_id": "b", "fact_id": "b:pl1", "points": 20, "plan_version": "revised"}],
        positions=[{"article_id": a, "fact_id": f"{a}:t", "topic": "territory"} for a in "ab"]
        + [{"article_id": "b", "fact_id": "b:t2", "topic": "sanctions"}],
    )


@pytest.fixture(scope="module")
def empty_tables(tmp_path_factory):
    return load_dataset(tmp_path_factory.mktemp("no-dataset"))


@pytest.mark.parametrize("selection,expected", [
    ({}, {"a", "b", "c"}),
    ({"start": "2025-03-02"}, {"b", "c"}),
    ({"end": "2025-03-01"}, {"a"}),
    ({"attacker": "ukraine"}, {"c"}),
    ({"weapon_class": "ballistic_missile"}, {"b"}),
    ({"weapon_class": widgets.ALL, "attacker": widgets.ALL}, {"a", "b", "c"}),
    ({"oblast_code": "UA-46"}, {"a"}),
    ({"oblast_code": "UA-63", "weapon_class": "drone"}, {"b"}),
    ({"oblast_code": "UA-46", "start": "2025-03-02"}, set()),
])
def test_widgets_filter_tables_keeps_the_selected_articles(tables, selection, expected):
    chosen = widgets.filter_tables(tables, **selection)
    assert set(chosen["articles"]["article_id"]) == expected
    for name, frame in chosen.items():
        if "article_id" in frame.columns:
            assert set(frame["article_id"]) <= expected, name
    if "weapon_class" in selection and selection["weapon_class"] != widgets.ALL:
        assert set(chosen["strike_counts"]["weapon_class"]) <= {selection["weapon_class"]}


def test_widgets_strike_dashboard_controls_drive_the_charts(tables):
    dashboard = widgets.strike_dashboard(tables)
    assert dashboard.labels() == ["Published from", "to", "Attacker", "Weapon class", "Oblast"]
    assert all(dashboard.labels())
    before = dict(dashboard.state)
    assert before["n_articles"] == 3 and before["n_attack_rows"] > 0
    assert all(size > 0 for size in before["charts"].values())
    map_before = dashboard.outputs["map"].value
    dashboard.controls["oblast"].value = "UA-46"
    assert dashboard.state["n_articles"] == 1
    assert dashboard.outputs["map"].value != map_before
    dashboard.controls["oblast"].value = widgets.ALL
    dashboard.controls["attacker"].value = "ukraine"
    assert dashboard.state["n_articles"] == 1 and "1 articles" in dashboard.state["summary"]
    dashboard.controls["attacker"].value = widgets.ALL
    assert dashboard.state["n_articles"] == before["n_articles"]
    assert dashboard.outputs["map"].value == map_before  # a selection seen before is reused
    assert dashboard.chart("map").data == map_before  # the static copy for exported HTML


def test_widgets_dashboards_work_on_empty_tables(empty_tables):
    dashboard = widgets.strike_dashboard(empty_tables)
    assert dashboard.state["n_attack_rows"] == 0 and "No strike facts yet" in dashboard.state["summary"]
    explorer = widgets.diplomacy_explorer(empty_tables)
    assert explorer.state["n_meetings"] == 0 and "No meetings yet" in explorer.outputs["meetings"].value
    comparison = widgets.comparison_explorer(None)
    assert comparison.state["n_rows"] == 0


def test_widgets_diplomacy_explorer_follows_one_person_and_one_plan(tables):
    explorer = widgets.diplomacy_explorer(tables)
    assert explorer.labels() == ["Follow person", "Follow plan (points)"]
    assert explorer.state["n_meetings"] == 2 and explorer.state["n_plan_versions"] == 2
    explorer.controls["person"].value = "Person Three"
    assert explorer.state["n_meetings"] == 1 and "Riyadh" in explorer.outputs["meetings"].value
    explorer.controls["plan"].value = "12-point plan"
    assert explorer.state["n_plan_versions"] == 1


def test_widgets_article_viewer_reads_files_and_pasted_text_escaped(tmp_path):
    (tmp_path / "first.txt").write_text("Calm <script>alert(1)</script> night\nNothing happened overnight.\n",
                                        encoding="utf-8")
    (tmp_path / "second.txt").write_text("Busy night\nRussia launched 45 drones at Ukraine overnight.\n",
                                         encoding="utf-8")
    viewer = widgets.article_viewer(tmp_path, file="second.txt")
    assert viewer.labels() == ["Article file", "Article no. in the file", "Or paste a text", "Read pasted text"]
    assert viewer.state["article_id"] == "second"
    viewer.controls["file"].value = "first.txt"
    assert viewer.state["article_id"] == "first"
    assert "<script" not in viewer.state["html"] and "&lt;script&gt;" in viewer.state["html"]
    viewer.controls["use_paste"].value = True
    assert viewer.state["source"].startswith("pasted text") and viewer.state["n_facts"] == 0  # nothing pasted
    assert "Nothing to read" in viewer.outputs["summary"].value
    viewer.controls["paste"].value = "<img src=x onerror=alert(1)>\nDrones struck Lviv overnight."
    assert viewer.state["article_id"] == "pasted" and "<img" not in viewer.state["html"]


def test_widgets_article_viewer_on_a_missing_folder_says_so(tmp_path):
    viewer = widgets.article_viewer(tmp_path / "nowhere")
    assert viewer.state["n_facts"] == 0 and "Nothing to read" in viewer.outputs["summary"].value


COMPARISON = pd.DataFrame({"attack_date": ["2025-03-01", "2025-03-01", "2025-03-02"],
                           "weapon_class": ["drone", "missile", "drone"],
                           "reported_launched": pd.array([90, 4, 120], dtype="Int64"),
                           "official_launched": pd.array([90, 6, None], dtype="Int64"),
                           "launched_difference": pd.array([0, -2, None], dtype="Int64"),
                           "intercepted_difference": pd.array([0, None, None], dtype="Int64")})


def test_widgets_comparison_explorer_filters_by_class_and_difference():
    explorer = widgets.comparison_explorer(COMPARISON)
    assert explorer.labels() == ["Weapon class", "Only rows where reports differ"]
    assert explorer.state["n_rows"] == 3
    explorer.controls["only_differing"].value = True
    assert explorer.state["n_rows"] == 1
    explorer.controls["weapon_class"].value = "drone"
    assert explorer.state["n_rows"] == 0 and "Nothing to compare" in explorer.outputs["table"].value


def test_widgets_small_helpers(tables, tmp_path):
    assert widgets.table_sizes(tables).set_index("table").loc["strike_counts", "rows"] == 6
    write_dataset(tables, tmp_path / "ds")  # of a dataset folder: counted without loading it
    pd.testing.assert_frame_equal(widgets.table_sizes(tmp_path / "ds"), widgets.table_sizes(load_dataset(tmp_path / "ds")))
    assert widgets.table_sizes(str(tmp_path / "ds")).set_index("table").loc["strike_counts", "rows"] == 6
    assert widgets.topic_counts(tables).values.tolist() == [["territory", 2], ["sanctions", 1]]
    assert widgets.differing(COMPARISON)["weapon_class"].tolist() == ["missile"]
    assert "No facts yet" in widgets.table(pd.DataFrame()).data
    assert widgets.table(COMPARISON) is COMPARISON
    assert "&lt;b&gt;" in widgets.frame_html(pd.DataFrame({"x": ["<b>bold</b>"]}))
    (tmp_path / "b.csv").write_text("x\n", encoding="utf-8")
    assert widgets.find_file(None, [tmp_path / "a.csv", tmp_path / "b.csv"]) == tmp_path / "b.csv"
    assert widgets.find_file(None, [tmp_path / "a.csv"]) is None
    with pytest.raises(FileNotFoundError):
        widgets.find_file(tmp_path / "a.csv")


def test_widgets_dashboard_outputs_keep_their_order_with_charts_in_a_grid(tables):
    import ipywidgets as w

    strike = widgets.strike_dashboard(tables).view.children
    assert isinstance(strike[2], w.HTML) and isinstance(strike[3], w.GridBox) and len(strike[3].children) == 5
    diplomacy = widgets.diplomacy_explorer(tables).view.children
    assert [type(c).__name__ for c in diplomacy[2:]] == ["HTML", "Image", "HTML", "HTML"]


def test_widgets_article_viewer_reads_any_article_of_a_collection(tmp_path, monkeypatch):
    rows = [{"id": f"wire-{n}", "text": f"Report {n}\nRussia launched {10 * n} drones at Ukraine overnight."}
            for n in (1, 2, 3)]
    (tmp_path / "archive.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "single.txt").write_text("Quiet\nRussia launched 7 drones overnight.\n", encoding="utf-8")
    viewer = widgets.article_viewer(tmp_path, file="archive.jsonl")
    assert viewer.labels() == ["Article file", "Article no. in the file", "Or paste a text", "Read pasted text"]
    assert viewer.state["article_id"] == "wire-1" and viewer.state["number"] == 1
    viewer.controls["number"].value = 3
    assert viewer.state["article_id"] == "wire-3" and "30" in viewer.state["html"]
    assert "article 3 of archive.jsonl" in viewer.outputs["summary"].value
    viewer.controls["number"].value = 4  # past the last article: says how many there are
    assert viewer.extraction is None and viewer.state["n_facts"] == 0
    assert "archive.jsonl holds 3 articles, not 4" in viewer.outputs["summary"].value
    reads, pulled = [], []
    real = ingest.read_articles

    def counted(path):
        reads.append(Path(path).name)
        for article in real(path):
            pulled.append(article.article_id)
            yield article

    monkeypatch.setattr(ingest, "read_articles", counted)
    viewer.controls["number"].value = 2  # read up to the second article, not to the end
    assert viewer.state["article_id"] == "wire-2" and pulled == ["wire-1", "wire-2"]
    reads.clear()
    viewer.controls["file"].value = "single.txt"  # another file opens at its first article, read once
    assert viewer.controls["number"].value == 1 and reads == ["single.txt"]
    assert viewer.state["article_id"] == "single" and viewer.state["number"] == 1
    viewer.controls["number"].value = 2
    assert "single.txt holds 1 article, not 2" in viewer.outputs["summary"].value
