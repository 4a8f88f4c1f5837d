"""Second round of impacts speed work: each fast path agrees with the plain rule it stands for."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import impacts
from toolkit.impact_rules import _after_non_word, _after_non_word_ascii, lowered, rules, word_matches

# words of the trigger and target vocabularies, look-alikes and separators
TOKENS = ["power plant", "a power plant", "apartment block", "drones", "hit", "struck", "missile", "Kyiv",
          "the", "earlier", "2 days ago", "5 attacks", "shelling", "energy", "infrastructure", "Power Plant",
          "HIT", "é", "éhit", "ü", "x", "_", "-", "’s", "'", "(", "\"", "3rd", "_hit", "drones_", "İ", "ſ",
          "\u212a", ",", ".", " ", "  ", "\n", "\t", "\xa0"]
texts = st.lists(st.sampled_from(TOKENS), max_size=20).map("".join) | \
    st.lists(st.sampled_from(TOKENS), max_size=20).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(0, 60), st.integers(0, 60), st.booleans())
def test_word_matches_ascii_form_is_finditer(text: str, cut_a: int, cut_b: int, lower: bool) -> None:
    """On ASCII text (lower-cased or not) the scan without the look-behind finds what finditer finds."""
    low = lowered(text) if lower else text
    start, end = sorted((min(cut_a, len(low)), min(cut_b, len(low))))
    for pattern in (rules().kinds, impacts._targets_pattern()[0]):
        assert _after_non_word_ascii(pattern) is not None and _after_non_word(pattern) is not None
        expected = [(m.start(), m.end(), m.group()) for m in pattern.finditer(low, start, end)]
        assert word_matches(pattern, low, start, end) == expected


def _plain_targets(text: str, low: str, start: int, end: int) -> list[tuple[str, str, int, int]]:
    """The targets of ``text[start:end]`` with no memo: every match, exclusions dropped."""
    out = []
    for m in impacts._targets_pattern()[0].finditer(low, start, end):
        category = impacts._category_of(m.group())
        if category != "exclude":
            out.append((category, text[m.start():m.end()], m.start(), m.end()))
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(texts, st.integers(0, 60), st.integers(0, 60)), min_size=1, max_size=6))
def test_targets_memo_is_the_scan(cases: list[tuple[str, int, int]]) -> None:
    """Targets read from the per-span memo are those a scan finds, whatever came before the span (the
    same span text is looked up after different prefixes, in other case)."""
    assert impacts._targets_memo_sound()
    for text, cut_a, cut_b in cases:
        for variant in (text, text.upper(), "x" + text, " " + text, "é" + text):
            low = lowered(variant)
            start, end = sorted((min(cut_a, len(low)), min(cut_b, len(low))))
            for s in (start, min(start + 1, end)):
                assert impacts._targets_in(variant, low, s, end) == _plain_targets(variant, low, s, end)


def test_targets_memo_is_bounded() -> None:
    """The memo never holds more than its size."""
    for n in range(impacts._TARGETS_MEMO_SIZE + 10):
        text = f"drones hit power plant {n}"
        impacts._targets_in(text, text, 0, len(text))
        assert len(impacts._TARGETS_MEMO) <= impacts._TARGETS_MEMO_SIZE
