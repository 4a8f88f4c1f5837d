"""Meeting places and the cheap sentence gates of toolkit.meetings."""
from __future__ import annotations

import pytest

from toolkit import meetings


@pytest.mark.parametrize("text, places", [
    ("They met at the Kremlin.", ["Moscow"]),
    ("Talks at Diriyah Palace in Riyadh.", ["Riyadh", "Riyadh"]),
    ("talks in the Red Sea port city of Jeddah", ["Jeddah"]),
    ("He held talks in the Turkish capital.", ["Ankara"]),
    ("The Geneva talks ended.", ["Geneva"]),
    ("Turkey is hosting talks on grain.", ["Turkey"]),
    ("He is due to fly to Abu Dhabi.", ["Abu Dhabi"]),
    ("She visited Kyiv.", ["Kyiv"]),
    ("meet with the delegation in FloridaCredit: Reuters", ["Florida"]),
    # not places of a meeting
    ("The Kremlin said no.", []),
    ("The war in Ukraine goes on.", []),
    ("He told reporters at the White House that it went well.", []),
    ("Putin told an investment forum in Moscow that Russia was ready.", []),
    ("Drones hit the Kyiv region overnight.", []),
    ("Troops withdrew from Kherson.", []),
    ("Iran's night attack on Israel.", []),
    ("He stayed in Moscow.", []),
])
def test_meetings_find_places(text, places):
    assert [p.place for p in meetings.find_places(text)] == places


def test_meetings_sentences_containing():
    text = "Talks began. Nothing here. They met again."
    starts = [0, 13, 27]
    assert meetings.sentences_containing(text.lower(), starts, ("talk", "met")) == {0, 2}


def test_meetings_venues_file_is_valid():
    table = meetings.venues()
    parents = meetings._place_parents()
    assert len(table) >= 100
    assert "Florida" in parents["Miami"] and "Alaska" in parents["Anchorage"]
    for venue in table.values():
        if venue.kind == "venue":
            assert venue.place != venue.alias, f"{venue.alias}: a venue names its city"


def test_meetings_fast_venue_matches_equal_plain_pattern():
    """The first-letter venue pattern plus a hand-added "the" finds what the plain pattern finds,
    from any search start to any end (look-behind, "the", spacing, possessives, "region")."""
    from toolkit.meeting_rules import rules

    plain = rules()["venue"]
    texts = ["He met the  Kremlin and the Kyiv and\tthe Geneva, the Moscow-the Kremlin",
             "xthe Kremlin -the Kyiv _the Odesa the\u00a0Geneva talks theKyiv",
             "the The Hague; the Hague. The Elysee Palace in Parisian, in FloridaCredit: x",
             "Kyiv's the  Kyiv  region, in the Turkish capital; the Saudi capital Riyadh",
             "x. the Kyiv the Odesa"]
    for text in texts:
        for a in range(len(text) + 1):
            for b in range(a, len(text) + 1, 3):
                expected = [(m.start(), m.group(1), *m.span(1)) for m in plain.finditer(text, a, b)]
                assert meetings._venue_matches(text, a, b) == expected, (text, a, b)


def test_meetings_matchable_strings_of_small_patterns():
    from toolkit.meeting_rules import last_words, matchable_strings

    assert sorted(matchable_strings(r"\b(?:the )?(?:us|u\.s\.) president\b")) == [
        "the u.s. president", "the us president", "u.s. president", "us president"]
    assert sorted(matchable_strings(r"(?:a|b)c{1,2}")) == ["ac", "acc", "bc", "bcc"]
    assert sorted(matchable_strings(r"[xy]z?")) == ["x", "xz", "y", "yz"]
    # anything open-ended or case-folded has no finite list
    for pattern in (r"a+", r"\w", r"x(?i:y)", r"(?i)x", r"[a-z]", r"a{0,9}", r"(a)\1"):
        assert matchable_strings(pattern) is None, pattern
    assert last_words(r"\bthe (?:saudi crown prince|un chief)\b") == ("chief", "prince")
    assert last_words(r"a?") is None  # the empty text matches: no word is needed


def test_meetings_role_reference_words_gate_every_title():
    """Every text a title pattern matches is one of its listed texts, and holds one of the gate words."""
    import re

    from toolkit.gazetteer import load_yaml
    from toolkit.meeting_rules import matchable_strings, rules

    patterns = load_yaml("diplomacy_rules.yaml")["role_references"]
    words = rules()["role_ref_words"]
    assert words
    for pattern in patterns:
        strings = matchable_strings(pattern)
        assert strings, pattern
        for text in strings:
            assert any(w in text for w in words), text
            assert re.search(pattern, f" {text} ").group(0) == text  # the listed texts do match
    sample = ("the ukrainian president met russia's leader and the u.s. president; the saudi crown prince, "
              "the un secretary-general and nato's chief joined the german chancellor")
    found = [m.group(0) for m in rules()["role_refs"].finditer(sample)]
    assert len(found) >= 6
    assert all(any(m in matchable_strings(p) for p in patterns) for m in found)
