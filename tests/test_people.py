"""People: the gazetteer file, name matching, surnames, misspellings, titled unknowns, affiliations."""
from __future__ import annotations

import pytest

from toolkit import people
from toolkit.gazetteer import load_csv, split_aliases

#: Affiliations the facts contract allows: blocs and organisations, or a country's name.
KNOWN_AFFILIATIONS = {
    "US", "Ukraine", "Russia", "EU", "NATO", "UN", "IOC", "Holy See", "United Kingdom", "Turkey", "Poland",
    "Germany", "France", "Italy", "Hungary", "Slovakia", "Finland", "Sweden", "Denmark", "Norway", "Spain",
    "Netherlands", "Belgium", "Estonia", "Latvia", "Lithuania", "Moldova", "Switzerland", "Canada", "Japan",
    "China", "India", "Saudi Arabia", "United Arab Emirates", "Qatar", "South Africa", "Senegal", "Zambia",
    "Egypt", "Comoros", "Brazil", "Israel", "Iran", "North Korea", "Kazakhstan", "Serbia", "Albania",
    "Uzbekistan", "Australia", "Belarus", "Portugal", "Armenia", "Azerbaijan", "Romania", "Czechia", "Ireland",
    "Austria", "South Korea", "Kenya", "Venezuela", "Georgia", "Bulgaria", "Tajikistan", "Uganda",
    "Republic of the Congo", "Colombia", "Mexico", "Argentina",
}


def test_people_gazetteer_file_is_valid():
    rows = load_csv(people.PEOPLE_FILE, required=("name", "affiliation", "role"), optional=("variants", "former"),
                    key=("name",))
    assert len(rows) >= 150
    assert {r["affiliation"] for r in rows} <= KNOWN_AFFILIATIONS
    for row in rows:
        if row["former"]:
            assert people._parse_former(row["former"], row["name"])[0] in KNOWN_AFFILIATIONS
    # no spelling (name or variant, after folding) names two people: gazetteer() raises if one does
    people.gazetteer.cache_clear()
    g = people.gazetteer()
    assert len(g.people) == len(rows)
    seen: dict[str, str] = {}
    for row in rows:
        for spelling in [row["name"], *split_aliases(row["variants"])]:
            key = people.name_key(spelling)
            assert seen.setdefault(key, row["name"]) == row["name"], f"{spelling} names two people"


@pytest.mark.parametrize("name, affiliation", [
    ("Volodymyr Zelensky", "Ukraine"), ("Vladimir Putin", "Russia"), ("Donald Trump", "US"),
    ("Steve Witkoff", "US"), ("Jared Kushner", "US"), ("Marco Rubio", "US"), ("Rustem Umerov", "Ukraine"),
    ("Andrii Hnatov", "Ukraine"), ("Kirill Dmitriev", "Russia"), ("Yuri Ushakov", "Russia"),
    ("Recep Tayyip Erdogan", "Turkey"), ("Hakan Fidan", "Turkey"), ("Viktor Orban", "Hungary"),
    ("Emmanuel Macron", "France"), ("Keir Starmer", "United Kingdom"), ("Friedrich Merz", "Germany"),
    ("Olaf Scholz", "Germany"), ("Donald Tusk", "Poland"), ("Andrzej Duda", "Poland"), ("Karol Nawrocki", "Poland"),
    ("Mohammed bin Salman", "Saudi Arabia"), ("Mohamed bin Zayed Al Nahyan", "United Arab Emirates"),
    ("Antonio Guterres", "UN"), ("Rafael Grossi", "UN"), ("Mark Rutte", "NATO"), ("Ursula von der Leyen", "EU"),
])
def test_people_gazetteer_canonical_names(name, affiliation):
    by_name = {p.name: p for p in people.gazetteer().people}
    assert by_name[name].affiliation == affiliation


def names(text: str) -> list[tuple[str, str]]:
    """(canonical name, affiliation) of each person found, in first-mention order."""
    out: dict[str, str] = {}
    for m in people.find_mentions(text):
        out.setdefault(m.person.name, people.affiliation_on(m.person, "2025-06-01"))
    return list(out.items())


@pytest.mark.parametrize("sentence, expected", [
    # full names, titles in front
    ("President Volodymyr Zelensky thanked the crowd.", [("Volodymyr Zelensky", "Ukraine")]),
    ("Secretary of State Marco Rubio flew home on Friday.", [("Marco Rubio", "US")]),
    # transliterations folded: Zelenskyy, Zelenskiy, Andriy/Andrii, Umierov
    ("Zelenskyy and Zelenskiy are spelt two ways here.", [("Volodymyr Zelensky", "Ukraine")]),
    ("Andrii Yermak signed the letter.", [("Andriy Yermak", "Ukraine")]),
    ("Defence Minister Rustem Umierov spoke first.", [("Rustem Umerov", "Ukraine")]),
    # initials and particles
    ("Vice President J.D. Vance stood aside.", [("JD Vance", "US")]),
    ("Army Secretary Daniel P. Driscoll landed.", [("Dan Driscoll", "US")]),
    ("Crown Prince Mohammed bin Salman greeted the guests.", [("Mohammed bin Salman", "Saudi Arabia")]),
    ("Commission chief Ursula von der Leyen answered, and von der Leyen left.", [("Ursula von der Leyen", "EU")]),
    # surname after a full mention, possessives and attributive uses
    ("Envoy Steve Witkoff arrived. Witkoff's team stayed.", [("Steve Witkoff", "US")]),
    ("Critics blamed the Trump administration.", [("Donald Trump", "US")]),
    ("A Zelensky adviser said nothing.", [("Volodymyr Zelensky", "Ukraine")]),
    # misspellings of real copy, corrected by edit distance or transliteration
    ("Zelenksy is under pressure.", [("Volodymyr Zelensky", "Ukraine")]),
    ("Minister Sergei Ławrow answered.", [("Sergei Lavrov", "Russia")]),
    ("The Kharkiv governor Oleh Synehubow reported damage.", [("Oleh Syniehubov", "Ukraine")]),
    # people outside the gazetteer, from a title and a nationality or region
    ("Belgorod governor Ivan Sokolenko reported a fire.", [("Ivan Sokolenko", "Russia")]),
    ("Ukraine's ambassador Petro Marchuk was summoned.", [("Petro Marchuk", "Ukraine")]),
    ("Lena Brandt, the German defence minister, arrived.", [("Lena Brandt", "Germany")]),
    # held-out families: "<Russian region> Governor X", "X, governor of the <region>", "Prime Minister of <Country> X",
    # "<City>'s acting mayor, X", a dropped doubled letter, letter-by-letter first names
    ("Penza Governor Oleg Melnichenko reported debris.", [("Oleg Melnichenko", "Russia")]),
    ("Ivan Petrov, governor of the Kursk region, said two were hurt.", [("Ivan Petrov", "Russia")]),
    ("He met the Prime Minister of Iceland Kristrun Frostadottir.", [("Kristrun Frostadottir", "Iceland")]),
    ("Kharkiv's acting mayor, Ihor Petrenko, said the blast hit a school.", [("Ihor Petrenko", "Ukraine")]),
    ("Talks with US envoy Witkof went on.", [("Steve Witkoff", "US")]),
    # a list after "The Russian delegation includes" takes the subject's nationality
    ("The Russian delegation also includes Deputy Minister Oleg Sidorov.", [("Oleg Sidorov", "Russia")]),
    # the head of a state company after "led by"
    ("Ukraine's state grid operator Ukrenergo, led by Taras Hrytsenko, warned of outages.",
     [("Taras Hrytsenko", "Ukraine")]),
    # a place before a comma is not the name the title belongs to
    ("A man was hurt in Bila Tserkva, Kyiv regional governor Petro Hlushko said.", [("Petro Hlushko", "Ukraine")]),
    ("Russian Deputy Defence Minister Aleksandr Ivanov arrived.", [("Alexander Ivanov", "Russia")]),
])
def test_people_phrasings(sentence, expected):
    assert names(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Reporter Anna Smith wrote the story from the scene.",
    "A resident, Olga Bondar, said the windows shattered.",
    "The Air Force said the Kyiv Independent reported it first.",
    "Real Madrid beat Manchester City in the Champions League.",
    "Maria Lopez, an analyst at a think tank, expects more strikes.",
    # "head of the Russian Orthodox Church": an institution, not a name; "its director, X" of a company
    "Patriarch Kirill, head of the Russian Orthodox Church, spoke.",
    "The founder of the travel site, and its executive director, Anna Kovalenko, says tours sell well.",
])
def test_people_negatives(sentence):
    assert names(sentence) == []


@pytest.mark.parametrize("published, context, expected", [
    ("2023-03-01", "", "Estonia"),
    ("2025-03-01", "", "EU"),
    (None, "Estonia's prime minister Kaja Kallas said", "Estonia"),
    (None, "EU foreign policy chief Kaja Kallas said", "EU"),
])
def test_people_affiliation_by_date(published, context, expected):
    kallas = {p.name: p for p in people.gazetteer().people}["Kaja Kallas"]
    assert people.affiliation_on(kallas, published, context) == expected


def test_people_mentions_have_spans():
    text = "Putin met Erdogan. Zelenksy's office said Ushakov's aide was there."
    found = people.find_mentions(text)
    assert [text[m.start:m.end] for m in found] == ["Putin", "Erdogan", "Zelenksy's", "Ushakov's"]
    assert [m.possessive for m in found] == [False, False, True, True]
