"""The one typed data model every stage reads and writes.

Everything a stage produces points back into an article's *clean text* with
character offsets (``article_id``, ``start``, ``end``): text shown to a user is
sliced from there, so citations cannot drift from their source.

Models are frozen: a stage returns new objects (``model_copy(update=...)``)
instead of mutating shared ones. The JSON form is versioned by
``SCHEMA_VERSION``; the published JSON Schema lives in ``schema/``.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum, StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "2.0"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")



# --------------------------------------------------------------------------
# Spans and articles
# --------------------------------------------------------------------------


class Span(Frozen):
    """A half-open character range ``[start, end)`` in one article's clean text."""

    article_id: str
    start: int
    end: int


class Spanned(Frozen):
    """A finding that points at one span of clean text; ``start``/``end``/``article_id`` read through."""

    span: Span

    @property
    def article_id(self) -> str:
        return self.span.article_id

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False):
        # start/end/article_id are read-through properties: an update naming them would be
        # silently ignored by pydantic, so it is refused (update "span" instead).
        if update and not update.keys().isdisjoint({"start", "end", "article_id"}):
            raise TypeError(f"{type(self).__name__}: update 'span', not start/end/article_id")
        return super().model_copy(update=update, deep=deep)


class DroppedSpan(Frozen):
    """A piece of the raw text the cleaner removed, with the reason, for audit.

    Offsets are into ``Article.raw_text``; ``Article.clean_text`` is exactly the
    raw text with every dropped span cut out (see ``clean.apply_drops``).
    """

    start: int
    end: int
    reason: str


class Sentence(Spanned):
    index: int


class MentionSource(StrEnum):
    """Who found a mention: the statistical NER, the gazetteer layer (which may also
    correct a NER label), a phrase pattern (owned institutions, region phrases), or coreference."""

    NER = "ner"
    GAZETTEER = "gazetteer"
    PATTERN = "pattern"
    COREF = "coref"  # a pronoun or role noun resolved to a named mention


class Mention(Spanned):
    """A named-entity mention in the clean text (``text`` is kept: the store and the
    entity resolver read it without the article at hand)."""

    text: str
    label: str = Field(description="NER label: PERSON, ORG, GPE, LOC, NORP, ... (open set)")
    source: MentionSource = MentionSource.NER
    entity_id: str | None = None


class DateSource(StrEnum):
    """Where an article's publication date came from."""

    HTML_META = "html-meta"
    JSON = "json"
    URL = "url"
    FEED = "feed"
    TEXT = "text"
    INFERRED = "inferred"
    CLI = "cli"


class Article(Frozen):
    id: str = Field(description="content hash of the extracted raw text")
    source: str = Field(description="the input it came from: path, URL, or 'stdin'")
    format: str = Field(description="txt | html | json | jsonl | feed | warc")
    url: str | None = None
    outlet: str | None = None
    outlet_source: str | None = Field(
        default=None, description="where the outlet name came from: given, url, guessed (from the text), file"
    )
    title: str | None = None
    published: dt.date | None = None
    date_source: DateSource | None = None
    language: str | None = None
    raw_text: str
    clean_text: str = ""
    dropped: list[DroppedSpan] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)

    @property
    def outlet_name(self) -> str:
        """The name every view and stage shows: the outlet, else where the article came from."""
        return self.outlet or self.source or self.id


# --------------------------------------------------------------------------
# Entities (issue: entities and places)
# --------------------------------------------------------------------------


class EntityType(str, Enum):
    PER = "PER"
    ORG = "ORG"
    GPE = "GPE"
    LOC = "LOC"
    NORP = "NORP"


class AdminLevel(StrEnum):
    COUNTRY = "country"
    ADM1 = "ADM1"
    ADM2 = "ADM2"
    REGION = "region"
    CITY = "city"
    LOCALITY = "locality"


class Place(Frozen):
    geonames_id: int | None = None
    latitude: float
    longitude: float
    admin_level: AdminLevel
    country_code: str | None = None
    feature_code: str | None = None
    population: int | None = None
    reach_km: float | None = Field(
        default=None, description="how far a region, sea or other area reaches from its point; None for a point place")


class Entity(Frozen):
    id: str
    canonical_name: str
    type: EntityType
    mentions: list[Span] = Field(default_factory=list)
    surface_forms: dict[str, list[str]] = Field(
        default_factory=dict, description="article id -> distinct spellings used there"
    )
    place: Place | None = None
    side: str | None = Field(
        default=None, description="for actors: the party they speak for (an open set: a story's own parties)"
    )


# --------------------------------------------------------------------------
# Quotes, claims, origins (issue: claims across sources)
# --------------------------------------------------------------------------


class QuoteKind(str, Enum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    ACCORDING_TO = "according_to"


class Quote(Frozen):
    id: str
    span: Span = Field(description="the quoted content")
    speaker: str = Field(description="speaker as written")
    speaker_span: Span | None = None
    speaker_entity_id: str | None = None
    side: str | None = None
    kind: QuoteKind
    cue: str | None = Field(default=None, description="the reporting verb: said, claimed, told…")


class Quantity(Spanned):
    value: float
    unit: str = Field(description="what is counted or measured: a unit, or the head noun the number modifies")
    surface: str
    approximate: bool = False


class Granularity(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    DURATION = "duration"


class TimeRef(Spanned):
    """A normalised time expression."""

    text: str
    value: str = Field(description="ISO date, month (YYYY-MM), or range 'start/end'")
    granularity: Granularity
    confidence: float = 1.0


class Asserter(Frozen):
    """Who makes a claim: a quoted party, or the outlet in its own voice."""

    name: str
    entity_id: str | None = None
    side: str | None = None
    is_outlet_voice: bool = False


class Claim(Frozen):
    id: str
    span: Span
    asserter: Asserter
    outlet: str
    entity_ids: list[str] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    time: TimeRef | None = None
    quote_id: str | None = None
    negated: bool = False
    predicate: str | None = Field(default=None, description="lemma of the main verb or state")


class OriginKind(str, Enum):
    WIRE = "wire"
    REWRITE = "rewrite"
    INDEPENDENT = "independent"


class WireMarker(Spanned):
    """A dateline, credit or byline naming a news agency ("(AFP) -", "Reuters contributed")."""

    kind: str
    agency: str


class Origin(Frozen):
    """Articles (or passages) that share one origin: wire copy, rewrites of one release."""

    id: str
    article_ids: list[str]
    kind: OriginKind
    agency: str | None = None
    evidence: str | None = None
    wire_markers: list[WireMarker] = Field(default_factory=list)


class Passage(Spanned):
    """A sentence shared with another origin (copied, quoted or relayed), attributed to the
    origin it most plausibly came from; it counts toward that origin, not its own article's."""

    origin_id: str = Field(description="the origin the passage is attributed to")
    own_origin_id: str = Field(description="the origin of the article it appears in")
    similar_to: list[Span] = Field(default_factory=list)


class ClaimStatus(str, Enum):
    CORROBORATED = "corroborated"
    SINGLE_SOURCE = "single_source"
    CONTESTED = "contested"


class ConflictReason(str, Enum):
    NUMBER = "number"
    STATE = "state"
    NEGATION = "negation"
    EXPLANATION = "explanation"
    ATTRIBUTION = "attribution"
    MODEL = "model"


class Conflict(Frozen):
    group_id: str
    reason: ConflictReason
    detail: str = Field(default="", description="one plain sentence: which two claims and why they conflict")


class GroupBasis(StrEnum):
    """Why a group got its status: how its origins count."""

    ONE_ORIGIN = "one_origin"  # one independent origin
    ONE_PARTY = "one_party"  # several origins, but all relay one party's claim
    STATEMENT = "statement"  # several origins report that one party said it
    INDEPENDENT = "independent"  # several independent origins state it


class GroupMark(StrEnum):
    """Marks a newsroom needs beside a status."""

    ONE_PARTY = "one_party"  # asserted only by a party with a stake (a military about enemy losses)
    RELAYED = "relayed"  # outlets repeating another outlet's report ("the Times reported")


class ClaimGroup(Frozen):
    id: str
    claim_ids: list[str]
    representative_claim_id: str
    asserters: list[Asserter] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list)
    origin_ids: list[str] = Field(default_factory=list)
    independent_origin_count: int = 0
    status: ClaimStatus
    basis: GroupBasis | None = None
    marks: list[GroupMark] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)


class AlignmentStats(Frozen):
    """What the alignment stage compared, for the report's method note and benchmarks."""

    embedder: str | None = None
    threshold: float | None = None
    claims: int = 0
    candidate_pairs: int = 0
    same_claim_pairs: int = 0
    conflict_pairs: int = 0
    llm_pairs_asked: int = Field(default=0, description="undecided pairs sent to the optional LLM pair judge")
    llm_pairs_changed: int = Field(default=0, description="of those, pairs whose decision its answer changed")
    notes: list[str] = Field(default_factory=list, description="what the optional LLM pair judge could not do")


# --------------------------------------------------------------------------
# Framing and timeline
# --------------------------------------------------------------------------


class Wording(Frozen):
    outlet: str
    word: str
    count: int
    spans: list[Span] = Field(default_factory=list)
    quoted_count: int = Field(default=0, description="how many of `count` are inside a quote")
    speakers: list[str] = Field(
        default_factory=list, description="who is quoted using the word (when quoted)"
    )


class ReferentWording(Frozen):
    """How each outlet words one shared event or actor."""

    referent: str
    claim_group_ids: list[str] = Field(default_factory=list)
    wordings: list[Wording] = Field(default_factory=list)


class DistinctiveTerm(Frozen):
    term: str
    z_score: float
    count: int


class LoadedKind(StrEnum):
    LOADED = "loaded"
    INTENSIFIER = "intensifier"
    SUBJECTIVE = "subjective"
    EVALUATIVE = "evaluative"


class LoadedMark(Frozen):
    span: Span
    kind: LoadedKind
    score: float = 1.0
    in_quote: bool = Field(default=False, description="inside a quote: the speaker's word, not the outlet's")


class ActorSentiment(Frozen):
    entity_id: str
    outlet: str
    mean: float
    sentences: int


class Framing(Frozen):
    outlet_groups: dict[str, str] = Field(default_factory=dict, description="outlet -> group")
    referents: list[ReferentWording] = Field(default_factory=list)
    distinctive: dict[str, list[DistinctiveTerm]] = Field(
        default_factory=dict, description="outlet or group -> terms"
    )
    loaded: list[LoadedMark] = Field(default_factory=list)
    actor_sentiment: list[ActorSentiment] = Field(default_factory=list)
    voices: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="outlet -> side -> number of quotes"
    )


class TimelineEntry(Frozen):
    value: str
    granularity: Granularity
    claim_group_ids: list[str] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list)
    time_refs: list[TimeRef] = Field(default_factory=list)
    date_disagreement: str | None = None


# --------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------


class SummarySection(str, Enum):
    CORROBORATED = "corroborated"
    CONTESTED = "contested"
    SINGLE_SOURCE = "single_source"


class SummaryMethod(StrEnum):
    EXTRACTIVE = "extractive"
    LLM = "llm"


class Citation(Frozen):
    span: Span
    outlet: str


class SummarySentence(Frozen):
    text: str
    citations: list[Citation]
    section: SummarySection
    claim_group_id: str | None = None
    method: SummaryMethod = SummaryMethod.EXTRACTIVE
    verified: bool = True


class Summary(Frozen):
    sentences: list[SummarySentence] = Field(default_factory=list)
    rejected_candidates: int = 0
    notes: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------
# The briefing
# --------------------------------------------------------------------------


class InputFailure(Frozen):
    """One input that could not be read; reported in one line, never fatal."""

    source: str
    reason: str
    code: str = Field(default="E010", description="error code, see manysides.errors.CODES")

    def __str__(self) -> str:
        return f"{self.code} {self.source}: {self.reason}"


class Briefing(Frozen):
    schema_version: str = SCHEMA_VERSION
    id: str
    title: str | None = None
    packs: list[str] = Field(default_factory=list, description="domain packs the analysis used")
    sides: list[str] = Field(default_factory=list, description="the parties to the story, inferred or given")
    created_at: dt.datetime
    articles: list[Article] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    origins: list[Origin] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list)
    claim_groups: list[ClaimGroup] = Field(default_factory=list)
    framing: Framing | None = None
    time_refs: list[TimeRef] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    summary: Summary | None = None
    failures: list[InputFailure] = Field(default_factory=list)
    alignment: AlignmentStats | None = None
    stage_seconds: dict[str, float] = Field(default_factory=dict)

    # -- lookups used by every report and later stage --------------------
    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def text(self, span: Span) -> str:
        return self.article(span.article_id).clean_text[span.start : span.end]

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes) -> "Briefing":
        return cls.model_validate_json(data)


def json_schema() -> dict[str, Any]:
    schema = Briefing.model_json_schema()
    schema["$id"] = f"https://manysides.dev/schema/briefing-{SCHEMA_VERSION}.json"
    schema["title"] = "manysides Briefing"
    return schema
