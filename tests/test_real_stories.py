"""The annotated real-story set (bench/real_stories) and the metrics of bench/real_stories_claims.py."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STORIES_DIR = REPO / "bench" / "real_stories"
sys.path.insert(0, str(STORIES_DIR))

import load  # noqa: E402
import metrics  # noqa: E402
import run_engine  # noqa: E402
from metrics import SystemClaim, SystemGroup, SystemStory, figures, gold_status, score_story  # noqa: E402

needs_data = pytest.mark.skipif(not load.data_available(),
                                reason="../shared/data (basil, neus_allsides) absent: real-story text cannot be rebuilt")
CONFLICT_KINDS = {"number", "state", "negation", "explanation", "attribution"}
KINDS = {"politics", "disaster_accident", "crime_justice", "economy_business", "international_conflict"}


def _annotations() -> dict[str, dict]:
    return {sid: load.load_annotation(sid) for sid in load.story_ids()}


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_every_story_is_annotated_with_a_well_formed_file():
    annotations = _annotations()
    assert len(annotations) >= 16
    for story_id, annotation in annotations.items():
        entry = load.story(story_id)
        keys = {a["key"] for a in entry["articles"]}
        assert annotation["story_id"] == story_id
        fact_ids = [f["id"] for f in annotation["facts"]]
        assert len(fact_ids) == len(set(fact_ids)), story_id
        assert len(fact_ids) >= 4, story_id
        for fact in annotation["facts"]:
            assert fact["mentions"], (story_id, fact["id"])
            for mention in fact["mentions"]:
                assert mention["article"] in keys
                assert 0 <= mention["start"] < mention["end"]
                assert re.fullmatch(r"[0-9a-f]{8}", mention["hash"])
                assert mention["asserter"]
        for conflict in annotation["conflicts"]:
            assert {conflict["a"], conflict["b"]} <= set(fact_ids)
            assert conflict["a"] != conflict["b"]
            assert conflict["kind"] in CONFLICT_KINDS
            assert conflict["reason"]
        for passage in annotation["relayed"]:
            assert passage["article"] in keys and passage["relays"]


def test_mentions_in_one_article_never_overlap():
    for story_id, annotation in _annotations().items():
        spans = sorted((m["article"], m["start"], m["end"]) for f in annotation["facts"] for m in f["mentions"])
        for before, after in zip(spans, spans[1:]):
            assert not (before[0] == after[0] and after[1] < before[2]), (story_id, before, after)


def test_splits_are_disjoint_sized_and_spread_over_kinds():
    stories = load.stories()
    ids = [s["id"] for s in stories]
    refs = [(s["dataset"], s["ref"]) for s in stories]
    assert len(ids) == len(set(ids)) and len(refs) == len(set(refs))
    dev = [s for s in stories if s["split"] == "dev"]
    test = [s for s in stories if s["split"] == "test"]
    assert len(dev) >= 10 and len(test) >= 6 and len(dev) + len(test) == len(stories)
    assert {s["kind"] for s in stories} <= KINDS
    assert len({s["kind"] for s in stories}) >= 4
    assert len({s["kind"] for s in dev}) >= 4 and len({s["kind"] for s in test}) >= 4


def test_reserved_events_are_absent():
    for entry in load.stories():
        if entry["dataset"] == "basil":
            assert entry["ref"] not in load.RESERVED_BASIL
        else:
            split, line = entry["ref"].split(":")
            assert split in ("train", "val"), "NeuS test lines are not used for annotation"
            assert f"{split}:{int(line)}" not in load.RESERVED_NEUS


def test_annotation_files_hold_offsets_not_long_strings():
    # Labels, reasons and names are short and our own; spans are offsets + hashes only.
    allowed = {"story_id", "format", "facts", "conflicts", "relayed", "id", "label", "one_party", "mentions",
               "article", "start", "end", "hash", "asserter", "a", "b", "kind", "reason", "relays"}
    for path in sorted((STORIES_DIR / "annotations").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))

        def keys(value):
            if isinstance(value, dict):
                yield from value
                for v in value.values():
                    yield from keys(v)
            elif isinstance(value, list):
                for v in value:
                    yield from keys(v)

        assert set(keys(data)) <= allowed, path.name
        assert all(len(s) <= 130 for s in _strings(data)), path.name


@needs_data
def test_every_span_hash_matches_the_shared_data():
    for story_id, annotation in _annotations().items():
        texts = {a.key: a.text for a in load.load_story(story_id)}
        spans = [m for f in annotation["facts"] for m in f["mentions"]] + annotation["relayed"]
        for span in spans:
            text = texts[span["article"]]
            assert span["end"] <= len(text), (story_id, span)
            assert load.span_hash(text[span["start"]:span["end"]]) == span["hash"], (story_id, span)


@needs_data
def test_no_annotation_file_contains_text_of_the_data():
    def words(s: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", s.lower())

    shingle = 6  # a copied clause, not a shared name or a short paraphrase
    for story_id, annotation in _annotations().items():
        body = " " + " ".join(" ".join(words(a.text)) for a in load.load_story(story_id)) + " "
        raw = (STORIES_DIR / "annotations" / f"{story_id}.json").read_text(encoding="utf-8")
        for value in _strings(json.loads(raw)):
            w = words(value)
            for i in range(len(w) - shingle + 1):
                assert " " + " ".join(w[i:i + shingle]) + " " not in body, (story_id, value)


@needs_data
def test_loader_is_deterministic_and_keeps_titles_out_of_the_text():
    for story_id in load.story_ids():
        first, second = load.load_story(story_id), load.load_story(story_id)
        assert first == second
        assert len(first) == 3 and all(a.text.strip() == a.text and a.text for a in first)
        assert all("ARTICLE=>" not in a.text and "[SEP]" not in a.text for a in first)


# ---------------------------------------------------------------------------
# metrics on a synthetic pair whose figures are worked out by hand
# ---------------------------------------------------------------------------

GOLD = {
    "story_id": "synthetic", "format": 1,
    "facts": [
        {"id": "F1", "label": "", "mentions": [{"article": "x", "start": 0, "end": 10, "hash": "", "asserter": "outlet"},
                                               {"article": "y", "start": 0, "end": 10, "hash": "", "asserter": "outlet"}]},
        {"id": "F2", "label": "", "mentions": [{"article": "x", "start": 20, "end": 30, "hash": "", "asserter": "outlet"}]},
        {"id": "F3", "label": "", "mentions": [{"article": "y", "start": 20, "end": 30, "hash": "", "asserter": "outlet"}]},
        {"id": "F4", "label": "", "mentions": [{"article": "x", "start": 40, "end": 50, "hash": "", "asserter": "outlet"},
                                               {"article": "y", "start": 40, "end": 50, "hash": "", "asserter": "outlet"}]},
    ],
    "conflicts": [{"a": "F2", "b": "F3", "kind": "number", "reason": ""}],
    "relayed": [],
}
SYSTEM = SystemStory(
    claims=[SystemClaim("c1", "x", 0, 12), SystemClaim("c2", "y", 1, 9), SystemClaim("c3", "x", 20, 30),
            SystemClaim("c4", "y", 20, 30), SystemClaim("c5", "x", 40, 50), SystemClaim("c6", "y", 40, 50),
            SystemClaim("c7", "x", 60, 70)],
    groups=[SystemGroup("g1", "corroborated", ("c1", "c2", "c3")),      # F1 right, F2 merged in wrongly
            SystemGroup("g2", "contested", ("c4",), ("g1",)),            # the real F2/F3 conflict
            SystemGroup("g3", "single_source", ("c5",)),
            SystemGroup("g4", "single_source", ("c6",)),                 # F4 split across outlets
            SystemGroup("g5", "corroborated", ("c7",), ("g3",))],        # unannotated claim, false conflict
)


def test_metrics_on_a_synthetic_pair():
    f = figures(score_story(GOLD, ["x", "y"], SYSTEM))
    assert f["mention_coverage"] == 1.0
    assert f["same_fact_precision"] == pytest.approx(0.5)   # (xF1,yF1) right, (xF2,yF1) wrong
    assert f["same_fact_recall"] == pytest.approx(0.5)      # (xF4,yF4) missed
    assert f["same_fact_f1"] == pytest.approx(0.5)
    assert f["corroborated_precision"] == 0.0               # g1 mixes two facts; g5 maps to nothing
    assert f["corroborated_judged"] == 1
    assert f["contested_precision"] == pytest.approx(0.5)   # g1-g2 right, g5-g3 wrong
    assert f["contested_recall"] == 1.0
    assert f["all_outlet_single_share"] == pytest.approx(0.5)  # F4 only shown single-source
    assert f["status_accuracy"] == pytest.approx(0.5)       # F1, F3 right; F2, F4 wrong


def test_marks_are_scored_per_fact_on_its_main_group():
    import copy

    gold = copy.deepcopy(GOLD)
    gold["facts"][2]["one_party"] = "a ministry"                                   # F3
    gold["relayed"] = [{"article": "x", "start": 0, "end": 10, "hash": "", "relays": "Agency"}]  # F1 in x
    marks = {"g1": ("relayed",), "g2": ("one_party",), "g3": ("one_party",)}
    system = SystemStory(SYSTEM.claims, [SystemGroup(g.id, g.status, g.claim_ids, g.conflicts, marks.get(g.id, ()))
                                         for g in SYSTEM.groups])
    f = figures(score_story(gold, ["x", "y"], system))
    assert f["one_party_precision"] == 1.0 and f["one_party_recall"] == 1.0   # F3 via g2; F4's main group is g4
    assert f["relayed_precision"] == pytest.approx(0.5)                      # F1 right, F2 shares g1
    assert f["relayed_recall"] == 1.0


def test_a_perfect_system_scores_full_marks():
    claims = [SystemClaim(f"c{i}", m["article"], m["start"], m["end"])
              for i, (fact, m) in enumerate((f, m) for f in GOLD["facts"] for m in f["mentions"])]
    by_fact: dict[str, list[str]] = {}
    for claim, (fact, _) in zip(claims, ((f, m) for f in GOLD["facts"] for m in f["mentions"])):
        by_fact.setdefault(fact["id"], []).append(claim.id)
    groups = [SystemGroup("F1", "corroborated", tuple(by_fact["F1"])),
              SystemGroup("F2", "contested", tuple(by_fact["F2"]), ("F3",)),
              SystemGroup("F3", "contested", tuple(by_fact["F3"]), ("F2",)),
              SystemGroup("F4", "corroborated", tuple(by_fact["F4"]))]
    f = figures(score_story(GOLD, ["x", "y"], SystemStory(claims, groups)))
    assert f["same_fact_f1"] == 1.0 and f["corroborated_precision"] == 1.0
    assert f["contested_precision"] == 1.0 and f["contested_recall"] == 1.0
    assert f["all_outlet_single_share"] == 0.0 and f["status_accuracy"] == 1.0


def test_a_claim_barely_touching_a_mention_does_not_map_to_it():
    story = SystemStory([SystemClaim("c", "x", 9, 40)], [SystemGroup("g", "single_source", ("c",))])
    # 1 char of F1, 10 of F2: the claim maps to F2 only
    assert metrics.map_claims(GOLD, story) == {"c": ("F2", 2)}


def test_relayed_copies_count_as_one_origin():
    gold = {"facts": [{"id": "F", "mentions": [{"article": "x", "start": 0, "end": 10},
                                                {"article": "y", "start": 5, "end": 15}]}],
            "conflicts": [],
            "relayed": [{"article": "x", "start": 0, "end": 20, "relays": "Agency"},
                        {"article": "y", "start": 0, "end": 20, "relays": "agency"}]}
    assert gold_status(gold) == {"F": "single_source"}
    gold["relayed"] = gold["relayed"][:1]
    assert gold_status(gold) == {"F": "corroborated"}
    # y is the agency's own article: x relaying it adds no origin
    assert gold_status(gold, {"x": "Paper", "y": "Agency"}) == {"F": "single_source"}


def test_clean_offsets_map_back_to_raw_text():
    raw = "junk line\nBody one. Body two.\nmore junk\nEnd."
    drops = [{"start": 0, "end": 10}, {"start": 30, "end": 40}]
    pieces = run_engine._kept_pieces(len(raw), drops)
    clean = "".join(raw[s:e] for s, e in pieces)
    assert clean == "Body one. Body two.\nEnd."
    start = clean.index("Body two.")
    raw_start, raw_end = run_engine.clean_to_raw(pieces, start, start + len("Body two."))
    assert raw[raw_start:raw_end] == "Body two."
    end_start = clean.index("End.")
    raw_start, raw_end = run_engine.clean_to_raw(pieces, end_start, end_start + 4)
    assert raw[raw_start:raw_end] == "End."
