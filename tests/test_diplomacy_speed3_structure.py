"""Speed structure of people matching (round 3): each fast form gives what the plain rule gives."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import people

LETTERS = "abcdehiklnorstvwyzjpłc"


def _plain_translit(key: str) -> str:
    for a, b in people._TRANSLIT:
        key = key.replace(a, b)
    return re.sub(r"ov\b", "ov", re.sub(r"c\b", "ts", key))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=LETTERS + " -'", max_size=24))
def test_translit_is_the_plain_rule(key: str) -> None:
    assert people._translit.__wrapped__(key) == _plain_translit(key)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcdeoz", min_size=5, max_size=9), st.text(alphabet="abcdeoz", min_size=5, max_size=9))
def test_osa_with_cutoff_is_osa_close(a: str, b: str) -> None:
    if abs(len(a) - len(b)) <= 1:  # (fuzzy_surname scores only keys within one letter of the word's length)
        assert (people._rapidfuzz().osa(a, b, score_cutoff=1) <= 1) == people._osa_close(a, b)


def test_fuzzy_surname_finds_typos_of_listed_surnames() -> None:
    g = people.gazetteer()
    keys = [k for keys in g.fuzzy_pool.values() for k in keys]
    found = 0
    for key in keys:
        typo = key[:2] + key[3] + key[2] + key[4:]  # (neighbours swapped)
        hit = people.fuzzy_surname.__wrapped__(typo)
        if hit is not None:
            found += 1
            assert people._osa_close(typo, people._surname_key(hit.name)) or any(
                people._osa_close(typo, k) and g.short[k] == hit for k in keys)
    assert found > len(keys) // 2
