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
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


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


class DroppedSpan(Frozen):
    """A piece of the raw text the cleaner removed, with the reason, for audit.

    Offsets are into ``Article.raw_text``; ``Article.clean_text`` is exactly the
    raw text with every dropped span cut out (see ``clean.apply_drops``).
    """

    start: int
    end: int
    reason: str


class Sentence(Frozen):
    article_id: str
    index: int
    start: int
    end: int


class Mention(Frozen):
    """A named-entity mention in the clean text.

    ``source`` says who found it: the statistical NER (``ner``) or the gazetteer
    layer (``gazetteer``), which may also correct a NER label.
    """

    article_id: str
    start: int
    end: int
    text: str
    label: str
    source: str = "ner"
    entity_id: str | None = None


class Article(Frozen):
    id: str = Field(description="content hash of the extracted raw text")
    source: str = Field(description="the input it came from: path, URL, or 'stdin'")
    format: str = Field(description="txt | html | json | jsonl | feed | warc")
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    date_source: str | None = Field(
        default=None, description="where the date came from: html-meta, json, url, text, cli"
    )
    language: str | None = None
    raw_text: str
    clean_text: str = ""
    dropped: list[DroppedSpan] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)

    def text_of(self, start: int, end: int) -> str:
        return self.clean_text[start:end]

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


class Place(Frozen):
    geonames_id: int | None = None
    latitude: float
    longitude: float
    admin_level: str = Field(description="country | ADM1 | ADM2 | city | locality | region")
    country_code: str | None = None
    feature_code: str | None = None
    population: int | None = None


class Entity(Frozen):
    id: str
    canonical_name: str
    type: EntityType
    mentions: list[Span] = Field(default_factory=list)
    surface_forms: dict[str, list[str]] = Field(
        default_factory=dict, description="article id -> distinct spellings used there"
    )
    place: Place | None = None
    side: str | None = Field(default=None, description="for actors: which party they speak for")


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


class Quantity(Frozen):
    value: float
    unit: str
    surface: str
    start: int
    end: int
    approximate: bool = False


class TimeRef(Frozen):
    """A normalised time expression (issue: framing and timeline)."""

    article_id: str
    start: int
    end: int
    text: str
    value: str = Field(description="ISO date, month (YYYY-MM), or range 'start/end'")
    granularity: str = Field(description="day | month | year | range | duration")
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


class Origin(Frozen):
    """Articles (or passages) that share one origin: wire copy, rewrites of one release."""

    id: str
    article_ids: list[str]
    kind: OriginKind
    agency: str | None = None
    evidence: str | None = None


class ClaimStatus(str, Enum):
    CORROBORATED = "corroborated"
    SINGLE_SOURCE = "single_source"
    CONTESTED = "contested"


class ConflictReason(str, Enum):
    NUMBER = "number"
    STATE = "state"
    NEGATION = "negation"
    EXPLANATION = "explanation"
    MODEL = "model"


class Conflict(Frozen):
    group_id: str
    reason: ConflictReason
    detail: str = ""


class ClaimGroup(Frozen):
    id: str
    claim_ids: list[str]
    representative_claim_id: str
    asserters: list[Asserter] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list)
    origin_ids: list[str] = Field(default_factory=list)
    independent_origin_count: int = 0
    status: ClaimStatus
    conflicts: list[Conflict] = Field(default_factory=list)


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


class LoadedMark(Frozen):
    span: Span
    kind: str = Field(description="loaded | intensifier | subjective | evaluative")
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
    granularity: str
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


class Citation(Frozen):
    span: Span
    outlet: str


class SummarySentence(Frozen):
    text: str
    citations: list[Citation]
    section: SummarySection
    claim_group_id: str | None = None
    method: str = Field(default="extractive", description="extractive | llm")
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

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class Briefing(Frozen):
    schema_version: str = SCHEMA_VERSION
    id: str
    title: str | None = None
    created_at: dt.datetime
    articles: list[Article] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    origins: list[Origin] = Field(default_factory=list)
    claim_groups: list[ClaimGroup] = Field(default_factory=list)
    framing: Framing | None = None
    time_refs: list[TimeRef] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    summary: Summary | None = None
    failures: list[InputFailure] = Field(default_factory=list)
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(
        default_factory=dict, description="room for optional stages; keyed by stage name"
    )

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
