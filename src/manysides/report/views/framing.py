"""Framing section: side-by-side wordings, distinctive terms, loaded language,
actor sentiment and voices — each per outlet and, when groups are set, per group."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from manysides.model import Briefing, Framing, ReferentWording, Wording

UNGROUPED = "(ungrouped)"
TOP_LOADED_TERMS = 6
SIGNIFICANT_Z = 1.645  # one-sided 95%: the distinctive-terms threshold (Monroe et al. 2008)
FEW_ARTICLES = 10  # below this, per-outlet word statistics say little
PLAIN_REFERENTS = 4
REFERENT_LABEL_MAX = 40  # longer labels are claim texts, not actors or events


def _names(outlets: list[str]) -> str:
    from manysides.report.views.common import join_names

    return join_names(outlets) if len(outlets) <= 4 else f"{len(outlets)} outlets"


def _words(words: list[str]) -> str:
    from manysides.report.views.common import join_names

    return join_names([f"“{w}”" for w in words])


def _referent_sentence(referent: ReferentWording) -> str | None:
    """'On Russian forces, A and B say “retreat”; C says “regroup”; Moscow, quoted by D, says “regroup”.'"""
    own: dict[str, list[str]] = defaultdict(list)
    quoted: dict[tuple[str, str], list[str]] = defaultdict(list)
    for wording in referent.wordings:
        if wording.count - wording.quoted_count > 0 and wording.outlet not in own[wording.word]:
            own[wording.word].append(wording.outlet)
        if wording.quoted_count:
            for speaker in wording.speakers or ["a quoted source"]:
                if wording.outlet not in quoted[(speaker, wording.word)]:
                    quoted[(speaker, wording.word)].append(wording.outlet)
    if len(set(own) | {word for _, word in quoted}) < 2:
        return None  # everyone uses the same word: nothing to contrast
    # Words used by the same outlets read as one clause: "rybak-front says “hold” and “remain”".
    by_outlets: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for word, outlets in own.items():
        by_outlets[tuple(outlets)].append(word)
    parts = [f"{_names(list(outlets))} {'says' if len(outlets) == 1 else 'say'} {_words(words)}"
             for outlets, words in sorted(by_outlets.items(), key=lambda item: -len(item[0]))]
    by_speaker: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for (speaker, word), outlets in quoted.items():
        by_speaker[(speaker, tuple(outlets))].append(word)
    for (speaker, outlets), words in sorted(by_speaker.items(), key=lambda item: -len(item[0][1])):
        quoted_by = f"quoted by {_names(list(outlets))}" if len(outlets) <= 4 else f"quoted by {len(outlets)} outlets"
        parts.append(f"{_words(words)} from {speaker}, {quoted_by}")
    return f"On {referent.referent}, " + "; ".join(parts[:5]) + "."


def plain_words(briefing: Briefing, framing: Framing, loaded: list[dict[str, Any]]) -> dict[str, Any]:
    """The framing findings as sentences a reader takes in at once; statistics stay behind a toggle."""
    referents = [r for r in framing.referents if len(r.referent) <= REFERENT_LABEL_MAX and ":" not in r.referent]
    referents.sort(key=lambda r: -len({w.outlet for w in r.wordings}))
    sentences = [s for s in (_referent_sentence(r) for r in referents) if s][:PLAIN_REFERENTS]
    loaded_line = None
    marked = [row for row in loaded if row["own_voice"]]
    if sum(row["own_voice"] for row in marked) >= 3 and len(loaded) > 1:
        top = max(loaded, key=lambda row: row["per_1000_words"])
        low = min(loaded, key=lambda row: row["per_1000_words"])
        terms = _words([t["term"] for t in top["top_terms"][:3]])
        loaded_line = (f"{top['name']} uses the most loaded or evaluative words in its own voice "
                       f"({top['per_1000_words']} per 1,000 words{', such as ' + terms if terms else ''}); "
                       f"{low['name']} the fewest ({low['per_1000_words']}).")
    significant = any(t.z_score >= SIGNIFICANT_Z for terms in framing.distinctive.values() for t in terms)
    articles = len(briefing.articles)
    too_few = None
    if articles < FEW_ARTICLES or not significant:
        too_few = (f"Too few articles to say which words set one outlet apart: with {articles} "
                   f"article{'' if articles == 1 else 's'}, no word is used significantly more by one outlet "
                   "than by the rest." if not significant else
                   f"With {articles} articles, treat differences in word choice as hints, not findings.")
    return {"sentences": sentences, "loaded": loaded_line, "too_few": too_few}


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
    by_outlet_view = _perspective(briefing, framing, outlets, by_outlet)
    return {
        "plain": plain_words(briefing, framing, by_outlet_view["loaded"]),
        "has_groups": bool(group_names),
        "groups": [{"name": g, "members": members.get(g, [])} for g in group_columns],
        "outlet_groups": groups,
        "by_outlet": by_outlet_view,
        "by_group": _perspective(briefing, framing, group_columns, by_group) if group_names else None,
        "distinctive_outlets": distinctive_outlets,
        "distinctive_groups": distinctive_groups,
        "loaded_total": len(framing.loaded),
    }
