"""Deterministic loader for the annotated real stories (issue 10).

The repo holds no article text: ``stories.json`` names each story's articles by
data set and reference, and this module rebuilds the text from ``../shared/data``
(or ``$MANYSIDES_SHARED_DATA``) the same way every time. Every annotation offset
is a character offset into ``StoryArticle.text`` as defined here, so changing
either definition below invalidates every annotation (the span hashes catch it).

``text`` per data set (the title is never part of it; it travels as ``title``):

- BASIL: ``body-paragraphs`` is a list of paragraphs, each a list of sentences.
  Each sentence is stripped, empty sentences and paragraphs are skipped, the
  sentences of a paragraph are joined by one space, paragraphs by ``"\\n\\n"``.
  The article of an outlet is the one whose ``source`` field (case-insensitive)
  is that outlet's key (fox / nyt / hpo); the ``_1/_2/_3`` suffix is not the outlet.
- NeuS/AllSides: line ``N`` (0-based) of ``<split>.source`` holds three
  articles separated by ``" [SEP] "``, each ``TITLE=> <title>. ARTICLE=> <body>``.
  Article key ``a``/``b``/``c`` is position 0/1/2 on the line; ``text`` is the
  body after ``ARTICLE=> `` stripped, ``title`` the part before ``. ARTICLE=> ``.
  The line gives no outlet names or dates.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORIES_FILE = HERE / "stories.json"
ANNOTATIONS_DIR = HERE / "annotations"
REPO_ROOT = HERE.parent.parent

# Reserved for outside evaluation (see the SOURCE.md files): never in this set.
RESERVED_BASIL = frozenset({
    "2010/85475456-f38e-4c30-895d-ca2c819c6af1",
    "2016/1b96a5db-8974-46d3-82d7-5dfef02f650e",
    "2017/d16050b3-979f-4834-90db-b8823691b87e",
    "2018/eb17fa36-89f2-4d0b-8133-7bb4682228e1",
    "2019/3ae35b16-7f7f-4a5e-9f24-5ce724106a73",
})
RESERVED_NEUS = frozenset({"test:3", "test:9", "test:239"})

NEUS_SEPARATOR = " [SEP] "
NEUS_KEYS = ("a", "b", "c")


@dataclass(frozen=True)
class StoryArticle:
    key: str
    outlet: str
    title: str
    text: str
    date: str | None = None


def data_root() -> Path:
    env = os.environ.get("MANYSIDES_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def data_available() -> bool:
    root = data_root()
    return (root / "basil" / "articles").is_dir() and (root / "neus_allsides").is_dir()


def span_hash(text: str) -> str:
    """The short hash stored beside each offset pair to catch drift in the data or the loader."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


@lru_cache(maxsize=1)
def stories() -> tuple[dict, ...]:
    return tuple(json.loads(STORIES_FILE.read_text(encoding="utf-8"))["stories"])


def story(story_id: str) -> dict:
    for entry in stories():
        if entry["id"] == story_id:
            return entry
    raise KeyError(f"no story {story_id!r} in {STORIES_FILE}")


def story_ids(split: str | None = None) -> list[str]:
    return [s["id"] for s in stories() if split is None or s["split"] == split]


def basil_text(paragraphs: list[list[str]]) -> str:
    joined = (" ".join(s.strip() for s in paragraph if s.strip()) for paragraph in paragraphs)
    return "\n\n".join(p for p in joined if p)


def _load_basil(ref: str, articles: list[dict]) -> list[StoryArticle]:
    year, triplet = ref.split("/")
    by_source: dict[str, dict] = {}
    for path in sorted((data_root() / "basil" / "articles" / year).glob(f"{triplet}_*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        by_source[item["source"].lower()] = item
    loaded = []
    for entry in articles:
        item = by_source[entry["key"]]
        loaded.append(StoryArticle(key=entry["key"], outlet=entry["outlet"], title=item["title"].strip(),
                                   text=basil_text(item["body-paragraphs"]), date=item.get("date")))
    return loaded


@lru_cache(maxsize=4)
def _neus_lines(split: str) -> tuple[str, ...]:
    path = data_root() / "neus_allsides" / f"{split}.source"
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def neus_article(raw: str) -> tuple[str, str]:
    """(title, text) of one ``TITLE=> ... ARTICLE=> ...`` piece."""
    head, _, body = raw.partition("ARTICLE=>")
    title = head.replace("TITLE=>", "", 1).strip()
    if title.endswith("."):
        title = title[:-1].rstrip()
    return title, body.strip()


def _load_neus(ref: str, articles: list[dict]) -> list[StoryArticle]:
    split, line = ref.split(":")
    pieces = _neus_lines(split)[int(line)].split(NEUS_SEPARATOR)
    loaded = []
    for entry in articles:
        title, text = neus_article(pieces[NEUS_KEYS.index(entry["key"])])
        loaded.append(StoryArticle(key=entry["key"], outlet=entry["outlet"], title=title, text=text))
    return loaded


def load_story(story_id: str) -> list[StoryArticle]:
    entry = story(story_id)
    if entry["dataset"] == "basil":
        return _load_basil(entry["ref"], entry["articles"])
    if entry["dataset"] == "neus_allsides":
        return _load_neus(entry["ref"], entry["articles"])
    raise ValueError(f"unknown dataset {entry['dataset']!r} for story {story_id}")


def load_annotation(story_id: str) -> dict:
    return json.loads((ANNOTATIONS_DIR / f"{story_id}.json").read_text(encoding="utf-8"))


def annotated_story_ids(split: str | None = None) -> list[str]:
    return [sid for sid in story_ids(split) if (ANNOTATIONS_DIR / f"{sid}.json").exists()]
