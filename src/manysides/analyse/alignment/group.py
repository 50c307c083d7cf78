"""Alignment: claims from different articles that state the same thing become one group.

Pipeline (all claims of the story at once):

1. **Embed** every claim's text (``resources.embedder``; rows are unit length).
2. **Block**: each claim's candidates are its ``TOP_K`` nearest neighbours
   (chunked matrix product on the normalised embeddings, ``argpartition``)
   plus claims sharing a named referent (entity buckets larger than
   ``MAX_BUCKET`` are skipped: a country named everywhere blocks nothing), plus claims
   matching one domain-pack cue pair (competing explanations rarely share wording). Only candidate pairs
   are scored, so work beyond the one matrix product is O(n·k).
3. **Judge** a pair (``pairs.judge``): same fact / conflicting / related /
   unrelated, from embeddings of the claims and their predicates, agreement of
   subject and object, numbers of one measure, polarity and time; a conflict
   needs a clash *and* one proposition (or a domain pack's cue pair on a shared
   place or actor). When unsure: related, never conflicting.
4. **Conflicts**: a conflicting pair is a cannot-link and links both groups,
   with ``Conflict.detail``, one sentence naming the two sides and why.
5. **Cluster**: union-find over same-fact pairs by descending probability,
   refusing any merge that would join a cannot-link pair, two sentences of one
   article, or groups whose average P(same) falls below the cut.
6. **Label** each group:

   - CONTESTED when one of its claims conflicts with a claim of another group
     (``conflicts`` link both groups, with the reason);
   - CORROBORATED when its claims come from 2+ independent origins
     (``Origin``; passages copied from another origin count as that origin)
     **and** they are not all one party's relayed word: five outlets quoting
     the Russian defence ministry is still the ministry's claim, so such a
     group is SINGLE_SOURCE with the ministry as asserter. The exception is a
     direct quote carried by 2+ independent origins: what they corroborate is
     that the speaker *said* it, so the group is CORROBORATED with basis
     ``statement`` and the speaker as its asserter (the report says so);
   - SINGLE_SOURCE otherwise.

   ``ClaimGroup.basis`` records which reading
   applied: ``independent`` | ``statement`` | ``one_party`` | ``one_origin``.

   Marks: ``one_party`` when every asserter speaks for one side of the story
   (``Asserter.side`` or its entity's side) and that side has a stake: the story has
   another party to hold it against, and neither the side nor an asserter is a news
   organisation ("the Associated Press", "Israeli media", a name the story only ever cites
   as reporting); ``relayed`` when an outlet carries the claim as another outlet's
   report (a relayed passage, or an outlet as asserter): the reader sees that part of the
   coverage is a repeat, whatever the other outlets did.

Beside the pair judgement, three structural rules need no domain pack
(``conflicts.GenericConflictDetector``; each needs two different asserters): a
claim denying outright what another states ("the minister denied the meeting took
place", "refuting a report that …") is a NEGATION conflict; an act told as chosen by
one claim and as forced by another ("a planned consolidation" / "forced to close"),
both naming one event, is an EXPLANATION conflict. And three read as one fact however
worded: the same act of the same actor on a shared named referent (``one_act``), a
shorter cut of a longer rendering (``whole_rendering``), and one distinctive figure of
one measure in related claims or from one speaker (``same_figure``).

The pair model's weights come from public data (bench/train_pairs.py); the story
cut from the real-story dev split (bench/tune_pairs_dev.py).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from manysides.analyse.alignment.conflicts import (
    ClaimView,
    ConflictDetector,
    ConflictFinding,
    GenericConflictDetector,
    different_measures,
    event_words,
    explanation_reading,
    is_denial,
    make_view,
)
from manysides.analyse.alignment.pairs import (
    ContextDetector,
    PairContext,
    PairModel,
    Verdict,
    contexts,
    judge,
    load_pair_model,
    pair_features,
    story_roles,
)
from manysides.analyse.shared.clusters import ConstrainedUnion
from manysides.lang import en
from manysides.lang.en import singular
from manysides.model import (
    AlignmentStats,
    Asserter,
    Briefing,
    Claim,
    ClaimGroup,
    ClaimStatus,
    Conflict,
    ConflictReason,
    GroupBasis,
    GroupMark,
    QuoteKind,
)
from manysides.resources import Resources, Settings

TOP_K = 10
MAX_BUCKET = 60
# Same-claim score thresholds from the MRPC tuning half (bench/mrpc.py; model2vec: its cosine
# optimum 0.73 plus the margin MiniLM needed, since its aligner optimum was unstable): the
# aligner's score is cosine + referent bonus, so they sit a little above the plain cosine ones.
SAME_CLAIM_THRESHOLD = {"minilm": 0.66, "model2vec": 0.75, "tfidf": 0.52}
DEFAULT_THRESHOLD = 0.66
# Whether one article's two sentences may sit in one group. On the real-story dev split allowing it
# doubled recall's false chains (same-fact precision 0.71 -> 0.37 at P(same) 0.15), so no.
SAME_ARTICLE_IN_GROUP = False
# How far below the pair threshold a merged group's average pair score may fall.
GROUP_LINK_SLACK = 0.05
REFERENT_BONUS = 0.08
REFERENT_MISMATCH_PENALTY = 0.08
TIME_MISMATCH_PENALTY = 0.25
# Claims this far apart are not checked for conflicts unless they share a referent.
CONFLICT_MIN_COSINE = 0.2



@lru_cache(maxsize=1)
def _loaded_words() -> re.Pattern[str]:
    """Verdict words of news of any kind (the framing stage's general lexicon): a representative
    claim should carry as few as it can."""
    from importlib import resources

    text = resources.files("manysides.analyse.framing.lexicons").joinpath("loaded.txt").read_text("utf-8")
    terms = [line.split("\t")[0].strip() for line in text.splitlines()
             if line.strip() and not line.startswith("#")]
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\b",
                      re.I)


@dataclass(frozen=True, slots=True)
class PairScore:
    i: int
    j: int
    cosine: float
    score: float


def threshold_for(embedder_name: str) -> float:
    return SAME_CLAIM_THRESHOLD.get(embedder_name, DEFAULT_THRESHOLD)


def same_claim_score(a: ClaimView, b: ClaimView, cosine: float) -> float:
    """Cosine adjusted by referent overlap and date compatibility (numbers: see ``numbers_agree``)."""
    score = cosine
    if a.referents and b.referents:
        shared = len(a.referents & b.referents) / len(a.referents | b.referents)
        score += REFERENT_BONUS * shared if shared else -REFERENT_MISMATCH_PENALTY
    ta, tb = a.claim.time, b.claim.time
    if ta is not None and tb is not None and ta.granularity == tb.granularity == "day" \
            and ta.value != tb.value:
        score -= TIME_MISMATCH_PENALTY
    return score


def numbers_agree(a: ClaimView, b: ClaimView) -> bool:
    """False when a quantity in one has the same unit as one in the other but no value fits."""
    for unit in {x.unit for x in a.bounds} & {y.unit for y in b.bounds}:
        xs = [x for x in a.bounds if x.unit == unit]
        ys = [y for y in b.bounds if y.unit == unit]
        if not any(x.low <= y.high and y.low <= x.high for x in xs for y in ys):
            return False
    return True


def is_same_claim(a: ClaimView, b: ClaimView, cosine: float, threshold: float) -> bool:
    return numbers_agree(a, b) and same_claim_score(a, b, cosine) >= threshold


def nearest_neighbours(embeddings: np.ndarray, *, k: int = TOP_K, chunk: int = 1024) -> list[np.ndarray]:
    """Indices of each row's ``k`` most similar other rows, via a chunked matrix product."""
    n = embeddings.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        return [np.zeros(0, dtype=int) for _ in range(n)]
    out: list[np.ndarray] = []
    for start in range(0, n, chunk):
        block = embeddings[start : start + chunk] @ embeddings.T
        for r in range(block.shape[0]):
            block[r, start + r] = -np.inf
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        out.extend(top)
    return out


def candidate_pairs(views: Sequence[ClaimView], embeddings: np.ndarray, *, k: int = TOP_K) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for i, neighbours in enumerate(nearest_neighbours(embeddings, k=k)):
        for j in neighbours:
            j = int(j)
            pairs.add((i, j) if i < j else (j, i))
    buckets: dict[str, list[int]] = defaultdict(list)
    for i, view in enumerate(views):
        for ref in view.referents:
            buckets[ref].append(i)
        for name, _ in view.cues:
            # competing explanations of one act rarely share wording: block them on their cues
            buckets["\0cue:" + name].append(i)
    for members in buckets.values():
        if len(members) > MAX_BUCKET:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                pairs.add((i, j))
    return pairs


def _dated_apart(a: ClaimView, b: ClaimView) -> bool:
    """The two claims date their event to different days (or months, or years, alike)."""
    ta, tb = a.claim.time, b.claim.time
    if ta is None or tb is None or ta.granularity != tb.granularity or len(ta.value) != len(tb.value):
        return False
    # an unresolved part ("XXXX-06": June of a year the text never gives) clashes with nothing
    return any(x != y for x, y in zip(ta.value, tb.value, strict=True) if x != "X" and y != "X")


# Verbs too general to name an act by themselves.
_GENERAL_PREDICATES = frozenset({"be", "have", "do", "make", "get", "go", "take", "come", "give", "say"}) \
    | en.REPORTING_VERBS


def _same_actor(x: str | None, y: str | None) -> bool:
    """One subject, or one named inside the other ("quake" / "earthquake"); an unresolved pronoun
    (None) agrees with any subject."""
    if not x or not y:
        return True
    return x == y or x.endswith(y) or y.endswith(x)


def one_act(x: PairContext, y: PairContext) -> bool:
    """Two claims tell one act: the same predicate (not a light or reporting verb), the same
    subject, a named referent in common and no clash of numbers, negation or date."""
    rx, ry = x.roles, y.roles
    if not rx.predicate or rx.predicate != ry.predicate or rx.predicate in _GENERAL_PREDICATES:
        return False
    if not _same_actor(rx.subject, ry.subject) or rx.negated != ry.negated:
        return False
    a, b = x.view, y.view
    if not a.referents & b.referents or not numbers_agree(a, b):
        return False
    return not _dated_apart(a, b)


# Share of the shorter claim's content words the longer one holds for it to be a whole rendering.
WHOLE_RENDERING = 0.9
# Content words a cut must keep to say something of its own.
MIN_RENDERING_WORDS = 4


def _contained(a: ClaimView, b: ClaimView) -> float:
    if not a.content or not b.content:
        return 0.0
    return len(a.content & b.content) / min(len(a.content), len(b.content))


def whole_rendering(a: ClaimView, b: ClaimView) -> bool:
    """One claim's content words all stand in the other ("Rescuers pulled nine survivors from the
    rubble" in "… from the rubble of the building on Avenida Alemania"): the shorter is a cut of
    the longer, when it says enough, with the same polarity and no clash of numbers or dates."""
    if min(len(a.content), len(b.content)) < MIN_RENDERING_WORDS or _contained(a, b) < WHOLE_RENDERING:
        return False
    if a.negated != b.negated or a.doubted != b.doubted or not numbers_agree(a, b):
        return False
    return not _dated_apart(a, b)


def _one_speaker(a: Asserter, b: Asserter) -> bool:
    """The same named party (not an outlet's own voice) asserts both."""
    return not a.is_outlet_voice and not b.is_outlet_voice and _party_key(a) == _party_key(b)


def _distinctive(value: float) -> bool:
    """A figure two reports are unlikely to share by chance: a fraction or a number of three or more
    digits that is not a year ("3.7%", "224,000", not "three" or "2019")."""
    if value != int(value):
        return True
    return value >= 100 and not 1900 <= value <= 2100


def _figures(view: ClaimView) -> set[tuple[float, str]]:
    quantities = view.claim.quantities
    if not quantities:  # claims made without the claims stage: read them off the text
        from manysides.analyse.claims.quantities import extract_quantities

        quantities = extract_quantities(view.text, offset=view.claim.span.start, article_id=view.claim.span.article_id)
    return {(q.value, singular(q.unit.lower())) for q in quantities if _distinctive(q.value)}


def _referents_clash(a: ClaimView, b: ClaimView, kind_of: Mapping[str, str]) -> bool:
    """Both claims name referents of one kind and none in common ("Kabul" / "Baghdad"); names of
    different kinds ("the US economy" / "Nonfarm payrolls", misread as an organisation) do not
    clash. ``kind_of``: entity id -> type; other referent keys are names of no known kind."""
    def by_kind(view: ClaimView) -> dict[str, set[str]]:
        kinds: dict[str, set[str]] = defaultdict(set)
        for referent in view.referents:
            kinds[kind_of.get(referent, "name")].add(referent)
        return kinds

    kinds_a, kinds_b = by_kind(a), by_kind(b)
    return any(not kinds_a[kind] & kinds_b[kind] for kind in kinds_a.keys() & kinds_b.keys())


def same_figure(a: ClaimView, b: ClaimView, figures=_figures, kind_of: Mapping[str, str] | None = None) -> bool:
    """Two related claims that give one distinctive figure of one measure ("224,000 jobs" /
    "payrolls rose by 224,000", "3.7%" / "3.7 percent") state one fact, with no other number or
    date in conflict and no clash of named referents (of one kind, when ``kind_of`` gives the
    entities' types)."""
    figures_a, figures_b = figures(a), figures(b)
    if not figures_a or not figures_b:
        return False
    if not any(va == vb and (ua == ub or not ua or not ub) for va, ua in figures_a for vb, ub in figures_b):
        return False
    if _referents_clash(a, b, kind_of or {}):  # with no kinds, any two disjoint sets of names clash
        return False
    if not numbers_agree(a, b) or a.negated != b.negated:
        return False
    return not _dated_apart(a, b)


def generic_candidate_pairs(views: Sequence[ClaimView]) -> set[tuple[int, int]]:
    """Pairs the generic conflict rules must see although their wording differs: every denial
    with every other claim, every claim told as chosen with every claim told as forced."""
    deniers = [i for i, v in enumerate(views) if is_denial(v)]
    readings = [explanation_reading(v)[0] for v in views]
    chosen = [i for i, r in enumerate(readings) if r > 0]
    forced = [i for i, r in enumerate(readings) if r < 0]
    if not deniers and not (chosen and forced):
        return set()
    # both rules need a shared event word: an index of them keeps this linear in the story's size
    words = [event_words(v) for v in views]
    having: dict[str, set[int]] = defaultdict(set)
    for i, ws in enumerate(words):
        for w in ws:
            having[w].add(i)

    def sharing(i: int) -> set[int]:
        return set().union(*(having[w] for w in words[i] if len(having[w]) <= MAX_BUCKET)) - {i}

    pairs = {(min(i, j), max(i, j)) for i in deniers for j in sharing(i)}
    forced_set = set(forced)
    pairs |= {(min(i, j), max(i, j)) for i in chosen for j in sharing(i) & forced_set}
    return pairs


# Members of each side whose pairs stand for a would-be merge (8 x 8 pairs at most).
JOIN_SAMPLE = 8


def _spread(members: set[int]) -> list[int]:
    ordered = sorted(members)
    if len(ordered) <= JOIN_SAMPLE:
        return ordered
    step = len(ordered) / JOIN_SAMPLE
    return [ordered[int(n * step)] for n in range(JOIN_SAMPLE)]


def _group_id(claim_ids: list[str]) -> str:
    return "group-" + hashlib.sha1("|".join(sorted(claim_ids)).encode()).hexdigest()[:10]


def _party_key(asserter: Asserter) -> str:
    if asserter.side:
        return "side:" + asserter.side.lower()
    if asserter.entity_id:
        return "entity:" + asserter.entity_id
    return "name:" + " ".join(asserter.name.lower().split())


def _asserter_key(asserter: Asserter) -> str:
    return asserter.entity_id or " ".join(asserter.name.lower().split())


_QUOTE_MARKS = tuple(en.DOUBLE_QUOTES)


def _quotes_words(claim: Claim, quote_kind: dict[str, QuoteKind], briefing: Briefing) -> bool:
    """Whether the claim reports the speaker's own words: a direct quote, or a paraphrase
    that quotes some of them ("According to Zelensky, the army \"is showing its back\"")."""
    if not claim.quote_id:
        return False
    if quote_kind.get(claim.quote_id) == QuoteKind.DIRECT:
        return True
    return any(mark in briefing.text(claim.span) for mark in _QUOTE_MARKS)


def distinct_asserters(asserters: Sequence[Asserter]) -> list[Asserter]:
    """One entry per party: same entity, or one name's words within the other's ("Zelensky" in
    "Volodymyr Zelensky") on the same side; the fuller name is kept."""
    kept: list[Asserter] = []
    for asserter in sorted(asserters, key=lambda a: -len(a.name)):
        words = set(asserter.name.lower().split())
        if not any(
            (asserter.entity_id and asserter.entity_id == other.entity_id)
            or (asserter.side == other.side and asserter.is_outlet_voice == other.is_outlet_voice
                and words <= set(other.name.lower().split()))
            for other in kept
        ):
            kept.append(asserter)
    order = {id(a): n for n, a in enumerate(asserters)}
    return sorted(kept, key=lambda a: order[id(a)])


def representative_index(views: Sequence[ClaimView], members: Sequence[int]) -> int:
    """Most complete (referents, numbers, a date), least loaded, then outlet voice, then ~25 words."""

    def rank(i: int):
        view = views[i]
        completeness = len(view.referents) + len(view.bounds) + (view.claim.time is not None)
        loaded = len(_loaded_words().findall(view.text))
        words = len(view.text.split())
        return (-(completeness - 2 * loaded), not view.claim.asserter.is_outlet_voice,
                abs(words - 25), view.claim.id)

    return min(members, key=rank)


def claim_origins(briefing: Briefing) -> list[str]:
    """Origin id per claim: the passage's origin for sentences copied from another origin."""
    article_origin = {a: o.id for o in briefing.origins for a in o.article_ids}
    passages: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for p in briefing.passages:
        passages[p.article_id].append((p.start, p.end, p.origin_id))
    out = []
    for claim in briefing.claims:
        span = claim.span
        origin = article_origin.get(span.article_id, "article:" + span.article_id)
        for start, end, passage_origin in passages.get(span.article_id, []):
            if start <= span.start < end:
                origin = passage_origin
                break
        out.append(origin)
    return out


_REASON_WORDS = {
    ConflictReason.NUMBER: "give different figures",
    ConflictReason.STATE: "describe opposite states",
    ConflictReason.NEGATION: "one asserts what the other denies",
    ConflictReason.EXPLANATION: "give competing explanations",
    ConflictReason.ATTRIBUTION: "attribute it differently",
    ConflictReason.MODEL: "contradict each other",
}


def _who(claim: Claim) -> str:
    if claim.asserter.is_outlet_voice:
        return claim.outlet
    return f"{claim.asserter.name} (in {claim.outlet})"


def conflict_sentence(a: Claim, b: Claim, reason: ConflictReason, detail: str) -> str:
    """One plain sentence: which two claims disagree and why."""
    why = _REASON_WORDS.get(reason, "disagree")
    if reason is ConflictReason.NEGATION:
        return f"{_who(a)} and {_who(b)} disagree: {why}."
    return f"{_who(a)} and {_who(b)} {why}: {detail}."


# Cues with which a story cites a news organisation rather than a party.
_PRESS_CUES = frozenset({"reported", "reports", "report", "reporting", "published", "wrote", "writes"})


def _is_media(name: str, outlet_keys: dict[str, str]) -> bool:
    """A news organisation or anonymous sourcing ("the Associated Press", "Israeli media", "people
    familiar with…" are not counted; "sources"): it reports a stake, it holds none."""
    from manysides.analyse.origins.detect import relay_source

    words = name.lower().split()
    return bool(words) and (words[-1] in ("source", "sources") or relay_source(name, outlet_keys) is not None)


def _is_relayed(claim: Claim, origin: str, own_origin: str, outlet_origins: set[str]) -> bool:
    """A claim an outlet repeats from another outlet's report: in a relayed passage, or asserted by an outlet."""
    if origin != own_origin:
        return True
    return not claim.asserter.is_outlet_voice and claim.asserter.name.lower().removeprefix("the ") in outlet_origins


def align_claims(
    briefing: Briefing,
    embedder,
    *,
    detector: ConflictDetector | None = None,
    threshold: float | None = None,
    k: int = TOP_K,
    nlp=None,
    model: PairModel | None = None,
    cue_pairs: Sequence = (),
    parses=None,
    llm: Settings | None = None,
) -> tuple[list[ClaimGroup], AlignmentStats]:
    """Claim groups for ``briefing.claims`` and what the stage compared.

    Each candidate pair gets the pair judgement (``pairs.judge``): SAME pairs are
    merged (no merge across a conflict, and a merged group must agree on average),
    CONFLICT pairs link their groups, RELATED and UNRELATED pairs do nothing.
    ``threshold`` overrides the model's same-fact probability cut; ``cue_pairs`` are the
    story's domain-pack cues for state and explanation conflicts (``manysides.packs``).
    ``llm``: settings with an ``llm_url`` ask that endpoint about the pairs the model leaves
    undecided (``llm_judge``); its answers pass the same structural checks.
    """
    claims: list[Claim] = list(briefing.claims)
    if not claims:
        return [], AlignmentStats()
    detector = detector or ContextDetector(cue_pairs)
    embedder_name = embedder.name
    model = model or load_pair_model(embedder_name)
    threshold = threshold if threshold is not None else model.story or model.same
    if threshold != model.same:
        from dataclasses import replace

        model = replace(model, same=threshold, related=min(model.related, threshold / 2))
    entity_types = {e.id: e.type.value for e in briefing.entities}
    origins = claim_origins(briefing)
    article_origin = {a: o.id for o in briefing.origins for a in o.article_ids}
    texts = [briefing.text(c.span) for c in claims]
    views = [make_view(c, t, origin_id=o, entity_types=entity_types, cue_pairs=cue_pairs)
             for c, t, o in zip(claims, texts, origins, strict=True)]
    embeddings = np.asarray(embedder.encode(texts), dtype=np.float32)
    ctx: list[PairContext] = contexts(views, embeddings, embedder,
                                      roles=story_roles(briefing, views, nlp, parses))

    p_cache: dict[tuple[int, int], float] = {}
    figures = {id(v): _figures(v) for v in views}

    def figures_of(view: ClaimView) -> set[tuple[float, str]]:
        return figures[id(view)]

    def p_same(i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        if key not in p_cache:
            p = float(model.probability(pair_features(ctx[key[0]], ctx[key[1]])[0])[0])
            a, b = views[key[0]], views[key[1]]
            # a pair the structural rules read as one fact counts so in a group's average too
            if p < threshold and (one_act(ctx[key[0]], ctx[key[1]]) or whole_rendering(a, b)
                                  or p >= model.related and same_figure(a, b, figures_of, entity_types)):
                p = threshold
            p_cache[key] = p
        return p_cache[key]

    pairs = candidate_pairs(views, embeddings, k=k)
    # pairs only the generic conflict rules read (a denial and what it denies are worded apart):
    # checked by those rules alone, after the judged pairs
    generic_only = generic_candidate_pairs(views) - pairs
    generic = GenericConflictDetector()
    same: list[PairScore] = []
    conflicts: dict[tuple[int, int], ConflictFinding] = {}
    # what the engine decided for each cross-article pair it did not link as a conflict: the
    # optional LLM judge's candidates, kept only when it is asked
    ask_llm = llm is not None and bool(llm.llm_url) and llm.llm_pairs > 0
    judged: dict[tuple[int, int], tuple[Verdict, float]] = {}
    for i, j in sorted(pairs):
        a, b = views[i], views[j]
        same_article = a.claim.span.article_id == b.claim.span.article_id
        if same_article and _asserter_key(a.claim.asserter) == _asserter_key(b.claim.asserter):
            continue  # an article restating itself is neither a second report nor a dispute
        judgement = judge(ctx[i], ctx[j], model, structural=detector)
        p_cache[(i, j)] = judgement.p_same
        finding = None
        if judgement.verdict is not Verdict.CONFLICT and _party_key(a.claim.asserter) != _party_key(b.claim.asserter):
            # denial and chosen-vs-forced need no domain pack, only two parties that disagree
            finding = generic.find(a, b)
        if judgement.verdict is Verdict.CONFLICT and judgement.conflict is not None:
            if judgement.conflict.reason is ConflictReason.NUMBER and different_measures(a, b):
                continue  # two differently named rates: related, never conflicting
            conflicts[(i, j)] = judgement.conflict
        elif finding is not None:
            conflicts[(i, j)] = finding
        elif judgement.verdict is not Verdict.SAME and not same_article and (
                one_act(ctx[i], ctx[j]) or whole_rendering(a, b) or same_figure(a, b, figures_of, entity_types) and (
                    judgement.verdict is Verdict.RELATED or _one_speaker(a.claim.asserter, b.claim.asserter))):
            # the same act of the same actor on a named place or party: one fact however worded
            p_cache[(i, j)] = max(judgement.p_same, threshold)
            same.append(PairScore(i, j, float(embeddings[i] @ embeddings[j]), p_cache[(i, j)]))
            if ask_llm:
                judged[(i, j)] = (Verdict.SAME, p_cache[(i, j)])
            continue
        elif judgement.verdict is Verdict.SAME and not same_article:
            same.append(PairScore(i, j, float(embeddings[i] @ embeddings[j]), judgement.p_same))
        if ask_llm and not same_article and (i, j) not in conflicts:
            judged[(i, j)] = (judgement.verdict, judgement.p_same)
    for i, j in sorted(generic_only):
        a, b = views[i], views[j]
        if _party_key(a.claim.asserter) != _party_key(b.claim.asserter) and (
                finding := generic.find(a, b)) is not None:
            conflicts[(i, j)] = finding
    opinion = None
    if judged:
        from manysides.analyse.alignment.llm_judge import second_opinion

        opinion = second_opinion(judged, ctx, model, llm)
        conflicts.update(opinion.conflicts)
        dropped = set(opinion.vetoed) | set(opinion.conflicts)
        same = [s for s in same if (s.i, s.j) not in dropped]
        for i, j in opinion.same:  # an accepted answer stands for the pair in the groups' average too
            p_cache[(i, j)] = max(p_cache[(i, j)], threshold)
            same.append(PairScore(i, j, float(embeddings[i] @ embeddings[j]), p_cache[(i, j)]))

    def may_join(xs: set[int], ys: set[int]) -> bool:
        # Single link alone chains A~B~C into one group although A and C say
        # different things; the groups must also agree on average and on numbers.
        for i in xs:
            for j in ys:
                a, b = views[i], views[j]
                if not numbers_agree(a, b):
                    return False
                if a.claim.span.article_id == b.claim.span.article_id and not SAME_ARTICLE_IN_GROUP:
                    return False
        # the average over an even sample of each side: all cross pairs of two big groups would make
        # a 50-article story quadratic in its largest group
        scores = [p_same(i, j) for i in _spread(xs) for j in _spread(ys)]
        return sum(scores) / len(scores) >= threshold - GROUP_LINK_SLACK

    union = ConstrainedUnion(len(claims), set(conflicts), may_join)
    # a rendering whose words another one holds whole ("Rescuers pulled nine survivors from the
    # rubble" in "… from the rubble of the building overnight") joins first: one article's other
    # sentence must not take its place in the group by a slightly higher score
    for pair in sorted(same, key=lambda p: (_contained(views[p.i], views[p.j]) < WHOLE_RENDERING, -p.score)):
        union.try_union(pair.i, pair.j)
    member_lists = union.components()
    group_ids = [_group_id([claims[i].id for i in m]) for m in member_lists]
    group_of = {i: g for g, members in enumerate(member_lists) for i in members}

    links: dict[int, dict[tuple[int, ConflictReason], str]] = defaultdict(dict)
    for (i, j), finding in sorted(conflicts.items()):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        links[gi].setdefault((gj, finding.reason), conflict_sentence(claims[i], claims[j], finding.reason,
                                                                     finding.detail))
        links[gj].setdefault((gi, finding.reason), conflict_sentence(claims[j], claims[i], finding.reason,
                                                                     finding.detail))

    quote_kind = {q.id: q.kind for q in briefing.quotes}
    entity_side = {e.id: e.side for e in briefing.entities if e.side}
    outlet_names = {a.outlet_name.lower().removeprefix("the ") for a in briefing.articles if a.outlet_name}
    outlet_keys = {name: name for name in outlet_names}
    # a speaker the story only ever cites as reporting ("Politico reported …") is a news organisation
    cues_of: dict[str, set[str]] = defaultdict(set)
    for quote in briefing.quotes:
        cues_of[quote.speaker.lower().removeprefix("the ")].add((quote.cue or "").lower())
    outlet_keys |= {name: name for name, cues in cues_of.items() if cues and cues <= _PRESS_CUES}
    all_sides = ({c.asserter.side or entity_side.get(c.asserter.entity_id or "") for c in claims}
                 | set(entity_side.values()) | set(briefing.sides)) - {None}
    media = {side for side in all_sides if _is_media(side, outlet_keys)}
    story_parties = all_sides - media
    groups = []
    for g, members in enumerate(member_lists):
        member_claims = [claims[i] for i in members]
        asserters = distinct_asserters([c.asserter for c in member_claims])
        outlets = list(dict.fromkeys(c.outlet for c in member_claims))
        origin_ids = list(dict.fromkeys(origins[i] for i in members))
        relayed = all(not c.asserter.is_outlet_voice for c in member_claims)
        one_party = relayed and len({_party_key(c.asserter) for c in member_claims}) == 1
        direct_quotes = all(_quotes_words(c, quote_kind, briefing) for c in member_claims)
        group_conflicts = [
            Conflict(group_id=group_ids[other], reason=reason, detail=detail)
            for (other, reason), detail in sorted(links.get(g, {}).items(),
                                                  key=lambda kv: (group_ids[kv[0][0]], kv[0][1].value))
        ]
        if len(origin_ids) < 2:
            basis = GroupBasis.ONE_ORIGIN
            status = ClaimStatus.SINGLE_SOURCE
        elif one_party and not direct_quotes:
            basis = GroupBasis.ONE_PARTY
            status = ClaimStatus.SINGLE_SOURCE
        else:
            basis = GroupBasis.STATEMENT if one_party else GroupBasis.INDEPENDENT
            status = ClaimStatus.CORROBORATED
        if group_conflicts:
            status = ClaimStatus.CONTESTED
        marks = []
        sides = {c.asserter.side or entity_side.get(c.asserter.entity_id or "") for c in member_claims}
        if relayed and len(sides) == 1 and None not in sides and len(story_parties) >= 2 \
                and not sides & media and not any(_is_media(c.asserter.name, outlet_keys) for c in member_claims):
            # every asserter speaks for one party of a story with an opposite party: a stake
            marks.append(GroupMark.ONE_PARTY)
        if any(_is_relayed(c, origins[i], article_origin.get(c.span.article_id, origins[i]), outlet_names)
               for c, i in zip(member_claims, members, strict=True)):
            marks.append(GroupMark.RELAYED)
        groups.append(ClaimGroup(
            id=group_ids[g],
            claim_ids=[c.id for c in member_claims],
            representative_claim_id=claims[representative_index(views, members)].id,
            asserters=asserters,
            outlets=outlets,
            origin_ids=origin_ids,
            independent_origin_count=len(origin_ids),
            status=status,
            basis=basis,
            marks=marks,
            conflicts=group_conflicts,
        ))
    stats = AlignmentStats(
        embedder=embedder_name, threshold=threshold, claims=len(claims), candidate_pairs=len(pairs),
        same_claim_pairs=len(same), conflict_pairs=len(conflicts),
        llm_pairs_asked=opinion.asked if opinion else 0,
        llm_pairs_changed=len(opinion.same) + len(opinion.vetoed) + len(opinion.conflicts) if opinion else 0,
        notes=opinion.notes if opinion else [],
    )
    return groups, stats


def alignment_stage(briefing: Briefing, resources: Resources) -> Briefing:
    if not briefing.claims:
        return briefing.model_copy(update={"claim_groups": [], "alignment": AlignmentStats()})
    from manysides import packs as domain_packs

    cue_pairs = domain_packs.cue_pairs(domain_packs.story_packs(briefing, resources.settings))
    groups, stats = align_claims(briefing, resources.embedder, nlp=lambda: resources.nlp, cue_pairs=cue_pairs,
                                 parses=resources.parses, llm=resources.settings)
    return briefing.model_copy(update={"claim_groups": groups, "alignment": stats})
