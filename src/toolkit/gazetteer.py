"""Loaders for the rule and vocabulary files under ``src/toolkit/data/``.

Every vocabulary (weapons, places, people, trigger words) is a CSV or YAML file
loaded once per process and validated strictly: unknown or missing columns,
empty required cells and duplicate keys raise :class:`DataFileError` naming the
file and line, so a bad edit fails loudly in the tests rather than silently
dropping a rule.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

DATA_PACKAGE = "toolkit.data"


class DataFileError(ValueError):
    """A rule or vocabulary file that does not validate; the message names file and line."""


def data_path(name: str):
    """Path (a Traversable) of a data file shipped in the package."""
    return resources.files(DATA_PACKAGE).joinpath(name)


@lru_cache(maxsize=None)
def load_csv(name: str, required: tuple[str, ...] = (), optional: tuple[str, ...] | None = None,
             key: tuple[str, ...] | None = None) -> tuple[dict[str, str], ...]:
    """Rows of a packaged CSV as dicts (cached; values stripped; '#'-lines are comments).

    ``required`` columns must exist and be non-empty on every row; when
    ``optional`` is given, any column outside ``required + optional`` is an
    error; ``key`` columns must be unique (case-insensitive).
    """
    text = data_path(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    numbered = [i for i, ln in enumerate(text.splitlines(), start=1) if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    columns = reader.fieldnames or []
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataFileError(f"{name}: missing column(s) {missing}")
    if optional is not None:
        unknown = [c for c in columns if c not in required and c not in optional]
        if unknown:
            raise DataFileError(f"{name}: unknown column(s) {unknown}")
    rows = []
    seen: dict[tuple[str, ...], int] = {}
    for index, row in enumerate(reader, start=1):
        line = numbered[index] if index < len(numbered) else index + 1
        if None in row:
            raise DataFileError(f"{name}:{line}: more fields than the header")
        clean = {k: (v or "").strip() for k, v in row.items()}
        for column in required:
            if not clean.get(column):
                raise DataFileError(f"{name}:{line}: empty {column!r}")
        if key:
            k = tuple(clean[c].lower() for c in key)
            if k in seen:
                raise DataFileError(f"{name}:{line}: duplicate {'/'.join(key)} {k} (first on line {seen[k]})")
            seen[k] = line
        rows.append(clean)
    return tuple(rows)


#: libyaml's safe loader when PyYAML was built with it (ten times faster; the same data), else PyYAML's.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """A packaged YAML file, parsed (cached). Raises DataFileError with the line on a syntax error."""
    try:
        return yaml.load(data_path(name).read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise DataFileError(f"{name}{where}: {exc}") from exc


def split_aliases(cell: str) -> list[str]:
    """Aliases from a ``|``-separated cell, stripped, empty ones dropped."""
    return [a.strip() for a in cell.split("|") if a.strip()]
