"""Recognise time expressions: the patterns of English dates, times and durations.

A rule-based recogniser (regular expressions over words, HeidelTime-style)
rather than ``dateparser.search_dates``: dateparser reads "within three days"
as a date (../shared/DEPENDENCIES.md), and a timeline needs to know *what kind*
of time an expression is (a day, a month, a range, a duration) as much as its
value. Each rule is ``(name, pattern, handler)``; a handler reads the match and
asks ``resolver`` which calendar day it names. Month, weekday and number words
come from ``manysides.lang.en``.

Spans follow TimeML: prepositions ("on", "within", "over") are left out of the
span but read for their meaning ("within three days" is a duration).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from manysides.analyse.timeline.resolver import (
    Reading,
    add_months,
    iso_week,
    month_end,
    safe_date,
    shift,
    week_range,
    weekday_date,
    year_for_month,
    year_for_month_day,
)
from manysides.lang import en
from manysides.model import Granularity, Span, TimeRef

# -- vocabulary (English tables from lang/en.py; phrases that only time needs are here) --

MONTHS = en.MONTHS
WEEKDAYS = en.WEEKDAYS
ORDINALS = en.ORDINALS
NUMBER_WORDS = {**en.NUMBER_WORDS, "a": 1, "an": 1, "hundred": 100, "a couple of": 2,
                "couple of": 2, "a dozen": 12, "dozen": 12}
VAGUE_NUMBERS = ("several", "a few", "few", "many", "some")
UNIT_CODES = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W",
              "fortnight": "W", "month": "M", "year": "Y", "decade": "Y", "century": "Y"}
PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
SEASONS = {"spring": ("SP", 3, 5), "summer": ("SU", 6, 8), "autumn": ("FA", 9, 11),
           "fall": ("FA", 9, 11), "winter": ("WI", 12, 2)}
# A named event whose stated start can anchor "the sixth day of the strike": any noun;
# which ones have a start is read from the story (timexpr.find_story_anchors).
EVENT_WORD = r"[a-z][a-z-]{2,}"


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
        return TimeRef(span=Span(article_id=article_id, start=self.start, end=self.end), text=self.text,
                       value=self.value, granularity=self.granularity,
                       confidence=round(self.confidence, 3))


@dataclass(frozen=True, slots=True)
class StoryAnchor:
    """The stated start of a named event ("the strike began on September 6")."""

    event: str
    date: dt.date
    article_id: str | None = None


# Capitalised month and weekday names only: "may", "march", "sat" are ordinary words.
_ABBREVIATIONS = "|".join(sorted((a.capitalize() for a in en.MONTH_ABBREVIATIONS), key=len, reverse=True))
_MONTH = (rf"(?-i:(?:{'|'.join(n.capitalize() for n in en.MONTH_NAMES)}|(?:{_ABBREVIATIONS})\.?)(?![a-z]))")
_WEEKDAY = rf"(?-i:(?:{'|'.join(d.capitalize() for d in WEEKDAYS)})(?![a-z]))"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_MONTH_LIST_BEFORE = re.compile(rf"{_MONTH},?\s+(?:and|or|to|through|until)\s+$")
_YEAR = r"(?:1[6-9]\d\d|20\d\d)(?!\d|,\d)"
_NUMWORD = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_TENS = "|".join(en.TENS_NUMBERS)
_UNITS_1_9 = "|".join(w for w, n in en.UNIT_NUMBERS.items() if 1 <= n <= 9)
_NUM = (rf"(?:\d+(?:\.\d+)?|(?:{_TENS})[- ](?:{_UNITS_1_9})"
        rf"|{_NUMWORD}|{'|'.join(VAGUE_NUMBERS)})")
# "almost seven years", "a mere 24 hours": TimeML keeps the modifier inside the span
_APPROX = (r"(?:(?:almost|nearly|about|around|roughly|some|over|more\s+than|less\s+than|at\s+least"
           r"|up\s+to|a\s+mere|just|only)\s+)?")
_UNIT = r"(?:second|minute|hour|day|week|fortnight|month|year|decade|century|centurie)s?"
_ORDINAL = "|".join(ORDINALS) + r"|\d+(?:st|nd|rd|th)"
_MOD = r"(?:early|mid|late|the\s+(?:end|beginning|start|middle)\s+of(?:\s+the)?)"
# A date without a year used as a name: "the Sept. 11 attacks", "the September 11 hijackers".
_NAME_BEFORE = re.compile(r"(?:\bthe|'s|\u2019s)\s+(?:\d+\s+)?$", re.I)
_PLURAL_NOUN_AFTER = re.compile(r"\s+(?-i:[a-z]{3,}s)\b(?<!ss)")
# A number followed by a plural noun counts things ("1500 people"); "men" and the like too.
_COUNTED_AFTER = re.compile(r"\s+(?-i:[a-z]{2,}s|men|women|people|children)\b(?<!ss)(?<!is)(?<!us)")
# "a 2009 analysis", "an 1860s house": an article before a number makes it a name or a year.
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an)\s+$", re.I)
# "19 September 11 hijackers": a number after the month makes "19" a count, not a day.
_DAY_AFTER_MONTH = re.compile(r"\s+\d{1,2}(?!\d)")


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


def unit_of(word: str) -> str:
    word = word.lower()
    if word.startswith("centur"):
        return "century"
    return word.rstrip("s")


def _duration_code(count: int | None, unit: str) -> str:
    amount = "X" if count is None else str(count * {"fortnight": 2, "decade": 10, "century": 100}.get(unit, 1))
    code = UNIT_CODES[unit]
    return f"PT{amount}{code}" if unit in ("second", "minute", "hour") else f"P{amount}{code}"


def day_expression(match: re.Match, day: dt.date | None, confidence: float, rule: str, *,
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


def _month_list_before(match: re.Match) -> bool:
    """'in April and May': a month joined to another month is a month too."""
    return bool(_MONTH_LIST_BEFORE.search(match.string[max(0, match.start() - 24):match.start()]))


def _is_name(match: re.Match) -> bool:
    """'the Sept. 11 attacks', 'the September 11 hijackers': a date naming a famous event."""
    text = match.string
    return bool(_NAME_BEFORE.search(text[max(0, match.start() - 12):match.start()])
                and _PLURAL_NOUN_AFTER.match(text, match.end()))


def _rule_full_date(match: re.Match, reading: Reading) -> TimeExpression | None:
    groups = match.groupdict()
    month = _month(groups["month"])
    day = int(re.match(r"\d+", groups["day"]).group())
    if groups.get("year"):
        date = safe_date(int(groups["year"]), month, day)
        return day_expression(match, date, 0.95, "full-date") if date else None
    if match.start("day") < match.start("month") and _DAY_AFTER_MONTH.match(match.string, match.end()):
        return None  # "the 19 September 11 hijackers": the month takes the number after it
    unknown = f"XXXX-{month:02d}-{day:02d}"
    if reading.published is None or _is_name(match):
        return day_expression(match, None, 0.2, "date-no-year", unknown=unknown)
    year, confidence = year_for_month_day(month, day, reading, match.start(), match.end())
    return day_expression(match, safe_date(year, month, day), confidence, "date-no-year")


def _rule_iso_date(match: re.Match, reading: Reading) -> TimeExpression | None:
    year, month, day = (int(x) for x in match.group().split("-"))
    date = safe_date(year, month, day)
    return day_expression(match, date, 0.95, "iso-date") if date else None


def _rule_day_range(match: re.Match, reading: Reading) -> TimeExpression | None:
    groups = match.groupdict()
    first_day = int(re.match(r"\d+", groups["d1"]).group())
    last_day = int(re.match(r"\d+", groups["d2"]).group())
    last_month = _month(groups.get("month") or groups["month1"])
    first_month = _month(groups["month1"]) if groups.get("month1") else last_month
    if groups.get("year"):
        year, confidence = int(groups["year"]), 0.9
    elif reading.published is not None:
        year, confidence = year_for_month_day(first_month, first_day, reading, match.start(), match.end())
    else:
        value = f"XXXX-{first_month:02d}-{first_day:02d}/XXXX-{last_month:02d}-{last_day:02d}"
        return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.RANGE,
                              0.2, value, resolved=False, rule="day-range")
    first = safe_date(year, first_month, first_day)
    last = safe_date(year + (1 if last_month < first_month else 0), last_month, last_day)
    if first is None or last is None or last < first:
        return None
    return _range_expression(match, first, last, confidence, "day-range")


def _rule_month_year(match: re.Match, reading: Reading) -> TimeExpression | None:
    month, year = _month(match.group("month")), int(match.group("year"))
    value = f"{year}-{month:02d}"
    return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.MONTH,
                          0.95, value, rule="month-year")


def _rule_month(match: re.Match, reading: Reading) -> TimeExpression | None:
    word = match.group("month")
    if word.lower() in en.MONTH_ABBREVIATIONS:
        return None  # a bare abbreviation without its full stop is rarely a month
    if word.lower() == "may" and not match.group("rel") and not match.group("mod") \
            and not _preposition_before(match) and not _month_list_before(match):
        return None  # "May" alone starts sentences as a modal verb
    month = _month(word)
    rel = (match.group("rel") or "").lower()
    if reading.published is None:
        value = f"XXXX-{month:02d}"
        return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.MONTH,
                              0.2, value, resolved=False, rule="month")
    year = year_for_month(month, rel, reading, match.start(), match.end())
    value = f"{year}-{month:02d}"
    return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.MONTH,
                          0.8, value, rule="month")


_EVERY_BEFORE = re.compile(r"\b(?:every|each)\s+$", re.I)


def _rule_weekday(match: re.Match, reading: Reading) -> TimeExpression | None:
    if _EVERY_BEFORE.search(match.string[max(0, match.start() - 7):match.start()]):
        return None  # "every Sunday" repeats; it is no day of the story
    weekday = WEEKDAYS[match.group("weekday").lower()]
    rel = " ".join((match.group("rel") or "").lower().split())
    part = (match.group("part") or "").lower() or None
    if reading.published is None:
        unknown = f"XXXX-WXX-{weekday + 1}"
        return TimeExpression(match.start(), match.end(), match.group(), unknown, Granularity.DAY,
                              0.2, unknown, resolved=False, rule="weekday")
    date = weekday_date(weekday, rel, reading, match.start(), match.end())
    return day_expression(match, date, 0.8, "weekday", part=part)


def _rule_relative_day(match: re.Match, reading: Reading) -> TimeExpression | None:
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
    if reading.published is None:
        return day_expression(match, None, 0.2, "relative-day")
    return day_expression(match, reading.published + dt.timedelta(days=offsets[head]), 0.9,
                           "relative-day", part=part)


def _rule_week(match: re.Match, reading: Reading) -> TimeExpression | None:
    phrase = " ".join(match.group().lower().split())
    if reading.published is None:
        return TimeExpression(match.start(), match.end(), match.group(), "XXXX-WXX", Granularity.RANGE,
                              0.2, "XXXX-WXX", resolved=False, rule="week")
    pub = reading.published
    weekend = "weekend" in phrase
    if re.search(r"\b(last|previous)\b", phrase) or phrase.startswith("the past"):
        reference = pub - dt.timedelta(days=7)
    elif re.search(r"\b(next|coming)\b", phrase):
        reference = pub + dt.timedelta(days=7)
    else:
        reference = pub
    monday, sunday = week_range(reference)
    if weekend:
        first, last = sunday - dt.timedelta(days=1), sunday
        if reference == pub and "this" not in phrase and pub < first:
            first, last = first - dt.timedelta(days=7), last - dt.timedelta(days=7)
        timex = f"{iso_week(first)}-WE"
    else:
        first, last = monday, sunday
        timex = iso_week(reference)
    if phrase.startswith("earlier"):
        last = max(first, pub - dt.timedelta(days=1))
    elif phrase.startswith("later"):
        first = min(last, pub + dt.timedelta(days=1))
    return _range_expression(match, first, last, 0.75, "week", timex)


def _rule_relative_month_year(match: re.Match, reading: Reading) -> TimeExpression | None:
    phrase = " ".join(match.group().lower().split())
    unit = "month" if "month" in phrase else "year"
    step = -1 if re.search(r"\b(last|previous|past)\b", phrase) else 1 if "next" in phrase else 0
    if reading.published is None:
        unknown = "XXXX-XX" if unit == "month" else "XXXX"
        return TimeExpression(match.start(), match.end(), match.group(), unknown,
                              Granularity(unit), 0.2, unknown, resolved=False, rule="relative-unit")
    pub = reading.published
    if unit == "month":
        first = add_months(pub.replace(day=1), step)
        value = f"{first.year}-{first.month:02d}"
    else:
        value = str(pub.year + step)
    return TimeExpression(match.start(), match.end(), match.group(), value, Granularity(unit), 0.85,
                          value, rule="relative-unit")


def _rule_ago(match: re.Match, reading: Reading) -> TimeExpression | None:
    count, unit = _number(match.group("num")), unit_of(match.group("unit"))
    if count is None or reading.published is None:
        return TimeExpression(match.start(), match.end(), match.group(), "PAST_REF", Granularity.DAY,
                              0.2, "PAST_REF", resolved=False, rule="ago")
    day = shift(reading.published, count, unit, -1)
    if unit in ("day", "hour", "minute", "second"):
        return day_expression(match, day, 0.8, "ago")
    if unit in ("week", "fortnight"):
        monday, sunday = week_range(day)
        return _range_expression(match, monday, sunday, 0.6, "ago", iso_week(day))
    if unit == "month":
        value = f"{day.year}-{day.month:02d}"
        return TimeExpression(match.start(), match.end(), match.group(), value, Granularity.MONTH,
                              0.7, value, rule="ago")
    return TimeExpression(match.start(), match.end(), match.group(), str(day.year), Granularity.YEAR,
                          0.7, str(day.year), rule="ago")


def _rule_past_span(match: re.Match, reading: Reading) -> TimeExpression | None:
    """'the past 72 hours', 'the last two weeks', 'the next few days': a range ending (starting) now."""
    count = _number(match.group("num")) if match.group("num") else 1
    unit = unit_of(match.group("unit"))
    if not match.group("num") and unit == "day":
        return None  # "the next day" is a day, settled against the last date mentioned
    timex = _duration_code(count, unit)
    forward = match.group("rel").lower() in ("next", "coming", "following")
    if count is None or reading.published is None:
        return TimeExpression(match.start(), match.end(), match.group(), timex, Granularity.DURATION,
                              0.5, timex, "DURATION", rule="past-span")
    pub = reading.published
    if forward:
        first, last = pub, shift(pub, count, unit, 1)
    else:
        first, last = shift(pub, count, unit, -1), pub
    return _range_expression(match, first, last, 0.8, "past-span", timex, "DURATION")


_ORDINAL_SECOND = re.compile(r"\s+(?!(?:later|earlier|after|before|ago|or|and|of|in|to|for)\b)[a-z]", re.I)


def _rule_duration(match: re.Match, reading: Reading) -> TimeExpression | None:
    count, unit = _number(match.group("num")), unit_of(match.group("unit"))
    if match.group("unit").lower() == "second" and match.group("num").lower() in ("a", "an") \
            and _ORDINAL_SECOND.match(match.string, match.end()):
        return None  # "a second quake": the ordinal, not one second
    timex = _duration_code(count, unit)
    return TimeExpression(match.start(), match.end(), match.group(), timex, Granularity.DURATION,
                          0.9 if count is not None else 0.6, timex, "DURATION", rule="duration")


def _rule_bare_units(match: re.Match, reading: Reading) -> TimeExpression | None:
    unit = unit_of(match.group("unit"))
    timex = _duration_code(None, unit)
    return TimeExpression(match.start(), match.end(), match.group(), timex, Granularity.DURATION,
                          0.5, timex, "DURATION", rule="bare-units")


def _rule_year(match: re.Match, reading: Reading) -> TimeExpression | None:
    year = match.group("year")
    if not match.group("mod") and not _preposition_before(match) and \
            not _ARTICLE_BEFORE.search(match.string[max(0, match.start() - 4):match.start()]) and \
            _COUNTED_AFTER.match(match.string, match.end()):
        return None  # "about 1500 people", "2000 workers": a count, not a year
    confidence = 0.9 if match.group("mod") or _preposition_before(match) else 0.7
    return TimeExpression(match.start(), match.end(), match.group(), year, Granularity.YEAR,
                          confidence, year, rule="year")


def _rule_decade(match: re.Match, reading: Reading) -> TimeExpression | None:
    decade = int(match.group("decade"))
    first, last = dt.date(decade, 1, 1), dt.date(decade + 9, 12, 31)
    return _range_expression(match, first, last, 0.8, "decade", str(decade)[:3])


def _rule_century(match: re.Match, reading: Reading) -> TimeExpression | None:
    century = _ordinal(match.group("ord"))
    if century is None or not 1 <= century <= 22:
        return None
    first, last = dt.date(max(1, (century - 1) * 100), 1, 1), dt.date(century * 100 - 1, 12, 31)
    return _range_expression(match, first, last, 0.7, "century", f"{century - 1:02d}")


def _rule_season(match: re.Match, reading: Reading) -> TimeExpression | None:
    code, first_month, last_month = SEASONS[match.group("season").lower()]
    rel = (match.group("rel") or "").lower()
    if match.group("year"):
        year = int(match.group("year"))
    elif reading.published is None:
        return TimeExpression(match.start(), match.end(), match.group(), f"XXXX-{code}",
                              Granularity.RANGE, 0.2, f"XXXX-{code}", resolved=False, rule="season")
    else:
        pub = reading.published
        year = pub.year - 1 if rel == "last" else pub.year + 1 if rel == "next" else pub.year
    end_year = year + 1 if last_month < first_month else year
    first, last = dt.date(year, first_month, 1), month_end(end_year, last_month)
    return _range_expression(match, first, last, 0.6, "season", f"{year}-{code}")


def normalise_event(event: str) -> str:
    """'Walk-out' and 'walkout', 'strikes' and 'strike' name one event."""
    return re.sub(r"[^a-z]", "", event.lower()).rstrip("s") or event.lower()


def lookup_anchor(event: str, anchors: dict[str, StoryAnchor]) -> tuple[StoryAnchor | None, float]:
    key = normalise_event(event)
    if key in anchors:
        return anchors[key], 1.0
    # "the strike" in one article and "the general strike" in another name one event
    # when the story states only one of the two starts; "collapsed on" dates "the collapse".
    stem = en.stem(key)
    related = [a for k, a in anchors.items()
               if k.endswith(key) or key.endswith(k) or en.stem(k) == stem
               or (min(len(en.stem(k)), len(stem)) >= 4 and (en.stem(k).startswith(stem)
                                                             or stem.startswith(en.stem(k))))]
    if len(related) == 1:
        return related[0], 0.8
    return None, 0.0


def _rule_nth_day_of(match: re.Match, reading: Reading) -> TimeExpression | None:
    nth = _ordinal(match.group("ord")) if match.group("ord") else _number(match.group("num") or "")
    unit = unit_of(match.group("unit") or match.group("unit2"))
    anchor, fit = lookup_anchor(match.group("event"), reading.anchors)
    if nth is None or anchor is None:
        return TimeExpression(match.start(), match.end(), match.group(), "XXXX-XX-XX", Granularity.DAY,
                              0.2, "XXXX-XX-XX", resolved=False, rule="nth-day-of")
    if unit == "day":
        return day_expression(match, anchor.date + dt.timedelta(days=nth - 1), 0.75 * fit,
                               "nth-day-of")
    first = anchor.date + dt.timedelta(weeks=nth - 1)
    return _range_expression(match, first, first + dt.timedelta(days=6), 0.6 * fit, "nth-week-of")


def _rule_offset_from_event(match: re.Match, reading: Reading) -> TimeExpression | None:
    """'a week after the strike began', 'two days before the walkout'."""
    count, unit = _number(match.group("num")), unit_of(match.group("unit"))
    sign = 1 if match.group("dir").lower() == "after" else -1
    anchor, fit = lookup_anchor(match.group("event"), reading.anchors)
    if count is None or anchor is None or unit not in ("day", "week", "month", "year"):
        return None  # the count is a duration ("three days after the company announced")
    return day_expression(match, shift(anchor.date, count, unit, sign), 0.7 * fit,
                           "offset-from-event")


def _rule_vague(match: re.Match, reading: Reading) -> TimeExpression | None:
    phrase = match.group().lower()
    code = "PAST_REF" if phrase in ("the past", "at the time", "recently", "formerly", "once") \
        else "FUTURE_REF" if phrase in ("the future", "soon") else "PRESENT_REF"
    return TimeExpression(match.start(), match.end(), match.group(), code, Granularity.DAY, 0.1,
                          code, resolved=False, rule="vague")


def _rule_set(match: re.Match, reading: Reading) -> TimeExpression | None:
    phrase = match.group().lower()
    codes = {"day": "P1D", "daily": "P1D", "week": "P1W", "weekly": "P1W", "month": "P1M",
             "monthly": "P1M", "year": "P1Y", "annually": "XXXX", "yearly": "P1Y", "morning": "XXXX-XX-XXTMO",
             "evening": "XXXX-XX-XXTEV", "night": "XXXX-XX-XXTNI", "nightly": "XXXX-XX-XXTNI",
             "season": "XXXX-WI"}
    code = next((v for k, v in codes.items() if phrase.endswith(k)), "XXXX")
    return TimeExpression(match.start(), match.end(), match.group(), code, Granularity.DURATION, 0.3,
                          code, "SET", resolved=False, rule="set")


def _rule_clock(match: re.Match, reading: Reading) -> TimeExpression | None:
    """'15:00 GMT Saturday', '8 PM': a time of day, dated by its weekday or left undated."""
    hour = int(match.group("hour"))
    minute = match.group("minute")
    if (match.group("ampm") or "").lower().startswith("p") and hour < 12:
        hour += 12
    clock = f"{hour:02d}" + (f":{minute}" if minute else "")
    if match.group("weekday") and reading.published is not None:
        day = weekday_date(WEEKDAYS[match.group("weekday").lower()], "", reading,
                           match.start(), match.end())
        return TimeExpression(match.start(), match.end(), match.group(), day.isoformat(), Granularity.DAY,
                              0.7, f"{day.isoformat()}T{clock}", "TIME", rule="clock")
    day_text = reading.published.isoformat() if reading.published else "XXXX-XX-XX"
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
                   rf"(?P<event>{EVENT_WORD})\b", _rule_nth_day_of),
    ("offset-from-event", rf"\b(?P<num>{_NUM})\s+(?P<unit>{_UNIT})\s+(?P<dir>after|before)\s+(?:the\s+|its\s+|"
                          rf"\w+'s\s+)?(?P<event>{EVENT_WORD})\b", _rule_offset_from_event),
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
             rf"percent|tonnes|tons))", _rule_year),
]
VAGUE_RULE = ("vague", r"\b(?:now|currently|nowadays|these days|at the time|the past|recently|"
                       r"the future|the present)\b", _rule_vague)
SET_RULE = ("set", r"\b(?:(?:every|each)\s+(?:day|week|month|year|morning|afternoon|evening|night|season"
                   r"|summer|winter|spring|autumn|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                   r"|annually|daily|weekly|monthly|yearly|nightly)\b", None)


COMPILED_RULES = [(name, re.compile(pattern, re.I), handler) for name, pattern, handler in RULES]
COMPILED_VAGUE_RULES = [(VAGUE_RULE[0], re.compile(VAGUE_RULE[1], re.I), VAGUE_RULE[2]),
                        (SET_RULE[0], re.compile(SET_RULE[1], re.I), _rule_set)]
# Longer matches win overlaps; among equal lengths, the rule listed first.
PRIORITY = {name: index for index, (name, _, _) in enumerate(RULES)}
PRIORITY["vague"] = PRIORITY["set"] = len(RULES)
