"""Framing section: side-by-side wordings, distinctive terms, loaded language,
actor sentiment and voices — each per outlet and, when groups are set, per group."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from manysides.model import Briefing, Framing, ReferentWording, Wording

UNGROUPED = "(ungrouped)"
TOP_LOADED_TERMS = 6


def _outlets(briefing: Briefing) -> list[str]:
    return sorted({a.outlet_name for a in briefing.articles})


def _outlet_by_article(briefing: Briefing) -> dict[str, str]:
    return {a.id: a.outlet_name for a in briefing.articles}


def _word_cells(wordings: list[Wording]) -> list[dict[str, Any]]:
    """Merge wordings of one column (an outlet, or all outlets of a group) by word."""
    merged: dict[str, dict[str, Any]] = {}
    for wording in wordings:
        cell = merged.setdefault(
            wording.word,
            {"word": wording.word, "count": 0, "quoted_count": 0, "speakers": [], "outlets": [],
             "first_span": wording.spans[0] if wording.spans else None},
        )
        cell["count"] += wording.count
        cell["quoted_count"] += wording.quoted_count
        cell["speakers"] += [s for s in wording.speakers if s not in cell["speakers"]]
        if wording.outlet not in cell["outlets"]:
            cell["outlets"].append(wording.outlet)
    cells = sorted(merged.values(), key=lambda c: (-c["count"], c["word"]))
    for cell in cells:
        cell["own_count"] = cell["count"] - cell["quoted_count"]
    return cells


def _referent_rows(referent: ReferentWording, columns: list[str], column_of) -> dict[str, Any]:
    by_column: dict[str, list[Wording]] = defaultdict(list)
    for wording in referent.wordings:
        by_column[column_of(wording.outlet)].append(wording)
    # every word, with the columns that use it: "regroup — quoted by 4 outlets"
    word_outlets: dict[str, set[str]] = defaultdict(set)
    for wording in referent.wordings:
        word_outlets[wording.word].add(wording.outlet)
    return {
        "referent": referent.referent,
        "claim_group_ids": referent.claim_group_ids,
        "cells": [{"column": column, "words": _word_cells(by_column.get(column, []))} for column in columns],
        "shared_words": sorted(
            ({"word": w, "outlets": len(o)} for w, o in word_outlets.items() if len(o) > 1),
            key=lambda item: (-item["outlets"], item["word"]),
        ),
    }


def _actor_names(briefing: Briefing) -> dict[str, str]:
    return {e.id: e.canonical_name for e in briefing.entities}


def _sentiment_rows(framing: Framing, names: dict[str, str], column_of) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, list[tuple[float, int]]]] = defaultdict(lambda: defaultdict(list))
    order: list[str] = []
    for item in framing.actor_sentiment:
        if item.entity_id not in rows:
            order.append(item.entity_id)
        rows[item.entity_id][column_of(item.outlet)].append((item.mean, item.sentences))
    result = []
    for actor_id in order:
        cells = {}
        for column, values in rows[actor_id].items():
            total = sum(n for _, n in values)
            cells[column] = {"mean": round(sum(m * n for m, n in values) / total, 2), "sentences": total}
        result.append({"actor": names.get(actor_id, actor_id), "cells": cells})
    return result


def _voice_rows(voices: dict[str, dict[str, int]], column_of) -> tuple[list[str], list[dict[str, Any]]]:
    sides = sorted({side for counts in voices.values() for side in counts})
    merged: dict[str, Counter[str]] = defaultdict(Counter)
    for outlet, counts in voices.items():
        merged[column_of(outlet)].update(counts)
    rows = [
        {"name": name, "counts": [counts.get(side, 0) for side in sides], "total": sum(counts.values())}
        for name, counts in sorted(merged.items())
    ]
    return sides, rows


def _loaded_rows(briefing: Briefing, framing: Framing, column_of) -> list[dict[str, Any]]:
    outlet_by_article = _outlet_by_article(briefing)
    words_by_column: Counter[str] = Counter()
    for article in briefing.articles:
        words_by_column[column_of(outlet_by_article[article.id])] += len(article.clean_text.split())
    marks: dict[str, Counter[str]] = defaultdict(Counter)
    own: Counter[str] = Counter()
    quoted: Counter[str] = Counter()
    for mark in framing.loaded:
        outlet = outlet_by_article.get(mark.span.article_id)
        if outlet is None:
            continue
        column = column_of(outlet)
        marks[column][briefing.text(mark.span).lower()] += 1
        (quoted if mark.in_quote else own)[column] += 1
    return [
        {
            "name": column,
            "own_voice": own[column],
            "quoted": quoted[column],
            "per_1000_words": round(1000 * own[column] / words, 1) if words else 0.0,
            "top_terms": [{"term": t, "count": n} for t, n in marks[column].most_common(TOP_LOADED_TERMS)],
        }
        for column, words in sorted(words_by_column.items())
    ]


def _perspective(briefing: Briefing, framing: Framing, columns: list[str], column_of) -> dict[str, Any]:
    names = _actor_names(briefing)
    sides, voice_rows = _voice_rows(framing.voices, column_of)
    return {
        "columns": columns,
        "referents": [_referent_rows(r, columns, column_of) for r in framing.referents],
        "actor_sentiment": _sentiment_rows(framing, names, column_of),
        "voice_sides": sides,
        "voices": voice_rows,
        "loaded": _loaded_rows(briefing, framing, column_of),
    }


def view(briefing: Briefing) -> dict[str, Any]:
    framing = briefing.framing or Framing()
    outlets = _outlets(briefing)
    groups = framing.outlet_groups
    group_names = sorted(set(groups.values()))
    members: dict[str, list[str]] = defaultdict(list)
    for outlet in outlets:
        members[groups.get(outlet, UNGROUPED)].append(outlet)

    def by_outlet(outlet: str) -> str:
        return outlet

    def by_group(outlet: str) -> str:
        return groups.get(outlet, UNGROUPED)

    group_columns = group_names + ([UNGROUPED] if UNGROUPED in members else [])
    distinctive_outlets = [
        {"name": o, "group": groups.get(o), "terms": framing.distinctive.get(o, [])} for o in outlets
    ]
    distinctive_groups = [
        {"name": g, "members": members.get(g, []),
         "terms": framing.distinctive.get(g if g not in outlets else f"group:{g}", [])}
        for g in group_names
    ]
    return {
        "has_groups": bool(group_names),
        "groups": [{"name": g, "members": members.get(g, [])} for g in group_columns],
        "outlet_groups": groups,
        "by_outlet": _perspective(briefing, framing, outlets, by_outlet),
        "by_group": _perspective(briefing, framing, group_columns, by_group) if group_names else None,
        "distinctive_outlets": distinctive_outlets,
        "distinctive_groups": distinctive_groups,
        "loaded_total": len(framing.loaded),
    }
