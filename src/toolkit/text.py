"""Sentences with character spans, and numbers written in digits or words.

Pure functions over strings; the extractors in :mod:`toolkit.strikes` and
:mod:`toolkit.diplomacy` build on them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: its text and where it stands (``text[start:end]``)."""

    text: str
    start: int
    end: int
    paragraph: int  # index of the paragraph (block of lines) it belongs to


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "no", "nos", "vs", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.u", "d.c", "j.d", "inc", "corp", "ltd", "co", "jr", "sr", "prof", "sen",
    "rep", "gov", "pres", "approx", "est", "fig", "al", "i.e", "e.g", "adm", "cmdr", "rev", "mt",
}
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9\u0400-\u04ff])")
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*\u2022]\s|\d{1,2}:\d\d\b))")
#: Longest sentence the rules look at; longer runs (no punctuation at all) are cut into pieces.
MAX_SENTENCE_CHARS = 2_000


_last_split: tuple[str, tuple[Sentence, ...]] | None = None


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences with spans; headlines and captions (lines) stay apart.

    The last result is remembered, so the strike and diplomacy extractors share one
    split of the same article.

    >>> [s.text for s in split_sentences("Kyiv was hit. Mr. Smith said so.\\nNext line")]
    ['Kyiv was hit.', 'Mr. Smith said so.', 'Next line']
    """
    global _last_split
    if _last_split is not None and _last_split[0] is text:
        return list(_last_split[1])
    sentences = _split(text)
    _last_split = (text, tuple(sentences))
    return sentences


_NAVIGATION = re.compile(r"[\s*\u2022>-]*(?:read\s+(?:also|more)|also\s+read|see\s+also|more\s+from|"
                         r"related(?:\s+(?:stories|articles|news|content))?|recommended|you\s+may\s+also\s+like|"
                         r"source\s+link|leave\s+a\s+reply)\b", re.IGNORECASE)
_NAV_HINTS = ("read also", "also read", "read more", "see also", "related", "more from", "recommended",
              "you may also like", "source link", "leave a reply")


def body_end(text: str) -> int:
    """Where site navigation after the body begins, else ``len(text)``.

    Trailing lines that open with "Read also", "RELATED STORIES", "More from",
    "Source link"... are not part of the article (FACTS.md, "What the article
    is"); links inside the body are kept.

    >>> text = "Kyiv was hit.\\n\\nRead also: 1,500 drones this week"
    >>> text[:body_end(text)]
    'Kyiv was hit.\\n\\n'
    """
    tail = text[-3000:].lower()
    if not any(hint in tail for hint in _NAV_HINTS):
        return len(text)
    end = len(text)
    while True:
        stripped = text[:end].rstrip()
        line_start = stripped.rfind("\n") + 1
        if not stripped or not _NAVIGATION.match(stripped, line_start):
            return end
        end = line_start


def _split(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    paragraph = 0
    for block_start, block_end in _blocks(text):
        line_start = block_start
        # single newlines inside a paragraph separate headlines/captions from body lines
        for line in text[block_start:block_end].split("\n"):
            line_end = line_start + len(line)
            _split_line(text, line_start, line_end, paragraph, sentences)
            line_start = line_end + 1
        paragraph += 1
    return sentences


def _blocks(text: str):
    start = 0
    for m in _PARAGRAPH.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _split_line(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    cursor = start
    line = text[start:end]
    for m in _BOUNDARY.finditer(line):
        stop = start + m.start()
        # only the last few characters matter; slicing from the cursor would be quadratic
        # on long runs of abbreviations ("Mr. Mr. Mr. ...")
        word = _LAST_WORD.search(text[max(cursor, stop - 40):stop + 1].rstrip(".!?\"')]"))
        token = word.group(1).lower().rstrip(".") if word else ""
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha() and text[stop] == "."):
            continue
        cut = start + m.end()
        _emit(text, cursor, cut, paragraph, out)
        cursor = cut
    _emit(text, cursor, end, paragraph, out)


def _emit(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        out.append(Sentence(text[start:cut], start, cut, paragraph))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append(Sentence(text[start:end], start, end, paragraph))


def fold_key(matched: str) -> str:
    """Lower-cased text matched case-insensitively, as a key of a table of ASCII words.

    ``re.IGNORECASE`` also matches a few letters whose ``lower()`` is not that ASCII
    letter: the dotted capital I (lowered to "i" plus a combining dot), the long s and the
    Kelvin sign.

    >>> fold_key("\u0130skander"), fold_key("\u017fhot")
    ('iskander', 'shot')
    """
    key = matched.lower()
    return key if key.isascii() else key.replace("\u0307", "").replace("\u017f", "s").replace("\u212a", "k")


# --------------------------------------------------------------------------- numbers

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
#: "a dozen" is a count; "dozens" is not (FACTS.md, hard cases).
DOZEN_WORDS = {"dozen": 12}

def _prefix_tree(words) -> str:
    """One regex for many words, factored by prefix ("seven(?:t(?:een|y))?"): much faster to scan
    than a flat alternation, and it matches the same (longest word first, then shorter)."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(c) + build(sub) for c, sub in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(tree)


_WORD = r"(?:%s)" % _prefix_tree(list(UNITS) + list(TENS))
NUMBER_PATTERN = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?(?:thousand|million))?"
    r"|(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten)\s+dozen)\b(?!s)"
    # "and" only inside a number ("one hundred and five"), never between two ("seven and ten")
    rf"|(?:{_WORD}(?:[\s-]+(?:{_WORD}|(?:hundred|thousand)(?:\s+and(?=[\s-]+{_WORD}))?))*)\b"
)
NUMBER_RE = re.compile(rf"\b(?:{NUMBER_PATTERN})", re.IGNORECASE)
#: The same pattern for lower-cased ASCII text: about three times faster to scan than IGNORECASE.
_NUMBER_LOWER_RE = re.compile(rf"\b(?:{NUMBER_PATTERN})")
#: ``_NUMBER_LOWER_RE`` with the word boundary read as the character before the number, run on
#: ``" " + text``: every number begins with a word character, so ``\b`` there means "after a
#: non-word character or at the start", and the engine skips to such characters in C instead
#: of trying the whole pattern at every offset (~20% faster; tests/test_text.py checks both agree).
_NUMBER_AFTER_GAP_RE = re.compile(rf"[^\w](?:{NUMBER_PATTERN})")


@lru_cache(maxsize=4096)
def parse_number(token: str) -> int | None:
    """The integer a numeral or number phrase states, else None.

    >>> parse_number("1,200"), parse_number("twenty-nine"), parse_number("a dozen"), parse_number("dozens")
    (1200, 29, 12, None)
    """
    raw = token.strip().lower().replace("\u2009", "").replace(" ", " ")
    if not raw:
        return None
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(thousand|million)?", raw)
    if m:
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            value *= SCALES[m.group(3)]
        return int(value) if value == int(value) else None
    m = re.fullmatch(r"(a|one|two|three|four|five|six|seven|eight|nine|ten)\s+dozen", raw)
    if m:
        mult = 1 if m.group(1) in ("a", "one") else UNITS[m.group(1)]
        return 12 * mult
    words = [w for w in re.split(r"[\s-]+", raw) if w and w != "and"]
    if not words:
        return None
    total = current = 0
    seen = False
    for word in words:
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million"):
            total += (current or 1) * SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


#: the word branches of ``NUMBER_PATTERN`` match "dozen" or begin with one of these as a whole word
#: (a \w run: the word is followed by a space, hyphen or non-word character), as bytes
_NUMBER_WORD_BYTES = frozenset(w.encode() for w in (*UNITS, *TENS))
#: ASCII bytes -> every non-word character a space, word characters kept: the \w runs of ASCII
#: text are then the parts ``bytes.split`` gives
_NON_WORD_TO_SPACE = bytes(c if re.match(r"\w", chr(c)) else 32 for c in range(256))
#: the digit branch of ``NUMBER_PATTERN`` for lower-cased ASCII text, its first digit written alone
#: so that the engine skips in C to the digits (both of its alternatives begin with one); the word
#: boundary before it is tested on the character before the match (:func:`_digit_numbers`)
_DIGIT_NUMBER_RE = re.compile(r"[0-9](?:[0-9]{0,2}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]+)?(?:\s?(?:thousand|million))?")
ASCII_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")  # \w in lower-cased ASCII text


def find_numbers(text: str, lower: str | None = None) -> list[tuple[int, int, int]]:
    """Every number in a text as (value, start, end); "dozens"/"hundreds" are not numbers.
    (``lower``: ``text.lower()``, when the caller has it.)

    >>> find_numbers("shot down 585 drones, twenty-nine missiles")
    [(585, 10, 13), (29, 22, 33)]
    """
    found = []
    # lower() keeps the offsets of ASCII text (not always of other text: "\u0130" becomes two characters)
    if text.isascii():
        low = text.lower() if lower is None else lower
        if "dozen" not in low and _NUMBER_WORD_BYTES.isdisjoint(low.encode().translate(_NON_WORD_TO_SPACE).split()):
            matches = _digit_numbers(low)  # no number word: digits are all there is to find
        else:  # (token, start, end): the match begins with the gap character, one before the number
            gapped = _NUMBER_AFTER_GAP_RE.finditer(" " + low)
            matches = ((m.group(0)[1:], m.start(), m.end() - 1) for m in gapped)
    else:
        matches = ((m.group(0), m.start(), m.end()) for m in NUMBER_RE.finditer(text))
    for token, start, end in matches:
        value = parse_number(token)
        if value is None:
            continue
        # "1,2,3" or "10^9" are not counts: skip digits glued to other digits/symbols
        if end < len(text) and text[end] in "^,." and end + 1 < len(text) and text[end + 1].isdigit():
            continue
        if start > 0 and text[start - 1] in "^,.-" and start > 1 and text[start - 2].isdigit():
            continue
        found.append((value, start, end))
    return found


def _digit_numbers(low: str) -> Iterator[tuple[str, int, int]]:
    """The matches of ``_NUMBER_AFTER_GAP_RE`` on ``" " + low`` (as :func:`find_numbers` reads them),
    for lower-cased ASCII text without number words, where only the digit branch can match.

    A digit match right after a word character has no word boundary before it: none of the gap
    scan's. One after a non-word character (or at the start) is the gap scan's match there, unless
    that character is a comma or stop inside an earlier digit run ("1,2"), which the gap scan
    matches and this scan passes over; :func:`find_numbers` drops those anyway as glued digits
    (its tests compare the two paths).
    """
    for m in _DIGIT_NUMBER_RE.finditer(low):
        start = m.start()
        if start and low[start - 1] in ASCII_WORD_CHARS:
            continue
        yield m.group(), start, m.end()
