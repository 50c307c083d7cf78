"""Entities across a story: gazetteer-corrected mentions resolved into one entity per referent.

Two passes over the story's articles:

1. **Recognition** (per article). Institution phrases the NER missed or cut
   short ("the Russian defence ministry", "General Staff of the Armed Forces
   of Ukraine") become ORG mentions (``source="pattern"``). Region phrases ("Kharkiv region", "Kharkiv
   Oblast", "the Donetsk direction", "Donetsk People's Republic") become one
   mention each, so the city name inside them is not counted as the city.
   Capitalised words the statistical NER missed or mislabelled (spaCy's small
   model tags Lyman as PERSON and Kupiansk as ORG) are looked up in the
   gazetteer by transliteration key and added or relabelled (``source="gazetteer"``)
   when the place is plausible *for this story*: close to the story's other
   places, or large.
2. **Resolution** (across articles). Places resolve to one gazetteer entry,
   scored by match quality, population and distance to the story's anchor
   (the median of its unambiguous places), so the story decides between
   namesakes. People cluster on transliteration keys of surname and given
   name; a surname alone, initials or a title attach to the full name seen in
   the same article first, then in the story; a surname one edit away (a typo)
   attaches when context words agree. Institutions ("Ministry of Defense of
   the Russian Federation", "Russia's defence ministry") cluster on a key of
   owner country (from GPE/NORP words inside the mention or a possessive or
   adjective right before it), head noun and department words; a bare "the
   defence ministry" joins its article's owned one. Other organisations cluster
   on stemmed word sets and acronyms.

The public entry points are :func:`entities_stage` (a pipeline stage) and
:func:`resolve_entities` (the resolver on its own).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from manysides.analyse.gazetteer import Candidate, Gazetteer, GazPlace
from manysides.analyse.translit import (
    PersonName,
    name_key,
    parse_person,
    same_person,
    typo_tolerance,
)
from manysides.model import Article, Briefing, Entity, EntityType, Mention, Place, Span

LABEL_TO_TYPE = {
    "PERSON": EntityType.PER, "PER": EntityType.PER, "ORG": EntityType.ORG,
    "GPE": EntityType.GPE, "LOC": EntityType.LOC, "NORP": EntityType.NORP,
    "FAC": EntityType.LOC,
}
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
SOURCE_GAZETTEER = "gazetteer"
SOURCE_COREF = "coref"

# A place this close to the story's anchor is taken as part of the story.
NEAR_KM = 600.0
# Places closer than this to the anchor are equally "in the story".
LOCAL_KM = 300.0
# Non-NER words this frequent in English (zipf) are ordinary words unless the story backs them.
COMMON_WORD_ZIPF = 4.0

_WORD = r"[A-Z][\w’'\-]*"
_NAME = rf"{_WORD}(?:\s+{_WORD})?"
REGION_PATTERN = re.compile(
    rf"\b(?P<name>{_NAME})\s+(?P<word>[Rr]egion|[Oo]blast|[Pp]rovince|[Kk]rai|[Gg]overnorate)\b"
)
REPUBLIC_PATTERN = re.compile(rf"\b(?P<name>{_WORD})\s+People[’']s\s+Republic\b")
DIRECTION_PATTERN = re.compile(rf"\b(?P<name>{_WORD})\s+(?P<word>direction|axis|front|sector)\b")
HYPHEN_COMPOUND = re.compile(r"\b([A-Z][a-z’']{2,})-([A-Z][a-z’']{2,})\b")
# Russian compound adjectives drop a stem's final vowel (Balakleya -> Balakley-Izyum).
STEM_ENDINGS = ("", "a", "ya", "ia", "o", "e", "i")
ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
DEMONYM = re.compile(r"(?:ian|ean|an|ish|ese|i|ic)s?$")
CAPITALISED_RUN = re.compile(rf"{_WORD}(?:\s+{_WORD}){{0,2}}")
ROLE_NOUN = re.compile(r"\b[Tt]he\s+(spokesman|spokeswoman|spokesperson|president|governor|mayor)\b")
# Ukrainian/Russian adjectival region names: Kharkivska oblast, Donetskaya oblast.
_ADJECTIVAL = re.compile(r"(s['’]?k(a|aya|iy|yi|ij)|ska|skaya)$", re.IGNORECASE)
_STOP = frozenset(["the", "of", "for", "and", "in", "on", "at", "to", "a", "an", "de"])

# Institutions: a head noun naming the kind of body, department words naming its remit, and an
# owner (a country or place). "Ministry of Defense of the Russian Federation", "Russia's defence
# ministry" and "the Russian Defence Ministry" share the key (RU, ministry, {defense}).
INSTITUTION_HEADS = frozenset({
    "ministry", "department", "staff", "force", "service", "agency", "committee", "council",
    "guard", "office", "command", "directorate", "army", "navy",
})
# Remit words that, before a head noun, make a lowercase phrase an institution ("defence ministry",
# "armed forces", "security service"); capitalised phrases need no such word.
DEPARTMENT_WORDS = frozenset({
    "defence", "defense", "foreign", "interior", "internal", "emergency", "emergencies", "health",
    "finance", "justice", "economy", "economic", "education", "energy", "general", "armed",
    "security", "intelligence", "border", "national", "naval", "air", "territorial",
})
_HEAD_FORMS = "|".join(sorted(set(INSTITUTION_HEADS) | {h + "s" for h in INSTITUTION_HEADS}
                              | {"ministries", "agencies"}, key=len, reverse=True))
_DEPARTMENT_FORMS = "|".join(sorted(DEPARTMENT_WORDS, key=len, reverse=True))
_CAP_RUN = r"[A-Z][\w’'\-]*(?:\s+(?:and\s+)?[A-Z][\w’'\-]*)*"
_OF_TAIL = rf"(?:\s+(?:of|for)\s+(?:the\s+)?{_CAP_RUN})"
INSTITUTION_PATTERN = re.compile(
    rf"\b(?:(?i:(?:{_DEPARTMENT_FORMS})\s+){{1,3}}(?i:{_HEAD_FORMS})\b{_OF_TAIL}*"
    rf"|(?:{'|'.join(h.capitalize() for h in _HEAD_FORMS.split('|'))})\b{_OF_TAIL}+)"
)
_OF_SPLIT = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?", re.IGNORECASE)
SOURCE_PATTERN = "pattern"


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def entities_stage(briefing: Briefing, resources) -> Briefing:
    """Pipeline stage: corrected mentions on every article, and the story's entities."""
    articles, entities = resolve_entities(briefing.articles, resources.gazetteer)
    return briefing.model_copy(update={"articles": articles, "entities": entities})


def resolve_entities(
    articles: Sequence[Article], gazetteer: Gazetteer
) -> tuple[list[Article], list[Entity]]:
    """Recognise places the NER missed, then cluster every mention into entities.

    Returns the articles with updated ``mentions`` (``entity_id`` filled) and the
    entities, most-mentioned first.
    """
    anchor = StoryAnchor.from_articles(articles, gazetteer)
    recognised = [_recognise(article, gazetteer, anchor) for article in articles]
    resolver = _Resolver(gazetteer, anchor, {a.id: a for a in recognised})
    for article in recognised:
        for mention in article.mentions:
            resolver.add(mention)
    entities, entity_of = resolver.entities()
    extra: dict[str, list[Mention]] = defaultdict(list)
    for mention in resolver.extra_mentions:
        extra[mention.article_id].append(mention)
    updated = []
    for article in recognised:
        mentions = [
            m.model_copy(update={"entity_id": entity_of.get((m.start, m.end, article.id))})
            for m in sorted([*article.mentions, *extra[article.id]], key=lambda m: (m.start, m.end))
        ]
        updated.append(article.model_copy(update={"mentions": mentions}))
    return updated, entities


# --------------------------------------------------------------------------
# Geography of the story
# --------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class StoryAnchor:
    """Where a story happens: the median of its unambiguous places, and its countries."""

    latitude: float | None = None
    longitude: float | None = None
    countries: Counter = field(default_factory=Counter)

    def distance_km(self, place: GazPlace) -> float | None:
        if self.latitude is None:
            return None
        return haversine_km(self.latitude, self.longitude, place.latitude, place.longitude)

    @classmethod
    def from_articles(cls, articles: Sequence[Article], gazetteer: Gazetteer) -> StoryAnchor:
        points: list[tuple[float, float]] = []
        countries: Counter = Counter()
        for article in articles:
            for mention in article.mentions:
                if mention.label not in PLACE_LABELS:
                    continue
                candidates = [c for c in gazetteer.lookup(_clean_surface(mention.text), loose=False)
                              if c.match == "exact"]
                if not candidates:
                    continue
                top = candidates[0]
                if top.place.kind == "country":
                    countries[top.place.country_code] += 1
                    continue
                runner_up = candidates[1].place.population if len(candidates) > 1 else 0
                # Unambiguous: a sizeable place at least ten times bigger than any namesake.
                if top.place.population >= 50_000 and top.place.population >= 10 * runner_up:
                    points.append((top.place.latitude, top.place.longitude))
                    countries[top.place.country_code] += 1
        if not points:
            return cls(countries=countries)
        latitudes = sorted(p[0] for p in points)
        longitudes = sorted(p[1] for p in points)
        middle = len(points) // 2
        return cls(latitudes[middle], longitudes[middle], countries)


def score_candidate(candidate: Candidate, anchor: StoryAnchor) -> float:
    """Higher is likelier: match quality, salience, and closeness to the story."""
    score = {"exact": 3.0, "strict": 2.5, "loose": 1.5}[candidate.match]
    score += 0.5 if candidate.primary else 0.0
    score += math.log10(max(candidate.place.population, 1)) / 2.0
    distance = anchor.distance_km(candidate.place)
    if distance is not None:
        # Context outweighs size: a village near the story beats a city far away. Within
        # the story's own theatre (LOCAL_KM) distance says nothing and size decides.
        score += 4.0 * math.exp(-max(0.0, distance - LOCAL_KM) / 800.0)
    if anchor.countries and candidate.place.country_code in anchor.countries:
        score += 0.5
    if candidate.place.kind == "country":
        score += 1.0  # a bare country name means the country far more often than a namesake
    return score


def best_place(gazetteer: Gazetteer, text: str, anchor: StoryAnchor, *, kinds=None,
               regions: frozenset[tuple[str, str]] = frozenset()) -> Candidate | None:
    """The likeliest place; ``regions`` are (country, admin1) named next to the mention."""
    candidates = gazetteer.lookup(text, kinds=kinds)
    if not candidates:
        return None
    return max(candidates, key=lambda c: score_candidate(c, anchor)
               + (2.0 if (c.place.country_code, c.place.admin1) in regions else 0.0))


def _plausible(candidate: Candidate, anchor: StoryAnchor) -> bool:
    """Is this place part of *this* story (for words the NER did not call places)?"""
    place = candidate.place
    if place.kind in ("country", "ADM1"):
        return candidate.match != "loose"
    distance = anchor.distance_km(place)
    if distance is not None and distance <= NEAR_KM:
        return True
    return candidate.match == "exact" and place.population >= 100_000


# --------------------------------------------------------------------------
# Recognition
# --------------------------------------------------------------------------


def _clean_surface(text: str) -> str:
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    return re.sub(r"(?:’s|'s|’|')$", "", text)


def _overlaps(start: int, end: int, mention: Mention) -> bool:
    return start < mention.end and mention.start < end


def _region_lookup(gazetteer: Gazetteer, name: str, anchor: StoryAnchor) -> Candidate | None:
    """The city (or ADM1 in dump data) a region phrase is named after."""
    candidate = best_place(gazetteer, name, anchor, kinds=("ADM1", "city"))
    if candidate is None and _ADJECTIVAL.search(name):
        stem = _ADJECTIVAL.sub("", name)
        candidate = best_place(gazetteer, stem, anchor, kinds=("ADM1", "city"))
    return candidate


def _compound_part(gazetteer: Gazetteer, part: str, anchor: StoryAnchor) -> bool:
    for ending in STEM_ENDINGS:
        candidate = best_place(gazetteer, part + ending, anchor, kinds=("city",))
        if candidate is not None and candidate.match != "loose" and _plausible(candidate, anchor):
            return True
    return False


def _recognise(article: Article, gazetteer: Gazetteer, anchor: StoryAnchor) -> Article:
    from wordfreq import zipf_frequency

    text = article.clean_text
    mentions = list(article.mentions)
    added: list[Mention] = []

    def replace_span(start: int, end: int, label: str) -> None:
        nonlocal mentions
        mentions = [m for m in mentions if not _overlaps(start, end, m)]
        added.append(Mention(article_id=article.id, start=start, end=end, text=text[start:end],
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
        added.append(Mention(article_id=article.id, start=start, end=end, text=text[start:end],
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
                added.append(Mention(article_id=article.id, start=s, end=e, text=text[s:e],
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
                                   zipf_frequency, replace_span):
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
                    replace_span) -> bool:
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
        # A word the NER ignored: an ordinary English word unless the story backs it.
        lowered = surface.casefold()
        common = zipf_frequency(lowered, "en") >= COMMON_WORD_ZIPF
        near = anchor.distance_km(candidate.place)
        if common and not (near is not None and near <= NEAR_KM and candidate.place.kind == "city"):
            if candidate.place.kind != "country":
                return False
    replace_span(start, end, "GPE")
    return True


# --------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------


@dataclass
class _Cluster:
    key: tuple
    type: EntityType
    mentions: list[Mention] = field(default_factory=list)
    place: Place | None = None
    canonical: str | None = None
    person: PersonName | None = None


def _entity_id(key: tuple) -> str:
    return "ent-" + hashlib.sha1(repr(key).encode()).hexdigest()[:12]


def _to_place(place: GazPlace, *, admin_level: str | None = None) -> Place:
    return Place(
        geonames_id=place.geonames_id, latitude=round(place.latitude, 5),
        longitude=round(place.longitude, 5), admin_level=admin_level or place.admin_level,
        country_code=place.country_code, feature_code=None, population=place.population or None,
    )


def _org_key(text: str) -> frozenset[str]:
    words = re.findall(r"[\w’']+", _clean_surface(text).casefold().replace("defence", "defense"))
    stems = {re.sub(r"(’s|'s)$", "", w)[:6] for w in words if w not in _STOP}
    return frozenset(s for s in stems if s)


@dataclass(frozen=True)
class _Institution:
    owner: str | None  # country code, "place:<key>" or "word:<key>"; None when not said
    head: str  # singular head noun: "ministry", "staff", "force"
    departments: frozenset[str]  # stems of remit words: {"defens"}, {"genera"}, {"armed"}
    qualified: str  # the surface with its owner word when that stood before it

    @property
    def key(self) -> tuple:
        return (self.owner, self.head, self.departments)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _department_stem(word: str) -> str:
    word = re.sub(r"(’s|'s)$", "", word.casefold())
    # British and American spellings of one remit: defence/defense.
    word = re.sub(r"ence$", "ense", word)
    return _singular(word)[:6]


def _demonym_stems(text: str) -> list[str]:
    """The country names a name or adjective may stand for: Russia(n), Ukrain(ian -> e), Belarus(ian)."""
    stems = [text]
    if " " in text:
        return stems
    if text.endswith("ian"):
        stems += [text[:-3] + "e", text[:-3], text[:-1]]
    elif text.endswith("an"):
        stems += [text[:-1], text[:-2]]
    elif text.endswith("ese"):
        stems += [text[:-3] + "a", text[:-3]]
    elif text.endswith("i"):
        stems += [text[:-1]]
    return stems


def _capitalised(form: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w’'\-]*", form) if w.casefold() not in _STOP]
    return bool(words) and all(w[0].isupper() for w in words)


def _title(form: str) -> str:
    return " ".join(w if w.casefold() in _STOP or w[0].isupper() else w[0].upper() + w[1:]
                    for w in form.split())


def _canonical_institution(forms: list[tuple[Mention, _Institution]], *, owned: bool) -> str:
    """The longest properly capitalised form naming the owner; never a lowercase fragment."""
    written = [(m, i) for m, i in forms if m.source != SOURCE_COREF] or forms
    qualified = [_clean_surface(i.qualified) for _, i in written if i.owner is not None] if owned else []
    pool = qualified or [_clean_surface(i.qualified) for _, i in written]
    counts = Counter(pool)
    capitalised = [f for f in counts if _capitalised(f)]
    if capitalised:
        return max(capitalised, key=lambda f: (len(f), counts[f]))
    return _title(max(counts, key=lambda f: (counts[f], len(f))))


def _initials(text: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z’']+", text) if w.casefold() not in _STOP]
    return "".join(w[0].upper() for w in words)


class _Resolver:
    def __init__(self, gazetteer: Gazetteer, anchor: StoryAnchor, articles: dict[str, Article]):
        self.gazetteer = gazetteer
        self.anchor = anchor
        self.articles = articles
        self.places: dict[tuple, _Cluster] = {}
        self.others: dict[tuple, _Cluster] = {}
        self.people: list[Mention] = []
        self.extra_mentions: list[Mention] = []  # found here (role nouns, acronyms): added to articles
        self.orgs: list[Mention] = []
        self._owner_cache: dict[str, str | None] = {}

    def add(self, mention: Mention) -> None:
        entity_type = LABEL_TO_TYPE.get(mention.label)
        if entity_type is None:
            return
        if entity_type is EntityType.PER:
            self.people.append(mention)
        elif entity_type is EntityType.ORG:
            self.orgs.append(mention)
        elif entity_type is EntityType.NORP:
            key = name_key(_clean_surface(mention.text), loose=True)
            key = re.sub(r"s$", "", key)
            self._cluster(self.others, ("NORP", key), EntityType.NORP).mentions.append(mention)
        else:
            self._add_place(mention, entity_type)

    @staticmethod
    def _cluster(table: dict, key: tuple, entity_type: EntityType) -> _Cluster:
        if key not in table:
            table[key] = _Cluster(key=key, type=entity_type)
        return table[key]

    def _add_place(self, mention: Mention, entity_type: EntityType) -> None:
        surface = _clean_surface(mention.text)
        for pattern, kind in ((REPUBLIC_PATTERN, "republic"), (REGION_PATTERN, "region"),
                              (DIRECTION_PATTERN, "direction")):
            match = pattern.fullmatch(surface)
            if not match:
                continue
            base = _region_lookup(self.gazetteer, match.group("name"), self.anchor)
            if base is None:
                break
            city = base.place
            region = (city if city.kind == "ADM1"
                      else self.gazetteer.admin1(city.country_code, city.admin1)) or city
            if kind == "region":
                cluster = self._cluster(self.places, ("place", region.row), EntityType.GPE)
                cluster.place = cluster.place or _to_place(region, admin_level="ADM1")
                cluster.canonical = cluster.canonical or region.name
            elif kind == "republic":
                name = f"{match.group('name')} People's Republic"
                cluster = self._cluster(self.places, ("republic", region.row), EntityType.GPE)
                cluster.place = cluster.place or _to_place(region, admin_level="region")
                cluster.canonical = cluster.canonical or _canonical_republic(city, name)
            else:
                cluster = self._cluster(self.places, ("direction", city.row), EntityType.LOC)
                cluster.place = cluster.place or _to_place(city, admin_level="region")
                cluster.canonical = cluster.canonical or f"{city.name} direction"
            cluster.mentions.append(mention)
            return
        regions = self._regions_near(mention)
        candidate = best_place(self.gazetteer, surface, self.anchor, regions=regions)
        if candidate is not None and candidate.match == "loose" and not _plausible(candidate, self.anchor):
            candidate = None
        if candidate is None and mention.source == SOURCE_GAZETTEER:
            # a stem cut from a hyphenated compound ("Balakley-Izium")
            for ending in STEM_ENDINGS[1:]:
                candidate = best_place(self.gazetteer, surface + ending, self.anchor,
                                       kinds=("city",), regions=regions)
                if candidate is not None and candidate.match != "loose":
                    break
                candidate = None
        if candidate is None and DEMONYM.search(surface) and entity_type is EntityType.GPE:
            key = name_key(surface, loose=True)
            self._cluster(self.others, ("NORP", re.sub(r"s$", "", key)), EntityType.NORP).mentions.append(mention)
            return
        if candidate is None:
            # Not in the gazetteer (Donbas, a front line): one entity per loose key.
            key = ("unplaced", entity_type.value, name_key(surface, loose=True))
            self._cluster(self.others, key, entity_type).mentions.append(mention)
            return
        place = candidate.place
        cluster = self._cluster(self.places, ("place", place.row),
                                EntityType.GPE if place.kind in ("country", "ADM1", "city") else entity_type)
        cluster.place = cluster.place or _to_place(place)
        cluster.canonical = cluster.canonical or place.name
        cluster.mentions.append(mention)

    def _regions_near(self, mention: Mention) -> frozenset[tuple[str, str]]:
        """(country, admin1) of regions named in the mention's sentence ("Lyman in Donetsk Oblast")."""
        article = self.articles[mention.article_id]
        start, end = mention.start, mention.end
        for sentence in article.sentences:
            if sentence.start <= mention.start < sentence.end:
                start, end = sentence.start, sentence.end
                break
        regions = set()
        for match in REGION_PATTERN.finditer(article.clean_text[start:end]):
            base = _region_lookup(self.gazetteer, match.group("name").split()[-1], self.anchor)
            if base is not None and base.place.admin1:
                regions.add((base.place.country_code, base.place.admin1))
        return frozenset(regions)

    # -- people ---------------------------------------------------------------
    def _context_words(self, mention: Mention, width: int = 80) -> set[str]:
        text = self.articles[mention.article_id].clean_text
        window = text[max(0, mention.start - width): mention.end + width]
        return {w for w in re.findall(r"[a-z]{4,}", window.casefold()) if w not in _STOP}

    def _resolve_people(self) -> list[_Cluster]:
        parsed = [(m, parse_person(_clean_surface(m.text))) for m in self.people]
        parsed = [(m, p) for m, p in parsed if p.surname]
        clusters: list[_Cluster] = []

        def find_full(person: PersonName) -> _Cluster | None:
            for cluster in clusters:
                if cluster.person and cluster.person.is_full and same_person(person, cluster.person) \
                        and same_person(cluster.person, person):
                    return cluster
            return None

        # Full names first: they define who the people are.
        for mention, person in parsed:
            if not person.is_full:
                continue
            cluster = find_full(person)
            if cluster is None:
                cluster = _Cluster(key=("PER", name_key(person.full, loose=True)), type=EntityType.PER,
                                   person=person)
                clusters.append(cluster)
            cluster.mentions.append(mention)

        # Full names that differ by a typo in the surname ("Igor Kohashenkov").
        from rapidfuzz.distance import Levenshtein

        merged: list[_Cluster] = []
        for cluster in sorted(clusters, key=lambda c: -len(c.mentions)):
            person = cluster.person
            into = next((
                kept for kept in merged
                if name_key(kept.person.given[0], loose=True) == name_key(person.given[0], loose=True)
                and 0 < Levenshtein.distance(kept.person.surname_key, person.surname_key)
                <= typo_tolerance(person.surname)
            ), None)
            if into is None:
                merged.append(cluster)
            else:
                into.mentions.extend(cluster.mentions)
        clusters = merged

        # Short forms: surname alone, initials, titles.
        pending: list[tuple[Mention, PersonName]] = []
        for mention, person in parsed:
            if person.is_full:
                continue
            matches = [c for c in clusters if c.person and same_person(person, c.person)]
            target = self._choose(mention, matches)
            if target is None:
                pending.append((mention, person))
            else:
                target.mentions.append(mention)

        # Typos: a surname within a length-scaled edit distance, backed by context.
        for mention, person in pending:
            tolerance = typo_tolerance(person.surname)
            best: tuple[float, _Cluster] | None = None
            if tolerance:
                words = self._context_words(mention)
                for cluster in clusters:
                    distance = Levenshtein.distance(person.surname_key, cluster.person.surname_key)
                    if not 0 < distance <= tolerance:
                        continue
                    shared = set().union(*(self._context_words(m) for m in cluster.mentions)) & words
                    support = len(shared) + (2 if any(m.article_id == mention.article_id
                                                      for m in cluster.mentions) else 0)
                    if support >= 1 and (best is None or support - distance > best[0]):
                        best = (support - distance, cluster)
            if best is not None:
                best[1].mentions.append(mention)
                continue
            key = ("PER", name_key(person.surname, loose=True))
            existing = next((c for c in clusters if c.key == key), None)
            if existing is None:
                existing = _Cluster(key=key, type=EntityType.PER, person=person)
                clusters.append(existing)
            existing.mentions.append(mention)
        for cluster in clusters:
            cluster.canonical = _canonical_person(cluster, self.articles)
        return clusters

    def _choose(self, mention: Mention, matches: list[_Cluster]) -> _Cluster | None:
        if not matches:
            return None
        if len(matches) == 1:
            return matches[0]
        # Several people share the surname: the one named in this article, then the most named.
        local = [c for c in matches if any(m.article_id == mention.article_id for m in c.mentions)]
        pool = local or matches
        return max(pool, key=lambda c: len(c.mentions))

    # -- organisations --------------------------------------------------------
    def _resolve_orgs(self) -> list[_Cluster]:
        clusters: list[_Cluster] = []
        acronyms: list[Mention] = []
        institutions: list[tuple[Mention, _Institution]] = []
        for mention in self.orgs:
            surface = _clean_surface(mention.text)
            if re.fullmatch(r"[A-Z]{2,6}", surface):
                acronyms.append(mention)
                continue
            institution = self._institution(mention)
            if institution is not None:
                institutions.append((mention, institution))
                continue
            key = _org_key(surface)
            cluster = next((c for c in clusters if c.key[1] == key), None)
            if cluster is None:
                cluster = _Cluster(key=("ORG", key), type=EntityType.ORG)
                clusters.append(cluster)
            cluster.mentions.append(mention)
        clusters.extend(self._cluster_institutions(institutions))
        for mention in acronyms:
            surface = _clean_surface(mention.text)
            target = next((c for c in clusters
                           if any(_initials(_clean_surface(m.text)) == surface for m in c.mentions)), None)
            if target is None:
                target = next((c for c in clusters if c.key == ("ORG", frozenset({surface.casefold()}))),
                              None)
            if target is None:
                target = _Cluster(key=("ORG", frozenset({surface.casefold()})), type=EntityType.ORG)
                clusters.append(target)
            target.mentions.append(mention)
        for cluster in clusters:
            cluster.canonical = cluster.canonical or _most_common_form(cluster)
        return clusters

    def _owner(self, text: str) -> str | None:
        """The country code (or place key) a word or phrase names: "Russia's", "Russian",
        "the Russian Federation", "Kharkiv"; None for anything else."""
        text = re.sub(r"(?:’s|'s|’|')$", "", re.sub(r"^(?:the|The)\s+", "", text.strip()))
        if not text or not text[0].isupper() or text.casefold() in DEPARTMENT_WORDS \
                or _singular(text.casefold()) in INSTITUTION_HEADS:
            return None
        if text in self._owner_cache:
            return self._owner_cache[text]
        owner = None
        for variant in _demonym_stems(text):
            hits = [c for c in self.gazetteer.lookup(variant, loose=False, kinds=("country",))
                    if c.match in ("exact", "strict")]
            if hits:
                owner = hits[0].place.country_code
                break
        if owner is None:
            hits = [c for c in self.gazetteer.lookup(text, loose=False, kinds=("city", "ADM1"))
                    if c.match == "exact" and _plausible(c, self.anchor)]
            if hits:
                owner = "place:" + name_key(text, loose=True)
        self._owner_cache[text] = owner
        return owner

    def _institution(self, mention: Mention) -> _Institution | None:
        """Head noun, department words and owner of an organisation mention, if it is an institution.

        The owner comes from the mention itself ("of the Russian Federation", "Russian") or from a
        possessive or adjective right before it ("Russia's defence ministry"), or from an
        "of <place>" right after it.
        """
        article = self.articles[mention.article_id]
        text = article.clean_text
        surface = _clean_surface(mention.text)
        segments = _OF_SPLIT.split(surface)
        head_words = re.findall(r"[\w’'\-]+", segments[0])
        heads = [i for i, w in enumerate(head_words) if _singular(w.casefold()) in INSTITUTION_HEADS]
        if not heads:
            return None
        head_at = heads[-1]
        owner: str | None = None
        departments: set[str] = set()
        for word in head_words[:head_at] + head_words[head_at + 1:]:
            word_owner = self._owner(word)
            if word_owner is not None:
                owner = owner or word_owner
            elif word.casefold() not in _STOP:
                departments.add(_department_stem(word))
        for segment in segments[1:]:
            segment_owner = self._owner(segment)
            if segment_owner is not None:
                owner = owner or segment_owner
                continue
            words = re.findall(r"[\w’'\-]+", segment)
            owners = [o for o in map(self._owner, words) if o is not None]
            if any(_singular(w.casefold()) in INSTITUTION_HEADS for w in words):
                owner = owner or (owners[0] if owners else None)  # a parent body: only its owner counts
                continue
            owner = owner or (owners[0] if owners else None)
            departments |= {_department_stem(w) for w in words
                            if w.casefold() not in _STOP and self._owner(w) is None}
        qualified_start = mention.start
        if owner is None:
            before = text[max(0, mention.start - 60):mention.start]
            adjacent = re.search(r"((?:[Tt]he\s+)?[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)?)(?:’s|'s)?\s+$", before)
            if adjacent:
                for candidate_start in sorted({adjacent.start(1), adjacent.end(1) - len(
                        adjacent.group(1).split()[-1])}):
                    phrase = before[candidate_start:adjacent.end(1)]
                    found = self._owner(phrase) or self._labelled_owner(article, mention.start - len(before)
                                                                         + candidate_start, phrase)
                    if found is not None:
                        owner = found
                        qualified_start = mention.start - len(before) + candidate_start
                        break
        if owner is None:
            after = re.match(r"\s+of\s+((?:the\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)?)",
                             text[mention.end:mention.end + 60])
            if after:
                owner = self._owner(after.group(1))
        departments.discard("")
        qualified = text[qualified_start:mention.end] if qualified_start < mention.start else surface
        return _Institution(owner=owner, head=_singular(head_words[head_at].casefold()),
                            departments=frozenset(departments), qualified=qualified)

    @staticmethod
    def _labelled_owner(article: Article, start: int, phrase: str) -> str | None:
        """A nationality or place the NER tagged but the gazetteer cannot name ("British")."""
        word = re.sub(r"(?:’s|'s)$", "", phrase)
        for mention in article.mentions:
            if mention.start == start and mention.label in ("NORP", "GPE") and mention.text == word:
                return "word:" + name_key(word, loose=True)
        return None

    def _cluster_institutions(self, institutions: list[tuple[Mention, _Institution]]) -> list[_Cluster]:
        """Owned institutions cluster on (owner, head, departments); an unowned mention joins the
        owned one of its article when that article has exactly one, else the nearest before it."""
        by_key: dict[tuple, _Cluster] = {}
        forms: dict[tuple, list[tuple[Mention, _Institution]]] = defaultdict(list)

        def add(key: tuple, mention: Mention, institution: _Institution) -> None:
            if key not in by_key:
                by_key[key] = _Cluster(key=("ORG", key), type=EntityType.ORG)
            by_key[key].mentions.append(mention)
            forms[key].append((mention, institution))

        for mention, institution in institutions:
            if institution.owner is not None:
                add(institution.key, mention, institution)
        for mention, institution in institutions:
            if institution.owner is not None:
                continue
            owned = [(m, i) for m, i in institutions
                     if i.owner is not None and m.article_id == mention.article_id
                     and (i.head, i.departments) == (institution.head, institution.departments)]
            owners = {i.owner for _, i in owned}
            if len(owners) > 1:
                before = [(m, i) for m, i in owned if m.end <= mention.start]
                owners = {max(before, key=lambda pair: pair[0].end)[1].owner} if before else set()
            if len(owners) == 1:
                (owner,) = owners
                add((owner, institution.head, institution.departments), mention, institution)
            else:
                add(institution.key, mention, institution)
        for key, cluster in by_key.items():
            cluster.canonical = _canonical_institution(forms[key], owned=key[0] is not None)
        return list(by_key.values())

    # -- output ---------------------------------------------------------------
    def entities(self) -> tuple[list[Entity], dict[tuple[int, int, str], str]]:
        clusters = [*self.places.values(), *self._resolve_people(), *self._resolve_orgs(),
                    *self.others.values()]
        self._attach_acronyms_to_places(clusters)
        self._find_unlabelled_acronyms(clusters)
        self._find_unlabelled_surnames(clusters)
        self._attach_role_nouns(clusters)
        entities: list[Entity] = []
        entity_of: dict[tuple[int, int, str], str] = {}
        for cluster in clusters:
            if not cluster.mentions:
                continue
            entity_id = _entity_id((cluster.type.value, cluster.key))
            surface_forms: dict[str, list[str]] = defaultdict(list)
            spans = []
            for mention in sorted(cluster.mentions, key=lambda m: (m.article_id, m.start)):
                spans.append(Span(article_id=mention.article_id, start=mention.start, end=mention.end))
                form = _clean_surface(mention.text)
                if form not in surface_forms[mention.article_id]:
                    surface_forms[mention.article_id].append(form)
                entity_of[(mention.start, mention.end, mention.article_id)] = entity_id
            entities.append(Entity(
                id=entity_id, canonical_name=cluster.canonical or _most_common_form(cluster),
                type=cluster.type, mentions=spans, surface_forms=dict(surface_forms),
                place=cluster.place,
            ))
        entities.sort(key=lambda e: (-len(e.mentions), e.canonical_name))
        return entities, entity_of

    def _attach_acronyms_to_places(self, clusters: list[_Cluster]) -> None:
        """DPR / LPR / DNR mentions tagged as ORG belong to the republic named in full."""
        republics = [c for c in clusters if c.key[0] == "republic"]
        for cluster in [c for c in clusters if c.type is EntityType.ORG]:
            forms = {_clean_surface(m.text) for m in cluster.mentions}
            for republic in republics:
                initials = _initials(republic.canonical or "")
                # People's Republic = Narodnaya Respublika in Russian-derived acronyms (DNR).
                variants = {initials, initials[:-2] + "NR"}
                if forms & variants:
                    republic.mentions.extend(cluster.mentions)
                    cluster.mentions = []

    def _find_unlabelled_acronyms(self, clusters: list[_Cluster]) -> None:
        """Acronyms the NER left untagged ("the DPR people's militia") for multi-word entities."""
        by_initials: dict[str, _Cluster] = {}
        for cluster in clusters:
            if cluster.type in (EntityType.ORG, EntityType.GPE) and cluster.mentions:
                name = cluster.canonical or _most_common_form(cluster)
                initials = _initials(name)
                if len(initials) >= 2 and len(name.split()) >= 2:
                    by_initials.setdefault(initials, cluster)
                    if name.endswith("People's Republic"):
                        by_initials.setdefault(initials[:-2] + "NR", cluster)
        if not by_initials:
            return
        for article in self.articles.values():
            covered = [(m.start, m.end) for m in article.mentions]
            for match in ACRONYM.finditer(article.clean_text):
                cluster = by_initials.get(match.group())
                if cluster is None or any(s < match.end() and match.start() < e for s, e in covered):
                    continue
                mention = Mention(article_id=article.id, start=match.start(), end=match.end(),
                                  text=match.group(), label="GPE" if cluster.type is EntityType.GPE else "ORG",
                                  source=SOURCE_COREF)
                cluster.mentions.append(mention)
                self.extra_mentions.append(mention)

    def _find_unlabelled_surnames(self, clusters: list[_Cluster]) -> None:
        """A known person's surname the NER skipped ("Zelenskiy thanked soldiers …")."""
        by_key: dict[str, list[_Cluster]] = defaultdict(list)
        for cluster in clusters:
            if cluster.type is EntityType.PER and cluster.person and cluster.person.surname:
                for mention in cluster.mentions:
                    surname = parse_person(_clean_surface(mention.text)).surname
                    if surname and len(name_key(surname)) >= 5:
                        key = name_key(surname, loose=True)
                        if cluster not in by_key[key]:
                            by_key[key].append(cluster)
        if not by_key:
            return
        for article in self.articles.values():
            covered = [(m.start, m.end) for m in article.mentions]
            covered += [(m.start, m.end) for m in self.extra_mentions if m.article_id == article.id]
            for match in re.finditer(r"\b[A-Z][a-z’']{3,}\b", article.clean_text):
                owners = by_key.get(name_key(match.group(), loose=True))
                if not owners or len(owners) > 1:
                    continue  # unknown, or two people share the surname: leave it
                if any(s < match.end() and match.start() < e for s, e in covered):
                    continue
                mention = Mention(article_id=article.id, start=match.start(), end=match.end(),
                                  text=match.group(), label="PERSON", source=SOURCE_COREF)
                owners[0].mentions.append(mention)
                self.extra_mentions.append(mention)

    def _attach_role_nouns(self, clusters: list[_Cluster]) -> None:
        """"the spokesman" after "Igor Konashenkov, spokesman for …" in the same article."""
        people = [c for c in clusters if c.type is EntityType.PER]
        for article in self.articles.values():
            for match in ROLE_NOUN.finditer(article.clean_text):
                role = match.group(1).casefold()
                best: tuple[int, _Cluster] | None = None
                for cluster in people:
                    for mention in cluster.mentions:
                        if mention.article_id != article.id or mention.end > match.start():
                            continue
                        around = article.clean_text[max(0, mention.start - 60): mention.end + 60]
                        if role in around.casefold() and (best is None or mention.end > best[0]):
                            best = (mention.end, cluster)
                if best is not None:
                    mention = Mention(
                        article_id=article.id, start=match.start(), end=match.end(),
                        text=article.clean_text[match.start():match.end()], label="PERSON",
                        source=SOURCE_COREF,
                    )
                    best[1].mentions.append(mention)
                    self.extra_mentions.append(mention)


def _canonical_republic(city: GazPlace, written: str) -> str:
    return f"{city.name} People's Republic" if city.kind == "city" else written


def _most_common_form(cluster: _Cluster) -> str:
    forms = Counter(_clean_surface(m.text) for m in cluster.mentions if m.source != SOURCE_COREF)
    if not forms:
        return _clean_surface(cluster.mentions[0].text)
    return max(forms, key=lambda f: (forms[f], len(f)))


def _canonical_person(cluster: _Cluster, articles: dict[str, Article]) -> str:
    """The most used full spelling without titles; surname forms vote across outlets."""
    fulls = Counter()
    for mention in cluster.mentions:
        if mention.source == SOURCE_COREF:
            continue
        person = parse_person(_clean_surface(mention.text))
        if person.is_full:
            fulls[person.full] += 1
    if fulls:
        return max(fulls, key=lambda f: (fulls[f], len(f)))
    surnames = Counter(parse_person(_clean_surface(m.text)).surname for m in cluster.mentions
                       if m.source != SOURCE_COREF)
    return max(surnames, key=lambda s: (surnames[s], len(s)))


__all__ = ["StoryAnchor", "entities_stage", "haversine_km", "resolve_entities", "score_candidate"]
