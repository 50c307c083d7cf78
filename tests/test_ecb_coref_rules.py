"""The entity-coreference benchmark's own rules (bench/ecb_coref.py), on mentions we write.

The benchmark reads ECB+ from ../shared/data; these tests need none of it: each builds a tiny
invented topic (mentions, their parsed heads, the documents' tokens) and checks one rule.
"""

from __future__ import annotations

import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import ecb_coref  # noqa: E402


@pytest.fixture(scope="module")
def gazetteer():
    from manysides.analyse.shared.gazetteer import Gazetteer

    return Gazetteer.load(None)


def _topic(sentence: str, marks: list[tuple[str, str, str, str, str]]):
    """Two documents with the same invented sentence; ``marks``: (text, tag, lemma, pos, penn)
    of each mention, found in the sentence in order. Returns mentions, heads, documents."""
    tokens = sentence.split()
    mentions, heads, documents = [], [], {}
    for doc in ("90_1ecb", "90_2ecb"):
        documents[doc] = {i: (word, 0) for i, word in enumerate(tokens)}
        at = 0
        for n, (text, tag, lemma, pos, penn) in enumerate(marks):
            words = text.split()
            start = next(i for i in range(at, len(tokens)) if tokens[i:i + len(words)] == words)
            at = start + len(words)
            mentions.append({"topic": 90, "doc": doc, "id": f"{doc}:{n}", "text": text, "gold": f"{n}",
                             "tag": tag, "order": start, "last": at - 1, "sentence": 0})
            heads.append({"lemma": lemma, "pos": pos, "head": words[-1], "penn": penn})
    return mentions, heads, documents


def _key(response: dict, doc: str, n: int) -> str:
    return response[f"{doc}:{n}"]


def test_a_landform_word_and_its_noun_name_one_place(gazetteer):
    mentions, heads, documents = _topic(
        "Climbers left Mount Tarrow at dawn and the mountain was quiet near Lake Osk",
        [("Mount Tarrow", "LOC_GEO", "tarrow", "PROPN", "NNP"),
         ("the mountain", "LOC_GEO", "mountain", "NOUN", "NN"),
         ("Lake Osk", "LOC_GEO", "osk", "PROPN", "NNP")])
    response = ecb_coref.ours(mentions, heads, gazetteer, documents)
    # keyed by "Tarrow", not by "Mount" (which every mountain of the topic shares)
    assert _key(response, "90_1ecb", 0) == _key(response, "90_2ecb", 0) != _key(response, "90_1ecb", 2)
    assert _key(response, "90_1ecb", 1) == _key(response, "90_1ecb", 0)


def test_building_nouns_of_one_kind_are_one_building(gazetteer):
    mentions, heads, documents = _topic(
        "Thieves raided a shop and the store lost rings while the factory nearby stayed shut",
        [("a shop", "LOC_FAC", "shop", "NOUN", "NN"),
         ("the store", "LOC_FAC", "store", "NOUN", "NN"),
         ("the factory", "LOC_FAC", "factory", "NOUN", "NN")])
    response = ecb_coref.ours(mentions, heads, gazetteer, documents)
    assert _key(response, "90_1ecb", 0) == _key(response, "90_2ecb", 1)
    assert _key(response, "90_1ecb", 0) != _key(response, "90_1ecb", 2)


def test_spans_of_time_with_other_counts_or_deixis_stay_apart(gazetteer):
    mentions, heads, documents = _topic(
        "After a 90 - day stay and a 30 - day stay she spoke last week and again this week",
        [("a 90 - day", "TIME_DURATION", "day", "NOUN", "NN"),
         ("a 30 - day", "TIME_DURATION", "day", "NOUN", "NN"),
         ("last week", "TIME_DATE", "week", "NOUN", "NN"),
         ("this week", "TIME_DATE", "week", "NOUN", "NN")])
    response = ecb_coref.ours(mentions, heads, gazetteer, documents)
    assert _key(response, "90_1ecb", 0) != _key(response, "90_1ecb", 1)
    assert _key(response, "90_1ecb", 0) == _key(response, "90_2ecb", 0)
    assert _key(response, "90_1ecb", 2) != _key(response, "90_1ecb", 3)


def test_an_acronym_names_a_body_of_its_own_kind(gazetteer):
    mentions, heads, documents = _topic(
        "The film Blue Harbor won praise from the Bright Harbor council and BH said so",
        [("Blue Harbor", "NON_HUMAN_PART_ART", "harbor", "PROPN", "NNP"),
         ("Bright Harbor", "HUMAN_PART_ORG", "harbor", "PROPN", "NNP"),
         ("BH", "HUMAN_PART_ORG", "bh", "PROPN", "NNP")])
    response = ecb_coref.ours(mentions, heads, gazetteer, None)
    assert _key(response, "90_1ecb", 2) == _key(response, "90_1ecb", 1) != _key(response, "90_1ecb", 0)


def test_a_web_address_is_the_outlet_it_names():
    assert ecb_coref._name_core("TMZ.com") == "TMZ"
    assert ecb_coref._name_core("Gossip Daily . com") == "Gossip Daily"
    assert ecb_coref._name_core("Com Hem") == "Com Hem"


def test_a_full_name_the_parser_took_for_a_noun():
    assert ecb_coref._full_name("Corla Vantree", set())
    assert ecb_coref._full_name("Dev K. Marlow", set())
    assert not ecb_coref._full_name("Party Girl", set())  # ends in a gendered noun
    assert not ecb_coref._full_name("Star Witness", {"witness"})  # the topic writes "the witness"
    assert not ecb_coref._full_name("CORLA VANTREE", set())
    assert not ecb_coref._full_name("Vantree", set())


def test_a_role_named_in_one_article_is_its_synonym_in_another(gazetteer):
    # celebrity news: "rep Dov Marlin" in one article, "the publicist" in the next
    sentence = "Her rep Dov Marlin said she was resting and the publicist thanked fans"
    tokens = sentence.split()
    documents = {"90_1ecb": {i: (w, 0) for i, w in enumerate(tokens)},
                 "90_2ecb": {i: (w, 0) for i, w in enumerate(tokens)}}
    mentions = [
        {"topic": 90, "doc": "90_1ecb", "id": "90_1ecb:0", "text": "Dov Marlin", "gold": "a",
         "tag": "HUMAN_PART_PER", "order": 2, "last": 3, "sentence": 0},
        {"topic": 90, "doc": "90_2ecb", "id": "90_2ecb:1", "text": "publicist", "gold": "a",
         "tag": "HUMAN_PART_PER", "order": 10, "last": 10, "sentence": 0},
    ]
    heads = [{"lemma": "marlin", "pos": "PROPN", "head": "Marlin", "penn": "NNP"},
             {"lemma": "publicist", "pos": "NOUN", "head": "publicist", "penn": "NN"}]
    response = ecb_coref.ours(mentions, heads, gazetteer, documents)
    assert response["90_2ecb:1"] == response["90_1ecb:0"]


def test_building_and_group_noun_tables():
    from manysides.lang.en import BUILDING_NOUN_SYNONYMS, GROUP_NOUN_SYNONYMS, ROLE_NOUN_SYNONYMS

    assert ROLE_NOUN_SYNONYMS["publicist"] == ROLE_NOUN_SYNONYMS["rep"] != ROLE_NOUN_SYNONYMS["lawyer"]

    assert BUILDING_NOUN_SYNONYMS["boutique"] == BUILDING_NOUN_SYNONYMS["store"] != BUILDING_NOUN_SYNONYMS["bank"]
    assert BUILDING_NOUN_SYNONYMS["clinic"] == BUILDING_NOUN_SYNONYMS["facility"]
    assert GROUP_NOUN_SYNONYMS["person"] == GROUP_NOUN_SYNONYMS["people"]
    assert GROUP_NOUN_SYNONYMS["biologist"] == GROUP_NOUN_SYNONYMS["scientist"]
