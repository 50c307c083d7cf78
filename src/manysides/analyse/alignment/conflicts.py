"""Do two claims about the same thing disagree? Conflict detection from structure.

No NLI model ships on PyPI with usable weights, so the default detector reads
structure only:

- **NUMBER**: the same quantity (same unit, or the same counted noun, of the
  same referent) with values no reading reconciles. "more than 2,000" is a
  lower bound, "up to"/"nearly" an upper bound, "about"/"dozens" a +/-25 %
  band; lengths and areas are already in km / km² (``analyse.quantities``).
  Different countries in the two phrases ("Dutch farmers" vs "Belgian
  farmers") mean different referents, not a conflict.
- **STATE**: the same place or actor in opposite states, read from a domain
  pack's ``state`` cue pairs (``manysides.packs``; e.g. taken vs held).
- **NEGATION**: the same predicate asserted by one claim and negated or put in
  doubt by the other ("captured" vs "no confirmation ... controlled").
- **EXPLANATION**: competing reasons for one act, from a pack's ``explanation``
  cue pairs. Without a pack there are no state or explanation conflicts.

Every rule requires a shared referent (an entity id, or a capitalised name
when claims carry no entities), so two unrelated sentences never conflict.
``ConflictDetector`` is the seam for an NLI model or an LLM later: anything
with ``find(a, b) -> ConflictFinding | None``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from manysides.packs import CuePair
from manysides.lang import en
from manysides.model import Claim, ConflictReason, Quantity

# Words that are capitalised but name no referent worth sharing.
_NOT_REFERENTS = en.STOPWORDS | frozenset(w.lower() for w in (*en.WEEKDAYS, *en.MONTH_NAMES)) | frozenset(
    "according meanwhile however also earlier later mr mrs ms".split())
_NEGATION = re.compile(
    r"\b(?:" + "|".join(sorted(w for w in en.NEGATION_WORDS if w != "n't")) + r"|"
    + "|".join(f"{v}|{v}s|{v}d|{v}ed|{v[:-1]}ied|{v[:-1]}ies|{v}ing" for v in sorted(en.NEGATIVE_VERBS))
    + r"|false|untrue|fake)\b|n[’']t\b", re.I)
_DOUBT = re.compile(
    r"\b(?:no (?:independent |official )?confirmation|unconfirmed|not (?:been )?(?:independently )?"
    r"(?:confirmed|verified)|could not (?:be )?(?:independently )?(?:confirm|verif)\w*|"
    r"unable to (?:confirm|verify)|failed to|denied|denies|deny|refuted|dismissed|"
    r"do(?:es)? not correspond to (?:reality|the facts)|untrue)\b", re.I)
_LOWER_BOUND = re.compile(r"\b(?:more than|over|at least|in excess of|upwards of|exceeding)\s+$", re.I)
_UPPER_BOUND = re.compile(r"\b(?:up to|less than|fewer than|under|at most|nearly|almost|no more than)\s+$",
                          re.I)
_ABOUT = re.compile(r"\b(?:about|around|roughly|approximately|some|an estimated|estimated|nearly|"
                    r"almost|close to)\s+$", re.I)
_WORD = en.WORD
_STOPWORDS = en.STOPWORDS | en.MODAL_VERBS | en.NEGATION_WORDS | frozenset(
    {"said", "says", "say", "told", "according"})


def countries_named(words: Sequence[str]) -> frozenset[str]:
    """Countries the capitalised words name (a country, its nationality word or capital): they tell
    sides apart ("Dutch farmers" vs "Belgian farmers"), for any country."""
    from manysides.analyse.claims.sides import country_index

    index = country_index().country_of
    return frozenset(index[w.lower()] for w in words if w[:1].isupper() and w.lower() in index)


def _nationality_word(word: str) -> bool:
    """A nationality word or a country's alias ("Dutch", "Belgians"): too common to be a shared referent."""
    from manysides.analyse.claims.sides import country_index

    country = country_index().country_of.get(word.lower())
    return country is not None and country.lower() != word.lower()


def referent_key(word: str) -> str:
    """Crude spelling key so Kupiansk/Kupyansk or Balakliia/Balakliya meet: y->i, doubled letters once."""
    key = word.lower().strip("’'").replace("y", "i").replace("’s", "").replace("'s", "")
    return re.sub(r"(.)\1+", r"\1", key)


stem = en.stem


@dataclass(frozen=True, slots=True)
class Bound:
    unit: str
    low: float
    high: float
    surface: str


@dataclass(frozen=True, slots=True)
class ClaimView:
    """What conflict and alignment rules read from one claim, computed once."""

    claim: Claim
    text: str
    origin_id: str
    referents: frozenset[str]  # entity ids and/or spelling keys of names (no nationality words)
    demonyms: frozenset[str]  # countries the claim names, by country word or nationality word
    content: frozenset[str]  # stems of content words
    bounds: tuple[Bound, ...]
    negated: bool
    doubted: bool
    # (cue pair name, 0 first reading / 1 second) for each domain-pack cue the text matches
    cues: frozenset[tuple[str, int]] = frozenset()


def _quantity_bound(quantity: Quantity, text: str, rel_start: int) -> Bound:
    before = text[max(0, rel_start - 25) : max(0, rel_start)]
    value = quantity.value
    if _UPPER_BOUND.search(before) and not _ABOUT.search(before):  # first: 'no more than'
        low, high = 0.0, value
    elif _LOWER_BOUND.search(before):
        low, high = value, float("inf")
    elif quantity.approximate or _ABOUT.search(before):
        low, high = value * 0.75, value * 1.25
    else:
        low, high = value * 0.97, value * 1.03  # rounding ("2,000" vs "1,980")
    return Bound(quantity.unit, low, high, quantity.surface)


def cues_of(text: str, pairs: Sequence[CuePair]) -> frozenset[tuple[str, int]]:
    return frozenset((p.name, i) for p in pairs for i, cue in enumerate((p.first, p.second))
                     if cue.pattern.search(text))


def make_view(
    claim: Claim, text: str, *, origin_id: str = "", entity_types: dict[str, str] | None = None,
    cue_pairs: Sequence[CuePair] = (),
) -> ClaimView:
    """A ``ClaimView`` of ``claim`` whose span text is ``text``.

    Referents are the claim's entity ids (demonym-like NORP entities excluded)
    plus spelling keys of capitalised words past the first, so rules still work
    on claims from a pipeline without the entities stage.
    """
    entity_types = entity_types or {}
    words = _WORD.findall(text)
    capitalised = [w for i, w in enumerate(words)
                   if i > 0 and w[0].isupper() and w.lower() not in _NOT_REFERENTS]
    demonyms = countries_named(words)
    referents = {e for e in claim.entity_ids if entity_types.get(e) != "NORP"}
    referents |= {referent_key(w) for w in capitalised if not _nationality_word(w) and len(w) > 2}
    quantities = list(claim.quantities)
    if not quantities:
        from manysides.analyse.claims.quantities import extract_quantities

        quantities = extract_quantities(text, offset=claim.span.start, article_id=claim.span.article_id)
    bounds = []
    for q in quantities:
        if not q.unit:
            continue
        # quantities may be in article offsets (claims stage) or claim-relative; normalise
        rel = q.start - claim.span.start if q.start >= claim.span.start else q.start
        bounds.append(_quantity_bound(q, text, rel))
    content = frozenset(stem(w) for w in words if w.lower() not in _STOPWORDS and len(w) > 2)
    return ClaimView(
        claim=claim, text=text, origin_id=origin_id, referents=frozenset(referents),
        demonyms=demonyms, content=content, bounds=tuple(bounds),
        negated=claim.negated or bool(_NEGATION.search(text)), doubted=bool(_DOUBT.search(text)),
        cues=cues_of(text, cue_pairs),
    )


@dataclass(frozen=True, slots=True)
class ConflictFinding:
    reason: ConflictReason
    detail: str


class ConflictDetector(Protocol):
    """Anything that says whether two claims about the same thing disagree, and why."""

    def find(self, a: ClaimView, b: ClaimView) -> ConflictFinding | None: ...


def _compatible(x: Bound, y: Bound) -> bool:
    return x.low <= y.high and y.low <= x.high


def _fmt(bound: Bound) -> str:
    return bound.surface


def number_conflict(a: ClaimView, b: ClaimView) -> ConflictFinding | None:
    shared_units = {x.unit for x in a.bounds} & {y.unit for y in b.bounds}
    for unit in sorted(shared_units):
        xs = [x for x in a.bounds if x.unit == unit]
        ys = [y for y in b.bounds if y.unit == unit]
        if any(_compatible(x, y) for x in xs for y in ys):
            continue
        # the same quantity of the same referent: no clash of demonyms inside the phrases
        x_dem = countries_named([w for x in xs for w in _WORD.findall(x.surface)])
        y_dem = countries_named([w for y in ys for w in _WORD.findall(y.surface)])
        if x_dem and y_dem and not x_dem & y_dem:
            continue
        # a count of the same thing said of the same event: share a referent or the predicate
        predicate_overlap = (a.content & b.content) - {stem(unit)} - {stem(unit + "s")}
        if not (a.referents & b.referents) and len(predicate_overlap) < 2:
            continue
        return ConflictFinding(ConflictReason.NUMBER,
                               f"{_fmt(xs[0])} vs {_fmt(ys[0])} ({unit or 'count'})")
    return None


def _state_polarity(view: ClaimView, pair: CuePair) -> tuple[int, ConflictReason | None]:
    """+1 the first reading (e.g. taken), -1 the second or the first negated/doubted, 0 neither."""
    first, second = (pair.name, 0) in view.cues, (pair.name, 1) in view.cues
    if second:
        return -1, ConflictReason.STATE
    if first and (view.doubted or view.negated):
        return -1, ConflictReason.NEGATION
    if first:
        return 1, None
    return 0, None


def state_conflict(a: ClaimView, b: ClaimView, pairs: Sequence[CuePair] = ()) -> ConflictFinding | None:
    shared = a.referents & b.referents
    if not shared:
        return None
    for pair in pairs:
        if pair.kind != "state":
            continue
        pa, how_a = _state_polarity(a, pair)
        pb, how_b = _state_polarity(b, pair)
        if pa * pb != -1:
            continue
        reason = how_a or how_b
        place = ", ".join(sorted(shared)[:2])
        if reason is ConflictReason.STATE:
            return ConflictFinding(reason, f"{place}: {pair.first.label} vs {pair.second.label}")
        return ConflictFinding(ConflictReason.NEGATION,
                               f"{place}: {pair.first.label} vs not confirmed or denied")
    return None


_PREDICATE_NEGATION = re.compile(r"\b(?:not|never|no longer)\b|n[’']t\b", re.I)


def negation_conflict(a: ClaimView, b: ClaimView) -> ConflictFinding | None:
    """One statement and its negation: nearly the same content words, one verb negated.

    Only predicate negation counts here ("not", "never", "n't"): "no comment",
    "without bail" or "not guilty" in one of two paraphrases is not a denial
    (on MRPC the looser cue set flagged as many paraphrases as non-paraphrases).
    """
    a_neg = a.claim.negated or bool(_PREDICATE_NEGATION.search(a.text))
    b_neg = b.claim.negated or bool(_PREDICATE_NEGATION.search(b.text))
    if a_neg == b_neg or not (a.referents & b.referents):
        return None
    ca, cb = a.content, b.content
    if len(ca & cb) / max(1, len(ca | cb)) >= 0.6:
        return ConflictFinding(ConflictReason.NEGATION, "the same statement asserted and negated")
    return None


def explanation_conflict(a: ClaimView, b: ClaimView, pairs: Sequence[CuePair] = ()) -> ConflictFinding | None:
    # the same act: the same actor (a country word counts here) or the same place
    if not (a.referents & b.referents or a.demonyms & b.demonyms):
        return None
    for pair in pairs:
        if pair.kind != "explanation":
            continue
        a_kind = {i for n, i in a.cues if n == pair.name}
        b_kind = {i for n, i in b.cues if n == pair.name}
        if len(a_kind) == 1 and len(b_kind) == 1 and a_kind != b_kind:
            return ConflictFinding(ConflictReason.EXPLANATION,
                                   f"{pair.first.label} vs {pair.second.label}")
    return None


# Generic cues (``lang.en``): an act told as chosen or as forced, and an outright denial.
_INTENT = re.compile(r"\b(?:" + "|".join(en.INTENT_CUES) + r")\b", re.I)
_COMPULSION = re.compile(r"\b(?:" + "|".join(en.COMPULSION_CUES) + r")\b", re.I)
_DENIAL = re.compile(r"\b(?:" + "|".join(en.DENIAL_CUES) + r")\b", re.I)
_NEGATED_BEFORE = re.compile(r"(?:\b(?:not|never|no|nor)|n[’']t)[,\s]+(?:\w+[,\s]+){0,2}$", re.I)
# "could refute the claims at a trial": a denial that may come is none yet.
_MODAL_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(en.MODAL_VERBS)) + r")\s+(?:\w+\s+)?$", re.I)
# Words of the report itself, not of the event it reports.
_REPORT_WORDS = frozenset({"report", "reports", "reported", "article", "story", "stories", "claim", "claims",
                           "media", "journal", "newspaper", "incorrect", "factually", "false", "untrue"})
# How many letters of a word stand for its event ("closed" / "closure"): crude on purpose, and
# only ever read together with an opposite cue and a second asserter.
_EVENT_PREFIX = 4
_MIN_EVENT_WORD = 5


def explanation_reading(view: ClaimView) -> tuple[int, str | None]:
    """+1 told as chosen ("a planned step"), -1 as forced ("forced to close"), 0 neither or both;
    a negated cue ("not planned", "never forced") reads the other way. With the words read."""
    readings: dict[int, str] = {}
    for pattern, sign in ((_INTENT, 1), (_COMPULSION, -1)):
        for match in pattern.finditer(view.text):
            negated = _NEGATED_BEFORE.search(view.text[max(0, match.start() - 30):match.start()])
            readings.setdefault(-sign if negated else sign, match.group(0).lower())
    if len(readings) != 1:
        return 0, None
    sign, words = next(iter(readings.items()))
    return sign, words


def _event_words(text: str, *cues: re.Pattern[str]) -> frozenset[str]:
    """What a claim says happened, as word prefixes: common words only (a name shared by every
    sentence of a story says nothing about which event two of them tell)."""
    for cue in cues:
        text = cue.sub(" ", text)
    return frozenset(w.lower()[:_EVENT_PREFIX] for w in _WORD.findall(text)
                     if len(w) >= _MIN_EVENT_WORD and w.islower() and w not in _STOPWORDS
                     and w not in _REPORT_WORDS)


def event_words(view: ClaimView) -> frozenset[str]:
    """A claim's event words without its explanation or denial cues (for blocking pairs)."""
    return _event_words(view.text, _INTENT, _COMPULSION, _DENIAL)


def _one_event(a: ClaimView, b: ClaimView, *cues: re.Pattern[str], least: int = 1) -> bool:
    shared = _event_words(a.text, *cues) & _event_words(b.text, *cues)
    return len(shared) >= least


def generic_explanation_conflict(a: ClaimView, b: ClaimView, reading=None) -> ConflictFinding | None:
    """One act told as chosen by one claim and as forced by the other ("a planned consolidation"
    vs "forced to close"), the two naming one event: competing explanations, with no domain pack."""
    reading = reading or explanation_reading
    sa, words_a = reading(a)
    sb, words_b = reading(b)
    if sa * sb != -1 or not _one_event(a, b, _INTENT, _COMPULSION):
        return None
    return ConflictFinding(ConflictReason.EXPLANATION, f"{words_a} vs {words_b}")


def denied_text(view: ClaimView) -> str | None:
    """What the claim denies outright, or None: the words after a denial verb or verdict in its
    text ("refuting a report that troops would stay" -> "a report that troops would stay"), or the
    whole claim when a speaker's denial cue sits around it ("the minister denied [the meeting took
    place]"). A denial itself negated ("could not confirm or deny") denies nothing."""
    for match in _DENIAL.finditer(view.text):
        before = view.text[max(0, match.start() - 30):match.start()]
        if not _NEGATED_BEFORE.search(before) and not _MODAL_BEFORE.search(before):
            return view.text[match.end():]
    if view.claim.negated and not view.claim.asserter.is_outlet_voice and view.claim.quote_id is not None \
            and not _NEGATION.search(view.text) and not _DOUBT.search(view.text):
        return view.text
    return None


def is_denial(view: ClaimView) -> bool:
    return denied_text(view) is not None


def denial_conflict(a: ClaimView, b: ClaimView, denied=None) -> ConflictFinding | None:
    """One claim denies what the other states: the denial names the other's event (two shared
    event words, or one that is a third of what the short denial says) and the other is an
    assertion, not a denial or a negation itself."""
    denied_of = denied or denied_text
    da, db = denied_of(a), denied_of(b)
    if (da is None) == (db is None):
        return None
    denied, denier, other = (da, a, b) if da is not None else (db, b, a)
    if other.negated or other.doubted:
        return None
    own = _event_words(denied, _DENIAL)
    shared = own & _event_words(other.text, _DENIAL)
    # a short denied clause ("the meeting took place") names its event in one word or two
    whole = denied == denier.text
    if len(shared) >= 2 or (whole and shared and 3 * len(shared) >= len(own)):
        return ConflictFinding(ConflictReason.NEGATION, "one asserts what the other denies")
    return None


def _rate_names(text: str) -> frozenset[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    return frozenset(words[k - 1] for k, w in enumerate(words)
                     if w in en.RATE_NOUNS and k > 0 and words[k - 1] not in _STOPWORDS)


def different_measures(a: ClaimView, b: ClaimView) -> bool:
    """The two claims name different rates ("the jobless rate" / "the participation rate"): their
    percentages measure different things, whatever the counted unit says."""
    ra, rb = _rate_names(a.text), _rate_names(b.text)
    return bool(ra and rb and not ra & rb)


class GenericConflictDetector:
    """Conflicts any story can show without a domain pack: an outright denial of the other
    claim's event, and competing explanations (chosen vs forced). The caller checks that the two
    claims have different asserters: a speaker repeating both readings disputes nothing."""

    def __init__(self) -> None:
        # per-claim readings, computed once per story (a detector lives for one alignment)
        self._readings: dict[int, tuple[int, str | None]] = {}
        self._denied: dict[int, str | None] = {}

    def _reading(self, view: ClaimView) -> tuple[int, str | None]:
        if id(view) not in self._readings:
            self._readings[id(view)] = explanation_reading(view)
        return self._readings[id(view)]

    def _denied_text(self, view: ClaimView) -> str | None:
        if id(view) not in self._denied:
            self._denied[id(view)] = denied_text(view)
        return self._denied[id(view)]

    def find(self, a: ClaimView, b: ClaimView) -> ConflictFinding | None:
        return denial_conflict(a, b, self._denied_text) or generic_explanation_conflict(a, b, self._reading)


class StructuralConflictDetector:
    """The v0.1 detector: numbers, state, negation, explanation, in that order (state and
    explanation only with a domain pack's ``cue_pairs``)."""

    def __init__(self, cue_pairs: Sequence[CuePair] = ()):
        self.cue_pairs = tuple(cue_pairs)

    def find(self, a: ClaimView, b: ClaimView) -> ConflictFinding | None:
        for finding in (number_conflict(a, b), state_conflict(a, b, self.cue_pairs),
                        negation_conflict(a, b), explanation_conflict(a, b, self.cue_pairs)):
            if finding is not None:
                return finding
        return None
