"""Who takes part in a meeting: the people of a clause, less speakers, owners and bosses of roles,
mediators and those who stayed away; plus titles ("the Ukrainian president") and acting pronouns."""
from __future__ import annotations

import re
from typing import Any

from .meeting_rules import case_safe, lower_same_length
from .meeting_rules import rules as _rules
from .people import Mention
from .text import Sentence

_SUBCLAUSE = re.compile(r",? but\b|;|, while\b|, and\b", re.IGNORECASE)
#: Mediators and organisers named after "by" are not at the table ("facilitated by President X").
_ENABLER_BEFORE = re.compile(r"\b(?:facilitated|brokered|mediated|organi[sz]ed|arranged|sponsored)\s+by\s+"
                             r"(?:[A-Z][\w'\u2019.-]*\s+){0,4}$")
#: A name before these verbs comments on a meeting ("X praised the Geneva talks"), it does not attend it.
_COMMENTS = re.compile(r"^(?:,[^,]{0,40},)?\s+(?:has |had |also |later |then )?(?:praised|critici[sz]ed|hailed|"
                       r"described|recalled|referred to|commented on|questioned|downplayed|played down|mocked|"
                       r"ridiculed|derided)\b(?=[^.,;]{0,40}\b(?:meeting|summit|talks|negotiations)\b)")
_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]|['\u2019]s\b")
_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)
_PRONOUN_LOW = re.compile(_PRONOUN.pattern)  # the same, for lower-cased text (see meeting_rules.case_safe)
#: "told the Paris gathering": the speaker addressed the meeting, so took part in it.
_ADDRESSED_MEETING = re.compile(r"^\s+(?:the|a|an)\s+(?!(?:news|press)\b)(?:[\w-]+\s+){0,2}(?:gathering|meeting|summit|talks|conference|"
                                r"session|delegates|delegations|leaders)\b", re.IGNORECASE)
#: "said on Friday, after talks with X": the speaker reports from talks of his own.
_AFTER_TALKS = re.compile(r"^[^,.;]{0,30},?\s*(?:after|following)\s+(?:(?:his|her|their)\s+)?(?:talks|a meeting|meeting|"
                          r"meetings|a summit)\s+with\b")
_SPEAKER_AFTER_TALKS = re.compile(r"\s+(?:said|says|told reporters)\b[^,.;]{0,30},\s*(?:after|following)\s+"
                                  r"(?:(?:his|her|their)\s+)?(?:talks|a meeting|meeting|meetings|a summit)\s+with\b")
#: "Biden told Germany's Chancellor Olaf Scholz": said to a person's face.
_TOLD_PERSON = re.compile(r"^\s+(?:[A-Z][\w'\u2019.-]*\s+){1,4}[A-Z]")
_TRAVEL = re.compile(r"\b(?:travel|fly|flew|visit)")
_NOT_ACTING = re.compile(r"\b(?:expected|expects|hoped|hopes|said|says|thinks|believes|wants|who|which|whom)\b")
_ASIDE = re.compile(r"^,([^,]{0,40}),")
_TOLD = re.compile(r"^\s+told\b")
_SAID = re.compile(r"^(?:,[^,]{0,40},)?\s+(?:has |had |also |later |then )?(?:said|says|told|wrote|added|"
                   r"announced|claimed|tells)\b")
_REPORTED_BY = re.compile(r"(?:[Aa]ccording to|said|says|wrote)\s+(?:[A-Z][\w'\u2019.-]*\s+){0,4}$")


def participants(text: str, span: tuple[int, int], sentence: Sentence, mentions: list[Mention],
                  previous: list[Mention], named: dict[str, Any]) -> list[Mention]:
    """People a clause puts at the table: not speakers, not owners of a role, not those who stayed away."""
    rules = _rules()
    a, b = span
    clause = text[a:b]
    excluded = []
    for neg in rules["partneg"].finditer(clause):
        heads = [0] + [x.end() for x in _SUBCLAUSE.finditer(clause, 0, neg.start())]
        head = heads[-1]
        if len(heads) > 1 and not any(a + head <= m.start < a + neg.start() for m in mentions):
            head = heads[-2]  # "X flew in with the delegation but did not take part": X is the subject
        excluded.append((a + head, a + neg.end()))
    out = []
    for m in mentions:
        if not (a <= m.start < b) or any(x <= m.start < y for x, y in excluded):
            continue
        after = text[m.end:m.end + 60]
        if m.possessive and not rules["poss_meeting"].match(after):
            continue  # "Trump's envoy", "Trump's plan": the owner is not at the table
        role_of = _role_of(text[max(sentence.start, m.start - 60):m.start])
        if role_of and not _own_title(role_of.group(0), m) \
                or _ENABLER_BEFORE.search(text[max(sentence.start, m.start - 45):m.start]):
            continue
        if _is_speaker(text, m, b, sentence):
            continue
        out.append(m)
    for m in mentions:
        # "Zelensky said on Friday, after talks with X in Warsaw, ...": the clause opens after the speaker
        if sentence.start <= m.start < a and _SPEAKER_AFTER_TALKS.match(text, m.end, b):
            out.append(m)
    out.extend(_role_references(clause, a, named))
    pronoun = _PRONOUN_LOW.search(clause.lower()) if case_safe(clause) else _PRONOUN.search(clause)  # (same offsets)
    if pronoun and _acting_pronoun(clause[pronoun.end():]) \
            and not any(x <= a + pronoun.start() < y for x, y in excluded):
        before = [m for m in mentions if sentence.start <= m.start < a + pronoun.start()]
        if before:
            out.append(before[-1])
        elif previous:
            out.append(previous[0])
    return out


def _role_of(before: str) -> re.Match[str] | None:
    """``rules()["role_of"].search(before)`` ("an aide to the president " right before a name), run on the
    lower-cased text where that finds the same, faster (the match then reads in lower case)."""
    rules = _rules()
    if rules["role_of_low"] is not None and case_safe(before):
        return rules["role_of_low"].search(before.lower())
    return rules["role_of"].search(before)


def _own_title(prefix: str, m: Mention) -> bool:
    """True when "Aide to the Russian President X" titles X himself (X's own role is an aide's)."""
    own = (m.person.role or "").lower()
    first = prefix.split()[0].lower()
    return bool(own) and (first in own or first[:5] in own)


def _role_references(clause: str, offset: int, named: dict[str, Any]) -> list[Mention]:
    """People a clause names by title only ("the Ukrainian president"), when the article names them."""
    out: list[Mention] = []
    rules = _rules()
    if named.keys().isdisjoint(rules["role_name_set"]):
        return out  # the article names nobody a title can stand for
    low = lower_same_length(clause)
    words = rules["role_ref_words"]
    if words is not None and not any(w in low for w in words):
        return out  # every title holds one of these words
    for m in rules["role_refs"].finditer(low):
        if _NAME_AFTER.match(clause, m.end()) or _role_of(clause[max(0, m.start() - 60):m.start()]):
            continue  # "the Russian President Vladimir X" titles X; "an aide to the Russian president" is no one at the table
        candidates = rules["role_names"][int(m.lastgroup[1:])]
        person = next((named[c] for c in candidates if c in named), None)
        if person is not None:
            out.append(Mention(person, offset + m.start(), offset + m.end(), "role"))
    return out


def _acting_pronoun(after: str) -> bool:
    """True when "he"/"she" is the one meeting ("he met", "he would travel ... to meet"), not a mere speaker."""
    window = after[:70]
    trigger = _rules()["trigger"].search(window) or _TRAVEL.search(window)
    # "he said he expected ... meetings" or "he bombed X, who was visiting": someone else's meeting
    return trigger is not None and not _NOT_ACTING.search(window[:trigger.start()])


def _is_speaker(text: str, m: Mention, clause_end: int, sentence: Sentence) -> bool:
    """True when the mention is the subject of a reporting verb ("..., Zelensky said")."""
    after = text[m.end:min(sentence.end, m.end + 60)]
    aside = _ASIDE.match(after)
    if aside and (_rules()["cue"].search(aside.group(1)) or _rules()["trigger"].search(aside.group(1))):
        return False  # "Costa, who chaired the summit, said": took part, then spoke
    told = _TOLD.match(after)
    if told and (_ADDRESSED_MEETING.match(after[told.end():]) or _TOLD_PERSON.match(after[told.end():])):
        return False
    said = _SAID.match(after)
    if said:
        # "Zelensky said on Friday, after talks with X in Warsaw, that ...": the speaker was at the talks
        rest = text[m.end + said.end():min(sentence.end, m.end + said.end() + 80)]
        return not _AFTER_TALKS.match(rest)
    if _COMMENTS.match(after):
        return True  # "Lavrov praised the Anchorage summit": commenting on a meeting is not attending it
    before = text[max(sentence.start, m.start - 30):m.start]
    return bool(_REPORTED_BY.search(before)) \
        and m.start < clause_end

