"""Scores of a system's claim groups against the hand annotation of one or more stories.

Pure functions over plain data, so the metrics can be checked on a tiny synthetic
pair (tests/test_real_stories.py) without running the engine:

- gold: an annotation dict as ``annotations/<id>.json`` holds it (facts with
  mentions, conflicts, relayed passages), plus the story's article keys;
- system: ``SystemStory`` - claims with (article key, start, end) in the same
  raw-text offsets, groups with a status, and conflict links between groups.

Counts are summed over stories (micro average) and turned into ratios at the end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

STATUSES = ("corroborated", "single_source", "contested")
# A claim maps to a gold mention only when they share at least this share of the
# shorter of the two spans: a sentence-level claim covers a clause-level mention,
# a claim that merely touches a neighbour's first word does not.
MIN_OVERLAP_SHARE = 0.3


@dataclass(frozen=True)
class SystemClaim:
    id: str
    article: str
    start: int
    end: int


@dataclass(frozen=True)
class SystemGroup:
    id: str
    status: str
    claim_ids: tuple[str, ...]
    conflicts: tuple[str, ...] = ()  # ids of the groups this one conflicts with
    marks: tuple[str, ...] = ()  # "one_party", "relayed"


@dataclass
class SystemStory:
    claims: list[SystemClaim]
    groups: list[SystemGroup]


@dataclass
class Counts:
    pair_tp: int = 0
    pair_fp: int = 0
    pair_fn: int = 0
    mentions: int = 0
    mentions_covered: int = 0
    corroborated_judged: int = 0
    corroborated_right: int = 0
    conflicts_judged: int = 0
    conflicts_right: int = 0
    conflicts_unjudged: int = 0
    gold_conflicts: int = 0
    gold_conflicts_found: int = 0
    all_outlet_facts: int = 0
    all_outlet_covered: int = 0
    all_outlet_single: int = 0
    status_judged: int = 0
    status_right: int = 0
    status_confusion: Counter = field(default_factory=Counter)
    one_party_tp: int = 0
    one_party_fp: int = 0
    one_party_fn: int = 0
    relayed_tp: int = 0
    relayed_fp: int = 0
    relayed_fn: int = 0

    def add(self, other: "Counts") -> None:
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


def figures(counts: Counts) -> dict[str, float | int | None]:
    p = _ratio(counts.pair_tp, counts.pair_tp + counts.pair_fp)
    r = _ratio(counts.pair_tp, counts.pair_tp + counts.pair_fn)
    cp = _ratio(counts.conflicts_right, counts.conflicts_judged + counts.conflicts_unjudged)
    cr = _ratio(counts.gold_conflicts_found, counts.gold_conflicts)
    return {
        "same_fact_precision": p,
        "same_fact_recall": r,
        "same_fact_f1": _f1(p, r),
        "mention_coverage": _ratio(counts.mentions_covered, counts.mentions),
        "corroborated_precision": _ratio(counts.corroborated_right, counts.corroborated_judged),
        "corroborated_judged": counts.corroborated_judged,
        "contested_precision": cp,
        "contested_recall": cr,
        "contested_links": counts.conflicts_judged + counts.conflicts_unjudged,
        "gold_conflicts": counts.gold_conflicts,
        "all_outlet_single_share": _ratio(counts.all_outlet_single, counts.all_outlet_covered),
        "all_outlet_facts": counts.all_outlet_facts,
        "status_accuracy": _ratio(counts.status_right, counts.status_judged),
        "status_judged": counts.status_judged,
        "one_party_precision": _ratio(counts.one_party_tp, counts.one_party_tp + counts.one_party_fp),
        "one_party_recall": _ratio(counts.one_party_tp, counts.one_party_tp + counts.one_party_fn),
        "relayed_precision": _ratio(counts.relayed_tp, counts.relayed_tp + counts.relayed_fp),
        "relayed_recall": _ratio(counts.relayed_tp, counts.relayed_tp + counts.relayed_fn),
    }


# ---------------------------------------------------------------------------
# gold side
# ---------------------------------------------------------------------------


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def mention_origin(mention: dict, relayed: list[dict], outlets: dict[str, str] | None = None) -> str:
    """The outlet a mention counts toward: the relayed outlet when it sits in a relayed passage.

    ``outlets`` maps article keys to outlet names, so an article relaying the
    outlet whose own article is in the story counts as that one origin.
    """
    length = max(1, mention["end"] - mention["start"])
    for passage in relayed:
        if passage["article"] != mention["article"]:
            continue
        if _overlap(mention["start"], mention["end"], passage["start"], passage["end"]) >= 0.5 * length:
            return passage["relays"].lower()
    return (outlets or {}).get(mention["article"], "article " + mention["article"]).lower()


def fact_origins(annotation: dict, outlets: dict[str, str] | None = None) -> dict[str, set[str]]:
    relayed = annotation.get("relayed", [])
    return {fact["id"]: {mention_origin(m, relayed, outlets) for m in fact["mentions"]}
            for fact in annotation["facts"]}


def gold_status(annotation: dict, outlets: dict[str, str] | None = None) -> dict[str, str]:
    contested = {c["a"] for c in annotation["conflicts"]} | {c["b"] for c in annotation["conflicts"]}
    all_origins = fact_origins(annotation, outlets)
    status = {}
    for fact in annotation["facts"]:
        origins = all_origins[fact["id"]]
        if fact["id"] in contested:
            status[fact["id"]] = "contested"
        elif len(origins) >= 2:
            status[fact["id"]] = "corroborated"
        else:
            status[fact["id"]] = "single_source"
    return status


# ---------------------------------------------------------------------------
# matching system claims to gold mentions
# ---------------------------------------------------------------------------


def map_claims(annotation: dict, system: SystemStory) -> dict[str, tuple[str, int]]:
    """claim id -> (fact id, mention index in the flat mention list) it overlaps most."""
    mentions = [(fact["id"], m) for fact in annotation["facts"] for m in fact["mentions"]]
    mapped: dict[str, tuple[str, int]] = {}
    for claim in system.claims:
        best, best_overlap = None, 0
        for index, (fact_id, m) in enumerate(mentions):
            if m["article"] != claim.article:
                continue
            shared = _overlap(claim.start, claim.end, m["start"], m["end"])
            shortest = max(1, min(claim.end - claim.start, m["end"] - m["start"]))
            if shared > best_overlap and shared >= MIN_OVERLAP_SHARE * shortest:
                best, best_overlap = (fact_id, index), shared
        if best is not None:
            mapped[claim.id] = best
    return mapped


def score_story(annotation: dict, article_keys: list[str], system: SystemStory,
                outlets: dict[str, str] | None = None) -> Counts:
    """``outlets`` (article key -> outlet name) lets relays of an outlet in the story merge with it."""
    counts = Counts()
    mentions = [(fact["id"], m) for fact in annotation["facts"] for m in fact["mentions"]]
    mapped = map_claims(annotation, system)
    group_of = {cid: g.id for g in system.groups for cid in g.claim_ids}
    status_of = {g.id: g.status for g in system.groups}
    marks_of = {g.id: set(g.marks) for g in system.groups}

    groups_at: dict[int, set[str]] = defaultdict(set)  # mention index -> system groups
    facts_of_group: dict[str, set[str]] = defaultdict(set)
    for claim_id, (fact_id, index) in mapped.items():
        if claim_id in group_of:
            groups_at[index].add(group_of[claim_id])
            facts_of_group[group_of[claim_id]].add(fact_id)

    counts.mentions = len(mentions)
    counts.mentions_covered = sum(1 for i in range(len(mentions)) if groups_at[i])

    # same-fact pairs: cross-article pairs of covered gold mentions
    covered = [i for i in range(len(mentions)) if groups_at[i]]
    for x, i in enumerate(covered):
        for j in covered[x + 1:]:
            if mentions[i][1]["article"] == mentions[j][1]["article"]:
                continue
            gold_same = mentions[i][0] == mentions[j][0]
            system_same = bool(groups_at[i] & groups_at[j])
            if gold_same and system_same:
                counts.pair_tp += 1
            elif system_same:
                counts.pair_fp += 1
            elif gold_same:
                counts.pair_fn += 1

    status = gold_status(annotation, outlets)
    origins = fact_origins(annotation, outlets)

    # corroborated precision: every system group marked corroborated that touches the gold
    for group in system.groups:
        if group.status != "corroborated" or not facts_of_group.get(group.id):
            continue
        counts.corroborated_judged += 1
        facts = facts_of_group[group.id]
        if len(facts) == 1 and len(origins[next(iter(facts))]) >= 2:
            counts.corroborated_right += 1

    # contested: conflict links between groups vs annotated conflicts between facts
    gold_pairs = {frozenset((c["a"], c["b"])) for c in annotation["conflicts"]}
    links = {frozenset((g.id, other)) for g in system.groups for other in g.conflicts if other != g.id}
    found: set[frozenset] = set()
    for link in links:
        a, b = tuple(link)
        facts_a, facts_b = facts_of_group.get(a, set()), facts_of_group.get(b, set())
        if not facts_a and not facts_b:
            counts.conflicts_unjudged += 1
            continue
        counts.conflicts_judged += 1
        hits = {pair for pair in gold_pairs
                if any(frozenset((fa, fb)) == pair for fa in facts_a for fb in facts_b)}
        if hits:
            counts.conflicts_right += 1
            found |= hits
    counts.gold_conflicts = len(gold_pairs)
    counts.gold_conflicts_found = len(found)

    # per gold fact: the system status of the group covering most of its mentions
    for fact in annotation["facts"]:
        indexes = [i for i, (fid, _) in enumerate(mentions) if fid == fact["id"]]
        votes: Counter = Counter(g for i in indexes for g in groups_at[i])
        articles = {m["article"] for m in fact["mentions"]}
        every_outlet = articles >= set(article_keys)
        counts.all_outlet_facts += int(every_outlet)
        if not votes:
            continue
        shown = [status_of[g] for g in votes]
        best_group = max(votes, key=lambda g: (votes[g], status_of[g] != "single_source", g))
        predicted = status_of[best_group]
        counts.status_judged += 1
        counts.status_right += int(predicted == status[fact["id"]])
        counts.status_confusion[(status[fact["id"]], predicted)] += 1
        # marks, judged per covered fact on the group that holds most of its mentions
        gold_one_party = bool(fact.get("one_party"))
        gold_relayed = any(mention_origin(m, annotation.get("relayed", [])) != mention_origin(m, [])
                           for m in fact["mentions"])
        for name, gold in (("one_party", gold_one_party), ("relayed", gold_relayed)):
            shown_mark = name in marks_of[best_group]
            if shown_mark and gold:
                setattr(counts, f"{name}_tp", getattr(counts, f"{name}_tp") + 1)
            elif shown_mark:
                setattr(counts, f"{name}_fp", getattr(counts, f"{name}_fp") + 1)
            elif gold:
                setattr(counts, f"{name}_fn", getattr(counts, f"{name}_fn") + 1)
        if every_outlet:
            counts.all_outlet_covered += 1
            counts.all_outlet_single += int(all(s == "single_source" for s in shown))
    return counts
