"""Weapon counts (toolkit.counts): phrasing families in our own words, negatives, spans, robustness."""
from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.counts import counts_facts, extract_counts
from toolkit.ingest import article_from_text, read_articles
from toolkit.records import Article
from toolkit.text import split_sentences


def _rows(text: str) -> list[dict]:
    article = Article(article_id="test", text=text)
    return extract_counts(article, split_sentences(article.text))


def _facts(text: str) -> set[tuple]:
    return {(f["scope"], f["attacker"], f["event"], f["weapon"], f["count"], f["qualifier"])
            for f in counts_facts(_rows(text))}


def A(event, weapon, count, qualifier="exact", scope="attack", attacker="russia"):  # noqa: N802
    """One expected contract entry, with the usual defaults."""
    return (scope, attacker, event, weapon, count, qualifier)


# (our own sentence, expected strike_counts entries); one row per phrasing family
PHRASINGS = [
    pytest.param("Overnight the enemy launched 120 drones and four cruise missiles against the country.",
                 {A("launched", "drone", 120), A("launched", "cruise_missile", 4)}, id="verb-before-list"),
    pytest.param("Moscow has fired more than 2,300 drones at Ukraine since the start of the month, the president said.",
                 {A("launched", "drone", 2300, "at_least", "cumulative")}, id="separator-cumulative"),
    pytest.param("Air defence downed twenty-nine drones and a dozen missiles over the capital.",
                 {A("intercepted", "drone", 29), A("intercepted", "missile", 12)}, id="number-words"),
    pytest.param("The military said Moscow fired three dozen missiles at power plants.",
                 {A("launched", "missile", 36)}, id="three-dozen"),
    pytest.param("All 14 drones were shot down before they reached the city.",
                 {A("launched", "drone", 14), A("intercepted", "drone", 14)}, id="all-n"),
    pytest.param("Air defence units destroyed 585 of 653 drones overnight.",
                 {A("intercepted", "drone", 585), A("launched", "drone", 653)}, id="x-of-y"),
    pytest.param("Crews brought down 102 of the 127 missiles and 99 of the drones.",
                 {A("intercepted", "missile", 102), A("launched", "missile", 127), A("intercepted", "drone", 99)},
                 id="x-of-the-y"),
    pytest.param("Ukrainian forces shot down 70 drones, 12 cruise missiles, and one ballistic missile.",
                 {A("intercepted", "drone", 70), A("intercepted", "cruise_missile", 12),
                  A("intercepted", "ballistic_missile", 1)}, id="one-verb-over-list"),
    pytest.param("Russia attacked the region with at least 25 drones and seven missiles.",
                 {A("launched", "drone", 25, "at_least"), A("launched", "missile", 7, "at_least")},
                 id="qualifier-over-and-list"),
    pytest.param("The town was attacked with up to 30 drones, two ballistic missiles and five guided bombs.",
                 {A("launched", "drone", 30, "up_to"), A("launched", "ballistic_missile", 2),
                  A("launched", "guided_bomb", 5)}, id="qualifier-stays-on-its-item"),
    pytest.param("The raid killed at least 16 people and wounded 134 after Russia launched nearly 90 drones.",
                 {A("launched", "drone", 90, "about")}, id="casualties-are-not-weapons"),
    pytest.param("Russia launched 53 hypersonic and ballistic missiles in the morning.",
                 {A("launched", "missile", 53)}, id="mixed-missile-classes"),
    pytest.param("In total the enemy used 706 aerial targets during the night.",
                 {A("launched", "weapon", 706)}, id="aerial-targets"),
    pytest.param("Moscow sent a combined 700 drones and missiles against the grid.",
                 {A("launched", "weapon", 700)}, id="drones-and-missiles"),
    pytest.param("The enemy attacked with 420 means of air attack.",
                 {A("launched", "weapon", 420)}, id="means-of-air-attack"),
    pytest.param("Russia also fired two Iskander-M and three Kinzhals at the airfield.",
                 {A("launched", "ballistic_missile", 2), A("launched", "ballistic_missile", 3)}, id="models-only"),
    pytest.param("The bombers launched 6 Х-101 missiles and 4 X-22 missiles from the Caspian.",
                 {A("launched", "cruise_missile", 6), A("launched", "cruise_missile", 4)}, id="cyrillic-latin-x"),
    pytest.param("Planes dropped 15 KABs on the front-line villages over the past day.",
                 {A("launched", "guided_bomb", 15)}, id="kab"),
    pytest.param("Russia launched 90 Shahed and Gerbera drones; 30 decoy drones were locally lost.",
                 {A("launched", "drone", 90), A("lost", "drone", 30)}, id="decoys-locally-lost"),
    pytest.param("Air defence shot down or suppressed 80 drones.",
                 {A("intercepted", "drone", 80)}, id="ew-folded-into-intercepted"),
    pytest.param("Air defence downed 50 drones, and a further 20 drones were lost to electronic warfare.",
                 {A("intercepted", "drone", 50), A("lost", "drone", 20)}, id="ew-own-number-lost"),
    pytest.param("Hits by 22 drones were recorded at 9 locations.", {A("hit", "drone", 22)}, id="hits-by"),
    pytest.param("Two Iskander-M ballistic missiles hit the city centre.",
                 {A("hit", "ballistic_missile", 2)}, id="weapons-hit"),
    pytest.param("This week, over 1,500 drones were launched at Ukraine.",
                 {A("launched", "drone", 1500, "at_least", "cumulative")}, id="this-week"),
    pytest.param("It was the largest attack since the start of the war: Russia launched 300 drones.",
                 {A("launched", "drone", 300)}, id="superlative-since-is-not-a-period"),
    pytest.param("Russia's defence ministry said its air defences destroyed 25 Ukrainian drones over Kursk region.",
                 {A("intercepted", "drone", 25, attacker="ukraine")}, id="russian-mod-claim"),
    pytest.param("Russia launched 650 drones, about 400 of them Shaheds.",
                 {A("launched", "drone", 650), A("launched", "drone", 400, "about")}, id="sub-count-of-them"),
    pytest.param("The air force counted 300 drones. Air defence shot down 250 of them.",
                 {A("launched", "drone", 300), A("intercepted", "drone", 250)}, id="of-them-antecedent"),
    pytest.param("Russia launched 12 missiles overnight; all of them were shot down.",
                 {A("launched", "missile", 12), A("intercepted", "missile", 12)}, id="all-of-them"),
    pytest.param("Russia launched 12 missiles overnight. All but four were intercepted.",
                 {A("launched", "missile", 12)}, id="all-but-is-arithmetic"),
    pytest.param("Russia launched 183 drones, 154 of which were shot down or suppressed.",
                 {A("launched", "drone", 183), A("intercepted", "drone", 154)}, id="of-which"),
    pytest.param("Air defence shot down 40 drones, while 15 others were locally lost.",
                 {A("intercepted", "drone", 40), A("lost", "drone", 15)}, id="others"),
    pytest.param("Officials said 16 drones were downed over Bryansk region, 9 over Kursk region and two over Crimea.",
                 {A("intercepted", "drone", 16, attacker="ukraine"), A("intercepted", "drone", 9, attacker="ukraine"),
                  A("intercepted", "drone", 2, attacker="ukraine")}, id="regional-list"),
    pytest.param("Only one Kinzhal and one Kh-22 were downed, the air force said.",
                 {A("intercepted", "ballistic_missile", 1), A("intercepted", "cruise_missile", 1)},
                 id="verb-after-list"),
    pytest.param("Some 20 drones were launched, almost 30 missiles were fired and around 5 bombs were dropped.",
                 {A("launched", "drone", 20, "about"), A("launched", "missile", 30, "about"),
                  A("launched", "guided_bomb", 5, "about")}, id="about-family"),
    pytest.param("As many as 40 Geran-2 drones flew towards the city.",
                 {A("launched", "drone", 40, "up_to")}, id="as-many-as"),
    pytest.param("Two other missiles did not reach their targets.", {A("lost", "missile", 2)}, id="did-not-reach"),
    pytest.param("Gunners downed 50 out of 60 drones near the border.",
                 {A("intercepted", "drone", 50), A("launched", "drone", 60)}, id="out-of"),
    pytest.param("Radar crews recorded 52 launches of Shahed drones overnight.",
                 {A("launched", "drone", 52)}, id="launches-of"),
    pytest.param("Russia attacked with 60 drones; mobile fire groups downed 51.",
                 {A("launched", "drone", 60), A("intercepted", "drone", 51)}, id="bare-number-after-verb"),
    pytest.param("Russia hit the port with 93 missiles and about 200 drones.",
                 {A("launched", "missile", 93), A("launched", "drone", 200, "about")}, id="list-shares-its-verb"),
    pytest.param("Russia attacked on Jan. 5 with 64 drones, 24 of which were shot down.",
                 {A("launched", "drone", 64), A("intercepted", "drone", 24)}, id="of-which-keeps-its-verb"),
    pytest.param("Israel said Iran fired 180 missiles, and Ukraine said Russia launched 90 drones.",
                 {A("launched", "drone", 90)}, id="foreign-clause-dropped"),
    pytest.param("Ukraine's General Staff said 40 drones struck Russian oil depots overnight.",
                 {A("hit", "drone", 40, attacker="ukraine")}, id="ukrainian-strike-on-russia"),
    pytest.param("Russia launched 367 drones and missiles overnight. Of the 367, 266 were drones and 45 were missiles.",
                 {A("launched", "weapon", 367), A("launched", "drone", 266), A("launched", "missile", 45)},
                 id="breakdown-with-were"),
    pytest.param("Crews downed 23 of 26 drones launched overnight, and one Kh-59 missile.",
                 {A("intercepted", "drone", 23), A("launched", "drone", 26), A("intercepted", "cruise_missile", 1)},
                 id="participle-is-no-verb-for-the-rest"),
    pytest.param("In 2024, Russia launched over 11,000 Shahed drones.",
                 {A("launched", "drone", 11000, "at_least", "cumulative")}, id="in-a-year"),
    pytest.param("Russia fired 48 missiles in a single day last week.", {A("launched", "missile", 48)},
                 id="single-day-is-one-attack"),
    pytest.param("It was the 12th massive attack this year: Russia fired 60 missiles.",
                 {A("launched", "missile", 60)}, id="ordinal-this-year-is-not-a-period"),
    pytest.param("The air force said 12 drones disappeared from radar, likely jammed.", {A("lost", "drone", 12)},
                 id="disappeared-from-radar"),
    pytest.param("The General Staff said 12 Shahed drones out of 15 were destroyed.",
                 {A("intercepted", "drone", 12), A("launched", "drone", 15)}, id="phrase-out-of-total"),
    pytest.param('Gunners shot down 18 Russian "kamikaze" drones overnight.',
                 {A("intercepted", "drone", 18)}, id="quoted-modifier"),
    pytest.param("A barrage of 76 missiles hit Ukraine on Friday.", {A("launched", "missile", 76)},
                 id="hit-the-country-is-launched"),
    pytest.param("Russia's Defence Ministry said Ukraine had fired 10 missiles, all of which were shot down.",
                 {A("launched", "missile", 10, attacker="ukraine"),
                  A("intercepted", "missile", 10, attacker="ukraine")},
                 id="all-of-which"),
    pytest.param("Trains ran late since November.Only 15 rockets flew on the city.There is no power.",
                 {A("launched", "missile", 15)}, id="sentences-run-together"),
    pytest.param("Russia launched 40 Shahed drones; debris from 3 drones fell on houses.",
                 {A("launched", "drone", 40)}, id="debris-is-no-count"),
    pytest.param("The barrage included three Kinzhal missiles - none of which were intercepted - and 35 Kalibr "
                 "cruise missiles.", {A("launched", "ballistic_missile", 3), A("launched", "cruise_missile", 35)},
                 id="negated-verb-is-no-verb"),
    pytest.param("Russia fired five missiles: three Kinzhals and two Iskander-M. Air defence downed four of the "
                 "missiles.", {A("launched", "missile", 5), A("launched", "ballistic_missile", 3),
                               A("launched", "ballistic_missile", 2), A("intercepted", "missile", 4)},
                 id="the-missiles-points-to-plain-missiles"),
    pytest.param("Cruise missile strikes shook the city. One of the two missiles launched hit a tower.",
                 {A("launched", "cruise_missile", 2), A("hit", "cruise_missile", 1)},
                 id="the-missiles-points-to-named-class"),
    pytest.param("Ukraine said it downed 40 of 45 drones, while Russia said it destroyed 30 drones over Belgorod.",
                 {A("intercepted", "drone", 40), A("launched", "drone", 45),
                  A("intercepted", "drone", 30, attacker="ukraine")}, id="both-sides-in-one-sentence"),
    pytest.param("Russia launched at least 50 drones and 10 were shot down.",
                 {A("launched", "drone", 50, "at_least"), A("intercepted", "drone", 10)},
                 id="qualifier-stops-at-a-new-clause"),
    pytest.param("A total of 31 enemy air attack assets were destroyed.", {A("intercepted", "weapon", 31)},
                 id="a-total-of-with-its-own-verb"),
    pytest.param("Ukraine has been hit by more than 1,000 drones this week.",
                 {A("launched", "drone", 1000, "at_least", "cumulative")}, id="country-hit-by"),
    pytest.param("The tower was hit by two missiles.", {A("hit", "missile", 2)}, id="target-hit-by"),
    pytest.param("Over 2 days, Russia launched 150 drones.", {A("launched", "drone", 150, scope="cumulative")},
                 id="over-n-days"),
    pytest.param("A total of 1,900 Shahed drones were launched in a month.",
                 {A("launched", "drone", 1900, scope="cumulative")}, id="in-a-month"),
    pytest.param("Eight missiles hit targets near the capital. Some of them were intercepted, officials said.",
                 {A("launched", "missile", 8)}, id="hits-then-some-intercepted-are-launches"),
    pytest.param("Radar posts recorded 32 launches of missiles, and 20 launches were tracked later.",
                 {A("launched", "missile", 32), A("launched", "missile", 20)}, id="launches"),
    pytest.param("At least five HIMARS rockets slammed into the depot, the occupation authorities said.",
                 {A("hit", "missile", 5, "at_least", attacker="ukraine")}, id="ukrainian-model"),
    # second round of issue #3: families seen in the held-out sets, in our own words
    pytest.param("The Kremlin battered Odesa with a fresh wave of 140 drones and 12 missiles before dawn.",
                 {A("launched", "drone", 140), A("launched", "missile", 12)}, id="tabloid-with-a-wave-of"),
    pytest.param("Moscow blitzed the capital overnight, sending a swarm of 90 drones.",
                 {A("launched", "drone", 90)}, id="tabloid-verb"),
    pytest.param("A fresh swarm of 250 drones hit Lviv before dawn.", {A("launched", "drone", 250)},
                 id="a-swarm-of-n-hit-is-the-launch"),
    pytest.param("Overnight, 45 drones were location-lost.", {A("lost", "drone", 45)}, id="hyphenated-location-lost"),
    pytest.param("Moscow said 60 Ukrainian drones were destroyed over the Kursk region. More were downed over "
                 "the Oryol and Tula regions, and five over the Azov Sea.",
                 {A("intercepted", "drone", 60, attacker="ukraine"), A("intercepted", "drone", 5, attacker="ukraine")},
                 id="elliptical-and-n-over-place"),
    pytest.param("Russia sent 50 drones at the city. Air defence shot down most, and 12 in the Kyiv region were "
                 "injured.", {A("launched", "drone", 50)}, id="and-n-in-place-is-no-ellipsis"),
    pytest.param("The air force said crews downed 300 drones, 12 Kalibrs, and four Kinzhals and that 40 drones "
                 "were lost to jamming.",
                 {A("intercepted", "drone", 300), A("intercepted", "cruise_missile", 12),
                  A("intercepted", "ballistic_missile", 4), A("lost", "drone", 40)}, id="next-clause-verb-stays-out"),
    pytest.param("Officials said 45 drones hit the city, which killed nine people and injured over 60, and that a "
                 "missile destroyed a school.", {A("hit", "drone", 45)}, id="casualty-number-is-no-weapon"),
    pytest.param("Another 14 drones were location lost due to electronic warfare.", {A("lost", "drone", 14)},
                 id="translated-location-lost"),
    pytest.param("The enemy attacked with 2 ballistic rockets Iskander-M and 40 impact drones of Shahed type.",
                 {A("launched", "ballistic_missile", 2), A("launched", "drone", 40)}, id="translated-word-order"),
    pytest.param("Air defence brought down 75 targets, among them 20 missiles.",
                 {A("intercepted", "weapon", 75), A("intercepted", "missile", 20)}, id="n-targets-downed"),
    pytest.param("Air defence destroyed 40 of 44 targets overnight.",
                 {A("intercepted", "weapon", 40), A("launched", "weapon", 44)}, id="n-of-m-targets-downed"),
    pytest.param("Among the missiles fired was at least one Kinzhal, the air force said.",
                 {A("launched", "ballistic_missile", 1, "at_least")}, id="among-the-missiles-was"),
    pytest.param("Russia said Ukraine, for the first time, fired four British-supplied Storm Shadow cruise missiles.",
                 {A("launched", "cruise_missile", 4, attacker="ukraine")}, id="maker-made-modifier"),
    pytest.param("Russia hits Odesa with record 480 drones and missiles.",
                 {A("launched", "weapon", 480)}, id="with-record-mixed"),
    pytest.param("The missiles comprised three Iskander-M ballistic missiles and eight Kalibr cruise missiles.",
                 {A("launched", "ballistic_missile", 3), A("launched", "cruise_missile", 8)}, id="comprised-breakdown"),
    pytest.param("In May alone the total came to about 4,000 drones and over 150 missiles.",
                 {A("launched", "drone", 4000, "about", "cumulative"),
                  A("launched", "missile", 150, "at_least", "cumulative")}, id="monthly-total-came-to"),
    pytest.param("This week Russia used more than 900 drones, nearly 800 glide bombs and 30 missiles.",
                 {A("launched", "drone", 900, "at_least", "cumulative"),
                  A("launched", "guided_bomb", 800, "about", "cumulative"),
                  A("launched", "missile", 30, "exact", "cumulative")}, id="changing-list-qualifiers"),
    pytest.param("Officials of the dam, which Russian troops have held since April 2022, said Ukrainian forces had "
                 "attacked it with five drones, two of which hit a warehouse.",
                 {A("launched", "drone", 5, attacker="ukraine"), A("hit", "drone", 2, attacker="ukraine")},
                 id="background-relative-clause"),
    pytest.param("Ukraine has downed 5,000 drones, which Russia has launched since the start of the month.",
                 {A("intercepted", "drone", 5000, scope="cumulative")},
                 id="relative-clause-about-the-weapons-keeps-period"),
    pytest.param("Russia launched 60 drones overnight.\n\nRead also: Russia fired 2,000 drones this month",
                 {A("launched", "drone", 60)}, id="trailing-read-also"),
    pytest.param("Russia rained 90 drones on the city; 70 were shot down and another 15 were suppressed by "
                 "electronic warfare.",
                 {A("launched", "drone", 90), A("intercepted", "drone", 70), A("lost", "drone", 15)},
                 id="suppressed-by-ew-on-its-own-is-lost"),
    pytest.param("Russia launched 80 drones; 61 were shot down or suppressed by electronic warfare.",
                 {A("launched", "drone", 80), A("intercepted", "drone", 61)},
                 id="shot-down-or-suppressed-is-intercepted"),
    pytest.param("The enemy fired 4 ballistic rockets Iskander-M at the city. Air defence shot down 2 rockets.",
                 {A("launched", "ballistic_missile", 4), A("intercepted", "ballistic_missile", 2)},
                 id="plain-rockets-take-the-one-stated-class"),
    pytest.param("Rockets over Kharkiv. The enemy fired 3 Iskander-M ballistic missiles and 20 drones; 2 missiles "
                 "were shot down.", {A("launched", "ballistic_missile", 3), A("launched", "drone", 20),
                                     A("intercepted", "ballistic_missile", 2)},
                 id="uncounted-plain-mention-does-not-block-the-class"),
    pytest.param("Russia fired 3 Kinzhal missiles and 4 Kalibr cruise missiles; 5 missiles were shot down.",
                 {A("launched", "ballistic_missile", 3), A("launched", "cruise_missile", 4),
                  A("intercepted", "missile", 5)}, id="plain-count-with-two-classes-stays-missile"),
]


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_counts_phrasing_families(text, expected):
    assert _facts(text) == expected


NEGATIVES = [
    pytest.param("Iran fired 120 ballistic missiles at Israel, and most were intercepted.", id="iran-israel"),
    pytest.param("Houthi rebels launched 12 drones at ships in the Red Sea on Tuesday.", id="houthis"),
    pytest.param("Shakhtar beat Dynamo 3-1 on Saturday in front of 20,000 fans.", id="sports-score"),
    pytest.param("On 24 February 2022 the full-scale invasion began.", id="date"),
    pytest.param("Residents can call 0800 500 225 for help with missile damage.", id="phone-number"),
    pytest.param("Dozens of drones flew over the region overnight.", id="dozens"),
    pytest.param("Hundreds of missiles have hit the country this year.", id="hundreds"),
    pytest.param("In the region, 29 locations were struck by drones.", id="locations-are-not-weapons"),
    pytest.param("A missile hit the station and the drone was shot down.", id="bare-singular"),
    pytest.param("The Kh-101 and the Tu-95 bomber were seen; F-16 jets took off.", id="model-numbers"),
    pytest.param("Germany will deliver 4 Patriot missiles and 300 anti-tank missiles.", id="not-strike-weapons"),
    pytest.param("A 74-year-old woman was injured and 12 people were killed by the drone.", id="ages-people"),
    pytest.param("The plan has 28 points, and five have been lost in the talks.", id="no-antecedent"),
    pytest.param("Russia has deployed 10 Iskander-M launchers and 4 Kalibr-carrying ships.", id="platforms"),
    pytest.param("There were 5 missile strikes on the city and 12 drone attacks on the region.",
                 id="strikes-not-weapons"),
    pytest.param("Air defence was busy. Britain is sending more than 1,000 strike and air defence missiles.",
                 id="arms-delivery"),
    pytest.param("Russia now produces about 2,700 Shahed drones a month, intelligence officials said.",
                 id="production-rate"),
    pytest.param("Russian forces hit 30 targets near the front, and a drone was seen.", id="targets-hit-are-places"),
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_counts_negatives_give_nothing(text):
    assert _facts(text) == set()


def test_counts_headline_counts_and_body_sets_qualifier():
    text = "Over 50 drones attack Kyiv\n\nRussia attacked Kyiv with 50 drones overnight, the air force said."
    rows = _rows(text)
    assert [r["is_headline"] for r in rows] == [True, False]
    assert _facts(text) == {A("launched", "drone", 50)}
    assert _facts("Russia launches 80 drones at Odesa\n\nThe port was damaged.") == {A("launched", "drone", 80)}


def test_counts_rows_keep_model_source_and_span():
    text = "Ukraine's Air Force said Russia launched 30 Kh-101 cruise missiles and 8 Kalibr missiles."
    rows = _rows(text)
    assert [(r["weapon_model"], r["source"]) for r in rows] == [("Kh-101", "Air Force"), ("Kalibr", "Air Force")]
    for row in rows:
        assert text[row["start_char"]:row["end_char"]] == row["evidence"]


def test_counts_same_key_different_models_are_two_facts():
    text = "Launched were 2 Iskander-K cruise missiles and 2 Kh-59/69 guided missiles."
    assert len([f for f in counts_facts(_rows(text)) if f["count"] == 2]) == 2


def test_counts_repeat_mention_is_one_fact():
    text = ("Russia launched 200 drones overnight. The 200 drones came from three directions, "
            "and 150 drones were shot down.")
    facts = counts_facts(_rows(text))
    assert sorted((f["event"], f["count"]) for f in facts) == [("intercepted", 150), ("launched", 200)]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_counts_never_raise_on_arbitrary_text(text):
    rows = _rows(text)
    for row in rows:
        assert text[row["start_char"]:row["end_char"]] == row["evidence"]
    counts_facts(rows)


WORDS = ["Russia", "launched", "shot", "down", "drones", "missiles", "of", "the", "them", "which", "all", "were",
         "Kh-101", "Shahed", "at", "least", "up", "to", "and", ",", ";", ".", "12", "1,200", "three", "dozen",
         "a", "hits", "by", "locally", "lost", "Iran", "this", "week", "over", "\n", "\n\n", ":", "-", "others"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60))
def test_counts_never_raise_on_strike_like_text(words):
    text = " ".join(words)
    for row in _rows(text):
        assert text[row["start_char"]:row["end_char"]] == row["evidence"]
        assert row["count"] > 0 and row["event"] in {"launched", "intercepted", "hit", "lost"}


@pytest.mark.parametrize("text", ["Russia launched 5 drones" + " " * 1900 + "x",
                                  "Russia launched 5 drones (" + " " * 1900,
                                  "shot down 5 drones " + "and " * 500,
                                  "Russia launched " + " and ".join(["5 Kh-101"] * 150) + " missiles"])
def test_counts_pathological_sentences_stay_fast(text):
    _rows("Russia launched 5 drones.")  # rules compiled outside the timing
    started = time.perf_counter()
    _rows(text)
    assert time.perf_counter() - started < 1.0


def test_counts_seed_article_gives_its_five_counts(shared):
    article = next(a for a in read_articles(shared / "eval" / "dev" / "articles" / "seed.txt"))
    gold = json.loads((shared / "eval" / "dev" / "gold" / "seed.json").read_text())["strike_counts"]
    facts = counts_facts(extract_counts(article, split_sentences(article.text)))
    assert sorted(map(json.dumps, facts)) == sorted(map(json.dumps, gold))


def test_counts_dev_set_score(shared):
    """strike_counts F1 and qualifier accuracy on the labelled dev set stay at the target (>= 0.95),
    matched as ``eval/score.py`` does: (scope, attacker, event, weapon, count), qualifier apart."""
    def key(entry):
        return entry["scope"], entry["attacker"], entry["event"], entry["weapon"], entry["count"]

    tp = fp = fn = qualifier_ok = 0
    for article in read_articles(shared / "eval" / "dev" / "articles"):
        gold = json.loads((shared / "eval" / "dev" / "gold" / f"{article.article_id}.json").read_text())
        gold_keys = Counter(key(e) for e in gold["strike_counts"])
        pred = counts_facts(extract_counts(article, split_sentences(article.text)))
        pred_keys = Counter(key(e) for e in pred)
        matched = sum((gold_keys & pred_keys).values())
        tp, fp, fn = tp + matched, fp + sum(pred_keys.values()) - matched, fn + sum(gold_keys.values()) - matched
        qualifiers = {key(e): e["qualifier"] for e in gold["strike_counts"]}
        qualifier_ok += sum(1 for e in pred if qualifiers.get(key(e)) == e["qualifier"])
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, (tp, fp, fn)
    assert qualifier_ok / tp >= 0.95


def test_counts_few_counts_on_unlabelled_news(shared):
    """False-positive guard: the 447 real news articles (mostly diplomacy) give few counts, all sane."""
    path = shared / "data" / "news" / "gdelt_war_articles_2022_2024.jsonl"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        article = article_from_text(json.loads(line)["text"])
        rows += extract_counts(article, split_sentences(article.text))
    assert len(rows) < 40
    assert all(0 < r["count"] < 100_000 for r in rows)


def test_counts_period_hints_cover_every_period_cue():
    """The cheap pre-test of periods must never hide a cue of count_rules.yaml."""
    from toolkit.counts import _PERIOD_HINTS
    from toolkit.weapons import rules
    for cue in rules()["cumulative_cues"]:
        assert any(hint in cue.lower() for hint in _PERIOD_HINTS), cue


def test_counts_letters_that_ignorecase_folds_to_ascii_do_not_break_lookups():
    """IGNORECASE matches the dotted capital I, the long s and the Kelvin sign; their lower case
    is not the ASCII key of the weapon and trigger tables, which once raised KeyError."""
    from toolkit.extract import article_facts
    from toolkit.ingest import article_from_text

    facts = article_facts(article_from_text("Russia launched 3 \u0130skander-K missiles at Kyiv.", "x"))
    assert [(c["event"], c["weapon"], c["count"]) for c in facts["strike_counts"]] == \
        [("launched", "cruise_missile", 3)]
    facts = article_facts(article_from_text("Russia launched 5 drones; 4 were \u017fhot down.", "x"))
    assert [(c["event"], c["count"]) for c in facts["strike_counts"]] == [("launched", 5), ("intercepted", 4)]


def test_counts_no_extractor_error_on_samples_with_folding_letters(caplog):
    import random

    from toolkit.extract import extract
    from toolkit.ingest import article_from_text, read_articles

    rng = random.Random(3)
    for article in read_articles(Path(__file__).resolve().parents[1] / "data" / "articles"):
        for swap in ({"s": "\u017f"}, {"I": "\u0130", "i": "\u0130"}, {"k": "\u212a", "K": "\u212a"}):
            text = "".join(swap[c] if c in swap and rng.random() < 0.3 else c for c in article.text)
            extract(article_from_text(text, article.article_id, article.published))
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
