"""``watch`` against a feed server on 127.0.0.1: polite polling, ingest once, resume after a kill."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from manysides.errors import UsageError
from manysides.stories.watch import PoliteClient, parse_every, read_feed_list

PAGES = {
    "/a/1.html": ("Harbour bridge in Velmora closed after cracks found",
                  "Engineers closed the Velmora harbour bridge on Monday after inspectors found cracks in two "
                  "steel girders. Mayor Ilsa Brandt said traffic would be diverted through the tunnel while "
                  "repairs go on.\n\nThe bridge carries forty thousand cars a day, city figures show."),
    "/a/2.html": ("Striker Tomas Okafor joins Redhill United for record fee",
                  "Redhill United signed striker Tomas Okafor for a club-record fee on Tuesday. The forward "
                  "scored thirty goals last season and signed a five-year contract with the club.\n\n"
                  "Okafor said he had dreamed of playing for Redhill United since childhood."),
    "/a/3.html": ("Velmora shuts harbour bridge over girder cracks",
                  "The harbour bridge in Velmora will stay shut for weeks, Mayor Ilsa Brandt said, after cracks "
                  "were found in steel girders during a routine inspection.\n\nFerries will run extra "
                  "crossings while the Velmora bridge is repaired."),
    "/a/4.html": ("Redhill United complete record signing of Okafor",
                  "Tomas Okafor has completed his record move to Redhill United. The striker, who scored thirty "
                  "league goals last season, agreed a five-year contract.\n\nRedhill United fans greeted "
                  "Okafor at the training ground."),
    "/a/5.html": ("Cracked girders close Velmora bridge; ferries add crossings",
                  "Inspectors discovered cracked girders on the Velmora harbour bridge, and the city closed it "
                  "to all traffic. Ilsa Brandt, the mayor, promised repairs.\n\nExtra ferry crossings to the "
                  "Velmora harbour start on Wednesday."),
}
# robots.txt forbids this page: the watcher must take the item's own summary instead of fetching it
PRIVATE = ("/private/6.html", "Okafor signs five-year deal at Redhill United",
           "Redhill United paid a record fee for striker Tomas Okafor, who signed a five-year contract with "
           "Redhill United after his thirty-goal season. The club's manager said Okafor would lead the line "
           "from the first match. Supporters queued outside the stadium shop for shirts with his name, and "
           "the striker thanked his former club in a short statement.")


def page_html(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (f"<html><head><title>{title}</title><meta name='date' content='2031-03-0{len(title) % 3 + 1}'>"
            f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def feed_xml(base: str) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>Mon, 0{n} Mar 2031 09:00:00 GMT</pubDate></item>"
        for n, (path, (title, _)) in enumerate(PAGES.items(), start=1)
    )
    path, title, text = PRIVATE
    items += (f"<item><title>{title}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
              f"<description>{text}</description><pubDate>Mon, 03 Mar 2031 09:00:00 GMT</pubDate></item>")
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Test wire</title>{items}</channel></rss>"


class FeedServer:
    def __init__(self, page_delay_s: float = 0.0):
        self.requests: list[str] = []
        self.page_delay_s = page_delay_s
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                base = f"http://127.0.0.1:{server.port}"
                if self.path == "/robots.txt":
                    return self._send(200, "User-agent: *\nDisallow: /private/\n", "text/plain")
                if self.path == "/feed.xml":
                    if self.headers.get("If-None-Match") == '"v1"':
                        return self._send(304, "", "application/rss+xml")
                    return self._send(200, feed_xml(base), "application/rss+xml", etag='"v1"')
                if self.path in PAGES:
                    time.sleep(server.page_delay_s)
                    return self._send(200, page_html(*PAGES[self.path]), "text/html")
                return self._send(404, "not found", "text/plain")

            def _send(self, status, body, content_type, etag=None):
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                if status != 304:
                    self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def page_requests(self) -> int:
        return sum(1 for path in self.requests if path.startswith("/a/"))


RUNNER = textwrap.dedent("""
    import sys
    from manysides.resources import Settings
    from manysides.store import Store
    from manysides.stories.watch import WatchOptions, read_feed_list, watch

    settings = Settings(embedder="tfidf")
    options = WatchOptions(cycles=1, host_interval_s=0.0, stages=["origins"])
    with Store(sys.argv[1]) as store:
        for report in watch(read_feed_list(sys.argv[2]), store=store, settings=settings, options=options):
            print(report.new_items, report.new_articles, report.known_articles, report.unchanged_feeds,
                  report.briefings, flush=True)
            for failure in report.failures:
                print("failed:", failure.source, failure.reason, file=sys.stderr, flush=True)
""")


def run_watch(db, feeds, *, kill_when=None, timeout=240) -> str | None:
    """Run one watch cycle in a subprocess; with ``kill_when`` SIGKILL it as soon as that holds."""
    process = subprocess.Popen([sys.executable, "-c", RUNNER, str(db), str(feeds)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if kill_when is not None:
        deadline = time.monotonic() + timeout
        while process.poll() is None and not kill_when() and time.monotonic() < deadline:
            time.sleep(0.01)
        if process.poll() is None:
            process.kill()
            process.wait()
            return None
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return out


def check_store(db) -> None:
    from manysides.store import Store

    with Store(db) as store:
        assert store.count("articles") == 6
        assert store.count("feed_items") == 6
        assert store.count("story_articles") == 6  # each article in exactly one story (primary key)
        sizes = sorted(n for _, _, n, _, _ in store.list_stories())
        assert sizes == [3, 3]
        assert store.stories_needing_briefing() == []
        for story_id, *_ in store.list_stories():
            (version, briefing_id), *_ = store.story_briefing_versions(story_id)[-1:]
            briefing = store.get_briefing(briefing_id)
            assert sorted(a.id for a in briefing.articles) == store.story_article_ids(story_id)


@pytest.mark.slow
@pytest.mark.parametrize("kill_after_pages", [2, 5])
def test_watch_killed_mid_run_resumes_with_nothing_lost_or_doubled(tmp_path, kill_after_pages):
    with FeedServer(page_delay_s=0.05) as server:
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"# test feeds\nhttp://127.0.0.1:{server.port}/feed.xml\n")
        db = tmp_path / "watch.duckdb"
        assert run_watch(db, feeds, kill_when=lambda: server.page_requests() >= kill_after_pages) is None
        out = run_watch(db, feeds)
        check_store(db)
        # a second poll: the feed answers 304 to the stored ETag and nothing is fetched or parsed again
        pages_before = server.page_requests()
        again = run_watch(db, feeds).split()
        assert again == ["0", "0", "0", "1", "0"]
        assert server.page_requests() == pages_before
        assert "/private/6.html" not in server.requests  # robots.txt obeyed
        assert out is not None


@pytest.mark.slow
def test_forgotten_feed_state_refetches_but_parses_nothing_twice(tmp_path):
    from manysides.store import Store

    with FeedServer() as server:
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"http://127.0.0.1:{server.port}/feed.xml\n")
        db = tmp_path / "watch.duckdb"
        run_watch(db, feeds)
        with Store(db) as store:  # as if the feed bookkeeping were lost: only content hashes remain
            store.db.execute("DELETE FROM feed_items")
            store.db.execute("DELETE FROM feeds")
        new_items, new_articles, known, unchanged, briefings = run_watch(db, feeds).split()
        assert (new_items, new_articles, known, briefings) == ("6", "0", "6", "0")
        check_store(db)


def test_feed_list_and_interval_errors_are_one_line(tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("# nothing\n\nftp://example.org/feed\n")
    with pytest.raises(UsageError, match="not an http"):
        read_feed_list(feeds)
    with pytest.raises(UsageError, match="cannot read"):
        read_feed_list(tmp_path / "missing.txt")
    assert parse_every("10m") == 600 and parse_every("90s") == 90 and parse_every("1h") == 3600
    with pytest.raises(UsageError):
        parse_every("often")


def test_requests_to_one_host_are_spaced():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    client = PoliteClient(user_agent="t", host_interval_s=2.0, clock=lambda: now[0], sleep=sleep)
    try:
        client.wait_for_host("a.example")
        client.wait_for_host("b.example")  # another host: no wait
        now[0] += 0.5
        client.wait_for_host("a.example")
    finally:
        client.close()
    assert waits == [pytest.approx(1.5)]


@pytest.mark.slow
def test_watch_command_polls_once_and_reports(tmp_path):
    from typer.testing import CliRunner

    from manysides.cli import app
    from manysides.store import Store

    with FeedServer() as server:
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"http://127.0.0.1:{server.port}/feed.xml\n")
        db = tmp_path / "watch.duckdb"
        result = CliRunner().invoke(app, ["watch", str(feeds), "--every", "0s", "--cycles", "1", "--db", str(db),
                                          "--stages", "origins"])
        assert result.exit_code == 0, result.output
        assert "6 new articles" in result.output and "2 stories changed" in result.output
    with Store(db) as store:
        assert store.count("articles") == 6
    bad = CliRunner().invoke(app, ["watch", str(feeds), "--every", "often", "--db", str(db)])
    assert bad.exit_code == 2 and "often" in bad.output
