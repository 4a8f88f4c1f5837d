"""Impacts of strikes: places struck, infrastructure hit, casualties, outages (issue #3).

Scope follows FACTS.md ("Hard cases, settled"): places and impacts of the air
attack(s) an article reports — not artillery shelling or ground fighting, not
launch sites, not other wars. In a report of strikes by both sides the impacts
are those on Ukrainian territory; in a report of a Ukrainian strike alone, the
Russian side's. Rules and vocabularies live in ``data/impact_rules.yaml`` and
``data/infrastructure.yaml``; places in ``data/places.csv`` / ``data/oblasts.csv``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .casualties import TRIGGER_WORDS as CASUALTY_WORDS
from .casualties import casualty_facts, casualty_rows
from .gazetteer import DataFileError, load_yaml
from .impact_rules import (SentenceKind, alternation, classify_spans, first_chars, group_bit, kind_of, lowered,
                           prepare_word_starts, rules, triggers_in, word_search, word_start_matches)
from .outages import TRIGGER_WORDS as OUTAGE_WORDS
from .outages import outage_facts, outage_rows
from .places import Place, PlaceMention, lookup, place_spans
from .records import Article
from .text import Sentence

INFRASTRUCTURE_FILE = "infrastructure.yaml"
#: Capitals that stand for their governments ("Kyiv accused Moscow"): struck only when the text puts
#: the attack there.
CAPITALS = ("Kyiv", "Moscow")
#: A target counts when a strike or weapon word stands within this many characters of it.
TARGET_WINDOW = 80
#: A target listed right after a target that counts counts too ("hit a plant, a canteen and ... houses").
TARGET_LIST_GAP = 70
_LIST_JOIN = re.compile(r",|\band\b|\bas well as\b|\bplus\b")
# where people sheltered, or where weapons were launched from: not targets (every match holds one of
# _NOT_TARGET_WORDS)
_NOT_TARGET_BEFORE = re.compile(
    r"\b(?:shelter(?:ed|ing|s)?|hid|hiding|hide|took refuge|taking refuge|sought refuge)\s+(?:in|inside|at|under)\s+"
    r"(?:the\s+|its\s+|their\s+|a\s+)?(?:[\w-]+(?:'s|’s)?\s+){0,2}$"
    r"|\b(?:launched|fired|flown|taking off|took off)\s+from\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_NOT_TARGET_WORDS = ("shelter", "hid", "refuge", "from")
CATEGORIES = ("energy", "residential", "port", "rail", "industrial", "civilian_other", "military", "water",
              "transport_other")
# what may stand between two launch sites of one list: "from Kursk region, the Caspian Sea and occupied
# parts of Donetsk region"
_LAUNCH_LIST_GAP = re.compile(r"(?:[\s,]|\b(?:and|the|of|occupied|temporarily|parts?|areas?|[A-Z][a-z]+|Sea|regions?|"
                              r"oblasts?|Oblast)\b)*")
_CAPITAL = re.compile(r"(?<!outside )(?<!Outside )\b(?:the (?:Ukrainian )?capital|Ukraine's capital|Ukraine’s capital)\b"
                      r"(?!,? [A-Z]| of (?!Ukraine))")
# Moscow named as a place (a dateline, its mayor or region, "over Moscow"): "the capital" after it is
# Moscow, not Kyiv, until Kyiv is named again. Moscow as the government ("Moscow launched") is not.
_MOSCOW_AFTER = re.compile(r"(?:'s|’s)? (?:[Mm]ayor|[Rr]egion|[Oo]blast|city|officials|residents|airports?)\b")
_MOSCOW_BEFORE = re.compile(r"\b(?:in|over|near|on|towards?|around|outside|of) $")
_KYIV_NAME = re.compile(r"\b(?:Kyiv|Kiev|KYIV|KIEV|Ukraine's capital|Ukraine’s capital|Ukrainian capital)\b")
# "no missile had been launched ... towards Kiev": a place after a denial is not struck
_DENIAL = re.compile(r"\b(?:no|not a single|not one|never|neither)\s+(?:[\w-]+\s+){0,2}?(?:missiles?|drones?|rockets?|"
                     r"strikes?|attacks?|weapons?)\b[^.;]{0,90}$|\b(?:did|does|do|had|has|have|was|were) not\s+"
                     r"(?:\w+\s+)?(?:attack|strike|hit|target|launch|fire)\w*\b[^.;]{0,60}$", re.IGNORECASE)
# clause openers: a ground-war clause ("as shelling hits Nikopol") inside a sentence about drones
_CLAUSE_STOP = re.compile(r"[,;:]|\b(?:as|while|and|but)\b")
_CLAUSE_START = re.compile(r"(?:[,;:]|\b(?:as|while|whereas|and|but|when)\b)\s+(?:[^,;:]*)$")
# "people in Kyiv without heating": the place of an outage, not of a strike
_OUTAGE_PLACE_AFTER = re.compile(r"\s+(?:(?:were|was|are|is|remain(?:ed)?|had been|have been|being)\s+)?"
                                 r"(?:still\s+)?(?:left\s+)?without\b")
_OUTAGE_PLACE_BEFORE = re.compile(r"\b(?:customers|households|consumers|subscribers|people|residents|homes|families|"
                                  r"(?:emergency\s+|rolling\s+)?(?:power|electricity)\s+(?:cuts|outages)|blackouts|outages)"
                                  r"\s+in\s+(?:the\s+)?$")
_MODAL_AFTER = re.compile(r"\s+(?:could|might|may|would)\s+(?!have\b)")
_COUNT_BEFORE = re.compile(r"\d[\d,.]*(?:\s+(?:thousand|million))?\s+$")
_OUTAGE_AFTER = re.compile(r"[^.;,\d]{0,45}?\b(?:without|lost (?:power|heat|electricity|water|gas)|disconnected|"
                           r"in the dark|de-?energi[sz]ed|cut off)\b")
# site navigation inside or after the body: "Read also: ...", "RELATED: ...", "See also - ..."
# the characters a _TEASER match can start with (case-insensitively: "ſ" is an "s")
_TEASER_FIRST = "rRaAsSmMwW\u017f"
_TEASER = re.compile(r"(?:read also|also read|read more|related(?: articles?| stories| news| coverage)?|see also|"
                     r"more on this|recommended|watch)\s*[:|–—-]", re.IGNORECASE)
# where an Air Force statement says a salvo came from: a parenthesis right after the weapons
_WEAPON_PAREN = re.compile(r"\b(?:missiles?|drones?|UAVs|aircraft|bombers|types)\s*\((?![^()]*\b(?:over|hit|struck|on)\b)"
                           r"[^()]{0,120}$", re.IGNORECASE)
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)")
_VENUE_BEFORE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")
_LAUNCH_WORDS = ("from", "based", "stationed", "launch")
_LAUNCH_HINT = re.compile("|".join(_LAUNCH_WORDS), re.IGNORECASE)
_HYPOTHETICAL = group_bit("hypothetical")
_STRIKE_OR_AIR = group_bit("strike") | group_bit("air")
_OUTAGE_WORDS = ("without", "blackout", "outage", "energi", "disconnected", "power cut")
_OUTAGE_HINT = re.compile(r"\b(?:without|blackouts?|outages?|de-?energi[sz]ed|disconnected|power cuts?)\b",
                          re.IGNORECASE)
# _OUTAGE_HINT for lower-cased ASCII text: without IGNORECASE, at the start of the text (first) and after
# any other non-word character (second; a class opening the pattern is scanned for in C)
_OUTAGE_HINT_ASCII = (re.compile(_OUTAGE_HINT.pattern),
                      re.compile(r"[^0-9A-Z_a-z]" + _OUTAGE_HINT.pattern[2:]))
_CAPITAL_WORD = "capital"
# what may stand before "capital" in a _CAPITAL match: "the ", "the Ukrainian ", "Ukraine's "
_CAPITAL_BACK = (len("the "), len("the Ukrainian "), len("Ukraine's "))


@dataclass(frozen=True)
class Analysed:
    """A sentence with what the rules need about it: its kind and its places."""

    sentence: Sentence
    kind: SentenceKind
    places: tuple[PlaceMention, ...]
    roles: tuple[str, ...]  # place_role of each place

    @property
    def ua_codes(self) -> list[str]:
        """ISO codes of the Ukrainian places in the sentence, in order."""
        return [p.place.oblast_code for p in self.places if p.place.oblast_code] if self.places else []

    @property
    def russian_only(self) -> bool:
        """True when the sentence names Russian places and no Ukrainian one (worked out once per item:
        the rules ask it of every sentence several times; the fields it reads are frozen)."""
        if not self.places:
            return False
        known = self.__dict__.get("_russian_only")
        if known is None:
            known = self.__dict__["_russian_only"] = not self.ua_codes and any(
                p.place.country_code == "RU" for p in self.places)
        return known


def analyse(sentences: list[Sentence], text: str | None = None, low: str | None = None) -> list[Analysed]:
    """Classify every sentence and find and role its places (``text``: the article, when the
    sentences are its sentences — one pass over it instead of one per sentence)."""
    if text is None:
        text = " ".join(s.text for s in sentences)
        spans, offset = [], 0
        for s in sentences:
            spans.append((offset, offset + len(s.text)))
            offset += len(s.text) + 1
    else:
        spans = [(s.start, s.end) for s in sentences]
    kinds = classify_spans(text, spans, low)
    starts = [start for start, _ in spans]
    per_sentence: list[list[PlaceMention]] = [[] for _ in sentences]
    capitals = [(m.text, m.start, m.end, m.place) for m in _capital_mentions(text)]
    for words, start, end, place in [*place_spans(text), *capitals]:
        i = bisect_right(starts, start) - 1
        if i >= 0 and end <= spans[i][1]:
            shift = spans[i][0]
            per_sentence[i].append(PlaceMention(words, start - shift, end - shift, place))
    out = []
    for sentence, kind, mentions in zip(sentences, kinds, per_sentence):
        if not mentions:
            out.append(Analysed(sentence, kind, (), ()))
            continue
        if len(mentions) > 1:
            mentions.sort(key=lambda m: m.start)
        out.append(Analysed(sentence, kind, tuple(mentions), _roles(sentence.text, kind, mentions)))
    return out


#: (sentence text, kind, its mentions) -> :func:`place_roles`; cleared when full
_ROLES_MEMO: dict[tuple[str, SentenceKind, tuple[tuple[int, int, str, Place], ...]], tuple[str, ...]] = {}
_ROLES_MEMO_SIZE = 4096


def _roles(text: str, kind: SentenceKind, mentions: list[PlaceMention]) -> tuple[str, ...]:
    """:func:`place_roles`, kept per (text, kind, mentions): it reads nothing else (a pure function
    of them and the rules), and sentences repeat (boilerplate, wire copy)."""
    key = (text, kind, tuple([(m.start, m.end, m.text, m.place) for m in mentions]))
    roles = _ROLES_MEMO.get(key)
    if roles is None:
        if len(_ROLES_MEMO) >= _ROLES_MEMO_SIZE:
            _ROLES_MEMO.clear()
        roles = _ROLES_MEMO[key] = tuple(place_roles(text, kind, mentions))
    return roles


def _capital_mentions(text: str) -> list[PlaceMention]:
    """"the capital" / "Ukraine's capital" standing for Kyiv (not "the capital, Riyadh")."""
    if "capital" not in text:
        return []
    kyiv = lookup("Kyiv")
    if kyiv is None:
        return []
    moscow = _moscow_places(text)
    kyivs = [m.start() for m in _KYIV_NAME.finditer(text)] if moscow else []
    out = []
    for m in _capital_matches(text):
        if moscow:
            last_moscow = moscow[bisect_right(moscow, m.start()) - 1] if moscow[0] < m.start() else -1
            last_kyiv = kyivs[bisect_right(kyivs, m.start()) - 1] if kyivs and kyivs[0] < m.start() else -1
            if last_moscow > last_kyiv:
                continue  # "debris fell near the capital" after "Moscow's mayor said"
        out.append(PlaceMention(m.group(0), m.start(), m.end(), kyiv))
    return out


def _capital_matches(text: str) -> list[re.Match[str]]:
    """``list(_CAPITAL.finditer(text))``, tried only where "capital" stands.

    Every _CAPITAL match ends with the one "capital" it holds, after "the ", "the Ukrainian " or
    "Ukraine's" (_CAPITAL_BACK): so it is the match at one of those offsets before an occurrence that
    ends at that occurrence. Matches of two occurrences cannot overlap (no end of "capital" begins
    one of those prefixes), so these are finditer's matches, in order."""
    found = []
    at = text.find(_CAPITAL_WORD)
    while at != -1:
        end = at + len(_CAPITAL_WORD)
        for back in _CAPITAL_BACK:
            m = _CAPITAL.match(text, at - back) if at >= back else None
            if m and m.end() == end:
                found.append(m)
                break
        at = text.find(_CAPITAL_WORD, end)
    return found


def _moscow_places(text: str) -> list[int]:
    """Where Moscow is named as a place: a MOSCOW dateline, its mayor (Sobyanin), region or officials,
    "in/over/near Moscow" (not Moscow as the government: "Moscow launched")."""
    found = []
    for word in ("MOSCOW", "Moscow", "Sobyanin"):
        at = text.find(word)
        while at != -1:
            end = at + len(word)
            whole = not (at and text[at - 1].isalnum()) and not (end < len(text) and text[end].isalnum())
            if whole and (word != "Moscow" or _MOSCOW_AFTER.match(text, end)
                          or _MOSCOW_BEFORE.search(text, max(0, at - 12), at)):
                found.append(at)
            at = text.find(word, end)
    return sorted(found)


def _weapons_over(kind: SentenceKind) -> bool:
    """Aerial weapons named with no strike verb ("Shaheds over Kyiv"): the place right after
    "over"/"towards" is where they were."""
    return kind.air and not (kind.foreign or kind.hypothetical or kind.ground or kind.rollup)


def _outage_hint(text: str) -> bool:
    """Whether ``text`` talks of an outage (_OUTAGE_HINT.search, after a cheap pre-check).

    On ASCII text a case-insensitive match is a match in the lower-cased text (no other
    characters fold to ASCII letters there), and as every alternative opens with a letter the
    opening ``\b`` holds at the start of the text or after a character outside ``[0-9A-Z_a-z]``."""
    low = text.lower()
    if not any(map(low.__contains__, _OUTAGE_WORDS)):
        return False
    if text.isascii():
        at_start, after_non_word = _OUTAGE_HINT_ASCII
        return bool(at_start.match(low) or after_non_word.search(low))
    return bool(_OUTAGE_HINT.search(text))


def _launch_hint(text: str) -> bool:
    """_LAUNCH_HINT.search(text), by ``str.find`` when ``text`` is ASCII (case-insensitive matching is
    then plain lower-casing)."""
    if text.isascii():
        low = text.lower()
        return any(map(low.__contains__, _LAUNCH_WORDS))
    return bool(_LAUNCH_HINT.search(text))


def _launch_site_before(before: str) -> bool:
    """``_launch_hint(before) and rules().launch_before.search(before)``: on ASCII text by the lower-cased
    pattern in the text lower-cased once (see :func:`ascii_lowered`)."""
    r = rules()
    if r.launch_before_ascii is not None and before.isascii():
        low = before.lower()
        return any(map(low.__contains__, _LAUNCH_WORDS)) and r.launch_before_ascii.search(low) is not None
    return _launch_hint(before) and r.launch_before.search(before) is not None


def _may_deny(text: str) -> bool:
    """Whether ``text`` holds a word _DENIAL needs (a cheap pre-check)."""
    low = text.lower()
    return any(map(low.__contains__, ("no ", "not ", "never", "neither")))


def place_roles(text: str, kind: SentenceKind, mentions: tuple[PlaceMention, ...] | list[PlaceMention]) -> list[str]:
    """``place_role`` of each mention: struck, launch_site, outage_only or mentioned."""
    r = rules()
    roles: list[str] = []
    denial: bool | None = None  # whether the sentence may deny a strike (computed when needed)
    outage: bool | None = None  # whether it talks of an outage (computed when needed)
    for i, mention in enumerate(mentions):
        before = text[max(0, mention.start - 60):mention.start]
        prev_gap = text[mentions[i - 1].end:mention.start] if i else None
        if prev_gap is not None and roles[-1] == "launch_site" and (
                _LIST_GAP.fullmatch(prev_gap) or _LAUNCH_LIST_GAP.fullmatch(prev_gap)):
            roles.append("launch_site")  # "from Kursk and Bryansk regions"
        elif _launch_site_before(before):
            roles.append("launch_site")
        elif "(" in before and _WEAPON_PAREN.search(text, max(0, mention.start - 160), mention.start):
            roles.append("launch_site")  # Air Force lists: "9 Iskander-M missiles (Kursk region, occupied Crimea)"
        elif not kind.air_strike and not (_weapons_over(kind) and r.weapons_over.search(before)):
            if outage is None:
                outage = _outage_hint(text)
            roles.append("outage_only" if outage else "mentioned")
        elif mention.text in r.rivers and before.endswith("the "):
            roles.append("mentioned")  # "across the Dnipro from the plant": the river
        elif r.blockers_after.match(text, mention.end) or r.blockers_before.search(before) \
                or ((denial := _may_deny(text)) if denial is None else denial) \
                and _DENIAL.search(text, max(0, mention.start - 160), mention.start):
            roles.append("mentioned")
        elif kind.ground and _ground_clause(text, mention.start):
            roles.append("mentioned")  # "drones hit Kharkiv as shelling hits Nikopol"
        elif ((outage := _outage_hint(text)) if outage is None else outage) \
                and (_OUTAGE_PLACE_AFTER.match(text, mention.end) or _OUTAGE_PLACE_BEFORE.search(before)):
            roles.append("outage_only")
        elif mention.place.canonical in CAPITALS and mention.place.kind not in ("region", "oblast"):
            if mention.text.isupper() and not text[:mention.start].strip():
                roles.append("mentioned")  # a dateline ("KYIV, Feb 23 -")
            elif r.capital_venue.search(text) and _VENUE_BEFORE.search(before):
                roles.append("mentioned")  # the capital as a venue: "Blinken arrived in Kyiv"
            elif r.capital_before.search(before) or r.capital_after.match(text, mention.end):
                roles.append("struck")
            else:
                roles.append("mentioned")  # the capital as the government: "accused Kyiv", "Moscow launched"
        else:
            roles.append("struck")
    # a capital listed with places struck is struck too: "Kyiv, Kharkiv and Odesa were hit"
    for i, mention in enumerate(mentions):
        if roles[i] == "mentioned" and mention.place.canonical in CAPITALS and kind.air_strike:
            for j in (i - 1, i + 1):
                if 0 <= j < len(mentions) and roles[j] == "struck" \
                        and mentions[j].place.country_code == mention.place.country_code:
                    gap = text[min(mention.end, mentions[j].end):max(mention.start, mentions[j].start)]
                    if _LIST_GAP.fullmatch(gap):
                        roles[i] = "struck"
    return roles


def _ground_clause(text: str, start: int) -> bool:
    """Whether the clause holding ``text[start]`` names ground fire (shelling, artillery) and no
    aerial weapon: "... drone strikes on Zaporizhzhia as shelling hits Nikopol"."""
    clause = _CLAUSE_START.search(text, max(0, start - 120), start)
    begin = clause.start() if clause else max(0, start - 120)
    end = min(len(text), start + 60)
    stop = _CLAUSE_STOP.search(text[start:end])
    low = lowered(text[begin:start + stop.start() if stop else end])
    groups = {kind_of(m.group(0)) for m in rules().kinds.finditer(low)}
    return "ground" in groups and "air" not in groups


def article_attacker(analysed: list[Analysed], strike_counts: list[dict[str, Any]], text: str = "") -> str:
    """``russia`` when the article reports a Russian attack (alone or beside a Ukrainian one), else
    ``ukraine`` when it reports only a Ukrainian attack on Russia (or on occupied territory)."""
    attackers = {row.get("attacker") for row in strike_counts}
    if "russia" in attackers:
        return "russia"
    text = text or " ".join(item.sentence.text for item in analysed)
    russian = bool(word_search(rules().russian_attack, text))
    ukrainian = "ukraine" in attackers or bool(word_search(rules().ukrainian_attack, text)) or any(
        item.kind.air_strike and "struck" in item.roles and item.russian_only for item in analysed)
    return "ukraine" if ukrainian and not russian else "russia"


def in_scope(item: Analysed, attacker: str) -> bool:
    """Whether a sentence's impacts belong to the article's attack (territory rule of FACTS.md)."""
    if item.kind.foreign:
        return False
    return not (attacker == "russia" and item.russian_only)


# --------------------------------------------------------------------------- infrastructure

def validate_infrastructure(data: Any) -> None:
    """Raise DataFileError unless ``infrastructure.yaml`` lists valid patterns for known categories."""
    if not isinstance(data, dict) or set(data) != {"categories", "exclude"}:
        raise DataFileError(f"{INFRASTRUCTURE_FILE}: needs exactly 'categories' and 'exclude'")
    unknown = set(data["categories"]) - set(CATEGORIES)
    if unknown:
        raise DataFileError(f"{INFRASTRUCTURE_FILE}: unknown categories {sorted(unknown)}")
    for name, items in [*data["categories"].items(), ("exclude", data["exclude"])]:
        if not isinstance(items, list) or not items:
            raise DataFileError(f"{INFRASTRUCTURE_FILE}: {name!r} must be a non-empty list")
        for item in items:
            try:
                re.compile(item)
            except (re.error, TypeError) as exc:
                raise DataFileError(f"{INFRASTRUCTURE_FILE}: {name}: bad pattern {item!r}: {exc}") from exc


@lru_cache(maxsize=1)
def _targets_pattern() -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """One pass for every target word; then, per match, the first group (exclusions, then the
    categories in file order) the words belong to."""
    data = load_yaml(INFRASTRUCTURE_FILE)
    validate_infrastructure(data)
    groups = [("exclude", data["exclude"]), *data["categories"].items()]
    every = [f for _, fragments in groups for f in fragments]
    pattern = re.compile(rf"\b{first_chars(every)}(?:{alternation(every)})(?![\w-])")
    prepare_word_starts(pattern)  # searched from word starts (_span_targets): compiled now
    return pattern, tuple((name, re.compile(alternation(fragments))) for name, fragments in groups)


@lru_cache(maxsize=4096)
def _category_of(words: str) -> str:
    for name, pattern in _targets_pattern()[1]:
        if pattern.fullmatch(words):
            return name
    return "exclude"


def find_targets(text: str) -> list[tuple[str, str, int, int]]:
    """(category, target words, start, end) of every target named in ``text``; a phrase counts once.

    >>> [t[0] for t in find_targets("A drone hit a power plant and an apartment block.")]
    ['energy', 'residential']
    """
    return _targets_in(text, lowered(text), 0, len(text))


#: (whether a word character stands before the span, the lower-cased span) -> its targets as
#: (category, start, end) relative to the span (see :func:`_targets_in`); cleared when full
_TARGETS_MEMO: dict[tuple[bool, str], tuple[tuple[str, int, int], ...]] = {}
_TARGETS_MEMO_SIZE = 8192
_LOOKBEHIND = re.compile(r"\(\?<[=!]")


@lru_cache(maxsize=1)
def _targets_memo_sound() -> bool:
    """Whether the target pattern reads nothing before a span but the one character \b looks at:
    no fragment holds a look-behind (see :func:`_targets_in`)."""
    return not _LOOKBEHIND.search(_targets_pattern()[0].pattern)


def _word_before(low: str, start: int) -> bool:
    r"""Whether ``low[start - 1]`` is a word character (``\w``: alphanumeric or "_")."""
    if not start:
        return False
    c = low[start - 1]
    return c.isalnum() or c == "_"


def _span_targets(low: str, start: int, end: int) -> tuple[tuple[str, int, int], ...]:
    """(category, start, end) of the targets in ``low[start:end]``, offsets relative to ``start``."""
    found = []
    for at, stop, _ in word_start_matches(_targets_pattern()[0], low, start, end):
        category = _category_of(low[at:stop])
        if category != "exclude":
            found.append((category, at - start, stop - start))
    return tuple(found)


def _targets_in(text: str, low: str, start: int, end: int) -> list[tuple[str, str, int, int]]:
    """Targets named in ``text[start:end]`` (``low``: the text lower-cased), offsets into ``text``.

    The matches of ``word_start_matches(pattern, low, start, end)`` depend only on ``low[start:end]`` and on
    whether a word character stands before ``start``: the search cannot see past ``end`` (its end
    position), and with no look-behind in the pattern the only check reading before ``start`` is the
    opening ``\b`` of a match at ``start``. So the targets of a span are kept by those two (sentences
    repeat: boilerplate, wire copy), and the words as written read from ``text`` each time."""
    if not _targets_memo_sound():
        return [(category, text[start + at:start + stop], start + at, start + stop)
                for category, at, stop in _span_targets(low, start, end)]
    key = (_word_before(low, start), low[start:end])
    found = _TARGETS_MEMO.get(key)
    if found is None:
        if len(_TARGETS_MEMO) >= _TARGETS_MEMO_SIZE:
            _TARGETS_MEMO.clear()
        found = _TARGETS_MEMO[key] = _span_targets(low, start, end)
    return [(category, text[start + at:start + stop], start + at, start + stop) for category, at, stop in found]


def _outage_count(text: str, start: int, end: int) -> bool:
    """Whether the target words at ``text[start:end]`` count customers of an outage ("500,000 homes in
    the region were left without power")."""
    return bool(_COUNT_BEFORE.search(text, max(0, start - 30), start) and _OUTAGE_AFTER.match(text, end))


def _strike_positions(low: str, start: int, end: int) -> tuple[list[int], int]:
    """Where ``low[start:end]`` says something was struck (strike or aerial-weapon words), and where a
    threat or possibility begins (``end`` when none): "had struck a plant, and warned it would strike
    military facilities" counts the plant only."""
    found = triggers_in(low, start, end)
    if found is not None:  # the matches of the article's scan (classify_spans)
        positions: list[Any] = []
        for at, bit in found:
            if bit == _HYPOTHETICAL:
                return positions, at if positions else end
            if bit & _STRIKE_OR_AIR:
                positions.append(at)
        return positions, end
    positions = []
    for m in rules().kinds.finditer(low, start, end):
        group = kind_of(m.group(0))
        if group == "hypothetical":
            return positions, m.start() if positions else end
        if group in ("strike", "air"):
            positions.append(m.start())
    return positions, end


def _near(positions: list[int], low: int, high: int) -> bool:
    """Whether one of the sorted ``positions`` lies in ``[low, high]``."""
    i = bisect_left(positions, low)
    return i < len(positions) and positions[i] <= high


def _not_target(text: str, low: str, start: int, end: int) -> bool:
    """_NOT_TARGET_BEFORE in ``text[start:end]`` ("sheltered in", "launched from"); skipped when the
    (ASCII) words lack "shelter", "hid", "refuge" and "from", one of which every match holds."""
    window = low[start:end]
    if window.isascii() and not any(map(window.__contains__, _NOT_TARGET_WORDS)):
        return False
    return bool(_NOT_TARGET_BEFORE.search(text, start, end))


def infrastructure_rows(analysed: list[Analysed], attacker: str, article: Article,
                        low: str | None = None) -> list[dict[str, Any]]:
    """One row per target category per sentence that says targets were hit or attacked."""
    low = low if low is not None else lowered(article.text)
    history = rules().history
    rows = []
    for item in analysed:
        if not item.kind.air_strike or not in_scope(item, attacker):
            continue
        seen: set[str] = set()
        sentence = item.sentence
        targets = _targets_in(article.text, low, sentence.start, sentence.end)
        # history.search, from word starts (word_start_matches: its words open with word characters)
        if not targets or word_start_matches(history, sentence.text):
            continue  # no target, or targets of another war or century
        triggers, hypothetical = _strike_positions(low, sentence.start, sentence.end)
        last_end = -1
        for category, target, start, end in targets:
            if _outage_count(article.text, start, end) or _MODAL_AFTER.match(article.text, end):
                continue  # "left 500,000 homes without power", "pumping stations could stop": not targets
            if start > hypothetical or _not_target(article.text, low, max(sentence.start, start - 60), start):
                continue  # "sheltered in metro stations", "launched from trucks"
            listed = 0 <= start - last_end <= TARGET_LIST_GAP and _LIST_JOIN.search(article.text, last_end, start)
            if not listed and not _near(triggers, start - TARGET_WINDOW, end + TARGET_WINDOW):
                continue
            last_end = end
            if category in seen:
                continue
            seen.add(category)
            rows.append({"infrastructure_category": category, "target_text": target,
                         "oblast_code": _first_code(item), **evidence(item.sentence, article)})
    return rows


# --------------------------------------------------------------------------- places

def place_rows(analysed: list[Analysed], article: Article) -> list[dict[str, Any]]:
    """One row per place mention, with its role (struck, launch_site, outage_only, mentioned)."""
    rows = []
    for item in analysed:
        for mention, role in zip(item.places, item.roles):
            place = mention.place
            rows.append({"place_name": mention.text, "place_canonical": place.canonical,
                         "place_kind": place.kind, "country_code": place.country_code,
                         "oblast_code": place.oblast_code, "oblast_name": place.oblast_name,
                         "latitude": place.latitude, "longitude": place.longitude, "place_role": role,
                         **evidence(item.sentence, article)})
    return rows


def _casualty_code(analysed: list[Analysed], i: int) -> str | None:
    """The oblast a casualty figure belongs to: the first one its sentence strikes, else the one the
    sentence before it in the same paragraph strikes ("Drones hit Odesa. Two people were injured.");
    None when the sentence gives a total over the country or several places ("across Ukraine")."""
    item = analysed[i]
    if rules().total.search(item.sentence.text):
        return None
    code = _first_code(item)
    if code is None and not item.places and i and analysed[i - 1].sentence.paragraph == item.sentence.paragraph:
        code = _first_code(analysed[i - 1])
    return code


def _place_code(item: Analysed) -> str | None:
    """The first Ukrainian oblast a sentence names, whatever its role (an outage's region)."""
    codes = item.ua_codes
    return codes[0] if codes else None


def _first_code(item: Analysed) -> str | None:
    for mention, role in zip(item.places, item.roles):
        if role == "struck" and mention.place.oblast_code:
            return mention.place.oblast_code
    return None


def evidence(sentence: Sentence, article: Article) -> dict[str, Any]:
    """The evidence columns of a row read from ``sentence``."""
    return {"evidence": article.text[sentence.start:sentence.end], "start_char": sentence.start,
            "end_char": sentence.end}


# --------------------------------------------------------------------------- entry points

def extract_impacts(article: Article, sentences: list[Sentence],
                    strike_counts: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``places``, ``infrastructure``, ``casualties`` and ``outages`` rows of one article."""
    low = lowered(article.text)
    sentences = without_teasers(sentences)
    analysed = analyse(sentences, article.text, low)
    # the attacker only matters where a sentence is about Russian soil alone
    attacker = (article_attacker(analysed, strike_counts, article.text)
                if any(item.russian_only for item in analysed) else "russia")
    starts = [s.start for s in sentences]
    casualty_sentences = _sentences_with(CASUALTY_WORDS, low, starts)
    outage_sentences = _sentences_with(OUTAGE_WORDS, low, starts)
    return {
        "places": place_rows(analysed, article),
        "infrastructure": infrastructure_rows(analysed, attacker, article, low),
        "casualties": casualty_rows([(item.sentence, item.kind, _casualty_code(analysed, i))
                                     for i, item in enumerate(analysed)
                                     if i in casualty_sentences and in_scope(item, attacker)
                                     and not _after_rollup(analysed, i)], article),
        "outages": outage_rows([(item.sentence, _place_code(item)) for i, item in enumerate(analysed)
                                if i in outage_sentences and not item.kind.foreign], article),
    }


def without_teasers(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences minus site navigation ("Read also: ...", "RELATED: ..."): a teaser paragraph
    links another article and is not part of this one (FACTS.md)."""
    teasers = {s.paragraph for s in sentences if s.text[:1] in _TEASER_FIRST and _TEASER.match(s.text)}
    return [s for s in sentences if s.paragraph not in teasers] if teasers else sentences


def _after_rollup(analysed: list[Analysed], i: int) -> bool:
    """A sentence naming no aerial weapon right after a daily roll-up of unspecified attacks in its
    paragraph ("... carried out 96 attacks on 31 settlements over the past day. One person was
    killed."): its casualties belong to the roll-up, which FACTS.md leaves out."""
    if not i or analysed[i].kind.air:
        return False
    before = analysed[i - 1]
    return (before.sentence.paragraph == analysed[i].sentence.paragraph and before.kind.rollup
            and not before.kind.air)


def _sentences_with(words: tuple[str, ...], low: str, starts: list[int]) -> set[int]:
    """Indexes of the sentences where one of ``words`` (plain lower-case strings) occurs: ``str.find``
    over the article, several times cheaper than one regex pass."""
    found: set[int] = set()
    for word in words:
        at = low.find(word)
        while at != -1:
            i = bisect_right(starts, at) - 1
            found.add(i)
            # go on from the next sentence: this one is in
            at = low.find(word, starts[i + 1]) if i + 1 < len(starts) else -1
    return found


def impacts_facts(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The contract's ``oblasts_struck``, ``casualties``, ``infrastructure``, ``outages``."""
    oblasts: list[str] = []
    for row in tables.get("places", []):
        code = row.get("oblast_code")
        if row.get("place_role") == "struck" and row.get("country_code") == "UA" and code and code not in oblasts:
            oblasts.append(code)
    categories: list[str] = []
    for row in tables.get("infrastructure", []):
        if row["infrastructure_category"] not in categories:
            categories.append(row["infrastructure_category"])
    return {"oblasts_struck": oblasts, "casualties": casualty_facts(tables.get("casualties", [])),
            "infrastructure": categories, "outages": outage_facts(tables.get("outages", []))}
