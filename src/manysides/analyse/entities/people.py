"""People across a story: full names define who they are; short forms, typos and roles attach."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from manysides.analyse.entities.common import (
    SOURCE_COREF, _STOP, EntityType, Mention, _clean_surface, _Cluster, name_words,
)
from manysides.analyse.shared.translit import (
    PersonName, name_key, parse_person, same_person, to_ascii, typo_tolerance,
)
from manysides.lang import en
from manysides.model import Article, Span



class PeopleMixin:
    """Person clusters of the resolver."""

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

        def new_cluster(person: PersonName, *extra: str) -> _Cluster:
            key = ("PER", name_key(person.full, loose=True), *person.middle, person.suffix, *extra)
            cluster = _Cluster(key=tuple(k for k in key if k), type=EntityType.PER, person=person)
            clusters.append(cluster)
            return cluster

        # Full names first: they define who the people are. Names with a middle initial or a
        # Jr./Sr. go first, so a plain "George Bush" can see that two namesakes share it.
        fulls = sorted(((m, p) for m, p in parsed if p.is_full), key=lambda pair: not pair[1].marked)
        for mention, person in fulls:
            if person.marked:
                cluster = find_full(person) or new_cluster(person)
            else:
                compatible = [c for c in clusters if c.person and c.person.is_full
                              and same_person(person, c.person) and same_person(c.person, person)]
                namesakes = {(c.person.middle, c.person.suffix) for c in compatible if c.person.marked}
                plain = next((c for c in compatible if not c.person.marked), None)
                if len(namesakes) > 1:
                    # Father and son of one name: the plain form could be either; it stays apart.
                    cluster = next((c for c in compatible if c.key[-1:] == ("ambiguous",)), None) \
                        or new_cluster(person, "ambiguous")
                elif any(c.person.marked and c.person.given == person.given
                         and any(m.article_id == mention.article_id for m in c.mentions) for c in compatible):
                    # One article that writes "George W. Hale" and, with the same first name,
                    # "George Hale" names two men (a father and his son); across outlets the
                    # initial is only a house style.
                    cluster = plain or new_cluster(person)
                else:
                    cluster = plain or (compatible[0] if compatible else new_cluster(person))
            cluster.mentions.append(mention)

        # Full names that differ by a typo in the surname ("Igor Kohashenkov").
        from rapidfuzz.distance import Levenshtein

        merged: list[_Cluster] = []
        for cluster in sorted(clusters, key=lambda c: -len(c.mentions)):
            person = cluster.person
            into = next((
                kept for kept in merged
                if name_key(kept.person.given[0], loose=True) == name_key(person.given[0], loose=True)
                and (kept.person.middle, kept.person.suffix) == (person.middle, person.suffix)
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
            blended = [c for c in clusters if c.person and c.person.is_full and not person.given
                       and blended_nickname(_clean_surface(mention.text), c.person)]
            if len(blended) == 1:
                blended[0].mentions.append(mention)  # "LiLo" for the story's Lindsay Lohan
                continue
            key = ("PER", name_key(person.surname, loose=True))
            existing = next((c for c in clusters if c.key == key), None)
            if existing is None:
                existing = _Cluster(key=key, type=EntityType.PER, person=person)
                clusters.append(existing)
            existing.mentions.append(mention)
        for cluster in clusters:
            cluster.canonical = _canonical_person(cluster, self.articles)
            cluster.side = self._affiliation(cluster)
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
                mention = Mention(span=Span(article_id=article.id, start=match.start(), end=match.end()),
                                  text=match.group(), label="PERSON", source=SOURCE_COREF)
                owners[0].mentions.append(mention)
                self.extra_mentions.append(mention)

    def _affiliation(self, cluster: _Cluster) -> str | None:
        """The country a person is shown serving: a country, nationality or place word in the title
        before the name ("Ukrainian Foreign Minister X", "<city> regional governor X") or in an
        apposition after it ("X, Ghana's foreign minister", "X of Ghana"). The side of the speaker
        comes from it; None when the mentions disagree or say nothing."""
        votes: Counter = Counter()
        for mention in cluster.mentions:
            text = self.articles[mention.article_id].clean_text
            before = re.split(r"[.;:,\n()\"“”]", text[max(0, mention.start - 60):mention.start])[-1]
            after = re.match(r",\s+([^,.;\n]{1,60})|\s+of\s+((?:the\s+)?[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?)",
                             text[mention.end:mention.end + 70])
            apposition = next(g for g in after.groups() if g) if after else ""
            if after and after.group(1) and not _ROLE_WORD.search(apposition):
                # "According to X, the Russian army is ..." is a clause after a comma, not "X, <role>"
                apposition = ""
            window = before + " " + apposition
            for phrase in re.findall(r"(?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?", window):
                code = self._country_of(phrase)
                if code is not None:
                    votes[code] += 1
                    break
        if not votes:
            return self._party(cluster)
        if len(votes) != 1:
            return None
        country = self.gazetteer.country(next(iter(votes)))
        return country.name if country is not None else None

    def _party(self, cluster: _Cluster) -> str | None:
        """The party a person is shown speaking for, when no country is: "<X> Party official Y",
        "Y of the <X> Alliance", "Y, a <X> Party spokesman"; None when the mentions disagree."""
        found: set[str] = set()
        for mention in cluster.mentions:
            text = self.articles[mention.article_id].clean_text
            before = re.split(r"[.;:\n()\"“”]", text[max(0, mention.start - 60):mention.start])[-1]
            after = re.split(r"[.;:\n()\"“”]", text[mention.end:mention.end + 60])[0]
            after_match = re.match(r"\s+of\s+the\s+|,\s+(?:an?\s+|the\s+)?", after)
            window = [before] + ([after[after_match.end():]] if after_match else [])
            for part in window:
                for party in _PARTY_NAME.finditer(part):
                    found.add(re.sub(r"^The\s+", "", " ".join(party.group().split())))
        return found.pop() if len(found) == 1 else None

    def _country_of(self, phrase: str) -> str | None:
        """Country code a word names: a country or nationality, else a place of this story."""
        for candidate in (phrase, phrase.split()[0]):
            owner = self._owner(candidate)
            if owner is None:
                continue
            if not owner.startswith(("place:", "word:")):
                return owner
            hits = [c for c in self.gazetteer.lookup(re.sub(r"(?:’s|'s)$", "", candidate), loose=False,
                                                       kinds=("city", "ADM1")) if c.match == "exact"]
            if hits:
                return hits[0].place.country_code
        return None

    def _attach_role_nouns(self, clusters: list[_Cluster]) -> None:
        """"the president" -> the one person this story shows holding that role, else nobody.

        A person holds a role when the text says so next to the name: a title right before it
        ("President Joe Biden", "Defence Minister X") or an apposition right after it ("X, the
        company's spokesman,"); a *former* holder does not hold it. The role noun attaches to the
        single holder named in its article, else in the story; with two holders, or none, it stays
        unresolved: never the nearest name.
        """
        people = [c for c in clusters if c.type is EntityType.PER]
        roles = sorted(name_words("role"), key=len, reverse=True)
        holders: dict[str, dict[str | None, set[int]]] = defaultdict(lambda: defaultdict(set))
        for number, cluster in enumerate(people):
            for mention in cluster.mentions:
                text = self.articles[mention.article_id].clean_text
                for role in _roles_held(text, mention.start, mention.end, roles):
                    holders[role][mention.article_id].add(number)
                    holders[role][None].add(number)
        role_pattern = re.compile(r"\b[Tt]he\s+((?i:" + "|".join(re.escape(r) for r in roles)
                                  + r"))\b(?!\s*,?\s*[A-Z])")
        for article in self.articles.values():
            text = article.clean_text
            for match in role_pattern.finditer(text):
                role = " ".join(match.group(1).casefold().split())
                if re.search(r"\b(?:former|ex|late|then|next|new|vice)[\s-]+$", text[match.start():match.start(1)]):
                    continue
                if text[match.end():match.end() + 4].casefold().startswith((" of", "'s", "’s")) and role not in holders:
                    continue
                local = holders.get(role, {}).get(article.id, set())
                story = holders.get(role, {}).get(None, set())
                chosen = local if local else story
                if len(chosen) != 1:
                    continue
                mention = Mention(span=Span(article_id=article.id, start=match.start(), end=match.end()),
                                  text=text[match.start():match.end()], label="PERSON", source=SOURCE_COREF)
                people[next(iter(chosen))].mentions.append(mention)
                self.extra_mentions.append(mention)

    def _attach_pronouns(self, clusters: list[_Cluster]) -> None:
        """he/she/him/her/his -> the nearest named person they fit (``resolve_gendered_pronouns``).

        A person's gender comes first from the text around their name: a title ("Mrs. Roe") or a
        gendered noun it gives them ("the actress", "Roe, a spokeswoman,"); the pronouns right
        beside the name settle the rest. A pronoun that fits nobody stays unresolved."""
        people = [c for c in clusters if c.type is EntityType.PER]
        if not people:
            return
        evidence: dict[str, Counter] = defaultdict(Counter)
        documents: list[list[PersonRef]] = []
        places: list[list[tuple[Article, int, int] | None]] = []
        for article in self.articles.values():
            text = article.clean_text
            sentence_of = _sentence_index(article)
            found: list[tuple[int, int, PersonRef]] = []
            covered = [(m.start, m.end) for m in article.mentions]
            for number, cluster in enumerate(people):
                for mention in cluster.mentions:
                    if mention.article_id != article.id:
                        continue
                    covered.append((mention.start, mention.end))
                    is_name = mention.source != SOURCE_COREF
                    ref = PersonRef(sentence=sentence_of(mention.start), key=str(number), named=is_name,
                                    noun=not is_name, word=_clean_surface(mention.text).casefold())
                    found.append((mention.start, mention.end, ref))
                    if is_name:
                        title = re.search(r"\b([A-Z][a-z]{1,5})\.?\s+$", text[max(0, mention.start - 8):mention.start])
                        words = described_as(text, mention.start, mention.end)
                        words |= {title.group(1)} if title else set()
                        words |= set(_clean_surface(mention.text).split()[:1])  # "Mrs. Roe" as one mention
                        for word in words:
                            kind = gender_of_word(word)
                            if kind:
                                evidence[str(number)][kind] += 1
            for match in _PRONOUN.finditer(text):
                if any(s < match.end() and match.start() < e for s, e in covered) or _quoted(text, match.start()):
                    continue
                found.append((match.start(), match.end(),
                              PersonRef(sentence=sentence_of(match.start()), word=match.group().casefold())))
            found.sort(key=lambda item: item[0])
            documents.append([ref for _, _, ref in found])
            places.append([(article, start, end) for start, end, _ in found])
        genders = {}
        for key, counts in evidence.items():
            ranked = counts.most_common(2)
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                genders[key] = ranked[0][0]
        for refs, where, chosen in zip(documents, places, resolve_gendered_pronouns(documents, genders), strict=True):
            for ref, (article, start, end), key in zip(refs, where, chosen, strict=True):
                if key is None:
                    continue
                mention = Mention(span=Span(article_id=article.id, start=start, end=end),
                                  text=article.clean_text[start:end], label="PERSON", source=SOURCE_COREF)
                people[int(key)].mentions.append(mention)
                self.extra_mentions.append(mention)


def _quoted(text: str, position: int) -> bool:
    """Whether a position lies inside a direct quotation of its paragraph: the quoted speaker's
    own "he" is read by the quote layer, which knows who speaks."""
    paragraph = text[text.rfind("\n", 0, position) + 1:position]
    opening = sum(paragraph.count(mark) for mark in "“«„")
    closing = sum(paragraph.count(mark) for mark in "”»")
    straight = paragraph.count('"')
    return opening > closing or straight % 2 == 1


def _sentence_index(article: Article):
    """Position in the text -> the number of its sentence (the NLP's sentences, else full stops)."""
    import bisect

    starts = sorted(s.start for s in article.sentences) or [0] + [
        m.end() for m in re.finditer(r"[.!?][\"'”’]?\s+", article.clean_text)]
    return lambda position: bisect.bisect_right(starts, position) - 1


def _roles_held(text: str, start: int, end: int, roles: list[str]) -> set[str]:
    """Roles the text gives the person named at [start, end): a title before, an apposition after."""
    held = set()
    before = text[max(0, start - 60):start]
    after = text[end:end + 80]
    for role in roles:
        words = r"\s+".join(re.escape(w) for w in role.split())
        # the title's own qualifiers stay on its line ("Interior minister X"; a paragraph break
        # before "Mayor X" ends them)
        title = re.search(r"((?:[\w’'.]+[ \t]+){0,3})" + words + r"\s+$", before, re.IGNORECASE)
        if title and "\n" not in title.group() and not before[:title.start() + len(title.group(1))].endswith("-"):
            prior = {w.casefold().strip(".") for w in title.group(1).split()}
            if not prior & _NOT_HOLDING:
                held.add(role)
                continue
        if re.search(r"(?i:\b(?:the|our|their|its)\s+)" + words + r",\s+$", before):
            held.add(role)  # "the mayor, X, said"
            continue
        # ", the company's spokesman", ", the ministry spokesman", ", former president": a few words
        # of a noun phrase, never a clause ("who criticised the president" is not one).
        apposition = re.match(r",\s+((?:[\w’'.-]+\s+){0,3}?)" + words + r"\b", after)
        if apposition and not set(apposition.group(1).casefold().split()) & _CLAUSE_WORDS \
                and not re.search(r"\w(?:ed|ing)\s", apposition.group(1)):
            prior = {w.casefold().strip(".").rstrip("-") for w in apposition.group(1).split()}
            if not prior & _NOT_HOLDING:
                held.add(role)
    return held


_CLAUSE_WORDS = frozenset("who whom whose which that and or but with to of for by about against as said says told".split())
# A comma apposition names an affiliation only when it is a role ("X, Ghana's foreign minister").
# "Liberal Party", "Green Alliance": capitalised words ending in a party word
_PARTY_NAME = re.compile(r"(?:[A-Z][\w’'-]+\s+){1,3}(?:" + "|".join(
    sorted((w.capitalize() for w in name_words("party_head")), key=len, reverse=True)) + r")\b")
_ROLE_WORD = re.compile(r"(?i)\b(?:" + "|".join(sorted(map(re.escape, name_words("role")), key=len, reverse=True))
                        + r")s?\b")

# Words before a role that say the person does not hold it (now): "former president", "vice president".
_NOT_HOLDING = frozenset({"former", "ex", "late", "vice", "deputy", "assistant", "then", "would-be", "next"})


def _canonical_person(cluster: _Cluster, articles: dict[str, Article]) -> str:
    """The most used full spelling without titles; surname forms vote across outlets."""
    fulls = Counter()
    for mention in cluster.mentions:
        if mention.source == SOURCE_COREF:
            continue
        person = parse_person(_clean_surface(mention.text))
        if person.is_full:
            fulls[person.full] += 1
    if fulls and cluster.person is not None and cluster.person.marked:
        # A namesake kept apart by an initial or a Jr./Sr. keeps it in its name, or the report
        # would show "Henry Walsh" twice: the most used spelling that carries it, titles left out.
        marked = Counter()
        for mention in cluster.mentions:
            surface = _clean_surface(mention.text)
            person = parse_person(surface)
            if mention.source != SOURCE_COREF and person.is_full and person.marked:
                marked[" ".join(surface.split()[len(person.titles):])] += 1
        if marked:
            return max(marked, key=lambda f: (marked[f], len(f)))
    if fulls:
        return max(fulls, key=lambda f: (fulls[f], len(f)))
    surnames = Counter(parse_person(_clean_surface(m.text)).surname for m in cluster.mentions
                       if m.source != SOURCE_COREF)
    return max(surnames, key=lambda s: (surnames[s], len(s)))


# -- pronouns and person nouns ------------------------------------------------------

FEMALE_WORDS = name_words("person_female") | en.FEMALE_PRONOUNS | en.FEMALE_TITLES
MALE_WORDS = name_words("person_male") | en.MALE_PRONOUNS | en.MALE_TITLES
PERSON_PRONOUNS = en.GENDERED_PRONOUNS
_PRONOUN = re.compile(r"\b(?:" + "|".join(sorted(PERSON_PRONOUNS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


# Capitalised particles that open a surname with a second capital inside it.
_SURNAME_PARTICLES = frozenset({"mc", "mac", "de", "di", "da", "du", "la", "le", "van", "von", "st", "o"})


def blended_nickname(word: str, person: PersonName) -> bool:
    """Is ``word`` a nickname made of the first letters of the person's given name and surname,
    written with a capital or a hyphen where the two meet ("LiLo", "J.Lo", "A-Rod", "ScarJo")?"""
    if not person.given or not person.surname:
        return False
    parts = re.fullmatch(r"([A-Z][a-z]{0,3})[.\-’']?([A-Z][a-z]{1,4})", word.strip())
    if not parts:
        return False
    given, surname = to_ascii(person.given[0]).casefold(), to_ascii(person.surname).casefold()
    head, tail = (to_ascii(part).casefold() for part in parts.groups())
    if head in _SURNAME_PARTICLES:
        return False  # "McCain", "DeLuca", "LaSalle" are surnames, not blends
    return given.startswith(head) and surname.startswith(tail) and len(head) + len(tail) < len(given) + len(surname)


def gender_of_word(word: str) -> str | None:
    """"she", "actress", "Mrs" -> "female"; "he", "spokesman", "Mr" -> "male"; else None."""
    word = word.casefold().strip(".")
    return "female" if word in FEMALE_WORDS else "male" if word in MALE_WORDS else None


@dataclass(frozen=True)
class PersonRef:
    """A mention that may stand for a person, in reading order within its document.

    ``key`` says who it is when that is known (a named person's cluster, or the person a noun
    was linked to); a pronoun has none. ``word`` is the pronoun, or the noun's lemma."""

    sentence: int
    word: str
    key: str | None = None
    named: bool = False
    noun: bool = False  # a singular common noun for one person ("the climber")


def resolve_gendered_pronouns(
    documents: Sequence[Sequence[PersonRef]], genders: Mapping[str, str] | None = None, *, reach: int = 0,
) -> list[list[str | None]]:
    """Who each he/she/him/her/his of a story's documents is; None for the other refs and for
    a pronoun with nobody fitting.

    A person's gender is what ``genders`` says (titles, gendered nouns the text gives them),
    else what the pronouns beside their name say (those after the name in its sentence with no
    other name between), by majority. A pronoun goes to the last person named before it in its
    sentence (or up to ``reach`` sentences back) whose gender does not contradict it, else to
    the most named fitting person of its document, else to the last fitting person noun of its
    sentence or the one before ("the climber … he"). Never to someone of the other gender.
    ``reach`` 0 was chosen on ECB+ training topics (1 and more sentences lost a little there).
    """
    votes: dict[str, Counter] = defaultdict(Counter)
    for refs in documents:
        last: PersonRef | None = None
        for ref in refs:
            if ref.named:
                last = ref
            elif ref.word in PERSON_PRONOUNS and last is not None and last.sentence == ref.sentence:
                votes[last.key][gender_of_word(ref.word)] += 1
    known = dict(genders or {})

    def gender_of(key: str | None) -> str | None:
        if key in known:
            return known[key]
        ranked = votes[key].most_common(2) if key in votes else []
        return ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None

    out = []
    for refs in documents:
        named = Counter(ref.key for ref in refs if ref.named)
        chosen: list[str | None] = []
        for at, ref in enumerate(refs):
            if ref.word not in PERSON_PRONOUNS or ref.named or ref.noun:
                chosen.append(None)
                continue
            opposite = "male" if gender_of_word(ref.word) == "female" else "female"
            before = refs[:at][::-1]
            same_sentence = [r.key for r in before if r.named and ref.sentence - r.sentence <= reach
                             and gender_of(r.key) != opposite]
            main = [key for key, _ in named.most_common() if gender_of(key) != opposite]
            nouns = [r.key for r in before if r.noun and r.key and ref.sentence - r.sentence <= 1
                     and gender_of_word(r.word) != opposite]
            found = same_sentence or main or nouns
            chosen.append(found[0] if found else None)
        out.append(chosen)
    return out


def described_as(text: str, start: int, end: int) -> set[str]:
    """Common nouns the text gives the person named at [start, end), singular and lowercase:
    inside the mention ("actress Jane Roe"), up to three lowercase words right before it ("talk
    show host Jane Roe", never past a verb or function word: "a publicist says Jane Roe"), a
    capitalised title right before it ("Deputy Jane Roe"), an apposition before it ("the fired
    clerk, Jane Roe,") or after it ("Roe, the 24-year-old actress,"; "Roe, Olympic swimmer
    turned actress,"), and "Roe as (the) host", "Roe is the host". A headline in title case is
    read in lowercase ("Musical Star Jane Roe Dies")."""
    if _headline(text[max(0, start - 60):end + 60]):
        # a headline in title case ("Musical Star Jane Roe Dies"; "Roe As Oscar Host") reads as
        # its words in lowercase, the name kept as written
        text = text[:start].casefold() + text[start:end] + text[end:].casefold()
    words = {w for w in re.findall(r"\b[a-z][\w-]*", text[start:end]) if w == w.casefold()}
    before = re.search(r"(?:(?<![\w.,])[a-z]+\s+){1,3}$", text[max(0, start - 60):start])
    # a capitalised title right before the name, inside a sentence: "gunning down Deputy Jo Roe"
    title = re.search(r"(?:^|[a-z,]\s+)([A-Z][a-z]{2,})\.?\s+$", text[max(0, start - 40):start])
    if title and title.group(1).casefold() not in _NO_DESCRIPTION:
        words.add(title.group(1).casefold())
    # an apposition before the name: "the fired man, Jo Roe, 61, opened fire"
    ahead = re.search(r"\b(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?([a-z][\w-]*)\s*,\s*$", text[max(0, start - 60):start])
    if ahead and re.match(r"\s*,", text[end:end + 3]):
        words.add(ahead.group(1))
    if before:
        # only the noun phrase that titles the name: "a publicist says Jane Roe" gives her no
        # "publicist"; the words before the last function word or verb are another clause's
        run = before.group().split()
        cut = [i for i, w in enumerate(run) if w in _NO_DESCRIPTION]
        words.update(run[cut[-1] + 1:] if cut else run)
    after = text[end:end + 80]
    apposition = re.match(r"\s*,\s+(?:the|a|an)\s+((?:[\w-]+\s*){1,4})", after, re.IGNORECASE)
    if apposition:
        words.update(w.casefold() for w in apposition.group(1).split())
    else:
        # without an article: "Roe, Olympic swimmer turned actress, dies"; never a clause ("Roe,
        # who said", "Roe, police said")
        bare = re.match(r"\s*,\s+((?:[A-Za-z][\w-]*\s+){0,2}[a-z][\w-]*)\s*(?:,|\band\b|\bturned\b)", after)
        if bare and not set(bare.group(1).casefold().split()) & _NO_DESCRIPTION:
            words.update(w.casefold() for w in bare.group(1).split())
    role = re.match(r"\s+(?:as|is|was|will\s+be|would\s+be|becomes|became)\s+(?:the\s+|an?\s+)?"
                    r"((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)", after)
    if role:
        words.update(role.group(1).split())
    return {en.singular(w) for w in words if w not in _STOP}


# Verbs that end the words before a name: "says", "confirmed", "told", "was".
_VERB_FORMS = frozenset(
    {form for verb in en.REPORTING_VERBS for form in (verb, verb + "s", verb + "es", verb + "d", verb + "ed",
                                                      verb[:-1] + "ies", verb[:-1] + "ied")}
    | en.IRREGULAR_PAST_TENSES)
# Words that end or bar a description: function words, clause words and verbs, united once.
_NO_DESCRIPTION = _STOP | _CLAUSE_WORDS | _VERB_FORMS


def _headline(window: str) -> bool:
    """Whether a stretch of text reads as a title-case headline: nearly every word that is not a
    short function word is capitalised."""
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", window)[1:-1] if w.casefold() not in _STOP]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.85 * len(words)


def person_noun_target(
    noun: str, named_here: Counter, described: Mapping[str, set[str]], genders: Mapping[str, str],
    *, full_names: set[str] | None = None,
) -> str | None:
    """The person a singular person noun ("the actress", "the host") stands for in a document.

    The one person named in the document (``named_here``: key -> times named) that the story
    describes with that noun (``described``: noun -> keys), else, for a gendered noun ("the
    woman"), the most named person of its gender (among ``full_names`` when given: a bare
    "Sheriff" is a title, not a person); None when neither picks one person."""
    noun = en.singular(noun.casefold())
    candidates = described.get(noun, set()) & set(named_here)
    if len(candidates) == 1:
        return next(iter(candidates))
    kind = gender_of_word(noun)
    if kind is None:
        return None
    fitting = [k for k in named_here if genders.get(k) == kind and (full_names is None or k in full_names)]
    return max(fitting, key=lambda k: named_here[k]) if fitting else None
