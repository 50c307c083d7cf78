"""Entities section: who and where, how each outlet spells them, and an offline map.

The map is inline SVG: country outlines from the shipped Natural Earth data
(``manysides/data/borders_110m.json``), one marker per place sized by mentions
and split into wedges, one per outlet that names the place. Labels go through
the template's autoescaping like all other text.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from manysides.analyse.geo_borders import Frame
from manysides.model import Briefing, Entity

# Colour-blind-safe palette (Okabe-Ito), one colour per outlet in order of appearance.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
MAX_ROWS = 60
MAP_WIDTH = 720


def _outlet_of(briefing: Briefing) -> dict[str, str]:
    return {a.id: a.outlet_name for a in briefing.articles}


def _wedges(x: float, y: float, radius: float, colours: list[str]) -> list[dict]:
    """SVG path data for equal pie wedges, one per colour (a full circle for one)."""
    if len(colours) == 1:
        return [{"circle": True, "fill": colours[0]}]
    wedges = []
    step = 2 * math.pi / len(colours)
    for index, colour in enumerate(colours):
        a0, a1 = index * step - math.pi / 2, (index + 1) * step - math.pi / 2
        x0, y0 = x + radius * math.cos(a0), y + radius * math.sin(a0)
        x1, y1 = x + radius * math.cos(a1), y + radius * math.sin(a1)
        large = 1 if step > math.pi else 0
        wedges.append({
            "circle": False, "fill": colour,
            "d": f"M{x:.1f},{y:.1f}L{x0:.1f},{y0:.1f}A{radius:.1f},{radius:.1f} 0 {large} 1 {x1:.1f},{y1:.1f}Z",
        })
    return wedges


def _map(entities: list[Entity], outlet_of: dict[str, str], colours: dict[str, str]) -> dict | None:
    placed = [e for e in entities if e.place is not None]
    if not placed:
        return None
    # Frame the story's local places; a country's centroid would zoom out to a continent.
    local = [e for e in placed if e.place.admin_level != "country"] or placed
    frame = Frame.around([(e.place.longitude, e.place.latitude) for e in local], width=MAP_WIDTH)
    most = max(len(e.mentions) for e in placed)
    points = []
    for entity in sorted(placed, key=lambda e: -len(e.mentions)):
        lon, lat = entity.place.longitude, entity.place.latitude
        if not (frame.west <= lon <= frame.east and frame.south <= lat <= frame.north):
            continue
        x, y = frame.project(lon, lat)
        radius = 4.0 + 10.0 * math.sqrt(len(entity.mentions) / most)
        by_outlet = Counter(outlet_of.get(span.article_id, "?") for span in entity.mentions)
        outlets = [o for o in colours if o in by_outlet]
        points.append({
            "x": x, "y": y, "r": round(radius, 1), "label": entity.canonical_name,
            "label_x": round(x + radius + 3, 1), "label_y": round(y + 4, 1),
            "title": f"{entity.canonical_name}: {len(entity.mentions)} mentions ("
                     + ", ".join(f"{o} {by_outlet[o]}" for o in outlets) + ")",
            "wedges": _wedges(x, y, radius, [colours[o] for o in outlets]),
            "region": entity.place.admin_level in ("ADM1", "region"),
        })
    # Labels of the most-mentioned places first; a label that would overprint one
    # already placed is dropped (the marker's tooltip still names it).
    boxes: list[tuple[float, float, float, float]] = []
    for point in points:
        box = (point["label_x"], point["label_y"] - 10, point["label_x"] + 6.2 * len(point["label"]),
               point["label_y"] + 3)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            point["show_label"] = False
        else:
            point["show_label"] = True
            boxes.append(box)
    # Small markers drawn last so big ones do not hide them.
    points.reverse()
    return {
        "width": frame.width, "height": frame.height,
        "borders": [{"code": code, "d": d} for code, d in frame.border_paths()],
        "points": points,
        "off_map": [e.canonical_name for e in placed
                    if not (frame.west <= e.place.longitude <= frame.east
                            and frame.south <= e.place.latitude <= frame.north)],
    }


def view(briefing: Briefing) -> dict:
    outlet_of = _outlet_of(briefing)
    outlets: list[str] = []
    for article in briefing.articles:
        outlet = outlet_of[article.id]
        if outlet not in outlets:
            outlets.append(outlet)
    colours = {outlet: PALETTE[i % len(PALETTE)] for i, outlet in enumerate(outlets)}
    rows = []
    for entity in briefing.entities[:MAX_ROWS]:
        counts: Counter = Counter(outlet_of.get(span.article_id, "?") for span in entity.mentions)
        spellings: dict[str, list[str]] = defaultdict(list)
        for article_id, forms in entity.surface_forms.items():
            outlet = outlet_of.get(article_id, "?")
            for form in forms:
                if form not in spellings[outlet]:
                    spellings[outlet].append(form)
        place = entity.place
        rows.append({
            "id": entity.id,
            "name": entity.canonical_name,
            "type": entity.type.value,
            "total": len(entity.mentions),
            "counts": {o: counts.get(o, 0) for o in outlets},
            "spellings": {o: spellings.get(o, []) for o in outlets},
            "variant_count": len({f for forms in spellings.values() for f in forms}),
            "place": None if place is None else {
                "lat": place.latitude, "lon": place.longitude, "level": place.admin_level,
                "country": place.country_code or "", "geonames_id": place.geonames_id,
            },
        })
    return {
        "outlets": outlets,
        "colours": colours,
        "rows": rows,
        "hidden": max(0, len(briefing.entities) - MAX_ROWS),
        "map": _map(briefing.entities, outlet_of, colours),
    }
