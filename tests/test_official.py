"""The official Air Force figures: every row loads and maps, and reports line up with them per attack."""
from __future__ import annotations

import csv
import doctest
import hashlib

import pandas as pd
import pytest
from click.testing import CliRunner

from toolkit import official as official_module
from toolkit.attacks import tables_from_rows
from toolkit.cli import main
from toolkit.gazetteer import load_csv
from toolkit.official import (OfficialFormatError, compare_with_official, load_official, model_class,
                              official_attacks, unmapped_models)

from attack_fixtures import count


@pytest.fixture(scope="module")
def official_csv(shared):
    path = shared / "data" / "official" / "missile_attacks_daily.csv"
    if not path.exists():
        pytest.skip("the official figures are not in ../shared/data/official/")
    return path


@pytest.fixture(scope="module")
def official(official_csv):
    return load_official(official_csv)


def seed_night_tables():
    """The seed article's figures for 5-6 December 2025, as the strike extractor gives them."""
    rows = [count("seed", 1, "launched", "drone", 653, source="Ukraine's Air Force"),
            count("seed", 2, "launched", "missile", 53, source="Ukraine's Air Force"),
            count("seed", 3, "intercepted", "drone", 585),
            count("seed", 4, "intercepted", "cruise_missile", 29),
            count("seed", 5, "intercepted", "ballistic_missile", 1)]
    return tables_from_rows(articles=[{"article_id": "seed", "published_date": "2025-12-06"}], strike_counts=rows)


# --------------------------------------------------------------------------- model strings

@pytest.mark.parametrize("model, weapon_class", [
    ("Shahed-136/131", "drone"),
    ("Unknown UAV", "drone"),
    ("Orlan-10 and ZALA and Supercam", "drone"),
    ("Молнія", "drone"),                                  # Cyrillic name
    ("Молнія and Lancet", "drone"),
    ("X-101/X-555", "cruise_missile"),                    # Latin X for Cyrillic Х
    ("Х-101/Х-555", "cruise_missile"),                    # the Cyrillic spelling itself
    ("Kh-101/Kh-555", "cruise_missile"),                  # the English transliteration
    ("X-101/X-555 and Kalibr and Iskander-K", "cruise_missile"),
    ("  x-59 / x-69 ", "cruise_missile"),                 # stray spacing and case
    ("X-59 and X-35", "cruise_missile"),
    ("Iskander-M/KN-23", "ballistic_missile"),
    ("X-47 Kinzhal and Iskander-M/KN-23", "ballistic_missile"),  # upstream calls this bundle cruise
    ("C-400 and Iskander-M", "ballistic_missile"),        # Latin C for Cyrillic С
    ("С-300/С-400", "ballistic_missile"),
    ("Iskander-M and Iskander-K", "missile"),             # ballistic + cruise: mixed missiles
    ("X-101/X-555 and Kalibr and Iskander-M/KN-23", "missile"),
    ("Unknown Missile", "missile"),
    ("Shahed-136/131 and Lancet", "drone"),
    ("GBU", "guided_bomb"),
])
def test_official_model_class(model, weapon_class):
    assert model_class(model) == (weapon_class, [])


@pytest.mark.parametrize("model, unmapped", [
    ("Mystery-9", ["Mystery-9"]),
    ("Kalibr and Mystery-9", ["Mystery-9"]),
    ("", [""]),
])
def test_official_unmapped_models_are_reported(model, unmapped):
    assert model_class(model) == (None, unmapped)


def test_official_models_file_validates():
    rows = load_csv("official_models.csv", required=("model", "weapon_class"), optional=("note",), key=("model",))
    classes = {r["weapon_class"] for r in rows}
    assert classes <= {"drone", "cruise_missile", "ballistic_missile", "missile", "guided_bomb"}
    keys = [official_module.normalise_model(r["model"]) for r in rows]
    assert len(keys) == len(set(keys)), "two aliases fold to the same key"


def test_official_models_cover_the_upstream_model_list(shared):
    path = shared / "data" / "official" / "missiles_and_uavs.csv"
    if not path.exists():
        pytest.skip("missiles_and_uavs.csv is not in ../shared/data/official/")
    with open(path, encoding="utf-8") as f:
        models = [row["model"] for row in csv.DictReader(f)]
    assert [m for m in models if model_class(m)[0] is None] == []


# --------------------------------------------------------------------------- loading

def test_official_loads_every_row_of_the_shared_file(official, official_csv):
    with open(official_csv, encoding="utf-8", newline="") as f:
        n_rows = sum(1 for _ in csv.DictReader(f))
    assert len(official) == official.attrs["n_rows"] == n_rows
    assert official.attrs["sha256"] == hashlib.sha256(official_csv.read_bytes()).hexdigest()
    assert official["attack_date"].notna().all()
    assert (official["weapon_class"].notna() | official["unmapped_parts"].notna()).all()
    assert unmapped_models(official).empty
    assert set(official["weapon_class"].dropna()) <= {"drone", "cruise_missile", "ballistic_missile", "missile",
                                                       "guided_bomb", "weapon"}


def test_official_seed_night_official_figures(official):
    rows = official[official["attack_date"] == "2025-12-06"]
    assert len(rows) == 5  # four Air Force rows and one regional command's
    per_class = official_attacks(official).query("attack_date == '2025-12-06'").set_index("weapon_class")
    assert per_class.loc["missile", ["official_launched", "official_intercepted"]].tolist() == [51, 30]
    assert per_class.loc["drone", ["official_launched", "official_intercepted"]].tolist() == [653, 585]
    assert per_class.loc["cruise_missile", "official_launched"] == 34


def test_official_loader_accepts_any_path_and_reports_missing_columns(tmp_path):
    good = tmp_path / "newer_version.csv"
    good.write_text("time_start,time_end,model,target,launched,destroyed,extra_column\n"
                    "2026-07-01 18:00,2026-07-02 08:30 ,Shahed-136/131,Ukraine,120.0,100.0,x\n"
                    "2026-07-02,2026-07-02,Unknown UAV,south,12.0,,x\n"
                    "2026-07-01 19:00,2026-07-02 07:00,Mystery-9,Ukraine,3.0,2.0,x\n"
                    "2026-07-01 19:00,not a time,Kalibr,Ukraine,,1,x\n", encoding="utf-8")
    frame = load_official(good)
    assert frame["attack_date"].tolist()[:3] == ["2026-07-02"] * 3 and pd.isna(frame["attack_date"][3])
    assert frame["destroyed"].tolist()[:2] == [100, pd.NA]          # empty stays unknown
    assert frame["is_national"].tolist() == [True, False, True, True]
    assert unmapped_models(frame)[["model", "n_rows"]].values.tolist() == [["Mystery-9", 1]]
    tables = tables_from_rows(articles=[{"article_id": "a", "published_date": "2026-07-02"}],
                              strike_counts=[count("a", 1, "launched", "drone", 125)])
    compared = compare_with_official(tables, frame).set_index("weapon_class")
    assert compared.loc["drone", ["reported_launched", "official_launched"]].tolist() == [125, 120]
    assert compared.loc["drone", "official_unmapped_models"] == "Mystery-9"
    bad = tmp_path / "other.csv"
    bad.write_text("date,weapon,count\n2026-07-02,Shahed,5\n", encoding="utf-8")
    with pytest.raises(OfficialFormatError, match="missing column"):
        load_official(bad)


# --------------------------------------------------------------------------- comparing

def test_official_compare_seed_night(official):
    frame = compare_with_official(seed_night_tables(), official)
    assert list(frame.columns) == official_module.COMPARISON_COLUMNS
    got = frame.set_index("weapon_class")
    assert got.loc["missile", ["attack_date", "reported_launched", "official_launched"]].tolist() == [
        "2025-12-06", 53, 51]
    assert got.loc["missile", "launched_difference"] == 2
    # the seed gives no mixed intercepted total: 29 cruise + 1 ballistic, compared as their sum
    assert got.loc["missile", ["reported_intercepted", "official_intercepted", "reported_basis"]].tolist() == [
        30, 30, "sum_of_classes"]
    assert got.loc["drone", ["reported_launched", "official_launched", "reported_intercepted",
                             "official_intercepted"]].tolist() == [653, 653, 585, 585]
    assert got.loc["cruise_missile", ["reported_launched", "official_launched"]].tolist() == [pd.NA, 34]
    assert got["official_sha256"].eq(official.attrs["sha256"]).all()


def test_official_compare_skips_ukrainian_attacks_and_undated_reports(official):
    tables = tables_from_rows(
        articles=[{"article_id": "mod", "published_date": "2025-12-06"}, {"article_id": "x", "published_date": None}],
        strike_counts=[count("mod", 1, "intercepted", "drone", 41, attacker="ukraine"),
                       count("x", 1, "launched", "drone", 10)])
    assert compare_with_official(tables, official).empty


def test_official_compare_accepts_an_attacks_frame_and_the_conservative_rule(official):
    from toolkit.aggregate import attacks

    by_frame = compare_with_official(attacks(seed_night_tables()), official)
    by_tables = compare_with_official(seed_night_tables(), official)
    pd.testing.assert_frame_equal(by_frame, by_tables)
    assert not compare_with_official(seed_night_tables(), official, rule="conservative").empty


def test_official_compare_with_empty_tables_gives_empty_frame(official):
    frame = compare_with_official(tables_from_rows(), official)
    assert frame.empty and list(frame.columns) == official_module.COMPARISON_COLUMNS


def test_official_docstring_examples_run():
    result = doctest.testmod(official_module)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- end to end

SEED_FRONT_MATTER = "---\npublished: 2025-12-06\n---\n"


@pytest.fixture(scope="module")
def seed_dataset(shared, tmp_path_factory):
    """The seed article with `published: 2025-12-06` added, parsed into a dataset (in a tmp dir)."""
    from toolkit.corpus import build_dataset

    seeds = sorted((shared / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed article in ../shared/seeds/")
    folder = tmp_path_factory.mktemp("seed")
    (folder / "in").mkdir()
    (folder / "in" / "seed.txt").write_text(SEED_FRONT_MATTER + seeds[0].read_text(encoding="utf-8"),
                                            encoding="utf-8")
    build_dataset(folder / "in", folder / "ds", progress=False)
    return folder / "ds"


def _needs_strike_counts(dataset):
    from toolkit.corpus import load_dataset

    if load_dataset(dataset)["strike_counts"].empty:
        pytest.skip("the strike extractor gives no strike counts yet (issue #3)")


def test_official_cli_writes_the_seed_comparison(seed_dataset, official_csv, tmp_path):
    _needs_strike_counts(seed_dataset)
    out = tmp_path / "comparison.csv"
    result = CliRunner().invoke(main, ["official", "--dataset", str(seed_dataset), "--official", str(official_csv),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "sha256" in result.output
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    pairs = {(r.attack_date, r.weapon_class): r for r in rows.itertuples()}
    missile = pairs[("2025-12-06", "missile")]
    assert (missile.reported_launched, missile.official_launched) == ("53", "51")
    drone = pairs[("2025-12-06", "drone")]
    assert (drone.reported_launched, drone.official_launched, drone.reported_intercepted,
            drone.official_intercepted) == ("653", "653", "585", "585")


def test_official_cli_reports_a_file_in_the_wrong_format(tmp_path):
    from toolkit.corpus import write_dataset

    write_dataset(tables_from_rows(), tmp_path / "ds")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["official", "--dataset", str(tmp_path / "ds"), "--official", str(bad),
                                       "-o", str(tmp_path / "out.csv")])
    assert result.exit_code != 0 and "missing column" in result.output
