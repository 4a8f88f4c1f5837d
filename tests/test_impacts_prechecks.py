"""The cheap pre-checks of the impacts extractor agree with the patterns they stand in front of:
a pre-check may only say "cannot match" when the pattern indeed finds nothing (issue #7, speed)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import casualties, impacts, outages, places
from toolkit.impact_rules import lowered

# words the patterns look for, their look-alikes (long s, dotless i, Kelvin sign, capital I with dot)
# and separators, so that generated texts hit the patterns' edges
TOKENS = ["from", "FROM", "ſhelter", "shelter", "sheltered in", "hid", "hiding under", "took refuge in",
          "launched from", "based", "stationed", "launch", "Kyiv", "the", "its", "another", "a further",
          "an additional", "more", "killed", "died", "dead", "injured", "hurt", "wounded", "death toll",
          "number of", "who", "left", "two", "5", "1,200", "people", "residents", "without", "power", "heat",
          "lost", "cut", "off", "disconnected", "de-energised", "in the dark", "outage", "blackout",
          "losing", "no longer have", "had no", "cut off from", "knocked out", "interrupted", "disrupted",
          "to", "for", "customers", "kills", "killing", "claimed the lives of", "lost their lives", "was killed",
          "a man", "his son", "regions of", "oblasts of", "provinces of", "Read also:", "RELATED -", "watch |", "ſee alſo:",
          "İ", "ı", "\u212a", "’s", "-", ",", ".", ";", " ", "  ", "\n", "\t"]
texts = st.lists(st.sampled_from(TOKENS), max_size=14).map(" ".join) | \
    st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_launch_hint_is_the_pattern(text: str) -> None:
    assert impacts._launch_hint(text) == bool(impacts._LAUNCH_HINT.search(text))


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(0, 40), st.integers(0, 40))
def test_not_target_is_the_pattern(text: str, cut_start: int, cut_end: int) -> None:
    start, end = min(cut_start, len(text)), max(0, len(text) - cut_end)
    if start > end:
        start, end = end, start
    expected = bool(impacts._NOT_TARGET_BEFORE.search(text, start, end))
    assert impacts._not_target(text, lowered(text), start, end) == expected


@settings(max_examples=400, deadline=None)
@given(texts)
def test_more_before_is_the_pattern(text: str) -> None:
    for end in range(len(text) + 1):
        assert casualties._more_before(text, end) == bool(casualties._MORE_BEFORE.search(text, 0, end))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_casualty_pre_checks_never_hide_a_match(text: str) -> None:
    low = lowered(text)
    for name, pattern in casualties._patterns().items():
        if not casualties._may_match(name, low):
            assert pattern.search(low) is None, name
        elif name in casualties._OPENS_WITH_NEEDED:
            for m in pattern.finditer(low):
                assert m.group(0).startswith(casualties._NEEDED[name][0]), name


@settings(max_examples=400, deadline=None)
@given(texts)
def test_outage_pre_checks_never_hide_a_match(text: str) -> None:
    low = lowered(text)
    for pattern in outages._patterns():
        if not outages._may_match(pattern, low):
            assert pattern.search(low) is None


@settings(max_examples=400, deadline=None)
@given(texts)
def test_regions_of_and_teaser_pre_checks(text: str) -> None:
    assert places._regions_of(text) == bool(places._REGIONS_OF.search(text))
    if impacts._TEASER.match(text):
        assert text[:1] in impacts._TEASER_FIRST


def test_pre_checks_on_examples() -> None:
    assert impacts._not_target("people sheltered in the ", "people sheltered in the ", 0, 24)
    assert impacts._not_target("ſheltered in ", "ſheltered in ", 0, 13)  # long s: the pattern decides
    assert not impacts._not_target("a drone hit the ", "a drone hit the ", 0, 16)
    assert casualties._more_before("another  \n", 10) and not casualties._more_before("another", 7)
    assert impacts._launch_hint("launched FROM") and not impacts._launch_hint("hit the")


OUTAGE_EXAMPLES = [
    "5 customers losing power", "5 customers had no heat", "5 customers lost power", "5 homes have no gas",
    "5 homes no longer have water", "5 homes were cut off from water", "power was cut to 5 customers",
    "cutting power to 5 homes", "knocking out power to 5 homes", "knocked out power for 5 homes",
    "disrupting heat for 5 homes", "heating was interrupted for 5 homes", "power off to 5 homes",
    "de-energised 5 consumers", "deenergized 5 consumers", "outages affected 5 homes", "blackouts left 5 homes",
    "5 homes remained disconnected", "5 homes were in the dark", "5 homes were de-energized",
]
CASUALTY_EXAMPLES = [
    "5 people were killed", "5 people died", "5 people dead", "5 people wounded", "5 people hurt",
    "5 people lost their lives", "killing 5 people", "kills 5", "injuring 5", "injures 5", "wounds 5",
    "hurting 5", "the death toll rose to 5", "the number of injured rose to 5", "a man was killed",
    "a man was hurt", "killed a man", "claimed the lives of a man", "wounding his son", "a man died",
    "left a man dead", "left a man wounded", "a man, who was hit, later died", "a man who was trapped was killed",
]


def test_outage_pre_checks_on_every_verb() -> None:
    for text in OUTAGE_EXAMPLES:
        matched = [p for p in outages._patterns() if p.search(text)]
        assert matched, text
        assert all(outages._may_match(p, text) for p in matched), text


def test_casualty_pre_checks_on_every_verb() -> None:
    for text in CASUALTY_EXAMPLES:
        matched = [name for name, p in casualties._patterns().items() if p.search(text)]
        assert matched, text
        assert all(casualties._may_match(name, text) for name in matched), text
        for name in set(matched) & casualties._OPENS_WITH_NEEDED:
            m = casualties._patterns()[name].search(text)
            assert m.group(0).startswith(casualties._NEEDED[name][0]), (name, text)


def _classify_reference(low: str, spans: list[tuple[int, int]]) -> list[tuple[bool, ...]]:
    """classify_spans as first written (a set of group names per sentence), for comparison."""
    from bisect import bisect_right

    from toolkit.impact_rules import _REPORTED, kind_of, rules
    flags: list[set[str]] = [set() for _ in spans]
    starts = [start for start, _ in spans]
    for m in rules().kinds.finditer(low):
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < spans[i][1]:
            group = kind_of(m.group(0))
            if group == "strike" and _REPORTED.fullmatch(m.group(0)):
                flags[i].add("reported")
            if group == "hypothetical" and "reported" in flags[i]:
                continue
            if group == "background" and rules().superlative.search(low[max(spans[i][0], m.start() - 80):m.start()]):
                continue
            flags[i].add(group)
    return [("strike" in f, "air" in f, "ground" in f, "foreign" in f, "background" in f, "rollup" in f,
             "hypothetical" in f) for f in flags]


KIND_TOKENS = ["drones", "struck", "hit", "attacked", "a plant", "shelling", "artillery", "warned", "could be targeted",
               "its largest attack", "of the war", "since the invasion", "last year", "Israel", "51 attacks", "Kyiv",
               "missiles", "threatened", "killed", "the", ",", ". ", ". ", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(KIND_TOKENS), max_size=25).map(" ".join))
def test_classify_spans_matches_reference(text: str) -> None:
    from toolkit.impact_rules import classify_spans
    spans, at = [], 0
    for part in text.split(". "):
        spans.append((at, at + len(part)))
        at += len(part) + 2
    kinds = classify_spans(text, spans)
    got = [(k.strike, k.air, k.ground, k.foreign, k.background, k.rollup, k.hypothetical) for k in kinds]
    assert got == _classify_reference(lowered(text), spans)


BOUNDARY_TOKENS = KIND_TOKENS + ["in May", "May 2023", "2023", "in May 2", "hit-", "_", "-", "shot down", "shot", "down",
                                 "3 days ago", "12 attacks", "12", "İ", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(BOUNDARY_TOKENS), max_size=25).map(" ".join), st.integers(0, 60), st.integers(0, 60))
def test_triggers_of_the_article_scan_are_the_sentence_scan(text: str, cut_a: int, cut_b: int) -> None:
    """Where triggers_in reads a sentence's triggers from the article scan, they are what scanning
    the sentence alone finds, even when the cut falls inside a word or a phrase."""
    from toolkit.impact_rules import _classify, _trigger, rules, triggers_in
    low = lowered(text)
    start, end = sorted((min(cut_a, len(low)), min(cut_b, len(low))))
    _classify(low, [(0, len(low))])
    found = triggers_in(low, start, end)
    if found is not None:
        expected = [(m.start(), _trigger(m.group(0))[0]) for m in rules().kinds.finditer(low, start, end)]
        assert found == expected
    assert triggers_in(low + "", start, end) is None or low + "" is low  # another string: not read


def test_triggers_in_on_examples() -> None:
    from toolkit.impact_rules import _classify, _trigger, rules, triggers_in
    low = "drones hit kyiv in may 2023. strikes hit-and-run"
    _classify(low, [(0, len(low))])
    assert triggers_in(low, 0, low.index(" 2023")) is None  # "in may" then " 2023": not a date alone
    assert triggers_in(low, 0, low.index("-and")) is None  # "hit" then "-": not a whole word
    end = low.index(".") + 1
    expected = [(m.start(), _trigger(m.group(0))[0]) for m in rules().kinds.finditer(low, 0, end)]
    assert triggers_in(low, 0, end) == expected and len(expected) == 2  # "drones", "hit"


WORD_TOKENS = BOUNDARY_TOKENS + ["power plant", "a power plant", "apartment block", "(drones", "\"hit", "é", "éhit", "ü drones",
                                 "x", "\t", "\xa0", "’s", "'", "/", "3rd", "_hit", "drones_"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORD_TOKENS), max_size=20).map("".join) | st.lists(st.sampled_from(WORD_TOKENS),
       max_size=20).map(" ".join), st.integers(0, 50), st.integers(0, 50))
def test_word_start_matches_are_finditer(text: str, cut_a: int, cut_b: int) -> None:
    """The scan by the character before a word finds what finditer finds, from any offset to any."""
    from toolkit.impact_rules import _word_start_forms, rules, word_start_matches
    low = lowered(text)
    start, end = sorted((min(cut_a, len(low)), min(cut_b, len(low))))
    for pattern in (rules().kinds, impacts._targets_pattern()[0]):
        forms = _word_start_forms(pattern)
        assert forms is not None and forms.disjoint  # the one-pass scan runs
        expected = [(m.start(), m.end(), m.group()) for m in pattern.finditer(low, start, end)]
        assert [(a, b, low[a:b]) for a, b, _ in word_start_matches(pattern, low, start, end)] == expected
        assert [(a, b) for a, b, _ in word_start_matches(pattern, low)] == [m.span() for m in pattern.finditer(low)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80) | texts)
def test_capitalised_words_of_ascii_text(text: str) -> None:
    """On ASCII text the one-range class finds the capitalised words the full class finds."""
    if text.isascii():
        assert places._CAPITALISED_ASCII.findall(text) == places._CAPITALISED.findall(text)
