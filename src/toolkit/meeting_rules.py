"""Rules and places of :mod:`toolkit.meetings`, loaded once from ``data/diplomacy_rules.yaml`` and
``data/venues.csv`` and compiled for speed (patterns run on ASCII-lower-cased text)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .gazetteer import load_csv, load_yaml

RULES_FILE = "diplomacy_rules.yaml"
VENUES_FILE = "venues.csv"


@dataclass(frozen=True)
class Venue:
    """A meeting place alias: the place it is filed under, its kind and what holds it."""

    alias: str
    place: str
    kind: str
    within: str



@lru_cache(maxsize=1)
def venues() -> dict[str, Venue]:
    """Venue aliases (as written) -> :class:`Venue`, loaded once."""
    rows = load_csv(VENUES_FILE, required=("alias", "place", "kind"), optional=("within",), key=("alias",))
    bad = [r["alias"] for r in rows if r["kind"] not in ("venue", "city", "region", "country")]
    if bad:
        raise ValueError(f"{VENUES_FILE}: unknown kind for {bad}")
    return {r["alias"]: Venue(r["alias"], r["place"], r["kind"], r.get("within", "")) for r in rows}



@lru_cache(maxsize=1)
def place_parents() -> dict[str, set[str]]:
    """Place -> every region/country above it (Anchorage -> Alaska, United States)."""
    direct: dict[str, str] = {}
    for v in venues().values():
        if v.within and v.kind != "venue":
            direct.setdefault(v.place, v.within)
        elif v.within:
            direct.setdefault(v.place, v.within)
    parents: dict[str, set[str]] = {}
    for place in direct:
        seen, cur = set(), place
        while cur in direct and direct[cur] not in seen and direct[cur] != cur:
            cur = direct[cur]
            seen.add(cur)
        parents[place] = seen
    return parents



try:  # the parser of the re module, to read which texts a rule can match (Python 3.11+, then older)
    from re import _constants as _sre_constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_MAX_STRINGS = 4096


def matchable_strings(pattern: str) -> frozenset[str] | None:
    """Every text ``pattern`` (compiled without flags) can match, when it is a small finite set (literals, alternatives, optional
    parts, short repeats; zero-width assertions such as ``\\b`` are ignored, which can only add texts);
    None for anything else. A text holding none of them cannot match, so a substring test can stand
    in front of the pattern."""
    try:
        parsed = _sre_parse.parse(pattern)
        if parsed.state.flags & ~_sre_constants.SRE_FLAG_UNICODE:
            return None  # (?i) and such: the texts are not literal
        strings = _strings(parsed.data)
    except Exception:  # an unusual construct: no shortcut
        return None
    return frozenset(strings) if strings is not None else None


def _strings(items: list[Any]) -> list[str] | None:
    c = _sre_constants
    out = [""]
    for op, av in items:
        options: list[str] | None
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width
        if op is c.LITERAL:
            options = [chr(av)]
        elif op is c.IN and all(o is c.LITERAL for o, _ in av):
            options = [chr(v) for _, v in av]
        elif op is c.BRANCH:
            options = []
            for branch in av[1]:
                sub = _strings(branch.data)
                if sub is None:
                    return None
                options.extend(sub)
        elif op is c.SUBPATTERN and not av[1] and not av[2]:  # a group without flags
            options = _strings(av[3].data)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[1] <= 4:
            sub = _strings(av[2].data)
            if sub is None:
                return None
            options, layer = [], [""]
            for count in range(av[1] + 1):
                if count >= av[0]:
                    options.extend(layer)
                layer = [x + y for x in layer for y in sub]
        else:
            return None
        if options is None:
            return None
        out = [x + y for x in out for y in options]
        if len(out) > _MAX_STRINGS:
            return None
    return out


#: The only characters that IGNORECASE matching ties to an ASCII character while ``str.lower`` does not
#: map them onto it, or that ``str.lower`` lengthens (found by trying every code point; a test checks).
CASE_TRAPS = "\u0130\u0131\u017f\u212a"


def case_safe(text: str) -> bool:
    """True when an IGNORECASE pattern of lower-case ASCII finds in ``text`` exactly what the same
    pattern without IGNORECASE finds in ``text.lower()`` (same length, same offsets)."""
    return text.isascii() or not any(c in text for c in CASE_TRAPS)


def lowered(pattern: str) -> re.Pattern[str] | None:
    """``pattern``, meant to run with IGNORECASE, compiled to run on lower-cased text instead: without
    IGNORECASE, which is several times faster (use it only where :func:`case_safe` holds). None when
    the pattern names an upper-case or non-ASCII letter, sets flags or refers back: it cannot run so."""
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & ~_sre_constants.SRE_FLAG_UNICODE or not _lower_case_only(parsed.data):
        return None
    return re.compile(pattern)


def _caseless(char: str) -> bool:
    """Punctuation, spaces and symbols (a curly quote, a dash): no case, and no letter lower-cases to one."""
    category = unicodedata.category(char)
    return category[0] in "PZ" or category in ("Sc", "Sm", "Sk")


def _lower_case_only(items: Any) -> bool:
    """True when every literal of a parsed pattern is ASCII but no upper-case letter, or caseless, every
    range ASCII without upper-case letters, and no group sets flags or refers back (then IGNORECASE and
    lower-casing the text agree)."""
    c = _sre_constants
    repeats = tuple(getattr(c, n) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(c, n))
    for op, av in items:
        if op in (c.LITERAL, c.NOT_LITERAL):
            ok = not 65 <= av <= 90 if av < 128 else _caseless(chr(av))
        elif op is c.RANGE:
            ok = av[1] < 128 and (av[1] < 65 or av[0] > 90)
        elif op is c.IN:
            ok = _lower_case_only(av)
        elif op is c.BRANCH:
            ok = all(_lower_case_only(b.data) for b in av[1])
        elif op is c.SUBPATTERN:
            ok = not av[1] and not av[2] and _lower_case_only(av[3].data)
        elif op in repeats:
            ok = _lower_case_only(av[2].data)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            ok = _lower_case_only(av[1].data)
        elif op is getattr(c, "ATOMIC_GROUP", None):
            ok = _lower_case_only(av.data)
        else:
            ok = op in (c.AT, c.ANY, c.CATEGORY, c.NEGATE)
        if not ok:
            return False
    return True


def _opens_with_boundary(pattern: str) -> bool:
    """True when every way ``pattern`` can match starts with ``\\b`` written first."""
    c = _sre_constants
    return pattern.startswith("\\b") and _sre_parse.parse(pattern).data[:1] == [(c.AT, c.AT_BOUNDARY)]


def boundary_once(alternatives: list[str]) -> str:
    """``"|".join(alternatives)``; when every alternative opens with ``\\b``, that boundary is tested once
    in front instead: the same matches (it is zero-width, and true or false for every alternative
    alike at a place), and ``re`` runs much faster so."""
    if all(_opens_with_boundary(p) for p in alternatives):
        return r"\b(?:" + "|".join(p[2:] for p in alternatives) + ")"
    return "|".join(alternatives)


def named_alternatives(items: dict[str, str]) -> str:
    """``(?P<name>pattern)|...`` for the items, the leading ``\\b`` tested once as in
    :func:`boundary_once` (groups keep their spans: the boundary is zero-width)."""
    if all(_opens_with_boundary(p) for p in items.values()):
        return r"\b(?:" + "|".join(f"(?P<{k}>{p[2:]})" for k, p in items.items()) + ")"
    return "|".join(f"(?P<{k}>{p})" for k, p in items.items())


def match_heads(pattern: str, size: int = 2) -> frozenset[str] | None:
    """The first ``size`` characters of every text ``pattern`` (compiled without flags, or with
    IGNORECASE and then compared so) can match (fewer for shorter texts); None when that cannot be
    read off the pattern (a class such as \\w, a back-reference...) or when the empty text matches."""
    try:
        parsed = _sre_parse.parse(pattern)
        if parsed.state.flags & ~(_sre_constants.SRE_FLAG_UNICODE | _sre_constants.SRE_FLAG_IGNORECASE):
            return None
        heads = _heads(parsed.data, size)
    except Exception:  # an unusual construct: no heads
        return None
    return frozenset(heads) if heads and "" not in heads else None


def _heads(items: list[Any], size: int) -> set[str] | None:
    c = _sre_constants
    out = {""}
    for op, av in items:
        if all(len(x) >= size for x in out):
            return out  # what follows cannot change the first characters
        options: set[str] | None
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width
        if op is c.LITERAL:
            options = {chr(av)}
        elif op is c.IN and all(o is c.LITERAL for o, _ in av):
            options = {chr(v) for _, v in av}
        elif op is c.BRANCH:
            options = set()
            for branch in av[1]:
                sub = _heads(branch.data, size)
                if sub is None:
                    return None
                options |= sub
        elif op is c.SUBPATTERN and not av[1] and not av[2]:
            options = _heads(av[3].data, size)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            sub = _heads(av[2].data, size)
            if sub is None:
                return None
            options, layer = set(), {""}
            for count in range(min(av[1], size) + 1):  # (more repeats add nothing to the first characters)
                if count >= av[0] or count == size:
                    options |= layer
                layer = {(x + y)[:size] for x in layer for y in sub}
        else:
            return None
        if options is None:
            return None
        out = {(x + y)[:size] for x in out for y in options}
        if len(out) > _MAX_STRINGS:
            return None
    return out


def with_heads(pattern: str, boundary: bool = False) -> str:
    """``pattern`` behind a look-ahead naming the first two characters every match starts with (read
    from :func:`matchable_strings`), and behind ``\\b`` when ``boundary`` (say so only when every
    alternative opens with ``\\b``). Both are true at the start of every match, so the matches are the
    same; ``re`` gives up at most places at once instead of trying each alternative (several times
    faster). The pattern is returned as it is when its texts are not a small finite set."""
    found = match_heads(pattern)
    if not found:
        return pattern
    heads = sorted(found)
    return (r"\b" if boundary else "") + "(?=" + "|".join(map(re.escape, heads)) + ")(?:" + pattern + ")"


def last_words(pattern: str) -> tuple[str, ...] | None:
    """Words one of which every match of ``pattern`` holds (the last word of each text it can match),
    or None when :func:`matchable_strings` cannot tell."""
    strings = matchable_strings(pattern)
    if not strings or "" in strings:
        return None
    return tuple(sorted({s.split(" ")[-1] or s for s in strings}))


def _alt(items: list[str]) -> str:
    return "|".join(f"(?:{x})" for x in items)



_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lower_same_length(text: str) -> str:
    """Lower-cased text with the same length as ``text`` (offsets hold).

    ``str.lower`` is C-fast but may lengthen a few characters ("\u0130"); then the slower
    ASCII-only table is used. The rule patterns are ASCII, so both give the same matches.
    """
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


class _Lowered:
    """A rule pattern run on ASCII-lower-cased text (same length, so offsets hold).

    Python's ``re`` is several times faster without IGNORECASE and with one leading word
    boundary for a list of word alternatives than with a ``\\b`` in each alternative.
    """

    def __init__(self, items: list[str], words: bool = True):
        if words:
            body = "|".join(x[2:] if x.startswith("\\b") else x for x in items)
            self.pattern = re.compile(r"\b(?:" + body + ")")
        else:
            self.pattern = re.compile(_alt(items))

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self.pattern.search(lower_same_length(text), *args)

    def finditer(self, text: str, *args: int):
        return self.pattern.finditer(lower_same_length(text), *args)



#: What must (not) follow a venue alias: no word going on ("Kyivstar"), no possessive, no "region".
_VENUE_TAIL = r"(?:(?![\w-])|(?=Credit\b))(?!['\u2019]s\b|\s+(?:region|oblast|province|district|governor|mayor))"


def _venue_start_pattern(aliases: list[str]) -> re.Pattern[str]:
    """Where a venue alias stands (its text, after no word character or hyphen), whatever follows:
    every match of ``venue`` starts (after "the") where this pattern matches."""
    fast = _venue_alias_pattern(aliases, tail="")
    return fast if fast is not None else re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in aliases) + ")")


def _venue_alias_pattern(aliases: list[str], tail: str = _VENUE_TAIL) -> re.Pattern[str] | None:
    """The ``venue`` pattern without its optional leading "the", built for speed: aliases grouped by
    first letter, each group opening with its letter (so ``re`` skips other characters quickly) and the
    look-behind moved after that letter. Alternatives keep their order (longest first) within a
    letter; aliases with different first letters never match at the same place, so the first alias
    that matches is the one the plain alternation picks. None (use ``venue``) when an alias could
    start inside "the " (a lower-case "t" or a space): then "the" cannot be added back afterwards."""
    if any(a[:1] in ("", "t") or a[0].isspace() for a in aliases):
        return None
    groups: dict[str, list[str]] = {}
    for alias in aliases:
        groups.setdefault(alias[0], []).append(alias)
    branches = [re.escape(first) + r"(?<![\w-]" + re.escape(first) + ")(?:" + "|".join(re.escape(a[1:]) for a in group)
                + ")" for first, group in groups.items()]
    return re.compile("(" + "|".join(branches) + ")" + tail)


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    r = load_yaml(RULES_FILE)
    i = re.IGNORECASE
    aliases = sorted(venues(), key=len, reverse=True)
    return {
        "venue": re.compile(r"(?<![\w-])(?:the\s+)?(" + "|".join(re.escape(a) for a in aliases) + ")" + _VENUE_TAIL),
        "venue_alias": _venue_alias_pattern(aliases),
        "venue_start": _venue_start_pattern(aliases),
        "trigger": _Lowered(r["meeting_triggers"]),
        "trigger_words": tuple(r["trigger_words"]),
        "cue_words": tuple(r["cue_words"]),
        "call": _Lowered(r["call_context"]),
        "negative": _Lowered(r["clause_negatives"]),
        "blocker": _Lowered(r["place_blockers"]),
        "cue": _Lowered(r["continuation_cues"]),
        "partneg": _Lowered(r["participant_negatives"]),
        "report": _Lowered(r["reporting_verbs"]),
        "sep": _Lowered(r["clause_separators"], words=False),
        "always_sep": _Lowered(r["always_separators"], words=False),
        "role_refs": re.compile(with_heads("|".join(f"(?P<r{n}>{p})" for n, p in enumerate(r["role_references"])),
                                           boundary=all(_opens_with_boundary(p) for p in r["role_references"]))),
        "role_names": [tuple(names) for names in r["role_references"].values()],
        "role_name_set": frozenset(name for names in r["role_references"].values() for name in names),
        "role_ref_words": last_words("|".join(f"(?:{p})" for p in r["role_references"])),
        "poss_meeting": re.compile(r"^\s*(?:\w+\s+)?(?:meetings?|talks|exchange|visit|trip|summit)\b", i),
        "cont_trigger": _Lowered(r["continuation_triggers"]),
        "poss_role": re.compile(r"^\s*(?:" + _alt(r["possessive_role_nouns"]) + ")", i),
        "role_of": re.compile(_alt(r["role_of_prefixes"]), i),
        "role_of_low": lowered(_alt(r["role_of_prefixes"])),  # the same, for lower-cased text (None: not possible)
        "planned": _Lowered(r["status_planned"]),
        "ongoing": _Lowered(r["status_ongoing"]),
        "day": re.compile(r"\b(" + "|".join(r["ordinals"]) + r"|\d+(?:st|nd|rd|th))\s+(?:straight|consecutive|"
                          r"successive)?\s*day of (?:talks|negotiations|meetings)", i),
        "ordinals": r["ordinals"],
    }

