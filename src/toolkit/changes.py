"""New articles folded into a dataset of their own, and what they changed.

The rerun workflow (notebook ``04_new_articles``, ``toolkit report --articles
DIR``): the bundled dataset stays as it is, the new articles are parsed
together with its inputs into a separate dataset folder (incrementally: only
new or changed articles are parsed), and :func:`what_changed` lists the new
articles, the attacks and meetings they add, and the figures in them that
disagree with earlier reports of the same attack. Raw input folders are only
read, never written.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

#: What identifies a row of :func:`toolkit.aggregate.attacks` (an undated article is an attack of its
#: own: its ``attack_id`` names the article, and its null date must never match another null date)
ATTACK_KEY = ["attack_id", "weapon_class"]


@dataclass
class Update:
    """A baseline dataset and the dataset with the new articles folded in."""

    base: dict[str, pd.DataFrame]
    updated: dict[str, pd.DataFrame]
    new_article_ids: list[str] = field(default_factory=list)
    summary: Any = None


def fold_in(new_paths: Sequence[str | Path], base_paths: Sequence[str | Path], base_dir: str | Path,
            out_dir: str | Path, progress: bool = False, seed_from: str | Path | None = None) -> Update:
    """Build (incrementally) the baseline from ``base_paths`` into ``base_dir`` and the baseline plus
    ``new_paths`` into ``out_dir``; returns both tables and the ids of the articles that are new.

    ``out_dir`` starts as a copy of the baseline (:func:`toolkit.corpus.seed_dataset`), so that only
    the new articles are parsed into it; ``base_dir`` starts as a copy of ``seed_from`` (a dataset
    over much the same articles, such as the one the other notebooks read) when given. Either is
    started so only when it holds no dataset of this toolkit's yet. Nothing is written outside the
    two dataset folders.
    """
    from .corpus import build_dataset, load_dataset, seed_dataset

    new_paths = [Path(p) for p in new_paths]
    missing = [str(p) for p in new_paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such folder or file of new articles: {', '.join(missing)}")
    if seed_from is not None:
        seed_dataset(seed_from, base_dir)
    build_dataset(list(base_paths), base_dir, progress=progress)
    seed_dataset(base_dir, out_dir)
    summary = build_dataset([*base_paths, *new_paths], out_dir, progress=progress)
    base, updated = load_dataset(base_dir), load_dataset(out_dir)
    new_ids = sorted(set(updated["articles"]["article_id"]) - set(base["articles"]["article_id"]))
    return Update(base=base, updated=updated, new_article_ids=new_ids, summary=summary)


def split_by_date(folder: str | Path, newest_days: int = 1) -> tuple[list[Path], list[Path]]:
    """Article files of a folder split into (older, newest): the newest are those published on the last
    ``newest_days`` distinct dates. A stand-in for "new articles" when a demo has no new folder."""
    from .ingest import read_articles

    dated: dict[Path, str | None] = {}
    for article in read_articles(folder):
        dated.setdefault(Path(article.source_path), article.published)
    days = sorted({d for d in dated.values() if d})[-newest_days:] if newest_days > 0 else []
    newest = sorted(p for p, d in dated.items() if d in days)
    new = set(newest)
    older = sorted(p for p in dated if p not in new)
    return older, newest


def what_changed(update: Update) -> dict[str, pd.DataFrame]:
    """What the new articles changed, as frames (empty frames when nothing did):

    - ``new_articles``: the new articles (id, title, date);
    - ``new_attacks``: attack rows (attack and weapon class) that did not
      exist before; ``updated_attacks``: existing ones whose
      reconciled figures changed;
    - ``new_meetings``: meetings read from the new articles;
    - ``disagreements``: every figure for an attack, class and event where a
      new article gives a different number than another report.
    """
    from . import aggregate

    new_ids = set(update.new_article_ids)
    articles = update.updated["articles"]
    new_articles = articles[articles["article_id"].isin(new_ids)][["article_id", "title", "published_date"]]

    before, after = aggregate.attacks(update.base), aggregate.attacks(update.updated)
    merged = after.merge(before, on=ATTACK_KEY, how="left", suffixes=("", "_before"), indicator=True,
                         validate="one_to_one")
    is_new_attack = merged["_merge"] == "left_only"
    events = [e for e in ("launched", "intercepted", "hit", "lost") if e in after.columns]
    changed = pd.Series(False, index=merged.index)
    for event in events:
        now, then = merged[event].astype("Float64"), merged[f"{event}_before"].astype("Float64")
        changed |= (now.fillna(-1) != then.fillna(-1)).fillna(False).astype(bool)
    keep = list(after.columns)
    new_attacks = merged.loc[is_new_attack, keep].reset_index(drop=True)
    updated_attacks = merged.loc[~is_new_attack & changed,
                                 keep + [f"{e}_before" for e in events]].reset_index(drop=True)

    meetings = update.updated["meetings"]
    new_meetings = meetings[meetings["article_id"].isin(new_ids)].reset_index(drop=True)

    conflicts = aggregate.conflicts(update.updated)
    disagreements = conflicts.iloc[0:0]
    if not conflicts.empty:
        key = ["attack_id", "weapon_class", "event"]
        from_new = conflicts["article_id"].isin(new_ids)
        # per group, in pandas' own aggregations (two Python functions per group were most of the
        # 12 s this took for the 48,000 groups of 10,000 articles): more than one distinct known
        # count, and a new article among the reports
        grouped = conflicts.assign(_from_new=from_new).groupby(key, dropna=False)
        differs = grouped["count"].transform("nunique") > 1
        touches_new = grouped["_from_new"].transform("any")
        disagreements = conflicts[differs.to_numpy(bool) & touches_new.to_numpy(bool)].copy()
        disagreements.insert(len(key), "from_new_article", from_new.loc[disagreements.index])
        disagreements = disagreements.reset_index(drop=True)
    return {"new_articles": new_articles.reset_index(drop=True), "new_attacks": new_attacks,
            "updated_attacks": updated_attacks, "new_meetings": new_meetings, "disagreements": disagreements}
