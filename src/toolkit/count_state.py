"""What earlier sentences of an article established, for reading the next one's counts."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from .count_items import _MISSILES, Item
from .count_rules import CountRules, normalise
from .text import Sentence
from .weapons import WeaponPhrase, weapon_mentions

_MINISTRY = re.compile(r"\bministry\b", re.IGNORECASE)
_MINISTRY_LOWER = re.compile(r"\bministry\b")  # for lower-cased ASCII text


@lru_cache(maxsize=1)
def _foreign_words(rules: CountRules) -> tuple[str, ...]:
    """Foreign-war cues for a substring test, without those that contain another ("iranian" holds
    "iran"): the text holds one of these exactly when it holds one of all the cues."""
    cues = {c.lower() for c in rules.foreign_cues}
    return tuple(sorted(c for c in cues if not any(d != c and d in c for d in cues)))


def may_name_ministry(lower: str) -> bool:
    """Could a lower-cased sentence name a ministry (of defence: "MoD")? The cheap first test of
    :meth:`ArticleState.note_ministry`, also asked before calling it."""
    return "minist" in lower or " mod" in lower


class ArticleState:
    """What earlier sentences established: weapon mentions, counted items, the last ministry."""

    def __init__(self, sentences: list[Sentence], default_attacker: Callable[[], str]) -> None:
        self._default = default_attacker
        self._default_value: str | None = None
        self._foreign: bool | None = None
        self._mentions: dict[int, list[WeaponPhrase]] = {}  # by sentence index, computed on demand
        self._sentences = sentences
        self.current = 0  # index of the sentence being read
        self.words: tuple[str, ...] = ()  # the article's words that may name a weapon
        self.length = 0  # the length of the article's text
        self.lower_text = ""  # the article's text, lower-cased
        self._named: list[bool | None] | None = None  # per sentence: does it hold a weapon word?
        self._cues: dict[int, tuple[bool, bool]] = {}  # sentence index -> (Ukrainian cue, Russian cue)
        self.counted: list[Item] = []
        self.russian_ministry = False
        self.header_event: str | None = None  # "Launches were recorded of:" over the list that follows
        self.previous_counted: list[Item] = []  # antecedents reach back one sentence only
        self.current_counted: list[Item] = []
        # the counted missiles with an event, summed up as they come (see counted_missiles)
        self._missiles_seen = 0  # how many of ``counted`` are summed up
        self._missile_classes: set[str] = set()
        self._launched_missiles_max: int | None = None  # the largest count of a launched one

    def counted_missiles(self) -> tuple[set[str], int | None]:
        """The classes of the counted items with an event whose class is a missile's, and the largest
        count among those launched (None if none was): what ``[i for i in counted if i.event and
        i.weapon_class in _MISSILES]`` gives for :func:`toolkit.count_items._single_missile_class`.
        Only the items counted since the last call are read (a counted item is not changed after)."""
        counted = self.counted
        if self._missiles_seen < len(counted):
            for item in counted[self._missiles_seen:]:
                if item.event and item.weapon_class in _MISSILES:
                    self._missile_classes.add(item.weapon_class)
                    if item.event == "launched" and (self._launched_missiles_max is None
                                                     or item.count > self._launched_missiles_max):
                        self._launched_missiles_max = item.count
            self._missiles_seen = len(counted)
        return self._missile_classes, self._launched_missiles_max

    def foreign_war(self, text: str, rules: CountRules) -> bool:
        """Does the article mention another war at all? (read once, on first need)

        The cues are looked up as substrings of the lower-cased text; only a hit runs the regex.
        """
        if self._foreign is None:
            lower = self.lower_text or text.lower()
            hit = any(map(lower.__contains__, _foreign_words(rules)))
            self._foreign = hit and bool(rules.foreign_lower.search(lower) if rules.foreign_lower and text.isascii()
                                         else rules.foreign.search(text))
        return self._foreign

    def side_cues(self, s: str, rules: CountRules) -> tuple[bool, bool]:
        """(Ukrainian cue, Russian cue) of the current sentence, read once."""
        if self.current not in self._cues:
            lower = s.lower()
            if rules.ukraine_cue_after_gap is not None and rules.russia_cue_after_gap is not None:
                padded = " " + lower  # the same answers, scanned from the character before a word
                self._cues[self.current] = (bool(rules.ukraine_cue_after_gap.search(padded)),
                                            bool(rules.russia_cue_after_gap.search(padded)))
            else:
                self._cues[self.current] = (bool(rules.ukraine_cue.search(lower)), bool(rules.russia_cue.search(lower)))
        return self._cues[self.current]

    @property
    def default_attacker(self) -> str:
        """The article's attacker when a sentence gives no cue (read once, on first need)."""
        if self._default_value is None:
            self._default_value = self._default()
        return self._default_value

    def note_ministry(self, sentence: str, lower: str, rules: CountRules) -> None:
        if not may_name_ministry(lower):
            return
        if sentence.isascii() and rules.russian_claim_lower is not None:  # the same scans, on lower-case text
            if rules.russian_claim_lower.search(lower):
                self.russian_ministry = True
            elif "ministry" in lower and _MINISTRY_LOWER.search(lower):
                self.russian_ministry = False
        elif rules.russian_claim.search(sentence):
            self.russian_ministry = True
        elif _MINISTRY.search(sentence):
            self.russian_ministry = False

    def named(self, index: int) -> bool:
        """Does sentence ``index`` hold one of the article's weapon words? (read once, on first need)"""
        flags = self._named
        if flags is None:
            flags = self._named = [None] * len(self._sentences)
        flag = flags[index]
        if flag is None:
            sentence = self._sentences[index]
            if len(self.lower_text) != self.length:  # lower-casing changed lengths: the sentence's own
                lower = sentence.text.lower()
            else:
                lower = self.lower_text[sentence.start:sentence.end]
            flag = flags[index] = any(map(lower.__contains__, self.words))  # `w in lower` for each word
        return flag

    def mentions_of(self, index: int) -> list[WeaponPhrase]:
        """Weapon phrases of one sentence (computed once, only for sentences that need them)."""
        if index not in self._mentions:
            self._mentions[index] = weapon_mentions(self._sentences[index].text) if self.named(index) else []
        return self._mentions[index]

    @property
    def previous_mentions(self) -> list[WeaponPhrase]:
        """Weapon phrases of the sentence before the current one."""
        return self.mentions_of(self.current - 1) if self.current > 0 else []

    @property
    def mentions(self) -> list[WeaponPhrase]:
        """Weapon phrases of every sentence before the current one (rarely needed, so lazy)."""
        return [m for index in range(self.current) for m in self.mentions_of(index)]

    def close(self, sentence: Sentence, rules: CountRules) -> None:
        """End of a sentence: shift the one-sentence memory, follow list headers ("... of:")."""
        self.previous_counted, self.current_counted = self.current_counted, []
        text = sentence.text
        if text.endswith(":"):
            triggers = list(rules.before_iter(text))
            self.header_event = rules.before_event[normalise(triggers[-1].group("t"))] if triggers else None
        elif text[:1] not in "-\u2013\u2014*\u2022":
            self.header_event = None
