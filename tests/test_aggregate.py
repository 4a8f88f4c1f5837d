"""Every aggregation on small hand-made tables, with results computed by hand in the comments."""
from __future__ import annotations

import doctest

import pandas as pd
import pytest

from toolkit import aggregate
from toolkit.attacks import tables_from_rows
from attack_fixtures import count, same_night_tables


def three_nights():
    """Three nights in two weeks of December 2025; two reports of the first night disagree."""
    articles = [{"article_id": "n1-af", "published_date": "2025-12-06"},
                {"article_id": "n1-wire", "published_date": "2025-12-06"},
                {"article_id": "n2", "published_date": "2025-12-07"},
                {"article_id": "n3", "published_date": "2025-12-09"}]
    rows = [
        count("n1-af", 1, "launched", "drone", 653, source="Air Force"),
        count("n1-af", 2, "intercepted", "drone", 585, source="Air Force"),
        count("n1-af", 3, "launched", "ballistic_missile", 14, source="Air Force"),
        count("n1-af", 4, "intercepted", "ballistic_missile", 1, source="Air Force"),
        count("n1-wire", 1, "launched", "drone", 700, "about"),
        count("n2", 1, "launched", "drone", 241, source="Air Force"),
        count("n2", 2, "intercepted", "drone", 175, source="Air Force"),
        count("n3", 1, "launched", "drone", 100, source="Air Force"),  # intercepted unknown: not in any rate
        count("n3", 2, "launched", "drone", 5000, "at_least", scope="cumulative"),
    ]
    return tables_from_rows(articles=articles, strike_counts=rows)


def test_aggregate_interception_rates_by_class():
    got = aggregate.interception_rates(three_nights())
    # drone: (585 + 175) / (653 + 241) = 760 / 894 = 0.8501 over 2 attacks (n3 has no intercepted figure)
    # ballistic: 1 / 14 = 0.0714
    assert got.values.tolist() == [["ballistic_missile", 14, 1, 0.0714, 1], ["drone", 894, 760, 0.8501, 2]]


@pytest.mark.parametrize("rule", ["official_first", "conservative"])
def test_aggregate_series_take_reconciled_attacks_as_well_as_tables(rule):
    """A caller drawing several charts reconciles the attacks once and passes them on: the same answers."""
    tables = three_nights()
    lower = count("n2-wire", 1, "launched", "drone", 200, "about")  # the rules pick different figures
    tables = tables_from_rows(articles=[*tables["articles"].to_dict("records"),
                                        {"article_id": "n2-wire", "published_date": "2025-12-07"}],
                              strike_counts=[*tables["strike_counts"].to_dict("records"), lower])
    reconciled = aggregate.attacks(tables, rule=rule)
    for by, freq in (("weapon_class", None), (None, "W")):
        pd.testing.assert_frame_equal(aggregate.interception_rates(reconciled, by=by, freq=freq),
                                      aggregate.interception_rates(tables, by=by, freq=freq, rule=rule))
    pd.testing.assert_frame_equal(aggregate.launched_vs_intercepted(reconciled),
                                  aggregate.launched_vs_intercepted(tables, rule=rule))


def test_aggregate_interception_rates_weekly_and_pooled():
    got = aggregate.interception_rates(three_nights(), by=None, freq="W")
    # week of Mon 2025-12-01 holds 6 and 7 December: (585 + 1 + 175) / (653 + 14 + 241) = 761 / 908
    assert got.astype({"period": str}).values.tolist() == [["2025-12-01", 908, 761, 0.8381, 2]]


def test_aggregate_interception_rates_monthly_by_class():
    got = aggregate.interception_rates(three_nights(), freq="M")
    assert got.astype({"period": str})[["period", "weapon_class", "rate"]].values.tolist() == [
        ["2025-12-01", "ballistic_missile", 0.0714], ["2025-12-01", "drone", 0.8501]]


def test_aggregate_launched_vs_intercepted_daily():
    got = aggregate.launched_vs_intercepted(three_nights(), freq="D").astype({"period": str})
    assert got.values.tolist() == [
        ["2025-12-06", "ballistic_missile", "intercepted", 1], ["2025-12-06", "ballistic_missile", "launched", 14],
        ["2025-12-06", "drone", "intercepted", 585], ["2025-12-06", "drone", "launched", 653],
        ["2025-12-07", "drone", "intercepted", 175], ["2025-12-07", "drone", "launched", 241],
        ["2025-12-09", "drone", "launched", 100]]  # no invented intercepted 0 for 9 December


def test_aggregate_launched_vs_intercepted_weekly():
    got = aggregate.launched_vs_intercepted(three_nights(), freq="W").astype({"period": str})
    drone = got[got.weapon_class == "drone"].values.tolist()
    # week of 1 Dec: 653 + 241 launched, 585 + 175 intercepted; week of 8 Dec: 100 launched
    assert drone == [["2025-12-01", "drone", "intercepted", 760], ["2025-12-01", "drone", "launched", 894],
                     ["2025-12-08", "drone", "launched", 100]]


def test_aggregate_cumulative_totals_are_kept_apart():
    got = aggregate.cumulative_totals(three_nights())
    assert got[["article_id", "count", "qualifier"]].values.tolist() == [["n3", 5000, "at_least"]]
    assert 5000 not in set(aggregate.attacks(three_nights())["launched"].dropna())


def place(article_id, n, name, oblast, role="struck", lat=None, lon=None):
    return {"article_id": article_id, "fact_id": f"{article_id}:places:{n}", "place_name": name,
            "place_canonical": name, "place_kind": "city", "country_code": "UA", "oblast_code": oblast,
            "oblast_name": None, "latitude": lat, "longitude": lon, "place_role": role}


def places_tables():
    articles = [{"article_id": "a", "published_date": "2025-12-06"}, {"article_id": "b", "published_date": "2025-12-06"},
                {"article_id": "c", "published_date": "2025-12-20"}, {"article_id": "d", "published_date": None}]
    places = [place("a", 1, "Odesa", "UA-51", lat=46.48, lon=30.73), place("a", 2, "Izmail", "UA-51", lat=45.35, lon=28.84),
              place("b", 1, "Odesa", "UA-51", lat=46.48, lon=30.73), place("b", 2, "Lviv", "UA-46", lat=49.84, lon=24.03),
              place("c", 1, "Lviv", "UA-46", lat=49.84, lon=24.03), place("c", 2, "Kyiv", "UA-30", role="outage_only"),
              place("d", 1, "Kharkiv", "UA-63")]
    return tables_from_rows(articles=articles, places=places)


def test_aggregate_top_oblasts_counts_articles_and_attacks():
    got = aggregate.top_oblasts(places_tables())
    # Lviv: articles b, c on two different days -> 2 attacks; Odesa: articles a, b, one night -> 1 attack;
    # Kharkiv: the undated article d is an attack of its own; Kyiv only lost power: not struck
    assert got[["oblast_code", "n_articles", "n_attacks"]].values.tolist() == [
        ["UA-46", 2, 2], ["UA-51", 2, 1], ["UA-63", 1, 1]]


def test_aggregate_top_oblasts_over_a_period_and_top_n():
    got = aggregate.top_oblasts(places_tables(), start="2025-12-01", end="2025-12-10", n=1)
    assert got[["oblast_code", "n_articles", "n_attacks"]].values.tolist() == [["UA-51", 2, 1]]


def test_aggregate_struck_places_for_the_map():
    got = aggregate.struck_places(places_tables())
    assert got.values.tolist()[:2] == [["Lviv", "UA-46", 49.84, 24.03, 2], ["Odesa", "UA-51", 46.48, 30.73, 2]]
    assert "Kyiv" not in set(got["place_canonical"])
    assert got.set_index("place_canonical").loc["Kharkiv", "latitude"] is pd.NA  # unknown, kept


def test_aggregate_infrastructure_over_time():
    tables = places_tables()
    tables["infrastructure"] = tables_from_rows(infrastructure=[
        {"article_id": a, "fact_id": f"{a}:i:{n}", "infrastructure_category": c}
        for n, (a, c) in enumerate([("a", "port"), ("b", "port"), ("b", "energy"), ("c", "energy"), ("d", "rail")])
    ])["infrastructure"]
    got = aggregate.infrastructure_over_time(tables, freq="M").astype({"period": str})
    # December: energy on the nights of 6 and 20 December (2 attacks), port on 6 December (a and b: 1 attack);
    # the undated article has no period
    assert got.values.tolist() == [["2025-12-01", "energy", 2], ["2025-12-01", "port", 1]]


def test_aggregate_impacts_per_attack():
    articles = [{"article_id": a, "published_date": "2025-10-05"} for a in ("early", "late", "region")]
    casualties = [
        {"article_id": "early", "fact_id": "e1", "casualty_kind": "killed", "count": 3},
        {"article_id": "late", "fact_id": "l1", "casualty_kind": "killed", "count": 5},
        {"article_id": "late", "fact_id": "l2", "casualty_kind": "injured", "count": 9, "oblast_code": "UA-23"},
        {"article_id": "region", "fact_id": "r1", "casualty_kind": "injured", "count": 4, "oblast_code": "UA-46"},
        {"article_id": "region", "fact_id": "r2", "casualty_kind": "injured", "count": 7, "oblast_code": "UA-23"},
    ]
    outages = [{"article_id": "region", "fact_id": "o1", "service": "power", "customers": 110000, "oblast_code": "UA-61"},
               {"article_id": "late", "fact_id": "o2", "service": "water", "customers": 35000}]
    got = aggregate.impacts_per_attack(tables_from_rows(articles=articles, casualties=casualties, outages=outages))
    # killed: the toll rose from 3 to 5 -> 5; injured: Zaporizhzhia max(9, 7) + Lviv 4 = 13
    assert got.values.tolist() == [["2025-10-05-russia", "2025-10-05", "russia", 5, 13, 110000, pd.NA, 35000, pd.NA]]


def test_aggregate_meetings_timeline_and_who_met_whom():
    articles = [{"article_id": "a", "published_date": "2025-12-06"}, {"article_id": "b", "published_date": "2025-12-07"},
                {"article_id": "c", "published_date": "2025-12-02"}]
    meetings = [{"article_id": "a", "meeting_id": "a:m1", "place": "Miami", "meeting_status": "ongoing"},
                {"article_id": "b", "meeting_id": "b:m1", "place": "Miami", "meeting_status": "held",
                 "meeting_date": "2025-12-06"},
                {"article_id": "c", "meeting_id": "c:m1", "place": "Moscow", "meeting_status": "held"}]
    people = {"a:m1": ["Steve Witkoff", "Rustem Umerov", "Jared Kushner"], "b:m1": ["Rustem Umerov", "Steve Witkoff"],
              "c:m1": ["Vladimir Putin", "Steve Witkoff", "Jared Kushner"]}
    participants = [{"article_id": m[0], "meeting_id": m, "person_name": p} for m, names in people.items() for p in names]
    tables = tables_from_rows(articles=articles, meetings=meetings, participants=participants)
    timeline = aggregate.meetings_timeline(tables)
    assert timeline[["meeting_date", "place", "participants", "date_is_article_date"]].values.tolist() == [
        ["2025-12-02", "Moscow", "Jared Kushner, Steve Witkoff, Vladimir Putin", True],
        ["2025-12-06", "Miami", "Jared Kushner, Rustem Umerov, Steve Witkoff", True],
        ["2025-12-06", "Miami", "Rustem Umerov, Steve Witkoff", False]]
    pairs = aggregate.who_met_whom(tables).values.tolist()
    # Miami on 6 December is one meeting reported twice; Witkoff and Kushner met in Miami and in Moscow
    assert pairs == [["Jared Kushner", "Steve Witkoff", 2], ["Jared Kushner", "Rustem Umerov", 1],
                     ["Jared Kushner", "Vladimir Putin", 1], ["Rustem Umerov", "Steve Witkoff", 1],
                     ["Steve Witkoff", "Vladimir Putin", 1]]


def test_aggregate_plan_versions():
    articles = [{"article_id": a, "published_date": d} for a, d in
                (("a", "2025-11-21"), ("b", "2025-11-24"), ("c", "2025-11-30"), ("d", "2025-12-28"))]
    plans = [{"article_id": "a", "fact_id": "a1", "points": 28, "plan_version": "initial", "proposer": "US"},
             {"article_id": "b", "fact_id": "b1", "points": 28, "plan_version": "initial", "proposer": "US"},
             {"article_id": "c", "fact_id": "c1", "points": 19, "plan_version": "revised"},
             {"article_id": "d", "fact_id": "d1", "points": 20, "plan_version": "revised"}]
    got = aggregate.plan_versions(tables_from_rows(articles=articles, plans=plans))
    assert got.values.tolist() == [[28, "initial", "US", "2025-11-21", 2], [19, "revised", pd.NA, "2025-11-30", 1],
                                   [20, "revised", pd.NA, "2025-12-28", 1]]


FUNCTIONS = ["attacks", "conflicts", "interception_rates", "launched_vs_intercepted", "top_oblasts", "struck_places",
             "infrastructure_over_time", "impacts_per_attack", "cumulative_totals", "meetings_timeline",
             "who_met_whom", "plan_versions"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_aggregate_empty_tables_give_empty_frames_with_columns(name):
    frame = getattr(aggregate, name)(tables_from_rows())
    assert frame.empty and len(frame.columns) >= 3


@pytest.mark.parametrize("name", FUNCTIONS)
def test_aggregate_every_function_has_a_docstring_example(name):
    assert ">>>" in (getattr(aggregate, name).__doc__ or "")


def test_aggregate_docstring_examples_run():
    result = doctest.testmod(aggregate)
    assert result.attempted >= 10 and result.failed == 0


def test_aggregate_same_night_fixture_gives_one_attack_per_attacker():
    frame = aggregate.attacks(same_night_tables())
    assert sorted(set(frame["attack_id"])) == ["2024-11-26-russia", "2024-11-26-ukraine", "undated-undated-russia"]


def test_aggregate_unknown_freq_is_refused():
    with pytest.raises(ValueError, match="freq"):
        aggregate.launched_vs_intercepted(three_nights(), freq="fortnight")
