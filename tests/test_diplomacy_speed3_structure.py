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


def _near_variants(key: str) -> list[str]:
    """Spellings near a name: letters dropped, doubled, swapped, replaced; words dropped or joined."""
    out = [key, key.replace(" ", ""), key.split()[-1], " ".join(key.split()[:2])]
    for i in range(0, len(key), 2):
        out += [key[:i] + key[i + 1:], key[:i] + key[i] + key[i:], key[:i] + "z" + key[i + 1:]]
        if i + 1 < len(key):
            out.append(key[:i] + key[i + 1] + key[i] + key[i + 2:])
    return out


def _plain_fuzzy_full_name(key: str) -> people.Person | None:
    fuzzy = people._rapidfuzz()
    keys, persons = people._translit_full()
    target = people._translit(key)
    hit = fuzzy.extract_one(target, keys, scorer=fuzzy.ratio, score_cutoff=people.FUZZY_NAME_CUTOFF)
    if hit is None:
        return None
    matched, words = hit[0].split(), target.split()
    if len(matched) != len(words) or fuzzy.ratio(matched[-1], words[-1]) < people.FUZZY_SURNAME_CUTOFF:
        return None
    return persons[hit[2]]


def test_may_reach_keeps_every_name_that_reaches_the_cut_off() -> None:
    fuzzy = people._rapidfuzz()
    keys = people._translit_full()[0]
    tried = {v for key in keys[::3] for v in _near_variants(key)}
    tried |= {"tank brigade", "academits drama theatre", "a", "", "x" * 40 + " y", "anna anna", "ø ø"}
    kept_total = 0
    for target in sorted(tried):
        kept = people._may_reach(target)
        assert kept == sorted(kept)
        reached = [j for j, key in enumerate(keys) if fuzzy.ratio(target, key) >= people.FUZZY_NAME_CUTOFF]
        assert set(reached) <= set(kept), target
        kept_total += len(kept)
    assert kept_total < len(tried) * len(keys) / 5  # (and it leaves most names out)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["vladimir", "volodymyr", "zelensky", "zelenski", "sergei", "lavrov", "lawrow",
                                 "oleh", "synehubov", "dmitri", "patrushev", "andrii", "kostin", "anna", "x",
                                 "ov", "tsch", "the", "of", "łukasz"]), min_size=1, max_size=3),
       st.text(alphabet="aeiouyzcshnlkvw", max_size=3))
def test_fuzzy_full_name_is_the_plain_scan(words: list[str], noise: str) -> None:
    key = " ".join(words) + noise
    assert people.fuzzy_full_name.__wrapped__(key) == _plain_fuzzy_full_name(key)


def test_fuzzy_full_name_is_the_plain_scan_near_listed_names() -> None:
    names = sorted(people.gazetteer().full)
    tried = {v for name in names[::4] for v in _near_variants(name)[::2]}
    tried |= {"a b", "wasyl zarycz", "oleh synahubow", "x" * 40 + " y"}  # machine-translated spellings, odd keys
    for key in sorted(tried):
        assert people.fuzzy_full_name.__wrapped__(key) == _plain_fuzzy_full_name(key), key


def _plain_fuzzy_surname(folded: str) -> people.Person | None:
    g = people.gazetteer()
    if not folded.isalpha() or len(folded) < 5:
        return None
    if len(folded) < 7:
        hits = {g.short[k] for k in g.fuzzy_pool.get(folded[0], ())
                if len(k) == len(folded) + 1 and k.startswith(folded) and k[-1] == k[-2]}
    else:
        hits = {g.short[k] for k in g.fuzzy_pool.get(folded[0], ()) if people._osa_close(folded, k)}
    return hits.pop() if len(hits) == 1 else None


def _one_edit(word: str) -> list[str]:
    out = [word]
    for i in range(len(word) + 1):
        out += [word[:i] + word[i + 1:], word[:i] + "e" + word[i:], word[:i] + "q" + word[i + 1:]]
        if i + 1 < len(word):
            out.append(word[:i] + word[i + 1] + word[i] + word[i + 2:])
    return out


def test_fuzzy_surname_near_listed_keys_is_the_plain_scan() -> None:
    g = people.gazetteer()
    keys = [k for keys in g.fuzzy_pool.values() for k in keys]
    words = {w for key in keys for w in _one_edit(key)} | {w for key in keys[::5] for e in _one_edit(key)[::7]
                                                             for w in _one_edit(e)[::3]}
    words |= {key[:n] for key in g.short for n in (5, 6)}  # the short forms: a dropped doubled last letter
    for word in sorted(words):
        assert people.fuzzy_surname.__wrapped__(word) == _plain_fuzzy_surname(word), word


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aeiknorstvyzhl", min_size=5, max_size=12))
def test_fuzzy_surname_is_the_plain_scan(word: str) -> None:
    assert people.fuzzy_surname.__wrapped__(word) == _plain_fuzzy_surname(word)
