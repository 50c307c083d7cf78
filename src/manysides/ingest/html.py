"""HTML page -> RawArticle: main text with trafilatura, metadata from the page.

Extraction strategy (tuned on the Zyte article-extraction benchmark, see
``bench/extraction.py``):

* comments are never part of the article (``include_comments=False``: +0.007 F1);
* trafilatura is run twice, once balanced and once with ``favor_precision``.
  The precision run drops sidebars and teaser lists far more often, but on a few
  layouts it loses most of the body. We take the precision text unless it is
  shorter than ``PRECISION_KEEP_RATIO`` of the balanced text (F1 0.960 -> 0.967).

Paragraphs come back as lines separated by ``\\n``; the cleaner
(``manysides.clean``) works on those lines and uses the HTML kept on the
RawArticle for link density.
"""

from __future__ import annotations

import datetime as dt

from manysides.errors import IngestError
from manysides.ingest.base import RawArticle

# Below this share of the balanced text, the precision run has cut real body
# paragraphs rather than boilerplate (bench/extraction.py: 0.3-0.6 all give the
# same F1 on the benchmark; 0.7 and above lose precision again).
PRECISION_KEEP_RATIO = 0.5

# Dates: only dates the page *declares* (meta tags, JSON-LD, <time>) are taken.
# htmldate's extensive search otherwise guesses from any date-looking string in
# the page (a copyright year, a related article, a URL of another story), and a
# wrong publication date silently shifts every relative date ("on Saturday") in
# the timeline. ``original_date`` prefers the first-published date over the
# last-modified one for the same reason.
DATE_EXTRACTION_PARAMS = {
    "original_date": True,
    "extensive_search": False,
    "outputformat": "%Y-%m-%d",
}

_COMMON_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "output_format": "txt",
}


def _parse_iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract_main_text(html: str, *, url: str | None = None, balanced: str | None = None) -> str:
    """The article text of one page (no metadata), as ``read_html`` extracts it.

    ``balanced`` is the balanced-mode text when the caller already has it.
    Returns ``""`` when nothing could be extracted.
    """
    import trafilatura

    if balanced is None:
        balanced = trafilatura.extract(html, url=url, **_COMMON_OPTIONS) or ""
    precise = trafilatura.extract(html, url=url, favor_precision=True, **_COMMON_OPTIONS) or ""
    if precise.strip() and len(precise) >= PRECISION_KEEP_RATIO * len(balanced):
        return precise
    return balanced


def read_html(html: str, *, source: str, url: str | None = None) -> RawArticle:
    """Extract the main text and metadata of one HTML page.

    ``source`` names the input in error messages (a path or URL). ``url`` is the
    page address when known; otherwise the page's canonical link is used.
    Raises ``IngestError`` when no article text can be found.
    """
    import trafilatura

    # One balanced run gives both the balanced text and the metadata.
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        date_extraction_params=DATE_EXTRACTION_PARAMS,
        **{key: value for key, value in _COMMON_OPTIONS.items() if key != "output_format"},
    )
    balanced = (document.text or "") if document is not None else ""
    text = extract_main_text(html, url=url, balanced=balanced)
    if not text.strip():
        raise IngestError(source, "no article text found in HTML")

    title = outlet = page_url = date_text = language = None
    if document is not None:
        title = document.title or None
        outlet = document.sitename or None
        page_url = document.url or None
        date_text = document.date or None
        language = getattr(document, "language", None) or None

    published = _parse_iso_date(date_text)
    return RawArticle(
        source=source,
        format="html",
        text=text.strip("\n"),
        html=html,
        url=url or page_url,
        outlet=outlet,
        title=title,
        published=published,
        date_source="html-meta" if published is not None else None,
        language=language,
    )


__all__ = ["read_html", "extract_main_text", "PRECISION_KEEP_RATIO", "DATE_EXTRACTION_PARAMS"]
