"""The embedded DuckDB store: the product's memory.

Every command reads and writes the same database file, so the CLI, the Python
API and (later) the web UI agree by construction. Articles are keyed by their
content hash, so ingesting the same article twice is a no-op; each article is
committed in its own transaction, so a crash mid-run loses nothing already
written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

from manysides.errors import StoreError
from manysides.model import Article, Briefing, DroppedSpan, Mention, Sentence, Span

# Named, ordered migrations; each runs once and is recorded.
MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_articles",
        """
        CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            format VARCHAR NOT NULL,
            url VARCHAR,
            outlet VARCHAR,
            title VARCHAR,
            published DATE,
            date_source VARCHAR,
            language VARCHAR,
            raw_text VARCHAR NOT NULL,
            clean_text VARCHAR NOT NULL,
            dropped JSON NOT NULL,
            ingested_at TIMESTAMP NOT NULL
        );
        CREATE TABLE sentences (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE mentions (
            article_id VARCHAR NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            label VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            entity_id VARCHAR
        );
        CREATE TABLE briefings (
            id VARCHAR PRIMARY KEY,
            title VARCHAR,
            created_at TIMESTAMP NOT NULL,
            article_ids VARCHAR[] NOT NULL,
            schema_version VARCHAR NOT NULL,
            body JSON NOT NULL
        );
        """,
    ),
    (
        "0002_stories",
        """
        CREATE TABLE stories (
            id VARCHAR PRIMARY KEY,
            title VARCHAR,
            version INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            merged_into VARCHAR
        );
        CREATE TABLE story_articles (
            article_id VARCHAR PRIMARY KEY,
            story_id VARCHAR NOT NULL,
            assigned_at TIMESTAMP NOT NULL
        );
        CREATE TABLE story_briefings (
            story_id VARCHAR NOT NULL,
            version INTEGER NOT NULL,
            briefing_id VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            PRIMARY KEY (story_id, version)
        );
        CREATE TABLE clusterer_state (
            name VARCHAR PRIMARY KEY,
            state JSON NOT NULL,
            saved_at TIMESTAMP NOT NULL
        );
        CREATE TABLE feeds (
            url VARCHAR PRIMARY KEY,
            etag VARCHAR,
            last_modified VARCHAR,
            checked_at TIMESTAMP
        );
        CREATE TABLE feed_items (
            key VARCHAR PRIMARY KEY,
            feed_url VARCHAR NOT NULL,
            article_id VARCHAR,
            seen_at TIMESTAMP NOT NULL
        );
        """,
    ),
]


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("manysides")) / "manysides.duckdb"


class Store:
    """A DuckDB database holding articles, sentences, mentions and briefings."""

    def __init__(self, path: str | Path | None = None):
        import duckdb

        self.path = Path(path) if path is not None else default_db_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open database ({exc})") from exc
        self._migrate()

    # -- lifecycle --------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
        )
        applied = {row[0] for row in self.db.execute("SELECT name FROM migrations").fetchall()}
        for name, sql in MIGRATIONS:
            if name in applied:
                continue
            self.db.execute("BEGIN TRANSACTION")
            self.db.execute(sql)
            self.db.execute("INSERT INTO migrations VALUES (?, ?)", [name, dt.datetime.now()])
            self.db.execute("COMMIT")

    # -- articles ---------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        row = self.db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
        return row is not None

    def add_article(self, article: Article) -> bool:
        """Insert one article with its sentences and mentions; False if it was already there."""
        if self.has_article(article.id):
            return False
        self.db.execute("BEGIN TRANSACTION")
        try:
            self.db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    article.id, article.source, article.format, article.url, article.outlet,
                    article.title, article.published, article.date_source, article.language,
                    article.raw_text, article.clean_text,
                    json.dumps([d.model_dump() for d in article.dropped]), dt.datetime.now(),
                ],
            )
            if article.sentences:
                self.db.executemany(
                    "INSERT INTO sentences VALUES (?, ?, ?, ?)",
                    [[s.article_id, s.index, s.start, s.end] for s in article.sentences],
                )
            if article.mentions:
                self.db.executemany(
                    "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        [m.article_id, m.start, m.end, m.text, m.label, m.source, m.entity_id]
                        for m in article.mentions
                    ],
                )
            self.db.execute("COMMIT")
        except Exception:
            self.db.execute("ROLLBACK")
            raise
        return True

    def resolve_article_id(self, prefix: str) -> str:
        rows = self.db.execute(
            "SELECT id FROM articles WHERE id LIKE ? ORDER BY id LIMIT 2", [prefix + "%"]
        ).fetchall()
        if not rows:
            raise StoreError(f"no article with id {prefix!r} in {self.path}")
        if len(rows) > 1:
            raise StoreError(f"article id {prefix!r} is ambiguous in {self.path}: give more characters")
        return rows[0][0]

    def get_article(self, article_id: str) -> Article:
        article_id = self.resolve_article_id(article_id)
        row = self.db.execute(
            "SELECT id, source, format, url, outlet, title, published, date_source, language, "
            "raw_text, clean_text, dropped FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        sentences = [
            Sentence(index=i, span=Span(article_id=article_id, start=s, end=e))
            for i, s, e in self.db.execute(
                "SELECT idx, start_char, end_char FROM sentences WHERE article_id = ? ORDER BY idx",
                [article_id],
            ).fetchall()
        ]
        mentions = [
            Mention(span=Span(article_id=article_id, start=s, end=e), text=t, label=lab, source=src, entity_id=eid)
            for s, e, t, lab, src, eid in self.db.execute(
                "SELECT start_char, end_char, text, label, source, entity_id FROM mentions "
                "WHERE article_id = ? ORDER BY start_char",
                [article_id],
            ).fetchall()
        ]
        (aid, source, fmt, url, outlet, title, published, date_source, language, raw, clean, dropped) = row
        return Article(
            id=aid, source=source, format=fmt, url=url, outlet=outlet, title=title,
            published=published, date_source=date_source, language=language, raw_text=raw,
            clean_text=clean, dropped=[DroppedSpan(**d) for d in json.loads(dropped)],
            sentences=sentences, mentions=mentions,
        )

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY id").fetchall()]

    def count(self, table: str) -> int:
        if table not in {"articles", "sentences", "mentions", "briefings", "stories", "story_articles",
                         "story_briefings", "feed_items"}:
            raise StoreError(f"unknown table {table!r}")
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # -- briefings --------------------------------------------------------
    def save_briefing(self, briefing: Briefing) -> None:
        self.db.execute("BEGIN TRANSACTION")
        self.db.execute("DELETE FROM briefings WHERE id = ?", [briefing.id])
        self.db.execute(
            "INSERT INTO briefings VALUES (?, ?, ?, ?, ?, ?)",
            [
                briefing.id, briefing.title, briefing.created_at,
                [a.id for a in briefing.articles], briefing.schema_version,
                briefing.to_json(indent=None),
            ],
        )
        self.db.execute("COMMIT")

    def get_briefing(self, briefing_id: str) -> Briefing:
        row = self.db.execute("SELECT body FROM briefings WHERE id = ?", [briefing_id]).fetchone()
        if row is None:
            raise StoreError(f"no briefing with id {briefing_id!r} in {self.path}")
        return Briefing.from_json(row[0])

    def list_briefings(self) -> list[tuple[str, str | None, dt.datetime, int]]:
        return [
            (bid, title, created, len(ids))
            for bid, title, created, ids in self.db.execute(
                "SELECT id, title, created_at, article_ids FROM briefings ORDER BY created_at DESC"
            ).fetchall()
        ]

    # -- known ids: checked before any parsing ----------------------------
    def known_article_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these content-hash ids are stored already (one query for a batch)."""
        wanted = list(dict.fromkeys(article_ids))
        if not wanted:
            return set()
        rows = self.db.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [wanted]).fetchall()
        return {row[0] for row in rows}

    # -- stories ----------------------------------------------------------
    def unassigned_articles(self) -> list[Article]:
        """Stored articles in no story yet, in publication order (undated first), then ingest order."""
        rows = self.db.execute(
            "SELECT a.id FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id "
            "WHERE s.article_id IS NULL ORDER BY a.published NULLS FIRST, a.ingested_at, a.id"
        ).fetchall()
        return [self.get_article(row[0]) for row in rows]

    def save_story_batch(
        self,
        assignments: Iterable[tuple[str, str]],
        *,
        merges: Iterable[tuple[str, str]] = (),
        moves: Iterable[tuple[str, str]] = (),
        titles: dict[str, str | None] | None = None,
        state: str | None = None,
        state_name: str = "watch",
    ) -> set[str]:
        """One transaction: new memberships (article, story), merges (absorbed, into), split moves
        (article, new story), titles and the clusterer's state. A run killed before the commit
        leaves all of it undone and resumes from the previous state, so nothing is doubled.

        Returns the ids of the stories whose membership changed (their version went up).
        """
        now = dt.datetime.now()
        changed: set[str] = set()
        self.db.execute("BEGIN TRANSACTION")
        try:
            for article_id, story_id in assignments:
                self.db.execute("INSERT INTO story_articles VALUES (?, ?, ?)", [article_id, story_id, now])
                changed.add(story_id)
            for absorbed, into in merges:
                self.db.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", [into, absorbed])
                self.db.execute("UPDATE stories SET merged_into = ?, updated_at = ? WHERE id = ?", [into, now, absorbed])
                changed.discard(absorbed)
                changed.add(into)
            for article_id, story_id in moves:
                old = self.db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", [article_id]).fetchone()
                self.db.execute("UPDATE story_articles SET story_id = ? WHERE article_id = ?", [story_id, article_id])
                changed.add(story_id)
                if old:
                    changed.add(old[0])
            titles = titles or {}
            for story_id in sorted(changed):
                exists = self.db.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone()
                if exists:
                    self.db.execute(
                        "UPDATE stories SET version = version + 1, updated_at = ?, title = coalesce(?, title) WHERE id = ?",
                        [now, titles.get(story_id), story_id])
                else:
                    self.db.execute("INSERT INTO stories VALUES (?, ?, 1, ?, ?, NULL)",
                                    [story_id, titles.get(story_id), now, now])
            if state is not None:
                self.db.execute("DELETE FROM clusterer_state WHERE name = ?", [state_name])
                self.db.execute("INSERT INTO clusterer_state VALUES (?, ?, ?)", [state_name, state, now])
            self.db.execute("COMMIT")
        except Exception:
            self.db.execute("ROLLBACK")
            raise
        return changed

    def clusterer_state(self, name: str = "watch") -> str | None:
        row = self.db.execute("SELECT state FROM clusterer_state WHERE name = ?", [name]).fetchone()
        return row[0] if row else None

    def list_stories(self) -> list[tuple[str, str | None, int, int, dt.datetime]]:
        """(id, title, article count, version, updated) of live stories, biggest first."""
        return self.db.execute(
            "SELECT s.id, s.title, count(a.article_id) AS n, s.version, s.updated_at FROM stories s "
            "JOIN story_articles a ON a.story_id = s.id WHERE s.merged_into IS NULL "
            "GROUP BY s.id, s.title, s.version, s.updated_at ORDER BY n DESC, s.id"
        ).fetchall()

    def story_article_ids(self, story_id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id", [story_id]).fetchall()]

    def stories_needing_briefing(self) -> list[tuple[str, int]]:
        """(story, version) for live stories whose current version has no briefing yet."""
        return self.db.execute(
            "SELECT s.id, s.version FROM stories s LEFT JOIN story_briefings b "
            "ON b.story_id = s.id AND b.version = s.version "
            "WHERE s.merged_into IS NULL AND b.story_id IS NULL "
            "AND EXISTS (SELECT 1 FROM story_articles a WHERE a.story_id = s.id) ORDER BY s.id"
        ).fetchall()

    def save_story_briefing(self, story_id: str, version: int, briefing: Briefing) -> None:
        """The briefing of one story version; earlier versions' briefings stay readable."""
        self.db.execute("BEGIN TRANSACTION")
        try:
            self.db.execute("DELETE FROM briefings WHERE id = ?", [briefing.id])
            self.db.execute(
                "INSERT INTO briefings VALUES (?, ?, ?, ?, ?, ?)",
                [briefing.id, briefing.title, briefing.created_at, [a.id for a in briefing.articles],
                 briefing.schema_version, briefing.to_json(indent=None)],
            )
            self.db.execute("DELETE FROM story_briefings WHERE story_id = ? AND version = ?", [story_id, version])
            self.db.execute("INSERT INTO story_briefings VALUES (?, ?, ?, ?)",
                            [story_id, version, briefing.id, dt.datetime.now()])
            self.db.execute("COMMIT")
        except Exception:
            self.db.execute("ROLLBACK")
            raise

    def story_briefing_versions(self, story_id: str) -> list[tuple[int, str]]:
        return self.db.execute(
            "SELECT version, briefing_id FROM story_briefings WHERE story_id = ? ORDER BY version", [story_id]
        ).fetchall()

    # -- feeds --------------------------------------------------------------
    def feed_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", [url]).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_feed_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.db.execute("BEGIN TRANSACTION")
        self.db.execute("DELETE FROM feeds WHERE url = ?", [url])
        self.db.execute("INSERT INTO feeds VALUES (?, ?, ?, ?)", [url, etag, last_modified, dt.datetime.now()])
        self.db.execute("COMMIT")

    def has_feed_item(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM feed_items WHERE key = ?", [key]).fetchone() is not None

    def mark_feed_item(self, key: str, feed_url: str, article_id: str | None) -> None:
        self.db.execute("INSERT INTO feed_items VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        [key, feed_url, article_id, dt.datetime.now()])
