"""The first screen: the story in one minute.

A headline from the most-corroborated claim group (never one outlet's title), what
independent sources agree on, the key disagreements with both sides and who asserts
each, then what only one party claims. Every line cites the outlets' own sentences.
"""

from __future__ import annotations

from manysides.model import Briefing, ClaimGroup, ClaimStatus, GroupBasis, GroupMark
from manysides.report.views.common import (
    MARK_LABEL,
    MARK_LEGEND,
    MARK_SYMBOL,
    asserters_phrase,
    attributed,
    citations,
    claims_by_id,
    group_text,
    is_quoted,
    join_names,
    plain_detail,
    shorten,
    speaker_of,
)

AGREED_LINES = 5
DISAGREEMENT_LINES = 4
ONE_PARTY_LINES = 4
HEADLINE_CHARS = 120
SIDE_CHARS = 120


def _coverage(group: ClaimGroup) -> tuple[int, int]:
    return group.independent_origin_count, len(group.outlets)


def _is_one_party(group: ClaimGroup) -> bool:
    return bool(group.marks) or group.basis is GroupBasis.ONE_PARTY


def _marks(group: ClaimGroup) -> list[dict]:
    marks = list(group.marks)
    if group.basis is GroupBasis.ONE_PARTY and GroupMark.ONE_PARTY not in marks:
        marks.append(GroupMark.ONE_PARTY)
    return [{"value": m.value, "symbol": MARK_SYMBOL[m], "label": MARK_LABEL[m]} for m in marks]


def _line(briefing: Briefing, group: ClaimGroup, claims) -> dict:
    outlets = group.outlets
    speaker, text = attributed(group_text(briefing, group, claims), speaker_of(group, claims))
    return {
        "group_id": group.id,
        "text": text,
        "speaker": speaker,
        "asserters": asserters_phrase(group.asserters, limit=2),
        "origins": group.independent_origin_count,
        "outlet_count": len(outlets),
        "marks": _marks(group),
        "cites": citations(briefing, group, claims),
    }


def headline(briefing: Briefing) -> str:
    """The most-corroborated fact, cut to a headline; the story title only when nothing is."""
    claims = claims_by_id(briefing)
    corroborated = [g for g in briefing.claim_groups
                    if g.status is ClaimStatus.CORROBORATED and not _is_one_party(g)]
    pool = corroborated or sorted(briefing.claim_groups, key=_coverage, reverse=True)[:1]
    if pool:
        # A reported fact before anyone's words, then the widest coverage.
        best = max(pool, key=lambda g: (not is_quoted(g, claims), *_coverage(g)))
        speaker, text = attributed(group_text(briefing, best, claims).rstrip(" ."), speaker_of(best, claims))
        if text and speaker:
            return shorten(f"{speaker}: {text}", HEADLINE_CHARS, clause=True)
        if text:
            return shorten(text[0].upper() + text[1:], HEADLINE_CHARS, clause=True)
    return briefing.title or "Untitled story"


def _disagreements(briefing: Briefing, claims) -> list[dict]:
    groups = {g.id: g for g in briefing.claim_groups}
    seen: set[frozenset[str]] = set()
    pairs = []
    for group in briefing.claim_groups:
        for conflict in group.conflicts:
            other = groups.get(conflict.group_id)
            key = frozenset((group.id, conflict.group_id))
            if other is None or key in seen:
                continue
            seen.add(key)
            pairs.append((group, other, conflict))
    pairs.sort(key=lambda p: (-(p[0].independent_origin_count + p[1].independent_origin_count),
                              -(len(p[0].outlets) + len(p[1].outlets)), p[0].id))
    # Each claim in one line at most: a claim disputed by several others shows its strongest
    # opponent here, the rest in the matrix.
    lines, used = [], set()
    for first, second, conflict in pairs:
        if first.id in used or second.id in used:
            continue
        used.update((first.id, second.id))
        sides = [_line(briefing, first, claims), _line(briefing, second, claims)]
        for side in sides:
            side["text"] = shorten(side["text"], SIDE_CHARS)
        lines.append({"sides": sides, "reason": conflict.reason.value,
                      "detail": plain_detail(conflict.detail) or f"They differ on {conflict.reason.value}."})
        if len(lines) == DISAGREEMENT_LINES:
            break
    return lines



def view(briefing: Briefing) -> dict:
    claims = claims_by_id(briefing)
    groups = briefing.claim_groups
    agreed = sorted((g for g in groups if g.status is ClaimStatus.CORROBORATED and not _is_one_party(g)),
                    key=lambda g: (*(-x for x in _coverage(g)), g.id))
    one_party = sorted((g for g in groups if _is_one_party(g)),
                       key=lambda g: (*(-x for x in _coverage(g)), g.id))
    single = [] if one_party else sorted(
        (g for g in groups if g.status is ClaimStatus.SINGLE_SOURCE),
        key=lambda g: (-len(g.outlets), -len(g.claim_ids), g.id))
    outlets = list(dict.fromkeys(a.outlet_name for a in briefing.articles))
    dates = sorted(a.published for a in briefing.articles if a.published)
    used_marks = {m["value"] for g in one_party[:ONE_PARTY_LINES] for m in _marks(g)}
    disagreements = _disagreements(briefing, claims)
    # The one-party block goes under the shorter column (a dispute takes about two lines).
    one_party_right = 2 * len(disagreements) < min(len(agreed), AGREED_LINES)
    return {
        "headline": headline(briefing),
        "outlets": len(outlets),
        "outlet_names": join_names(outlets) if len(outlets) <= 6 else f"{len(outlets)} outlets",
        "articles": len(briefing.articles),
        "independent_origins": len(briefing.origins),
        "date_from": dates[0] if dates else None,
        "date_to": dates[-1] if dates else None,
        "agreed": [_line(briefing, g, claims) for g in agreed[:AGREED_LINES]],
        "agreed_more": max(0, len(agreed) - AGREED_LINES),
        "disagreements": disagreements,
        "one_party_right": one_party_right,
        "contested_total": sum(g.status is ClaimStatus.CONTESTED for g in groups),
        "one_party": [_line(briefing, g, claims) for g in one_party[:ONE_PARTY_LINES]],
        "one_party_more": max(0, len(one_party) - ONE_PARTY_LINES),
        "single_source": [_line(briefing, g, claims) for g in single[:3]],
        "legend": [{"symbol": MARK_SYMBOL[m], "label": MARK_LABEL[m], "text": MARK_LEGEND[m]}
                   for m in GroupMark if m.value in used_marks],
        "has_claims": bool(groups),
    }
