"""Where a story happens and which gazetteer entry a place name means in it."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Sequence

from manysides.analyse.entities.common import (
    _demonym_stems, state_abbreviations, DEMONYM, PLACE_LABELS, SOURCE_GAZETTEER, STEM_ENDINGS, _NAME, _WORD, EntityType, Mention, _clean_surface,
    _Cluster, _data_rows, _initials, _to_place,
)
from manysides.analyse.shared.gazetteer import COUNTRY_ALIASES, Candidate, Gazetteer, GazPlace
from manysides.analyse.shared.translit import ADJECTIVAL_PLACE_SUFFIX, name_key
from manysides.lang import en
from manysides.model import Article

# The region named right beside a town ("Lyman in Donetsk Oblast", "Paris, Tenn.") settles
# which namesake it is, above anything the rest of the article suggests.
NAMED_REGION_BONUS = 5.0
# A place this close to the story's anchor is taken as part of the story.
NEAR_KM = 600.0
# What each tenfold of population adds to a candidate's score.
SIZE_WEIGHT = 0.5
# What lying in the story's theatre adds (tuned with the weights below on the dev half of the
# geoparsing corpora: 4.0 let a village near the anchor beat every distant city of its name).
ANCHOR_WEIGHT = 2.0
# Places closer than this to the anchor are equally "in the story".
LOCAL_KM = 300.0
# Non-NER words this frequent in English (zipf) are ordinary words unless the story backs them.
COMMON_WORD_ZIPF = 4.0
# Gazetteer kinds wider than any country's parts: continents, seas, world regions.
_SPANS = ("continent", "sea", "area")
# Kinds a bare name means before any namesake town.
WIDE_KINDS = ("country", *_SPANS)
# A first-order region this populous is read before any town of its name (a state, a province).
STATE_POPULATION = 250_000
# A namesake this big (or a country's capital) is in any story that names it bare: "London"
# in an American story is still London, England, unless the text names the small one's region.
WORLD_CITY_POPULATION = 1_000_000
# An article naming a place more often than this is about it (see prominent_at_home).
IN_PASSING_MENTIONS = 2
# A town named inside a longer name stands for it only if it is this big (not "City", "Academy");
# a word as common as "South" or "Central" only if it is a country, a capital or a world city.
INSIDE_TOWN_POPULATION = 100_000
EVERYDAY_WORD_ZIPF = 5.0
# Seas, world regions and landmarks have no population; they weigh like a place this big.
NOMINAL_POPULATION = {"sea": 10_000_000, "area": 10_000_000, "landmark": 1_000_000}

# "<name> region / province / oblast …": a first-order region of any country, named the way
# English news names it (en.REGION_WORDS). Words for smaller units (county, district, parish,
# municipality, department) are left out: this pattern resolves to first-order regions, and
# "<town> County" is not the state the town lies in.
_SECOND_ORDER = frozenset({"county", "district", "parish", "municipality", "department"})


def _either_case_first(words) -> str:
    """An alternation of lower-case ``words``, longest first, each with either case of its first
    letter ("[Rr]egion"): a word that begins a sentence or a title still matches."""
    return "|".join(f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}" for w in sorted(words, key=lambda w: (-len(w), w)))


_REGION_WORDS = _either_case_first(en.REGION_WORDS - _SECOND_ORDER)
REGION_PATTERN = re.compile(rf"\b(?P<name>{_NAME})\s+(?P<word>{_REGION_WORDS})\b")
_REGION_WORD_AFTER = re.compile(rf"\s+(?P<word>{_REGION_WORDS})s?\b")
_REGION_LIST_AFTER = re.compile(
    rf"(?:\s*,\s*{_NAME})*,?\s+and\s+(?:the\s+)?(?P<last>{_NAME}\s+(?P<word>{_REGION_WORDS})s)\b")
# "the <town> offensive": the name stands for the town's region (data/area_nouns.tsv).
_AREA_NOUNS = {row[0].strip().lower() for row in _data_rows("area_nouns.tsv") if row[0].strip()}
_AREA_NOUN_AFTER = re.compile(r"\s+(?:[Cc]ounter-?)?(?:" + _either_case_first(_AREA_NOUNS) + r")s?\b")
# "<name> river" / "the River <name>" / "Lake <name>": the name is the water body or landform.
_LANDFORM = _either_case_first(en.LANDFORM_WORDS)
_LANDFORM_AFTER = re.compile(rf"\s+(?:{_LANDFORM})s?\b")
_LANDFORM_BEFORE = re.compile(rf"\b(?:{_LANDFORM})\s+(?:of\s+(?:the\s+)?)?$")
# The last word of a name that makes the whole name a landform ("Mississippi River", "Black Hills").
_LANDFORM_ENDINGS = en.LANDFORM_WORDS | {"rivers", "lakes", "hill"}
# "a Palestine man", "Jordan police", "City of Lebanon": the name is a town's (en.TOWN_LIFE_WORDS).
_TOWN_LIFE_AFTER = re.compile(r"\s+(?:[Cc]ity\s+|[Hh]igh\s+|[Pp]ublic\s+)?(?:"
                              + _either_case_first(en.TOWN_LIFE_WORDS) + r")\b")
_TOWN_LIFE_BEFORE = re.compile(r"\b(?:[Cc]ity|[Tt]own|[Vv]illage)\s+of\s+$")
REPUBLIC_PATTERN = re.compile(rf"\b(?P<name>{_WORD})\s+People[’']s\s+Republic\b")
DIRECTION_PATTERN = re.compile(rf"\b(?P<name>{_WORD})\s+(?P<word>direction|axis|front|sector)\b")
HYPHEN_COMPOUND = re.compile(r"\b([A-Z][a-z’']{2,})-([A-Z][a-z’']{2,})\b")
# Ukrainian/Russian adjectival region names: Kharkivska oblast, Donetskaya oblast.


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
    # (name key, point or None, country) of every place mention the anchor was made from
    evidence: list[tuple[str, tuple[float, float] | None, str]] = field(default_factory=list)

    def without(self, key: str) -> StoryAnchor:
        """The anchor the story's other names make: a name never votes for its own reading
        (a local paper's "Paris" must not anchor the story in France and then be Paris, France)."""
        if not any(k == key for k, _, _ in self.evidence):
            return self
        return StoryAnchor._from_evidence([e for e in self.evidence if e[0] != key])

    @classmethod
    def _from_evidence(cls, evidence: list[tuple[str, tuple[float, float] | None, str]]) -> StoryAnchor:
        points = [point for _, point, _ in evidence if point is not None]
        countries = Counter(country for _, _, country in evidence)
        if not points:
            return cls(countries=countries, evidence=evidence)
        latitudes = sorted(p[0] for p in points)
        longitudes = sorted(p[1] for p in points)
        middle = len(points) // 2
        return cls(latitudes[middle], longitudes[middle], countries, evidence)

    def distance_km(self, place: GazPlace) -> float | None:
        if self.latitude is None:
            return None
        return haversine_km(self.latitude, self.longitude, place.latitude, place.longitude)

    @classmethod
    def from_articles(cls, articles: Sequence[Article], gazetteer: Gazetteer) -> StoryAnchor:
        evidence: list[tuple[str, tuple[float, float] | None, str]] = []
        for article in articles:
            for mention in article.mentions:
                if mention.label not in PLACE_LABELS:
                    continue
                surface = _clean_surface(mention.text)
                candidates = gazetteer.lookup(surface, loose=False)
                if not any(c.match == "exact" for c in candidates):
                    continue
                key = name_key(surface, loose=True)
                top = next(c for c in candidates if c.match == "exact")
                if top.place.kind == "country":
                    evidence.append((key, None, top.place.country_code))
                    continue
                top = unambiguous(candidates, surface)
                if top is not None:
                    evidence.append((key, (top.place.latitude, top.place.longitude), top.place.country_code))
        return cls._from_evidence(evidence)


def unambiguous(candidates: Sequence[Candidate], name: str) -> Candidate | None:
    """The namesake a bare name means on size alone: a sizeable place at least ten times
    bigger than any other place of exactly that name, and called by it: its main name, or the
    first words of it ("Frankfurt" for Frankfurt am Main; not a former name GeoNames lists)."""
    exact = sorted((c for c in candidates if c.match == "exact"), key=lambda c: -c.place.population)
    if not exact:
        return None
    words = name.casefold().split()
    if not exact[0].primary and exact[0].place.name.casefold().split()[:len(words)] != words:
        return None
    runner_up = exact[1].place.population if len(exact) > 1 else 0
    top = exact[0].place.population
    return exact[0] if top >= 50_000 and top >= 10 * runner_up else None


def prominent_at_home(candidates: Sequence[Candidate], name: str, anchor: StoryAnchor,
                      countries: Counter | None = None, *, in_passing: bool = True) -> int | None:
    """The row of the namesake that is in the story wherever in its country it lies.

    A name the story's anchor would take as unambiguous ("Frankfurt" is Frankfurt am Main) and
    whose big namesake lies in one of the story's own countries is that namesake: a smaller
    one nearer the anchor wins only on the article's own evidence (a region named beside it,
    the article's other places), never on closeness to the story's middle alone. Abroad, that
    closeness still counts (a local paper's "Paris").

    A world city (see WORLD_CITY_POPULATION) is in the story wherever it lies when the article
    names it ``in_passing``, a time or two: "London-based" in an American story. An article
    that keeps naming it is about that town, and a local paper's "Paris" there is its own.
    """
    top = unambiguous(candidates, name)
    if top is None:
        return None
    world_city = in_passing and (top.place.population >= WORLD_CITY_POPULATION or top.place.is_capital)
    if not world_city and (
            top.place.country_code not in anchor.countries and top.place.country_code not in (countries or ())):
        return None
    return top.place.row


def score_candidate(candidate: Candidate, anchor: StoryAnchor, *, in_story: bool = False) -> float:
    """Higher is likelier: match quality, salience, and closeness to the story. ``in_story``:
    the place counts as lying at the anchor (see :func:`prominent_at_home`)."""
    score = {"exact": 3.0, "strict": 2.5, "loose": 1.5}[candidate.match]
    score += 0.5 if candidate.primary else 0.0
    population = max(candidate.place.population, NOMINAL_POPULATION.get(candidate.place.kind, 1))
    score += SIZE_WEIGHT * math.log10(population)
    distance = 0.0 if in_story and anchor.latitude is not None else anchor.distance_km(candidate.place)
    if distance is not None:
        # A state or country is as near as its nearest part, not its middle point.
        distance = max(0.0, distance - candidate.place.radius_km)
        # Context outweighs size: a village near the story beats a city far away. Within
        # the story's own theatre (LOCAL_KM) distance says nothing and size decides.
        score += ANCHOR_WEIGHT * math.exp(-max(0.0, distance - LOCAL_KM) / 800.0)
        # Among the story's own places, the nearest namesake is a little likelier (a local paper's
        # "Mansfield" is the one down the road).
        score += 0.5 * math.exp(-distance / 150.0)
    if anchor.countries and candidate.place.country_code in anchor.countries:
        score += 0.5
    if candidate.place.kind in WIDE_KINDS:
        # A bare country name means the country, before any namesake and before its capital
        # (GeoNames lists "Mexico" among Mexico City's names); "Middle East" is the region,
        # not a village called so.
        score += 2.5
    elif candidate.place.kind == "ADM1" and candidate.match == "exact" \
            and candidate.place.population >= STATE_POPULATION:
        # "Florida" is the state before any town of that name; a parish of 60,000 ("Manchester",
        # Jamaica) is not a state before the English city
        score += 0.75
    if candidate.place.is_capital and candidate.match == "exact":
        score += 2.0  # a newsroom reads "Washington" as the capital
    return score


def best_place(gazetteer: Gazetteer, text: str, anchor: StoryAnchor, *, kinds=None,
               regions: frozenset[tuple[str, str]] = frozenset()) -> Candidate | None:
    """The likeliest place; ``regions`` are (country, admin1) named next to the mention."""
    candidates = gazetteer.lookup(text, kinds=kinds)
    if not candidates:
        return None
    candidates = country_first(candidates, anchor.without(name_key(_clean_surface(text), loose=True)))
    home = prominent_at_home(candidates, _clean_surface(text), anchor)
    return max(candidates, key=lambda c: score_candidate(c, anchor, in_story=c.place.row == home)
               + (NAMED_REGION_BONUS if (c.place.country_code, c.place.admin1) in regions else 0.0))


def country_first(candidates: list[Candidate], anchor: StoryAnchor,
                  others: Counter | None = None) -> list[Candidate]:
    """A bare country name is the country ("Mexico", not the capital GeoNames also calls so),
    unless the story's own country has a region of that name (Georgia in a US story). The
    anchor is the one the story's other names make: "Georgia" must not vote for the country;
    ``others`` counts the countries of the article's other names (its counties and towns)."""
    countries = [c for c in candidates if c.place.kind == "country" and c.match == "exact"]
    story = anchor.countries + (others or Counter())
    # A region of the country itself (the State of Mexico in Mexico) never outranks the country.
    home_regions = [c for c in candidates if c.place.kind == "ADM1" and c.match == "exact"
                    and c.place.country_code in story
                    and all(c.place.country_code != country.place.country_code for country in countries)
                    and story[c.place.country_code] >= max(story.values())]
    return countries if countries and not home_regions else candidates


def _plausible(candidate: Candidate, anchor: StoryAnchor) -> bool:
    """Is this place part of *this* story (for words the NER did not call places)?"""
    place = candidate.place
    if place.kind in ("country", "ADM1", *_SPANS):
        return candidate.match != "loose"
    distance = anchor.distance_km(place)
    if distance is not None and distance <= NEAR_KM:
        return True
    return candidate.match == "exact" and place.population >= 100_000


def _region_lookup(gazetteer: Gazetteer, name: str, anchor: StoryAnchor) -> Candidate | None:
    """The city (or ADM1) a region phrase is named after; None for a country's name ("China
    state media" is no region of a town called China)."""
    if any(c.match == "exact" for c in gazetteer.lookup(name, loose=False, kinds=("country",))):
        return None
    candidate = best_place(gazetteer, name, anchor, kinds=("ADM1", "city"))
    if candidate is None and ADJECTIVAL_PLACE_SUFFIX.search(name):
        stem = ADJECTIVAL_PLACE_SUFFIX.sub("", name)
        candidate = best_place(gazetteer, stem, anchor, kinds=("ADM1", "city"))
    return candidate


def _compound_part(gazetteer: Gazetteer, part: str, anchor: StoryAnchor) -> bool:
    for ending in STEM_ENDINGS:
        candidate = best_place(gazetteer, part + ending, anchor, kinds=("city",))
        if candidate is not None and candidate.match != "loose" and _plausible(candidate, anchor):
            return True
    return False


def _canonical_republic(city: GazPlace, written: str) -> str:
    return f"{city.name} People's Republic" if city.kind == "city" else written



def demonym_place(gazetteer: Gazetteer, surface: str) -> Candidate | None:
    """A place-labelled nationality word ("American", "Sri Lankan", "European") names its
    country or continent: the gazetteer's demonym table first, then the word's stems."""
    singular = re.sub(r"s$", "", surface)
    for word in (surface, singular):
        country = getattr(gazetteer, "demonym_country", lambda _: None)(word)
        if country is not None:
            return Candidate(country, "exact", True)
        named = en.IRREGULAR_DEMONYMS.get(word.casefold())
        hits = [c for c in gazetteer.lookup(named, loose=False, kinds=("country",))
                if c.match == "exact"] if named else []
        if hits:
            return hits[0]
    if not DEMONYM.search(surface) or " " in surface \
            or any(c.match == "exact" for c in gazetteer.lookup(surface, loose=False)):
        return None  # a place of that very name
    for stem in _demonym_stems(singular)[1:]:
        hits = [c for c in gazetteer.lookup(stem, loose=False, kinds=("country", "continent"))
                if c.match in ("exact", "strict")]
        if hits:
            return hits[0]
    return None


def place_of_name(gazetteer: Gazetteer, surface: str, anchor: StoryAnchor) -> GazPlace | None:
    """The likeliest place a name stands for in a story, without its sentence: for a toponym
    someone else recognised (a benchmark's gold span) where the entities stage saw none."""
    surface = _clean_surface(surface)
    if not surface:
        return None
    state = state_abbreviations().get(surface) or state_abbreviations().get(surface + ".")
    if state is not None:
        hits = [c for c in gazetteer.lookup(state, loose=False, kinds=("ADM1",)) if c.place.country_code == "US"]
        if hits:
            return hits[0].place
    candidate = demonym_place(gazetteer, surface) or best_place(gazetteer, surface, anchor)
    if candidate is not None and candidate.match == "loose" and not _plausible(candidate, anchor):
        candidate = None
    if candidate is None:
        candidate = _region_adjective(gazetteer, surface) or _place_inside(gazetteer, surface, anchor)
    return candidate.place if candidate is not None else None


def _region_adjective(gazetteer: Gazetteer, surface: str) -> Candidate | None:
    """A region's or country's adjective no demonym table holds ("Bavarian")."""
    if " " in surface or not DEMONYM.search(surface):
        return None
    for stem in _demonym_stems(surface)[1:]:
        hits = [c for c in gazetteer.lookup(stem, loose=False, kinds=("country", "ADM1")) if c.match == "exact"]
        if hits:
            return max(hits, key=lambda c: c.place.population)
    return None


def _place_inside(gazetteer: Gazetteer, surface: str, anchor: StoryAnchor) -> Candidate | None:
    """The place a longer name is at, where the whole name is no place in the gazetteer: "the
    Dubai World Trade Centre" is in Dubai, "the Bank of Japan" in Japan. The longest run of the
    name's words that names a region, sea or sizeable town, or a country by its English name (not
    "Island", Iceland's name for itself: "Fire Island" is no Icelandic place); the most local if
    several."""
    from wordfreq import zipf_frequency

    words = surface.split()
    for size in range(len(words) - 1, 0, -1):
        found = []
        for first in range(len(words) - size + 1):
            part = " ".join(words[first:first + size])
            if not part[:1].isupper() or part.casefold() in en.STOPWORDS:
                continue
            hits = [c for c in gazetteer.lookup(part, loose=False) if c.match == "exact" and (
                c.place.kind != "country" or c.primary or part in COUNTRY_ALIASES.get(c.place.country_code, ())) and (
                c.place.kind in ("country", "ADM1", *_SPANS)
                or (c.place.kind == "city" and (c.place.population >= INSIDE_TOWN_POPULATION or c.place.is_capital)))]
            if size == 1 and zipf_frequency(part.casefold(), "en") >= EVERYDAY_WORD_ZIPF:
                # "South Waziristan" is not in a region called "South"; "London Heathrow" is in London.
                hits = [c for c in hits if c.place.kind == "country" or c.place.is_capital
                        or c.place.population >= WORLD_CITY_POPULATION and c.place.kind == "city"]
            if hits:
                found.append(best_place(gazetteer, part, anchor) or hits[0])
        if found:
            local = {"city": 0, "ADM2": 1, "ADM1": 2}
            return min(found, key=lambda c: local.get(c.place.kind, 3))
    return None


# An article's other places lying in the same first-order region, or the same country, back
# a candidate (a local paper's "Paris" beside "Tennessee" and "Henry County" is Paris, Tennessee).
SAME_REGION_BONUS = 1.5
SAME_COUNTRY_BONUS = 1.0
# The other names of an article near a candidate (see _ArticleSupport.bonus).
NEIGHBOUR_WEIGHT = 1.0
NEIGHBOUR_KM = 200.0
NEIGHBOUR_CAP = 3.0
MAX_NEIGHBOURS = 12
SUPPORT_CAP = 4.0
# A town lying in a county the same article names (within the county's reach and this slack).
CONTAINED_BONUS = 3.0
CONTAINED_SLACK_KM = 10.0


@dataclass
class _ArticleSupport:
    """Where an article's other place names most likely lie: the best candidate of each name."""

    tops: dict[str, Candidate]
    regions: Counter
    countries: Counter
    others: dict[str, list[tuple[GazPlace, float]]] = field(default_factory=dict)
    # Each name's county (ADM2) and town readings: a town that lies in a county the same article
    # names is that county's town, and the county is the town's (Paris beside Henry County).
    counties: dict[str, list[GazPlace]] = field(default_factory=dict)
    towns: dict[str, list[GazPlace]] = field(default_factory=dict)

    @classmethod
    def of(cls, named: list[tuple[str, list[Candidate], frozenset]], anchor: StoryAnchor) -> _ArticleSupport:
        tops: dict[str, Candidate] = {}
        for key, candidates, regions in named:
            if key in tops or not candidates:
                continue
            tops[key] = max(candidates, key=lambda c: score_candidate(c, anchor)
                            + (NAMED_REGION_BONUS if (c.place.country_code, c.place.admin1) in regions else 0.0))
        # Only names read exactly vote for a region or country: a stray "Arts" the NER called a
        # place, read only loosely as French villages, says nothing of where the article is.
        exact = [c for c in tops.values() if c.match == "exact"]
        regions = Counter(_region_of(c.place) for c in exact if _region_of(c.place))
        countries = Counter(c.place.country_code for c in exact if c.place.country_code)
        # Each other name's candidates, weighted by how likely each is on size and match alone.
        others: dict[str, list[tuple[GazPlace, float]]] = {}
        plain = StoryAnchor()
        for key, candidates, _ in named:
            if key in others or not any(c.match == "exact" for c in candidates):
                continue  # a name read only loosely says nothing of where the article is
            best = sorted(candidates, key=lambda c: -score_candidate(c, plain))[:MAX_NEIGHBOURS]
            scores = [score_candidate(c, plain) for c in best]
            top = max(scores)
            weights = [math.exp(2.0 * (x - top)) for x in scores]
            total = sum(weights)
            others[key] = [(c.place, w / total) for c, w in zip(best, weights)]
        counties = {key: [c.place for c in candidates if c.place.kind == "ADM2"] for key, candidates, _ in named}
        towns = {key: [c.place for c in candidates if c.place.kind == "city"] for key, candidates, _ in named}
        return cls(tops, regions, countries, others, counties, towns)

    def _contained(self, key: str, place: GazPlace) -> bool:
        """Does another name of the article read as a county holding this town, or as a town
        inside this county?"""
        if place.kind == "city":
            pairs = ((county, place) for k, places in self.counties.items() if k != key for county in places)
        elif place.kind == "ADM2":
            pairs = ((place, town) for k, places in self.towns.items() if k != key for town in places)
        else:
            return False
        return any(county.country_code == town.country_code and county.admin1 == town.admin1
                   and haversine_km(county.latitude, county.longitude, town.latitude, town.longitude)
                   <= county.radius_km + CONTAINED_SLACK_KM for county, town in pairs)

    def other_countries(self, key: str) -> Counter:
        """The countries of the article's other place names (read exactly, as in :meth:`of`)."""
        return Counter(c.place.country_code for k, c in self.tops.items()
                       if k != key and c.place.country_code and c.match == "exact")

    def bonus(self, key: str, candidate: Candidate, *, closeness: bool = True) -> float:
        """What the article's other names add to ``candidate``: lying in their region or
        country, and lying near them (with ``closeness`` false, only in a region they name)."""
        own = self.tops.get(key)
        place = candidate.place
        bonus = 0.0
        region = _region_of(place)
        if region and self.regions[region] - (1 if own is not None and _region_of(own.place) == region else 0) > 0:
            bonus += SAME_REGION_BONUS
            closeness = True  # in a region the text names: nearness to its other places counts
        if place.country_code and self.countries[place.country_code] - (
                1 if own is not None and own.place.country_code == place.country_code else 0) > 0:
            bonus += SAME_COUNTRY_BONUS
        if closeness and NEIGHBOUR_WEIGHT and place.kind not in _SPANS:
            # Places of one article lie near each other: each other name adds the chance
            # that it lies within reach of this candidate.
            near = 0.0
            for other, candidates in self.others.items():
                if other == key:
                    continue
                near += sum(weight * math.exp(-max(0.0, haversine_km(
                    place.latitude, place.longitude, o.latitude, o.longitude)
                    - place.radius_km - o.radius_km) / NEIGHBOUR_KM) for o, weight in candidates)
            bonus += NEIGHBOUR_WEIGHT * min(near, NEIGHBOUR_CAP)
        # However much the article backs it, a namesake does not outweigh a city hundreds of
        # times its size on that alone (London beside New York is still London, England); a
        # county named beside it is more than nearness (London beside Laurel County is Kentucky's).
        return min(bonus, SUPPORT_CAP) + (CONTAINED_BONUS if self._contained(key, place) else 0.0)


def _region_of(place: GazPlace) -> tuple[str, str] | None:
    if place.kind in ("city", "ADM1", "ADM2") and place.admin1:
        return place.country_code, place.admin1
    return None


class PlacesMixin:
    """Place clusters of the resolver: one per gazetteer entry, region, republic or direction."""

    def _add_place(self, mention: Mention, entity_type: EntityType) -> None:
        surface = _clean_surface(mention.text)
        region_word = self._region_word_after(mention)
        if region_word and not REGION_PATTERN.fullmatch(surface):
            # "the Mugla and Antalya regions": each bare name there is its region, not its city.
            surface = f"{surface} {region_word}"
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
        if self._names_a_landform(mention, surface):
            # "the Elbe river": the river, never a village called Elbe. A sea or world area of the
            # name is placed; a river the gazetteer lacks stays off the map.
            candidate = best_place(self.gazetteer, surface, self.anchor, kinds=_SPANS)
            if candidate is not None and candidate.match == "exact":
                place = candidate.place
                cluster = self._cluster(self.places, ("place", place.row), EntityType.LOC)
                cluster.place = cluster.place or _to_place(place)
                cluster.canonical = cluster.canonical or place.name
            else:
                key = ("unplaced", EntityType.LOC.value, name_key(surface, loose=True))
                cluster = self._cluster(self.others, key, EntityType.LOC)
            cluster.mentions.append(mention)
            return
        regions = self._regions_near(mention)
        candidate = self._state_abbreviation(surface) or self._demonym_country(surface)
        candidate = candidate or self._story_choice(surface) \
            or best_place(self.gazetteer, surface, self.anchor, regions=regions)
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

    def prepare_places(self, articles) -> None:
        """One sense per story: a name the story uses for a place means one place in all its
        articles, the one its mentions together score best for (one article's "Lyman in Donetsk
        Oblast" settles another's bare "Liman")."""
        totals: dict[str, dict[int, float]] = {}
        found: dict[str, dict[int, Candidate]] = {}
        counts: dict[str, int] = {}
        votes: dict[str, dict[int, float]] = {}  # name key -> row -> bonus from a direction phrase
        surfaces: dict[str, str] = {}  # name key -> the first spelling of it
        for article in articles:
            named: list[tuple[str, list[Candidate], frozenset]] = []
            towns: set[str] = set()  # names the article writes as a town's ("Jordan police")
            for mention in article.mentions:
                if mention.label not in PLACE_LABELS:
                    continue
                surface = _clean_surface(mention.text)
                key = name_key(surface, loose=True)
                direction = DIRECTION_PATTERN.fullmatch(surface)
                if direction:
                    # "the Lyman direction" points at one town: the story's bare "Lyman" is that town.
                    base = _region_lookup(self.gazetteer, direction.group("name"), self.anchor)
                    name = name_key(direction.group("name"), loose=True)
                    if base is not None and base.place.kind == "city" and name:
                        votes.setdefault(name, {})[base.place.row] = NAMED_REGION_BONUS
                if not key or any(p.fullmatch(surface) for p in (REPUBLIC_PATTERN, REGION_PATTERN, DIRECTION_PATTERN)):
                    continue
                counts[key] = counts.get(key, 0) + 1
                surfaces.setdefault(key, surface)
                named.append((key, self.gazetteer.lookup(surface), self._regions_near(mention)))
                if self._names_a_town(mention):
                    towns.add(key)
            # "a Palestine man": the article's "Palestine" is a town of the name, not the country.
            named = [(key, [c for c in candidates if c.place.kind != "country"] or candidates
                      if key in towns else candidates, regions) for key, candidates, regions in named]
            # The article's other names say which country a bare country-or-region name is in.
            first = _ArticleSupport.of(named, self.anchor)
            named = [(key, country_first(candidates, self.anchor.without(key), first.other_countries(key)), regions)
                     for key, candidates, regions in named]
            support = _ArticleSupport.of(named, self.anchor)
            named_here = Counter(key for key, _, _ in named)
            for key, candidates, regions in named:
                anchor = self.anchor.without(key)
                home = prominent_at_home(candidates, surfaces[key], anchor, support.other_countries(key),
                                         in_passing=named_here[key] <= IN_PASSING_MENTIONS)
                # A rival of a prominent town does not win on being near the article's other
                # places either, only on lying in a region they name.
                home_is_town = any(c.place.row == home and c.place.kind == "city" for c in candidates)
                for candidate in candidates:
                    bonus = NAMED_REGION_BONUS if (candidate.place.country_code, candidate.place.admin1) in regions else 0.0
                    row = candidate.place.row
                    totals.setdefault(key, {})[row] = totals.get(key, {}).get(row, 0.0) \
                        + score_candidate(candidate, anchor, in_story=row == home) + bonus \
                        + support.bonus(key, candidate, closeness=row == home or not home_is_town) \
                        + votes.get(key, {}).get(row, 0.0)
                    found.setdefault(key, {}).setdefault(row, candidate)
        self._story_places = {key: found[key][max(rows, key=rows.get)] for key, rows in totals.items() if rows}
        # How often the story names each chosen place, over all its spellings.
        self._story_weight: dict[int, int] = {}
        for key, candidate in self._story_places.items():
            self._story_weight[candidate.place.row] = self._story_weight.get(candidate.place.row, 0) + counts.get(key, 0)

    def _story_choice(self, surface: str) -> Candidate | None:
        choice = getattr(self, "_story_places", {}).get(name_key(surface, loose=True))
        if choice is None:
            return None
        candidates = self.gazetteer.lookup(surface)
        # A spelling that can also name a place the story names more often under another spelling
        # ("MUEHLHAUSEN" in a dateline, "Mühlhausen" in the text) is that place.
        weight = getattr(self, "_story_weight", {})
        other = max((c for c in candidates if weight.get(c.place.row, 0) > weight.get(choice.place.row, 0)),
                    key=lambda c: weight.get(c.place.row, 0), default=None)
        if other is not None:
            return other
        # The story's choice holds only where this very spelling can name it.
        return next((c for c in candidates if c.place.row == choice.place.row), None)

    def _region_word_after(self, mention: Mention) -> str | None:
        """The region word a bare name modifies: "<name> region(s)", or "<name> and <name>
        regions" / "<name>, <name> and <name> provinces" (the word in the singular); "region"
        for a noun that makes the name its area ("the <town> offensive")."""
        article = self.articles.get(mention.article_id)
        if article is None:
            return None
        if any(c.match == "exact" for c in self.gazetteer.lookup(
                _clean_surface(mention.text), loose=False, kinds=("country",))):
            return None  # "China state media": a country is never a region of itself
        after = article.clean_text[mention.end:mention.end + 120]
        direct = _REGION_WORD_AFTER.match(after)
        if direct:
            return direct.group("word").lower()
        if _AREA_NOUN_AFTER.match(after):
            return "region"
        listed = _REGION_LIST_AFTER.match(after)
        if listed is None or any(c.match == "exact" for c in self.gazetteer.lookup(
                listed.group("last"), loose=False, kinds=("country",))):
            return None  # "Asia, Africa and the United States": a country, not "<name> states"
        return listed.group("word").lower()

    def _written_beside(self, mention: Mention, after: re.Pattern, before: re.Pattern) -> bool:
        """Do the words right after the name match ``after``, or those right before it ``before``?"""
        article = self.articles.get(mention.article_id)
        if article is None:
            return False
        text = article.clean_text
        return bool(after.match(text[mention.end:mention.end + 30])
                    or before.search(text[max(0, mention.start - 20):mention.start]))

    def _names_a_town(self, mention: Mention) -> bool:
        """Is the name written as a town's, with its people or institutions ("Jordan police")?"""
        return self._written_beside(mention, _TOWN_LIFE_AFTER, _TOWN_LIFE_BEFORE)

    def _names_a_landform(self, mention: Mention, surface: str) -> bool:
        """Does a landform word stand right beside the name, or end it ("Mississippi River")?
        A name the gazetteer holds whole stays a town ("Green Bay", "Walnut Creek")."""
        words = surface.split()
        if len(words) > 1 and words[-1].casefold() in _LANDFORM_ENDINGS:
            return not any(c.match == "exact" and c.place.kind not in _SPANS
                           for c in self.gazetteer.lookup(surface, loose=False))
        return self._written_beside(mention, _LANDFORM_AFTER, _LANDFORM_BEFORE)

    def _state_abbreviation(self, surface: str) -> Candidate | None:
        """"Fla." is Florida, never a town abroad that the gazetteer spells "Fla"."""
        state = state_abbreviations().get(surface) or state_abbreviations().get(surface + ".")
        if state is None:
            return None
        hits = [c for c in self.gazetteer.lookup(state, loose=False, kinds=("ADM1",))
                if c.place.country_code == "US"]
        return hits[0] if hits else None

    def _demonym_country(self, surface: str) -> Candidate | None:
        return demonym_place(self.gazetteer, surface)

    def _regions_near(self, mention: Mention) -> frozenset[tuple[str, str]]:
        """(country, admin1) of regions named in the mention's sentence ("Lyman in Donetsk Oblast")."""
        article = self.articles[mention.article_id]
        start, end = mention.start, mention.end
        for sentence in article.sentences:
            if sentence.start <= mention.start < sentence.end:
                start, end = sentence.start, sentence.end
                break
        regions = set()
        # "Springfield, Ill." / "Springfield, Illinois": the state right after the town.
        after = re.match(r",\s*([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)", article.clean_text[mention.end:mention.end + 30])
        if after:
            state = self._state_abbreviation(after.group(1)) or next(
                (c for c in self.gazetteer.lookup(after.group(1).rstrip("."), loose=False, kinds=("ADM1",))
                 if c.match == "exact"), None)
            if state is not None and state.place.admin1:
                regions.add((state.place.country_code, state.place.admin1))
        for match in REGION_PATTERN.finditer(article.clean_text[start:end]):
            base = _region_lookup(self.gazetteer, match.group("name").split()[-1], self.anchor)
            if base is not None and base.place.admin1:
                regions.add((base.place.country_code, base.place.admin1))
        return frozenset(regions)


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
