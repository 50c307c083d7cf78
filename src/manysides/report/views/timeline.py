"""Timeline section: one row per date, the claim groups (or dated sentences) under it."""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import Markup

from manysides.model import Article, Briefing, Span, TimelineEntry, TimeRef
from manysides.report.markup import mark_spans

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
GRANULARITY_NOTE = {"day": "day", "month": "month", "year": "year", "range": "range",
                    "duration": "duration"}


def date_label(value: str, granularity: str) -> str:
    """'2022-09-10' -> 'Sat 10 Sep 2022'; ranges as 'first – last'; months as 'Sep 2022'."""
    if "/" in value:
        first, _, last = value.partition("/")
        return f"{date_label(first, 'day')} – {date_label(last, 'day')}"
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value).strftime("%a %d %b %Y")
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01").strftime("%b %Y")
    except ValueError:
        pass
    return value


def sentence_span(article: Article, start: int, end: int) -> Span:
    """The sentence holding ``[start, end)``: from the article's sentences when the NLP stage
    set them, else between the nearest sentence breaks."""
    for sentence in article.sentences:
        if sentence.start <= start and end <= sentence.end:
            return Span(article_id=article.id, start=sentence.start, end=sentence.end)
    text = article.clean_text
    left = 0
    for match in _SENTENCE_BREAK.finditer(text, 0, start):
        left = match.end()
    right_match = _SENTENCE_BREAK.search(text, end)
    right = right_match.start() if right_match else len(text)
    return Span(article_id=article.id, start=left, end=right)


def _marked(briefing: Briefing, span: Span, refs: list[TimeRef]) -> Markup:
    text = briefing.text(span)
    marks = [(r.start - span.start, r.end - span.start, "timex",
              f"{r.value} ({r.granularity}, confidence {r.confidence:.2f})")
             for r in refs if r.article_id == span.article_id
             and span.start <= r.start and r.end <= span.end]
    return mark_spans(text, marks)


def _outlet(briefing: Briefing, article_id: str) -> str:
    article = briefing.article(article_id)
    return article.outlet_name


def _row(briefing: Briefing, entry: TimelineEntry) -> dict:
    groups = {g.id: g for g in briefing.claim_groups}
    claims = {c.id: c for c in briefing.claims}
    items = []
    for group_id in entry.claim_group_ids:
        group = groups.get(group_id)
        claim = claims.get(group.representative_claim_id) if group else None
        if group is None or claim is None:
            continue
        items.append({
            "group_id": group.id,
            "status": group.status.value,
            "outlets": group.outlets or sorted({claims[c].outlet for c in group.claim_ids if c in claims}),
            "text": briefing.text(claim.span),
            "html": _marked(briefing, claim.span, entry.time_refs),
        })
    if not entry.claim_group_ids:  # fallback timeline: the dated sentences themselves
        seen: set[tuple[str, int, int]] = set()
        for ref in entry.time_refs:
            span = sentence_span(briefing.article(ref.article_id), ref.start, ref.end)
            if (span.article_id, span.start, span.end) in seen:
                continue
            seen.add((span.article_id, span.start, span.end))
            items.append({"group_id": None, "status": None, "outlets": [_outlet(briefing, ref.article_id)],
                          "text": briefing.text(span), "html": _marked(briefing, span, entry.time_refs)})
    return {
        "value": entry.value,
        "label": date_label(entry.value, entry.granularity),
        "granularity": GRANULARITY_NOTE.get(entry.granularity, entry.granularity),
        "outlets": entry.outlets,
        "disagreement": entry.date_disagreement,
        "expressions": sorted({r.text for r in entry.time_refs}),
        "events": items,
    }


def view(briefing: Briefing) -> dict:
    return {"rows": [_row(briefing, entry) for entry in briefing.timeline],
            "from_claims": bool(briefing.claim_groups)}
