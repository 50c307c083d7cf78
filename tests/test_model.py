import datetime as dt
import json

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from manysides.model import (
    SCHEMA_VERSION, Article, Briefing, DroppedSpan, Mention, Sentence, Span, json_schema,
)

texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200)


@st.composite
def articles(draw):
    raw = draw(texts)
    cut = draw(st.integers(0, len(raw)))
    return Article(
        id=draw(st.text("0123456789abcdef", min_size=16, max_size=16)),
        source=draw(texts), format="txt", outlet=draw(st.none() | texts),
        published=draw(st.none() | st.dates()), raw_text=raw, clean_text=raw[cut:],
        dropped=[DroppedSpan(start=0, end=cut, reason="repeated headline")] if cut else [],
        sentences=[Sentence(index=0, span=Span(article_id="a", start=0, end=len(raw) - cut))],
        mentions=[Mention(span=Span(article_id="a", start=0, end=1), text=raw[cut:cut + 1] or "x", label="GPE")],
    )


@settings(max_examples=50, deadline=None)
@given(st.lists(articles(), max_size=3))
def test_briefing_json_round_trip_is_lossless(items):
    briefing = Briefing(id="b1", created_at=dt.datetime(2022, 9, 10, 12, 0, tzinfo=dt.timezone.utc),
                        articles=items)
    again = Briefing.from_json(briefing.to_json())
    assert again == briefing
    assert again.to_json() == briefing.to_json()


def test_published_schema_matches_the_model():
    published = json.loads((REPO / "schema" / f"briefing-{SCHEMA_VERSION}.json").read_text())
    assert published == json.loads(json.dumps(json_schema())), (
        "schema/ is stale: regenerate it with `manysides schema`"
    )


def test_text_is_sliced_from_clean_text_by_span():
    article = Article(id="a1", source="x", format="txt", raw_text="Hello Kyiv.", clean_text="Hello Kyiv.")
    briefing = Briefing(id="b", created_at=dt.datetime(2022, 1, 1), articles=[article])
    assert briefing.text(Span(article_id="a1", start=6, end=10)) == "Kyiv"


def test_models_are_frozen():
    from pydantic import ValidationError

    span = Span(article_id="a", start=0, end=1)
    with pytest.raises(ValidationError):
        span.start = 5
    assert span.start == 0
