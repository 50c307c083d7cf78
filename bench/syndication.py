"""Origin grouping on syndicated copy, and the speed of claims + origins + alignment.

Stories are built from ../shared/data/basil: for each event, one article is the
"release" and this script derives three copies of it with controlled edits
(seeded, so every run is the same):

- ``wire``: the release with an agency dateline, one sentence dropped and a few
  words edited;
- ``rewrite``: 30 % of sentences dropped, paragraphs reordered, light word
  edits in a fifth of the rest, no marker;
- ``heavy``: half the sentences kept, shuffled, edits in half of them.

The event's two other articles (other outlets on the same event: hard
negatives) are separate origins. Scored pairwise over all article pairs of each
story: precision/recall/F1 of "same origin". BASIL has no published figure for
this task (it is a bias data set; we only borrow its texts), so the table's
anchor is the all-separate baseline and the per-copy recall.

The speed part times claims + origins + alignment on one synthetic 50-article
story (3 BASIL articles of one event plus 47 derived copies and rewrites),
printing the split by stage. ``--fast`` uses 25 events and, for speed, the
tfidf embedder and sentence-claims instead of the spaCy claims stage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
BASIL = REPO.parent / "shared" / "data" / "basil" / "articles"

EDITS = {
    "said": "stated", "says": "states", "told": "informed", "killed": "slain", "big": "large",
    "also": "additionally", "but": "however", "about": "around", "more than": "over",
    "president": "President", "people": "individuals", "announced": "declared", "after": "following",
    "before": "prior to", "because": "as", "help": "assist", "show": "indicate", "many": "numerous",
}
DATELINES = ["WASHINGTON (AP) — ", "NEW YORK (Reuters) - ", "PARIS (AFP) — "]


def load_events() -> list[list[dict]]:
    by_event: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(BASIL.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        by_event[data["triplet-uuid"]].append(data)
    return [sorted(v, key=lambda d: d["source"].lower()) for _, v in sorted(by_event.items()) if len(v) == 3]


def paragraphs_of(article: dict) -> list[list[str]]:
    return [[s.strip() for s in p if s.strip()] for p in article["body-paragraphs"] if p]


def edit_sentence(sentence: str, rng: random.Random, *, rate: float) -> str:
    words = sentence.split(" ")
    out = []
    for word in words:
        key = word.lower().strip(",.")
        if key in EDITS and rng.random() < 0.8:
            out.append(word.replace(key, EDITS[key]) if key in word else EDITS[key])
        elif rng.random() < rate * 0.15 and len(word) > 7 and word.isalpha() and word.islower():
            continue  # drop an adjective-length word now and then
        else:
            out.append(word)
    return " ".join(out)


def derive(paragraphs: list[list[str]], kind: str, rng: random.Random) -> str:
    if kind == "wire":
        sentences = [s for p in paragraphs for s in p]
        if len(sentences) > 4:
            sentences.pop(rng.randrange(1, len(sentences)))
        sentences = [edit_sentence(s, rng, rate=0.3) if rng.random() < 0.1 else s for s in sentences]
        return rng.choice(DATELINES) + "\n".join(sentences)
    if kind == "rewrite":
        paras = [list(p) for p in paragraphs]
        rng.shuffle(paras)
        sentences = [s for p in paras for s in p if rng.random() >= 0.3]
        return "\n".join(edit_sentence(s, rng, rate=1.0) if rng.random() < 0.2 else s for s in sentences)
    if kind == "heavy":
        sentences = [s for p in paragraphs for s in p if rng.random() < 0.5]
        rng.shuffle(sentences)
        return "\n".join(edit_sentence(s, rng, rate=1.0) if rng.random() < 0.5 else s for s in sentences)
    raise ValueError(kind)


def make_article(text: str, outlet: str):
    from manysides.ingest.base import content_id
    from manysides.model import Article

    return Article(id=content_id(text + outlet), source=outlet, format="txt", outlet=outlet,
                   published=dt.date(2020, 1, 1), raw_text=text, clean_text=text)


def story_for(event: list[dict], rng: random.Random):
    """Articles of one story and their gold origin labels."""
    release = event[0]
    paragraphs = paragraphs_of(release)
    articles, gold = [], []
    articles.append(make_article("\n".join(" ".join(p) for p in paragraphs), f"{release['source']}-release"))
    gold.append("release")
    for kind in ("wire", "rewrite", "heavy"):
        articles.append(make_article(derive(paragraphs, kind, rng), f"copy-{kind}"))
        gold.append("release")
    for n, other in enumerate(event[1:]):
        articles.append(make_article("\n".join(" ".join(p) for p in paragraphs_of(other)),
                                     f"{other['source']}-{n}"))
        gold.append(f"other-{n}")
    return articles, gold


def evaluate_origins(events: list[list[dict]]) -> dict:
    from manysides.analyse.origins.detect import group_origins

    rng = random.Random(13)
    tp = fp = fn = 0
    recall_by_kind: dict[str, list[int]] = defaultdict(list)
    false_links = []
    started = time.perf_counter()
    for event in events:
        articles, gold = story_for(event, rng)
        origins, _ = group_origins(articles)
        predicted = {a: o.id for o in origins for a in o.article_ids}
        for i in range(len(articles)):
            for j in range(i + 1, len(articles)):
                same_gold = gold[i] == gold[j]
                same_pred = predicted[articles[i].id] == predicted[articles[j].id]
                tp += same_gold and same_pred
                fp += same_pred and not same_gold
                fn += same_gold and not same_pred
                if i == 0 and same_gold:
                    recall_by_kind[articles[j].outlet.removeprefix("copy-")].append(int(same_pred))
                if same_pred and not same_gold:
                    false_links.append((articles[i].outlet, articles[j].outlet))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision, "recall": recall, "f1": f1,
        "recall_by_kind": {k: sum(v) / len(v) for k, v in recall_by_kind.items()},
        "false_links": false_links, "seconds": time.perf_counter() - started,
    }


def sentence_claims(briefing):
    """Claims without the spaCy stage: one outlet-voice claim per sentence (speed test in --fast)."""
    from manysides.analyse.origins.detect import sentence_bounds
    from manysides.model import Asserter, Claim, Span

    claims = []
    for article in briefing.articles:
        for n, (start, end) in enumerate(sentence_bounds(article)):
            claims.append(Claim(id=f"{article.id}-{n}", span=Span(article_id=article.id, start=start, end=end),
                                asserter=Asserter(name=article.outlet, is_outlet_voice=True),
                                outlet=article.outlet))
    return briefing.model_copy(update={"claims": claims})


def time_story(event: list[dict], *, fast: bool) -> dict:
    from manysides.analyse.alignment.group import alignment_stage
    from manysides.analyse.origins.detect import origins_stage
    from manysides.model import Briefing
    from manysides.resources import Resources, Settings

    rng = random.Random(7)
    articles = []
    for n, source in enumerate(event):
        articles.append(make_article("\n".join(" ".join(p) for p in paragraphs_of(source)), f"outlet-{n}"))
    kinds = ["wire", "rewrite", "heavy"]
    while len(articles) < 50:
        source = event[len(articles) % 3]
        kind = kinds[len(articles) % 3]
        articles.append(make_article(derive(paragraphs_of(source), kind, rng), f"outlet-{len(articles)}"))
    briefing = Briefing(id="speed", created_at=dt.datetime(2020, 1, 2), articles=articles)
    resources = Resources(Settings(embedder="tfidf" if fast else "auto"))
    split: dict[str, float] = {}
    started = time.perf_counter()
    embedder = resources.embedder
    split["load embedder (not counted)"] = time.perf_counter() - started
    claims_mode = "sentence-claims"
    if not fast:
        try:
            from manysides.analyse.claims.extract import claims_stage
            from manysides.nlp import annotate

            started = time.perf_counter()
            _ = resources.nlp
            split["load spaCy (not counted)"] = time.perf_counter() - started
            started = time.perf_counter()
            annotated = list(annotate(briefing.articles, nlp=resources.nlp))
            split["spaCy annotate (not counted)"] = time.perf_counter() - started
            briefing = briefing.model_copy(update={"articles": annotated})
            started = time.perf_counter()
            briefing = claims_stage(briefing, resources)
            split["claims"] = time.perf_counter() - started
            claims_mode = "claims_stage"
        except ImportError:
            pass
    if claims_mode == "sentence-claims":
        started = time.perf_counter()
        briefing = sentence_claims(briefing)
        split["claims (sentence split)"] = time.perf_counter() - started
    started = time.perf_counter()
    briefing = origins_stage(briefing, resources)
    split["origins"] = time.perf_counter() - started
    started = time.perf_counter()
    briefing = alignment_stage(briefing, resources)
    split["alignment"] = time.perf_counter() - started
    counted = sum(v for k, v in split.items() if "not counted" not in k)
    return {
        "split": split, "total": counted, "articles": len(articles), "claims": len(briefing.claims),
        "groups": len(briefing.claim_groups), "origins": len(briefing.origins),
        "embedder": getattr(embedder, "name", "?"), "claims_mode": claims_mode,
        "candidate_pairs": briefing.alignment.candidate_pairs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="25 events; speed test with tfidf, sentence-claims")
    parser.add_argument("--json", type=Path, help="write figures as JSON here")
    args = parser.parse_args(argv)
    if not BASIL.is_dir():
        print(f"../shared/data/basil absent ({BASIL}); nothing to measure", file=sys.stderr)
        return 0
    events = load_events()
    if args.fast:
        events = events[:25]
    result = evaluate_origins(events)
    print(f"Origin grouping on {len(events)} BASIL events (7 articles each: release, 3 derived copies, "
          f"2 other outlets), pairwise")
    print(f"{'system':44} {'precision':>9} {'recall':>7} {'F1':>6}")
    print(f"{'all separate (baseline)':44} {'—':>9} {0.0:7.3f} {0.0:6.3f}")
    print(f"{'manysides origins':44} {result['precision']:9.3f} {result['recall']:7.3f} {result['f1']:6.3f}")
    print("recall of release ~ copy, by copy kind: "
          + ", ".join(f"{k} {v:.2f}" for k, v in sorted(result["recall_by_kind"].items())))
    print(f"false links: {len(result['false_links'])} ({result['false_links'][:3]})  "
          f"[{result['seconds']:.1f} s]")
    speed = time_story(events[0], fast=args.fast)
    print(f"\nSpeed: {speed['articles']}-article story, {speed['claims']} claims ({speed['claims_mode']}), "
          f"embedder {speed['embedder']}, {speed['candidate_pairs']} candidate pairs, "
          f"{speed['origins']} origins, {speed['groups']} groups")
    for stage, seconds in speed["split"].items():
        print(f"  {stage:34} {seconds:7.2f} s")
    print(f"  {'claims + origins + alignment':34} {speed['total']:7.2f} s   (target < 30 s on 2 cores)")
    figures = {
        "origin_precision": round(result["precision"], 4),
        "origin_recall": round(result["recall"], 4),
        "origin_f1": round(result["f1"], 4),
        "story50_seconds_max": round(speed["total"], 2),
    }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
