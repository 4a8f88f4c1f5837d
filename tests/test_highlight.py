"""Highlighted article HTML: facts marked in place, colour per type, hover text, everything escaped."""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.highlight import FACT_COLOURS, fact_label, fact_marks, highlight_extraction, highlight_html
from toolkit.ingest import article_from_text
from toolkit.records import Extraction

_OUR_TAGS = re.compile(r"</?(?:mark|div|h3|em)\b[^>]*>")


def _row(text: str, sentence: str, **fields):
    start = text.index(sentence)
    return {"start_char": start, "end_char": start + len(sentence), "evidence": sentence, **fields}


def _body(fragment: str) -> str:
    """The article text part of the fragment, tags removed and entities decoded."""
    body = fragment.split('white-space:pre-wrap;line-height:1.6;max-width:60em">', 1)[1].rsplit("</div></div>", 1)[0]
    return html.unescape(_OUR_TAGS.sub("", body))


# (our own sentence, table, fact fields, the words expected inside the mark)
CASES = [
    ("Overnight the enemy sent 1,250 attack drones towards the capital.", "strike_counts",
     {"event": "launched", "weapon_class": "drone", "count": 1250}, "1,250"),
    ("Air defence downed 48 of them before dawn.", "strike_counts",
     {"event": "intercepted", "weapon_class": "drone", "count": 48}, "48"),
    ("A warehouse in Poltava caught fire after the strike.", "places",
     {"place_name": "Poltava", "place_role": "struck"}, "Poltava"),
    ("Debris damaged a substation on the outskirts.", "infrastructure",
     {"infrastructure_category": "energy", "target_text": "substation"}, "substation"),
    ("Two people died and 14 were hurt.", "casualties", {"casualty_kind": "injured", "count": 14}, "14"),
    ("Some 30 000 homes lost electricity.", "outages", {"service": "power", "customers": 30000}, "30 000"),
    ("The delegations sat down in Geneva on Sunday.", "meetings", {"place": "Geneva", "meeting_status": "held"},
     "Geneva"),
    ("Secretary Rubio led the American side.", "participants", {"person_name": "Marco Rubio"}, "Rubio"),
    ("Negotiators trimmed the 19-point framework.", "plans", {"points": 19}, "19"),
    ("Both sides still disagree about land.", "positions", {"topic": "territory"},
     "Both sides still disagree about land."),
]


@pytest.mark.parametrize("sentence,table,fields,marked", CASES)
def test_highlight_marks_the_words_of_each_fact_type(sentence, table, fields, marked):
    text = "Headline of the day\n" + sentence
    fragment = highlight_html(text, {table: [_row(text, sentence, **fields)]})
    match = re.search(r'<mark class="fact fact-(\w+)"[^>]*title="([^"]*)">([^<]*)</mark>', fragment)
    assert match, fragment
    assert match.group(1) == table
    assert html.unescape(match.group(3)) == marked
    assert FACT_COLOURS[table] in fragment
    assert html.unescape(match.group(2)) == fact_label(table, fields)
    assert _body(fragment) == text


@pytest.mark.parametrize("title,body", [
    ("<script>alert('t')</script>", "Drones hit <img src=x onerror=alert(1)> Lviv overnight."),
    ("<img src=x onerror=alert(2)>", "<script>document.cookie</script> Drones hit Lviv overnight."),
])
def test_highlight_escapes_title_body_and_fact_values(title, body):
    text = title + "\n" + body
    evil = {"place_name": "Lviv", "place_canonical": '"><script>alert(3)</script>'}
    fragment = highlight_html(text, {"places": [_row(text, body, **evil)]}, title=title,
                              meta={"outlet": "<b onmouseover=alert(4)>x</b>"})
    lowered = fragment.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<b " not in lowered
    for markup in re.findall(r"<img[^>]*>|<script>[^<]*</script>", text):
        assert html.escape(markup) in fragment
    assert _body(fragment) == text
    for attribute in re.findall(r'title="([^"]*)"', fragment):
        assert "<" not in attribute and ">" not in attribute


def test_highlight_overlapping_facts_share_one_mark_with_both_in_hover():
    text = "Rockets struck Odesa port and the Odesa grain terminal."
    rows = {"places": [_row(text, text, place_name="Odesa")],
            "infrastructure": [_row(text, text, infrastructure_category="port", target_text="Odesa port")]}
    fragment = highlight_html(text, rows)
    hovers = [html.unescape(h) for h in re.findall(r'title="([^"]*)"', fragment)]
    assert any("places: " in h and "infrastructure: " in h for h in hovers)
    assert _body(fragment) == text


@pytest.mark.parametrize("row", [
    {"start_char": None, "end_char": 5, "count": 3},
    {"start_char": 50, "end_char": 10, "count": 3},
    {"start_char": -4, "end_char": 0, "count": 3},
])
def test_highlight_ignores_rows_without_a_usable_span(row):
    assert fact_marks("Short text.", {"strike_counts": [row]}) == []


def test_highlight_without_facts_says_so_and_accepts_frames():
    text = "Nothing measurable happened."
    assert "No facts found" in highlight_html(text, {})
    frame = pd.DataFrame([_row(text, text, topic="ceasefire")])
    assert "fact-positions" in highlight_html(text, {"positions": frame, "not_a_table": frame})


def test_highlight_extraction_uses_article_title_and_metadata():
    article = article_from_text("Quiet night <b>\nNo strikes were reported.", article_id="quiet",
                                published="2025-03-01")
    fragment = highlight_extraction(Extraction(article=article, tables={}))
    assert "2025-03-01" in fragment and "&lt;b&gt;" in fragment


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=80),
       spans=st.lists(st.tuples(st.integers(0, 90), st.integers(0, 90)), max_size=5))
def test_highlight_never_loses_or_unescapes_text(text, spans):
    rows = [{"start_char": a, "end_char": b, "count": 7} for a, b in spans]
    fragment = highlight_html(text, {"strike_counts": rows}, title=text)
    assert _body(fragment) == text


def test_highlight_real_news_keeps_every_character_and_marks_facts(shared):
    """Real articles (read from ../shared, never copied): the highlighted text is the article text, escaped."""
    from toolkit.extract import extract
    from toolkit.ingest import read_articles

    articles = list(read_articles(shared / "data" / "news" / "gdelt_war_articles_2022_2024.jsonl"))[:60]
    assert articles
    marked = 0
    for article in articles:
        fragment = highlight_extraction(extract(article))
        assert _body(fragment) == article.text, article.article_id
        marked += fragment.count("<mark class=")
    assert marked > 0
