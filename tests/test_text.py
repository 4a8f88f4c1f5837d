"""Text utilities (toolkit.text): sentence spans and numbers in digits or words."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import text as text_module
from toolkit.text import find_numbers, parse_number, split_sentences


@pytest.mark.parametrize(("token", "value"), [
    ("1,200", 1200), ("653", 653), ("twenty-nine", 29), ("a dozen", 12), ("three dozen", 36), ("one", 1),
    ("one hundred and five", 105), ("1.5 million", 1_500_000), ("dozens", None), ("hundreds", None),
])
def test_text_parse_number(token, value):
    assert parse_number(token) == value


@pytest.mark.parametrize(("sentence", "values"), [
    ("Air defence downed 585 drones, 29 cruise missiles and one ballistic missile.", [585, 29, 1]),
    ("Seventeen drones and a dozen missiles", [17, 12]),
    ("Dozens of drones and hundreds of missiles", []),
    ("seventy-seven and seventeen and seven", [77, 17, 7]),
])
def test_text_find_numbers(sentence, values):
    assert [v for v, _, _ in find_numbers(sentence)] == values


def test_text_number_words_prefix_tree_matches_flat_alternation():
    """The prefix-tree regex for number words matches exactly what a longest-first alternation does."""
    words = sorted(list(text_module.UNITS) + list(text_module.TENS), key=len, reverse=True)
    flat = re.compile(r"\b(?:%s)\b" % "|".join(words), re.IGNORECASE)
    tree = re.compile(r"\b%s\b" % text_module._WORD, re.IGNORECASE)
    sample = " ".join(words + ["seventeenth", "sixty-six", "Eighteen", "ninetynine", "tens", "onex"])
    assert [m.span() for m in flat.finditer(sample)] == [m.span() for m in tree.finditer(sample)]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_text_spans_always_index_the_text(text):
    for sentence in split_sentences(text):
        assert text[sentence.start:sentence.end] == sentence.text
    for value, start, end in find_numbers(text):
        assert value == parse_number(text[start:end])


_NUMBERISH = st.lists(st.sampled_from(list("0123456789 ,.-^_aAbtwonehundrdzsixvfy\n") +
                                     ["one", "twenty", "dozen", "hundred", "and", "thousand", "a ", "Seven"]),
                      max_size=30).map("".join)


@settings(max_examples=300)
@given(st.one_of(_NUMBERISH, st.text(alphabet=st.characters(max_codepoint=127), max_size=120)))
def test_text_find_numbers_gap_scan_equals_word_boundary_scan(sentence):
    """The fast scan (the character before a number) finds the numbers \\b finds, at the same offsets."""
    low = sentence.lower()
    plain = [(m.group(0), *m.span()) for m in text_module._NUMBER_LOWER_RE.finditer(low)]
    gapped = [(m.group(0)[1:], m.start(), m.end() - 1) for m in text_module._NUMBER_AFTER_GAP_RE.finditer(" " + low)]
    assert gapped == plain
