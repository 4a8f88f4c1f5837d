"""The shortcuts of the diplomacy extractors give what the plain rules give (issue #7, speed): a
shortcut may only skip work whose result it already knows. Each test runs the plain version next
to the fast one on generated texts full of the rules' words, their look-alikes and edge characters."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import diplomacy, meetings, people
from toolkit.meetings import Sentence
from toolkit.people import Mention, Person

# names, titles, particles, places, nationality and region words, caption marks, punctuation, and the
# characters that lower-case oddly (Kelvin sign, long s, dotless i, capital I with dot, final sigma)
TOKENS = ["aide", "adviser", "spokesman", "chief of staff", "Aide", "for", "Vladimir", "Putin", "Putin's", "Zelensky", "Zelenskyy’s", "Volodymyr", "Mohammed", "bin", "Salman",
          "von", "der", "Leyen", "Ursula", "J.", "D.", "Vance", "Daniel", "P.", "Driscoll", "Ivan", "Petrov",
          "Kosiniak-Kamysz", "governor", "Governor", "minister", "President", "president", "aide", "to", "the",
          "The", "by", "led", "of", "in", "at", "inside", "visited", "travelled", "met", "talks", "summit",
          "Geneva", "Riyadh", "Kyiv", "Ukraine", "Russia", "Alaska", "Anchorage", "Belgorod", "Kharkiv",
          "Ukrainian", "Russian", "US", "U.S.", "American", "Turkish", "Iceland", "Prime", "Minister",
          "city", "town", "resort", "village", "port", "Kananaskis", "Canada", "said", "was", "hosted",
          "Photo:", "Credit:", "PHOTO:", "original", "first", "Meetings", "negotiations", "\u212aremlin",
          "ſummit", "İstanbul", "ıs", "ΟΔΟΣ", "’s", "'s", ",", ".", ". ", ":", ";", "-", " ", "  ", "\u00a0",
          "\n", "\n\n", "\t"]
texts = st.lists(st.sampled_from(TOKENS), max_size=16).map(" ".join) | \
    st.lists(st.sampled_from(TOKENS), max_size=16).map("".join)


# --------------------------------------------------------------------------- people

def _plain_affiliation(context: str) -> str | None:
    best = None
    for aff, pattern in people._rules()["nationalities"] + people._rules()["regions"]:
        for m in pattern.finditer(context):
            if best is None or m.start() > best[0]:
                best = (m.start(), aff)
    return best[1] if best else None


@settings(max_examples=400, deadline=None)
@given(texts)
def test_affiliation_tries_only_patterns_that_can_match(text: str) -> None:
    assert people.affiliation_from_context(text) == _plain_affiliation(text)
    possessive = text.lower() + "'s"
    plain = next((aff for aff, p in people._rules()["nationalities"]
                  if any(m.group(0) == possessive for m in p.finditer(possessive))), None)
    assert people._country_named(text) == plain


def test_affiliation_patterns_are_indexed_by_their_first_words() -> None:
    index, always = people._affiliation_words()
    assert index  # (a pattern that is no plain word list is simply tried always)
    assert people.affiliation_from_context("talks with the Belgorod governor") == "Russia"
    assert people.affiliation_from_context("the RUSSIAN and then the Ukrainian side") == "Ukraine"


_PLAIN_GAP = re.compile(r"(?:\. ?| |\u00a0)((?:(?:von|der|de|bin|al|el|da|van|den|la|le|di)[ -])*)")


def _plain_tokens(text: str) -> tuple[list[tuple[str, int, int]], list[str | None]]:
    tokens = [(m.group(0), m.start(), m.end()) for m in people.NAME_TOKEN_RE.finditer(text)]
    gaps: list[str | None] = []
    for (word, _, end), (_, start, _) in zip(tokens, tokens[1:]):
        if start - end > 16 or word.endswith(("'s", "\u2019s")):
            gaps.append(None)
        elif start - end == 1 and text[end] == " ":
            gaps.append("")
        else:
            m = _PLAIN_GAP.fullmatch(text, end, start)
            if m and text[end] == "." and len(word) > 1:
                m = None
            gaps.append(m.group(1).replace("-", " ") if m else None)
    return tokens, gaps


@settings(max_examples=600, deadline=None)
@given(texts)
def test_one_split_reads_the_words_and_gaps_the_plain_scan_reads(text: str) -> None:
    assert people._name_tokens(text) == _plain_tokens(text)


def test_words_and_gaps_of_a_few_names() -> None:
    for text in ["", "no capitals here", "Mohammed bin Salman met J.D. Vance and Daniel P. Driscoll.",
                 "Ursula von der Leyen, Putin's aide Ivan Petrov", "A\u00a0B " + " " * 20 + "C"]:
        assert people._name_tokens(text) == _plain_tokens(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ivan", "petrov", "zelenski", "volodimir", "wasyl", "zarycz", "oleh",
                                 "synahubow", "kosiniak kamysz", "x"]), min_size=2, max_size=3))
def test_fuzzy_run_is_the_longest_close_name(words: list[str]) -> None:
    plain = None
    for size in range(len(words), 1, -1):
        if any(" " in w for w in words[:size]):
            continue
        person = people.fuzzy_full_name(" ".join(words[:size]))
        if person is not None:
            plain = (person, size)
            break
    assert people._fuzzy_run(tuple(words)) == plain


# --------------------------------------------------------------------------- meetings

def _plain_placed(text: str, start: int) -> bool:
    """:func:`toolkit.meetings._placed_by_preposition` without its shortcuts."""
    left = text[max(0, start - 80):start]
    left = left[left.rfind("\n") + 1:]
    end_of_sentence = list(meetings._SENTENCE_END.finditer(left))
    if end_of_sentence:
        left = left[end_of_sentence[-1].end():]
    words = meetings._LEFT_WORDS.findall(left)
    k = len(words) - 1
    skipped = 0
    while k >= 0 and skipped <= 6:
        word = words[k]
        low = word.lower()
        if low in ("in", "at", "inside") or (low in ("visit", "visits", "visited", "visiting") and k == len(words) - 1):
            break
        if low == "to":
            cut = left.rfind(word, 0, len(left) - sum(len(w) for w in words[k + 1:]))
            return bool(meetings._TRAVEL_BEFORE_TO.search(left[:cut + 2]))
        if not (low in meetings._PLACE_NOUNS or word[0].isupper() or low.endswith(("'s", "\u2019s")) or word == ","):
            return False
        k -= 1
        skipped += 1
    if k < 0 or skipped > 6:
        return False
    upto = left[:meetings._nth_word_end(left, words, k)]
    return not meetings._rules()["blocker"].search(upto[-50:]) or "sideline" in upto.lower()


@settings(max_examples=400, deadline=None)
@given(texts)
def test_placed_by_preposition_shortcuts_agree(text: str) -> None:
    for start in range(len(text) + 1):
        assert meetings._placed_by_preposition(text, start) == _plain_placed(text, start)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_town_and_comma_pre_checks_never_hide_a_match(text: str) -> None:
    if meetings._TOWN_OF.search(text):
        assert meetings._may_name_town(text, 0, len(text))
    for end in range(len(text) + 1):
        for lo in (0, max(0, end - 60)):
            if meetings._TOWN_BEFORE_COUNTRY.search(text, lo, end):
                assert meetings._comma_before(text, lo, end)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_caption_halves_make_the_caption_test(text: str) -> None:
    plain = bool(meetings._CAPTION_MARK.search(text)) or not meetings._FINITE_VERB.search(text)
    assert meetings._reads_as_caption(text) == plain


def _sentences(text: str) -> list[Sentence]:
    from toolkit.text import split_sentences
    return split_sentences(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=6).map(". ".join))
def test_previous_mentions_are_those_carried_along(text: str) -> None:
    sentences = _sentences(text)
    mentions = people.find_mentions(text)
    starts = [m.start for m in mentions]
    sentence_starts = [s.start for s in sentences]
    carried: list[Mention] = []
    for index, sentence in enumerate(sentences):
        assert meetings._previous_mentions(mentions, starts, sentences, sentence_starts, index) == carried
        carried = meetings._mentions_in(mentions, starts, sentence) or carried


def test_previous_mentions_skip_mentions_outside_sentences() -> None:
    sentences = [Sentence("A b.", 0, 4, 0), Sentence("C d.", 10, 14, 0), Sentence("E f.", 20, 24, 0)]
    person = Person("X", "US", "envoy")
    mentions = [Mention(person, 1, 2, "full"), Mention(person, 6, 7, "full"), Mention(person, 16, 17, "full")]
    starts = [m.start for m in mentions]
    assert meetings._previous_mentions(mentions, starts, sentences, [0, 10, 20], 2) == [mentions[0]]
    assert meetings._previous_mentions(mentions, starts, sentences, [0, 10, 20], 0) == []


# --------------------------------------------------------------------------- diplomacy

@settings(max_examples=400, deadline=None)
@given(texts)
def test_position_link_words_on_lower_case_text(text: str) -> None:
    for pattern, low in ((diplomacy._ORIGINAL, diplomacy._ORIGINAL_LOW),
                         (diplomacy._MEETING_WORDS, diplomacy._MEETING_WORDS_LOW)):
        assert diplomacy._finds(pattern, low, text) == bool(pattern.search(text))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="AaÉéIıİiYy'’sS-KkZzŁłÖöß\u212a\u0301", max_size=12))
def test_fold_token_ascii_shortcut(token: str) -> None:
    import unicodedata

    text = unicodedata.normalize("NFKD", token)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("\u2019", "'")
    text = re.sub(r"'s?$", "", text).replace("'", "").replace("ı", "i")
    plain = " ".join(people._ENDING_RE.sub("i", part) for part in text.split("-") if part)
    assert people.fold_token.__wrapped__(token) == plain


@settings(max_examples=400, deadline=None)
@given(texts)
def test_role_of_on_lower_case_text(text: str) -> None:
    from toolkit import participants
    from toolkit.meeting_rules import rules

    for end in range(len(text) + 1):
        fast, plain = participants._role_of(text[:end]), rules()["role_of"].search(text[:end])
        assert (fast and (fast.span(), fast.group(0).lower())) == (plain and (plain.span(), plain.group(0).lower()))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_word_end_from_the_right_is_the_word_end(text: str) -> None:
    words = meetings._LEFT_WORDS.findall(text)
    for k in range(len(words)):
        assert meetings._word_end_from_right(text, words, k) == meetings._nth_word_end(text, words, k)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_places_without_town_words_need_no_town_search(text: str) -> None:
    if not meetings._may_name_town(text, 0, len(text)):
        assert meetings.find_places(text, towns=False) == meetings.find_places(text)
        assert meetings._may_have_places(text, 0, len(text), False) == meetings._may_have_places(text, 0, len(text))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS + ["he", "He", "SHE", "she's", "the", "\u212a"]), max_size=16).map(" ".join))
def test_pronoun_on_lower_case_text(text: str) -> None:
    from toolkit import participants

    plain = participants._PRONOUN.search(text)
    fast = participants._PRONOUN_LOW.search(text.lower()) if participants.case_safe(text) else plain
    assert (fast and fast.span()) == (plain and plain.span())
