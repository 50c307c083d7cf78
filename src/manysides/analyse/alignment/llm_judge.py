"""Optional second opinion on undecided claim pairs from an OpenAI-compatible endpoint.

The pair model (``pairs.judge``) misses paraphrases in other words and cannot
name a disagreement without a clash it can see; the candidate pairs it did not
merge, and its merges just above the cut, are where those hide. When
``--llm-url`` is given, those pairs (the closest first, at most
``Settings.llm_pairs``) go to the same
endpoint the summary rewrite uses, in batches, and the model answers
same / conflict / related / unrelated for each.

The model only *proposes*, like the summary rewrite: an answer passes the
structural checks the pair judgement itself applies before it counts.

- *same* is refused when the claims name disjoint actors or places, give
  different figures for one measure, differ in polarity on one predicate, date
  the event to different days, or do not speak of one proposition (below);
- *conflict* is refused unless the claims speak of one proposition (the pair model
  finds them related once the clash is set aside, or they share the predicate or
  a tenth of their content words) with no disjoint referents; a
  number conflict also needs figures that disagree, a negation conflict a
  negation on the shared predicate; its one-line reason is kept only when every
  content word of it is in the two claims, else the reason kind's plain wording
  is used;
- anything else changes nothing.

An endpoint that fails (HTTP error, timeout, malformed JSON) leaves the pair
model's decisions as they were, and ``AlignmentStats.notes`` says so.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from manysides.analyse.alignment.conflicts import ConflictFinding
from manysides.analyse.alignment.pairs import FEATURES, PairContext, PairModel, Verdict, pair_features
from manysides.errors import LLMError
from manysides.lang.en import STOPWORDS, WORD, stem
from manysides.model import ConflictReason
from manysides.resources import Settings

SYSTEM_PROMPT = (
    "You compare claims from news articles about one story. For each numbered pair, answer whether "
    "A and B state the same fact (\"same\"), contradict each other about one fact (\"conflict\"), "
    "speak of one thing without stating the same fact (\"related\") or not (\"unrelated\"). A claim "
    "that something was said and a claim that it is true are different facts. Different measures "
    "(people killed vs people attending) never conflict. When unsure, answer \"related\". For a "
    "conflict give its kind (number, state, negation, explanation, attribution) and a short reason "
    "using words of the two claims. Answer with JSON only: "
    '{"pairs": [{"index": 1, "verdict": "same|conflict|related|unrelated", "kind": "...", '
    '"reason": "..."}, ...]}'
)
BATCH = 20  # pairs per request: long prompts make small self-hosted models lose the numbering
# same-fact pairs this close above the model's cut are asked too: the endpoint may veto the merge
SAME_MARGIN = 0.1
SHARED_WORDS = 0.1  # content-word Jaccard that says two claims are about one thing without the model
_CLASHES = ("number_clash", "negation_mismatch", "time_clash", "referent_disjoint")
PLAIN_REASON = {
    ConflictReason.NUMBER: "they give different figures",
    ConflictReason.STATE: "they describe different states of one thing",
    ConflictReason.NEGATION: "one asserts what the other denies",
    ConflictReason.EXPLANATION: "they give competing explanations",
    ConflictReason.ATTRIBUTION: "they attribute it differently",
    ConflictReason.MODEL: "they disagree",
}
# words a reason may use beyond the claims' own: how a disagreement is described, not what it is about
_REASON_WORDS = frozenset({
    "claim", "claims", "says", "say", "said", "states", "state", "while", "whereas", "but", "other",
    "one", "different", "differ", "differs", "figure", "figures", "number", "numbers", "count",
    "denies", "deny", "asserts", "cause", "causes", "explanation", "explanations", "reason", "versus",
    "vs", "than", "more", "fewer", "less", "higher", "lower", "attributes", "blames", "credits",
    "contradicts", "disagree", "disagrees",
})


@dataclass(frozen=True, slots=True)
class PairAnswer:
    verdict: Verdict
    kind: ConflictReason | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SecondOpinion:
    """What the endpoint changed: pairs it merged, pairs it separated, conflicts it found."""

    same: list[tuple[int, int]]
    vetoed: list[tuple[int, int]]
    conflicts: dict[tuple[int, int], ConflictFinding]
    asked: int  # pairs the endpoint answered (a failed batch is not counted)
    notes: list[str]


def pairs_to_ask(judged: dict[tuple[int, int], tuple[Verdict, float]], model: PairModel,
                 limit: int) -> list[tuple[int, int]]:
    """Undecided pairs, closest first: all the model did not merge, and merges just above the cut.

    ``judged`` holds only candidate pairs (each claim's nearest neighbours in other
    articles), so even pairs the model calls unrelated are close: its misses (a
    paraphrase in other words) are among them.
    """
    undecided = [(pair, p) for pair, (verdict, p) in judged.items()
                 if verdict is not Verdict.SAME or p < model.same + SAME_MARGIN]
    undecided.sort(key=lambda item: (-item[1], item[0]))
    return [pair for pair, _ in undecided[:max(0, limit)]]


def parse_answers(content: str) -> dict[int, PairAnswer]:
    """``{index: answer}`` from the model's JSON (code fences tolerated; unknown verdicts skipped)."""
    from manysides.analyse.shared.llm import answer_items

    items = answer_items(content, "pairs")
    answers: dict[int, PairAnswer] = {}
    for position, item in enumerate(items, 1):
        if not isinstance(item, dict):
            continue
        try:
            verdict = Verdict(str(item.get("verdict", "")).strip().lower())
            index = int(item.get("index", position))
        except (TypeError, ValueError):
            continue
        kind = None
        if verdict is Verdict.CONFLICT:
            try:
                kind = ConflictReason(str(item.get("kind", "")).strip().lower())
            except ValueError:
                kind = ConflictReason.MODEL
        reason = item.get("reason") if isinstance(item.get("reason"), str) else ""
        answers[index] = PairAnswer(verdict, kind, " ".join(reason.split())[:200])
    return answers


def _content_words(text: str) -> set[str]:
    return {stem(w.lower()) for w in WORD.findall(text) if w.lower() not in STOPWORDS}


def _reason_text(answer: PairAnswer, x: PairContext, y: PairContext) -> str:
    kind = answer.kind or ConflictReason.MODEL
    allowed = _content_words(x.view.text) | _content_words(y.view.text) | {stem(w) for w in _REASON_WORDS}
    words = _content_words(answer.reason)
    if answer.reason and words and words <= allowed:
        return answer.reason.rstrip(".")
    return PLAIN_REASON[kind]


def _one_proposition(features, value: dict[str, float], facts: dict, model: PairModel) -> bool:
    """The claims speak of one thing: the model finds them related once any clash is set aside,
    or they share their predicate or a tenth of their content words (``value``: ``features`` by name)."""
    without_clash = features.copy()
    without_clash[[FEATURES.index(n) for n in _CLASHES[:3]]] = 0.0
    related = float(model.probability(without_clash)[0]) >= model.related or (
        facts["predicates_alike"] and value["token_jaccard"] > 0) or value["token_jaccard"] >= SHARED_WORDS
    return related and not value["referent_disjoint"]


def checked(answer: PairAnswer, x: PairContext, y: PairContext,
            model: PairModel) -> Verdict | ConflictFinding | None:
    """The answer if it passes the structural checks, else None (the pair model's decision stands)."""
    features, facts = pair_features(x, y)
    value = dict(zip(FEATURES, features.tolist(), strict=True))
    if answer.verdict is Verdict.SAME:
        clash = any(value[name] for name in _CLASHES)
        return Verdict.SAME if not clash and _one_proposition(features, value, facts, model) else None
    if answer.verdict is Verdict.CONFLICT:
        if not _one_proposition(features, value, facts, model):
            return None
        if answer.kind is ConflictReason.NUMBER and not (facts["number_detail"] or value["number_mismatch"]):
            return None
        if answer.kind is ConflictReason.NEGATION and not value["negation_mismatch"]:
            return None
        return ConflictFinding(answer.kind or ConflictReason.MODEL, _reason_text(answer, x, y))
    return answer.verdict  # related / unrelated: a veto of a borderline merge, nothing more


def ask(questions: Sequence[tuple[str, str]], settings: Settings) -> dict[int, PairAnswer]:
    """One request for a batch of (claim A, claim B) texts; raises ``LLMError``."""
    from manysides.analyse.shared.llm import chat

    request = [{"index": n, "A": a, "B": b} for n, (a, b) in enumerate(questions, 1)]
    messages = [{"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": json.dumps({"pairs": request}, ensure_ascii=False)}]
    return parse_answers(chat(settings, messages))


def second_opinion(judged: dict[tuple[int, int], tuple[Verdict, float]], ctx: Sequence[PairContext],
                   model: PairModel, settings: Settings) -> SecondOpinion:
    """Ask the endpoint about the undecided pairs of ``judged`` (pair -> pair model's verdict, P(same))."""
    pending = pairs_to_ask(judged, model, settings.llm_pairs)
    same: list[tuple[int, int]] = []
    vetoed: list[tuple[int, int]] = []
    conflicts: dict[tuple[int, int], ConflictFinding] = {}
    notes: list[str] = []
    refused = asked = 0
    for start in range(0, len(pending), BATCH):
        batch = pending[start:start + BATCH]
        try:
            answers = ask([(ctx[i].view.text, ctx[j].view.text) for i, j in batch], settings)
        except LLMError as exc:
            notes.append(f"LLM pair judge unavailable ({exc}); the pair model's decisions kept "
                         f"for {len(pending) - start} pairs")
            break
        asked += len(batch)
        for number, (i, j) in enumerate(batch, 1):
            answer = answers.get(number)
            if answer is None:
                continue
            outcome = checked(answer, ctx[i], ctx[j], model)
            was = judged[(i, j)][0]
            if outcome is None:
                refused += answer.verdict is not was
            elif isinstance(outcome, ConflictFinding):
                conflicts[(i, j)] = outcome
            elif outcome is Verdict.SAME and was is not Verdict.SAME:
                same.append((i, j))
            elif outcome is not Verdict.SAME and was is Verdict.SAME:
                vetoed.append((i, j))
    if refused:
        notes.append(f"LLM pair judge: {refused} answers refused by the structural checks")
    return SecondOpinion(same, vetoed, conflicts, asked, notes)
