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

RULES_FILE = "diplomacy_rules.yaml"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@lru_cache(maxsize=1)
def _phrase_re() -> re.Pattern[str]:
    return re.compile("|".join(load_yaml(RULES_FILE)["date_phrases"]), re.IGNORECASE)


def find_date_phrase(text: str) -> str | None:
    """The first date phrase in ``text`` ("on Tuesday", "two weeks ago"...), else None."""
    m = _phrase_re().search(text)
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
    clean = re.sub(r"^(?:on|since|earlier on|late on|early on)\s+", "", phrase.strip().lower())
    clean = re.sub(r"'s$", "", clean)
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
    import dateparser  # lazy: a slow import, needed only for meeting dates

    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        parsed = dateparser.parse(clean, languages=["en"], settings=settings)
    except Exception:  # dateparser raises on odd input; an unknown date is None
        return None
    return parsed.date().isoformat() if parsed else None
