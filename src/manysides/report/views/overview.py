"""Below the briefing: the counts, and the outlets grouped by where their copy comes from."""

from __future__ import annotations

from collections import Counter

from manysides.model import Briefing, ClaimStatus
from manysides.report.views.common import origin_labels


def view(briefing: Briefing) -> dict:
    dates = sorted(a.published for a in briefing.articles if a.published)
    groups = briefing.framing.outlet_groups if briefing.framing else {}
    articles_per_outlet = Counter(a.outlet_name for a in briefing.articles)
    labels = origin_labels(briefing)
    sources, listed = [], set()
    # Shared copy first (one row naming every outlet that carries it), then own reporting.
    for origin in sorted(briefing.origins, key=lambda o: (not labels[o.id]["shared"], labels[o.id]["outlets"])):
        label = labels[origin.id]
        outlets = [o for o in label["outlets"]]
        listed.update(outlets)
        sources.append({
            "origin": label["label"],
            "outlets": outlets,
            "groups": sorted({groups[o] for o in outlets if o in groups}),
            "articles": len(origin.article_ids),
            "shared": label["shared"],
        })
    for outlet, count in articles_per_outlet.most_common():
        if outlet not in listed:
            sources.append({"origin": "not compared", "outlets": [outlet], "articles": count,
                            "groups": [groups[outlet]] if outlet in groups else [], "shared": False})
    status_counts = Counter(g.status for g in briefing.claim_groups)
    return {
        "date_from": dates[0] if dates else None,
        "date_to": dates[-1] if dates else None,
        "outlet_count": len(articles_per_outlet),
        "sources": sources,
        "independent_origins": len(briefing.origins) or None,
        "corroborated": status_counts.get(ClaimStatus.CORROBORATED, 0),
        "contested": status_counts.get(ClaimStatus.CONTESTED, 0),
        "single_source": status_counts.get(ClaimStatus.SINGLE_SOURCE, 0),
        "has_claims": bool(briefing.claim_groups),
        "entity_count": len(briefing.entities),
        "place_count": sum(1 for e in briefing.entities if e.place is not None),
        "stage_seconds": briefing.stage_seconds,
    }
