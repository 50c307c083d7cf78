"""The one English language module: its tables agree with each other and its helpers keep names."""

from __future__ import annotations

import pytest

from manysides.lang import en


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US officials said the plant would close", "US officials said the plant would close"),
        ("NASA said the launch slipped", "NASA said the launch slipped"),
        ("The plant closed on Friday", "the plant closed on Friday"),
        ("Only two lines remain", "only two lines remain"),
        ("Acme said it would cut jobs", "Acme said it would cut jobs"),
        ("\u201cThey left,\u201d she said", "\u201cthey left,\u201d she said"),
    ],
)
def test_lower_first_lowers_only_a_sentence_start_never_a_name(text, expected):
    assert en.lower_first(text) == expected


def test_stem_conflates_inflections_but_not_unrelated_words():
    assert en.stem("captured") == en.stem("capture") == en.stem("captures")
    assert en.stem("cities") == en.stem("city")
    assert en.stem("stopped") == en.stem("stop")
    assert en.stem("Acme's") == en.stem("Acme")
    assert en.stem("Sept") == en.stem("September")
    assert en.stem("general") != en.stem("generous")


@pytest.mark.parametrize(
    ("plural", "singular"),
    [("jobs", "job"), ("casualties", "casualty"), ("churches", "church"), ("boxes", "box"),
     ("people", "people"), ("children", "child"), ("status", "status"), ("analysis", "analysis"),
     ("glass", "glass"), ("workers", "worker")],
)
def test_singular(plural, singular):
    assert en.singular(plural) == singular


def test_months_have_full_names_and_abbreviations():
    assert en.MONTHS["january"] == en.MONTHS["jan"] == 1
    assert en.MONTHS["sept"] == en.MONTHS["sep"] == en.MONTHS["september"] == 9
    assert set(en.MONTH_ABBREVIATIONS.values()) <= set(en.MONTH_NAMES)
    assert len(en.MONTH_NAMES) == 12 and len(en.WEEKDAYS) == 7
    import re

    assert re.fullmatch(en.MONTH_PATTERN, "sept") and re.fullmatch(en.MONTH_PATTERN, "december")


def test_numbers_and_ordinals():
    assert en.NUMBER_WORDS["twenty"] == 20 and en.NUMBER_WORDS["seven"] == 7
    assert en.SCALE_WORDS["million"] == 1_000_000
    assert en.ORDINALS["third"] == 3 and en.ORDINALS["twentieth"] == 20


def test_stopwords_keep_negations_and_modals_out():
    # "did not close" must not verify against "closed": negations and modals carry meaning
    assert not en.NEGATION_WORDS & en.STOPWORDS
    assert not en.MODAL_VERBS & en.STOPWORDS
    assert {"the", "of", "was", "to"} <= en.STOPWORDS


def test_quote_pairs_close_what_they_open():
    assert "\u201d" in en.QUOTE_PAIRS["\u201c"] and en.QUOTE_PAIRS["\u00ab"] == "\u00bb"
    assert en.OPENING_QUOTES <= set(en.QUOTE_CHARS) and en.CLOSING_QUOTES <= set(en.QUOTE_CHARS)
    assert set(en.END_QUOTES) <= set(en.QUOTE_CHARS)


def test_cues_and_word_regex():
    assert {"say", "deny", "announce"} <= en.REPORTING_VERBS
    assert en.NEGATIVE_VERBS <= en.REPORTING_VERBS
    assert "reportedly" in en.HEDGING_CUES
    assert en.WORD.findall("Don't close the plant in 2025, Acme\u2019s chief said") == [
        "Don't", "close", "the", "plant", "in", "Acme\u2019s", "chief", "said"]


def test_region_words_cover_many_countries():
    assert {"province", "state", "county", "governorate", "prefecture", "oblast", "region"} <= en.REGION_WORDS


def test_demonym_forms_derive_nationality_words():
    assert "kenyan" in en.demonym_forms("Kenya")
    assert "israeli" in en.demonym_forms("Israel")
    assert "chinese" in en.demonym_forms("China")
    assert "italian" in en.demonym_forms("Italy")
    assert en.demonym_forms("South Korea") == ()


def test_possessive_of_a_plural_in_s_takes_an_apostrophe_only():
    from manysides.lang import en

    assert en.possessive("Ukrainian officials") == "Ukrainian officials’"
    assert en.possessive("Carolina Vidal") == "Carolina Vidal’s"
