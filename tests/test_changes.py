"""The rerun workflow: new articles folded into a dataset of their own, and what they changed."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from toolkit import changes
from toolkit.attacks import tables_from_rows


def _count(article_id, n, event, count, weapon_class="drone", source="Air Force"):
    return {"article_id": article_id, "fact_id": f"{article_id}:{n}", "scope": "attack", "attacker": "russia",
            "event": event, "weapon_class": weapon_class, "count": count, "qualifier": "exact", "source": source}


BASE = dict(articles=[{"article_id": "old", "published_date": "2025-05-01"}],
            strike_counts=[_count("old", 1, "launched", 100), _count("old", 2, "intercepted", 90)])
NEW_ROWS = dict(
    articles=[{"article_id": "same-night", "published_date": "2025-05-01"},
              {"article_id": "next-night", "published_date": "2025-05-03"}],
    strike_counts=[_count("same-night", 1, "launched", 100, source="a regional governor"),
                   _count("same-night", 2, "intercepted", 70, source="a regional governor"),
                   _count("next-night", 1, "launched", 12, weapon_class="ballistic_missile")],
    meetings=[{"article_id": "next-night", "meeting_id": "next-night:m1", "place": "Geneva",
               "meeting_status": "held"}])


def _update() -> changes.Update:
    updated = {k: BASE.get(k, []) + NEW_ROWS.get(k, []) for k in set(BASE) | set(NEW_ROWS)}
    return changes.Update(base=tables_from_rows(**BASE), updated=tables_from_rows(**updated),
                          new_article_ids=["next-night", "same-night"])


@pytest.mark.parametrize("frame,column,expected", [
    ("new_articles", "article_id", ["same-night", "next-night"]),
    ("new_attacks", "attack_date", ["2025-05-03"]),
    ("new_attacks", "weapon_class", ["ballistic_missile"]),
    ("new_meetings", "place", ["Geneva"]),
    ("updated_attacks", "weapon_class", []),  # the Air Force figure still wins: nothing changed
])
def test_changes_what_changed_lists_new_facts(frame, column, expected):
    assert changes.what_changed(_update())[frame][column].tolist() == expected


def test_changes_disagreements_pair_the_new_figure_with_the_earlier_one():
    disagreements = changes.what_changed(_update())["disagreements"]
    assert sorted(disagreements[["article_id", "event", "count"]].values.tolist()) == [
        ["old", "intercepted", 90], ["same-night", "intercepted", 70]]
    assert disagreements.set_index("article_id")["from_new_article"].to_dict() == {"old": False,
                                                                                    "same-night": True}


def test_changes_undated_attacks_stay_apart():
    """Undated articles are attacks of their own: they share no date, so they must never be matched
    with one another (a merge on the date pairs every undated attack with every other one)."""
    base = dict(articles=[{"article_id": f"u{i}", "published_date": None} for i in range(30)],
                strike_counts=[_count(f"u{i}", 1, "launched", 10 + i) for i in range(30)])
    updated = {"articles": base["articles"] + [{"article_id": "u-new", "published_date": None}],
               "strike_counts": base["strike_counts"] + [_count("u-new", 1, "launched", 99)]}
    changed = changes.what_changed(changes.Update(base=tables_from_rows(**base), updated=tables_from_rows(**updated),
                                                  new_article_ids=["u-new"]))
    assert changed["updated_attacks"].empty
    assert changed["new_attacks"][["attack_id", "launched"]].values.tolist() == [["undated-u-new-russia", 99]]


def test_changes_nothing_new_gives_empty_frames_with_columns():
    base = tables_from_rows(**BASE)
    changed = changes.what_changed(changes.Update(base=base, updated=base, new_article_ids=[]))
    assert all(frame.empty for frame in changed.values())
    assert {"attack_date", "weapon_class"} <= set(changed["new_attacks"].columns)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_changes_fold_in_builds_its_own_dataset_and_leaves_inputs_alone(tmp_path):
    old, new = tmp_path / "articles", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "first.txt").write_text("---\npublished: 2025-05-01\n---\nA quiet evening\nNo attack was reported.\n",
                                   encoding="utf-8")
    (new / "second.txt").write_text("---\npublished: 2025-05-03\n---\nTalks go on\nDelegates met again.\n",
                                    encoding="utf-8")
    before = {"old": _digest(old), "new": _digest(new)}
    update = changes.fold_in([new], [old], tmp_path / "base", tmp_path / "with-new")
    assert update.new_article_ids == ["second"]
    assert (update.summary.parsed, update.summary.reused) == (1, 1)  # started from the baseline
    assert set(update.base["articles"]["article_id"]) == {"first"}
    assert set(update.updated["articles"]["article_id"]) == {"first", "second"}
    assert {"old": _digest(old), "new": _digest(new)} == before
    again = changes.fold_in([new], [old], tmp_path / "base", tmp_path / "with-new")
    assert again.summary.parsed == 0  # incremental: nothing re-parsed
    with pytest.raises(FileNotFoundError):
        changes.fold_in([tmp_path / "missing"], [old], tmp_path / "base", tmp_path / "with-new")


def test_changes_fold_in_starts_the_baseline_from_a_dataset_of_the_same_articles(tmp_path, monkeypatch):
    from toolkit import corpus

    articles = tmp_path / "articles"
    articles.mkdir()
    for name, day in (("a", "2025-01-01"), ("b", "2025-01-02"), ("c", "2025-01-03")):
        (articles / f"{name}.txt").write_text(f"---\npublished: {day}\n---\nNight {name}\n"
                                              "Russia launched 40 drones at Ukraine.\n", encoding="utf-8")
        os.utime(articles / f"{name}.txt", ns=(1_600_000_000_000_000_000,) * 2)
    corpus.build_dataset(articles, tmp_path / "processed", progress=False)
    parsed: list[str] = []
    original = corpus.extract
    monkeypatch.setattr(corpus, "extract", lambda article: parsed.append(article.article_id) or original(article))
    older, newest = changes.split_by_date(articles)
    update = changes.fold_in(newest, older, tmp_path / "before", tmp_path / "after", seed_from=tmp_path / "processed")
    assert parsed == ["c"] == update.new_article_ids  # only the new article is parsed
    assert set(update.base["articles"]["article_id"]) == {"a", "b"}
    full = corpus.build_dataset(articles, tmp_path / "full", progress=False, full=True)
    assert full.parsed == 3
    rebuilt = corpus.load_dataset(tmp_path / "full")
    pd.testing.assert_frame_equal(update.updated["strike_counts"], rebuilt["strike_counts"])


def test_changes_split_by_date_takes_the_last_day_as_new(tmp_path):
    for name, day in (("a", "2025-01-01"), ("b", "2025-01-02"), ("c", "2025-01-02")):
        (tmp_path / f"{name}.txt").write_text(f"---\npublished: {day}\n---\nTitle\nBody.\n", encoding="utf-8")
    older, newest = changes.split_by_date(tmp_path)
    assert [p.name for p in older] == ["a.txt"] and [p.name for p in newest] == ["b.txt", "c.txt"]
