"""The count rules of ``data/count_rules.yaml``, validated and compiled once into regexes.

:func:`compiled` is what :mod:`toolkit.counts` uses; :func:`validate` checks the
file's shape (a test runs it) so a bad edit fails loudly with the key it concerns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from .gazetteer import DataFileError
from .text import fold_key
from .weapons import literal_hints, lower_case_variant, phrase_pattern, rules

EVENTS = ("launched", "intercepted", "hit", "lost")
QUALIFIERS = ("at_least", "about", "up_to")
_TOP_KEYS = {"heads", "class_modifiers", "modifiers", "not_strike_weapons", "events", "after_fillers",
             "qualifiers", "cumulative_cues", "attacker_cues", "russian_claim_sources", "russian_regions",
             "foreign_theatre", "home_theatre", "sources", "aid_cues", "not_munitions"}


@dataclass(frozen=True, eq=False)
class CountRules:
    """Compiled patterns; each ``*_re`` is case-insensitive and matches whole words."""

    before: re.Pattern  # group "t": a trigger preceding the counted phrase
    before_lower: re.Pattern  # ``before`` for lower-cased ASCII text (no IGNORECASE: faster); see before_in
    before_after_gap: re.Pattern | None  # ``before_lower`` read from the character before (see _after_gap)
    before_event: dict[str, str]
    before_digit_free: bool  # no "before" trigger holds a digit (see before_in)
    after: re.Pattern  # anchored at the end of a counted phrase: fillers then a trigger "t"
    after_event: dict[str, str]
    after_fillers: tuple[str, ...]  # the words ``after`` may read before its trigger, as written
    after_never: frozenset[str]  # characters at which ``after`` cannot begin (see after_at)
    after_first_words: frozenset[str] | None  # the words ``after`` can read first (see after_at)
    after_and_digit_fails: bool  # ``after`` cannot match at " and 5", " or 12" (see after_at)
    qualifier_tail: re.Pattern  # a qualifier ending right before a number
    qualifier_of: dict[str, str]
    qualifier_ends: tuple[str, ...]  # the last words of the qualifiers (a cheap test before ``qualifier_tail``)
    cumulative: re.Pattern
    cumulative_lower: re.Pattern | None  # ``cumulative`` for lower-cased ASCII text (None if not sound)
    ukraine_cue: re.Pattern  # lower-case: search lower-cased text (about twice as fast as IGNORECASE)
    russia_cue: re.Pattern  # lower-case
    ukraine_cue_after_gap: re.Pattern | None  # ``ukraine_cue`` read from the character before (see _after_gap)
    russia_cue_after_gap: re.Pattern | None
    russian_claim: re.Pattern
    russian_claim_lower: re.Pattern | None  # ``russian_claim`` for lower-cased ASCII text (None if not sound)
    over_russia: re.Pattern  # "over Bryansk region" right after a phrase
    over_russia_lower: re.Pattern | None  # ``over_russia`` for lower-cased ASCII text (None if not sound)
    aid: re.Pattern  # lower-case; arms deliveries, stocks, production rates
    aid_hints: tuple[str, ...]  # every match of ``aid`` contains one of these (see literal_hints)
    foreign: re.Pattern
    foreign_lower: re.Pattern | None  # ``foreign`` for lower-cased ASCII text (None if not sound)
    foreign_cues: tuple[str, ...]
    home: re.Pattern
    home_lower: re.Pattern | None  # ``home`` for lower-cased ASCII text (None if not sound)
    source: re.Pattern  # lower-case; the first match in a sentence wins (see source_of)
    source_labels: dict[str, str]  # group name -> label; or, when ``source`` is a tree (group "src"), phrase -> label

    def before_iter(self, s: str) -> Iterator[re.Match]:
        """``before.finditer(s)``, same spans and same words up to case.

        ASCII text is lower-cased and scanned without IGNORECASE (same matches: for ASCII, case
        folding is lower-casing, and the spans do not move), about twice as fast.
        """
        return self.before_lower.finditer(s.lower()) if s.isascii() else self.before.finditer(s)

    def after_at(self, s: str, pos: int) -> re.Match | None:
        """``after.match(s, pos)``, not tried where no match can begin: at the end, at a character that
        starts no part of the pattern (".", ";" ...), or at a comma not followed by "and"/"or" (only
        the uncounted-weapons part of ``after`` reads a comma)."""
        if pos >= len(s):
            return None
        c = s[pos]
        if c in self.after_never or (c == "," and "," in self.after_never and not _COMMA_AND.match(s, pos)):
            return None
        if c.isspace() and self.after_first_words is not None:
            # spaces then a word: ``after`` reads it as "and"/"or", a filler or a trigger, whose first
            # \w run it must be (for an ASCII word ignoring case is lower-casing)
            word = _SPACE_WORD.match(s, pos)
            if word is not None and word.group(1).isascii():
                first = word.group(1).lower()
                if first not in self.after_first_words:
                    return None
                if (first == "and" or first == "or") and self.after_and_digit_fails and \
                        s[word.end():word.end() + 1] == " " and s[word.end() + 1:word.end() + 2] in _DIGITS:
                    return None  # "50 drones and 20 missiles": no uncounted weapons there, no verb
        return self.after.match(s, pos)

    def source_of(self, lower: str) -> str | None:
        """The label of the first source named in lower-cased text, if any."""
        if "src" in self.source.groupindex:  # the prefix tree, read from the character before a word
            found = self.source.search(" " + lower)
            return self.source_labels[" ".join(found.group("src").split())] if found else None
        found = self.source.search(lower)
        return self.source_labels[found.lastgroup or ""] if found else None

    def before_in(self, s: str, until: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, event) of every "before" trigger in ``s`` (with ``until``: of every one that ends
        by then, and maybe some more; the scan of ASCII text stops there)."""
        if until is None or not s.isascii():
            return [(m.start(), m.end(), self.before_event[normalise(m.group("t"))]) for m in self.before_iter(s)]
        found = []
        # a digit at ``until`` (where the last item's number begins): no trigger holds one, so no
        # match reaches over it and the scan stops there, as if the text ended right after it (a
        # match that ends by ``until`` reads no further, its look-ahead included)
        stop = until + 1 if self.before_digit_free and 0 <= until < len(s) and s[until] in _DIGITS else len(s)
        if self.before_after_gap is not None:
            # the same matches, each with the character before it (a space put before the text
            # stands for its start): positions are one more than in the text itself
            for m in self.before_after_gap.finditer(" " + s.lower(), 0, stop + 1):
                if m.end() - 1 > until:
                    break  # the matches do not overlap: every later one ends later
                found.append((m.start("t") - 1, m.end() - 1, self.before_event[normalise(m.group("t"))]))
            return found
        for m in self.before_lower.finditer(s.lower(), 0, stop):
            if m.end() > until:
                break  # the matches do not overlap: every later one ends later
            found.append((m.start(), m.end(), self.before_event[normalise(m.group("t"))]))
        return found


def _alt(phrases) -> str:
    return phrase_pattern(phrases)


def _words(phrases) -> re.Pattern:
    return re.compile(rf"\b(?<!-)(?:{_alt(phrases)})(?![\w-])", re.IGNORECASE)


def _lower_words(phrases) -> re.Pattern:
    """Like :func:`_words`, for lower-cased text (no IGNORECASE: a plain pattern runs faster)."""
    return re.compile(rf"\b(?<!-)(?:{_alt(phrases)})(?![\w-])")


def validate(data: dict) -> None:
    """Raise :class:`DataFileError` unless the rules file has the expected keys and values."""
    name = "count_rules.yaml"
    if not isinstance(data, dict):
        raise DataFileError(f"{name}: top level must be a mapping")
    missing, unknown = _TOP_KEYS - set(data), set(data) - _TOP_KEYS
    if missing or unknown:
        raise DataFileError(f"{name}: missing keys {sorted(missing)}, unknown keys {sorted(unknown)}")
    if set(data["events"]) != set(EVENTS):
        raise DataFileError(f"{name}: events must be exactly {EVENTS}")
    for event, spec in data["events"].items():
        if set(spec) != {"before", "after"}:
            raise DataFileError(f"{name}: events.{event} needs exactly 'before' and 'after' lists")
    if set(data["qualifiers"]) != set(QUALIFIERS):
        raise DataFileError(f"{name}: qualifiers must be exactly {QUALIFIERS}")
    if set(data["attacker_cues"]) != {"russia", "ukraine"}:
        raise DataFileError(f"{name}: attacker_cues must list russia and ukraine")
    for key in ("heads", "class_modifiers"):
        bad = set(data[key]) - {"drone", "cruise_missile", "ballistic_missile", "guided_bomb", "missile", "weapon"}
        if bad:
            raise DataFileError(f"{name}: {key}: unknown weapon class(es) {sorted(bad)}")
    seen: dict[tuple[str, str], str] = {}
    for event, spec in data["events"].items():
        for side in ("before", "after"):
            for phrase in spec[side] or []:
                trigger = (side, str(phrase).lower())
                if trigger in seen and seen[trigger] != event:
                    raise DataFileError(f"{name}: trigger {phrase!r} ({side}) is both {seen[trigger]} and {event}")
                seen[trigger] = event


#: characters at which ``after`` cannot begin (it begins with a comma, a space, a quote, "(", a filler
#: or a trigger), unless a filler or trigger begins with one; at a comma it needs "and"/"or" next
_AFTER_NEVER = frozenset(".;:!?)]},")
_COMMA_AND = re.compile(r",\s+(?:and|or)\s", re.IGNORECASE)
_SPACE_WORD = re.compile(r"\s+(\w+)")
_DIGITS = frozenset("0123456789")
_WORD_RUN = re.compile(r"\w+")


def _and_digit_fails(heads, phrases) -> bool:
    """Can ``after`` never match at spaces, "and" or "or", one space and a digit? Its uncounted-weapons
    part reads "and"/"or", a quantifier word, up to two [a-z-] words and a head: none begins with a
    digit when no head does; its other parts read spaces, then fillers and a trigger, and one
    could read "and"/"or" only as its own first word (a \\w run followed by a space or the end)."""
    firsts = _first_words(phrases)
    return firsts is not None and not {"and", "or"} & firsts and \
        all(str(h).strip()[:1].isalpha() for h in heads)


def _first_words(phrases) -> frozenset[str] | None:
    """The first \\w runs (lower case) of ASCII phrases that begin with a word character; None when
    one does not (then no word can be ruled out)."""
    words = set()
    for phrase in phrases:
        phrase = str(phrase).strip()
        first = _WORD_RUN.match(phrase)
        if not (phrase.isascii() and first):
            return None
        words.add(first.group(0).lower())
    return frozenset(words)


@lru_cache(maxsize=1)
def compiled() -> CountRules:
    """The compiled rules (built on first use, then cached for the process)."""
    data = rules()
    validate(data)
    before_event = {str(p).lower(): e for e, s in data["events"].items() for p in s["before"] or []}
    after_event = {str(p).lower(): e for e, s in data["events"].items() for p in s["after"] or []}
    heads = [h for hs in data["heads"].values() for h in hs]
    fillers = _alt(data["after_fillers"])
    # a filler or trigger may begin with none of the characters where ``after`` is not tried
    after_firsts = {str(p).strip()[:1] for p in [*after_event, *data["after_fillers"]]}
    # "... and several missiles had targeted": an uncounted weapon phrase may sit before the verb
    skip_weapons = (rf"(?:,?\s+(?:and|or)\s+(?:several|some|many|a\s+few|dozens\s+of|other|more)?\s*"
                    rf"(?:(?!(?:that|which|who|when|while)\b)[a-z-]+\s+){{0,2}}?(?:{_alt(heads)}))?")
    after = re.compile(
        rf"{skip_weapons}(?:[\s\"'\u201c\u201d]|\((?:[^()]{{1,40}})\))*"
        rf"(?:(?:{fillers})(?:\s+|[\"'\u201c\u201d]+\s*))*[\"'\u201c\u201d]?"
        rf"(?P<t>{_alt(after_event)})(?![\w-])", re.IGNORECASE)
    qualifier_of = {str(p).lower(): q for q, ps in data["qualifiers"].items() for p in ps}
    source, source_labels = _source_pattern(data["sources"])
    regions = _alt(data["russian_regions"])
    return CountRules(
        before=re.compile(rf"\b(?<!-)(?P<t>{_alt(before_event)})(?![\w-])", re.IGNORECASE),
        before_lower=re.compile(rf"\b(?<!-)(?P<t>{_alt(before_event)})(?![\w-])"),
        before_after_gap=_after_gap(before_event, "t"),
        before_event=before_event,
        before_digit_free=not any(c in _DIGITS for phrase in before_event for c in phrase),
        after=after,
        after_event=after_event,
        after_fillers=tuple(str(p) for p in data["after_fillers"]),
        after_never=_AFTER_NEVER - after_firsts,
        after_first_words=_first_words(["and", "or", *after_event, *data["after_fillers"]]),
        after_and_digit_fails=_and_digit_fails(heads, [*after_event, *data["after_fillers"]]),
        qualifier_tail=re.compile(rf"\b(?<!-)(?P<q>{_alt(qualifier_of)})\s+$", re.IGNORECASE),
        qualifier_of=qualifier_of,
        qualifier_ends=tuple(sorted({p.split()[-1] for p in qualifier_of if p.split()})),
        cumulative=_cumulative_re(data["cumulative_cues"]),
        cumulative_lower=lower_case_variant(_cumulative_re(data["cumulative_cues"])),
        ukraine_cue=_lower_words(data["attacker_cues"]["ukraine"]),
        russia_cue=_lower_words(data["attacker_cues"]["russia"]),
        ukraine_cue_after_gap=_after_gap(data["attacker_cues"]["ukraine"]),
        russia_cue_after_gap=_after_gap(data["attacker_cues"]["russia"]),
        russian_claim=_words(data["russian_claim_sources"]),
        russian_claim_lower=lower_case_variant(_words(data["russian_claim_sources"])),
        over_russia=re.compile(rf"[^.;:]{{0,30}}?\b(?:over|above|in)\s+(?:the\s+)?(?:{regions})", re.IGNORECASE),
        over_russia_lower=lower_case_variant(
            re.compile(rf"[^.;:]{{0,30}}?\b(?:over|above|in)\s+(?:the\s+)?(?:{regions})", re.IGNORECASE)),
        aid=_lower_words(data["aid_cues"]),
        aid_hints=literal_hints(data["aid_cues"]),
        foreign=_words(data["foreign_theatre"]),
        foreign_lower=lower_case_variant(_words(data["foreign_theatre"])),
        foreign_cues=tuple(data["foreign_theatre"]),
        home=_words(data["home_theatre"]),
        home_lower=lower_case_variant(_words(data["home_theatre"])),
        source=source,
        source_labels=source_labels,
    )


def _after_gap(phrases, group: str | None = None) -> re.Pattern | None:
    """``\\b(?<!-)(?:phrases)(?![\\w-])`` for lower-cased text, written to begin at the character
    before the phrase (``[^\\w-]``; search " " + text, positions one more): the engine then skips
    the letters of a text in C to the few places a word can begin, instead of testing ``\\b`` at
    every one. The same matches, one to one, when every phrase begins and ends with a word character
    (then ``\\b`` there means "no word character before", and no match can begin where another ends);
    else None."""
    if not all(re.match(r"\w", str(p).strip()) and re.search(r"\w$", str(p).strip()) for p in phrases):
        return None
    body = f"(?P<{group}>{_alt(phrases)})" if group else f"(?:{_alt(phrases)})"
    return re.compile(rf"[^\w-]{body}(?![\w-])")


def _source_pattern(sources: dict[str, list[str]]) -> tuple[re.Pattern, dict[str, str]]:
    """The source phrases as one prefix tree (group "src", read from the character before the phrase,
    see :func:`_after_gap`), with a phrase -> label table (about twice as fast as a named group per
    label). Sound when no two phrases of different labels can match at one place: one would be the
    other plus a space or punctuation ("air force" and "air force command").
    Else one named group per label, in the file's order (the first label that matches wins)."""
    labels: dict[str, str] = {}
    for label, phrases in sources.items():
        for phrase in phrases:
            labels.setdefault(" ".join(str(phrase).lower().split()), label)
    clash = any(q != p and q.startswith(p) and not re.match(r"[\w-]", q[len(p)]) and labels[p] != labels[q]
                for p in labels for q in labels)
    duplicate = len(labels) != sum(len({" ".join(str(x).lower().split()) for x in ps}) for ps in sources.values())
    tree = _after_gap(labels, "src")
    if not (clash or duplicate) and tree is not None:
        return tree, labels
    groups = "|".join(rf"(?P<s{n}>{_alt(phrases)})" for n, phrases in enumerate(sources.values()))
    return re.compile(rf"\b(?<!-)(?:{groups})(?![\w-])"), {f"s{n}": label for n, label in enumerate(sources)}


def _cumulative_re(cues: list[str]) -> re.Pattern:
    """Literal cues go into a prefix tree; the few written as regexes ("(?:...)") are kept apart."""
    literal = [c for c in cues if "(" not in c and "\\" not in c]
    patterns = [c for c in cues if c not in literal]
    body = "|".join([phrase_pattern(literal)] + patterns)
    return re.compile(rf"\b(?<!-)(?:{body})(?![\w-])", re.IGNORECASE)


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def normalise(phrase: str) -> str:
    """A matched trigger or qualifier as a lookup key (lower case, single spaces); cached, as the
    matched phrases are few."""
    return _SPACES.sub(" ", fold_key(phrase.strip()))
