"""Tune the alignment's decision cuts on the DEV split of the real stories (never test).

    .venv/bin/python bench/tune_pairs_dev.py [--same 0.4,0.5,0.6] [--slack 0.05,0.15] [--split dev]

The stages before alignment run once per story (cached in /tmp between runs, since
parsing dominates on 2 cores); alignment then runs with each setting and is scored
with bench/real_stories/metrics.py. It prints one row per setting; the chosen cuts are
written by hand into pair_weights.json ("story_same") and group.py (GROUP_LINK_SLACK).
``--split test`` is refused unless ``--final`` is given: test is scored once, at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "real_stories"))
sys.path.insert(0, str(HERE.parent / "src"))

from load import annotated_story_ids, load_annotation, load_story, story  # noqa: E402
from metrics import Counts, figures, score_story  # noqa: E402
from real_stories_claims import as_system  # noqa: E402
from run_engine import system_output, write_inputs  # noqa: E402

CACHE = Path("/tmp/manysides_pairs_cache")


def before_alignment(story_id: str, resources):
    from manysides import api
    from manysides.model import Briefing

    path = CACHE / f"story_{hashlib.sha1(story_id.encode()).hexdigest()[:10]}.json"
    keys_path = path.with_suffix(".keys")
    if path.is_file():
        import json

        return Briefing.model_validate_json(path.read_text()), json.loads(keys_path.read_text())
    stages = ["entities", "times", "claims", "origins"]
    with tempfile.TemporaryDirectory(prefix="tune_story_") as folder:
        keys = write_inputs(story_id, Path(folder))
        result = api.analyze([folder], settings=resources.settings, resources=resources, stages=stages)
    import json

    CACHE.mkdir(exist_ok=True)
    path.write_text(result.briefing.model_dump_json())
    keys_path.write_text(json.dumps(keys))
    return result.briefing, keys


def dev_pairs(prepared: dict, resources, model_for_features=None):
    """Feature rows and same-fact labels for cross-article pairs of claims mapped to gold mentions."""
    import numpy as np

    from manysides.analyse.alignment.conflicts import make_view
    from manysides.analyse.alignment.group import claim_origins
    from manysides.analyse.alignment.pairs import contexts, pair_features
    from metrics import map_claims

    rows, labels = [], []
    for story_id, (briefing, keys) in prepared.items():
        texts = {a.key: a.text for a in load_story(story_id)}
        entry = system_output(briefing.model_copy(update={"claim_groups": []}), keys, texts)
        mapped = map_claims(load_annotation(story_id), as_system(entry))
        claims = [c for c in briefing.claims if c.id in mapped]
        if len(claims) < 2:
            continue
        origin_of = dict(zip([c.id for c in briefing.claims], claim_origins(briefing), strict=True))
        entity_types = {e.id: e.type.value for e in briefing.entities}
        views = [make_view(c, briefing.text(c.span), origin_id=origin_of[c.id], entity_types=entity_types)
                 for c in claims]
        embeddings = np.asarray(resources.embedder.encode([v.text for v in views]), dtype=np.float32)
        ctx = contexts(views, embeddings, resources.embedder, resources.nlp)
        for i in range(len(claims)):
            for j in range(i + 1, len(claims)):
                if claims[i].span.article_id == claims[j].span.article_id:
                    continue
                rows.append(pair_features(ctx[i], ctx[j])[0])
                labels.append(int(mapped[claims[i].id][0] == mapped[claims[j].id][0]))
    return np.array(rows, dtype=np.float32), np.array(labels)


def fit_with_dev(prepared: dict, resources, dev_weight: float) -> None:
    """Refit the embedder's pair model on MRPC tune + STS + the dev stories' claim pairs; write it."""
    import json

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from manysides.analyse.alignment.pairs import WEIGHTS_PATH, PairModel, load_pair_model
    from train_pairs import TRAIN_SOURCES, best_accuracy_threshold, featurise, mrpc_pairs, sts_pairs

    public = {"mrpc_tune": mrpc_pairs("tune"), "sts_headlines": sts_pairs()}
    parts = {name: featurise(pairs, resources.embedder)[:2] for name, pairs in public.items() if name in TRAIN_SOURCES}
    parts["real_dev"] = dev_pairs(prepared, resources)
    x = np.vstack([p[0] for p in parts.values()])
    y = np.concatenate([p[1] for p in parts.values()])
    weights = []
    for name, (px, py) in parts.items():
        share = dev_weight if name == "real_dev" else (1 - dev_weight) / (len(parts) - 1)
        # balance classes within a source: dev pairs are ~95 % different facts
        for label in (0, 1):
            n = max(1, int((py == label).sum()))
            weights.append(np.where(py == label, share * len(y) / (2 * n), 0.0))
    weight = np.concatenate([weights[2 * n] + weights[2 * n + 1] for n in range(len(parts))])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(C=1.0, max_iter=3000).fit((x - mean) / scale, y, sample_weight=weight)
    old = load_pair_model(resources.embedder.name)
    model = PairModel(mean, scale, regression.coef_[0].astype(np.float32), float(regression.intercept_[0]),
                      same=0.5, related=0.25, proposition=old.proposition)
    mrpc_x, mrpc_y = parts["mrpc_tune"]
    mrpc_same = best_accuracy_threshold(model.probability(mrpc_x), mrpc_y)
    model = PairModel(model.mean, model.scale, model.coef, model.bias, same=round(mrpc_same, 3),
                      related=round(mrpc_same / 2, 3), proposition=old.proposition)
    data = json.loads(WEIGHTS_PATH.read_text())
    data["models"][resources.embedder.name] = model.to_dict()
    data["trained_on"] = ("MRPC tune half, STS headlines 2013-2016 (>=4 / <=2), and claim pairs of the real-story "
                          f"DEV split (weight {dev_weight}); ECB+ train topics set the proposition cut")
    WEIGHTS_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    load_pair_model.cache_clear()
    print(f"refit on {len(parts['real_dev'][1])} dev pairs ({int(parts['real_dev'][1].sum())} same fact): "
          + ", ".join(f"{n} {c:+.2f}" for n, c in zip(model.to_dict()["features"], model.coef)), flush=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--same", default="")
    p.add_argument("--slack", default="0.05")
    p.add_argument("--split", default="dev")
    p.add_argument("--final", action="store_true")
    p.add_argument("--stories", default="")
    p.add_argument("--same-article", default="0")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--fit-dev", type=float, default=0.0,
                   help="refit the pair model with the dev stories' claim pairs at this share of the weight")
    args = p.parse_args()
    if args.split == "test" and not args.final:
        sys.exit("test is scored once, at the end: pass --final")
    from manysides.analyse.alignment import group
    from manysides.analyse.alignment.pairs import load_pair_model
    from manysides.analyse.origins.detect import origins_stage
    from manysides.resources import Resources, Settings

    resources = Resources(Settings())
    story_ids = args.stories.split(",") if args.stories else annotated_story_ids(args.split)
    prepared = {}
    for story_id in story_ids:
        briefing, keys = before_alignment(story_id, resources)
        # origins are cheap and are being changed: recompute them on the cached claims
        prepared[story_id] = (origins_stage(briefing, resources), keys)
    if args.fit_dev:
        fit_with_dev(prepared, resources, args.fit_dev)
    model = load_pair_model(resources.embedder.name)
    sames = [float(x) for x in args.same.split(",")] if args.same else [model.story or model.same]
    for slack, same_article in ((float(x), bool(int(y))) for x in args.slack.split(",")
                                for y in args.same_article.split(",")):
        group.GROUP_LINK_SLACK = slack
        group.SAME_ARTICLE_IN_GROUP = same_article
        for same in sames:
            total = Counts()
            for story_id in story_ids:
                briefing, keys = prepared[story_id]
                groups, stats = group.align_claims(briefing, resources.embedder, nlp=resources.nlp,
                                                   model=replace(model, story=same), k=args.k)
                aligned = briefing.model_copy(update={"claim_groups": groups, "alignment": stats})
                texts = {a.key: a.text for a in load_story(story_id)}
                entry = system_output(aligned, keys, texts)
                article_keys = [a["key"] for a in story(story_id)["articles"]]
                total.add(score_story(load_annotation(story_id), article_keys, as_system(entry)))
            f = figures(total)
            keep = ("same_fact_precision", "same_fact_recall", "same_fact_f1", "corroborated_precision",
                    "contested_precision", "contested_recall", "contested_links", "all_outlet_single_share",
                    "status_accuracy", "one_party_precision", "one_party_recall", "relayed_precision",
                    "relayed_recall")
            shown = " ".join(f"{k.replace('_precision', '_P').replace('_recall', '_R')}="
                             f"{round(f[k], 3) if isinstance(f.get(k), float) else f.get(k)}" for k in keep)
            print(f"same {same:.3f} slack {slack:.2f} k {args.k}: {shown}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
