import datetime as dt

import pytest

from manysides.errors import StoreError
from manysides.model import Article, Briefing, DroppedSpan, Mention, Sentence, Span
from manysides.store import MIGRATIONS, Store


def make_article(text="Ukrainian forces entered Kupiansk on Saturday.", article_id="a" * 16):
    return Article(
        id=article_id, source="t.txt", format="txt", outlet="Test Outlet",
        published=dt.date(2022, 9, 10), raw_text="HEAD\n" + text, clean_text=text,
        dropped=[DroppedSpan(start=0, end=5, reason="repeated headline")],
        sentences=[Sentence(index=0, span=Span(article_id=article_id, start=0, end=len(text)))],
        mentions=[Mention(span=Span(article_id=article_id, start=25, end=33), text="Kupiansk", label="GPE")],
    )


def test_article_round_trips_through_the_store(tmp_path):
    article = make_article()
    with Store(tmp_path / "m.duckdb") as store:
        assert store.add_article(article) is True
        assert store.get_article(article.id) == article
        assert store.get_article(article.id[:6]) == article  # unique prefix


def test_reingesting_the_same_article_is_a_no_op(tmp_path):
    with Store(tmp_path / "m.duckdb") as store:
        assert store.add_article(make_article())
        assert not store.add_article(make_article())
        assert store.count("articles") == 1
        assert store.count("sentences") == 1
        assert store.count("mentions") == 1


def test_committed_articles_survive_a_crash_mid_run(tmp_path):
    path = tmp_path / "m.duckdb"
    store = Store(path)
    store.add_article(make_article(article_id="1" * 16))
    broken = make_article(article_id="2" * 16).model_copy(
        update={"sentences": [Sentence(index=0, span=Span(article_id="2" * 16, start=0, end=1))] * 2}  # duplicate key
    )
    with pytest.raises(Exception):
        store.add_article(broken)
    store.close()  # the process "dies" here
    with Store(path) as reopened:
        assert reopened.article_ids() == ["1" * 16]
        assert reopened.count("sentences") == 1  # the failed article left nothing behind


def test_migrations_run_once(tmp_path):
    path = tmp_path / "m.duckdb"
    Store(path).close()
    with Store(path) as store:
        assert store.db.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_briefing_is_saved_and_loaded(tmp_path):
    briefing = Briefing(id="b1", title="Kharkiv", created_at=dt.datetime(2022, 9, 11), articles=[make_article()])
    with Store(tmp_path / "m.duckdb") as store:
        store.save_briefing(briefing)
        store.save_briefing(briefing)  # saving again replaces
        assert store.get_briefing("b1") == briefing
        assert len(store.list_briefings()) == 1


def test_unknown_article_is_a_clear_error(tmp_path):
    with Store(tmp_path / "m.duckdb") as store, pytest.raises(StoreError, match="no article"):
        store.get_article("deadbeef")


# -- stories (issue 14) --------------------------------------------------------


def test_known_ids_are_found_in_one_query(tmp_path):
    with Store(tmp_path / "m.duckdb") as store:
        store.add_article(make_article(article_id="1" * 16))
        assert store.known_article_ids(["1" * 16, "2" * 16, "1" * 16]) == {"1" * 16}
        assert store.known_article_ids([]) == set()


def test_story_memberships_merges_and_splits_are_versioned(tmp_path):
    with Store(tmp_path / "m.duckdb") as store:
        for n in "123":
            store.add_article(make_article(article_id=n * 16))
        assert [a.id for a in store.unassigned_articles()] == ["1" * 16, "2" * 16, "3" * 16]
        changed = store.save_story_batch([("1" * 16, "s0"), ("2" * 16, "s1")], titles={"s0": "A"}, state='{"n": 1}')
        assert changed == {"s0", "s1"} and store.clusterer_state() == '{"n": 1}'
        assert sorted(store.stories_needing_briefing()) == [("s0", 1), ("s1", 1)]
        # s1 is absorbed by s0; the third article opens s2 and is then split off to s3
        changed = store.save_story_batch([("3" * 16, "s2")], merges=[("s1", "s0")], moves=[("3" * 16, "s3")])
        assert changed == {"s0", "s2", "s3"}
        assert store.story_article_ids("s0") == ["1" * 16, "2" * 16]
        assert [(sid, n, v) for sid, _, n, v, _ in store.list_stories()] == [("s0", 2, 2), ("s3", 1, 1)]
        assert store.unassigned_articles() == []
        briefing = Briefing(id="b-s0", title="A", created_at=dt.datetime(2031, 1, 1),
                            articles=[store.get_article("1" * 16)])
        store.save_story_briefing("s0", 2, briefing)
        assert ("s0", 2) not in store.stories_needing_briefing()
        assert store.story_briefing_versions("s0") == [(2, "b-s0")]


def test_a_failed_story_batch_leaves_nothing_behind(tmp_path):
    with Store(tmp_path / "m.duckdb") as store:
        store.save_story_batch([("1" * 16, "s0")], state="{}")
        with pytest.raises(Exception):  # the same article twice: the batch must roll back whole
            store.save_story_batch([("2" * 16, "s1"), ("1" * 16, "s1")], state='{"later": 1}')
        assert store.count("story_articles") == 1
        assert store.clusterer_state() == "{}"
        assert [s for s, *_ in store.list_stories()] == ["s0"]


def test_feed_items_and_validators(tmp_path):
    with Store(tmp_path / "m.duckdb") as store:
        assert store.feed_validators("http://x/feed") == (None, None)
        store.save_feed_validators("http://x/feed", '"v1"', "Mon, 03 Mar 2031 09:00:00 GMT")
        assert store.feed_validators("http://x/feed") == ('"v1"', "Mon, 03 Mar 2031 09:00:00 GMT")
        store.mark_feed_item("k1", "http://x/feed", "1" * 16)
        store.mark_feed_item("k1", "http://x/feed", "1" * 16)  # idempotent
        assert store.has_feed_item("k1") and not store.has_feed_item("k2")
        assert store.count("feed_items") == 1
