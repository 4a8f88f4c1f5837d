"""Fourth round of impacts speed work: the launch-site words before a place, read on ASCII text by the
lower-cased pattern without IGNORECASE, say what the case-insensitive pattern says."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import impacts
from toolkit.impact_rules import ascii_lowered, rules

TOKENS = ["launched", "Launched", "FIRED", "fired", "from", "From", "FROM", "fromthe", "the", "The", "direction", "of",
          "territory", "Russian", "russian-", "RUSSIA", "temporarily", "occupied", "Occupied", "annexed", "parts",
          "part", "launch", "sites", "pads", "areas", "near", "in", "at", "based", "Stationed", "took off", "came",
          "x", "-", " ", "  ", "\n", "\t", ",", "é", "ſ", "\u212a", "İ", "ﬀ", "sent", "coming", "held", "controlled"]
texts = st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join) \
    | st.lists(st.sampled_from(TOKENS), max_size=12).map("".join)


def test_the_rules_have_an_ascii_form() -> None:
    """The data is ASCII without flags or case escapes: the fast form exists (else it is never used)."""
    assert rules().launch_before_ascii is not None


@settings(max_examples=1500, deadline=None)
@given(texts)
def test_launch_site_before_is_the_plain_rule(before: str) -> None:
    """Same answer as the hint and the case-insensitive search, on ASCII and other text."""
    expected = impacts._launch_hint(before) and rules().launch_before.search(before) is not None
    assert impacts._launch_site_before(before) == expected


@pytest.mark.parametrize("fragments", [["a\\x41"], ["(?i:a)"], ["\\N{EM DASH}"], ["é"], ["(?-i:Kyiv)"], ["[Z-a]"], ["(?P<Name>a)"]])
def test_no_ascii_form_where_lowering_could_change_a_match(fragments: list[str]) -> None:
    """Case escapes, inline flags, non-ASCII fragments and ranges lowered out of order: searched as written."""
    assert ascii_lowered(fragments) is None


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAzZkKsS_- 1"), max_size=12), st.sampled_from(
    ["[A-Z]+ a", "[^a-z]K", "\\w+S", "(?:Ab|aB)\\s*", "k[ -]?S\\b", "(?:x|K)+(?=s)"]))
def test_ascii_form_is_the_ignorecase_search(text: str, fragment: str) -> None:
    """On ASCII text the lowered search finds where the case-insensitive one finds (varied classes and escapes)."""
    fast = ascii_lowered([fragment], "$")
    assert fast is not None
    plain = re.compile(f"(?:{fragment})$", re.IGNORECASE).search(text)
    found = fast.search(text.lower())
    assert (found is None) == (plain is None) and (found is None or found.span() == plain.span())
