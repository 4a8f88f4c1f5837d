"""Chart helpers: every chart has a title and axis labels (with units), and empty input gives a message."""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from toolkit import plots
from toolkit.gazetteer import load_csv


def _texts(fig: Figure) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts)


def _titles(fig: Figure) -> list[str]:
    return [ax.get_title() for ax in fig.axes if ax.get_title()]


LAUNCHED = pd.DataFrame({"period": ["2025-07-09", "2025-07-09", "2025-07-10", "2025-07-10"],
                         "weapon_class": ["drone"] * 4, "event": ["launched", "intercepted"] * 2,
                         "count": pd.array([700, 690, None, 40], dtype="Int64")})
RATES = pd.DataFrame({"weapon_class": ["drone", "cruise_missile"], "launched": [700, 13],
                      "intercepted": [690, 7], "rate": [690 / 700, 7 / 13], "n_attacks": [2, 1]})
OBLASTS = pd.DataFrame({"oblast_code": ["UA-46", "UA-30"], "oblast_name": ["Lviv", None], "n_articles": [3, 2],
                        "n_attacks": [2, 2], "latitude": [49.84, 50.45], "longitude": [24.03, 30.52]})
IMPACTS = pd.DataFrame({"attack_date": ["2025-07-09", "2025-07-10"], "killed": pd.array([2, None], dtype="Int64"),
                        "injured": [5, 1], "power": pd.array([None, 12000], dtype="Int64")})
PLACES = pd.DataFrame({"place_canonical": ["Lutsk", "Kyiv"], "oblast_code": ["UA-07", "UA-30"],
                       "latitude": [50.75, 50.45], "longitude": [25.33, 30.52], "n_mentions": [4, 1]})
INFRA = pd.DataFrame({"period": ["2025-07", "2025-07", "2025-08"], "infrastructure_category": ["energy", "rail",
                      "energy"], "n_attacks": [3, 1, 2]})
MEETINGS = pd.DataFrame({"meeting_date": ["2025-02-18", "2025-03-11", None], "place": ["Riyadh", "Jeddah", "Paris"],
                         "meeting_status": ["held", "held", "planned"], "participants": ["a, b", "c", ""],
                         "article_id": ["x", "y", "z"]})
PAIRS = pd.DataFrame({"person_a": ["Marco Rubio", "Marco Rubio"], "person_b": ["Sergei Lavrov", "Andrii Yermak"],
                      "n_meetings": [1, 2]})
OFFICIAL = pd.DataFrame({"attack_date": ["2025-07-09"] * 2, "weapon_class": ["drone", "ballistic_missile"],
                         "reported_launched": pd.array([728, 7], dtype="Int64"),
                         "official_launched": pd.array([728, None], dtype="Int64")})

# (chart function, frame, words the title must contain, axis unit that must appear in a label)
CHARTS = [
    (plots.launched_vs_intercepted, LAUNCHED, "launched", "count"),
    (plots.interception_rates, RATES, "Interception rate", "%"),
    (plots.attacks_per_oblast, OBLASTS, "Oblasts", "count"),
    (plots.impacts_per_attack, IMPACTS, "Casualties", "people"),
    (plots.infrastructure_over_time, INFRA, "infrastructure", "count"),
    (plots.struck_places_map, PLACES, "Places reported struck", "degrees"),
    (plots.meetings_timeline, MEETINGS, "Meetings", "date"),
    (plots.who_met_whom, PAIRS, "Who met whom", "participant"),
    (plots.reported_vs_official, OFFICIAL, "Reported vs official", "count"),
]


@pytest.mark.parametrize("chart,frame,title,unit", CHARTS, ids=[c[0].__name__ for c in CHARTS])
def test_plots_draw_titled_labelled_charts(chart, frame, title, unit):
    fig = chart(frame)
    assert isinstance(fig, Figure)
    assert any(title.lower() in t.lower() for t in _titles(fig))
    labels = " ".join(ax.get_xlabel() + " " + ax.get_ylabel() for ax in fig.axes)
    assert unit in labels
    assert plots.NO_FACTS not in _texts(fig)
    fig.canvas.draw()  # renders without error


@pytest.mark.parametrize("chart", [c[0] for c in CHARTS], ids=[c[0].__name__ for c in CHARTS])
@pytest.mark.parametrize("frame", [pd.DataFrame(), None], ids=["empty", "none"])
def test_plots_say_no_facts_on_empty_input(chart, frame):
    fig = chart(frame)
    assert _titles(fig), "an empty chart still has its title"
    assert plots.NO_FACTS in _texts(fig) or "No dated meetings" in _texts(fig)
    fig.canvas.draw()


def test_plots_map_draws_outline_and_sized_points():
    fig = plots.struck_places_map(PLACES)
    ax = fig.axes[0]
    assert len(ax.patches) == 1  # the outline
    sizes = ax.collections[0].get_sizes()
    assert sizes[0] > sizes[1]  # four mentions draw bigger than one
    assert {"Lutsk", "Kyiv"} <= {t.get_text() for t in ax.texts}


def test_plots_ukraine_outline_file_validates():
    rows = load_csv("ukraine_outline.csv", required=("point", "longitude", "latitude"), optional=(), key=("point",))
    outline = plots.ukraine_outline()
    assert len(outline) == len(rows) >= 50
    assert outline["longitude"].between(22, 41).all() and outline["latitude"].between(44, 53).all()
    assert tuple(outline.iloc[0][["longitude", "latitude"]]) == tuple(outline.iloc[-1][["longitude", "latitude"]])
    assert list(outline["point"]) == list(range(1, len(outline) + 1))


def test_plots_meetings_timeline_skips_undated_meetings():
    fig = plots.meetings_timeline(MEETINGS)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Jeddah", "Riyadh"]


def test_plots_who_met_whom_is_symmetric():
    fig = plots.who_met_whom(PAIRS)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == sorted(ticks) and len(ticks) == 3


def test_plots_who_met_whom_keeps_the_busiest_people():
    pairs = pd.DataFrame({"person_a": ["A", "A", "B", "C"], "person_b": ["B", "C", "C", "D"], "n_meetings": [5, 4, 1, 1]})
    fig = plots.who_met_whom(pairs, max_people=2)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["A", "B"]
    assert "2 people" in fig.axes[0].get_title()


def _bar_heights(ax) -> float:
    return sum(p.get_height() for p in ax.patches if p.get_height() == p.get_height())  # NaN bars skipped


def test_plots_many_days_are_added_up_into_fewer_readable_periods():
    days = pd.date_range("2023-01-01", periods=400, freq="D").strftime("%Y-%m-%d")
    frame = pd.DataFrame({"period": list(days) * 2, "weapon_class": "drone",
                          "event": ["launched"] * 400 + ["intercepted"] * 400,
                          "count": pd.array(list(range(1, 401)) * 2, dtype="Int64")})
    fig = plots.launched_vs_intercepted(frame)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) <= plots.MAX_PERIODS and labels[:2] == ["2023-01", "2023-02"]  # months: 14 of them
    assert "per month" in ax.get_ylabel()
    assert _bar_heights(ax) == 2 * sum(range(1, 401))  # every weapon still counted once
    few = plots.launched_vs_intercepted(LAUNCHED).axes[0]
    assert [t.get_text() for t in few.get_xticklabels()] == ["2025-07-09", "2025-07-10"]
    assert "per day" in few.get_ylabel()


def test_plots_impacts_over_many_dates_keep_undated_attacks_apart():
    dates = list(pd.date_range("2024-01-01", periods=100, freq="D").strftime("%Y-%m-%d")) + [None]
    frame = pd.DataFrame({"attack_date": pd.array(dates, dtype="string"),
                          "killed": pd.array([1] * 101, dtype="Int64"), "injured": pd.array([2] * 101, dtype="Int64")})
    fig = plots.impacts_per_attack(frame)
    top, bottom = fig.axes[:2]
    labels = [t.get_text() for t in bottom.get_xticklabels()]
    assert len(labels) <= plots.MAX_PERIODS and "<NA>" in labels and "2024-01-01" in labels  # weeks
    assert "added up by week" in bottom.get_xlabel()
    assert _bar_heights(top) == 101 * 3
