"""``read_inputs``: user inputs (files, folders, globs, URLs, ``-``) -> a stream of raw articles.

Everything is lazy: a folder is walked as it is read and a JSONL or WARC file
is streamed, so memory stays flat however large the corpus. A bad input never
stops the run; it becomes one ``InputFailure`` line.
"""

from __future__ import annotations

import glob
import io
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from manysides.errors import IngestError
from manysides.ingest.base import RawArticle, failure_from
from manysides.ingest.encoding import decode_bytes, looks_binary
from manysides.ingest.feed import looks_like_feed, read_feed
from manysides.ingest.fetch import FEED_TYPES, HTML_TYPES, TEXT_TYPES, Fetcher
from manysides.ingest.jsonl import read_json_document, read_jsonl
from manysides.ingest.metadata import complete_metadata
from manysides.ingest.payload import article_from_html
from manysides.ingest.text import read_text
from manysides.ingest.warc import read_warc
from manysides.model import InputFailure

STDIN = "-"
STDIN_SOURCE = "stdin"
TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
WARC_SUFFIXES = (".warc", ".warc.gz")
ARTICLE_SUFFIXES = frozenset(
    TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES | {".json", *WARC_SUFFIXES}
)
NOT_ARTICLE_STEMS = frozenset({"readme", "license", "licence", "changelog", "contributing", "source"})
GZIP_MAGIC = b"\x1f\x8b"
_GLOB_CHARS = frozenset("*?[")

Item = RawArticle | InputFailure


def read_inputs(inputs: Sequence[str | os.PathLike[str]], *, settings: Any) -> Iterator[RawArticle | InputFailure]:
    """Yield one ``RawArticle`` per article found, or an ``InputFailure`` per bad input.

    An input is a path (a ``str`` or a ``pathlib.Path``), a URL, or ``-`` for stdin.

    ``settings`` is a ``manysides.resources.Settings``: HTTP limits, the outlet
    map, the default date and the languages to detect come from it.
    """
    fetcher = Fetcher.from_settings(settings)
    try:
        for given in inputs:
            user_input = os.fspath(given)  # a Path from the Python API reads like the CLI's string
            for item in _guarded(_read_input(user_input, settings=settings, fetcher=fetcher), source=user_input):
                if isinstance(item, RawArticle):
                    try:
                        item = complete_metadata(item, settings)
                    except Exception as error:  # one article's odd URL or date must not end the run
                        item = failure_from(error, source=item.source)
                yield item
    finally:
        fetcher.close()


def _guarded(items: Iterable[Item], *, source: str) -> Iterator[Item]:
    """Turn an error escaping a reader into a failure line for that input."""
    try:
        yield from items
    except IngestError as error:
        yield InputFailure(source=error.source, reason=error.problem, code=error.code)
    except OSError as error:
        yield InputFailure(source=source, reason=f"cannot read ({error.strerror or error})")
    except Exception as error:  # a malformed input can trip any parser below; the run goes on
        yield failure_from(error, source=source)


def _read_input(user_input: str, *, settings: Any, fetcher: Fetcher) -> Iterator[Item]:
    if user_input == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
        yield from _read_bytes(data, source=STDIN_SOURCE, suffix="", settings=settings, fetcher=fetcher)
        return
    if user_input.lower().startswith(("http://", "https://")):
        yield from _read_url(user_input, fetcher=fetcher)
        return
    path = Path(user_input).expanduser()
    if path.is_dir():
        yield from _read_folder(str(path), settings=settings, fetcher=fetcher)
    elif path.is_file():
        yield from _read_file(str(path), settings=settings, fetcher=fetcher)
    elif path.exists():
        yield InputFailure(source=user_input, reason="not a regular file", code="E015")
    elif _GLOB_CHARS & set(user_input):
        matches = sorted(glob.iglob(os.path.expanduser(user_input), recursive=True))
        if not matches:
            yield InputFailure(source=user_input, reason="no files match this pattern", code="E015")
        for match in matches:
            reader = _read_folder if os.path.isdir(match) else _read_file
            yield from _guarded(reader(match, settings=settings, fetcher=fetcher), source=match)
    else:
        yield InputFailure(source=user_input, reason="no such file or folder", code="E015")


def is_article_file(path: str) -> bool:
    """In a folder walk: a file with an article suffix (or none) that is not the folder's README.

    Named files and glob matches are always read; a folder of articles often
    also holds a README, an outlet map or images, which are not articles.
    """
    name = os.path.basename(path)
    if os.path.splitext(name)[0].lower() in NOT_ARTICLE_STEMS:
        return False
    suffix = _suffix(path)
    return suffix == "" or suffix in ARTICLE_SUFFIXES


def _read_folder(folder: str, *, settings: Any, fetcher: Fetcher) -> Iterator[Item]:
    any_file = False
    for path in walk_files(folder):
        if not is_article_file(path):
            continue
        any_file = True
        yield from _guarded(_read_file(path, settings=settings, fetcher=fetcher), source=path)
    if not any_file:
        yield InputFailure(source=folder, reason="folder has no article files", code="E015")


def walk_files(folder: str) -> Iterator[str]:
    """Files under ``folder``, recursively, sorted by name, hidden files and folders skipped."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        # Symlinked folders are not followed: a link back up would loop forever.
        if entry.is_dir(follow_symlinks=False):
            yield from walk_files(entry.path)
        elif entry.is_file():
            yield entry.path


def _suffix(path: str) -> str:
    name = os.path.basename(path).lower()
    return ".warc.gz" if name.endswith(".warc.gz") else os.path.splitext(name)[1]


def _read_file(path: str, *, settings: Any, fetcher: Fetcher) -> Iterator[Item]:
    suffix = _suffix(path)
    if suffix in WARC_SUFFIXES:
        with open(path, "rb") as stream:
            yield from read_warc(stream, source=path, max_bytes=settings.http_max_bytes)
        return
    if suffix in JSONL_SUFFIXES:
        with open(path, "rb") as stream:
            head = stream.read(8192)
            if looks_binary(head):
                yield InputFailure(source=path, reason="binary file, not text", code="E012")
                return
            stream.seek(0)
            yield from read_jsonl(stream, source=path)
        return
    with open(path, "rb") as stream:
        data = stream.read()
    yield from _read_bytes(data, source=path, suffix=suffix, settings=settings, fetcher=fetcher)


def _read_bytes(data: bytes, *, source: str, suffix: str, settings: Any, fetcher: Fetcher) -> Iterator[Item]:
    """One whole input in memory (a file or stdin): pick the reader by suffix, else by content."""
    if not data.strip():
        yield InputFailure(source=source, reason="empty file" if source != STDIN_SOURCE else "empty input", code="E011")
        return
    if data.startswith(b"WARC/") or (data.startswith(GZIP_MAGIC) and not suffix):
        yield from read_warc(io.BytesIO(data), source=source, max_bytes=settings.http_max_bytes)
        return
    if data.startswith(GZIP_MAGIC):
        yield InputFailure(source=source, reason="compressed file, not text (only .warc.gz is read compressed)", code="E012")
        return
    text = decode_bytes(data, source=source)
    if suffix in TEXT_SUFFIXES:
        yield _one(lambda: read_text(text, source=source))
    elif suffix in MARKDOWN_SUFFIXES:
        yield _one(lambda: read_text(text, source=source, markdown=True))
    elif suffix in HTML_SUFFIXES:
        yield _one(lambda: article_from_html(text, source=source, url=None, format="html"))
    elif suffix == ".json":
        yield from read_json_document(text, source=source)
    elif suffix in FEED_SUFFIXES:
        yield from read_feed(text, source=source, fetch_page=_page_fetcher(fetcher))
    else:
        yield from _read_sniffed(text, source=source, fetcher=fetcher)


def _read_sniffed(text: str, *, source: str, fetcher: Fetcher) -> Iterator[Item]:
    """No telling suffix: decide from the first characters."""
    head = text.lstrip()[:2048]
    lowered = head.lower()
    if head.startswith(("{", "[")):
        yield from read_json_document(text, source=source)
    elif looks_like_feed(head):
        yield from read_feed(text, source=source, fetch_page=_page_fetcher(fetcher))
    elif head.startswith("<") and any(tag in lowered for tag in ("<html", "<body", "<p", "<div", "<article", "<!doctype")):
        yield _one(lambda: article_from_html(text, source=source, url=None, format="html"))
    else:
        yield _one(lambda: read_text(text, source=source))


def _read_url(url: str, *, fetcher: Fetcher) -> Iterator[Item]:
    try:
        page = fetcher.fetch(url, accept=HTML_TYPES | FEED_TYPES | TEXT_TYPES)
    except IngestError as error:
        yield InputFailure(source=error.source, reason=error.problem, code=error.code)
        return
    if page.content_type in FEED_TYPES or looks_like_feed(page.text):
        yield from read_feed(page.text, source=url, fetch_page=_page_fetcher(fetcher), base_url=page.final_url)
    elif page.content_type in TEXT_TYPES:
        yield _one(lambda: _with_url(read_text(page.text, source=url), page.final_url))
    else:
        yield _one(lambda: article_from_html(page.text, source=url, url=page.final_url, format="url"))


def _with_url(raw: RawArticle, url: str) -> RawArticle:
    import dataclasses

    return dataclasses.replace(raw, url=url)


def _page_fetcher(fetcher: Fetcher):
    def fetch_page(link: str) -> tuple[str, str]:
        page = fetcher.fetch(link, accept=HTML_TYPES)
        return page.text, page.final_url

    return fetch_page


def _one(make) -> Item:
    try:
        return make()
    except IngestError as error:
        return InputFailure(source=error.source, reason=error.problem, code=error.code)
