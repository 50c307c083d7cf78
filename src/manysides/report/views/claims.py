"""The claim matrix (rows: claim groups, columns: outlets) and the "who is quoted" panel.

Every text shown is sliced from an article's clean text through a span
(``briefing.text``), so a cell is always the outlet's verbatim wording.
``claims_table_rows`` gives the same rows as plain dicts for the terminal.
"""

from __future__ import annotations

from collections import defaultdict

from manysides.model import Asserter, Briefing, ClaimGroup, ClaimStatus, GroupBasis, OriginKind
from manysides.report.views.common import (
    MARK_LABEL,
    MARK_LEGEND,
    MARK_SYMBOL,
    claim_text,
    origin_labels,
    plain_detail,
)

STATUS_LABEL = {
    ClaimStatus.CORROBORATED: "corroborated",
    ClaimStatus.CONTESTED: "contested",
    ClaimStatus.SINGLE_SOURCE: "single source",
}
BASIS_NOTE = {
    "statement": "corroborated as a statement: independent outlets report the same words from this speaker",
    "one_party": "relayed from one party only, however many outlets carry it",
    "one_origin": "one origin (wire copy or one outlet)",
    "independent": "independent origins",
}
# Beyond this many outlets a column holds a dot (the wording opens from the claim cell)
# and outlet groups start collapsed, so 60 outlets still fit the screen.
WIDE_CELLS_MAX_OUTLETS = 8
COLLAPSE_ABOVE_OUTLETS = 12
UNGROUPED = "other outlets"
_STATUS_ORDER = {ClaimStatus.CONTESTED: 0, ClaimStatus.CORROBORATED: 1, ClaimStatus.SINGLE_SOURCE: 2}


def outlet_of_article(briefing: Briefing) -> dict[str, str]:
    return {a.id: a.outlet_name for a in briefing.articles}


def outlet_columns(briefing: Briefing) -> list[str]:
    """Outlets in article order (the order the user gave the inputs)."""
    return list(dict.fromkeys(a.outlet_name for a in briefing.articles))


def asserter_label(asserter: Asserter) -> str:
    from manysides.report.views.common import asserter_name

    return asserter_name(asserter)


def sorted_groups(briefing: Briefing) -> list[ClaimGroup]:
    """Contested first, then corroborated, then single-source; wider coverage first within each."""
    return sorted(briefing.claim_groups,
                  key=lambda g: (_STATUS_ORDER[g.status], -g.independent_origin_count, -len(g.outlets), g.id))


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _group_rows(briefing: Briefing, *, max_rows: int | None) -> list[dict]:
    claims = {c.id: c for c in briefing.claims}
    outlets = outlet_columns(briefing)
    outlet_of = outlet_of_article(briefing)
    groups = sorted_groups(briefing)
    representative_text = {
        g.id: claim_text(briefing, claims[g.representative_claim_id])
        for g in groups if g.representative_claim_id in claims
    }
    rows = []
    for group in groups[:max_rows] if max_rows else groups:
        cells: dict[str, list[str]] = defaultdict(list)
        for claim_id in group.claim_ids:
            claim = claims.get(claim_id)
            if claim is not None:
                cells[outlet_of.get(claim.span.article_id, claim.outlet)].append(briefing.text(claim.span))
        rows.append({
            "id": group.id,
            "text": representative_text.get(group.id, ""),
            "asserters": [asserter_label(a) for a in group.asserters],
            "status": group.status.value,
            "status_label": STATUS_LABEL[group.status],
            "basis": group.basis.value if group.basis else None,
            "basis_note": BASIS_NOTE.get(group.basis.value if group.basis else "", ""),
            "independent_origins": group.independent_origin_count,
            "outlet_count": len(group.outlets),
            "conflicts": [
                {"group_id": c.group_id, "reason": c.reason.value, "detail": plain_detail(c.detail),
                 "text": _short(representative_text.get(c.group_id, ""))}
                for c in _unique_conflicts(group)
            ],
            "marks": [{"value": m.value, "symbol": MARK_SYMBOL[m], "label": MARK_LABEL[m]} for m in group.marks],
            "reason": _status_reason(group),
            "cells": [cells.get(outlet, []) for outlet in outlets],
        })
    return rows


def _unique_conflicts(group: ClaimGroup):
    seen = set()
    for conflict in group.conflicts:
        if conflict.group_id not in seen:
            seen.add(conflict.group_id)
            yield conflict


def _status_reason(group: ClaimGroup) -> str:
    """One short line beside the status label."""
    origins = group.independent_origin_count
    if group.status is ClaimStatus.CONTESTED:
        n = len({c.group_id for c in group.conflicts})
        return f"disputed by {n} other claim{'' if n == 1 else 's'}"
    if group.basis is GroupBasis.STATEMENT:
        return f"same words from one speaker, {origins} origins"
    if group.basis is GroupBasis.ONE_PARTY:
        return "relayed from one party only"
    if group.status is ClaimStatus.CORROBORATED:
        return f"{origins} independent origins"
    outlets = len(group.outlets)
    return "one origin" + (f", {outlets} outlets" if outlets > 1 else "")


def column_groups(briefing: Briefing) -> list[dict]:
    """Outlet columns grouped by the user's outlet groups (else by shared origin), wire copies
    side by side; each outlet carries its index into ``outlet_columns`` and its origin label."""
    outlets = outlet_columns(briefing)
    index = {o: i for i, o in enumerate(outlets)}
    labels = origin_labels(briefing)
    origin_of_outlet: dict[str, dict] = {}
    for origin in sorted(briefing.origins, key=lambda o: o.id):
        for outlet in labels[origin.id]["outlets"]:
            origin_of_outlet.setdefault(outlet, {"id": origin.id, **labels[origin.id]})
    user_groups = briefing.framing.outlet_groups if briefing.framing else {}
    members: dict[str, list[str]] = defaultdict(list)
    for outlet in outlets:
        if user_groups:
            key = user_groups.get(outlet, UNGROUPED)
        else:
            origin = origin_of_outlet.get(outlet)
            key = origin["label"] if origin and origin["shared"] else "own reporting"
        members[key].append(outlet)
    names = sorted(members, key=lambda k: (k in (UNGROUPED, "own reporting"), k.lower()))
    result = []
    for k, name in enumerate(names):
        ordered = sorted(members[name], key=lambda o: (origin_of_outlet.get(o, {}).get("id", o), index[o]))
        result.append({
            "key": k, "name": name,
            # 1-based column positions in a body row: claim, status, then per group its
            # summary cell and its outlets; CSS collapses a group by these positions.
            "first": 3 + sum(len(g["outlets"]) + 1 for g in result),
            "outlets": [{"name": o, "index": index[o],
                         "origin": origin_of_outlet[o]["label"] if o in origin_of_outlet
                         and origin_of_outlet[o]["shared"] else ""} for o in ordered],
        })
    return result


def quotes_panel(briefing: Briefing) -> list[dict]:
    """Quotes grouped by speaker (and side), with how many each outlet carries."""
    outlets = outlet_columns(briefing)
    outlet_of = outlet_of_article(briefing)
    by_speaker: dict[tuple[str, str | None], dict] = {}
    for quote in briefing.quotes:
        key = (quote.speaker_entity_id or " ".join(quote.speaker.lower().split()), quote.side)
        entry = by_speaker.setdefault(key, {
            "speaker": quote.speaker, "side": quote.side, "total": 0,
            "per_outlet": {o: [] for o in outlets},
        })
        entry["total"] += 1
        outlet = outlet_of.get(quote.span.article_id)
        if outlet is not None:
            entry["per_outlet"][outlet].append(
                {"text": briefing.text(quote.span), "kind": quote.kind.value})
    speakers = sorted(by_speaker.values(), key=lambda e: (-e["total"], e["speaker"].lower()))
    for entry in speakers:
        entry["counts"] = [len(entry["per_outlet"][o]) for o in outlets]
    return speakers


def side_counts(briefing: Briefing) -> list[dict]:
    """Per outlet: quotes by side (unknown side counted as such)."""
    outlet_of = outlet_of_article(briefing)
    counts: dict[str, dict[str, int]] = {o: defaultdict(int) for o in outlet_columns(briefing)}
    for quote in briefing.quotes:
        outlet = outlet_of.get(quote.span.article_id)
        if outlet is not None:
            counts[outlet][quote.side or "unknown"] += 1
    return [{"outlet": o, "sides": dict(sorted(c.items()))} for o, c in counts.items()]


def origins_table(briefing: Briefing) -> list[dict]:
    labels = origin_labels(briefing)
    return [
        {"id": o.id, "label": labels[o.id]["label"], "kind": o.kind.value, "agency": o.agency,
         "evidence": plain_detail(o.evidence or ""), "outlets": labels[o.id]["outlets"]}
        for o in sorted(briefing.origins, key=lambda o: (o.kind is OriginKind.INDEPENDENT, o.id))
    ]


def _dense_cells(row: dict, groups: list[dict]) -> list:
    """Per column group: its summary cell and one dot per outlet, built here rather than in the
    template because a 60-outlet, 500-claim matrix has 30,000 of them (outlet names are escaped)."""
    from markupsafe import Markup, escape

    html = []
    for g, carried in zip(groups, row["group_cells"], strict=True):
        cells = [f'<td class="gsum">{carried}/{len(g["outlets"])}</td>' if carried else '<td class="gsum"></td>']
        for outlet in g["outlets"]:
            cells.append(f'<td class="dot" title="{escape(outlet["name"])}">●</td>' if row["cells"][outlet["index"]]
                         else '<td class="dot"></td>')
        html.append(Markup("".join(cells)))
    return html


def view(briefing: Briefing, *, max_rows: int | None = 1000) -> dict:
    rows = _group_rows(briefing, max_rows=max_rows)
    outlets = outlet_columns(briefing)
    groups = column_groups(briefing)
    collapsed = len(outlets) > COLLAPSE_ABOVE_OUTLETS
    wide = len(outlets) <= WIDE_CELLS_MAX_OUTLETS
    for row in rows:
        row["group_cells"] = [sum(bool(row["cells"][o["index"]]) for o in g["outlets"]) for g in groups]
        if not wide:
            row["dense_html"] = _dense_cells(row, groups)
        row["wording"] = [{"outlet": outlet, "texts": texts}
                          for outlet, texts in zip(outlets, row["cells"], strict=True) if texts]
    used_marks = {m["value"] for row in rows for m in row["marks"]}
    return {
        "column_groups": groups,
        "collapsed": collapsed,
        "wide_cells": len(outlets) <= WIDE_CELLS_MAX_OUTLETS,
        "legend": [{"value": m.value, "symbol": MARK_SYMBOL[m], "label": MARK_LABEL[m], "text": MARK_LEGEND[m]}
                   for m in MARK_SYMBOL if m.value in used_marks],
        "outlets": outlets,
        "rows": rows,
        "hidden_rows": max(0, len(briefing.claim_groups) - len(rows)),
        "counts": {s.value: sum(g.status is s for g in briefing.claim_groups) for s in ClaimStatus},
        "speakers": quotes_panel(briefing),
        "side_counts": side_counts(briefing),
        "origins": origins_table(briefing),
        "shared_passages": len(briefing.passages),
        "judge_note": _judge_note(briefing),
    }


def _judge_note(briefing: Briefing) -> str:
    """What the optional LLM pair judge did, or why it could not (empty when it was not asked)."""
    stats = briefing.alignment
    if stats is None or not (stats.llm_pairs_asked or stats.notes):
        return ""
    said = [f"A language model judged {stats.llm_pairs_asked} undecided claim pairs; "
            f"{stats.llm_pairs_changed} of its answers passed the structural checks and changed a grouping."
            ] if stats.llm_pairs_asked else []
    return " ".join([*said, *stats.notes])


def claims_table_rows(briefing: Briefing) -> list[dict]:
    """One plain dict per claim group, for ``manysides claims`` in the terminal."""
    outlets = outlet_columns(briefing)
    out = []
    for row in _group_rows(briefing, max_rows=None):
        out.append({
            "group_id": row["id"],
            "status": row["status"],
            "claim": row["text"],
            "asserters": ", ".join(row["asserters"]),
            "independent_origins": row["independent_origins"],
            "outlet_count": row["outlet_count"],
            "conflicts": "; ".join(f"{c['group_id']} ({c['reason']})" for c in row["conflicts"]),
            "basis": row["basis"] or "",
            "cells": {o: " / ".join(texts) for o, texts in zip(outlets, row["cells"], strict=True) if texts},
        })
    return out
