"""Origins: wire copy and rewrites of one release count once; passages copied into
an independent article are attributed to their source origin."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from manysides.analyse.origins.detect import find_wire_markers, group_origins, origins_stage
from manysides.ingest.base import content_id
from manysides.model import Article, Briefing, OriginKind
from manysides.resources import Resources, Settings

STORY = Path(__file__).resolve().parent / "fixtures" / "origins"


def make_article(text: str, outlet: str, published: str | None = None) -> Article:
    return Article(
        id=content_id(text), source=f"{outlet}.txt", format="txt", outlet=outlet,
        published=dt.date.fromisoformat(published) if published else None,
        raw_text=text, clean_text=text,
    )


def load_story() -> Briefing:
    """The invented five-article story in tests/fixtures/origins (see its README)."""
    articles = [
        make_article((STORY / item["file"]).read_text(encoding="utf-8"), item["outlet"], item["published"])
        for item in json.loads((STORY / "story.json").read_text(encoding="utf-8"))
    ]
    return Briefing(id="story", created_at=dt.datetime(2022, 9, 12), articles=articles)


def outlet_origin(briefing: Briefing) -> dict[str, str]:
    by_article = {a: o.id for o in briefing.origins for a in o.article_ids}
    return {a.outlet: by_article[a.id] for a in briefing.articles}


def test_wire_story_printed_by_two_outlets_is_one_origin():
    briefing = origins_stage(load_story(), Resources(Settings(embedder="tfidf")))
    origin_of = outlet_origin(briefing)
    assert origin_of["Novaya Volna"] == origin_of["Northern Courier"]
    wire = next(o for o in briefing.origins if o.id == origin_of["Novaya Volna"])
    assert wire.kind is OriginKind.WIRE
    assert wire.agency == "AFP"
    assert "8-word passages shared" in wire.evidence
    # the three other outlets wrote their own copy
    others = {origin_of[o] for o in ("Weltbericht", "Front Notes", "NewsPile")}
    assert len(others) == 3 and wire.id not in others


def test_every_article_in_exactly_one_origin():
    briefing = origins_stage(load_story(), Resources(Settings(embedder="tfidf")))
    listed = [a for o in briefing.origins for a in o.article_ids]
    assert sorted(listed) == sorted(a.id for a in briefing.articles)
    assert {a for o in briefing.origins for a in o.article_ids} == {a.id for a in briefing.articles}


def test_rewrite_without_marker_is_rewrite_and_unrelated_same_topic_is_not():
    release = ("The city council approved the new budget on Tuesday after a long debate. "
               "The plan raises spending on schools by ten percent and cuts road repairs. "
               "Opposition members said the cuts would hurt residents in the northern districts. "
               "The mayor said the budget was the fairest the city had seen in a decade. "
               "A final vote on the transport levy is expected next month.")
    rewrite = ("After a long debate the city council approved the new budget on Tuesday. "
               "The plan raises spending on schools by ten percent and cuts road repairs. "
               "The mayor said the budget was the fairest the city had seen in a decade. "
               "Opposition members said the cuts would hurt residents in the northern districts.")
    other = ("Councillors clashed for hours before a narrow majority backed the spending plan. "
             "Teachers welcomed more money, while drivers face more potholes next year. "
             "The mayor called it fair; critics in the north of the city disagreed.")
    origins, _ = group_origins([make_article(release, "A"), make_article(rewrite, "B"),
                                make_article(other, "C")])
    kinds = sorted((len(o.article_ids), o.kind) for o in origins)
    assert kinds == [(1, OriginKind.INDEPENDENT), (2, OriginKind.REWRITE)]


def test_independent_article_quoting_a_wire_paragraph_keeps_its_origin_but_flags_the_passage():
    story = load_story()
    wire_text = story.articles[0].clean_text
    copied = wire_text.splitlines()[6]  # "Kupiansk sits on the railway line ..."
    own = ("Our correspondent spent the week in villages east of the river. " + copied +
           " Farmers there say they have not seen a soldier of either side for days.")
    briefing = origins_stage(
        story.model_copy(update={"articles": [*story.articles, make_article(own, "Local Voice")]}),
        Resources(Settings(embedder="tfidf")))
    origin_of = outlet_origin(briefing)
    assert origin_of["Local Voice"] not in {origin_of["Novaya Volna"]}
    passages = [p for p in briefing.passages
                if p.article_id == briefing.articles[-1].id]
    assert len(passages) == 1
    text = briefing.articles[-1].clean_text[passages[0].start:passages[0].end]
    assert text == copied
    assert passages[0].origin_id == origin_of["Novaya Volna"]


def test_wire_markers_name_the_agency_but_citing_an_agency_is_not_a_marker():
    agencies = {m.agency for m in find_wire_markers(
        "LONDON (Reuters) - Talks resumed.\nMore text here.\nWith AFP")}
    assert agencies == {"Reuters", "AFP"}
    assert find_wire_markers("A local official told AFP that Reuters had the story first.") == []


RELAYING = """Harbour strike enters third week
The dock workers' strike in Port Alder entered its third week on Monday.
The Coastal Herald reported that the port authority had lost two shipping contracts.
An excerpt from the Coastal Herald's report:
"Two of the port's largest shipping lines have moved their cargo to Eastmouth, the authority confirmed."
Union leaders said talks would resume on Thursday.
According to AFP, ministers will meet the union on Friday.
According to Ms Tamsin Hale, the union's secretary, members are united.
"""
OWN_REPORT = """Port Alder loses contracts
Two of the port's largest shipping lines have moved their cargo to Eastmouth, the authority confirmed.
The authority declined to say how much the contracts were worth.
"""


def test_text_relayed_from_another_outlet_counts_toward_that_outlets_origin():
    relaying = make_article(RELAYING, "Valley Times")
    herald = make_article(OWN_REPORT, "Coastal Herald")
    briefing = origins_stage(Briefing(id="relay", created_at=dt.datetime(2024, 5, 6),
                                      articles=[relaying, herald]), Resources(Settings(embedder="tfidf")))
    origin_of = outlet_origin(briefing)
    assert origin_of["Valley Times"] != origin_of["Coastal Herald"]  # one excerpt is not shared copy

    def passage_at(fragment: str):
        start = RELAYING.index(fragment)
        found = [p for p in briefing.passages if p.article_id == relaying.id and p.start <= start < p.end]
        return found[0] if found else None

    for fragment in ("The Coastal Herald reported that", "An excerpt from", "Two of the port's largest"):
        passage = passage_at(fragment)
        assert passage is not None, fragment
        assert passage.origin_id == origin_of["Coastal Herald"]
        assert passage.own_origin_id == origin_of["Valley Times"]
    afp = passage_at("According to AFP")
    assert afp is not None and afp.origin_id == "outlet:afp"  # an outlet outside the story
    # a person is not an outlet, and the outlet's own narration stays its own
    assert passage_at("According to Ms Tamsin Hale") is None
    assert passage_at("Union leaders said") is None
