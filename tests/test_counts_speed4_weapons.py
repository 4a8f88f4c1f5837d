"""Fast paths of the weapon-count reader, fifth round: each must answer exactly as the plain code."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import weapons

_PIECES = ["drones", "missiles", "Shahed", "Kh-101", "Geran-2", "cruise", "ballistic", "Russian-made", "Ukrainian",
           "air defence", "Air", "defense", "anti-aircraft", "Patriot", "interceptor", "launchers", "systems",
           "strikes", "and", "or", "of", "the", "types", "other", "attack", "decoy", "21", "9", " ", " ", " ", "  ",
           "\t", ",", ".", "\"", "'", "\u201c", "-", "/", "(", ")", "x", "\u017f", "\u212a", "\u00e9", "un"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=10).map("".join)


def _plain(text: str, pos: int, counted: bool) -> weapons.WeaponPhrase | None:
    """The phrase read on the whole text, its not-strike window scanned with the plain pattern."""
    pat = weapons._patterns()
    found = weapons._read_weapon_phrase(pat, text, pos, counted)
    if found is None:
        return None
    start, end = found[0], found[1]
    if pat["not_strike"].search(text[max(0, start - 20):end]):
        return None
    return weapons.WeaponPhrase(*found)


@settings(max_examples=1500, deadline=None)
@given(_TEXTS, _TEXTS, _TEXTS, st.booleans())
def test_phrase_remembered_by_its_suffix_is_the_plain_reading(before, other, suffix, counted):
    """Two texts that share what follows ``pos`` (a number's end) but not what precedes it: the
    second is answered from the memo the first filled, and must be what reading it afresh gives."""
    weapons._phrase_memo.clear()
    first = weapons.parse_weapon_phrase(other + suffix, len(other), counted)
    assert first == _plain(other + suffix, len(other), counted)
    key = (suffix, counted)
    assert key in weapons._phrase_memo
    second = weapons.parse_weapon_phrase(before + suffix, len(before), counted)
    assert second == _plain(before + suffix, len(before), counted)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.booleans())
def test_every_position_of_a_text_reads_as_the_plain_code(text, counted):
    weapons._phrase_memo.clear()
    for pos in range(len(text) + 2):
        assert weapons.parse_weapon_phrase(text, pos, counted) == _plain(text, pos, counted)
        assert weapons.parse_weapon_phrase(text, pos, counted) == _plain(text, pos, counted)  # from the memo


def test_phrase_memo_is_bounded_and_follows_the_patterns(monkeypatch):
    monkeypatch.setattr(weapons, "_PHRASE_MEMO_LIMIT", 3)
    weapons._phrase_memo.clear()
    for n in range(10):
        text = f"Russia launched {n} Shahed drones and {n} missiles"
        assert weapons.parse_weapon_phrase(text, len(f"Russia launched {n}")) == \
            _plain(text, len(f"Russia launched {n}"), True)
        assert len(weapons._phrase_memo) <= 3
    monkeypatch.setattr(weapons, "_phrase_memo_of", None)  # as after the patterns are built again
    weapons.parse_weapon_phrase("5 drones", 1)
    assert list(weapons._phrase_memo) == [(" drones", True)]
    # a negative position is no suffix: read as it is, not remembered
    assert weapons.parse_weapon_phrase(" drones", -1) == _plain(" drones", -1, True)
    assert len(weapons._phrase_memo) == 1
