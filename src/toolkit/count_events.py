"""Reading the events and sides of a sentence's counted items (split from :mod:`toolkit.count_items`).

:func:`assign_events` gives each item its event from the verbs around it (a verb right before it, a
verb after its phrase, else the nearest verb before) and spreads verbs and qualifiers over lists;
:func:`attacker_of` decides whose weapons an item counts.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .count_rules import CountRules, compiled, normalise

if TYPE_CHECKING:
    from .count_items import Item
    from .count_state import ArticleState

_THE_MINISTRY = re.compile(r"\bthe\s+ministry\b", re.IGNORECASE)
_COUNTRY = re.compile(r"\s+(?:ukraine|the\s+country|ukrainian\s+territory|cities\s+across)\b", re.IGNORECASE)
#: ``_NEGATED`` ends with one of these words (then spaces): the cheap test before it
_NEGATED_ENDS = ("were", "was", "been", "not", "no", "never", "without", "to", "n't", "neither", "nor", "be")
_NEGATED = re.compile(r"\b(?:none\s+of\s+(?:which|them|these)\s+(?:were|was|had\s+been)|not|no|never|without|"
                      r"failed\s+to|n't|neither|nor)\s+(?:been\s+|be\s+)?$", re.IGNORECASE)
_UKRAINIAN_SIDE = re.compile(r"\b(?:ukraine|kyiv|ukrainian\s+(?:air|military|forces|officials))\b(?:'s)?\s+"
                             r"(?:said|says|reported|air\s+force|military|officials|forces)", re.IGNORECASE)
_COUNTRY_HIT_BY = re.compile(r"\b(?:ukraine|the\s+country)\s+(?:has|had|have)?\s*(?:been|was|is)\s+"
                             r"(?:hit|struck)\s+by$", re.IGNORECASE)
_IMMEDIATE = re.compile(r"^(?:\s|\b(?:a\s+total\s+of|all|the|a\s+further|another|only|of|a|an|record)\b)*$",
                        re.IGNORECASE)
# "with 93 missiles", "with a monster barrage of 519 drones"
_WITH_ENDS = ("with", "of", "record")
_WITH = re.compile(r"\bwith\s+(?:(?:an?\s+|the\s+)?(?:[a-z-]+\s+){0,2}?(?:barrage|salvo|swarm|wave|volley|hail|"
                   r"onslaught|flurry|storm|fleet|bombardment)s?\s+of\s+|(?:an?\s+)?record\s+)?$", re.IGNORECASE)
_ATTACK_WORD = re.compile(r"\b(?:attack\w*|strik\w*|struck|hits?|bomb\w*|pound\w*|target\w*|barrage|assault|"
                          r"pummel\w*|batter\w*|blitz\w*|hammer\w*|pelt\w*|blast\w*|rain\w*|salvo|swarm)\b",
                          re.IGNORECASE)
_JOIN_AND = re.compile(r"^\s+(?:and|&)\s+$", re.IGNORECASE)
_LIST_SHARE = re.compile(r"^[\s,]*(?:and|as\s+well\s+as|plus|along\s+with)?\s*$", re.IGNORECASE)
_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+)$", re.IGNORECASE)
_SALVO_OF_ENDS = ("of",)
_SALVO_OF = re.compile(r"\b(?:barrage|salvo|swarm|wave|volley|onslaught|flurry|fleet)s?\s+of\s+$", re.IGNORECASE)
_BY_EW = re.compile(r"\s+(?:by|with|through|using|via)\s+(?:means\s+of\s+)?(?:the\s+)?(?:electronic\s+warfare|EW\b|"
                    r"electronic\s+(?:countermeasures|jamming|suppression|means))", re.IGNORECASE)


def tail(s: str, end: int) -> str:
    """The 40 characters before ``end``: enough for any end-anchored cue, cheap to scan."""
    return s[end - 40 if end > 40 else 0:end]


_low_tail_memo: tuple[str | None, int, str | None] = (None, -1, None)


def low_tail(s: str, end: int) -> str | None:
    """``tail(s, end)`` lower-cased and without trailing spaces, for cheap pre-tests; None when the
    tail is not ASCII (there case-insensitive matching reaches beyond ``str.lower``: "\u017f" is "s").
    The last answer is remembered: the cues before one number are tested in a row."""
    global _low_tail_memo
    memo = _low_tail_memo
    if memo[0] is s and memo[1] == end:
        return memo[2]
    t = s[end - 40 if end > 40 else 0:end]
    low = t.rstrip().lower() if t.isascii() else None
    _low_tail_memo = (s, end, low)
    return low


def tail_search(pattern: re.Pattern, ends: tuple[str, ...], s: str, end: int) -> re.Match | None:
    """``pattern.search(tail(s, end))`` for a case-insensitive pattern anchored by ``\\s+$`` right after
    one of the words ``ends``: an ASCII tail that does not end with one of them cannot match, and is
    not scanned."""
    memo = _low_tail_memo
    low = memo[2] if memo[0] is s and memo[1] == end else low_tail(s, end)
    if low is not None and not low.endswith(ends):
        return None
    return pattern.search(s[end - 40 if end > 40 else 0:end])


def _negated(s: str, lower: str | None, pos: int) -> bool:
    """``tail_search(_NEGATED, _NEGATED_ENDS, s, pos)`` for the triggers of one sentence (each at its own
    place): the test of the tail's last word reads ``lower`` (``s.lower()`` of an ASCII sentence, else
    None) in place, without cutting and lower-casing a tail for each."""
    if lower is not None:
        start = pos - 40 if pos > 40 else 0
        stop = pos
        while stop > start and lower[stop - 1].isspace():
            stop -= 1
        if not lower.endswith(_NEGATED_ENDS, start, stop):  # lower[start:stop].endswith(...)
            return False
    return bool(_NEGATED.search(s[pos - 40 if pos > 40 else 0:pos]))


def immediate_trigger(s: str, start: int) -> str | None:
    """Event of a trigger word right before ``start`` ("shot down 51"), if there is one."""
    rules = compiled()
    before = tail(s, start)
    found = None
    for m in rules.before_iter(before):
        found = m
    if found and _IMMEDIATE.match(before[found.end():]):
        return rules.before_event[normalise(found.group("t"))]
    return None


def _event_of(s: str, trigger: tuple[int, int, str]) -> str:
    """The event a trigger before an item gives; "Ukraine has been hit by 1,000 drones" is a launch."""
    if trigger[2] == "hit" and _COUNTRY_HIT_BY.search(tail(s, trigger[1])):
        return "launched"
    return trigger[2]


def assign_events(s: str, items: list[Item], rules: CountRules, state: ArticleState) -> None:
    """Event of each item: a verb right before it, a verb after its phrase, else the nearest verb before."""
    ends = {i.phrase_end for i in items}
    own = [i for i in items if not i.fixed]
    # "drones launched overnight": a participle right after a counted phrase describes it; it is
    # no verb for the items that follow. Only triggers that end before an item are ever read.
    until = max([i.start for i in own], default=-1)
    lower = s.lower() if s.isascii() else None
    triggers = [t for t in rules.before_in(s, until)
                if not (t[0] - 1 in ends or t[0] - 2 in ends) and not _negated(s, lower, t[0])]
    for item in own:
        post = rules.after_at(s, item.phrase_end)
        item.post_event = rules.after_event[normalise(post.group("t"))] if post else None
        if post is not None and item.post_event == "hit" and (
                _COUNTRY.match(s, post.end()) or tail_search(_SALVO_OF, _SALVO_OF_ENDS, s, item.start)):
            # "76 missiles hit Ukraine", "a barrage of 500 drones hit Kyiv": the whole launch, not hits
            item.post_event = "launched"
        elif post and normalise(post.group("t")) == "suppressed" and _BY_EW.match(s, post.end()):
            # "30 drones were suppressed by electronic warfare", a number of its own (not "shot down or suppressed")
            item.post_event = "lost"
    # items joined into one list share a verb that follows the list ("one Kinzhal and one Kh-22 were downed")
    for a, b in zip(reversed(own[:-1]), reversed(own[1:])):
        if a.post_event is None and b.post_event and not b.relative and _LIST_JOIN.match(s[a.phrase_end:b.start]):
            a.post_event = b.post_event
    for index, item in enumerate(own):
        if item.event == "inherit":
            item.event = own[index - 1].event if index else None
            continue
        pre = [t for t in triggers if t[1] <= item.start]
        immediate = pre[-1] if pre and _IMMEDIATE.match(s[pre[-1][1]:item.start]) else None
        if immediate and item.post_event and normalise(s[immediate[0]:immediate[1]]) == "a total of":
            immediate = None  # "A total of 31 drones were destroyed": the verb decides
        if immediate:
            item.event = _event_of(s, immediate)
        elif item.post_event:
            item.event = item.post_event
        elif pre:
            item.event = _event_of(s, pre[-1])
        elif tail_search(_WITH, _WITH_ENDS, s, item.start) and _ATTACK_WORD.search(s):
            item.event = "launched"
        elif state.header_event:
            item.event = state.header_event
        elif item.relative and state.previous_counted:
            item.event = state.previous_counted[-1].event
    # "with 93 missiles and about 200 drones": an item with no verb of its own shares its list's
    for a, b in zip(own, own[1:]):
        if b.event is None and a.event and _LIST_SHARE.match(s[a.phrase_end:b.start]):
            b.event = a.event
    # a qualifier spreads over a plain "X and Y" list until an item has its own; after that no
    # qualifier carries on ("more than A, nearly B and C": C is exact, as the dev labels have it)
    for index, (a, b) in enumerate(zip(own, own[1:])):
        if b.qualifier is not None or not a.qualifier:
            continue
        head_of_list = index == 0 or not _LIST_JOIN.match(s[own[index - 1].phrase_end:a.start])
        if (head_of_list and _JOIN_AND.match(s[a.phrase_end:b.start])
                and b.event == a.event and not b.relative and b.post_event is None):
            b.qualifier = a.qualifier
    for item in own:
        item.also_launched = item.all_of and item.event not in (None, "launched")


@lru_cache(maxsize=8)
def _claims(s: str, rules: CountRules) -> tuple[str, bool, bool]:
    """Sentence ``s`` lower-cased; does it name a Russian claim source; does it also quote Ukraine's
    side? (Read once per sentence, not once per counted item.)"""
    lower = s.lower()
    if not ("russia" in lower or "kremlin" in lower) or not rules.russian_claim.search(s):
        return lower, False, False
    return lower, True, bool(_UKRAINIAN_SIDE.search(s))


def attacker_of(item: Item, s: str, clause: str, state: ArticleState, rules: CountRules) -> str:
    """Whose weapons an item counts: a Russian downing claim (or a Russian region) makes them Ukrainian;
    else the side the sentence names; else the article's. When a sentence also quotes Ukraine's side
    ("Ukraine downed 40 drones, while Russia said it destroyed 30"), the claim must be in the item's clause."""
    if item.event == "intercepted":
        lower, claimed, ukrainian = _claims(s, rules)
        if claimed and (not ukrainian or rules.russian_claim.search(clause)):
            return "ukraine"
        over = rules.over_russia_lower.match(lower, item.phrase_end) if rules.over_russia_lower and s.isascii() \
            else rules.over_russia.match(s, item.phrase_end)
        if over:
            return "ukraine"
        if state.russian_ministry and _THE_MINISTRY.search(s):
            return "ukraine"
    ukraine, russia = state.side_cues(s, rules)
    if ukraine and not russia:
        return "ukraine"
    if russia and not ukraine:
        return "russia"
    return state.default_attacker
