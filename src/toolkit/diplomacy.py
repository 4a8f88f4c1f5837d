"""Diplomacy facts of one article: meetings, participants, plans, people, positions.

People come from :mod:`toolkit.people`, meetings from :mod:`toolkit.meetings`
(dates from :mod:`toolkit.dates`); plans and positions are read here. Every row
keeps its evidence sentence and span (``text[start_char:end_char] == evidence``).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

from . import meetings as meetings_mod
from . import people as people_mod
from .gazetteer import load_yaml
from .meeting_rules import boundary_once, case_safe, lowered, named_alternatives
from .records import Article
from .schema import DIPLOMACY_TABLES
from .text import NUMBER_PATTERN, Sentence, parse_number, split_sentences

RULES_FILE = "diplomacy_rules.yaml"
#: Plans have a handful to a few dozen points; larger numbers are something else.
MAX_PLAN_POINTS = 100
_DIPLOMACY_HINTS = ("plan", "proposal", "framework", "document", "draft", "talks", "negotiat", "peace", "deal",
                    "settlement", "summit", "meeting", "demand", "red line", "concession", "agreement", "ceasefire",
                    "truce")
_DIPLOMACY_WORDS_RE = (r"\b(?:plan|proposal|framework|document|draft|talks|negotiat\w*|peace|deal|settlement|"
                       r"summit|meeting|demand\w*|red lines?|concession\w*|agreement|ceasefire|truce)\b")
_DIPLOMACY_WORDS = re.compile(_DIPLOMACY_WORDS_RE, re.IGNORECASE)
#: The same, for lower-cased text (see :func:`toolkit.meeting_rules.case_safe`).
_DIPLOMACY_WORDS_LOW = lowered(_DIPLOMACY_WORDS_RE)


@lru_cache(maxsize=1)
def _plan_rules() -> dict[str, Any]:
    r = load_yaml(RULES_FILE)
    i = re.IGNORECASE
    number = r"(?P<n>\d{1,3}|[a-z]+(?:-[a-z]+)?)"
    noun = r["plan_nouns"]
    plan = [r"\b" + number + r"[- ]point\b(?!s)(?:\s+|-)(?:[\w'\u2019-]+\s+){0,3}?" + noun + r"\b",
            r"\b(?:cut|reduced|trimmed|slimmed|pared|expanded|grew)(?: down| back)? to (?P<n2>\d{1,3}|[a-z]+) points\b",
            r"\b(?:plan|proposal|framework|document|draft) (?:of|with) (?P<n3>\d{1,3}|[a-z]+) points\b",
            # "agreed on 17 of the 20 points of the framework": the plan has 20 points
            r"\b(?:\d{1,3}|[a-z]+) of (?:the|its|their) (?P<n4>\d{1,3}|[a-z]+) points\b"
            r"(?=\s+(?:of|in)\s+(?:the|a|its|their)\s+(?:[\w'.-]+\s+){0,3}?" + noun + r"\b)"]
    positions = "|".join(f"(?P<{t}>{p})" for t, p in r["positions"].items())
    return {
        "plan": re.compile("|".join(plan), i),
        # the same patterns for lower-cased text (None: not possible), testing "\b" once
        "plan_low": lowered(boundary_once(plan)),
        "versions": [(v, re.compile(p, i)) for v, p in r["plan_versions"].items()],
        "proposers": [(v, re.compile(p, i)) for v, p in r["plan_proposers"].items()],
        "position_words": tuple(r["position_words"]),
        "positions": re.compile(positions, i),
        "positions_low": lowered(named_alternatives(r["positions"])),
    }


def extract_diplomacy(article: Article) -> dict[str, list[dict[str, Any]]]:
    """Rows for the diplomacy tables of one article (see :mod:`toolkit.schema`)."""
    text = article.text
    sentences = split_sentences(text)
    mentions = people_mod.find_mentions(text)
    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in DIPLOMACY_TABLES}
    if not sentences:
        return tables
    starts = [s.start for s in sentences]
    affiliations: dict[str, str] = {}
    for m in mentions:
        if m.person.name in affiliations:
            continue
        context = text[max(0, m.start - 150):m.end + 60]
        affiliation = people_mod.affiliation_on(m.person, article.published, context)
        affiliations[m.person.name] = affiliation
        sentence = sentences[max(0, bisect_right(starts, m.start) - 1)]
        tables["people"].append({"person_name": m.person.name, "affiliation": affiliation, "role": m.person.role,
                                 "in_gazetteer": m.in_gazetteer, **_evidence(sentence)})
    low = text.lower()  # (lower-cased once: the meeting, plan and position scans all read it)
    found = meetings_mod.extract_meetings(text, sentences, mentions, article.published, low)
    for n, meeting in enumerate(found, start=1):
        meeting_id = f"{article.article_id}:m{n}"
        tables["meetings"].append({"meeting_id": meeting_id, "place": meeting.place,
                                   "meeting_status": meeting.status, "meeting_date": meeting.date,
                                   "day_count": meeting.day_count, **_evidence(meeting.sentence)})
        for name, (mention, sentence) in meeting.participants.items():
            tables["participants"].append({"meeting_id": meeting_id, "place": meeting.place, "person_name": name,
                                           "affiliation": affiliations.get(name, mention.person.affiliation),
                                           **_evidence(sentence)})
    tables["plans"] = extract_plans([sentences[i] for i in sorted(
        meetings_mod.sentences_containing(low, starts, ("point",)))])
    tables["positions"] = extract_positions([sentences[i] for i in sorted(
        meetings_mod.sentences_containing(low, starts, _DIPLOMACY_HINTS))])
    _link_positions(tables["positions"], tables["plans"], tables["meetings"])
    return tables


def _evidence(sentence: Sentence) -> dict[str, Any]:
    return {"evidence": sentence.text, "start_char": sentence.start, "end_char": sentence.end}


def extract_plans(sentences: list[Sentence]) -> list[dict[str, Any]]:
    """Peace plans and proposals with a stated number of points ("28-point plan", "cut to 19 points")."""
    rows = []
    for sentence in sentences:
        if "point" not in sentence.text.lower():
            continue  # callers may pass every sentence
        rows.extend({"points": points, "plan_version": version, "proposer": proposer, **_evidence(sentence)}
                    for points, version, proposer in _sentence_plans(sentence.text))
    return rows


def _sentence_plans(text: str) -> tuple[tuple[int, str | None, str | None], ...]:
    """(points, version, proposer) of every plan one sentence names, in order (see :func:`extract_plans`)."""
    rules = _plan_rules()
    low = text.lower()
    found = []
    # the same matches on the lower-cased text, faster (spans hold; numbers are read from the text)
    fast = rules["plan_low"] is not None and case_safe(text)
    for m in (rules["plan_low"].finditer(low) if fast else rules["plan"].finditer(text)):
        group = next((g for g in ("n", "n2", "n3", "n4") if m.group(g)), None)
        raw = text[m.start(group):m.end(group)] if group else None
        points = _points(raw)
        if points is None:
            continue
        phrase = text[max(0, m.start() - 40):m.end()]
        version = next((v for v, p in rules["versions"] if p.search(phrase)), None)
        if m.group("n2"):
            version = "revised"
        proposer = next((v for v, p in rules["proposers"] if p.search(phrase)), None)
        found.append((points, version, proposer))
    return tuple(found)


_NUMBER_RE = re.compile(rf"^(?:{NUMBER_PATTERN})$", re.IGNORECASE)


def _points(raw: str | None) -> int | None:
    if raw is None or not _NUMBER_RE.match(raw):
        return None
    value = parse_number(raw)
    return value if value is not None and 1 < value <= MAX_PLAN_POINTS else None


def extract_positions(sentences: list[Sentence]) -> list[dict[str, Any]]:
    """Positions and sticking points (territory, NATO membership, army size...) in diplomacy sentences."""
    rows: list[dict[str, Any]] = []
    for sentence in sentences:
        rows.extend({"topic": topic, **_evidence(sentence)} for topic in _sentence_topics(sentence.text))
    return rows


#: Distinct sentences whose position topics are kept: a pure function of the sentence's text, and news
#: agencies and templates repeat sentences across articles. Few: the repeats that pay are close together
#: (on unseen articles a larger memo gained little; see benchmarks/instructions.py).
SENTENCE_MEMO = 64


@lru_cache(maxsize=SENTENCE_MEMO)
def _sentence_topics(text: str) -> tuple[str, ...]:
    """The position topics one sentence names, in order of first mention (see :func:`extract_positions`)."""
    rules = _plan_rules()
    low = text.lower()
    if not any(map(low.__contains__, rules["position_words"])):
        return ()
    # the same matches on the lower-cased text, faster
    if rules["positions_low"] is not None and _DIPLOMACY_WORDS_LOW is not None and case_safe(text):
        if not _DIPLOMACY_WORDS_LOW.search(low):
            return ()
        matches = rules["positions_low"].finditer(low)
    else:
        if not _DIPLOMACY_WORDS.search(text):
            return ()
        matches = rules["positions"].finditer(text)
    return tuple(dict.fromkeys(m.lastgroup for m in matches))  # type: ignore[misc]


#: A position is about a plan or meeting named in its sentence or this many characters before it.
LINK_REACH_CHARS = 600
_ORIGINAL = re.compile(r"\b(?:original|initial|first|earlier)\b", re.IGNORECASE)
_MEETING_WORDS = re.compile(r"\b(?:talks|meetings?|summit|negotiat\w*|session|round)\b", re.IGNORECASE)
#: The same two, for lower-cased text (see :func:`toolkit.meeting_rules.case_safe`).
_ORIGINAL_LOW = lowered(_ORIGINAL.pattern)
_MEETING_WORDS_LOW = lowered(_MEETING_WORDS.pattern)


def _finds(pattern: re.Pattern[str], pattern_low: re.Pattern[str] | None, text: str) -> bool:
    """``pattern.search(text)`` as a truth value, run on the lower-cased text where that is faster and the same."""
    if pattern_low is not None and case_safe(text):
        return pattern_low.search(text.lower()) is not None
    return pattern.search(text) is not None


def _link_positions(positions: list[dict[str, Any]], plans: list[dict[str, Any]],
                    meetings: list[dict[str, Any]]) -> None:
    """Fill ``points`` (the plan) and ``meeting_id`` of each position from the nearest plan or meeting
    sentence at or before it; a meeting only when the position's sentence speaks of talks."""
    if not plans and not meetings:
        for row in positions:
            row["points"] = row["meeting_id"] = None
        return
    for row in positions:
        start = row["start_char"]
        plan = max((p for p in plans if start - LINK_REACH_CHARS <= p["start_char"] <= start),
                   key=lambda p: p["start_char"], default=None)
        if plans and _finds(_ORIGINAL, _ORIGINAL_LOW, row["evidence"]) \
                and not (plan and plan["start_char"] == row["start_char"]):
            plan = min(plans, key=lambda p: p["start_char"])  # "the original draft": the first plan named
        row["points"] = plan["points"] if plan else None
        meeting = None
        if meetings and _finds(_MEETING_WORDS, _MEETING_WORDS_LOW, row["evidence"]):
            meeting = max((m for m in meetings if m["start_char"] <= start), key=lambda m: m["start_char"],
                          default=meetings[0] if meetings else None)
        row["meeting_id"] = meeting["meeting_id"] if meeting else None


def diplomacy_facts(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The diplomacy fields of the facts contract (FACTS.md) from an article's rows."""
    meetings: dict[str, list[str]] = {}
    for row in tables.get("meetings", []):
        meetings.setdefault(row["place"], [])
    for row in tables.get("participants", []):
        names = meetings.setdefault(row["place"], [])
        if row["person_name"] not in names:
            names.append(row["person_name"])
    plans: list[Any] = []
    for row in tables.get("plans", []):
        if row["points"] not in [p["points"] for p in plans]:
            plans.append({"points": row["points"]})
    people = []
    seen = set()
    for row in tables.get("people", []):
        if row["person_name"] not in seen:
            seen.add(row["person_name"])
            people.append({"name": row["person_name"], "affiliation": row["affiliation"]})
    return {"meetings": [{"place": p, "participants": n} for p, n in meetings.items()],
            "plans": plans, "people": people}
