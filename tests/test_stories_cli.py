"""``manysides stories`` and ``analyze`` on a mixed folder; ``api.find_stories``; re-ingest skips known articles."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from manysides.cli import app

# two unrelated events of our own, three articles each
MIXED = {
    "bridge-1.txt": "Harbour bridge in Velmora closed after cracks found\n\nEngineers closed the Velmora harbour "
                    "bridge on Monday after inspectors found cracks in two steel girders. Mayor Ilsa Brandt said "
                    "traffic would be diverted through the tunnel while repairs go on.",
    "bridge-2.txt": "Velmora shuts harbour bridge over girder cracks\n\nThe harbour bridge in Velmora will stay shut "
                    "for weeks, Mayor Ilsa Brandt said, after cracks were found in steel girders during a routine "
                    "inspection. Ferries will run extra crossings.",
    "bridge-3.txt": "Cracked girders close Velmora bridge\n\nInspectors discovered cracked girders on the Velmora "
                    "harbour bridge, and the city closed it to all traffic. Ilsa Brandt, the mayor, promised "
                    "repairs and extra ferry crossings.",
    "transfer-1.txt": "Striker Tomas Okafor joins Redhill United for record fee\n\nRedhill United signed striker "
                      "Tomas Okafor for a club-record fee on Tuesday. The forward scored thirty goals last season "
                      "and signed a five-year contract with the club.",
    "transfer-2.txt": "Redhill United complete record signing of Okafor\n\nTomas Okafor has completed his record "
                      "move to Redhill United. The striker, who scored thirty league goals last season, agreed a "
                      "five-year contract.",
    "transfer-3.txt": "Okafor signs five-year deal at Redhill United\n\nRedhill United paid a record fee for striker "
                      "Tomas Okafor, who signed a five-year contract after his thirty-goal season.",
}


class NoParse:
    """Stands in for spaCy: drawing one text from it fails the test."""

    def pipe(self, pairs, **options):
        for _ in pairs:
            raise AssertionError("a stored article was parsed again")
        yield from ()


@pytest.fixture()
def mixed_folder(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name, text in MIXED.items():
        (folder / name).write_text(text)
    return folder


@pytest.mark.slow
def test_stories_command_lists_the_two_events(mixed_folder, tmp_path):
    result = CliRunner().invoke(app, ["stories", str(mixed_folder), "--db", str(tmp_path / "m.duckdb"),
                                      "--date", "2031-03-03"])
    assert result.exit_code == 0, result.output
    assert "2 stories in 6 articles" in result.output
    assert "Velmora" in result.output and "Okafor" in result.output


@pytest.mark.slow
def test_analyze_on_a_mixed_folder_writes_one_briefing_per_story(mixed_folder, tmp_path):
    out = tmp_path / "briefing.json"
    result = CliRunner().invoke(app, ["analyze", str(mixed_folder), "--no-store", "--date", "2031-03-03",
                                      "--stages", "entities", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "found 2 stories" in result.output
    written = sorted(p.name for p in tmp_path.glob("briefing*.json"))
    assert written == ["briefing-story1.json", "briefing-story2.json"]
    import json

    titles = {json.loads((tmp_path / name).read_text())["title"] for name in written}
    assert any("Velmora" in t for t in titles) and any("Okafor" in t for t in titles)


@pytest.mark.slow
def test_find_stories_api_and_reingest_skips_known_articles(mixed_folder, tmp_path, resources):
    from manysides import api
    from manysides.store import Store

    with Store(tmp_path / "m.duckdb") as store:
        first = api.ingest([str(mixed_folder)], settings=resources.settings, store=store, resources=resources)
        assert first.new_count == 6
        parsed = {a.id for a in first.articles}
        # the NLP pass must not see a stored article again
        resources.__dict__["nlp"], real_nlp = NoParse(), resources.nlp
        try:
            again = api.ingest([str(mixed_folder)], settings=resources.settings, store=store, resources=resources)
        finally:
            resources.__dict__["nlp"] = real_nlp
        assert (again.new_count, again.seen_count) == (0, 6)
        assert {a.id for a in again.articles} == parsed  # read back from the store, not parsed again
    stories = api.find_stories(again.articles)
    assert sorted(len(s.article_ids) for s in stories) == [3, 3]
