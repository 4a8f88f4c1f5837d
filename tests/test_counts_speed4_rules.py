"""Fast paths of the count rules, fifth round: each must answer exactly as the plain code."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import counts
from toolkit.count_rules import compiled
from toolkit.weapons import rules

_CUES = [str(c) for c in rules()["cumulative_cues"]]
_LITERAL = [c for c in _CUES if "(" not in c and "\\" not in c]
_PIECES = [*_LITERAL, "so", "far", "war", "warfare", "wars", "war-torn", "war's", "the", "this", "in", "during",
           "throughout", "over", "for", "within", "past", "three", "12", "2022", "1999", "209", "since", "may",
           "january", "september", "days", "weeks", "months", "years", "week", "Year", "SINCE", "start", "x", "-",
           ",", ".", "'", " ", " ", " ", "  ", "\n", "\t", "\u00e9", "\u017f"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=10).map("".join)


def test_the_regex_cues_are_those_the_hints_were_written_for():
    """_REGEX_CUE_HINTS was read off these cues: a change to them needs a new look at the hints."""
    assert [c for c in _CUES if c not in _LITERAL] == [
        "(?:over|in|within|during|for) (?:the (?:past|last|previous) )?(?:two|three|four|five|six|seven|several|\\d+)"
        " (?:days|weeks|months|years)",
        "(?:in|during|throughout) (?:19|20)\\d\\d",
        "since (?:\\d{1,2} )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?",
        "since (?:mon|tues|wednes|thurs|fri|satur|sun)day",
        "in (?:january|february|march|april|may|june|july|august|september|october|november|december)(?! \\d)",
    ]


def test_every_cue_alone_is_let_through():
    for cue in _LITERAL:
        for text in (cue, f"x {cue} x", cue.replace(" ", "  "), cue.replace(" ", "\n"), cue.upper()):
            assert counts._may_name_period(text.lower()), text
    for text in ("over the past three days", "in 2023", "throughout 1999", "since 12 may", "since friday",
                 "in june", "for 12 weeks"):
        assert counts._may_name_period(text), text


@settings(max_examples=3000, deadline=None)
@given(_TEXTS)
def test_a_text_with_a_period_cue_passes_the_sharper_test(text):
    lower = text.lower()
    if not text.isascii():
        return
    if compiled().cumulative_lower.search(lower):
        assert counts._may_name_period(lower)


def _cumulative_before(s: str, lower: str) -> bool:
    """``_cumulative`` as it was: the period hints, then the cues."""
    rules = compiled()
    if not any(map(lower.__contains__, counts._PERIOD_HINTS)):
        return False
    cues = rules.cumulative_lower.finditer(lower) if rules.cumulative_lower and s.isascii() else \
        rules.cumulative.finditer(s)
    for m in cues:
        if counts._SUPERLATIVE.search(s[max(0, m.start() - 60):m.start()]) or counts._background_clause(s, m.start()):
            continue
        return not counts._ONE_ATTACK.search(s)
    return False


@settings(max_examples=3000, deadline=None)
@given(_TEXTS)
def test_cumulative_is_what_it_was(text):
    assert counts._cumulative(text, text.lower(), compiled()) == _cumulative_before(text, text.lower())
