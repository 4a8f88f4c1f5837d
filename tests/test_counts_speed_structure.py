"""Fast paths of the weapon-count reader, second round: each must answer exactly as the plain code."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import weapons
from toolkit.count_rules import _alt, compiled
from toolkit.weapons import rules

_MODIFIER_PIECES = ["cruise", "Cruise", "ballistic", "air-launched", "air", "launched", "and", "or", "guided",
                    "anti-ship", "tactical", "the", "x", "  ", "\n", "-", "\u017fea-launched", "\u212aINZHAL"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MODIFIER_PIECES), max_size=6).map(" ".join),
       st.sampled_from(["", " ", "  ", "\n", " \t"]))
def test_classmod_tail_pre_test_changes_nothing(text, space):
    before = text + space
    plain = weapons._classmod_tail_re().search(before)
    fast = weapons._classmod_tail(before)
    assert (fast.span() if fast else None) == (plain.span() if plain else None)


_WINDOW_PIECES = ["Patriot", "air", "defence", "defense", "anti-aircraft", "missiles", "drones", "surface-to-air",
                  "interceptor", "the", "5", "NLAW", "x", "  ", "\n", "-", "sent"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WINDOW_PIECES), max_size=8).map(" ".join))
def test_not_strike_hints_are_in_every_match(window):
    pat = weapons._patterns()
    low = window.lower()
    if pat["not_strike_lower"].search(low):
        assert any(hint in low for hint in pat["_not_strike_hints"])


_SOURCE_PIECES = ["air", "force", "forces", "command", "defence", "Air Force", "general", "staff", "russian",
                  "ministry", "of", "russia's", "mod", "governor", "regional", "administration", "head", "mayor",
                  "president", "volodymyr", "zelensky", "said", "-", "the", ",", "  ", "\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SOURCE_PIECES), max_size=10).map(" ".join))
def test_source_tree_gives_the_label_of_the_first_group(text):
    """One prefix tree for every source phrase names the same source as one group per label."""
    sources = rules()["sources"]
    groups = "|".join(rf"(?P<s{n}>{_alt(phrases)})" for n, phrases in enumerate(sources.values()))
    plain = re.compile(rf"\b(?<!-)(?:{groups})(?![\w-])")
    labels = list(sources)
    lower = text.lower()
    found = plain.search(lower)
    assert compiled().source_of(lower) == (labels[int(found.lastgroup[1:])] if found else None)


_MENTION_PIECES = ["Shahed", "SHAHEDS", "Geran-2", "drones", "UAVs", "cruise", "Missiles", "Kh-101", "Kinzhal's",
                   "Iskander-M", "Shahed-type", "x", "-", "and", "(", ")", "  ", "\n", "air", "bombs", "KAB"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MENTION_PIECES), max_size=10).map(" ".join))
def test_mention_scan_of_lower_cased_text_is_the_ignorecase_scan(text):
    fast = weapons._mention_lower_re()
    assert fast is not None
    assert [m.span() for m in fast.finditer(text.lower())] == [m.span() for m in weapons._mention_re().finditer(text)]


def test_lower_case_variant_refuses_unsound_sources():
    assert weapons.lower_case_variant(re.compile(r"\bkinzhal", re.IGNORECASE)) is not None
    assert weapons.lower_case_variant(re.compile(r"(?P<x>shahed)", re.IGNORECASE)) is not None
    assert weapons.lower_case_variant(re.compile(r"\S+ drones", re.IGNORECASE)) is None
    assert weapons.lower_case_variant(re.compile("\u017fhahed", re.IGNORECASE)) is None  # long s matches "s"
