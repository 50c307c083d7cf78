"""Report rendering: article text is untrusted and must never execute."""

import datetime as dt
import json
import re

import pytest

from manysides.errors import ReportError
from manysides.model import Article, Briefing, DroppedSpan, Mention, Span
from manysides.report import render_html, render_markdown, write
from manysides.report.markup import mark_spans

HOSTILE = 'Kupiansk <script>alert("x")</script> <img src=x onerror="alert(1)"> [link](javascript:alert(1))'


def hostile_briefing():
    raw = "Junk <b>line</b>\n" + HOSTILE
    clean = HOSTILE
    article = Article(
        id="a" * 16, source="evil.html", format="html", outlet='Evil "Outlet" <i>',
        title="<script>document.title</script>", url="javascript:alert(1)",
        published=dt.date(2022, 9, 10), raw_text=raw, clean_text=clean,
        dropped=[DroppedSpan(start=0, end=17, reason="advertisement <b>")],
        mentions=[Mention(span=Span(article_id="a" * 16, start=0, end=8), text="Kupiansk", label="GPE")],
    )
    return Briefing(id="b", title="<script>x</script>", created_at=dt.datetime(2022, 9, 10), articles=[article])


def scripts_in(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html)


def test_html_escapes_all_article_text():
    html = render_html(hostile_briefing())
    assert "<script>alert" not in html
    assert "<script>document.title" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert 'onerror="alert(1)"' not in html
    assert "href=\"javascript:" not in html  # a hostile URL never becomes a link
    # Only our own, nonce-carrying scripts may appear; the CSP forbids everything else.
    nonce = re.search(r"'nonce-([^']+)'", html).group(1)
    assert all(f'nonce="{nonce}"' in tag for tag in scripts_in(html))


def test_html_marks_mentions_and_strikes_dropped_junk():
    html = render_html(hostile_briefing())
    assert re.search(r'<mark class="ent-GPE"[^>]*>Kupiansk</mark>', html)
    assert 'class="dropped" data-reason="advertisement &lt;b&gt;"' in html
    assert "Junk &lt;b&gt;line&lt;/b&gt;" in html


def test_html_report_is_self_contained():
    html = render_html(hostile_briefing())
    assert not re.search(r'(src|href)="(https?:)?//', html), "no network resources"


def test_markdown_neutralises_markup():
    md = render_markdown(hostile_briefing())
    assert "<script>" not in md
    assert "[link](javascript" not in md
    assert "<javascript:" not in md  # a hostile URL never becomes an autolink


def test_markdown_keeps_a_real_url_intact():
    briefing = hostile_briefing()
    article = briefing.articles[0].model_copy(update={"url": "https://example.org/news/kharkiv_offensive?id=1"})
    md = render_markdown(briefing.model_copy(update={"articles": [article]}))
    assert "<https://example.org/news/kharkiv_offensive?id=1>" in md


def test_mark_spans_escapes_and_skips_overlaps():
    html = str(mark_spans("a<b> c", [(0, 4, "x", 't"'), (2, 6, "y", "z")]))
    assert html == '<mark class="x" title="t&#34;" data-start="0" data-end="4">a&lt;b&gt;</mark> c'


def test_write_picks_format_by_suffix(tmp_path):
    briefing = hostile_briefing()
    write(briefing, tmp_path / "b.json")
    assert Briefing.from_json((tmp_path / "b.json").read_text()) == briefing
    assert json.loads((tmp_path / "b.json").read_text())["schema_version"]
    with pytest.raises(ReportError, match="unknown report type"):
        write(briefing, tmp_path / "b.pdf")


def test_full_briefing_of_hostile_articles_runs_no_article_script(resources, tmp_path):
    """Every section (claims, entities, framing, timeline, summary) escapes article text."""
    from conftest import FIXTURES
    from manysides import api

    result = api.analyze([str(FIXTURES / "hostile" / "story.jsonl")], settings=resources.settings,
                         resources=resources)
    assert len(result.briefing.articles) == 2
    html = render_html(result.briefing)
    nonce = re.search(r"'nonce-([^']+)'", html).group(1)
    assert all(f'nonce="{nonce}"' in tag for tag in scripts_in(html))
    assert not re.search(r"<script>alert", html)
    assert not re.search(r"<(img|b)\b[^>]*\bon\w+=", html), "an event-handler attribute got through"
    assert "</style><script>" not in html
    assert 'href="javascript:' not in html
    md = render_markdown(result.briefing)
    assert not re.search(r"(?<!\\)<(script|img|b)\b", md), "unescaped HTML in the Markdown report"
