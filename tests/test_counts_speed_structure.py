"""Fast paths of the weapon-count reader, second round: each must answer exactly as the plain code."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import weapons
from toolkit.count_rules import _alt, compiled, normalise
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


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["drones", "missiles", "launchers", "and", "or", "of", "types", "Shahed", "unidentified",
                                 ",", ".", '"', "\u201c", " ", "\n", "Patriot", "air", "defence", "strikes"]), max_size=9)
       .map(" ".join), st.sampled_from(["", ",", ".", '"', " "]))
def test_phrase_checks_after_the_head_need_a_gap(text, glue):
    """A phrase read right before "," or "." reads no platform noun, second head or "of ... types"."""
    s = "5 drones" + glue + text
    pat = weapons._patterns()
    end = len("5 drones")
    if not (s[end:end + 1].isspace() or s[end:end + 1] in weapons._GAP_FIRST):
        assert pat["platform"].match(s, end) is None
        assert weapons._AND_OR.match(s, end) is None
        assert pat["of_types"].match(s, end) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["were", "was", "not", "NOT", "no", "never", "been", "be", "failed", "to", "n't",
                                 "none", "of", "which", "them", "x", "shot", "  ", "\n", "\u017fhot"]), max_size=10)
       .map(" ".join), st.integers(min_value=0, max_value=60))
def test_negated_test_of_a_sentence_is_tail_search(text, cut):
    from toolkit.count_events import _negated, _NEGATED, _NEGATED_ENDS, tail, tail_search
    s = text + " launched 5 drones"
    pos = max(0, len(text) + 1 - cut)
    lower = s.lower() if s.isascii() else None
    assert _negated(s, lower, pos) == bool(_NEGATED.search(tail(s, pos)))
    assert _negated(s, lower, pos) == bool(tail_search(_NEGATED, _NEGATED_ENDS, s, pos))



_WAR_PIECES = ["Iran", "iranian", "Israel's", "(Gaza)", "Tel", "Aviv", "tel  aviv", "red sea", "Houthis", "Kyiv",
               "drones", "x", "-", "\u0130ran", "  ", "\n", "\x00", "Hezbollah-backed", "yemeni", "Ukraine's",
               "Russian", "Moscow", "kremlin-backed", "\u212aremlin"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WAR_PIECES), max_size=10).map(" ".join))
def test_foreign_war_tests_are_the_plain_ones(text):
    """The cues without redundant words, and the lower-cased scans, answer as the plain test."""
    from toolkit import counts
    from toolkit.count_state import ArticleState
    rules = compiled()
    lower = text.lower()
    state = ArticleState([], lambda: "russia")
    state.lower_text = lower
    plain = any(c.lower() in lower for c in rules.foreign_cues)
    assert state.foreign_war(text, rules) == (plain and bool(rules.foreign.search(text)))
    assert counts._theatre(rules.home, rules.home_lower, text) == bool(rules.home.search(text))
    assert counts._theatre(rules.foreign, rules.foreign_lower, text) == bool(rules.foreign.search(text))


_NUMBER_PIECES = ["one", "someone", "Ten", "often", "twenty-one", "dozen", "dozens", "sixty", "x", "seven", "eleventh",
                  "fourteen", "none", "\u0130", "_one", "one_", ",", ".", "  ", "\n", "3", "\u0663"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_PIECES), max_size=8).map(" ".join))
def test_number_hint_is_the_pattern(text):
    from toolkit import counts
    lower = text.lower()
    assert counts._number_hint(lower) == bool(counts._NUMBER_HINT.search(lower))


_MINISTRY_PIECES = ["Russia's", "Russian", "defence", "defense", "ministry", "Ministry", "MINISTRY", "ministry's",
                    "ministries", "of", "the", "said", "Kremlin", "x", "-", "\u017f", "  ", "mod", "MoD"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MINISTRY_PIECES), max_size=8).map(" ".join), st.booleans())
def test_note_ministry_on_lower_case_text_is_the_plain_scan(text, before):
    from toolkit.count_state import ArticleState, _MINISTRY
    rules = compiled()
    state = ArticleState([], lambda: "russia")
    state.russian_ministry = before
    state.note_ministry(text, text.lower(), rules)
    lower = text.lower()
    expected = before
    if "minist" in lower or " mod" in lower:
        if rules.russian_claim.search(text):
            expected = True
        elif _MINISTRY.search(text):
            expected = False
    assert state.russian_ministry == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["shahed", '"shahed', "(kh-101)", "drones,", "air", "-iskander", "\u00abkalibr",
                                 "people", "uav", "'", "(", "tb2", "dronefield", "missiles;", "x"]), max_size=12))
def test_remembered_weapon_words_are_the_plain_prefix_test(tokens):
    four, short = weapons._stem_sets()
    words = set(tokens)
    plain = [w for w in words if w[:4] in four or w[:3] in short]
    plain += [b for b in (w.lstrip(weapons._LEADING) for w in words if w[:1] in weapons._LEADING)
              if b[:4] in four or b[:3] in short]
    assert weapons.weapon_words(words) == tuple(plain)
    assert weapons.weapon_words(words) == tuple(plain)  # the second time from the remembered answers


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["ab", "Cd", "x", ".", "..", "!", "?", "U.S.", "Kyiv", "November", " ", "\n", "Q",
                                 "\u0410b", "zz", "aB", "12", "Only"]), max_size=12).map("".join))
def test_glued_scan_from_the_stop_is_the_glued_pattern(text):
    from toolkit import counts
    assert [(m.start() - 2, m.end()) for m in counts._GLUED_AT_STOP.finditer(text)] == \
        [m.span() for m in counts._GLUED.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Russia", "launched", "LAUNCHED", "fired", "shot", "down", "shot  down", "a total of",
                                 "refired", "re-fired", "fire-", "50", "drones", "sent", "used", ",", ".", "(", "-",
                                 "x"]), max_size=15).map(lambda w: " ".join(w).strip()), st.integers(min_value=0, max_value=120))
def test_trigger_scan_from_the_gap_is_the_boundary_scan(s, until):
    """Triggers found with the character before them are those found with ``\\b(?<!-)``."""
    rules = compiled()
    assert rules.before_after_gap is not None
    plain = []
    for m in rules.before_lower.finditer(s.lower()):
        if m.end() > until:
            break
        plain.append((m.start(), m.end(), rules.before_event[normalise(m.group("t"))]))
    assert rules.before_in(s, until) == plain


_SIDE_PIECES = ["ukraine", "ukraine's", "ukrainian", "kyiv", "russia", "russian", "moscow", "kremlin", "-russia",
                "pro-russian", "x", ",", ".", "(", "\u00e9", "\u0439", "_", "1", "  ", "\n", "\u017fx"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SIDE_PIECES), max_size=10).map(lambda w: " ".join(w).strip()),
       st.lists(st.sampled_from(_SIDE_PIECES), max_size=10).map("".join))
def test_side_cue_scan_from_the_gap_is_the_boundary_scan(spaced, glued):
    rules = compiled()
    for lower in (spaced, glued):
        for plain, gap in ((rules.ukraine_cue, rules.ukraine_cue_after_gap), (rules.russia_cue, rules.russia_cue_after_gap)):
            assert gap is not None
            assert [m.end() for m in plain.finditer(lower)] == [m.end() - 1 for m in gap.finditer(" " + lower)]
