"""Numbers with units, normalised so claims from different outlets compare.

Rule-based rather than quantulum3: on war reporting quantulum3 misses
"8,000 square km", reads "sixth day" as 1/6 day and ``1943”`` as inches, and
costs ~4 s to warm up. The rules here cover what claims need: lengths and
areas converted to km / km², percentages, durations, and counts with the noun
they count ("4,000 soldiers" → unit ``soldier``). Vague amounts ("dozens of
kilometers") get a representative value and ``approximate=True``.

Traps guarded (see ../shared/DEPENDENCIES.md): ordinals ("sixth day", "6th"),
bare years ("in 1943", "1943”"), calendar dates ("September 6"), clock times,
equipment names ("T-72", "Su-25"), and quote marks glued to numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from manysides.model import Quantity

# -- number words -----------------------------------------------------------

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Vague plurals: a representative value (the low end of what a reader takes them to mean).
_VAGUE_WORDS = {
    "dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2_000.0,
    "tens of thousands": 20_000.0, "hundreds of thousands": 200_000.0, "millions": 2_000_000.0,
}
_FRACTION_WORDS = {"half": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25}

_NUMBER_WORD = "|".join(sorted([*_UNITS_WORDS, *_TENS_WORDS], key=len, reverse=True))
_SCALE_WORD = "|".join(_SCALE_WORDS)
_VAGUE_WORD = "|".join(sorted(_VAGUE_WORDS, key=len, reverse=True))

# -- units --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    canonical: str
    factor: float  # multiply the written value by this to get the canonical unit


_LENGTH = {
    "km": _Unit("km", 1.0), "kms": _Unit("km", 1.0), "kilometer": _Unit("km", 1.0),
    "kilometers": _Unit("km", 1.0), "kilometre": _Unit("km", 1.0), "kilometres": _Unit("km", 1.0),
    "mile": _Unit("km", 1.609344), "miles": _Unit("km", 1.609344), "mi": _Unit("km", 1.609344),
    "meter": _Unit("km", 0.001), "meters": _Unit("km", 0.001), "metre": _Unit("km", 0.001),
    "metres": _Unit("km", 0.001), "m": _Unit("km", 0.001),
}
_AREA = {
    **{f"square {name}": _Unit("km2", unit.factor**2) for name, unit in _LENGTH.items()
       if unit.canonical == "km" and name not in ("m", "mi")},
    "sq km": _Unit("km2", 1.0), "sq. km": _Unit("km2", 1.0), "km2": _Unit("km2", 1.0),
    "km²": _Unit("km2", 1.0), "sq mi": _Unit("km2", 1.609344**2),
    "square mi": _Unit("km2", 1.609344**2),
    "hectare": _Unit("km2", 0.01), "hectares": _Unit("km2", 0.01), "ha": _Unit("km2", 0.01),
}
_PERCENT = {"%": _Unit("percent", 1.0), "percent": _Unit("percent", 1.0),
            "per cent": _Unit("percent", 1.0)}
_DURATION = {
    "day": _Unit("day", 1.0), "days": _Unit("day", 1.0), "week": _Unit("day", 7.0),
    "weeks": _Unit("day", 7.0), "month": _Unit("month", 1.0), "months": _Unit("month", 1.0),
    "year": _Unit("year", 1.0), "years": _Unit("year", 1.0), "hour": _Unit("hour", 1.0),
    "hours": _Unit("hour", 1.0),
}
_MEASURE_UNITS = {**_AREA, **_LENGTH, **_PERCENT, **_DURATION}
_MEASURE_UNIT = "|".join(
    re.escape(name).replace(r"\ ", r"\s+") for name in sorted(_MEASURE_UNITS, key=len, reverse=True)
)

# Nouns that are counted in war reporting; the unit of a count is the noun, singular.
COUNT_NOUNS = frozenset(
    """soldier troop serviceman servicemen fighter mercenary civilian people person child
    casualty death wounded prisoner pow settlement village town city locality hamlet
    tank vehicle armoured armored apc artillery gun howitzer drone aircraft plane jet
    helicopter missile rocket shell round launcher system ship boat unit brigade battalion
    regiment division bridge building house home school hospital refugee resident
    evacuee position square kilometre kilometer""".split()
)

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_APPROX_BEFORE = re.compile(
    r"(?:more\s+than|over|at\s+least|about|around|nearly|almost|some|up\s+to|roughly|"
    r"approximately|approx\.?|an\s+estimated|estimated|close\s+to|fewer\s+than|less\s+than|"
    r"under|just\s+over|just\s+under|as\s+many\s+as|upwards\s+of|several)\s+$",
    re.IGNORECASE,
)

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = rf"(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}))?"
_NUMBER = re.compile(
    rf"""
    (?<![\w.,/:-])                                  # not inside a token (T-72, 10:30, 1.2.3)
    (?:
        (?P<vague>(?:a\s+few\s+)?(?:{_VAGUE_WORD}))\b(?:\s+of)?
      | (?:a\s+)?(?P<dozen>dozen)\b
      | (?P<fraction>(?:(?:one|two|three|a)[\s-]+)?(?:half|thirds?|quarters?))\b
      | (?P<digits>{_DIGITS})(?![\d:]|[.,]\d)(?:\s+(?P<dscale>{_SCALE_WORD})\b|(?P<dabbr>bn|mn|m|k)\b)?
      | (?P<words>{_WORDNUM})\b(?:\s+(?P<wscale>{_SCALE_WORD}))?
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_UNIT_AFTER = re.compile(rf"\s*(?:-\s*)?(?P<unit>{_MEASURE_UNIT})(?![\w])", re.IGNORECASE)
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_STOP_AFTER = frozenset(
    """of the a an and or to in on at by for from with per percent as than that this
    which who is are was were be been has have had will would""".split()
)


def _digits_value(text: str) -> float:
    return float(text.replace(",", ""))


def _words_value(text: str) -> float:
    total = 0.0
    for part in re.split(r"[\s-]+", text.lower()):
        total += _UNITS_WORDS.get(part, 0) + _TENS_WORDS.get(part, 0)
    return total


def _scale_value(scale: str | None) -> float:
    if not scale:
        return 1.0
    scale = scale.lower()
    return {"bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3}.get(scale, _SCALE_WORDS.get(scale, 1.0))


def _fraction_value(text: str) -> float:
    parts = re.split(r"[\s-]+", text.lower())
    numerator = 1.0
    if len(parts) == 2 and parts[0] in _UNITS_WORDS:
        numerator = float(_UNITS_WORDS[parts[0]])
    return numerator * _FRACTION_WORDS[parts[-1]]


def _is_calendar_context(text: str, start: int, end: int) -> bool:
    """'September 6', '6 September', '6-7 September' are dates, not quantities."""
    before = text[max(0, start - 12) : start].lower()
    after = text[end : end + 12].lower()
    return bool(
        re.search(rf"\b(?:{_MONTHS})\.?\s*$", before)
        or re.match(rf"^\s*(?:-\s*\d+\s*)?(?:{_MONTHS})\b", after)
    )


def _looks_like_year(value: float, surface: str) -> bool:
    return surface.isdigit() and len(surface) == 4 and 1800 <= value <= 2100


def _count_noun_after(text: str, end: int) -> tuple[str, int] | None:
    """The counted noun after a number: '4,000 Ukrainian soldiers' -> ('soldier', end)."""
    position = end
    for _ in range(3):
        gap = re.match(r"[ \t]+", text[position:])
        if gap is None:
            return None
        match = _WORD.match(text, position + gap.end())
        if not match:
            return None
        word = match.group(0).lower()
        singular = _singular(word)
        if singular in COUNT_NOUNS or word in COUNT_NOUNS:
            return (singular, match.end())
        # Skip modifiers such as 'Ukrainian' or 'armoured' before the counted noun.
        if word in _STOP_AFTER or not (match.group(0)[0].isupper() or word.endswith(("ian", "ed"))):
            return None
        position = match.end()
    return None


def _singular(word: str) -> str:
    irregular = {"people": "people", "children": "child", "servicemen": "serviceman",
                 "casualties": "casualty", "militias": "militia", "wounded": "wounded"}
    if word in irregular:
        return irregular[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _base_value(match: re.Match) -> float | None:
    """The written number of a ``_NUMBER`` match, or None when it is not an amount."""
    if match.group("vague"):
        vague = re.sub(r"\s+", " ", match.group("vague").lower())
        return _VAGUE_WORDS.get(vague.removeprefix("a few "))
    if match.group("dozen"):
        return 12.0
    if match.group("fraction"):
        return _fraction_value(match.group("fraction"))
    if match.group("digits"):
        if _ORDINAL_SUFFIX.match(match.string, match.end("digits")):
            return None  # 6th, 1st
        return _digits_value(match.group("digits")) * _scale_value(match.group("dscale") or match.group("dabbr"))
    return _words_value(match.group("words")) * _scale_value(match.group("wscale"))


def _measure_unit(text: str, end: int) -> tuple[_Unit, int] | None:
    unit_match = _UNIT_AFTER.match(text, end)
    if not unit_match:
        return None
    spec = _MEASURE_UNITS.get(re.sub(r"\s+", " ", unit_match.group("unit").lower()))
    return (spec, unit_match.end()) if spec is not None else None


def extract_quantities(text: str, *, offset: int = 0) -> list[Quantity]:
    """Quantities in ``text``; ``start``/``end`` are ``offset`` + positions in ``text``.

    Lengths are given in km and areas in km² (the surface keeps what was
    written: "30 miles"), durations in days/months/years/hours, percentages in
    percent, fractions ("two thirds") with unit ``fraction``; counts carry the
    noun they count ("soldier"), or ``""`` when none is nearby.
    """
    quantities: list[Quantity] = []
    for match in _NUMBER.finditer(text):
        start, end = match.start(), match.end()
        value = _base_value(match)
        if value is None or _is_calendar_context(text, start, end):
            continue
        approximate = bool(match.group("vague")) or bool(
            _APPROX_BEFORE.search(text[max(0, start - 20) : start])
        )
        measure = _measure_unit(text, end)
        counted = None if measure else _count_noun_after(text, end)
        if match.group("fraction"):
            # 'two thirds of the city' is a share; only 'half a mile'-style units are rarer than noise.
            unit = "fraction"
        elif measure is not None:
            value *= measure[0].factor
            unit, end = measure[0].canonical, measure[1]
        elif counted is not None:
            unit, end = counted
        else:
            unit = ""
            if match.group("digits") and _looks_like_year(value, match.group("digits")):
                continue  # 'in 1943', '1943”': a year, not an amount
            if match.group("words") and not match.group("wscale"):
                # 'one of the', 'the two sides': bare number words without a unit are rarely amounts.
                if match.group("words").lower() == "one" or re.search(
                    r"\b(?:the|a)\s+$", text[max(0, start - 5) : start].lower()
                ):
                    continue
        quantities.append(
            Quantity(
                value=round(value, 6),
                unit=unit,
                surface=text[start:end],
                start=offset + start,
                end=offset + end,
                approximate=approximate,
            )
        )
    return quantities


__all__ = ["COUNT_NOUNS", "extract_quantities"]
