"""Judging one line on its own: cue families, shape and position give a score and a reason."""

from __future__ import annotations

import re

from manysides.clean.lines import Line, line_words, normalise_line
from manysides.clean.patterns import (
    ADVERTISEMENT,
    ADVERTISEMENT_LABEL,
    AUTHOR_BIO,
    CALENDAR_WORDS,
    CLAUSE_SPLIT,
    CLOCK_OR_NUMERIC_DATE,
    COOKIES,
    COOKIE_CONTEXT,
    COPYRIGHT,
    CREDIT_LINE,
    DATE_WORDS,
    DONATION_STRONG,
    DONATION_WEAK,
    EMAIL,
    FIRST_PERSON_PLURAL,
    FURNITURE,
    FURNITURE_PREFIX,
    IMPERATIVE_STARTS,
    INTERNAL_SENTENCE_END,
    ISO_TIMESTAMP,
    LINK_DENSE,
    PAYMENT_BRANDS,
    PHOTO_CREDIT,
    READER_ADDRESS,
    READER_APPEAL,
    REASON_ADVERTISEMENT,
    REASON_AUTHOR_BIO,
    REASON_BOILERPLATE,
    REASON_COOKIES,
    REASON_COPYRIGHT,
    REASON_CREDIT_LINE,
    REASON_DATELINE,
    REASON_DONATION,
    REASON_FURNITURE,
    REASON_METADATA,
    REASON_NAVIGATION,
    REASON_PHOTO_CREDIT,
    REASON_SOCIAL,
    REASON_SUBSCRIPTION,
    REASON_TEASER_LINK,
    SOCIAL_CUE,
    SOCIAL_NETWORKS,
    SOCIAL_PROFILE,
    SOCIAL_WORDS,
    STRONG,
    SUBSCRIPTION_WEAK,
    TEASER_INLINE_AGENCY,
    TEASER_PREFIX,
    TWITTER_HANDLE,
    URL_ONLY,
    WEAK,
)


def similar_to_title(line: Line, title: str) -> bool:
    from rapidfuzz import fuzz

    line_key = normalise_line(line.text)
    title_key = normalise_line(title)
    if not line_key or not title_key or line.n_words < 2:
        return False
    if fuzz.ratio(line_key, title_key) >= 90:
        return True
    shorter, longer = sorted((line_key, title_key), key=len)
    # Titles often carry " | Outlet" or a kicker; lines sometimes drop a clause.
    if len(shorter) >= 0.6 * len(longer) and len(shorter.split()) >= 3:
        return fuzz.partial_ratio(shorter, longer) >= 95
    return False


def is_social(line: Line) -> bool:
    words = [w.lower() for w in line_words(line.text)]
    if not words:
        return False
    if len(words) <= 8 and sum(w in SOCIAL_WORDS for w in words) / len(words) >= 0.7:
        return True
    if line.n_words <= 25 and SOCIAL_CUE.search(line.text) and (
        SOCIAL_NETWORKS.search(line.text) or TWITTER_HANDLE.search(line.text) or line.fragment
    ):
        return True
    return False


def is_dateline(line: Line) -> bool:
    words = [w.lower() for w in line_words(line.text)]
    if not words or line.n_words > 14 or not re.search(r"\d", line.text):
        return False
    other = [w for w in words if w not in DATE_WORDS]
    has_date = any(w in CALENDAR_WORDS for w in words) or bool(CLOCK_OR_NUMERIC_DATE.search(line.text))
    return has_date and len(other) <= 3


def _has_imperative_clause(text: str) -> bool:
    """Some sentence of the line opens with a call-to-act verb ("Sign up for ...")."""
    for clause in CLAUSE_SPLIT.split(text):
        words = line_words(clause)
        if words and words[0].lower() in IMPERATIVE_STARTS:
            return True
    return False


def _appeal_score(line: Line, *, in_tail: bool, at_top: bool) -> float:
    """Extra evidence that a weak-cue line is addressed to the reader as a call to act."""
    score = 0.0
    if _has_imperative_clause(line.text):
        score += 0.5
    if READER_ADDRESS.search(line.text) or FIRST_PERSON_PLURAL.search(line.text):
        score += 0.5
    if line.fragment:
        score += 1.0
    elif line.sentence_like:
        # prose needs all three signals (imperative, address, edge position)
        score -= 0.5
    if in_tail or at_top:
        score += 0.5
    return score


def judge(
    line: Line,
    *,
    in_tail: bool,
    at_top: bool,
    link_share: float | None,
    repeated: bool,
) -> tuple[float, str] | None:
    """Score and reason for one line on its own; ``None`` when nothing points at junk."""
    text = line.text
    long_prose = line.n_words > 40 and line.sentence_like
    penalty = 1.5 if line.n_words > 40 else 0.0
    candidates: list[tuple[float, str]] = []

    def add(score: float, reason: str) -> None:
        candidates.append((score, reason))

    if ADVERTISEMENT.match(text):
        add(STRONG + 1, REASON_ADVERTISEMENT)
    elif ADVERTISEMENT_LABEL.match(text) and line.n_words <= 30:
        add(STRONG, REASON_ADVERTISEMENT)
    if ISO_TIMESTAMP.match(text) or (at_top and URL_ONLY.match(text)):
        add(STRONG + 1, REASON_METADATA)
    if EMAIL.search(text) and line.n_words <= 6 and not line.sentence_like:
        add(STRONG, REASON_METADATA)
    if FURNITURE.match(text) or (FURNITURE_PREFIX.match(text) and line.n_words <= 25):
        add(STRONG + 1, REASON_FURNITURE)
    if at_top and is_dateline(line):
        add(STRONG, REASON_DATELINE)

    # Donation appeals and payment methods.
    brands = {m.group(0).lower().replace(" ", "") for m in PAYMENT_BRANDS.finditer(text)}
    if len(brands) >= 2 and line.n_words <= 25:
        add(STRONG, REASON_DONATION)
    if DONATION_STRONG.search(text):
        add(STRONG - penalty, REASON_DONATION)
    elif DONATION_WEAK.search(text):
        add(WEAK + _appeal_score(line, in_tail=in_tail, at_top=at_top) - penalty, REASON_DONATION)

    subscription_cues = {m.group(0).lower() for m in SUBSCRIPTION_WEAK.finditer(text)}
    if subscription_cues:
        # several distinct cues ("sign up", "newsletter", "your inbox") make an appeal, not a mention
        extra = 0.5 * min(2, len(subscription_cues) - 1) if _has_imperative_clause(text) else 0.0
        add(WEAK + extra + _appeal_score(line, in_tail=in_tail, at_top=at_top) - penalty, REASON_SUBSCRIPTION)
    if READER_APPEAL.search(text) and (in_tail or at_top) and line.n_words <= 60:
        add(STRONG, REASON_SUBSCRIPTION)

    if is_social(line):
        add(STRONG, REASON_SOCIAL)

    if COOKIES.search(text) and COOKIE_CONTEXT.search(text):
        add(STRONG - penalty, REASON_COOKIES)

    if PHOTO_CREDIT.search(text) and line.n_words <= 60:
        add(STRONG - penalty, REASON_PHOTO_CREDIT)
    if COPYRIGHT.search(text) and line.n_words <= 30:
        add(STRONG, REASON_COPYRIGHT)

    if AUTHOR_BIO.search(text) and line.n_words <= 60 and (in_tail or at_top or text.lower().startswith("about")):
        add(STRONG, REASON_AUTHOR_BIO)
    if CREDIT_LINE.search(text) and line.n_words <= 50 and not long_prose:
        add(STRONG, REASON_CREDIT_LINE)
    if (
        (in_tail or at_top)
        and line.n_words <= 40
        and (EMAIL.search(text) or TWITTER_HANDLE.search(text) or SOCIAL_PROFILE.search(text))
        and re.search(r"\b(follow|reach|reached|contact|e-?mail|write)\b", text, re.IGNORECASE)
    ):
        add(STRONG, REASON_AUTHOR_BIO)

    # Inline teaser: "Read more: <another headline>".
    if TEASER_PREFIX.match(text) and line.n_words <= 30:
        add(STRONG, REASON_TEASER_LINK)
    elif TEASER_INLINE_AGENCY.match(text) and line.n_words <= 30:
        add(STRONG, REASON_TEASER_LINK)
    elif text.startswith("[") and text.endswith("]") and TEASER_PREFIX.match(text[1:]):
        add(STRONG, REASON_TEASER_LINK)

    if (
        link_share is not None
        and link_share >= LINK_DENSE
        and line.fragment
        and not INTERNAL_SENTENCE_END.search(text)  # quoted prose with a "Click to tweet" link
        and not (URL_ONLY.match(text) and not at_top)
    ):
        add(WEAK + 1.0 + (0.5 if in_tail or at_top else 0.0), REASON_NAVIGATION)

    if repeated and not long_prose:
        add(STRONG, REASON_BOILERPLATE)

    if not candidates:
        return None
    return max(candidates, key=lambda candidate: candidate[0])


def teaser_like(line: Line, link_share: float | None) -> bool:
    if line.blank:
        return True
    if link_share is not None and link_share >= LINK_DENSE and line.n_words <= 40:
        return True
    return line.headline_shaped and not line.sentence_like

