"""Metadata read from a plain text's own lines: title, guessed outlet, inferred date; non-English skipped."""

from __future__ import annotations

import datetime as dt

from manysides.api import _outlet_fallback, read
from manysides.ingest.base import RawArticle
from manysides.ingest.metadata import guess_outlet, infer_publication_date, past_event_dates, weekday_dates
from manysides.ingest.text import first_line_title
from manysides.model import Article
from manysides.resources import Settings

TODAY = dt.date(2026, 11, 30)

PASTED = """Support The Harbour Ledger!
Millbrook library closes its doors after 112 years
Millbrook library closes its doors after 112 years
Millbrook's public library lent its last books on Saturday, ending 112 years of service in the old granary building.
The council voted on Tuesday, January 9 to close the branch, citing repair costs of about 1.4 million pounds.
Maria Keane is the editor of The Harbour Ledger.
© 2024 The Harbour Ledger
"""

RUSSIAN = (
    "Паромы снова ходят через реку\n\n"
    "Паромное сообщение между двумя берегами восстановили в субботу, сообщили в городской администрации. "
    "Первый рейс отправился утром, пассажиров было немного, но к вечеру очередь выросла.\n"
)


def test_title_skips_a_support_banner_and_a_repeated_headline_is_one_title():
    assert first_line_title(PASTED) == "Millbrook library closes its doors after 112 years"


def test_title_is_never_a_dateline():
    text = "June 06, 2013\nQuarry fire forces evacuation of two villages\nA fire at a quarry forced about 200 people from their homes on Thursday, officials said.\n"
    assert first_line_title(text) == "Quarry fire forces evacuation of two villages"


def test_no_title_when_the_story_starts_at_once():
    text = "A fire at a quarry forced about 200 people from their homes on Thursday, officials said.\nThe fire was out by noon.\n"
    assert first_line_title(text) is None


def test_outlet_guessed_from_masthead_and_copyright_lines():
    assert guess_outlet(PASTED) == "The Harbour Ledger"
    assert guess_outlet("Copyright 2022 Valley News Network. All rights reserved.") == "Valley News Network"
    assert guess_outlet("The council said it would support the plan.\n") is None


def test_a_weekday_with_day_and_month_fixes_the_year():
    assert weekday_dates("The vote was held on Tuesday, January 9.", today=TODAY) == [dt.date(2024, 1, 9)]
    # the years the text names come first: 6 June was a Thursday in 2013 (and in 2019)
    assert weekday_dates("In 2013 the plant opened. On Thursday, June 6 the workers walked out.", today=TODAY) == [
        dt.date(2013, 6, 6)
    ]


def test_latest_past_tense_date_not_a_future_one():
    text = "Police said the fire began on 3 May 2021. The trial will open on 9 June 2027."
    assert past_event_dates(text, today=TODAY) == [dt.date(2021, 5, 3)]
    assert infer_publication_date(text, today=TODAY) == dt.date(2021, 5, 3)
    assert infer_publication_date("No dates here at all.", today=TODAY) is None


def test_plain_text_gets_guessed_outlet_and_inferred_date(tmp_path):
    (tmp_path / "library.txt").write_text(PASTED, encoding="utf-8")
    failures = []
    (raw,) = list(read([str(tmp_path / "library.txt")], settings=Settings(), on_failure=failures.append))
    assert failures == []
    assert raw.title == "Millbrook library closes its doors after 112 years"
    assert (raw.outlet, raw.outlet_source) == ("The Harbour Ledger", "guessed")
    assert (raw.published, raw.date_source) == (dt.date(2024, 1, 9), "inferred")


def test_russian_text_is_skipped_with_one_line(tmp_path):
    (tmp_path / "article.txt").write_text(RUSSIAN, encoding="utf-8")
    (tmp_path / "library.txt").write_text(PASTED, encoding="utf-8")
    failures = []
    kept = list(read([str(tmp_path)], settings=Settings(), on_failure=failures.append))
    assert [raw.source.rsplit("/", 1)[-1] for raw in kept] == ["library.txt"]
    (failure,) = failures
    assert failure.code == "E014" and failure.source.endswith("article.txt")
    assert failure.reason == "Russian text, English only for now"


def test_outlet_fallback_names_id_like_files_by_their_place_in_the_run():
    by_id = RawArticle(source="in/000_4a0996cedeb8db0e.txt", format="text", text="x")
    assert _outlet_fallback(by_id, 1) == ("article 1 (000_4a09….txt)", "file")
    by_name = RawArticle(source="in/harbour-voice.txt", format="text", text="x")
    assert _outlet_fallback(by_name, 2) == ("harbour-voice", "file")
    given = RawArticle(source="in/a.json", format="json", text="x", outlet="Valley Courier", outlet_source="given")
    assert _outlet_fallback(given, 3) == ("Valley Courier", "given")
    assert "outlet_source" in Article.model_fields


def test_the_python_api_takes_a_pathlib_path_as_well_as_a_string(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("Bridge reopens\n\nThe river bridge reopened on Monday after repairs.\n",
                                    encoding="utf-8")
    failures = []
    from_path = list(read([folder], settings=Settings(), on_failure=failures.append))
    from_string = list(read([str(folder)], settings=Settings(), on_failure=failures.append))
    assert failures == []
    assert [a.text for a in from_path] == [a.text for a in from_string] and len(from_path) == 1
