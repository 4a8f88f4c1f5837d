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
