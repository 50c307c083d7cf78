import datetime as dt

import pytest

from manysides.errors import StoreError
from manysides.model import Article, Briefing, DroppedSpan, Mention, Sentence, Span
from manysides.store import Store


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
        assert store.db.execute("SELECT count(*) FROM migrations").fetchone()[0] == 1


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
