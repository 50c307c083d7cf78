"""Do two claims about the same thing disagree? Conflict detection from structure.

No NLI model ships on PyPI with usable weights, so the default detector reads
structure only:

- **NUMBER**: the same quantity (same unit, or the same counted noun, of the
  same referent) with values no reading reconciles. "more than 2,000" is a
  lower bound, "up to"/"nearly" an upper bound, "about"/"dozens" a +/-25 %
  band; lengths and areas are already in km / km² (``analyse.quantities``).
  Different demonyms in the two phrases ("Russian soldiers" vs "Ukrainian
  soldiers") mean different referents, not a conflict.
- **STATE**: the same place or actor in opposite states: captured / liberated
  / took control vs repelled / still holding / failed to take.
- **NEGATION**: the same predicate asserted by one claim and negated or put in
  doubt by the other ("captured" vs "no confirmation ... controlled").
- **EXPLANATION**: competing reasons for one act: orderly (regrouping, to
  reinforce, planned) vs forced (retreat, encirclement, fled).

Every rule requires a shared referent (an entity id, or a capitalised name
when claims carry no entities), so two unrelated sentences never conflict.
``ConflictDetector`` is the seam for an NLI model or an LLM later: anything
with ``find(a, b) -> ConflictFinding | None``; ``ChainDetector`` tries several.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from manysides.model import Claim, ConflictReason, Quantity

# Words that are capitalised but name no referent worth sharing.
_NOT_REFERENTS = frozenset("""
the a an this that these those it its he she they we i you his her their our monday tuesday
wednesday thursday friday saturday sunday january february march april may june july august
september october november december but and or if in on at by for of to from with as after before
when while there here some many according meanwhile however also earlier later mr mrs ms
""".split())
# Demonyms: they tell sides apart, but are too common to say two claims share a referent.
DEMONYMS = frozenset("""
russian russians ukrainian ukrainians american americans british western european belarusian
chechen polish german french
""".split())
_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|none|nobody|nothing|without|denied|denies|deny|denying|"
    r"refuted|rejected|dismissed|false|untrue|fake)\b|n[’']t\b", re.I)
_DOUBT = re.compile(
    r"\b(?:no (?:independent |official )?confirmation|unconfirmed|not (?:been )?(?:independently )?"
    r"(?:confirmed|verified)|could not (?:be )?(?:independently )?(?:confirm|verif)\w*|"
    r"unable to (?:confirm|verify)|failed to|denied|denies|deny|refuted|dismissed|"
    r"do(?:es)? not correspond to (?:reality|the facts)|untrue)\b", re.I)
_TAKEN = re.compile(
    r"\b(?:captur(?:e|ed|es|ing)|seiz(?:e|ed|es|ing)|t(?:ook|aken|akes?|aking) (?:full |complete )?"
    r"control|(?:fully |completely )?controll?(?:ed|s)?|under (?:\w+ ){0,2}control|liberat(?:e|ed|es|ing|ion)|"
    r"recaptur(?:e|ed|es|ing)|ret(?:ook|aken|ake)|fell|fallen|occupied|overr(?:an|un)|"
    r"entered|cleared|regained|won back)\b", re.I)
_HELD = re.compile(
    r"\b(?:repel(?:led|s)?|repuls(?:e|ed|es)|beat(?:en)? back|(?:still|continue[sd]? to) hold(?:s|ing)?|"
    r"holding out|held out|thwarted|foiled|remain(?:s|ed)? (?:in|under) (?:\w+ )?(?:hands|control)|"
    r"(?:units|troops|forces|garrison|soldiers) (?:still )?remain(?:s|ed)? in|"
    r"failed to (?:capture|take|seize|enter|break))\b", re.I)
_ORDERLY = re.compile(
    r"\b(?:regroup\w*|reinforc\w*|redeploy\w*|strengthen\w*|consolidat\w*|planned|"
    r"gesture of goodwill|goodwill|to concentrate|concentrat(?:e|ing) (?:efforts|forces))\b", re.I)
_FORCED = re.compile(
    r"\b(?:retreat\w*|fled|flee\w*|rout(?:ed)?|collaps\w*|encircl\w*|surround\w*|under threat|"
    r"forced to|panic\w*|abandon\w*|in disarray)\b", re.I)
_LOWER_BOUND = re.compile(r"\b(?:more than|over|at least|in excess of|upwards of|exceeding)\s+$", re.I)
_UPPER_BOUND = re.compile(r"\b(?:up to|less than|fewer than|under|at most|nearly|almost|no more than)\s+$",
                          re.I)
_ABOUT = re.compile(r"\b(?:about|around|roughly|approximately|some|an estimated|estimated|nearly|"
                    r"almost|close to)\s+$", re.I)
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_STOPWORDS = frozenset("""
a an the and or but of in on at to for from by with as is are was were be been being has have had
that this these those it its their they he she his her them said says say told according also which
who whom than then there here into over after before about would could will may might should not no
""".split())


def referent_key(word: str) -> str:
    """Crude spelling key so Kupiansk/Kupyansk or Balakliia/Balakliya meet: y->i, doubled letters once."""
    key = word.lower().strip("’'").replace("y", "i").replace("’s", "").replace("'s", "")
    return re.sub(r"(.)\1+", r"\1", key)


def stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


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
    referents: frozenset[str]  # entity ids and/or spelling keys of names (no demonyms)
    demonyms: frozenset[str]
    content: frozenset[str]  # stems of content words
    bounds: tuple[Bound, ...]
    negated: bool
    doubted: bool
    taken: bool
    held: bool
    orderly: bool
    forced: bool


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


def make_view(
    claim: Claim, text: str, *, origin_id: str = "", entity_types: dict[str, str] | None = None,
) -> ClaimView:
    """A ``ClaimView`` of ``claim`` whose span text is ``text``.

    Referents are the claim's entity ids (demonym-like NORP entities excluded)
    plus spelling keys of capitalised words past the first, so rules still work
    on claims from a pipeline without the entities stage.
    """
    entity_types = entity_types or {}
    words = _WORD.findall(text)
    names = {referent_key(w) for i, w in enumerate(words)
             if i > 0 and w[0].isupper() and w.lower() not in _NOT_REFERENTS}
    demonyms = frozenset(n for n in names | {w.lower() for w in words} if n in DEMONYMS)
    referents = {e for e in claim.entity_ids if entity_types.get(e) != "NORP"}
    referents |= {n for n in names if n not in DEMONYMS and len(n) > 2}
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
        taken=bool(_TAKEN.search(text)), held=bool(_HELD.search(text)),
        orderly=bool(_ORDERLY.search(text)), forced=bool(_FORCED.search(text)),
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
        x_dem = {w.lower() for x in xs for w in _WORD.findall(x.surface)} & DEMONYMS
        y_dem = {w.lower() for y in ys for w in _WORD.findall(y.surface)} & DEMONYMS
        if x_dem and y_dem and not x_dem & y_dem:
            continue
        # a count of the same thing said of the same event: share a referent or the predicate
        predicate_overlap = (a.content & b.content) - {stem(unit)} - {stem(unit + "s")}
        if not (a.referents & b.referents) and len(predicate_overlap) < 2:
            continue
        return ConflictFinding(ConflictReason.NUMBER,
                               f"{_fmt(xs[0])} vs {_fmt(ys[0])} ({unit or 'count'})")
    return None


def _state_polarity(view: ClaimView) -> tuple[int, ConflictReason | None]:
    """+1 taken, -1 not taken (and how: negated predicate or antonymous one), 0 no state."""
    if view.held:
        return -1, ConflictReason.STATE
    if view.taken and (view.doubted or view.negated):
        return -1, ConflictReason.NEGATION
    if view.taken:
        return 1, None
    return 0, None


def state_conflict(a: ClaimView, b: ClaimView) -> ConflictFinding | None:
    shared = a.referents & b.referents
    if not shared:
        return None
    pa, how_a = _state_polarity(a)
    pb, how_b = _state_polarity(b)
    if pa * pb != -1:
        return None
    reason = how_a or how_b
    place = ", ".join(sorted(shared)[:2])
    if reason is ConflictReason.STATE:
        return ConflictFinding(reason, f"opposite state of {place}: taken vs held/repelled")
    return ConflictFinding(ConflictReason.NEGATION, f"{place}: taken vs not confirmed/denied")


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


def explanation_conflict(a: ClaimView, b: ClaimView) -> ConflictFinding | None:
    a_kind = "orderly" if a.orderly and not a.forced else "forced" if a.forced and not a.orderly else None
    b_kind = "orderly" if b.orderly and not b.forced else "forced" if b.forced and not b.orderly else None
    if not a_kind or not b_kind or a_kind == b_kind:
        return None
    # the same act: the same actor (demonym counts here) or the same place
    if not (a.referents & b.referents or a.demonyms & b.demonyms):
        return None
    return ConflictFinding(ConflictReason.EXPLANATION,
                           "competing explanations: orderly regrouping vs forced retreat")


class StructuralConflictDetector:
    """The default detector: numbers, state, negation, explanation, in that order."""

    rules = (number_conflict, state_conflict, negation_conflict, explanation_conflict)

    def find(self, a: ClaimView, b: ClaimView) -> ConflictFinding | None:
        for rule in self.rules:
            finding = rule(a, b)
            if finding is not None:
                return finding
        return None


class ChainDetector:
    """Try detectors in order (e.g. an NLI/LLM backend, then the structural rules)."""

    def __init__(self, detectors: Sequence[ConflictDetector]):
        self.detectors = list(detectors)

    def find(self, a: ClaimView, b: ClaimView) -> ConflictFinding | None:
        for detector in self.detectors:
            finding = detector.find(a, b)
            if finding is not None:
                return finding
        return None
