"""Meetings and talks: place, status, date, day count and participants.

A clause with a meeting word ("met", "talks", "summit"...) and a place
("in Geneva", "at the Kremlin", "the Riyadh meeting") makes a meeting there;
calls, speeches, offers to host, denials and rumours do not (the rules are in
``data/diplomacy_rules.yaml``, the places in ``data/venues.csv``). Delegations
introduced in later sentences ("The US side was led by ...") and people in photo
captions join the meeting they describe. A sentence with several places is cut
into clauses so each person goes to their own meeting; a name right before
"said" is the speaker, a name owning a role ("Trump's envoy") or bossing one
("an aide to President Putin") is not a participant.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .dates import find_date_phrase, resolve_date
from .meeting_rules import case_safe, lower_same_length, lowered, venues
from .meeting_rules import place_parents as _place_parents
from .meeting_rules import rules as _rules
from .participants import _ADDRESSED_MEETING, _TOLD_PERSON
from .participants import participants as _participants
from .people import Mention
from .text import Sentence

#: A delegation sentence joins the last meeting only this many sentences after it.
CONTINUATION_REACH = 6
#: Captions are short lines; longer lines are body text.
CAPTION_MAX_WORDS = 30
CAPTION_MAX_CHARS = 300
_PLACE_NOUNS = {"city", "port", "capital", "resort", "town", "mission", "military", "base", "palace", "club",
                "estate", "residence", "embassy", "of", "the", "a", "an", "us", "u.s.", "presidential", "his", "her",
                "their", "its", "seaside", "coastal", "saudi", "turkish", "emirati", "ukrainian", "swiss", "red",
                "sea", "black", "headquarters", "western", "eastern", "southern", "northern", "central", "north", "south", "east", "west", "north-western", "south-western", "north-eastern", "south-eastern", "ancient", "historic", "capital,", "summit", "venue", "hotel", "airport", "air", "in"}
_TRAVEL_BEFORE_TO = re.compile(r"\b(?:travel(?:led|ed|s|ling|ing)?|fl(?:y|ew|ies|ying|own)|trip|visit|came|come|"
                               r"coming|arriv\w*|return(?:ed|s|ing)?|head(?:ed|s|ing)?|go(?:es|ing)?|went)"
                               r"(?:\s+(?:on|back|onward|again|also|then|later|next|this|week|month))*\s+to\s*$",
                               re.IGNORECASE)
_MEETING_NOUN_AFTER = re.compile(r"^(?:'s)?\s+(?:meetings?|talks|summit|session|round|format|negotiations|"
                                 r"gathering|conference|process|discussions)\b", re.IGNORECASE)
#: "Turkey is hosting talks": the host country or city is the place.
_HOSTS_AFTER = re.compile(r"^\s+(?:is |was |will |has |had |have )?(?:been |be )?(?:hosting|hosted|hosts|host)\b"
                          r"(?=\s+(?:[\w-]+\s+){0,4}(?:talks|summit|meeting|negotiations|round|leaders|delegations))",
                          re.IGNORECASE)
_VISIT = re.compile(r"visit", re.IGNORECASE)
_CAPTION_MARK = re.compile(r"(?:Credit|Photo|Photograph|Image|Picture)s?:", re.IGNORECASE)
#: Captions rarely have a finite verb ("Zelensky and Trump in the Oval Office on Monday.").
_FINITE_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|could|said|says|did|does|do|can)\b|"
                          r"\b[a-z]{3,}ed\b(?! by)", re.IGNORECASE)
#: The same, for lower-cased text (see :func:`toolkit.meeting_rules.case_safe`).
_FINITE_VERB_LOW = lowered(_FINITE_VERB.pattern)
_WHERE = re.compile(r"^\W*where\b", re.IGNORECASE)
_TOOK_PART_ASIDE = re.compile(r", who (?:also |had |has )?(?:took|taken|takes) part\b")
#: A place inside a group's or an accord's name ("the Bucharest Nine", "the Minsk agreements") is no venue.
_GROUP_NAME_AFTER = re.compile(r"^\s+(?:Nine|Three|Four|Format|Group|Triangle|Agreements?|agreements?|Accords?|accords?|"
                               r"Protocols?|protocols?|Declaration|Memorandum|memorandum|Formula|Initiative|Platform|"
                               r"Process|Communiqu\w+)\b")
#: "in Kananaskis, Canada": a town the venue list lacks, named before its country.
_TOWN_BEFORE_COUNTRY = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w'\u2019-]+\s+){0,2}[A-Z][\w'\u2019-]+),\s*$")
#: "the Danish city of Aarhus": a town the venue list lacks, named by its kind.
_TOWN_OF = re.compile(r"\b(?:city|town|resort|port city|village) of ((?:[A-Z][\w'\u2019-]+\s+){0,2}[A-Z][\w'\u2019-]+)")
#: Every match of ``_TOWN_OF`` holds one of these ("port city of" holds "city of "): a cheap test first.
_TOWN_OF_WORDS = ("city of ", "town of ", "resort of ", "village of ")
#: A full stop (not after a capital initial) and space: the punctuation is read first, the look-behind
#: after it, so that ``re`` skips along the text quickly (the same matches).
_SENTENCE_END = re.compile(r"[.!?](?<![A-Z][.!?])[\"')\]\u201d]*\s")
_LEFT_WORDS = re.compile(r"[\w'\u2019.-]+|,")
_DIGITS = re.compile(r"\d+")
_NOT_TOWN = frozenset("January February March April May June July August September October November December "
                      "Monday Tuesday Wednesday Thursday Friday Saturday Sunday The A An This That".split())


@dataclass
class Meeting:
    """One meeting (several meetings in one place pool into one, as the facts contract does)."""

    place: str
    status: str
    date: str | None
    day_count: int | None
    sentence: Sentence
    from_caption: bool = False
    participants: dict[str, tuple[Mention, Sentence]] = field(default_factory=dict)



@dataclass(frozen=True)
class PlaceMention:
    """A meeting place found in the text: canonical place, kind, and where it stands."""

    place: str
    kind: str
    start: int
    end: int


def find_places(text: str, start: int = 0, end: int | None = None, towns: bool = True) -> list[PlaceMention]:
    """Places in ``text[start:end]`` that can be where a meeting is ("in Geneva", "at the Kremlin",
    "the Riyadh talks"). ``towns=False`` says the whole text holds no "city of"-like words (a test
    made once per article), so none is looked for."""
    table = venues()
    out = []
    stop = len(text) if end is None else end
    for m_start, alias, v_start, v_end in _venue_matches(text, start, stop):
        venue = table[alias]
        after = text[v_end:v_end + 40]
        if _GROUP_NAME_AFTER.match(after):
            continue
        if venue.kind in ("country", "region") and _comma_before(text, max(start, v_start - 60), v_start):
            town = _TOWN_BEFORE_COUNTRY.search(text, max(start, v_start - 60), v_start)
            if town and _unlisted_town(town.group(1)) and _placed_by_preposition(text, town.start(1)):
                out.append(PlaceMention(town.group(1), "city", town.start(1), town.end(1)))
                continue
        if _MEETING_NOUN_AFTER.match(after) or _HOSTS_AFTER.match(after) or _placed_by_preposition(text, m_start):
            out.append(PlaceMention(venue.place, venue.kind, v_start, v_end))
    if towns and _may_name_town(text, start, stop):
        for m in _TOWN_OF.finditer(text, start, stop):
            if _unlisted_town(m.group(1)) and _placed_by_preposition(text, m.start(1)):
                out.append(PlaceMention(m.group(1), "city", m.start(1), m.end(1)))
    return out


_WORD_OR_HYPHEN = re.compile(r"[\w-]")


def _venue_matches(text: str, start: int, stop: int) -> list[tuple[int, str, int, int]]:
    """What ``rules()["venue"].finditer(text, start, stop)`` finds, as (match start, alias, alias start,
    alias end): the fast alias pattern, then the optional "the " put back in front by hand (the match
    starts at "the" when "the" and spaces stand right before the alias, after the previous match, and
    the "the" follows no word character or hyphen)."""
    rules = _rules()
    fast = rules["venue_alias"]
    if fast is None:
        return [(m.start(), m.group(1), *m.span(1)) for m in rules["venue"].finditer(text, start, stop)]
    out = []
    floor = start  # no match starts before the search position or inside the previous match
    for m in fast.finditer(text, start, stop):
        v_start, v_end = m.span(1)
        m_start = v_start
        k = v_start
        while k > floor and text[k - 1].isspace():
            k -= 1
        if k < v_start and k - 3 >= floor and text.startswith("the", k - 3) \
                and not (k > 3 and _WORD_OR_HYPHEN.match(text, k - 4)):
            m_start = k - 3
        out.append((m_start, m.group(1), v_start, v_end))
        floor = v_end
    return out


def _unlisted_town(name: str) -> bool:
    """True for a capitalised name that is no listed venue, month, weekday or article."""
    words = name.split()
    return name not in venues() and not any(w in _NOT_TOWN for w in words)


def _comma_before(text: str, lo: int, hi: int) -> bool:
    """True when ``text[lo:hi]`` ends with a comma and white space: what ``_TOWN_BEFORE_COUNTRY``
    (``,\\s*$``) needs before it can match there."""
    return text[lo:hi].rstrip().endswith(",")


#: The last word before a place that decides at once (the others are skipped over or end the search).
_DECIDING_WORDS = frozenset({"in", "at", "inside", "to", "visit", "visits", "visited", "visiting"}) | _PLACE_NOUNS


def _placed_by_preposition(text: str, start: int) -> bool:
    """True when the words before a place put something there ("in", "at", "travel to")."""
    left = text[max(0, start - 80):start]
    last = left.rsplit(None, 1)
    if last and last[-1].isalpha() and not last[-1][0].isupper() and last[-1].lower() not in _DECIDING_WORDS:
        # The common case, decided without reading the words: the last word before the place (whole,
        # as it stands between white space) is a plain word that neither places nor may be skipped.
        # Below it is the last word too (or, cut off with an earlier sentence, there is no word): False.
        return False
    left = left[left.rfind("\n") + 1:]
    if "." in left or "!" in left or "?" in left:  # (what ``_SENTENCE_END`` needs)
        end_of_sentence = list(_SENTENCE_END.finditer(left))
        if end_of_sentence:
            left = left[end_of_sentence[-1].end():]
    words = _LEFT_WORDS.findall(left)
    k = len(words) - 1
    skipped = 0
    while k >= 0 and skipped <= 6:
        word = words[k]
        low = word.lower()
        if low in ("in", "at", "inside") or (low in ("visit", "visits", "visited", "visiting") and k == len(words) - 1):
            break
        if low == "to":
            cut = left.rfind(word, 0, len(left) - sum(len(w) for w in words[k + 1:]))
            return bool(_TRAVEL_BEFORE_TO.search(left[:cut + 2]))
        if not (low in _PLACE_NOUNS or word[0].isupper() or low.endswith(("'s", "\u2019s")) or word == ","):
            return False
        k -= 1
        skipped += 1
    if k < 0 or skipped > 6:
        return False
    # the text up to and including the preposition must not be "told reporters at", "war in"...
    upto = left[:_word_end_from_right(left, words, k)]
    # "met on the sidelines of a forum in Antalya": the forum is where a meeting was held
    return not _rules()["blocker"].search(upto[-50:]) or "sideline" in upto.lower()


def _nth_word_end(left: str, words: list[str], k: int) -> int:
    pos = 0
    for j in range(k + 1):
        pos = left.find(words[j], pos) + len(words[j])
    return pos


def _word_end_from_right(left: str, words: list[str], k: int) -> int:
    """Where word ``k`` of ``left`` (``words``: its ``_LEFT_WORDS`` tokens) ends, found from the right:
    the same as :func:`_nth_word_end`, with one step per word after it (usually none). Between and
    after the tokens stand only characters no token holds, so the last occurrence of a token before
    the next token's start is the token itself."""
    pos = len(left)
    for j in range(len(words) - 1, k - 1, -1):
        pos = left.rfind(words[j], 0, pos)
    return pos + len(words[k])



# --------------------------------------------------------------------------- clauses

def _clauses(sentence: Sentence, places: list[PlaceMention]) -> list[tuple[int, int]]:
    """Spans of the sentence's clauses: cut at reporting verbs, and between places when there are several."""
    rules = _rules()
    text, base = sentence.text, sentence.start
    cuts = [0]
    for m in rules["always_sep"].finditer(text):
        if m.start() > 0:
            cuts.append(m.start())
    for m in rules["report"].finditer(text):
        following = text[m.end():m.end() + 60]
        if not (_ADDRESSED_MEETING.match(following) or (m.group(0).lower() == "told" and _TOLD_PERSON.match(following))):
            cuts.append(m.start())
    cuts.append(len(text))
    cuts.sort()
    pieces = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        inside = {p.place for p in places if base + a <= p.start < base + b}
        if len(_most_specific(inside)) < 2:
            out.append((base + a, base + b))
            continue
        sub = [a] + [a + m.start() for m in rules["sep"].finditer(text[a:b]) if m.start() > 0] + [b]
        out.extend((base + x, base + y) for x, y in zip(sub, sub[1:]) if y > x)
    return out


def _most_specific(places: set[str]) -> set[str]:
    parents = _place_parents()
    return {p for p in places if not any(p in parents.get(q, ()) for q in places if q != p)}


def _status(clause: str) -> str:
    rules = _rules()
    if rules["ongoing"].search(clause):
        return "ongoing"
    if rules["planned"].search(clause):
        return "planned"
    return "held"


def _day_count(clause: str) -> int | None:
    if "day of" not in clause.lower():
        return None  # (every match holds it; no other character folds to these letters)
    m = _rules()["day"].search(clause)
    if not m:
        return None
    word = m.group(1).lower()
    if word in _rules()["ordinals"]:
        return int(_rules()["ordinals"][word])
    digits = _DIGITS.match(word)
    return int(digits.group(0)) if digits else None


def _is_caption(text: str, sentence: Sentence) -> bool:
    """A short line standing alone (a photo caption, a liveblog heading)."""
    line = _caption_line(text, sentence)
    return line is not None and _reads_as_caption(line)


def _caption_line(text: str, sentence: Sentence) -> str | None:
    """The sentence's line when it is short and the sentence is most of it (the cheap half of
    :func:`_is_caption`), else None."""
    if sentence.end - sentence.start > CAPTION_MAX_CHARS:
        return None
    # look for the line's ends only nearby: a caption is short (and long lines cost nothing)
    lo, hi = max(0, sentence.start - CAPTION_MAX_CHARS), min(len(text), sentence.end + CAPTION_MAX_CHARS)
    line_start = text.rfind("\n", lo, sentence.start)
    if line_start < 0 and lo > 0:
        return None
    line_end = text.find("\n", sentence.end, hi)
    if line_end < 0 and hi < len(text):
        return None
    line = text[line_start + 1:line_end if line_end >= 0 else len(text)]
    # (the cheap test first: a sentence among others in a paragraph is no caption)
    if len(line.strip()) - len(sentence.text.strip()) >= 40 or len(line.split()) > CAPTION_MAX_WORDS:
        return None
    return line


def _reads_as_caption(line: str) -> bool:
    """A photo credit, or no finite verb (the costly half of :func:`_is_caption`)."""
    if ":" in line and _CAPTION_MARK.search(line):  # (every credit mark ends with a colon)
        return True
    if _FINITE_VERB_LOW is not None and case_safe(line):  # the same matches on the lower-cased line, faster
        return not _FINITE_VERB_LOW.search(line.lower())
    return not _FINITE_VERB.search(line)



# --------------------------------------------------------------------------- meetings

def sentences_containing(low: str, starts: list[int], words: tuple[str, ...]) -> set[int]:
    """Indices of the sentences (given by their start offsets) whose lower-cased text holds any of ``words``.

    One C-level substring scan per word over the whole text: far cheaper than a pattern per sentence.
    """
    found: set[int] = set()
    last = len(starts) - 1
    for word in words:
        pos = low.find(word)
        while pos >= 0:
            index = bisect_right(starts, pos) - 1
            found.add(index)
            if index >= last:
                break
            pos = low.find(word, starts[index + 1])  # (more hits in this sentence add nothing)
    return found


@lru_cache(maxsize=16)
def _longest(words: tuple[str, ...]) -> int:
    return max(map(len, words))


def _starts_any(low: str, starts: list[int], index: int, words: tuple[str, ...]) -> bool:
    """True when one of ``words`` starts in sentence ``index`` or the gap after it: the same answer as
    ``index in sentences_containing(low, starts, words)``, for one sentence only."""
    begin = starts[index]
    if index + 1 == len(starts):
        return any(map(low[begin:].__contains__, words))
    stop = starts[index + 1]
    window = low[begin:stop + _longest(words)]
    if not any(map(window.__contains__, words)):  # (the usual answer, found without a Python loop)
        return False
    # (a word in the window may start after the sentence: check where before saying yes)
    return any(w in window and low.find(w, begin, stop + len(w) - 1) >= 0 for w in words)


def _starting_in(low: str, starts: list[int], first: int, last: int, words: tuple[str, ...]) -> set[int]:
    """The indices ``k`` from ``first`` to ``last`` for which ``_starts_any(low, starts, k, words)`` holds,
    read with one scan per word over those sentences (and the gap after the last), not one per sentence:
    the sentences a meeting reaches are read together."""
    found: set[int] = set()
    begin = starts[first]
    for word in words:
        stop = len(low) if last + 1 >= len(starts) else starts[last + 1] + len(word) - 1  # (starts before it)
        pos = low.find(word, begin, stop)
        while pos >= 0:
            index = bisect_right(starts, pos) - 1
            found.add(index)
            if index >= last:
                break
            pos = low.find(word, starts[index + 1], stop)  # (more hits in this sentence add nothing)
    return found


def _may_have_places(text: str, start: int, stop: int, towns: bool = True) -> bool:
    """False when :func:`find_places` surely finds nothing in ``text[start:stop]`` (no venue alias,
    no "city of X"): a cheap test before costlier ones. ``towns`` as in :func:`find_places`."""
    rules = _rules()
    if (rules["venue_alias"] or rules["venue"]).search(text, start, stop):
        return True
    return towns and _may_name_town(text, start, stop) and _TOWN_OF.search(text, start, stop) is not None


def _may_name_town(text: str, start: int, stop: int) -> bool:
    """False when ``_TOWN_OF`` surely finds nothing in ``text[start:stop]`` (none of its literal words)."""
    return any(text.find(word, start, stop) >= 0 for word in _TOWN_OF_WORDS)


def _mentions_in(mentions: list[Mention], starts: list[int], sentence: Sentence) -> list[Mention]:
    """The mentions starting in the sentence (``starts``: their start offsets, in order)."""
    return mentions[bisect_left(starts, sentence.start):bisect_left(starts, sentence.end)]


def _previous_mentions(mentions: list[Mention], starts: list[int], sentences: list[Sentence],
                       sentence_starts: list[int], index: int) -> list[Mention]:
    """The mentions of the last sentence before sentence ``index`` that has any (else none): found from
    the last mention before it, instead of carried along sentence by sentence."""
    k = bisect_left(starts, sentences[index].start)  # mentions[:k] start before the sentence
    while k > 0:
        j = bisect_right(sentence_starts, starts[k - 1]) - 1  # the sentence that mention starts in
        if j < 0:
            return []  # before the first sentence: in no sentence
        if starts[k - 1] < sentences[j].end:
            return _mentions_in(mentions, starts, sentences[j])
        k = bisect_left(starts, sentences[j].end)  # (it stands between sentences: look further back)
    return []


def extract_meetings(text: str, sentences: list[Sentence], mentions: list[Mention],
                     published: str | None, low: str | None = None) -> list[Meeting]:
    """Meetings of one article with their participants (pooled per place). ``low``, when given, is
    ``text.lower()`` (read only when it has the length of ``text``)."""
    rules = _rules()
    if not rules["venue_start"].search(text) and not ("of " in text and _TOWN_OF.search(text)):
        return []  # no place anywhere (no venue alias, no "city of X"): no meeting
    if low is None or len(low) != len(text):
        low = lower_same_length(text)  # same length as text: offsets hold
    trigger_words, cue_words = rules["trigger_words"], rules["cue_words"]
    meetings: dict[str, Meeting] = {}
    current: Meeting | None = None
    current_index = -10
    starts = [m.start for m in mentions]
    named = {m.person.name: m.person for m in mentions}  # who the article names, for titles
    sentence_starts = [s.start for s in sentences]
    with_trigger = sentences_containing(low, sentence_starts, trigger_words)
    if not with_trigger:
        return []  # every meeting starts from a sentence with a meeting word
    # Before the first sentence with a meeting word there is no meeting to continue or caption: start
    # there. A sentence's mentions, and those of the last sentence before it that has any, are read
    # only for the few sentences that get past the gates.
    towns = _may_name_town(text, 0, len(text))  # ("city of X" words anywhere: else none is looked for)
    # Continuation cue words are read for all the sentences the current meeting reaches at once, when
    # the first of them asks (cues: those with one; cues_read: the last sentence read so far).
    cues: set[int] = set()
    cues_read = -1

    def opens_with_cue(index: int) -> bool:
        """Does sentence ``index`` (in reach of the current meeting) hold a continuation cue word?"""
        nonlocal cues, cues_read
        if index > cues_read:
            cues_read = min(len(sentences) - 1, current_index + CONTINUATION_REACH)
            cues = _starting_in(low, sentence_starts, index, cues_read, cue_words)
        return index in cues

    for index in range(min(with_trigger), len(sentences)):
        sentence = sentences[index]
        # cheap gates first (substrings, then the venue pattern): most sentences are not about meetings.
        # Without a place the caption test does not matter, so it runs only where a place may be.
        may_trigger = index in with_trigger
        in_reach = current is not None and index - current_index <= CONTINUATION_REACH
        # (the cheap half of the caption test, then the venue pattern, then the costly half)
        may_caption = not may_trigger and bool(meetings) and (line := _caption_line(text, sentence)) is not None \
            and _may_have_places(text, sentence.start, sentence.end, towns) and _reads_as_caption(line)
        s_places = find_places(text, sentence.start, sentence.end, towns) if may_trigger or may_caption else []
        may_continue: bool | None = None  # a continuation cue word in the sentence (read when needed)
        if not s_places:
            may_continue = in_reach and opens_with_cue(index)
            if not may_continue:
                continue
        s_low = low[sentence.start:sentence.end]
        has_trigger = bool(s_places) and may_trigger and rules["trigger"].pattern.search(s_low)
        caption = may_caption or (has_trigger and _is_caption(text, sentence))
        if not (s_places and (has_trigger or caption)):
            if may_continue is None:
                may_continue = in_reach and opens_with_cue(index)
            if not (may_continue and (rules["cue"].pattern.search(s_low) or rules["cont_trigger"].pattern.search(s_low))):
                continue
        s_mentions = _mentions_in(mentions, starts, sentence)
        previous_mentions = _previous_mentions(mentions, starts, sentences, sentence_starts, index)
        clauses = _clauses(sentence, s_places)
        inherited: set[str] = set()
        for a, b in clauses:
            clause = text[a:b]
            c_places = _most_specific({p.place for p in s_places if a <= p.start < b})
            if not c_places and _WHERE.match(clause):
                c_places = inherited
            inherited = c_places or inherited
            clause_low = low[a:b]
            if rules["negative"].pattern.search(clause_low) and not (not c_places and _TOOK_PART_ASIDE.search(clause)):
                continue  # (but "Trump, who took part, left early and did not meet X" still took part)
            calls = [(c.start() - 30, c.end() + 30) for c in rules["call"].pattern.finditer(clause_low)]
            triggers = [t for t in rules["trigger"].pattern.finditer(clause_low)
                        if not any(lo <= t.start() <= hi for lo, hi in calls)]  # a call is no meeting
            people = None
            if c_places and triggers and all(_VISIT.match(t.group(0)) for t in triggers) and (
                    not _participants(text, (a, b), sentence, s_mentions, previous_mentions, named)
                    or not _visit_reaches_place(text, a, triggers, s_places)):
                triggers = []  # a visit with nobody named, or far from the place: not a meeting
            if c_places and triggers:
                status = _status(clause + " " + text[b:min(b + 40, sentence.end)])
                phrase = find_date_phrase(clause)
                date = resolve_date(phrase, published, "future" if status == "planned" else "past") \
                    if phrase else None
                for place in sorted(c_places):
                    meeting = meetings.get(place)
                    if meeting is None:
                        meeting = meetings[place] = Meeting(place, status, date, _day_count(clause), sentence,
                                                            from_caption=caption)
                    elif meeting.from_caption and not caption:
                        meeting.status, meeting.date, meeting.sentence = status, date, sentence
                        meeting.from_caption = False
                    if meeting.day_count is None:
                        meeting.day_count = _day_count(clause)
                    people = people if people is not None else _participants(
                        text, (a, b), sentence, s_mentions, previous_mentions, named)
                    _add(meeting, people, sentence)
                    current, current_index = meeting, index
            elif c_places and caption and not triggers:
                target = _caption_target(meetings, c_places)
                if target is not None:
                    _add(target, _participants(text, (a, b), sentence, s_mentions, previous_mentions, named), sentence)
            elif not c_places and current is not None and index - current_index <= 2 \
                    and rules["cont_trigger"].pattern.search(clause_low):
                _add(current, _participants(text, (a, b), sentence, s_mentions, previous_mentions, named), sentence)
            elif rules["cue"].pattern.search(clause_low) and current is not None and index - current_index <= CONTINUATION_REACH:
                target = current
                if c_places:
                    place = sorted(c_places)[0]
                    target = meetings.setdefault(place, Meeting(place, _status(clause), None, None, sentence))
                _add(target, _participants(text, (a, b), sentence, s_mentions, previous_mentions, named), sentence)
                current, current_index = target, index
    return _merge_regions(list(meetings.values()))


def _visit_reaches_place(text: str, clause_start: int, triggers: list[re.Match[str]],
                         places: list[PlaceMention]) -> bool:
    """True when a place stands close to a visit word ("visited Kyiv", "his visit to Ukraine",
    "arrived in Kyiv on an unannounced visit")."""
    for t in triggers:
        start, end = clause_start + t.start(), clause_start + t.end()
        if any(0 <= p.start - end <= 25 or 0 <= start - p.end <= 60 for p in places):
            return True
    return False


def _add(meeting: Meeting, people: list[Mention], sentence: Sentence) -> None:
    for m in people:
        meeting.participants.setdefault(m.person.name, (m, sentence))


def _caption_target(meetings: dict[str, Meeting], places: set[str]) -> Meeting | None:
    parents = _place_parents()
    for place in sorted(places):
        if place in meetings:
            return meetings[place]
        for other in meetings.values():
            if place in parents.get(other.place, ()):
                return other
    return None


def _merge_regions(meetings: list[Meeting]) -> list[Meeting]:
    """Fold a meeting placed at a region or country into the one at a city inside it, when their
    dates agree or one is unknown ("at a base in Alaska" + "in Anchorage" -> Anchorage)."""
    parents = _place_parents()
    kept = []
    for meeting in meetings:
        inside = [m for m in meetings if m is not meeting and meeting.place in parents.get(m.place, ())
                  and (m.date is None or meeting.date is None or m.date == meeting.date)]
        if inside:
            target = inside[0]
            for name, value in meeting.participants.items():
                target.participants.setdefault(name, value)
            continue
        kept.append(meeting)
    return kept

