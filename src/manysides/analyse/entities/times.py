"""Times that name one moment: which date and time mentions of a story are the same time.

The timeline stage places a time on the calendar from the publication date; this is the
coreference reading, which needs no date at all: two mentions are one time when they name the
same weekday ("late Friday", "Friday night"), the same day of a month ("Feb. 22", "22 February")
or the same clock time however written ("2:30 a.m.", "2.30am"). A date takes the weekday another
mention of the story gives it ("Sunday, February 22"), and "yesterday", "last night" or a bare
clock time are the weekday the article names most (none when two days tie).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from manysides.lang import en

_WEEKDAY = re.compile(r"\b(?:" + "|".join(en.WEEKDAYS) + r")\b", re.IGNORECASE)
_MONTH = rf"(?:{en.MONTH_PATTERN})"
_DATE = re.compile(rf"\b(?P<m1>{_MONTH})\s*\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b"
                   rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})\b", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}(?:\s*[:.]\s*\d\d)?\s*(?:[ap]\s*\.?\s*m\b\.?|[ap]m\b)", re.IGNORECASE)
_RELATIVE_DAY = re.compile(
    r"^(?:(?:late|early|earlier|on|at|about|around|just|shortly|after|before|until|by)\s+)*(?:"
    + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(en.RELATIVE_DAY_WORDS, key=len, reverse=True))
    + r")$", re.IGNORECASE)


def weekday_of(text: str) -> str | None:
    """"late Friday", "Friday night" -> "friday"."""
    match = _WEEKDAY.search(text)
    return match.group().casefold() if match else None


def date_of(text: str) -> str | None:
    """"on Feb. 22", "22 February 2009", "6th of June" -> "02-22"; None without a day of a month."""
    match = _DATE.search(text)
    if not match:
        return None
    month = en.MONTHS.get((match.group("m1") or match.group("m2")).casefold())
    day = int(match.group("d1") or match.group("d2"))
    return f"{month:02d}-{day:02d}" if month and 1 <= day <= 31 else None


def clock_of(text: str) -> str | None:
    """"at about 2:30 a.m.", "2.30am", "7 p.m." -> "02:30", "02:30", "19:00"."""
    match = _CLOCK.search(text)
    if not match:
        return None
    digits = re.findall(r"\d+", match.group())
    hour, minutes = int(digits[0]) % 12, int(digits[1]) if len(digits) > 1 else 0
    if re.search(r"p", match.group(), re.IGNORECASE):
        hour += 12
    return f"{hour:02d}:{minutes:02d}" if minutes < 60 else None


def is_relative_day(text: str) -> bool:
    """"yesterday", "late last night", "earlier today": the day of the article, not named."""
    return bool(_RELATIVE_DAY.match(text.strip(" .")))


def time_keys(documents: Sequence[Sequence[str]]) -> list[list[str | None]]:
    """One key per time mention of each document of a story; equal keys are one time.

    A mention naming a weekday is that day; a date is the weekday some mention of the story
    gives it, else the date; a clock time is that time of day. Then, in each document, a
    relative day ("yesterday") and a clock time are the weekday the document names most,
    when one day leads. Mentions that name none of these get None.
    """
    given_weekday: dict[str, str] = {}
    for texts in documents:
        for text in texts:
            day, date = weekday_of(text), date_of(text)
            if day and date:
                given_weekday.setdefault(date, day)
    out = []
    for texts in documents:
        keys: list[str | None] = []
        for text in texts:
            day, date = weekday_of(text), date_of(text)
            if day:
                keys.append(f"day:{day}")
            elif date:
                keys.append(f"day:{given_weekday[date]}" if date in given_weekday else f"date:{date}")
            else:
                clock = clock_of(text)
                keys.append(f"clock:{clock}" if clock else None)
        days = Counter(k for k, text in zip(keys, texts) if k and weekday_of(text))
        ranked = days.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            for i, text in enumerate(texts):
                if not weekday_of(text) and (is_relative_day(text) or clock_of(text)):
                    keys[i] = ranked[0][0]
        out.append(keys)
    return out


__all__ = ["clock_of", "date_of", "is_relative_day", "time_keys", "weekday_of"]
