"""Second round of impacts speed work: each fast path agrees with the plain rule it stands for."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import impacts
from toolkit.impact_rules import _word_start_forms, lowered, rules, word_start_matches

# words of the trigger and target vocabularies, look-alikes and separators
TOKENS = ["power plant", "a power plant", "apartment block", "drones", "hit", "struck", "missile", "Kyiv",
          "the", "earlier", "2 days ago", "5 attacks", "shelling", "energy", "infrastructure", "Power Plant",
          "HIT", "é", "éhit", "ü", "x", "_", "-", "’s", "'", "(", "\"", "3rd", "_hit", "drones_", "İ", "ſ",
          "\u212a", ",", ".", " ", "  ", "\n", "\t", "\xa0"]
texts = st.lists(st.sampled_from(TOKENS), max_size=20).map("".join) | \
    st.lists(st.sampled_from(TOKENS), max_size=20).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(0, 60), st.integers(0, 60), st.booleans())
def test_word_start_matches_ascii_form_is_finditer(text: str, cut_a: int, cut_b: int, lower: bool) -> None:
    """On ASCII text (lower-cased or not) the scan without the look-behind finds what finditer finds."""
    low = lowered(text) if lower else text
    start, end = sorted((min(cut_a, len(low)), min(cut_b, len(low))))
    for pattern in (rules().kinds, impacts._targets_pattern()[0]):
        assert _word_start_forms(pattern) is not None
        expected = [(m.start(), m.end(), m.group()) for m in pattern.finditer(low, start, end)]
        assert [(a, b, low[a:b]) for a, b, _ in word_start_matches(pattern, low, start, end)] == expected


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


CAPITAL_TOKENS = ["the capital", "the Ukrainian capital", "Ukraine's capital", "Ukraine’s capital", "capital",
                  "capitals", "the", "Ukrainian", "Ukraine's", "outside", "Outside", "of", "of Ukraine", "Kyiv",
                  ",", " ", "x", "é", "theː", "-", "'s", ".", "\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(CAPITAL_TOKENS), max_size=16).map(" ".join)
       | st.lists(st.sampled_from(CAPITAL_TOKENS), max_size=16).map("".join))
def test_capital_matches_are_finditer(text: str) -> None:
    """The matches tried only where "capital" stands are finditer's."""
    assert [m.span() for m in impacts._capital_matches(text)] == \
        [m.span() for m in impacts._CAPITAL.finditer(text)]


OUTAGE_TOKENS = ["without", "WITHOUT", "blackout", "Blackouts", "outage", "outages", "de-energised", "deenergized",
                 "De-Energized", "disconnected", "power cut", "Power Cuts", "energise", "x", "_", "1", "é", "ſ",
                 "\u212a", "İ", "-", " ", ",", "."]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(OUTAGE_TOKENS), max_size=12).map(" ".join)
       | st.lists(st.sampled_from(OUTAGE_TOKENS), max_size=12).map("".join))
def test_outage_hint_is_the_pattern(text: str) -> None:
    """The pre-checked, lower-cased ASCII search says what the case-insensitive pattern says."""
    assert impacts._outage_hint(text) == bool(impacts._OUTAGE_HINT.search(text))


ROLE_TOKENS = ["Kyiv", "KYIV", "Moscow", "Odesa", "Kharkiv region", "Kursk", "Dnipro", "the", "from", "launched from",
               "drones", "hit", "struck", "in", "over", "near", "shelling", "without power", "not", "no missiles",
               "arrived in", "said", "and", ",", "(", "9 missiles (", "the capital", ".", " "]
KINDS = [impacts.SentenceKind(*flags) for flags in
         [(True, True, False, False, False), (True, False, True, False, False), (False, True, False, False, False),
          (False, False, False, True, False), (True, True, True, False, True, True, False)]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ROLE_TOKENS), max_size=16).map(" ".join), st.lists(st.sampled_from(KINDS), min_size=1,
       max_size=3))
def test_roles_memo_is_place_roles(text: str, kinds: list[impacts.SentenceKind]) -> None:
    """Roles read from the memo are place_roles' for every kind of the same sentence, in any order."""
    from toolkit.places import PlaceMention, place_spans
    mentions = [PlaceMention(*found) for found in place_spans(text)]
    for kind in kinds + kinds:
        assert impacts._roles(text, kind, mentions) == tuple(impacts.place_roles(text, kind, mentions))


def test_analyse_roles_are_place_roles_twice() -> None:
    """On the sample articles, roles of a first and a second (memo) pass are place_roles'."""
    from pathlib import Path

    from toolkit.ingest import read_articles
    from toolkit.text import split_sentences
    articles = list(read_articles(Path(__file__).resolve().parents[1] / "data" / "articles"))
    assert articles
    for _ in range(2):
        for article in articles:
            low = lowered(article.text)
            for item in impacts.analyse(split_sentences(article.text), article.text, low):
                if item.places:
                    assert item.roles == tuple(impacts.place_roles(item.sentence.text, item.kind, list(item.places)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("AKZzaé-_ 1Ł.\n’'Ć"), max_size=60) | texts)
def test_possessive_capitalised_is_greedy(text: str) -> None:
    """The possessive capitalised-word patterns find what the plain greedy ones find."""
    import re

    from toolkit import places
    assert places._CAPITALISED.findall(text) == re.findall(r"[A-ZĆŁŚŹŻČŠŽ]\w*(?:-\w+)*", text)
    assert places._CAPITALISED_ASCII.findall(text) == re.findall(r"[A-Z]\w*(?:-\w+)*", text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Kyiv", "Kursk", "Belgorod region", "Odesa", "Moscow", "drones hit", "and", ",", "."]),
                max_size=10).map(" ".join))
def test_russian_only_kept_is_the_rule(text: str) -> None:
    """russian_only, worked out once per item, is the rule's answer each time it is asked."""
    from toolkit.text import split_sentences
    for item in impacts.analyse(split_sentences(text), text, lowered(text)):
        expected = bool(item.places) and not item.ua_codes and any(p.place.country_code == "RU" for p in item.places)
        assert item.russian_only == expected and item.russian_only == expected
