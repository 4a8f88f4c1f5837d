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
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import load_csv, split_aliases

PLACE_COLUMNS = ("name", "aliases", "kind", "country_code", "oblast_code", "latitude", "longitude",
                 "population", "geonameid")
OBLAST_COLUMNS = ("code", "name", "iso_name", "country_code", "region_names", "standalone_names",
                  "latitude", "longitude")
_REGION_SUFFIX = re.compile(
    r"\s+(?:(?P<plural>regions|oblasts|provinces|Oblasts|Regions)|region|Region|oblast|Oblast|province"
    r"|Province|krai|Krai|territory|Territory)\b")
_REGIONS_OF = re.compile(r"\b(?:regions|oblasts|provinces) of\s+(?:the\s+)?$")
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


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, Place], dict[str, Place], re.Pattern[str]]:
    """(name -> settlement, name -> oblast-level unit, regex of every name), built once."""
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
    names = set(settlements) | set(units)
    names |= {n.upper() for n in names if len(n) > 3}
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return settlements, units, re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")


def standalone_units() -> set[str]:
    """Names that stand for a whole unit on their own ("Crimea", "Transcarpathia")."""
    rows = load_csv("oblasts.csv", required=("code", "name", "iso_name", "country_code"),
                    optional=OBLAST_COLUMNS, key=("code",))
    return {n for r in rows for n in split_aliases(r["standalone_names"])}


def lookup(name: str, as_region: bool = False) -> Place | None:
    """The place a name denotes; ``as_region`` when the text says "X region"/"X Oblast".

    >>> lookup("Kyiv").oblast_code, lookup("Kyiv", as_region=True).oblast_code
    ('UA-30', 'UA-32')
    """
    settlements, units, _ = _gazetteer()
    key = name if name in settlements or name in units else name.title()
    if as_region:
        return units.get(key) or _region_of(settlements.get(key))
    if key in standalone_units():
        return units.get(key)
    return settlements.get(key) or units.get(key)


def _region_of(place: Place | None) -> Place | None:
    """The oblast holding a settlement (for "Izmail district"-style regions)."""
    if place is None or place.oblast_code is None:
        return place
    _, units, _ = _gazetteer()
    for unit in units.values():
        if unit.oblast_code == place.oblast_code:
            return unit
    return place


def find_places(text: str) -> list[PlaceMention]:
    """Every place named in ``text``, resolved, with offsets into ``text``.

    A run of names ending in a plural "regions"/"oblasts" ("the Kyiv, Poltava and Sumy
    regions") or following "regions of" makes every name in it a region.

    >>> [(m.text, m.place.oblast_code) for m in find_places("Drones hit Kyiv and the Kharkiv region.")]
    [('Kyiv', 'UA-30'), ('Kharkiv region', 'UA-63')]
    """
    _, _, pattern = _gazetteer()
    matches = list(pattern.finditer(text))
    if not matches:
        return []
    # group names listed together: "Chernihiv, Zaporizhzhia, Lviv and Dnipropetrovsk regions"
    groups: list[list[re.Match[str]]] = [[matches[0]]]
    for prev, cur in zip(matches, matches[1:]):
        if _LIST_GAP.fullmatch(text[prev.end():cur.start()]) or not text[prev.end():cur.start()].strip(" ,"):
            groups[-1].append(cur)
        else:
            groups.append([cur])
    mentions: list[PlaceMention] = []
    for group in groups:
        tail = _REGION_SUFFIX.match(text, group[-1].end())
        plural = bool(tail and tail.group("plural")) or bool(_REGIONS_OF.search(text[:group[0].start()]))
        for m in group:
            own = _REGION_SUFFIX.match(text, m.end())
            as_region = bool(own) or plural
            place = lookup(m.group(0), as_region=as_region)
            if place is None:
                continue
            end = own.end() if own else m.end()
            mentions.append(PlaceMention(text[m.start():end], m.start(), end, place))
    return mentions
