"""HTML ingestion: main text as paragraph lines, metadata from the page, no guessed dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from manysides.errors import IngestError
from manysides.ingest.html import read_html

PAGE = (Path(__file__).parent / "fixtures" / "clean" / "page_with_metadata.html").read_text(encoding="utf-8")


def test_text_and_metadata():
    raw = read_html(PAGE, source="ferry.html")
    assert raw.format == "html"
    assert raw.title == "Ferry service resumes across the estuary"
    assert raw.outlet == "The Harbour Gazette"
    assert raw.published == dt.date(2022, 9, 11)
    assert raw.date_source == "html-meta"
    assert raw.url == "https://harbour-gazette.example/news/ferry-resumes"
    assert raw.html == PAGE
    paragraphs = raw.text.split("\n")
    assert paragraphs[0].startswith("The ferry between the two harbour towns") or paragraphs[1].startswith(
        "The ferry between"
    )
    assert any(p.startswith("Repairs to the ramp cost") for p in paragraphs)
    assert "Weather" not in raw.text  # navigation is not article text
    assert "Privacy" not in raw.text


def test_given_url_wins_over_canonical():
    raw = read_html(PAGE, source="ferry.html", url="https://mirror.example/ferry")
    assert raw.url == "https://mirror.example/ferry"


def test_no_date_metadata_means_no_date():
    # A date in the body text or footer is not a publication date: never guess, never "today".
    page = (
        PAGE.replace('<meta property="article:published_time" content="2022-09-11T07:30:00+00:00">', "")
        .replace("<p>The ferry between", "<p>Posted 3 March 2021. The ferry between")
    )
    raw = read_html(page, source="ferry.html")
    assert raw.published is None
    assert raw.date_source is None


@pytest.mark.parametrize("page", ["", "<html><body></body></html>", "<html><head><script>var x = 1;</script></head><body></body></html>"])
def test_no_article_text_raises(page):
    with pytest.raises(IngestError, match="no article text found in HTML"):
        read_html(page, source="empty.html")
