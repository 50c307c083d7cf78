"""The quantity layer: units normalised, vague amounts flagged, known traps avoided."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from manysides.analyse.claims.quantities import extract_quantities


def only(text: str):
    found = extract_quantities(text)
    assert len(found) == 1, found
    return found[0]


def test_miles_are_converted_to_km_and_keep_their_surface():
    quantity = only("Ukrainian forces advanced 30 miles into occupied territory.")
    assert quantity.unit == "km"
    assert quantity.value == pytest.approx(48.28, abs=0.01)
    assert quantity.surface == "30 miles"


@pytest.mark.parametrize(
    "text",
    ["Ukraine retook 2,000 square kilometers of land.", "Ukraine retook 2,000 square kilometres of land.",
     "Ukraine retook 2,000 sq km of land."],
)
def test_area_spellings_agree(text):
    quantity = only(text)
    assert (quantity.value, quantity.unit) == (2000.0, "km2")


def test_square_miles_become_square_km():
    quantity = only("an area of 1,000 square miles")
    assert quantity.unit == "km2"
    assert quantity.value == pytest.approx(2589.99, abs=0.01)


def test_vague_amount_is_approximate_with_a_unit():
    quantity = only("They pushed dozens of kilometers into Russian lines.")
    assert quantity.unit == "km"
    assert quantity.approximate
    assert 12 < quantity.value < 100


def test_more_than_marks_a_count_approximate_and_names_what_is_counted():
    quantity = only("more than 20 settlements were liberated")
    assert (quantity.value, quantity.unit, quantity.approximate) == (20.0, "settlement", True)


def test_casualty_count_skips_the_nationality_to_find_the_noun():
    quantity = only("the strike killed 4,000 Ukrainian soldiers")
    assert (quantity.value, quantity.unit) == (4000.0, "soldier")
    assert not quantity.approximate


def test_bare_count_after_a_verb_is_kept_without_unit():
    quantity = only("Russia said it had killed 4,000.")
    assert (quantity.value, quantity.unit) == (4000.0, "")


@pytest.mark.parametrize(
    "text",
    [
        "on the sixth day of the offensive",
        "the 6th brigade moved",
        "the town was liberated in 1943",
        "“We remember 1943”",
        "On September 6 the attack began",
        "by 10 September",
        "at 10:30 local time",
        "T-72 tanks and Su-25 jets",
        "one of the towns",
    ],
)
def test_traps_are_not_quantities(text):
    assert [q.surface for q in extract_quantities(text)] == []


def test_equipment_names_do_not_leak_their_digits():
    surfaces = [q.surface for q in extract_quantities("T-72 tanks and Su-25 jets")]
    assert not any(s.startswith(("72", "25")) for s in surfaces)


def test_words_scales_fractions_and_percent():
    values = {(round(q.value, 3), q.unit) for q in extract_quantities(
        "two hundred soldiers, 1.5 million people, two thirds of the city and 12% of the tanks"
    )}
    assert (200.0, "soldier") in values
    assert (1_500_000.0, "people") in values
    assert (0.667, "fraction") in values
    assert (12.0, "percent") in values


def test_year_with_a_count_noun_is_a_count():
    assert only("1943 soldiers were captured").unit == "soldier"


def test_offsets_are_shifted_into_the_article():
    text = "It advanced 30 km."
    quantity = extract_quantities(text, offset=100)[0]
    assert (quantity.start, quantity.end) == (112, 117)


_PIECES = st.sampled_from(
    ["0", "7", "30", "1943", "2,000", "1.5", " ", ",", ".", "-", ":", "%", "”", '"', "th",
     " miles", " km", " square ", "kilometres", " dozens of", " more than ", " soldiers", " the ",
     "September ", " million", "one", " two"]
)


@given(st.lists(_PIECES, max_size=20).map("".join))
def test_surface_is_always_the_text_at_its_offsets(text):
    for quantity in extract_quantities(text):
        assert text[quantity.start : quantity.end] == quantity.surface
        assert quantity.value >= 0


# -- the counted noun from the parse --------------------------------------------------------


def _parsed_quantities(nlp, text: str):
    from manysides.analyse.claims.quantities import counted_nouns

    doc = nlp(text)
    return {(q.value, q.unit) for q in extract_quantities(text, counted=counted_nouns(doc))}


def test_the_parse_names_what_a_number_counts_in_any_story(nlp):
    # no list of nouns: "staff" does not look plural, the parse still says the number counts it
    assert (120.0, "staff") in _parsed_quantities(nlp, "The hospital laid off 120 staff on Monday.")
    assert _parsed_quantities(nlp, "The company cut 1,200 jobs; the union says about 3,000 jobs will go.") == {
        (1200.0, "job"), (3000.0, "job")}
    assert (200.0, "worker") in _parsed_quantities(nlp, "Hundreds of workers marched to the gate.")


def test_without_a_parse_a_plural_noun_after_the_number_is_counted():
    assert [(q.value, q.unit) for q in extract_quantities("about 3,000 jobs")] == [(3000.0, "job")]
    assert [q.unit for q in extract_quantities("12 wounded were taken to hospital")] == [""]
    assert [q.unit for q in extract_quantities("12 wounded were taken to hospital",
                                                count_nouns=frozenset({"wounded"}))] == ["wounded"]
    assert extract_quantities("\u00a9 2025 Andes Tribune") == []  # a year before a name
