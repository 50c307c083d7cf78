"""Check a summary sentence against the spans it cites: nothing in it that they don't support.

Every content word, number, name and date in the sentence must occur in the
cited text, compared after light normalisation:

* words are lowercased and lightly stemmed ("captured" = "capture", "cities" = "city"),
  possessives dropped ("Chile's" = "Chile");
* numbers are compared by value ("thirty" = "30", "2,000" = "2000",
  "1.5 million" = "1,500,000"; "3rd" = "third");
* month abbreviations equal their full names ("Sept." = "September").

Function words are skipped, but negations and modals are *not* function words
here: "did not capture" and "may have captured" mean something else than
"captured", so "not" and "may" need support like any content word. The only
words allowed without support are the summary's fixed attribution templates
("According to", "says", "reports", "Only", "that") and the names of the
outlets cited, because "According to <outlet>, …" is itself backed by the citation.
Two fixed phrases are template text too: a contested sentence's closing reason
(" — they give different figures") and the one-party flag ("(a party to the story)").

The status a sentence states must be the status of the claim group it cites:
"Only X reports …" needs a single-source group with one origin, "Only X (a party to
the story) says …" a single-source group whose origins all relay one party, and a
contested reason a contested group; a sentence saying "only" about a corroborated
group is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from manysides.lang import en
from manysides.model import Briefing, Citation, ClaimGroup, ClaimStatus, ConflictReason, GroupBasis

# Words the summary's templates add; everything else must come from the sources.
TEMPLATE_WORDS = frozenset({"according", "to", "says", "say", "reports", "report", "only", "that"})

# The contested template's closing reason, one per kind of conflict.
CONFLICT_REASONS: dict[ConflictReason, str] = {
    ConflictReason.NUMBER: "they give different figures",
    ConflictReason.STATE: "they describe opposite states",
    ConflictReason.NEGATION: "one denies what the other asserts",
    ConflictReason.EXPLANATION: "they give competing explanations",
    ConflictReason.ATTRIBUTION: "they attribute it differently",
    ConflictReason.MODEL: "they contradict each other",
}
REASON_SEPARATOR = " \u2014 "
ONE_PARTY_FLAG = "(a party to the story)"
# "Only X reports that …", "Only X says …": the single-source template, not a claim that starts "Only 3 …".
_ONLY = re.compile(r"^\W*only\b[^,;]{1,120}?\b(?:reports|says|say)\b", re.IGNORECASE)

# Function words (lang.en.STOPWORDS) leave out negations, modals and quantifiers
# that change a claim's strength: those need support like any content word.
STOPWORDS = en.STOPWORDS
_UNIT_NUMBERS = en.NUMBER_WORDS
_SCALES = en.SCALE_WORDS
_ORDINALS = en.ORDINALS

# A token: a number written with digits (thousands separators, decimals,
# ordinal suffix), or a word (letters, inner apostrophes).
_TOKEN = re.compile(
    r"(?P<num>\d[\d,]*(?:\.\d+)?)(?P<ord>st|nd|rd|th)?\b"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
)


@dataclass(frozen=True, slots=True)
class VerificationResult:
    ok: bool
    unsupported: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Item:
    """One thing that needs support: a word stem or a number value."""

    surface: str
    key: tuple[str, object]


# One light stemmer for the whole engine: "captured" = "capture", "Sept" = "September".
stem = en.stem


def _digits_value(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _items(text: str) -> list[_Item]:
    """Split text into the items that need support, numbers already valued."""
    tokens = [(m.group(0), m) for m in _TOKEN.finditer(text)]
    items: list[_Item] = []
    i = 0
    while i < len(tokens):
        surface, match = tokens[i]
        if match.group("num") is not None:
            value = _digits_value(match.group("num"))
            kind = "ord" if match.group("ord") else "num"
            j = i + 1
            if kind == "num" and j < len(tokens) and tokens[j][0].lower() in _SCALES:
                value = (value or 0) * _SCALES[tokens[j][0].lower()]
                surface = f"{surface} {tokens[j][0]}"
                j += 1
            items.append(_Item(surface, (kind, value)))
            i = j
            continue
        lower = surface.lower()
        if lower in _ORDINALS:
            items.append(_Item(surface, ("ord", float(_ORDINALS[lower]))))
            i += 1
            continue
        if lower in _UNIT_NUMBERS:
            # A run of number words: "two hundred", "thirty-five", "three thousand".
            value, current, j, words = 0.0, 0.0, i, []
            while j < len(tokens):
                word = tokens[j][0].lower()
                if word in _UNIT_NUMBERS:
                    current += _UNIT_NUMBERS[word]
                elif word in _SCALES and (current or value):
                    current = (current or 1) * _SCALES[word]
                    if _SCALES[word] >= 1000:
                        value, current = value + current, 0.0
                elif word == "and" and words and j + 1 < len(tokens) \
                        and tokens[j + 1][0].lower() in _UNIT_NUMBERS:
                    pass
                else:
                    break
                words.append(tokens[j][0])
                j += 1
            items.append(_Item(" ".join(words), ("num", value + current)))
            i = j
            continue
        items.append(_Item(surface, ("word", stem(surface))))
        i += 1
    return items


def _needs_support(item: _Item) -> bool:
    kind, key = item.key
    if kind != "word":
        return True
    return item.surface.lower().replace("’", "'") not in STOPWORDS and key not in STOPWORDS


def _support_keys(texts: Iterable[str]) -> set[tuple[str, object]]:
    keys: set[tuple[str, object]] = set()
    for text in texts:
        # Hyphenated compounds count both whole and by part ("pro-Beijing").
        for item in _items(text.replace("-", " ")):
            keys.add(item.key)
    return keys


def _allowed_keys(outlets: Iterable[str]) -> set[tuple[str, object]]:
    keys = {("word", stem(w)) for w in TEMPLATE_WORDS}
    for outlet in outlets:
        keys |= {item.key for item in _items(outlet.replace("-", " "))}
    return keys


def check_against(text: str, support_texts: Sequence[str], *, allowed: Iterable[str] = ()
                  ) -> VerificationResult:
    """Verify ``text`` against plain support texts; ``allowed`` names (outlets) need no support."""
    support = _support_keys(support_texts) | _allowed_keys(allowed)
    unsupported: list[str] = []
    for item in _items(text.replace("-", " ")):
        if not _needs_support(item) or item.key in support or item.surface in unsupported:
            continue
        # "Sept. 10th" cites "September 10": a digit ordinal may match the plain number.
        if item.key[0] == "ord" and ("num", item.key[1]) in support:
            continue
        unsupported.append(item.surface)
    return VerificationResult(ok=not unsupported, unsupported=unsupported)


def cited_texts(citations: Sequence[Citation], briefing: Briefing) -> tuple[list[str], list[str]]:
    """The text of each citation, and a problem line for each citation that points nowhere."""
    texts, problems = [], []
    ids = {article.id: article for article in briefing.articles}
    for number, citation in enumerate(citations, 1):
        span = citation.span
        article = ids.get(span.article_id)
        if article is None:
            problems.append(f"<citation {number}: no article {span.article_id}>")
        elif not 0 <= span.start < span.end <= len(article.clean_text):
            problems.append(f"<citation {number}: span {span.start}-{span.end} out of range>")
        else:
            texts.append(article.clean_text[span.start:span.end])
    return texts, problems


def without_templates(text: str) -> tuple[str, str | None, bool]:
    """``text`` without its fixed status phrases: (the rest, the contested reason or None,
    whether it carries the one-party flag)."""
    reason = None
    for phrase in CONFLICT_REASONS.values():
        tail = REASON_SEPARATOR + phrase
        stripped = text.rstrip().rstrip(".")
        if stripped.endswith(tail):
            reason, text = phrase, stripped[: -len(tail)] + "."
            break
    one_party = ONE_PARTY_FLAG in text
    return text.replace(" " + ONE_PARTY_FLAG, "").replace(ONE_PARTY_FLAG, ""), reason, one_party


def status_problem(text: str, group: ClaimGroup) -> str | None:
    """Why the status ``text`` states is not ``group``'s, or None when it agrees."""
    _, reason, one_party = without_templates(text)
    only = _ONLY.search(text) is not None
    if reason is not None and group.status is not ClaimStatus.CONTESTED:
        return f"<status: contested, but group {group.id} is {group.status.value}>"
    if only or one_party:
        if group.status is not ClaimStatus.SINGLE_SOURCE:
            return f"<status: only one source, but group {group.id} is {group.status.value}>"
        if one_party and group.basis not in (GroupBasis.ONE_PARTY, None):
            return f"<status: one party, but group {group.id} has basis {group.basis.value}>"
        if not one_party and group.basis is GroupBasis.ONE_PARTY:
            return f"<status: one origin, but group {group.id} relays one party from several origins>"
    return None


def verify_sentence(text: str, citations: Sequence[Citation], briefing: Briefing,
                    *, group_id: str | None = None) -> VerificationResult:
    """Is every content word, number, name and date of ``text`` found in its cited spans, and,
    when it cites claim group ``group_id``, is the status it states that group's?"""
    if not citations:
        return VerificationResult(ok=False, unsupported=["<no citation>"])
    texts, problems = cited_texts(citations, briefing)
    if problems:
        return VerificationResult(ok=False, unsupported=problems)
    if group_id is not None:
        group = next((g for g in briefing.claim_groups if g.id == group_id), None)
        if group is None:
            return VerificationResult(ok=False, unsupported=[f"<no claim group {group_id}>"])
        problem = status_problem(text, group)
        if problem is not None:
            return VerificationResult(ok=False, unsupported=[problem])
    body, _, _ = without_templates(text)
    return check_against(body, texts, allowed=[c.outlet for c in citations])
