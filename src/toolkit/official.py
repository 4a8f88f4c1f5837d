"""The official Air Force figures: load them, map their weapon models, compare them with the reports.

The format is that of ``missile_attacks_daily.csv`` in the public dataset
"Massive Missile Attacks on Ukraine" (Petro Ivaniuk, Kaggle
``piterfm/massive-missile-attacks-on-ukraine``): one row per weapon model (or
bundle of models) per report window, times in Kyiv local time. Users bring
newer versions, so :func:`load_official` accepts any path and checks the
columns it needs. Each row belongs to the attack of the date of its
``time_end`` (the morning the Air Force reports an overnight attack).

Model strings map onto our weapon classes through ``data/official_models.csv``;
a string that does not map keeps ``weapon_class`` null and is listed by
:func:`unmapped_models` — never dropped. Every comparison carries the file's
SHA-256 (the upstream dataset is edited in place). The dataset's rows are not
copied into the toolkit's own tables.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .attacks import kyiv_date, reconciled, typed_frame
from .gazetteer import load_csv

REQUIRED_COLUMNS = ("time_start", "time_end", "model", "launched", "destroyed")
MISSILE_CLASSES = ("cruise_missile", "ballistic_missile", "missile")
#: Classes summed into the ``weapon`` level (drones and missiles; guided bombs are not in the Air Force totals).
WEAPON_CLASSES = ("drone", *MISSILE_CLASSES)
OFFICIAL_COLUMNS = ["row_number", "time_start", "time_end", "attack_date", "model", "weapon_class",
                    "unmapped_parts", "target", "is_national", "launched", "destroyed", "not_reach_goal",
                    "still_attacking", "source"]
COMPARISON_COLUMNS = ["attack_date", "weapon_class", "reported_launched", "official_launched",
                      "launched_difference", "reported_intercepted", "official_intercepted",
                      "intercepted_difference", "reported_basis", "article_ids", "official_models",
                      "official_unmapped_models", "official_sha256"]
_DTYPES = {"row_number": "Int64", "time_start": "string", "time_end": "string", "attack_date": "string",
           "model": "string", "weapon_class": "string", "unmapped_parts": "string", "target": "string",
           "is_national": "boolean", "launched": "Int64", "destroyed": "Int64", "not_reach_goal": "Int64",
           "still_attacking": "Int64", "source": "string", "reported_launched": "Int64",
           "official_launched": "Int64", "launched_difference": "Int64", "reported_intercepted": "Int64",
           "official_intercepted": "Int64", "intercepted_difference": "Int64", "reported_basis": "string",
           "article_ids": "string", "official_models": "string", "official_unmapped_models": "string",
           "official_sha256": "string"}


class OfficialFormatError(ValueError):
    """The file is not in the official dataset's format; the message names the file and what is missing."""


# --------------------------------------------------------------------------- model strings

# Cyrillic letters that look Latin (the dataset writes X-101 and C-300 for Х-101 and С-300, and the reverse happens)
_HOMOGLYPHS = str.maketrans({"х": "x", "с": "c", "а": "a", "е": "e", "о": "o", "р": "p", "к": "k", "м": "m",
                             "т": "t", "в": "b", "н": "h", "і": "i", "у": "y"})
_SPACING = re.compile(r"\s*([/-])\s*")


def normalise_model(model: str) -> str:
    """A model string folded for matching: case, spacing, Cyrillic look-alikes, ``Kh-`` = ``X-``.

    >>> normalise_model(" Х-101 / X-555 "), normalise_model("Kh-47M2 Kinzhal")
    ('x-101/x-555', 'x-47m2 kinzhal')
    """
    text = unicodedata.normalize("NFKC", str(model)).casefold().strip()
    text = _SPACING.sub(r"\1", re.sub(r"\s+", " ", text))
    text = text.translate(_HOMOGLYPHS)
    return re.sub(r"\bkh-", "x-", text)


@lru_cache(maxsize=1)
def _model_classes() -> dict[str, str]:
    rows = load_csv("official_models.csv", required=("model", "weapon_class"), optional=("note",), key=("model",))
    allowed = {"drone", "cruise_missile", "ballistic_missile", "missile", "guided_bomb", "weapon"}
    mapping = {}
    for row in rows:
        if row["weapon_class"] not in allowed:
            raise ValueError(f"official_models.csv: {row['model']!r} has unknown class {row['weapon_class']!r}")
        mapping[normalise_model(row["model"])] = row["weapon_class"]
    return mapping


def _combine(classes: list[str]) -> str:
    distinct = set(classes)
    if len(distinct) == 1:
        return classes[0]
    if distinct <= set(MISSILE_CLASSES):
        return "missile"
    return "weapon"


def model_class(model: Any) -> tuple[str | None, list[str]]:
    """(weapon class, unmapped parts) of an official model string, bundles included.

    >>> model_class("X-101/X-555 and Kalibr and Iskander-K")
    ('cruise_missile', [])
    >>> model_class("C-400 and Iskander-M"), model_class("Iskander-M and Iskander-K")
    (('ballistic_missile', []), ('missile', []))
    >>> model_class("Молнія"), model_class("Mystery-9")
    (('drone', []), (None, ['Mystery-9']))
    """
    if model is None or (not isinstance(model, str) and pd.isna(model)) or not str(model).strip():
        return None, [""]
    mapping = _model_classes()
    whole = normalise_model(model)
    if whole in mapping:
        return mapping[whole], []
    classes, unmapped = [], []
    for part in re.split(r"\s+and\s+|\s*[,+;&]\s*", str(model).strip()):
        if not part.strip():
            continue
        key = normalise_model(part)
        found = mapping.get(key)
        if found is None and "/" in key:  # "X-59/X-35": each side on its own
            sides = [mapping.get(side) for side in key.split("/")]
            found = _combine(sides) if all(sides) else None
        if found is None:
            unmapped.append(part.strip())
        else:
            classes.append(found)
    return (_combine(classes) if classes and not unmapped else None), unmapped


# --------------------------------------------------------------------------- loading

def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file (the official dataset's version stamp)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _morning_date(value: Any) -> str | None:
    """ISO date (Kyiv) of a report window's end: ``YYYY-MM-DD[ HH:MM]`` local time, or an ISO time with offset."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    if re.search(r"(?:Z|[+-]\d\d:?\d\d)$", text) and "T" in text:
        return kyiv_date(text)
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not m:
        return None
    try:
        return pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3))).date().isoformat()
    except ValueError:
        return None


def load_official(path: str | Path) -> pd.DataFrame:
    """The official figures as a typed frame, one row per file row, each assigned to an attack and class.

    Columns: :data:`OFFICIAL_COLUMNS` (``destroyed`` = shot down or suppressed,
    ``not_reach_goal`` = lost; ``is_national`` marks the nationwide reports,
    ``target == "Ukraine"``, which regional commands' rows would double count).
    ``frame.attrs`` holds ``path``, ``sha256`` and ``n_rows``. Raises
    :class:`OfficialFormatError` when a needed column is missing.

    >>> official = load_official("../shared/data/official/missile_attacks_daily.csv")  # doctest: +SKIP
    >>> official.attrs["n_rows"]  # doctest: +SKIP
    3770
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise OfficialFormatError(f"{path}: not a readable CSV file ({exc})") from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise OfficialFormatError(f"{path}: missing column(s) {missing}; expected the format of "
                                  "missile_attacks_daily.csv (Massive Missile Attacks on Ukraine)")
    frame = pd.DataFrame({"row_number": range(2, len(raw) + 2)})  # line in the file, header = line 1
    for column in ("time_start", "time_end", "model", "target", "source"):
        frame[column] = raw[column].str.strip().replace("", None) if column in raw.columns else None
    for column in ("launched", "destroyed", "not_reach_goal", "still_attacking"):
        values = pd.to_numeric(raw[column], errors="coerce") if column in raw.columns else pd.Series(float("nan"),
                                                                                                   index=raw.index)
        frame[column] = values.round().astype("Int64")
    frame["attack_date"] = [_morning_date(v) for v in frame["time_end"]]
    mapped = [model_class(m) for m in frame["model"]]
    frame["weapon_class"] = [c for c, _ in mapped]
    frame["unmapped_parts"] = [" | ".join(u) if u else None for _, u in mapped]
    frame["is_national"] = frame["target"].fillna("").str.casefold().eq("ukraine")
    out = typed_frame(frame, OFFICIAL_COLUMNS, _DTYPES)
    out.attrs.update({"path": str(path), "sha256": file_sha256(path), "n_rows": len(out)})
    return out


def unmapped_models(official: pd.DataFrame) -> pd.DataFrame:
    """Model strings that did not map onto a weapon class: model, unmapped_parts, n_rows.

    >>> frame = pd.DataFrame({"model": ["Shahed-136/131", "Mystery-9"], "weapon_class": ["drone", None],
    ...                       "unmapped_parts": [None, "Mystery-9"]})
    >>> unmapped_models(frame).values.tolist()
    [['Mystery-9', 'Mystery-9', 1]]
    """
    rows = official[official["weapon_class"].isna()]
    grouped = (rows.groupby(["model", "unmapped_parts"], dropna=False).size().rename("n_rows").reset_index()
               if len(rows) else pd.DataFrame(columns=["model", "unmapped_parts", "n_rows"]))
    return typed_frame(grouped, ["model", "unmapped_parts", "n_rows"], {"n_rows": "Int64"}).sort_values(
        ["n_rows", "model"], ascending=[False, True], ignore_index=True)


# --------------------------------------------------------------------------- comparing

def _sum(values: pd.Series) -> Any:
    """Sum of the known values; null when none is known (null is not zero)."""
    known = values.dropna()
    return int(known.sum()) if len(known) else pd.NA


def official_attacks(official: pd.DataFrame, national_only: bool = True) -> pd.DataFrame:
    """Official figures per attack date and weapon class, plus ``missile`` and ``weapon`` roll-ups.

    Columns: attack_date, weapon_class, official_launched, official_intercepted, official_models.
    ``national_only`` keeps the nationwide reports (``is_national``), which the
    regional commands' rows for the same night would double count.

    >>> frame = pd.DataFrame({"attack_date": ["2025-12-06"] * 2, "weapon_class": ["cruise_missile", "ballistic_missile"],
    ...                       "model": ["Kalibr", "X-47 Kinzhal"], "is_national": [True, True],
    ...                       "launched": [34, 3], "destroyed": [29, 0]})
    >>> official_attacks(frame).set_index("weapon_class")["official_launched"].to_dict()
    {'ballistic_missile': 3, 'cruise_missile': 34, 'missile': 37, 'weapon': 37}
    """
    rows = official[official["is_national"].fillna(False).astype(bool)] if national_only else official
    rows = rows[rows["attack_date"].notna() & rows["weapon_class"].notna()]
    columns = ["attack_date", "weapon_class", "official_launched", "official_intercepted", "official_models"]
    levels = [rows,
              rows[rows["weapon_class"].isin(MISSILE_CLASSES)].assign(weapon_class="missile"),
              rows[rows["weapon_class"].isin(WEAPON_CLASSES)].assign(weapon_class="weapon")]
    stacked = pd.concat(levels, ignore_index=True)
    if stacked.empty:
        return typed_frame([], columns, _DTYPES)
    # several rows of one class (e.g. Iskander-M and Kinzhal) add up; the roll-ups add up their classes
    stacked = stacked.drop_duplicates(["row_number", "weapon_class"]) if "row_number" in stacked else stacked
    grouped = stacked.groupby(["attack_date", "weapon_class"], sort=True)
    out = pd.DataFrame({
        "official_launched": grouped["launched"].sum(min_count=1),
        "official_intercepted": grouped["destroyed"].sum(min_count=1),
        "official_models": grouped["model"].agg(lambda s: ", ".join(dict.fromkeys(s.astype(str)))),
    }).reset_index()
    return typed_frame(out, columns, _DTYPES)


def _reported_levels(attack_rows: pd.DataFrame) -> pd.DataFrame:
    """Reported figures per attack date and class plus ``missile``/``weapon`` roll-ups (stated, else summed)."""
    out = []
    for date, day in attack_rows.groupby("attack_date", sort=True):
        by_class = {c: g.iloc[0] for c, g in day.groupby("weapon_class")}
        articles = ",".join(sorted({a for ids in day["article_ids"].dropna() for a in ids.split(",")}))
        for weapon_class, row in by_class.items():
            if weapon_class in ("missile", "weapon"):
                continue
            out.append({"attack_date": date, "weapon_class": weapon_class, "reported_launched": row["launched"],
                        "reported_intercepted": row["intercepted"], "reported_basis": "stated",
                        "article_ids": row["article_ids"]})
        for level, parts in (("missile", MISSILE_CLASSES[:2]), ("weapon", ("drone", *MISSILE_CLASSES))):
            stated = by_class.get(level)
            entry = {"attack_date": date, "weapon_class": level, "article_ids": articles}
            bases = set()
            for event in ("launched", "intercepted"):
                value = stated[event] if stated is not None else pd.NA
                if pd.isna(value) and level == "missile":
                    # a report giving cruise and ballistic figures apart is compared at the missile level as their sum
                    value = _sum(pd.Series([by_class[c][event] for c in parts if c in by_class], dtype="Int64"))
                    if pd.notna(value):
                        bases.add("sum_of_classes")
                elif pd.notna(value):
                    bases.add("stated")
                entry[f"reported_{event}"] = value
            if bases:
                entry["reported_basis"] = "sum_of_classes" if "sum_of_classes" in bases else "stated"
                out.append(entry)
    return typed_frame(out, ["attack_date", "weapon_class", "reported_launched", "reported_intercepted",
                             "reported_basis", "article_ids"], _DTYPES)


def compare_with_official(tables_or_attacks: dict[str, pd.DataFrame] | pd.DataFrame,
                          official: pd.DataFrame | str | Path, rule: str = "official_first",
                          national_only: bool = True) -> pd.DataFrame:
    """Reported vs official launched and intercepted, per attack date and weapon class, with the differences.

    ``tables_or_attacks`` is the dict of :func:`toolkit.load_dataset` (reconciled
    with ``rule``) or a frame from :func:`toolkit.aggregate.attacks`; ``official`` a
    path or a frame from :func:`load_official`. Only Russian attacks on dates
    the reports cover are compared. ``weapon_class`` takes our classes plus
    ``missile`` (all missile classes together: the stated mixed total, else the
    sum of the cruise and ballistic figures, as ``reported_basis`` says) and
    ``weapon`` (drones and missiles together, only where a report gives such a
    total). A class only the official figures give has null reported figures.
    ``official_unmapped_models`` names official rows of that night whose model
    did not map (left out of the official sums).
    Differences are reported minus official; unknown stays null.

    >>> from toolkit.attacks import tables_from_rows
    >>> tables = tables_from_rows(
    ...     articles=[{"article_id": "a", "published_date": "2025-12-06"}],
    ...     strike_counts=[{"article_id": "a", "fact_id": "a1", "scope": "attack", "attacker": "russia",
    ...                     "event": "launched", "weapon_class": "missile", "count": 53}])
    >>> official = pd.DataFrame({"attack_date": ["2025-12-06"] * 2, "weapon_class": ["cruise_missile", "ballistic_missile"],
    ...                          "model": ["Kalibr", "Iskander-M"], "is_national": [True, True],
    ...                          "launched": [34, 17], "destroyed": [29, 1]})
    >>> row = compare_with_official(tables, official).query("weapon_class == 'missile'").iloc[0]
    >>> int(row.reported_launched), int(row.official_launched), int(row.launched_difference)
    (53, 51, 2)
    """
    sha256 = None
    if not isinstance(official, pd.DataFrame):
        official = load_official(official)
    sha256 = official.attrs.get("sha256")
    attack_rows = reconciled(tables_or_attacks, rule=rule)
    attack_rows = attack_rows[(attack_rows["attacker"] == "russia") & attack_rows["attack_date"].notna()]
    reported = _reported_levels(attack_rows)
    if reported.empty:
        return typed_frame([], COMPARISON_COLUMNS, _DTYPES)
    official_rows = official_attacks(official[official["attack_date"].isin(set(reported["attack_date"]))],
                                     national_only=national_only)
    merged = reported.merge(official_rows, on=["attack_date", "weapon_class"], how="outer")
    # the drones-and-missiles roll-up is shown only where a report gives such a mixed total
    merged = merged[(merged["weapon_class"] != "weapon") | merged["reported_basis"].notna()]
    # official rows of the night whose model did not map: the official sums leave them out, so say so on every row
    day_rows = official[official["attack_date"].isin(set(reported["attack_date"])) & official["weapon_class"].isna()]
    if national_only:
        day_rows = day_rows[day_rows["is_national"].fillna(False).astype(bool)]
    unmapped = day_rows.groupby("attack_date")["model"].agg(lambda m: ", ".join(dict.fromkeys(m.astype(str))))
    merged["official_unmapped_models"] = merged["attack_date"].map(unmapped)
    for event in ("launched", "intercepted"):
        merged[f"{event}_difference"] = merged[f"reported_{event}"] - merged[f"official_{event}"]
    merged["official_sha256"] = sha256
    order = {c: i for i, c in enumerate(("drone", "cruise_missile", "ballistic_missile", "missile", "guided_bomb",
                                         "weapon"))}
    merged["_order"] = merged["weapon_class"].map(order).fillna(len(order))
    merged = merged.sort_values(["attack_date", "_order", "weapon_class"], kind="stable")
    return typed_frame(merged, COMPARISON_COLUMNS, _DTYPES)


def write_comparison(dataset: str | Path, official_csv: str | Path, out_csv: str | Path,
                     rule: str = "official_first", national_only: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare a dataset folder with an official CSV and write the comparison; returns it and the unmapped models."""
    from .corpus import load_dataset

    official = load_official(official_csv)
    comparison = compare_with_official(load_dataset(dataset), official, rule=rule, national_only=national_only)
    out = Path(out_csv)
    if out.parent != Path(""):
        out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    comparison.to_csv(tmp, index=False)
    tmp.replace(out)
    return comparison, unmapped_models(official)


__all__ = ["load_official", "compare_with_official", "official_attacks", "unmapped_models", "model_class",
           "normalise_model", "write_comparison", "file_sha256", "OfficialFormatError"]
