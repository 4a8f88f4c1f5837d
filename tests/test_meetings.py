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
                # the article-wide gate sees every alias a window's match starts from
                assert all(rules()["venue_start"].match(text, start) for _, _, start, _ in expected)


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


def test_meetings_case_traps_are_all_the_characters_that_break_lower_casing():
    """Trying every code point: IGNORECASE ties no other character to an ASCII one, and ``str.lower``
    changes no other character's length, ASCII-ness or \\w/\\s/\\d class, than the listed traps; and
    no letter lower-cases to punctuation or a symbol (caseless literals stay caseless)."""
    import re
    import string
    import unicodedata

    from toolkit.meeting_rules import CASE_TRAPS

    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000]
    everything = "".join(chars)
    found = set()
    for x in string.printable:
        found |= {c for c in re.findall(re.escape(x), everything, re.IGNORECASE) if c.lower() != x.lower()}
    classes = [re.compile(p) for p in (r"\w", r"\s", r"\d")]
    for c in chars:
        low = c.lower()
        if len(low) != 1 or (not c.isascii() and low.isascii()) \
                or any(bool(r.fullmatch(c)) != bool(r.fullmatch(low)) for r in classes):
            found.add(c)
        if len(low) == 1 and low != c and (unicodedata.category(low)[0] in "PZ" or unicodedata.category(low) in ("Sc", "Sm", "Sk")):
            found.add(c)
    assert found == set(CASE_TRAPS)
    caseless = "".join(c for c in chars if unicodedata.category(c)[0] in "PZ" or unicodedata.category(c) in ("Sc", "Sm", "Sk"))
    assert "".join(re.findall("[" + re.escape(caseless) + "]", everything, re.IGNORECASE)) == caseless


def test_meetings_lowered_patterns_find_what_ignorecase_finds():
    import re

    from toolkit.meeting_rules import boundary_once, case_safe, lowered, named_alternatives

    assert lowered(r"[A-Z]x") is None and lowered(r"caf\u00e9") is None and lowered(r"(a)\1") is None
    assert lowered(r"(?i)x") is None and lowered(r"\w+ed\b(?! by)") is not None
    assert boundary_once([r"\bx", r"\by|z"]) == r"\bx|\by|z"  # a bare alternative: left alone
    assert boundary_once([r"\bx", r"\by\b"]) == r"\b(?:x|y\b)"
    assert named_alternatives({"a": r"\bx", "b": r"\by"}) == r"\b(?:(?P<a>x)|(?P<b>y))"
    patterns = {"t": r"\b(?:territor(?:y|ies)|front line)\b", "n": r"\bnato\b", "s": r"\b[a-z]{3,}ed\b(?! by)",
                "q": r"\bkyiv[\u2019']s\b", "d": r"\d{3},000 troops\b"}
    slow = re.compile("|".join(f"(?P<{k}>{p})" for k, p in patterns.items()), re.IGNORECASE)
    fast = lowered(named_alternatives(patterns))
    texts = ["NATO and the Front Line; Kyiv\u2019s TERRITORIES were Captured by 600,000 TROOPS.",
             "\u00c9lys\u00e9e talked, SIGNED, \u03a3\u039f\u03a3 nato\u2019s Territory"]
    for text in texts:
        assert case_safe(text)
        assert [(m.lastgroup, m.span()) for m in slow.finditer(text)] == \
            [(m.lastgroup, m.span()) for m in fast.finditer(text.lower())]
    assert not case_safe("\u212aYIV") and not case_safe("\u0130stanbul")


def test_meetings_sentences_containing_and_starts_any_agree_with_a_plain_scan():
    import random
    from bisect import bisect_right

    rnd = random.Random(7)
    words = ("ab", "ba", "a b", "bb")
    for _ in range(300):
        low = "".join(rnd.choice("ab ") for _ in range(rnd.randrange(0, 40)))
        starts = sorted({0} | {rnd.randrange(0, len(low) + 1) for _ in range(rnd.randrange(0, 6))}) if low else []
        plain = {bisect_right(starts, p) - 1 for w in words for p in range(len(low)) if low.startswith(w, p)}
        assert meetings.sentences_containing(low, starts, words) == plain
        for index in range(len(starts)):
            assert meetings._starts_any(low, starts, index, words) == (index in plain), (low, starts, index)


def test_meetings_with_heads_keeps_matches():
    import re

    from toolkit.meeting_rules import with_heads

    from toolkit.meeting_rules import match_heads

    assert sorted(match_heads(r"(?:a|bc)d*e")) == ["ad", "ae", "bc"]
    assert sorted(match_heads(r"\bx{0,5}y(?=z)")) == ["xx", "xy", "y"]
    assert match_heads(r"\w+") is None and match_heads(r"a?") is None and match_heads(r"[a-z]x") is None
    plain = r"(?P<a>\b(?:the )?(?:us|u\.s\.) president\b)|(?P<b>\bthe saudi crown prince\b)"
    fast = with_heads(plain, boundary=True)
    assert fast != plain and with_heads(r"\w+") == r"\w+" and with_heads(r"x?") == r"x?"
    text = "the us president and the u.s. president met the saudi crown prince; thus president, us presidents"
    for flags in (0, re.IGNORECASE):
        for t in (text, text.upper()):
            assert [(m.lastgroup, m.span()) for m in re.finditer(plain, t, flags)] == \
                [(m.lastgroup, m.span()) for m in re.finditer(fast, t, flags)]
