"""One judgement for two claims from different articles: same fact, conflicting, related or unrelated.

What the judgement reads (``pair_features``), all from what the two claims say:

- the event or state in context: cosine of the claims' embeddings, and of their
  predicates' embeddings (the main verb lemma, looking through reporting verbs);
- agreement of the arguments: who did it (subject) and to whom/what (object),
  each keyed to an entity when the claim's parse names one, plus the claims'
  shared named referents; content-word overlap and containment (a short and a
  long rendering of one quote);
- numbers, compared only when they measure the same thing: the counted noun
  (``Quantity.unit``) *and* the verb that governs it ("3,000 people attended"
  and "a town of 20,000 people" do not measure one thing); "about"/"more than"
  read as ranges (``conflicts._quantity_bound``);
- polarity of the same proposition: a negation counts only when it sits on the
  predicate both claims share; "the only vote against came from X" and "X was the
  lone opponent" carry no predicate negation, so they never clash;
- time: two different days for the event;
- what each sentence says that the other does not (``pair_text``): n-gram
  precision both ways, rarity-weighted word overlap, a soft word alignment
  through MiniLM's contextual word vectors (kept from the one forward pass that
  embeds the claims), names and figures only one side gives, character edit
  similarity and the length gap. On the MRPC tune half these lifted five-fold
  accuracy from 0.740 to 0.780: a topic shared is not a fact shared. Only the
  *paraphrase* weights read them (``load_pair_model(name, "paraphrase")``): they
  penalise a sentence for saying more than the other, and two outlets state one
  fact inside sentences of different reach, so on the real-story dev split they
  cut same-fact recall; the *claims* weights, which alignment uses, leave them out.

A logistic model over those features gives P(same fact); its weights and
thresholds, one set per embedder, are learned by ``bench/train_pairs.py`` on
public data (MRPC tune half, STS headlines, ECB+ train topics) and sit beside this
file in ``pair_weights.json``. A *conflict* needs both an explicit clash (numbers of
one measure, opposite polarity of one predicate, or a structural finding from
``conflicts``) and evidence that the claims speak of one proposition; anything
short of that is *related*, never conflicting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import numpy as np

from manysides.analyse.alignment.conflicts import ClaimView, ConflictFinding, _compatible
from manysides.analyse.alignment.pair_text import TEXT_FEATURES, TextSide, read_side, text_features
from manysides.lang.en import NEGATION_WORDS, REPORTING_VERBS, STOPWORDS, singular
from manysides.model import ConflictReason

WEIGHTS_PATH = Path(__file__).with_name("pair_weights.json")

CLAIM_FEATURES = (
    "cosine", "predicate_cosine", "predicate_known", "predicate_same", "token_jaccard",
    "containment", "referent_jaccard", "referent_disjoint", "subject_match", "object_match",
    "number_agree", "number_clash", "negation_mismatch", "time_clash", "bigram_jaccard",
    "number_mismatch", "referent_extra",
)
FEATURES = CLAIM_FEATURES + TEXT_FEATURES
# Verbs that carry no event of their own: a number they govern measures the noun, not an act.
_LIGHT_VERBS = frozenset({"be", "have"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_OBJECT_DEPS = ("dobj", "attr", "oprd", "dative")
# How alike two predicates' embeddings must be to count as one act (tuned on ECB+ train pairs).
SAME_PREDICATE_COSINE = 0.75


class Verdict(StrEnum):
    SAME = "same"
    CONFLICT = "conflict"
    RELATED = "related"
    UNRELATED = "unrelated"


@dataclass(frozen=True, slots=True)
class Roles:
    """Who did what to whom, read from a dependency parse of one claim."""

    predicate: str | None = None
    negated: bool = False
    subject: str | None = None
    object: str | None = None
    # counted noun (singular) -> lemmas of the verbs governing it
    measures: dict[str, frozenset[str]] = field(default_factory=dict)
    content: frozenset[str] = frozenset()
    # verb lemmas the claim asserts / negates anywhere ("we did not come to lose, we came to win")
    affirmed: frozenset[str] = frozenset()
    denied: frozenset[str] = frozenset()


def _argument_key(token) -> str | None:
    """An argument's identity: its named entity's text, else its head noun's lemma; pronouns unknown."""
    if token.pos_ == "PRON" or token.lower_ in STOPWORDS:
        return None
    if token.ent_type_:
        ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        if ent is not None:
            return ent.text.lower().removeprefix("the ")
    return token.lemma_.lower()


def _governing_verb(token) -> str | None:
    node = token
    for _ in range(6):
        if node.head.i == node.i:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.lemma_.lower() not in _LIGHT_VERBS:
            return node.lemma_.lower()
    return None


def roles_of(doc) -> Roles:
    """Predicate (through reporting verbs), its negation, subject, object and measures of a parsed claim."""
    if hasattr(doc, "root"):  # a Span cut from the article's parse: its own root
        root = doc.root if len(doc) else None
    else:
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return Roles()
    predicate = root
    for _ in range(3):  # "officials said the troops had withdrawn" -> withdraw
        if predicate.lemma_.lower() not in REPORTING_VERBS:
            break
        inner = next((c for c in predicate.children if c.dep_ in ("ccomp", "xcomp")), None)
        if inner is None:
            break
        predicate = inner
    negated = any(c.dep_ == "neg" or c.lower_ in NEGATION_WORDS and c.dep_ == "advmod"
                  for c in predicate.children)
    subject = next((c for c in predicate.children if c.dep_ in _SUBJECT_DEPS), None)
    obj = next((c for c in predicate.children if c.dep_ in _OBJECT_DEPS), None)
    if obj is None:
        prep = next((c for c in predicate.children if c.dep_ in ("prep", "agent")), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    measures: dict[str, set[str]] = {}
    for token in doc:
        if token.like_num and token.dep_ in ("nummod", "quantmod", "compound", "pobj", "dobj", "nsubj"):
            noun = token.head if token.dep_ in ("nummod", "quantmod", "compound") else token
            if noun.pos_ in ("NOUN", "PROPN"):
                owner = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
                # "a town of 20,000 people" measures the town, not what the sentence's verb does
                verb = ("of:" + owner.lemma_.lower() if owner is not None and owner.pos_ == "NOUN"
                        else _governing_verb(noun))
                measures.setdefault(singular(noun.lower_), set()).add(verb or "")
    content = frozenset(t.lemma_.lower() for t in doc
                        if t.is_alpha and t.lower_ not in STOPWORDS and t.lower_ not in NEGATION_WORDS)
    affirmed, denied = set(), set()
    for token in doc:
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            negative = any(c.dep_ == "neg" for c in token.children)
            (denied if negative else affirmed).add(token.lemma_.lower())
    lemma = predicate.lemma_.lower()
    return Roles(
        predicate=lemma if predicate.pos_ in ("VERB", "AUX", "NOUN", "ADJ") else None,
        negated=negated,
        subject=_argument_key(subject) if subject is not None else None,
        object=_argument_key(obj) if obj is not None else None,
        measures={k: frozenset(v) for k, v in measures.items()},
        content=content,
        affirmed=frozenset(affirmed),
        denied=frozenset(denied),
    )


def _denies(x: Roles, y: Roles) -> bool:
    """``x`` negates the predicate ``y`` asserts, and does not also assert it in another clause."""
    p = y.predicate
    if not p or not x.negated or y.negated:
        return False
    return p not in x.affirmed


# Claims a story may have before parsing them one by one costs more than their roles bring
# (a 50-article story's 1,300 claims take ~20 s on 2 cores); the article parses are used instead.
MAX_CLAIMS_TO_PARSE = 400


def parse_roles(texts: Sequence[str], nlp) -> list[Roles]:
    if nlp is None:
        return [Roles() for _ in texts]
    return [roles_of(doc) for doc in nlp.pipe(texts, batch_size=128)]


def story_roles(briefing, views: Sequence[ClaimView], nlp=None, parses=None) -> list[Roles]:
    """Roles per claim: cut from the kept article parse (``Resources.parses``) where there is one,
    else parsed from the claim's text when the story is small enough, else empty."""
    articles = {a.id: a for a in briefing.articles}
    out: list[Roles | None] = []
    missing = []
    for n, view in enumerate(views):
        article = articles.get(view.claim.span.article_id)
        doc = parses.doc_of(article) if parses is not None and article is not None else None
        span = doc.char_span(view.claim.span.start, view.claim.span.end, alignment_mode="expand") \
            if doc is not None else None
        out.append(roles_of(span) if span is not None else None)
        if span is None:
            missing.append(n)
    if missing and nlp is not None and len(missing) <= MAX_CLAIMS_TO_PARSE:
        if not hasattr(nlp, "pipe"):
            nlp = nlp()  # a loader: spaCy is loaded only when a claim needs parsing
        for n, roles in zip(missing, parse_roles([views[n].text for n in missing], nlp), strict=True):
            out[n] = roles
    return [r if r is not None else Roles() for r in out]


def _match(x: str | None, y: str | None) -> float:
    if not x or not y:
        return 0.0
    return 1.0 if x == y or x in y.split() or y in x.split() else -1.0


def unit_key(unit: str) -> str:
    return singular(unit.lower().strip())


def _measure_verbs(roles: Roles, unit: str) -> frozenset[str]:
    found = roles.measures.get(unit_key(unit))
    if found is None and len(roles.measures) == 1:
        # a converted unit ("square kilometres" -> km2) is not the parse's noun; one measure is that one
        found = next(iter(roles.measures.values()))
    return found or frozenset()


def _same_measure(a: ClaimView, b: ClaimView, ra: Roles, rb: Roles, unit: str,
                  predicates_alike: bool) -> int:
    """Two numbers of one counted noun measure the same thing when the verbs governing them agree:
    2 when both parses name that verb, 1 when only the claims' predicates or words agree, 0 not."""
    va, vb = _measure_verbs(ra, unit) - {""}, _measure_verbs(rb, unit) - {""}
    if va and vb:
        return 2 if va & vb else 0
    if ra.predicate and rb.predicate:
        return int(predicates_alike)
    # no parse: fall back to shared referents or two shared content words
    return int(bool(a.referents & b.referents) or len(a.content & b.content) >= 3)


def number_relation(a: ClaimView, b: ClaimView, ra: Roles, rb: Roles,
                    predicates_alike: bool) -> tuple[int, str | None, int]:
    """(+1 agree, -1 clash, 0 nothing comparable) over numbers of the same measure, the clash, and
    how surely the clashing numbers measure one thing (``_same_measure``)."""
    units_a = {unit_key(x.unit): x for x in a.bounds}
    units_b = {unit_key(y.unit): y for y in b.bounds}
    verdict, detail = 0, None
    for unit in sorted(set(units_a) & set(units_b)):
        measure = _same_measure(a, b, ra, rb, unit, predicates_alike)
        if not measure:
            continue
        xs = [x for x in a.bounds if unit_key(x.unit) == unit]
        ys = [y for y in b.bounds if unit_key(y.unit) == unit]
        if any(_compatible(x, y) for x in xs for y in ys):
            verdict = max(verdict, 1)
        else:
            return -1, f"{xs[0].surface} vs {ys[0].surface} ({unit})", measure
    return verdict, detail, 0


_TOKEN = re.compile(r"\w+")
_NUMBER = re.compile(r"\d[\d,.]*")


def _bigrams(text: str) -> frozenset[tuple[str, str]]:
    words = _TOKEN.findall(text.lower())
    return frozenset(zip(words, words[1:]))


def _jaccard(x: frozenset, y: frozenset) -> float:
    return len(x & y) / len(x | y) if x | y else 0.0


def _number_mismatch(a: str, b: str) -> float:
    """Share of the written numbers that only one of the two gives: a restatement keeps its figures."""
    xs = {n.rstrip(".,").replace(",", "") for n in _NUMBER.findall(a)}
    ys = {n.rstrip(".,").replace(",", "") for n in _NUMBER.findall(b)}
    return len(xs ^ ys) / len(xs | ys) if xs | ys else 0.0


@dataclass(frozen=True, slots=True)
class PairContext:
    """Per-claim inputs computed once for a whole story."""

    view: ClaimView
    roles: Roles
    embedding: np.ndarray
    predicate_embedding: np.ndarray | None
    # the claim's words, their rarity and contextual vectors (``pair_text``); read on demand if absent
    side: TextSide | None = None


def _words(view: ClaimView, roles: Roles) -> frozenset[str]:
    return roles.content or view.content


def pair_features(x: PairContext, y: PairContext) -> tuple[np.ndarray, dict]:
    """Feature vector (``FEATURES`` order) and the facts a conflict check needs."""
    a, b, ra, rb = x.view, y.view, x.roles, y.roles
    cosine = float(x.embedding @ y.embedding)
    predicate_known = bool(ra.predicate and rb.predicate)
    predicate_same = predicate_known and ra.predicate == rb.predicate
    if predicate_same:
        predicate_cosine = 1.0
    elif predicate_known and x.predicate_embedding is not None and y.predicate_embedding is not None:
        predicate_cosine = float(x.predicate_embedding @ y.predicate_embedding)
    else:
        predicate_cosine = 0.0
    predicates_alike = predicate_same or predicate_cosine >= SAME_PREDICATE_COSINE
    wa, wb = _words(a, ra), _words(b, rb)
    union = wa | wb
    jaccard = len(wa & wb) / len(union) if union else 0.0
    containment = len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0
    refs = a.referents | b.referents
    referent_jaccard = len(a.referents & b.referents) / len(refs) if refs else 0.0
    referent_disjoint = float(bool(a.referents and b.referents and not a.referents & b.referents))
    numbers, number_detail, measure = number_relation(a, b, ra, rb, predicates_alike)
    negation_mismatch = float(predicates_alike and ra.negated != rb.negated)
    ta, tb = a.claim.time, b.claim.time
    time_clash = float(ta is not None and tb is not None and ta.granularity == tb.granularity == "day"
                       and ta.value != tb.value)
    vector = np.array([
        cosine, predicate_cosine, float(predicate_known), float(predicate_same), jaccard, containment,
        referent_jaccard, referent_disjoint, _match(ra.subject, rb.subject), _match(ra.object, rb.object),
        float(numbers > 0), float(numbers < 0), negation_mismatch, time_clash,
        _jaccard(_bigrams(a.text), _bigrams(b.text)), _number_mismatch(a.text, b.text),
        len(a.referents ^ b.referents) / len(refs) if refs else 0.0,
    ], dtype=np.float32)
    # without read words (a model that does not use them) the text features stay zero
    text = text_features(x.side, y.side) if x.side is not None and y.side is not None \
        else np.zeros(len(TEXT_FEATURES), dtype=np.float32)
    vector = np.concatenate([vector, text])
    facts = {"predicates_alike": predicates_alike, "number_detail": number_detail, "measure": measure,
             "containment": containment, "cosine": cosine}
    return vector, facts


@dataclass(frozen=True, slots=True)
class PairModel:
    """Logistic weights over standardised ``FEATURES`` and the decision thresholds, per embedder."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float
    same: float  # P(same) at or above which two claims state one fact
    related: float  # P(same) at or above which they speak of one thing
    proposition: float  # P(same, ignoring the clash) at or above which a clash is a conflict
    # the same-fact cut for claims of one story, chosen on the real-story DEV split
    # (bench/tune_pairs_dev.py); ``same`` is the MRPC one (sentence paraphrase)
    story: float | None = None
    # the ``FEATURES`` the weights read, by index (None: all of them, in order)
    columns: tuple[int, ...] | None = None

    def probability(self, features: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(features)
        if self.columns is not None:
            x = x[:, self.columns]
        z = ((x - self.mean) / self.scale) @ self.coef + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def from_dict(cls, data: dict) -> "PairModel":
        names = list(data["features"])
        if not set(names) <= set(FEATURES):
            raise ValueError("pair_weights.json was trained on other features; rerun bench/train_pairs.py")
        columns = None if names == list(FEATURES) else tuple(FEATURES.index(n) for n in names)
        return cls(np.array(data["mean"], dtype=np.float32), np.array(data["scale"], dtype=np.float32),
                   np.array(data["coef"], dtype=np.float32), float(data["bias"]),
                   float(data["same"]), float(data["related"]), float(data["proposition"]),
                   float(data["story"]) if data.get("story") is not None else None, columns)

    def to_dict(self) -> dict:
        names = list(FEATURES) if self.columns is None else [FEATURES[i] for i in self.columns]
        return {"features": names, "mean": [round(float(v), 6) for v in self.mean],
                "scale": [round(float(v), 6) for v in self.scale],
                "coef": [round(float(v), 6) for v in self.coef], "bias": round(self.bias, 6),
                "same": self.same, "related": self.related, "proposition": self.proposition,
                "story": self.story}


    @property
    def reads_text(self) -> bool:
        """Whether the weights read the ``pair_text`` features (worth reading each claim's words for)."""
        return self.columns is None or any(i >= len(CLAIM_FEATURES) for i in self.columns)


@lru_cache(maxsize=8)
def load_pair_model(embedder_name: str, purpose: str = "claims") -> PairModel:
    """The weights for ``embedder_name`` (an unknown embedder gets MiniLM's).

    ``purpose``: "claims" (two claims of one story; what alignment uses) or "paraphrase" (two
    sentences saying the same thing, MRPC's question: the word-alignment features too, which on the
    real-story dev split cut same-fact recall from 0.44 to 0.31 at equal precision, since two outlets
    state one fact inside sentences of different reach)."""
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    models = data["models"]
    if purpose == "paraphrase":
        found = models.get(f"{embedder_name}_paraphrase") or models.get("minilm_paraphrase")
        if found is not None:
            return PairModel.from_dict(found)
    return PairModel.from_dict(models.get(embedder_name) or models.get("minilm") or next(iter(models.values())))


# Clash features: a conflict is judged on whether the claims would be the same fact without them.
_CLASH = [FEATURES.index(n) for n in ("number_clash", "negation_mismatch", "time_clash", "number_mismatch",
                                       "figure_missing_max", "negation_count_gap")]


@dataclass(frozen=True, slots=True)
class PairJudgement:
    verdict: Verdict
    p_same: float
    conflict: ConflictFinding | None = None


def judge(x: PairContext, y: PairContext, model: PairModel, *, structural=None) -> PairJudgement:
    """Same fact / conflicting / related / unrelated for two claims; unsure is related, never conflicting.

    ``structural``: an optional ``ConflictDetector`` (a domain pack's state or
    explanation cues, ``ContextDetector``); its findings count only for claims that
    are at least related. Numbers and negation are judged here, so such a detector
    should not repeat them (``conflicts.number_conflict`` compares measures blindly).
    """
    features, facts = pair_features(x, y)
    p_same = float(model.probability(features)[0])
    without_clash = features.copy()
    without_clash[_CLASH] = 0.0
    p_proposition = float(model.probability(without_clash)[0])
    # one proposition: without the clash they would be judged the same fact (or clear the stricter
    # ECB-calibrated cut), with one predicate and no clash of subjects
    one_proposition = p_proposition >= min(model.proposition, model.same) and facts["predicates_alike"] \
        and _match(x.roles.subject, y.roles.subject) >= 0 and features[FEATURES.index("referent_disjoint")] == 0
    finding = None
    related = p_proposition >= model.related and features[FEATURES.index("referent_disjoint")] == 0
    # numbers of one measure (same counted noun, same governing verb) already name one proposition
    subjects_clash = _match(x.roles.subject, y.roles.subject) < 0
    if facts["number_detail"] and features[FEATURES.index("referent_disjoint")] == 0 and (
            related or facts["measure"] == 2 and not (subjects_clash and x.view.referents and y.view.referents)):
        finding = ConflictFinding(ConflictReason.NUMBER, facts["number_detail"])
    elif one_proposition and features[FEATURES.index("negation_mismatch")] and (
            _denies(x.roles, y.roles) or _denies(y.roles, x.roles)):
        finding = ConflictFinding(ConflictReason.NEGATION, "one asserts what the other denies")
    elif structural is not None and x.view.referents & y.view.referents:
        # opposite readings of a pack's cue pair are about one act only when they name one place or
        # actor (a shared nationality word is not enough: "Dutch troops regrouped" vs "Dutch units fled
        # the port"); the wording of two such readings differs too much for the model's probability
        finding = structural.find(x.view, y.view)
    if finding is not None:
        return PairJudgement(Verdict.CONFLICT, p_same, finding)
    if p_same >= model.same:
        return PairJudgement(Verdict.SAME, p_same)
    if p_proposition >= model.related:
        return PairJudgement(Verdict.RELATED, p_same)
    return PairJudgement(Verdict.UNRELATED, p_same)


def contexts(views: Sequence[ClaimView], embeddings: np.ndarray, embedder, nlp=None,
             roles: Sequence[Roles] | None = None, *, text: bool | None = None) -> list[PairContext]:
    """``PairContext`` per claim: parse (when ``nlp`` is given), predicate embeddings in one batch,
    and the claim's words (``pair_text``) when ``text`` (default: when the embedder's claims model
    reads them)."""
    roles = list(roles) if roles is not None else parse_roles([v.text for v in views], nlp)
    # the claims stage reads the predicate through wrappers ("no confirmation that forces control"):
    # its predicate and negation win over the bare parse of the claim text
    roles = [r if not v.claim.predicate else
             Roles(predicate=v.claim.predicate, negated=v.claim.negated, subject=r.subject,
                   object=r.object, measures=r.measures, content=r.content,
                   affirmed=r.affirmed - ({v.claim.predicate} if v.claim.negated else set()),
                   denied=r.denied | ({v.claim.predicate} if v.claim.negated else set()))
             for r, v in zip(roles, views, strict=True)]
    predicates = sorted({r.predicate for r in roles if r.predicate})
    table = {}
    if predicates:
        vectors = np.asarray(embedder.encode(predicates), dtype=np.float32)
        table = dict(zip(predicates, vectors, strict=True))
    texts = [v.text for v in views]
    if text is None:
        text = load_pair_model(embedder.name).reads_text
    sides: list[TextSide | None] = [None] * len(texts)
    if text:
        # contextual word vectors where the embedder keeps them from its encoding (MiniLM); the pair
        # model of an embedder without them was trained on exact word matches alone
        words = embedder.word_vectors(texts) if hasattr(embedder, "word_vectors") else [None] * len(texts)
        sides = [read_side(t, w) for t, w in zip(texts, words, strict=True)]
    return [PairContext(v, r, embeddings[i], table.get(r.predicate), sides[i])
            for i, (v, r) in enumerate(zip(views, roles, strict=True))]


class ContextDetector:
    """The structural rules that need domain cues (opposite states, competing explanations).

    Numbers and predicate negation are judged by ``judge`` itself, with the measure
    and the proposition checked, so they are left out here.
    """

    def __init__(self, cue_pairs: Sequence = ()):
        self.cue_pairs = tuple(cue_pairs)

    def find(self, a: ClaimView, b: ClaimView) -> ConflictFinding | None:
        from manysides.analyse.alignment.conflicts import explanation_conflict, state_conflict

        return state_conflict(a, b, self.cue_pairs) or explanation_conflict(a, b, self.cue_pairs)
