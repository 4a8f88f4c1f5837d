"""Fast paths of the weapon-count reader, fourth round: each must answer exactly as the plain code."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import weapons

_PIECES = ["drones", "missiles", "Shahed", "Kh-101", "cruise", "ballistic", "Russian-made", "air defence", "Air",
           "defense", "anti-aircraft", "Patriot", "launchers", "Launchers", "LAUNCHERS", "systems", "units", "unit",
           "jets", "strikes", "and", "And", "or", "of", "OF", "Of", "the", "types", "type", "other", "21", "9", " ",
           " ", " ", "  ", "\t", ",", ".", "\"", "'", "\u201c", "-", "/", "(", ")", "x", "\u017f", "\u212a", "\u0130",
           "\u00e9", "un", "la"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)


def _same(a, b):
    return (a is None) == (b is None) and (a is None or (a.span(), a.groups()) == (b.span(), b.groups()))


@settings(max_examples=1500, deadline=None)
@given(_TEXTS)
def test_checks_after_a_phrase_skip_only_patterns_that_cannot_match(text):
    """Where ``_after_one_space`` rules a pattern out, the pattern does not match there."""
    pat = weapons._patterns()
    for end in range(len(text) + 1):
        after = weapons._after_one_space(text, end)
        if after is None:
            continue
        if pat["_platform_first"] is not None and after.lower() not in pat["_platform_first"]:
            assert pat["platform"].match(text, end) is None
        if not after.startswith(("and", "or")):
            assert weapons._AND_OR.match(text, end) is None
        if after[:2].lower() != "of":
            assert pat["of_types"].match(text, end) is None


@settings(max_examples=1500, deadline=None)
@given(_TEXTS)
def test_word_kinds_tried_by_first_letters_match_as_the_patterns(text):
    pat = weapons._patterns()
    first = pat["_first_patterns"]
    for pos in range(len(text) + 1):
        for kind in ("head", "classmod", "mod"):
            assert _same(weapons._word_of(pat, text, pos, kind), pat[kind].match(text, pos))
        key = text[pos:pos + 3]
        if first is not None and key.isascii() and not key[:1].isalpha() and key.lower() not in first:
            # the shortcut after "and"/"or": no class word, modifier or head begins there
            assert not (pat["classmod"].match(text, pos) or pat["mod"].match(text, pos) or pat["head"].match(text, pos))


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_text_without_not_strike_hints_has_no_not_strike_window(text):
    pat = weapons._patterns()
    if weapons._may_name_not_strike(pat, text):
        return
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            window = text[start:end]
            assert not pat["not_strike_lower"].search(window.lower())
            assert not pat["not_strike"].search(window)


def test_not_strike_memo_follows_the_text():
    pat = weapons._patterns()
    assert weapons._may_name_not_strike(pat, "40 drones over the city") is False
    assert weapons._may_name_not_strike(pat, "air defence shot down 40 drones") is True
    assert weapons._may_name_not_strike(pat, "40 drones over the city") is False
    assert weapons._may_name_not_strike(pat, "\u00e9 40 drones") is True  # not ASCII: always scanned


def test_platform_first_letters_cover_the_platform_nouns():
    firsts = weapons._patterns()["_platform_first"]
    for noun in weapons.rules()["not_munitions"]:
        assert noun.lower().split()[0][:3] in firsts
        assert weapons._patterns()["platform"].match(" " + noun, 0)
    assert weapons._first_threes(["ab c"]) is None and weapons._first_threes(["\u017fhip"]) is None
