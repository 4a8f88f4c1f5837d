"""Weapon taxonomy and count rules (toolkit.weapons, toolkit.count_rules): data files, aliases, classes."""
from __future__ import annotations

import copy
import csv

import pytest

from toolkit import count_rules
from toolkit.gazetteer import DataFileError, data_path
from toolkit.weapons import (WEAPON_CLASSES, models, names_weapon, parse_weapon_phrase, phrase_pattern, rules,
                             weapon_mentions)


def test_weapons_csv_validates_and_is_unique():
    by_alias = models()
    assert {m.weapon_class for m in by_alias.values()} <= set(WEAPON_CLASSES)
    rows = list(csv.DictReader(line for line in data_path("weapons.csv").read_text(encoding="utf-8").splitlines()
                               if line.strip() and not line.startswith("#")))
    assert len({r["model"] for r in rows}) == len(rows)


def test_weapons_count_rules_yaml_validates():
    count_rules.validate(rules())
    assert count_rules.compiled().before.search("air defence shot down")


@pytest.mark.parametrize("broken", [
    pytest.param(lambda d: d.pop("heads"), id="missing-key"),
    pytest.param(lambda d: d.__setitem__("surprise", []), id="unknown-key"),
    pytest.param(lambda d: d["events"].pop("lost"), id="missing-event"),
    pytest.param(lambda d: d["heads"].__setitem__("tank", ["tanks"]), id="unknown-class"),
    pytest.param(lambda d: d["events"]["hit"]["after"].append("shot down"), id="trigger-in-two-events"),
])
def test_weapons_count_rules_validation_names_the_problem(broken):
    data = copy.deepcopy(rules())
    broken(data)
    with pytest.raises(DataFileError, match="count_rules.yaml"):
        count_rules.validate(data)


# (alias as written, canonical model, class) — FACTS.md classes; the official list decides the rest
ALIASES = [
    ("Kh-101", "Kh-101", "cruise_missile"), ("X-101", "Kh-101", "cruise_missile"),
    ("Х-101", "Kh-101", "cruise_missile"), ("Shahed-136", "Shahed", "drone"), ("Geran-2", "Shahed", "drone"),
    ("Gerbera", "Gerbera", "drone"), ("Italmas", "Italmas", "drone"), ("Kalibr", "Kalibr", "cruise_missile"),
    ("Kh-22", "Kh-22", "cruise_missile"), ("Kh-31P", "Kh-31P", "cruise_missile"),
    ("Zircon", "Zircon", "cruise_missile"), ("Iskander-K", "Iskander-K", "cruise_missile"),
    ("Iskander-M", "Iskander-M", "ballistic_missile"), ("KN-23", "KN-23", "ballistic_missile"),
    ("S-300", "S-300", "ballistic_missile"), ("C-400", "S-400", "ballistic_missile"),
    ("Kh-47M2", "Kinzhal", "ballistic_missile"), ("Oreshnik", "Oreshnik", "ballistic_missile"),
    ("KAB-500", "KAB", "guided_bomb"), ("HIMARS", "HIMARS", "missile"),
]


@pytest.mark.parametrize(("alias", "model", "weapon_class"), ALIASES)
def test_weapons_aliases_map_to_model_and_class(alias, model, weapon_class):
    phrase = parse_weapon_phrase(f"4 {alias} were fired", 1)
    assert (phrase.model, phrase.weapon_class) == (model, weapon_class)


# (phrase after a number, class, model)
PHRASES = [
    ("drones over the city", "drone", None),
    ("strike UAVs of the Shahed, Gerbera and other types", "drone", "Shahed/Gerbera"),
    ("Geran-2 (Shahed) drones", "drone", "Shahed"),
    ("Shahed-type attack drones", "drone", "Shahed"),
    ("Ukrainian unmanned aerial vehicles", "drone", None),
    ("cruise missiles", "cruise_missile", None),
    ("hypersonic and ballistic missiles", "missile", None),
    ("Kh-101, Kalibr and Kh-59/69 cruise missiles", "cruise_missile", "Kh-101/Kalibr/Kh-59/69"),
    ("Iskander-M/KN-23", "ballistic_missile", "Iskander-M/KN-23"),
    ("Zircon hypersonic missile", "cruise_missile", "Zircon"),
    ("Kinzhal aeroballistic missiles", "ballistic_missile", "Kinzhal"),
    ("guided aerial bombs", "guided_bomb", None),
    ("aerial targets", "weapon", None),
    ("air attack means", "weapon", None),
    ("drones and missiles", "weapon", None),
    ("missiles", "missile", None),
    ("rockets", "missile", None),
]


@pytest.mark.parametrize(("words", "weapon_class", "model"), PHRASES)
def test_weapons_phrase_class_and_model(words, weapon_class, model):
    phrase = parse_weapon_phrase(f"12 {words}.", 2)
    assert (phrase.weapon_class, phrase.model) == (weapon_class, model)


@pytest.mark.parametrize("words", ["people were injured", "locations", "anti-aircraft missiles",
                                   "Patriot missiles", "regions", "-year-old", "percent"])
def test_weapons_not_a_weapon_phrase(words):
    assert parse_weapon_phrase(f"12 {words}", 2) is None


def test_weapons_mentions_and_cheap_test():
    text = "Cruise missile strikes hit the city while Shaheds circled."
    assert [(m.weapon_class, m.model) for m in weapon_mentions(text)] == [("cruise_missile", None),
                                                                          ("drone", "Shahed")]
    assert names_weapon(text.lower())
    assert not names_weapon("the talks in geneva ended without a deal.")


@pytest.mark.parametrize("phrases", [["shot down", "shot down or suppressed", "shoot"], ["a", "ab", "abc"],
                                     ["at least", "about", "up to"]])
def test_weapons_phrase_pattern_matches_each_phrase_whole(phrases):
    import re
    pattern = re.compile(phrase_pattern(phrases), re.IGNORECASE)
    for phrase in phrases:
        assert pattern.fullmatch(phrase.upper())
    assert pattern.fullmatch("shot  down") or "shot down" not in phrases
