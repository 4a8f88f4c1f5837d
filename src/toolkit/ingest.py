"""Files in, article records out: text, Markdown, HTML and JSON/JSONL/CSV collections.

IO lives here (and in :mod:`toolkit.corpus`); everything downstream takes
:class:`~toolkit.records.Article` records. A file that cannot be read gives a
:class:`~toolkit.records.Problem` naming the file (and row) and why, is logged,
and the batch goes on.

Article text convention: ``Article.text`` is the article as read, headline
first (when the source has one) then the body; evidence spans of every fact
index into it.
"""
from __future__ import annotations

import codecs
import collections
import csv
import glob
import hashlib
import io
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import yaml

from .records import Article, Problem

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv"}
COLLECTION_SUFFIXES = {".json", ".jsonl", ".ndjson", ".csv"}
#: Default cap on one article's text, in bytes (UTF-8). Configurable per call.
MAX_ARTICLE_BYTES = 5_000_000
#: Default cap on one input file, in bytes; collections may be larger than one article. JSON Lines
#: collections and big UTF-8 CSV ones are read a record at a time (see :func:`read_file`) and have no cap.
MAX_FILE_BYTES = 500_000_000
#: Collections read line by line, one record per line, whatever their size.
JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}

_FIELD_ALIASES = {
    "text": ("text", "body", "content", "article", "article_text"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_date", "publication_date", "pubdate", "seendate_utc", "seendate"),
    "url": ("url", "link", "source_url"),
    "outlet": ("outlet", "source", "site", "site_name", "publisher"),
    "article_id": ("article_id", "id", "uid"),
}

_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\x1f\x8b": "gzip archive",
    b"PK\x03\x04": "zip archive (or Office document)",
    b"%PDF": "PDF document",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x7fELF": "executable",
    b"BZh": "bzip2 archive",
    b"\xfd7zXZ": "xz archive",
}

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ", "\u2003": " ",
    "\u2010": "-", "\u2011": "-",
    "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\u00ad": None,
})


class IngestError(ValueError):
    """A file or row that cannot be turned into an article; the message names it."""


# --------------------------------------------------------------------------- text helpers

def normalise_text(text: str) -> str:
    """Fold smart quotes, odd spaces and line endings so rules see one form.

    >>> normalise_text("Kyiv\u2019s\u00a0air defence\r\n")
    "Kyiv's air defence\\n"
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_TRANSLATE)


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")  # below space, except \t \n \v \f \r
_LETTERS = re.compile(r"[^\W\d_]")
_CYRILLIC_LETTERS = re.compile(r"[\u0400-\u04ff]")


def decode_bytes(raw: bytes, source: str = "<bytes>") -> tuple[str, str | None]:
    """Decode a file's bytes; return (text, warning or None).

    Handles UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when
    the NUL pattern shows it), and falls back to cp1252 for legacy single-byte
    files. Raises :class:`IngestError` for empty and binary content.
    """
    if not raw.strip():
        raise IngestError("empty file" if not raw else "file holds only whitespace")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc), None
            except UnicodeDecodeError as exc:
                raise IngestError(f"broken {enc} text: {exc.reason} at byte {exc.start}") from exc
    _refuse_magic(raw)
    sample = raw[:4096]
    nul = sample.count(0)
    if nul:
        even = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
        odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
        half = len(sample) / 2
        if odd > 0.3 * half and even < 0.05 * half:
            enc = "utf-16-le"
        elif even > 0.3 * half and odd < 0.05 * half:
            enc = "utf-16-be"
        else:
            raise IngestError("binary file (contains NUL bytes), not text")
        try:
            return raw.decode(enc), f"no byte-order mark; decoded as {enc}"
        except UnicodeDecodeError as exc:
            raise IngestError(f"broken {enc} text at byte {exc.start}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _legacy_decode(raw)
        warning = f"invalid UTF-8 at byte {exc.start}; decoded as cp1252"
    else:
        warning = None
    _refuse_control_chars(text)
    return text, warning


def _refuse_magic(raw: bytes) -> None:
    """Raise :class:`IngestError` when ``raw`` opens like a known binary format."""
    for magic, kind in _MAGIC.items():
        if raw.startswith(magic):
            raise IngestError(f"binary file ({kind}), not text")


def _refuse_control_chars(text: str) -> None:
    """Raise :class:`IngestError` when the first 4,096 characters are mostly control characters."""
    controls = len(_CONTROL_CHARS.findall(text, 0, 4096))  # a regex: a per-character loop costs ~1 ms a file
    if controls > 0.1 * min(len(text), 4096):
        raise IngestError("binary file (mostly control characters), not text")


def _refuse_binary_head(head: bytes) -> None:
    """The checks of :func:`decode_bytes` on the first bytes of a file read in parts: binary
    magic, mostly control characters."""
    _refuse_magic(head)
    _refuse_control_chars(head.decode("utf-8", "replace"))


def _legacy_decode(raw: bytes) -> str:
    """Bytes that are not UTF-8, read as cp1252 (latin-1 for the five bytes cp1252 leaves undefined)."""
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def safe_article_id(raw: str) -> str:
    """A file-name-safe, stable id: no path separators, no leading dots, <= 120 chars.

    >>> safe_article_id("../../etc/passwd")
    'etc-passwd'
    """
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", str(raw)).strip("-.")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    if not cleaned:
        cleaned = "article-" + hashlib.sha1(str(raw).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    if len(cleaned) > 120:
        cleaned = cleaned[:100] + "-" + hashlib.sha1(cleaned.encode()).hexdigest()[:12]
    return cleaned


_URL_DATE = re.compile(r"(?<!\d)(20\d\d|19\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?!\d)")
_URL_DATE_COMPACT = re.compile(r"(?<!\d)(20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")


def date_from_url(url: str | None) -> str | None:
    """An ISO date found in a URL path (``/2025/12/06/`` or ``2025-12-06``), else None."""
    if not url:
        return None
    for pattern in (_URL_DATE, _URL_DATE_COMPACT):
        m = pattern.search(url)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            except ValueError:
                continue
    return None


def parse_date(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from a metadata value, or None when it is not a date.

    Accepts dates, datetimes, ISO strings and common written forms ("6 December 2025").
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    if not re.search(r"\d", text) or len(text) > 60:
        return None
    import dateparser  # slow import: only when a non-ISO date needs it

    parsed = dateparser.parse(text, languages=["en", "uk", "ru"],
                              settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"})
    return parsed.date().isoformat() if parsed else None


_PUBLISHED_LINE = re.compile(
    r"^\s*(?:published|date|posted|updated)\s*[:\-]\s*(?P<date>[^\n]{6,40})$", re.IGNORECASE | re.MULTILINE)


def date_from_text(text: str) -> str | None:
    """A 'Published: 2025-02-18' style date line near the top of a text, else None."""
    head = text[:600]
    m = _PUBLISHED_LINE.search(head)
    if m:
        return parse_date(m.group("date"))
    return None


def _content_hash(*parts: str | None) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update((part or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


def _with_title(title: str | None, body: str) -> str:
    body = body.strip("\n")
    if title and not body.lstrip().startswith(title.strip()[:60]):
        return f"{title.strip()}\n\n{body}"
    return body


def _finish(article: Article, max_bytes: int) -> Article:
    article.text = normalise_text(article.text)
    if article.title:
        article.title = normalise_text(article.title).strip()
    size = len(article.text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise IngestError(f"article text is {size:,} bytes, over the limit of {max_bytes:,} "
                          "(raise it with --max-bytes)")
    if not article.text.strip():
        raise IngestError("no article text")
    article.content_hash = _content_hash(article.title, article.published, article.url,
                                         article.outlet, article.text)
    return article


# --------------------------------------------------------------------------- single files

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~10x faster
    """Safe YAML that keeps dates as strings: ``published: 2025-13-45`` is then a
    warning from :func:`parse_date`, not a crash inside the YAML timestamp parser."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_text_file(text: str, path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> tuple[Article, list[str]]:
    """A .txt/.md article: optional YAML front matter, else title = first line."""
    warnings: list[str] = []
    meta: dict[str, Any] = {}
    body = text.lstrip("\ufeff")
    m = _FRONT_MATTER.match(body)
    if m:
        try:
            loaded = yaml.load(m.group("yaml"), Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" (line {mark.line + 2})" if mark is not None else ""
            warnings.append(f"front matter is not valid YAML{line}; kept as text")
            loaded = None
        if isinstance(loaded, dict):
            meta = {str(k).lower(): v for k, v in loaded.items()}
            body = body[m.end():]
    title = _first(meta, "title")
    if title is not None:
        title = str(title)
    else:
        first_line = next((ln.strip() for ln in body.splitlines() if ln.strip()), "")
        title = first_line.lstrip("#").strip()[:300] or None
    raw_date = _first(meta, "published")
    published = parse_date(raw_date)
    if raw_date not in (None, "") and published is None:
        warnings.append(f"front matter date {raw_date!r} is not a date; ignored")
    url = _first(meta, "url")
    published = published or date_from_text(body) or date_from_url(url)
    article = Article(
        article_id=safe_article_id(str(_first(meta, "article_id") or path.stem)),
        text=_with_title(title if m else None, body),
        title=title,
        published=published,
        url=str(url) if url else None,
        outlet=str(_first(meta, "outlet")) if _first(meta, "outlet") else None,
        source_path=str(path),
    )
    return _finish(article, max_bytes), warnings


def parse_html(html: str, path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> tuple[Article, list[str]]:
    """An HTML page: main text by trafilatura, metadata from the page (no network access)."""
    import trafilatura  # heavy import, only for HTML
    from htmldate import find_date

    warnings: list[str] = []
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    body = ""
    title = url = outlet = None
    if doc is not None:
        body = (doc.text if hasattr(doc, "text") else doc.get("text")) or ""
        get = (lambda k: getattr(doc, k, None)) if hasattr(doc, "text") else doc.get
        title, url, outlet = get("title"), get("url"), get("sitename")
    depth = _nesting_depth(html) if not body.strip() else 0
    if depth > _LIBXML_MAX_DEPTH:
        # libxml2 drops everything below 256 levels unless asked for a "huge" tree (up to ~2,000 levels)
        if depth <= _LIBXML_HUGE_MAX_DEPTH:
            import lxml.html

            tree = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True, remove_comments=True))
            doc = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False,
                                              include_tables=False, favor_precision=True)
            body = (getattr(doc, "text", None) or "") if doc is not None else ""
        if not body.strip():
            raise IngestError(f"HTML page is nested {depth:,} elements deep; no article text could be read "
                              f"from it (the parser reads up to {_LIBXML_HUGE_MAX_DEPTH:,} levels)")
    if len(_WORDS.findall(body)) < _MIN_HTML_WORDS:
        raise IngestError("HTML page has no article text (only scripts, navigation or markup)")
    # original_date + no extensive search: only dates the page states in its metadata
    # or markup, never a guess from a footer's "Copyright 2025".
    try:
        published = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises on odd markup; a missing date is not fatal
        published = None
    published = published or date_from_url(url)
    article = Article(
        article_id=safe_article_id(path.stem),
        text=_with_title(title, body),
        title=title,
        published=published,
        url=url,
        outlet=outlet,
        source_path=str(path),
    )
    return _finish(article, max_bytes), warnings


_LIBXML_MAX_DEPTH = 255
_LIBXML_HUGE_MAX_DEPTH = 2_000
#: Fewer words than this in the extracted main text of a page is navigation, not an article.
_MIN_HTML_WORDS = 5
_WORDS = re.compile(r"\w+")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _nesting_depth(html: str) -> int:
    """Deepest element nesting of a page (a cheap tag count; used only when extraction found nothing)."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        if m.group(2).lower() in _VOID_TAGS or m.group(3):
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


# --------------------------------------------------------------------------- collections

def _first(record: dict[str, Any], field: str) -> Any:
    for key in _FIELD_ALIASES.get(field, (field,)):
        if key in record and record[key] not in (None, ""):
            return record[key]
    return None


def _record_to_article(record: dict[str, Any], path: Path, row: int, max_bytes: int) -> Article:
    if not isinstance(record, dict):
        raise IngestError(f"row is a {type(record).__name__}, not an object")
    lowered = {str(k).strip().lower(): v for k, v in record.items() if k is not None}
    text = _first(lowered, "text")
    if text is None or not str(text).strip():
        raise IngestError("no 'text' value")
    title = _first(lowered, "title")
    url = str(_first(lowered, "url") or "") or None  # a number or a list in a feed is text here too
    raw_id = _first(lowered, "article_id")
    article = Article(
        article_id=safe_article_id(str(raw_id) if raw_id is not None else f"{path.stem}-{row}"),
        text=_with_title(str(title) if title else None, str(text)),
        title=str(title) if title else None,
        published=parse_date(_first(lowered, "published")) or date_from_url(url),
        url=url,
        outlet=str(_first(lowered, "outlet")) if _first(lowered, "outlet") else None,
        source_path=str(path),
        source_row=row,
    )
    return _finish(article, max_bytes)


def _iter_collection(text: str, path: Path, max_bytes: int) -> Iterator[Article | Problem]:
    suffix = path.suffix.lower()
    if suffix in JSON_LINES_SUFFIXES:
        yield from _json_lines(enumerate(text.splitlines(), start=1), path, max_bytes)
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Problem(str(path), f"invalid JSON: {exc.msg}", exc.lineno)
            return
        if isinstance(data, dict):
            data = data.get("articles", data.get("items", [data] if "text" in data else None))
        if not isinstance(data, list):
            yield Problem(str(path), "JSON holds neither an article, a list of articles, nor {'articles': [...]}")
            return
        for index, record in enumerate(data, start=1):
            try:
                yield _record_to_article(record, path, index, max_bytes)
            except IngestError as exc:
                yield Problem(str(path), f"item {index}: {exc}", index)
    elif suffix == ".csv":
        yield from _iter_csv(text, path, max_bytes)


def _json_lines(lines: Iterable[tuple[int, str] | Problem], path: Path, max_bytes: int) -> Iterator[Article | Problem]:
    """The records of JSON Lines given as ``(line number, line)`` (problems met reading them pass through)."""
    for item in lines:
        if isinstance(item, Problem):
            yield item
            continue
        lineno, line = item
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            yield _record_to_article(record, path, lineno, max_bytes)
        except json.JSONDecodeError as exc:
            yield Problem(str(path), f"invalid JSON: {exc.msg} (column {exc.colno})", lineno)
        except IngestError as exc:
            yield Problem(str(path), str(exc), lineno)


def _streamable(head: bytes) -> bool:
    """Whether a JSON Lines file opening with ``head`` can be read line by line: UTF-8 (or legacy
    single-byte) text with "\n" line ends. Files in UTF-16 or UTF-32 (a byte-order mark or NUL
    bytes) and files whose lines end with a lone "\r" are read whole, as other collections are."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\0" not in head and (b"\r" not in head or b"\n" in head)


@dataclass
class LinesRead:
    """Where a line-by-line read of a JSON Lines or CSV file got to, filled in as it reads: the
    bytes read (``end``), the number of the last line, whether the warning about lines that are
    not UTF-8 was given (JSON Lines), whether the last line read ended with a line end, whether
    something read depends on where the file ends (CSV: a row that ran into the end, or one judged
    by the file's last line), and the SHA-256 of the bytes read. A later run reads only the lines
    appended since (:func:`resume_json_lines`, :func:`resume_csv`).

    A JSON array read an item at a time records it too, with the number of its ``items``: ``end``
    is then the byte right after its last item, ``line`` the line feeds before it, and nothing is
    recorded unless the array is closed there with only white space after it, and its last item
    is no number (digits added right after it would make it another), so that whatever bytes come
    after ``end`` later, they cannot change the items before (a later run reads only the items
    added after the last: :func:`resume_json_array`)."""

    end: int = 0
    line: int = 0
    warned: bool = False
    whole_lines: bool = True
    tied_to_end: bool = False
    digest: Any = field(default_factory=hashlib.sha256, repr=False)
    items: int | None = None

    def entry(self) -> dict[str, Any] | None:
        """What a source index keeps to go on from here; None when nothing was read line by line
        (the file was read whole), the last line has no line end (more may be added to it), or
        what was read depends on where the file ends."""
        if self.end == 0 or not self.whole_lines or self.tied_to_end:
            return None
        entry = {"end": self.end, "line": self.line, "warned": self.warned, "sha256": self.digest.hexdigest()}
        if self.items is not None:
            entry["items"] = self.items
        return entry


_LINES_NOT_UTF8 = "; that line and any other that is not UTF-8 decoded as cp1252"


def utf8_warning(problem: Problem) -> bool:
    """Whether ``problem`` is the one warning a line-by-line read of a JSON Lines file gives about
    its lines that are not UTF-8 (a read of a range of the file gives its own)."""
    return problem.severity == "warning" and problem.reason.endswith(_LINES_NOT_UTF8)


def _lines_of(handle: BinaryIO, path: Path, size: int, max_bytes: int, start: int = 0, end: int | None = None,
              first_line: int = 1, read: LinesRead | None = None) -> Iterator[tuple[int, str] | Problem]:
    """``(line number, text)`` of each line of a JSON Lines file (of its bytes ``start`` to ``end``,
    which open and close lines, the first numbered ``first_line``), read one line at a time, so
    that memory holds one line whatever the size of the file. Each line is decoded as UTF-8 on its
    own; one that is not is read as cp1252 (one warning per file or range, at the first; none when
    ``read`` says it was given before). A line longer than eight times ``max_bytes`` (at least
    1 MB) is skipped unread with a problem naming it. The checks :func:`decode_bytes` makes on a
    whole file are made on its first 4,096 bytes (by the range that opens the file). ``read``, if
    given, is kept up to date with each line (see :class:`LinesRead`)."""
    stop = size if end is None else end  # a file read whole is read to its end, as it grows too
    if start == 0:
        head = handle.read(4096)
        if not head.strip() and len(head) == size:
            raise IngestError("empty file" if not head else "file holds only whitespace")
        _refuse_binary_head(head)
    handle.seek(start)
    limit = max(8 * max_bytes, 1 << 20)
    lineno, offset = first_line - 1, start
    warned, blank = read is not None and read.warned, True
    while (end is None or offset < stop) and (line := handle.readline(
            limit + 1 if end is None else min(limit + 1, stop - offset))):
        lineno += 1
        begin, offset = offset, offset + len(line)
        if read is not None:
            read.digest.update(line)
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n") and (end is None or offset < stop):  # the rest, 1 MB at a time
                line = handle.readline(1 << 20 if end is None else min(1 << 20, stop - offset))
                offset += len(line)
                if read is not None:
                    read.digest.update(line)
            if read is not None:
                read.end, read.line, read.whole_lines = offset, lineno, line.endswith(b"\n")
            yield Problem(str(path), f"line is over {limit:,} bytes, the limit of one line "
                                     "(8 times --max-bytes, at least 1 MB); skipped", lineno)
            continue
        if read is not None:
            read.end, read.line, read.whole_lines = offset, lineno, line.endswith(b"\n")
        if begin == 0 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        line = line[:-2] if line.endswith(b"\r\n") else line[:-1] if line.endswith(b"\n") else line
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _legacy_decode(line)
            if not warned:
                warned = True
                if read is not None:
                    read.warned = True
                yield Problem(str(path), f"invalid UTF-8 at byte {begin + exc.start}{_LINES_NOT_UTF8}", lineno,
                              severity="warning")
        blank = blank and not text.strip()
        yield lineno, text
    if blank and start == 0 and end is None:
        raise IngestError("file holds only whitespace")


#: :func:`json_lines_pieces` reads a file this many bytes at a time to find its line ends
_SCAN_BLOCK = 1 << 24


def json_lines_pieces(path: str | Path, piece_bytes: int, read: LinesRead | None = None) -> list[tuple[int, int, int]]:
    """``(start, end, first line)`` of consecutive byte ranges of a JSON Lines file of about
    ``piece_bytes`` each, cut right after a line end, for :func:`read_json_lines` to read apart
    (on other machines). One range, the whole file, when it is no larger, must be read whole (see
    :func:`read_file`) or is refused whole (binary). Finding the cuts and the line numbers reads the
    file once (at the speed of the disk: only its line ends are counted). ``read``, if given, is
    filled as a line-by-line read of the ranges would fill it (:class:`LinesRead`, its hash too;
    ``warned`` is left to the reader), so that a later run can read only the lines appended since
    (:func:`appended_json_lines`); it stays empty for a file of one range."""
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(4096)
        try:  # a file refused as a whole is refused by its one range
            _refuse_binary_head(head)
        except IngestError:
            return [(0, size, 1)]
        if size <= piece_bytes or not _streamable(head):
            return [(0, size, 1)]
        return _cut_lines(handle, 0, 1, piece_bytes, read if read is not None else LinesRead())


def _cut_lines(handle: BinaryIO, start: int, first_line: int, piece_bytes: int, read: LinesRead
               ) -> list[tuple[int, int, int]]:
    """The ranges of :func:`json_lines_pieces` from byte ``start`` (a line's start, numbered
    ``first_line``) to the end of the file open in ``handle``; ``read`` goes on hashing and counting
    the bytes from there (none: an empty list)."""
    handle.seek(start)
    pieces: list[tuple[int, int, int]] = []
    pos, newlines, lines = start, 0, 0  # newlines: between start and pos; lines: all of them
    last = b""
    while block := handle.read(_SCAN_BLOCK):
        read.digest.update(block)
        lines += block.count(b"\n")
        at = 0
        while start + piece_bytes < pos + len(block):
            cut = block.find(b"\n", max(at, start + piece_bytes - pos))
            if cut < 0:
                break  # the line crossing the mark ends in a later block
            newlines += block.count(b"\n", at, cut + 1)
            pieces.append((start, pos + cut + 1, first_line))
            start, first_line, newlines, at = pos + cut + 1, first_line + newlines, 0, cut + 1
        newlines += block.count(b"\n", at)
        pos += len(block)
        last = block[-1:]
    if start < pos:
        pieces.append((start, pos, first_line))
    if last:
        read.end, read.line, read.whole_lines = pos, read.line + lines + (last != b"\n"), last == b"\n"
    return pieces


def appended_json_lines(path: str | Path, resume: dict[str, Any], piece_bytes: int
                        ) -> tuple[list[tuple[int, int, int]], LinesRead] | None:
    """The ranges (as :func:`json_lines_pieces` cuts them) of the lines added to a JSON Lines file
    since a read that stopped as ``resume`` says (a :meth:`LinesRead.entry`), with the
    :class:`LinesRead` of the whole file up to its end now; None when the file cannot be resumed
    (as :func:`resume_json_lines` decides: its first bytes changed, or it is not read line by line).
    Reads the file once, at the speed of the disk."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            _refuse_binary_head(head)
            if not _streamable(head) or (read := _checked_prefix(handle, resume)) is None:
                return None
            return _cut_lines(handle, read.end, read.line + 1, piece_bytes, read), read
    except (OSError, IngestError):
        return None


def read_json_lines(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES, start: int = 0, end: int | None = None,
                    first_line: int = 1, read: LinesRead | None = None) -> Iterator[Article | Problem]:
    """The items (articles or problems, as :func:`read_file` gives them) of the lines of a JSON
    Lines file from byte ``start`` to ``end`` (a range of :func:`json_lines_pieces`, whose first line
    is numbered ``first_line``); the whole file by default. Never raises for bad content. ``read``,
    if given, records how far the reading got (:class:`LinesRead`)."""
    path = Path(path)

    def items() -> Iterator[Article | Problem]:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            yield from _json_lines(_lines_of(handle, path, size, max_bytes, start, end, first_line, read),
                                   path, max_bytes)

    return _guarded(path, items())


#: :func:`_checked_prefix` hashes the bytes read before this many at a time
_HASH_BLOCK = 1 << 20


def _checked_prefix(handle: BinaryIO, resume: dict[str, Any]) -> LinesRead | None:
    """A :class:`LinesRead` that goes on from ``resume`` (a :meth:`LinesRead.entry`) when the first
    ``resume["end"]`` bytes of the file open in ``handle`` are the bytes read then (their SHA-256),
    else None; reads them at the speed of the disk."""
    read = LinesRead(warned=bool(resume["warned"]))
    handle.seek(0)
    left = int(resume["end"])
    while left > 0 and (block := handle.read(min(left, _HASH_BLOCK))):
        read.digest.update(block)
        left -= len(block)
    if left or read.digest.hexdigest() != resume["sha256"]:
        return None
    read.end, read.line = int(resume["end"]), int(resume["line"])
    return read


def resume_json_lines(path: str | Path, resume: dict[str, Any], max_bytes: int = MAX_ARTICLE_BYTES,
                      ) -> tuple[Iterator[Article | Problem], LinesRead] | None:
    """The items of the lines added to a JSON Lines file since a read that stopped as ``resume``
    says (a :meth:`LinesRead.entry`), with the :class:`LinesRead` that goes on recording; None
    when the file's first ``resume["end"]`` bytes are not the bytes read then (their SHA-256
    differs: the file was edited, not only appended to), when its opening bytes would now make
    a whole read refuse it or read it whole, or when it cannot be opened. The items equal those
    a whole read gives after the items of those first bytes (line numbers, ids, the one warning
    about lines that are not UTF-8); checking the bytes reads them at the speed of the disk."""
    path = Path(path)
    try:
        handle = open(path, "rb")
    except OSError:
        return None
    try:
        head = handle.read(4096)
        _refuse_binary_head(head)
        if not _streamable(head) or (read := _checked_prefix(handle, resume)) is None:
            raise IngestError("not read line by line, or changed")
    except (OSError, IngestError):
        handle.close()
        return None

    def items() -> Iterator[Article | Problem]:
        with handle:  # the bytes checked are the bytes the lines follow
            size = os.fstat(handle.fileno()).st_size
            yield from _json_lines(_lines_of(handle, path, size, max_bytes, read.end, None, read.line + 1, read),
                                   path, max_bytes)

    return _guarded(path, items()), read


def resume_csv(path: str | Path, resume: dict[str, Any], max_bytes: int = MAX_ARTICLE_BYTES,
               ) -> tuple[Iterator[Article | Problem], LinesRead] | None:
    """The rows added to a big UTF-8 CSV collection since a read that stopped as ``resume`` says
    (at the end of a row), as :func:`resume_json_lines` gives the lines of a JSON Lines file; None
    when the file is no longer read as a stream (see :func:`read_file`) or its first bytes changed.
    The rows after are read with the file's header, line numbers and last line, so they equal
    what a whole reading gives after the rows of those first bytes."""
    found = _csv_resume_point(Path(path), resume)
    if found is None:
        return None
    read, last_line = found
    return read_csv_range(path, max_bytes, read.end, None, read.line + 1, last_line, read), read


def _csv_resume_point(path: Path, resume: dict[str, Any]) -> tuple[LinesRead, int] | None:
    """Where a read of a big UTF-8 CSV collection that stopped as ``resume`` says goes on (the
    :class:`LinesRead` of its first bytes, checked), and the file's last line now; None when it
    cannot (see :func:`resume_csv`)."""
    try:
        if path.stat().st_size <= CSV_STREAM_BYTES or (last_line := _utf8_last_line(path)) is None:
            return None
        with open(path, "rb") as handle:
            read = _checked_prefix(handle, resume)
    except OSError:
        return None
    return None if read is None else (read, last_line)


def appended_csv(path: str | Path, resume: dict[str, Any], max_bytes: int = MAX_ARTICLE_BYTES
                 ) -> tuple[list[tuple[int, int, int, int]], LinesRead] | None:
    """The range (as :func:`csv_pieces` gives ranges; none when nothing was added) of the rows added
    to a big UTF-8 CSV collection since a read that stopped as ``resume`` says, with the
    :class:`LinesRead` of the file up to the range's end; None when the file cannot be resumed
    (see :func:`resume_csv`). The rows are read here once, for the :class:`LinesRead` (where a
    row ends, whether one depends on the file's end): reading is cheap beside extracting them."""
    path = Path(path)
    found = _csv_resume_point(path, resume)
    if found is None:
        return None
    read, last_line = found
    start, first_line = read.end, read.line + 1
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size <= start:
        return [], read
    for _ in read_csv_range(path, max_bytes, start, size, first_line, last_line, read):
        pass
    return [(start, size, first_line, last_line)], read


def _guarded(path: Path, items: Iterator[Article | Problem]) -> Iterator[Article | Problem]:
    """``items`` of a file read in parts, an error met on the way ending them with a problem
    naming the file, as :func:`read_file` reports a file read whole: a failure on hostile input
    must not stop the batch."""
    try:
        yield from items
    except IngestError as exc:
        yield Problem(str(path), str(exc))
    except OSError as exc:
        yield Problem(str(path), f"cannot read: {exc.strerror or exc}")
    except Exception as exc:
        yield Problem(str(path), f"could not parse: {type(exc).__name__}: {exc}")


_DELIMITERS = ",;\t|"


def _header_delimiter(sample: str) -> str | None:
    """The delimiter that splits the header line into a ``text`` column (the header is
    more reliable than sniffing rows whose prose is full of commas), else None."""
    header = sample.split("\n", 1)[0].strip().lower()
    found = []
    for delimiter in _DELIMITERS:
        columns = [c.strip().strip('"') for c in header.split(delimiter)]
        if any(c in _FIELD_ALIASES["text"] for c in columns):
            found.append((len(columns), delimiter))
    if not found:
        return None
    columns, delimiter = max(found)
    if columns == 1:  # one column: split on the delimiter the rows use least
        return min(_DELIMITERS, key=sample.count)
    return delimiter


def _iter_csv(text: str, path: Path, max_bytes: int) -> Iterator[Article | Problem]:
    """The rows of a CSV collection decoded whole."""
    yield from _csv_rows(io.StringIO(text, newline=""), text[:8192], text.rstrip("\n").count("\n") + 1,
                         lambda line: _unclosed_quote(text, line), path, max_bytes)


def _csv_reader(stream: Iterable[str], sample: str) -> Any:
    """A ``csv.reader`` over ``stream`` with the delimiter its ``sample`` (first 8,192 characters)
    shows: the one that splits the header into a ``text`` column, else sniffed, else a comma."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    delimiter = _header_delimiter(sample)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
        except csv.Error:
            delimiter = ","
    return csv.reader(stream, delimiter=delimiter)


def _csv_columns(header: list[str]) -> list[str] | None:
    """The header's column names (stripped, lower case), or None without a ``text`` column."""
    columns = [h.strip().lower() for h in header]
    return columns if any(c in columns for c in _FIELD_ALIASES["text"]) else None


def _csv_rows(stream: Iterable[str], sample: str, last_line: int, unclosed: Callable[[int], bool], path: Path,
              max_bytes: int, columns: list[str] | None = None, first_line: int = 1,
              read: LinesRead | None = None) -> Iterator[Article | Problem]:
    """The rows of a CSV collection read from ``stream`` (its text, opened with ``newline=""``):
    ``sample`` is its first 8,192 characters (to find the delimiter), ``last_line`` the number of its
    last line that is not empty, ``unclosed(line)`` whether the rows from ``line`` to the end hold
    an odd number of quote marks (asked only of a row that runs to the end). A stream that starts
    at a row after the header (a range of :func:`csv_pieces`) is given the header's ``columns`` and
    the number of its ``first_line``. A row that ran into the end of the stream (a quote never
    closed: the reader asked for the line after the last) marks ``read`` (if given) as not ending
    with a whole row: lines appended later would go into its cell."""
    reader = _csv_reader(stream, sample)
    if columns is None:
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as exc:
            yield Problem(str(path), f"CSV has no header row ({exc})" if str(exc) else "CSV has no header row", 1)
            return
        columns = _csv_columns(header)
        if columns is None:
            names = ", ".join(h.strip().lower() for h in header) or "none"
            yield Problem(str(path), f"CSV has no 'text' column (columns: {names}; "
                                     f"delimiter {reader.dialect.delimiter!r})", 1)
            return
    before = first_line - 1  # lines before the stream
    while True:
        line = before + reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            values = None
            yield Problem(str(path), f"malformed CSV: {exc}", line)
        if read is not None and getattr(stream, "exhausted", False):
            read.tied_to_end = True  # the row ran into the end of the stream
        if values is None:
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            yield Problem(str(path), f"row has {len(values)} fields, header has {len(columns)}; "
                                     "read what lines up", line, severity="warning")
        if before + reader.line_num > line and before + reader.line_num >= last_line and unclosed(line):
            if read is not None:
                read.tied_to_end = True  # a warning judged by the file's end (its last line, its quotes)
            yield Problem(str(path), f"a quote opened on line {line} is never closed; the rest of the file "
                                     "was read as one cell", line, severity="warning")
        record = dict(zip(columns, values))
        try:
            yield _record_to_article(record, path, line, max_bytes)
        except IngestError as exc:
            yield Problem(str(path), str(exc), line)


#: A CSV collection larger than this is read as a stream when it is UTF-8 (checked first, in one
#: pass over its bytes): memory then holds a row, not the file, and the 500 MB cap does not apply.
CSV_STREAM_BYTES = 32_000_000


def _read_csv_stream(path: Path, max_bytes: int, read: LinesRead | None = None) -> Iterator[Article | Problem] | None:
    """The rows of a big UTF-8 CSV collection read as a stream, or None when it is to be read
    whole (small, not UTF-8, or unreadable: the whole-file reading reports that). The rows are
    those the whole-file reading gives."""
    try:
        if path.stat().st_size <= CSV_STREAM_BYTES:
            return None
        last_line = _utf8_last_line(path)
    except OSError:
        return None
    if last_line is None:
        return None
    return read_csv_range(path, max_bytes, last_line=last_line, read=read)


def _utf8_bom_length(path: Path) -> int:
    """The length of the UTF-8 byte-order mark a file opens with (0 without one)."""
    with open(path, "rb") as raw:
        return len(codecs.BOM_UTF8) if raw.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8 else 0


class _CountedLines:
    """The lines of a CSV collection's text (a stream opened with ``newline=""``), one at a time as
    ``csv.reader`` takes them, counting the bytes they take in the file (UTF-8) from ``offset``;
    none from ``end`` on. ``read``, if given, is kept up to date with each line (its bytes go into
    the digest; :class:`LinesRead`)."""

    def __init__(self, handle: TextIO, offset: int, end: int | None = None, read: LinesRead | None = None) -> None:
        self.handle, self.offset, self.end, self.read = handle, offset, end, read
        self.exhausted = False  # the reader asked for a line after the last

    def __iter__(self) -> _CountedLines:
        return self

    def __next__(self) -> str:
        line = "" if self.end is not None and self.offset >= self.end else self.handle.readline()
        if not line:
            self.exhausted = True
            raise StopIteration
        if self.read is None:
            self.offset += len(line) if line.isascii() else len(line.encode("utf-8"))
            return line
        raw = line.encode("utf-8")
        self.offset += len(raw)
        read = self.read
        read.digest.update(raw)
        read.end, read.line, read.whole_lines = self.offset, read.line + 1, line.endswith("\n")
        return line


def csv_pieces(path: str | Path, piece_bytes: int, read: LinesRead | None = None) -> list[tuple[int, int, int, int]]:
    """``(start, end, first line, last line)`` of consecutive byte ranges of a CSV collection of
    about ``piece_bytes`` each, cut where a row ends (found by the CSV reader itself, which the
    file's text goes through once, here), for :func:`read_csv_range` to read apart (on other
    machines); the last line is the file's last that is not empty, as :func:`_csv_rows` needs it.
    One range, the whole file, when it is no larger, or is to be read whole (not UTF-8: see
    :func:`read_file`), or has no header with a ``text`` column (a whole reading reports that).
    ``read``, if given, is filled as a reading of the ranges would fill it (:class:`LinesRead`:
    whether a row depends on the file's end is read on the ranges that reach its last line, read
    again here: the last one, and any before it that a lone "\r" carries that far), so that
    a later run can read only the rows appended since (:func:`appended_csv`); it stays empty for a
    file of one range."""
    path = Path(path)
    size = path.stat().st_size
    last_line = _utf8_last_line(path) if size > piece_bytes else None
    whole = [(0, size, 1, last_line or 1)]
    if last_line is None:
        return whole
    bom = _utf8_bom_length(path)
    pieces: list[tuple[int, int, int, int]] = []
    scan = LinesRead() if read is not None else None  # the whole file's, given to ``read`` when it is cut
    if scan is not None and bom:
        scan.digest.update(codecs.BOM_UTF8)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(8192)
        handle.seek(0)
        lines = _CountedLines(handle, bom, None, scan)
        reader = _csv_reader(lines, sample)
        try:
            if _csv_columns(next(reader)) is None:
                return whole
        except (StopIteration, csv.Error):
            return whole
        start, first_line = 0, 1
        while True:
            try:
                next(reader)
            except StopIteration:
                break
            except csv.Error:
                continue  # no cut after a malformed row
            if lines.offset - start >= piece_bytes and lines.offset < size:
                pieces.append((start, lines.offset, first_line, last_line))
                start, first_line = lines.offset, reader.line_num + 1
    pieces.append((start, size, first_line, last_line))
    if scan is not None and read is not None and len(pieces) > 1 and scan.end == size:
        read.end, read.line, read.whole_lines, read.digest = scan.end, scan.line, scan.whole_lines, scan.digest
        # what depends on the file's end: a row that runs into it (the last range's), or one judged
        # by its last line, which a range reaches when its rows go that far (the last range's, unless
        # a lone "\r" makes the reader count more lines than the line feeds do)
        ends = [piece[2] - 1 for piece in pieces[1:]] + [None]
        for piece, end_line in zip(pieces, ends):
            if end_line is None or end_line >= last_line:
                tail = LinesRead()
                for _ in read_csv_range(path, MAX_ARTICLE_BYTES, *piece, tail):
                    pass
                read.tied_to_end = read.tied_to_end or tail.tied_to_end
    return pieces


def read_csv_range(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES, start: int = 0, end: int | None = None,
                   first_line: int = 1, last_line: int | None = None,
                   read: LinesRead | None = None) -> Iterator[Article | Problem]:
    """The items (articles or problems, as :func:`read_file` gives them) of the rows of a UTF-8 CSV
    collection from byte ``start`` to ``end``: a range of :func:`csv_pieces`, which gives its first
    line's number and the file's ``last_line``. A range after the first reads the header (columns,
    delimiter) from the start of the file. Never raises for bad content. ``read``, if given,
    records how far the reading got (:class:`LinesRead`; a row with a quote never closed, which
    runs to the end of the file, leaves nothing to go on from)."""
    path = Path(path)

    def items() -> Iterator[Article | Problem]:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(8192)
            handle.seek(0)
            columns = None
            if start > 0:
                header = next(_csv_reader(handle, sample), [])
                columns = _csv_columns(header)
                if columns is None:
                    raise IngestError("CSV has no 'text' column")
        lines_at_end = last_line if last_line is not None else _utf8_last_line(path) or 1
        bom = _utf8_bom_length(path) if start == 0 else 0
        with open(path, "rb") as raw:
            if read is not None and bom:
                read.digest.update(codecs.BOM_UTF8)
            raw.seek(start + bom)
            lines = _CountedLines(io.TextIOWrapper(raw, encoding="utf-8", newline=""), start + bom, end, read)
            yield from _csv_rows(lines, sample, lines_at_end, lambda line: _unclosed_quote_in_file(path, line), path,
                                 max_bytes, columns, first_line, read)

    return _guarded(path, items())


#: a ``.json`` file over this many bytes that holds an array in UTF-8 is read an item at a time
JSON_STREAM_BYTES = 32_000_000
#: :func:`_json_array_scan` reads this many characters at a time
_JSON_BLOCK = 1 << 20
_JSON_ARRAY_START = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\n\r]*\[")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
#: characters a JSON number may go on with, up to the end of the window ("1" + "2", "0." + "5")
_NUMBER_TO_THE_END = re.compile(r"[-+.eE0-9]*\Z")


def _read_json_stream(path: Path, max_bytes: int, read: LinesRead | None = None
                      ) -> Iterator[Article | Problem] | None:
    """The items of a big ``.json`` file that holds an array, read one item at a time
    (:func:`read_json_array_range`), or None when it is to be read whole: small, not UTF-8, not an
    array (``{"articles": [...]}``), or unreadable (the whole-file reading reports that)."""
    try:
        if path.stat().st_size <= JSON_STREAM_BYTES or not _utf8_json_array(path):
            return None
    except OSError:
        return None
    return read_json_array_range(path, max_bytes, read=read)


def _utf8_json_array(path: Path) -> bool:
    """Whether a file opens a JSON array (after a BOM and white space) and is UTF-8 text (one pass)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    return bool(_JSON_ARRAY_START.match(head)) and _utf8_last_line(path) is not None


@dataclass
class _ArrayPlace:
    """Where :func:`_json_array_scan` got to: the items read, the character (of the text it read)
    right after the last one and the line feeds before that character, whether the last one is a
    number (which more digits written right after it would go on: "2" becomes "23"), and whether
    the array was closed with nothing but white space after it."""

    items: int = 0
    end: int = 0
    newlines: int = 0
    number: bool = False
    closed: bool = False


def _json_array_scan(handle: TextIO | _HashedText, max_bytes: int, opened: bool = False, index: int = 0,
                     lines_before: int = 0, stop_at_end: bool = False, after_item: bool = False,
                     place: _ArrayPlace | None = None) -> Iterator[tuple[Any, int, int, int] | Problem]:
    """The items of the JSON array that ``handle`` holds (or the part of it that ``handle`` holds:
    ``opened`` when its "[" comes before, ``index`` items and ``lines_before`` lines before it, and
    ``stop_at_end`` when it ends where an item would start; ``after_item`` when it starts right
    after an item, where a "," or the closing "]" follows), decoded one at a time by the decoder
    :func:`json.loads` uses, from a window of the text that holds the item being read (so items,
    numbers and strings come out exactly as :func:`json.loads` gives them), as ``(item, its
    number, the offset it starts at, its line)``. An item that is not complete at the window's end
    is read again with more text. Invalid JSON gives the problem a whole reading gives (message and
    line) after the items before it, which a whole reading drops. An item not decoded within eight
    times ``max_bytes`` characters (at least 1 MB) ends the items too, with a problem saying so.
    The problems' source path is left empty, for the caller to fill in. ``place``, if given, is
    kept up to date (:class:`_ArrayPlace`; it starts as the caller made it)."""
    decoder = json.JSONDecoder()
    limit = max(8 * max_bytes, 1 << 20)
    text, pos, consumed, ended = "", 0, 0, False
    mark, lines_to_mark = 0, lines_before  # the line feeds before text[mark], counted as the items go

    def more() -> bool:
        """Drop what was read, add the next block; False at the end of the file."""
        nonlocal text, pos, mark, lines_to_mark, consumed, ended
        block = handle.read(_JSON_BLOCK)
        lines_to_mark += text.count("\n", mark, pos)
        consumed += pos
        text, pos, mark, ended = text[pos:] + block, 0, 0, not block
        return bool(block)

    def skip_space() -> str:
        """The character after the white space at ``pos`` (moved there), "" at the end of the file."""
        nonlocal pos
        while True:
            pos = _JSON_SPACE.match(text, pos).end()
            if pos < len(text) or not more():
                return text[pos:pos + 1]

    def line_at(at: int) -> int:
        """The number of the line of text[at] (counting on from the last position asked about)."""
        nonlocal mark, lines_to_mark
        if at < mark:
            return lines_to_mark - text.count("\n", at, mark) + 1
        lines_to_mark += text.count("\n", mark, at)
        mark = at
        return lines_to_mark + 1

    def problem(message: str, at: int) -> Problem:
        return Problem("", f"invalid JSON: {message}", line_at(at))

    if not opened and not after_item:
        skip_space()
        pos += 1  # the "[" (see _JSON_ARRAY_START)
    if after_item or opened or skip_space() != "]":
        need_item = not after_item
        while True:
            if need_item:
                if stop_at_end and not skip_space():
                    return  # the next item opens the next range
                try:
                    record, end = decoder.raw_decode(text, pos)
                    if not ended and type(record) in (int, float) and _NUMBER_TO_THE_END.match(text, end):
                        raise json.JSONDecodeError("a number may go on in the next block", text, end)
                except json.JSONDecodeError as exc:
                    if ended:
                        yield problem(exc.msg, exc.pos)
                        return
                    if len(text) - pos > limit:
                        yield Problem("", f"item {index + 1} is not valid JSON within {limit:,} characters, the limit "
                                          "of one item (8 times --max-bytes, at least 1 MB); the rest of the file is "
                                          "not read", line_at(pos))
                        return
                    more()
                    continue
                index += 1
                yield record, index, consumed + pos, line_at(pos)
                pos = end
                if place is not None:
                    place.items, place.end, place.newlines = index, consumed + end, line_at(end) - 1
                    place.number = type(record) in (int, float)
            need_item = True
            after = skip_space()
            if after == "]":
                break
            if after != ",":
                yield problem("Expecting ',' delimiter", pos)
                return
            pos += 1
            skip_space()
    pos += 1
    if skip_space():
        yield problem("Extra data", pos)
    elif place is not None:
        place.closed = True


#: :class:`_HashedText` keeps at least this many of the last bytes it read (and the last two blocks)
_KEPT_BYTES = 1 << 16


class _HashedText:
    """The text of a file open in ``raw`` from byte ``offset`` on, for :func:`_json_array_scan` to
    read (``read(n)``: the characters of the next ``n`` bytes), hashing the bytes into ``digest``
    (if given) as they go. The last two blocks read, and at least the last :data:`_KEPT_BYTES`
    bytes, are kept, so that the hash of the bytes up to a byte near the end can be had
    (:meth:`digest_to`)."""

    def __init__(self, raw: BinaryIO, offset: int, digest: Any = None, encoding: str = "utf-8") -> None:
        self.raw, self.offset, self.digest = raw, offset, digest
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.chars = 0  # characters given so far
        self.kept: collections.deque[tuple[int, Any, bytes]] = collections.deque()

    def read(self, size: int) -> str:
        """The text of the next ``size`` bytes (more when they end inside a character), "" at the end."""
        while True:
            block = self.raw.read(size)
            if self.digest is not None and block:
                kept = self.kept
                kept.append((self.offset, self.digest.copy(), block))
                while len(kept) > 2 and self.offset - kept[1][0] >= _KEPT_BYTES:
                    kept.popleft()  # the blocks after it hold enough
                self.digest.update(block)
            self.offset += len(block)
            text = self.decoder.decode(block, final=not block)
            if text or not block:
                self.chars += len(text)
                return text

    def digest_to(self, at: int) -> Any:
        """The hash of the bytes from the first one hashed up to byte ``at``, when ``at`` falls in the
        blocks kept (else None)."""
        for start, digest, block in self.kept:
            if start <= at <= start + len(block):
                digest = digest.copy()
                digest.update(block[:at - start])
                return digest
        return None


def _array_items(path: Path, handle: TextIO | _HashedText, max_bytes: int, opened: bool = False, index: int = 0,
                 lines_before: int = 0, stop_at_end: bool = False, after_item: bool = False,
                 read: LinesRead | None = None) -> Iterator[Article | Problem]:
    """The articles and problems of :func:`_json_array_scan` of ``handle``. With ``read`` (``handle``
    a :class:`_HashedText` that hashes into ``read.digest`` the bytes from the file's first on), it
    is filled where the array was closed cleanly after its last item, for a later run to go on
    from there (:class:`LinesRead`); else it records nothing."""
    place = _ArrayPlace(index, 0, lines_before)
    try:
        for event in _json_array_scan(handle, max_bytes, opened, index, lines_before, stop_at_end, after_item, place):
            if isinstance(event, Problem):
                yield Problem(str(path), event.reason, event.source_row)
                continue
            record, number, _at, _line = event
            try:
                yield _record_to_article(record, path, number, max_bytes)
            except IngestError as exc:
                yield Problem(str(path), f"item {number}: {exc}", number)
    finally:  # stopped early or by an error: not closed, nothing recorded
        if read is not None and isinstance(handle, _HashedText):
            _record_place(read, handle, place)


def _record_place(read: LinesRead, handle: _HashedText, place: _ArrayPlace) -> None:
    """Fill ``read`` as :func:`_array_items` says, from where the scan of ``handle`` got to."""
    # after the last item only white space and "]" were read, ASCII: as many bytes as characters
    end = handle.offset - (handle.chars - place.end)
    digest = handle.digest_to(end) if place.closed and place.items and not place.number else None
    if digest is None:
        read.end = 0  # nothing to go on from
        return
    read.end, read.line, read.items, read.digest = end, place.newlines, place.items, digest


def json_array_pieces(path: str | Path, piece_bytes: int, read: LinesRead | None = None
                      ) -> list[tuple[int, int, int, int]]:
    """``(start, end, items before, lines before)`` of consecutive byte ranges of a big UTF-8 JSON
    array file of about ``piece_bytes`` each, cut where an item starts, for
    :func:`read_json_array_range` to read apart (on other machines). The file's text goes through
    the decoder once, here, read as latin-1 so that a character is a byte (the structure of JSON is
    ASCII). One range, the whole file, when it is no larger, or is not a UTF-8 array, or is read
    whole by :func:`read_file` (not over :data:`JSON_STREAM_BYTES`: a whole reading of a file with
    a syntax error keeps none of its items, ranges keep those before it, as the item by item
    reading does); the ranges stop being cut at the first syntax error (the last range gives its
    problem). ``read``, if given, is filled as an item-by-item read of the whole file fills it
    (:class:`LinesRead`), so that a later run can read only the items appended since
    (:func:`appended_json_array`); it stays empty for a file not scanned (no larger than
    ``piece_bytes`` or not a UTF-8 array)."""
    path = Path(path)
    size = path.stat().st_size
    if size <= max(piece_bytes, JSON_STREAM_BYTES) or not _utf8_json_array(path):
        return [(0, size, 0, 0)]
    with open(path, "rb") as raw:
        digest = hashlib.sha256(raw.read(_utf8_bom_length(path)))
        return _cut_items(raw, raw.tell(), piece_bytes, size, digest, read=read)


def _cut_items(raw: BinaryIO, start: int, piece_bytes: int, size: int, digest: Any, first: int | None = 0,
               index: int = 0, lines: int = 0, read: LinesRead | None = None) -> list[tuple[int, int, int, int]]:
    """The ranges of :func:`json_array_pieces` of the file open in ``raw``, read from byte ``start``
    (after a byte-order mark; or, when ``first`` is None, right after item number ``index``) to
    ``size``, with ``index`` items and ``lines`` line feeds before ``start``; the first range starts
    at byte ``first`` (None: at the first item after ``start``; no item, no range). ``digest``
    hashes the bytes before ``start``; ``read``, if given, is filled from there (see
    :func:`_array_items`). A syntax error stops the cutting (the last range gives its problem);
    then ``read`` stays empty."""
    raw.seek(start)
    handle = _HashedText(raw, start, digest if read is not None else None, "latin-1")
    place = _ArrayPlace(index, 0, lines)
    pieces: list[tuple[int, int, int, int]] = []
    for event in _json_array_scan(handle, 1 << 62, False, index, lines, False, first is None, place):
        if isinstance(event, Problem):
            break
        _record, number, at, line = event
        if first is None:
            first, index, lines = start + at, number - 1, line - 1
        elif start + at - first >= piece_bytes:
            pieces.append((first, start + at, index, lines))
            first, index, lines = start + at, number - 1, line - 1
    if first is not None:
        pieces.append((first, size, index, lines))
    if read is not None:
        _record_place(read, handle, place)
    return pieces


def read_json_array_range(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES, start: int = 0,
                          end: int | None = None, items_before: int = 0,
                          lines_before: int = 0, read: LinesRead | None = None) -> Iterator[Article | Problem]:
    """The items (articles or problems, as :func:`read_file` gives them) of a UTF-8 JSON array file
    from byte ``start`` to ``end`` (a range of :func:`json_array_pieces`, after ``items_before``
    items and ``lines_before`` lines); the whole file by default, read an item at a time. Never
    raises for bad content. ``read``, if given, records how far a read of the whole file got, for a
    later run to read only the items appended (:class:`LinesRead`)."""
    path = Path(path)

    def items() -> Iterator[Article | Problem]:
        with open(path, "rb") as raw:
            size = os.fstat(raw.fileno()).st_size
            stop = size if end is None else end
            if start == 0 and stop == size:
                handle: TextIO | _HashedText = _HashedText(raw, 0, read.digest if read is not None else None,
                                                           "utf-8-sig")
            else:  # a range: at most piece_bytes, held whole
                raw.seek(start)
                handle = io.StringIO(raw.read(stop - start).decode("utf-8-sig" if start == 0 else "utf-8"),
                                     newline="")
            yield from _array_items(path, handle, max_bytes, start > 0, items_before, lines_before, stop < size,
                                    read=read)

    return _guarded(path, items())


def _array_resume_point(raw: BinaryIO, resume: dict[str, Any]) -> LinesRead | None:
    """The :class:`LinesRead` of the first bytes of a JSON array file open in ``raw``, which a read
    that stopped as ``resume`` says read (their hash checked), when the file is still read an item
    at a time and the bytes after them are UTF-8; else None."""
    size = os.fstat(raw.fileno()).st_size
    if "items" not in resume or size <= JSON_STREAM_BYTES:
        return None
    head = raw.read(4096)
    if not _JSON_ARRAY_START.match(head) or b"\0" in head or not _streamable(head):
        return None
    try:
        _refuse_binary_head(head)
    except IngestError:
        return None
    read = _checked_prefix(raw, resume)
    if read is None:
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:  # the bytes checked were UTF-8: the whole file is when the rest is (:func:`_utf8_json_array`)
        while block := raw.read(_SCAN_BLOCK):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    read.items = int(resume["items"])
    return read


def resume_json_array(path: str | Path, resume: dict[str, Any], max_bytes: int = MAX_ARTICLE_BYTES,
                      ) -> tuple[Iterator[Article | Problem], LinesRead] | None:
    """The items added to a big JSON array file since a read that stopped as ``resume`` says
    (after its last item: see :class:`LinesRead`), with the :class:`LinesRead` that goes on
    recording; None when the file's first ``resume["end"]`` bytes are not the bytes read then
    (their SHA-256), when it would no longer be read an item at a time (see :func:`read_file`), or
    cannot be opened. The items equal those a whole read gives after the items of those first
    bytes (numbers, lines, ids, problems)."""
    path = Path(path)
    try:
        raw = open(path, "rb")
    except OSError:
        return None
    try:
        read = _array_resume_point(raw, resume)
    except OSError:
        read = None
    if read is None:
        raw.close()
        return None

    def items() -> Iterator[Article | Problem]:
        with raw:
            raw.seek(read.end)
            handle = _HashedText(raw, read.end, read.digest)
            yield from _array_items(path, handle, max_bytes, True, read.items, read.line, after_item=True, read=read)

    return _guarded(path, items()), read


def appended_json_array(path: str | Path, resume: dict[str, Any], piece_bytes: int
                        ) -> tuple[list[tuple[int, int, int, int]], LinesRead] | None:
    """The ranges (as :func:`json_array_pieces` cuts them; none when no item was added) of the items
    added to a big JSON array file since a read that stopped as ``resume`` says, with the
    :class:`LinesRead` of the file up to its last item now; None when the file cannot be resumed
    (see :func:`resume_json_array`) or what was added is not valid JSON (then the file is cut
    whole, as on a first read)."""
    try:
        with open(path, "rb") as raw:
            read = _array_resume_point(raw, resume)
            if read is None:
                return None
            size = os.fstat(raw.fileno()).st_size
            pieces = _cut_items(raw, read.end, piece_bytes, size, read.digest, None, read.items, read.line, read)
    except OSError:
        return None
    return (pieces, read) if read.end else None


def resume_read(path: str | Path, resume: dict[str, Any], max_bytes: int = MAX_ARTICLE_BYTES,
                ) -> tuple[Iterator[Article | Problem], LinesRead] | None:
    """:func:`resume_json_lines`, :func:`resume_csv` or :func:`resume_json_array`, by the file's suffix."""
    suffix = Path(path).suffix.lower()
    reader = (resume_json_lines if suffix in JSON_LINES_SUFFIXES else resume_csv if suffix == ".csv"
              else resume_json_array if suffix == ".json" else None)
    return reader(path, resume, max_bytes) if reader is not None else None


def appended_ranges(path: str | Path, resume: dict[str, Any], piece_bytes: int, max_bytes: int = MAX_ARTICLE_BYTES
                    ) -> tuple[list[tuple[int, ...]], LinesRead] | None:
    """:func:`appended_json_lines`, :func:`appended_csv` or :func:`appended_json_array`, by the file's
    suffix: the ranges of what was added since a read that stopped as ``resume`` says (for Dask
    tasks, as :func:`resume_read` reads it here)."""
    suffix = Path(path).suffix.lower()
    if suffix in JSON_LINES_SUFFIXES:
        return appended_json_lines(path, resume, piece_bytes)
    if suffix == ".csv":
        return appended_csv(path, resume, max_bytes)
    return appended_json_array(path, resume, piece_bytes) if suffix == ".json" else None


def _utf8_last_line(path: Path) -> int | None:
    """The number of the last line of a file that is not empty (its text's ``rstrip("\n")`` counted
    in lines), when the file is UTF-8 text that :func:`decode_bytes` would take as it is (no NUL,
    byte-order mark of UTF-16 or UTF-32, binary magic or control characters at its start); else
    None. Reads the file once, a block at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = trailing = 0
    with open(path, "rb") as handle:
        head = handle.read(4096)
        if b"\0" in head or not _streamable(head):
            return None
        try:
            _refuse_binary_head(head)
        except IngestError:
            return None
        handle.seek(0)
        try:
            while block := handle.read(_SCAN_BLOCK):
                decoder.decode(block)
                newlines += block.count(b"\n")
                kept = len(block.rstrip(b"\n"))
                trailing = trailing + len(block) if kept == 0 else len(block) - kept
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return newlines - trailing + 1


def _unclosed_quote_in_file(path: Path, line: int) -> bool:
    """:func:`_unclosed_quote` on a file's bytes, a block at a time: the quote marks after its
    ``line - 1``-th line feed (after its last one when it has fewer, as ``str.split`` gives)."""
    skip, start, pos = line - 1, 0, 0
    with open(path, "rb") as handle:
        while skip and (block := handle.read(_SCAN_BLOCK)):
            at = 0
            while skip and (found := block.find(b"\n", at)) >= 0:
                at, skip, start = found + 1, skip - 1, pos + found + 1
            pos += len(block)
        handle.seek(start)
        quotes = 0
        while block := handle.read(_SCAN_BLOCK):
            quotes += block.count(b'"')
    return quotes % 2 == 1


def _unclosed_quote(text: str, line: int) -> bool:
    """True when the rows from ``line`` to the end hold an odd number of quote marks
    (a multi-line cell that swallowed the rest of the file)."""
    tail = text.split("\n", line - 1)[-1]
    return tail.count('"') % 2 == 1


# --------------------------------------------------------------------------- paths and batches

def _walk(folder: str, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Relative parts of the supported files under ``folder``: hidden files and folders
    skipped, symbolic links to folders not followed (as ``Path.rglob``)."""
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError as exc:
        log.warning("%s: cannot list the folder (%s); skipped", folder, exc.strerror or exc)
        return
    for entry in listed:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path, (*prefix, entry.name))
            elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES:
                yield (*prefix, entry.name)
        except OSError:
            continue


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files, folders (recursively) and glob patterns into supported files, sorted."""
    for raw in paths:
        raw = str(raw)
        path = Path(raw)
        if path.is_dir():
            for parts in sorted(_walk(raw)):
                yield path.joinpath(*parts)
        elif path.is_file():
            yield path
        elif any(ch in raw for ch in "*?["):
            for match in sorted(glob.glob(raw, recursive=True)):
                if Path(match).is_file():
                    yield Path(match)
        else:
            raise FileNotFoundError(f"{raw}: no such file or folder")


def read_file(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES,
              read: LinesRead | None = None) -> Iterator[Article | Problem]:
    """Articles (or Problems) from one file; never raises for bad content.

    JSON Lines collections (``.jsonl``, ``.ndjson``) in UTF-8 are read one line at a time, CSV
    collections over :data:`CSV_STREAM_BYTES` in UTF-8 one row at a time, and ``.json`` arrays over
    :data:`JSON_STREAM_BYTES` in UTF-8 one item at a time, so that memory holds one record whatever
    the size of the file (no :data:`MAX_FILE_BYTES` cap); other files are read whole.
    ``read``, if given, records how far a JSON Lines or CSV file read line by line, or a JSON array
    read an item at a time, got (:class:`LinesRead`: it stays empty for files read whole)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield Problem(str(path), f"unsupported file type {suffix or '(none)'!r}")
        return
    if suffix in COLLECTION_SUFFIXES:
        streamed = (_read_json_lines(path, max_bytes, read) if suffix in JSON_LINES_SUFFIXES else
                    _read_csv_stream(path, max_bytes, read) if suffix == ".csv" else
                    _read_json_stream(path, max_bytes, read))
        if streamed is not None:
            yield from streamed
            return
    try:
        size = path.stat().st_size
        limit = MAX_FILE_BYTES if suffix in COLLECTION_SUFFIXES else max_bytes * 4
        if size > limit:
            hint = ("a collection file read whole; files read a record at a time have no limit: JSON Lines and "
                    "JSON arrays in UTF-8, CSV in UTF-8" if suffix in COLLECTION_SUFFIXES
                    else "one article; raise it with --max-bytes")
            yield Problem(str(path), f"file is {size:,} bytes, over the limit of {limit:,} ({hint})")
            return
        raw = path.read_bytes()
        text, warning = decode_bytes(raw, str(path))
    except IngestError as exc:
        yield Problem(str(path), str(exc))
        return
    except OSError as exc:
        yield Problem(str(path), f"cannot read: {exc.strerror or exc}")
        return
    if warning:
        yield Problem(str(path), warning, severity="warning")
    try:
        if suffix in COLLECTION_SUFFIXES:
            yield from _iter_collection(text, path, max_bytes)
            return
        if suffix in (".html", ".htm"):
            article, warnings = parse_html(text, path, max_bytes)
        else:
            article, warnings = parse_text_file(text, path, max_bytes)
    except IngestError as exc:
        yield Problem(str(path), str(exc))
        return
    except Exception as exc:  # a parser library failing on hostile input must not stop the batch
        yield Problem(str(path), f"could not parse: {type(exc).__name__}: {exc}")
        return
    for w in warnings:
        yield Problem(str(path), w, severity="warning")
    note = language_warning(article.text)
    if note:
        yield Problem(str(path), note, severity="warning")
    yield article


def _read_json_lines(path: Path, max_bytes: int, read: LinesRead | None = None) -> Iterator[Article | Problem] | None:
    """The items of a JSON Lines file read line by line (:func:`read_json_lines`), or None when it
    must be read whole (not UTF-8 with "\n" line ends, see :func:`_streamable`; or it cannot be
    opened: the whole-file reading reports that)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    return read_json_lines(path, max_bytes, read=read) if _streamable(head) else None


def language_warning(text: str) -> str | None:
    """A warning when the text is mostly Cyrillic: the rules read English only."""
    head = text[:5000]
    if head.isascii() or not _CYRILLIC_LETTERS.search(head):  # the common case, decided in C
        return None
    letters = len(_LETTERS.findall(head))
    if letters < 20:
        return None
    cyrillic = len(_CYRILLIC_LETTERS.findall(head))
    if cyrillic > 0.3 * letters:
        return "text is mostly Cyrillic (Ukrainian or Russian?); the extraction rules read English only"
    return None


def read_articles(paths: Iterable[str | Path] | str | Path, problems: list[Problem] | None = None,
                  max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Article]:
    """Yield every article under ``paths`` (files, folders, globs).

    Problems are logged and, when ``problems`` is a list, appended to it.
    Article ids are made unique within a batch (``-2``, ``-3``... suffixes).

    >>> articles = list(read_articles("data/articles"))  # doctest: +SKIP
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    seen: dict[str, int] = {}
    for path in iter_paths(paths):
        for item in read_file(path, max_bytes):
            if isinstance(item, Problem):
                (log.warning if item.severity == "warning" else log.error)("%s", item)
                if problems is not None:
                    problems.append(item)
                continue
            n = seen.get(item.article_id, 0) + 1
            seen[item.article_id] = n
            if n > 1:
                item.article_id = f"{item.article_id}-{n}"
            yield item


def article_from_text(text: str, article_id: str = "pasted", published: str | None = None,
                      title: str | None = None) -> Article:
    """An article from a string (a pasted text in a notebook, a test sentence)."""
    article = Article(article_id=safe_article_id(article_id), text=text, title=title,
                      published=parse_date(published) or date_from_text(text))
    if not text.strip():
        raise IngestError("no article text")
    return _finish(article, max(MAX_ARTICLE_BYTES, len(text.encode("utf-8", "surrogatepass")) + 1))
