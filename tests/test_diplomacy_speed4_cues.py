"""Continuation cue words read for the sentences a meeting reaches at once (round 4): the same answer,
sentence by sentence, as the plain test of one sentence (issue #7, speed)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import meetings
from toolkit.meeting_rules import rules

WORDS = ("ab", "ba", "a b", "bb", "abba")


def _plain(low: str, starts: list[int], index: int, words: tuple[str, ...]) -> bool:
    """A word starts in sentence ``index`` (or in the gap after it; after the last, anywhere to the end)."""
    stop = starts[index + 1] if index + 1 < len(starts) else len(low)
    return any(low.startswith(w, p) for w in words for p in range(starts[index], stop))


@st.composite
def _cases(draw: st.DrawFn) -> tuple[str, list[int], int, int]:
    low = draw(st.text(alphabet="ab ", min_size=1, max_size=60))
    starts = sorted({0} | set(draw(st.lists(st.integers(0, len(low)), max_size=8))))
    first = draw(st.integers(0, len(starts) - 1))
    last = draw(st.integers(first, len(starts) - 1))
    return low, starts, first, last


@settings(max_examples=800, deadline=None)
@given(_cases())
def test_cues_of_a_reach_are_those_of_each_sentence(case: tuple[str, list[int], int, int]) -> None:
    low, starts, first, last = case
    found = meetings._starting_in(low, starts, first, last, WORDS)
    assert found == {k for k in range(first, last + 1) if _plain(low, starts, k, WORDS)}
    assert found == {k for k in range(first, last + 1) if meetings._starts_any(low, starts, k, WORDS)}


def test_cues_of_a_reach_with_the_rule_words() -> None:
    words = rules()["cue_words"]
    low = ("they met. the us side was led by x.\nhe sat in. nothing here. taking part were y and z. "
           "the other sides took part too. a team")
    starts = [0] + [i + 1 for i, c in enumerate(low) if c in ".\n"][:-1]
    starts = sorted(set(starts))
    for first in range(len(starts)):
        for last in range(first, len(starts)):
            found = meetings._starting_in(low, starts, first, last, words)
            assert found == {k for k in range(first, last + 1) if _plain(low, starts, k, words)}
    assert meetings._starting_in(low, starts, 0, len(starts) - 1, words)  # (the test can find some)
