"""Same-claim decision on MRPC (news sentence pairs): the claim-pair judgement vs v0.1 and plain cosine.

Only the MRPC *test* split is in ../shared/data/mrpc, so it is split in two by a
fixed hash of the pair ids: the pair judgement's weights (bench/train_pairs.py) saw
the *tune* half, and every system's threshold is tuned for accuracy on the tune
half and scored on the *eval* half. Systems, all computed in this run:

* plain cosine threshold on the embedder;
* v0.1 aligner: cosine + referent overlap, number compatibility, no structural
  conflict (``same_claim_score`` and ``StructuralConflictDetector``);
* manysides pair judgement (``alignment.pairs``): P(same fact) of the logistic model
  over embeddings, predicates, arguments, numbers of one measure, polarity and time;
  a pair judged CONFLICT is never the same claim. Two weight sets: the claims model
  (what claim grouping uses) and the paraphrase model, which also reads the word
  alignment of ``alignment.pair_text`` (``pairs.load_pair_model``).

    .venv/bin/python bench/mrpc.py [--fast] [--json PATH] [--embedders minilm,tfidf]

``--fast`` scores the tfidf embedder only; the full run adds MiniLM (minutes on 2 shared cores).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mrpc" / "msr_paraphrase_test.txt"
PUBLISHED = [
    ("GLUE leaderboard top (test, from SOURCE.md)", 92.0, 94.0),
    ("BERT-large, Devlin et al. 2019 (GLUE test)", None, 89.3),
    ("Dolan & Brockett 2005 baseline", 70.0, None),
]


def load_pairs(path: Path) -> list[tuple[int, str, str, str]]:
    rows = []
    with path.open(encoding="utf-8-sig") as handle:
        next(handle)
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5:
                rows.append((int(parts[0]), parts[1] + "-" + parts[2], parts[3], parts[4]))
    return rows


def is_tune(pair_id: str) -> bool:
    return hashlib.sha1(pair_id.encode()).digest()[0] % 2 == 0


def scores(labels: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    tp = int(((predicted == 1) & (labels == 1)).sum())
    fp = int(((predicted == 1) & (labels == 0)).sum())
    fn = int(((predicted == 0) & (labels == 1)).sum())
    accuracy = float((predicted == labels).mean())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return accuracy, f1


def best_threshold(values: np.ndarray, labels: np.ndarray) -> float:
    candidates = np.unique(np.round(values, 3))
    accuracy = [((values >= t).astype(int) == labels).mean() for t in candidates]
    return float(candidates[int(np.argmax(accuracy))])


def evaluate(embedder_name: str, pairs, *, tune_mask: np.ndarray) -> dict:
    from manysides.analyse.alignment.group import numbers_agree, same_claim_score
    from manysides.analyse.alignment.conflicts import StructuralConflictDetector, make_view
    from manysides.analyse.shared.embeddings import load_embedder
    from manysides.model import Asserter, Claim, Span

    started = time.perf_counter()
    embedder = load_embedder(embedder_name)
    if hasattr(embedder, "keep_words"):
        embedder.keep_words = True  # the paraphrase model's word alignment, from the same forward pass
    load_s = time.perf_counter() - started
    left = [p[2] for p in pairs]
    right = [p[3] for p in pairs]
    started = time.perf_counter()
    vectors = embedder.encode(left + right)
    encode_s = time.perf_counter() - started
    cosine = np.einsum("ij,ij->i", vectors[: len(pairs)], vectors[len(pairs) :])
    labels = np.array([p[0] for p in pairs])

    def view(text: str, n: int):
        claim = Claim(id=str(n), span=Span(article_id=str(n), start=0, end=len(text)),
                      asserter=Asserter(name="outlet", is_outlet_voice=True), outlet="outlet")
        return make_view(claim, text)

    detector = StructuralConflictDetector()
    aligner = np.empty(len(pairs))
    views = []
    for n, (a_text, b_text) in enumerate(zip(left, right, strict=True)):
        a, b = view(a_text, 2 * n), view(b_text, 2 * n + 1)
        views.extend((a, b))
        score = same_claim_score(a, b, float(cosine[n]))
        if not numbers_agree(a, b) or detector.find(a, b) is not None:
            score = -1.0  # a conflict is never the same claim
        aligner[n] = score

    from manysides.analyse.alignment.pairs import ContextDetector, Verdict, contexts, judge, load_pair_model
    from manysides.nlp import load_nlp

    started = time.perf_counter()
    interleaved = np.empty((2 * len(pairs), vectors.shape[1]), dtype=np.float32)
    interleaved[0::2], interleaved[1::2] = vectors[: len(pairs)], vectors[len(pairs) :]
    ctx = contexts(views, interleaved, embedder, load_nlp(), text=True)
    context_rules = ContextDetector()
    judged = {}
    for purpose in ("claims", "paraphrase"):
        model = load_pair_model(embedder_name, purpose)
        judgement = np.empty(len(pairs))
        for n in range(len(pairs)):
            verdict = judge(ctx[2 * n], ctx[2 * n + 1], model, structural=context_rules)
            judgement[n] = -1.0 if verdict.verdict is Verdict.CONFLICT else verdict.p_same
        judged[purpose] = judgement
    judge_s = time.perf_counter() - started
    out = {"embedder": embedder_name, "load_s": load_s, "encode_s": encode_s, "judge_s": judge_s}
    for name, values in (("cosine", cosine), ("aligner", aligner), ("pairs", judged["claims"]),
                         ("paraphrase", judged["paraphrase"])):
        threshold = best_threshold(values[tune_mask], labels[tune_mask])
        predicted = (values[~tune_mask] >= threshold).astype(int)
        accuracy, f1 = scores(labels[~tune_mask], predicted)
        out[name] = {"threshold": threshold, "accuracy": accuracy, "f1": f1}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true",
                        help="tfidf embedder only (MiniLM encodes 3,450 sentences in minutes on 2 busy cores)")
    parser.add_argument("--json", type=Path, help="write figures as JSON here")
    parser.add_argument("--embedders", help="comma-separated: minilm, model2vec, tfidf")
    args = parser.parse_args(argv)
    if not DATA.is_file():
        print(f"../shared/data/mrpc absent ({DATA}); nothing to measure", file=sys.stderr)
        return 0
    pairs = load_pairs(DATA)
    names = (args.embedders.split(",") if args.embedders
             else ["tfidf"] if args.fast else ["minilm", "model2vec", "tfidf"])
    tune_mask = np.array([is_tune(p[1]) for p in pairs])
    eval_labels = np.array([p[0] for p in pairs])[~tune_mask]
    majority_acc, majority_f1 = scores(eval_labels, np.ones_like(eval_labels))
    print(f"MRPC test split: {len(pairs)} pairs, tune {int(tune_mask.sum())} / eval {int((~tune_mask).sum())}")
    print(f"{'system':58} {'acc':>6} {'F1':>6}  threshold")
    for label, acc, f1 in PUBLISHED:
        print(f"{label:58} {acc if acc else '—':>6} {f1 if f1 else '—':>6}  (published)")
    print(f"{'all-positive baseline (eval half)':58} {100 * majority_acc:6.1f} {100 * majority_f1:6.1f}")
    print(f"{'target (issue 10, pair judgement on MiniLM)':58} {78.0:6.1f} {85.0:6.1f}")
    figures: dict[str, float] = {}
    for name in names:
        result = evaluate(name, pairs, tune_mask=tune_mask)
        for system, title in (("cosine", "plain cosine threshold"), ("aligner", "v0.1 aligner"),
                              ("pairs", "pair judgement, claims model (grouping uses it)"),
                              ("paraphrase", "pair judgement, paraphrase model (ours)")):
            r = result[system]
            label = f"{name}: {title}"
            print(f"{label:58} {100 * r['accuracy']:6.1f} {100 * r['f1']:6.1f}  {r['threshold']:.3f}")
            figures[f"{name}_{system}_accuracy"] = round(r["accuracy"], 4)
            figures[f"{name}_{system}_f1"] = round(r["f1"], 4)
        print(f"  ({name}: load {result['load_s']:.1f} s, encode {2 * len(pairs)} sentences "
              f"{result['encode_s']:.1f} s, parse + judge {result['judge_s']:.1f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
