"""The HTML report in a real browser: headless Chromium (Debian's package) driven by playwright.

Each example story under examples/ is analysed once per session and opened at 1,400 and 390 px:
no horizontal overflow of the page, no console error, no network request, no script from
article text, and the first screen holds what sources agree on and where they disagree.
Screenshots of each width go to out/screenshots/ (CI keeps out/ as an artifact).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if p.is_dir() and not p.name.startswith("."))
SCREENSHOTS = REPO / "out" / "screenshots"
WIDTHS = {1400: 900, 390: 844}

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[test])")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} absent: install Debian's chromium (apt-get install -y chromium) to run browser tests",
                allow_module_level=True)


@pytest.fixture(scope="session")
def browser():
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield instance
        instance.close()


def _settings_for(folder: Path, resources):
    """Outlet groups from the folder's outlets.toml; the date its README passes with --date."""
    from manysides.outlet_groups import load_outlet_groups

    changes = {}
    if (folder / "outlets.toml").is_file():
        changes["outlet_groups"] = load_outlet_groups(folder / "outlets.toml")
    readme = folder / "README.md"
    if readme.is_file() and (match := re.search(r"--date (\d{4}-\d{2}-\d{2})", readme.read_text("utf-8"))):
        changes["default_date"] = dt.date.fromisoformat(match.group(1))
    return resources.settings.replace(**changes)


@pytest.fixture(scope="session")
def example_pages(resources, tmp_path_factory):
    """Each example story analysed once: name -> (briefing, path of its HTML report)."""
    from manysides import api
    from manysides.report import render_html

    out = tmp_path_factory.mktemp("reports")
    pages = {}
    for folder in EXAMPLES:
        result = api.analyze([str(folder)], settings=_settings_for(folder, resources), resources=resources)
        path = out / f"{folder.name}.html"
        path.write_text(render_html(result.briefing), encoding="utf-8")
        pages[folder.name] = (result.briefing, path)
    return pages


@pytest.fixture(scope="session")
def hostile_page(resources, tmp_path_factory):
    from manysides import api
    from manysides.report import render_html

    result = api.analyze([str(FIXTURES / "hostile" / "story.jsonl")], settings=resources.settings,
                         resources=resources)
    path = tmp_path_factory.mktemp("hostile") / "hostile.html"
    path.write_text(render_html(result.briefing), encoding="utf-8")
    return path


def _open(browser, path: Path, width: int):
    """A page at ``width`` px with every console error, page error, dialog and request recorded."""
    page = browser.new_page(viewport={"width": width, "height": WIDTHS.get(width, 900)})
    seen = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri(), wait_until="load")
    return page, seen


def _own_checks() -> str:
    sys.path.insert(0, str(REPO / "bench"))
    from report_render import _OWN_CHECKS

    return _OWN_CHECKS


def _page_width(page) -> int:
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


@pytest.mark.parametrize("width", sorted(WIDTHS, reverse=True))
@pytest.mark.parametrize("story", [p.name for p in EXAMPLES])
def test_example_report_in_the_browser(browser, example_pages, story, width):
    from manysides.model import ClaimStatus

    briefing, path = example_pages[story]
    page, seen = _open(browser, path, width)
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{story}-{width}.png"))
        assert _page_width(page) <= width, f"{story}: page {_page_width(page)} px wide at {width} px"
        assert seen["errors"] == [], f"console errors: {seen['errors']}"
        assert [u for u in seen["requests"] if not u.startswith(("file:", "data:"))] == []
        assert seen["dialogs"] == []
        # The first screen tells the story: the headline, what independent sources agree on,
        # and (at desktop width on the same screen, on a phone right after) the disagreements.
        height = WIDTHS[width]
        headline = page.locator("h1.headline")
        assert headline.is_visible() and headline.bounding_box()["y"] < height / 3
        if any(g.status is ClaimStatus.CORROBORATED for g in briefing.claim_groups):
            agreed = page.locator("#briefing .agreed li").first
            assert agreed.bounding_box()["y"] < height, "the agreed facts start below the fold"
        if any(g.conflicts for g in briefing.claim_groups):
            disputed = page.locator("#briefing .disputed li").first
            limit = height if width >= 1000 else 3 * height
            assert disputed.bounding_box()["y"] < limit, "the disagreements start too far down"
        # Reader-facing text names outlets, never article, origin, claim-group or entity ids.
        text = page.locator("body").inner_text()
        ids = [a.id for a in briefing.articles] + [o.id for o in briefing.origins]
        ids += [g.id for g in briefing.claim_groups] + [e.id for e in briefing.entities]
        assert [i for i in ids if i in text] == []
        if width == 1400:  # accessibility basics: lang, one h1, heading order, table headers, contrast
            assert page.evaluate(_own_checks())["problems"] == []
    finally:
        page.close()


def test_no_script_from_article_text_runs(browser, hostile_page):
    for width in WIDTHS:
        page, seen = _open(browser, hostile_page, width)
        try:
            assert seen["dialogs"] == [], f"article text ran a script: {seen['dialogs']}"
            assert seen["errors"] == [] or all("Content Security Policy" in e for e in seen["errors"])
            assert [u for u in seen["requests"] if not u.startswith(("file:", "data:"))] == []
            assert _page_width(page) <= width
            nonce = page.evaluate("() => document.querySelector('meta[http-equiv]').content.match(/nonce-([^']+)/)[1]")
            assert page.evaluate("(n) => [...document.scripts].every(s => s.nonce === n)", nonce)
        finally:
            page.close()


def test_matrix_filters_and_collapse_work_with_the_page_script(browser, example_pages):
    _, path = example_pages["kharkiv"] if "kharkiv" in example_pages else next(iter(example_pages.values()))
    page, seen = _open(browser, path, 1400)
    try:
        rows = page.locator("#claim-matrix tbody tr")
        total = rows.count()
        statuses = [rows.nth(i).locator("td").first.get_attribute("data-status") for i in range(total)]
        wanted = min(set(statuses), key=statuses.count)  # the rarest status present
        page.select_option("#f-status", wanted)
        shown = page.locator("#claim-matrix tbody tr:not([hidden])")
        assert shown.count() == statuses.count(wanted)
        assert all(shown.nth(i).locator("td").first.get_attribute("data-status") == wanted
                   for i in range(shown.count()))
        page.select_option("#f-status", "")
        page.fill("#f-text", "zzzz-no-such-claim")
        assert shown.count() == 0 and "0 of" in page.locator("#f-count").inner_text()
        page.fill("#f-text", "")
        assert shown.count() == total
        button = page.locator("button.gtoggle").first
        before = button.get_attribute("aria-expanded")
        button.click()
        assert button.get_attribute("aria-expanded") != before
        assert seen["errors"] == []
    finally:
        page.close()


def test_print_shows_what_sits_behind_toggles(browser, example_pages):
    _, path = next(iter(example_pages.values()))
    page, _ = _open(browser, path, 1400)
    try:
        quote = page.locator("#briefing details.cite blockquote").first
        assert not quote.is_visible()  # closed on screen
        page.emulate_media(media="print")
        assert quote.is_visible()  # open on paper
        assert not page.locator("nav.sections").is_visible()
    finally:
        page.close()


@pytest.mark.parametrize("width", sorted(WIDTHS, reverse=True))
def test_sixty_outlets_fit_the_viewport(browser, tmp_path, width):
    sys.path.insert(0, str(REPO / "bench"))
    from report_render import synthetic_briefing

    from manysides.report import render_html

    path = tmp_path / "sixty.html"
    path.write_text(render_html(synthetic_briefing(60, 500)), encoding="utf-8")
    page, seen = _open(browser, path, width)
    try:
        assert _page_width(page) <= width
        assert seen["errors"] == []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"synthetic-60-outlets-{width}.png"))
    finally:
        page.close()
