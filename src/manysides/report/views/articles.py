"""Per-article view: metadata, clean text with mentions and loaded words marked, and the audited junk."""

from __future__ import annotations

from markupsafe import Markup, escape

from manysides.model import Article, Briefing
from manysides.report.markup import mark_spans

ENTITY_CLASSES = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC",
                  "NORP": "NORP", "FAC": "LOC"}


def raw_with_drops(article: Article) -> Markup:
    """The raw text with each dropped span struck through and labelled with its reason."""
    from manysides.clean import segments

    pieces = []
    for piece, drop in segments(article.raw_text, article.dropped):
        if drop is None:
            pieces.append(str(escape(piece)))
        else:
            pieces.append(
                f'<del class="dropped" data-reason="{escape(drop.reason)}" title="{escape(drop.reason)}">'
                f"{escape(piece)}</del>"
            )
    return Markup("".join(pieces))


def marked_clean_text(article: Article, briefing: Briefing) -> Markup:
    entity_names = {e.id: e.canonical_name for e in briefing.entities}
    marks = [
        (m.start, m.end, f"ent-{ENTITY_CLASSES[m.label]}",
         f"{m.label}: {entity_names.get(m.entity_id, m.text)}")
        for m in article.mentions
        if m.label in ENTITY_CLASSES
    ]
    if briefing.framing is not None:
        marks += [
            (mark.span.start, mark.span.end, "loaded", f"{mark.kind} language")
            for mark in briefing.framing.loaded
            if mark.span.article_id == article.id
        ]
    return mark_spans(article.clean_text, marks)


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links: a ``javascript:`` URL from an input must not run."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def view(briefing: Briefing) -> dict:
    return {
        "articles": [
            {
                "article": article,
                "clean_html": marked_clean_text(article, briefing),
                "raw_html": raw_with_drops(article),
                "link": safe_url(article.url),
                "dropped_chars": sum(d.end - d.start for d in article.dropped),
            }
            for article in briefing.articles
        ]
    }
