"""Grouping reports into attacks and reconciling their figures, on multi-report fixtures written by us."""
from __future__ import annotations

import doctest

import pandas as pd
import pytest

from toolkit import attacks as attacks_module
from toolkit.attacks import article_attacks, attacks, conflicts, source_rank, tables_from_rows
from toolkit.gazetteer import load_csv

from attack_fixtures import count, same_night_tables


def _by_class(frame):
    return {(r.attack_id, r.weapon_class): (r.launched, r.intercepted, r.hit, r.lost, r.n_reports)
            for r in frame.itertuples()}


def test_attacks_official_first_prefers_the_air_force_final_figures():
    got = _by_class(attacks(same_night_tables()))
    na = pd.NA
    assert got == {
        ("2024-11-26-russia", "ballistic_missile"): (4, na, na, na, 2),
        ("2024-11-26-russia", "drone"): (188, 76, na, 95, 4),
        ("2024-11-26-ukraine", "drone"): (na, 41, na, na, 1),
        ("undated-undated-russia", "drone"): (12, na, na, na, 1),
    }


def test_attacks_conservative_rule_takes_the_lowest_figure():
    got = _by_class(attacks(same_night_tables(), rule="conservative"))
    # launched: min(50, 188, 188, 190); intercepted: min(30, 76, 76) (the governor's article offers its
    # national 76, not its regional 2); lost: only the final report gives one
    assert got[("2024-11-26-russia", "drone")][:4] == (50, 30, pd.NA, 95)


def test_attacks_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="rule"):
        attacks(same_night_tables(), rule="average")


def test_attacks_conflicts_keep_every_alternative_with_its_article():
    frame = conflicts(same_night_tables())
    launched = frame[(frame.attack_id == "2024-11-26-russia") & (frame.weapon_class == "drone")
                     & (frame.event == "launched")]
    assert launched[["article_id", "count", "qualifier", "source_rank", "is_chosen"]].values.tolist() == [
        ["early", 50, "at_least", 1, False], ["final", 188, "exact", 1, True],
        ["governor", 188, "exact", 1, False], ["wire", 190, "about", 9, False]]
    assert frame.groupby(["attack_id", "weapon_class", "event"])["is_chosen"].sum().eq(1).all()
    assert "weekly" not in set(frame["article_id"])


def test_attacks_never_add_cumulative_figures():
    tables = same_night_tables()
    frame = attacks(tables)
    assert 1200 not in set(frame["launched"].dropna())


@pytest.mark.parametrize("rows, expected", [
    # distinct models of one class add up; a model restated is counted once
    ([count("a", 1, "launched", "cruise_missile", 42, model="Kh-101"),
      count("a", 2, "launched", "cruise_missile", 9, model="Kalibr"),
      count("a", 3, "launched", "cruise_missile", 9, model="Kalibr")], 51),
    # a class-level figure beats the per-model ones
    ([count("a", 1, "launched", "cruise_missile", 51),
      count("a", 2, "launched", "cruise_missile", 42, model="Kh-101")], 51),
    # within one article, the national figure beats a regional sub-count
    ([count("a", 1, "launched", "drone", 3, source="city mayor"),
      count("a", 2, "launched", "drone", 120, source="air force")], 120),
])
def test_attacks_one_figure_per_article(rows, expected):
    tables = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-10-05"}], strike_counts=rows)
    assert attacks(tables)["launched"].tolist() == [expected]


def test_attacks_summed_models_carry_the_weakest_qualifier_and_every_fact():
    rows = [count("a", 1, "launched", "cruise_missile", 40, "at_least", model="Kh-101"),
            count("a", 2, "launched", "cruise_missile", 9, model="Kalibr")]
    tables = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-10-05"}], strike_counts=rows)
    frame = conflicts(tables)
    assert frame[["count", "qualifier", "fact_ids"]].values.tolist() == [
        [49, "at_least", "a:strike_counts:1,a:strike_counts:2"]]


def test_attacks_row_attack_date_overrides_the_published_date():
    tables = tables_from_rows(articles=[{"article_id": "a", "published_date": "2025-10-06"}],
                              strike_counts=[count("a", 1, "launched", "drone", 10)])
    tables["strike_counts"]["attack_date"] = pd.Series(["2025-10-05"], dtype="string")
    assert attacks(tables)["attack_date"].tolist() == ["2025-10-05"]


def test_attacks_article_attacks_assign_attacker_and_undated_articles():
    frame = article_attacks(same_night_tables()).set_index("article_id")
    assert frame.loc["mod", "attack_id"] == "2024-11-26-ukraine"
    assert frame.loc["weekly", "attack_id"] == "2024-11-26-russia"  # no attack-scope figure: the default
    assert frame.loc["undated", "attack_id"] == "undated-undated-russia"


@pytest.mark.parametrize("attackers, expected", [
    (["ukraine", "russia", "ukraine"], "ukraine"),  # named most often
    (["ukraine", "russia"], "russia"),  # a tie: the first by name
    (["russia", "ukraine", "belarus", "ukraine", "belarus"], "belarus"),
])
def test_attacks_article_attacker_is_the_one_named_most_often(attackers, expected):
    tables = tables_from_rows(articles=[{"article_id": "a", "published_date": "2024-11-26"}],
                              strike_counts=[count("a", n, "launched", "drone", 5, attacker=who)
                                             for n, who in enumerate(attackers, start=1)])
    assert article_attacks(tables)["attacker"].tolist() == [expected]


@pytest.mark.parametrize("source, rank", [
    ("Ukraine's Air Force", 1), ("Air Command South", 1), ("the General Staff", 2),
    ("Russian Defence Ministry", 2), ("Kharkiv regional military administration", 3), ("Mayor Ihor Terekhov", 3),
    ("President Volodymyr Zelensky", 4), ("local residents", 9), (None, 9),
])
def test_attacks_source_rank(source, rank):
    assert source_rank(source) == rank


def test_attacks_empty_tables_give_empty_typed_frames():
    tables = tables_from_rows()
    assert attacks(tables).empty and list(attacks(tables).columns) == attacks_module.ATTACK_COLUMNS
    assert conflicts(tables).empty and list(conflicts(tables).columns) == attacks_module.CONFLICT_COLUMNS


def test_attacks_source_ranks_file_validates():
    rows = load_csv("source_ranks.csv", required=("pattern", "rank"), optional=("label",), key=("pattern",))
    assert rows and all(1 <= int(r["rank"]) <= 9 for r in rows)
    assert all(r["pattern"] == r["pattern"].lower() for r in rows)


def test_attacks_docstring_examples_run():
    result = doctest.testmod(attacks_module)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("value, expected", [
    ("2025-11-28T23:30:00Z", "2025-11-29"),       # winter, UTC+2: after midnight in Kyiv
    ("2025-06-30T21:30:00+00:00", "2025-07-01"),  # summer, UTC+3
    ("2025-06-30T20:30:00Z", "2025-06-30"),
    ("2025-12-06 10:00", "2025-12-06"),           # naive: already Kyiv time
    ("2025-12-06", "2025-12-06"),
    ("yesterday", None),
    (None, None),
])
def test_attacks_kyiv_date(value, expected):
    assert attacks_module.kyiv_date(value) == expected
