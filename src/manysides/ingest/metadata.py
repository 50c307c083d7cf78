"""Outlet, date and language for a raw article, from the best source each input offers.

Outlet, in order: the input's own field (JSON ``outlet``/``source``, HTML site
name), ``settings.outlet_map`` matched on the URL's domain (subdomains
included), the URL's domain without ``www.``. No URL and no outlet: ``None``
(the pipeline falls back to the file stem).

Date, in order: the input's own field (``json``, ``html-meta``, ``feed``), a
date in the URL path (``url``), a dateline in the first lines of a plain text
(``text``), ``settings.default_date`` (``cli``), and last a date inferred
from the text's own dated events (``inferred``: a weekday with day and month,
the latest past-tense absolute date). Never today by default: a wrong date
silently shifts every relative date in the timeline.

With no outlet from the input, the URL or the map, the article's own
masthead/appeal/copyright lines give a *guessed* one (``outlet_source``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from manysides.errors import IngestError
from manysides.ingest.base import RawArticle
from manysides.lang.en import MONTH_PATTERN, MONTHS, WEEKDAYS

LANGUAGE_SAMPLE_CHARS = 2000
# lingua's distance between the best and second-best language; below it the
# detector answers None instead of guessing between close languages (ru/uk).
_LANGUAGE_MIN_DISTANCE = 0.1
# Fewer letters than this (a caption, a menu word) is no evidence of a language.
_LANGUAGE_MIN_LETTERS = 20

_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_.]|$)")
_URL_COMPACT_DATE = re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|$)")
_MONTH = r"(" + MONTH_PATTERN + r")\.?"
_TEXT_DATES = (
    (re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b"), ("y", "m", "d")),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b"), ("d", "m", "y")),
    (re.compile(r"\b(\d{1,2})\s+" + _MONTH + r",?\s+((?:19|20)\d{2})\b", re.IGNORECASE), ("d", "M", "y")),
    (re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b", re.IGNORECASE), ("M", "d", "y")),
)
_DATELINE_MAX_CHARS = 80
_DATELINE_LINES = 5


# ---------------------------------------------------------------- outlet


def url_domain(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:  # a malformed URL ("http://[x") names no domain
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def outlet_from_map(domain: str, outlet_map: dict[str, str]) -> str | None:
    """Longest mapped domain that equals ``domain`` or is a parent of it."""
    best: tuple[int, str] | None = None
    for mapped, name in outlet_map.items():
        key = mapped.lower().strip().removeprefix("www.").rstrip(".")
        if key and (domain == key or domain.endswith("." + key)):
            if best is None or len(key) > best[0]:
                best = (len(key), name)
    return best[1] if best else None


def resolve_outlet(explicit: str | None, url: str | None, outlet_map: dict[str, str]) -> str | None:
    if explicit and explicit.strip():
        return explicit.strip()
    domain = url_domain(url)
    if domain is None:
        return None
    return outlet_from_map(domain, outlet_map) or domain


def load_outlet_map(path: str | Path) -> dict[str, str]:
    """Read a domain -> outlet name mapping.

    Accepts JSON (an object), TOML (top-level keys, or an ``[outlets]`` table)
    or a plain file of ``domain = Name`` lines (``#`` comments allowed).
    """
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise IngestError(str(path), f"cannot read outlet map ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise IngestError(str(path), "outlet map is not UTF-8") from None
    stripped = content.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith("{"):
        try:
            data = json.loads(content)
        except json.JSONDecodeError as error:
            raise IngestError(str(path), f"outlet map is not valid JSON (line {error.lineno})") from None
        return _outlet_table(data, path)
    import tomllib

    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError:
        return _outlet_lines(content, path)
    return _outlet_table(data.get("outlets", data), path)


def _outlet_table(data: Any, path: Path) -> dict[str, str]:
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise IngestError(str(path), "outlet map must map domain names to outlet names")
    return {str(domain).strip().lower(): name.strip() for domain, name in data.items()}


def _outlet_lines(content: str, path: Path) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for number, line in enumerate(content.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        domain, sep, name = line.partition("=")
        if not sep or not domain.strip() or not name.strip():
            raise IngestError(f"{path}:{number}", "expected 'domain = Outlet name'")
        mapping[domain.strip().strip("\"'").lower()] = name.strip().strip("\"'")
    return mapping


_OUTLET_NAME = r"(?P<name>(?:[Tt]he )?[A-Z][\w&'’.-]*(?: (?:of |on |and |& )?[A-Z][\w&'’.-]*){0,5})"
# The article's own masthead, appeal and copyright lines name the outlet that published it.
_MASTHEAD_LINES = (
    re.compile(r"^\s*(?:©|\((?i:c)\)|(?i:copyright))\s*©?\s*(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)?[,\s]*"
               + _OUTLET_NAME),
    re.compile(r"^\s*(?i:support|subscribe to|donate to)\s+" + _OUTLET_NAME + r"\s*[!.]?\s*$"),
    re.compile(r"\b(?i:is the editor(?:-in-chief)? of|is editor(?:-in-chief)? of)\s+" + _OUTLET_NAME),
)
_NOT_OUTLET = re.compile(r"^(?:the )?(?:all rights reserved|us|our|independent|journalism|this|today)\b", re.IGNORECASE)


def guess_outlet(text: str) -> str | None:
    """An outlet named by the article's own masthead/appeal/copyright lines ("© 2022 The Valley Courier")."""
    names: list[str] = []
    for line in text.splitlines():
        if len(line) > 200:
            continue
        for pattern in _MASTHEAD_LINES:
            match = pattern.search(line)
            if not match:
                continue
            name = re.split(r"\.?\s+(?i:all|ltd|inc|llc)\b", match.group("name"))[0].strip(" .,")
            if len(name) >= 3 and not _NOT_OUTLET.match(name):
                names.append(name)
    if not names:
        return None
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda name: (counts[name], -names.index(name)))


# ---------------------------------------------------------------- dates


def parse_date(value: Any) -> dt.date | None:
    """A date from a metadata value (ISO, RFC 2822, epoch seconds, "10 September 2022"); None if unsure."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    # Slash dates (03/04/2023) are left out on purpose: day and month order is a guess.
    return date_in_text(text)


def date_from_url(url: str | None) -> dt.date | None:
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in (_URL_DATE, _URL_COMPACT_DATE):
        match = pattern.search(path)
        if match:
            found = _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if found:
                return found
    return None


def date_in_text(text: str) -> dt.date | None:
    for pattern, order in _TEXT_DATES:
        match = pattern.search(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups()))
        month = int(parts["m"]) if "m" in parts else MONTHS[parts["M"].lower()]
        found = _safe_date(int(parts["y"]), month, int(parts["d"]))
        if found:
            return found
    return None


def dateline_date(text: str) -> dt.date | None:
    """A date on a short line near the top ("10 September 2022", "Published: 2022-09-10")."""
    seen = 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        seen += 1
        if seen > _DATELINE_LINES:
            break
        if len(line) <= _DATELINE_MAX_CHARS:
            found = date_in_text(line)
            if found:
                return found
    return None


_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH_NAMED = r"(?P<month>" + MONTH_PATTERN + r")\.?"
# "Tuesday, March 14" / "on Tuesday 14 March" with no year after it: the weekday fixes the year.
_WEEKDAY_DATE = re.compile(
    r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r")\b,?\s+(?:the\s+)?(?:"
    + _DAY + r"\s+(?:of\s+)?" + _MONTH_NAMED.replace("month", "month_a") + r"|"
    + _MONTH_NAMED + r"\s+" + _DAY.replace("day", "day_b") + r")\b(?!,?\s*(?:19|20)\d{2})",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d{2})\b")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
_PAST = re.compile(r"\b(was|were|had|said|told|did|took|came|went|began|left|\w{3,}ed)\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(will|would|shall|plans? to|is to|are to|scheduled|expected to|due to|next)\b", re.IGNORECASE)
# A text's own dates can be older than this and still be its publication date; search no further back.
_WEEKDAY_YEARS_BACK = 40


def weekday_dates(text: str, *, today: dt.date) -> list[dt.date]:
    """Dates written as weekday + day + month without a year, each given the year that fits.

    The years the text itself names are tried first, then the years back from today.
    """
    named_years = sorted({int(y) for y in _YEAR.findall(text) if int(y) <= today.year}, reverse=True)
    found = []
    for match in _WEEKDAY_DATE.finditer(text):
        weekday = WEEKDAYS[match.group("weekday").lower()]
        month = MONTHS[(match.group("month_a") or match.group("month")).lower()]
        day = int(match.group("day") or match.group("day_b"))
        years = [*named_years, *range(today.year, today.year - _WEEKDAY_YEARS_BACK, -1)]
        for year in years:
            candidate = _safe_date(year, month, day)
            if candidate and candidate <= today and candidate.weekday() == weekday:
                found.append(candidate)
                break
    return found


def past_event_dates(text: str, *, today: dt.date) -> list[dt.date]:
    """Absolute dates (day, month and year) in sentences told in the past tense, none in the future."""
    found = []
    for sentence in _SENTENCE_SPLIT.split(text):
        if not _PAST.search(sentence) or _FUTURE.search(sentence):
            continue
        for pattern, order in _TEXT_DATES:
            for match in pattern.finditer(sentence):
                parts = dict(zip(order, match.groups()))
                month = int(parts["m"]) if "m" in parts else MONTHS[parts["M"].lower()]
                candidate = _safe_date(int(parts["y"]), month, int(parts["d"]))
                if candidate and candidate <= today:
                    found.append(candidate)
    return found


def infer_publication_date(text: str, *, today: dt.date | None = None) -> dt.date | None:
    """The latest date the text dates its own events by: a weekday with day and month, or a past-tense absolute date.

    An article is published on or after the events it reports, so the latest
    such date is the best guess; it is marked ``inferred``.
    """
    today = today or dt.date.today()
    candidates = weekday_dates(text, today=today) + past_event_dates(text, today=today)
    return max(candidates) if candidates else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- language


@lru_cache(maxsize=8)
def _language_detector(languages: tuple[str, ...]):
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = []
    for code in languages:
        iso = getattr(IsoCode639_1, code.strip().upper(), None)
        if iso is not None and iso not in codes:
            codes.append(iso)
    if not codes:
        return None
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_minimum_relative_distance(_LANGUAGE_MIN_DISTANCE)
        # Trigram models only: loads in 0.1 s instead of 2 s, and on article-length
        # text (hundreds of characters) it picks the same language as high accuracy.
        .with_low_accuracy_mode()
        .build()
    )


def detect_language(text: str, languages: tuple[str, ...] | list[str]) -> str | None:
    """ISO 639-1 code among ``languages``, or None when the detector is unsure."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _LANGUAGE_MIN_LETTERS:
        return None
    detector = _language_detector(tuple(languages))
    if detector is None:
        return None
    language = detector.detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language is not None else None


def _declared_language(declared: str | None, languages: tuple[str, ...]) -> str | None:
    """``en-GB`` -> ``en`` when ``en`` is one of the configured languages."""
    if not declared:
        return None
    code = declared.strip().lower().replace("_", "-").split("-")[0]
    return code if code in languages else None


SUPPORTED_LANGUAGES = frozenset({"en"})


def not_english_failure(raw: RawArticle):
    """An ``InputFailure`` (E014) for an article detected in a language the analysis cannot read, else None."""
    if raw.language is None or raw.language in SUPPORTED_LANGUAGES:
        return None
    from lingua import IsoCode639_1, Language

    iso = getattr(IsoCode639_1, raw.language.upper(), None)
    name = Language.from_iso_code_639_1(iso).name.title() if iso is not None else raw.language
    from manysides.model import InputFailure

    return InputFailure(source=raw.source, reason=f"{name} text, English only for now", code="E014")


# ---------------------------------------------------------------- all together


def complete_metadata(raw: RawArticle, settings: Any) -> RawArticle:
    """Fill what the reader could not: outlet, date (with its source), language."""
    outlet = resolve_outlet(raw.outlet, raw.url, dict(settings.outlet_map))
    if raw.outlet and raw.outlet.strip():
        outlet_source = raw.outlet_source or "given"
    elif outlet is not None:
        outlet_source = "url"
    else:
        outlet = guess_outlet(raw.text)
        outlet_source = "guessed" if outlet else None
    published, date_source = raw.published, raw.date_source if raw.published else None
    if published is None:
        published = date_from_url(raw.url)
        date_source = "url" if published else None
    if published is None and raw.format in ("text", "markdown"):
        published = dateline_date(raw.text)
        date_source = "text" if published else None
    if published is None:
        published = parse_date(settings.default_date)
        date_source = "cli" if published else None
    if published is None:
        published = infer_publication_date(raw.text)
        date_source = "inferred" if published else None
    languages = tuple(settings.languages)
    # Detected first: page templates often declare a language the article is not in.
    language = detect_language(raw.text, languages) or _declared_language(raw.language, languages)
    return dataclasses.replace(
        raw, outlet=outlet, outlet_source=outlet_source, published=published, date_source=date_source,
        language=language,
    )
