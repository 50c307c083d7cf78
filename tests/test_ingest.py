"""Ingestion: every input kind becomes RawArticles or one-line failures, never an exception."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from manysides.errors import IngestError
from manysides.ingest import RawArticle, load_outlet_map, read_inputs
from manysides.ingest.encoding import decode_bytes
from manysides.ingest.fetch import Fetcher
from manysides.ingest.metadata import (
    date_from_url,
    detect_language,
    outlet_from_map,
    parse_date,
    resolve_outlet,
)
from manysides.ingest.text import first_line_title, looks_like_headline
from manysides.model import InputFailure
from manysides.resources import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"

ENGLISH_BODY = (
    "The regional rail operator said on Thursday that trains between Lindmouth and the capital would run "
    "every half hour from next month, doubling the current service.\n\n"
    "The company blamed a shortage of drivers for the delay in introducing the new timetable, which had "
    "been promised for last year. Passenger groups welcomed the announcement but said fares were still too high.\n"
)
RUSSIAN_TEXT = (
    "Паромное сообщение восстановлено\n\n"
    "Паромы между двумя берегами залива снова ходят по обычному расписанию, сообщили в понедельник "
    "представители компании-перевозчика. Во время закрытия моста число пассажиров выросло вдвое.\n"
)
FRENCH_TEXT = (
    "Le pont du port rouvre après les réparations\n\n"
    "Le pont a été rouvert à la circulation samedi, cinq semaines après la tempête. L'ingénieure de la ville "
    "a déclaré que les réparations avaient coûté moins cher que prévu, à la grande satisfaction du maire.\n"
)


def fast_settings(**overrides) -> Settings:
    # Instant backoff keeps the retry tests fast.
    return Settings(http_timeout=3.0, http_retries=2, http_backoff_s=0.01, http_max_retry_after_s=0.05,
                    **overrides)


def read_all(inputs, settings=None) -> list[RawArticle | InputFailure]:
    return list(read_inputs(inputs, settings=settings or fast_settings()))


def articles(items) -> list[RawArticle]:
    return [item for item in items if isinstance(item, RawArticle)]


def failures(items) -> list[InputFailure]:
    return [item for item in items if isinstance(item, InputFailure)]


def page_html(title: str, body: str, *, site: str | None = None, date: str | None = None) -> str:
    meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    if date:
        meta += f'<meta property="article:published_time" content="{date}">'
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


# ------------------------------------------------------------------ plain files


def test_text_file_title_and_dateline():
    (raw,) = read_all([str(FIXTURES / "bridge.txt")])
    assert raw.format == "text"
    assert raw.title == "Harbour Bridge Reopens After Storm Repairs"
    assert raw.text.startswith("Harbour Bridge Reopens")  # the title line stays in the text
    assert raw.published == dt.date(2023, 3, 12) and raw.date_source == "text"
    assert raw.outlet is None and raw.url is None  # the pipeline falls back to the file stem
    assert raw.language == "en"


def test_markdown_file_loses_markup():
    (raw,) = read_all([str(FIXTURES / "ferry.md")])
    assert raw.format == "markdown"
    assert raw.title == "Ferry Service Returns to Normal Timetable"
    assert "Harbour Bridge was closed" in raw.text
    for markup in ("#", "**", "](", "![", "> "):
        assert markup not in raw.text


def test_html_file_uses_page_metadata():
    (raw,) = read_all([str(FIXTURES / "council.html")])
    assert raw.format == "html"
    assert "flood barrier" in raw.text and "All rights reserved" not in raw.text
    assert raw.outlet == "Lindmouth Gazette"
    assert raw.published == dt.date(2023, 3, 14) and raw.date_source == "html-meta"
    assert raw.html is not None


def test_json_object_with_source_object_and_rfc_date():
    (raw,) = read_all([str(FIXTURES / "market.json")])
    assert raw.format == "json"
    assert raw.title == "Fish Market Prices Rise After Storm"
    assert raw.outlet == "Coast News"
    assert raw.published == dt.date(2023, 3, 14) and raw.date_source == "json"


def test_json_list_with_html_item(tmp_path):
    html = page_html("Storm Drains Cleared", ENGLISH_BODY, site="Lindmouth Gazette")
    path = tmp_path / "batch.json"
    path.write_text(
        '[{"title": "Rail Service Doubles", "text": %s, "url": "https://rail.example/news/2023/03/20/service"},'
        ' {"html": %s, "url": "https://gazette.example/drains"}, {"title": "no body"}]'
        % (_json(ENGLISH_BODY), _json(html)),
        encoding="utf-8",
    )
    items = read_all([str(path)])
    first, second = articles(items)
    assert first.source == f"{path}#1" and first.published == dt.date(2023, 3, 20) and first.date_source == "url"
    assert first.outlet == "rail.example"
    assert second.outlet == "Lindmouth Gazette" and "half hour" in second.text
    (failure,) = failures(items)
    assert failure.source == f"{path}#3" and "no text or html" in failure.reason


def test_jsonl_malformed_line_fails_alone():
    items = read_all([str(FIXTURES / "articles.jsonl")])
    assert [type(item).__name__ for item in items] == ["RawArticle", "InputFailure", "RawArticle"]
    assert items[1].source.endswith("articles.jsonl:2") and "malformed JSON" in items[1].reason
    assert items[0].outlet == "Coast News"
    assert items[0].published == dt.date(2023, 3, 15) and items[0].date_source == "url"
    assert items[2].published == dt.date(2023, 3, 16) and items[2].date_source == "json"
    assert items[2].outlet == "news.lindmouth.example"


def test_malformed_json_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"title": "x", "text": ', encoding="utf-8")
    (failure,) = read_all([str(path)])
    assert isinstance(failure, InputFailure) and "malformed JSON" in failure.reason


def test_local_feed_file_uses_item_content():
    items = read_all([str(FIXTURES / "harbour.rss")])
    first, second = articles(items)
    assert first.format == "feed" and first.title == "Lighthouse Lamp Replaced"
    assert first.text.startswith("The lamp of the old lighthouse") and "<p>" not in first.text
    assert first.published == dt.date(2023, 3, 17) and first.date_source == "feed"
    assert second.title == "Quay Lights Back On"
    assert first.outlet == "Lindmouth Harbour Updates"  # items without links: the feed's name


# ------------------------------------------------------------------ encodings and bad files


def test_cp1251_russian_and_latin1_french(tmp_path):
    (tmp_path / "ru.txt").write_bytes(RUSSIAN_TEXT.encode("cp1251"))
    (tmp_path / "fr.txt").write_bytes(FRENCH_TEXT.encode("latin-1"))
    french, russian = read_all([str(tmp_path)])
    assert "Паромы между двумя берегами" in russian.text and russian.language == "ru"
    assert russian.title == "Паромное сообщение восстановлено"
    assert "a été rouvert" in french.text and "déclaré" in french.text and french.language == "fr"


def test_boms_are_dropped():
    assert decode_bytes(b"\xef\xbb\xbfHello", source="x") == "Hello"
    assert decode_bytes("Grüße".encode("utf-16"), source="x") == "Grüße"


def test_binary_empty_and_missing_inputs(tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><head><title>T</title></head><body> </body></html>", encoding="utf-8")
    items = read_all([str(tmp_path / "photo.png"), str(tmp_path / "empty.txt"), str(tmp_path / "empty.html"),
                      str(tmp_path / "nothing-here.txt"), str(tmp_path / "*.docx")])
    reasons = [item.reason for item in items]
    assert all(isinstance(item, InputFailure) for item in items)
    assert reasons[0] == "binary file, not text"
    assert reasons[1] == "empty file"
    assert "no article text" in reasons[2]
    assert reasons[3] == "no such file or folder"
    assert reasons[4] == "no files match this pattern"


@pytest.mark.skipif(sys.platform == "win32" or getattr(__import__("os"), "geteuid", lambda: 0)() == 0,
                    reason="root can read any file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(ENGLISH_BODY, encoding="utf-8")
    path.chmod(0)
    (failure,) = read_all([str(path)])
    assert "cannot read" in failure.reason


def test_dangling_symlink_in_folder_is_skipped(tmp_path):
    # A dangling symlink inside a folder: listed, but not a readable file.
    (tmp_path / "good.txt").write_text("Good Headline\n\n" + ENGLISH_BODY, encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    items = read_all([str(tmp_path)])
    assert [raw.source for raw in articles(items)] == [str(tmp_path / "good.txt")]


# ------------------------------------------------------------------ folders, globs, stdin


def test_folder_is_recursive_sorted_and_skips_hidden_and_non_articles(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ("b/deep/z.txt", "b/a.txt", "c.txt", "a.md", ".hidden.txt", ".git/x.txt", "README.md", "map.toml"):
        (tmp_path / rel).write_text(f"Story {rel}\n\n{ENGLISH_BODY}", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\x00\x00")
    sources = [raw.source for raw in read_all([str(tmp_path)])]
    assert sources == [str(tmp_path / rel) for rel in ("a.md", "b/a.txt", "b/deep/z.txt", "c.txt")]
    # Named explicitly, a non-article file is still read (and fails clearly if it is binary).
    (failure,) = read_all([str(tmp_path / "photo.png")])
    assert failure.reason == "binary file, not text"


def test_folder_is_read_lazily(tmp_path):
    for index in range(3):
        (tmp_path / f"{index}.txt").write_text(ENGLISH_BODY, encoding="utf-8")
    stream = read_inputs([str(tmp_path)], settings=fast_settings())
    first = next(stream)
    (tmp_path / "2.txt").unlink()  # deleted after the walk began: still listed, now unreadable
    rest = list(stream)
    assert first.source.endswith("0.txt")
    assert isinstance(rest[-1], InputFailure) and rest[-1].source.endswith("2.txt")


def test_glob_recursive(tmp_path):
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "y" / "one.txt").write_text(ENGLISH_BODY, encoding="utf-8")
    (tmp_path / "two.txt").write_text(ENGLISH_BODY, encoding="utf-8")
    (tmp_path / "three.md").write_text(ENGLISH_BODY, encoding="utf-8")
    sources = [raw.source for raw in read_all([str(tmp_path / "**" / "*.txt")])]
    assert sources == [str(tmp_path / "two.txt"), str(tmp_path / "x" / "y" / "one.txt")]


@pytest.mark.parametrize(
    ("payload", "expected_format"),
    [
        (ENGLISH_BODY.encode(), "text"),
        (b'{"title": "Rail", "text": "Trains will run every half hour from next month, the operator said."}', "json"),
        (page_html("Storm Drains Cleared", ENGLISH_BODY).encode(), "html"),
    ],
)
def test_stdin_sniffs_format(monkeypatch, payload, expected_format):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    (raw,) = read_all(["-"])
    assert raw.format == expected_format and raw.source == "stdin"
    assert "half hour" in raw.text


def test_stdin_jsonl_and_empty(monkeypatch):
    payload = b'{"text": "First story about the rail timetable."}\n{"text": "Second story about fares."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    assert [raw.source for raw in read_all(["-"])] == ["stdin:1", "stdin:2"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    (failure,) = read_all(["-"])
    assert failure.reason == "empty input"


def test_stdin_sniffs_feed_and_warc(monkeypatch, tmp_path):
    feed = (FIXTURES / "harbour.rss").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(feed)))
    assert [raw.title for raw in read_all(["-"])] == ["Lighthouse Lamp Replaced", "Quay Lights Back On"]
    _warc(tmp_path / "c.warc.gz", [("https://rail.example/a", "text/html",
                                     page_html("Rail", ENGLISH_BODY).encode())], gzipped=True)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((tmp_path / "c.warc.gz").read_bytes())))
    (raw,) = read_all(["-"])
    assert raw.format == "warc" and raw.url == "https://rail.example/a"


def test_special_file_is_refused():
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    (failure,) = read_all(["/dev/null"])
    assert failure.reason == "not a regular file"


# ------------------------------------------------------------------ metadata


def test_outlet_order_and_map(tmp_path):
    outlet_map = {"lindmouth.example": "Lindmouth Gazette"}
    assert resolve_outlet("Coast News", "https://news.lindmouth.example/a", outlet_map) == "Coast News"
    assert resolve_outlet(None, "https://news.lindmouth.example/a", outlet_map) == "Lindmouth Gazette"
    assert resolve_outlet(None, "https://notlindmouth.example/a", outlet_map) == "notlindmouth.example"
    assert resolve_outlet(None, "https://www.coastnews.example/a", {}) == "coastnews.example"
    assert resolve_outlet(None, None, outlet_map) is None
    assert outlet_from_map("a.b.example", {"example": "X", "b.example": "Y"}) == "Y"  # most specific wins


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("map.json", '{"lindmouth.example": "Lindmouth Gazette"}'),
        ("map.toml", '[outlets]\n"lindmouth.example" = "Lindmouth Gazette"\n'),
        ("map.txt", "# outlets\nlindmouth.example = Lindmouth Gazette\n"),
    ],
)
def test_load_outlet_map_formats(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert load_outlet_map(path) == {"lindmouth.example": "Lindmouth Gazette"}


def test_load_outlet_map_rejects_garbage(tmp_path):
    path = tmp_path / "map.txt"
    path.write_text("this line has no equals sign\n", encoding="utf-8")
    with pytest.raises(IngestError):
        load_outlet_map(path)


def test_outlet_map_and_default_date_applied(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text('{"text": %s, "url": "https://news.lindmouth.example/rail"}\n' % _json(ENGLISH_BODY))
    settings = fast_settings(outlet_map={"lindmouth.example": "Lindmouth Gazette"}, default_date=dt.date(2023, 3, 1))
    (raw,) = read_all([str(path)], settings)
    assert raw.outlet == "Lindmouth Gazette"
    assert raw.published == dt.date(2023, 3, 1) and raw.date_source == "cli"


def test_no_date_means_none_not_today(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text(ENGLISH_BODY, encoding="utf-8")
    (raw,) = read_all([str(path)])
    assert raw.published is None and raw.date_source is None


def test_date_parsing():
    assert date_from_url("https://x.example/2022/09/10/kharkiv") == dt.date(2022, 9, 10)
    assert date_from_url("https://x.example/news/20220910/story") == dt.date(2022, 9, 10)
    assert date_from_url("https://x.example/2022/13/40/bad") is None
    assert date_from_url("https://x.example/items/123456") is None
    assert parse_date("2022-09-10T08:00:00Z") == dt.date(2022, 9, 10)
    assert parse_date("September 10, 2022") == dt.date(2022, 9, 10)
    assert parse_date("10.09.2022") == dt.date(2022, 9, 10)
    assert parse_date("03/04/2023") is None  # day/month order would be a guess
    assert parse_date("not a date") is None


def test_headline_heuristic():
    assert looks_like_headline("Ukraine Says Troops Entered Kupiansk")
    assert not looks_like_headline("Troops entered the town on Saturday, officials said.")
    assert not looks_like_headline("by staff reporter")
    assert first_line_title("Only One Line") is None


def test_language_detection_unsure_is_none():
    languages = ("en", "ru", "uk", "de", "fr", "es")
    assert detect_language(ENGLISH_BODY, languages) == "en"
    assert detect_language("2023 — 14:30 — 1,800", languages) is None


# ------------------------------------------------------------------ HTTP (local server)


class _Site:
    """Routes for the local test server; counts hits so retries can be checked."""

    def __init__(self):
        self.hits: dict[str, int] = {}
        self.base = ""

    def pages(self) -> dict:
        return {
            "/news/2023/03/20/rail.html": (200, "text/html; charset=utf-8", page_html(
                "Rail Service Doubles", ENGLISH_BODY, site="Rail Weekly").encode()),
            "/story-two": (200, "text/html", page_html("Fares Stay High", ENGLISH_BODY.replace(
                "Thursday", "Friday")).encode()),
            "/cp1251": (200, "text/html; charset=windows-1251", page_html(
                "Паром", RUSSIAN_TEXT).encode("cp1251")),
            "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
            "/big": (200, "text/html", page_html("Big", ENGLISH_BODY * 400).encode()),
            "/feed.xml": (200, "application/rss+xml", self.feed().encode()),
        }

    def feed(self) -> str:
        items = [
            ("Rail Service Doubles", f"{self.base}/news/2023/03/20/rail.html", "Short teaser."),
            ("Fares Stay High", "/story-two", "Teaser two."),  # relative link, resolved on the feed URL
            ("Gone Story", f"{self.base}/missing", "<p>The page is gone but this summary survives.</p>"),
            ("Gone Without Summary", f"{self.base}/missing-too", ""),
        ]
        body = "".join(
            f"<item><title>{t}</title><link>{link}</link><description><![CDATA[{d}]]></description>"
            f"<pubDate>Mon, 20 Mar 2023 08:00:00 GMT</pubDate></item>"
            for t, link, d in items
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Rail</title>{body}</channel></rss>'


@pytest.fixture(scope="module")
def site():
    state = _Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output clean
            pass

        def do_GET(self):
            path = self.path
            state.hits[path] = state.hits.get(path, 0) + 1
            if path == "/redirect":
                return self._send(302, "text/html", b"", location="/news/2023/03/20/rail.html")
            if path == "/loop":
                return self._send(302, "text/html", b"", location="/loop")
            if path == "/flaky":
                if state.hits[path] == 1:
                    return self._send(503, "text/plain", b"busy", retry_after="0")
                return self._send(200, "text/html", page_html("Recovered Story", ENGLISH_BODY).encode())
            if path == "/always-busy":
                return self._send(503, "text/plain", b"busy", retry_after="3600")
            status, content_type, body = state.pages().get(path, (404, "text/html", b"not found"))
            self._send(status, content_type, body)

        def _send(self, status, content_type, body, *, location=None, retry_after=None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if location:
                self.send_header("Location", location)
            if retry_after:
                self.send_header("Retry-After", retry_after)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def test_url_page(site):
    (raw,) = read_all([f"{site.base}/news/2023/03/20/rail.html"])
    assert raw.format == "url" and "half hour" in raw.text
    assert raw.outlet == "Rail Weekly"
    # The page declares no date: it comes from the URL path (htmldate also reads URLs).
    assert raw.published == dt.date(2023, 3, 20) and raw.date_source in ("url", "html-meta")


def test_url_redirect_keeps_final_url(site):
    (raw,) = read_all([f"{site.base}/redirect"])
    assert raw.source == f"{site.base}/redirect"
    assert raw.url == f"{site.base}/news/2023/03/20/rail.html"
    (failure,) = read_all([f"{site.base}/loop"])
    assert "redirects" in failure.reason


def test_url_retries_503_then_succeeds(site):
    (raw,) = read_all([f"{site.base}/flaky"])
    assert isinstance(raw, RawArticle) and "half hour" in raw.text
    assert site.hits["/flaky"] == 2


def test_url_gives_up_after_bounded_retries_and_caps_retry_after(site):
    slept: list[float] = []
    fetcher = Fetcher(retries=2, backoff_s=0.01, max_retry_after_s=0.05, sleep=slept.append)
    with pytest.raises(IngestError, match="HTTP 503"):
        fetcher.fetch(f"{site.base}/always-busy")
    assert slept == [0.05, 0.05]  # Retry-After: 3600 capped
    assert site.hits["/always-busy"] == 3


def test_url_failures_are_clear(site):
    settings = fast_settings(http_max_bytes=20_000)
    items = read_all([f"{site.base}/missing", f"{site.base}/image.png", f"{site.base}/big"], settings)
    reasons = [item.reason for item in items]
    assert reasons[0] == "HTTP 404"
    assert "content type image/png" in reasons[1]
    assert "20,000-byte limit" in reasons[2]


def test_url_declared_charset(site):
    (raw,) = read_all([f"{site.base}/cp1251"])
    assert "Паромы между двумя берегами" in raw.text and raw.language == "ru"


def test_dead_url_fails_after_retries():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (failure,) = read_all([f"http://127.0.0.1:{port}/story"])
    assert isinstance(failure, InputFailure) and failure.reason == "could not connect"


def test_feed_url_fetches_item_pages_and_falls_back_to_summary(site):
    items = read_all([f"{site.base}/feed.xml"])
    rail, fares, gone, gone_too = items
    assert rail.format == "feed" and "half hour" in rail.text and rail.outlet == "Rail Weekly"
    assert "Short teaser" not in rail.text  # the page won over the teaser
    assert fares.url == f"{site.base}/story-two" and "Friday" in fares.text
    assert gone.text == "The page is gone but this summary survives."
    assert gone.published == dt.date(2023, 3, 20) and gone.date_source == "feed"
    assert isinstance(gone_too, InputFailure) and "HTTP 404" in gone_too.reason


# ------------------------------------------------------------------ WARC


def _warc(path: Path, records: list[tuple[str, str, bytes]], *, gzipped: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        for uri, content_type, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_html_responses(tmp_path, gzipped):
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    _warc(
        path,
        [
            ("https://www.rail.example/2023/03/20/rail", "text/html; charset=utf-8",
             page_html("Rail Service Doubles", ENGLISH_BODY).encode()),
            ("https://www.rail.example/logo.png", "image/png", b"\x89PNG" + bytes(32)),
            ("https://www.rail.example/empty", "text/html", b"<html><body></body></html>"),
        ],
        gzipped=gzipped,
    )
    raw, failure = read_all([str(path)])
    assert raw.format == "warc" and raw.url == "https://www.rail.example/2023/03/20/rail"
    assert raw.source == f"{path}#https://www.rail.example/2023/03/20/rail"
    assert raw.outlet == "rail.example" and raw.published == dt.date(2023, 3, 20)
    assert isinstance(failure, InputFailure) and failure.source.endswith("#https://www.rail.example/empty")


def test_warc_garbage(tmp_path):
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(gzip.compress(b"this is not a warc file at all\n" * 10))
    items = read_all([str(path)])
    assert len(items) == 1 and isinstance(items[0], InputFailure)


def _json(value: str) -> str:
    import json

    return json.dumps(value)


def test_a_malformed_url_in_one_record_does_not_stop_the_file(tmp_path):
    import json

    good = {"title": "Bridge reopens", "text": ENGLISH_BODY, "url": "https://example.org/2023/05/02/bridge"}
    bad = {"title": "Broken link", "text": ENGLISH_BODY.replace("rail", "bus"), "url": "http://[x"}
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(item) for item in (bad, good)) + "\n", encoding="utf-8")
    items = read_all([str(path)])
    assert failures(items) == []
    broken, bridge = articles(items)
    assert broken.title == "Broken link" and broken.published is None  # no domain, no date from it
    assert bridge.published == dt.date(2023, 5, 2) and bridge.outlet == "example.org"


def test_a_feed_item_with_a_malformed_link_does_not_stop_the_feed(tmp_path):
    item = "<item><title>{t}</title><link>{link}</link><description>{d}</description></item>"
    body = ENGLISH_BODY.replace("\n", " ")
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Harbour feed</title>"
            + item.format(t="First", link="http://[x", d=body)
            + item.format(t="Second", link="", d=body.replace("rail", "ferry"))
            + "</channel></rss>")
    path = tmp_path / "feed.rss"
    path.write_text(feed, encoding="utf-8")
    titles = [a.title for a in articles(read_all([str(path)]))]
    assert titles == ["First", "Second"]
