"""Entities section: who and where, how each outlet spells them, and an offline map.

The map is inline SVG: country outlines from the shipped Natural Earth data
(``manysides/data/borders_110m.json``), one marker per place sized by mentions
and split into wedges, one per outlet that names the place. Labels go through
the template's autoescaping like all other text.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from manysides.report.geo_borders import Frame
from manysides.model import Briefing, Entity

# Colour-blind-safe palette (Okabe-Ito), one colour per outlet in order of appearance.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
MAX_ROWS = 60
MAP_WIDTH = 420
KM_PER_DEGREE = 111.2  # of latitude: the frame's vertical unit
AREA_MAX_SHARE = 0.6  # a region's circle wider than this share of the map frames nothing


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


# Places drawn as markers; countries and regions are outlines or left out (a dot would lie).
_POINT_LEVELS = {"city", "locality", "ADM2"}
FAR_KM = 250.0  # a place this far from the story's main place (and beyond the spread of its top places) gets an arrow
MAIN_PLACE_SHARE = 0.5  # a place named this often, against the most-named one, is always framed
MAX_LABELS = 8
MAX_ARROWS = 3
LABEL_PX = 14
LABEL_CHAR_PX = 7.6


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _split_core_and_far(points: list[Entity]) -> tuple[list[Entity], list[Entity]]:
    """The story's own places (around the most-mentioned one) and far ones, like a capital."""
    ranked = sorted(points, key=lambda e: -len(e.mentions))
    anchor = (ranked[0].place.longitude, ranked[0].place.latitude)
    spread = sorted(_km(anchor, (e.place.longitude, e.place.latitude)) for e in ranked[:5])
    limit = max(FAR_KM, 2.5 * spread[len(spread) // 2])
    core, far = [], []
    for entity in ranked:
        # A place the story names at least half as often as its main one is where the story
        # happens too (the town the work moves to), framed however far: not an arrow.
        main = len(entity.mentions) >= MAIN_PLACE_SHARE * len(ranked[0].mentions)
        near = _km(anchor, (entity.place.longitude, entity.place.latitude)) <= limit
        (core if near or main else far).append(entity)
    return core, far


def _clusters(markers: list[dict]) -> list[dict]:
    """Merge markers whose circles overlap into one, named after the most-mentioned place."""
    merged: list[dict] = []
    for marker in sorted(markers, key=lambda m: -m["mentions"]):
        for cluster in merged:
            if math.hypot(cluster["x"] - marker["x"], cluster["y"] - marker["y"]) < cluster["r"] + marker["r"] - 2:
                cluster["members"].append(marker)
                cluster["mentions"] += marker["mentions"]
                for outlet, n in marker["by_outlet"].items():
                    cluster["by_outlet"][outlet] = cluster["by_outlet"].get(outlet, 0) + n
                break
        else:
            merged.append({**marker, "members": [marker], "by_outlet": dict(marker["by_outlet"])})
    return merged


def _place_labels(points: list[dict], width: float, height: float) -> None:
    """Label the most-mentioned markers where a label fits: right, left, above or below."""
    taken = [(p["x"] - p["r"], p["y"] - p["r"], p["x"] + p["r"], p["y"] + p["r"]) for p in points]
    labelled = 0
    for point in points:  # most-mentioned first
        point["show_label"] = False
        if labelled >= MAX_LABELS:
            continue
        w, h, x, y, r = len(point["label"]) * LABEL_CHAR_PX, LABEL_PX, point["x"], point["y"], point["r"]
        for lx, ly, anchor in ((x + r + 3, y + h / 3, "start"), (x - r - 3, y + h / 3, "end"),
                               (x, y - r - 4, "middle"), (x, y + r + h, "middle")):
            left = {"start": lx, "end": lx - w, "middle": lx - w / 2}[anchor]
            box = (left, ly - h + 2, left + w, ly + 3)
            if box[0] < 2 or box[2] > width - 2 or box[1] < 2 or box[3] > height - 2:
                continue
            own = (x - r, y - r, x + r, y + r)
            if any(b != own and box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
                continue
            point.update(show_label=True, label_x=round(lx, 1), label_y=round(ly, 1), anchor=anchor)
            taken.append(box)
            labelled += 1
            break


def _arrow(frame: Frame, entity: Entity, centre: tuple[float, float], km: float) -> dict:
    """A pointer at the frame's edge toward a far place, with its name and distance."""
    tx, ty = frame.project(entity.place.longitude, entity.place.latitude)
    cx, cy = frame.width / 2, frame.height / 2
    dx, dy = tx - cx, ty - cy
    scale = min((frame.width / 2 - 18) / abs(dx) if dx else math.inf,
                (frame.height / 2 - 18) / abs(dy) if dy else math.inf)
    x, y = cx + dx * scale, cy + dy * scale
    angle = math.degrees(math.atan2(dy, dx))
    label = f"{entity.canonical_name} {round(km, -1):.0f} km"
    width = len(label) * LABEL_CHAR_PX * 0.9
    lx = min(max(x - width / 2, 4), frame.width - width - 4)
    ly = y + 22 if y < frame.height / 2 else y - 14
    return {"x": round(x, 1), "y": round(y, 1), "angle": round(angle, 1), "label": label,
            "label_x": round(lx, 1), "label_y": round(ly, 1),
            "title": f"{entity.canonical_name}: {len(entity.mentions)} mentions, about {km:.0f} km away"}


def _map(entities: list[Entity], outlet_of: dict[str, str], colours: dict[str, str]) -> dict | None:
    placed = [e for e in entities if e.place is not None]
    points = [e for e in placed if e.place.admin_level in _POINT_LEVELS]
    if not points:
        return None
    core, far = _split_core_and_far(points)
    frame = Frame.around([(e.place.longitude, e.place.latitude) for e in core], width=MAP_WIDTH,
                         margin_deg=0.35, min_span_deg=2.0)
    most = max(len(e.mentions) for e in core)
    markers = []
    for entity in core:
        x, y = frame.project(entity.place.longitude, entity.place.latitude)
        markers.append({
            "x": x, "y": y, "name": entity.canonical_name, "mentions": len(entity.mentions),
            "r": 5.0 + 11.0 * math.sqrt(len(entity.mentions) / most),
            "by_outlet": dict(Counter(outlet_of.get(span.article_id, "?") for span in entity.mentions)),
        })
    drawn = []
    for cluster in _clusters(markers):
        radius = 5.0 + 11.0 * math.sqrt(min(1.0, cluster["mentions"] / most))
        names = [m["name"] for m in cluster["members"]]
        label = names[0] + (f" +{len(names) - 1}" if len(names) > 1 else "")
        outlets = [o for o in colours if o in cluster["by_outlet"]]
        wedge_colours = [colours[o] for o in outlets] if len(colours) <= len(PALETTE) else [PALETTE[0]]
        drawn.append({
            "x": cluster["x"], "y": cluster["y"], "r": round(radius, 1), "label": label,
            "title": "; ".join(f"{m['name']}: {m['mentions']} mentions" for m in cluster["members"])
                     + (" (" + ", ".join(f"{o} {cluster['by_outlet'][o]}" for o in outlets) + ")"
                        if len(outlets) <= 8 else f" ({len(outlets)} outlets)"),
            "wedges": _wedges(cluster["x"], cluster["y"], radius, wedge_colours),
            "mentions": cluster["mentions"],
        })
    _place_labels(drawn, frame.width, frame.height)
    anchor = (core[0].place.longitude, core[0].place.latitude)
    arrows = [_arrow(frame, e, anchor, _km(anchor, (e.place.longitude, e.place.latitude)))
              for e in far[:MAX_ARROWS]]
    countries = {e.place.country_code for e in placed if e.place.admin_level == "country" and e.place.country_code}
    areas = []
    for entity in placed:
        place = entity.place
        if place.admin_level in _POINT_LEVELS or place.admin_level == "country" or not place.reach_km:
            continue
        x, y = frame.project(place.longitude, place.latitude)
        radius = place.reach_km / KM_PER_DEGREE * frame.unit
        # a region drawn only where its circle tells where it lies: centred on the map and not
        # covering the whole of it
        if 0 <= x <= frame.width and 0 <= y <= frame.height and radius <= AREA_MAX_SHARE * frame.width:
            areas.append({"x": x, "y": y, "r": round(radius, 1), "name": entity.canonical_name})
    return {
        "width": frame.width, "height": frame.height,
        "borders": [{"code": code, "d": d, "named": code in countries} for code, d in frame.border_paths()],
        "points": list(reversed(drawn)),  # small markers last, so big ones do not hide them
        "arrows": arrows,
        "areas": areas,
        "off_map": [e.canonical_name for e in far[MAX_ARROWS:]],
        "regions": [e.canonical_name for e in placed if e.place.admin_level not in _POINT_LEVELS
                    and e.place.admin_level != "country"],
        "countries": [e.canonical_name for e in placed if e.place.admin_level == "country"],
        "per_outlet_colours": len(colours) <= len(PALETTE),
    }


def _spelling_groups(spellings: dict[str, list[str]], outlets: list[str]) -> list[dict]:
    """Each spelling with the outlets that use it: how the same name is written apart."""
    by_form: dict[str, list[str]] = defaultdict(list)
    for outlet in outlets:
        for form in spellings.get(outlet, []):
            by_form[form].append(outlet)
    return [{"form": form, "outlets": names} for form, names in
            sorted(by_form.items(), key=lambda item: (-len(item[1]), item[0]))]


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
            "spelling_groups": _spelling_groups(spellings, outlets),
            "outlet_count": sum(1 for o in outlets if counts.get(o)),
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
