"""Places in text: Ukrainian oblasts, cities and towns (ISO 3166-2:UA) and Russian regions.

The gazetteer is generated from GeoNames and ISO 3166-2 (``scripts/build_places.py``)
into ``data/places.csv`` and ``data/oblasts.csv``. :func:`find_places` finds every
mention in a sentence and resolves it: "Kyiv" is the city (UA-30), "Kyiv region" /
"Kyiv Oblast" / "the Kyiv and Poltava regions" the oblast (UA-32); a town maps to its
oblast. Matching is case-sensitive (names are capitalised), so ordinary words that
happen to be village names are not places.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import load_csv, split_aliases

PLACE_COLUMNS = ("name", "aliases", "kind", "country_code", "oblast_code", "latitude", "longitude",
                 "population", "geonameid")
OBLAST_COLUMNS = ("code", "name", "iso_name", "country_code", "region_names", "standalone_names",
                  "latitude", "longitude")
_REGION_SUFFIX = re.compile(
    r"\s+(?:(?P<plural>regions|oblasts|provinces|circuits|Oblasts|Regions)|region|Region|oblast|Oblast|province"
    r"|Province|krai|Krai|territory|Territory|circuit|regional|Regional)(?![a-z])")
_REGIONS_OF_WORDS = ("regions of", "oblasts of", "provinces of")
_REGIONS_OF = re.compile(rf"\b(?:{'|'.join(_REGIONS_OF_WORDS)})\s+(?:the\s+)?$")
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|as well as\s+)?|\s+(?:and|&)\s+)$")


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: canonical name, kind, country, ISO oblast code and coordinates."""

    canonical: str
    kind: str  # city | town | oblast | region
    country_code: str
    oblast_code: str | None
    oblast_name: str | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class PlaceMention:
    """A place found in a sentence: the words as written, their offsets in it, and the place."""

    text: str
    start: int
    end: int
    place: Place


def _float(cell: str) -> float | None:
    return float(cell) if cell else None


# a capitalised word (Latin letters with diacritics too: Polish reports write "Mikołajowski")
# no look-behind: \w* takes every letter after the capital, so a match never starts inside a word
# that an earlier match began (and a pattern opening with a character class is scanned ~2x faster)
# possessive repeats (``*+``): nothing follows them in the pattern, so the greedy match never backtracks
# and the matches are those of ``\w*(?:-\w+)*``; the engine just keeps no backtracking state
_CAPITALISED = re.compile(r"[A-ZĆŁŚŹŻČŠŽ]\w*+(?:-\w++)*+")
# the same on ASCII text, where the other capitals cannot occur: a class of one range is checked in
# fewer steps than one with eight more letters (``re`` tests every character of the text against it)
_CAPITALISED_ASCII = re.compile(r"[A-Z]\w*+(?:-\w++)*+")
_NEXT_WORDS = re.compile(r"(?: [^\W\d_]+(?:-[^\W\d_]+)*){1,3}")


@dataclass(frozen=True)
class _Index:
    settlements: dict[str, Place]
    units: dict[str, Place]
    multiword_starts: frozenset[str]  # first words of names of several words
    standalone: frozenset[str]  # names that stand for a whole unit ("Crimea")
    spellings: dict[str, str]  # every name as it may be written (also in capitals) -> gazetteer name
    sorted_names: tuple[str, ...] = ()  # every name, sorted (prefix search for names cut off)


@lru_cache(maxsize=1)
def _gazetteer() -> _Index:
    """Settlements and oblast-level units by every name they go by, built once."""
    oblast_rows = load_csv("oblasts.csv", required=("code", "name", "iso_name", "country_code"),
                           optional=OBLAST_COLUMNS, key=("code",))
    units: dict[str, Place] = {}
    oblast_names = {r["code"]: r["name"] for r in oblast_rows}
    for row in oblast_rows:
        is_ua = row["country_code"] == "UA"
        unit = Place(row["name"] if row["code"] != "UA-32" else "Kyiv Oblast",
                     "oblast" if is_ua else "region", row["country_code"],
                     row["code"] if is_ua else None, row["name"] if is_ua else None,
                     _float(row["latitude"]), _float(row["longitude"]))
        for name in split_aliases(row["region_names"]) + split_aliases(row["standalone_names"]):
            units.setdefault(name, unit)
    settlements: dict[str, Place] = {}
    for row in load_csv("places.csv", required=("name", "kind", "country_code"), optional=PLACE_COLUMNS,
                        key=("name", "country_code")):
        code = row["oblast_code"] or None
        place = Place(row["name"], row["kind"], row["country_code"], code,
                      oblast_names.get(code) if code else None, _float(row["latitude"]),
                      _float(row["longitude"]))
        for name in [row["name"], *split_aliases(row["aliases"])]:
            settlements.setdefault(name, place)
    starts = frozenset(n.split(" ")[0] for n in [*settlements, *units] if " " in n)
    standalone = frozenset(n for r in oblast_rows for n in split_aliases(r["standalone_names"]))
    spellings = {n.upper(): n for n in [*settlements, *units] if len(n) > 3}
    spellings.update({n: n for n in [*settlements, *units]})
    return _Index(settlements, units, starts | frozenset(w.upper() for w in starts), standalone, spellings,
                  tuple(sorted({*settlements, *units})))


def _known(index: _Index, name: str) -> str | None:
    """The gazetteer spelling of ``name`` (as written, or title-cased when written in capitals)."""
    return index.spellings.get(name)


def _name_matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, gazetteer name) of every place name in ``text``, longest names first.

    The capitalised words of the text are collected once; only those the gazetteer knows
    are then looked for (a handful per article), which keeps this cheap on long texts.
    """
    index = _gazetteer()
    spellings, starts = index.spellings, index.multiword_starts
    capitalised = _CAPITALISED_ASCII if text.isascii() else _CAPITALISED
    # the words the gazetteer knows, by set intersection (in C); their order does not matter: the
    # positions found are sorted
    words = set(capitalised.findall(text))
    known = spellings.keys() & words | starts & words
    if not known:
        return []
    positions = []
    for word in known:
        at = text.find(word)
        while at != -1:
            end = at + len(word)
            after = text[end:end + 2]
            before = text[at - 1] if at else " "
            glued_ok = not before.isalpha() or (len(word) >= 6 and before.islower())
            if glued_ok and not before.isdigit() and before != "-" and not (after[:1].isalnum() or (
                    after[:1] == "-" and after[1:2].isalpha())):
                positions.append((at, word))
            at = text.find(word, end)
    positions.sort()
    found = []
    resume = 0
    for start, word in positions:
        if start < resume:
            continue
        hit = None
        if word in starts:
            more = _NEXT_WORDS.match(text, start + len(word))
            if more:
                words = more.group(0).split(" ")[1:]
                for n in range(len(words), 0, -1):
                    candidate = " ".join([word, *words[:n]])
                    name = spellings.get(candidate)
                    if name:
                        hit = (start, start + len(candidate), name)
                        break
        if hit is None:
            name = spellings.get(word)
            if name:
                hit = (start, start + len(word), name)
        if hit:
            found.append(hit)
            resume = hit[1]
    return found


_LAST_WORD = re.compile(r"(?<![\w-])([A-Z][a-z]{4,}(?:-[A-Z][a-z]*)?)(?:…|\.\.\.)?\s*$")


def _cut_off_name(text: str) -> tuple[int, int, str] | None:
    """A place name cut off at the very end of a text ("... in Dnipropetro"), when only one
    oblast fits what is visible."""
    m = _LAST_WORD.search(text[-40:])
    if not m:
        return None
    stem = m.group(1)
    index = _gazetteer()
    if stem in index.spellings:
        return None
    names = []
    for name in index.sorted_names[bisect_left(index.sorted_names, stem):]:
        if not name.startswith(stem):
            break
        names.append(name)
    places = [index.units.get(n) or index.settlements[n] for n in names]
    if not places or len({p.oblast_code or p.canonical for p in places}) != 1:
        return None
    name = next((n for n in names if n in index.units), names[0])
    start = len(text) - 40 + m.start(1) if len(text) > 40 else m.start(1)
    return start, start + len(stem), name


def standalone_units() -> frozenset[str]:
    """Names that stand for a whole unit on their own ("Crimea", "Transcarpathia")."""
    return _gazetteer().standalone


@lru_cache(maxsize=8192)
def lookup(name: str, as_region: bool = False) -> Place | None:
    """The place a name denotes; ``as_region`` when the text says "X region"/"X Oblast".

    >>> lookup("Kyiv").oblast_code, lookup("Kyiv", as_region=True).oblast_code
    ('UA-30', 'UA-32')
    """
    index = _gazetteer()
    settlements, units = index.settlements, index.units
    key = _known(index, name) or name
    if as_region:
        return units.get(key) or _region_of(settlements.get(key))
    if key in index.standalone:
        return units.get(key)
    return settlements.get(key) or units.get(key)


def _region_of(place: Place | None) -> Place | None:
    """The oblast holding a settlement (for "Izmail district"-style regions)."""
    if place is None or place.oblast_code is None:
        return place
    for unit in _gazetteer().units.values():
        if unit.oblast_code == place.oblast_code:
            return unit
    return place


def _regions_of(text: str) -> bool:
    """Whether ``text`` ends with "regions of (the)" (a pre-check by ``str.find`` first)."""
    return any(map(text.__contains__, _REGIONS_OF_WORDS)) and bool(_REGIONS_OF.search(text))


def find_places(text: str) -> list[PlaceMention]:
    """Every place named in ``text``, resolved, with offsets into ``text``.

    A run of names ending in a plural "regions"/"oblasts" ("the Kyiv, Poltava and Sumy
    regions") or following "regions of" makes every name in it a region.

    >>> [(m.text, m.place.oblast_code) for m in find_places("Drones hit Kyiv and the Kharkiv region.")]
    [('Kyiv', 'UA-30'), ('Kharkiv region', 'UA-63')]
    """
    return [PlaceMention(*found) for found in place_spans(text)]


def place_spans(text: str) -> list[tuple[str, int, int, Place]]:
    """:func:`find_places` as plain (words, start, end, place) tuples."""
    matches = _name_matches(text)
    cut = _cut_off_name(text)
    if cut and (not matches or matches[-1][0] < cut[0]):
        matches.append(cut)
    if not matches:
        return []
    # group names listed together: "Chernihiv, Zaporizhzhia, Lviv and Dnipropetrovsk regions"
    groups: list[list[tuple[int, int, str]]] = [[matches[0]]]
    for prev, cur in zip(matches, matches[1:]):
        gap = text[prev[1]:cur[0]]
        if _LIST_GAP.fullmatch(gap) or not gap.strip(" ,"):
            groups[-1].append(cur)
        else:
            groups.append([cur])
    mentions: list[tuple[str, int, int, Place]] = []
    for group in groups:
        tail = _REGION_SUFFIX.match(text, group[-1][1])
        plural = bool(tail and tail.group("plural")) or _regions_of(text[max(0, group[0][0] - 30):group[0][0]])
        for start, stop, name in group:
            own = _REGION_SUFFIX.match(text, stop)
            place = lookup(name, as_region=bool(own) or plural)
            if place is None:
                continue
            end = own.end() if own else stop
            mentions.append((text[start:end], start, end, place))
    return mentions
