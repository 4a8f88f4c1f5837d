"""Dates of events, resolved against the article's published date.

"on Tuesday", "today", "two weeks ago", "last month", "on 23 November" are read
with dateparser (imported lazily: it is slow to import) relative to the
article date; without a published date nothing is resolved.
"""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from .gazetteer import load_yaml
from .meeting_rules import boundary_once, case_safe, lowered

RULES_FILE = "diplomacy_rules.yaml"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_LEAD_WORDS = re.compile(r"^(?:on|since|earlier on|late on|early on)\s+")
_POSSESSIVE_END = re.compile(r"'s$")
_AGO = re.compile(r"(a|one|two|three|four|five|six|\d+) (days?|weeks?) ago")
_LAST_NEXT_DAY = re.compile(r"(last|next|this) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)")
_IN_YEAR = re.compile(r"in (\d{4})")


@lru_cache(maxsize=1)
def _phrase_re() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """The date phrase pattern, and the same for lower-cased text (faster; None when not possible)."""
    phrases = load_yaml(RULES_FILE)["date_phrases"]
    return re.compile("|".join(phrases), re.IGNORECASE), lowered(boundary_once(phrases))


def find_date_phrase(text: str) -> str | None:
    """The first date phrase in ``text`` ("on Tuesday", "two weeks ago"...), else None."""
    pattern, fast = _phrase_re()
    if fast is not None and case_safe(text):
        m = fast.search(text.lower())  # the same match, offsets hold
        return text[m.start():m.end()] if m else None
    m = pattern.search(text)
    return m.group(0) if m else None


@lru_cache(maxsize=4096)
def resolve_date(phrase: str, published: str | None, prefer: str = "past") -> str | None:
    """ISO date a phrase names, counted from the ISO ``published`` date; None when unknown.

    ``prefer`` is ``past`` (held meetings) or ``future`` (planned ones) for bare weekdays.

    >>> resolve_date("on Tuesday", "2025-12-04")
    '2025-12-02'
    >>> resolve_date("two weeks ago", "2025-12-06")
    '2025-11-22'
    """
    if not published or not phrase:
        return None
    try:
        base = datetime.fromisoformat(published[:10])
    except ValueError:
        return None
    clean = _LEAD_WORDS.sub("", phrase.strip().lower())
    clean = _POSSESSIVE_END.sub("", clean)
    weekday = next((d for d in _WEEKDAYS if clean.endswith(d)), None)
    if weekday and clean == weekday:
        # a bare weekday is the nearest one before (or, for plans, after) the article date
        delta = (base.weekday() - _WEEKDAYS.index(weekday)) % 7
        if prefer == "future":
            ahead = (_WEEKDAYS.index(weekday) - base.weekday()) % 7
            return (base.fromordinal(base.toordinal() + ahead)).date().isoformat()
        return (base.fromordinal(base.toordinal() - delta)).date().isoformat()
    if clean in ("this weekend", "last weekend"):
        delta = (base.weekday() - 5) % 7 if clean == "last weekend" or base.weekday() >= 5 else -(5 - base.weekday())
        return base.fromordinal(base.toordinal() - delta).date().isoformat()
    simple = _relative(clean, base) or _calendar(clean, base, prefer) or _months_and_years(clean, base)
    if simple is not None:
        return simple
    import dateparser  # lazy: a slow import, needed only for calendar dates ("on 23 November")

    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        parsed = dateparser.parse(clean, languages=["en"], settings=settings)
    except Exception:  # dateparser raises on odd input; an unknown date is None
        return None
    return parsed.date().isoformat() if parsed else None


_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _relative(clean: str, base: datetime) -> str | None:
    """Common relative phrases without dateparser: today, yesterday, N days/weeks ago, last/next week,
    last/next weekday. None when the phrase is of another kind."""
    day = base.toordinal()
    fixed = {"today": 0, "yesterday": -1, "tomorrow": 1, "last week": -7, "next week": 7, "this week": 0}
    if clean in fixed:
        return datetime.fromordinal(day + fixed[clean]).date().isoformat()
    m = _AGO.fullmatch(clean)
    if m:
        count = _COUNTS.get(m.group(1)) or int(m.group(1))
        return datetime.fromordinal(day - count * _UNITS[m.group(2)]).date().isoformat()
    m = _LAST_NEXT_DAY.fullmatch(clean)
    if m:
        target = _WEEKDAYS.index(m.group(2))
        if m.group(1) == "last":
            return datetime.fromordinal(day - ((base.weekday() - target - 1) % 7 + 1)).date().isoformat()
        return datetime.fromordinal(day + ((target - base.weekday() - 1) % 7 + 1)).date().isoformat()
    return None



_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = "(" + "|".join(_MONTHS) + ")"
_DAY_MONTH = re.compile(r"(\d{1,2}) " + _MONTH + r"(?: (\d{4}))?")
_MONTH_DAY = re.compile(_MONTH + r" (\d{1,2})(?:,? (\d{4}))?")
_IN_MONTH = re.compile(r"in " + _MONTH + r"(?: (\d{4}))?")


def _on(year: int, month: int, day: int, clip: bool = False) -> datetime | None:
    """The date, or None when the month lacks the day; with ``clip``, the month's last day then (as
    dateparser reads "in April" or "last month" on the 31st)."""
    import calendar

    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if clip:
        day = min(day, last)
    if not 1 <= day <= last:
        return None  # (dateparser decides the odd cases: "February 29", day 31 in a short month)
    return datetime(year, month, day)


_MONTHS_AGO = re.compile(r"(a|one|two|three|four|five|six|[0-9]{1,3}) months? ago")
_YEAR_SHIFTS = {"this year": 0, "last year": -12, "next year": 12}


def _months_and_years(clean: str, base: datetime) -> str | None:
    """"this/last/next year" and "N months ago" without dateparser, read as it reads them: the same
    day that many months away, or the month's last day when it is shorter (checked against dateparser
    for every day-of-month ending over years)."""
    shift = _YEAR_SHIFTS.get(clean)
    if shift is None and (m := _MONTHS_AGO.fullmatch(clean)):
        shift = -(_COUNTS.get(m.group(1)) or int(m.group(1)))
    if shift is None:
        return None
    index = base.year * 12 + base.month - 1 + shift
    found = _on(index // 12, index % 12 + 1, base.day, clip=True)
    return found.date().isoformat() if found else None


def _calendar(clean: str, base: datetime, prefer: str) -> str | None:
    """Calendar phrases without dateparser (it is slow to warm up), read as dateparser reads them:
    "23 november" / "march 10" (nearest one before, or for plans after, the article date),
    "in february" (that month, the article's day), "in 2019", "last/this/next month"."""
    m = _DAY_MONTH.fullmatch(clean)
    day_month = (int(m.group(1)), _MONTHS.index(m.group(2)) + 1, m.group(3)) if m else None
    if day_month is None and (m := _MONTH_DAY.fullmatch(clean)):
        day_month = (int(m.group(2)), _MONTHS.index(m.group(1)) + 1, m.group(3))
    clip = False  # "in April" on the 31st is April 30 (not February: dateparser has leap-year quirks there)
    if day_month is None and (m := _IN_MONTH.fullmatch(clean)):
        day_month = (base.day, _MONTHS.index(m.group(1)) + 1, m.group(2))
        clip = day_month[1] != 2
    if day_month is not None:
        day, month, year = day_month
        if year:
            found = _on(int(year), month, day, clip)
            return found.date().isoformat() if found else None
        found = _on(base.year, month, day, clip)
        if found is None:
            return None
        if prefer == "future" and found <= base:
            found = _on(base.year + 1, month, day, clip)
        elif prefer != "future" and found > base:
            found = _on(base.year - 1, month, day, clip)
        return found.date().isoformat() if found else None
    if m := _IN_YEAR.fullmatch(clean):
        found = _on(int(m.group(1)), base.month, base.day)
        return found.date().isoformat() if found else None
    shift = {"this month": 0, "last month": -1, "next month": 1}.get(clean)
    if shift is not None:
        index = base.year * 12 + base.month - 1 + shift
        found = _on(index // 12, index % 12 + 1, base.day, clip=True)
        return found.date().isoformat() if found else None
    return None
