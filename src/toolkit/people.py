"""People named in an article: gazetteer matches, surnames, misspellings and unknown officials.

The gazetteer (``data/people.csv``) maps canonical names to spellings,
affiliation and role. Matching works on *folded* tokens (lower case, accents
and apostrophes dropped, i/y romanisation endings folded: Andriy = Andrii,
Zelenskyy = Zelensky), so one row covers the common transliterations. Then:

- a surname alone resolves to a person named in full elsewhere in the article,
  or to the gazetteer's person when the surname is listed as a variant;
- a misspelt surname ("Zelenksy") resolves by edit distance (one edit or one
  swap of neighbours, names of seven letters and more) to a listed surname;
- people outside the gazetteer are recognised from a title next to a
  two- or three-word name ("Belgorod governor Ivan Petrov"), with the
  affiliation read from the same words.
"""
from __future__ import annotations

import operator
from collections import Counter
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from typing import Any

from .gazetteer import DataFileError, load_csv, load_yaml, split_aliases
from .meeting_rules import _sre_constants, _sre_parse, case_safe, matchable_strings

PEOPLE_FILE = "people.csv"
RULES_FILE = "diplomacy_rules.yaml"
#: Longest name (in tokens) the matcher tries.
MAX_NAME_TOKENS = 6
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100\u0102\u0104\u0106\u010c\u010e\u0110\u0118\u011a\u0141\u0143" \
         "\u0147\u0150\u0152\u0158\u015a\u015e\u0160\u0162\u0164\u016e\u0170\u0178\u0179\u017b\u017d\u0410-\u042f"
_PARTICLES = frozenset({"von", "der", "de", "bin", "al", "el", "da", "van", "den", "la", "le", "di"})
#: Only capitalised words can start or end a name, so the matcher reads only those (fast: one pass).
#: (Possessive repeats: nothing follows them, so they match what plain greedy ones match, with less work.)
NAME_TOKEN_RE = re.compile(r"[" + _UPPER + r"][\w'\u2019]*+(?:-[\w'\u2019]++)*+")
#: What may stand between two words of one name: a space, an initial's full stop, particles ("bin", "von der").
_GAP_RE = re.compile(r"(?:\. ?| |\u00a0)((?:(?:von|der|de|bin|al|el|da|van|den|la|le|di)[ -])*)")

_ENDING_RE = re.compile(r"(iy|ii|yy|yi|ij|y)$")
_POSSESSIVE_END = re.compile(r"'s?$")

@dataclass(frozen=True)
class Person:
    """A gazetteer entry: canonical name, affiliation, role, earlier affiliation and its end date."""

    name: str
    affiliation: str
    role: str
    former: tuple[str, str] | None = None  # (affiliation, ISO date it ended)


@dataclass(frozen=True)
class Mention:
    """One mention of a person in the article text (``text[start:end]``)."""

    person: Person
    start: int
    end: int
    kind: str  # full | surname | fuzzy | unknown
    possessive: bool = False
    in_gazetteer: bool = True


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """Match form of one word: accents, case, possessive and i/y endings folded.

    >>> fold_token("Zelenskyy's"), fold_token("Andriy"), fold_token("Kosiniak-Kamysz")
    ('zelenski', 'andri', 'kosiniak kamysz')
    """
    if token.isascii():  # (no accents to drop: NFKD leaves ASCII as it is)
        text = token.lower()
    else:
        text = unicodedata.normalize("NFKD", token)
        text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("\u2019", "'")
    text = _POSSESSIVE_END.sub("", text).replace("'", "").replace("ı", "i")
    return " ".join(_ENDING_RE.sub("i", part) for part in text.split("-") if part)


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Match key of a whole name, built as the matcher builds it from text: capitalised words folded,
    particles kept ("Mohammed bin Salman" -> "mohammed bin salman", "J.D. Vance" -> "j d vance")."""
    tokens, gaps = _name_tokens(name)
    if not tokens:
        return ""
    key = fold_token(tokens[0][0])
    for gap, token in zip(gaps, tokens[1:]):
        key = f"{key} {gap or ''}{fold_token(token[0])}"
    return key


@dataclass
class Gazetteer:
    """Lookup tables built once from ``people.csv``."""

    people: tuple[Person, ...]
    full: dict[str, Person]  # multi-word keys
    short: dict[str, Person]  # single-word keys (listed surnames, MBS...)
    firsts: frozenset[str]  # first folded token of every multi-word key
    fuzzy_pool: dict[str, tuple[str, ...]]  # first letter -> single-word keys long enough for fuzzy


def _parse_former(cell: str, line: str) -> tuple[str, str] | None:
    if not cell:
        return None
    m = re.fullmatch(r"(.+):(\d{4}-\d{2}-\d{2})", cell)
    if not m:
        raise DataFileError(f"{PEOPLE_FILE}: bad former {cell!r} for {line}")
    return m.group(1).strip(), m.group(2)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The people gazetteer, loaded and indexed once; a spelling naming two people is an error."""
    rows = load_csv(PEOPLE_FILE, required=("name", "affiliation", "role"), optional=("variants", "former"),
                    key=("name",))
    people: list[Person] = []
    full: dict[str, Person] = {}
    short: dict[str, Person] = {}
    for row in rows:
        person = Person(row["name"], row["affiliation"], row["role"], _parse_former(row.get("former", ""), row["name"]))
        people.append(person)
        for spelling in [row["name"], *split_aliases(row.get("variants", ""))]:
            key = name_key(spelling)
            while key.split(" ", 1)[0] in _PARTICLES and " " in key:
                key = key.split(" ", 1)[1]  # "von der Leyen" is matched from its first capitalised word
            table = full if " " in key else short
            other = table.get(key)
            if other is not None and other != person:
                raise DataFileError(f"{PEOPLE_FILE}: spelling {spelling!r} names both {other.name} and {person.name}")
            table[key] = person
    pool: dict[str, list[str]] = {}
    for key in short:
        if len(key) >= 7 and key.isalpha():
            pool.setdefault(key[0], []).append(key)
    firsts = set()
    for row in rows:
        for spelling in [row["name"], *split_aliases(row.get("variants", ""))]:
            first = NAME_TOKEN_RE.search(spelling)
            if first and " " in name_key(spelling):
                firsts.add(fold_token(first.group(0)))
    return Gazetteer(tuple(people), full, short, frozenset(firsts),
                     {k: tuple(v) for k, v in pool.items()})


@lru_cache(maxsize=1)
def _rules() -> dict:
    rules = load_yaml(RULES_FILE)
    flags = re.IGNORECASE
    return {
        "nationalities": [(aff, re.compile(p, flags)) for aff, p in rules["nationalities"].items()],
        "regions": [(aff, re.compile(p, flags)) for aff, p in rules["region_affiliation"].items()],
        "not_first": frozenset(rules["not_first_names"]),
        "role_words": frozenset(rules["unknown_person_role_words"]),
        "not_official": re.compile(rules["not_official_context"], re.IGNORECASE),
        "role_before": re.compile(r"\b(?P<role>" + rules["unknown_person_roles"] + r")(?P<of>\s+of\s+(?:the\s+)?"
                                  r"(?-i:[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?))?,?\s+$", re.IGNORECASE),
        "role_after": re.compile(r", (?:the |a |an )?(?:[\w'\u2019.-]+ ){0,3}(?P<role>" + rules["unknown_person_roles"]
                                 + r")\b", re.IGNORECASE),
    }


def affiliation_on(person: Person, published: str | None, context: str = "") -> str:
    """The person's affiliation at the article's date (``former`` applies before its end date).

    Without a date, the earlier affiliation applies when the context names it ("Estonia's PM").
    """
    if person.former is None:
        return person.affiliation
    former, until = person.former
    if published:
        return former if published < until else person.affiliation
    for aff, pattern in _rules()["nationalities"]:
        if aff == former and pattern.search(context):
            return former
    return person.affiliation


_WORD_RUN = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _affiliation_words() -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """Which nationality and region patterns (indices into nationalities + regions) can match a text,
    read off the text's lower-cased words: the first word of every text a pattern can match -> the
    pattern's indices; and the indices of patterns not of that form (always tried)."""
    rules = _rules()
    index: dict[str, set[int]] = {}
    always = []
    for n, (_, pattern) in enumerate(rules["nationalities"] + rules["regions"]):
        firsts = _first_words(pattern.pattern)
        if firsts is None:
            always.append(n)
            continue
        for first in firsts:
            index.setdefault(first, set()).add(n)
    return {w: tuple(sorted(v)) for w, v in index.items()}, tuple(always)


def _first_words(pattern: str) -> set[str] | None:
    """First words of the texts ``pattern`` can match, when it is ``\\b``, a finite set of lower-case ASCII texts
    that open with a word character, and ``\\b`` (then a match starts a word of the text, and that word
    is the first word of one of these texts); else None."""
    strings = matchable_strings(pattern)
    parsed = _sre_parse.parse(pattern).data
    boundary = (_sre_constants.AT, _sre_constants.AT_BOUNDARY)
    if not strings or not parsed or parsed[0] != boundary or parsed[-1] != boundary:
        return None
    firsts = set()
    for text in strings:
        first = _WORD_RUN.match(text)
        if first is None or not text.isascii() or text != text.lower():
            return None
        firsts.add(first.group(0))
    return firsts


def _affiliation_patterns(context: str, nationalities_only: bool = False) -> list[tuple[str, re.Pattern[str]]]:
    """The nationality (and region) patterns, in order, less those that surely find nothing in ``context``.

    Every pattern is ``\\b`` and a list of lower-case words (IGNORECASE): a match starts a word of the
    lower-cased text (the same offsets where :func:`case_safe` holds) and that word is the first word
    of the matched text, so a pattern none of whose first words stands in the text finds nothing.
    """
    rules = _rules()
    patterns = rules["nationalities"] if nationalities_only else rules["nationalities"] + rules["regions"]
    if not case_safe(context):
        return patterns
    index, always = _affiliation_words()
    found = set(always)
    for word in set(_WORD_RUN.findall(context.lower())):
        found.update(index.get(word, ()))
    return [patterns[n] for n in sorted(found) if n < len(patterns)]


def affiliation_from_context(context: str) -> str | None:
    """Affiliation named by nationality words or a region in ``context`` (the nearest one wins)."""
    best: tuple[int, str] | None = None
    for aff, pattern in _affiliation_patterns(context):
        for m in pattern.finditer(context):
            if best is None or m.start() > best[0]:
                best = (m.start(), aff)
    return best[1] if best else None


def _osa_close(a: str, b: str) -> bool:
    """True when a and b differ by at most one edit or one swap of neighbouring letters."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    return _rapidfuzz().osa(a, b) <= 1


@dataclass(frozen=True)
class _Fuzzy:
    """The rapidfuzz functions the matchers use."""

    osa: Any  # rapidfuzz.distance.OSA.distance
    ratio: Any  # rapidfuzz.fuzz.ratio
    extract_one: Any  # rapidfuzz.process.extractOne


@lru_cache(maxsize=1)
def _rapidfuzz() -> _Fuzzy:
    """rapidfuzz, imported on first use (only misspellings need it) and then held: an import statement
    in a function runs the import machinery on every call, which cost more than the scoring."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA
    return _Fuzzy(OSA.distance, fuzz.ratio, process.extractOne)


@lru_cache(maxsize=65536)
def fuzzy_surname(folded: str) -> Person | None:
    """The listed person whose surname is one typo away from ``folded`` (7+ letters), else None."""
    g = gazetteer()
    if not folded.isalpha() or len(folded) < 5:
        return None
    pool = _fuzzy_pool_by_length()  # (only keys one letter longer or shorter, or as long, can be close)
    first, size = folded[0], len(folded)
    if size < 7:  # short forms: only a dropped doubled last letter ("Witkof" for Witkoff)
        hits = {g.short[k] for k in pool.get((first, size + 1), ()) if k.startswith(folded) and k[-1] == k[-2]}
        return hits.pop() if len(hits) == 1 else None
    # (the keys are within one letter of the word's length, so this is _osa_close: a word equal to a key
    # is at distance 0; with score_cutoff=1 the scorer stops as soon as the distance exceeds 1)
    osa = _rapidfuzz().osa
    hits = {g.short[k] for n in (size - 1, size, size + 1) for k in pool.get((first, n), ())
            if osa(folded, k, score_cutoff=1) <= 1}
    return hits.pop() if len(hits) == 1 else None


@lru_cache(maxsize=1)
def _fuzzy_pool_by_length() -> dict[tuple[str, int], tuple[str, ...]]:
    """The gazetteer's fuzzy pool by first letter and length."""
    out: dict[tuple[str, int], list[str]] = {}
    for first, keys in gazetteer().fuzzy_pool.items():
        for key in keys:
            out.setdefault((first, len(key)), []).append(key)
    return {k: tuple(v) for k, v in out.items()}


def find_mentions(text: str) -> list[Mention]:
    """Every person mention in the text, in order (gazetteer, surnames, typos, titled unknowns)."""
    g = gazetteer()
    words, tokens, gaps = _name_words(text)
    folded = list(map(fold_token, words))
    mentions: list[Mention] = []
    covered = [False] * len(tokens)
    other_person: set[int] = set()  # listed surnames after another first name ("Dmitry Patrushev")
    # only tokens that open a listed name or are a listed single word can match: visit just those
    openers = _name_openers()
    listed = list(compress(count(), map(openers.__contains__, folded)))
    resume = 0  # tokens before this one are inside the last match
    for i in listed:
        if i < resume:
            continue
        found = None
        if folded[i] in g.firsts:
            key, n = folded[i], 1
            keys = []
            while n < MAX_NAME_TOKENS and i + n < len(tokens) and gaps[i + n - 1] is not None:
                key = f"{key} {gaps[i + n - 1]}{folded[i + n]}"
                n += 1
                keys.append((key, n))
            for key, n in reversed(keys):
                person = g.full.get(key)
                if person is not None:
                    found = (person, n)
                    break
        if found is None:
            person = g.short.get(folded[i])
            if person is not None and len(folded[i]) <= 3 and tokens[i][0].isupper() and folded[i] not in ("mbs", "mbz"):
                person = None  # "XI" is a team or a numeral, not Xi
            if person is not None:
                if _other_first_name(text, tokens, gaps, covered, i):
                    other_person.add(i)
                else:
                    found = (person, 1)
        if found:
            person, n = found
            start, end = tokens[i][1], tokens[i + n - 1][2]
            mentions.append(Mention(person, start, end, "full", _is_possessive(tokens[i + n - 1][0])))
            for j in range(i, i + n):
                covered[j] = True
            resume = i + n
    # surnames of people named in full in this article; then typos of listed surnames
    surnames: dict[str, Person] = {}
    for m in mentions:
        surnames.setdefault(_surname_key(m.person.name), m.person)
    not_first = _rules()["not_first"]
    # (each distinct word is looked up once; only tokens whose word resolves are visited)
    distinct = set(folded)
    others = list(distinct.difference(surnames))
    resolves = distinct.intersection(surnames).union(compress(others, map(fuzzy_surname, others)))
    for i in compress(count(), map(resolves.__contains__, folded)) if resolves else ():
        word, start, end = tokens[i]
        if covered[i] or word in not_first or i in other_person:
            continue
        person = surnames.get(folded[i])
        kind = "surname"
        if person is None:
            person, kind = fuzzy_surname(folded[i]), "fuzzy"
        if person is not None:
            mentions.append(Mention(person, start, end, kind, _is_possessive(word)))
            covered[i] = True
    # two or three capitalised words in a row: fuzzy full names, then titled officials
    pairs = list(compress(count(), map(operator.eq, gaps, repeat(""))))  # (the i with gaps[i] == "")
    mentions.extend(_fuzzy_full_names(tokens, folded, covered, gaps, not_first, pairs))
    mentions.extend(_unknown_people(text, tokens, covered, gaps, pairs))
    mentions.sort(key=lambda m: m.start)
    return mentions


@lru_cache(maxsize=8192)
def _surname_key(name: str) -> str:
    """The match key of a name's last word (how its surname alone is written, folded)."""
    return name_key(name).split()[-1]


@lru_cache(maxsize=1)
def _name_openers() -> frozenset[str]:
    """Folded words that open a listed multi-word name or are a listed single word."""
    g = gazetteer()
    return g.firsts | frozenset(g.short)


def _other_first_name(text: str, tokens: list[tuple[str, int, int]], gaps: list[str | None], covered: list[bool],
                      i: int) -> bool:
    """True when a listed surname follows another known first name ("Dmitry Patrushev" when only
    Nikolai is listed): the surname alone must not name the listed person then."""
    if i == 0 or gaps[i - 1] != "" or covered[i - 1]:
        return False
    word = tokens[i - 1][0]
    if word in _rules()["not_first"] or _is_possessive(word):
        return False
    return _translit(fold_token(word)) in _first_names()


_POSSESSIVE_S = ("'s", "\u2019s")


#: :data:`NAME_TOKEN_RE` as a group: ``split`` gives the text before the first word, the word, the text
#: up to the next word, and so on.
_NAME_SPLIT_RE = re.compile("(" + NAME_TOKEN_RE.pattern + ")")
#: More characters than this between two words: they belong to no one name.
MAX_GAP_CHARS = 16


def _name_tokens(text: str) -> tuple[list[tuple[str, int, int]], list[str | None]]:
    """The capitalised words of ``text`` as (word, start, end) (what ``NAME_TOKEN_RE.finditer`` finds),
    and for each pair of neighbours the folded particles between them ("bin "), "" for none, or None
    when they cannot belong to one name."""
    _, tokens, gaps = _name_words(text)
    return tokens, gaps


def _name_words(text: str) -> tuple[list[str], list[tuple[str, int, int]], list[str | None]]:
    """The words of :func:`_name_tokens` alone, then what it returns.

    One ``split`` reads the words and the text between them (no match objects), their offsets are
    added up from the lengths, and only short stretches between words are read further.
    """
    parts = _NAME_SPLIT_RE.split(text)
    words = parts[1::2]
    ends = list(accumulate(map(len, parts)))
    tokens = list(zip(words, ends[0::2], ends[1::2]))
    between = parts[2:-1:2]  # between[k]: the text from word k to word k + 1 (never empty)
    gaps: list[str | None] = [None] * len(between)
    for k in compress(count(), map(operator.le, map(len, between), repeat(MAX_GAP_CHARS))):
        word, gap = words[k], between[k]
        if word.endswith(_POSSESSIVE_S):
            continue
        if gap == " ":
            gaps[k] = ""
        elif not (gap[:1] == "." and len(word) > 1):  # a full stop ends a sentence unless it follows an
            gaps[k] = _particles_between(gap)          # initial ("Daniel P. Driscoll")
    return words, tokens, gaps


@lru_cache(maxsize=4096)
def _particles_between(gap: str) -> str | None:
    """The folded particles ("bin ", "von der ") a short stretch between two words holds, "" for none,
    or None when it cannot stand inside a name."""
    m = _GAP_RE.fullmatch(gap)
    return m.group(1).replace("-", " ") if m else None


#: Letter groups of Polish and German transcriptions -> English ones (Wasyl -> Vasyl, Synahubow -> Synahubov).
_TRANSLIT = (("sch", "sh"), ("sz", "sh"), ("cz", "ch"), ("rz", "zh"), ("ł", "l"), ("w", "v"), ("tz", "ts"),
             ("j", "y"), ("ph", "f"), ("kh", "h"), ("nn", "n"), ("ll", "l"), ("ss", "s"))
#: Fuzzy full-name matching: whole-name similarity, and the surname's own similarity (0-100).
FUZZY_NAME_CUTOFF = 85
FUZZY_SURNAME_CUTOFF = 75


_C_AT_END = re.compile(r"c\b")


@lru_cache(maxsize=65536)
def _translit(key: str) -> str:
    for a, b in _TRANSLIT:
        key = key.replace(a, b)
    # (the rule also rewrote "ov" before a word's end as "ov", which changes nothing: left out)
    return _C_AT_END.sub("ts", key)


@lru_cache(maxsize=1)
def _translit_full() -> tuple[list[str], list[Person]]:
    g = gazetteer()
    keys, people = [], []
    for key, person in g.full.items():
        keys.append(_translit(key))
        people.append(person)
    return keys, people


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return frozenset(k.split()[0] for k in _translit_full()[0])


@lru_cache(maxsize=1)
def _surname_stems() -> frozenset[str]:
    """First three letters of every listed surname (transliterated): a cheap test before fuzzy matching."""
    return frozenset(k.split()[-1][:3] for k in _translit_full()[0])


@lru_cache(maxsize=65536)
def fuzzy_full_name(key: str) -> Person | None:
    """The listed person whose full name is close to ``key`` (folded) after transliteration, else None.

    Catches machine-translated spellings ("Wasyl Zarycz", "Oleh Synahubow").
    """
    fuzzy = _rapidfuzz()
    keys, people = _translit_full()
    target = _translit(key)
    # Only names sharing enough characters with the target can reach the cut-off (see _may_reach):
    # those are scored, in their order, so the best is the same.
    reach = _may_reach(target)
    hit = fuzzy.extract_one(target, [keys[j] for j in reach], scorer=fuzzy.ratio,
                            score_cutoff=FUZZY_NAME_CUTOFF) if reach else None
    if hit is None:
        return None
    matched = hit[0].split()
    words = target.split()
    if len(matched) != len(words) or fuzzy.ratio(matched[-1], words[-1]) < FUZZY_SURNAME_CUTOFF:
        return None
    return people[reach[hit[2]]]


def _may_reach(target: str) -> list[int]:
    """Indices (in order) of the transliterated full names whose ``fuzz.ratio`` with ``target`` may reach
    :data:`FUZZY_NAME_CUTOFF`; the others surely score below it.

    ``fuzz.ratio(a, b)`` is 200 * LCS(a, b) / (len(a) + len(b)), and a common subsequence holds no more
    of a character than either text does. Count the target's characters as tokens ("anna": a1 n1 n2
    a2): LCS <= the tokens a name holds too (a name holds "n2" when it has two n or more) = len(target)
    - the tokens it misses. So a name of length L can reach the cut-off only if it misses at most
    ``budget`` = floor((200 * len(target) - cut-off * (len(target) + L)) / 200) tokens (and only if
    200 * min(len(target), L) reaches cut-off * (len(target) + L)). Split the tokens into budget + 1
    groups: a name missing a token of every group misses more than the budget, so a name that can
    reach holds every token of some group. Each token is a bit mask over the names (Python ints): a
    group's names are the AND of its tokens' masks. (The bound is a whole-number test: a name left
    out scores at least 500 / (len(target) + L) below the cut-off, far more than any rounding.)
    """
    token_masks = _name_token_masks()
    held = Counter(target)
    # each token as its mask; the rarest (fewest names) first, dealt round the groups: every group
    # then has a rare token and few names (a token no name holds is 0: its group finds none)
    tokens = [token_masks.get(c, 0) for c in held]  # (the first of each character: keyed by it alone)
    if len(held) < len(target):  # (and the repeats)
        tokens += [token_masks.get((c, k), 0) for c, n in held.items() if n > 1 for k in range(2, n + 1)]
    tokens.sort(key=int.bit_count)
    found = 0
    for groups, names in _reach_plan(len(target)):
        for first in range(groups):
            mask = names
            for token in tokens[first::groups]:
                mask &= token
                if not mask:
                    break
            found |= mask
    bits = bin(found)[:1:-1]  # (bit j at position j)
    out = []
    j = bits.find("1")
    while j >= 0:
        out.append(j)
        j = bits.find("1", j + 1)
    return out


@lru_cache(maxsize=256)
def _reach_plan(size: int) -> tuple[tuple[int, int], ...]:
    """For a target of ``size`` characters: (budget + 1, the names of every length with that budget) for
    the lengths that can reach the cut-off at all (see :func:`_may_reach`; names of one budget share
    the same groups, so they are tested together)."""
    cut = FUZZY_NAME_CUTOFF
    plan: dict[int, int] = {}
    for length, names in _names_by_length():
        budget = (200 * size - cut * (size + length)) // 200
        if budget >= 0 and 200 * min(size, length) >= cut * (size + length):
            plan[budget + 1] = plan.get(budget + 1, 0) | names
    return tuple(sorted(plan.items()))


@lru_cache(maxsize=1)
def _names_by_length() -> tuple[tuple[int, int], ...]:
    """(length, mask of the transliterated full names of that length: bit ``j`` for name ``j``)."""
    lengths: dict[int, int] = {}
    for j, key in enumerate(_translit_full()[0]):
        lengths[len(key)] = lengths.get(len(key), 0) | 1 << j
    return tuple(sorted(lengths.items()))


@lru_cache(maxsize=1)
def _name_token_masks() -> dict[str | tuple[str, int], int]:
    """For each character token (character, k: the character at least k times; written as the character
    alone for k = 1) of the transliterated full names, the names holding it (bit ``j`` for name ``j``)."""
    masks: dict[str | tuple[str, int], int] = {}
    for j, key in enumerate(_translit_full()[0]):
        for c, n in Counter(key).items():
            for k in range(1, n + 1):
                token = c if k == 1 else (c, k)
                masks[token] = masks.get(token, 0) | 1 << j
    return masks


def _fuzzy_full_names(tokens: list[tuple[str, int, int]], folded: list[str], covered: list[bool],
                      gaps: list[str | None], not_first: frozenset[str], pairs: list[int]) -> list[Mention]:
    """Machine-translated spellings of listed full names; ``pairs``: the indices i with ``gaps[i] == ""``."""
    out = []
    for i in pairs:
        if covered[i] or covered[i + 1] or tokens[i][0] in not_first or not _may_open_fuzzy(folded[i], folded[i + 1]):
            continue
        n = 3 if i + 2 < len(tokens) and gaps[i + 1] == "" and not covered[i + 2] else 2
        hit = _fuzzy_run(tuple(folded[i:i + n]))
        if hit is not None:
            person, size = hit
            out.append(Mention(person, tokens[i][1], tokens[i + size - 1][2], "fuzzy",
                               _is_possessive(tokens[i + size - 1][0])))
            for j in range(i, i + size):
                covered[j] = True
    return out


@lru_cache(maxsize=65536)
def _may_open_fuzzy(first: str, second: str) -> bool:
    """False when two folded words surely start no listed full name: the first is no listed first name
    and the second does not open like a listed surname (after transliteration)."""
    return _translit(first) in _first_names() or _translit(second)[:3] in _surname_stems()


@lru_cache(maxsize=65536)
def _fuzzy_run(words: tuple[str, ...]) -> tuple[Person, int] | None:
    """The listed person whose full name is close to the first three, else first two, folded words
    (words holding a space are no name), and how many words that takes; None when neither is."""
    for size in range(len(words), 1, -1):
        if any(" " in word for word in words[:size]):
            continue
        person = fuzzy_full_name(" ".join(words[:size]))
        if person is not None:
            return person, size
    return None


#: A capitalised pair right after these words is a place ("in Bila Tserkva"), not a name.
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|outside)\s+$")
#: "Prime Minister of Iceland Bjarni Benediktsson": a title, "of" and a country before the name.
_ROLE_OF_COUNTRY = re.compile(r"\bof\s+(?:the\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?\s+$")
_POSSESSIVE_TITLE = re.compile(r"\b[A-Z][\w-]+['\u2019]s\s+(?:[\w-]+\s+){0,2}[\w-]+,\s+$")
_OF_REGION = re.compile(r"(?:\s+of\s+(?:the\s+)?[\w'\u2019-]+\s+(?:region|oblast|province|republic|krai))?")
#: Common English forms of first names transliterated letter by letter (FACTS: the common English form).
_FIRST_NAME_FORMS = {"Aleksandr": "Alexander", "Aleksander": "Alexander", "Aleksei": "Alexei", "Aleksey": "Alexei",
                     "Alexey": "Alexei", "Andrey": "Andrei", "Sergey": "Sergei", "Nikolay": "Nikolai"}


def _sentence_affiliation(text: str, start: int) -> str | None:
    """Affiliation named earlier in the sentence by its subject ("The Russian delegation also includes
    A, B and Deputy Foreign Minister X"), when the title's own words name none."""
    head = text[max(0, start - 250):start]
    cut = max(head.rfind(". "), head.rfind("\n"))
    head = head[cut + 1:]
    m = _LIST_SUBJECT.match(head)
    return affiliation_from_context(m.group(0)) if m else None


_HEAD_OF_COMPANY = re.compile(r"\b(?:state|national|nuclear|energy|gas|oil|rail(?:way)?s?|grid)\s+(?:[\w-]+\s+){0,2}"
                              r"(?:company|operator|corporation|monopoly|utility|agency)\b[^.;]{0,30},\s+"
                              r"(?P<role>led|headed|run)\s+by(?P<of>)\s+$")
_LIST_SUBJECT = re.compile(r"\s*(?:The |the )?[\w'\u2019]+ (?:delegation|team|side|government|cabinet)\b[^,]{0,40}?"
                           r"\b(?:includes?|included|comprises?|consists? of|was made up of)\b")


def _country_named(words: str) -> str | None:
    """The affiliation of a country named as a noun ("Iceland", "Poland"), else None."""
    possessive = words.lower() + "'s"
    for aff, pattern in _affiliation_patterns(possessive, nationalities_only=True):
        if any(m.group(0) == possessive for m in pattern.finditer(possessive)):
            return aff
    return None


def _is_possessive(word: str) -> bool:
    return word.endswith(("'s", "\u2019s", "s'", "s\u2019"))


def _unknown_people(text: str, tokens: list[tuple[str, int, int]], covered: list[bool],
                    gaps: list[str | None], pairs: list[int]) -> list[Mention]:
    """Officials outside the gazetteer: an uncovered two- or three-word name with a title right before
    it ("Belgorod governor Ivan Petrov") or after it ("Ivan Petrov, the regional governor"), and an
    affiliation in those words."""
    rules = _rules()
    not_first = rules["not_first"]
    out: list[Mention] = []
    resume = 0  # tokens before this one belong to the last name found
    for i in pairs:  # (only pairs with gaps[i] == "" can start a name)
        if i < resume or covered[i] or covered[i + 1] or tokens[i][0] in not_first:
            continue
        n = 3 if i + 2 < len(tokens) and gaps[i + 1] == "" and not covered[i + 2] \
            and tokens[i + 2][0] not in not_first and not _is_possessive(tokens[i + 1][0]) else 2
        start, end = tokens[i][1], tokens[i + n - 1][2]
        before = text[max(0, start - 60):start]
        last = before.rsplit(None, 1)
        last_word = last[-1].lower().rstrip(",") if last else ""
        # (" of " in before[-45:], read without copying)
        of_country = text.find(" of ", max(0, start - 45), start) >= 0 and _ROLE_OF_COUNTRY.search(before)
        if last_word not in rules["role_words"] and last_word != "by" and not text.startswith(", ", end) \
                and not of_country:
            continue  # no title can stand before or after the name (the tests below need one of these)
        words = [t[0] for t in tokens[i:i + n]]
        if not not_first.isdisjoint(words[1:]) or not all(map(_plain_name_word, words)):
            continue
        role = rules["role_before"].search(before) if last_word in rules["role_words"] or of_country else None
        if role is None and last_word == "by":
            role = _HEAD_OF_COMPANY.search(before)  # "the state nuclear company Energoatom, led by X"
        if role and before.rstrip().endswith(",") and not _POSSESSIVE_TITLE.search(before):
            role = None  # "its executive director, X": a title before a comma only after "<Place>'s"
        affiliation = None
        if role:
            of = role.group("of")
            if of:  # "Prime Minister of Iceland X": only a country after "of" (not "head of the Orthodox Church")
                affiliation = _country_named(of.split(None, 1)[1].removeprefix("the").strip())
                if affiliation is None:
                    continue
            else:
                affiliation = affiliation_from_context(before) or _sentence_affiliation(text, start)
        elif text.startswith(", ", end):
            role = rules["role_after"].match(text, end, min(len(text), end + 70))
            if role:
                # "X, governor of the Moscow region": the words after the title place the person too
                region = _OF_REGION.match(text, role.end(), min(len(text), role.end() + 50))  # (always matches)
                affiliation = affiliation_from_context(role.group(0)) or affiliation_from_context(
                    region.group(0) if region else "")
        if role is None or affiliation is None or _is_possessive(words[-1]) or _PLACE_BEFORE.search(before) \
                or rules["not_official"].search(before[-40:] if role.re is rules["role_before"] else role.group(0)):
            continue
        words = [_FIRST_NAME_FORMS.get(words[0], words[0])] + words[1:]
        out.append(Mention(Person(" ".join(words), affiliation, role.group("role").lower()), start, end, "unknown",
                           in_gazetteer=False))
        for j in range(i, i + n):
            covered[j] = True
        resume = i + n
    return out


def _plain_name_word(word: str) -> bool:
    core = word.replace("-", "").replace("'", "").replace("\u2019", "")
    return len(core) > 1 and core.isalpha() and not word.isupper()
