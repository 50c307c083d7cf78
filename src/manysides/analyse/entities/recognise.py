"""Recognition in one article: region phrases, institutions, compounds and gazetteer places the NER missed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from manysides.analyse.entities.common import (
    CAPITALISED_RUN, NEVER_PLACES, PLACE_LABELS, SOURCE_GAZETTEER, SOURCE_PATTERN, _clean_surface, _overlaps,
    name_words, state_abbreviations,
)
from manysides.analyse.entities.organisations import INSTITUTION_PATTERN, _OF_SPLIT
from manysides.analyse.entities.places import (
    COMMON_WORD_ZIPF, DIRECTION_PATTERN, HYPHEN_COMPOUND, NEAR_KM, REGION_PATTERN, REPUBLIC_PATTERN,
    StoryAnchor, _compound_part, _plausible, _region_lookup, best_place,
)
from manysides.analyse.shared.gazetteer import Gazetteer
from manysides.analyse.shared.translit import TITLE_WORDS
from manysides.model import Article, Mention, Span

# A dateline word this big a city is the dateline whatever the NER read there (see _screen).
DATELINE_CITY_POPULATION = 100_000
# Prepositions that put a name on the map ("in Tampa", "near Izium", "from Ohio").
PLACE_PREPOSITIONS = frozenset("in at near from to into outside across toward towards through around".split())
# Titles before a name make it a person ("Mr. Bryant", "Gov. Scott"): the person-name titles of
# the transliteration module, less its remit and rank-of-body words ("defence", "army", "head").
_BODY_WORDS = frozenset("defence defense foreign interior military army navy air force ministry field former "
                        "acting head deputy general chief".split())
_TITLE_BEFORE = re.compile(
    r"\b(?i:" + "|".join(sorted(TITLE_WORDS - _BODY_WORDS, key=len, reverse=True)) + r")\.?\s+$")
_PLACE_PREPOSITION = "|".join(sorted(PLACE_PREPOSITIONS))
_PREPOSITION_RIGHT_BEFORE = re.compile(rf"\b(?:{_PLACE_PREPOSITION})\s+$")
_OF_RIGHT_BEFORE = re.compile(r"\bof\s+$")
_SAID_AFTER = re.compile(r"^\s+(?:said|says|told|added|wrote|argued|explained|noted|asked)\b")
# A dateline: a place in capitals (and its state) opening a paragraph, then a dash or an agency.
_DATELINE = re.compile(
    r"(?m)^(?P<place>[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,\s+(?P<state>[A-Z][A-Za-z.]{1,14}(?: [A-Z][a-z.]+)?))?"
    r"(?:,?\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?"  # the wire's date: "BERLIN, March 3"
    r"\s*(?:\([^)\n]{1,30}\)\s*)?[\-\u2013\u2014]")


def story_surnames(articles) -> frozenset[str]:
    """Surnames of people named in full anywhere in the story ("Kobe Bryant" -> "Bryant")."""
    surnames = set()
    for article in articles:
        for mention in article.mentions:
            words = _clean_surface(mention.text).split()
            if mention.label == "PERSON" and len(words) >= 2 and words[-1][:1].isupper():
                surnames.add(words[-1])
    return frozenset(surnames)


def _preceded_by_place_word(text: str, start: int) -> bool:
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 30):start])
    return bool(before) and (before[-1].casefold() in PLACE_PREPOSITIONS
                             or before[-1].casefold() in name_words("place_word"))


def _reads_as_person(text: str, start: int, end: int, surface: str, surnames: frozenset[str]) -> bool:
    """A name the text treats as a person: a known surname, after a title, or before "said"."""
    if _TITLE_BEFORE.search(text[max(0, start - 20):start]):
        return True
    if surface in surnames and not _preceded_by_place_word(text, start):
        return True
    if _PREPOSITION_RIGHT_BEFORE.search(text[max(0, start - 15):start]) or _OF_RIGHT_BEFORE.search(
            text[max(0, start - 5):start]):
        return False  # "officials in <town> said", "the mayor of <town> told": the town is where, not who
    if not _SAID_AFTER.match(text[end:end + 12]) or " " in surface:
        return False
    # "Flooding closed the bridge in Denver. Denver said …": a name the same text puts on the map
    # after a preposition of place speaks as the town (its council), not as a person.
    return not re.search(rf"\b(?:{_PLACE_PREPOSITION})\s+{re.escape(surface)}\b", text)


def _org_name_end(text: str, end: int) -> int | None:
    """End of an organisation or event name a place opens ("<city> Forum", "<state> University")."""
    match = re.match(r"(?:\s+[A-Z][\w’'&\-]*){1,3}", text[end:end + 60])
    if not match:
        return None
    words = match.group().split()
    heads = name_words("org_head")
    for count in range(len(words), 0, -1):
        if words[count - 1].casefold().rstrip(".,") in heads:
            tail = re.match(r"(?:\s+[A-Z][\w’'&\-]*){%d}" % count, text[end:])
            return end + tail.end() if tail else None
    return None


def _acronym_like(surface: str) -> bool:
    """"AI", "MoD", "UConn", "IoTX": short names with several capitals are not place names."""
    letters = surface.replace(".", "")
    return len(letters) <= 6 and sum(c.isupper() for c in letters) >= 2 and " " not in surface


def is_not_a_place(text: str, start: int, end: int, gazetteer: Gazetteer,
                   surnames: frozenset[str] = frozenset()) -> str | None:
    """Why a place-labelled span is not a place ("person", "org", "word"), or None when it may be one.

    A place is what the text treats as one: pronouns, function words, lowercase common nouns,
    abbreviation fragments and acronyms (other than a country's), a person's surname and the
    first word of an organisation's or event's name are not.
    """
    surface = _clean_surface(text[start:end])
    if not surface or len(surface.replace(".", "")) < 2:
        return "word"
    if surface.casefold() in NEVER_PLACES and not (surface.isupper() and len(surface) > 1):
        return "word"  # "I", "We", "In"; but "US" is a country
    if not surface[0].isupper():
        return "word"  # "sector", "veranda": common nouns
    if surface in state_abbreviations():
        return None
    if re.fullmatch(r"[A-Z][a-z]{0,3}\.", surface):
        return "word"  # an abbreviation fragment ("Va." is a state; "Ft." or "Gen." is not a place)
    if _acronym_like(surface):
        countries = [c for c in gazetteer.lookup(surface, loose=False, kinds=("country",))
                     if c.match == "exact"]
        return None if countries else "org"
    if _reads_as_person(text, start, end, surface, surnames):
        return "person"
    if _org_name_end(text, end) is not None:
        return "org"
    return None


def _screen(article: Article, gazetteer: Gazetteer, anchor: StoryAnchor,
            surnames: frozenset[str]) -> list[Mention]:
    """The NER's place mentions, trimmed to the name and kept only where the text means a place.

    "the United States" is the place "United States"; "Fla." is Florida; a capitalised dateline
    ("WASHINGTON —") is a place although the NER rarely says so; "Kupiansk and Izium" tagged as
    one organisation is two places.
    """
    text = article.clean_text
    kept: list[Mention] = []

    def mention(start: int, end: int, label: str, source=None) -> Mention:
        extra = {"source": source} if source else {}
        return Mention(span=Span(article_id=article.id, start=start, end=end), text=text[start:end],
                       label=label, **extra)

    for item in article.mentions:
        start, end = item.start, item.end
        if item.label == "FAC" and item.source == SOURCE_PATTERN:
            kept.append(item)  # a street or building the story's names settled (kinds.py)
            continue
        if item.label in ("PERSON", "GPE", "LOC", "FAC") and _clean_surface(item.text).casefold() in name_words("platform"):
            kept.append(mention(start, end, "ORG", item.source))  # a social network is neither a person nor a place
            continue
        if item.label in PLACE_LABELS:
            lead = re.match(r"(?:the|The)\s+", text[start:end])
            if lead and end - start > lead.end():
                start += lead.end()
            tail = re.search(r"(?:’s|'s)$", text[start:end])
            if tail and tail.start() > 0:
                end = start + tail.start()
            reason = is_not_a_place(text, start, end, gazetteer, surnames)
            if reason == "person":
                kept.append(mention(start, end, "PERSON", item.source))
                continue
            if reason == "org":
                org_end = _org_name_end(text, end) or end
                kept.append(mention(item.start, org_end, "ORG", item.source))
                continue
            if reason is not None:
                continue
            kept.append(mention(start, end, item.label, item.source) if (start, end) != (item.start, item.end)
                        else item)
            continue
        if item.label == "ORG":
            parts = _listed_places(text, start, end, gazetteer, anchor, surnames)
            if parts:
                kept.extend(mention(s, e, "GPE", SOURCE_GAZETTEER) for s, e in parts)
                continue
        kept.append(item)

    def free(start: int, end: int) -> bool:
        return not any(_overlaps(start, end, m) and m.label not in PLACE_LABELS for m in kept)

    def put(start: int, end: int) -> None:
        nonlocal kept
        kept = [m for m in kept if not _overlaps(start, end, m)]
        kept.append(mention(start, end, "GPE", SOURCE_GAZETTEER))

    for match in _DATELINE.finditer(text):
        start, end = match.span("place")
        surface = match.group("place")
        if len(surface) < 3 or surface.casefold() in NEVER_PLACES:
            continue
        hits = gazetteer.lookup(surface.title(), loose=False)
        # A capital or a big city opening the paragraph before the dash is the dateline even where
        # the NER (or the acronym screen: "LONDON" is six capitals) read an organisation there.
        prominent = any(c.match == "exact" and (c.place.is_capital or c.place.population >= DATELINE_CITY_POPULATION
                                                or c.place.kind in ("country", "ADM1")) for c in hits)
        if hits and (prominent or free(start, end)):
            put(start, end)
    abbreviations = state_abbreviations()
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True))
                         + r")(?![\w])")
    for match in pattern.finditer(text):
        start, end = match.span()
        # "Tampa, Fla." / "of Calif." / a dateline's state: the abbreviation follows a comma or a name.
        if re.search(r"(?:,\s*|[A-Z][\w.]*\s+)$", text[max(0, start - 30):start]) and free(start, end):
            put(start, end)
    return sorted(kept, key=lambda m: (m.start, m.end))


def _is_named_place(gazetteer: Gazetteer, anchor: StoryAnchor, name: str) -> bool:
    candidate = best_place(gazetteer, name, anchor)
    return candidate is not None and candidate.match == "exact" and _plausible(candidate, anchor)


_LISTED_NAME = r"[A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+){0,2}"
_NAME_LIST = re.compile(rf"(?:[Tt]he )?({_LISTED_NAME})((?:, {_LISTED_NAME})*),? and ({_LISTED_NAME})")


def _listed_places(text: str, start: int, end: int, gazetteer: Gazetteer, anchor: StoryAnchor,
                   surnames: frozenset[str]) -> list[tuple[int, int]]:
    """"<town> and <town>" (or "<town>, <town> and <town>") that the NER read as one organisation:
    the spans of its places, or [] when it is not such a list.

    Every name must be a town, region or country of the gazetteer under exactly that name, no
    ordinary English word ("Marks and Spencer") and no surname of the story; and the list must
    read as places: after a place preposition ("in", "between", "of"), or with a name that
    belongs to this story or is a big city.
    """
    from wordfreq import zipf_frequency

    listed = _NAME_LIST.fullmatch(text[start:end])
    if not listed:
        return []
    names = [(start + listed.start(1), start + listed.end(1))]
    middle = listed.group(2)
    if middle:
        offset = start + listed.start(2)
        names += [(offset + m.start(), offset + m.end()) for m in re.finditer(_LISTED_NAME, middle)]
    names.append((start + listed.start(3), start + listed.end(3)))
    plausible = towns = True
    for name_start, name_end in names:
        name = text[name_start:name_end]
        hits = [c for c in gazetteer.lookup(name, loose=False) if c.match == "exact"
                and c.place.kind in ("city", "ADM1", "country")]
        if name in surnames or not hits:
            return []
        biggest = max(c.place.population for c in hits)
        if biggest < 100_000 and zipf_frequency(name.casefold(), "en") >= COMMON_WORD_ZIPF:
            return []  # an everyday word that is also a small town somewhere
        plausible = plausible and any(_plausible(c, anchor) for c in hits)
        towns = towns and biggest >= 10_000
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 20):start])
    prepositioned = bool(before) and before[-1].casefold() in PLACE_PREPOSITIONS | {"between", "of"}
    return names if plausible or towns or prepositioned else []


def _recognise(article: Article, gazetteer: Gazetteer, anchor: StoryAnchor,
               surnames: frozenset[str] = frozenset()) -> Article:
    from wordfreq import zipf_frequency

    text = article.clean_text
    mentions = _screen(article, gazetteer, anchor, surnames)
    added: list[Mention] = []

    def replace_span(start: int, end: int, label: str) -> None:
        nonlocal mentions
        mentions = [m for m in mentions if not _overlaps(start, end, m)]
        added.append(Mention(span=Span(article_id=article.id, start=start, end=end), text=text[start:end],
                             label=label, source=SOURCE_GAZETTEER))

    taken: list[tuple[int, int]] = []
    for pattern, label in ((REPUBLIC_PATTERN, "GPE"), (REGION_PATTERN, "GPE"), (DIRECTION_PATTERN, "LOC")):
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            name = match.group("name")
            # "Russia's Kharkiv region": the region is named by the last word(s) only.
            if " " in name and _region_lookup(gazetteer, name, anchor) is None:
                name_start = match.start("name") + name.rindex(" ") + 1
                name = text[name_start:match.end("name")]
            else:
                name_start = match.start("name")
            if _region_lookup(gazetteer, name, anchor) is None:
                continue
            taken.append((name_start, match.end()))
            replace_span(name_start, match.end(), label)

    for start, end in _institution_spans(text, mentions):
        mentions = [m for m in mentions if not _overlaps(start, end, m)]
        added.append(Mention(span=Span(article_id=article.id, start=start, end=end), text=text[start:end],
                             label="ORG", source=SOURCE_PATTERN))
        taken.append((start, end))

    for match in HYPHEN_COMPOUND.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        if best_place(gazetteer, match.group(), anchor) is not None:
            continue  # a hyphenated place name of its own (Ivano-Frankivsk)
        parts = [(match.start(1), match.end(1)), (match.start(2), match.end(2))]
        if all(_compound_part(gazetteer, text[s:e], anchor) for s, e in parts):
            mentions = [m for m in mentions if not _overlaps(match.start(), match.end(), m)
                        or m.label == "PERSON"]
            for s, e in parts:
                taken.append((s, e))
                added.append(Mention(span=Span(article_id=article.id, start=s, end=e), text=text[s:e],
                                     label="GPE", source=SOURCE_GAZETTEER))

    for match in CAPITALISED_RUN.finditer(text):
        run_start = match.start()
        words = list(re.finditer(r"[^\s]+", match.group()))
        # Try the longest n-gram first at each position; split hyphenated compounds.
        position = 0
        while position < len(words):
            found = False
            for size in range(min(3, len(words) - position), 0, -1):
                first, last = words[position], words[position + size - 1]
                if first.group() in ("The", "A", "An"):
                    break
                start, end = run_start + first.start(), run_start + last.end()
                surface = _clean_surface(text[start:end])
                end = start + len(surface)
                if any(s < end and start < e for s, e in taken) or not surface:
                    continue
                if _consider_place(article, gazetteer, anchor, mentions, start, end, surface,
                                   zipf_frequency, replace_span, surnames):
                    taken.append((start, end))
                    position += size
                    found = True
                    break
            if not found:
                position += 1

    merged = sorted([*mentions, *added], key=lambda m: (m.start, m.end))
    return article.model_copy(update={"mentions": merged})


def _institution_spans(text: str, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """Institution phrases the NER missed or cut short ("the Russian defence ministry",
    "General Staff of the Armed Forces of Ukraine"), as spans that may replace shorter ORG mentions.

    A span never swallows a place or nationality mention: an "of <place>" tail holding one is
    cut off (the owner is then read from that tail by the resolver).
    """
    spans: list[tuple[int, int]] = []
    for match in INSTITUTION_PATTERN.finditer(text):
        start, end = match.start(), match.end()
        while True:
            overlapping = [m for m in mentions if _overlaps(start, end, m)]
            blocking = [m for m in overlapping if m.label != "ORG"]
            if not blocking:
                break
            first = min(m.start for m in blocking)
            cuts = [start + c.start() for c in _OF_SPLIT.finditer(text[start:end]) if start + c.start() < first]
            if not cuts or first < start:
                start = end  # the phrase is inside another kind of mention: leave it
                break
            end = max(cuts)
        if start >= end:
            continue
        if any(m.start <= start and end <= m.end for m in overlapping):
            continue  # the NER already has this institution (or a longer one)
        spans.append((start, end))
    return spans


def _consider_place(article, gazetteer, anchor, mentions, start, end, surface, zipf_frequency,
                    replace_span, surnames: frozenset[str] = frozenset()) -> bool:
    text = article.clean_text
    if is_not_a_place(text, start, end, gazetteer, surnames) is not None:
        return False
    overlapping = [m for m in mentions if _overlaps(start, end, m)]
    exact_ner = [m for m in overlapping if m.start == start and m.end == end]
    if overlapping and not exact_ner:
        # Part of a longer NER mention ("Igor Konashenkov", "Kharkiv Regional Council"):
        # a multi-word person or organisation name is not a place.
        return False
    if exact_ner and exact_ner[0].label in PLACE_LABELS:
        return False  # already a place; resolution will geocode it
    candidate = best_place(gazetteer, surface, anchor)
    if candidate is None or not _plausible(candidate, anchor):
        return False
    if exact_ner:
        label = exact_ner[0].label
        if label == "PERSON" and " " in surface:
            return False  # two-word person names that are also villages stay people
        if label not in ("PERSON", "ORG", "NORP"):
            return False
        if label == "NORP":
            return False  # "Russian" is a nationality, not the country
    else:
        # A word the NER ignored: an ordinary English word ("God", "Mayor") is a place only
        # after a place preposition ("in Mayor"?), and a place far from the story only then too.
        lowered = surface.casefold()
        common = zipf_frequency(lowered, "en") >= COMMON_WORD_ZIPF
        near = anchor.distance_km(candidate.place)
        prepositioned = _preceded_by_place_word(text, start)
        kind = candidate.place.kind
        if common and not prepositioned and kind != "country":
            return False
        if kind == "city" and not prepositioned and not (near is not None and near <= NEAR_KM):
            return False
    replace_span(start, end, "GPE")
    return True

