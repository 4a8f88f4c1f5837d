"""An article's text with every extracted fact highlighted in place, as escaped HTML.

Each fact is marked on the words it was read from: the number for a count, the
place or person named, the target words; when those words cannot be found in
the evidence sentence the whole sentence is marked. The colour says the kind
of fact and hovering shows the fact itself (the ``title`` attribute). Every
piece of article text and every fact value is HTML-escaped, so a title or body
holding ``<script>`` shows as text and never runs.

>>> from toolkit.ingest import article_from_text
>>> html = highlight_html("Drones hit Lviv.", {"places": [{"place_name": "Lviv", "start_char": 0,
...                                                      "end_char": 16, "evidence": "Drones hit Lviv."}]})
>>> 'title="places: place_name=Lviv"' in html
True
"""
from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: Colour per fact table (light enough to read black text on).
FACT_COLOURS: dict[str, str] = {
    "strike_counts": "#fdd49e",
    "places": "#c7e9c0",
    "infrastructure": "#d9d9d9",
    "casualties": "#fcbba1",
    "outages": "#c6dbef",
    "meetings": "#dadaeb",
    "participants": "#fde0ef",
    "plans": "#ffffb2",
    "people": "#e5f5e0",
    "positions": "#f2f0f7",
}

#: Columns that say where a fact is or identify it, not what it says (left out of the hover text).
_HIDDEN = {"article_id", "fact_id", "meeting_id", "evidence", "start_char", "end_char", "is_headline",
           "latitude", "longitude", "country_code", "in_gazetteer"}

#: Fields whose value names the words a fact was read from, per table, tried in order.
_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "strike_counts": ("count",),
    "places": ("place_name", "place_canonical"),
    "infrastructure": ("target_text",),
    "casualties": ("count",),
    "outages": ("customers",),
    "meetings": ("place",),
    "participants": ("person_name",),
    "plans": ("points",),
    "people": ("person_name",),
}


@dataclass(frozen=True)
class Mark:
    """A highlighted span of the text: which fact table it belongs to and the hover text."""

    start: int
    end: int
    table: str
    label: str


def _is_null(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def fact_label(table: str, row: Mapping[str, Any]) -> str:
    """A short plain-text description of one fact row (``table: field=value; ...``)."""
    parts = [f"{k}={v}" for k, v in row.items() if k not in _HIDDEN and not _is_null(v) and v != ""]
    return f"{table}: " + "; ".join(parts)


def _number_pattern(value: int) -> re.Pattern[str]:
    digits = str(abs(int(value)))
    groups = []
    head = len(digits) % 3 or 3
    groups.append(digits[:head])
    groups += [digits[i:i + 3] for i in range(head, len(digits), 3)]
    sep = r"[,\s\u00a0\u202f.]?"
    return re.compile(r"(?<![\d.,])" + sep.join(groups) + r"(?![\d])")


def _key_span(table: str, row: Mapping[str, Any], evidence: str) -> tuple[int, int] | None:
    """Offsets, inside the evidence, of the words the fact names; None when not found."""
    for field in _KEY_FIELDS.get(table, ()):
        value = row.get(field)
        if _is_null(value) or value == "":
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            match = _number_pattern(int(value)).search(evidence)
            if match:
                return match.span()
            continue
        text = str(value)
        candidates = [text]
        if table in ("participants", "people") and " " in text:
            candidates.append(text.split()[-1])  # "Rubio" for "Marco Rubio"
        lowered = evidence.lower()
        for candidate in candidates:
            index = lowered.find(candidate.lower())
            if index >= 0:
                return index, index + len(candidate)
    return None


def _rows(rows: Any) -> Iterable[Mapping[str, Any]]:
    if hasattr(rows, "to_dict"):
        return rows.to_dict("records")
    return rows or []


def fact_marks(text: str, facts: Mapping[str, Any]) -> list[Mark]:
    """The spans to highlight for facts given per table (lists of row dicts or DataFrames)."""
    marks = []
    for table, rows in facts.items():
        if table not in FACT_COLOURS:
            continue
        for row in _rows(rows):
            start, end = row.get("start_char"), row.get("end_char")
            if _is_null(start) or _is_null(end):
                continue
            start, end = max(0, int(start)), min(len(text), int(end))
            if start >= end:
                continue
            span = _key_span(table, row, text[start:end])
            if span is not None:
                start, end = start + span[0], start + span[1]
            marks.append(Mark(start, end, table, fact_label(table, row)))
    return marks


def _render(text: str, marks: list[Mark]) -> str:
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out = []
    for left, right in zip(bounds, bounds[1:]):
        piece = html.escape(text[left:right], quote=True)
        covering = [m for m in marks if m.start <= left and right <= m.end]
        if not covering:
            out.append(piece)
            continue
        inner = min(covering, key=lambda m: (m.end - m.start, m.table))
        hover = html.escape("\n".join(dict.fromkeys(m.label for m in covering)), quote=True)
        out.append(f'<mark class="fact fact-{inner.table}" data-table="{inner.table}" '
                   f'style="background:{FACT_COLOURS[inner.table]};padding:0 1px" title="{hover}">{piece}</mark>')
    return "".join(out)


def legend_html(tables: Iterable[str] | None = None) -> str:
    """A line of coloured swatches naming each fact type (all types, or the ones given)."""
    names = [t for t in (tables or FACT_COLOURS) if t in FACT_COLOURS]
    return " ".join(f'<mark style="background:{FACT_COLOURS[t]};padding:0 4px">{html.escape(t)}</mark>'
                    for t in names)


def highlight_html(text: str, facts: Mapping[str, Any], title: str | None = None,
                   meta: Mapping[str, Any] | None = None) -> str:
    """The article as an HTML fragment with every fact marked in place (all text escaped).

    ``facts`` maps table names to rows (dicts or a DataFrame) carrying
    ``start_char``/``end_char`` offsets into ``text``.
    """
    marks = fact_marks(text, facts)
    used = sorted({m.table for m in marks}, key=list(FACT_COLOURS).index)
    head = f"<h3>{html.escape(title)}</h3>" if title else ""
    if meta:
        details = " · ".join(f"{html.escape(str(k))}: {html.escape(str(v))}" for k, v in meta.items()
                             if not _is_null(v) and v != "")
        head += f'<div style="color:#555;font-size:90%">{details}</div>'
    summary = (f"<div>{len(marks)} facts highlighted (hover for details): {legend_html(used)}</div>" if marks
               else "<div><em>No facts found in this text yet.</em></div>")
    body = _render(text, marks)
    return (f'<div class="toolkit-article">{head}{summary}'
            f'<div style="white-space:pre-wrap;line-height:1.6;max-width:60em">{body}</div></div>')


def highlight_extraction(extraction: Any) -> str:
    """:func:`highlight_html` for a :class:`toolkit.records.Extraction` (text, title and metadata)."""
    article = extraction.article
    meta = {"id": article.article_id, "published": article.published, "outlet": article.outlet}
    return highlight_html(article.text, extraction.tables, title=article.title, meta=meta)
