"""Fast paths of the count rules, fourth round: each must answer exactly as the plain pattern."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.count_rules import _and_digit_fails, compiled, normalise

_PIECES = ["drones", "missiles", "were", "shot", "down", "and", "And", "AND", "or", "Or", "20", "5", "1,200", "x5",
           "several", "some", "other", "Shahed", "launched", "hit", "all", "also", "a", "an", " ", "  ", "\t", ",",
           ".", "'", "\"", "(", ")", "-", "\u00b2", "\u0661",
           # fillers, verbs and marks after a counted phrase (and a long s that folds to "s" ignoring case)
           "destroyed", "Kyiv", "reportedly", "later", "was", ";", ":", "\n", "\u017fhot"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join),
       st.lists(st.sampled_from(_PIECES), max_size=10).map(" ".join))
def test_after_at_is_the_plain_match(glued, spaced):
    rules = compiled()
    for s in (glued, spaced, "5 drones" + glued, "50 drones " + spaced, "50 drones and " + spaced):
        for pos in range(len(s) + 1):
            fast, plain = rules.after_at(s, pos), rules.after.match(s, pos)
            assert (fast.span() if fast else None) == (plain.span() if plain else None), (s, pos)


def test_after_at_skips_and_a_digit():
    rules = compiled()
    assert rules.after_and_digit_fails
    s = "Russia launched 50 drones and 20 missiles and 3 were shot down"
    assert rules.after_at(s, len("Russia launched 50 drones")) is None
    assert rules.after.match(s, len("Russia launched 50 drones")) is None


def test_and_digit_test_is_off_when_a_phrase_or_head_could_read_it():
    assert _and_digit_fails(["drones"], ["were", "shot down"])
    assert not _and_digit_fails(["drones"], ["and then", "shot down"])  # a filler that begins with "and"
    assert not _and_digit_fails(["2S1 drones"], ["shot down"])  # a head that begins with a digit
    assert not _and_digit_fails(["drones"], ["(shot) down"])  # a phrase without a first word


def _plain_before_in(rules, s, until):
    """The trigger scan before the stop at the last item's number: every trigger that ends by ``until``."""
    found = []
    for m in rules.before_lower.finditer(s.lower()):
        if m.end() > until:
            break
        found.append((m.start(), m.end(), rules.before_event[normalise(m.group("t"))]))
    return found


_TRIGGER_PIECES = ["launched", "fired", "shot down", "shot", "down", "destroyed", "hit", "a total of", "intercepted",
                   "downed", "Russia", "drones", "missiles", "and", "of", "them", "50", "1,200", "7", "x9", "about",
                   " ", "  ", "\n", ",", ".", "-", "'", "(", "_", "shot  down", "Shot Down", "LAUNCHED"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_TRIGGER_PIECES), max_size=12).map("".join),
       st.lists(st.sampled_from(_TRIGGER_PIECES), max_size=12).map(" ".join))
def test_trigger_scan_stopped_at_a_number_finds_the_same_triggers(glued, spaced):
    rules = compiled()
    assert rules.before_digit_free
    for s in (glued, spaced):
        for until in range(-1, len(s) + 1):
            assert rules.before_in(s, until) == _plain_before_in(rules, s, until), (s, until)
