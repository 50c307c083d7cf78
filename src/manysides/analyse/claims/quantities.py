"""Numbers with units, normalised so claims from different outlets compare.

Rule-based rather than quantulum3: on news text quantulum3 misses
"8,000 square km", reads "sixth day" as 1/6 day and ``1943”`` as inches, and
costs ~4 s to warm up. The rules here cover what claims need: lengths and
areas converted to km / km², percentages, durations, and counts with the noun
they count ("1,200 jobs" → unit ``job``). The counted noun comes from the parse
(the noun the number modifies) when the caller gives one (:func:`counted_nouns`);
without a parse it is the plural noun right after the number. A domain pack's
``count_nouns`` only adds nouns the plural rule misses ("12 wounded"). Vague
amounts ("dozens of kilometers") get a representative value and ``approximate=True``.

Traps guarded (see ../shared/DEPENDENCIES.md): ordinals ("sixth day", "6th"),
bare years ("in 1943", "1943”"), calendar dates ("September 6"), clock times,
equipment names ("T-72", "Su-25"), and quote marks glued to numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from manysides.lang import en
from manysides.model import Quantity, Span

# -- number words -----------------------------------------------------------

_UNITS_WORDS = en.UNIT_NUMBERS
_TENS_WORDS = en.TENS_NUMBERS
_SCALE_WORDS = {w: v for w, v in en.SCALE_WORDS.items() if v <= 1_000_000_000}
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

_MONTHS = en.MONTH_PATTERN
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
_STOP_AFTER = en.STOPWORDS | en.MODAL_VERBS | {"percent"}
# Plurals that do not end in -s, which the plural rule below cannot see.
_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "servicemen", "police"})


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


def _looks_counted(word: str, count_nouns: frozenset[str]) -> bool:
    """A plural noun (or one a pack lists): what a bare number before it counts."""
    if word in count_nouns or en.singular(word) in count_nouns or word in _IRREGULAR_PLURALS:
        return True
    return (word.endswith("s") and not word.endswith(("ss", "'s")) and word not in _STOP_AFTER
            and en.singular(word) != word and len(word) > 3)


def _count_noun_after(text: str, end: int, count_nouns: frozenset[str] = frozenset()) -> tuple[str, int] | None:
    """The counted noun after a number, read from the text when there is no parse:
    '4,000 Sudanese soldiers' -> ('soldier', end)."""
    position = end
    for _ in range(3):
        gap = re.match(r"[ \t]+", text[position:])
        if gap is None:
            return None
        match = _WORD.match(text, position + gap.end())
        if not match:
            return None
        word = match.group(0).lower()
        # a capitalised word is a name ("2025 Andes Tribune"), not what is counted
        if _looks_counted(word, count_nouns) and not match.group(0)[0].isupper():
            return (en.singular(word), match.end())
        # Skip modifiers such as 'Sudanese' or 'armoured' before the counted noun.
        if word in _STOP_AFTER or not (match.group(0)[0].isupper() or word.endswith(("ian", "ed"))):
            return None
        position = match.end()
    return None


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


def counted_nouns(tokens: Iterable) -> dict[int, tuple[str, int]]:
    """From parsed tokens: number token start -> (singular lemma of the noun it counts, noun end).

    The noun is the number's head when the number modifies it ("1,200 jobs",
    "about 3,000 of them" has none), or the object of "of" after a vague amount
    ("hundreds of workers"). Offsets are the tokens' own (article offsets).
    """
    found: dict[int, tuple[str, int]] = {}
    for token in tokens:
        if not (token.like_num or token.pos_ == "NUM" or token.lower_ in _VAGUE_WORDS):
            continue
        number, head = token, token.head
        # "3 million", "about 3,000": climb to the number that modifies the noun
        while number.dep_ in ("compound", "quantmod", "nummod") and head.pos_ == "NUM" and head.i != number.i:
            number, head = head, head.head
        noun = None
        if number.dep_ == "nummod" and head.pos_ in ("NOUN", "PROPN") and head.i > number.i:
            noun = head
        elif token.pos_ == "NOUN":  # "hundreds of workers", "dozens of kilometers"
            of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            noun = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if of else None
        if noun is not None:
            found[token.idx] = (en.singular(noun.lemma_.lower()), noun.idx + len(noun.text))
    return found


def extract_quantities(
    text: str,
    *,
    offset: int = 0,
    article_id: str = "",
    counted: Mapping[int, tuple[str, int]] | None = None,
    count_nouns: frozenset[str] = frozenset(),
) -> list[Quantity]:
    """Quantities in ``text``; ``start``/``end`` are ``offset`` + positions in ``text``.

    Lengths are given in km and areas in km² (the surface keeps what was
    written: "30 miles"), durations in days/months/years/hours, percentages in
    percent, fractions ("two thirds") with unit ``fraction``; counts carry the
    noun they count ("job"), or ``""`` when none is found. ``counted`` (from
    :func:`counted_nouns`, in the same offsets as ``offset`` + positions) gives the
    parse's counted nouns; ``count_nouns`` (a pack's) adds nouns to the text rule.
    """
    counted = counted or {}
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
        counted_noun = None if measure else _parsed_count(counted, offset + start, offset + end, offset, len(text))
        if counted_noun is None and not measure:
            counted_noun = _count_noun_after(text, end, count_nouns)
        if match.group("fraction"):
            # 'two thirds of the city' is a share; only 'half a mile'-style units are rarer than noise.
            unit = "fraction"
        elif measure is not None:
            value *= measure[0].factor
            unit, end = measure[0].canonical, measure[1]
        elif counted_noun is not None:
            unit, end = counted_noun
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
                span=Span(article_id=article_id, start=offset + start, end=offset + end),
                approximate=approximate,
            )
        )
    return quantities


def _parsed_count(counted: Mapping[int, tuple[str, int]], start: int, end: int, offset: int,
                  length: int) -> tuple[str, int] | None:
    """The parse's counted noun for a number at absolute ``start``..``end``, as (unit, end in text)."""
    for position, (noun, noun_end) in counted.items():
        if start <= position < end and end <= noun_end <= offset + length and noun_end - end <= 40:
            return noun, noun_end - offset
    return None


__all__ = ["counted_nouns", "extract_quantities"]
