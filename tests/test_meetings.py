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
