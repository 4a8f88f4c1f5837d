"""Outages: customers, households, consumers, subscribers or people left without power,
heat, water or gas.

"9,500 customers remained without heat and 34,000 without a water supply" gives two
entries; "cut power and heat to 160,000" gives two; buildings and settlements are
not customers and restored supply is not an outage (FACTS.md, hard cases).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .casualties import QUALIFIERS
from .impact_rules import lowered, rules
from .records import Article
from .text import NUMBER_PATTERN, NUMBER_RE, Sentence, parse_number

_QUAL = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
_NOT_CUSTOMERS = re.compile(
    r"^\s*(?:[\w-]+\s+)?(?:buildings?|blocks?|houses|settlements?|localities|locality|villages?|towns?|"
    r"cities|communities|substations?|facilities|schools?|hospitals?|percent|per cent|%|degrees?|km|"
    r"kilomet|drones?|missiles?|years?|days?|hours?|megawatts?|MW|tonnes?|tons?)\b")


TRIGGER = re.compile(r"(?:without|disconnect|de-?energi[sz]|in the dark|no longer|had no|have no|has no|lost|"
                     r"lose|losing|cut|knock|disrupt|interrupt|outage|blackout)")
# every outage pattern names a service, or a word that implies power
_NEEDED_WORDS = ("power", "electric", "light", "heat", "water", "gas", "energ", "disconnect", "in the dark",
                 "outage", "blackout")
#: Plain words covering every TRIGGER match (a sentence pre-check by ``str.find``).
TRIGGER_WORDS = ("without", "disconnect", "energi", "in the dark", "no longer", "had no", "have no", "has no",
                 "lost", "lose", "losing", "cut", "knock", "disrupt", "interrupt", "outage", "blackout")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    r = rules()
    svc = rf"(?:{r.service_words})"
    services = rf"(?P<svc>(?:a\s+|the\s+)?{svc}(?:\s*(?:,|and|or|,\s*and)\s+(?:a\s+|the\s+)?{svc})*)"
    num = rf"(?:(?P<q>{_QUAL})\s+)?(?P<n>(?:{NUMBER_PATTERN})(?<!\band))"
    # "34,000 households were left without power"; "more than 230,000 were still disconnected"
    without = re.compile(
        rf"\b{num}\s+(?P<unit>[\w-]+\s+)?(?P<mid>(?:(?!\d)[^.;]){{0,90}}?)"
        rf"\b(?:without|no longer have|had no|have no|has no|lost|lose|losing|were cut off from|cut off from)"
        rf"\s+(?:any\s+)?{services}")
    disconnected = re.compile(
        rf"\b{num}\s+(?P<unit>[\w-]+\s+)?(?P<mid>(?:(?!\d)[^.;]){{0,60}}?)\b(?:were|are|was|remain(?:ed)?|remain)\s+"
        r"(?:still\s+)?(?:left\s+)?(?:disconnected|de-?energi[sz]ed|in the dark)")
    # "power was cut to around 400,000 customers"; "cut power and heat to 160,000"
    verb_first = (rf"(?:cut|cutting|knocked out|knocking out|disrupted|disrupting)\s+"
                  rf"{services.replace('svc', 'svc2')}\s+(?:supply\s+)?")
    verb_after = (rf"{services}\s+(?:supply\s+)?(?:was\s+|were\s+|had been\s+|has been\s+)?"
                  rf"(?:cut|knocked out|lost|disrupted|interrupted|cut off|off)\s+")
    # "de-energised 3,000 consumers", "outages affected 40,000 households": power, with a unit
    verb_number = r"(?:de-?energi[sz]ed|disconnected|(?:outages?|blackouts?)\s+(?:affected|hit|left))\s+"
    cut = re.compile(rf"(?:(?:{verb_first}|{verb_after})(?:to|for)\s+|{verb_number}){num}(?P<unit>\s+[\w-]+)?")
    return without, disconnected, cut


# "..., with another 6,000 cut off in the region": a second figure sharing the first one's service
_ANOTHER = re.compile(
    rf"\b(?:with|and|while|plus)\s+(?:another|a further|an(?:other)? additional|(?:some|about|around|nearly)\s+)"
    rf"\s*(?P<n>{NUMBER_PATTERN})\s+(?:(?:more|others?|[\w-]+)\s+)?(?:(?:were|was|are|had been|also)\s+)*"
    r"(?:(?:left|cut off|disconnected|without|de-?energi[sz]ed|in the dark|affected)\b)")


_SERVICE_SEP = re.compile(r"\s*(?:,\s*and|,|\band\b|\bor\b)\s*")
_ARTICLE = re.compile(r"^(?:a|the)\s+")


def _services(words: str) -> list[str]:
    """The services named in ``words`` ("power and heat"), in order, each once."""
    return list(_services_of(words))


@lru_cache(maxsize=1024)
def _services_of(words: str) -> tuple[str, ...]:
    services = rules().services
    found = []
    for word in _SERVICE_SEP.split(words.lower()):
        word = _ARTICLE.sub("", word.strip())
        service = services.get(word)
        if service and service not in found:
            found.append(service)
    return tuple(found)


# Words one of which every match of a pattern holds (checked before running the pattern): the verbs of
# ``without`` and ``disconnected``; for ``cut``, its verbs ("cut", "knocked out", "lost", "off"...).
_WITHOUT_WORDS = ("without", "no longer have", "had no", "have no", "has no", "lost", "lose", "losing",
                  "cut off from")
_DISCONNECTED_WORDS = ("disconnected", "energi", "in the dark")
_CUT_HINT = re.compile(r"cut|knock|disrupt|lost|interrupted|off\s|energi|disconnected|outage|blackout")


def _may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False when ``pattern`` (one of :func:`_patterns`) cannot match ``text``: it needs a word missing."""
    without, disconnected, _ = _patterns()
    if pattern is without:
        return any(map(text.__contains__, _WITHOUT_WORDS))
    if pattern is disconnected:
        return any(map(text.__contains__, _DISCONNECTED_WORDS))
    return bool(_CUT_HINT.search(text))


def find_outages(text: str) -> list[dict[str, Any]]:
    """Outage figures in one sentence: service, customers, qualifier.

    >>> [(o["service"], o["customers"]) for o in find_outages("It left 9,500 customers without heat.")]
    [('heat', 9500)]
    """
    text = lowered(text)
    if not TRIGGER.search(text) or not any(map(text.__contains__, _NEEDED_WORDS)) or not NUMBER_RE.search(text):
        return []  # every pattern needs a service (or "disconnected", "in the dark"...) and a number
    r = rules()
    without, disconnected, cut = _patterns()
    out: list[dict[str, Any]] = []
    seen_unit = False
    spans: list[tuple[int, int]] = []
    for pattern in (without, cut, disconnected):
        if not _may_match(pattern, text):
            continue
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in spans):
                continue
            unit = (m.group("unit") or "").strip()
            mid = m.groupdict().get("mid") or ""
            after_number = text[m.end("n"):]
            if _NOT_CUSTOMERS.match(after_number):
                continue
            has_unit = bool(unit and r.outage_units.fullmatch(unit))
            if pattern is without and not has_unit and (unit or mid.strip() or not seen_unit):
                continue  # an elliptical figure ("and 34,000 without water") needs a unit before it
            if pattern is disconnected and not has_unit and (unit or mid.strip()):
                continue
            if pattern is cut and unit and not has_unit:
                continue
            if r.restored.search(text[max(0, m.start() - 40):m.start("n")]) or r.restored.search(mid):
                continue
            seen_unit = seen_unit or has_unit
            customers = parse_number(m.group("n"))
            if not customers:
                continue
            words = m.groupdict().get("svc") or m.groupdict().get("svc2")
            if words:
                services = _services_of(words)
            else:  # "... without heat and a further 900 were left in the dark": the figure before's service
                services = (out[-1]["service"],) if out and pattern is disconnected and not has_unit else ("power",)
            qualifier = QUALIFIERS.get((m.group("q") or "").lower(), "exact")
            for service in services:
                out.append({"service": service, "customers": customers, "qualifier": qualifier})
            spans.append((m.start(), m.end()))
    if out and ("another" in text or "further" in text or "additional" in text):
        for m in _ANOTHER.finditer(text, spans[-1][1]):
            customers = parse_number(m.group("n"))
            if customers and not _NOT_CUSTOMERS.match(text[m.end("n"):]):
                out.append({"service": out[-1]["service"], "customers": customers, "qualifier": "exact"})
    return out


def outage_rows(sentences: list[tuple[Sentence, str | None]], article: Article) -> list[dict[str, Any]]:
    """One row per (service, figure) stated in the sentences, given as (sentence, oblast) pairs."""
    rows = []
    for sentence, oblast in sentences:
        for fact in find_outages(sentence.text):
            rows.append({**fact, "oblast_code": oblast, "evidence": article.text[sentence.start:sentence.end],
                         "start_char": sentence.start, "end_char": sentence.end})
    return rows


def outage_facts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract's outages: one entry per (service, customers)."""
    facts: list[dict[str, Any]] = []
    for row in rows:
        entry = {"service": row["service"], "customers": int(row["customers"])}
        if entry not in facts:
            facts.append(entry)
    return facts
