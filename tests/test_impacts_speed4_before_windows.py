"""Fourth round of impacts speed work: the place blockers before a place, spelled out so that every
alternative opens with a letter (``re`` then tries the pattern only at those letters), say what the
grouped spelling said."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.impact_rules import rules

try:
    from re import _compiler as _sre_compile  # Python 3.11+
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_compile as _sre_compile
    import sre_parse as _sre_parse

# the list as it read before it was spelled out
GROUPED = ["(?:(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)? of(?: the)?",
           "(?:quiet|calm|peaceful)(?: [\\w'-]+){0,3} (?:in|over|for)",
           "(?:kilometres|kilometers|km|miles) (?:\\w+ )?(?:of|from)(?: the)?",
           "Dynamo", "Shakhtar", "Zorya", "Metalist", "Chornomorets", "Vorskla", "Kryvbas", "Karpaty", "Veres", "Rukh",
           "Obolon", "Polissya"]
PLAIN = re.compile(rf"(?:{'|'.join(GROUPED)})\s+$")
TOKENS = ["north", "south", "east", "west", "ern", "-", "of", " of", " the", "the", "quiet", "calm", "peaceful", "in",
          "over", "for", "kilometres", "kilometers", "km", "miles", "from", "Dynamo", "Rukh", "Polissya", "North", "x",
          "5", "'", "é", " ", " ", "\n", "\t", "\xa0", ","]


def test_every_alternative_opens_with_a_letter() -> None:
    """re gets a set of first letters to skip to (else the spelling out buys nothing)."""
    pattern = rules().blockers_before
    assert _sre_compile._get_charset_prefix(_sre_parse.parse(pattern.pattern), pattern.flags)


# a phrase a blocker may be (or nearly be): direction, suffix, "of"/"in"/"from", an article, then a gap
PHRASES = st.tuples(st.sampled_from(["north", "south", "east", "west", "North", "quiet", "calm", "peaceful", "km",
                                     "kilometres", "miles", "Dynamo", "xeast", "ast", ""]),
                    st.sampled_from(["", "-east", "east", "-west", "ern", "-eastern", " five", " town", " a b c d"]),
                    st.sampled_from([" of", " in", " over", " for", " from", "", " ot"]),
                    st.sampled_from(["", " the", " the the"]),
                    st.sampled_from([" ", "  ", "\n", "\t ", "", "x", " \n\n", "\xa0"])).map("".join)
texts = st.tuples(st.lists(st.sampled_from(TOKENS), max_size=8).map(" ".join), PHRASES).map("".join) \
    | st.lists(st.sampled_from(TOKENS), max_size=14).map("".join) | st.lists(st.sampled_from(TOKENS), max_size=14).map(" ".join)


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_blockers_before_is_the_grouped_pattern(text: str) -> None:
    """Found where the grouped spelling finds one, starting at the same offset (place_roles reads only whether)."""
    found, plain = rules().blockers_before.search(text), PLAIN.search(text)
    assert bool(found) == bool(plain)
    assert found is None or found.start() == plain.start()
