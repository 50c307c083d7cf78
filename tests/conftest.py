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


@pytest.fixture(scope="session")
def example_briefing(resources):
    """``example_briefing("plant-closure")``: an example story analysed once per test session.

    Each story reads its own ``outlets.toml``; the session's spaCy model is shared.
    """
    from functools import cache

    from manysides import api
    from manysides.outlet_groups import load_outlet_groups
    from manysides.resources import Resources, Settings

    @cache
    def analyse(name: str, default_date=None):
        story = REPO / "examples" / name
        settings = Settings(default_date=default_date, embedder="tfidf",
                            outlet_groups=load_outlet_groups(story / "outlets.toml"))
        result = api.analyze([str(story)], settings=settings, resources=Resources(settings, nlp=resources.nlp))
        assert result.failures == []
        return result.briefing

    return analyse


@pytest.fixture(scope="module")
def plant(example_briefing):
    """The plant-closure example story, analysed."""
    return example_briefing("plant-closure")


@pytest.fixture(scope="module")
def collapse(example_briefing):
    """The building-collapse example story, analysed."""
    return example_briefing("building-collapse")


@pytest.fixture()
def story(request, example_briefing):
    """The example story named by the test's ``indirect`` parameter, analysed."""
    return example_briefing(request.param)


@pytest.fixture()
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data absent: benchmark data sets are not beside the repo")
    return SHARED_DATA
