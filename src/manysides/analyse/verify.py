"""Check a summary sentence against the spans it cites: nothing in it that they don't support.

Every content word, number, name and date in the sentence must occur in the
cited text, compared after light normalisation:

* words are lowercased and lightly stemmed ("captured" = "capture", "cities" = "city"),
  possessives dropped ("Russia's" = "Russia");
* numbers are compared by value ("thirty" = "30", "2,000" = "2000",
  "1.5 million" = "1,500,000"; "3rd" = "third");
* month abbreviations equal their full names ("Sept." = "September").

Function words are skipped, but negations and modals are *not* function words
here: "did not capture" and "may have captured" mean something else than
"captured", so "not" and "may" need support like any content word. The only
words allowed without support are the summary's fixed attribution templates
("According to", "says", "reports", "Only", "that") and the names of the
outlets cited, because "According to <outlet>, …" is itself backed by the citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from manysides.model import Briefing, Citation

# Words the summary's templates add; everything else must come from the sources.
TEMPLATE_WORDS = frozenset({"according", "to", "says", "say", "reports", "report", "only", "that"})

# Function words: articles, pronouns, prepositions, conjunctions, auxiliaries.
# Deliberately absent: negations (not, no, never, nor, without…), modals
# (may, might, will, would, could, should, must, can) and quantifiers that
# change a claim's strength (all, every, most, some, few, many, more, less).
STOPWORDS = frozenset(
    """
    a an the this that these those there here
    i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
    myself ourselves yourself himself herself itself themselves
    who whom whose which what where when why how whether
    and or but so yet if then than as because while although though since until unless
    of in on at by for with from into onto upon about above below over under between among through
    during before after against along around across behind beyond toward towards within via per
    up down out off away back
    be is am are was were been being
    have has had having do does did doing done
    also just even still too very such own same other another each both either
    's s t
    """.split()
)

_MONTHS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december",
}

_UNIT_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
    "thirtieth": 30,
}

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


def stem(word: str) -> str:
    """Lowercase, drop possessives and strip common inflections.

    Deliberately light: conflating "capture"/"captured" is what we want, while
    a real stemmer's "general" = "generous" kind of merge would let a rewrite
    slip through.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("'"):
        w = w[:-1]
    w = _MONTHS.get(w, w)
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""),
                                ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + replacement
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]  # "stopped" -> "stopp" -> "stop"
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]  # "advance"/"advanced" -> "advanc"
    return w


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
        # Hyphenated compounds count both whole and by part ("pro-Kremlin").
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


def verify_sentence(text: str, citations: Sequence[Citation], briefing: Briefing
                    ) -> VerificationResult:
    """Is every content word, number, name and date of ``text`` found in its cited spans?"""
    if not citations:
        return VerificationResult(ok=False, unsupported=["<no citation>"])
    texts, problems = cited_texts(citations, briefing)
    if problems:
        return VerificationResult(ok=False, unsupported=problems)
    result = check_against(text, texts, allowed=[c.outlet for c in citations])
    return result
