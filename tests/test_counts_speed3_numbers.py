"""Fast paths of the weapon-count reader, fourth round: each must answer exactly as the plain code."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import text as text_module
from toolkit.count_rules import compiled
from toolkit.text import find_numbers


class _HoldsEveryWord:
    """Stands in for the number-word set: every text "holds a number word", so every ASCII text
    takes the gap scan of the whole number pattern (the plain path)."""

    def isdisjoint(self, other: object) -> bool:
        return False


def _gap_scan_numbers(s: str) -> list[tuple[int, int, int]]:
    """find_numbers with the digit fast path turned off."""
    original = text_module._NUMBER_WORD_BYTES
    text_module._NUMBER_WORD_BYTES = _HoldsEveryWord()
    try:
        return find_numbers(s)
    finally:
        text_module._NUMBER_WORD_BYTES = original


def test_gap_scan_reference_is_the_plain_path():
    s = "Russia launched 757 drones"
    assert _gap_scan_numbers(s) == find_numbers(s) == [(757, 16, 19)]
    calls = []
    original = text_module._digit_numbers
    text_module._digit_numbers = lambda low: calls.append(low) or original(low)
    try:
        find_numbers(s)
        _gap_scan_numbers(s)
    finally:
        text_module._digit_numbers = original
    assert calls == [s.lower()]  # the fast path ran once: for find_numbers, not for the reference


#: pieces that meet every branch and glue test of find_numbers: digits with commas and stops,
#: scale words, number words whole and inside other words, word characters and symbols around
_NUMBER_PIECES = ["1", "12", "757", "1,200", "1,2", "3.5", "0", "10^9", ",", ".", "^", "-", "_", "a", "x", "drones",
                  "one", "One", "ONE", "seven", "sevens", "twenty-one", "hundred", "thousand", " thousand",
                  "million", "dozen", "a dozen", "dozens", "often", "zero", "ten", "and", " ", "  ", "\n", "\t", "(",
                  "\"", "'", "/", ":", "\u00e9", "\u0130", "\u2009"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_PIECES), max_size=14).map("".join))
def test_find_numbers_fast_path_is_the_gap_scan(s):
    assert find_numbers(s) == find_numbers(s, s.lower()) == _gap_scan_numbers(s)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="0123456789,.^- _aot\n", max_size=30))
def test_find_numbers_fast_path_is_the_gap_scan_on_digit_runs(s):
    assert find_numbers(s) == _gap_scan_numbers(s)


def test_find_numbers_fast_path_on_sentences():
    for s in ("Russia launched 757 attack drones and 21 missiles at Ukraine overnight.",
              "Air defence units shot down 1,200 drones, 13.5 of them, 10^9 and 1,2,3 others.",
              "Russia launched 3 thousand drones and seven missiles; a dozen were downed.",
              "Impacts of 7 missiles and 16 drones were recorded at 23 locations_2 and x5 -4 5-6.",
              "Often ten or one; phones, drones: 40"):
        assert find_numbers(s) == _gap_scan_numbers(s)


_ALL_PIECES = ["all", "All", "ALL", "locally", "overall", "small", "of", "them", "the", "these", "were", "drones",
               " ", "  ", "\n", ",", "(", "-", "_", "1", "\u0130", "\u017f", "x"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_ALL_PIECES), max_size=12).map("".join))
def test_all_of_them_is_scanned_whenever_it_could_match(s):
    from toolkit.counts import _ALL_OF_THEM, _may_say_all

    if _ALL_OF_THEM.search(s):
        assert _may_say_all(s, s.lower())
    if s.isascii() and "all" in s.lower() and not _may_say_all(s, s.lower()):
        assert all(s.lower()[i - 1].isalnum() or s[i - 1] == "_" for i in range(1, len(s))
                   if s.lower().startswith("all", i))


_DOWNED_PIECES = ["some", "Some", "SEVERAL", "most", "many", "part", "a number", "a few", "of them", "were", "was",
                  "had been", "have been", "intercepted", "Shot down", "downed", "destroyed", "likely", " ", "  ",
                  "\n", ",", "x", "\u017f", "\u212a"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_DOWNED_PIECES), max_size=10).map(" ".join),
       st.lists(st.sampled_from(_DOWNED_PIECES), max_size=10).map("".join))
def test_some_downed_is_the_plain_search(spaced, glued):
    from toolkit.counts import _SOME_DOWNED, _some_downed

    for s in (spaced, glued):
        assert _some_downed(s, s.lower()) == bool(_SOME_DOWNED.search(s)), s


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["the", "The", "THE", "ministry", "Ministry", "ministry's", "ministries", " ", "  ",
                                 "\n", "x", "-", "\u0130", "\u017f"]), max_size=8).map("".join))
def test_the_ministry_read_lower_cased_as_the_plain_search(s):
    from toolkit.count_state import ArticleState
    from toolkit.counts import _THE_MINISTRY, _source

    rules = compiled()
    state = ArticleState([], lambda: "russia")
    state.russian_ministry = True
    plain = "Russian Defence Ministry" if _THE_MINISTRY.search(s) else rules.source_of(s.lower())
    assert _source(s, s.lower(), state, rules) == plain
