"""The junk cleaner: each junk type is dropped with its reason, real sentences survive."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manysides.clean import apply_drops, find_drops, repeated_boilerplate, split_lines
from manysides.model import DroppedSpan

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
JUNK_MARK = re.compile(r"^JUNK\((?P<reason>[^)]+(?:\)[^)]*)?)\) ")


def load_fixture(name: str) -> tuple[str, str, list[tuple[str, str | None]]]:
    """(title, raw text, [(line, expected reason or None)]) from a fixture file."""
    first, *rest = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    title = first.removeprefix("title: ")
    lines: list[tuple[str, str | None]] = []
    for raw in rest:
        match = JUNK_MARK.match(raw)
        if match:
            lines.append((raw[match.end() :], match.group("reason")))
        else:
            lines.append((raw, None))
    text = "\n".join(line for line, _ in lines) + "\n"
    return title, text, lines


def reasons_by_line(text: str, drops: list[DroppedSpan]) -> dict[str, str]:
    found: dict[str, str] = {}
    for drop in drops:
        for line in text[drop.start : drop.end].splitlines():
            if line.strip():
                found[line] = drop.reason
    return found


ARTICLES = sorted(path.name for path in FIXTURES.glob("*.txt"))


def test_fixtures_present():
    assert len(ARTICLES) >= 4


@pytest.mark.parametrize("name", ARTICLES)
def test_junk_dropped_with_reason_and_body_kept(name):
    title, text, lines = load_fixture(name)
    drops = find_drops(text, title=title)
    dropped = reasons_by_line(text, drops)
    for line, expected in lines:
        if expected is None:
            assert line not in dropped, f"body line dropped as {dropped.get(line)!r}: {line}"
        elif expected == "*":  # junk whichever rule or the line model finds it
            assert line in dropped, f"junk kept: {line!r}"
        else:
            assert dropped.get(line) == expected, f"{line!r}: expected {expected!r}, got {dropped.get(line)!r}"
    clean = apply_drops(text, drops)
    for line, expected in lines:
        if expected is None and line.strip():
            assert line in clean


HARD_BODY = [
    "AFP reported that at least two engineers were wounded during the night work.",
    "Support for the measure grew among local officials after the old crossing collapsed last week.",
    '"We will not leave."',
    "Residents can read more about it in the report the engineering brigade published on Monday.",
    "The photograph could not be independently verified by AFP.",
    "KUPIANSK, Ukraine (AFP) - Ukrainian forces entered the town of Kupiansk on Saturday, regional officials said, a key rail hub for Russian supply lines.",
]


def test_hard_sentences_survive_everywhere():
    # Put every hard sentence at the top, the middle and the end of an article.
    filler = [
        "The council met on Tuesday to discuss the repairs.",
        "Officials said the work would take two weeks.",
        "Residents were told to boil their drinking water.",
    ]
    for sentence in HARD_BODY:
        for position in range(len(filler) + 1):
            lines = filler[:position] + [sentence] + filler[position:]
            text = "\n".join(lines) + "\n"
            assert find_drops(text, title="Water repairs begin in the city") == [], sentence


def test_headline_repeated_nearly():
    text = "Ukrainian troops retake Balakliia, officials say\nUkrainian troops retook the town of Balakliia on Thursday, officials said.\n"
    drops = find_drops(text, title="Ukrainian troops retake Balakliia, officials say | The Daily Example")
    assert [d.reason for d in drops] == ["repeated headline"]
    assert apply_drops(text, drops).startswith("Ukrainian troops retook")


def test_no_title_no_headline_drop():
    text = "Ukrainian troops retake Balakliia\nUkrainian troops retook the town of Balakliia on Thursday, officials said.\n"
    assert find_drops(text) == []


def test_teaser_header_mid_article_keeps_following_prose():
    text = (
        "The mayor said the shelter would open on Friday.\n"
        "Related\n"
        "Officials said the new shelter could house 200 people and would have its own generator.\n"
        "The shelter was built in an old school basement, the mayor said.\n"
    )
    drops = find_drops(text)
    clean = apply_drops(text, drops)
    assert "Officials said the new shelter" in clean and "school basement" in clean


def test_teaser_tail_needs_teaser_like_lines():
    body = "\n".join(f"Paragraph {i} says the column moved further east on the {i}th day." for i in range(8))
    prose_after = body + "\nMore In This Category\nThe ministry said the figures would be updated on Monday.\nThe ministry gave no further details about the losses.\n"
    assert "ministry said the figures" in apply_drops(prose_after, find_drops(prose_after))
    teasers_after = body + "\nMore In This Category\nFloods hit the southern coast\nNew bridge opens in the capital\n"
    clean = apply_drops(teasers_after, find_drops(teasers_after))
    assert "Floods hit" not in clean and "More In This Category" not in clean
    assert "Paragraph 7 says" in clean


LINKED_HTML = """<html><body><article>
<p>The convoy reached the port on Saturday after a long delay at the checkpoints.</p>
<ul><li><a href="/a">Shelling cuts power to three districts</a></li>
<li><a href="/b">Farmers count losses as harvest ends</a></li></ul>
<p>Port officials said the grain would be loaded on Monday.</p>
</article></body></html>"""


def test_link_dense_lines_dropped_only_with_html():
    text = (
        "The convoy reached the port on Saturday after a long delay at the checkpoints.\n"
        "Shelling cuts power to three districts\n"
        "Farmers count losses as harvest ends\n"
        "Port officials said the grain would be loaded on Monday.\n"
    )
    assert find_drops(text) == []
    drops = find_drops(text, html=LINKED_HTML)
    dropped = reasons_by_line(text, drops)
    assert dropped == {
        "Shelling cuts power to three districts": "navigation (link-dense)",
        "Farmers count losses as harvest ends": "navigation (link-dense)",
    }


def test_cross_article_boilerplate():
    footer = "Our reporters work in twelve regions and rely on readers like you"
    texts = [
        f"Article {name} says the front line moved near the river on day {i}.\n"
        f"It was the {name} report of the week, published by the desk.\n{footer}\n"
        for i, name in enumerate(["first", "second", "third", "fourth"])
    ]
    repeated = repeated_boilerplate(texts)
    assert any("rely on readers" in key for key in repeated)
    drops = find_drops(texts[0], repeated_lines=repeated)
    assert reasons_by_line(texts[0], drops) == {footer: "cross-article boilerplate"}


def test_wire_copy_is_not_boilerplate():
    wire = [
        "Ukrainian forces entered Kupiansk on Saturday, regional officials said.",
        "Officials published a photograph of soldiers raising a flag.",
        "The photograph could not be independently verified.",
        "Moscow said its troops were regrouping near Donetsk.",
        "The rail hub supplied Russian troops further south for months.",
        "Residents said the shelling had stopped by the evening.",
    ]
    texts = [f"Outlet {i} opening line about the war is here today.\n" + "\n".join(wire) + "\n" for i in range(4)]
    repeated = repeated_boilerplate(texts)
    assert not any("kupiansk" in key for key in repeated)


def test_spans_are_whole_lines_sorted_disjoint():
    _, text, _ = load_fixture("river_crossing.txt")
    drops = find_drops(text, title="Engineers rebuild pontoon bridge over the Siversky river")
    assert drops
    previous_end = 0
    for drop in drops:
        assert previous_end <= drop.start < drop.end <= len(text)
        assert drop.start == 0 or text[drop.start - 1] == "\n"
        assert drop.end == len(text) or text[drop.end - 1] == "\n"
        previous_end = drop.end


def _cut(text: str, drops: list[DroppedSpan]) -> str:
    removed = set()
    for drop in drops:
        removed.update(range(drop.start, drop.end))
    return "".join(char for index, char in enumerate(text) if index not in removed)


JUNKY_LINES = st.sampled_from(
    [
        "Advertisement",
        "Donate",
        "Remind me later",
        "Visa / Mastercard / PayPal",
        "Share on Facebook",
        "Read more: Another headline here",
        "(AFP via Getty Images)",
        "",
        "The army said on Monday that the town had been retaken.",
        "Related",
        "Floods hit the coast",
        "Subscribe to our newsletter",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(st.one_of(JUNKY_LINES, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)), max_size=14),
    trailing_newline=st.booleans(),
    title=st.one_of(st.none(), st.sampled_from(["Floods hit the coast", "A headline"])),
)
def test_apply_drops_is_raw_minus_spans(lines, trailing_newline, title):
    text = "\n".join(lines) + ("\n" if trailing_newline else "")
    drops = find_drops(text, title=title)
    assert apply_drops(text, drops) == _cut(text, drops)
    previous_end = 0
    for drop in drops:
        assert previous_end <= drop.start < drop.end <= len(text)
        previous_end = drop.end


def test_split_lines_cover_text():
    text = "a\n\nb c\nd"
    lines = split_lines(text)
    assert "".join(text[line.start : line.end] for line in lines) == text
    assert [line.text for line in lines] == ["a", "", "b c", "d"]


PASTED_PAGE = """Skip to content
Home
News
Sport
Opinion
Weather
Log in
Valley council approves new bus routes
Bus services between the valley's villages will run every half hour from June, after the council approved a new timetable on Tuesday.
The routes will cost about 2 million pounds a year, paid partly by a regional transport grant, the council's transport officer said.
Residents in the smaller villages had complained for years that the last bus left before six in the evening.
"This will change how people here get to work," said Priya Nair, who chairs the residents' association.
The first buses on the new routes will run on 3 June, the council said.
About us
Contact
Privacy policy
Terms of use
"""


def test_line_model_drops_page_furniture_with_its_probability_as_reason():
    drops = find_drops(PASTED_PAGE)
    dropped = reasons_by_line(PASTED_PAGE, drops)
    for furniture in ("Home", "Sport", "Log in", "Privacy policy", "Terms of use"):
        assert furniture in dropped, furniture
    assert any(re.match(r"line classifier p=0\.\d\d: \w", reason) for reason in dropped.values())
    clean = apply_drops(PASTED_PAGE, drops)
    for body in PASTED_PAGE.splitlines()[8:13]:
        assert body in clean


def test_line_model_only_on_text_without_html_by_default():
    with_model = find_drops(PASTED_PAGE)
    without = find_drops(PASTED_PAGE, line_model=False)
    assert not any(d.reason.startswith("line classifier") for d in without)
    assert len(apply_drops(PASTED_PAGE, with_model)) < len(apply_drops(PASTED_PAGE, without))


def test_shipped_line_model_is_small_numbers_only():
    from manysides.clean.classifier import FEATURES, MODEL_PATH, load_model

    assert MODEL_PATH.stat().st_size < 1_000_000
    model = load_model()
    assert model is not None and model.features == FEATURES and 0.5 <= model.threshold < 1.0


def test_a_repeated_caption_is_dropped_once_not_both_copies():
    caption = "Volunteers sort donated books in the school hall on Friday."
    text = f"The school reopened its library on Friday after a flood in March closed it.\n{caption}\nOfficials said the repairs cost less than expected.\n {caption}\n"
    drops = find_drops(text, line_model=False)
    clean = apply_drops(text, drops)
    assert clean.count(caption) == 1 and [d.reason for d in drops] == ["repeated line (a copy of one above)"]


def test_an_article_pasted_as_one_line_keeps_its_text():
    # No line breaks at all: a whole article on one line has no page around it for the
    # line model to judge, and must never be emptied (it was: every claim of it was lost).
    text = ("The regional water board approved a rise in tariffs of 4 percent on Monday, its chair "
            "Ana Brandt said, after a year in which repairs to the northern reservoir cost more than "
            "planned. Households will see the change on their April bills, the board said, and the "
            "rise will be reviewed in a year. Critics on the council said the board had not explained "
            "why the repairs ran over budget.")
    short = "Lena Ortiz met the crown prince on Sunday, two officials told reporters. \u201cIt was a good meeting,\u201d one said."
    for body, title in ((text, None), (text, "Water tariffs to rise 4 percent"), (short, "Ortiz makes secret visit")):
        assert apply_drops(body, find_drops(body, title=title)).strip() == body


def test_a_newsrooms_plea_for_reader_money_is_an_appeal_but_reported_giving_is_not():
    body = "The shelter survives only on donations from local churches, its director said on Monday."
    appeal = ("Our newsroom was forced out of the capital and survives only on reader donations. "
              "Every contribution keeps us reporting.")
    text = f"The council approved the shelter's budget on Monday after a long debate.\n{body}\n{appeal}\n"
    drops = find_drops(text, line_model=False)
    assert [text[d.start:d.end].strip() for d in drops] == [appeal]
    assert [d.reason for d in drops] == ["donation appeal"]
