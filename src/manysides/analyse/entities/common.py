"""Pieces every part of the entities stage shares: labels, mention helpers, the cluster type."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from manysides.analyse.shared.gazetteer import GazPlace
from manysides.lang import en
from manysides.analyse.shared.translit import PersonName
from manysides.model import EntityType, Mention, Place

LABEL_TO_TYPE = {
    "PERSON": EntityType.PER, "PER": EntityType.PER, "ORG": EntityType.ORG,
    "GPE": EntityType.GPE, "LOC": EntityType.LOC, "NORP": EntityType.NORP,
    "FAC": EntityType.LOC,
}
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
SOURCE_GAZETTEER = "gazetteer"
SOURCE_COREF = "coref"
_WORD = r"[A-Z][\w’'\-]*"
_NAME = rf"{_WORD}(?:\s+{_WORD})?"
# Russian compound adjectives drop a stem's final vowel (Balakleya -> Balakley-Izyum).
STEM_ENDINGS = ("", "a", "ya", "ia", "o", "e", "i")
ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
DEMONYM = re.compile(r"(?:ian|ean|an|ish|ese|i|ic)s?$")
CAPITALISED_RUN = re.compile(rf"{_WORD}(?:\s+{_WORD}){{0,2}}")
# Function words (and the "de" of Romance names) that never key or initial a name.
_STOP = en.STOPWORDS | {"de"}
SOURCE_PATTERN = "pattern"
# Words that are never a place, whatever a gazetteer holds under that name ("I", "We", "In"):
# English function words and pronouns (lang/en), plus the few determiners that open sentences.
NEVER_PLACES = en.STOPWORDS | en.PERSONAL_PRONOUNS | {"all", "not", "no", "one"}


def _data_rows(name: str) -> list[list[str]]:
    """Tab-separated rows of a data table shipped in ``manysides/data`` (comments left out)."""
    text = resources.files("manysides").joinpath("data", name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def state_abbreviations() -> dict[str, str]:
    """"Fla." -> "Florida": US state abbreviations as news writes them."""
    table = {row[0]: row[1] for row in _data_rows("us_state_abbreviations.tsv") if len(row) >= 2}
    # "W.Va." is also written "W. Va."
    spaced = {key.replace(".", ". ").strip(): state for key, state in table.items() if "." in key[:-1]}
    return {**spaced, **table}


@lru_cache(maxsize=None)
def name_words(kind: str) -> frozenset[str]:
    """Words of one kind from ``name_words.tsv`` (org_head, platform, place_word, role, person…)
    or ``name_kinds.tsv`` (company_noun, building_noun, street_word, venue_head)."""
    rows = _data_rows("name_words.tsv") + _data_rows("name_kinds.tsv")
    return frozenset(row[0] for row in rows if len(row) >= 2 and row[1] == kind)


def _demonym_stems(text: str) -> list[str]:
    """The country names a name or adjective may stand for: Russia(n), Ukrain(ian -> e), Belarus(ian)."""
    stems = [text]
    if " " in text:
        return stems
    if text.endswith("ian"):
        stems += [text[:-3] + "e", text[:-3], text[:-1], text[:-3] + "a"]
    elif text.endswith("an"):
        stems += [text[:-1], text[:-2]]
    elif text.endswith("ese"):
        stems += [text[:-3] + "a", text[:-3]]
    elif text.endswith("ish"):
        stems += [text[:-3] + "y", text[:-3] + "ey", text[:-3] + "land", text[:-3] + "ain"]
    elif text.endswith("i"):
        stems += [text[:-1]]
    return stems


def _clean_surface(text: str) -> str:
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    return re.sub(r"(?:’s|'s|’|')$", "", text)


def _overlaps(start: int, end: int, mention: Mention) -> bool:
    return start < mention.end and mention.start < end


@dataclass
class _Cluster:
    key: tuple
    type: EntityType
    mentions: list[Mention] = field(default_factory=list)
    place: Place | None = None
    canonical: str | None = None
    person: PersonName | None = None
    side: str | None = None  # the country a person is shown serving ("Ghana's foreign minister")


def _entity_id(key: tuple) -> str:
    return "ent-" + hashlib.sha1(repr(key).encode()).hexdigest()[:12]


def _to_place(place: GazPlace, *, admin_level: str | None = None) -> Place:
    return Place(
        geonames_id=place.geonames_id, latitude=round(place.latitude, 5),
        longitude=round(place.longitude, 5), admin_level=admin_level or place.admin_level,
        country_code=place.country_code or None, feature_code=place.feature or None,
        population=place.population or None, reach_km=round(place.radius_km, 1) if place.radius_km else None,
    )


def _singular(word: str) -> str:
    return en.singular(word)


def _capitalised(form: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w’'\-]*", form) if w.casefold() not in _STOP]
    return bool(words) and all(w[0].isupper() for w in words)


def _title(form: str) -> str:
    return " ".join(w if w.casefold() in _STOP or w[0].isupper() else w[0].upper() + w[1:]
                    for w in form.split())


def _initials(text: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z’']+", text) if w.casefold() not in _STOP]
    return "".join(w[0].upper() for w in words)


def _most_common_form(cluster: _Cluster) -> str:
    forms = Counter(_clean_surface(m.text) for m in cluster.mentions if m.source != SOURCE_COREF)
    if not forms:
        return _clean_surface(cluster.mentions[0].text)
    return max(forms, key=lambda f: (forms[f], len(f)))

