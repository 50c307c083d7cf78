"""Find time expressions in text and normalise them against a publication date.

A rule-based recogniser (regular expressions over words, HeidelTime-style)
rather than ``dateparser.search_dates``: dateparser reads "within three days"
as a date and knows nothing of "the sixth day of the offensive"
(../shared/DEPENDENCIES.md), and a timeline needs to know *what kind* of time
an expression is (a day, a month, a range, a duration) as much as its value.

Every expression gets two values:

* ``value`` — what the timeline uses: an ISO day ``2022-09-10``, a month
  ``2022-09``, a year ``2022``, a range ``2022-09-06/2022-09-10``, or an ISO 8601
  duration ``P3D`` (durations are never calendar dates). Unresolvable ones keep
  TimeML's unknown marker (``XXXX-09-06``, ``XXXX-XX-XX``) and ``resolved=False``.
* ``timex3`` — the TimeML TIMEX3 value (``2013-W12``, ``P1W``, ``PRESENT_REF``),
  which is what TempEval-3 scores (bench/tempeval.py).

Spans follow TimeML: prepositions ("on", "within", "over") are left out of the
span but read for their meaning ("within three days" is a duration).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from manysides.model import TimeRef

Direction = Literal["past", "future", "nearest"]


class Granularity(str, Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    DURATION = "duration"


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression found in a text, with offsets into that text."""

    start: int
    end: int
    text: str
    value: str
    granularity: Granularity
    confidence: float
    timex3: str
    timex3_type: str = "DATE"  # DATE | DURATION | TIME | SET
    resolved: bool = True
    rule: str = ""

    def to_time_ref(self, article_id: str) -> TimeRef:
        return TimeRef(article_id=article_id, start=self.start, end=self.end, text=self.text,
                       value=self.value, granularity=self.granularity.value,
                       confidence=round(self.confidence, 3))


@dataclass(frozen=True, slots=True)
class StoryAnchor:
    """The stated start of a named event ("the counteroffensive began on September 6")."""

    event: str
    date: dt.date
    article_id: str | None = None


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a couple of": 2, "couple of": 2, "a dozen": 12, "dozen": 12,
}
VAGUE_NUMBERS = ("several", "a few", "few", "many", "some")
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "twentieth": 20, "thirtieth": 30, "hundredth": 100,
}
UNIT_CODES = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W",
              "fortnight": "W", "month": "M", "year": "Y", "decade": "Y", "century": "Y"}
UNIT_FACTOR = {"fortnight": 2, "decade": 10, "century": 100}
PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
SEASONS = {"spring": ("SP", 3, 5), "summer": ("SU", 6, 8), "autumn": ("FA", 9, 11),
           "fall": ("FA", 9, 11), "winter": ("WI", 12, 2)}
# Nouns naming an event whose stated start can anchor "the sixth day of the offensive".
EVENT_NOUNS = (r"counter-?offensive|offensive|operation|invasion|war|campaign|assault|attack"
               r"|siege|battle|fighting|mobili[sz]ation|ceasefire|truce|protests?|strike")

# Capitalised month and weekday names only: "may", "march", "sat" are ordinary words.
_MONTH = (r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![a-z]))")
_WEEKDAY = r"(?-i:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![a-z]))"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)(?!\d|,\d)"
_NUMWORD = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_NUM = (r"(?:\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]"
        r"(?:one|two|three|four|five|six|seven|eight|nine)"
        rf"|{_NUMWORD}|{'|'.join(VAGUE_NUMBERS)})")
# "almost seven years", "a mere 24 hours": TimeML keeps the modifier inside the span
_APPROX = (r"(?:(?:almost|nearly|about|around|roughly|some|over|more\s+than|less\s+than|at\s+least"
           r"|up\s+to|a\s+mere|just|only)\s+)?")
_UNIT = r"(?:second|minute|hour|day|week|fortnight|month|year|decade|century|centurie)s?"
_ORDINAL = "|".join(ORDINALS) + r"|\d+(?:st|nd|rd|th)"
_MOD = r"(?:early|mid|late|the\s+(?:end|beginning|start|middle)\s+of(?:\s+the)?)"
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|'ll|going to|plans? to|planned|scheduled|due to|expected to|is to|are to"
    r"|next|upcoming|coming|until|by)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


def _number(word: str) -> int | None:
    word = word.lower().replace("-", " ").strip()
    if word in VAGUE_NUMBERS:
        return None
    try:
        return int(float(word))
    except ValueError:
        pass
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    parts = word.split()
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def _ordinal(word: str) -> int | None:
    word = word.lower()
    if word in ORDINALS:
        return ORDINALS[word]
    digits = re.match(r"\d+", word)
    return int(digits.group()) if digits else None


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _unit(word: str) -> str:
    word = word.lower()
    if word.startswith("centur"):
        return "century"
    return word.rstrip("s")


def _duration_code(count: int | None, unit: str) -> str:
    amount = "X" if count is None else str(count * UNIT_FACTOR.get(unit, 1))
    code = UNIT_CODES[unit]
    return f"PT{amount}{code}" if unit in ("second", "minute", "hour") else f"P{amount}{code}"


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def _shift(anchor: dt.date, count: int, unit: str, sign: int) -> dt.date:
    count *= UNIT_FACTOR.get(unit, 1)
    if unit in ("day", "hour", "minute", "second"):
        days = count if unit == "day" else count / {"hour": 24, "minute": 1440, "second": 86400}[unit]
        return anchor + dt.timedelta(days=sign * round(days))
    if unit in ("week", "fortnight"):
        return anchor + dt.timedelta(weeks=sign * count)
    if unit == "month":
        shifted = _add_months(anchor, sign * count)
        return shifted.replace(day=min(anchor.day, 28))
    return anchor.replace(year=anchor.year + sign * count, day=min(anchor.day, 28))


def _week_range(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _month_end(year: int, month: int) -> dt.date:
    return _add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --------------------------------------------------------------------------
# The recogniser
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    text: str
    published: dt.date | None
    anchors: dict[str, StoryAnchor]
    direction: Direction

    def direction_at(self, start: int) -> Direction:
        """Tense of the clause before ``start``: a future cue flips an ambiguous date forward."""
        if self.direction != "past":
            return self.direction
        sentence_start = 0
        for match in _SENTENCE_END.finditer(self.text, max(0, start - 200), start):
            sentence_start = match.end()
        clause = self.text[max(sentence_start, start - 80):start]
        return "future" if _FUTURE_CUE.search(clause) else "past"


def _year_for_month_day(month: int, day: int, ctx: _Context, start: int) -> tuple[int, float]:
    """The year that puts (month, day) on/before publication (after it in a future clause)."""
    pub = ctx.published
    assert pub is not None
    direction = ctx.direction_at(start)
    candidate = _safe_date(pub.year, month, min(day, 28) if month == 2 and day == 29 else day)
    if candidate is None:
        return pub.year, 0.5
    if direction == "future":
        return (pub.year if candidate >= pub else pub.year + 1), 0.75
    if direction == "nearest":
        options = [candidate.replace(year=pub.year + k) for k in (-1, 0, 1)]
        best = min(options, key=lambda d: abs((d - pub).days))
        return best.year, 0.75
    return (pub.year if candidate <= pub else pub.year - 1), 0.85


def _day_expression(match: re.Match, day: dt.date | None, confidence: float, rule: str, *,
                    part: str | None = None, unknown: str = "XXXX-XX-XX") -> TimeExpression:
    if day is None:
        return TimeExpression(match.start(), match.end(), match.group(), unknown, Granularity.DAY,
                              0.2, unknown, resolved=False, rule=rule)
    timex = day.isoformat() + (f"T{PART_OF_DAY[part]}" if part else "")
    return TimeExpression(match.start(), match.end(), match.group(), day.isoformat(),
                          Granularity.DAY, confidence, timex, "TIME" if part else "DATE", rule=rule)


def _range_expression(match: re.Match, first: dt.date, last: dt.date, confidence: float,
                      rule: str, timex3: str | None = None,
                      timex3_type: str = "DATE") -> TimeExpression:
    value = f"{first.isoformat()}/{last.isoformat()}"
    return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.RANGE,
                          confidence, timex3 or value, timex3_type, rule=rule)


# Each rule: (name, pattern, handler). Patterns are matched case-insensitively
# except month and weekday names; overlapping matches are settled by length.
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|by|of|since|until|from|during|before|after|the|early|late|mid)"
                                 r"[\s-]+$", re.I)


def _preposition_before(match: re.Match) -> bool:
    return bool(_PREPOSITION_BEFORE.search(match.string[max(0, match.start() - 12):match.start()]))


def _rule_full_date(match: re.Match, ctx: _Context) -> TimeExpression | None:
    groups = match.groupdict()
    month = _month(groups["month"])
    day = int(re.match(r"\d+", groups["day"]).group())
    if groups.get("year"):
        date = _safe_date(int(groups["year"]), month, day)
        return _day_expression(match, date, 0.95, "full-date") if date else None
    if ctx.published is None:
        return _day_expression(match, None, 0.2, "date-no-year", unknown=f"XXXX-{month:02d}-{day:02d}")
    year, confidence = _year_for_month_day(month, day, ctx, match.start())
    return _day_expression(match, _safe_date(year, month, day), confidence, "date-no-year")


def _rule_iso_date(match: re.Match, ctx: _Context) -> TimeExpression | None:
    year, month, day = (int(x) for x in match.group().split("-"))
    date = _safe_date(year, month, day)
    return _day_expression(match, date, 0.95, "iso-date") if date else None


def _rule_day_range(match: re.Match, ctx: _Context) -> TimeExpression | None:
    groups = match.groupdict()
    first_day = int(re.match(r"\d+", groups["d1"]).group())
    last_day = int(re.match(r"\d+", groups["d2"]).group())
    last_month = _month(groups.get("month") or groups["month1"])
    first_month = _month(groups["month1"]) if groups.get("month1") else last_month
    if groups.get("year"):
        year, confidence = int(groups["year"]), 0.9
    elif ctx.published is not None:
        year, confidence = _year_for_month_day(first_month, first_day, ctx, match.start())
    else:
        value = f"XXXX-{first_month:02d}-{first_day:02d}/XXXX-{last_month:02d}-{last_day:02d}"
        return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.RANGE,
                              0.2, value, resolved=False, rule="day-range")
    first = _safe_date(year, first_month, first_day)
    last = _safe_date(year + (1 if last_month < first_month else 0), last_month, last_day)
    if first is None or last is None or last < first:
        return None
    return _range_expression(match, first, last, confidence, "day-range")


def _rule_month_year(match: re.Match, ctx: _Context) -> TimeExpression | None:
    month, year = _month(match.group("month")), int(match.group("year"))
    value = f"{year}-{month:02d}"
    return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.MONTH,
                          0.95, value, rule="month-year")


def _rule_month(match: re.Match, ctx: _Context) -> TimeExpression | None:
    word = match.group("month")
    if word.rstrip(".").lower() in ("mar", "jan", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                                    "feb", "apr", "sept") and not word.endswith("."):
        return None  # a bare abbreviation without its full stop is rarely a month
    if word.lower() == "may" and not match.group("rel") and not match.group("mod") \
            and not _preposition_before(match):
        return None  # "May" alone starts sentences as a modal verb
    month = _month(word)
    rel = (match.group("rel") or "").lower()
    if ctx.published is None:
        value = f"XXXX-{month:02d}"
        return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.MONTH,
                              0.2, value, resolved=False, rule="month")
    pub = ctx.published
    if rel == "last":
        year = pub.year if month < pub.month else pub.year - 1
    elif rel == "next":
        year = pub.year if month > pub.month else pub.year + 1
    elif rel == "this":
        year = pub.year
    elif ctx.direction_at(match.start()) == "future":
        year = pub.year if month >= pub.month else pub.year + 1
    else:
        year = pub.year if month <= pub.month else pub.year - 1
    value = f"{year}-{month:02d}"
    return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.MONTH,
                          0.8, value, rule="month")


def _rule_weekday(match: re.Match, ctx: _Context) -> TimeExpression | None:
    weekday = WEEKDAYS[match.group("weekday").lower()]
    rel = " ".join((match.group("rel") or "").lower().split())
    part = (match.group("part") or "").lower() or None
    if ctx.published is None:
        unknown = f"XXXX-WXX-{weekday + 1}"
        return TimeExpression(match.start(), match.end(), match.group(), unknown, Granularity.DAY,
                              0.2, unknown, resolved=False, rule="weekday")
    pub = ctx.published
    back = (pub.weekday() - weekday) % 7  # days back to the most recent such day, 0 = today
    ahead = (weekday - pub.weekday()) % 7
    if rel in ("last", "this past", "past"):
        date = pub - dt.timedelta(days=back or 7)
    elif rel in ("next", "this coming", "coming"):
        date = pub + dt.timedelta(days=ahead or 7)
    else:
        direction = ctx.direction_at(match.start())
        if direction == "future":
            date = pub + dt.timedelta(days=ahead)
        elif direction == "nearest":
            date = pub - dt.timedelta(days=back) if back <= ahead else pub + dt.timedelta(days=ahead)
        else:
            date = pub - dt.timedelta(days=back)
    return _day_expression(match, date, 0.8, "weekday", part=part)


def _rule_relative_day(match: re.Match, ctx: _Context) -> TimeExpression | None:
    phrase = " ".join(match.group().lower().split())
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "last night": -1,
               "this morning": 0, "this afternoon": 0, "this evening": 0,
               "the day before yesterday": -2, "the day after tomorrow": 2}
    head = next((key for key in sorted(offsets, key=len, reverse=True) if phrase.startswith(key)), None)
    if head is None:
        return None
    part = next((p for p in PART_OF_DAY if phrase.endswith(p)), None)
    if phrase == "tonight":
        part = "night"
    if ctx.published is None:
        return _day_expression(match, None, 0.2, "relative-day")
    return _day_expression(match, ctx.published + dt.timedelta(days=offsets[head]), 0.9,
                           "relative-day", part=part)


def _rule_week(match: re.Match, ctx: _Context) -> TimeExpression | None:
    phrase = " ".join(match.group().lower().split())
    if ctx.published is None:
        return TimeExpression(match.start(), match.end(), match.group(), "XXXX-WXX", Granularity.RANGE,
                              0.2, "XXXX-WXX", resolved=False, rule="week")
    pub = ctx.published
    weekend = "weekend" in phrase
    if re.search(r"\b(last|previous)\b", phrase) or phrase.startswith("the past"):
        reference = pub - dt.timedelta(days=7)
    elif re.search(r"\b(next|coming)\b", phrase):
        reference = pub + dt.timedelta(days=7)
    else:
        reference = pub
    monday, sunday = _week_range(reference)
    if weekend:
        first, last = sunday - dt.timedelta(days=1), sunday
        if reference == pub and "this" not in phrase and pub < first:
            first, last = first - dt.timedelta(days=7), last - dt.timedelta(days=7)
        timex = f"{_iso_week(first)}-WE"
    else:
        first, last = monday, sunday
        timex = _iso_week(reference)
    if phrase.startswith("earlier"):
        last = max(first, pub - dt.timedelta(days=1))
    elif phrase.startswith("later"):
        first = min(last, pub + dt.timedelta(days=1))
    return _range_expression(match, first, last, 0.75, "week", timex)


def _rule_relative_month_year(match: re.Match, ctx: _Context) -> TimeExpression | None:
    phrase = " ".join(match.group().lower().split())
    unit = "month" if "month" in phrase else "year"
    step = -1 if re.search(r"\b(last|previous|past)\b", phrase) else 1 if "next" in phrase else 0
    if ctx.published is None:
        unknown = "XXXX-XX" if unit == "month" else "XXXX"
        return TimeExpression(match.start(), match.end(), match.group(), unknown,
                              Granularity(unit), 0.2, unknown, resolved=False, rule="relative-unit")
    pub = ctx.published
    if unit == "month":
        first = _add_months(pub.replace(day=1), step)
        value = f"{first.year}-{first.month:02d}"
    else:
        value = str(pub.year + step)
    return TimeExpression(match.start(), match.end(), match.group(), value, Granularity(unit), 0.85,
                          value, rule="relative-unit")


def _rule_ago(match: re.Match, ctx: _Context) -> TimeExpression | None:
    count, unit = _number(match.group("num")), _unit(match.group("unit"))
    if count is None or ctx.published is None:
        return TimeExpression(match.start(), match.end(), match.group(), "PAST_REF", Granularity.DAY,
                              0.2, "PAST_REF", resolved=False, rule="ago")
    day = _shift(ctx.published, count, unit, -1)
    if unit in ("day", "hour", "minute", "second"):
        return _day_expression(match, day, 0.8, "ago")
    if unit in ("week", "fortnight"):
        monday, sunday = _week_range(day)
        return _range_expression(match, monday, sunday, 0.6, "ago", _iso_week(day))
    if unit == "month":
        value = f"{day.year}-{day.month:02d}"
        return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.MONTH,
                              0.7, value, rule="ago")
    return TimeExpression(match.start(), match.end(), match.group(), str(day.year), Granularity.YEAR,
                          0.7, str(day.year), rule="ago")


def _rule_past_span(match: re.Match, ctx: _Context) -> TimeExpression | None:
    """'the past 72 hours', 'the last two weeks', 'the next few days': a range ending (starting) now."""
    count = _number(match.group("num")) if match.group("num") else 1
    unit = _unit(match.group("unit"))
    if not match.group("num") and unit == "day":
        return None  # "the next day" is a day, settled against the last date mentioned
    timex = _duration_code(count, unit)
    forward = match.group("rel").lower() in ("next", "coming", "following")
    if count is None or ctx.published is None:
        return TimeExpression(match.start(), match.end(), match.group(), timex, Granularity.DURATION,
                              0.5, timex, "DURATION", rule="past-span")
    pub = ctx.published
    if forward:
        first, last = pub, _shift(pub, count, unit, 1)
    else:
        first, last = _shift(pub, count, unit, -1), pub
    return _range_expression(match, first, last, 0.8, "past-span", timex, "DURATION")


def _rule_duration(match: re.Match, ctx: _Context) -> TimeExpression | None:
    count, unit = _number(match.group("num")), _unit(match.group("unit"))
    timex = _duration_code(count, unit)
    return TimeExpression(match.start(), match.end(), match.group(), timex, Granularity.DURATION,
                          0.9 if count is not None else 0.6, timex, "DURATION", rule="duration")


def _rule_bare_units(match: re.Match, ctx: _Context) -> TimeExpression | None:
    unit = _unit(match.group("unit"))
    timex = _duration_code(None, unit)
    return TimeExpression(match.start(), match.end(), match.group(), timex, Granularity.DURATION,
                          0.5, timex, "DURATION", rule="bare-units")


def _rule_year(match: re.Match, ctx: _Context) -> TimeExpression | None:
    year = match.group("year")
    confidence = 0.9 if match.group("mod") or _preposition_before(match) else 0.7
    return TimeExpression(match.start(), match.end(), match.group(), year, Granularity.YEAR,
                          confidence, year, rule="year")


def _rule_decade(match: re.Match, ctx: _Context) -> TimeExpression | None:
    decade = int(match.group("decade"))
    first, last = dt.date(decade, 1, 1), dt.date(decade + 9, 12, 31)
    return _range_expression(match, first, last, 0.8, "decade", str(decade)[:3])


def _rule_century(match: re.Match, ctx: _Context) -> TimeExpression | None:
    century = _ordinal(match.group("ord"))
    if century is None or not 1 <= century <= 22:
        return None
    first, last = dt.date(max(1, (century - 1) * 100), 1, 1), dt.date(century * 100 - 1, 12, 31)
    return _range_expression(match, first, last, 0.7, "century", f"{century - 1:02d}")


def _rule_season(match: re.Match, ctx: _Context) -> TimeExpression | None:
    code, first_month, last_month = SEASONS[match.group("season").lower()]
    rel = (match.group("rel") or "").lower()
    if match.group("year"):
        year = int(match.group("year"))
    elif ctx.published is None:
        return TimeExpression(match.start(), match.end(), match.group(), f"XXXX-{code}",
                              Granularity.RANGE, 0.2, f"XXXX-{code}", resolved=False, rule="season")
    else:
        pub = ctx.published
        year = pub.year - 1 if rel == "last" else pub.year + 1 if rel == "next" else pub.year
    end_year = year + 1 if last_month < first_month else year
    first, last = dt.date(year, first_month, 1), _month_end(end_year, last_month)
    return _range_expression(match, first, last, 0.6, "season", f"{year}-{code}")


def _lookup_anchor(event: str, anchors: dict[str, StoryAnchor]) -> tuple[StoryAnchor | None, float]:
    key = normalise_event(event)
    if key in anchors:
        return anchors[key], 1.0
    # "the offensive" in one article and "the counteroffensive" in another name one event
    # when the story states only one of the two starts.
    related = [a for k, a in anchors.items() if k.endswith(key) or key.endswith(k)]
    if len(related) == 1:
        return related[0], 0.8
    return None, 0.0


def _rule_nth_day_of(match: re.Match, ctx: _Context) -> TimeExpression | None:
    nth = _ordinal(match.group("ord")) if match.group("ord") else _number(match.group("num") or "")
    unit = _unit(match.group("unit") or match.group("unit2"))
    anchor, fit = _lookup_anchor(match.group("event"), ctx.anchors)
    if nth is None or anchor is None:
        return TimeExpression(match.start(), match.end(), match.group(), "XXXX-XX-XX", Granularity.DAY,
                              0.2, "XXXX-XX-XX", resolved=False, rule="nth-day-of")
    if unit == "day":
        return _day_expression(match, anchor.date + dt.timedelta(days=nth - 1), 0.75 * fit,
                               "nth-day-of")
    first = anchor.date + dt.timedelta(weeks=nth - 1)
    return _range_expression(match, first, first + dt.timedelta(days=6), 0.6 * fit, "nth-week-of")


def _rule_offset_from_event(match: re.Match, ctx: _Context) -> TimeExpression | None:
    """'a week after the offensive began', 'two days before the counteroffensive'."""
    count, unit = _number(match.group("num")), _unit(match.group("unit"))
    sign = 1 if match.group("dir").lower() == "after" else -1
    anchor, fit = _lookup_anchor(match.group("event"), ctx.anchors)
    if count is None or anchor is None or unit not in ("day", "week", "month", "year"):
        return TimeExpression(match.start(), match.end(), match.group(), "XXXX-XX-XX", Granularity.DAY,
                              0.2, "XXXX-XX-XX", resolved=False, rule="offset-from-event")
    return _day_expression(match, _shift(anchor.date, count, unit, sign), 0.7 * fit,
                           "offset-from-event")


def _rule_vague(match: re.Match, ctx: _Context) -> TimeExpression | None:
    phrase = match.group().lower()
    code = "PAST_REF" if phrase in ("the past", "at the time", "recently", "formerly", "once") \
        else "FUTURE_REF" if phrase in ("the future", "soon") else "PRESENT_REF"
    return TimeExpression(match.start(), match.end(), match.group(), code, Granularity.DAY, 0.1,
                          code, resolved=False, rule="vague")


def _rule_set(match: re.Match, ctx: _Context) -> TimeExpression | None:
    phrase = match.group().lower()
    codes = {"day": "P1D", "daily": "P1D", "week": "P1W", "weekly": "P1W", "month": "P1M",
             "monthly": "P1M", "year": "P1Y", "annually": "XXXX", "yearly": "P1Y", "morning": "XXXX-XX-XXTMO",
             "evening": "XXXX-XX-XXTEV", "night": "XXXX-XX-XXTNI", "nightly": "XXXX-XX-XXTNI",
             "season": "XXXX-WI"}
    code = next((v for k, v in codes.items() if phrase.endswith(k)), "XXXX")
    return TimeExpression(match.start(), match.end(), match.group(), code, Granularity.DURATION, 0.3,
                          code, "SET", resolved=False, rule="set")


def _rule_clock(match: re.Match, ctx: _Context) -> TimeExpression | None:
    """'15:00 GMT Saturday', '8 PM': a time of day, dated by its weekday or left undated."""
    hour = int(match.group("hour"))
    minute = match.group("minute")
    if (match.group("ampm") or "").lower().startswith("p") and hour < 12:
        hour += 12
    clock = f"{hour:02d}" + (f":{minute}" if minute else "")
    if match.group("weekday") and ctx.published is not None:
        weekday = _rule_weekday(re.match(r"(?P<rel>)(?P<weekday>.+)(?P<part>)", match.group("weekday")), ctx)
        day = dt.date.fromisoformat(weekday.value)
        return TimeExpression(match.start(), match.end(), match.group(), day.isoformat(), Granularity.DAY,
                              0.7, f"{day.isoformat()}T{clock}", "TIME", rule="clock")
    day_text = ctx.published.isoformat() if ctx.published else "XXXX-XX-XX"
    return TimeExpression(match.start(), match.end(), match.group(), "XXXX-XX-XX", Granularity.DAY, 0.3,
                          f"{day_text}T{clock}", "TIME", resolved=False, rule="clock")


_DATE_DM = rf"(?P<day>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH})(?:,?\s+(?P<year>{_YEAR}))?"
_DATE_MD = rf"(?P<month>{_MONTH})\s+(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?(?!\s*[-–]\s*\d)"
_WEEKDAY_PREFIX = rf"(?:{_WEEKDAY},?\s+(?:the\s+)?)?"

RULES: list[tuple[str, str, object]] = [
    ("iso-date", r"(?<![\d-])\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d-])", _rule_iso_date),
    ("full-date-dm", _WEEKDAY_PREFIX + _DATE_DM, _rule_full_date),
    ("full-date-md", _WEEKDAY_PREFIX + _DATE_MD, _rule_full_date),
    ("day-range-dm",
     rf"(?:(?:between|from)\s+)?(?P<d1>{_DAY})(?:\s+(?P<month1>{_MONTH}))?\s*(?:and|to|until|through|[-–])\s*"
     rf"(?P<d2>{_DAY})\s+(?P<month>{_MONTH})(?:,?\s+(?P<year>{_YEAR}))?", _rule_day_range),
    ("day-range-md",
     rf"(?:(?:between|from)\s+)?(?P<month1>{_MONTH})\s+(?P<d1>{_DAY})\s*(?:and|to|until|through|[-–])\s*"
     rf"(?:(?P<month>{_MONTH})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?", _rule_day_range),
    ("month-year", rf"(?:{_MOD}\s*-?\s*)?(?P<month>{_MONTH})(?:\s+of)?,?\s+(?P<year>{_YEAR})", _rule_month_year),
    ("month", rf"(?<!\w)(?:(?P<mod>{_MOD})\s*-?\s*)?(?:(?P<rel>last|this|next|past)\s+)?(?P<month>{_MONTH})"
              rf"(?!\s+\d)", _rule_month),
    ("weekday", rf"(?:(?:early|late)\s+)?(?:(?P<rel>last|next|this\s+past|this\s+coming|coming|past|this)\s+)?"
                rf"(?P<weekday>{_WEEKDAY})(?:\s+(?P<part>morning|afternoon|evening|night))?", _rule_weekday),
    ("relative-day", r"\b(?:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|today|tonight|"
                     r"(?:yesterday|tomorrow)(?:\s+(?:morning|afternoon|evening|night))?|last\s+night|"
                     r"this\s+(?:morning|afternoon|evening))\b", _rule_relative_day),
    ("week", r"\b(?:(?:earlier|later)\s+this\s+week|(?:the\s+)?(?:last|past|previous|this|next|coming|"
             r"current)\s+(?:week|weekend)|the\s+weekend)\b(?!s)", _rule_week),
    ("relative-unit", r"\b(?:(?:earlier|later)\s+this\s+(?:month|year)|(?:(?:early|late)\s+)?(?:the\s+)?"
                      r"(?:last|previous|this|next|current|coming)\s+(?:fiscal\s+|calendar\s+)?(?:month|year)|(?:the\s+)?(?:end|"
                      r"beginning|start)\s+of\s+(?:the\s+|this\s+|last\s+|next\s+)?year)\b(?!s)",
     _rule_relative_month_year),
    ("ago", rf"\b{_APPROX}(?P<num>{_NUM})\s+(?P<unit>{_UNIT})\s+ago\b", _rule_ago),
    ("past-span", rf"\b(?:the\s+)?(?P<rel>past|last|next|coming|following)\s+(?:(?P<num>{_NUM})\s+)?"
                  rf"(?P<unit>{_UNIT})\b", _rule_past_span),
    ("nth-day-of", rf"\b(?:the\s+)?(?:(?P<ord>{_ORDINAL})\s+(?P<unit>day|week)|(?P<unit2>day|week)\s+"
                   rf"(?P<num>\d+|{_NUMWORD}))\s+(?:of|into)\s+(?:the\s+|its\s+|their\s+|\w+'s\s+)?"
                   rf"(?P<event>{EVENT_NOUNS})\b", _rule_nth_day_of),
    ("offset-from-event", rf"\b(?P<num>{_NUM})\s+(?P<unit>{_UNIT})\s+(?P<dir>after|before)\s+(?:the\s+|its\s+|"
                          rf"\w+'s\s+)?(?P<event>{EVENT_NOUNS})\b", _rule_offset_from_event),
    ("duration", rf"\b{_APPROX}(?P<num>{_NUM})(?:\s+|-)(?P<unit>{_UNIT})\b(?:'s?)?", _rule_duration),
    ("bare-units", r"(?:(?<=\bfor )|(?<=\bwithin )|(?<=\bover )|\brecent\s+)"
                   r"(?P<unit>(?:hours|days|weeks|months|years|decades|minutes))\b", _rule_bare_units),
    ("clock", rf"\b(?P<hour>[01]?\d|2[0-3])(?::(?P<minute>[0-5]\d)(?!:)|\s*(?=[ap]\.?m\b))"
              rf"(?:\s*(?P<ampm>[ap]\.?m\.?)(?!\w))?(?:\s*(?:GMT|UTC|BST|CET|EET|MSK|local\s+time|[ECMP][SD]?T)\b)?"
              rf"(?:,?\s+(?:on\s+)?(?P<weekday>{_WEEKDAY}))?", _rule_clock),
    ("decade", r"\b(?P<decade>1[6-9]\d0|20[0-3]0)s\b", _rule_decade),
    ("century", rf"\b(?P<ord>{_ORDINAL})[\s-]+century\b", _rule_century),
    ("season", rf"\b(?:(?P<rel>last|this|next|early|late)\s+)?(?P<season>spring|summer|autumn|winter)"
               rf"(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?\b", _rule_season),
    ("year", rf"(?:(?P<mod>(?:early|mid|late)[\s-]+))?(?<![\w$£€.,-])(?P<year>{_YEAR})(?![\w%]|[.,-]\d|\s*(?:km|kilomet|met|mile|"
             rf"people|troops|soldiers|percent|tonnes|tons|men))", _rule_year),
]
VAGUE_RULE = ("vague", r"\b(?:now|currently|nowadays|these days|at the time|the past|recently|"
                       r"the future|the present)\b", _rule_vague)
SET_RULE = ("set", r"\b(?:(?:every|each)\s+(?:day|week|month|year|morning|afternoon|evening|night|season"
                   r"|summer|winter|spring|autumn|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                   r"|annually|daily|weekly|monthly|yearly|nightly)\b", None)


_COMPILED = [(name, re.compile(pattern, re.I), handler) for name, pattern, handler in RULES]
_COMPILED_VAGUE = [(VAGUE_RULE[0], re.compile(VAGUE_RULE[1], re.I), VAGUE_RULE[2]),
                   (SET_RULE[0], re.compile(SET_RULE[1], re.I), _rule_set)]
_PRIORITY = {name: index for index, (name, _, _) in enumerate(RULES)}
_PRIORITY["vague"] = _PRIORITY["set"] = len(RULES)

_NEXT_DAY = re.compile(r"\b(?:the\s+)?(?P<rel>next|following|previous|preceding)\s+(?P<unit>day|morning|"
                       r"evening|night)\b|\bthe\s+day\s+(?P<dir>before|after)\b", re.I)


def normalise_times(
    text: str,
    *,
    published: dt.date | None,
    story_anchors: dict[str, StoryAnchor] | None = None,
    direction: Direction = "past",
    include_vague: bool = False,
) -> list[TimeExpression]:
    """Every time expression in ``text``, normalised against the ``published`` date.

    ``direction`` settles dates that name no year or week ("on Saturday",
    "September 6"): ``past`` takes the most recent one on or before publication
    unless the clause has a future cue ("will", "next", "scheduled"); ``future``
    and ``nearest`` do what they say. Without ``published`` only absolute
    dates resolve; relative ones come back with ``resolved=False`` and low
    confidence. ``include_vague`` also returns "now", "the past" and the like
    (TimeML ``PRESENT_REF``/``PAST_REF``), which a timeline cannot place.
    """
    ctx = _Context(text=text, published=published, anchors=story_anchors or {}, direction=direction)
    candidates: list[TimeExpression] = []
    rules = _COMPILED + (_COMPILED_VAGUE if include_vague else [])
    for name, pattern, handler in rules:
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            expression = handler(match, ctx)
            if expression is not None:
                candidates.append(_trim(expression, name, text))
    chosen = _settle_overlaps(candidates)
    return _resolve_relative_to_previous(text, chosen, ctx)


def _trim(expression: TimeExpression, rule: str, text: str) -> TimeExpression:
    """Drop range connectives ("between", "from") from the front; keep the rule name."""
    span_text = text[expression.start:expression.end]
    lead = re.match(r"(?:between|from)\s+", span_text, re.I)
    start = expression.start + (lead.end() if lead else 0)
    return TimeExpression(start, expression.end, text[start:expression.end], expression.value,
                          expression.granularity, expression.confidence, expression.timex3,
                          expression.timex3_type, expression.resolved, rule)


def _settle_overlaps(candidates: list[TimeExpression]) -> list[TimeExpression]:
    ordered = sorted(candidates, key=lambda e: (-(e.end - e.start), _PRIORITY.get(e.rule, 99), e.start))
    taken: list[TimeExpression] = []
    for expression in ordered:
        if any(expression.start < other.end and other.start < expression.end for other in taken):
            continue
        taken.append(expression)
    return sorted(taken, key=lambda e: e.start)


def _resolve_relative_to_previous(text: str, expressions: list[TimeExpression],
                                  ctx: _Context) -> list[TimeExpression]:
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
        elif ctx.published is not None:
            reference, confidence = ctx.published, 0.3
        else:
            extra.append(_day_expression(match, None, 0.2, "next-day"))
            continue
        backwards = (match.group("rel") or "").lower() in ("previous", "preceding") or \
            (match.group("dir") or "").lower() == "before"
        day = reference + dt.timedelta(days=-1 if backwards else 1)
        extra.append(_day_expression(match, day, confidence, "next-day"))
    return sorted(expressions + extra, key=lambda e: e.start)


# --------------------------------------------------------------------------
# Story anchors: "the counteroffensive began on September 6"
# --------------------------------------------------------------------------

_ANCHOR_PATTERNS = [
    re.compile(rf"\b(?P<event>{EVENT_NOUNS})\b[^.;\n]{{0,40}}?\b(?:began|begun|started|was\s+launched|"
               rf"launched|kicked\s+off|got\s+under\s*way|commenced|opened)\s+(?:on\s+|in\s+)?", re.I),
    re.compile(rf"\b(?:launched|began|started|opened|mounted)\s+(?:its|their|the|a|his|her)\s+(?:[\w-]+\s+){{0,2}}"
               rf"(?P<event>{EVENT_NOUNS})\s+(?:on\s+|in\s+)?", re.I),
]


# "On September 6 the counteroffensive began", "September 6, when the offensive started"
_ANCHOR_AFTER_DATE = re.compile(
    rf"^,?\s*(?:when\s+|as\s+)?(?:the|its|their|a|[A-Z][\w-]*'s)\s+(?:[\w-]+\s+)?(?P<event>{EVENT_NOUNS})"
    rf"\s+(?:began|started|was\s+launched|kicked\s+off|commenced|got\s+under\s*way)\b", re.I)


def normalise_event(event: str) -> str:
    """'Counter-offensive' and 'counteroffensive' name the same kind of event."""
    return re.sub(r"[^a-z]", "", event.lower()).rstrip("s") or event.lower()


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
        return dt.date(year, month, 1), _month_end(year, month)
    if re.fullmatch(r"\d{4}", value):
        return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    return None
