"""Errors a reader notices at once in people, places and speakers (issue 12's "Why" list): each
one the other test files leave uncovered, or cover only on one wording, tried again on short
texts of other kinds of news. Every text here is written by the team; the names are invented.

Where a test feeds mentions by hand, it makes the mistake a small NER makes on such text
(a surname or a pronoun labelled a place), so the guard behind the NER is what is tested.
The last section holds what is still failing, each ``xfail(strict=True)`` naming the module at
fault; remove a mark when its test passes.
"""

from __future__ import annotations

import datetime as dt

import pytest

from manysides.model import Article, Briefing, Entity, EntityType, Mention, Span

pytestmark = pytest.mark.slow  # the gazetteer index is built once per machine (~1-2 min)


# -- helpers ------------------------------------------------------------------------------


def _article(article_id: str, text: str, *, outlet: str | None = None) -> Article:
    return Article(id=article_id, source=f"{article_id}.txt", format="txt", outlet=outlet or article_id,
                   raw_text=text, clean_text=text)


def _with_ner(resources, texts: dict[str, str], *, pronouns: bool = False):
    """Articles through the session's spaCy model and the entity resolver."""
    from manysides.analyse.entities.resolve import resolve_entities
    from manysides.nlp import annotate

    articles = list(annotate([_article(i, t) for i, t in texts.items()], nlp=resources.nlp))
    return resolve_entities(articles, resources.gazetteer, pronouns=pronouns)


def _hand_made(article_id: str, text: str, spans: list[tuple]) -> Article:
    """An article whose mentions are given as ``(phrase, label)`` or ``(phrase, label, occurrence)``,
    as if the NER had said so."""
    mentions = []
    for phrase, label, *rest in spans:
        occurrence = rest[0] if rest else 0
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(phrase, start + 1)
        mentions.append(Mention(span=Span(article_id=article_id, start=start, end=start + len(phrase)),
                                text=phrase, label=label))
    mentions.sort(key=lambda m: m.start)
    return _article(article_id, text).model_copy(update={"mentions": mentions})


def _story(resources, *articles: tuple):
    from manysides.analyse.entities.resolve import resolve_entities

    return resolve_entities([_hand_made(*a) for a in articles], resources.gazetteer)


def _ids_at(articles, phrase: str, article_id: str | None = None, occurrence: int = 0) -> set[str]:
    """Entity ids of the mentions overlapping the ``occurrence``-th ``phrase`` (in each article)."""
    ids = set()
    for article in articles:
        if article_id is not None and article.id != article_id:
            continue
        start = -1
        for _ in range(occurrence + 1):
            start = article.clean_text.find(phrase, start + 1)
            if start < 0:
                break
        if start < 0:
            continue
        end = start + len(phrase)
        ids |= {m.entity_id for m in article.mentions if m.entity_id and m.start < end and start < m.end}
    return ids


def _placed(entities) -> dict[str, Entity]:
    return {e.id: e for e in entities if e.place is not None}


def _forms(entity: Entity) -> set[str]:
    return {f for fs in entity.surface_forms.values() for f in fs} | {entity.canonical_name}


# -- places that are not places ---------------------------------------------------------------


@pytest.mark.parametrize("text, person, surname, town", [
    # sports: a coach's surname that is also a small Kentucky town, labelled a place by the NER
    ("Coach Ruth Harlan praised her players after the final in Leeds. Harlan said the team had "
     "earned the cup.", "Ruth Harlan", "Harlan", "Leeds"),
    # business: a chief executive's surname that is also a small town in New Hampshire and Maine
    ("Chief executive Paul Gorham told investors in Toronto that sales had doubled. Gorham said "
     "the company would hire 300 people.", "Paul Gorham", "Gorham", "Toronto"),
])
def test_an_officials_surname_the_ner_calls_a_place_is_not_geocoded(resources, text, person, surname, town):
    articles, entities = _story(resources, ("s", text, [(person, "PERSON"), (surname, "GPE", 1), (town, "GPE")]))
    placed = _placed(entities)
    assert not _ids_at(articles, surname, occurrence=1) & placed.keys(), \
        [(placed[i].canonical_name, placed[i].place) for i in _ids_at(articles, surname, occurrence=1) & placed.keys()]
    assert _ids_at(articles, town) & placed.keys()  # the real place stays on the map


@pytest.mark.parametrize("town, abbreviation, state", [
    ("Macon", "Ga.", "Georgia"),  # "Ga." alone is close to Gaza and Gaya
    ("Peoria", "Ill.", "Illinois"),
    ("Mobile", "Ala.", "Alabama"),
    ("Erie", "Pa.", "Pennsylvania"),
    ("Wichita", "Kan.", "Kansas"),
    ("Fresno", "Calif.", "California"),
])
def test_a_state_abbreviation_after_a_town_is_the_us_state(resources, town, abbreviation, state):
    text = f"A tornado struck {town}, {abbreviation}, late on Tuesday, the National Weather Service said."
    articles, entities = _with_ner(resources, {"w": text})
    placed = _placed(entities)
    on_map = [placed[i] for i in _ids_at(articles, town) | _ids_at(articles, abbreviation) if i in placed]
    assert on_map and all(e.place.country_code == "US" for e in on_map), \
        [(e.canonical_name, e.place.country_code) for e in on_map]
    # nothing in the sentence is placed abroad
    assert all(e.place.country_code in ("US", None) for e in placed.values()), \
        [(e.canonical_name, e.place.country_code) for e in placed.values()]


@pytest.mark.parametrize("text, dateline, country, lat, lon", [
    ("WASHINGTON (Reuters) - The Senate approved the farm bill on Thursday.", "WASHINGTON", "US", 38.9, -77.0),
    ("BERLIN (Reuters) - The central bank raised its key rate on Friday.", "BERLIN", "DE", 52.52, 13.4),
])
def test_a_capitalised_dateline_with_an_agency_is_the_capital(resources, text, dateline, country, lat, lon):
    articles, entities = _with_ner(resources, {"d": text})
    placed = _placed(entities)
    found = [placed[i] for i in _ids_at(articles, dateline) if i in placed]
    assert found, "the dateline is not placed"
    (place,) = {e.place for e in found}
    assert place.country_code == country and abs(place.latitude - lat) < 0.5 and abs(place.longitude - lon) < 0.5


def test_the_pronoun_i_labelled_a_place_by_the_ner_stays_off_the_map(resources):
    # "I" folds to the key of a Ghanaian town; the story is in Ghana
    text = '"I will not resign," the mayor said at a rally in Kumasi on Monday. I asked him twice.'
    articles, entities = _story(resources, ("p", text, [("I", "GPE"), ("Kumasi", "GPE"), ("I", "GPE", 1)]))
    placed = _placed(entities)
    (article,) = articles
    for mention in article.mentions:
        if mention.text == "I":
            assert mention.entity_id not in placed, placed.get(mention.entity_id)
    assert _ids_at(articles, "Kumasi") & placed.keys()


@pytest.mark.parametrize("text, us", [
    ("US officials said the talks in Geneva would resume next week.", "US"),
    ("The U.S. embassy in Nairobi reopened on Monday after the protests.", "U.S."),
])
def test_the_us_is_the_country_never_a_town_of_that_name(resources, text, us):
    articles, entities = _with_ner(resources, {"u": text})
    placed = _placed(entities)
    found = [placed[i] for i in _ids_at(articles, us) if i in placed]
    assert all(e.place.country_code == "US" and e.place.admin_level == "country" for e in found), \
        [(e.canonical_name, e.place) for e in found]


def test_us_labelled_a_place_inside_a_headline_is_the_country_not_a_town(resources):
    text = "Tariffs: what the US trade deal means for farmers in Ohio."
    articles, entities = _story(resources, ("h", text, [("US", "GPE"), ("Ohio", "GPE")]))
    placed = _placed(entities)
    found = [placed[i] for i in _ids_at(articles, "US") if i in placed]
    # before issue 12 this was Kalona, Iowa: in the right country, but a town
    assert found and all(e.place.country_code == "US" and e.place.admin_level == "country" for e in found), \
        [(e.canonical_name, e.place) for e in found]


@pytest.mark.parametrize("text, city", [
    ("Ministers spoke at the St. Petersburg International Economic Forum on Friday.", "St. Petersburg"),
    ("Bankers gathered for the Boao Forum for Asia on Tuesday.", "Boao"),
])
def test_a_city_inside_a_forums_name_is_not_placed(resources, text, city):
    articles, entities = _with_ner(resources, {"f": text})
    placed = _placed(entities)
    assert not _ids_at(articles, city) & placed.keys(), \
        [(placed[i].canonical_name, placed[i].place) for i in _ids_at(articles, city) & placed.keys()]


def test_a_city_inside_a_forums_name_labelled_a_place_is_not_placed(resources):
    text = "Delegates arrived for the Vienna Energy Forum on Monday, and left for Graz on Wednesday."
    articles, entities = _story(resources, ("v", text, [("Vienna", "GPE"), ("Graz", "GPE")]))
    placed = _placed(entities)
    assert not _ids_at(articles, "Vienna") & placed.keys()
    assert _ids_at(articles, "Graz") & placed.keys()


@pytest.mark.parametrize("text, noun, label", [
    ("Shares in the banking sector fell sharply on Monday.", "sector", "GPE"),
    ("Police sealed off the northern sector of the park after the blast.", "sector", "LOC"),
])
def test_the_common_noun_sector_labelled_a_place_stays_off_the_map(resources, text, noun, label):
    articles, entities = _story(resources, ("c", text, [(noun, label)]))
    assert not _ids_at(articles, noun) & _placed(entities).keys()


def test_places_only_in_a_dropped_teaser_are_not_on_the_map_end_to_end(resources, tmp_path):
    """The whole path: the cleaner drops a sidebar teaser; its towns never reach the map."""
    from manysides import api
    from manysides.resources import Resources, Settings

    (tmp_path / "council.txt").write_text(
        "Council approves budget\n"
        "By Jane Roe\n"
        "June 3, 2025\n\n"
        "The council in Leeds approved the budget on Monday after a long debate about bus fares.\n\n"
        "Councillors voted 31 to 12, and the new fares start in September, the council said.\n\n"
        "Read more: Floods in Lisbon leave thousands without power\n"
        "Read more: Heatwave grips Seville as schools close early\n", "utf-8")
    settings = Settings(embedder="tfidf")
    result = api.analyze([str(tmp_path)], settings=settings, stages=["entities"], title="budget",
                         resources=Resources(settings, nlp=resources.nlp, gazetteer=resources.gazetteer))
    assert result.failures == []
    (article,) = result.briefing.articles
    assert "Lisbon" not in article.clean_text and "Seville" not in article.clean_text, article.clean_text
    names = {n for e in result.briefing.entities if e.place is not None for n in _forms(e)}
    assert "Leeds" in names and not {"Lisbon", "Seville"} & names


# -- wrong merges -------------------------------------------------------------------------


PRESIDENT_STORY = {
    # a US politics story: the president is never named; five other politicians are
    "a": "Senator Ruth Harlan of Ohio met the president on Monday. The president asked her to back the bill.",
    "b": "Governor Tom Baker said he had spoken with the president by phone. The president promised federal aid.",
    "c": "House Speaker Dana Price said the president would sign the bill on Friday.",
    "d": "Mayor Luis Ortega welcomed the visit. The president toured the flooded streets with him.",
    "e": "Representative Amy Chen said the president had not called her.",
}


def test_an_unnamed_president_is_merged_into_none_of_the_politicians_around_it(resources):
    articles, entities = _with_ner(resources, PRESIDENT_STORY)
    politicians = ["Ruth Harlan", "Tom Baker", "Dana Price", "Luis Ortega", "Amy Chen"]
    ids = {name: _ids_at(articles, name) for name in politicians}
    assert all(len(found) == 1 for found in ids.values()), ids
    # five people stay five
    assert len(set().union(*ids.values())) == 5
    people = set().union(*ids.values())
    for article in articles:
        for mention in article.mentions:
            if mention.text.lower() == "the president":
                assert mention.entity_id not in people, (article.id, mention)


def test_a_ministry_owned_in_the_sentence_before_stays_apart_in_an_economy_story(resources):
    text = ("Japanese officials said the Finance Ministry had sold dollars to prop up the yen on Tuesday.\n\n"
            "China's Finance Ministry said it would issue more bonds in the spring.")
    articles, entities = _with_ner(resources, {"m": text})
    japan = _ids_at(articles, "Finance Ministry", occurrence=0)
    china = _ids_at(articles, "Finance Ministry", occurrence=1) | _ids_at(articles, "China's Finance Ministry")
    assert japan and china and not japan & china


# -- missed merges --------------------------------------------------------------------------


def test_two_senators_under_nickname_and_full_first_name_are_each_one_person(resources):
    articles, entities = _with_ner(resources, {
        "a": "Senator Michael Rounds and Senator Robert Casey wrote to the regulator on Monday.",
        "b": "Mike Rounds said the letter was overdue. Bob Casey said the rules hurt small banks.",
    })
    rounds = _ids_at(articles, "Michael Rounds") | _ids_at(articles, "Mike Rounds")
    casey = _ids_at(articles, "Robert Casey") | _ids_at(articles, "Bob Casey")
    assert len(rounds) == 1 and len(casey) == 1 and rounds != casey, (rounds, casey)


@pytest.mark.parametrize("placed_as, typed_person, country", [
    ("Tatarstan", "Tatarstán", "RU"),  # an energy story: the accented spelling in a second outlet
    ("Kyiv region", "Kiev region", "UA"),  # the older spelling, typed a person by the NER
])
def test_a_region_in_two_spellings_one_typed_a_person_is_one_place(resources, placed_as, typed_person, country):
    articles, entities = _story(
        resources,
        ("a", f"Power cuts spread across {placed_as} on Monday as storms hit.", [(placed_as, "GPE")]),
        ("b", f"Engineers in {typed_person} worked through the night to restore power.", [(typed_person, "PERSON")]))
    ids = _ids_at(articles, placed_as) | _ids_at(articles, typed_person)
    assert len(ids) == 1, [(e.canonical_name, e.type) for e in entities]
    (region,) = [e for e in entities if e.id in ids]
    assert region.type is not EntityType.PER and region.place is not None
    assert (region.place.country_code, region.place.admin_level) == (country, "ADM1")


# -- wrong speakers -------------------------------------------------------------------------


def _briefing(resources, texts: dict[str, str], *, mislabel: tuple[str, str] | None = None) -> Briefing:
    """The entities stage, then claims, as the pipeline runs them; ``mislabel`` = (phrase, label)
    replaces the NER's reading of every ``phrase`` with ``label``."""
    from manysides.analyse.claims.extract import claims_stage
    from manysides.analyse.entities.resolve import resolve_entities
    from manysides.nlp import annotate

    articles = list(annotate([_article(f"art-{o}", t, outlet=o) for o, t in texts.items()], nlp=resources.nlp))
    if mislabel is not None:
        phrase, label = mislabel
        fixed = []
        for article in articles:
            text = article.clean_text
            extra = [Mention(span=Span(article_id=article.id, start=i, end=i + len(phrase)), text=phrase, label=label)
                     for i in range(len(text)) if text.startswith(phrase, i)]
            kept = [m for m in article.mentions if not any(m.start < e.end and e.start < m.end for e in extra)]
            fixed.append(article.model_copy(update={"mentions": sorted([*kept, *extra], key=lambda m: m.start)}))
        articles = fixed
    articles, entities = resolve_entities(articles, resources.gazetteer, pronouns=True)
    briefing = Briefing(id="t", created_at=dt.datetime(2025, 6, 2), articles=articles, entities=entities)
    return claims_stage(briefing, resources)


def _quote(briefing: Briefing, fragment: str):
    found = [q for q in briefing.quotes if fragment in briefing.text(q.span)]
    assert found, f"no quote holds {fragment!r}: {[(briefing.text(q.span), q.speaker) for q in briefing.quotes]}"
    return found[0]


def _entity_ids(briefing: Briefing, surname: str) -> set[str]:
    return {e.id for e in briefing.entities if surname in e.canonical_name}


def test_a_named_critics_words_are_not_given_to_the_governor_he_criticises(resources):
    briefing = _briefing(resources, {"paper": (
        "Governor Laura Kent defended the water plan on Monday.\n"
        "\u201cThis plan will dry out every small farm in the valley,\u201d said Dan Hollis, a longtime critic "
        "of Governor Laura Kent."
    )})
    quote = _quote(briefing, "dry out every small farm")
    assert "Hollis" in quote.speaker and quote.speaker_entity_id not in _entity_ids(briefing, "Kent"), quote.speaker


def test_a_critics_quote_after_the_leader_is_named_keeps_the_critic(resources):
    briefing = _briefing(resources, {"paper": (
        "Opposition leader Sara Nkemelu attacked Prime Minister David Osei over the fuel tax on Tuesday.\n"
        "\u201cHe has broken every promise he made to drivers,\u201d she said."
    )})
    quote = _quote(briefing, "broken every promise")
    assert "Nkemelu" in quote.speaker and quote.speaker_entity_id not in _entity_ids(briefing, "Osei")


@pytest.mark.parametrize("text, fragment, subject", [
    ("Protesters outside parliament chanted that Prime Minister Ivan Rusu \u201cmust resign tonight.\u201d",
     "must resign tonight", "Rusu"),
    ("Critics describe Mayor Tom Baker as \u201ca man who never listens to anyone.\u201d",
     "never listens to anyone", "Baker"),
])
def test_a_leader_is_not_given_words_said_about_him(resources, text, fragment, subject):
    briefing = _briefing(resources, {"wire": text})
    quoted = [q for q in briefing.quotes if fragment in briefing.text(q.span)]
    people = _entity_ids(briefing, subject)
    assert all(q.speaker_entity_id not in people and subject not in (q.speaker or "") for q in quoted), \
        [(q.speaker, q.speaker_entity_id) for q in quoted]


def test_a_mothers_words_are_not_given_to_her_son_named_in_the_sentence_before(resources):
    briefing = _briefing(resources, {"local": (
        "Daniel Ruiz, 19, died when his car left the road near Fresno on Saturday.\n"
        "\u201cHe was the kindest boy on our street,\u201d his mother, Elena Ruiz, said on Monday."
    )})
    quote = _quote(briefing, "kindest boy")
    assert "Daniel" not in quote.speaker and ("Elena" in quote.speaker or "mother" in quote.speaker), quote.speaker


@pytest.mark.parametrize("text", [
    "The health ministry of Bavaria said on Monday that hospitals had enough beds for the winter.",
    "Bavaria's health ministry said on Monday that hospitals had enough beds for the winter.",
])
def test_a_ministry_statement_is_not_given_to_the_regions_name(resources, text):
    briefing = _briefing(resources, {"wire": text})
    quote = _quote(briefing, "enough beds")
    regions = {e.id for e in briefing.entities if e.place is not None}
    assert quote.speaker_entity_id not in regions and "ministry" in quote.speaker.lower(), \
        (quote.speaker, quote.speaker_entity_id)


def test_a_spokeswoman_for_a_governor_is_the_speaker_not_the_governor(resources):
    briefing = _briefing(resources, {"wire": (
        "Governor Laura Kent vetoed the bill on Friday.\n"
        "\u201cThe governor will not sign a budget that raises rents,\u201d a spokeswoman for Governor Laura Kent said."
    )})
    quote = _quote(briefing, "will not sign a budget")
    assert quote.speaker_entity_id not in _entity_ids(briefing, "Kent") and "spokeswoman" in quote.speaker


def test_a_social_network_named_beside_an_apology_is_not_its_speaker(resources):
    briefing = _briefing(resources, {"culture": (
        "The singer Maya Ford apologised to her fans on Instagram on Sunday.\n"
        "\u201cI let you down, and I am truly sorry,\u201d Ford wrote on Instagram."
    )}, mislabel=("Instagram", "PERSON"))
    quote = _quote(briefing, "truly sorry")
    assert "Instagram" not in quote.speaker and "Ford" in quote.speaker, quote.speaker


# -- sides for speakers whose party is plain --------------------------------------------------


@pytest.mark.parametrize("text, fragment, speaker, side", [
    # a regional governor with the party before the name
    ("Social Democratic Party governor Elin Berg opened the bridge on Monday.\n"
     "\u201cWe kept our word to the valley,\u201d Berg said.", "kept our word", "Berg", "Social Democratic Party"),
    # a party official in apposition
    ("Jan Novak, a spokesman for the Farmers' Union Party, spoke in Brno on Tuesday.\n"
     "\u201cThe subsidy cut will close a thousand farms,\u201d Novak said.", "thousand farms", "Novak",
     "Farmers' Union Party"),
    # a foreign minister with the country after the title
    ("Foreign Minister Grace Wanjiru of Kenya met reporters in Nairobi.\n"
     "\u201cOur border with Somalia stays open to traders,\u201d Wanjiru said.", "stays open to traders", "Wanjiru",
     "Kenya"),
])
def test_a_speakers_plain_party_is_their_side(resources, text, fragment, speaker, side):
    briefing = _briefing(resources, {"wire": text})
    quote = _quote(briefing, fragment)
    assert speaker in quote.speaker and quote.side is not None and side in quote.side, (quote.speaker, quote.side)


# -- failing when these tests were written, mended since (each failed on the engine before) ---------


@pytest.mark.parametrize("text, dateline, country", [
    ("LONDON — The central bank raised its key rate on Friday.", "LONDON", "GB"),
    ("PARIS (AP) — The central bank raised its key rate on Friday.", "PARIS", "FR"),
    ("MOSCOW — The central bank raised its key rate on Friday.", "MOSCOW", "RU"),
    ("BERLIN, March 3 (Reuters) - The central bank raised its key rate on Friday.", "BERLIN", "DE"),
])
def test_a_short_capital_in_a_dateline_is_the_capital(resources, text, dateline, country):
    articles, entities = _with_ner(resources, {"d": text})
    placed = _placed(entities)
    found = [placed[i] for i in _ids_at(articles, dateline) if i in placed]
    assert found and all(e.place.country_code == country for e in found), \
        [(e.canonical_name, e.type) for e in entities]


@pytest.mark.parametrize("text, town, country", [
    ("The mayor of Leeds told reporters the bridge would reopen on Monday.", "Leeds", "GB"),
    ("The governor of Texas said the storm had passed.", "Texas", "US"),
    ("The mayor of Kumasi told reporters the road would reopen.", "Kumasi", "GH"),
])
def test_a_town_after_a_role_of_before_said_is_a_place(resources, text, town, country):
    articles, entities = _with_ner(resources, {"m": text})
    found = [e for e in entities if e.id in _ids_at(articles, town)]
    assert found and all(e.type is not EntityType.PER and e.place is not None
                         and e.place.country_code == country for e in found), \
        [(e.canonical_name, e.type, e.place) for e in found]


def test_a_father_and_a_son_of_one_name_without_initials_on_the_father_stay_apart(resources):
    text = ("President George W. Hale thanked his father, former President George Hale, at the dinner. "
            "George Hale, now 94, watched from his wheelchair. George W. Hale spoke for ten minutes.")
    articles, entities = _with_ner(resources, {"n": text})
    son = _ids_at(articles, "George W. Hale")
    father = _ids_at(articles, "former President George Hale") | _ids_at(articles, "George Hale, now")
    assert son and father and not son & father, (son, father)


@pytest.mark.parametrize("one, other", [("Henry T. Walsh", "Henry R. Walsh"), ("Robert Lane Sr.", "Robert Lane Jr.")])
def test_namesakes_kept_apart_keep_names_a_reader_can_tell_apart(resources, one, other):
    text = f"{one} founded the mill in 1961 and watched on Friday as {other} closed it."
    articles, entities = _with_ner(resources, {"n": text})
    (first,) = [e for e in entities if e.id in _ids_at(articles, one)]
    (second,) = [e for e in entities if e.id in _ids_at(articles, other)]
    assert first.id != second.id
    assert first.canonical_name != second.canonical_name, (first.canonical_name, second.canonical_name)


# -- still failing, each marked with what it shows -------------------------------------------------


def issue12(why: str):
    return pytest.mark.xfail(strict=True, reason=f"issue 12: {why}")


@issue12("a region's own-language spelling the gazetteer lacks ('Andalucia') is a town in Colombia, "
         "and is typed a person when the NER says so, though the story is in Spain's Andalusia")
def test_a_region_in_its_own_language_spelling_typed_a_person_is_the_region(resources):
    articles, entities = _story(
        resources,
        ("a", "Heat records fell across Andalusia on Monday as farmers lost crops.", [("Andalusia", "GPE")]),
        ("b", "Firefighters in Andalucia worked through the night near the coast.", [("Andalucia", "PERSON")]))
    ids = _ids_at(articles, "Andalusia") | _ids_at(articles, "Andalucia")
    assert len(ids) == 1, [(e.canonical_name, e.type) for e in entities]


def test_a_foreign_minister_given_by_the_countrys_possessive_takes_its_side(resources):
    briefing = _briefing(resources, {"wire": (
        "Kenya's foreign minister, Grace Wanjiru, met reporters in Nairobi.\n"
        "\u201cOur border with Somalia stays open to traders,\u201d Wanjiru said.")})
    quote = _quote(briefing, "stays open to traders")
    assert "Wanjiru" in quote.speaker and quote.side == "Kenya", (quote.speaker, quote.side)


@pytest.mark.parametrize("opening", [
    "Republican Governor Tom Baker signed the tax cut in Topeka on Monday.",
    "Governor Tom Baker, a Republican, signed the tax cut in Topeka on Monday.",
])
def test_a_governors_plain_us_party_is_his_side(resources, opening):
    quoted = "\n\u201cFamilies keep more of what they earn,\u201d Baker said."
    briefing = _briefing(resources, {"wire": opening + quoted})
    quote = _quote(briefing, "keep more of what they earn")
    assert "Baker" in quote.speaker and "Republican" in (quote.side or ""), (quote.speaker, quote.side)


@pytest.mark.parametrize("text, river, label", [
    ("Kayakers were rescued from the Thames river near Reading on Sunday.", "Thames", "LOC"),
    ("Ferries stopped on the Elbe river near Dresden after heavy rain.", "Elbe", None),
    ("Army units dug in near Kupiansk, on the left bank of the Oskil river.", "Oskil", "GPE"),
])
def test_a_river_is_never_a_town_of_its_name(resources, text, river, label):
    from manysides.analyse.entities.resolve import resolve_entities
    from manysides.nlp import annotate

    (article,) = annotate([_article("r", text)], nlp=resources.nlp)
    if label is not None:  # the reading the NER gave the name in a story, made here on purpose
        start = text.index(river)
        kept = [m for m in article.mentions if not (m.start < start + len(river) and start < m.end)]
        extra = Mention(span=Span(article_id="r", start=start, end=start + len(river)), text=river, label=label)
        article = article.model_copy(update={"mentions": sorted([*kept, extra], key=lambda m: m.start)})
    articles, entities = resolve_entities([article], resources.gazetteer)
    found = [e for e in entities if e.id in _ids_at(articles, river) and e.place is not None]
    assert all(e.place.admin_level not in ("city", "locality") for e in found), \
        [(e.canonical_name, e.place.country_code, e.place.latitude, e.place.longitude) for e in found]


def test_a_leader_is_not_the_speaker_of_what_he_has_been_called(resources):
    briefing = _briefing(resources, {"wire": (
        "President Tom Reyes has been called \u201ca danger to democracy\u201d by his opponents.")})
    quoted = [q for q in briefing.quotes if "danger to democracy" in briefing.text(q.span)]
    assert all("Reyes" not in (q.speaker or "") and q.speaker_entity_id not in _entity_ids(briefing, "Reyes")
               for q in quoted), [(q.speaker, q.speaker_entity_id) for q in quoted]


def test_a_town_the_story_places_is_never_the_speaker_with_the_real_ner(resources):
    briefing = _briefing(resources, {"wire": (
        "Flooding closed the bridge in Denver on Sunday. Denver said the bridge would reopen to traffic "
        "on Monday morning.")})
    denver = [e for e in briefing.entities if e.canonical_name == "Denver"]
    assert denver and all(e.type is not EntityType.PER for e in denver), [(e.canonical_name, e.type) for e in denver]
    assert not any(q.speaker == "Denver" for q in briefing.quotes)


def test_a_ministry_statement_announced_under_the_regions_name_is_the_ministrys(resources):
    briefing = _briefing(resources, {"wire": (
        "Bavaria said in a statement from its health ministry that three hospitals had lost power.")})
    quote = _quote(briefing, "three hospitals had lost power")
    assert quote.speaker != "Bavaria", (quote.speaker, quote.speaker_entity_id)


def test_two_regions_ministries_stay_apart_by_owner(resources):
    articles, entities = _with_ner(resources, {
        "a": "The Kherson region's health ministry said on Monday that three hospitals had lost power.",
        "b": "The Odesa region's health ministry said on Tuesday that all hospitals were running normally."})
    first, second = _ids_at(articles, "health ministry", "a"), _ids_at(articles, "health ministry", "b")
    assert first and second and not first & second, [e.canonical_name for e in entities]


def test_a_place_named_only_in_a_donation_appeal_is_not_on_the_map(resources, tmp_path):
    from manysides import api
    from manysides.resources import Resources, Settings

    (tmp_path / "council.txt").write_text(
        "Council approves budget\n\n"
        "The council in Leeds approved the budget on Monday after a long debate about bus fares.\n\n"
        "Councillors voted 31 to 12, and the new fares start in September, the council said.\n\n"
        "Our newsroom was forced out of Minsk and survives only on reader donations. Every contribution "
        "keeps us reporting.\n", "utf-8")
    settings = Settings(embedder="tfidf")
    result = api.analyze([str(tmp_path)], settings=settings, stages=["entities"], title="budget",
                         resources=Resources(settings, nlp=resources.nlp, gazetteer=resources.gazetteer))
    names = {n for e in result.briefing.entities if e.place is not None for n in _forms(e)}
    assert "Leeds" in names and "Minsk" not in names, names
