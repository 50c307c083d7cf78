"""Junk removal with audited drops: a line-level cleaner.

Extractors (trafilatura) return the main text as one paragraph per line, but
scraped news still carries junk inside it: donation and subscription appeals,
photo credits, the headline repeated as the first line, author bios, ad labels,
"Read more" teaser blocks, share buttons, cookie notices. This module finds
those *lines* and says why, so that

    clean_text == apply_drops(raw_text, find_drops(raw_text, ...))

and every removal can be audited (``Article.dropped``).

How a line is judged (precision on body text matters more than recall on junk):

* Each line gets shape features: word count, final punctuation, share of
  lowercase words, capitalised-headline shape, a verb-ish word; from these,
  ``sentence_like`` (a real prose sentence) and ``fragment`` (a label, button
  or headline).
* Generic cue families (payment brands, imperative donate/subscribe/share
  verbs addressed to the reader, credit parentheticals, "X is a correspondent
  for", ad labels, teaser headers...) give evidence. A strong cue drops a line
  unless it is a long paragraph; a weak cue needs the line to also be a
  fragment, or to address the reader at the article's edges.
* Context: position (top lines, final part), neighbours (a teaser header
  followed by short headline-like lines), link density of the HTML block the
  line came from, and lines seen in many articles (cross-article boilerplate).

Nothing here is a list of phrases from one site; thresholds were set on the
invented fixtures in ``tests/fixtures/clean`` and checked on the Zyte article
extraction benchmark (``bench/extraction.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from manysides.model import DroppedSpan

# --------------------------------------------------------------------------
# Reasons (stable, human-readable codes shown in the audit)
# --------------------------------------------------------------------------

REASON_DONATION = "donation appeal"
REASON_SUBSCRIPTION = "subscription prompt"
REASON_PHOTO_CREDIT = "photo credit"
REASON_CREDIT_LINE = "credit line"
REASON_HEADLINE = "repeated headline"
REASON_AUTHOR_BIO = "author bio"
REASON_ADVERTISEMENT = "advertisement"
REASON_TEASER_TAIL = "teaser block (and everything after)"
REASON_TEASER_BLOCK = "teaser block"
REASON_TEASER_LINK = "teaser link"
REASON_SOCIAL = "share/social buttons"
REASON_COOKIES = "cookie notice"
REASON_BOILERPLATE = "cross-article boilerplate"
REASON_NAVIGATION = "navigation (link-dense)"
REASON_DATELINE = "date/byline residue"
REASON_METADATA = "page metadata"
REASON_FURNITURE = "page furniture"
REASON_COPYRIGHT = "copyright notice"

# A line is dropped when its score reaches this. Strong cues weigh 2.5, weak
# cues 1.0; shape and context add at most ~2 more. Long prose loses 1.5.
DROP_THRESHOLD = 2.0
STRONG = 2.5
WEAK = 1.0

# "The final part of the article" for teaser tails and bios: the last 40% of
# characters. Teaser blocks that start earlier are only cut locally.
TAIL_FRACTION = 0.6
LINK_DENSE = 0.75
HEAD_LINES = 3

# --------------------------------------------------------------------------
# Cue patterns: generic wording of each junk family, case-insensitive
# --------------------------------------------------------------------------

_I = re.IGNORECASE

PAYMENT_BRANDS = re.compile(
    r"\b(visa|master\s?card|paypal|apple\s?pay|google\s?pay|american express|amex|maestro|"
    r"bitcoin|ethereum|usdt|patreon|yoomoney|qiwi|sbp|mir card|webmoney|liqpay|stripe|venmo)\b",
    _I,
)
DONATION_STRONG = re.compile(
    r"(small favou?r to ask|remind me (later|in)|make a (one[- ]time|monthly|recurring) "
    r"(contribution|donation|gift)|^donate( now| today)?\W*$|chip in\b|buy us a coffee|"
    r"support (independent|quality|our|free) (journalism|media|reporting|press|work)|"
    r"\bwe (rely|depend) on (readers|you|our readers|donations))",
    _I,
)
READER_APPEAL = re.compile(
    r"\bif you (enjoyed|liked|like|value|appreciate|found) (this|our|the|reading)\b.{0,40}"
    r"\b(article|story|journalism|work|reporting|content|piece)",
    _I,
)
DONATION_WEAK = re.compile(
    r"\b(donat\w*|contribut(e|ion)s?|support (us|our|this|the project|the site|the editorial)|"
    r"become an? (member|patron|supporter|sponsor)|patrons?)\b",
    _I,
)
SUBSCRIPTION_WEAK = re.compile(
    r"\b(subscrib\w*|subscription|newsletters?|sign(ing)? ?up|sign in|log ?in|(?<!-)register(?!-)|"
    r"inbox|paywall|already a (member|subscriber)|unlimited access|free trial|"
    r"delivered (to|through) your|premium members?|paywalls?)\b",
    _I,
)
SOCIAL_WORDS = {
    "share", "shares", "tweet", "email", "e-mail", "print", "facebook", "twitter", "x",
    "whatsapp", "telegram", "linkedin", "reddit", "pinterest", "vk", "vkontakte", "flipboard",
    "instagram", "youtube", "tiktok", "copy", "link", "save", "like", "comment", "comments",
    "on", "this", "article", "story", "the", "us", "follow", "subscribe", "via", "messenger",
    "mail", "odnoklassniki", "viber", "and", "or", "to", "with", "friend", "a", "it",
}
SOCIAL_NETWORKS = re.compile(
    r"\b(facebook|twitter|instagram|youtube|telegram|whatsapp|linkedin|tiktok|vkontakte|"
    r"flipboard|pinterest|reddit|viber)\b",
    _I,
)
SOCIAL_CUE = re.compile(
    r"(^(share|tweet|like|follow)\b|\bshare (this|it|on|with)\b|\bfollow (us|him|her|them|@)|"
    r"like this (story|article)|\bfollow \S+ on (facebook|twitter|instagram|telegram)|"
    r"^(listen|watch) (to )?\S+ (live|on)\b)",
    _I,
)
# Case-sensitive inside case-insensitive patterns: "(ePA)" is an acronym, "(EPA)" a credit.
AGENCIES = (
    r"(?-i:Getty Images|Getty|AFP|Reuters|REUTERS|AP Photo|AP|EPA|TASS|RIA Novosti|Sputnik|"
    r"Shutterstock|Anadolu|Xinhua|EFE|dpa|DPA|Alamy|PA Images|PA Wire|Bloomberg|UNIAN|Ukrinform)"
)
PHOTO_CREDIT = re.compile(
    r"(\((?:[^()]{0,80}\b(?:via|photo|photograph|image|credit|pictured|file)\b[^()]{0,80}|"
    + AGENCIES
    + r"[^()]{0,40})\)\W*$"
    r"|^(photo|photograph|picture|image|illustration|video|main image|top image|photo credit|credit|"
    r"фото)s?\s*(\(.{0,40}\))?\s*(:|by\b|©|—|-)"
    r"|\b(photo|image|picture) ?(credit|courtesy)\b"
    r"|/\s*" + AGENCIES + r"\W*$"
    r"|[a-z)\]]\.\s?" + AGENCIES + r"$"
    r"|\bvia " + AGENCIES + r"\W*$)",
    _I,
)
COPYRIGHT = re.compile(
    r"(©|\ball rights reserved\b|^copyright\b|\(c\) \d{4}|for your personal,? non-commercial use|"
    r"may not be (re)?published, broadcast)",
    _I,
)
AUTHOR_BIO = re.compile(
    r"(^about the authors?\W*$|"
    r"^[A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3},? (is|was|has been) (an?|the) ([\w-]+ ){0,4}"
    r"(correspondent|reporter|editor|writer|journalist|columnist|contributor|analyst|"
    r"fellow|researcher|professor|author|producer|blogger|commentator|freelancer)\b)",
)
CREDIT_LINE = re.compile(
    r"(contributed (reporting|to this (report|article|story))|"
    r"^\W*(additional )?(reporting|writing|editing|edited|compiled|translated) by\b|"
    r"^write to .{0,60}\bat \S+@|may be reached at|can be reached at|"
    r"^(source|sources|via)\s*:|^\(?(with )?(reporting|additional reporting) from\b|"
    r"^this (story|article) (was|has been) (updated|corrected)|^updated (at|on)\b)",
    _I,
)
ADVERTISEMENT = re.compile(
    r"^(advertisement|advertising|advert|ad|ads|sponsor|sponsors|sponsored|sponsored content|"
    r"sponsored by .{0,40}|paid (content|post|partnership)|promoted|promotion|partner content|"
    r"(story|article) continues (below|after)( (the )?(advertisement|ad))?|"
    r"continue reading( (below|the main story))?|скрыть рекламу|реклама)\W*$",
    _I,
)
# A teaser labelled as paid ("Sponsored: Find out how…"): no body sentence opens with the label.
ADVERTISEMENT_LABEL = re.compile(
    r"^\W*(advertisement|sponsored( content| post)?|sponsor|paid (content|post|partnership)|promoted|"
    r"partner content)\s*[:|\u2013\u2014-]\s*\S",
    _I,
)
COOKIES = re.compile(r"\bcookies?\b", _I)
COOKIE_CONTEXT = re.compile(
    r"\b(we use|this (site|website) uses|uses cookies|accept|consent|privacy (policy|settings)|"
    r"manage (preferences|settings)|opt[- ]out|browsing experience)\b",
    _I,
)
TEASER_HEADER = re.compile(
    r"^\W*(read (more|also|next)|see (more|also)|related( (articles?|stories|posts|coverage|content|news|"
    r"reading|links|topics))?|more (in|from|on|stories|news|to (read|explore))\b.{0,40}|"
    r"(the )?(week['’]?s|day['’]?s|today['’]?s)? ?top stories|most (read|popular|viewed|shared)\b.{0,30}|"
    r"you (may|might) (also )?(like|be interested in|have missed)|recommended( for you| stories)?|"
    r"trending( now| stories)?|(don['’]?t|do not) miss( this)?|editor['’]?s (picks?|choice)|"
    r"latest (news|stories|articles|headlines)|also (read|on|see)|further reading|"
    r"more|also|what to read next|popular( now| stories)?|more like this|in other news|"
    r"other (news|stories)|читайте также|по теме|ещё по теме)\W*$",
    _I,
)
TEASER_PREFIX = re.compile(
    r"^\W*(read (more|also|next)|see (more|also)|related( \w+)?|more(?-i:(?: [A-Z][\w.]*){0,3})|"
    r"also (read|on|see)\b[^:]{0,30}|watch|listen|recommended|don['’]?t miss|more on this|"
    r"читайте также|по теме)\s*[:|\-–—]\s*\S",
    _I,
)
TEASER_INLINE_AGENCY = re.compile(r"^also on \S+\.(com|ru|org|net|co\.uk)\b", _I)
FURNITURE = re.compile(
    r"^\W*(\d+ )?(comments?|tell us what you think|have your say|join the (conversation|discussion)|replies|reply|leave a (comment|reply)|tags?|filed under|print( article| this)?|"
    r"order reprints|e-?mail( article| this)?|save( article)?|share( article| this| story)?|"
    r"thank you|an error has occurred.{0,40}|loading.{0,10}|close|menu|back to top|skip to (main )?content|"
    r"show comments|view comments|hide comments|report an error|tempo de leitura.{0,20}|"
    r"reading time.{0,20}|\d+ min(ute)?s? read)\W*$",
    _I,
)
FURNITURE_PREFIX = re.compile(r"^(tags|filed under|categories|topics)\s*:", _I)
SOCIAL_PROFILE = re.compile(r"\b(twitter|x|facebook|instagram|t)\.(com|me)/\w+", _I)
URL_ONLY = re.compile(r"^\W*(https?://|www\.)\S+\W*$", _I)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
TWITTER_HANDLE = re.compile(r"(^|\s)@\w{2,}")
ISO_TIMESTAMP = re.compile(r"^\W*\d{4}-\d{2}-\d{2}(t\d{2}:\d{2}(:\d{2})?\S*)?\W*$", _I)

# Words that make up a date/time or byline residue ("Updated 5:45 AM PST
# 11/19/2019 by Jane Doe"); a top line made only of these and at most three
# other words is not prose.
DATE_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    "am", "pm", "a", "p", "m", "gmt", "utc", "bst", "cet", "cest", "est", "edt", "pst",
    "pdt", "cst", "cdt", "msk", "eet", "eest", "amt", "ist", "updated", "published",
    "posted", "last", "modified", "at", "on", "by", "and", "de", "às", "le", "am", "um",
}

CALENDAR_WORDS = {
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
_CLOCK_OR_NUMERIC_DATE = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")

IMPERATIVE_STARTS = {
    "support", "donate", "subscribe", "sign", "join", "follow", "share", "help", "give",
    "click", "read", "get", "become", "make", "contribute", "register", "download", "listen",
    "watch", "like", "tweet", "log", "login", "try", "start", "send", "tell", "buy", "order",
    "please", "don't", "dont", "see", "email", "visit", "enter", "chip", "keep",
}
READER_ADDRESS = re.compile(r"\b(you|your|yours|you're|you've)\b", _I)
FIRST_PERSON_PLURAL = re.compile(r"\b(we|us|our|we're|we've)\b", _I)

# Function words and common finite verbs: a line with none of them is rarely a
# sentence (English-centred; other languages fall back on punctuation/case).
VERBISH = {
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did",
    "will", "would", "can", "could", "may", "might", "must", "shall", "should", "said",
    "says", "say", "told", "added", "according", "took", "made", "came", "went", "got",
    "gave", "saw", "left", "began", "became", "remains", "remained", "seems", "appears",
}
TERMINAL = tuple('.!?…"”’»)]。！？:;')
_INTERNAL_SENTENCE_END = re.compile(r"[a-z][.!?]['\"”’]*(\s|[A-Z])")
_CLAUSE_SPLIT = re.compile(r"(?<=[.!?:—])\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


# --------------------------------------------------------------------------
# Line features
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the raw text with its offsets and shape features."""

    index: int
    start: int
    end: int  # includes the newline
    text: str  # stripped
    n_words: int
    terminal: bool
    lower_ratio: float
    capitalised_ratio: float
    verbish: bool

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def sentence_like(self) -> bool:
        """A real prose sentence: long enough, ends like one, mostly lowercase words."""
        if self.n_words < 5 or not self.terminal or self.text.endswith(":"):
            return False
        return self.lower_ratio >= 0.45 or (self.verbish and self.lower_ratio >= 0.3)

    @property
    def fragment(self) -> bool:
        """A label, button, caption head or headline rather than prose."""
        return not self.sentence_like and self.n_words <= 25

    @property
    def headline_shaped(self) -> bool:
        """Short, no final full stop, mostly capitalised words (or a bullet item)."""
        if self.n_words == 0 or self.n_words > 25 or self.text.endswith("."):
            return False
        return self.capitalised_ratio >= 0.5 or self.n_words <= 14 or self.text[:1] in "-•–*"


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _make_line(index: int, start: int, end: int, raw: str) -> Line:
    text = raw.strip()
    words = _words(text)
    n_words = max(len(words), len(_CJK.findall(text)) // 2)
    alphabetic = [w for w in words if not _CJK.match(w)]
    lower = sum(1 for w in alphabetic if w[0].islower())
    upper = sum(1 for w in alphabetic if w[0].isupper())
    cased = lower + upper
    return Line(
        index=index,
        start=start,
        end=end,
        text=text,
        n_words=n_words,
        terminal=text.endswith(TERMINAL),
        lower_ratio=(lower / cased) if cased else (1.0 if n_words else 0.0),
        capitalised_ratio=(upper / cased) if cased else 0.0,
        verbish=any(w.lower() in VERBISH or (len(w) > 4 and w.lower().endswith("ed")) for w in words),
    )


def split_lines(text: str) -> list[Line]:
    """The lines of ``text`` with offsets; each span includes its ``\\n``."""
    lines: list[Line] = []
    position = 0
    index = 0
    while position < len(text):
        newline = text.find("\n", position)
        end = len(text) if newline == -1 else newline + 1
        lines.append(_make_line(index, position, end, text[position:end]))
        position = end
        index += 1
    return lines


def normalise_line(text: str) -> str:
    """Key for comparing lines across articles: case, digits, spacing, punctuation folded."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"\d+", "0", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


# --------------------------------------------------------------------------
# HTML link density
# --------------------------------------------------------------------------

# Leaf-ish blocks only: extractor lines map to these, and skipping container
# divs keeps the pass linear-ish on large pages.
_BLOCK_TAGS = (
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt",
    "blockquote", "figcaption", "span", "a", "div",
)


def link_share_by_text(html: str) -> dict[str, float]:
    """Map each block's normalised text to the share of it that is link text.

    A text line from the extractor is matched to the HTML block with the same
    text; when the same text occurs in several blocks the lowest share wins
    (conservative: a headline that is both the <h1> and a teaser link is not
    link-dense).
    """
    try:
        import lxml.html
    except ImportError:  # pragma: no cover - lxml comes with trafilatura
        return {}
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return {}
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    shares: dict[str, float] = {}
    for element in root.iter(*_BLOCK_TAGS):
        text = element.text_content()
        if not text or len(text) > 1500:
            continue
        key = normalise_line(text)
        if not key:
            continue
        if element.tag == "a" or next(element.iterancestors("a"), None) is not None:
            link_chars = len(key)
        else:
            link_chars = sum(len(normalise_line(a.text_content())) for a in element.iter("a"))
        share = min(1.0, link_chars / len(key))
        previous = shares.get(key)
        shares[key] = share if previous is None else min(previous, share)
    return shares


# --------------------------------------------------------------------------
# Cross-article boilerplate
# --------------------------------------------------------------------------

# Articles that share more sentence-like lines than this are copies of one
# another (wire copy reprinted by several outlets), not a site template: their
# common lines are news and must stay.
WIRE_COPY_SHARED_LINES = 4


def repeated_boilerplate(texts: Iterable[str], *, min_articles: int = 3) -> frozenset[str]:
    """Normalised lines seen in at least ``min_articles`` different articles.

    Guard against wire copy: when the articles sharing a line also share more
    than ``WIRE_COPY_SHARED_LINES`` prose lines with each other, they are the
    same story reprinted and the shared lines are not boilerplate. Short
    fragments ("Share this article", "Advertisement") are boilerplate whatever
    else is shared.
    """
    line_sets: list[set[str]] = []
    prose_keys: set[str] = set()
    for text in texts:
        keys: set[str] = set()
        for line in split_lines(text):
            key = normalise_line(line.text)
            if not key:
                continue
            keys.add(key)
            if line.sentence_like:
                prose_keys.add(key)
        line_sets.append(keys)
    counts: Counter[str] = Counter(key for keys in line_sets for key in keys)
    repeated: set[str] = set()
    for key, count in counts.items():
        if count < min_articles:
            continue
        if key not in prose_keys:
            repeated.add(key)
            continue
        holders = [keys for keys in line_sets if key in keys]
        shared = set.intersection(*holders) & prose_keys
        if len(shared) <= WIRE_COPY_SHARED_LINES:
            repeated.add(key)
    return frozenset(repeated)


# --------------------------------------------------------------------------
# Judging lines
# --------------------------------------------------------------------------


def _similar_to_title(line: Line, title: str) -> bool:
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


def _is_social(line: Line) -> bool:
    words = [w.lower() for w in _words(line.text)]
    if not words:
        return False
    if len(words) <= 8 and sum(w in SOCIAL_WORDS for w in words) / len(words) >= 0.7:
        return True
    if line.n_words <= 25 and SOCIAL_CUE.search(line.text) and (
        SOCIAL_NETWORKS.search(line.text) or TWITTER_HANDLE.search(line.text) or line.fragment
    ):
        return True
    return False


def _is_dateline(line: Line) -> bool:
    words = [w.lower() for w in _words(line.text)]
    if not words or line.n_words > 14 or not re.search(r"\d", line.text):
        return False
    other = [w for w in words if w not in DATE_WORDS]
    has_date = any(w in CALENDAR_WORDS for w in words) or bool(_CLOCK_OR_NUMERIC_DATE.search(line.text))
    return has_date and len(other) <= 3


def _has_imperative_clause(text: str) -> bool:
    """Some sentence of the line opens with a call-to-act verb ("Sign up for ...")."""
    for clause in _CLAUSE_SPLIT.split(text):
        words = _words(clause)
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


def _judge(
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
    if at_top and _is_dateline(line):
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

    if _is_social(line):
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
        and re.search(r"\b(follow|reach|reached|contact|e-?mail|write)\b", text, _I)
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
        and not _INTERNAL_SENTENCE_END.search(text)  # quoted prose with a "Click to tweet" link
        and not (URL_ONLY.match(text) and not at_top)
    ):
        add(WEAK + 1.0 + (0.5 if in_tail or at_top else 0.0), REASON_NAVIGATION)

    if repeated and not long_prose:
        add(STRONG, REASON_BOILERPLATE)

    if not candidates:
        return None
    return max(candidates, key=lambda candidate: candidate[0])


def _teaser_like(line: Line, link_share: float | None) -> bool:
    if line.blank:
        return True
    if link_share is not None and link_share >= LINK_DENSE and line.n_words <= 40:
        return True
    return line.headline_shaped and not line.sentence_like


def find_drops(
    text: str,
    *,
    title: str | None = None,
    html: str | None = None,
    repeated_lines: frozenset[str] = frozenset(),
) -> list[DroppedSpan]:
    """Spans of ``text`` (whole lines) that are junk, each with a reason.

    ``title`` enables the repeated-headline check, ``html`` the link-density
    check, ``repeated_lines`` (from ``repeated_boilerplate``) the
    cross-article one. Spans are sorted and disjoint.
    """
    lines = split_lines(text)
    if not lines:
        return []
    shares = link_share_by_text(html) if html else {}
    content = [line for line in lines if not line.blank]
    tail_start = TAIL_FRACTION * len(text)
    top_indices = {line.index for line in content[:HEAD_LINES]}
    reasons: dict[int, str] = {}

    def share_of(line: Line) -> float | None:
        return shares.get(normalise_line(line.text)) if shares else None

    # 1. The headline repeated as the first line(s).
    if title:
        for position, line in enumerate(content):
            # at the top, exactly or nearly; further down only as a bare fragment
            if (position < HEAD_LINES or line.fragment) and _similar_to_title(line, title):
                reasons[line.index] = REASON_HEADLINE

    # 2. Teaser headers: cut the tail when only teasers follow, else the local block.
    for position, line in enumerate(content):
        if line.index in reasons or line.n_words > 10:
            continue
        if line.text.endswith(".") and not line.text.endswith(("...", "…")):
            continue
        if not TEASER_HEADER.match(line.text):
            continue
        following = content[position + 1 :]
        teaser_flags = [_teaser_like(other, share_of(other)) for other in following]
        prose_after = sum(1 for other in following if other.sentence_like and not _teaser_like(other, share_of(other)))
        if line.start >= tail_start and (not following or (sum(teaser_flags) >= 0.75 * len(following) and prose_after <= 1)):
            for other in lines[line.index :]:
                reasons.setdefault(other.index, REASON_TEASER_TAIL)
            break
        run = []
        for other, flag in zip(following, teaser_flags, strict=True):
            if not flag:
                break
            run.append(other)
        if run:
            reasons[line.index] = REASON_TEASER_BLOCK
            for other in run:
                reasons.setdefault(other.index, REASON_TEASER_BLOCK)
        elif line.n_words <= 5:
            # a bare "More:" / "Related" label whose links the extractor already removed
            reasons[line.index] = REASON_TEASER_LINK

    # 3. Line by line.
    for line in content:
        key = normalise_line(line.text)
        if line.index in reasons:
            continue
        verdict = _judge(
            line,
            in_tail=line.start >= tail_start,
            at_top=line.index in top_indices,
            link_share=share_of(line),
            repeated=key in repeated_lines,
        )
        if verdict is not None and verdict[0] >= DROP_THRESHOLD:
            reasons[line.index] = verdict[1]

    # 4. A short label right above a dropped appeal is its heading ("Support us").
    for position, line in enumerate(content[:-1]):
        below = content[position + 1]
        reason = reasons.get(below.index)
        if line.index not in reasons and reason in (REASON_DONATION, REASON_SUBSCRIPTION, REASON_AUTHOR_BIO):
            if line.n_words <= 6 and not line.terminal and line.headline_shaped:
                reasons[line.index] = reason

    # 5. The line right below a dropped appeal that also calls on the reader
    #    ("Get the day's big stories delivered ... you love") belongs to it.
    for position, line in enumerate(content[1:], start=1):
        above = content[position - 1]
        reason = reasons.get(above.index)
        if line.index in reasons or reason not in (REASON_DONATION, REASON_SUBSCRIPTION):
            continue
        words = _words(line.text)
        if (
            line.start >= tail_start
            and line.n_words <= 40
            and words
            and words[0].lower() in IMPERATIVE_STARTS
            and READER_ADDRESS.search(line.text)
        ):
            reasons[line.index] = reason

    return _spans(lines, reasons)


def _spans(lines: Sequence[Line], reasons: dict[int, str]) -> list[DroppedSpan]:
    """Merge consecutive dropped lines with one reason; absorb the blank lines after each."""
    spans: list[DroppedSpan] = []
    index = 0
    while index < len(lines):
        reason = reasons.get(lines[index].index)
        if reason is None:
            index += 1
            continue
        start = lines[index].start
        end = lines[index].end
        index += 1
        while index < len(lines):
            line = lines[index]
            if reasons.get(line.index) == reason:
                end = line.end
            elif line.blank and line.index not in reasons:
                # a dropped paragraph takes its blank separator with it: "A\n\nJUNK\n\nB" -> "A\n\nB"
                end = line.end
            else:
                break
            index += 1
        spans.append(DroppedSpan(start=start, end=end, reason=reason))
    return spans


def segments(text: str, drops: Sequence[DroppedSpan]) -> Iterator[tuple[str, DroppedSpan | None]]:
    """``text`` in order as kept pieces ``(piece, None)`` and dropped ones ``(piece, drop)``.

    Overlapping drops are merged: a later drop yields only what the earlier ones
    did not already cover. Clean text, the report's struck-through view and
    ``manysides show`` are all walks over these pieces.
    """
    position = 0
    for drop in sorted(drops, key=lambda span: (span.start, span.end)):
        start = max(drop.start, position)
        if start > position:
            yield text[position:start], None
        if drop.end > start:
            yield text[start:drop.end], drop
        position = max(position, drop.end)
    if position < len(text):
        yield text[position:], None


def apply_drops(text: str, drops: Sequence[DroppedSpan]) -> str:
    """``text`` with every dropped span cut out, exactly (overlaps are merged)."""
    return "".join(piece for piece, drop in segments(text, drops) if drop is None)


__all__ = [
    "find_drops",
    "apply_drops",
    "segments",
    "repeated_boilerplate",
    "normalise_line",
    "split_lines",
    "link_share_by_text",
]
