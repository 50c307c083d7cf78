"""Find time expressions in a text and put them on the calendar.

The entry point of the times stage. ``rules.py`` recognises expressions (what
they name), ``resolver.py`` reads them against the article's date and the tense
of their clause (which day they name); this module runs the rules, settles
overlaps, and reads what only the whole text shows:

* "the next day", "the day before": one day from the last date mentioned;
* "a week after March 3": a date when the thing it counts from has one (a stated
  date, or an event whose start the story states: ``find_story_anchors``);
* with no publication date, the date an article speaks from (``inferred_anchor``).

Every expression gets two values:

* ``value`` — what the timeline uses: an ISO day ``2022-09-10``, a month
  ``2022-09``, a year ``2022``, a range ``2022-09-06/2022-09-10``, or an ISO 8601
  duration ``P3D`` (durations are never calendar dates). Unresolvable ones keep
  TimeML's unknown marker (``XXXX-09-06``, ``XXXX-XX-XX``) and ``resolved=False``.
* ``timex3`` — the TimeML TIMEX3 value (``2013-W12``, ``P1W``, ``PRESENT_REF``),
  which is what TempEval-3 scores (bench/tempeval.py).
"""

from __future__ import annotations

import datetime as dt
import re

from manysides.analyse.timeline.resolver import (
    Direction,
    Reading,
    calendar_bounds,
    clause_tense,
    shift,
    tense_cue_pattern,
)
from manysides.analyse.timeline.rules import (
    COMPILED_RULES,
    COMPILED_VAGUE_RULES,
    PRIORITY,
    StoryAnchor,
    TimeExpression,
    day_expression,
    normalise_event,
)
from manysides.lang import en
from manysides.model import Granularity

__all__ = [
    "Direction", "Granularity", "StoryAnchor", "TimeExpression", "calendar_bounds",
    "find_story_anchors", "inferred_anchor", "normalise_event", "normalise_times",
]

TENSE_CUES = tense_cue_pattern(en.MODAL_VERBS, en.IRREGULAR_PAST_TENSES)

_NEXT_DAY = re.compile(r"\b(?:the\s+)?(?P<rel>next|following|previous|preceding)\s+(?P<unit>day|morning|"
                       r"evening|night)\b|\bthe\s+day\s+(?P<dir>before|after)\b", re.I)
# Between a count of time and the date it counts from: "a week | after | March 3".
_OFFSET_CONNECTIVE = re.compile(r"\s+(?P<dir>after|before)\s+(?:the\s+)?", re.I)
# "a day earlier", "two weeks later": counted from the last date the text mentioned.
_OFFSET_FROM_PREVIOUS = re.compile(r"\s+(?:just\s+)?(?P<dir>earlier|later)\b", re.I)
# Calendar counts only: "PT10M" is ten minutes, not months.
_DURATION_VALUE = re.compile(r"P(?P<count>\d+)(?P<code>[DWMY])")
_DURATION_UNITS = {"D": "day", "W": "week", "M": "month", "Y": "year"}


def normalise_times(
    text: str,
    *,
    published: dt.date | None,
    story_anchors: dict[str, StoryAnchor] | None = None,
    direction: Direction = "past",
    include_vague: bool = False,
    published_inferred: bool = False,
) -> list[TimeExpression]:
    """Every time expression in ``text``, normalised against the ``published`` date.

    ``direction`` settles dates that name no year or week ("on Saturday",
    "September 6"): ``past`` takes the most recent one on or before publication
    unless the clause is future or modal ("will", "would", "is due to");
    ``future`` and ``nearest`` do what they say. Without ``published`` only
    absolute dates resolve; relative ones come back with ``resolved=False`` and
    low confidence. ``include_vague`` also returns "now", "the past" and the like
    (TimeML ``PRESENT_REF``/``PAST_REF``), which a timeline cannot place.
    ``published_inferred`` says ``published`` was guessed from the text (the latest
    day it mentions): a weekday or date in a past clause is then the nearest one.
    """
    reading = Reading(text=text, published=published, direction=direction, cues=TENSE_CUES,
                      anchors=story_anchors or {}, approximate=published_inferred)
    candidates: list[TimeExpression] = []
    rules = COMPILED_RULES + (COMPILED_VAGUE_RULES if include_vague else [])
    for name, pattern, handler in rules:
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            expression = handler(match, reading)
            if expression is not None:
                candidates.append(_trim(expression, name, text))
    chosen = _offsets_from_dates(text, _settle_overlaps(candidates))
    return _resolve_relative_to_previous(text, chosen, reading)


def _trim(expression: TimeExpression, rule: str, text: str) -> TimeExpression:
    """Drop range connectives ("between", "from") from the front; keep the rule name."""
    span_text = text[expression.start:expression.end]
    lead = re.match(r"(?:between|from)\s+", span_text, re.I)
    start = expression.start + (lead.end() if lead else 0)
    return TimeExpression(start, expression.end, text[start:expression.end], expression.value,
                          expression.granularity, expression.confidence, expression.timex3,
                          expression.timex3_type, expression.resolved, rule)


def _settle_overlaps(candidates: list[TimeExpression]) -> list[TimeExpression]:
    ordered = sorted(candidates, key=lambda e: (-(e.end - e.start), PRIORITY.get(e.rule, 99), e.start))
    taken: list[TimeExpression] = []
    for expression in ordered:
        if any(expression.start < other.end and other.start < expression.end for other in taken):
            continue
        taken.append(expression)
    return sorted(taken, key=lambda e: e.start)


def _offsets_from_dates(text: str, expressions: list[TimeExpression]) -> list[TimeExpression]:
    """'a week after March 3' is 10 March, not a one-week duration; 'two years later' is two
    years after the last date mentioned ('in 2006 ... two years later': 2008).

    The span and the TIMEX3 value stay those of the count ("a week", ``P1W``, as
    TimeML marks it); the timeline value becomes the date it lands on, as fine as
    the date it counts from allows (a year counted from a year is a year).
    """
    by_start = {e.start: e for e in expressions}
    result: list[TimeExpression] = []
    for expression in expressions:
        counted = _DURATION_VALUE.fullmatch(expression.timex3)
        connective = _OFFSET_CONNECTIVE.match(text, expression.end)
        if connective:
            target = by_start.get(connective.end())
        else:
            connective = _OFFSET_FROM_PREVIOUS.match(text, expression.end)
            earlier = [e for e in result if e.resolved and e.granularity in _COUNTABLE_FROM]
            target = earlier[-1] if connective and earlier else None
        shifted = None
        if (expression.granularity is Granularity.DURATION and counted is not None and target is not None
                and target.resolved):
            sign = 1 if connective.group("dir").lower() in ("after", "later") else -1
            shifted = _shift_value(target, int(counted.group("count")), _DURATION_UNITS[counted.group("code")],
                                   sign)
        if shifted is None:
            result.append(expression)
            continue
        value, granularity = shifted
        result.append(TimeExpression(expression.start, expression.end, expression.text, value, granularity,
                                     round(0.8 * target.confidence, 3), expression.timex3,
                                     expression.timex3_type, rule="offset-from-date"))
    return result


_COUNTABLE_FROM = (Granularity.DAY, Granularity.MONTH, Granularity.YEAR)


def _shift_value(target: TimeExpression, count: int, unit: str, sign: int) -> tuple[str, Granularity] | None:
    """``target``'s date moved by ``count`` units, at the finer of the two granularities it allows."""
    if target.granularity is Granularity.DAY:
        return shift(dt.date.fromisoformat(target.value), count, unit, sign).isoformat(), Granularity.DAY
    if target.granularity is Granularity.MONTH and unit in ("month", "year"):
        months = count * (12 if unit == "year" else 1) * sign
        year, month = int(target.value[:4]), int(target.value[5:7])
        index = year * 12 + month - 1 + months
        return f"{index // 12}-{index % 12 + 1:02d}", Granularity.MONTH
    if target.granularity is Granularity.YEAR and unit == "year" and target.value.isdigit():
        return str(int(target.value) + sign * count), Granularity.YEAR
    return None


def _resolve_relative_to_previous(text: str, expressions: list[TimeExpression],
                                  reading: Reading) -> list[TimeExpression]:
    """'the next day', 'the day before': one day from the last day-level date mentioned before."""
    extra: list[TimeExpression] = []
    for match in _NEXT_DAY.finditer(text):
        if any(match.start() < e.end and e.start < match.end() for e in expressions):
            continue
        previous = [e for e in sorted(expressions + extra, key=lambda e: e.start)
                    if e.end <= match.start() and e.resolved
                    and e.granularity is Granularity.DAY]
        if previous:
            reference, confidence = dt.date.fromisoformat(previous[-1].value), 0.5
        elif reading.published is not None:
            reference, confidence = reading.published, 0.3
        else:
            extra.append(day_expression(match, None, 0.2, "next-day"))
            continue
        backwards = (match.group("rel") or "").lower() in ("previous", "preceding") or \
            (match.group("dir") or "").lower() == "before"
        day = reference + dt.timedelta(days=-1 if backwards else 1)
        extra.append(day_expression(match, day, confidence, "next-day"))
    return sorted(expressions + extra, key=lambda e: e.start)


# --------------------------------------------------------------------------
# The date an article speaks from, when it carries none
# --------------------------------------------------------------------------

_ABSOLUTE_RULES = frozenset({"full-date-dm", "full-date-md", "iso-date"})  # need a year to resolve


def inferred_anchor(text: str) -> dt.date | None:
    """The latest absolute day (with its year) the text reports outside a future clause.

    News reports what has happened, so its latest stated past date is a lower
    bound on the day it was written, and usually that day or the one before.
    """
    days = [dt.date.fromisoformat(e.value) for e in normalise_times(text, published=None)
            if e.resolved and e.granularity is Granularity.DAY and e.rule in _ABSOLUTE_RULES
            and clause_tense(text, e.start, e.end, TENSE_CUES) != "future"]
    return max(days, default=None)


# --------------------------------------------------------------------------
# Story anchors: "the strike began on September 6"
# --------------------------------------------------------------------------

_DETERMINER = r"(?:the|its|their|a|an|his|her|this|[A-Z][\w-]*'s|[A-Z][\w-]*\u2019s)"
_EVENT = r"(?P<event>[a-z][a-z-]{2,})"
_STARTED = (r"(?:began|begun|started|was\s+launched|launched|kicked\s+off|got\s+under\s*way|commenced"
            r"|opened|happened|occurred|took\s+place)")
_ANCHOR_PATTERNS = [
    # "The union's strike at the Leeds depot began on September 6"
    re.compile(rf"\b{_DETERMINER}\s+(?:[\w-]+\s+)?{_EVENT}(?:\s+(?:in|at|of|on|near|by)\s+[^.;\n]{{0,40}}?)?"
               rf"\s+{_STARTED}\s+(?:on\s+|in\s+)?"),
    # "began its special operation on February 24", "launched a strike on Monday"
    re.compile(rf"\b(?:launched|began|started|opened|mounted|called)\s+(?:its|their|the|a|an|his|her)\s+"
               rf"(?:[\w-]+\s+){{0,2}}?{_EVENT}\s+(?:on|in)\s+"),
    # "the building collapsed on March 3": the verb dates its noun ("the collapse")
    re.compile(r"\b(?P<event>[a-z]{3,}ed)\s+(?:on|in)\s+"),
]
# "On September 6 the strike began", "September 6, when the strike started"
_ANCHOR_AFTER_DATE = re.compile(
    rf",?\s*(?:when\s+|as\s+)?{_DETERMINER}\s+(?:[\w-]+\s+)?{_EVENT}\s+{_STARTED}\b")


def find_story_anchors(texts: list[tuple[str, dt.date | None, str | None]]) -> dict[str, StoryAnchor]:
    """Stated event starts across a story: ``[(text, published, article_id), ...]`` → event → anchor.

    When articles disagree on a start, the date stated most often wins (ties: the earliest).
    """
    votes: dict[str, dict[dt.date, list[str | None]]] = {}
    for text, published, article_id in texts:
        expressions = [e for e in normalise_times(text, published=published)
                       if e.resolved and e.granularity is Granularity.DAY]
        for pattern in _ANCHOR_PATTERNS:
            for match in pattern.finditer(text):
                date_expression = next((e for e in expressions if match.end() <= e.start <= match.end() + 3),
                                       None)
                if date_expression is not None:
                    key = normalise_event(match.group("event"))
                    date = dt.date.fromisoformat(date_expression.value)
                    votes.setdefault(key, {}).setdefault(date, []).append(article_id)
        for expression in expressions:
            match = _ANCHOR_AFTER_DATE.match(text, expression.end, expression.end + 80)
            if match:
                key = normalise_event(match.group("event"))
                date = dt.date.fromisoformat(expression.value)
                votes.setdefault(key, {}).setdefault(date, []).append(article_id)
    anchors = {}
    for key, dates in votes.items():
        date, sources = max(dates.items(), key=lambda item: (len(item[1]), -item[0].toordinal()))
        anchors[key] = StoryAnchor(event=key, date=date, article_id=sources[0])
    return anchors
