"""What kind of thing a name is across one story: a person, an organisation, a street or a building.

The NER labels each mention on its own, and a small model often labels one name two ways in one
story ("<Name> Holding" a person in one article, an organisation in the next; "Mayor <Name>" an
organisation; "the <Name> building" a person). The story settles it before anything clusters:

* a name after "the" and before a building noun ("the <X> building"), or with a street word
  ("<X> Street", "Avenida <X>"), is a building or a street (label ``FAC``, ``source="pattern"``),
  never a person; so is a saint's name the story also gives as a church ("St. X's Church",
  "Saint X's", "the church of St X" are one venue), though a town named for the saint ("St. X"
  as a place, without a possessive) stays a town;
* people and organisations are weighed per name over all its mentions: a title or a role
  apposition ("Mayor X", "the mayor, X,", "X, the office's spokesman") and a gendered pronoun
  in the clause after it speak for a person; a business noun before it ("maker X"), a person's
  workplace ("a lawyer at X"), "its" in the
  clause after it, and the story calling it by its *first* word alone (a company is called by
  the first word of its name, a person by the last) speak for an organisation; a single word
  that is the surname of a person the story names in full is that person, unless the story
  names an organisation with it first.
  The NER's own labels count as weak votes. A name changes kind only with a cue for the new kind
  (or a clear majority of labels), and then in every article; a name the NER also calls a place
  somewhere in the story is never made a person, and where nothing says it is a person, it is
  that place.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from manysides.analyse.entities.common import SOURCE_PATTERN, DEMONYM, _clean_surface, name_words
from manysides.analyse.shared.translit import TITLE_WORDS
from manysides.model import Article, Mention, Span

FACILITY = "FAC"
_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP"})
# Rank-of-body and remit words of the title list ("defence", "army") do not make a person.
_BODY_WORDS = frozenset("defence defense foreign interior military army navy air force ministry field former "
                        "acting head deputy general chief".split())
_PERSON_TITLES = frozenset(TITLE_WORDS - _BODY_WORDS)
_SAINT = re.compile(r"^(?:St\.?|Saint|Ste\.?)\s+")
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")
_CLAUSE_END = re.compile(r"[.;:!?\"“”()\n]")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _person_nouns() -> frozenset[str]:
    return (name_words("role") | name_words("person") | name_words("person_male")
            | name_words("person_female") | name_words("agent") | _PERSON_TITLES)


_TITLE_RIGHT_BEFORE = re.compile(r"\b(?i:" + _alternation(_PERSON_TITLES) + r")\.?\s+$")
# up to three words and a noun for a person ("senior official", "company spokesman")
_ROLE_NOUN = r"(?:[\w’'.-]+\s+){0,3}?(?:" + _alternation(_person_nouns()) + r")"
# "the mayor, <X>," / "A company spokesman, <X>," / "The club's captain, <X>,"
_ROLE_BEFORE = re.compile(r"(?i:\b(?:the|a|an|its|their|[\w’']+['’]s)\s+" + _ROLE_NOUN + r")\s*,\s*$")
# "<X>, the office's spokesman" / "<X>, a senior official"
_ROLE_AFTER = re.compile(r"^,\s+(?i:(?:the|a|an|[\w’']+['’]s)\s+" + _ROLE_NOUN + r")\b")
# "a lawyer at <X>", "an analyst at <X>": where a person works, so an organisation
_EMPLOYER_BEFORE = re.compile(r"(?i:\b(?:a|an|the)\s+" + _ROLE_NOUN + r")\s+at\s+$")
_COMPANY_BEFORE = re.compile(r"\b(?i:" + _alternation(name_words("company_noun")) + r")\s+$")
_ITS_AFTER = re.compile(r"^(?:’s|'s)?(?:[\s,]+[\w’'-]+){0,4}?[\s,]+its\b")
_GENDERED_AFTER = re.compile(r"^(?:[\s,]+[\w’'-]+){0,4}?[\s,]+(?:he|she|his|her|him)\b")
_BUILDING_AFTER = re.compile(r"^\s+(?:" + _alternation(name_words("building_noun")) + r")\b")
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
_CAPITALISED_AFTER = re.compile(r"^(?:\s+(?:de\s+(?:la\s+|los\s+)?|del\s+)?[A-Z][\w’'\-]*){1,3}")
_VENUE_OF = re.compile(r"\b(?i:the\s+)(" + _alternation(name_words("venue_head")) + r")\s+of\s+$")


def venue_name(surface: str) -> str:
    """The name a venue goes by without its head noun: "St. Mary's Church", "Saint Mary's" and
    "St Mary" are all "saint mary"."""
    words = _clean_surface(surface).split()
    if len(words) > 1 and words[-1].casefold() in name_words("venue_head"):
        words = words[:-1]
    text = _SAINT.sub("Saint ", " ".join(words))
    return _POSSESSIVE.sub("", text).casefold().strip()


def venue_head(text: str, mention: Mention) -> str | None:
    """The head noun that makes a mention a venue: inside it, right after it, or "the church of" before it."""
    words = _clean_surface(mention.text).split()
    if len(words) > 1 and words[-1].casefold() in name_words("venue_head"):
        return words[-1].casefold()
    after = re.match(r"^\s+([A-Z][a-z]+)\b", text[mention.end:mention.end + 20])
    if after and after.group(1).casefold() in name_words("venue_head"):
        return after.group(1).casefold()
    before = _VENUE_OF.search(text[max(0, mention.start - 30):mention.start])
    return before.group(1).casefold() if before else None


def _name_key(surface: str) -> str:
    """A name without "the", a possessive or leading person titles ("Mayor X" is X)."""
    words = _POSSESSIVE.sub("", _clean_surface(surface)).split()
    while len(words) > 1 and words[0].rstrip(".").casefold() in _PERSON_TITLES:
        words.pop(0)
    return " ".join(words).casefold()


@dataclass
class _Votes:
    labels: Counter = field(default_factory=Counter)
    person: int = 0  # cues in the text
    org: int = 0


def _street(surface: str) -> bool:
    words = [w.casefold().rstrip(".") for w in _clean_surface(surface).split()]
    streets = name_words("street_word")
    return len(words) >= 2 and (words[0] in streets or words[-1] in streets)


_OWNER = re.compile(r"^.*['\u2019]s\s+")
_NUMBER_AFTER = re.compile(r"\s+\d+\b")


def _street_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The street a mention names, or None when the NER ran it into other words.

    "Warden's Memphis Street" is Memphis Street (the owner is not the street's name);
    "County Road" before "43" is County Road 43; a span with a lowercase word or a dash
    in it ("Highway 59 to", "Twin Lakes - Highway") is two things run together.
    """
    owner = _OWNER.match(text[start:end])
    if owner:
        start += owner.end()
    number = _NUMBER_AFTER.match(text[end:end + 8])
    if number:
        end += number.end()
    words = text[start:end].split()
    if any(not (word[0].isupper() or word[0].isdigit()) for word in words):
        return None
    return (start, end) if _street(text[start:end]) else None


def _facility_span(text: str, mention: Mention) -> tuple[int, int] | None:
    """The span of a street or building a person/organisation-labelled mention names, or None."""
    surface = text[mention.start:mention.end]
    words = _clean_surface(surface).split()
    if len(words) == 1 and words[0].casefold() in name_words("street_word"):
        # "Avenida" tagged alone: the street is the word and the name after it
        after = _CAPITALISED_AFTER.match(text[mention.end:mention.end + 60])
        return (mention.start, mention.end + after.end()) if after else None
    if _street(surface):
        return _street_span(text, mention.start, mention.end)
    # "the <X> building", "The <X> Tower": a building, where "the" rules out a person
    # (Senator <Name> Tower, Judge <Name> Block)
    the = re.match(r"[Tt]he\s", surface) or _THE_BEFORE.search(text[max(0, mention.start - 5):mention.start])
    if the and len(words) >= 2 and words[-1].casefold() in name_words("building_noun"):
        return mention.start, mention.end
    if the and _BUILDING_AFTER.match(text[mention.end:mention.end + 20]):
        return mention.start, mention.end
    return None


def settle_kinds(articles: Sequence[Article]) -> list[Article]:
    """The articles with each name's mentions relabelled to the one kind the story shows it is."""
    relabel: dict[tuple[str, int, int], tuple[int, int, str]] = {}

    # 1. Streets, buildings and venues.
    facilities: set[str] = set()
    venues: dict[str, set[str]] = defaultdict(set)  # venue name -> heads seen with it
    for article in articles:
        text = article.clean_text
        for mention in article.mentions:
            if mention.label in _NAME_LABELS:
                span = _facility_span(text, mention)
                if span is not None:
                    relabel[(article.id, mention.start, mention.end)] = (*span, FACILITY)
                    name = _name_key(text[span[0]:span[1]])
                    if len(name.split()) >= 2:
                        facilities.add(name)  # its other mentions are the same street or building
            head = venue_head(text, mention)
            if head is not None and mention.label in (*_NAME_LABELS, "GPE", "LOC", "FAC") \
                    and _SAINT.match(_clean_surface(mention.text)):
                venues[venue_name(mention.text)].add(head)

    # 2. People and organisations, weighed per name. A name the NER also calls a place somewhere
    # in the story ("<town> police said he ...") is never made a person here.
    placed = Counter(_name_key(m.text) for a in articles for m in a.mentions if m.label in ("GPE", "LOC", "FAC"))
    votes: dict[str, _Votes] = defaultdict(_Votes)
    for article in articles:
        text = article.clean_text
        for mention in article.mentions:
            if mention.label not in _NAME_LABELS or (article.id, mention.start, mention.end) in relabel:
                continue
            key = _name_key(mention.text)
            if not key or not key[0].isalpha():
                continue
            found = votes[key]
            found.labels[mention.label] += 1
            before = text[max(0, mention.start - 60):mention.start]
            after = _CLAUSE_END.split(text[mention.end:mention.end + 80])[0]
            inside = mention.text.split()
            titled = len(inside) > 1 and inside[0].rstrip(".").casefold() in _PERSON_TITLES
            if titled or _TITLE_RIGHT_BEFORE.search(before) or _ROLE_BEFORE.search(before) \
                    or _ROLE_AFTER.match(after) or _GENDERED_AFTER.match(after):
                found.person += 1
            if _COMPANY_BEFORE.search(before) or _EMPLOYER_BEFORE.search(before) or _ITS_AFTER.match(after):
                found.org += 1

    singles = {k for k in votes if " " not in k}
    kinds: dict[str, str] = {}

    def decide(key: str, person: int, org: int) -> str | None:
        labels = votes[key].labels
        person_score = 3 * person + labels["PERSON"]
        org_score = 3 * org + labels["ORG"] + labels["NORP"]
        if person_score > org_score and (person or labels["PERSON"] >= max(3, 3 * (org_score or 0))):
            return "PERSON"
        if org_score > person_score and (org or (labels["ORG"] >= 3 and labels["ORG"] >= 3 * labels["PERSON"])):
            return "ORG"
        return None

    # Single words first by their own cues, so a full name can lean on how its first word is used.
    for key in singles:
        kinds[key] = decide(key, votes[key].person, votes[key].org)
    multi = [k for k in votes if " " in k]
    for key in multi:
        words = key.split()
        person, org = votes[key].person, votes[key].org
        if kinds.get(words[0]) == "ORG" and not any(other.split()[-1] == words[0] for other in multi):
            org += 1  # the story calls it by its first word: a company, not a person
        if kinds.get(words[-1]) == "PERSON":
            person += 1
        kinds[key] = decide(key, person, org)
    # A single word the story uses as a surname of a person it names in full, or as the first
    # word of an organisation's name.
    for key in singles:
        surname_of = [k for k in multi if k.split()[-1] == key and kinds.get(k) == "PERSON"]
        first_of = [k for k in multi if k.split()[0] == key and kinds.get(k) == "ORG"]
        person, org = votes[key].person + bool(surname_of), votes[key].org + bool(first_of)
        if surname_of and first_of:
            continue
        kinds[key] = decide(key, person, org)

    out = []
    for article in articles:
        text = article.clean_text
        mentions: list[Mention] = []
        for mention in article.mentions:
            start, end, label = relabel.get((article.id, mention.start, mention.end),
                                            (mention.start, mention.end, None))
            key = _name_key(mention.text)
            if label is None and mention.label in (*_NAME_LABELS, "GPE", "LOC", "FAC"):
                name = venue_name(mention.text)
                # "Saint X's", "the church of St X", "St X" read as a person: the venue; but a
                # town named for the saint ("St. X" as a place, no possessive) stays a town
                if name in venues and (mention.label in ("PERSON", "NORP") or _POSSESSIVE.search(mention.text)
                                       or venue_head(text, mention) is not None):
                    label = FACILITY
                    head = venue_head(text, mention)
                    after = re.match(r"^\s+[A-Z][a-z]+\b", text[end:end + 20])
                    if head and after and after.group().strip().casefold() == head:
                        end += after.end()  # "St. Mary's" + "Church"
            if label is None and mention.label in _NAME_LABELS and key in facilities:
                label = FACILITY
            if label is None and mention.label in _NAME_LABELS:
                kind = kinds.get(key)
                if kind is not None and kind != mention.label and not (kind == "PERSON" and key in placed) \
                        and not (mention.label == "NORP" and (kind == "PERSON" or DEMONYM.search(key))):
                    label = kind
                elif mention.label == "PERSON" and placed[key] >= votes[key].labels["PERSON"] \
                        and not votes[key].person:
                    # "<town>'s hillsides": the story calls it a place elsewhere, at least as often
                    # (a people's name the NER once calls a place stays what it mostly is)
                    label = "GPE"
            if label is None:
                mentions.append(mention)
                continue
            mentions.append(Mention(span=Span(article_id=article.id, start=start, end=end),
                                    text=text[start:end], label=label,
                                    source=SOURCE_PATTERN if label == FACILITY else mention.source))
        # a widened span swallows what it now covers
        mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for mention in mentions:
            if kept and mention.start < kept[-1].end:
                continue
            kept.append(mention)
        out.append(article.model_copy(update={"mentions": kept}))
    return out
