"""Third round of impacts speed work: casualty patterns scanned from word starts find finditer's matches."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import casualties
from toolkit.impact_rules import _word_start_forms, lowered, word_start_matches

# casualty phrasings, their pieces, look-alikes and separators (ASCII and not)
TOKENS = ["two people were killed", "at least five", "killed", "injured", "wounded", "a woman", "a man and his son",
          "were", "and", "18", "1,200", "no", "no fewer than", "three", "others", "died", "later", "who", "was",
          "killing", "left", "dead", "death toll", "rose to", "number of injured", "soldiers", "children",
          "among them", "a further", "é", "ü", "x", "_", "-", "'", "’", "(", ",", ".", " ", "  ", "\n", "İ", "ſ",
          "\u212a", "٣", "2nd", "_two", "two_", "xtwo"]
texts = st.lists(st.sampled_from(TOKENS), max_size=24).map("".join) | \
    st.lists(st.sampled_from(TOKENS), max_size=24).map(" ".join)


def _plain(pattern: re.Pattern[str], text: str, start: int) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in pattern.finditer(text, start)]


def _fast(pattern: re.Pattern[str], text: str, start: int) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(begin, end, {k: v for k, v in m.groupdict().items() if k != "_w"})
            for begin, end, m in word_start_matches(pattern, text, start)]


def test_every_casualty_pattern_has_a_word_start_form() -> None:
    """The check on the parsed patterns accepts them (else the fast path would never run)."""
    for pattern in casualties._patterns().values():
        assert _word_start_forms(pattern) is not None


@pytest.mark.parametrize("source", [r"\b(?:x|-y)", r"\b(?:a)?", r"\b(?=a)", r"\b[^a]b", r"\b.a", r"(?:ab)",
                                    r"\b\W", r"\b(?:a|b)*c?"])
def test_patterns_that_may_open_otherwise_are_left_to_finditer(source: str) -> None:
    """A match that may open with a non-word character, or be empty, or a pattern without ``\\b``: none."""
    assert _word_start_forms(re.compile(source)) is None


@pytest.mark.parametrize("source", [r"\b(?:\d+|one)\s", r"\b(?:(?:at least|over)\s+)?(?<!\bno )(?:two|\d)",
                                    r"\b[a-c_0-9]x", r"\b(?:a+|b{1,2})"])
def test_patterns_that_open_with_a_word_character_get_a_form(source: str) -> None:
    assert _word_start_forms(re.compile(source)) is not None


@settings(max_examples=500, deadline=None)
@given(texts, st.integers(0, 80), st.booleans())
def test_word_start_matches_are_finditer(text: str, start: int, lower: bool) -> None:
    """Same matches, spans and groups as finditer, for every casualty pattern, from any offset."""
    low = lowered(text) if lower else text
    start = min(start, len(low))
    for pattern in casualties._patterns().values():
        assert _fast(pattern, low, start) == _plain(pattern, low, start)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_find_casualties_is_the_plain_rule(text: str) -> None:
    """find_casualties with the word-start scans gives what it gives with finditer."""
    fast = casualties.find_casualties(text)
    plain_scan = casualties.word_start_matches
    try:
        casualties.word_start_matches = lambda p, t, s=0: [(m.start(), m.end(), m) for m in p.finditer(t, s)]
        plain = casualties.find_casualties(text)
    finally:
        casualties.word_start_matches = plain_scan
    assert fast == plain


HISTORY_TOKENS = ["World War", "Second World", "the", "Great Patriotic", "1941", "1999", "2022", "x1941", "1941x",
                  "World", "War", "é", "_", "-", " ", ",", "İ", "first world"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(HISTORY_TOKENS), max_size=12).map(" ".join)
       | st.lists(st.sampled_from(HISTORY_TOKENS), max_size=12).map("".join))
def test_history_found_from_word_starts_as_by_search(text: str) -> None:
    """infrastructure_rows' history test (from word starts) says what ``search`` says."""
    from toolkit.impact_rules import rules
    history = rules().history
    assert _word_start_forms(history) is not None
    assert bool(word_start_matches(history, text)) == bool(history.search(text))
