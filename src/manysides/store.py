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
from collections.abc import Iterable, Iterator
from pathlib import Path

from manysides.errors import StoreError
from manysides.model import Article, Briefing, DroppedSpan, Mention, Sentence

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

    def add_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, bool]]:
        for article in articles:
            yield article, self.add_article(article)

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
            Sentence(article_id=article_id, index=i, start=s, end=e)
            for i, s, e in self.db.execute(
                "SELECT idx, start_char, end_char FROM sentences WHERE article_id = ? ORDER BY idx",
                [article_id],
            ).fetchall()
        ]
        mentions = [
            Mention(article_id=article_id, start=s, end=e, text=t, label=lab, source=src, entity_id=eid)
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
        if table not in {"articles", "sentences", "mentions", "briefings"}:
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
