"""Claim text a reader can read: no leading unresolved pronoun, no dateline, no clause debris.

A view function, not a stage: the briefing keeps the exact span (evidence), the
report shows ``readable_claim_text``. A leading "he"/"she"/"they" is replaced by
the name it refers to, in brackets the way quote editors do ("[Maria Alder]
said…"); the referent is the nearest earlier mention in the article of a fitting
kind (a person for he/she; a person, group, organisation or place for they),
else the claim's own named asserter.
"""

from __future__ import annotations

import re

from manysides.lang import en
from manysides.model import Briefing, Claim

# "KYIV, Ukraine (AP) — ", "LONDON (Reuters) - ", "Brookfield, Ohio — "
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,3})\s*(?:\([^)]{1,40}\))?\s*[-–—]{1,2}\s+"
)
_LEADING_DEBRIS = re.compile(r"^(?:[\s,;:.–—-]+|(?:and|but|or|so|that|which|while|as)\s+)+", re.I)
_TRAILING_DEBRIS = re.compile(r"[\s,;:–—-]+$|,?\s+(?:and|but|or|that|which|while)\s*$", re.I)
_PRONOUN = re.compile(r"^(he|she|they|his|her|their|him|them)\b", re.I)
_PERSON = ("PERSON",)
_GROUP = ("PERSON", "ORG", "NORP", "GPE")
_REACH = 800  # how far back (characters) a pronoun's referent may be


def _referent(briefing: Briefing, claim: Claim, pronoun: str) -> str | None:
    article = next((a for a in briefing.articles if a.id == claim.span.article_id), None)
    labels = _PERSON if pronoun.lower() in ("he", "she", "his", "her", "him") else _GROUP
    names = {e.id: e.canonical_name for e in briefing.entities}
    if article is not None:
        earlier = [m for m in article.mentions
                   if m.label in labels and claim.span.start - _REACH <= m.end <= claim.span.start]
        if earlier:
            mention = max(earlier, key=lambda m: m.end)
            return names.get(mention.entity_id or "", mention.text)
    asserter = claim.asserter
    if not asserter.is_outlet_voice and asserter.name and not _PRONOUN.match(asserter.name):
        return asserter.name
    return None


def readable_claim_text(briefing: Briefing, claim: Claim) -> str:
    """The claim's text for display: dateline and clause debris cut, a leading pronoun resolved."""
    text = briefing.text(claim.span).strip()
    text = _DATELINE.sub("", text, count=1) if _DATELINE.match(text) and len(text) > 40 else text
    text = _LEADING_DEBRIS.sub("", text)
    text = _TRAILING_DEBRIS.sub("", text).strip()
    if text.count("\u201c") > text.count("\u201d"):
        text = text.replace("\u201c", "", 1) if text.startswith("\u201c") else text + "\u201d"
    elif text.count('"') % 2 == 1:
        text = text[1:] if text.startswith('"') else text + '"'
    match = _PRONOUN.match(text)
    if match:
        name = _referent(briefing, claim, match.group(1))
        if name:
            possessive = match.group(1).lower() in ("his", "her", "their")
            text = f"[{en.possessive(name) if possessive else name}]" + text[match.end():]
    return text[:1].upper() + text[1:] if text else text
