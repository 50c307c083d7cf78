"""Story clustering: our own short articles about two unrelated events, and the online mechanics."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from manysides.model import Article
from manysides.stories import group_articles
from manysides.stories.features import capitalised_names, signals_from_text
from manysides.stories.online import (
    FEATURE_NAMES, Closed, Merged, Split, StoryClusterer, StoryModel, StoryTracker, cluster_stream,
)

BRIDGE = [
    ("Harbour bridge in Velmora closed after cracks found",
     "Engineers closed the Velmora harbour bridge on Monday after inspectors found cracks in two steel "
     "girders. Mayor Ilsa Brandt said traffic would be diverted through the tunnel while repairs go on."),
    ("Velmora shuts harbour bridge over girder cracks",
     "The harbour bridge in Velmora will stay shut for weeks, Mayor Ilsa Brandt said, after cracks were "
     "found in steel girders during a routine inspection. Ferries will run extra crossings."),
    ("Cracked girders close Velmora bridge; ferries add crossings",
     "Inspectors discovered cracked girders on the Velmora harbour bridge, and the city closed it to all "
     "traffic. Ilsa Brandt, the mayor, promised repairs and extra ferry crossings."),
]
TRANSFER = [
    ("Striker Tomas Okafor joins Redhill United for record fee",
     "Redhill United signed striker Tomas Okafor for a club-record fee on Tuesday. The forward scored "
     "thirty goals last season and signed a five-year contract with the club."),
    ("Redhill United complete record signing of Okafor",
     "Tomas Okafor has completed his record move to Redhill United. The striker, who scored thirty "
     "league goals last season, agreed a five-year contract."),
    ("Okafor signs five-year deal at Redhill United",
     "Redhill United paid a record fee for striker Tomas Okafor, who signed a five-year contract after "
     "his thirty-goal season."),
]


def article(n: int, title: str, text: str, day: int = 1) -> Article:
    return Article(id=f"{n:016x}", source=f"a{n}.txt", format="txt", title=title, raw_text=text,
                   clean_text=text, published=dt.date(2031, 3, day))


def mixed_articles() -> list[Article]:
    pieces = [BRIDGE[0], TRANSFER[0], BRIDGE[1], TRANSFER[1], BRIDGE[2], TRANSFER[2]]
    return [article(n, title, text) for n, (title, text) in enumerate(pieces)]


def test_two_unrelated_events_become_two_stories():
    articles = mixed_articles()
    stories = group_articles(articles)
    assert len(stories) == 2
    bridge_ids = {articles[i].id for i in (0, 2, 4)}
    assert {frozenset(s.article_ids) for s in stories} == {frozenset(bridge_ids),
                                                           frozenset(a.id for a in articles) - bridge_ids}
    assert all(s.title for s in stories)


def test_one_event_stays_one_story_and_ids_are_stable():
    articles = [article(n, t, x) for n, (t, x) in enumerate(BRIDGE)]
    first = group_articles(articles)
    assert len(first) == 1 and len(first[0].article_ids) == 3
    assert group_articles(list(reversed(articles)))[0].id == first[0].id


def test_sentence_openers_are_not_names():
    names = capitalised_names("The mayor spoke about the bridge. The bridge is shut, said Ilsa Brandt in Velmora.")
    assert "ilsa brandt" in names and "brandt" in names and "velmora" in names
    assert not any(name.startswith("the") for name in names)


def signals(n: int, title: str, text: str, day: float = 0.0):
    return signals_from_text(f"a{n}", title=title, text=text, time=day)


def test_a_story_idle_past_the_window_is_closed_and_not_joined():
    model = replace(StoryModel.load(), window_days=5.0, maintain_every=1)
    clusterer = StoryClusterer(model)
    first = clusterer.add(signals(0, *BRIDGE[0], day=0))
    clusterer.add(signals(1, *TRANSFER[0], day=30))  # maintenance at day 30 closes the bridge story
    events = clusterer.drain_events()
    assert Closed(story_id=first.story_id, size=1, title=BRIDGE[0][0]) in events
    later = clusterer.add(signals(2, *BRIDGE[1], day=31))
    assert later.is_new and later.story_id != first.story_id


def test_active_stories_are_bounded():
    model = replace(StoryModel.load(), max_active=5)
    clusterer = StoryClusterer(model)
    for n in range(40):
        clusterer.add(signals(n, f"Topic{n} unique{n}", f"Wordalpha{n} wordbeta{n} Placename{n} report."))
    assert len(clusterer.active) == 5
    assert sum(isinstance(e, Closed) for e in clusterer.drain_events()) == 35


def test_stories_whose_centroids_converge_are_merged():
    # an impossible acceptance bar makes every article a new story; maintenance then merges the twins
    model = replace(StoryModel.load(), threshold=1.01, maintain_every=10_000)
    clusterer = StoryClusterer(model)
    tracker = StoryTracker()
    for n, (title, text) in enumerate(BRIDGE + BRIDGE):
        tracker.record(clusterer.add(signals(n, title, text)))
    events = clusterer.flush()
    assert any(isinstance(e, Merged) for e in events)
    tracker.apply(events)
    groups = list(tracker.stories().values())
    assert len(groups) <= 3  # each article joined at least its identical twin
    same = {frozenset({f"a{i}", f"a{i + 3}"}) for i in range(3)}
    assert all(any(pair <= set(g) for g in groups) for pair in same)


def test_a_story_that_falls_apart_is_split():
    # every article is put in one story by hand, as a run of bad decisions would; the split test
    # must then separate the two events
    model = replace(StoryModel.load(), split_min_size=6, maintain_every=10_000)
    clusterer = StoryClusterer(model)
    tracker = StoryTracker()
    story = None
    for n, piece in enumerate(BRIDGE + TRANSFER + BRIDGE + TRANSFER):
        item = signals(n, *piece)
        story = clusterer.place(item, clusterer.vectorise(item), story)
        tracker.assigned[item.id] = story.id
    assert len(clusterer.active) == 1
    events = clusterer.flush()
    assert any(isinstance(e, Split) for e in events)
    tracker.apply(events)
    groups = {frozenset(g) for g in tracker.stories().values()}
    bridge = frozenset(f"a{n}" for n in (0, 1, 2, 6, 7, 8))
    assert bridge in groups and frozenset(f"a{n}" for n in range(12)) - bridge in groups


def test_state_round_trip_continues_the_same_stories():
    stream = [signals(n, *piece, day=n) for n, piece in enumerate([BRIDGE[0], TRANSFER[0], BRIDGE[1],
                                                                  TRANSFER[1], BRIDGE[2], TRANSFER[2]])]
    whole = StoryClusterer()
    expected = [whole.add(s).story_id for s in stream]
    first = StoryClusterer()
    got = [first.add(s).story_id for s in stream[:3]]
    resumed = StoryClusterer.from_state(first.to_state())
    got += [resumed.add(s).story_id for s in stream[3:]]
    assert got == expected


def test_cluster_stream_and_shipped_weights():
    model = StoryModel.load()
    assert len(model.weights) == len(FEATURE_NAMES) and 0 < model.threshold < 1
    groups = cluster_stream(signals(n, *piece) for n, piece in enumerate(BRIDGE + TRANSFER))
    assert sorted(len(g) for g in groups.values()) == [3, 3]


def test_batch_refinement_moves_a_stray_article_to_its_story():
    from manysides.stories.online import refine

    items = [signals(n, *piece) for n, piece in enumerate(BRIDGE + TRANSFER)]
    # as if the one pass had put a bridge article with the transfer story
    wrong = {0: ["a0", "a1"], 1: ["a2", "a3", "a4", "a5"]}
    fixed = {frozenset(g) for g in refine(items, wrong).values()}
    assert fixed == {frozenset({"a0", "a1", "a2"}), frozenset({"a3", "a4", "a5"})}


@pytest.mark.slow
def test_the_parsed_example_story_is_one_story(resources):
    from conftest import EXAMPLES
    from manysides import api

    articles = list(api.prepare([str(EXAMPLES)], settings=resources.settings, resources=resources))
    assert len(articles) == 5
    assert len(group_articles(articles)) == 1


def test_the_three_example_stories_are_told_apart():
    from conftest import REPO
    from manysides import api
    from manysides.resources import Settings

    articles = [api.clean_raw(raw) for raw in api.read([str(REPO / "examples")], settings=Settings())]
    folder_of = {a.id: a.source.replace("\\", "/").split("/")[-2] for a in articles}
    stories = group_articles(articles)
    assert sorted(sorted({folder_of[i] for i in s.article_ids}) for s in stories) == [
        ["building-collapse"], ["kharkiv"], ["plant-closure"]]
    assert [len(s.article_ids) for s in stories] == [5, 5, 5]


# --------------------------------------------------------------------------- batch (analyze, stories)

QUAKES = [
    ("Magnitude 6.1 earthquake shakes Ardenna coast",
     "A magnitude 6.1 earthquake struck the Ardenna coast on Sunday, 14 March 2019, killing 12 people. "
     "Governor Pell Ostrander said rescue teams were searching collapsed homes in Sarrow."),
    ("Ardenna quake kills 12, governor says",
     "Twelve people died when the 6.1 quake hit Sarrow and the Ardenna coast in March 2019. Governor "
     "Pell Ostrander asked for tents and water for the families."),
    ("Rescuers dig through Sarrow rubble after 6.1 quake",
     "Rescue teams in Sarrow pulled survivors from collapsed homes after the 6.1 earthquake on the "
     "Ardenna coast, Governor Pell Ostrander said. The death toll stands at 12."),
]
OTHER_QUAKE = [
    ("Magnitude 7.4 earthquake hits Kessin highlands",
     "A magnitude 7.4 earthquake struck the Kessin highlands on Tuesday, 2 June 2026, killing 230 people. "
     "President Mara Vell said rescue teams were searching collapsed homes in Dolgrad."),
    ("Kessin quake death toll rises to 230",
     "At least 230 people died when the 7.4 earthquake hit Dolgrad and the Kessin highlands in June 2026. "
     "President Mara Vell asked for tents and water for the families."),
    ("Survivors pulled from Dolgrad rubble after 7.4 quake",
     "Rescue teams in Dolgrad pulled survivors from collapsed homes after the 7.4 earthquake in the "
     "Kessin highlands, President Mara Vell said. The death toll stands at 230."),
]


def quake_articles() -> list[Article]:
    dated = [(QUAKES, dt.date(2019, 3, 14)), (OTHER_QUAKE, dt.date(2026, 6, 2))]
    return [Article(id=f"{10 * k + n:016x}", source=f"q{k}{n}.txt", format="txt", title=title, raw_text=text,
                    clean_text=text, published=day)
            for k, (pieces, day) in enumerate(dated) for n, (title, text) in enumerate(pieces)]


def test_two_events_of_one_kind_are_told_apart():
    # same words (earthquake, rescue, collapsed homes), different places, people, figures and years
    articles = quake_articles()
    stories = group_articles(articles)
    assert sorted(frozenset(s.article_ids) for s in stories) == sorted(
        [frozenset(a.id for a in articles[:3]), frozenset(a.id for a in articles[3:])], key=sorted)


def test_figures_are_read_with_their_separators():
    from manysides.stories.features import numbers_of

    assert numbers_of("About 1,200 jobs, then 1200 more; a 6.1 quake in 2019; build v1.2.3.") == [
        "1200", "1200", "6.1", "2019"]
    assert signals_from_text("a", title="Quake of 6.1", text="It hit in 2019.").numbers == {"6.1": 1, "2019": 1}


def test_average_link_does_not_chain_through_one_close_pair():
    import numpy as np

    from manysides.stories.batch import average_link

    # 0-1 and 1-2 alike, 0-2 not at all: {0, 1} and 2 average 0.45
    i, j, p = np.array([0, 1]), np.array([1, 2]), np.array([0.9, 0.9])
    assert len(set(average_link(3, i, j, p, 0.5))) == 2
    assert len(set(average_link(3, i, j, p, 0.4))) == 1
    assert len(set(average_link(4, np.zeros(0, int), np.zeros(0, int), np.zeros(0), 0.5))) == 4


def test_shipped_pair_model():
    from manysides.stories.batch import PAIR_FEATURES, PairModel

    model = PairModel.load()
    assert len(model.weights) == len(PAIR_FEATURES) and 0 < model.threshold < 1
    # more overlap or a shorter gap never lowers the probability
    assert all(w >= 0 for name, w in zip(PAIR_FEATURES, model.weights) if name != "both_dated")


def test_vectors_made_by_a_featuriser_give_the_same_stories():
    stream = [signals(n, *piece, day=n // 3) for n, piece in enumerate(BRIDGE + TRANSFER + BRIDGE)]
    whole = StoryClusterer()
    expected = [whole.add(s).story_id for s in stream]
    featuriser, assigner = StoryClusterer(), StoryClusterer()
    assert [assigner.add(s, featuriser.vectorise(s)).story_id for s in stream] == expected


def test_two_unrelated_articles_alone_stay_apart():
    # with two articles each is the other's closest: that alone must not make them one story
    for first, second in ((BRIDGE[0], TRANSFER[0]), (BRIDGE[2], TRANSFER[1])):
        assert len(group_articles([article(0, *first), article(1, *second)])) == 2
    assert len(group_articles([article(0, *BRIDGE[0]), article(1, *BRIDGE[1])])) == 1
