"""Weapon counts: launched / intercepted / hit / lost, by class and model (issue #3).

Each number in a sentence is tied to the weapon phrase it counts
(:mod:`toolkit.weapons`), an event read from the verbs around it, a qualifier,
a scope, an attacker and a source; the words are data (``data/count_rules.yaml``).
``extract_counts`` keeps every mention (one row each, with its sentence);
``counts_facts`` folds repeat mentions into the contract's one entry per fact.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .count_items import Item, sentence_items
from .count_state import ArticleState, may_name_ministry
from .count_rules import CountRules, compiled, normalise
from .records import Article
from .text import ASCII_WORD_CHARS, Sentence, find_numbers
from .text import body_end as text_body_end
from .weapons import lower_case_variant, phrase_pattern, rules as rule_data, weapon_words

_SUPERLATIVE = re.compile(r"\b(?:biggest|largest|heaviest|worst|greatest|deadliest|strongest|highest|longest|"
                          r"most|first|record|massive|powerful|\d+(?:st|nd|rd|th)|second|third|fourth|fifth)\b",
                          re.IGNORECASE)
_ONE_ATTACK = re.compile(r"\bin\s+(?:a\s+single|one)\s+(?:day|night|attack|strike|wave)\b|\bin\s+24\s+hours\b",
                         re.IGNORECASE)
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
                 "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "dozen")
_NUMBER_HINT = re.compile(r"\d|\b(?:%s)\b" % phrase_pattern(_NUMBER_WORDS))
_NUMBER_WORD_SET = frozenset(_NUMBER_WORDS)
_WORD_RUN = re.compile(r"\w+")
#: the number words without those that hold another ("sixteen" holds "six"): the same substring test
_NUMBER_WORD_HINTS = tuple(w for w in _NUMBER_WORDS if not any(v != w and v in w for v in _NUMBER_WORDS))
_ALL_OF_THEM = re.compile(r"\ball\s+(?:of\s+(?:them|these|those|which)|(?:the|these|those)\s+\w+|"
                          r"of\s+the\s+\w+|(?=were\b))",
                          re.IGNORECASE)
_SOME_DOWNED = re.compile(r"\b(?:some|several|most|many|part|a\s+number|a\s+few)\b(?:\s+of\s+them)?\s+"
                          r"(?:were|was|had\s+been|have\s+been)\s+(?:intercepted|shot\s+down|downed|destroyed)",
                          re.IGNORECASE)
#: ``_SOME_DOWNED`` for lower-cased ASCII text, without IGNORECASE (the same matches there, faster)
_SOME_DOWNED_LOWER = lower_case_variant(_SOME_DOWNED)
#: one of each is in every match of _SOME_DOWNED (keep in step with it)
_SOME_DOWNED_QUANTIFIERS = ("some", "several", "most", "many", "part", "number", "few")
_SOME_DOWNED_VERBS = ("intercepted", "shot", "downed", "destroyed")
_GLUED = re.compile(r"[a-z][a-z][.!?]+(?=[A-Z](?:[a-z]|\s))")
#: ``_GLUED`` written to begin at its first stop (the two letters before it are a look-behind): the
#: engine then skips in C to the few ".!?" of a text instead of trying every letter. Each match
#: spans ``_GLUED``'s match less its first two characters (a stop inside a run of stops has no
#: letters before it, so only the run's first one can begin a match).
_GLUED_AT_STOP = re.compile(r"[.!?](?<=[a-z][a-z][.!?])[.!?]*(?=[A-Z](?:[a-z]|\s))")
#: cheap pre-tests: a pattern that starts with a literal is searched far faster than a class
_GLUED_HINTS = tuple(re.compile(rf"{re.escape(c)}(?=[A-Z])") for c in ".!?")
_ASCII_DIGITS = frozenset("0123456789")
_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mr", "mrs",
                  "ms", "dr", "gen", "col", "lt", "st", "no", "vs", "etc", "inc", "corp", "ltd", "co", "jr", "sr"}
#: every period cue in count_rules.yaml contains one of these (a cheap test before the regex)
_PERIOD_HINTS = ("week", "month", "year", "since", "war", "days", "19", "20", "uary", "march", "april", "may",
                 "june", "july", "august", "ber", "so far")
#: the regex cues of count_rules.yaml (those written with "(" or "\\"), each match of which holds
#: one of these (their spaces are single literal spaces); keep in step with them (a test lists them)
_REGEX_CUE_HINTS = ("days", "week", "month", "year", "since", "in 19", "in 20", "ing 19", "ing 20", "out 19",
                    "out 20", "in january", "in february", "in march", "in april", "in may", "in june", "in july",
                    "in august", "in september", "in october", "in november", "in december")
#: what most literal cues hold ("in recent weeks"); else, as a word of their own ("so far this")
_PERIOD_WORDS = ("week", "month", "year", "since", "days")
_PERIOD_OWN_WORDS = ("far", "war")
_WORD_OR_HYPHEN = ASCII_WORD_CHARS | {"-"}
_HELD_SINCE = re.compile(r"\b(?:annex|occup|seiz|captur|controll|held|liberat|hold)\w*\b(?:\s+\w+){0,3}\s*$",
                         re.IGNORECASE)
_HEADLINE_MAX = 250  # characters; a longer first line is a paragraph of the body
_CAPTION = re.compile(r"Credit:", re.IGNORECASE)
_THE_MINISTRY = re.compile(r"\bthe\s+ministry\b", re.IGNORECASE)
_THE_MINISTRY_LOWER = lower_case_variant(_THE_MINISTRY)  # for lower-cased ASCII text, faster


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
    if first_line_end > _HEADLINE_MAX and not article.title:
        first_line_end = 0  # a body paragraph, not a headline (collections without titles)
    rows: list[dict[str, Any]] = []
    lower_text = text.lower()
    words = weapon_words(set(lower_text.split()))
    if not words:
        return rows  # the article names no weapon at all
    if any(hint.search(text) for hint in _GLUED_HINTS) and _GLUED_AT_STOP.search(text):  # ``_GLUED.search(text)``
        sentences = _unglue(sentences)
    body_end = text_body_end(text)
    if body_end < len(text):
        sentences = [s for s in sentences if s.start < body_end]
    state = ArticleState(sentences, lambda: _default_attacker(sentences, rules))
    state.words, state.lower_text, state.length = covering_words(words), lower_text, len(text)
    captioned = "credit:" in lower_text  # photo captions ("... Credit: Reuters") are like headlines
    for index, sentence in enumerate(sentences):
        state.current = index
        lower = sentence.text.lower()
        if may_name_ministry(lower):  # note_ministry's first test, before the method call
            state.note_ministry(sentence.text, lower, rules)
        # cheap tests first: most sentences name no weapon, and most state no number
        near = state.previous_counted or state.named(index) or (index and state.named(index - 1))
        if near and _number_hint(lower):
            numbers = find_numbers(sentence.text, lower)
            if numbers and not (state.foreign_war(text, rules) and _other_war(sentence, text, rules)):
                headline = sentence.start < first_line_end or (captioned and bool(_CAPTION.search(
                    _line_of(text, sentence))))
                items = sentence_items(sentence, numbers, state, rules)
                if items and state.foreign_war(text, rules):
                    items = _drop_foreign_clauses(sentence.text, items, rules)
                if items and any(map(lower.__contains__, rules.aid_hints)) and rules.aid.search(lower):
                    # "the UK is sending 1,600 missiles"
                    items = [i for i in items if i.event != "launched"]
                if items:
                    scope = "cumulative" if _cumulative(sentence.text, lower, rules) else "attack"
                    source = _source(sentence.text, lower, state, rules)
                    for item in items:
                        rows.extend(_rows(item, sentence, headline, scope, source, state, rules))
        if state.previous_counted or state.current_counted:
            if "all" in lower:  # _all_of_them's own first test, without a call per sentence
                rows.extend(_all_of_them(sentence, lower, state, rules, first_line_end))
            if (" were " in lower or " was " in lower or " been " in lower) and _some_downed(sentence.text, lower):
                _hits_were_launches(rows, sentences[max(0, index - 1)].start)
        state.close(sentence, rules)
    return rows


#: punctuation that follows a word split off by whitespace ("missiles,", "drones.", "Shahed)")
_TRAILING = ".,;:!?)]}\"'\u201d\u2019"


def covering_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` without those that are another of them plus trailing punctuation ("missiles," beside
    "missiles"): a text holds one of ``words`` exactly when it holds one of these (each dropped word
    contains a kept one, and every kept word is one of ``words``), with fewer scans per sentence."""
    present = set(words)
    return tuple(w for w in words if (bare := w.rstrip(_TRAILING)) == w or bare not in present)


def _number_hint(lower: str) -> bool:
    """Could a lower-cased sentence state a number? Digits first, then number words as substrings,
    and only then the regex (same answer as ``_NUMBER_HINT`` alone, far fewer regex scans)."""
    if not _ASCII_DIGITS.isdisjoint(lower):
        return True
    if not lower.isascii():
        return bool(_NUMBER_HINT.search(lower))
    if any(map(lower.__contains__, _NUMBER_WORD_HINTS)):  # `word in lower`
        # in ASCII text (no digit) the pattern matches a whole word (a \w run) that is a number word
        return not _NUMBER_WORD_SET.isdisjoint(_WORD_RUN.findall(lower))
    return False


def _some_downed(s: str, lower: str) -> bool:
    """``_SOME_DOWNED.search(s)``; an ASCII sentence is scanned only when its lower-cased text holds
    one of the pattern's quantifiers and one of its verbs, and then lower-cased without IGNORECASE
    (for ASCII, ignoring case is lower-casing)."""
    if not s.isascii():
        return bool(_SOME_DOWNED.search(s))
    if not (any(map(lower.__contains__, _SOME_DOWNED_QUANTIFIERS))
            and any(map(lower.__contains__, _SOME_DOWNED_VERBS))):
        return False
    return bool(_SOME_DOWNED_LOWER.search(lower) if _SOME_DOWNED_LOWER is not None else _SOME_DOWNED.search(s))


def _all_of_them(sentence: Sentence, lower: str, state: ArticleState, rules: CountRules,
                 first_line_end: int) -> list[dict[str, Any]]:
    """ "All of them were shot down" after a stated count gives that count (never "all but four")."""
    found = _ALL_OF_THEM.search(sentence.text) if _may_say_all(sentence.text, lower) else None
    if not found:
        return []
    post = rules.after.match(sentence.text, found.end())
    event = rules.after_event[normalise(post.group("t"))] if post else None
    launched = [i for i in state.previous_counted + state.current_counted if i.event == "launched"]
    if event in (None, "launched") or not launched:
        return []
    last = launched[-1]
    item = Item(last.count, found.start(), found.start(), found.end(), last.weapon_class, last.model,
                 last.attacker, last.qualifier, event=event)
    state.current_counted.append(item)
    scope = "cumulative" if _cumulative(sentence.text, lower, rules) else "attack"
    return _rows(item, sentence, sentence.start < first_line_end, scope, _source(sentence.text, lower, state, rules),
                 state, rules)


def _may_say_all(s: str, lower: str) -> bool:
    """Could ``_ALL_OF_THEM`` match ``s`` (``lower`` is ``s.lower()``)? It begins with the word "all"
    (a word boundary before it): in ASCII text an "all" right after a word character ("locally",
    "overall", "small") cannot begin a match, so only an "all" after another character or at the
    start sends the sentence to the scan. Other text is scanned whenever it holds "all"."""
    if not s.isascii():
        return "all" in lower
    at = lower.find("all")
    while at >= 0:
        if at == 0 or lower[at - 1] not in ASCII_WORD_CHARS:
            return True
        at = lower.find("all", at + 1)
    return False


def _drop_foreign_clauses(s: str, items: list[Item], rules: CountRules) -> list[Item]:
    """Items whose own stretch of the sentence is about another war ("Iran fired 180 missiles, and ...")."""
    kept, start = [], 0
    for item in items:
        window = s[start:item.phrase_end]
        if not (_theatre(rules.foreign, rules.foreign_lower, window) and not _theatre(rules.home, rules.home_lower,
                                                                                       window)):
            kept.append(item)
        start = item.phrase_end
    return kept


def _hits_were_launches(rows: list[dict[str, Any]], since: int) -> None:
    """ "Five missiles hit the city ... some were intercepted": the five were launched, not hits."""
    for row in rows:
        if row["event"] == "hit" and row["start_char"] >= since:
            row["event"] = "launched"


def _unglue(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences run together without a space ("since November.Only 15 rockets"), cut apart here so
    that one sentence's period or side does not leak into the next (spans stay exact)."""
    out: list[Sentence] = []
    for sentence in sentences:
        start = 0
        for m in _GLUED_AT_STOP.finditer(sentence.text):  # ``_GLUED.finditer``, two characters later
            begin = m.start() - 2
            word = sentence.text[max(0, begin - 6):begin + 2].split()[-1:] or [""]
            if word[0].lower().strip("(\"'") in _ABBREVIATIONS:
                continue
            out.append(Sentence(sentence.text[start:m.end()], sentence.start + start, sentence.start + m.end(),
                                sentence.paragraph))
            start = m.end()
        out.append(Sentence(sentence.text[start:], sentence.start + start, sentence.end, sentence.paragraph)
                   if start else sentence)
    return out


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
    if _theatre(rules.home, rules.home_lower, sentence.text):
        return False
    if _theatre(rules.foreign, rules.foreign_lower, sentence.text):
        return True
    paragraph = _paragraph_text(text, sentence)
    return _theatre(rules.foreign, rules.foreign_lower, paragraph) and not _theatre(rules.home, rules.home_lower,
                                                                                     paragraph)


def _theatre(pattern: re.Pattern, lower_pattern: re.Pattern | None, s: str) -> bool:
    """``pattern.search(s)``, on the lower-cased text without IGNORECASE when that is the same (ASCII)."""
    return bool(lower_pattern.search(s.lower()) if lower_pattern is not None and s.isascii() else pattern.search(s))


def _default_attacker(sentences: list[Sentence], rules: CountRules) -> str:
    """Whose weapons the article is about: read from the headline and lead."""
    lead = " ".join(s.text for s in sentences[:4]).lower()
    if rules.ukraine_cue_after_gap is not None and rules.russia_cue_after_gap is not None:
        # the same matches, one to one, scanned from the character before a word (see _after_gap)
        padded = " " + lead
        ukraine = len(rules.ukraine_cue_after_gap.findall(padded))
        russia = len(rules.russia_cue_after_gap.findall(padded))
    else:
        ukraine = len(rules.ukraine_cue.findall(lead))
        russia = len(rules.russia_cue.findall(lead))
    return "ukraine" if ukraine > russia else "russia"


def _rows(item: Item, sentence: Sentence, headline: bool, scope: str, source: str | None,
          state: ArticleState, rules: CountRules) -> list[dict[str, Any]]:
    s = sentence.text
    attacker = item.attacker or state.default_attacker
    row = {
        "scope": scope, "attacker": attacker, "event": item.event, "weapon_class": item.weapon_class,
        "weapon_model": item.model, "count": item.count, "qualifier": item.qualifier or "exact",
        "source": source, "is_headline": headline, "evidence": s,
        "start_char": sentence.start, "end_char": sentence.end,
    }
    # "all of them were shot down" after a launch: the same row again, as launched
    return [row, dict(row, event="launched")] if item.also_launched else [row]


def _cumulative(s: str, lower: str, rules: CountRules) -> bool:
    """A period cue, except one that dates a superlative ("the biggest attack since 2022", "the 12th
    attack this year"), and never beside "in a single night" (``lower`` is ``s.lower()``)."""
    if not any(map(lower.__contains__, _PERIOD_HINTS)):
        return False  # no period cue can match: skip the regexes
    if s.isascii() and not _may_name_period(lower):
        return False  # a sharper test of the same ("warfare" holds "war", "209" holds "20")
    # the cues first, "in a single night" only when one counts (the same answer, fewer scans)
    cues = rules.cumulative_lower.finditer(lower) if rules.cumulative_lower and s.isascii() else \
        rules.cumulative.finditer(s)
    for m in cues:
        if _SUPERLATIVE.search(s[max(0, m.start() - 60):m.start()]) or _background_clause(s, m.start()):
            continue
        return not _ONE_ATTACK.search(s)
    return False


@lru_cache(maxsize=1)
def _period_hints() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(substrings, words) of the cumulative cues: the lower-cased text of a match of a cue holds one
    of the substrings, or one of the words with neither a word character nor a hyphen on either side.
    A literal cue gives the first of ``_PERIOD_WORDS`` inside it (its characters are read literally,
    only the spaces between its words vary), else the first of ``_PERIOD_OWN_WORDS`` that is one of
    its words, else its longest word (the last of equals): a word of a cue stands alone in a match
    (spaces around it, or the cue's own word edges). A regex cue gives _REGEX_CUE_HINTS."""
    subs, words = set(_REGEX_CUE_HINTS), set()
    for cue in rule_data()["cumulative_cues"]:
        cue = str(cue).strip().lower()
        if "(" in cue or "\\" in cue:
            continue  # a regex cue
        hint = next((w for w in _PERIOD_WORDS if w in cue), None)
        if hint is not None:
            subs.add(hint)
        else:
            own = [w for w in _PERIOD_OWN_WORDS if w in cue.split()]
            words.add(own[0] if own else max(reversed(cue.split()), key=len))
    return tuple(sorted(subs)), tuple(sorted(words))


def _may_name_period(lower: str) -> bool:
    """Could lower-cased ASCII text hold a match of ``rules.cumulative_lower``? (see _period_hints)"""
    subs, words = _period_hints()
    if any(map(lower.__contains__, subs)):
        return True
    for word in words:
        at = lower.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or lower[at - 1] not in _WORD_OR_HYPHEN) and \
                    (end == len(lower) or lower[end] not in _WORD_OR_HYPHEN):
                return True
            at = lower.find(word, at + 1)
    return False


def _background_clause(s: str, pos: int) -> bool:
    """Is the period cue at ``pos`` background to a place, not the count's period? ("the plant, which
    Russia has occupied since March 2022, said ...", "Crimea, annexed in 2014"). A relative clause about
    the weapons ("5,000 drones, which Russia has launched since May") keeps its period."""
    clause = s[s.rfind(",", 0, pos) + 1:pos]
    return bool(_HELD_SINCE.search(clause))


def _source(s: str, lower: str, state: ArticleState, rules: CountRules) -> str | None:
    """The source a sentence names (``lower`` is ``s.lower()``)."""
    if state.russian_ministry and (_THE_MINISTRY_LOWER.search(lower) if _THE_MINISTRY_LOWER is not None
                                   and s.isascii() else _THE_MINISTRY.search(s)):
        return "Russian Defence Ministry"
    return rules.source_of(lower)


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


