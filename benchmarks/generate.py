"""Reproducible synthetic corpus for benchmarks: articles in the styles of ``data/articles/``.

Every sentence is a template written for this project, filled from a seeded random
generator with varied numbers, weapons, places, people and dates, so the same
``(n, seed, size)`` always gives byte-identical files.

    python benchmarks/generate.py build/bench/corpus --n 2000 --size 5000 --seed 7
"""
from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

OBLASTS = ["Kyiv", "Kharkiv", "Odesa", "Dnipropetrovsk", "Zaporizhzhia", "Lviv", "Sumy", "Poltava", "Chernihiv",
           "Mykolaiv", "Kherson", "Khmelnytskyi", "Vinnytsia", "Cherkasy", "Rivne", "Volyn", "Ternopil",
           "Zhytomyr", "Kirovohrad", "Ivano-Frankivsk", "Donetsk", "Chernivtsi"]
CITIES = {"Kyiv": ["Kyiv", "Bila Tserkva", "Brovary"], "Kharkiv": ["Kharkiv", "Chuhuiv", "Izium"],
          "Odesa": ["Odesa", "Izmail", "Chornomorsk"], "Dnipropetrovsk": ["Dnipro", "Kryvyi Rih", "Pavlohrad"],
          "Zaporizhzhia": ["Zaporizhzhia"], "Lviv": ["Lviv", "Stryi"], "Sumy": ["Sumy", "Shostka", "Konotop"],
          "Poltava": ["Poltava", "Kremenchuk"], "Chernihiv": ["Chernihiv", "Nizhyn"], "Mykolaiv": ["Mykolaiv"],
          "Kherson": ["Kherson"], "Khmelnytskyi": ["Khmelnytskyi", "Starokostiantyniv"], "Volyn": ["Lutsk"]}
DRONES = ["Shahed", "Geran-2", "Gerbera decoy", "attack"]
MISSILES = [("Kh-101", "cruise"), ("Kalibr", "cruise"), ("Iskander-M", "ballistic"), ("Kinzhal", "aeroballistic"),
            ("Kh-22", "cruise"), ("Iskander-K", "cruise")]
OFFICIALS = [("Ihor Terekhov", "Kharkiv mayor"), ("Oleh Syniehubov", "Kharkiv regional governor"),
             ("Oleh Kiper", "Odesa regional governor"), ("Vitali Klitschko", "Kyiv mayor"),
             ("Tymur Tkachenko", "head of the Kyiv city military administration"),
             ("Ivan Fedorov", "Zaporizhzhia regional governor"), ("Maksym Kozytskyi", "Lviv regional governor"),
             ("Yuriy Ihnat", "air force spokesman"), ("Dmytro Pletenchuk", "navy spokesman")]
DIPLOMATS = [("Marco Rubio", "US Secretary of State"), ("Steve Witkoff", "US special envoy"),
             ("Sergei Lavrov", "Russian Foreign Minister"), ("Rustem Umerov", "Ukraine's security council secretary"),
             ("Andrii Sybiha", "Ukraine's Foreign Minister"), ("Hakan Fidan", "Turkish Foreign Minister"),
             ("Yuri Ushakov", "Kremlin aide"), ("Kirill Dmitriev", "Russian envoy")]
VENUES = ["Istanbul", "Geneva", "Riyadh", "Jeddah", "Abu Dhabi", "Miami", "Berlin", "Paris"]
TARGETS = ["an energy facility", "a substation", "a grain warehouse", "port infrastructure", "a residential building",
           "a railway depot", "a gas production site", "a thermal power plant", "a high-rise block", "a school"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Paragraph templates (our own wording). {x} fields are filled by _fill.
STRIKE_PARAGRAPHS = [
    "Russia launched {drones} {drone_kind} drones and {missiles} missiles at Ukraine overnight, the air force said "
    "on {weekday}. Air defence units shot down {down_drones} drones and {down_missiles} missiles, while {lost} "
    "drones were locally lost, most likely to electronic warfare.",
    "Among the missiles were {m1} {model1} {kind1} missiles and {m2} {model2} {kind2} missiles, according to the "
    "daily summary. Impacts of {hits} missiles and {dhits} drones were recorded at {places} locations.",
    "In {city}, {official_role} {official} said {killed} people were killed and {injured} others injured after "
    "{target} was hit. Rescuers worked through the night to clear the debris.",
    "About {households} households in {oblast} region were left without power after {target} was damaged, the grid "
    "operator said, adding that repair crews had restored supply to {restored} of them by morning.",
    "The attack also damaged {target} in {city2}, {official2_role} {official2} wrote on Telegram. Fires broke out "
    "in {fires} places and were put out by {hour}:00.",
    "Debris from a downed drone fell on {target} in the {oblast2} region, injuring {injured2} people, the regional "
    "administration said. Emergency services said {buildings} buildings were damaged.",
    "Ukraine's military said it had struck {target_ru} in Russia's {ru_region} region overnight with long-range "
    "drones. Russia's defence ministry said its forces had destroyed {ru_claim} Ukrainian drones over {ru_regions} "
    "regions.",
]
DIPLOMACY_PARAGRAPHS = [
    "{dip1} and {dip2} met in {venue} on {weekday} for talks that lasted about {hours} hours, officials said. "
    "{dip1_last}, the {dip1_role}, described the meeting as constructive but said no date had been set for a "
    "leaders' summit.",
    "The discussions centred on a {points}-point framework drafted in recent weeks. {dip3}, {dip3_role}, said "
    "the sides had agreed to exchange {prisoners} prisoners each and to keep working on a ceasefire in the Black Sea.",
    "A Kremlin spokesman told reporters that {dip4} would travel to {venue2} next week, while {dip5_role} "
    "{dip5} said Kyiv would not accept any deal made without it.",
]
FILLER = [
    "Officials did not give further details, and the figures could not be independently verified.",
    "The air force said the main targets were energy and industrial sites in the {oblast} region.",
    "Residents spent several hours in shelters as explosions were heard across the city.",
    "The attack came as negotiators prepared for another round of talks later this month.",
    "Schools in {city} switched to remote lessons for the day, the local council said.",
]
WIRE_CITIES = ["KYIV", "KHARKIV", "ODESA", "LVIV", "DNIPRO", "ZAPORIZHZHIA"]
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]


def _fill(template: str, rng: random.Random) -> str:
    oblast, oblast2 = rng.sample(OBLASTS, 2)
    city = rng.choice(CITIES.get(oblast, [oblast]))
    city2 = rng.choice(CITIES.get(oblast2, [oblast2]))
    (official, official_role), (official2, official2_role) = rng.sample(OFFICIALS, 2)
    dips = rng.sample(DIPLOMATS, 5)
    (model1, kind1), (model2, kind2) = rng.sample(MISSILES, 2)
    drones = rng.randint(20, 810)
    missiles = rng.randint(0, 60)
    values = {
        "drones": f"{drones:,}", "drone_kind": rng.choice(DRONES), "missiles": missiles,
        "down_drones": rng.randint(0, drones), "down_missiles": rng.randint(0, missiles), "lost": rng.randint(0, 90),
        "weekday": rng.choice(WEEKDAYS), "m1": rng.randint(1, 40), "model1": model1, "kind1": kind1,
        "m2": rng.randint(1, 20), "model2": model2, "kind2": kind2, "hits": rng.randint(0, 15),
        "dhits": rng.randint(0, 60), "places": rng.randint(2, 30), "city": city, "city2": city2,
        "official": official, "official_role": official_role, "official2": official2,
        "official2_role": official2_role, "killed": rng.choice(["two", "three", "five", "seven", 11, 14, 21]),
        "injured": rng.randint(2, 90), "injured2": rng.choice(["two", "four", 6, 12]),
        "target": rng.choice(TARGETS), "target_ru": rng.choice(["an oil refinery", "an ammunition depot",
                                                                "an airfield"]),
        "ru_region": rng.choice(["Saratov", "Bryansk", "Belgorod", "Kursk", "Rostov"]),
        "ru_claim": rng.randint(10, 340), "ru_regions": rng.choice(["seven", "nine", "12", "14"]),
        "households": f"{rng.randint(1, 400) * 500:,}", "restored": f"{rng.randint(1, 100) * 100:,}",
        "oblast": oblast, "oblast2": oblast2, "fires": rng.randint(2, 12), "hour": rng.randint(5, 11),
        "buildings": rng.randint(3, 40), "dip1": dips[0][0], "dip1_last": dips[0][0].split()[-1],
        "dip1_role": dips[0][1], "dip2": dips[1][0], "dip3": dips[2][0], "dip3_role": dips[2][1],
        "dip4": dips[3][0], "dip5": dips[4][0], "dip5_role": dips[4][1], "venue": rng.choice(VENUES),
        "venue2": rng.choice(VENUES), "hours": rng.choice(["three", "four", "six", "nine"]),
        "points": rng.choice([12, 19, 20, 28]), "prisoners": rng.choice([84, 150, 390, "1,000", "1,200"]),
    }
    return template.format(**values)


def make_article(index: int, rng: random.Random, size: int = 5_000) -> tuple[str, str]:
    """One synthetic article as (file name, file text) of about ``size`` characters."""
    published = date(2022, 3, 1) + timedelta(days=rng.randint(0, 1400))
    diplomacy = rng.random() < 0.3
    paragraphs_pool = DIPLOMACY_PARAGRAPHS + STRIKE_PARAGRAPHS[:3] if diplomacy else STRIKE_PARAGRAPHS
    title = _fill(rng.choice(["Russia launches {drones} drones and {missiles} missiles; {killed} killed in {city}",
                              "{dip1} and {dip2} hold talks in {venue} on a {points}-point plan",
                              "Overnight attack leaves {households} households in {oblast} region without power"]),
                  rng)
    body: list[str] = []
    wire = rng.random() < 0.4
    while sum(len(p) + 2 for p in body) + len(title) < size - 200:
        paragraph = _fill(rng.choice(paragraphs_pool), rng)
        if rng.random() < 0.5:
            paragraph += " " + _fill(rng.choice(FILLER), rng)
        body.append(paragraph)
    if wire:
        body[0] = f"{rng.choice(WIRE_CITIES)}, {MONTHS[published.month - 1]} {published.day} - {body[0]}"
    style = rng.choice(["front-matter", "published-line", "plain"])
    text = "\n\n".join(body) + "\n"
    if style == "front-matter":
        quoted = title.replace('"', "'")
        text = f'---\ntitle: "{quoted}"\npublished: {published.isoformat()}\n---\n{text}'
    elif style == "published-line":
        text = f"{title}\nPublished: {published.isoformat()}\n\n{text}"
    else:
        text = f"{title}\n\n{text}"
    kind = "d" if diplomacy else "s"
    return f"bench-{kind}-{index:06d}.txt", text


def generate_corpus(out_dir: str | Path, n: int, seed: int = 7, size: int = 5_000, start: int = 0) -> list[Path]:
    """Write ``n`` articles (indices ``start``.. ``start+n-1``) into ``out_dir``; returns their paths.

    The same (seed, index, size) always gives the same file, so a corpus can be grown in steps.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + n):
        rng = random.Random(seed * 1_000_003 + index)
        name, text = make_article(index, rng, size)
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--n", type=int, default=1000, help="number of articles")
    parser.add_argument("--size", type=int, default=5000, help="approximate characters per article")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = generate_corpus(args.out_dir, args.n, args.seed, args.size)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} articles, {total / 1e6:.2f} MB, in {args.out_dir}")


if __name__ == "__main__":
    main()
