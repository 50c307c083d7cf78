"""Domain packs and sides: the engine knows no story; a pack or the user brings the parties.

The plant-closure story here is written for these tests: a car plant in a made-up town
closes, the company and the union disagree on how many jobs go, and officials of two
countries comment. No war pack may switch on for it, and no "western" side may appear.
"""

from __future__ import annotations

import datetime as dt

import pytest

from manysides import packs as domain_packs
from manysides.analyse.claims.sides import PartyTable, side_of
from manysides.errors import ManysidesError, PackError
from manysides.model import Article, Briefing, Entity, EntityType

PLANT_CLOSURE = {
    "Market Herald": (
        "Carvel Motors said on Tuesday it would close its plant in Aldenbrook by March. "
        "The company said 1,200 jobs would be cut, and that the closure was planned for two years. "
        "German officials said the government would not pay for a rescue."
    ),
    "Workers Dispatch": (
        "The union said about 3,000 jobs would be lost at the Aldenbrook plant and its suppliers. "
        "\u201cThe company was forced to close by its own mistakes,\u201d a union leader said. "
        "US officials said the tariffs had nothing to do with the decision."
    ),
    "Evening Ledger": (
        "Carvel Motors will shut the Aldenbrook plant, cutting at least 1,200 jobs, the company said. "
        "Israeli officials said a supplier in Haifa would lose its biggest customer."
    ),
}

WAR_STORY = {
    "Wire": ("Russia's defence ministry said on Saturday it was regrouping troops near Izium. "
             "Ukrainian officials said their forces had entered Kupiansk."),
    "Daily": ("Zelensky said Ukrainian forces had liberated Balakliia. The Kremlin declined to comment "
              "on the Russian retreat from the Kharkiv region."),
}


def _articles(texts: dict[str, str]) -> list[Article]:
    return [Article(id=f"art-{n}", source=f"{outlet}.txt", format="txt", outlet=outlet,
                    raw_text=text, clean_text=text) for n, (outlet, text) in enumerate(texts.items())]


# -- loading -------------------------------------------------------------------------


def test_the_war_pack_loads_with_every_part():
    assert "war_ukraine" in domain_packs.available_packs()
    pack = domain_packs.load_pack("war_ukraine")
    assert set(pack.sides) == {"russia", "ukraine", "western"}
    assert {p.kind for p in pack.cue_pairs} == {"explanation", "state"}
    withdrawal = next(p for p in pack.cue_pairs if p.kind == "explanation")
    assert withdrawal.first.pattern.search("troops were regrouping") and not withdrawal.first.pattern.search("fled")
    assert withdrawal.second.pattern.search("they fled the town")
    assert "soldier" in pack.count_nouns and "retreat" in pack.event_nouns
    assert any(line.startswith("occupiers") for line in pack.loaded_lines)


@pytest.mark.parametrize("name", ["nope", "../war_ukraine", "", "WAR_UKRAINE"])
def test_a_bad_pack_name_is_a_coded_error(name):
    with pytest.raises(PackError) as raised:
        domain_packs.load_pack(name)
    assert str(raised.value).startswith("E020 ")
    assert "war_ukraine" in str(raised.value)  # says what there is
    assert isinstance(raised.value, ManysidesError)


def _write_pack(root, name="mini", *, pack_toml=None, cue_pairs=None, sides=None):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "pack.toml").write_text(pack_toml if pack_toml is not None else (
        f'name = "{name}"\ndescription = "test"\n[trigger]\nterms = ["strike", "picket"]\nthreshold = 2\n'))
    if cue_pairs is not None:
        (folder / "cue_pairs.tsv").write_text(cue_pairs)
    if sides is not None:
        (folder / "sides.toml").write_text(sides)
    return root


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"pack_toml": "name = [unclosed"}, "not valid TOML"),
        ({"pack_toml": 'name = "other"\n[trigger]\nterms = []\n'}, "needs name"),
        ({"cue_pairs": "only\texplanation\tone row\tx\n"}, "exactly two rows"),
        ({"cue_pairs": "p\tmood\ta\tx\np\tmood\tb\ty\n"}, "4 tab-separated fields"),
        ({"cue_pairs": "p\texplanation\ta\t(unclosed\np\texplanation\tb\ty\n"}, "bad regex"),
        ({"sides": "[sides.union]\nmembers = \"not a list\"\n"}, "members"),
    ],
)
def test_a_malformed_pack_file_is_a_coded_error(tmp_path, files, problem):
    root = _write_pack(tmp_path, **files)
    with pytest.raises(PackError, match=problem) as raised:
        domain_packs.load_pack("mini", root)
    assert str(raised.value).startswith("E021 packs/mini/")


def test_cue_hits_find_opposite_readings_of_one_act():
    pairs = domain_packs.load_pack("war_ukraine").cue_pairs
    orderly = domain_packs.cue_hits("Troops were regrouping to reinforce the front", pairs)
    forced = domain_packs.cue_hits("Troops fled in disarray", pairs)
    both = domain_packs.cue_hits("Troops regrouped after they fled", pairs)
    pair = domain_packs.opposed(orderly, forced, pairs)
    assert pair is not None and (pair.first.label, pair.second.label) == ("orderly regrouping", "forced retreat")
    assert domain_packs.opposed(orderly, orderly, pairs) is None
    assert domain_packs.opposed(both, forced, pairs) is None  # a claim reading both ways opposes nothing
    assert domain_packs.cue_hits("The plant was forced to close", ()) == frozenset()  # no pack, no cues


def test_a_pack_from_another_folder_loads_its_cue_pairs(tmp_path):
    root = _write_pack(tmp_path, cue_pairs=(
        "# comment\ncause\texplanation\tplanned closure\tplanned\ncause\texplanation\tforced closure\tforced to\n"))
    pack = domain_packs.load_pack("mini", root)
    (pair,) = pack.cue_pairs
    assert (pair.first.label, pair.second.label, pair.pack) == ("planned closure", "forced closure", "mini")


# -- choosing packs for a story ----------------------------------------------------------


def test_the_war_pack_switches_itself_on_for_a_war_story():
    chosen = domain_packs.packs_for_story(list(WAR_STORY.values()))
    assert [p.name for p in chosen] == ["war_ukraine"]


def test_a_plant_closure_gets_no_war_pack():
    assert domain_packs.packs_for_story(list(PLANT_CLOSURE.values())) == ()


def test_packs_asked_for_by_name_come_without_triggers_and_auto_can_be_off():
    texts = list(PLANT_CLOSURE.values())
    assert [p.name for p in domain_packs.packs_for_story(texts, ["war_ukraine"])] == ["war_ukraine"]
    assert domain_packs.packs_for_story(list(WAR_STORY.values()), auto=False) == ()
    with pytest.raises(PackError, match="^E020"):
        domain_packs.packs_for_story(texts, ["bogus"])


# -- the user's sides file -----------------------------------------------------------------


def test_a_sides_file_maps_parties_to_members(tmp_path):
    path = tmp_path / "sides.toml"
    path.write_text('[sides.management]\nmembers = ["Carvel Motors", "Germany"]\n'
                    '[sides.labour]\nmembers = ["the union", "IG Metall"]\n')
    table = domain_packs.load_sides_file(path)
    assert table == {"management": ("Carvel Motors", "Germany"), "labour": ("the union", "IG Metall")}
    parties = PartyTable(table)
    assert side_of("a Carvel Motors spokesman", parties=parties) == "management"
    assert side_of("German officials", parties=parties) == "management"  # a member country
    assert side_of("The union", parties=parties) == "labour"
    assert side_of("US officials", parties=parties) == "United States"  # not a party: its country


@pytest.mark.parametrize(
    ("content", "problem"),
    [(None, "sides file not found"), ("[sides.a\n", "not valid TOML"), ("[sides.a]\nmembers = [1]\n", "members"),
     ("title = 'no sides'\n", "no \\[sides.NAME\\]")],
)
def test_a_bad_sides_file_is_a_coded_error(tmp_path, content, problem):
    path = tmp_path / "sides.toml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(PackError, match=problem) as raised:
        domain_packs.load_sides_file(path)
    assert str(raised.value).startswith(f"E022 {path}")


# -- sides ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asserter", "side"),
    [
        ("US officials", "United States"),
        ("Israeli officials", "Israel"),
        ("a Chinese ministry", "China"),
        ("Kenyan police", "Kenya"),
        ("officials in Nairobi", "Kenya"),
        ("Germany's economy ministry", "Germany"),
        ("a Washington think tank", "United States"),
        ("the Dutch government", "Netherlands"),
        ("pro-Beijing lawmakers", "China"),
        ("the ministry", None),
        ("a local resident", None),
        ("us", None),  # the pronoun, not the country
    ],
)
def test_without_a_pack_a_side_is_the_asserters_country(asserter, side):
    assert side_of(asserter) == side


def test_an_organisation_speaks_for_itself_and_an_entity_side_wins():
    hamas = Entity(id="e1", canonical_name="Hamas", type=EntityType.ORG)
    assert side_of("the group", entity=hamas) == "Hamas"
    # a capitalised common word the parser took for an organisation is no party
    workers = Entity(id="e3", canonical_name="Workers", type=EntityType.ORG)
    assert side_of("Workers", entity=workers, parties=PartyTable(ordinary_words=frozenset({"workers"}))) is None
    minister = Entity(id="e2", canonical_name="Ana Ruiz", type=EntityType.PER)
    assert side_of("the minister", entity=minister) is None
    assert side_of("anyone", entity=minister.model_copy(update={"side": "Chile"})) == "Chile"


WAR_PARTIES = PartyTable(domain_packs.load_pack("war_ukraine").sides)


@pytest.mark.parametrize(
    ("asserter", "side"),
    [
        ("Russia's defence ministry", "russia"),
        ("Igor Konashenkov", "russia"),
        ("Kohashenkov", "russia"),  # a typo seen in scraped copy
        ("Kremlin spokesman Dmitry Peskov", "russia"),
        ("pro-Russian officials", "russia"),
        ("Vladimir Saldo", "russia"),
        ("the Russian-installed head of Ukraine's Kharkiv region", "russia"),
        ("Ukrainian officials", "ukraine"),
        ("Volodymyr Zelenskyy", "ukraine"),
        ("General Staff of Ukraine", "ukraine"),
        ("Kyiv", "ukraine"),
        ("British officials", "western"),
        ("US officials", "western"),
        ("Institute for the Study of War", "western"),
        ("NATO", "western"),
        ("Turkish officials", "Turkey"),  # a country the pack does not group stays itself
        ("the ministry", None),
        ("us", None),
    ],
)
def test_the_war_pack_groups_asserters_into_its_parties(asserter, side):
    assert side_of(asserter, parties=WAR_PARTIES) == side


def test_a_pack_member_name_finds_an_entity_side():
    entity = Entity(id="e1", canonical_name="Sergei Shoigu", type=EntityType.PER)
    assert side_of("the minister", entity=entity, parties=WAR_PARTIES) == "russia"
    assert side_of("anyone", entity=entity.model_copy(update={"side": "Ukraine"}), parties=WAR_PARTIES) == "ukraine"


# -- end to end through the claims and framing stages ----------------------------------------------


@pytest.fixture(scope="module")
def plant_briefing(resources):
    from manysides.analyse.claims.extract import claims_stage
    from manysides.analyse.framing.stage import framing_stage
    from manysides.nlp import annotate

    articles = list(annotate(_articles(PLANT_CLOSURE), nlp=resources.nlp))
    briefing = Briefing(id="plant", created_at=dt.datetime(2025, 3, 4), articles=articles)
    return framing_stage(claims_stage(briefing, resources), resources)


def test_a_plant_closure_has_no_pack_and_its_own_sides(plant_briefing):
    assert plant_briefing.packs == []
    assert "western" not in plant_briefing.sides
    assert {"Germany", "United States", "Israel"} <= set(plant_briefing.sides)
    assert "western" not in {side for sides in plant_briefing.framing.voices.values() for side in sides}
    assert {q.side for q in plant_briefing.quotes} - {None} <= set(plant_briefing.sides)


def test_job_counts_are_compared_by_the_noun_they_count(plant_briefing):
    counts = {(q.value, q.unit) for c in plant_briefing.claims for q in c.quantities}
    assert (1200.0, "job") in counts and (3000.0, "job") in counts


def test_war_loaded_words_come_only_with_the_war_pack():
    from manysides.analyse.framing.lexicon import LoadedLexicon, TokenInfo

    tokens = [TokenInfo(0, 9, "occupiers", "occupier"), TokenInfo(10, 16, "puppet", "puppet")]
    plain = {hit.term for hit in LoadedLexicon.default(learned=False, vader=False).mark(tokens)}
    war = {hit.term for hit in LoadedLexicon.default(
        learned=False, vader=False, packs=[domain_packs.load_pack("war_ukraine")]).mark(tokens)}
    assert plain == {"puppet"}  # loaded in any news
    assert war == {"occupiers", "puppet"}


def test_the_war_story_gets_its_pack_and_parties(resources):
    from manysides.analyse.claims.extract import claims_stage
    from manysides.nlp import annotate

    articles = list(annotate(_articles(WAR_STORY), nlp=resources.nlp))
    briefing = claims_stage(Briefing(id="war", created_at=dt.datetime(2022, 9, 10), articles=articles), resources)
    assert briefing.packs == ["war_ukraine"]
    assert set(briefing.sides) <= {"russia", "ukraine", "western"} and "russia" in briefing.sides


def test_settings_choose_packs_and_the_users_sides_win(resources):
    from manysides.analyse.claims.extract import claims_stage
    from manysides.nlp import annotate

    articles = list(annotate(_articles(PLANT_CLOSURE), nlp=resources.nlp))
    start = Briefing(id="plant", created_at=dt.datetime(2025, 3, 4), articles=articles)
    forced = claims_stage(start, resources.with_settings(resources.settings.replace(packs=("war_ukraine",))))
    assert forced.packs == ["war_ukraine"]
    mine = resources.settings.replace(sides={"company": ("Carvel Motors",), "abroad": ("United States", "Israel")})
    sided = claims_stage(start, resources.with_settings(mine))
    assert {"company", "abroad"} <= set(sided.sides) and "United States" not in sided.sides
