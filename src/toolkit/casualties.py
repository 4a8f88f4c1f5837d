"""Casualties of air strikes: people killed and injured, with count, qualifier and children.

Phrasings: "at least five people were killed and 18 injured", "killing three",
"left 10 people dead", "the death toll rose to 7", "a 74-year-old woman was
injured" (1), "a father and his son were killed" (2), "17 people were injured,
among them two children". Figures for the same kind and oblast are one fact
told again (the larger, updated one wins); figures for different oblasts add up;
a figure with no place stands when it is at least the regional sum.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .impact_rules import (SentenceKind, lower_fragment, lowered, prepare_word_starts, rules,
                           word_start_matches)
from .records import Article
from .text import NUMBER_PATTERN, Sentence, parse_number

QUALIFIERS = {
    "at least": "at_least", "more than": "at_least", "over": "at_least", "no fewer than": "at_least",
    "upwards of": "at_least", "about": "about", "around": "about", "nearly": "about", "almost": "about",
    "some": "about", "approximately": "about", "roughly": "about", "up to": "up_to", "as many as": "up_to",
}
#: More victims than any single air attack has caused: such a figure is a war total, not an attack's.
MAX_ATTACK_CASUALTIES = 1_000
_QUAL = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
_KILLED = {"killed", "died", "dead", "kill", "kills", "killing", "lost their lives", "death toll", "fatally",
           "claimed the lives of"}
_AUX = (r"(?:were|was|have|has|had|been|being|are|is|also|so|far|reportedly|later|all|both|subsequently|"
        r"seriously|severely|slightly|critically|lightly|fatally|confirmed|now|then|known|reported|to)")


@lru_cache(maxsize=256)
def _kind(word: str) -> str:
    word = word.lower()
    if word.startswith("number of"):
        return "injured" if re.search(r"injur|wound", word) else "killed"
    return "killed" if word in _KILLED else "injured"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """The casualty patterns, with their word-start forms made now (see word_start_matches): compiled
    once per process, before the first sentence rather than at the first one that needs one."""
    found = _plain_patterns()
    for pattern in found.values():
        prepare_word_starts(pattern)
    return found


def _plain_patterns() -> dict[str, re.Pattern[str]]:
    nouns = lower_fragment(rules().person_nouns)
    num = rf"(?<!\bno )(?P<n>(?:{NUMBER_PATTERN})(?<!\band))"  # "one and wounding six": the number is "one"
    qual = rf"(?:(?P<q>{_QUAL})\s+)?"
    noun = rf"(?P<noun>(?:[\w'-]+\s+){{0,2}}?(?:{nouns}))"
    # a list of people: "a man", "a father and his son", "two women and a child"
    person = rf"(?:[\w'-]+\s+){{0,2}}?(?:{nouns})"
    people = (rf"(?:(?:a|an)\s+(?!(?:further|total|number|few|couple|dozen|group|family)\b)|(?:one|two|three|four|five|six|"
              rf"\d+)\s+){person}"
              rf"(?:\s*(?:,|,?\s*and)\s+(?:a|an|one|his|her|their|two|three|four|five|six)\s+{person})*")
    return {
        # "at least five people were killed", "18 injured", "10 people dead"
        "subject": re.compile(
            rf"\b{qual}{num}\s+(?:(?:more|other|further|additional)\s+)?(?:{noun}\s*)?"
            rf"(?:,[^,.;]{{0,60}},\s*)?(?P<aux>(?:{_AUX}\s+){{0,4}})"
            r"(?P<kind>killed|died|dead|wounded|injured|hurt|lost their lives)\b"),
        # "killing at least three people", "wounded 134", "hurting 12 people"
        "verb": re.compile(
            r"\b(?P<kind>killing|killed|kills|injuring|injured|injures|wounding|wounded|wounds|hurting|hurt)\s+"
            rf"{qual}{num}(?:\s+{noun})?(?!\s*(?:[-‑]|year|month|week|day|hour|minute|km|kilomet|per|%))"),
        # "the death toll rose to 7"
        "toll": re.compile(
            r"\b(?P<kind>death toll|number of (?:the )?(?:dead|deaths|killed|fatalities|injured|wounded|injuries)"
            r"(?: people)?)(?:\s+[\w-]+){0,5}?\s+(?:has\s+|had\s+)?(?:rose|risen|climbed|increased|reached|jumped|grew|"
            rf"stands at|stood at|is|was|of|to)\s+(?:to\s+)?{qual}{num}\b"),
        # "a 74-year-old woman was injured", "a father and his son were killed"
        "list": re.compile(
            rf"\b(?P<list>{people})\s+(?P<aux>(?:(?:was|were|has|have|had|been|is|are|also|reportedly)\s+){{1,3}})"
            r"(?P<kind>killed|injured|wounded|hurt)\b"),
        # "the strike killed a 12-year-old boy", "left a woman dead"
        "verb_list": re.compile(
            rf"\b(?P<kind>killing|killed|kills|injuring|injured|injures|wounding|wounded|wounds|claimed the lives of)"
            rf"\s+(?P<list>{people}|(?:his|her|their)\s+{person})\b"),
        # "a woman, 68, died in hospital", "a man later died"
        "died_list": re.compile(
            rf"\b(?P<list>{people})(?:,\s*(?:aged\s+)?\d+,)?\s+(?:(?:later|also|subsequently|then)\s+)?"
            r"(?P<kind>died)\b"),
        "left_list": re.compile(rf"\bleft\s+(?P<list>{people})\s+(?P<kind>dead|injured|wounded)\b"),
        # "one man who was caught in the blast later died in hospital"
        "who_list": re.compile(
            rf"\b(?P<list>{people}),?\s+who\s+[^.;]{{0,80}}?\b(?:(?:later|subsequently|also|then)\s+)?"
            r"(?P<kind>died|was killed|were killed)\b"),
    }


# Per pattern of _patterns: word groups that every match holds one word of (a pre-check by ``str.find``).
_NEEDED: dict[str, tuple[tuple[str, ...], ...]] = {
    "subject": (("killed", "died", "dead", "wounded", "injured", "hurt", "lost their lives"),),
    "verb": (("kill", "injur", "wound", "hurt"),),
    "toll": (("death toll", "number of"),),
    "list": (("killed", "injured", "wounded", "hurt"),),
    "verb_list": (("kill", "injur", "wound", "claimed the lives of"),),
    "died_list": (("died",),),
    "left_list": (("left",),),
    "who_list": (("who",), ("died", "killed")),
}


#: Patterns whose every match opens with a word of their (first) _NEEDED group.
_OPENS_WITH_NEEDED = frozenset({"verb", "toll", "verb_list", "left_list"})
_NEEDED_WORDS = tuple(dict.fromkeys(word for groups in _NEEDED.values() for group in groups for word in group))


def _words_in(text: str) -> frozenset[str]:
    """The words of _NEEDED that occur in ``text``."""
    return frozenset(filter(text.__contains__, _NEEDED_WORDS))


def _may_match(name: str, text: str, words: frozenset[str] | None = None) -> bool:
    """False when pattern ``name`` cannot match ``text``: a word group of _NEEDED is missing
    (``words``: :func:`_words_in` of ``text``, when known)."""
    words = _words_in(text) if words is None else words
    return all(not words.isdisjoint(group) for group in _NEEDED[name])


@lru_cache(maxsize=1024)
def _may_match_all(words: frozenset[str]) -> tuple[str, ...]:
    """The patterns (in :func:`_patterns` order) that may match a text holding ``words`` of _NEEDED."""
    return tuple(name for name in _patterns() if _may_match(name, "", words))


_CHILDREN = re.compile(
    rf"\s*,?\s*(?:including|among them|among whom|of whom|among the (?:injured|wounded|dead|victims))\s+"
    rf"(?P<n>{NUMBER_PATTERN}|a|an|one)\s+(?:children|child|minors?|kids?|teenagers?|boys?|girls?)")
_ALTERNATIVE = re.compile(r"\s*(?:or|to|-|–)\s*\d")  # "70 or 80,000": a guess, not a count
TRIGGER_WORDS = ("kill", "dead", "died", "injur", "wound", "hurt", "death", "lives")
TRIGGER = re.compile("|".join(TRIGGER_WORDS))  # a cheap pre-check
_LIST_ITEM = re.compile(r"(?:^|,|\band\b)\s*(a|an|one|his|her|their|two|three|four|five|six|\d+)\b"
                        r"(?:\s+(two|three|four|five|six|seven|eight|nine|\d+)\b(?![-\u2011]))?")  # not an age
# "two more people", "another three", "a further five": victims besides those counted before
_MORE_AFTER = re.compile(r"\s+(?:more|further|additional|other)\b")
_MORE_BEFORE = re.compile(r"\b(?:another|a further|an additional)\s+$")
_MORE_BEFORE_LONGEST = len("an additional")
_CHILD_NOUN = re.compile(r"\b(?:children|child|kids?)\b")
_AND_GAP = re.compile(r"\s*(?:,\s*)?and\s+")


def find_casualties(text: str) -> list[dict[str, Any]]:
    """Casualty figures stated in one sentence: kind, count, qualifier, children_count.

    >>> [(c["casualty_kind"], c["count"]) for c in find_casualties("Two people were killed and 11 injured.")]
    [('killed', 2), ('injured', 11)]
    """
    text = lowered(text)
    if not TRIGGER.search(text):
        return []
    military = rules().military_nouns
    words = _words_in(text)
    found: list[tuple[int, int, str, re.Match[str], int, str]] = []
    patterns = _patterns()
    for name in _may_match_all(words):  # the others miss their verb (or noun)
        pattern = patterns[name]
        is_list = name.endswith("list")
        # a pattern opening with its needed word cannot match before the first of them
        start = min(text.find(w) for w in _NEEDED[name][0] if w in words) if name in _OPENS_WITH_NEEDED else 0
        # finditer's matches, found from word starts (see word_start_matches)
        for m_start, m_end, m in word_start_matches(pattern, text, start):
            count: int | None
            if is_list:
                # "a woman and her two children": 1 + 2
                count = sum((parse_number(n) if n and w in ("his", "her", "their") else None)
                            or parse_number(w) or 1 for w, n in _LIST_ITEM.findall(m.group("list")))
                qualifier = "exact"
            else:
                count = parse_number(m.group("n"))
                qualifier = QUALIFIERS.get((m.group("q") or "").lower(), "exact")
            noun = m.groupdict().get("noun") or ""
            if count is None or not 0 < count <= MAX_ATTACK_CASUALTIES \
                    or _ALTERNATIVE.match(text, m_end if is_list else m.end("n")) \
                    or (noun and military.search(noun)) \
                    or military.search(text[m_end:m_end + 25]) \
                    or (not noun and military.search(text[max(0, m_start - 100):m_start])):
                continue
            found.append((m_start, m_end, name, m, count, qualifier))
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple[int, int, str, re.Match[str], int, str]] = []
    for start, end, name, m, count, qualifier in found:
        if kept and start < kept[-1][1]:
            continue
        # "at least five people were killed and 18 injured": the elided verb shares the qualifier
        if kept and qualifier == "exact" and name == "subject" and _AND_GAP.fullmatch(text, kept[-1][1], start) \
                and not m.group("aux").strip():
            qualifier = kept[-1][5]
        kept.append((start, end, name, m, count, qualifier))
    # "one killed and four more injured": only the first figure may count victims besides earlier ones
    return [_fact(text, name, m, end, count, qualifier, first=not i)
            for i, (_, end, name, m, count, qualifier) in enumerate(kept)]


def _fact(text: str, name: str, m: re.Match[str], end: int, count: int, qualifier: str,
          first: bool) -> dict[str, Any]:
    """The casualty fact of a kept match ``m`` of pattern ``name`` (ending at ``end``)."""
    noun = m.groupdict().get("noun") or ""
    children = count if noun and _CHILD_NOUN.search(noun) else None
    tail = _CHILDREN.match(text, end)
    if tail:
        children = parse_number(tail.group("n")) or 1
    kind = "killed" if m.group("kind") in ("was killed", "were killed") else _kind(m.group("kind"))
    more = first and not name.endswith("list") and (bool(_MORE_AFTER.match(text, m.end("n")))
                                                    or _more_before(text, m.start("n")))
    return {"casualty_kind": kind, "count": count, "qualifier": qualifier, "children_count": children,
            "besides_earlier": more}


def _more_before(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends with "another", "a further"... and whitespace (_MORE_BEFORE, searched
    only over the last words)."""
    start = end
    while start and text[start - 1].isspace():
        start -= 1
    return start < end and bool(_MORE_BEFORE.search(text, max(0, start - _MORE_BEFORE_LONGEST), end))


def casualty_rows(sentences: list[tuple[Sentence, SentenceKind, str | None]],
                  article: Article) -> list[dict[str, Any]]:
    """Casualty rows of the air attack(s) reported: (sentence, kind, oblast) triples in scope."""
    rows = []
    for sentence, kind, oblast in sentences:
        if kind.background or kind.foreign or ((kind.ground or kind.rollup) and not kind.air):
            continue
        for fact in find_casualties(sentence.text):
            rows.append({**fact, "oblast_code": oblast, "evidence": article.text[sentence.start:sentence.end],
                         "start_char": sentence.start, "end_char": sentence.end})
    return rows


def casualty_facts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract's casualties: per kind, the largest figure per oblast, summed over oblasts;
    a figure with no oblast wins when it is at least that sum."""
    facts = []
    for kind in ("killed", "injured"):
        best: dict[Any, dict[str, Any]] = {}
        seen_sentences: set[int] = set()
        for n, row in enumerate(rows):
            if row["casualty_kind"] != kind:
                continue
            if row.get("besides_earlier") and seen_sentences - {row.get("start_char")}:
                best[("more", n)] = row  # "Two more people were hurt in the region": other victims
                continue
            seen_sentences.add(row.get("start_char", -1))
            key = row.get("oblast_code")
            if key not in best or row["count"] > best[key]["count"]:
                best[key] = row
        if not best:
            continue
        extra = sum(row["count"] for key, row in best.items() if isinstance(key, tuple))
        regional = [row for key, row in best.items() if key is not None and not isinstance(key, tuple)]
        total = sum(row["count"] for row in regional)
        unplaced = best.get(None)
        if unplaced is not None and unplaced["count"] >= total:
            facts.append({"kind": kind, "count": unplaced["count"] + extra, "qualifier": unplaced["qualifier"]})
        elif not regional:
            facts.append({"kind": kind, "count": extra, "qualifier": "exact"})
        else:
            qualifiers = {row["qualifier"] for row in regional}
            qualifier = regional[0]["qualifier"] if len(regional) == 1 else (
                "at_least" if "at_least" in qualifiers else "exact")
            facts.append({"kind": kind, "count": total + extra, "qualifier": qualifier})
    return facts
