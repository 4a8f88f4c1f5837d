"""One field dictionary, many tables: every column described once, every table listed.

Each column has a pandas dtype and a meaning; each table lists its columns.
:func:`empty_frame` and :func:`conform` build frames from it, tests check every
table against it, and :func:`markdown` renders the README's schema section.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported where a frame is built: the extractors read the table lists
    import pandas as pd  # (STRIKE_TABLES, DIPLOMACY_TABLES) and must not pay for importing pandas


@dataclass(frozen=True)
class Field:
    """A column: pandas dtype and meaning (with unit or allowed values)."""

    dtype: str
    meaning: str


FIELDS: dict[str, Field] = {
    # identity and evidence
    "article_id": Field("string", "Stable id of the article (file name stem or collection row id)."),
    "fact_id": Field("string", "Id of the fact, unique within its table: `<article_id>:<table>:<n>`."),
    "evidence": Field("string", "The sentence the fact was read from (text[start_char:end_char])."),
    "start_char": Field("Int64", "Start offset of the evidence sentence in the article text."),
    "end_char": Field("Int64", "End offset (exclusive) of the evidence sentence in the article text."),
    "is_headline": Field("boolean", "True when the fact was read from the headline or a photo caption."),
    # articles
    "title": Field("string", "Headline, from metadata or the first line."),
    "published_date": Field("string", "ISO date (YYYY-MM-DD) the article was published; null when unknown."),
    "url": Field("string", "URL of the article, when known."),
    "outlet": Field("string", "Publishing outlet or site name, when known."),
    "source_path": Field("string", "File the article was read from."),
    "source_row": Field("Int64", "Line or row inside a collection file; null for one-article files."),
    "content_hash": Field("string", "Hash of the article's text and metadata (incremental reruns)."),
    "n_chars": Field("Int64", "Length of the article text in characters."),
    "text": Field("string", "Article text as read (headline first, then the body)."),
    # strike counts
    "scope": Field("string", "`attack` (one attack/night/day) or `cumulative` (a longer period)."),
    "attacker": Field("string", "Who fired the weapons: `russia` or `ukraine`."),
    "event": Field("string", "`launched`, `intercepted`, `hit` or `lost`."),
    "weapon_class": Field("string", "`drone`, `cruise_missile`, `ballistic_missile`, `guided_bomb`, "
                                    "`missile` (class not given or mixed) or `weapon` (drones and missiles mixed)."),
    "weapon_model": Field("string", "Named model(s) when the text gives them (`Shahed`, `Kh-101`...); null otherwise."),
    "count": Field("Int64", "The number stated. Null is unknown, never zero."),
    "qualifier": Field("string", "`exact`, `at_least`, `about` or `up_to`."),
    "source": Field("string", "Who the text attributes the figure to (\"Air Force\", \"Russian Defence Ministry\")."),
    # places
    "place_name": Field("string", "The place as written in the text."),
    "place_canonical": Field("string", "Canonical English name of the place."),
    "place_kind": Field("string", "`city`, `town`, `oblast`, `region`, `country` or `venue`."),
    "country_code": Field("string", "ISO 3166-1 alpha-2 country of the place (`UA`, `RU`...)."),
    "oblast_code": Field("string", "ISO 3166-2:UA code of the Ukrainian unit (`UA-30` Kyiv city...); null elsewhere."),
    "oblast_name": Field("string", "English name of the oblast (or city with special status)."),
    "latitude": Field("Float64", "Latitude of the place (WGS84, degrees), at the gazetteer's precision."),
    "longitude": Field("Float64", "Longitude of the place (WGS84, degrees), at the gazetteer's precision."),
    "place_role": Field("string", "`struck` (attacked, hit, targeted, downed over), `launch_site`, "
                                  "`outage_only` or `mentioned`."),
    # infrastructure
    "infrastructure_category": Field("string", "`energy`, `residential`, `port`, `rail`, `industrial`, "
                                               "`civilian_other`, `military`, `water` or `transport_other`."),
    "target_text": Field("string", "The words naming the target (\"power plant\", \"apartment block\")."),
    # casualties
    "casualty_kind": Field("string", "`killed` or `injured`."),
    "children_count": Field("Int64", "How many of them were children, when stated."),
    "besides_earlier": Field("boolean", "True when the figure counts victims besides those of an earlier "
                                        "figure (\"two more people were hurt\"): the roll-up adds it."),
    # outages
    "service": Field("string", "`power`, `heat`, `water` or `gas`."),
    "customers": Field("Int64", "Customers, households, consumers or people left without the service."),
    # diplomacy
    "meeting_id": Field("string", "Id of the meeting within the article: `<article_id>:m<n>`."),
    "place": Field("string", "City of the meeting (Kremlin -> Moscow), else the region or country given."),
    "meeting_status": Field("string", "`held`, `ongoing` or `planned`."),
    "meeting_date": Field("string", "ISO date of the meeting resolved against the article date; null if unknown."),
    "day_count": Field("Int64", "Which day of talks (\"a third straight day\" -> 3), when stated."),
    "person_name": Field("string", "Canonical full name of the person."),
    "affiliation": Field("string", "`US`, `Ukraine`, `Russia`, `EU`, `NATO`, or another country's name."),
    "role": Field("string", "Role or title as the text or gazetteer gives it (\"special envoy\")."),
    "in_gazetteer": Field("boolean", "True when the person was matched in the people gazetteer."),
    "points": Field("Int64", "Number of points of the plan (28-point plan -> 28)."),
    "plan_version": Field("string", "`initial`, `revised`, `counter` or null when not stated."),
    "proposer": Field("string", "Who proposed the plan, when stated (`US`, `Ukraine`, a person...)."),
    "topic": Field("string", "Position or sticking point (`territory`, `nato_membership`, `army_size`, "
                             "`security_guarantees`, `sanctions`, `frozen_assets`...)."),
    # problems
    "reason": Field("string", "Why the file or row was skipped, or what was odd about it."),
    "severity": Field("string", "`skipped` (nothing read) or `warning` (read, with a caveat)."),
}

_EVIDENCE = ["evidence", "start_char", "end_char"]

TABLES: dict[str, list[str]] = {
    "articles": ["article_id", "title", "published_date", "url", "outlet", "source_path", "source_row",
                 "content_hash", "n_chars"],
    "strike_counts": ["article_id", "fact_id", "scope", "attacker", "event", "weapon_class", "weapon_model",
                      "count", "qualifier", "source", "is_headline", *_EVIDENCE],
    "places": ["article_id", "fact_id", "place_name", "place_canonical", "place_kind", "country_code",
               "oblast_code", "oblast_name", "latitude", "longitude", "place_role", *_EVIDENCE],
    "infrastructure": ["article_id", "fact_id", "infrastructure_category", "target_text", "oblast_code",
                       *_EVIDENCE],
    "casualties": ["article_id", "fact_id", "casualty_kind", "count", "qualifier", "children_count",
                   "besides_earlier", "oblast_code", *_EVIDENCE],
    "outages": ["article_id", "fact_id", "service", "customers", "qualifier", "oblast_code", *_EVIDENCE],
    "meetings": ["article_id", "meeting_id", "place", "meeting_status", "meeting_date", "day_count",
                 *_EVIDENCE],
    "participants": ["article_id", "meeting_id", "place", "person_name", "affiliation", *_EVIDENCE],
    "plans": ["article_id", "fact_id", "points", "plan_version", "proposer", *_EVIDENCE],
    "people": ["article_id", "person_name", "affiliation", "role", "in_gazetteer", *_EVIDENCE],
    "positions": ["article_id", "fact_id", "topic", "meeting_id", "points", *_EVIDENCE],
    "problems": ["source_path", "source_row", "reason", "severity"],
}

#: The fact tables the strike extractor fills (:mod:`toolkit.strikes`), and the diplomacy one's.
STRIKE_TABLES: tuple[str, ...] = ("strike_counts", "places", "infrastructure", "casualties", "outages")
DIPLOMACY_TABLES: tuple[str, ...] = ("meetings", "participants", "plans", "people", "positions")
#: What a strike analysis reads (notebooks 02 and 05), and a diplomacy one (notebook 03): load only
#: these from a big dataset.
STRIKE_ANALYSIS: tuple[str, ...] = ("articles", *STRIKE_TABLES)
DIPLOMACY_ANALYSIS: tuple[str, ...] = ("articles", *DIPLOMACY_TABLES)

#: Short description of each table, for the README.
TABLE_DOCS: dict[str, str] = {
    "articles": "One row per article read.",
    "strike_counts": "One row per number stated about drones, missiles or guided bombs.",
    "places": "One row per place mention the extractor normalised (Ukrainian and Russian units).",
    "infrastructure": "One row per target category the article says was hit or targeted.",
    "casualties": "One row per casualty figure (killed / injured).",
    "outages": "One row per figure of customers left without a service.",
    "meetings": "One row per meeting or round of talks (held, ongoing or planned).",
    "participants": "One row per person taking part in a meeting.",
    "plans": "One row per peace plan or proposal with a number of points.",
    "people": "One row per official or public figure named in an article.",
    "positions": "One row per position or sticking point named in the text, with the meeting (`meeting_id`) "
                 "or plan (`points`) it is about when the text links them.",
    "problems": "One row per file or row that was skipped, or read with a warning.",
}


def empty_frame(table: str) -> pd.DataFrame:
    """An empty DataFrame with the table's columns and dtypes."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=FIELDS[c].dtype) for c in TABLES[table]})


def conform(table: str, rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Rows (dicts or a frame) as a frame with exactly the table's columns, in order, typed.

    Missing columns are filled with nulls; unknown columns raise ``KeyError`` so
    that a typo in an extractor cannot silently drop data.
    """
    import pandas as pd

    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if frame.empty and not len(frame.columns):
        return empty_frame(table)
    unknown = set(frame.columns) - set(TABLES[table])
    if unknown:
        raise KeyError(f"table {table!r} has no column(s) {sorted(unknown)}; add them to toolkit.schema")
    missing = [column for column in TABLES[table] if column not in frame.columns]
    if missing:
        frame = frame.assign(**dict.fromkeys(missing))  # a new frame: ``rows`` is not changed
    # selecting a list of columns copies them, so the cast may keep (not copy again) the columns
    # that already have their type: the result never shares data with ``rows``
    frame = frame[TABLES[table]]
    return frame.astype({c: FIELDS[c].dtype for c in TABLES[table]}, copy=False)


def check(table: str, frame: pd.DataFrame) -> None:
    """Raise ``ValueError`` unless ``frame`` has the table's columns, in order, with their dtypes."""
    import pandas as pd

    expected = TABLES[table]
    if list(frame.columns) != expected:
        raise ValueError(f"{table}: columns {list(frame.columns)} != schema {expected}")
    for column in expected:
        want = pd.Series(dtype=FIELDS[column].dtype).dtype
        if frame[column].dtype != want:
            raise ValueError(f"{table}.{column}: dtype {frame[column].dtype} != schema {want}")


def markdown() -> str:
    """The schema of every table as Markdown (rendered into the README)."""
    lines = []
    for table, columns in TABLES.items():
        lines += [f"### `{table}`", "", TABLE_DOCS[table], "", "| column | type | meaning |",
                  "| --- | --- | --- |"]
        lines += [f"| `{c}` | {FIELDS[c].dtype} | {FIELDS[c].meaning} |" for c in columns]
        lines.append("")
    return "\n".join(lines)


def render_readme(path: str) -> bool:
    """Rewrite the schema block of a README (between the schema markers); True if it changed."""
    from pathlib import Path

    readme = Path(path)
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split("<!-- schema:start -->", 1)
    _, tail = rest.split("<!-- schema:end -->", 1)
    new = f"{head}<!-- schema:start -->\n{markdown()}\n<!-- schema:end -->{tail}"
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text
