"""A neutral summary whose every sentence cites source spans and passes the verifier.

Ordered as a reader needs it: what independent origins corroborate first (the
groups with the most independent origins lead), then what is contested — only
pairs the alignment linked as conflicting (``ClaimGroup.conflicts``), each side
with its asserter and the reason: "X says …; Y says … — they give different
figures" — then notable single-source claims flagged as such: "Only <outlet>
reports that …" for one origin, "Only <asserter> (a party to the story) says …"
for one party relayed by several origins.

The method is extractive-plus-rewrite, checkable offline:

1. claim groups are ranked by importance (coverage across independent origins
   and centrality among all groups) and picked with MMR so the summary does not
   say one thing twice;
2. of a group's versions (one per outlet) the most neutral is chosen: fewest
   loaded-language marks from the framing stage, then the shortest;
3. attributions are added from fixed templates ("According to", "says",
   "reports", "Only … reports that") whose names come from the claim data;
4. text is compressed only by deleting spans (parentheticals, leading
   discourse markers, attribution clauses the template re-expresses);
5. every candidate goes through ``verify.verify_sentence``; one that fails is
   counted in ``Summary.rejected_candidates`` and the next, plainer candidate
   is tried (ultimately the cited sentence itself).

Without claim groups (claims stage not run) the stage falls back to sentence
extraction: sentences central across *other* outlets' articles, picked by MMR,
each citing its own span (and the near-identical sentences elsewhere that
corroborate it).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from manysides.analyse.alignment.readable import readable_claim_text
from manysides.analyse.claims.sides import country_index
from manysides.analyse.summary.verify import (
    CONFLICT_REASONS,
    ONE_PARTY_FLAG,
    REASON_SEPARATOR,
    verify_sentence,
)
from manysides.lang import en
from manysides.model import (
    Article,
    Briefing,
    Citation,
    Claim,
    ClaimGroup,
    ClaimStatus,
    Conflict,
    ConflictReason,
    GroupBasis,
    Quote,
    Span,
    Summary,
    SummarySection,
    SummarySentence,
)
from manysides.resources import Resources

# MMR trade-off between importance and novelty; 0.7 is the usual setting for
# news (Carbonell & Goldstein 1998 use 0.7 for their summaries).
MMR_LAMBDA = 0.7
# Share of the summary given to contested and single-source claims at most;
# what they don't use goes to corroborated claims, and the other way round.
CONTESTED_SHARE = 0.3
SINGLE_SOURCE_SHARE = 0.2
# Cosine above which a sentence in another outlet's article counts as the same
# statement (sentence-level fallback only). MiniLM paraphrases sit above ~0.6,
# TF-IDF near-copies above ~0.45.
SUPPORT_THRESHOLD = {"dense": 0.62, "tfidf": 0.45}
MAX_EXTRA_CITATIONS = 3

SECTION_ORDER = (SummarySection.CORROBORATED, SummarySection.CONTESTED,
                 SummarySection.SINGLE_SOURCE)
_SECTION_OF_STATUS = {
    ClaimStatus.CORROBORATED: SummarySection.CORROBORATED,
    ClaimStatus.CONTESTED: SummarySection.CONTESTED,
    ClaimStatus.SINGLE_SOURCE: SummarySection.SINGLE_SOURCE,
}

# -- compression by deletion ------------------------------------------------

_PARENTHETICAL = re.compile(r"\s*(?:\([^()]{0,200}\)|\[[^\[\]]{0,200}\])")
_DASH_ASIDE = re.compile(r"\s+[—–]\s+[^—–]{1,120}?\s+[—–](?=\s)")
_LEADING_MARKER = re.compile(
    r"^(?:however|meanwhile|also|in addition|moreover|furthermore|separately|still|besides|"
    r"indeed|additionally|and|but|so|now)\s*,?\s+",
    re.IGNORECASE,
)
_LEADING_ACCORDING = re.compile(r"^according to [^,]{1,80},\s*", re.IGNORECASE)
_TRAILING_ATTRIBUTION = re.compile(
    r",?\s*(?:(?:[^,;]{1,80}?)\s+(?:said|says|claimed|claims|stated|reported|added|noted|"
    r"told [^,.;]{1,60})|according to [^,.;]{1,80})\s*[.!]?\s*$",
    re.IGNORECASE,
)
_LEADING_SAID = re.compile(
    r"^(?P<speaker>[^,;\"“]{1,80}?)\s+(?:said|says|claimed|claims|stated|reported|announced)"
    r"(?:\s+that)?\s*,?\s+",
    re.IGNORECASE,
)
_QUOTES = en.QUOTE_CHARS


def compress(text: str, *, strip_attribution: bool = False,
             speaker_names: Sequence[str] = ()) -> str:
    """Shorten ``text`` by deleting spans only; never adds or changes a word.

    ``strip_attribution`` also deletes the attribution ("…, the ministry said",
    "According to X, …", "X said that …") because the caller re-expresses it
    with a template; a leading "X said" is deleted only when X is one of
    ``speaker_names``, so a sentence never loses an asserter we don't restore.
    """
    out = " ".join(text.split())
    out = _PARENTHETICAL.sub("", out)
    out = _DASH_ASIDE.sub("", out)
    out = _LEADING_MARKER.sub("", out)
    if strip_attribution:
        out = _LEADING_ACCORDING.sub("", out)
        stripped = _TRAILING_ATTRIBUTION.sub("", out)
        if len(stripped.split()) >= 4:
            out = stripped
        match = _LEADING_SAID.match(out)
        if match and any(name.lower() in match.group("speaker").lower()
                         for name in speaker_names if name):
            out = out[match.end():]
        if out and out[0] in _QUOTES:  # a bare quotation once its speaker is gone
            out = out.strip(_QUOTES + " ")
    return out.strip().rstrip(" ,;:")


# Role nouns that name a group of people; capitalised at the start of a name
# ("Officials in Nairobi") they are still plural.
_PLURAL_ROLES = frozenset({
    "officials", "authorities", "sources", "analysts", "residents", "forces", "troops", "witnesses",
    "officers", "experts", "observers", "separatists", "commanders", "soldiers", "leaders",
    "ministers", "diplomats", "spokesmen", "investigators", "prosecutors", "police", "media",
    "workers", "employees", "unions", "protesters", "rescuers", "lawmakers", "doctors", "families",
})


def say_form(name: str) -> str:
    """"say" after a plural common noun ("Kenyan officials say", "Officials in Nairobi say"), else "says"."""
    head = re.split(r"\s+(?:in|of|from|at|for|with)\s+", name.strip(), maxsplit=1)[0]
    last = head.split()[-1] if head.split() else ""
    plural = last.lower() in _PLURAL_ROLES or (
        last.islower() and last.endswith("s") and not last.endswith(("ss", "'s", "’s")))
    return "say" if plural else "says"


def upper_first(text: str) -> str:
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1:]
    return text


def finish(text: str) -> str:
    text = text.strip()
    text = upper_first(text)
    text = text if text[-1:] in ".!?\"”’" else text + "."
    # A quote cut at its sentence boundary ('said: "In these days … its back.')
    # is closed, so the reader sees where the quoted words end; no word is added.
    if text.count('"') % 2 == 1:
        text += '"'
    if text.count("“") > text.count("”"):
        text += "”"
    return text


# -- the stage ----------------------------------------------------------------


def summary_stage(briefing: Briefing, resources: Resources) -> Briefing:
    settings = resources.settings
    builder = SummaryBuilder(briefing, resources)
    notes: list[str] = []
    if briefing.claim_groups and briefing.claims:
        sentences = builder.from_claim_groups(settings.summary_sentences)
    else:
        sentences = builder.from_article_sentences(settings.summary_sentences)
        notes.append("no claim groups: sentences extracted from the articles directly")
    notes += builder.notes
    summary = Summary(sentences=sentences, rejected_candidates=builder.rejected, notes=notes)
    if settings.llm_url and settings.llm_model and summary.sentences:
        from manysides.analyse.shared.llm import rewrite_summary

        summary = rewrite_summary(summary, briefing, settings)
    return briefing.model_copy(update={"summary": summary})


@dataclass(frozen=True, slots=True)
class Version:
    """One outlet's wording of a claim: the claim and the source sentence around it."""

    claim: Claim
    sentence: Span
    text: str
    loaded: int

    @property
    def neutral_key(self) -> tuple[int, int]:
        return (self.loaded, len(self.text.split()))


class SummaryBuilder:
    """Chooses, phrases and verifies the summary's sentences for one briefing."""

    def __init__(self, briefing: Briefing, resources: Resources):
        self.briefing = briefing
        self.resources = resources
        self.articles: dict[str, Article] = {a.id: a for a in briefing.articles}
        self.quotes: dict[str, Quote] = {q.id: q for q in briefing.quotes}
        self.sentence_starts = {a.id: [s.start for s in a.sentences] for a in briefing.articles}
        self.loaded: dict[str, list[tuple[int, int]]] = {}
        if briefing.framing is not None:
            for mark in briefing.framing.loaded:
                self.loaded.setdefault(mark.span.article_id, []).append(
                    (mark.span.start, mark.span.end))
        self.rejected = 0
        self.notes: list[str] = []
        self.embedding_kind = "tfidf"
        self.outlet_count = len({a.outlet_name for a in briefing.articles})
        self.group: ClaimGroup | None = None
        self._name_words: frozenset[str] | None = None
        self._common_words: frozenset[str] | None = None
        self._midsentence: frozenset[str] | None = None

    # -- shared helpers -----------------------------------------------------

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors: the configured embedder, or TF-IDF when it can't load."""
        if not texts:
            return np.zeros((0, 1))
        if self.resources.settings.embedder != "tfidf":
            try:
                vectors = np.asarray(self.resources.embedder.encode(texts), dtype=float)
                self.embedding_kind = "dense"
                return vectors
            except Exception as exc:  # an optional model missing must not cost the summary
                self.notes.append(f"embedder unavailable ({type(exc).__name__}); TF-IDF used")
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.embedding_kind = "tfidf"
        try:
            matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
        except ValueError:  # only stop words
            return np.zeros((len(texts), 1))
        return matrix.toarray()

    def sentence_span(self, span: Span) -> Span:
        """The source sentence(s) around ``span``: citations point at whole sentences."""
        article = self.articles.get(span.article_id)
        if article is None or not article.sentences:
            return span
        starts = self.sentence_starts[article.id]
        first = max(0, bisect.bisect_right(starts, span.start) - 1)
        last = max(first, bisect.bisect_right(starts, max(span.start, span.end - 1)) - 1)
        start = min(article.sentences[first].start, span.start)
        end = max(article.sentences[last].end, span.end)
        return Span(article_id=span.article_id, start=start, end=end)

    def loaded_in(self, span: Span) -> int:
        return sum(1 for start, end in self.loaded.get(span.article_id, ())
                   if start < span.end and end > span.start)

    def version(self, claim: Claim) -> Version | None:
        if claim.span.article_id not in self.articles:
            return None
        sentence = self.sentence_span(claim.span)
        return Version(claim, sentence, self.briefing.text(sentence), self.loaded_in(sentence))

    def citation(self, span: Span) -> Citation:
        article = self.articles[span.article_id]
        return Citation(span=span, outlet=article.outlet_name)

    def first_verified(self, candidates: Sequence[tuple[str, list[Citation]]], *, group_id: str | None = None
                       ) -> tuple[str, list[Citation]] | None:
        """The first candidate that passes the verifier (and, for a sentence of claim group
        ``group_id``, states that group's status); each failure is counted."""
        seen: set[str] = set()
        for text, citations in candidates:
            if not text or text in seen:
                continue
            seen.add(text)
            if verify_sentence(text, citations, self.briefing, group_id=group_id).ok:
                return text, citations
            self.rejected += 1
        return None

    # -- claim-group mode ---------------------------------------------------

    def from_claim_groups(self, n: int) -> list[SummarySentence]:
        claims = {claim.id: claim for claim in self.briefing.claims}
        groups: list[ClaimGroup] = []
        versions: list[list[Version]] = []
        for group in self.briefing.claim_groups:
            found = [v for cid in group.claim_ids if cid in claims
                     and (v := self.version(claims[cid])) is not None]
            if found:
                groups.append(group)
                versions.append(found)
        if not groups:
            return self.from_article_sentences(n)

        def representative(i: int) -> Version:
            rep = [v for v in versions[i] if v.claim.id == groups[i].representative_claim_id]
            return (rep or versions[i])[0]

        vectors = self.embed([representative(i).text for i in range(len(groups))])
        similarity = vectors @ vectors.T
        count = len(groups)
        centrality = (similarity.sum(axis=1) - np.diag(similarity)) / max(1, count - 1)
        coverage = np.array([
            g.independent_origin_count or len(set(g.outlets))
            or len({v.claim.outlet for v in vs}) for g, vs in zip(groups, versions)
        ], dtype=float)
        # The story's central facts are those most independent origins state: origin count
        # dominates, centrality breaks ties.
        importance = _normalised(coverage) + 0.2 * _normalised(centrality)

        sections = [_SECTION_OF_STATUS[g.status] for g in groups]
        quotas = section_quotas(n, {s: sections.count(s) for s in SECTION_ORDER})
        pools = {s: [i for i in range(count) if sections[i] == s] for s in SECTION_ORDER}
        chosen: list[int] = []
        emitted: dict[SummarySection, list[SummarySentence]] = {s: [] for s in SECTION_ORDER}

        index_of = {group.id: i for i, group in enumerate(groups)}

        def counterpart(i: int) -> tuple[int, Conflict] | None:
            """The most important group this one conflicts with that is still unused."""
            linked = [(index_of[c.group_id], c) for c in groups[i].conflicts if c.group_id in index_of]
            linked = [(j, c) for j, c in linked if j not in chosen and any(j in p for p in pools.values())]
            return max(linked, key=lambda jc: importance[jc[0]]) if linked else None

        def fill(section: SummarySection, target: int) -> None:
            pool = pools[section]
            while len(emitted[section]) < target and pool:
                best = max(pool, key=lambda i: _mmr(i, importance, similarity, chosen))
                pool.remove(best)
                other, conflict = None, None
                if section is SummarySection.CONTESTED:
                    found = counterpart(best)
                    if found is None:
                        continue  # a contested section pairs only linked conflicts, both sides told
                    other, conflict = found
                sentence = self.group_sentence(groups[best], versions[best], section,
                                               counterpart=versions[other] if other is not None else None,
                                               conflict=conflict)
                if sentence is not None:
                    emitted[section].append(sentence)
                    chosen.append(best)
                    if other is not None:
                        # Both sides are now told in one sentence: don't tell the other again.
                        chosen.append(other)
                        for p in pools.values():
                            if other in p:
                                p.remove(other)

        for section in SECTION_ORDER:
            fill(section, quotas[section])
        # A group whose every candidate failed leaves room: fill it from what is left.
        for section in SECTION_ORDER:
            missing = n - sum(len(v) for v in emitted.values())
            if missing > 0:
                fill(section, len(emitted[section]) + missing)
        # The lead is the fact most independent origins state, whatever MMR picked first.
        origins = {g.id: coverage[i] for i, g in enumerate(groups)}
        emitted[SummarySection.CORROBORATED].sort(key=lambda s: -origins.get(s.claim_group_id or "", 0))
        return [s for section in SECTION_ORDER for s in emitted[section]][:n]

    def group_sentence(self, group: ClaimGroup, versions: list[Version], section: SummarySection,
                       *, counterpart: list[Version] | None = None,
                       conflict: Conflict | None = None) -> SummarySentence | None:
        self.group = group
        if section is SummarySection.CONTESTED:
            if counterpart is None or conflict is None:
                return None
            found = self.contested(versions, counterpart, conflict)
        elif section is SummarySection.SINGLE_SOURCE:
            found = self.single_source(versions, group)
        else:
            found = self.corroborated(versions)
        if found is None:
            return None
        text, citations = found
        return SummarySentence(text=text, citations=citations, section=section,
                               claim_group_id=group.id, method="extractive", verified=True)

    def extra_citations(self, chosen: Version, versions: list[Version]) -> list[Citation]:
        """One corroborating sentence per other outlet, most neutral first."""
        out, outlets = [], {chosen.claim.outlet}
        for version in sorted(versions, key=lambda v: v.neutral_key):
            if version.claim.outlet in outlets or len(out) >= MAX_EXTRA_CITATIONS:
                continue
            outlets.add(version.claim.outlet)
            out.append(Citation(span=version.sentence, outlet=version.claim.outlet))
        return out

    def corroborated(self, versions: list[Version]) -> tuple[str, list[Citation]] | None:
        candidates = []
        for version in sorted(versions, key=lambda v: v.neutral_key):
            citations = [Citation(span=version.sentence, outlet=version.claim.outlet)]
            citations += self.extra_citations(version, versions)
            candidates.append((finish(compress(version.text)), citations))
            candidates.append((finish(version.text), citations))
        return self.first_verified(candidates, group_id=self.group.id)

    def single_source(self, versions: list[Version], group: ClaimGroup) -> tuple[str, list[Citation]] | None:
        """"Only X reports …" for one origin; "Only X (a party to the story) says …" for one party's
        claim relayed by several origins; never "only" for a group of another status."""
        outlets = sorted({v.claim.outlet for v in versions})
        candidates = []
        one_party = group.basis is GroupBasis.ONE_PARTY and group.status is ClaimStatus.SINGLE_SOURCE
        for version in sorted(versions, key=lambda v: v.neutral_key):
            citations = [Citation(span=version.sentence, outlet=version.claim.outlet)]
            citations += self.extra_citations(version, versions)
            citations += self.speaker_citation(version, citations)
            body = compress(version.text)
            asserter = version.claim.asserter
            if one_party:
                content = self.lower_common(self.content(version, strip_attribution=True))
                for name in self.asserter_names(version):
                    candidates.append((finish(f"Only {name} {ONE_PARTY_FLAG} {say_form(name)} that {content}"),
                                       citations))
            elif group.status is not ClaimStatus.SINGLE_SOURCE:
                pass  # no "only" for a group more than one origin states
            elif len(outlets) == 1:
                candidates.append((finish(f"Only {outlets[0]} reports that {self.lower_common(body)}"),
                                   citations))
                candidates.append((finish(f"Only {outlets[0]} reports that "
                                          f"{self.lower_common(version.text.strip())}"), citations))
            elif not asserter.is_outlet_voice:
                # Several outlets, one origin (wire copy): the one source is the asserter.
                content = self.content(version, strip_attribution=True)
                for name in self.asserter_names(version):
                    candidates.append((finish(f"Only {name} {say_form(name)} that "
                                                   f"{self.lower_common(content)}"),
                                       citations))
            else:
                listed = " and ".join(outlets)
                candidates.append((finish(f"According to {listed}, {self.lower_common(body)}"),
                                   citations))
            candidates.append((finish(body), citations))
        return self.first_verified(candidates, group_id=group.id)

    def speaker_citation(self, version: Version, citations: list[Citation]) -> list[Citation]:
        """The sentence naming the speaker, when it is not the claim's own (a pronoun or an
        earlier paragraph named them)."""
        quote = self.quotes.get(version.claim.quote_id or "")
        if quote is None or quote.speaker_span is None:
            return []
        speaker = quote.speaker_span
        if any(c.span.article_id == speaker.article_id and c.span.start <= speaker.start
               and speaker.end <= c.span.end for c in citations):
            return []
        return [Citation(span=self.sentence_span(speaker), outlet=version.claim.outlet)]

    def contested(self, versions: list[Version], counterpart: list[Version],
                  conflict: Conflict) -> tuple[str, list[Citation]] | None:
        """Both sides of one linked conflict in one sentence, each with its asserter, and why
        they conflict: "X says …; Y says … — they give different figures"."""
        clauses, citations = [], []
        for side in (versions, counterpart):
            for version in sorted(side, key=lambda v: v.neutral_key):
                found = self.first_verified(self.clause_candidates(version))
                if found is not None:
                    clauses.append(found[0].rstrip(" .;"))
                    citations += [c for c in found[1] if c not in citations]
                    break
        if len(clauses) < 2:
            return None  # one side alone is not a conflict a reader can weigh
        reason = CONFLICT_REASONS.get(conflict.reason, CONFLICT_REASONS[ConflictReason.MODEL])
        joined = self.join_clauses(clauses) + REASON_SEPARATOR + reason
        return self.first_verified([(finish(joined), citations)], group_id=self.group.id)

    def join_clauses(self, clauses: Sequence[str]) -> str:
        """"A; b": only the first clause starts the sentence, so the next one's first letter is
        lower-cased unless the word is a name, an acronym or "I"."""
        return "; ".join([clauses[0], *(self.lower_common(c) for c in clauses[1:])])

    def lower_common(self, text: str) -> str:
        match = re.match(r"([^\w]*)(\w[\w'’-]*)", text)
        if match is None:
            return text
        word = match.group(2)
        if word == "I" or sum(ch.isupper() for ch in word) > 1 or not word[:1].isupper():
            return text
        if word in self.name_words or (word in self.midsentence_capitals and word.lower() not in self.common_words):
            return text
        if re.sub(r"['’]s$", "", word).lower() in country_index().country_of:
            return text  # "Russia's defence ministry", "Chilean officials"
        at = match.start(2)
        return text[:at] + word[:1].lower() + text[at + 1:]

    @property
    def name_words(self) -> frozenset[str]:
        """First words of the story's names (entities, outlets): "Kyiv Ledger says" keeps its capital."""
        if self._name_words is None:
            names = [a.outlet_name for a in self.briefing.articles if a.outlet_name]
            for entity in self.briefing.entities:
                names.append(entity.canonical_name)
                names += [form for forms in entity.surface_forms.values() for form in forms]
            self._name_words = frozenset(n.split()[0].strip(en.QUOTE_CHARS) for n in names if n.split())
        return self._name_words

    @property
    def midsentence_capitals(self) -> frozenset[str]:
        """Words the articles capitalise inside a sentence: names ("officials in Kyiv"); a word
        capitalised only where a sentence starts ("Residents said") is an ordinary word."""
        if self._midsentence is None:
            found = set()
            for article in self.briefing.articles:
                text = article.clean_text
                for match in re.finditer(r"\b[A-Z][\w'’-]*", text):
                    before = text[:match.start()].rstrip(" \t" + en.QUOTE_CHARS)
                    if before and (before[-1].isalnum() or before[-1] in ",;:("):
                        found.add(match.group(0))
            self._midsentence = frozenset(found)
        return self._midsentence

    @property
    def common_words(self) -> frozenset[str]:
        """Words the articles write in lower case somewhere: not names."""
        if self._common_words is None:
            words = {w for a in self.briefing.articles for w in re.findall(r"\b[a-z][\w'’-]*", a.clean_text)}
            self._common_words = frozenset(words | en.STOPWORDS | {"according", "only"})
        return self._common_words

    def asserter_names(self, version: Version) -> list[str]:
        names = [version.claim.asserter.name]
        quote = self.quotes.get(version.claim.quote_id or "")
        if quote is not None:
            names.append(quote.speaker)
        return [n for i, n in enumerate(names) if n and n not in names[:i]]

    def content(self, version: Version, *, strip_attribution: bool) -> str:
        """What the claim says: the claim span when it is a clause of the sentence."""
        span = version.claim.span
        inner = (span.start > version.sentence.start or span.end < version.sentence.end)
        # The claim as a reader can read it: no dateline or clause debris, a leading pronoun
        # replaced by "[Name]" (the name is in the speaker's cited sentence).
        shown = readable_claim_text(self.briefing, version.claim)
        text = shown if inner and len(shown.split()) >= 4 else version.text
        return compress(text, strip_attribution=strip_attribution,
                        speaker_names=self.asserter_names(version))

    def clause_candidates(self, version: Version) -> list[tuple[str, list[Citation]]]:
        claim = version.claim
        citations = [Citation(span=version.sentence, outlet=claim.outlet)]
        quote = self.quotes.get(claim.quote_id or "")
        if quote is not None and quote.speaker_span is not None:
            speaker = quote.speaker_span
            inside = (speaker.article_id == version.sentence.article_id
                      and version.sentence.start <= speaker.start
                      and speaker.end <= version.sentence.end)
            if not inside:
                citations.append(Citation(span=self.sentence_span(speaker), outlet=claim.outlet))
        content = self.lower_common(self.content(version, strip_attribution=True))
        candidates = []
        if claim.asserter.is_outlet_voice:
            candidates.append((f"According to {claim.outlet}, {content}", citations))
        else:
            candidates += [(f"{name} {say_form(name)} {content}", citations)
                           for name in self.asserter_names(version)]
        # The sentence as written carries its own attribution.
        candidates.append((compress(version.text), citations))
        candidates.append((version.text.strip(), citations))
        return [(upper_first(text), cits) for text, cits in candidates]

    # -- sentence-level fallback --------------------------------------------

    def from_article_sentences(self, n: int) -> list[SummarySentence]:
        spans: list[Span] = []
        article_index: list[int] = []
        positions: list[int] = []
        for a_index, article in enumerate(self.briefing.articles):
            for sentence in article.sentences:
                text = article.clean_text[sentence.start:sentence.end]
                words = len(text.split())
                if 5 <= words <= 80 and any(ch.isalpha() for ch in text):
                    spans.append(Span(article_id=article.id, start=sentence.start,
                                      end=sentence.end))
                    article_index.append(a_index)
                    positions.append(sentence.index)
        if not spans:
            return []
        texts = [self.briefing.text(span) for span in spans]
        vectors = self.embed(texts)
        similarity = vectors @ vectors.T
        owner = np.array(article_index)
        other = owner[:, None] != owner[None, :]
        if other.any():
            cross = np.where(other, similarity, 0.0).sum(axis=1) / np.maximum(other.sum(axis=1), 1)
        else:
            cross = (similarity.sum(axis=1) - 1.0) / max(1, len(spans) - 1)
        # News puts what matters first: a mild lead prior on top of cross-source centrality.
        lead = 1.0 / (1.0 + np.array(positions, dtype=float))
        importance = _normalised(cross) + 0.5 * lead
        threshold = SUPPORT_THRESHOLD[self.embedding_kind]
        outlets = [self.citation(span).outlet for span in spans]

        chosen: list[int] = []
        emitted: dict[SummarySection, list[SummarySentence]] = {s: [] for s in SECTION_ORDER}
        pool = list(range(len(spans)))
        while sum(len(v) for v in emitted.values()) < n and pool:
            best = max(pool, key=lambda i: _mmr(i, importance, similarity, chosen))
            pool.remove(best)
            if chosen and max(similarity[best, j] for j in chosen) >= threshold:
                continue  # another outlet's wording of a sentence already in the summary
            support = self.support(best, similarity, outlets, threshold)
            own = self.citation(spans[best])
            citations = [own] + [self.citation(spans[j]) for j in support]
            text = texts[best]
            body = compress(text)
            if support:
                section = SummarySection.CORROBORATED
                candidates = [(finish(body), citations), (finish(text), citations)]
            else:
                section = SummarySection.SINGLE_SOURCE
                candidates = []
                if self.outlet_count > 1 and self.articles[own.span.article_id].outlet:
                    candidates.append(
                        (finish(f"According to {own.outlet}, {self.lower_common(body)}"), citations))
                candidates += [(finish(body), citations), (finish(text), citations)]
            found = self.first_verified(candidates)
            if found is None:
                continue
            chosen.append(best)
            emitted[section].append(SummarySentence(
                text=found[0], citations=found[1], section=section, method="extractive",
                verified=True))
        return [s for section in SECTION_ORDER for s in emitted[section]]

    @staticmethod
    def support(i: int, similarity: np.ndarray, outlets: list[str], threshold: float
                ) -> list[int]:
        """The most similar sentence of each other outlet, when it says the same thing."""
        best: dict[str, tuple[float, int]] = {}
        for j in np.flatnonzero(similarity[i] >= threshold):
            j = int(j)
            if outlets[j] == outlets[i]:
                continue
            if outlets[j] not in best or similarity[i, j] > best[outlets[j]][0]:
                best[outlets[j]] = (float(similarity[i, j]), j)
        ranked = sorted(best.values(), reverse=True)[:MAX_EXTRA_CITATIONS]
        return [j for _, j in ranked]


def section_quotas(n: int, available: dict[SummarySection, int]) -> dict[SummarySection, int]:
    """How many sentences each section gets: shares for contested and single-source
    claims, the rest corroborated, and any unused room handed to the others."""
    contested = min(available.get(SummarySection.CONTESTED, 0),
                    max(1, round(CONTESTED_SHARE * n)))
    single = min(available.get(SummarySection.SINGLE_SOURCE, 0),
                 max(1, round(SINGLE_SOURCE_SHARE * n)))
    corroborated = min(available.get(SummarySection.CORROBORATED, 0),
                       max(1, n - contested - single))
    quotas = {SummarySection.CORROBORATED: corroborated, SummarySection.CONTESTED: contested,
              SummarySection.SINGLE_SOURCE: single}
    # A very short summary keeps the reader's order: consensus first, single-source last.
    for section in (SummarySection.SINGLE_SOURCE, SummarySection.CONTESTED):
        excess = sum(quotas.values()) - n
        if excess > 0:
            quotas[section] -= min(excess, quotas[section])
    for section in (SummarySection.CONTESTED, SummarySection.SINGLE_SOURCE):
        room = n - sum(quotas.values())
        quotas[section] += max(0, min(room, available.get(section, 0) - quotas[section]))
    return quotas


def _normalised(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values
    spread = values.max() - values.min()
    return (values - values.min()) / spread if spread > 0 else np.ones_like(values)


def _mmr(i: int, importance: np.ndarray, similarity: np.ndarray, chosen: list[int]) -> float:
    redundancy = max((similarity[i, j] for j in chosen), default=0.0)
    return MMR_LAMBDA * importance[i] - (1 - MMR_LAMBDA) * redundancy
