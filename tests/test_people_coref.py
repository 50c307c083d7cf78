"""People across a story's articles: what the text calls them, nicknames, group nouns.

Every text here is written by the team (invented people, several kinds of news); none comes
from a shared data set.
"""

from __future__ import annotations

import pytest

from manysides.model import EntityType
from test_entities import _hand_made


@pytest.fixture(scope="module")
def gazetteer():
    from manysides.analyse.shared.gazetteer import Gazetteer

    return Gazetteer.load(None)


def _described(text: str, name: str) -> set[str]:
    from manysides.analyse.entities.people import described_as

    start = text.index(name)
    return described_as(text, start, start + len(name))


# -- what the text calls a named person ---------------------------------------------


def test_a_title_case_headline_still_describes_the_person():
    # entertainment news: a headline in title case names the role before the name
    headline = "Beloved Musical Star Ilse Varga Dies At 88 In Her Lisbon Home"
    assert "star" in _described(headline, "Ilse Varga")
    # sport: "as coach" in a headline
    headline = "Club Names Oskar Brenn As Head Coach For Next Season"
    assert "coach" in _described(headline, "Oskar Brenn")


def test_a_sentence_in_ordinary_case_is_not_read_as_a_headline():
    text = "The board met on Monday. Reporters asked Ilse Varga about the Lisbon plan, and she declined."
    assert "reporter" not in _described(text, "Ilse Varga")


def test_the_words_before_a_name_stop_at_a_verb_of_speech():
    # the publicist speaks about the actress; the actress is no publicist
    text = "A publicist says Ilse Varga has left the production for good."
    assert "publicist" not in _described(text, "Ilse Varga")
    text = "The company spokesman confirmed Tom Reed would step down in May."
    assert "spokesman" not in _described(text, "Tom Reed")
    # a title right before the name still counts
    text = "The network said talk show host Ilse Varga will return next spring."
    assert {"talk", "show", "host"} <= _described(text, "Ilse Varga")


def test_letters_inside_a_name_are_no_description():
    # "ara" inside "Tara": only whole lowercase words of the mention describe the person
    text = "Tara Quill said the vote would be close."
    assert not {"ara", "uill"} & _described(text, "Tara Quill")
    assert "fixer" in _described("political fixer Tara Quill won", "political fixer Tara Quill")


def test_a_capitalised_title_and_appositions_describe_the_person():
    # crime news: a rank written before the name inside a sentence
    text = "A gunman shot Deputy Corla Vantree outside the depot on Friday."
    assert "deputy" in _described(text, "Corla Vantree")
    # an apposition before the name
    text = "Police said the fired clerk, Dov Marlin, 52, opened fire at the office."
    assert "clerk" in _described(text, "Dov Marlin")
    # an apposition after the name without an article
    text = "Ilse Varga, Olympic rower turned actress, has died in Lisbon."
    assert "rower" in _described(text, "Ilse Varga")


def test_a_clause_after_a_comma_is_no_apposition():
    text = "Ilse Varga, police said, left the hall before the vote."
    assert not {"police", "said"} & _described(text, "Ilse Varga")
    text = "At noon Dov Marlin, who chairs the board, spoke first."
    assert not {"who", "chair"} & _described(text, "Dov Marlin")


# -- nicknames -----------------------------------------------------------------------


@pytest.mark.parametrize("word, name, same", [
    ("LiLo", "Lina Lowther", True),
    ("A-Rod", "Andre Rodway", True),
    ("J.Lo", "Janet Lorimer", True),
    ("KStew", "Kirsten Stewell", True),
    ("LiLo", "Mara Lowther", False),   # the given name does not start so
    ("Lowther", "Lina Lowther", False),  # a surname is no blend
    ("McCain", "Mary Cain", False),    # a surname particle, not a blend
    ("DeLuca", "Derek Lucas", False),
])
def test_a_nickname_blended_from_given_name_and_surname(word, name, same):
    from manysides.analyse.entities.people import blended_nickname
    from manysides.analyse.shared.translit import parse_person

    assert blended_nickname(word, parse_person(name)) is same


def test_a_blended_nickname_joins_its_person_across_articles(gazetteer):
    from manysides.analyse.entities.resolve import resolve_entities

    first = _hand_made("a", "Singer Lina Lowther cancelled her Berlin show on Friday, her label said.",
                       [("Lina Lowther", "PERSON")])
    second = _hand_made("b", "Fans of LiLo queued for refunds outside the arena.", [("LiLo", "PERSON")])
    articles, entities = resolve_entities([first, second], gazetteer)
    ids = {m.text: m.entity_id for a in articles for m in a.mentions if m.text in ("Lina Lowther", "LiLo")}
    assert ids["LiLo"] is not None and ids["LiLo"] == ids["Lina Lowther"]


def test_a_blend_that_fits_two_people_joins_neither(gazetteer):
    from manysides.analyse.entities.resolve import resolve_entities

    text = "Lina Lowther and Lisa Lomax both ran. LiLo won the final in Oslo."
    articles, entities = resolve_entities(
        [_hand_made("a", text, [("Lina Lowther", "PERSON"), ("Lisa Lomax", "PERSON"), ("LiLo", "PERSON")])],
        gazetteer)
    ids = {m.text: m.entity_id for m in articles[0].mentions}
    assert ids["LiLo"] not in (ids["Lina Lowther"], ids["Lisa Lomax"])


def test_added_short_forms_are_one_given_name():
    from manysides.analyse.shared.translit import same_given_name

    assert same_given_name("Katie", "Kathryn")
    assert same_given_name("Mo", "Maurice")
    assert same_given_name("Reggie", "Reginald")
    assert not same_given_name("Mo", "Kathryn")


# -- plural nouns for one group ------------------------------------------------------


def test_police_officers_and_cops_are_one_group_robbers_another():
    from manysides.lang.en import GROUP_NOUN_SYNONYMS

    assert GROUP_NOUN_SYNONYMS["officer"] == GROUP_NOUN_SYNONYMS["cop"] == GROUP_NOUN_SYNONYMS["police"]
    assert GROUP_NOUN_SYNONYMS["demonstrator"] == GROUP_NOUN_SYNONYMS["protester"]
    assert GROUP_NOUN_SYNONYMS["thief"] == GROUP_NOUN_SYNONYMS["robber"] != GROUP_NOUN_SYNONYMS["police"]
    assert "victim" not in GROUP_NOUN_SYNONYMS  # a noun with no synonym keeps its own key


def test_people_entities_still_resolve_with_pronouns(gazetteer):
    from manysides.analyse.entities.resolve import resolve_entities

    # business news: the resolver's pronoun pass still runs with the new description rules
    text = ("Chief executive Dana Whitcombe resigned on Monday. "
            "She said the board had lost confidence in the merger.")
    articles, entities = resolve_entities([_hand_made("a", text, [("Dana Whitcombe", "PERSON")])], gazetteer,
                                          pronouns=True)
    (dana,) = [e for e in entities if e.type is EntityType.PER]
    assert len(dana.mentions) == 2  # the name and "She"
