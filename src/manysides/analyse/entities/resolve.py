"""Entities across a story: gazetteer-corrected mentions resolved into one entity per referent.

The stage is split along its seams: :mod:`.kinds` (what each name is across the story),
:mod:`.recognise` (per article), :mod:`.places`,
:mod:`.people`, :mod:`.organisations` (the resolver's three kinds of cluster, as mixins) and
this module, which runs them and writes the entities. Shared helpers live in :mod:`.common`.

0. **Kinds** (across the story). One name is one kind in every article: a person after a title
   or in a role apposition, an organisation after a business noun or called by its first word,
   a street or building by its street word or building noun; a saint's name the story gives as
   a church is that church (``FAC`` mentions, one entity per venue, never geocoded).
1. **Recognition** (per article). The NER's place mentions are screened: a place is what the
   text treats as one, never a pronoun or function word ("I", "We"), a lowercase common noun, an
   abbreviation fragment or an acronym other than a country's, a person's surname (a name the
   story gives in full, or one after a title or before "said") or the first word of an
   organisation's or event's name ("<city> Forum"); "the United States" is trimmed to the name.
   State abbreviations ("Tampa, Fla.") and datelines in capitals ("WASHINGTON —") become places;
   "<town> and <town>" (or a longer list) tagged as one organisation becomes its places when
   every name is a gazetteer town and no everyday word, and the list reads as places.
   Institution phrases the NER missed or cut short become ORG mentions (``source="pattern"``);
   region phrases ("<city> region", "<name> province", "<name> People's Republic", "the <city>
   direction") become one mention each. Capitalised words the NER missed or mislabelled are looked up in the gazetteer
   and added (``source="gazetteer"``) when the place is plausible *for this story* and the word
   is not an ordinary English word.
2. **Resolution** (across articles). Places resolve to one gazetteer entry, scored by match
   quality, population, a country's capital, closeness to the story's anchor (the median of its
   unambiguous places) and the state named next to a town; one name means one place across the
   story's articles. People cluster on transliteration keys of surname and given name, with
   nicknames (``data/hypocorisms.tsv``: Chuck/Charles) as one given name and middle initials or
   Jr./Sr. keeping namesakes apart; a surname alone, initials or a title attach to the full name
   seen in the same article first, then in the story; a role noun ("the president") attaches to
   the one person the story titles so, or to nobody. Institutions cluster on a key of owner
   country (inside the mention, a possessive or adjective before it, "of <place>" after it, or
   the one country the sentence or the one before speaks of), head noun and remit words. Other
   organisations cluster on stemmed word sets and acronyms.

The public entry points are :func:`entities_stage` (a pipeline stage) and
:func:`resolve_entities` (the resolver on its own).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from manysides.analyse.entities.common import (
    LABEL_TO_TYPE, SOURCE_COREF, SOURCE_PATTERN, EntityType, _Cluster, _clean_surface, _entity_id, _most_common_form,
)
from manysides.analyse.entities.kinds import FACILITY, settle_kinds, venue_head, venue_name
from manysides.analyse.entities.organisations import OrganisationsMixin
from manysides.analyse.entities.people import PERSON_PRONOUNS, PeopleMixin
from manysides.analyse.entities.places import PlacesMixin, StoryAnchor, haversine_km, score_candidate
from manysides.analyse.entities.recognise import _recognise, story_surnames
from manysides.analyse.shared.gazetteer import Gazetteer
from manysides.analyse.shared.translit import name_key
from manysides.model import Article, Briefing, Entity, Mention, Span

# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def entities_stage(briefing: Briefing, resources) -> Briefing:
    """Pipeline stage: corrected mentions on every article, and the story's entities."""
    articles, entities = resolve_entities(briefing.articles, resources.gazetteer, pronouns=True)
    return briefing.model_copy(update={"articles": articles, "entities": entities})


def resolve_entities(
    articles: Sequence[Article], gazetteer: Gazetteer, *, pronouns: bool = False,
) -> tuple[list[Article], list[Entity]]:
    """Recognise places the NER missed, then cluster every mention into entities.

    Returns the articles with updated ``mentions`` (``entity_id`` filled) and the
    entities, most-mentioned first. ``pronouns``: he/she/him/her/his join the person they
    stand for, as coreference mentions (the pipeline's setting; the quote layer skips them, as
    it resolves a quote's pronoun by the quote's own cue).
    """
    articles = settle_kinds(articles)
    anchor = StoryAnchor.from_articles(articles, gazetteer)
    surnames = story_surnames(articles)
    recognised = [_recognise(article, gazetteer, anchor, surnames) for article in articles]
    resolver = _Resolver(gazetteer, anchor, {a.id: a for a in recognised}, pronouns=pronouns)
    resolver.prepare_places(recognised)
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



class _Resolver(PlacesMixin, PeopleMixin, OrganisationsMixin):
    def __init__(self, gazetteer: Gazetteer, anchor: StoryAnchor, articles: dict[str, Article], *,
                 pronouns: bool = False):
        self.gazetteer = gazetteer
        self.pronouns = pronouns
        self.anchor = anchor
        self.articles = articles
        self.places: dict[tuple, _Cluster] = {}
        self.others: dict[tuple, _Cluster] = {}
        self.people: list[Mention] = []
        self.extra_mentions: list[Mention] = []  # found here (role nouns, acronyms): added to articles
        self.orgs: list[Mention] = []
        self.facilities: list[Mention] = []
        self._owner_cache: dict[str, str | None] = {}

    def add(self, mention: Mention) -> None:
        entity_type = LABEL_TO_TYPE.get(mention.label)
        if entity_type is None:
            return
        if mention.label == FACILITY and mention.source == SOURCE_PATTERN:
            self.facilities.append(mention)  # streets and buildings: named, never geocoded
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

    def _resolve_facilities(self) -> list[_Cluster]:
        """Streets, buildings and venues by name; a venue named without its head noun ("Saint
        X's") joins the one venue of that name the story gives with one ("St. X's Church")."""
        clusters: dict[tuple, _Cluster] = {}
        pending = []
        heads_of: dict[str, set[str]] = defaultdict(set)
        for mention in self.facilities:
            head = venue_head(self.articles[mention.article_id].clean_text, mention)
            name = venue_name(mention.text)
            if head is None:
                pending.append((mention, name))
                continue
            heads_of[name].add(head)
            self._cluster(clusters, ("facility", name, head), EntityType.LOC).mentions.append(mention)
        for mention, name in pending:
            heads = heads_of.get(name, set())
            key = ("facility", name, next(iter(heads))) if len(heads) == 1 else ("facility", name, None)
            self._cluster(clusters, key, EntityType.LOC).mentions.append(mention)
        for cluster in clusters.values():
            forms = Counter(_clean_surface(m.text) for m in cluster.mentions)
            cluster.canonical = max(forms, key=lambda f: (f[:1].isupper(), len(f.split()), forms[f]))
        return list(clusters.values())

    # -- output ---------------------------------------------------------------
    def entities(self) -> tuple[list[Entity], dict[tuple[int, int, str], str]]:
        clusters = [*self.places.values(), *self._resolve_people(), *self._resolve_orgs(),
                    *self._resolve_facilities(), *self.others.values()]
        self._attach_acronyms_to_places(clusters)
        self._find_unlabelled_acronyms(clusters)
        self._find_unlabelled_surnames(clusters)
        self._attach_role_nouns(clusters)
        if self.pronouns:
            self._attach_pronouns(clusters)
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
                if mention.source == SOURCE_COREF and form.casefold() in PERSON_PRONOUNS:
                    pass  # "he" is no spelling of a name
                elif form not in surface_forms[mention.article_id]:
                    surface_forms[mention.article_id].append(form)
                entity_of[(mention.start, mention.end, mention.article_id)] = entity_id
            entities.append(Entity(
                id=entity_id, canonical_name=cluster.canonical or _most_common_form(cluster),
                type=cluster.type, mentions=spans, surface_forms=dict(surface_forms),
                place=cluster.place, side=cluster.side,
            ))
        entities.sort(key=lambda e: (-len(e.mentions), e.canonical_name))
        return entities, entity_of

__all__ = ["StoryAnchor", "entities_stage", "haversine_km", "resolve_entities", "score_candidate"]
