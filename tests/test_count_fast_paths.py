"""Fast paths of the weapon-count reader (toolkit.count_events, count_rules, count_state, weapons):
each cheap pre-test or lower-cased scan must give exactly what the plain regex gives."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import count_items, weapons
from toolkit.count_events import _NEGATED, _NEGATED_ENDS, _SALVO_OF, _SALVO_OF_ENDS, _WITH, _WITH_ENDS, tail, tail_search
from toolkit.count_rules import compiled, normalise
from toolkit.count_state import ArticleState
from toolkit.text import split_sentences

# words that make the end-anchored cues match, with case, spacing and a few non-ASCII look-alikes
# ("\u017f" is a long s and "\u212a" a Kelvin sign: both match ASCII letters when case is ignored)
_PIECES = ["the", "THE", "these", "those", "of", "from", "debris", "all", "All", "but", "except", "for", "among",
           "them", "were", "was", "which", "and", ",", "including", "killed", "injured", "wounded", "with", "a",
           "record", "barrage", "salvo", "not", "no", "n't", "been", "be", "at least", "more than", "up to",
           "about", "approx.", "nearly", "over", "\u017fome", "\u212aILLED", "Tho\u017fe", "x", "-", "  ", "\n", "\t"]
_TAILS = st.lists(st.sampled_from(_PIECES), max_size=12).map(" ".join).flatmap(
    lambda s: st.sampled_from([s, s + " ", s + "  ", s + "\n", s + " \n", " " + s + " "]))

_CUES = [(count_items._DEBRIS_BEFORE, count_items._DEBRIS_BEFORE_ENDS),
         (count_items._PRONOUN_BEFORE, count_items._PRONOUN_BEFORE_ENDS),
         (count_items._LIST_BEFORE, count_items._LIST_BEFORE_ENDS),
         (count_items._ALL_BEFORE, count_items._ALL_BEFORE_ENDS),
         (count_items._THE_BEFORE, count_items._THE_BEFORE_ENDS),
         (count_items._AMONG, count_items._AMONG_ENDS),
         (count_items._ALL_BUT, count_items._ALL_BUT_ENDS),
         (_NEGATED, _NEGATED_ENDS), (_SALVO_OF, _SALVO_OF_ENDS), (_WITH, _WITH_ENDS)]


def _span(m: re.Match | None) -> tuple[int, int] | None:
    return m.span() if m else None


@settings(max_examples=300, deadline=None)
@given(_TAILS, st.integers(min_value=0, max_value=3))
def test_tail_search_is_the_plain_search(text, cut):
    s = text + "7 drones"
    end = len(text) - min(cut, len(text))
    for pattern, ends in _CUES + [(compiled().qualifier_tail, compiled().qualifier_ends)]:
        assert _span(tail_search(pattern, ends, s, end)) == _span(pattern.search(tail(s, end))), pattern.pattern
    assert count_items._casualty_before(s, end) == bool(count_items._CASUALTY_BEFORE.search(tail(s, end)))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 No.-/:#%abcAZ\u0416\n", max_size=14), st.integers(min_value=0, max_value=14))
def test_good_number_pre_tests_change_nothing(text, at):
    s = "x" + text + "5" + text
    start = 1 + len(text)
    plain = not (count_items._BAD_AFTER.match(s[start + 1:start + 10]) and s[start:start + 1].isdigit()) \
        and not count_items._BAD_BEFORE.search(s[max(0, start - 4):start])
    assert count_items._good_number(s, start, start + 1, 5) == plain


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Russia", "launched", "LAUNCHED", "fired", "shot", "down", "shot  down",
                                 "a total of", "refired", "re-fired", "fire-", "50", "drones", "\u017fent",
                                 "sent", "used", "caused", ",", "."]), max_size=15).map(" ".join),
       st.integers(min_value=0, max_value=120))
def test_trigger_scan_is_the_ignorecase_scan(s, until):
    rules = compiled()
    plain = [(m.start(), m.end(), m.group("t")) for m in rules.before.finditer(s)]
    fast = [(m.start(), m.end(), m.group("t")) for m in rules.before_iter(s)]
    assert [(a, b, normalise(t)) for a, b, t in fast] == [(a, b, normalise(t)) for a, b, t in plain]
    if s.isascii():  # every trigger that ends by ``until`` is there (later ones may be left out)
        listed = rules.before_in(s, until)
        assert [t for t in listed if t[1] <= until] == [t for t in rules.before_in(s) if t[1] <= until]


def test_lower_case_variant_only_for_lower_case_sources():
    assert weapons.lower_case_variant(re.compile(r"\bsince\s+\d+", re.IGNORECASE)) is not None
    assert weapons.lower_case_variant(re.compile(r"\S+ since", re.IGNORECASE)) is None
    cumulative = compiled().cumulative
    fast = compiled().cumulative_lower
    for s in ["Russia has fired 500 drones This Week", "since May 2024, 40 missiles", "over the past SIX days"]:
        assert [m.span() for m in fast.finditer(s.lower())] == [m.span() for m in cumulative.finditer(s)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Shahed", "shaheds", "Geran-2", "drones", "UAVs", "cruise", "ballistic",
                                 "missiles", "attack", "Russian", "American-made", "people", "jet", "Kh-101",
                                 "Kh-101/Kh-555", "\u0428\u0430\u0445\u0435\u0434", "\u212ainzhal", "and", ",",
                                 "launchers", "of", "unidentified", "types", "air", "targets"]), max_size=8)
       .map(" ".join))
def test_next_word_is_the_combined_pattern(s):
    pat = weapons._patterns()
    for cursor in [0] + [m.end() for m in re.finditer(r"\s+", s)]:
        found = weapons._next_word(pat, s, cursor)
        m = pat["token"].match(s, cursor)
        assert (found[0], found[1].span()) == (m.lastgroup, m.span()) if m else found is None


def test_weapon_words_are_the_plain_prefix_test():
    four, short = weapons._stem_sets()
    text = ('Russia fired 12 "Shahed drones, (Kh-101) and «missiles» at a dronefield; air, x uav tb2 '
            '\u201cKalibr\u201d -Iskander').lower()
    words = set(text.split())
    plain = [w for w in words if w[:4] in four or w[:3] in short]
    plain += [b for b in (w.lstrip(weapons._LEADING) for w in words if w[:1] in weapons._LEADING)
              if b[:4] in four or b[:3] in short]
    assert weapons.weapon_words(words) == tuple(plain)


def test_named_flags_are_substring_tests():
    text = "Kyiv was calm.\n\nRussia launched 40 drones.\nNo more. Air defence was busy.  Missiles, too."
    sentences = split_sentences(text)
    state = ArticleState(sentences, lambda: "russia")
    state.lower_text, state.length = text.lower(), len(text)
    state.words = weapons.weapon_words(text.lower())
    assert [state.named(i) for i in range(len(sentences))] == \
        [any(w in text.lower()[s.start:s.end] for w in state.words) for s in sentences]


_NEXT_WORDS = ["buildings", "People", "others", "Others", "more", "targets", "enemy", "were", "WAS", "are", "over",
               "in", "and", "or", "shot", "downed", "hit", "Hit", "all", "as", "reportedly", "then", "launched",
               "h\u0130t", "\u017fhot", "x", "by", "of"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_NEXT_WORDS), st.sampled_from([" ", "  ", "\n", " \t"]),
       st.lists(st.sampled_from(_NEXT_WORDS + ["down", "well", "Kursk", "the", ".", ",", "(x)", '"']), max_size=4))
def test_quiet_bare_number_reads_nothing_later(word, space, rest):
    """After a number followed by a quiet word, none of the later checks of _read_phrase can match."""
    s = "Officials said 34" + space + " ".join([word] + rest)
    end = len("Officials said 34")
    if not count_items._quiet_bare(s, end, compiled()):
        return
    assert compiled().after.match(s, end) is None
    for pattern in (count_items._TARGETS, count_items._OTHERS, count_items._COPULA, count_items._LIST_AFTER,
                    count_items._CLAUSE_END):
        assert pattern.match(s, end) is None


_AID_PIECES = ["military", "aid", "package", "will", "deliver", "deliveries", "is", "sending", "has", "sent", "ukraine",
               "in", "stock", "the", "UK", "x", "  ", "\n", "-", "production", "monthly", "output", "would", "send"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_AID_PIECES), max_size=8).map(" ".join))
def test_aid_hints_are_in_every_aid_match(s):
    rules = compiled()
    lower = s.lower()
    if rules.aid.search(lower):
        assert any(hint in lower for hint in rules.aid_hints)


_DOWNED_PIECES = ["some", "Some", "several", "most", "a", "number", "few", "of", "them", "were", "was", "had", "been",
                  "intercepted", "shot", "down", "downed", "Destroyed", "\u017fome", "\u212aILLED", "\u0130", "x", "  "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_DOWNED_PIECES), max_size=8).map(" ".join))
def test_some_downed_pre_test_changes_nothing(s):
    from toolkit import counts
    assert counts._some_downed(s, s.lower()) == bool(counts._SOME_DOWNED.search(s))
