"""Strike-count rows and a multi-report night written by us, shared by the attack and aggregate tests."""
from __future__ import annotations

from toolkit.attacks import tables_from_rows

NIGHT = "2024-11-26"


def count(article_id, n, event, weapon_class, number, qualifier="exact", source=None, scope="attack",
          attacker="russia", model=None):
    """One strike_counts row, written the way the extractor writes it."""
    return {"article_id": article_id, "fact_id": f"{article_id}:strike_counts:{n}", "scope": scope,
            "attacker": attacker, "event": event, "weapon_class": weapon_class, "weapon_model": model,
            "count": number, "qualifier": qualifier, "source": source, "evidence": f"sentence {n}",
            "start_char": n * 10, "end_char": n * 10 + 9}


def same_night_tables():
    """Four reports of one night that disagree (the pattern of syn-s-03/04/05), plus rows that must stay apart."""
    articles = [{"article_id": a, "published_date": NIGHT} for a in ("early", "final", "governor", "wire", "weekly",
                                                                      "mod")]
    articles.append({"article_id": "undated", "published_date": None})
    rows = [
        # interim morning report: "at least 50 drones", "over 30 shot down by 7 a.m."
        count("early", 1, "launched", "drone", 50, "at_least", "air force"),
        count("early", 2, "intercepted", "drone", 30, "at_least", "air force"),
        # the Air Force's final statement
        count("final", 1, "launched", "ballistic_missile", 4, source="Air Force"),
        count("final", 2, "launched", "drone", 188, source="Air Force"),
        count("final", 3, "intercepted", "drone", 76, source="Air Force"),
        count("final", 4, "lost", "drone", 95, source="Air Force"),
        # a governor's story: a regional sub-count, then the national figures
        count("governor", 1, "intercepted", "drone", 2, "at_least", "regional governor Vyacheslav Negoda"),
        count("governor", 2, "launched", "drone", 188, source="Ukraine's air force"),
        count("governor", 3, "launched", "ballistic_missile", 4, source="Ukraine's air force"),
        count("governor", 4, "intercepted", "drone", 76, source="Ukraine's air force"),
        # an unattributed wire figure that disagrees
        count("wire", 1, "launched", "drone", 190, "about"),
        # a weekly total on the same day: never part of the night
        count("weekly", 1, "launched", "drone", 1200, "at_least", "President Zelensky", scope="cumulative"),
        # Russia's claim about Ukrainian drones: another attacker, another attack
        count("mod", 1, "intercepted", "drone", 41, source="Russian Defence Ministry", attacker="ukraine"),
        # no date: an attack of its own
        count("undated", 1, "launched", "drone", 12),
    ]
    return tables_from_rows(articles=articles, strike_counts=rows)
