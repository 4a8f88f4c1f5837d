"""Plans and positions read one sentence at a time (positions kept per sentence text in a small memo)
give the rows the plain per-sentence loop gives, on first reading and on repeats (issue #7, speed)."""
from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import diplomacy
from toolkit.diplomacy import _DIPLOMACY_WORDS, _evidence, _plan_rules, _points
from toolkit.text import Sentence

# plan and position words, their look-alikes, numbers, and characters that lower-case oddly
TOKENS = ["28-point", "20-point", "twelve-point", "19", "points", "point", "plan", "proposal", "framework",
          "draft", "cut", "to", "of", "the", "its", "agreed", "on", "17", "revised", "original", "US", "Russian",
          "Ukrainian", "European", "talks", "peace", "deal", "ceasefire", "truce", "territory", "Donbas",
          "Crimea", "NATO", "membership", "join", "neutrality", "army", "troops", "size", "security",
          "guarantees", "sanctions", "frozen", "assets", "nuclear", "power", "plant", "prisoners", "of war",
          "elections", "Zaporizhzhia", "demands", "red lines", "\u212aremlin", "\u017fummit", "\u0130stanbul",
          "\u0131s", "\u03a3", ",", ".", "-", " ", "\n"]
sentences = st.lists(st.sampled_from(TOKENS), max_size=20).map(" ".join)


def _plain_plans(batch: list[Sentence]) -> list[dict[str, Any]]:
    rules = _plan_rules()
    rows = []
    for sentence in batch:
        if "point" not in sentence.text.lower():
            continue
        for m in rules["plan"].finditer(sentence.text):
            group = next((g for g in ("n", "n2", "n3", "n4") if m.group(g)), None)
            points = _points(sentence.text[m.start(group):m.end(group)] if group else None)
            if points is None:
                continue
            phrase = sentence.text[max(0, m.start() - 40):m.end()]
            version = next((v for v, p in rules["versions"] if p.search(phrase)), None)
            if m.group("n2"):
                version = "revised"
            proposer = next((v for v, p in rules["proposers"] if p.search(phrase)), None)
            rows.append({"points": points, "plan_version": version, "proposer": proposer, **_evidence(sentence)})
    return rows


def _plain_positions(batch: list[Sentence]) -> list[dict[str, Any]]:
    rules = _plan_rules()
    rows: list[dict[str, Any]] = []
    for sentence in batch:
        if not any(w in sentence.text.lower() for w in rules["position_words"]) \
                or not _DIPLOMACY_WORDS.search(sentence.text):
            continue
        topics = dict.fromkeys(m.lastgroup for m in rules["positions"].finditer(sentence.text))
        rows.extend({"topic": topic, **_evidence(sentence)} for topic in topics)
    return rows


@settings(max_examples=500, deadline=None)
@given(st.lists(sentences, max_size=6))
def test_plans_and_positions_are_the_plain_rows(texts: list[str]) -> None:
    batch, start = [], 0
    for text in texts + texts[:2]:  # (repeats: read again from the memo)
        batch.append(Sentence(text, start, start + len(text), 0))
        start += len(text) + 1
    for _ in range(2):
        assert diplomacy.extract_plans(batch) == _plain_plans(batch)
        assert diplomacy.extract_positions(batch) == _plain_positions(batch)


def test_a_few_plans_and_positions() -> None:
    batch = [Sentence("Talks on the 28-point plan stalled over territory and NATO membership.", 0, 70, 0),
             Sentence("The draft was cut to 19 points after security guarantees were agreed.", 71, 141, 0)]
    plans = diplomacy.extract_plans(batch)
    assert [(p["points"], p["plan_version"]) for p in plans] == [(28, None), (19, "revised")]
    assert plans == _plain_plans(batch)
    topics = [p["topic"] for p in diplomacy.extract_positions(batch)]
    assert topics == ["territory", "nato_membership", "security_guarantees"]
    assert diplomacy.extract_positions(batch) == _plain_positions(batch)
