"""The impacts extractor's trigger words (``data/impact_rules.yaml``), compiled once.

:func:`rules` validates the file and returns compiled patterns; :func:`classify`
says what one sentence is about (an air strike, ground fighting, another war,
an earlier incident), which every impacts rule consults.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from .gazetteer import DataFileError, load_yaml
from .meeting_rules import _sre_parse  # the regex parser (re._parser, sre_parse before 3.11)
from .meeting_rules import lowered as lowered_pattern

RULES_FILE = "impact_rules.yaml"
_WORD_LISTS = ("strike_words", "air_words", "ground_words", "background_words", "foreign_words",
               "launch_before", "place_blockers_after", "place_blockers_before", "outage_units",
               "restored_words", "person_nouns", "military_nouns", "rollup_words", "hypothetical_words", "capital_struck_before",
               "capital_struck_after", "russian_attack_words", "ukrainian_attack_words", "total_words",
               "history_words", "weapons_over_words", "capital_venue_words", "river_names", "superlative_words")
_SERVICES = ("power", "heat", "water", "gas")
_KIND_GROUPS = ("foreign", "hypothetical", "background", "rollup", "ground", "strike", "air")


def lower_fragment(fragment: str) -> str:
    """A regex fragment for lower-cased text: letters lowered, escapes (``\\S``, ``\\W``) kept."""
    return re.sub(r"(\\.)|([A-Z])", lambda m: m.group(1) or m.group(2).lower(), fragment)


def alternation(fragments: list[str]) -> str:
    """The fragments, lower-cased, as one factored regex alternation (longest first)."""
    expanded = [e for f in fragments for e in expand_leading(lower_fragment(f))]
    return factored(sorted(dict.fromkeys(expanded), key=len, reverse=True))


_LEADING_GROUP = re.compile(r"\(\?:((?:[^()\\]|\\.)*)\)(\?)?")


def expand_leading(fragment: str, rounds: int = 3) -> list[str]:
    """A fragment opening with a group of plain words, spelled out: "(?:oil|gas) depots?" ->
    ["oil depots?", "gas depots?"], "(?:the )?grid" -> ["the grid", "grid"] (so it can be factored)."""
    m = _LEADING_GROUP.match(fragment)
    if not rounds or not m or (m.group(2) and not fragment[m.end():]):
        return [fragment]
    rest = fragment[m.end():]
    options = [alt + rest for alt in m.group(1).split("|")] + ([rest] if m.group(2) else [])
    return [e for option in options for e in expand_leading(option, rounds - 1)]


def _top_level_pipe(fragment: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for char in fragment:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


def factored(fragments: list[str], depth: int = 3) -> str:
    """An alternation of regex fragments with shared leading letters factored out, in order.

    Python's ``re`` tries every branch of an alternation at every word; grouping the
    branches by their first letters (a trie) makes a vocabulary of a few hundred
    phrases several times cheaper to scan. Fragments not starting with a plain letter
    keep their place in front.

    >>> factored(["drones?", "drove", "(?:air|sea) ports?"])
    '(?:(?:air|sea) ports?)|d(?:r(?:o(?:(?:nes?)|(?:ve))))'
    """
    heads: dict[str, list[str]] = {}
    others: list[str] = []
    for fragment in fragments:
        head = fragment[:1]
        plain = head.isascii() and (head.isalnum() or head == " ")
        if depth and plain and len(fragment) > 1 and fragment[1] not in "?*+{|" and not _top_level_pipe(fragment):
            heads.setdefault(head, []).append(fragment[1:])
        else:
            others.append(fragment)
    parts = [f"(?:{f})" for f in others]
    for head, tails in heads.items():
        if len(tails) == 1:
            parts.append(f"{head}(?:{tails[0]})")
        else:
            parts.append(f"{head}(?:{factored(tails, depth - 1)})")
    return "|".join(parts)


def first_chars(fragments: list[str]) -> str:
    """A lookahead on the letters the fragments can start with (a cheap pre-check per word)."""
    chars: set[str] = set()
    for fragment in fragments:
        for expanded in expand_leading(lower_fragment(fragment)):
            head = expanded[:1]
            if expanded.startswith("\\d"):
                chars.update("0123456789")
            elif head.isalnum() and head.isascii():
                chars.add(head)
            else:
                return ""
    return f"(?=[{''.join(sorted(chars))}])"


def words_pattern(fragments: list[str]) -> re.Pattern[str]:
    """One regex matching any fragment as whole words (longest first), for LOWER-CASED text
    (see :func:`lowered`): matching lower-cased text case-sensitively is several times faster."""
    return re.compile(rf"\b{first_chars(fragments)}(?:{alternation(fragments)})(?![\w-])")


def lowered(text: str) -> str:
    """``text`` lower-cased with every offset kept (characters whose lower case is longer stay)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@dataclass(frozen=True)
class Rules:
    """Compiled trigger patterns of ``impact_rules.yaml``."""

    kinds: re.Pattern[str]  # one pass over every trigger word of _KIND_GROUPS
    kind_of: tuple[tuple[str, re.Pattern[str]], ...]  # which group a matched trigger belongs to, in order
    background: re.Pattern[str]
    launch_before: re.Pattern[str]
    capital_before: re.Pattern[str]
    capital_after: re.Pattern[str]
    blockers_after: re.Pattern[str]
    blockers_before: re.Pattern[str]
    outage_units: re.Pattern[str]
    restored: re.Pattern[str]
    services: dict[str, str]  # service word (lower case) -> service
    service_words: str  # regex alternation of service words
    person_nouns: str  # regex alternation
    military_nouns: re.Pattern[str]
    russian_attack: re.Pattern[str]
    ukrainian_attack: re.Pattern[str]
    total: re.Pattern[str]
    history: re.Pattern[str]
    weapons_over: re.Pattern[str]
    capital_venue: re.Pattern[str]
    rivers: frozenset[str]  # names that are rivers after "the"
    superlative: re.Pattern[str]  # a superlative at the end of the text before a period cue
    #: launch_before for LOWER-CASED ASCII text, without IGNORECASE (see :func:`ascii_lowered`)
    launch_before_ascii: re.Pattern[str] | None = None


def validate(data: Any) -> None:
    """Raise DataFileError unless the rules file has every list, as non-empty lists of valid regexes."""
    if not isinstance(data, dict):
        raise DataFileError(f"{RULES_FILE}: not a mapping")
    unknown = set(data) - set(_WORD_LISTS) - {"outage_services"}
    if unknown:
        raise DataFileError(f"{RULES_FILE}: unknown key(s) {sorted(unknown)}")
    for key in _WORD_LISTS:
        items = data.get(key)
        if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
            raise DataFileError(f"{RULES_FILE}: {key!r} must be a non-empty list of strings")
        for item in items:
            try:
                re.compile(item)
            except re.error as exc:
                raise DataFileError(f"{RULES_FILE}: {key}: bad pattern {item!r}: {exc}") from exc
    services = data.get("outage_services")
    if not isinstance(services, dict) or set(services) != set(_SERVICES):
        raise DataFileError(f"{RULES_FILE}: outage_services must list exactly {_SERVICES}")


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The compiled rules (loaded and validated once per process)."""
    data = load_yaml(RULES_FILE)
    validate(data)
    services = {w.lower(): svc for svc, words in data["outage_services"].items() for w in words}
    kind_words = [f for g in _KIND_GROUPS for f in data[g + "_words"]]
    found = Rules(
        kinds=re.compile(r"\b" + first_chars(kind_words) + f"(?:{alternation(kind_words)})" + r"(?![\w-])"),
        kind_of=tuple((g, re.compile(alternation(data[g + "_words"]))) for g in _KIND_GROUPS),
        background=words_pattern(data["background_words"]),
        launch_before=re.compile(rf"(?:{'|'.join(data['launch_before'])})\s*$", re.IGNORECASE),
        capital_before=re.compile(rf"\b(?:{'|'.join(data['capital_struck_before'])})$", re.IGNORECASE),
        capital_after=re.compile(rf"\s*(?:{'|'.join(data['capital_struck_after'])})", re.IGNORECASE),
        blockers_after=re.compile(rf"\s*(?:{'|'.join(data['place_blockers_after'])})"),
        blockers_before=re.compile(rf"(?:{'|'.join(data['place_blockers_before'])})\s+$"),
        outage_units=words_pattern(data["outage_units"]),
        restored=words_pattern(data["restored_words"]),
        services=services,
        service_words="|".join(re.escape(w) for w in sorted(services, key=len, reverse=True)),
        person_nouns="|".join(f"(?:{p})" for p in sorted(data["person_nouns"], key=len, reverse=True)),
        military_nouns=words_pattern(data["military_nouns"]),
        # no leading \b: a pattern opening with letters is scanned for them first (about 10x faster);
        # word_search checks the boundary
        russian_attack=re.compile(rf"(?:{'|'.join(data['russian_attack_words'])})\b"),
        ukrainian_attack=re.compile(rf"(?:{'|'.join(data['ukrainian_attack_words'])})\b"),
        total=re.compile(rf"\b(?:{'|'.join(data['total_words'])})\b", re.IGNORECASE),
        history=re.compile(rf"\b(?:{'|'.join(data['history_words'])})\b"),
        capital_venue=re.compile(rf"\b(?:{'|'.join(data['capital_venue_words'])})\b", re.IGNORECASE),
        rivers=frozenset(data["river_names"]),
        # a period after a superlative ranks this attack against the war: not an earlier incident
        superlative=re.compile(rf"\b(?:{'|'.join(data['superlative_words'])})\b[^.;:]*$", re.IGNORECASE),
        weapons_over=re.compile(rf"\b(?:{'|'.join(data['weapons_over_words'])})\s+(?:the\s+)?$", re.IGNORECASE),
        launch_before_ascii=ascii_lowered(data["launch_before"], r"\s*$"),
    )
    for pattern in (found.kinds, found.history):  # searched from word starts: their forms compiled now
        prepare_word_starts(pattern)
    return found


def ascii_lowered(fragments: list[str], suffix: str = "") -> re.Pattern[str] | None:
    """``(?:fragment|...)suffix``, meant to run with IGNORECASE, for lower-cased ASCII text without it
    (several times faster): the fragments' letters lowered (:func:`lower_fragment`), then
    :func:`meeting_rules.lowered`, which refuses flags, back references and letters it cannot lower. None
    also for a ``\\N{...}`` escape, whose name lower_fragment would rewrite."""
    source = f"(?:{'|'.join(fragments)}){suffix}"
    if "\\N" in source:
        return None
    return lowered_pattern(f"(?:{'|'.join(lower_fragment(f) for f in fragments)}){suffix}")


def word_search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``text`` that starts a word (``pattern`` has no leading ``\b``)."""
    for m in pattern.finditer(text):
        start = m.start()
        if not start or not (text[start - 1].isalnum() or text[start - 1] == "_"):
            return m
    return None


@dataclass(frozen=True)
class SentenceKind:
    """What a sentence talks about, as the impacts rules need to know it."""

    strike: bool  # attacked / hit / damaged / shot down...
    air: bool  # names aerial weapons
    ground: bool  # shelling, artillery, fighting
    foreign: bool  # another war (Israel, Iran...)
    background: bool  # an earlier incident
    rollup: bool = False  # a daily roll-up of unspecified attacks ("51 attacks")
    hypothetical: bool = False  # a threat or a possibility ("could be targeted")

    @cached_property
    def air_strike(self) -> bool:
        """True when the sentence reports an air strike (not ground fighting, not another war)."""
        if self.foreign or self.hypothetical:
            return False
        if (self.ground or self.rollup) and not self.air:
            return False
        return self.strike


def classify(text: str) -> SentenceKind:
    """Flags of one sentence.

    >>> classify("Drones hit a house.").air_strike, classify("Artillery shelled the town.").air_strike
    (True, False)
    """
    return classify_spans(text, [(0, len(text))])[0]


# strike verbs in the past: a threat after one of them does not unsay it
_REPORTED = re.compile(r"struck|hit|attacked|damaged|destroyed|shot down|downed|intercepted|killed|injured|wounded|"
                       r"exploded|targeted|pounded|bombed|raided")


@lru_cache(maxsize=4096)
def kind_of(trigger: str) -> str:
    """The group of a matched trigger word (the first group, in priority order, it belongs to)."""
    for group, pattern in rules().kind_of:
        if pattern.fullmatch(trigger):
            return group
    return "strike"


_BITS = {group: 1 << i for i, group in enumerate(_KIND_GROUPS)}
_REPORTED_BIT = 1 << len(_KIND_GROUPS)


@lru_cache(maxsize=4096)
def _trigger(word: str) -> tuple[int, bool]:
    """The group bit of a matched trigger word, and whether it reports a strike in the past."""
    group = kind_of(word)
    return _BITS[group], group == "strike" and bool(_REPORTED.fullmatch(word))


@lru_cache(maxsize=None)
def _sentence_kind(bits: int) -> SentenceKind:
    """The (immutable, shared) SentenceKind of a set of group bits."""
    has = {group: bool(bits & bit) for group, bit in _BITS.items()}
    return SentenceKind(has["strike"], has["air"], has["ground"], has["foreign"], has["background"],
                        has["rollup"], has["hypothetical"])


def classify_spans(text: str, spans: list[tuple[int, int]], low: str | None = None) -> list[SentenceKind]:
    """Flags of every sentence ``text[start:end]`` of one article, in one pass over the text
    (``low``: the text already lower-cased by :func:`lowered`; ``spans`` in text order)."""
    return _classify(low if low is not None else lowered(text), spans)


#: trigger word -> (group bit, reported): :func:`_trigger` without the lru_cache call
_TRIGGERS: dict[str, tuple[int, bool]] = {}
#: the last article scanned by :func:`_classify`: (its lowered text, every trigger match as (start, end, bit))
_last_scan: tuple[str, list[tuple[int, int, int]]] | None = None


def _classify(low: str, spans: list[tuple[int, int]]) -> list[SentenceKind]:
    """:func:`classify_spans` on lowered text. Matches come in text order, so the sentence of a
    match is looked up (bisect) only when a match leaves the offsets where the last one applies.
    Every match is kept (see :func:`triggers_in`)."""
    global _last_scan
    flags = [0] * len(spans)
    starts = [start for start, _ in spans]
    r = rules()
    superlative = r.superlative.search
    triggers = _TRIGGERS
    hypothetical, background = _BITS["hypothetical"], _BITS["background"]
    hits: list[tuple[int, int, int]] = []
    i, begin, inside, bound = -1, 0, False, -1  # the sentence of matches at offsets < bound
    for at, stop, _ in word_start_matches(r.kinds, low):
        word = low[at:stop]
        found = triggers.get(word)
        if found is None:
            found = triggers[word] = _trigger(word)
        bit, reported = found
        hits.append((at, stop, bit))
        if at >= bound:
            i = bisect_right(starts, at) - 1
            after = starts[i + 1] if i + 1 < len(starts) else len(low) + 1
            inside = i >= 0 and at < spans[i][1]
            begin = spans[i][0] if inside else 0
            bound = min(spans[i][1], after) if inside else after
        if not inside:
            continue
        if reported:
            flags[i] |= _REPORTED_BIT
        if bit == hypothetical and flags[i] & _REPORTED_BIT:
            continue  # "his forces had struck a plant, and he warned ...": the strike was reported first
        if bit == background and superlative(low[max(begin, at - 80):at]):
            continue  # "its largest attack of the war", "the deadliest since the invasion": this attack
        flags[i] |= bit
    _last_scan = (low, hits)
    return [_sentence_kind(f & ~_REPORTED_BIT) for f in flags]


# zero-width checks of the trigger words that look past a match's end (``(?! \d)``: "in May" but
# not "in May 2023"); any other one in the data turns :func:`triggers_in` off
_KNOWN_LOOKAHEAD = "(?! \\d)"
_ASSERTIONS = re.compile(r"\(\?[=!<]|\\[bBAZ]|[$^]")


@lru_cache(maxsize=1)
def _reusable() -> bool:
    r"""Whether the trigger words hold no zero-width check but ``(?! \d)`` (see :func:`triggers_in`)."""
    data = load_yaml(RULES_FILE)
    return not any(_ASSERTIONS.search(f.replace(_KNOWN_LOOKAHEAD, ""))
                   for g in _KIND_GROUPS for f in data[g + "_words"])


def triggers_in(low: str, start: int, end: int) -> list[tuple[int, int]] | None:
    r"""``(start, group bit)`` of each match of ``rules().kinds.finditer(low, start, end)``, read from
    the article scan of :func:`classify_spans` (``low`` the very string it scanned); None when that
    scan cannot stand for this one.

    It can when no match of the article scan crosses ``start`` or ``end`` and the text at ``end``
    reads as the end of the text would to the pattern's checks (``\b(?=[...])`` at the start,
    ``(?![\w-])`` and ``(?! \d)`` after a word): not a letter, digit, "_" or "-", and not a space
    before a digit. Then both scans try the same offsets from ``start`` on and every attempt ends
    the same way (an attempt reading past ``end`` would be a crossing match).
    """
    scan = _last_scan
    if scan is None or scan[0] is not low or not _reusable():
        return None
    if end < len(low):
        c = low[end]
        if c.isalnum() or c in "_-" or (c == " " and low[end + 1:end + 2].isdecimal()):
            return None
    hits = scan[1]
    first = bisect_right(hits, (start, -1, -1))
    last = bisect_right(hits, (end, -1, -1))
    if (first and hits[first - 1][1] > start) or (last > first and hits[last - 1][1] > end):
        return None
    return [(at, bit) for at, _, bit in hits[first:last]]


def group_bit(group: str) -> int:
    """The bit :func:`triggers_in` gives a trigger of ``group``."""
    return _BITS[group]


# --------------------------------------------------------------------------- scans from word starts

_WORD_CATEGORIES = frozenset({_sre_parse.CATEGORY_DIGIT, _sre_parse.CATEGORY_WORD})
_ZERO_WIDTH = frozenset({_sre_parse.AT, _sre_parse.ASSERT, _sre_parse.ASSERT_NOT})
_REPEATS = frozenset({_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT,
                      getattr(_sre_parse, "POSSESSIVE_REPEAT", _sre_parse.MAX_REPEAT)})


def _is_word_char(code: int) -> bool:
    char = chr(code)
    return char.isalnum() or char == "_"


def _opens_with_word_char(items: Any) -> bool | None:
    r"""Whether every match of the parsed regex sequence ``items`` begins with a word character (``\w``):
    True; None when it may match the empty string (its zero-width checks aside); False when a match may
    begin with another character, or the form is not one this reads."""
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # consumes nothing: the first character is read by what follows
        if op is _sre_parse.LITERAL:
            return _is_word_char(av)
        if op is _sre_parse.IN:
            for kind, value in av:
                if kind is _sre_parse.LITERAL:
                    ok = _is_word_char(value)
                elif kind is _sre_parse.RANGE:
                    ok = all(_is_word_char(c) for c in range(value[0], value[1] + 1))
                elif kind is _sre_parse.CATEGORY:
                    ok = value in _WORD_CATEGORIES
                else:  # NEGATE and anything else
                    ok = False
                if not ok:
                    return False
            return True
        if op is _sre_parse.SUBPATTERN:
            found = _opens_with_word_char(av[-1])
        elif op is _sre_parse.BRANCH:
            answers = [_opens_with_word_char(alt) for alt in av[1]]
            if False in answers:
                return False
            found = None if None in answers else True
        elif op in _REPEATS:
            found = _opens_with_word_char(av[2])
            if found is False:
                return False
            if av[0] == 0:
                found = None  # may be skipped: what follows can open the match too
        else:
            return False
        if found is False:
            return False
        if found:
            return True
        # None: this item may match empty; what follows must open with a word character too
    return None


def _ends_before_non_word(items: Any) -> bool:
    r"""Whether the parsed regex sequence ``items`` ends with a look-ahead ``(?![...])`` whose class holds
    ``\w``: no match is followed by a word character, so none of a pattern whose matches open with one
    starts where another ends."""
    if not items:
        return False
    op, av = items[-1]
    if op is not _sre_parse.ASSERT_NOT or av[0] != 1:
        return False
    inner = list(av[1])
    return (len(inner) == 1 and inner[0][0] is _sre_parse.IN
            and (_sre_parse.CATEGORY, _sre_parse.CATEGORY_WORD) in inner[0][1]
            and all(kind is not _sre_parse.NEGATE for kind, _ in inner[0][1]))


class WordStartForms(NamedTuple):
    """How :func:`word_start_matches` scans a pattern ``\\bX`` (see :func:`_make_word_start_forms`)."""

    ascii: re.Pattern[str]  # X after [^0-9A-Z_a-z], for ASCII text
    any: re.Pattern[str]  # X after [^0-9_a-z](?<=\W), for any text
    disjoint: bool  # no match starts where one ends (see _ends_before_non_word)


#: id(pattern) -> (pattern, :func:`_make_word_start_forms` of it)
_WORD_START_FORMS: dict[int, tuple[re.Pattern[str], WordStartForms | None]] = {}


def _word_start_forms(pattern: re.Pattern[str]) -> WordStartForms | None:
    """:func:`_make_word_start_forms`, made once per pattern (kept by ``id``: hashing a pattern hashes
    its code)."""
    known = _WORD_START_FORMS.get(id(pattern))
    if known is None or known[0] is not pattern:
        known = _WORD_START_FORMS[id(pattern)] = (pattern, _make_word_start_forms(pattern))
    return known[1]


def _make_word_start_forms(pattern: re.Pattern[str]) -> WordStartForms | None:
    r"""For a pattern ``\bX`` every match of which opens with a word character: ``X`` after the character
    before it, for ASCII text (``[^0-9A-Z_a-z]``) and for any text (``[^0-9_a-z](?<=\W)``), the match of
    ``X`` in group ``_w`` (group 1); None for other patterns (flags, no leading ``\b``, ``X`` may open
    otherwise). Both checks are read on the parsed pattern."""
    source = pattern.pattern
    if pattern.flags & ~re.UNICODE or not source.startswith(r"\b") or "_w" in pattern.groupindex:
        return None
    try:
        parsed = list(_sre_parse.parse(source))
    except Exception:  # pragma: no cover - the pattern compiled, so it parses
        return None
    if _opens_with_word_char(parsed) is not True:
        return None
    rest = source[2:]
    return WordStartForms(re.compile(rf"[^0-9A-Z_a-z](?P<_w>{rest})"),
                          re.compile(rf"[^0-9_a-z](?<=\W)(?P<_w>{rest})"), _ends_before_non_word(parsed))


def prepare_word_starts(pattern: re.Pattern[str]) -> None:
    """Make the forms :func:`word_start_matches` scans ``pattern`` with now (compiling them costs far
    more than a scan: better once at load time than inside the first article that needs them)."""
    _word_start_forms(pattern)


def word_start_matches(pattern: re.Pattern[str], text: str, start: int = 0,
                       end: int | None = None) -> list[tuple[int, int, re.Match[str]]]:
    r"""``(start, end, match)`` of every match of ``pattern.finditer(text, start, end)``, the match object
    giving the named groups (its own start and end may differ: use the pair).

    For a pattern ``\bX`` whose every match opens with a word character (checked on the parsed pattern),
    ``\b`` holds at an offset ``q`` exactly when ``text[q - 1]`` is not a word character (or ``q`` is 0):
    so past the first offset tried, ``X`` is looked for right after a character that is not a word
    character, which ``re`` scans for in a tight loop instead of trying the whole pattern at every
    offset. At each offset where finditer tries (``start``, then the end of each match) the pattern is
    tried there first, as finditer does; then the next match is the first one after a non-word
    character past it, the same offsets in the same order, so the matches are finditer's. When no
    match starts where one ends (``disjoint``) the pattern is tried at ``start`` alone and one scan of
    the fast form finds the rest."""
    forms = _word_start_forms(pattern)
    size = len(text) if end is None else end
    if forms is None:
        return [(m.start(), m.end(), m) for m in pattern.finditer(text, start, size)]
    # str.isascii is O(1) (CPython keeps the flag); forms read by index (cheaper than by field name)
    fast = forms[0] if text.isascii() else forms[1]
    if forms[2]:  # disjoint
        first = pattern.match(text, start, size)
        found = [(first.start(), first.end(), first)] if first else []
        found += [(m.start(1), m.end(1), m) for m in fast.finditer(text, first.end() if first else start, size)]
        return found
    found = []
    at = start
    while at <= size:
        m = pattern.match(text, at, size)
        if m is None:
            m = fast.search(text, at, size)
            if m is None:
                break
            begin, stop = m.span(1)
        else:
            begin, stop = m.span()
        found.append((begin, stop, m))
        at = stop if stop > begin else stop + 1
    return found
