"""Weapon phrases: which drone, missile or bomb a counted noun phrase names, and its class.

The taxonomy (models, aliases, classes) is ``data/weapons.csv``; head nouns and
modifiers are in ``data/count_rules.yaml``. :func:`parse_weapon_phrase` reads the
phrase that follows a number ("53 hypersonic and ballistic missiles",
"two Iskander-M", "Geran-2 (Shahed) drones"); :func:`weapon_mentions` finds every
weapon noun in a text, counted or not (antecedents for "of them", "the two missiles").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple
from itertools import compress
from operator import itemgetter

from .gazetteer import DataFileError, load_csv, load_yaml, split_aliases
from .text import fold_key

#: Weapon classes of the facts contract (FACTS.md).
WEAPON_CLASSES = ("drone", "cruise_missile", "ballistic_missile", "guided_bomb", "missile", "weapon")
_MISSILE_CLASSES = {"cruise_missile", "ballistic_missile", "missile"}
_SINGLE_HEAD = {"weapon", "drone", "guided_bomb", "missile"}  # one head of these classes is the phrase's class
_RULES_FILE = "count_rules.yaml"
#: a gap between words, quotes allowed around it ('18 Russian "kamikaze" drones')
_GAP = r"[\"'\u201c\u201d\u2018\u2019]?\s+[\"'\u201c\u201d\u2018\u2019]?"
_GAP_FIRST = frozenset("\"'\u201c\u201d\u2018\u2019")  # a gap begins with one of these or a space
_AND_OR = re.compile(r"\s+(?:and|or)\s+")
#: what may follow one space for that space not to be the whole match of ``_GAP``: a space (``\s+``
#: reads on), a quote (the gap may end with one), or nothing (the end of the text). Every character
#: that ``\s`` matches is at most U+3000 (a test checks).
_NOT_WORD_START = frozenset({""} | _GAP_FIRST | {chr(i) for i in range(0x3001) if chr(i).isspace()})


@dataclass(frozen=True)
class Model:
    """One weapon model of the taxonomy."""

    name: str
    weapon_class: str
    attacker: str | None


class WeaponPhrase(NamedTuple):
    """A weapon noun phrase: where it ends, its class, named model(s), and side when it says so.

    Immutable; a named tuple rather than a frozen dataclass as one is made for every counted
    phrase (three times faster to build)."""

    start: int
    end: int
    weapon_class: str
    model: str | None
    attacker: str | None  # from "Ukrainian drones" or a model only one side fires
    generic: bool  # a bare "missiles"/"rockets": the class may come from an antecedent


def phrase_pattern(phrases) -> str:
    """A regex matching any of the phrases (case folded; a space matches any run of spaces).

    Built as a prefix tree ("shot down(?: or suppressed)?"), so a match attempt follows one
    branch instead of trying every phrase: the rules stay fast however long the lists grow.

    >>> re.fullmatch(phrase_pattern(["shot down", "shot down or suppressed"]), "shot  down or suppressed") is not None
    True
    """
    trie: dict = {}
    for phrase in {str(p).strip().lower() for p in phrases if str(p).strip()}:
        node = trie
        for char in re.sub(r"\s+", " ", phrase):
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [(r"\s+" if c == " " else re.escape(c)) + build(sub) for c, sub in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie) or "(?!)"


@lru_cache(maxsize=1)
def models() -> dict[str, Model]:
    """Every alias (lower case) -> its model, from ``weapons.csv`` (validated once)."""
    rows = load_csv("weapons.csv", required=("model", "class", "aliases"), optional=("attacker",),
                    key=("model",))
    by_alias: dict[str, Model] = {}
    for row in rows:
        if row["class"] not in WEAPON_CLASSES:
            raise DataFileError(f"weapons.csv: {row['model']}: unknown class {row['class']!r}")
        if row.get("attacker") not in ("", None, "russia", "ukraine"):
            raise DataFileError(f"weapons.csv: {row['model']}: attacker must be russia, ukraine or empty")
        model = Model(row["model"], row["class"], row.get("attacker") or None)
        for alias in split_aliases(row["aliases"]) + [row["model"]]:
            known = by_alias.get(alias.lower())
            if known is not None and known.name != model.name:
                raise DataFileError(f"weapons.csv: alias {alias!r} of {model.name} already names {known.name}")
            by_alias[alias.lower()] = model
    return by_alias


def rules() -> dict:
    """The count rules (``count_rules.yaml``), parsed once."""
    return load_yaml(_RULES_FILE)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    data = rules()
    heads = {alias.lower(): cls for cls, words in data["heads"].items() for alias in words}
    classmods = {word.lower(): cls for cls, words in data["class_modifiers"].items() for word in words}
    model_alt = phrase_pattern(models())
    found: dict[str, Any] = {
        # a model name, its plural, and "-type"/"-like" suffixes ("Shahed-type", "Kinzhals")
        "model": re.compile(rf"\b(?<!-)(?P<m>{model_alt})(?:s|'s)?(?:-(?:type|like|style|class))?(?![\w-])",
                            re.IGNORECASE),
        "head": re.compile(rf"\b(?<!-)(?P<h>{phrase_pattern(heads)})(?![\w-])", re.IGNORECASE),
        "classmod": re.compile(rf"\b(?<!-)(?P<c>{phrase_pattern(classmods)})(?![\w])", re.IGNORECASE),
        # listed modifiers, and any "<maker>-made/-built/-supplied" ("American-made", "French-supplied")
        "mod": re.compile(rf"\b(?<!-)(?:{phrase_pattern(data['modifiers'])}|{_MADE})(?![\w-])", re.IGNORECASE),
        "made": re.compile(rf"\b(?<!-)(?:{_MADE})(?![\w-])", re.IGNORECASE),  # "mod" without the listed words
        "not_strike": re.compile(rf"\b(?<!-)(?:{phrase_pattern(data['not_strike_weapons'])})(?![\w])",
                                 re.IGNORECASE),
        # the same for lower-cased ASCII text (for ASCII, ignoring case is lower-casing), faster
        "not_strike_lower": re.compile(rf"\b(?<!-)(?:{phrase_pattern(data['not_strike_weapons'])})(?![\w])"),
        "conj": re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|/\s*|\s+(?:and|or|&)\s+)"),
        "platform": re.compile(rf"{_GAP}(?:{phrase_pattern(data['not_munitions'])})(?![\w-])", re.IGNORECASE),
        "paren": re.compile(r"\s*\(([^()]{1,40})\)"),
        "space": re.compile(_GAP),
        "of_types": re.compile(r"\s+of\s+(?:the\s+)?(?P<list>[\w\s,/-]{1,80}?)\s+(?:and\s+other\s+)?types?\b",
                               re.IGNORECASE),
        "_heads": heads,
        "_classmods": classmods,
    }
    # the four word kinds of a phrase in one pattern, tried in the same order as one by one (an
    # alternation at a fixed position takes its first alternative that matches): the group named
    # after the kind says which matched
    found["token"] = re.compile("|".join(f"(?P<{kind}>{found[kind].pattern})" for kind in _TOKEN_KINDS),
                                re.IGNORECASE)
    words = {"model": models(), "head": heads, "classmod": classmods, "mod": data["modifiers"]}
    found["_first"] = _first_letters(words)
    # the same, with each kind's pattern beside it (what the word loop of parse_weapon_phrase reads)
    found["_first_patterns"] = None if found["_first"] is None else {
        prefix: tuple((kind, found[kind]) for kind in kinds) for prefix, kinds in found["_first"].items()}
    # the first three letters (lower case) a platform noun can begin with, after a one-space gap
    found["_platform_first"] = _first_threes(data["not_munitions"])
    found["_not_strike_hints"] = literal_hints(data["not_strike_weapons"])
    return found


def _first_threes(phrases) -> frozenset[str] | None:
    """The first three characters (lower case) of the phrases' first words: a :func:`phrase_pattern`
    of them, matched ignoring case where ASCII text begins, begins with one of these. None when that
    test would not be sound (a first word under three characters, or one not ASCII: ignoring case,
    a non-ASCII letter may match an ASCII one)."""
    firsts = set()
    for phrase in phrases:
        words = str(phrase).strip().lower().split()
        if not words:
            continue
        if len(words[0]) < 3 or not words[0].isascii():
            return None
        firsts.add(words[0][:3])
    return frozenset(firsts)


def literal_hints(phrases) -> tuple[str, ...]:
    """Substrings of which every match of a :func:`phrase_pattern` of ``phrases`` on lower-cased text
    contains one: the longest word of each phrase (the pattern reads its characters literally, only
    spaces vary), without those that contain another hint."""
    longest = {max(words, key=len) for p in phrases if (words := str(p).strip().lower().split())}
    return tuple(sorted(h for h in longest if not any(g != h and g in h for g in longest)))


_TOKEN_KINDS = ("model", "head", "classmod", "mod")
_MADE = r"[a-z]+-(?:made|built|supplied|designed|produced|manufactured)"


def _first_letters(words: dict[str, Any]) -> dict[str, tuple[str, ...]] | None:
    """Word kinds by the first three letters (lower case) of their phrases' first words, for a cheap
    test of which kinds may start at a place in ASCII text; None when that test would not be sound
    (a first word under three letters, or a non-ASCII letter that matches an ASCII one ignoring case)."""
    first: dict[str, list[str]] = {}
    for kind in _TOKEN_KINDS:
        for phrase in words[kind]:
            key = str(phrase).strip().lower().split()[:1]
            if not key:
                continue
            prefix = key[0][:3]
            if len(prefix) < 3 or any(not c.isascii() and any(re.fullmatch(re.escape(c), chr(x), re.IGNORECASE)
                                                              for x in range(128)) for c in prefix):
                return None
            if kind not in first.setdefault(prefix, []):
                first[prefix].append(kind)
    return {prefix: tuple(kinds) for prefix, kinds in first.items()}


def _next_word(pat: dict, text: str, cursor: int) -> tuple[str, re.Match] | None:
    """The kind ("model", "head", "classmod" or "mod", tried in that order) and match of the word at
    ``cursor``. In ASCII text only the kinds with a phrase starting with the same three letters are
    tried (no other can match), then the "-made" modifiers: the answer of the one combined pattern."""
    first = pat["_first"]
    start = text[cursor:cursor + 3]
    if first is not None and start.isascii():
        for kind in first.get(start.lower(), ()):
            m = pat[kind].match(text, cursor)
            if m:
                return kind, m
        m = pat["made"].match(text, cursor)
        return ("mod", m) if m else None
    m = pat["token"].match(text, cursor)
    return (m.lastgroup, m) if m else None


@lru_cache(maxsize=1024)
def _model_of(alias: str) -> Model:
    return models()[_key(alias)]


def _key(words: str) -> str:
    """Lookup key of matched words: lower case, runs of whitespace as one space ("guided  aerial bombs")."""
    return " ".join(fold_key(words).split())


def parse_weapon_phrase(text: str, pos: int, counted: bool = True) -> WeaponPhrase | None:
    """The weapon phrase starting at ``pos`` (after a number), or None if none starts there.

    With ``counted`` (the default) a phrase followed by a platform noun ("10 HIMARS launchers",
    "5 missile strikes") is no count of munitions; a mere mention ("cruise missile strikes") is kept.

    >>> p = parse_weapon_phrase("53 hypersonic and ballistic missiles", 2)
    >>> p.weapon_class, p.end
    ('missile', 36)
    >>> parse_weapon_phrase("two Iskander-M.", 3).weapon_class
    'ballistic_missile'
    """
    pat = _patterns()
    if text[pos:pos + 1] == " " and text[pos + 1:pos + 2] not in _NOT_WORD_START:
        cursor = start = pos + 1  # one space, then neither a space nor a quote: the gap's match
    else:
        space = pat["space"].match(text, pos)
        if not space:
            return None
        cursor = start = space.end()
    found_models: list[Model] = []
    classmods: list[str] = []
    heads: list[str] = []
    attacker: str | None = None
    last = None  # kind of the last item consumed
    first, made, n = pat["_first_patterns"], pat["made"], len(text)
    while cursor < n:
        # the word at the cursor: a model, else a head, else a class word, else a modifier (the
        # answer of _next_word, inlined: in ASCII text only the kinds whose phrases start with the
        # same three letters are tried, then the "-made" modifiers)
        key = text[cursor:cursor + 3]
        if first is not None and key.isascii():
            for last, kind_re in first.get(key.lower(), ()):
                m = kind_re.match(text, cursor)
                if m:
                    break
            else:
                last, m = "mod", made.match(text, cursor)
            if m is None:
                break
        else:
            m = pat["token"].match(text, cursor)
            if m is None:
                break
            last = m.lastgroup
        if last == "model":
            found_models.append(_model_of(m.group("m")))
            cursor = m.end()
            paren = pat["paren"].match(text, cursor)
            if paren and pat["model"].fullmatch(paren.group(1).strip()):
                cursor = paren.end()
        elif last == "head":
            heads.append(_head_class(m.group("h")))
            cursor = m.end()
            break
        elif last == "classmod":
            classmods.append(_classmod_class(m.group("c")))
            cursor = m.end()
        else:
            word = m.group(0).lower()
            if word.startswith("ukrainian"):
                attacker = "ukraine"
            elif word.startswith("russian"):
                attacker = "russia"
            cursor = m.end()
        # continue over a space, or over a conjunction joining models/class words
        if last == "model" or last == "classmod":
            conj = pat["conj"].match(text, cursor)
            if conj:
                nxt = conj.end()
                if pat["model"].match(text, nxt) or pat["classmod"].match(text, nxt):
                    cursor = nxt
                    continue
        if text[cursor:cursor + 1] == " " and text[cursor + 1:cursor + 2] not in _NOT_WORD_START:
            cursor += 1  # the gap's match, as above
            continue
        sp = pat["space"].match(text, cursor)
        if not sp:
            break
        cursor = sp.end()
    if not heads and not found_models:
        return None
    end = start + len(text[start:cursor].rstrip())  # the cursor, without trailing spaces
    # the platform noun, "and"/"or" and "of ... types" each begin with a space (or a quote): right
    # before ".", "," or the end of the text none is tried
    spaced = text[end:end + 1].isspace() or text[end:end + 1] in _GAP_FIRST
    # after one space and a word-like character (the usual gap), the word there decides which of
    # them can match: only a word with a platform noun's first three letters, "and"/"or", "of"
    after = _after_one_space(text, end) if spaced else None
    if counted and spaced and (after is None or pat["_platform_first"] is None
                               or after.lower() in pat["_platform_first"]) and pat["platform"].match(text, end):
        return None  # "10 HIMARS launchers", "5 missile strikes", "3 drone units": not munitions
    if heads and spaced:
        # "drones and missiles", "UAVs and drones of unidentified types" (``_AND_OR`` reads case)
        more = _AND_OR.match(text, end) if after is None or after.startswith(("and", "or")) else None
        if more is not None and first is not None:
            key = text[more.end():more.end() + 3]
            if key.isascii() and not key[:1].isalpha() and key.lower() not in first:
                more = None  # "drones and 25 missiles": no word kind starts there, nor a "-made" modifier
        if more:
            sub = more.end()
            while True:
                cm = _word_of(pat, text, sub, "classmod") or _word_of(pat, text, sub, "mod")
                if not cm:
                    break
                sp = pat["space"].match(text, cm.end())
                if not sp:
                    break
                sub = sp.end()
            hm = _word_of(pat, text, sub, "head")
            if hm:
                heads.append(_head_class(hm.group("h")))
                end = hm.end()
                after = None  # (not read again: "of ... types" is tried after the new head)
        if after is None or after[:2].lower() == "of":
            types = pat["of_types"].match(text, end)
            if types:
                for mm in pat["model"].finditer(types.group("list")):
                    found_models.append(_model_of(mm.group("m")))
    window = text[start - 20 if start > 20 else 0:end]
    # the window is part of the text: a text that names no not-strike weapon is not scanned
    if _may_name_not_strike(pat, text) and (pat["not_strike_lower"].search(window.lower()) if window.isascii()
                                             else pat["not_strike"].search(window)):
        return None
    if len(heads) == 1 and not classmods and not found_models:
        # one head alone, the common phrase: the answers of _classify, the model and side below
        head = heads[0]
        return WeaponPhrase(start, end, head if head in _SINGLE_HEAD else _classify(heads, classmods, found_models),
                            None, attacker, head == "missile" or head == "guided_bomb")
    weapon_class = _classify(heads, classmods, found_models)
    names = list(dict.fromkeys(m.name for m in found_models)) if found_models else []
    if attacker is None and found_models:
        sides = {m.attacker for m in found_models if m.attacker}
        attacker = sides.pop() if len(sides) == 1 else None
    generic = bool(heads) and heads[0] in ("missile", "guided_bomb") and not classmods and not found_models
    return WeaponPhrase(start, end, weapon_class, "/".join(names) or None, attacker, generic)


def _after_one_space(text: str, end: int) -> str | None:
    """The three characters (fewer at the end of the text) after ``end`` when one space and then
    a word-like character follow it (then ``_GAP`` matches that space alone) and they are ASCII;
    else None. A word kind, platform noun, "and"/"or" or "of" after that gap begins with them."""
    if text[end:end + 1] != " " or text[end + 1:end + 2] in _NOT_WORD_START:
        return None
    after = text[end + 1:end + 4]
    return after if after.isascii() else None


def _word_of(pat: dict[str, Any], text: str, pos: int, kind: str) -> re.Match | None:
    """``pat[kind].match(text, pos)`` for a word kind ("head", "classmod" or "mod"). In ASCII text a
    kind none of whose phrases starts with the three letters at ``pos`` is not tried (as in the
    word loop of :func:`parse_weapon_phrase`); for "mod", only the "-made" modifiers are left then,
    which begin with a letter."""
    first = pat["_first"]
    key = text[pos:pos + 3]
    if first is None or not key.isascii() or kind in first.get(key.lower(), ()):
        return pat[kind].match(text, pos)
    if kind == "mod" and key[:1].isalpha():
        return pat["made"].match(text, pos)
    return None


_not_strike_memo: tuple[str | None, bool] = (None, True)


def _may_name_not_strike(pat: dict[str, Any], text: str) -> bool:
    """False when ``text`` is ASCII and its lower-cased form holds none of the not-strike weapons'
    literal hints (:func:`literal_hints`): then no part of it matches ``not_strike``. The answer for
    the last text is remembered (the phrases of one sentence are read in a row)."""
    global _not_strike_memo
    if _not_strike_memo[0] is text:
        return _not_strike_memo[1]
    may = not text.isascii() or any(map(text.lower().__contains__, pat["_not_strike_hints"]))
    _not_strike_memo = (text, may)
    return may


@lru_cache(maxsize=1024)
def _head_class(words: str) -> str:
    """Class of a matched head noun ("Drones", "guided  aerial bombs")."""
    return _patterns()["_heads"][_key(words)]


@lru_cache(maxsize=1024)
def _classmod_class(words: str) -> str:
    """Class of a matched class modifier ("Cruise", "air-launched cruise")."""
    return _patterns()["_classmods"][_key(words)]


def _classify(heads: list[str], classmods: list[str], found: list[Model]) -> str:
    if len(heads) == 1 and not classmods and not found and heads[0] in _SINGLE_HEAD:
        return heads[0]  # what the rules below give for one head alone
    head_set = set(heads)
    model_classes = {m.weapon_class for m in found}
    if "weapon" in head_set or ("drone" in head_set and head_set & {"missile", "guided_bomb"}):
        return "weapon"
    if "drone" in head_set:
        return "drone"
    if "guided_bomb" in head_set:
        return "guided_bomb"
    if head_set == {"missile"} or not heads:
        specific = {c for c in classmods if c != "missile"}
        if len(classmods) >= 2 and len(set(classmods)) > 1:
            return "missile"  # "hypersonic and ballistic missiles": classes mixed
        if len(specific) == 1:
            return specific.pop()
        if len(model_classes) == 1:
            return model_classes.pop()
        if model_classes and model_classes <= _MISSILE_CLASSES:
            return "missile"
        if "drone" in model_classes and model_classes & _MISSILE_CLASSES:
            return "weapon"
        return "missile"
    return "missile"


@lru_cache(maxsize=1)
def _stems() -> tuple[str, ...]:
    words = list(models()) + [h for hs in rules()["heads"].values() for h in hs]
    return tuple(sorted({w.lower().split()[0][:4] for w in words if w.strip()}))


@lru_cache(maxsize=1)
def _stem_sets() -> tuple[frozenset[str], frozenset[str]]:
    stems = _stems()
    return frozenset(s[:4] for s in stems if len(s) >= 4), frozenset(s for s in stems if len(s) < 4)


@lru_cache(maxsize=1)
def _stem_threes() -> frozenset[str]:
    """What ``w[:3]`` is for every word that :func:`weapon_words` keeps (a one-lookup first test)."""
    four, short = _stem_sets()
    return frozenset(s[:3] for s in four) | short


_LEADING = "(\"'[\u201c\u2018\u00ab-"
_LEADING_CHARS = frozenset(_LEADING)
_FIRST_THREE = itemgetter(slice(None, 3))
_FIRST_ONE = itemgetter(slice(None, 1))


class _WordKinds(dict):
    """Word (lower case) -> 1 if it may begin a weapon name, | 2 if it does after its leading quotes or
    brackets are stripped, else 0; filled on first sight, so that an article's words are looked up
    in one pass in C (most words recur from article to article). Kept for one set of stems."""

    _LIMIT = 50_000  # words remembered at most (then it starts afresh)

    def __init__(self, stems: tuple[frozenset[str], frozenset[str]]) -> None:
        super().__init__()
        self.stems = stems

    def __missing__(self, word: str) -> int:
        four, short = self.stems
        kind = 1 if word[:4] in four or word[:3] in short else 0
        if word[:1] in _LEADING_CHARS:
            bare = word.lstrip(_LEADING)
            if bare[:4] in four or bare[:3] in short:
                kind |= 2
        if len(self) >= self._LIMIT:
            self.clear()
        self[word] = kind
        return kind


_word_kinds: _WordKinds | None = None


def weapon_words(lower: str | set[str]) -> tuple[str, ...]:
    """Words of lower-cased text (or its set of distinct words) that may begin a weapon name.

    A cheap gate before the regexes: prefixes of the distinct words are looked up in a set (and
    the answer for each word is remembered).
    """
    global _word_kinds
    stems = _stem_sets()
    if _word_kinds is None or _word_kinds.stems is not stems:
        _word_kinds = _WordKinds(stems)
    kinds = _word_kinds
    words = lower if isinstance(lower, set) else set(lower.split())
    hits = list(compress(words, map(kinds.__getitem__, words)))  # in C for the words seen before
    found = [w for w in hits if kinds[w] & 1]
    found += [w.lstrip(_LEADING) for w in hits if kinds[w] & 2]
    return tuple(found)


def names_weapon(lower: str) -> bool:
    """Could lower-cased text name a weapon at all? (False means surely not.)"""
    return bool(weapon_words(lower))


@lru_cache(maxsize=1)
def _mention_re() -> re.Pattern:
    pat = _patterns()
    return re.compile(rf"{pat['model'].pattern}|{pat['head'].pattern}", re.IGNORECASE)


def lower_case_variant(pattern: re.Pattern) -> re.Pattern | None:
    """The IGNORECASE ``pattern`` without the flag, for lower-cased ASCII text (there ignoring case is
    lower-casing, and spans do not move), or None when that would not be sound: an upper-case
    character in the source (a literal to fold, or \\S, \\W, \\D, \\B), or a non-ASCII character
    that matches an ASCII one when case is ignored (the long s, the Kelvin sign)."""
    source = pattern.pattern
    bare = source.replace("(?P<", "(?<")  # a named group's "P" is syntax, not a letter
    if bare != bare.lower():
        return None
    for c in set(source):
        if not c.isascii() and any(re.fullmatch(re.escape(c), chr(x), re.IGNORECASE) for x in range(128)):
            return None
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


@lru_cache(maxsize=1)
def _mention_lower_re() -> re.Pattern | None:
    return lower_case_variant(_mention_re())


_WORD_START = r"\b(?<!-)"


@lru_cache(maxsize=1)
def _mention_gap_re() -> re.Pattern | None:
    r""":func:`_mention_lower_re` written to begin at the character before the word (``[^\w-]``; search
    ``" " + lower``, where a match starts where the plain one does in the text itself): the engine
    skips letters in C instead of trying ``\b`` at every one. The same matches, one to one, as every
    model alias and head noun begins and ends with a word character (then ``\b(?<!-)`` before one
    means "after a character that is neither a word character nor a hyphen, or at the start", and
    no match can begin where another ends); else None."""
    pat = _patterns()
    sources = (pat["model"].pattern, pat["head"].pattern)
    words = [str(w).strip() for w in (*models(), *pat["_heads"])]
    if _mention_lower_re() is None or not all(src.startswith(_WORD_START) for src in sources) or \
            not all(re.match(r"\w", w) and re.search(r"\w$", w) for w in words):
        return None
    body = "|".join(src[len(_WORD_START):] for src in sources)
    return lower_case_variant(re.compile(rf"[^\w-](?:{body})", re.IGNORECASE))


@lru_cache(maxsize=1)
def _classmod_tail_re() -> re.Pattern:
    words = [w for ws in rules()["class_modifiers"].values() for w in ws]
    alt = phrase_pattern(words)
    return re.compile(rf"\b(?<!-)(?:{alt})(?:\s+(?:and|or)\s+(?:{alt}))?\s+$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _classmod_ends() -> tuple[str, ...] | None:
    """The last words of the class modifiers (lower case): a match of :func:`_classmod_tail_re` on
    ASCII text, without its trailing spaces, ends with one. None when a modifier is not ASCII
    (ignoring case, a non-ASCII letter may match an ASCII one)."""
    words = [str(w).strip().lower() for ws in rules()["class_modifiers"].values() for w in ws]
    if not all(w.isascii() for w in words):
        return None
    return tuple(sorted({w.split()[-1] for w in words if w}))


def _classmod_tail(before: str) -> re.Match | None:
    """``_classmod_tail_re().search(before)``; ASCII text that does not end with a class modifier's
    last word (then spaces) is not scanned."""
    ends = _classmod_ends()
    if ends is not None and before.isascii() and not before.rstrip().lower().endswith(ends):
        return None
    return _classmod_tail_re().search(before)


def weapon_mentions(text: str) -> list[WeaponPhrase]:
    """Every weapon noun in ``text`` (counted or not), as phrases, in order.

    >>> [(p.weapon_class, p.generic) for p in weapon_mentions("cruise missile strikes hit Kyiv")]
    [('cruise_missile', False)]
    """
    out: list[WeaponPhrase] = []
    gap_re = _mention_gap_re() if text.isascii() else None
    lower_re = _mention_lower_re() if text.isascii() and gap_re is None else None
    if gap_re is not None:
        matches = gap_re.finditer(" " + text.lower())  # each starts at the word's own offset in ``text``
    else:
        matches = lower_re.finditer(text.lower()) if lower_re else _mention_re().finditer(text)
    for m in matches:
        # take the modifiers just before the noun ("cruise missile", "ballistic missiles")
        before = text[max(0, m.start() - 40):m.start()]
        cm = _classmod_tail(before)
        begin = m.start() - (len(before) - cm.start()) if cm else m.start()
        phrase = parse_weapon_phrase(text, begin - 1, False) if begin > 0 and text[begin - 1].isspace() else None
        if phrase is None:
            phrase = parse_weapon_phrase(" " + text[begin:], 0, False)
            if phrase is None:
                continue
            phrase = WeaponPhrase(begin + phrase.start - 1, begin + phrase.end - 1, phrase.weapon_class,
                                  phrase.model, phrase.attacker, phrase.generic)
        if out and phrase.start < out[-1].end:
            continue
        out.append(phrase)
    return out
