"""Reading one sentence's counted numbers: the weapon each counts, its event, qualifier and side.

:func:`sentence_items` turns the numbers of a sentence into :class:`Item` records, using
:mod:`toolkit.weapons` for the counted phrase and the compiled rules of
:mod:`toolkit.count_rules` for verbs and qualifiers; :class:`toolkit.count_state.ArticleState`
carries what earlier sentences established (antecedents, list headers, the last ministry named).
:mod:`toolkit.counts` turns the items into rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .count_events import assign_events, attacker_of, immediate_trigger, low_tail, tail, tail_search
from .count_rules import CountRules, normalise, compiled
from .text import Sentence, find_numbers
from .weapons import WeaponPhrase, parse_weapon_phrase

if TYPE_CHECKING:
    from .count_state import ArticleState

_MISSILES = {"cruise_missile", "ballistic_missile", "missile"}
# Each pattern named *_BEFORE (and _AMONG, _ALL_BUT) is read on the 40 characters before a number and
# ends with one of the words of its *_ENDS, then spaces: :func:`tail_search` skips the regex when
# the tail does not end so (a cheap test; the answer is the same).
_OF = re.compile(r"\s+(?:out\s+)?of\s+(?P<det>the\s+|these\s+|those\s+)?", re.IGNORECASE)
#: ASCII letters that begin neither "of"/"out" (``_OF``) nor "launches" (``_LAUNCHES_OF``), case ignored
_NOT_OF_OR_LAUNCHES = frozenset("abcdefghijkmnpqrstuvwxyzABCDEFGHIJKMNPQRSTUVWXYZ")
_NOUNISH = {"attack", "hit", "hits", "attacking", "flying", "heading", "intercept"}
_DEBRIS_BEFORE_ENDS = ("from", "of", "the")
_DEBRIS_BEFORE = re.compile(r"\b(?:debris|fragments|wreckage|remains|parts)\s+(?:from|of)\s+(?:the\s+)?$",
                            re.IGNORECASE)
_COPULA = re.compile(r"\s+(?:were|was|are)\s", re.IGNORECASE)
_LAUNCHES_OF = re.compile(r"\s+(?:launches|launchings)\b(?P<of>\s+of(?=\s))?", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\s*(?:[.,;:)]|$)")
_OF_PRONOUN = re.compile(r"(?P<w>them|which|these|those)\b", re.IGNORECASE)
_PRONOUN_BEFORE_ENDS = ("which", "them", "these", "those")
_PRONOUN_BEFORE = re.compile(r"\bof\s+(?:which|them|these|those)\s+$", re.IGNORECASE)
_OTHERS = re.compile(r"\s+(?:others|more|other)\b(?!\s+(?:than|people|civilians|residents))", re.IGNORECASE)
_LIST_BEFORE_ENDS = (",", "and", "including", "them")
_LIST_BEFORE = re.compile(r"(?:,|\band|\bincluding|\bamong\s+them)\s+$", re.IGNORECASE)
_LIST_AFTER = re.compile(r"\s+(?:over|above|near|across|in)\s+(?:the\s+)?[A-Z]")
_REDUCED = re.compile(r"\s+(?:launched|fired)\b", re.IGNORECASE)
_ALL_BEFORE_ENDS = ("all", "the")
_ALL_BEFORE = re.compile(r"\ball\s+(?:the\s+|of\s+the\s+)?$", re.IGNORECASE)
_THE_BEFORE_ENDS = ("the", "these", "those")
_THE_BEFORE = re.compile(r"\b(?:the|of\s+the|these|those)\s+$", re.IGNORECASE)
_BAD_AFTER = re.compile(r"^(?:[A-Za-z\u0400-\u04ff]|%|\s?(?:per\s?cent|percent)\b|-[A-Za-z]|:\d|\.\d|/\d)")
_BAD_BEFORE = re.compile(r"(?:[A-Za-z\u0400-\u04ff]-|[A-Za-z]|[/:#№]|\bNo\.\s|\d-)$")
_CASUALTY_BEFORE = re.compile(r"\b(?:kill|injur|wound|hurt|maim|dead|die)\w*\s+$", re.IGNORECASE)
_CASUALTY_STEMS = ("kill", "injur", "wound", "hurt", "maim", "dead", "die")  # one is in every match
_TARGETS = re.compile(r"\s+(?:enemy\s+|hostile\s+)?targets\b", re.IGNORECASE)
_DOWNED_AFTER = {"shot down", "downed", "destroyed", "intercepted", "neutralised", "neutralized", "brought down"}
# "among them were", "among the missiles (launched) was": the weapons of a launch, when a weapon noun
_AMONG_ENDS = ("was", "were")
_AMONG = re.compile(r"\bamong\s+(?:them|(?P<launched>(?:the|these|those)\s+"
                    r"(?:(?!downed|destroy|intercept|shot|neutrali|lost|suppress|jammed)\w+\s+)?"
                    r"(?:missiles|drones|weapons|rockets|munitions)(?:\s+(?:launched|fired|used))?))"
                    r"\s*,?\s+(?:was|were)\s+$", re.IGNORECASE)
_ELLIPSIS_AFTER = re.compile(r"\s+(?:over|above)\s+(?:the\s+)?[A-Z]")
_ALL_BUT_ENDS = ("but", "except", "for")
_ALL_BUT = re.compile(r"\b(?:all\s+but|all\s+except(?:\s+for)?|except(?:\s+for)?)\s+$", re.IGNORECASE)
#: the first words after a bare number that the checks after its casualty test can read: _TARGETS,
#: _OTHERS, _COPULA, _LIST_AFTER (keep in step with those patterns); "and"/"or" open the weapons
#: that ``after`` may skip; the fillers and "after" triggers come from the rules (:func:`_bare_words`)
_BARE_PATTERN_WORDS = ("enemy", "hostile", "targets", "others", "more", "other", "were", "was", "are",
                       "over", "above", "near", "across", "in", "and", "or")
_NEXT_WORD = re.compile(r"\s+(\w+)")
_WORD_RUN = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _bare_words(rules: CountRules) -> frozenset[str] | None:
    """Lower-cased first words that can follow a bare number that counts something without a pronoun
    before it (see :func:`_quiet_bare`); None when some phrase does not start with an ASCII word."""
    words = set(_BARE_PATTERN_WORDS)
    for phrase in (*rules.after_event, *rules.after_fillers):
        first = _WORD_RUN.match(phrase)
        if not (phrase.isascii() and first):
            return None
        words.add(first.group(0).lower())
    return frozenset(words)


def _quiet_bare(s: str, end: int, rules: CountRules) -> bool:
    """Is the bare number ending at ``end`` followed by a word that none of the later checks of
    :func:`_read_phrase` can read ("34 buildings", "12 people")? Then only "of them" before it
    can make it a count. Sound only for an ASCII word: its \\w run must equal a pattern's first word
    (IGNORECASE folds only beyond ASCII), and a word right after spaces fails ``_CLAUSE_END``."""
    words = _bare_words(rules)
    nxt = _NEXT_WORD.match(s, end)
    if words is None or nxt is None:
        return False
    word = nxt.group(1)
    return word.isascii() and word.lower() not in words


@dataclass
class Item:
    """One counted number in a sentence, before it becomes a row (positions are sentence-relative)."""

    count: int
    start: int  # number (or its qualifier) start, sentence-relative
    num_start: int
    phrase_end: int  # where the counted phrase ends (post-verbs are read from here)
    weapon_class: str | None
    model: str | None
    attacker: str | None
    qualifier: str | None
    all_of: bool = False
    event: str | None = None
    post_event: str | None = None
    also_launched: bool = False
    fixed: bool = False  # the "M" of "N of M": launched by construction
    follows: Item | None = None  # "..., 11 over Kursk region": the list item it continues
    relative: bool = False  # "24 of which", "15 others", "40 of them": no verb of its own to lend a list


def _casualty_before(s: str, pos: int, low: str | None = None) -> bool:
    """Does a casualty verb end right before ``pos`` ("killed 28 and injured")? (``low``: the
    ``low_tail(s, pos)`` when known)"""
    if low is None:
        low = low_tail(s, pos)
    if low is not None and not any(map(low.__contains__, _CASUALTY_STEMS)):
        return False
    return bool(_CASUALTY_BEFORE.search(s[max(0, pos - 40):pos]))


def _good_number(sentence: str, start: int, end: int, value: int) -> bool:
    """False for numbers that are not counts: parts of names (Kh-101, F-16), times, ordinals, ages."""
    if value <= 0:
        return False
    after = sentence[end:end + 9]
    # after a space only " per cent" can match _BAD_AFTER; before, a space ends only "No. " of _BAD_BEFORE
    if (after[:1] != " " or after.startswith(" per")) and _BAD_AFTER.match(after) and sentence[start:end][-1:].isdigit():
        return False
    before = sentence[start - 4 if start > 4 else 0:start]
    return (before[-1:] == " " and not before.endswith("No. ")) or not _BAD_BEFORE.search(before)


def sentence_items(sentence: Sentence, numbers: list[tuple[int, int, int]], state: ArticleState,
                   rules: CountRules) -> list[Item]:
    """The counted numbers of one sentence (``numbers`` as :func:`toolkit.text.find_numbers` gives them),
    each with its weapon, event, qualifier and side; numbers that count no weapon are left out."""
    s = sentence.text
    items: list[Item] = []
    skip: set[int] = set()
    qualifier_ends = rules.qualifier_ends
    for value, start, end in numbers:
        if start in skip or not _good_number(s, start, end, value):
            continue
        # the cues that end right before a number are read on its tail; one that does not end with
        # a cue's last word is not scanned (see tail_search), and the tail is lower-cased once
        low = low_tail(s, start)
        if (low is None or low.endswith(_DEBRIS_BEFORE_ENDS)) and _DEBRIS_BEFORE.search(tail(s, start)):
            continue
        q = rules.qualifier_tail.search(tail(s, start)) if low is None or low.endswith(qualifier_ends) else None
        qualifier = rules.qualifier_of.get(normalise(q.group("q"))) if q else None
        item_start = (start - 40 if start > 40 else 0) + q.start() if q else start
        item = Item(value, item_start, start, end, None, None, None, qualifier)
        if item_start != start:
            low = low_tail(s, item_start)
        extra = _read_phrase(s, item, state, items, skip, low)
        if item.weapon_class is None:
            continue
        item.all_of = (low is None or low.endswith(_ALL_BEFORE_ENDS)) and bool(_ALL_BEFORE.search(tail(s, item_start)))
        items.append(item)
        if extra is not None:
            items.append(extra)
    if items or not s.isascii():  # no items, no events (the scan of non-ASCII text may raise, as it did)
        assign_events(s, items, rules, state)
    for index, item in enumerate(items):
        if item.attacker is None:
            clause = s[items[index - 1].phrase_end if index else 0:
                       items[index + 1].start if index + 1 < len(items) else len(s)]
            item.attacker = item.follows.attacker if item.follows else attacker_of(item, s, clause, state, rules)
    state.counted.extend(items)
    state.current_counted.extend(items)
    return [i for i in items if i.event]


def _antecedent(s: str, pos: int, state: ArticleState,
                items: list[Item]) -> tuple[str | None, str | None, str | None]:
    """Class, model, attacker of the nearest weapon named before ``pos`` (this sentence, then earlier)."""
    best = None
    for m in state.mentions_of(state.current):  # computed only when an antecedent is needed
        if m.end <= pos:
            best = m
    prior = [i for i in items if i.phrase_end <= pos and i.weapon_class]
    if prior and (best is None or prior[-1].phrase_end >= best.end):
        return prior[-1].weapon_class, prior[-1].model, prior[-1].attacker
    if best is not None:
        return best.weapon_class, best.model, best.attacker
    if state.previous_counted:
        last = state.previous_counted[-1]
        return last.weapon_class, last.model, last.attacker
    if state.previous_mentions:
        m = state.previous_mentions[-1]
        return m.weapon_class, m.model, m.attacker
    return None, None, None


def _resolve_generic(phrase: WeaponPhrase, count: int | None, state: ArticleState,
                     items: list[Item]) -> tuple[str, str | None]:
    """'the two missiles', 'of the missiles': the class of the missiles named before."""
    for item in reversed(state.counted + items):
        if count is not None and item.count == count and item.weapon_class in _MISSILES:
            return item.weapon_class, item.model
    if phrase.weapon_class == "missile":
        earlier = state.mentions
        # "the missiles" points back to plain "missiles" when the text used that word, else to the
        # missiles named before ("cruise missile strikes ... one of the two missiles")
        if any(m.generic and m.weapon_class == "missile" for m in earlier):
            return phrase.weapon_class, phrase.model
        for m in reversed(earlier):
            if m.weapon_class in _MISSILES:
                return m.weapon_class, m.model
    return phrase.weapon_class, phrase.model


def _apply(item: Item, phrase: WeaponPhrase, definite: bool, state: ArticleState, items: list[Item],
           count: int | None) -> None:
    cls, model = phrase.weapon_class, phrase.model
    if phrase.generic and definite:
        cls, model = _resolve_generic(phrase, count, state, items)
    elif phrase.generic and count is not None and phrase.weapon_class == "missile":
        cls = _single_missile_class(count, state, items) or cls
    item.weapon_class, item.model, item.attacker = cls, model, phrase.attacker
    item.phrase_end = phrase.end


def _single_missile_class(count: int, state: ArticleState, items: list[Item]) -> str | None:
    """ "3 ballistic rockets were fired ... air defence shot down 1 rocket": when every missile counted
    before is of one stated class (no plain "N missiles" count among them), a later plain count of no
    more than them is of that class (dev README: the class comes from the article's wording). Uncounted
    plain mentions ("Rockets on Kyiv" in a headline) do not block it."""
    # the counted missiles before this sentence, summed up once (the classes, the largest launch)
    earlier_classes, earlier_max = state.counted_missiles()
    current = [i for i in items if i.weapon_class in _MISSILES]  # no events yet: read as the launch
    if earlier_max is None and not current:
        return None  # nothing launched
    classes = earlier_classes.union(i.weapon_class for i in current)
    if len(classes) != 1 or "missile" in classes:
        return None
    largest = max([i.count for i in current] + ([earlier_max] if earlier_max is not None else []))
    return None if count > largest else next(iter(classes))


def _read_phrase(s: str, item: Item, state: ArticleState,
                 items: list[Item], skip: set[int], low: str | None) -> Item | None:
    """Fill the item's weapon from the words after its number; returns an extra "of M" launched item.
    ``low`` is ``low_tail(s, item.start)``: the cues before the item are scanned only when it ends
    with their last word (as :func:`tail_search` does)."""
    end = item.phrase_end
    other_word = _other_word_after(s, end)
    of = None if other_word else _OF.match(s, end)
    if of:
        pos = of.end()
        pronoun = _OF_PRONOUN.match(s, pos) if not of.group("det") else None
        if pronoun:
            item.relative = True
            phrase = parse_weapon_phrase(s, pronoun.end())
            if phrase:
                _apply(item, phrase, False, state, items, None)
            else:
                item.weapon_class, item.model, item.attacker = _antecedent(s, item.start, state, items)
                item.phrase_end = pronoun.end()
            return None
        numbers = [n for n in find_numbers(s[pos:pos + 30]) if n[1] == 0]
        if numbers:
            total, _, total_end = numbers[0]
            total_end += pos
            skip.add(pos)
            phrase = parse_weapon_phrase(s, total_end)
            outer = Item(total, pos, pos, total_end, None, None, None, None, event="launched", fixed=True)
            if phrase:
                _apply(outer, phrase, bool(of.group("det")), state, items, total)
            elif _REDUCED.match(s, total_end):
                outer.weapon_class, outer.model, outer.attacker = _antecedent(s, item.start, state, items)
            elif (targets := _TARGETS.match(s, total_end)) and immediate_trigger(s, item.start) == "intercepted":
                outer.weapon_class, outer.phrase_end = "weapon", targets.end()
            else:
                return None
            item.weapon_class, item.model, item.attacker = outer.weapon_class, outer.model, outer.attacker
            reduced = _REDUCED.match(s, outer.phrase_end)
            item.phrase_end = reduced.end() if reduced else outer.phrase_end
            return outer if item.count != total else None
        phrase = parse_weapon_phrase(s, pos - 1) if pos > 0 and s[pos - 1].isspace() else None
        if phrase:
            _apply(item, phrase, bool(of.group("det")), state, items, None)
        return None
    launches = None if other_word else _LAUNCHES_OF.match(s, end)
    if launches:  # "52 launches of Shahed drones", "32 launches were recorded": launched, whatever verb is around
        phrase = parse_weapon_phrase(s, launches.end()) if launches.group("of") else None
        if phrase:
            _apply(item, phrase, False, state, items, item.count)
        else:
            item.weapon_class, item.model, item.attacker = _antecedent(s, item.start, state, items)
            item.phrase_end = launches.end()
        item.event, item.fixed = "launched", True
        return None
    phrase = parse_weapon_phrase(s, end)
    if phrase:
        # "the two missiles": only a generic phrase reads whether it is definite
        definite = phrase.generic and (low is None or low.endswith(_THE_BEFORE_ENDS)) \
            and bool(_THE_BEFORE.search(tail(s, item.start)))
        _apply(item, phrase, definite, state, items, item.count)
        among = _AMONG.search(tail(s, item.start)) if low is None or low.endswith(_AMONG_ENDS) else None
        if among:  # "Among them were two Kinzhals": a part of the count before, with its verb
            item.relative = not among.group("launched")
            item.event, item.fixed = ("launched", True) if among.group("launched") else (None, False)
        return _of_total(s, item, skip)
    # a bare number: "115 others were lost", "of which 99 were destroyed", "11 over Kursk region"
    if (low is None or low.endswith(_ALL_BUT_ENDS)) and _ALL_BUT.search(tail(s, item.start)):
        return None  # "all but four were intercepted": arithmetic, not a stated count
    if _casualty_before(s, item.start, low):
        return None  # "killed 28 and injured over 130": people, whatever verb follows
    if _quiet_bare(s, end, compiled()):  # "34 buildings were damaged": the same answer, fewer scans
        if tail_search(_PRONOUN_BEFORE, _PRONOUN_BEFORE_ENDS, s, item.start):
            item.weapon_class, item.model, item.attacker = _antecedent(s, item.start, state, items)
            item.phrase_end = end
            item.relative = True
        return None
    targets = _TARGETS.match(s, end)
    if targets:  # "brought down 112 targets": air targets, mixed, only when downed
        post = compiled().after.match(s, targets.end())
        downed = (normalise(post.group("t")) if post else None) in _DOWNED_AFTER
        if downed or (not post and immediate_trigger(s, item.start) == "intercepted"):
            item.weapon_class, item.phrase_end = "weapon", targets.end()
        return None
    others = _OTHERS.match(s, end)
    post = compiled().after.match(s, end)
    if post and normalise(post.group("t")) in _NOUNISH and post.start("t") - end < 3:
        post = None  # "1,600 attack and air defence missiles": a bare present form is no verb for a bare number
    if others or tail_search(_PRONOUN_BEFORE, _PRONOUN_BEFORE_ENDS, s, item.start) or post:
        if others and not post:
            post = compiled().after.match(s, others.end())
        if not (post or tail_search(_PRONOUN_BEFORE, _PRONOUN_BEFORE_ENDS, s, item.start)):
            return None
        item.weapon_class, item.model, item.attacker = _antecedent(s, item.start, state, items)
        item.phrase_end = others.end() if others else end
        item.relative = True
        return None
    copula = _COPULA.match(s, end)
    phrase = parse_weapon_phrase(s, copula.end() - 1) if copula else None
    if phrase:  # "Of the 367, 266 were drones": a breakdown of the total before
        _apply(item, phrase, False, state, items, None)
        item.relative = True
        return None
    trigger = immediate_trigger(s, item.start)
    if trigger in ("intercepted", "lost", "hit") and _CLAUSE_END.match(s, end):
        # "... Ukrainian forces downed 51." - the weapon is the one named just before
        item.weapon_class, item.model, item.attacker = _antecedent(s, item.start, state, items)
        item.relative = True
        return None
    if tail_search(_LIST_BEFORE, _LIST_BEFORE_ENDS, s, item.start) and _LIST_AFTER.match(s, end):
        if items:
            prev = items[-1]
            item.weapon_class, item.model, item.follows = prev.weapon_class, None, prev
            item.event = prev.event or "inherit"
        elif state.previous_counted and _ELLIPSIS_AFTER.match(s, end):
            # "Others were downed over A and B, and eight over C": the weapons counted just before
            item.weapon_class, item.model, item.attacker = _antecedent(s, item.start, state, items)
            item.relative = True
    return None


def _other_word_after(s: str, end: int) -> bool:
    """True when one space and a letter that begins neither "of"/"out" (_OF) nor "launches"
    (_LAUNCHES_OF) follow ``end`` (the usual case: "50 drones"): neither can match there."""
    return s[end:end + 1] == " " and s[end + 1:end + 2] in _NOT_OF_OR_LAUNCHES


def _of_total(s: str, item: Item, skip: set[int]) -> Item | None:
    """ "12 Shahed drones out of 15 were destroyed": the total after the phrase, launched."""
    end = item.phrase_end
    if _other_word_after(s, end):
        return None  # no "of" here
    of = _OF.match(s, end)
    if not of or of.group("det"):
        return None
    numbers = [n for n in find_numbers(s[of.end():of.end() + 30]) if n[1] == 0]
    if not numbers:
        return None
    total, _, length = numbers[0]
    total_end = of.end() + length
    if not (_REDUCED.match(s, total_end) or compiled().after_at(s, total_end) or _CLAUSE_END.match(s, total_end)):
        return None
    skip.add(of.end())
    item.phrase_end = total_end
    return Item(total, of.end(), of.end(), total_end, item.weapon_class, item.model, item.attacker, None,
                event="launched", fixed=True)
