"""Shared fixtures: the spaCy model is loaded once per test session (it is the main cost)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
EXAMPLES = REPO / "examples" / "kharkiv"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    from manysides.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def resources(nlp):
    from manysides.resources import Resources, Settings

    res = Resources(Settings(embedder="tfidf"), nlp=nlp)
    return res


@pytest.fixture()
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data absent: benchmark data sets are not beside the repo")
    return SHARED_DATA
