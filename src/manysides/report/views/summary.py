"""Summary view: sentences grouped by section, each citation numbered with its cited text."""

from __future__ import annotations

from manysides.analyse.summary.build import SECTION_ORDER
from manysides.model import Briefing, SummarySection

SECTION_TITLES = {
    SummarySection.CORROBORATED: "Corroborated by independent sources",
    SummarySection.CONTESTED: "Contested",
    SummarySection.SINGLE_SOURCE: "Reported by a single source",
}


def view(briefing: Briefing) -> dict:
    summary = briefing.summary
    articles = {article.id: article for article in briefing.articles}
    footnotes: list[dict] = []
    groups = []
    for section in SECTION_ORDER:
        sentences = []
        for sentence in (s for s in summary.sentences if s.section is section):
            citations = []
            for citation in sentence.citations:
                span = citation.span
                article = articles.get(span.article_id)
                footnote = {
                    "number": len(footnotes) + 1,
                    "outlet": citation.outlet,
                    # Sliced from the clean text, so what is shown is what was verified.
                    "text": article.clean_text[span.start:span.end] if article else "",
                    "article_id": span.article_id,
                    "article_title": article.title if article else None,
                    "start": span.start,
                    "end": span.end,
                }
                footnotes.append(footnote)
                citations.append(footnote)
            sentences.append({"text": sentence.text, "method": sentence.method,
                              "verified": sentence.verified, "citations": citations})
        if sentences:
            groups.append({"section": section.value, "title": SECTION_TITLES[section],
                           "sentences": sentences})
    return {
        "groups": groups,
        "footnotes": footnotes,
        "rejected": summary.rejected_candidates,
        "notes": summary.notes,
        "llm_count": sum(1 for s in summary.sentences if s.method == "llm"),
    }
