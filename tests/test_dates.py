"""Dates of events, resolved against the article's published date."""
from __future__ import annotations

import pytest

from toolkit.dates import find_date_phrase, resolve_date


@pytest.mark.parametrize("phrase, published, prefer, expected", [
    ("on Tuesday", "2025-12-04", "past", "2025-12-02"),
    ("on Thursday", "2025-12-02", "future", "2025-12-04"),
    ("today", "2025-12-06", "past", "2025-12-06"),
    ("yesterday", "2025-12-06", "past", "2025-12-05"),
    ("two weeks ago", "2025-12-06", "past", "2025-11-22"),
    ("three days ago", "2025-12-06", "past", "2025-12-03"),
    ("last week", "2025-12-06", "past", "2025-11-29"),
    ("last Friday", "2025-12-03", "past", "2025-11-28"),
    ("last Tuesday", "2025-12-02", "past", "2025-11-25"),
    ("last month", "2025-12-06", "past", "2025-11-06"),
    ("on 23 November", "2025-12-06", "past", "2025-11-23"),
    ("on June 2", "2025-07-22", "past", "2025-06-02"),
    ("this weekend", "2025-12-21", "past", "2025-12-20"),
    ("on Tuesday", None, "past", None),
])
def test_dates_resolve_against_published(phrase, published, prefer, expected):
    assert resolve_date(phrase, published, prefer) == expected


@pytest.mark.parametrize("text, phrase", [
    ("The envoys met Putin at the Kremlin on Tuesday to discuss it.", "on Tuesday"),
    ("The meetings in Geneva took place two weeks ago.", "two weeks ago"),
    ("The ministers met in Ankara on 23 November.", "on 23 November"),
    ("No date here.", None),
])
def test_dates_find_phrase(text, phrase):
    assert find_date_phrase(text) == phrase


@pytest.mark.parametrize("phrase, published, prefer", [
    ("23 november", "2025-12-04", "past"), ("march 10", "2024-04-15", "future"), ("in february", "2024-04-15", "past"),
    ("in june", "2024-04-15", "future"), ("in 2019", "2024-04-15", "past"), ("last month", "2024-03-31", "past"),
    ("next month", "2023-12-15", "future"), ("7 may 2024", "2025-01-01", "past"), ("april 15", "2024-04-15", "future"),
    ("february 29", "2025-11-26", "past"), ("in february", "2024-03-31", "future"),
])
def test_dates_calendar_phrases_read_as_dateparser_reads_them(phrase, published, prefer):
    """The fast path for calendar phrases gives what dateparser gives (it only skips dateparser's warm-up)."""
    import dateparser
    from datetime import datetime

    from toolkit import dates

    settings = {"RELATIVE_BASE": datetime.fromisoformat(published), "PREFER_DATES_FROM": prefer,
                "RETURN_AS_TIMEZONE_AWARE": False}
    expected = dateparser.parse(phrase, languages=["en"], settings=settings).date().isoformat()
    assert dates.resolve_date(phrase, published, prefer) == expected


_FAST_FORMS = ["this year", "last year", "next year", "a month ago", "two months ago", "13 months ago", "1 months ago",
               "last month", "next month", "this month", "in april", "in june", "in september", "in november",
               "in april 2023", "in june 2024"]


@pytest.mark.parametrize("published", ["2024-02-29", "2024-03-31", "2025-01-31", "2025-03-30", "2023-05-31",
                                       "2024-08-31", "2025-12-31", "2024-10-31"])
def test_dates_month_and_year_forms_skip_dateparser_and_agree_with_it(published, monkeypatch):
    """Year shifts, "N months ago" and month names on a day the month lacks (the 31st) are read without
    dateparser, as dateparser reads them (the month's last day)."""
    import dateparser
    from datetime import datetime

    from toolkit import dates

    expected = {}
    for prefer in ("past", "future"):
        settings = {"RELATIVE_BASE": datetime.fromisoformat(published), "PREFER_DATES_FROM": prefer,
                    "RETURN_AS_TIMEZONE_AWARE": False}
        for phrase in _FAST_FORMS:
            parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
            expected[phrase, prefer] = parsed.date().isoformat() if parsed else None
    dates.resolve_date.cache_clear()
    monkeypatch.setattr(dateparser, "parse", lambda *a, **k: pytest.fail("dateparser was called"))
    for (phrase, prefer), iso in expected.items():
        assert dates.resolve_date(phrase, published, prefer) == iso, (phrase, prefer)
    dates.resolve_date.cache_clear()
