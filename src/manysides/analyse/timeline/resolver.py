"""Put a recognised time expression on the calendar: the reading news is written in.

The recogniser (``rules.py``) says *what* an expression names ("July", "Tuesday",
"a week after March 3"); this module says *which* July or Tuesday, given the
date the article speaks from (its publication date, given or inferred) and the
tense of the clause around the expression:

* a month or weekday without a year points to the most recent past occurrence,
  unless the clause is future or modal ("will close in March", "would be told on
  Tuesday");
* a day and month without a year ("September 6") is the last one on or before
  publication, and stays in that year when a future reading would push a date
  only days old a year ahead (reported future: "said the vote would be on
  September 6", printed on September 9);
* with no publication date, an article speaks from the latest absolute date it
  reports in a past clause (``inferred_anchor``), marked as inferred by the stage.

Calendar arithmetic (shifting, weeks, month ends) and ``calendar_bounds`` live
here too: they are what a value *means* on the calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["past", "future", "nearest"]
Tense = Literal["past", "future"]

# -- tense of the clause around an expression -------------------------------------

# Markers of a future or modal reading. Modals come from the language module;
# the multi-word ones are how news writes a plan ("is due to", "is set to").
_FUTURE_PHRASES = (r"going\s+to|scheduled\s+(?:to|for)|due\s+(?:to|on|in)|expected\s+(?:to|by|on|in)"
                   r"|set\s+(?:to|for)|plans?\s+to"
                   r"|planning\s+to|intends?\s+to|(?:is|are)\s+to|upcoming|'ll")
# "would have", "may have been": a modal perfect is about the past.
_MODAL_PERFECT = re.compile(r"\s+(?:not\s+)?have\b", re.I)
_PAST_ADVERBS = r"ago|earlier"
# Words ending in "-ed" that are not past tenses.
_ED_NOT_PAST = r"hundred|indeed|need|speed|feed|seed|breed|proceed|exceed|succeed|embed"
# A participle after "be" is passive ("will be closed"), after a determiner an adjective
# ("the planned closure"): neither is a past-tense verb.
_NOT_A_PAST_VERB = re.compile(r"\b(?:be|been|being|is|are|am|the|a|an|its|their|his|her|our)\s+$",
                              re.I)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
# A verb after one of these belongs to another clause ("claims Monday that he is going to stay").
_SUBORDINATE = re.compile(r"\b(?:that|which|who|whom|whose|because|while|although|when)\b|[\"\u201c\u201d]", re.I)
# A full stop after a title or an initial ("Mr. Jackson", "Robert L. Wilkins") ends no sentence.
_ABBREVIATION_BEFORE = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof"
                                  r"|Rev|No|Co|Inc|Corp|Ltd|U\.S|U\.K))$")
# How far a tense cue may sit from the expression it governs (characters).
_CUE_WINDOW = 120


def tense_cue_pattern(modals: frozenset[str], irregular_past: frozenset[str]) -> re.Pattern[str]:
    """Future and modal markers, and past-tense verbs (irregular ones from the table, regular
    ones by their "-ed"), lowercase only: "May" and "Will" are names."""
    modal = "|".join(sorted(modals, key=len, reverse=True))
    past = "|".join(sorted(irregular_past, key=len, reverse=True))
    return re.compile(
        rf"(?P<future>\b(?:{_FUTURE_PHRASES})\b|(?-i:\b(?:{modal})\b))"
        rf"|(?P<past>\b(?:{_PAST_ADVERBS})\b|(?-i:\b(?:{past})\b)"
        rf"|(?-i:\b(?!(?:{_ED_NOT_PAST})\b)[a-z]{{2,}}ed\b))", re.I)


def _sentence_ends(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    for match in _SENTENCE_END.finditer(text, lo, hi):
        if match.group() == "." and _ABBREVIATION_BEFORE.search(text, max(0, match.start() - 4), match.start()):
            continue
        yield match


def clause_tense(text: str, start: int, end: int, cues: re.Pattern[str]) -> Tense | None:
    """The tense of the verb that governs ``text[start:end]`` in its sentence, or None.

    The nearest tense marker before the expression decides ("the plant will close, the
    company said on Tuesday" is past; "criticised him on Tuesday over his plans to
    speak" is past too); only an expression that opens its clause reads the verb
    after it ("On Tuesday, the plant will close").
    """
    sentence_start = max(0, start - _CUE_WINDOW)
    for match in _sentence_ends(text, sentence_start, start):
        sentence_start = match.end()
    sentence_end = min(len(text), end + _CUE_WINDOW)
    following_end = next(_sentence_ends(text, end, sentence_end), None)
    if following_end:
        sentence_end = following_end.start()
    before: Tense | None = None
    after: Tense | None = None
    for match in cues.finditer(text, sentence_start, sentence_end):
        if start <= match.start() < end:
            continue
        if match.group("future"):
            tense: Tense = "past" if _MODAL_PERFECT.match(text, match.end()) else "future"
        elif _NOT_A_PAST_VERB.search(text[max(0, match.start() - 8):match.start()]):
            continue  # a participle: "will be held", "the planned closure"
        else:
            tense = "past"
        if match.end() <= start:
            before = tense  # the last one before the expression is the nearest
        elif after is None and not _SUBORDINATE.search(text, end, match.start()):
            after = tense
    return before or after


@dataclass(slots=True)
class Reading:
    """What a relative expression is read against: the article's date and its tense cues."""

    text: str
    published: dt.date | None
    direction: Direction = "past"
    cues: re.Pattern[str] | None = None
    anchors: dict = field(default_factory=dict)
    # The date is a guess (inferred from the text): a past clause reads the nearest occurrence,
    # because the text may have been written days after the latest date it mentions.
    approximate: bool = False

    def direction_at(self, start: int, end: int | None = None) -> Direction:
        """``past`` unless the clause is future or modal; a caller's fixed direction wins."""
        if self.direction != "past" or self.cues is None:
            return self.direction
        tense = clause_tense(self.text, start, end if end is not None else start, self.cues)
        if tense == "future":
            return "future"
        return "nearest" if self.approximate else "past"


# Reported future ("said the vote would be held on September 6"): a date without a year
# this many days before publication stays in that year even in a future clause.
REPORTED_FUTURE_DAYS = 14


def year_for_month_day(month: int, day: int, reading: Reading, start: int, end: int) -> tuple[int, float]:
    """The year that puts (month, day) on or before publication (after it in a future clause)."""
    pub = reading.published
    assert pub is not None
    direction = reading.direction_at(start, end)
    candidate = safe_date(pub.year, month, min(day, 28) if month == 2 and day == 29 else day)
    if candidate is None:
        return pub.year, 0.5
    if direction == "future":
        recent = candidate >= pub - dt.timedelta(days=REPORTED_FUTURE_DAYS)
        return (pub.year if recent else pub.year + 1), 0.75
    if direction == "nearest":
        options = [candidate.replace(year=pub.year + k) for k in (-1, 0, 1)]
        best = min(options, key=lambda d: abs((d - pub).days))
        return best.year, 0.75
    return (pub.year if candidate <= pub else pub.year - 1), 0.85


def year_for_month(month: int, rel: str, reading: Reading, start: int, end: int) -> int:
    """The year of a month named without one: "last", "next", "this", or the clause's tense."""
    pub = reading.published
    assert pub is not None
    if rel == "last":
        return pub.year if month < pub.month else pub.year - 1
    if rel == "next":
        return pub.year if month > pub.month else pub.year + 1
    if rel == "this":
        return pub.year
    if reading.direction_at(start, end) == "future":
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def weekday_date(weekday: int, rel: str, reading: Reading, start: int, end: int) -> dt.date:
    """The day a weekday names: the most recent one (today included) unless told otherwise."""
    pub = reading.published
    assert pub is not None
    back = (pub.weekday() - weekday) % 7  # days back to the most recent such day, 0 = today
    ahead = (weekday - pub.weekday()) % 7
    if rel in ("last", "this past", "past"):
        return pub - dt.timedelta(days=back or 7)
    if rel in ("next", "this coming", "coming"):
        return pub + dt.timedelta(days=ahead or 7)
    direction = reading.direction_at(start, end)
    if direction == "future":
        return pub + dt.timedelta(days=ahead)
    if direction == "nearest":
        return pub - dt.timedelta(days=back) if back <= ahead else pub + dt.timedelta(days=ahead)
    return pub - dt.timedelta(days=back)


# -- calendar arithmetic -----------------------------------------------------------------

UNIT_FACTOR = {"fortnight": 2, "decade": 10, "century": 100}


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def shift(anchor: dt.date, count: int, unit: str, sign: int) -> dt.date:
    count *= UNIT_FACTOR.get(unit, 1)
    if unit in ("day", "hour", "minute", "second"):
        days = count if unit == "day" else count / {"hour": 24, "minute": 1440, "second": 86400}[unit]
        return anchor + dt.timedelta(days=sign * round(days))
    if unit in ("week", "fortnight"):
        return anchor + dt.timedelta(weeks=sign * count)
    if unit == "month":
        shifted = add_months(anchor, sign * count)
        return shifted.replace(day=min(anchor.day, 28))
    return anchor.replace(year=anchor.year + sign * count, day=min(anchor.day, 28))


def week_range(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_end(year: int, month: int) -> dt.date:
    return add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def calendar_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day a timeline value covers, or None for durations and unknowns."""
    if "/" in value:
        first, _, last = value.partition("/")
        a, b = calendar_bounds(first), calendar_bounds(last)
        return (a[0], b[1]) if a and b else None
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        day = dt.date.fromisoformat(value)
        return day, day
    if re.fullmatch(r"\d{4}-\d\d", value):
        year, month = int(value[:4]), int(value[5:])
        return dt.date(year, month, 1), month_end(year, month)
    if re.fullmatch(r"\d{4}", value):
        return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    return None
