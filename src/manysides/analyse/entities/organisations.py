"""Organisations across a story: institutions keyed by owner, head noun and remit; others by words."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from manysides.analyse.entities.common import (
    SOURCE_COREF, _STOP, EntityType, Mention, _capitalised, _clean_surface, _Cluster, _initials,
    _demonym_stems, _most_common_form, _singular, _title,
)
from manysides.analyse.entities.places import _plausible
from manysides.analyse.shared.translit import name_key
from manysides.lang import en
from manysides.model import Article, Span


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
_REGION_FORMS = "|".join(sorted(en.REGION_WORDS, key=len, reverse=True))
_OF_SPLIT = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?", re.IGNORECASE)
ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")


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


def _department_stem(word: str) -> str:
    word = re.sub(r"(’s|'s)$", "", word.casefold())
    # British and American spellings of one remit: defence/defense.
    word = re.sub(r"ence$", "ense", word)
    return _singular(word)[:6]


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



class OrganisationsMixin:
    """Organisation clusters of the resolver."""

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
        # "the Russian Federation", "the French Republic": a state named by its nationality word.
        state = re.fullmatch(r"([A-Z][a-z]+)\s+(?:Federation|Republic|Kingdom|Confederation|Commonwealth)", text)
        variants = _demonym_stems(text) + (_demonym_stems(state.group(1)) if state else [])
        for variant in variants:
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
            # "the Kherson region's health ministry": the region word is no part of the owner's name
            adjacent = re.search(r"((?:[Tt]he\s+)?[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)?)"
                                 rf"(\s+(?:{_REGION_FORMS}))?(?:’s|'s)?\s+$", before)
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
        if owner is None:
            owner = self._context_owner(article, mention)
        departments.discard("")
        qualified = text[qualified_start:mention.end] if qualified_start < mention.start else surface
        return _Institution(owner=owner, head=_singular(head_words[head_at].casefold()),
                            departments=frozenset(departments), qualified=qualified)

    def _context_owner(self, article: Article, mention: Mention) -> str | None:
        """The one country the sentence (or, failing it, the sentence before) speaks of, by its
        nationality or name ("British officials said … the Ministry of Defence"): the owner of a
        body named without one. Two countries there, or none: no owner."""
        sentences = [s for s in article.sentences if s.start < mention.start]
        if not sentences:
            return None
        current = sentences[-1]
        for sentence, limit in ((current, mention.start), *(((sentences[-2], sentences[-2].end),)
                                                           if len(sentences) > 1 else ())):
            owners = set()
            for other in article.mentions:
                if other.label in ("NORP", "GPE") and sentence.start <= other.start and other.end <= limit:
                    found = self._owner(_clean_surface(other.text))
                    if found is not None and not found.startswith("place:"):
                        owners.add(found)
            if len(owners) == 1:
                return owners.pop()
            if owners:
                return None
        return None

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
                mention = Mention(span=Span(article_id=article.id, start=match.start(), end=match.end()),
                                  text=match.group(), label="GPE" if cluster.type is EntityType.GPE else "ORG",
                                  source=SOURCE_COREF)
                cluster.mentions.append(mention)
                self.extra_mentions.append(mention)
