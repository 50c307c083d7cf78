"""Continuous ingest: poll RSS/Atom feeds, store new items once, assign them to stories and
refresh the briefings of the stories that changed.

Politeness: conditional GETs (ETag / Last-Modified, so an unchanged feed costs one 304), one
request per host per ``host_interval_s``, and robots.txt obeyed for feeds and pages.

Resumable: every step commits what it finished and the next cycle starts from the store.
- an item is marked seen only after its article is stored; a re-fetched item whose text is
  already stored (content-hash id, checked before cleaning or parsing) costs no parse;
- memberships, merges, splits and the clusterer's state are written in one transaction;
- a story version without a briefing gets one on the next cycle.
Killed at any moment, the next run loses nothing and doubles nothing.
"""

from __future__ import annotations

import hashlib
import io
import time
import urllib.robotparser
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from manysides.errors import IngestError, UsageError
from manysides.model import InputFailure

STORE_STATE_NAME = "watch"


@dataclass
class WatchOptions:
    every_s: float = 600.0
    cycles: int | None = None  # None: until interrupted
    host_interval_s: float = 1.0  # at most one request per host this often
    stages: Sequence[str] | None = None  # analysis stages of each refreshed briefing (None: all)
    briefings: bool = True


@dataclass
class CycleReport:
    feeds: int = 0
    unchanged_feeds: int = 0
    new_items: int = 0
    new_articles: int = 0
    known_articles: int = 0  # items whose text was stored already: skipped before any parsing
    assigned: int = 0
    changed_stories: list[str] = field(default_factory=list)
    briefings: int = 0
    failures: list[InputFailure] = field(default_factory=list)


def parse_every(text: str) -> float:
    """'10m', '90s', '1h', '45' (seconds) -> seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    value = text.strip().lower()
    try:
        if value and value[-1] in units:
            seconds = float(value[:-1]) * units[value[-1]]
        else:
            seconds = float(value)
    except ValueError:
        raise UsageError(f"--every {text!r}: use a number of seconds or 30s, 10m, 1h") from None
    if seconds < 0:
        raise UsageError(f"--every {text!r}: must not be negative")
    return seconds


def read_feed_list(path: str | Path) -> list[str]:
    """One feed URL a line; blank lines and '#' comments skipped."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the feed list ({exc.strerror or exc})", code="E005") from None
    feeds = [line.split("#", 1)[0].strip() for line in lines]
    feeds = [f for f in feeds if f]
    bad = [f for f in feeds if urlsplit(f).scheme not in ("http", "https")]
    if bad:
        raise UsageError(f"{path}: {bad[0]!r} is not an http(s) feed address", code="E005")
    if not feeds:
        raise UsageError(f"{path}: no feed addresses in the file", code="E005")
    return list(dict.fromkeys(feeds))


# --------------------------------------------------------------------------- polite HTTP


@dataclass(frozen=True)
class Response:
    status: int
    text: str
    url: str
    etag: str | None = None
    last_modified: str | None = None


class PoliteClient:
    """HTTP GETs that obey robots.txt and a per-host interval; one instance per watch run."""

    def __init__(self, *, user_agent: str, timeout: float = 20.0, max_bytes: int = 10_000_000,
                 host_interval_s: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        import httpx

        self.user_agent = user_agent
        self.max_bytes = max_bytes
        self.host_interval_s = host_interval_s
        self._clock, self._sleep = clock, sleep
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._client = httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5,
                                    headers={"User-Agent": user_agent})

    def close(self) -> None:
        self._client.close()

    def new_cycle(self) -> None:
        """Sites change their robots.txt: read it again once per cycle."""
        self._robots.clear()

    def wait_for_host(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            remaining = self.host_interval_s - (self._clock() - last)
            if remaining > 0:
                self._sleep(remaining)
        self._last_request[host] = self._clock()

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin, parts.netloc)
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(self.user_agent, url)

    def _read_robots(self, origin: str, host: str):
        import httpx

        self.wait_for_host(host)
        try:
            response = self._client.get(f"{origin}/robots.txt")
        except httpx.HTTPError:
            return None  # no robots.txt to be had: the site set no rules
        if response.status_code in (401, 403):
            rules = urllib.robotparser.RobotFileParser()
            rules.disallow_all = True
            return rules
        if response.status_code >= 400:
            return None
        rules = urllib.robotparser.RobotFileParser()
        rules.parse(response.text.splitlines())
        return rules

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET ``url``; raises ``IngestError`` (E016) when robots.txt forbids it or it fails."""
        import httpx

        if not self.allowed(url):
            raise IngestError(url, "robots.txt disallows fetching it", code="E016")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self.wait_for_host(urlsplit(url).netloc)
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Response(304, "", str(response.url), etag, last_modified)
                if response.status_code >= 400:
                    raise IngestError(url, f"HTTP {response.status_code}", code="E016")
                from manysides.ingest.encoding import decode_bytes
                from manysides.ingest.fetch import read_capped

                body = read_capped(response, url=url, max_bytes=self.max_bytes)
                text = decode_bytes(body, source=url, declared=response.charset_encoding)
                return Response(response.status_code, text, str(response.url),
                                response.headers.get("etag"), response.headers.get("last-modified"))
        except httpx.HTTPError as exc:
            raise IngestError(url, f"could not be fetched ({type(exc).__name__})", code="E016") from None

    def fetch_page(self, url: str) -> tuple[str, str]:
        response = self.get(url)
        return response.text, response.url


# --------------------------------------------------------------------------- one cycle


def _item_key(feed_url: str, entry) -> str:
    """A feed item's identity: its guid, else its link, else a hash of title and date."""
    ident = entry.get("id") or entry.get("link")
    if not ident:
        ident = hashlib.sha256(f"{entry.get('title')}|{entry.get('published')}".encode()).hexdigest()[:16]
    return f"{feed_url} {ident}"


def _feed_entries(text: str):
    import feedparser

    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")))
    return parsed.entries


def ingest_feed(feed_url: str, *, store, client: PoliteClient, settings, resources, report: CycleReport) -> None:
    """Fetch one feed (conditionally) and store each unseen item's article."""
    from manysides.api import clean_raw
    from manysides.ingest.base import content_id
    from manysides.ingest.feed import _item_link, _read_entry
    from manysides.ingest.metadata import complete_metadata
    from manysides.nlp import annotate

    etag, last_modified = store.feed_validators(feed_url)
    response = client.get(feed_url, etag=etag, last_modified=last_modified)
    report.feeds += 1
    if response.status == 304:
        report.unchanged_feeds += 1
        return
    failures_before = len(report.failures)
    for entry in _feed_entries(response.text):
        key = _item_key(feed_url, entry)
        if store.has_feed_item(key):
            continue
        report.new_items += 1
        link = _item_link(entry.get("link"), response.url)
        try:
            raw = _read_entry(entry, link=link, source=link or key, fetch_page=client.fetch_page)
            raw = complete_metadata(raw, settings)
            article_id = content_id(raw.text)
            if store.known_article_ids([article_id]):  # before cleaning or parsing: a known text costs nothing
                report.known_articles += 1
            else:
                article = next(annotate([clean_raw(raw)], nlp=resources.nlp, batch_size=1))
                store.add_article(article)
                report.new_articles += 1
            store.mark_feed_item(key, feed_url, article_id)
        except IngestError as error:
            report.failures.append(InputFailure(source=error.source, reason=error.problem))
    # Validators last, and only when every item was had: a run killed mid-feed, or an item whose page
    # failed, makes the next cycle read the whole feed again (stored items are skipped by key).
    if len(report.failures) == failures_before:
        store.save_feed_validators(feed_url, response.etag, response.last_modified)


def assign_new_articles(store, *, model=None) -> tuple[int, set[str]]:
    """Put every stored article that is in no story yet into one; one transaction."""
    from manysides.stories.features import signals_from_article
    from manysides.stories.online import Merged, Split, StoryClusterer

    articles = store.unassigned_articles()
    if not articles:
        return 0, set()
    state = store.clusterer_state(STORE_STATE_NAME)
    clusterer = StoryClusterer.from_state(state, model) if state else StoryClusterer(model)
    assignments, merges, moves = [], [], []
    for article in articles:
        assignment = clusterer.add(signals_from_article(article))
        assignments.append((article.id, story_key(assignment.story_id)))
    for event in clusterer.flush():
        if isinstance(event, Merged):
            merges.append((story_key(event.absorbed), story_key(event.into)))
        elif isinstance(event, Split):
            moves.extend((article_id, story_key(event.new_story_id)) for article_id in event.moved)
    titles = {story_key(i): clusterer.story_title(i) for i in clusterer.active}
    changed = store.save_story_batch(assignments, merges=merges, moves=moves, titles=titles,
                                     state=clusterer.to_state(), state_name=STORE_STATE_NAME)
    return len(assignments), changed


def story_key(number: int) -> str:
    return f"s{number}"


def refresh_briefings(store, *, resources, stages: Sequence[str] | None = None) -> int:
    """A briefing for every story version that has none (the changed stories, and any a killed run missed)."""
    from manysides.api import new_briefing, run_stages

    written = 0
    titles = {story_id: title for story_id, title, *_ in store.list_stories()}
    for story_id, version in store.stories_needing_briefing():
        articles = [store.get_article(a) for a in store.story_article_ids(story_id)]
        briefing = new_briefing(articles, title=titles.get(story_id))
        briefing = run_stages(briefing, resources=resources, stages=stages)
        store.save_story_briefing(story_id, version, briefing)
        written += 1
    return written


def run_cycle(feeds: Sequence[str], *, store, client: PoliteClient, settings, resources,
              options: WatchOptions) -> CycleReport:
    report = CycleReport()
    client.new_cycle()
    for feed_url in feeds:
        try:
            ingest_feed(feed_url, store=store, client=client, settings=settings, resources=resources,
                        report=report)
        except IngestError as error:  # one feed down never stops the others
            report.failures.append(InputFailure(source=error.source, reason=error.problem))
    report.assigned, changed = assign_new_articles(store)
    report.changed_stories = sorted(changed)
    if options.briefings:
        report.briefings = refresh_briefings(store, resources=resources, stages=options.stages)
    return report


def watch(feeds: Sequence[str], *, store, settings, resources=None, options: WatchOptions | None = None,
          sleep: Callable[[float], None] = time.sleep) -> Iterator[CycleReport]:
    """Run cycles every ``options.every_s`` seconds, yielding each cycle's report; bounded by ``options.cycles``."""
    from manysides.resources import Resources

    options = options or WatchOptions()
    resources = resources or Resources(settings)
    client = PoliteClient(user_agent=settings.user_agent, timeout=settings.http_timeout,
                          max_bytes=settings.http_max_bytes, host_interval_s=options.host_interval_s)
    try:
        done = 0
        while options.cycles is None or done < options.cycles:
            started = time.monotonic()
            yield run_cycle(feeds, store=store, client=client, settings=settings, resources=resources,
                            options=options)
            done += 1
            if options.cycles is not None and done >= options.cycles:
                break
            sleep(max(0.0, options.every_s - (time.monotonic() - started)))
    finally:
        client.close()


__all__ = ["WatchOptions", "CycleReport", "PoliteClient", "watch", "run_cycle", "read_feed_list", "parse_every",
           "assign_new_articles", "refresh_briefings"]
