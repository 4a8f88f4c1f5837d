"""Fast paths of the weapon-count reader, third round: each must answer exactly as the plain code."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import weapons
from toolkit.count_rules import compiled
from toolkit.count_state import ArticleState
from toolkit.counts import covering_words

_WORD_PIECES = ["missiles", "drones", "shahed", "air", "geran-2", "kh-101", "x"]
_PUNCT = ["", ",", ".", ";", ")", "\"", "'", "\u201d", ".)", ",\"", "!", ":", "-", "(", "s"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORD_PIECES), st.sampled_from(_PUNCT)).map("".join), max_size=12),
       st.lists(st.sampled_from(_WORD_PIECES + _PUNCT + [" ", "  "]), max_size=12).map("".join))
def test_covering_words_find_a_word_exactly_when_all_words_do(words, text):
    words = tuple(dict.fromkeys(words))
    kept = covering_words(words)
    assert set(kept) <= set(words)
    assert any(w in text for w in kept) == any(w in text for w in words)
    for w in words:  # every word dropped holds a kept one
        assert w in kept or any(k in w for k in kept)


def test_covering_words_drop_punctuated_copies():
    assert covering_words(("missiles", "missiles,", "drones.", "shahed)")) == ("missiles", "drones.", "shahed)")
    assert covering_words(("missiles,", "missiles;", "missiles")) == ("missiles",)


def test_one_head_alone_is_classified_as_the_full_rules_say():
    """The one-head fast path of parse_weapon_phrase: the class, model, side and genericity the
    general code gives for a phrase with one head and no class word or model."""
    classes = {weapons._head_class(h) for hs in weapons.rules()["heads"].values() for h in hs}
    for head in classes:
        heads: list[str] = [head]
        fast_class = head if head in weapons._SINGLE_HEAD else weapons._classify(heads, [], [])
        assert fast_class == weapons._classify(heads, [], [])
        assert (head == "missile" or head == "guided_bomb") == (
            bool(heads) and heads[0] in ("missile", "guided_bomb"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Russia's", "Defence", "ministry", "MINISTRY", "Mod", " mod", "MoD", "said",
                                 "the", "Ukraine's", "of", "defense", "minist", "x", "\u0130", ","]),
                max_size=10).map(" ".join), st.booleans())
def test_ministry_guard_in_extract_counts_skips_only_no_ops(sentence, before):
    """extract_counts calls note_ministry only when "minist" or " mod" is in the lower-cased sentence:
    without them the call changes nothing."""
    lower = sentence.lower()
    state = ArticleState([], lambda: "russia")
    state.russian_ministry = before
    state.note_ministry(sentence, lower, compiled())
    if not ("minist" in lower or " mod" in lower):
        assert state.russian_ministry == before


def _single_missile_class_reference(count, state, items):
    """The plain rule (before the running summary of the counted missiles)."""
    from toolkit.count_items import _MISSILES

    earlier = [i for i in state.counted if i.event and i.weapon_class in _MISSILES]
    current = [i for i in items if i.weapon_class in _MISSILES]
    counted = earlier + current
    launched = [i for i in earlier if i.event == "launched"] + current
    classes = {i.weapon_class for i in counted}
    if not launched or len(classes) != 1 or "missile" in classes or count > max(i.count for i in launched):
        return None
    return classes.pop()


_MISSILE_TEXTS = [
    "Russia launched 3 ballistic missiles and 20 drones overnight. Air defence shot down 2 missiles and 15 drones.",
    "Russia fired 12 cruise missiles at Kyiv. 10 missiles were shot down. Later 4 Iskander-M were launched; "
    "air defence destroyed 5 missiles.",
    "Overnight 7 Kalibr cruise missiles and 2 Kinzhal were fired. Of them, 6 missiles were intercepted. "
    "A second wave of 30 missiles followed; 31 missiles were downed.",
    "Air defence shot down 8 missiles. Russia launched 9 Kh-101 cruise missiles and 3 missiles of other types.",
]


def test_single_missile_class_summary_is_the_plain_rule(monkeypatch):
    """Every call made while reading articles answers as the plain rule on the same state."""
    from pathlib import Path

    from toolkit import count_items, counts
    from toolkit.ingest import article_from_text, read_articles
    from toolkit.text import split_sentences

    plain_calls = []
    fast = count_items._single_missile_class

    def both(count, state, items):
        got = fast(count, state, items)
        want = _single_missile_class_reference(count, state, items)
        plain_calls.append(got)
        assert got == want
        return got

    monkeypatch.setattr(count_items, "_single_missile_class", both)
    root = Path(__file__).resolve().parent.parent / "build" / "bench" / "throughput-500-5000-7"
    articles = [article_from_text(t) for t in _MISSILE_TEXTS]
    if root.is_dir():
        articles += list(read_articles(root))[:120]
    for article in articles:
        counts.extract_counts(article, split_sentences(article.text))
    assert len(plain_calls) > 5 and any(c is not None for c in plain_calls)


_CUE_PIECES = ["drones", "launched", "attacked", "fired", "enemy", "shahed", "shaheds", "over", "of", "russia",
               "russian", "russia's", "ukraine", "ukrainian", "ukraine's", "kyiv", "moscow", "-", "pro-", "air",
               "force", "forces", "said", "the", "x", "\u0130", "anti-russian", ",", ".", "  ", "\n", "'"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES), max_size=14).map(" ".join))
def test_lead_cues_counted_from_the_character_before_a_word(text):
    """_default_attacker counts the side cues of the lead with the after-gap patterns: as many as the plain."""
    rules = compiled()
    lower = text.lower()
    assert rules.ukraine_cue_after_gap is not None and rules.russia_cue_after_gap is not None
    assert len(rules.ukraine_cue_after_gap.findall(" " + lower)) == len(rules.ukraine_cue.findall(lower))
    assert len(rules.russia_cue_after_gap.findall(" " + lower)) == len(rules.russia_cue.findall(lower))


def test_rows_of_an_item_also_launched_are_two_separate_rows():
    from toolkit.count_items import Item
    from toolkit.counts import _rows
    from toolkit.text import Sentence

    sentence = Sentence("All of them were shot down.", 10, 37, 0)
    state = ArticleState([sentence], lambda: "russia")
    item = Item(40, 0, 0, 11, "drone", None, None, None, event="intercepted", also_launched=True)
    rows = _rows(item, sentence, False, "attack", None, state, compiled())
    assert [r["event"] for r in rows] == ["intercepted", "launched"]
    assert rows[0] is not rows[1] and list(rows[0]) == list(rows[1])
    assert {k: v for k, v in rows[0].items() if k != "event"} == {k: v for k, v in rows[1].items() if k != "event"}
    item.also_launched = False
    assert [r["event"] for r in _rows(item, sentence, False, "attack", None, state, compiled())] == ["intercepted"]


_GAP_PIECES = ["Shahed", "SHAHEDS", "Geran-2", "drones", "UAVs", "cruise", "Missiles", "Kh-101", "Kinzhal's",
               "Iskander-M", "Shahed-type", "x", "-", "and", "(", ")", "  ", "\n", "air", "bombs", "KAB", "anti-drone",
               "drone-", "_drones", "9drones", "drones_", "'", ".", ",", "/", "guided aerial bombs", "missile"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_GAP_PIECES), max_size=12).map(lambda parts: "".join(
    p + (" " if i % 3 else "") for i, p in enumerate(parts))))
def test_mention_scan_from_the_character_before_a_word(text):
    """The after-gap mention pattern finds the same words at the same places as the plain one."""
    gap = weapons._mention_gap_re()
    assert gap is not None
    lower = text.lower()
    plain = [(m.start(), m.lastgroup, m.end()) for m in weapons._mention_lower_re().finditer(lower)]
    fast = [(m.start(), m.lastgroup, m.end() - 1) for m in gap.finditer(" " + lower)]
    assert fast == plain


def test_every_space_character_is_below_u3001():
    import sys

    assert not [i for i in range(0x3001, sys.maxunicode + 1) if chr(i).isspace()]
    assert all(c in weapons._NOT_WORD_START for c in ("", " ", "\u3000", "\u00a0", "\n", "\"", "\u201c"))


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from([" ", "  ", "\n", "\u00a0", "\u3000", "\"", "'", "\u201c", "\u2019", "x", "drones",
                                 "-", ".", "Shahed", "(", ""]), max_size=8).map("".join),
       st.integers(min_value=0, max_value=40))
def test_one_space_before_a_word_is_the_whole_gap(text, pos):
    """parse_weapon_phrase takes one space as the gap's match when a word-like character follows."""
    pos = pos % (len(text) + 1)
    gap = weapons._patterns()["space"].match(text, pos)
    if text[pos:pos + 1] == " " and text[pos + 1:pos + 2] not in weapons._NOT_WORD_START:
        assert gap is not None and gap.end() == pos + 1


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from([" ", "  ", "\n", "of", "OF", "Of", "out", "launches", "Launchings", "LAUNCHES",
                                 "the", "these", "them", "drones", "x", "\u017f", "\u212a", ",", "o", "l", "L",
                                 "\u0130", "\u0131"]), max_size=8).map("".join),
       st.integers(min_value=0, max_value=40))
def test_other_word_after_a_number_is_neither_of_nor_launches(text, end):
    """_read_phrase and _of_total skip _OF and _LAUNCHES_OF when one space and another ASCII letter follow."""
    from toolkit.count_items import _LAUNCHES_OF, _NOT_OF_OR_LAUNCHES, _OF

    end = end % (len(text) + 1)
    if text[end:end + 1] == " " and text[end + 1:end + 2] in _NOT_OF_OR_LAUNCHES:
        assert _OF.match(text, end) is None and _LAUNCHES_OF.match(text, end) is None
    assert "o" not in _NOT_OF_OR_LAUNCHES and "L" not in _NOT_OF_OR_LAUNCHES and len(_NOT_OF_OR_LAUNCHES) == 48
