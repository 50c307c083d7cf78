"""When each thing happened: time expressions per article, then one story timeline.

Two stages (see ``analyse.STAGES``):

* ``times_stage`` finds and normalises every time expression in each article
  against that article's publication date (``timexpr``: ``rules`` recognise,
  ``resolver`` reads against the date), after reading the whole story for
  stated event starts ("the strike began on September 6") so that "the sixth
  day of the strike" in another article resolves too. An article with no
  publication date speaks from the latest absolute date it reports in the
  past; that date becomes its ``published`` with ``date_source`` *inferred*.
* ``timeline_stage`` dates each claim group by its claims (a claim's own
  ``time``, else the first datable expression inside its span) and puts the
  groups on one timeline, one entry per date, with every outlet that reported
  them and a note where outlets date the same event differently. Without
  claim groups, or when none of them is dated, it falls back to the dated
  sentences themselves: a story with any absolute date never has an empty
  timeline.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from manysides.analyse.timeline.timexpr import (
    Direction,
    Granularity,
    StoryAnchor,
    TimeExpression,
    calendar_bounds,
    find_story_anchors,
    inferred_anchor,
    normalise_times,
)
from manysides.model import Article, Briefing, Claim, ClaimGroup, DateSource, TimelineEntry, TimeRef
from manysides.resources import Resources

__all__ = [
    "normalise_times", "find_story_anchors", "story_anchors", "times_stage", "timeline_stage",
    "build_timeline", "claim_time", "TimeExpression", "StoryAnchor", "Granularity", "with_inferred_dates",
]

# Granularities a timeline can place; durations ("for three days") are not dates.
DATABLE = {Granularity.DAY.value, Granularity.MONTH.value, Granularity.YEAR.value,
           Granularity.RANGE.value}
# Below this an expression is a guess (no publication date, an unknown anchor).
MIN_CONFIDENCE = 0.3


def _published(article: Article, resources: Resources | None) -> dt.date | None:
    if article.published is not None:
        return article.published
    default = resources.settings.default_date if resources else None
    return default if isinstance(default, dt.date) else None


def story_anchors(articles: Sequence[Article], *, resources: Resources | None = None
                  ) -> dict[str, StoryAnchor]:
    """Stated starts of named events across every article of the story."""
    return find_story_anchors([(a.clean_text or a.raw_text, _published(a, resources), a.id)
                               for a in articles])


def with_inferred_dates(articles: Sequence[Article], *, resources: Resources | None = None
                        ) -> list[Article]:
    """Articles without a publication date get one, marked *inferred*: the latest absolute
    past date their own text reports, else the story's (the latest publication date given
    or inferred for its other articles: coverage of one event is written within days)."""
    own = {a.id: inferred_anchor(a.clean_text or a.raw_text) for a in articles
           if _published(a, resources) is None}
    known = [_published(a, resources) or own.get(a.id) for a in articles]
    story_date = max((d for d in known if d is not None), default=None)
    dated = []
    for article in articles:
        if _published(article, resources) is None:
            anchor = own.get(article.id) or story_date
            if anchor is not None:
                article = article.model_copy(update={"published": anchor,
                                                     "date_source": DateSource.INFERRED})
        dated.append(article)
    return dated


def times_stage(briefing: Briefing, resources: Resources) -> Briefing:
    direction: Direction = resources.settings.date_direction
    articles = with_inferred_dates(briefing.articles, resources=resources)
    anchors = story_anchors(articles, resources=resources)
    time_refs: list[TimeRef] = []
    for article in articles:
        # An inferred date is approximate (the latest day the text mentions, or a sibling's date):
        # "on Tuesday" is then the nearest Tuesday, not necessarily the one before it.
        expressions = normalise_times(article.clean_text, published=_published(article, resources),
                                      story_anchors=anchors, direction=direction,
                                      published_inferred=article.date_source == DateSource.INFERRED)
        time_refs.extend(e.to_time_ref(article.id) for e in expressions)
    return briefing.model_copy(update={"articles": articles, "time_refs": time_refs})


def is_datable(time_ref: TimeRef) -> bool:
    return (time_ref.granularity in DATABLE and time_ref.confidence >= MIN_CONFIDENCE
            and calendar_bounds(time_ref.value) is not None)


def claim_time(claim: Claim, refs_by_article: dict[str, list[TimeRef]]) -> TimeRef | None:
    """A claim's date: its own ``time`` if the claims stage set one, else the first datable
    expression inside its span."""
    if claim.time is not None and is_datable(claim.time):
        return claim.time
    for time_ref in refs_by_article.get(claim.span.article_id, []):
        if claim.span.start <= time_ref.start and time_ref.end <= claim.span.end and is_datable(time_ref):
            return time_ref
    return None


def _sort_key(value: str) -> tuple[dt.date, dt.date]:
    bounds = calendar_bounds(value)
    assert bounds is not None
    return bounds


def _compatible(finer: str, coarser: str) -> bool:
    """'2022-09-10' and '2022-09' do not disagree: one lies inside the other."""
    a, b = calendar_bounds(finer), calendar_bounds(coarser)
    if a is None or b is None:
        return False
    return (b[0] <= a[0] and a[1] <= b[1]) or (a[0] <= b[0] and b[1] <= a[1])


def _group_date(dated: list[tuple[Claim, TimeRef]], representative_id: str
                ) -> tuple[TimeRef, str | None]:
    """The date most outlets give (ties: the representative claim's, then the finest), and a
    note naming each outlet's date when they are not all compatible."""
    outlets_by_value: dict[str, set[str]] = defaultdict(set)
    for claim, time_ref in dated:
        outlets_by_value[time_ref.value].add(claim.outlet)
    representative_value = next((t.value for c, t in dated if c.id == representative_id), None)

    def rank(value: str) -> tuple[int, int, int]:
        bounds = _sort_key(value)
        return (len(outlets_by_value[value]), value == representative_value,
                -(bounds[1] - bounds[0]).days)

    chosen_value = max(outlets_by_value, key=rank)
    chosen = next(t for _, t in dated if t.value == chosen_value)
    disagreeing = [v for v in outlets_by_value if not _compatible(v, chosen_value)]
    if not disagreeing:
        return chosen, None
    note = "; ".join(f"{', '.join(sorted(outlets_by_value[v]))}: {v}"
                     for v in sorted(outlets_by_value, key=_sort_key))
    return chosen, note


def build_timeline(
    claims: Iterable[Claim],
    claim_groups: Iterable[ClaimGroup],
    time_refs: Iterable[TimeRef],
) -> list[TimelineEntry]:
    """One entry per date; each dated claim group appears once, under its majority date."""
    refs_by_article: dict[str, list[TimeRef]] = defaultdict(list)
    for time_ref in sorted(time_refs, key=lambda t: (t.article_id, t.start)):
        refs_by_article[time_ref.article_id].append(time_ref)
    claims_by_id = {claim.id: claim for claim in claims}

    entries: dict[str, dict] = {}
    for group in claim_groups:
        dated = [(claims_by_id[cid], t) for cid in group.claim_ids if cid in claims_by_id
                 for t in [claim_time(claims_by_id[cid], refs_by_article)] if t is not None]
        if not dated:
            continue
        chosen, disagreement = _group_date(dated, group.representative_claim_id)
        entry = entries.setdefault(chosen.value, {"granularity": chosen.granularity, "groups": [],
                                                  "outlets": set(), "refs": [], "notes": []})
        entry["groups"].append(group.id)
        entry["outlets"].update(group.outlets or (c.outlet for c, _ in dated))
        entry["refs"].extend(t for _, t in dated if t not in entry["refs"])
        if disagreement:
            entry["notes"].append(disagreement)
    return _entries(entries)


def _entries(entries: dict[str, dict]) -> list[TimelineEntry]:
    return [
        TimelineEntry(value=value, granularity=entry["granularity"], claim_group_ids=entry["groups"],
                      outlets=sorted(entry["outlets"]), time_refs=entry["refs"],
                      date_disagreement=" | ".join(entry["notes"]) or None)
        for value, entry in sorted(entries.items(), key=lambda item: _sort_key(item[0]))
    ]


def sentence_timeline(articles: Sequence[Article], time_refs: Iterable[TimeRef]) -> list[TimelineEntry]:
    """Without claim groups: one entry per date, from the dated sentences themselves."""
    outlet_of = {article.id: article.outlet_name for article in articles}
    entries: dict[str, dict] = {}
    for time_ref in sorted(time_refs, key=lambda t: (t.article_id, t.start)):
        if not is_datable(time_ref) or time_ref.article_id not in outlet_of:
            continue
        entry = entries.setdefault(time_ref.value, {"granularity": time_ref.granularity, "groups": [],
                                                    "outlets": set(), "refs": [], "notes": []})
        entry["outlets"].add(outlet_of[time_ref.article_id])
        entry["refs"].append(time_ref)
    return _entries(entries)


def timeline_stage(briefing: Briefing, resources: Resources) -> Briefing:
    timeline = build_timeline(briefing.claims, briefing.claim_groups, briefing.time_refs)
    if not timeline:
        timeline = sentence_timeline(briefing.articles, briefing.time_refs)
    return briefing.model_copy(update={"timeline": timeline})
