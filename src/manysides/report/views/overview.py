"""The top of the report: what a reader needs in the first 30 seconds."""

from __future__ import annotations

from collections import Counter

from manysides.model import Briefing, ClaimStatus


def view(briefing: Briefing) -> dict:
    dates = sorted(a.published for a in briefing.articles if a.published)
    groups = briefing.framing.outlet_groups if briefing.framing else {}
    origin_of = {aid: o for o in briefing.origins for aid in o.article_ids}
    outlets = []
    for outlet, count in Counter(a.outlet_name for a in briefing.articles).most_common():
        origin_ids = sorted({origin_of[a.id].id for a in briefing.articles
                             if a.outlet_name == outlet and a.id in origin_of})
        outlets.append({"name": outlet, "articles": count, "group": groups.get(outlet),
                        "origins": origin_ids})
    status_counts = Counter(g.status for g in briefing.claim_groups)
    return {
        "date_from": dates[0] if dates else None,
        "date_to": dates[-1] if dates else None,
        "outlets": outlets,
        "independent_origins": len(briefing.origins) or None,
        "corroborated": status_counts.get(ClaimStatus.CORROBORATED, 0),
        "contested": status_counts.get(ClaimStatus.CONTESTED, 0),
        "single_source": status_counts.get(ClaimStatus.SINGLE_SOURCE, 0),
        "has_claims": bool(briefing.claim_groups),
        "entity_count": len(briefing.entities),
        "place_count": sum(1 for e in briefing.entities if e.place is not None),
        "places": _places(briefing),
        "stage_seconds": briefing.stage_seconds,
    }


def _places(briefing: Briefing) -> dict | None:
    """The entities section's map and legend, shown here too when the story has places."""
    if not any(e.place for e in briefing.entities):
        return None
    from manysides.report.views.entities import view as entities_view

    return entities_view(briefing)
