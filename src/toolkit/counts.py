"""Weapon counts: launched / intercepted / hit / lost, by class and model (issue #3).

Each number in a sentence is tied to the weapon phrase it counts
(:mod:`toolkit.weapons`), an event read from the verbs around it, a qualifier,
a scope, an attacker and a source; the words are data (``data/count_rules.yaml``).
``extract_counts`` keeps every mention (one row each, with its sentence);
``counts_facts`` folds repeat mentions into the contract's one entry per fact.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from .count_rules import CountRules, compiled, normalise
from .records import Article
from .text import Sentence, find_numbers
from .weapons import WeaponPhrase, parse_weapon_phrase, weapon_mentions, weapon_words

_MISSILES = {"cruise_missile", "ballistic_missile", "missile"}
_OF = re.compile(r"\s+of\s+(?P<det>the\s+|these\s+|those\s+)?", re.IGNORECASE)
_OF_PRONOUN = re.compile(r"(?P<w>them|which|these|those)\b", re.IGNORECASE)
_PRONOUN_BEFORE = re.compile(r"\bof\s+(?:which|them|these|those)\s+$", re.IGNORECASE)
_OTHERS = re.compile(r"\s+(?:others|more|other)\b(?!\s+(?:than|people|civilians|residents))", re.IGNORECASE)
_LIST_BEFORE = re.compile(r"(?:,|\band|\bincluding|\bamong\s+them)\s+$", re.IGNORECASE)
_LIST_AFTER = re.compile(r"\s+(?:over|above|near|across|in)\s+(?:the\s+)?[A-Z]")
_REDUCED = re.compile(r"\s+(?:launched|fired)\b", re.IGNORECASE)
_ALL_BEFORE = re.compile(r"\ball\s+(?:the\s+|of\s+the\s+)?$", re.IGNORECASE)
_THE_BEFORE = re.compile(r"\b(?:the|of\s+the|these|those)\s+$", re.IGNORECASE)
_IMMEDIATE = re.compile(r"^(?:\s|\b(?:a\s+total\s+of|all|the|a\s+further|another|only|of|a|an)\b)*$",
                        re.IGNORECASE)
_WITH = re.compile(r"\bwith\s+$", re.IGNORECASE)
_ATTACK_WORD = re.compile(r"\b(?:attack\w*|strik\w*|struck|hit|bomb\w*|pound\w*|target\w*|barrage|assault)\b",
                          re.IGNORECASE)
_JOIN_AND = re.compile(r"^\s+(?:and|&)\s+$", re.IGNORECASE)
_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+)$", re.IGNORECASE)
_BAD_AFTER = re.compile(r"^(?:[A-Za-z\u0400-\u04ff]|%|\s?(?:per\s?cent|percent)\b|-[A-Za-z]|:\d|\.\d|/\d)")
_BAD_BEFORE = re.compile(r"(?:[A-Za-z\u0400-\u04ff]-|[A-Za-z]|[/:#№]|\bNo\.\s|\d-)$")
_SUPERLATIVE = re.compile(r"\b(?:\w+est|most|first|record|worst|greatest|massive|powerful)\b", re.IGNORECASE)
_NUMBER_HINT = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                          r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
                          r"sixty|seventy|eighty|ninety|dozen)\b")
_ALL_OF_THEM = re.compile(r"\ball\s+(?:of\s+(?:them|these|those)|(?:the|these|those)\s+\w+|of\s+the\s+\w+|(?=were\b))",
                          re.IGNORECASE)
_ALL_BUT = re.compile(r"\b(?:all\s+but|all\s+except(?:\s+for)?|except(?:\s+for)?)\s+$", re.IGNORECASE)
_MINISTRY = re.compile(r"\bministry\b", re.IGNORECASE)
_CAPTION = re.compile(r"Credit:", re.IGNORECASE)


@dataclass
class _Item:
    """One counted number in a sentence, before it becomes a row."""

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
    follows: _Item | None = None  # "..., 11 over Kursk region": the list item it continues


def extract_counts(article: Article, sentences: list[Sentence]) -> list[dict[str, Any]]:
    """``strike_counts`` rows of one article: one per counted mention, with its sentence as evidence.

    >>> from toolkit.ingest import article_from_text
    >>> from toolkit.text import split_sentences
    >>> a = article_from_text("Russia launched 50 drones; air defence shot down 40 of them.")
    >>> [(r["event"], r["count"]) for r in extract_counts(a, split_sentences(a.text))]
    [('launched', 50), ('intercepted', 40)]
    """
    rules = compiled()
    text = article.text
    first_line_end = text.find("\n") if "\n" in text else len(text)
    state = _ArticleState(sentences, lambda: _default_attacker(sentences, rules))
    rows: list[dict[str, Any]] = []
    words = weapon_words(text.lower())
    if not words:
        return rows  # the article names no weapon at all
    state.words = words
    for index, sentence in enumerate(sentences):
        state.current = index
        lower = sentence.text.lower()
        state.note_ministry(sentence.text, lower, rules)
        # cheap tests first: most sentences name no weapon, and most state no number
        if (state.named(index) or (index and state.named(index - 1))) and _NUMBER_HINT.search(lower):
            numbers = find_numbers(sentence.text)
            if numbers and not (state.foreign_war(text, rules) and _other_war(sentence, text, rules)):
                headline = sentence.start < first_line_end or bool(_CAPTION.search(_line_of(text, sentence)))
                items = _sentence_items(sentence, numbers, state, rules)
                if items:
                    scope = "cumulative" if _cumulative(sentence.text, rules) else "attack"
                    source = _source(sentence.text, state, rules)
                    for item in items:
                        rows.extend(_rows(item, sentence, headline, scope, source, state, rules))
        if state.previous_counted or state.current_counted:
            rows.extend(_all_of_them(sentence, lower, state, rules, first_line_end))
        state.close(sentence, rules)
    return rows


class _ArticleState:
    """What earlier sentences established: weapon mentions, counted items, the last ministry."""

    def __init__(self, sentences: list[Sentence], default_attacker: Callable[[], str]) -> None:
        self._default = default_attacker
        self._default_value: str | None = None
        self._foreign: bool | None = None
        self._mentions: dict[int, list[WeaponPhrase]] = {}  # by sentence index, computed on demand
        self._sentences = sentences
        self.current = 0  # index of the sentence being read
        self.words: tuple[str, ...] = ()  # the article's words that may name a weapon
        self.counted: list[_Item] = []
        self.russian_ministry = False
        self.header_event: str | None = None  # "Launches were recorded of:" over the list that follows
        self.previous_counted: list[_Item] = []  # antecedents reach back one sentence only
        self.current_counted: list[_Item] = []

    def foreign_war(self, text: str, rules: CountRules) -> bool:
        """Does the article mention another war at all? (read once, on first need)"""
        if self._foreign is None:
            lower = text.lower()
            self._foreign = any(cue in lower for cue in _foreign_stems(rules)) and bool(rules.foreign.search(text))
        return self._foreign

    @property
    def default_attacker(self) -> str:
        """The article's attacker when a sentence gives no cue (read once, on first need)."""
        if self._default_value is None:
            self._default_value = self._default()
        return self._default_value

    def note_ministry(self, sentence: str, lower: str, rules: CountRules) -> None:
        if "minist" not in lower and " mod" not in lower:
            return
        if rules.russian_claim.search(sentence):
            self.russian_ministry = True
        elif _MINISTRY.search(sentence):
            self.russian_ministry = False

    def named(self, index: int) -> bool:
        """Does sentence ``index`` hold one of the article's weapon words?"""
        lower = self._sentences[index].text.lower()
        return any(word in lower for word in self.words)

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
            triggers = list(rules.before.finditer(text))
            self.header_event = rules.before_event[normalise(triggers[-1].group("t"))] if triggers else None
        elif text[:1] not in "-\u2013\u2014*\u2022":
            self.header_event = None


@lru_cache(maxsize=1)
def _foreign_stems(rules: CountRules) -> tuple[str, ...]:
    """Substrings one of which any foreign-war cue contains (a quick test before the regex)."""
    cues = sorted({c.lower()[:4] for c in rules.foreign_cues})
    return tuple(c for c in cues if not any(o != c and c.startswith(o) for o in cues))


def _all_of_them(sentence: Sentence, lower: str, state: _ArticleState, rules: CountRules,
                 first_line_end: int) -> list[dict[str, Any]]:
    """ "All of them were shot down" after a stated count gives that count (never "all but four")."""
    found = _ALL_OF_THEM.search(sentence.text)
    if not found:
        return []
    post = rules.after.match(sentence.text, found.end())
    event = rules.after_event[normalise(post.group("t"))] if post else None
    launched = [i for i in state.previous_counted + state.current_counted if i.event == "launched"]
    if event in (None, "launched") or not launched:
        return []
    last = launched[-1]
    item = _Item(last.count, found.start(), found.start(), found.end(), last.weapon_class, last.model,
                 last.attacker, last.qualifier, event=event)
    state.current_counted.append(item)
    scope = "cumulative" if _cumulative(sentence.text, rules) else "attack"
    return _rows(item, sentence, sentence.start < first_line_end, scope, _source(sentence.text, state, rules),
                 state, rules)


def _line_of(text: str, sentence: Sentence) -> str:
    start = text.rfind("\n", 0, sentence.start) + 1
    end = text.find("\n", sentence.end)
    return text[start:end if end >= 0 else len(text)]


def _paragraph_text(text: str, sentence: Sentence) -> str:
    start = text.rfind("\n\n", 0, sentence.start)
    end = text.find("\n\n", sentence.end)
    return text[start + 1 if start >= 0 else 0:end if end >= 0 else len(text)]


def _other_war(sentence: Sentence, text: str, rules: CountRules) -> bool:
    """True for a sentence about another war (Iran-Israel, Houthis) and not about this one."""
    if rules.home.search(sentence.text):
        return False
    if rules.foreign.search(sentence.text):
        return True
    paragraph = _paragraph_text(text, sentence)
    return bool(rules.foreign.search(paragraph)) and not rules.home.search(paragraph)


def _default_attacker(sentences: list[Sentence], rules: CountRules) -> str:
    """Whose weapons the article is about: read from the headline and lead."""
    lead = " ".join(s.text for s in sentences[:4])
    ukraine = len(rules.ukraine_cue.findall(lead))
    russia = len(rules.russia_cue.findall(lead))
    return "ukraine" if ukraine > russia else "russia"


def _tail(s: str, end: int) -> str:
    """The 40 characters before ``end``: enough for any end-anchored cue, cheap to scan."""
    return s[max(0, end - 40):end]


def _good_number(sentence: str, start: int, end: int, value: int) -> bool:
    """False for numbers that are not counts: parts of names (Kh-101, F-16), times, ordinals, ages."""
    if value <= 0:
        return False
    if _BAD_AFTER.match(sentence[end:end + 9]) and sentence[start:end][-1:].isdigit():
        return False
    return not _BAD_BEFORE.search(sentence[max(0, start - 4):start])


def _sentence_items(sentence: Sentence, numbers: list[tuple[int, int, int]], state: _ArticleState,
                    rules: CountRules) -> list[_Item]:
    s = sentence.text
    items: list[_Item] = []
    skip: set[int] = set()
    for value, start, end in numbers:
        if start in skip or not _good_number(s, start, end, value):
            continue
        before = s[max(0, start - 40):start]  # tail only: end-anchored patterns scan what they get
        q = rules.qualifier_tail.search(before)
        qualifier = rules.qualifier_of.get(normalise(q.group("q"))) if q else None
        item_start = start - (len(before) - q.start()) if q else start
        item = _Item(value, item_start, start, end, None, None, None, qualifier,
                     all_of=bool(_ALL_BEFORE.search(_tail(s, item_start))))
        extra = _read_phrase(s, item, state, items, skip)
        if item.weapon_class is None:
            continue
        items.append(item)
        if extra is not None:
            items.append(extra)
    _assign_events(s, items, rules, state)
    for item in items:
        if item.attacker is None:
            item.attacker = item.follows.attacker if item.follows else _attacker(item, s, state, rules)
    state.counted.extend(items)
    state.current_counted.extend(items)
    return [i for i in items if i.event]


def _antecedent(s: str, pos: int, state: _ArticleState,
                items: list[_Item]) -> tuple[str | None, str | None, str | None]:
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


def _resolve_generic(phrase: WeaponPhrase, count: int | None, state: _ArticleState,
                     items: list[_Item]) -> tuple[str, str | None]:
    """'the two missiles', 'of the missiles': the class of the missiles named before."""
    for item in reversed(state.counted + items):
        if count is not None and item.count == count and item.weapon_class in _MISSILES:
            return item.weapon_class, item.model
    if phrase.weapon_class == "missile":
        for m in reversed(state.mentions):
            if m.weapon_class in _MISSILES:
                return m.weapon_class, m.model
    return phrase.weapon_class, phrase.model


def _apply(item: _Item, phrase: WeaponPhrase, definite: bool, state: _ArticleState, items: list[_Item],
           count: int | None) -> None:
    cls, model = phrase.weapon_class, phrase.model
    if phrase.generic and definite:
        cls, model = _resolve_generic(phrase, count, state, items)
    item.weapon_class, item.model, item.attacker = cls, model, phrase.attacker
    item.phrase_end = phrase.end


def _read_phrase(s: str, item: _Item, state: _ArticleState,
                 items: list[_Item], skip: set[int]) -> _Item | None:
    """Fill the item's weapon from the words after its number; returns an extra "of M" launched item."""
    end = item.phrase_end
    definite = bool(_THE_BEFORE.search(_tail(s, item.start)))
    of = _OF.match(s, end)
    if of:
        pos = of.end()
        pronoun = _OF_PRONOUN.match(s, pos) if not of.group("det") else None
        if pronoun:
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
            outer = _Item(total, pos, pos, total_end, None, None, None, None, event="launched", fixed=True)
            if phrase:
                _apply(outer, phrase, bool(of.group("det")), state, items, total)
            elif _REDUCED.match(s, total_end):
                outer.weapon_class, outer.model, outer.attacker = _antecedent(s, item.start, state, items)
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
    phrase = parse_weapon_phrase(s, end)
    if phrase:
        _apply(item, phrase, definite, state, items, item.count)
        return None
    # a bare number: "115 others were lost", "of which 99 were destroyed", "11 over Kursk region"
    if _ALL_BUT.search(_tail(s, item.start)):
        return None  # "all but four were intercepted": arithmetic, not a stated count
    others = _OTHERS.match(s, end)
    post = compiled().after.match(s, end)
    if others or _PRONOUN_BEFORE.search(_tail(s, item.start)) or post:
        if others and not post:
            post = compiled().after.match(s, others.end())
        if not (post or _PRONOUN_BEFORE.search(_tail(s, item.start))):
            return None
        item.weapon_class, item.model, item.attacker = _antecedent(s, item.start, state, items)
        item.phrase_end = others.end() if others else end
        return None
    if items and _LIST_BEFORE.search(_tail(s, item.start)) and _LIST_AFTER.match(s, end):
        prev = items[-1]
        item.weapon_class, item.model, item.follows = prev.weapon_class, None, prev
        item.event = prev.event or "inherit"
    return None


def _assign_events(s: str, items: list[_Item], rules: CountRules, state: _ArticleState) -> None:
    """Event of each item: a verb right before it, a verb after its phrase, else the nearest verb before."""
    triggers = [(m.start(), m.end(), rules.before_event[normalise(m.group("t"))]) for m in rules.before.finditer(s)]
    own = [i for i in items if not i.fixed]
    for item in own:
        post = rules.after.match(s, item.phrase_end)
        item.post_event = rules.after_event[normalise(post.group("t"))] if post else None
    # items joined into one list share a verb that follows the list ("one Kinzhal and one Kh-22 were downed")
    for a, b in zip(reversed(own[:-1]), reversed(own[1:])):
        if a.post_event is None and b.post_event and _LIST_JOIN.match(s[a.phrase_end:b.start]):
            a.post_event = b.post_event
    for index, item in enumerate(own):
        if item.event == "inherit":
            item.event = own[index - 1].event if index else None
            continue
        pre = [t for t in triggers if t[1] <= item.start]
        immediate = pre[-1] if pre and _IMMEDIATE.match(s[pre[-1][1]:item.start]) else None
        if immediate:
            item.event = immediate[2]
        elif item.post_event:
            item.event = item.post_event
        elif pre:
            item.event = pre[-1][2]
        elif _WITH.search(_tail(s, item.start)) and _ATTACK_WORD.search(s):
            item.event = "launched"
        elif state.header_event:
            item.event = state.header_event
    # a qualifier spreads over a plain "X and Y" list until an item has its own
    for index, (a, b) in enumerate(zip(own, own[1:])):
        head_of_list = index == 0 or not _LIST_JOIN.match(s[own[index - 1].phrase_end:a.start])
        if b.qualifier is None and a.qualifier and head_of_list and _JOIN_AND.match(s[a.phrase_end:b.start]):
            b.qualifier = a.qualifier
    for item in own:
        item.also_launched = item.all_of and item.event not in (None, "launched")


def _rows(item: _Item, sentence: Sentence, headline: bool, scope: str, source: str | None,
          state: _ArticleState, rules: CountRules) -> list[dict[str, Any]]:
    s = sentence.text
    attacker = item.attacker or state.default_attacker
    events = [item.event] + (["launched"] if item.also_launched else [])
    return [{
        "scope": scope, "attacker": attacker, "event": event, "weapon_class": item.weapon_class,
        "weapon_model": item.model, "count": item.count, "qualifier": item.qualifier or "exact",
        "source": source, "is_headline": headline, "evidence": s,
        "start_char": sentence.start, "end_char": sentence.end,
    } for event in events]


def _cumulative(s: str, rules: CountRules) -> bool:
    """A period cue, except "since ..." that dates a superlative ("the biggest attack since 2022")."""
    for m in rules.cumulative.finditer(s):
        if m.group(0).lower().startswith("since") and _SUPERLATIVE.search(s[max(0, m.start() - 90):m.start()]):
            continue
        return True
    return False


def _attacker(item: _Item, s: str, state: _ArticleState, rules: CountRules) -> str:
    if item.event == "intercepted":
        if rules.russian_claim.search(s) or rules.over_russia.match(s, item.phrase_end):
            return "ukraine"
        if state.russian_ministry and re.search(r"\bthe\s+ministry\b", s, re.IGNORECASE):
            return "ukraine"
    ukraine, russia = rules.ukraine_cue.search(s), rules.russia_cue.search(s)
    if ukraine and not russia:
        return "ukraine"
    if russia and not ukraine:
        return "russia"
    return state.default_attacker


def _source(s: str, state: _ArticleState, rules: CountRules) -> str | None:
    if state.russian_ministry and re.search(r"\bthe\s+ministry\b", s, re.IGNORECASE):
        return "Russian Defence Ministry"
    found = rules.source.search(s)
    return rules.source_labels[found.lastgroup] if found else None


def counts_facts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract's ``strike_counts`` entries (one per fact) from the rows.

    Repeat mentions of a fact (same scope, attacker, event, class and count, and no
    clash of named models) are one entry; its qualifier is the first body mention's.
    """
    facts: list[dict[str, Any]] = []
    models: list[set[str]] = []
    body_seen: list[bool] = []
    for row in rows:
        if row.get("count") is None:
            continue
        key = (row["scope"], row["attacker"], row["event"], row["weapon_class"], int(row["count"]))
        model = row.get("weapon_model")
        match = None
        for index, fact in enumerate(facts):
            if (fact["scope"], fact["attacker"], fact["event"], fact["weapon"], fact["count"]) != key:
                continue
            if model and models[index] and model not in models[index]:
                continue
            match = index
            break
        if match is None:
            facts.append({"scope": key[0], "attacker": key[1], "event": key[2], "weapon": key[3],
                          "count": key[4], "qualifier": row["qualifier"]})
            models.append({model} if model else set())
            body_seen.append(not row.get("is_headline"))
            continue
        if model:
            models[match].add(model)
        if not body_seen[match] and not row.get("is_headline"):
            facts[match]["qualifier"] = row["qualifier"]
            body_seen[match] = True
    return facts


