"""Fourth round of impacts speed work: one word-start scan (the parsed-pattern check) for every pattern,
the one-pass form where no match starts where one ends, and an end bound; all against finditer."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.impact_rules import WordStartForms, _word_start_forms, word_start_matches

SOURCES = [r"\b(?:ab|a)(?![\w-])", r"\b(?=[ab])(?:a b|b)(?!\w)", r"\b(?:a|b\d*)\s", r"\ba", r"\b(?:a|ab)\b",
           r"\b[a-b_0-9]+(?=\W)", r"\b(?:é|a)(?![\w-])", r"\b(?:a |b)", r"\b(?P<x>a)(?P<y>b)?(?!\w)"]
TOKENS = ["a", "b", "ab", "a b", "1", " ", "  ", "-", "_", "é", "ü", "İ", "\u212a", ",", "\n", "x", "A"]


@pytest.mark.parametrize("source, disjoint", [
    (r"\b(?:ab|a)(?![\w-])", True), (r"\b(?:a|b)(?!\w)", True), (r"\b(?:a)(?![-\w])", True),
    (r"\b(?:a|b)(?![^\w])", False), (r"\b(?:a|b)(?!-)", False), (r"\b(?:a|b)(?<!\w)", False),
    (r"\b(?:a|b)(?=\W)", False), (r"\b(?:a|b)\b", False), (r"\b(?:a|b)\s", False), (r"\b(?:a|b)(?!\w|x)", True)])
def test_disjoint_read_on_the_parsed_pattern(source: str, disjoint: bool) -> None:
    """Only a closing look-ahead refusing every word character makes the one-pass scan sound."""
    forms = _word_start_forms(re.compile(source))
    assert forms is not None and forms.disjoint is disjoint


def test_the_one_pass_scan_needs_the_check() -> None:
    """Taken for disjoint, a pattern whose match may be followed by another loses that one: the check can fail."""
    pattern = re.compile(r"\ba ")
    forms = _word_start_forms(pattern)
    assert forms is not None and not forms.disjoint
    text = "a a a "
    assert len(word_start_matches(pattern, text)) == 3 == len(pattern.findall(text))
    try:
        from toolkit import impact_rules
        impact_rules._WORD_START_FORMS[id(pattern)] = (pattern, WordStartForms(*forms[:2], True))
        assert len(word_start_matches(pattern, text)) < 3
    finally:
        del impact_rules._WORD_START_FORMS[id(pattern)]


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(SOURCES), st.lists(st.sampled_from(TOKENS), max_size=20).map("".join),
       st.integers(0, 40), st.integers(0, 40), st.booleans())
def test_word_start_matches_are_finditer(source: str, text: str, cut_a: int, cut_b: int, bounded: bool) -> None:
    """Spans and groups as finditer's, from any start to any end (or the text's end), both scans."""
    pattern = re.compile(source)
    assert _word_start_forms(pattern) is not None
    start, end = sorted((min(cut_a, len(text)), min(cut_b, len(text))))
    end_arg = end if bounded else None
    plain = pattern.finditer(text, start, end) if bounded else pattern.finditer(text, start)
    expected = [(m.start(), m.end(), m.groupdict()) for m in plain]
    found = [(a, b, {k: v for k, v in m.groupdict().items() if k != "_w"})
             for a, b, m in word_start_matches(pattern, text, start, end_arg)]
    assert found == expected
