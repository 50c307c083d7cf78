"""Report rendering at newsroom scale: a generated 60-outlet, 500-claim briefing.

Measures the HTML writer (bytes, render seconds) and the page in headless Chromium
(time to first contentful paint, page width at 1,400 and 390 px, DOM size), beside
the report as it was before issue 13 (figures measured on the same synthetic
briefing with the writer of 2026-11-30 08:15 UTC, kept in ``BEFORE``: that writer
read fields the typed model no longer has, so it cannot run again).

Accessibility: axe-core when ``npm pack axe-core`` works (the tarball is fetched into
a temporary folder, its ``axe.min.js`` injected into the page, never committed);
otherwise, and always in addition, a small set of own checks (lang attribute, heading
order, table headers, alt text / names of images, contrast of text in the stylesheet).

Floors (``bench/floors/report_render.json``, named after this script as bench/gate.py
expects) are ratios and counts, never absolute seconds: the new report's bytes, first
paint and page height as fractions of the old, no page overflow, no own-check failure.

    python bench/report_render.py [--fast] [--json FILE] [--screenshots DIR]
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import parser, print_table, write_json  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")

# The report before issue 13, on synthetic_briefing(60, 500) (seed 13), measured with this
# script's browser code at 1,400 px: one column per outlet and no scroll container.
BEFORE = {
    "html_bytes": 957_389,
    "first_paint_ms": 760,
    "page_width_1400": 8_294,
    "page_width_390": 8_194,
    "page_height_1400": 84_264,
}

# The same page before issue 13, accessibility: own checks flagged two colour pairs (203 texts
# under 4.5:1, the status pills); axe-core 4.14.1 found color-contrast (serious) on 302 nodes.
BEFORE_A11Y = {"own_check_failures": 2, "low_contrast_texts": 203, "axe_serious": "1 rule, 302 nodes"}


# ---------------------------------------------------------------------------
# A synthetic story: text we generate here, shaped like a large real one
# ---------------------------------------------------------------------------

_TOWNS = ["Arbel", "Brisk", "Corvan", "Dunmore", "Elsby", "Farrow", "Galen", "Hythe", "Ivel", "Jarrow",
          "Kelso", "Lorn", "Marsh", "Nairn", "Oban", "Perth", "Quarry", "Rhyl", "Selby", "Tain"]
_PEOPLE = ["Ada Brandt", "Boris Kell", "Cora Lind", "Dov Mayer", "Edda Noor", "Femi Ola", "Gus Pratt"]
_VERBS = ["entered", "shelled", "left", "secured", "evacuated", "reinforced", "surrounded", "crossed"]
_BASE_FORM = {"entered": "enter", "shelled": "shell", "left": "leave", "secured": "secure",
              "evacuated": "evacuate", "reinforced": "reinforce", "surrounded": "surround", "crossed": "cross"}
_NOUNS = ["bridge", "depot", "rail hub", "checkpoint", "hospital", "power station", "market", "school"]


def synthetic_briefing(outlets: int = 60, claims: int = 500, *, seed: int = 13):
    """A Briefing with ``outlets`` outlets (one article each) and ``claims`` claims in groups:
    corroborated groups across many outlets, contested pairs, one-party and relayed marks,
    single-source claims, wire copies, places, framing, a timeline and a summary."""
    from manysides.model import (
        ActorSentiment, Article, Asserter, Briefing, Citation, Claim, ClaimGroup, ClaimStatus,
        Conflict, ConflictReason, DistinctiveTerm, Entity, EntityType, Framing, GroupBasis,
        GroupMark, Origin, OriginKind, Place, ReferentWording, Span, Summary, SummarySection,
        SummarySentence, TimelineEntry, Wording,
    )

    rng = random.Random(seed)
    outlet_names = [f"{rng.choice(['The', ''])} {town} {kind}".strip()
                    for town, kind in zip((_TOWNS * 4)[:outlets],
                                          (["Herald", "Courier", "Post", "Ledger", "Wire", "Times"] * 20))]
    outlet_names = [f"{name} {i // len(_TOWNS) + 1}" if i >= len(_TOWNS) else name
                    for i, name in enumerate(outlet_names)]
    group_names = ["group-north", "group-south", "state-aligned", "independent", "wire-led"]
    outlet_groups = {name: group_names[i % len(group_names)] for i, name in enumerate(outlet_names)}

    # Claim templates: group g has a proposition; outlets word it with small variations.
    n_corroborated, n_contested_pairs = 30, 10
    sizes = [8] * n_corroborated + [5] * (2 * n_contested_pairs)
    sizes += [1] * max(0, claims - sum(sizes))
    sizes = sizes[: max(1, len(sizes))]
    per_outlet_sentences: dict[int, list[tuple[int, str, Asserter]]] = {i: [] for i in range(outlets)}
    group_members: list[list[tuple[int, int]]] = []  # (outlet index, sentence index)
    for g, size in enumerate(sizes):
        town, noun = _TOWNS[g % len(_TOWNS)], _NOUNS[g % len(_NOUNS)]
        verb = _VERBS[g % len(_VERBS)]
        number = 10 + 7 * g
        party = "party-a" if g % 2 else "party-b"
        speaker = _PEOPLE[g % len(_PEOPLE)]
        chosen = rng.sample(range(outlets), size)
        members = []
        for outlet in chosen:
            if g >= n_corroborated and g < n_corroborated + 2 * n_contested_pairs and g % 2:
                text = f"Troops did not {_BASE_FORM[verb]} the {noun} in {town}, {speaker} said."
            else:
                text = (f"Troops {verb} the {noun} in {town} on day {g % 9 + 1}, "
                        f"and {number} people were moved, {speaker} said.")
            asserter = Asserter(name=speaker, side=party) if rng.random() < .6 else \
                Asserter(name=outlet_names[outlet], is_outlet_voice=True)
            per_outlet_sentences[outlet].append((g, text, asserter))
            members.append((outlet, len(per_outlet_sentences[outlet]) - 1))
        group_members.append(members)

    articles, all_claims, spans = [], [], {}
    for i, name in enumerate(outlet_names):
        pieces, offsets = [], []
        cursor = 0
        for _, text, _ in per_outlet_sentences[i]:
            offsets.append((cursor, cursor + len(text)))
            pieces.append(text)
            cursor += len(text) + 1
        clean = "\n".join(pieces) or "No report."
        article_id = f"{i:016x}"
        articles.append(Article(id=article_id, source=f"{i}.txt", format="txt", outlet=name,
                                title=f"{name}: fighting around {_TOWNS[i % len(_TOWNS)]}",
                                published=dt.date(2026, 3, 1 + i % 5), raw_text=clean, clean_text=clean))
        for j, (g, _, asserter) in enumerate(per_outlet_sentences[i]):
            span = Span(article_id=article_id, start=offsets[j][0], end=offsets[j][1])
            spans[(i, j)] = span
            all_claims.append(Claim(id=f"c{i}-{j}", span=span, asserter=asserter, outlet=name,
                                    predicate=_VERBS[g % len(_VERBS)]))

    # Wire copies: every sixth outlet carries the copy of the outlet before it.
    origins, origin_of = [], {}
    wire_pairs = {i: i - 1 for i in range(1, outlets, 6)}
    for i in range(outlets):
        if i in wire_pairs:
            continue
        members = [i] + [k for k, v in wire_pairs.items() if v == i]
        origin = Origin(id=f"o{i:03d}", article_ids=[articles[k].id for k in members],
                        kind=OriginKind.WIRE if len(members) > 1 else OriginKind.INDEPENDENT,
                        agency="Agency Press" if len(members) > 1 else None)
        origins.append(origin)
        for k in members:
            origin_of[k] = origin.id

    groups = []
    for g, members in enumerate(group_members):
        claim_ids = [f"c{o}-{j}" for o, j in members]
        origin_ids = sorted({origin_of[o] for o, _ in members})
        if g < n_corroborated:
            status, basis = ClaimStatus.CORROBORATED, GroupBasis.INDEPENDENT
        elif g < n_corroborated + 2 * n_contested_pairs:
            status, basis = ClaimStatus.CONTESTED, GroupBasis.INDEPENDENT
        else:
            status, basis = ClaimStatus.SINGLE_SOURCE, GroupBasis.ONE_ORIGIN
        marks = []
        if status is ClaimStatus.SINGLE_SOURCE and g % 5 == 0:
            marks.append(GroupMark.ONE_PARTY)
        if status is ClaimStatus.SINGLE_SOURCE and g % 7 == 0:
            marks.append(GroupMark.RELAYED)
        conflicts = []
        if status is ClaimStatus.CONTESTED:
            other = g + 1 if (g - n_corroborated) % 2 == 0 else g - 1
            conflicts.append(Conflict(group_id=f"g{other:03d}", reason=ConflictReason.NEGATION,
                                      detail=f"One side says troops reached {_TOWNS[g % len(_TOWNS)]}; "
                                             "the other says they did not."))
        asserters = list({c.asserter.name: c.asserter for c in all_claims if c.id in claim_ids}.values())
        groups.append(ClaimGroup(
            id=f"g{g:03d}", claim_ids=claim_ids, representative_claim_id=claim_ids[0],
            asserters=asserters, outlets=sorted({outlet_names[o] for o, _ in members}),
            origin_ids=origin_ids, independent_origin_count=len(origin_ids), status=status,
            basis=basis, marks=marks, conflicts=conflicts))

    entities = []
    for t, town in enumerate(_TOWNS):
        mentions = [spans[key] for key in list(spans)[t::len(_TOWNS)]][:30]
        entities.append(Entity(
            id=f"e{t}", canonical_name=town, type=EntityType.GPE, mentions=mentions,
            surface_forms={m.article_id: [town] for m in mentions},
            place=Place(latitude=49.0 + (t % 5) * 0.35, longitude=36.0 + (t // 5) * 0.5,
                        admin_level="city", country_code="UA", geonames_id=1000 + t)))
    entities.append(Entity(id="e-cap", canonical_name="Capital City", type=EntityType.GPE,
                           mentions=[spans[(0, 0)]], place=Place(latitude=55.75, longitude=37.6,
                                                                 admin_level="city", country_code="RU")))

    referents = [ReferentWording(referent=f"troops in {town}", wordings=[
        Wording(outlet=name, word=rng.choice(["withdraw", "regroup", "flee", "retreat"]), count=1 + k % 3,
                quoted_count=k % 2, speakers=[_PEOPLE[k % len(_PEOPLE)]] if k % 2 else [])
        for k, name in enumerate(outlet_names)]) for town in _TOWNS[:4]]
    framing = Framing(
        outlet_groups=outlet_groups, referents=referents,
        distinctive={name: [DistinctiveTerm(term=_NOUNS[k % len(_NOUNS)], z_score=1.0 + k % 3, count=2)]
                     for k, name in enumerate(outlet_names)},
        actor_sentiment=[ActorSentiment(entity_id="e0", outlet=name, mean=(k % 5 - 2) / 4, sentences=2)
                         for k, name in enumerate(outlet_names)],
        voices={name: {"party-a": k % 3, "party-b": k % 4} for k, name in enumerate(outlet_names)},
    )
    timeline = [TimelineEntry(value=f"2026-03-0{d}", granularity="day",
                              claim_group_ids=[groups[g].id for g in range(d, len(groups), 40)][:6],
                              outlets=outlet_names[d:d + 4]) for d in range(1, 8)]
    summary_sentences = [
        SummarySentence(text=f"Troops {_VERBS[g % 8]} the {_NOUNS[g % 8]} in {_TOWNS[g % 20]}; "
                             f"{len(groups[g].outlets)} outlets report it.",
                        citations=[Citation(span=next(c.span for c in all_claims if c.id == cid),
                                            outlet=next(c.outlet for c in all_claims if c.id == cid))
                                   for cid in groups[g].claim_ids[:3]],
                        section=SummarySection.CORROBORATED, claim_group_id=groups[g].id)
        for g in range(8)]
    return Briefing(
        id="synthetic", title=None, created_at=dt.datetime(2026, 3, 8, 12, 0), articles=articles,
        entities=entities, claims=all_claims, origins=origins, claim_groups=groups, framing=framing,
        timeline=timeline, summary=Summary(sentences=summary_sentences), sides=["party-a", "party-b"])


# ---------------------------------------------------------------------------
# Measuring in the browser
# ---------------------------------------------------------------------------

_MEASURE = """() => {
  const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
  const nav = performance.getEntriesByType('navigation')[0];
  return {fcp: paint ? paint.startTime : null, load: nav ? nav.loadEventEnd : null,
          width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
          nodes: document.getElementsByTagName('*').length};
}"""

_OWN_CHECKS = r"""() => {
  const problems = [];
  if (!document.documentElement.getAttribute('lang')) problems.push('html has no lang attribute');
  let last = 0;
  for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
    const level = +h.tagName[1];
    if (last && level > last + 1) problems.push(`heading ${h.tagName} after H${last}: "${h.textContent.trim().slice(0, 40)}"`);
    last = level;
  }
  if (document.querySelectorAll('h1').length !== 1) problems.push('not exactly one h1');
  for (const t of document.querySelectorAll('table')) {
    if (!t.querySelector('th')) problems.push('a table without header cells');
  }
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push('img without alt');
  for (const svg of document.querySelectorAll('svg[role=img]'))
    if (!svg.getAttribute('aria-label')) problems.push('svg image without a name');
  for (const el of document.querySelectorAll('input,select')) {
    const labelled = el.getAttribute('aria-label') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label');
    if (!labelled) problems.push(`${el.tagName.toLowerCase()} without a label`);
  }
  // Contrast of text against its first opaque background (WCAG AA: 4.5, large text 3).
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= .03928 ? c / 12.92 : ((c + .055) / 1.055) ** 2.4; };
                               return .2126 * f(r) + .7152 * f(g) + .0722 * f(b); };
  const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                     if (c.length === 3 || (c.length === 4 && c[3] > .9)) return c; } return [255, 255, 255]; };
  let checked = 0, low = 0; const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode() && checked < 4000) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || !el.offsetParent || el.closest('svg')) continue;
    checked++;
    const style = getComputedStyle(el), fg = rgb(style.color), back = bg(el);
    const [a, b] = [lum(fg.slice(0, 3)), lum(back.slice(0, 3))].sort((x, y) => y - x);
    const ratio = (a + .05) / (b + .05), large = parseFloat(style.fontSize) >= 24 ||
      (parseFloat(style.fontSize) >= 18.66 && +style.fontWeight >= 700);
    if (ratio < (large ? 3 : 4.5)) { low++; const key = style.color + '/' + back;
      if (!seen.has(key)) { seen.add(key); problems.push(`contrast ${ratio.toFixed(2)} for "${node.textContent.trim().slice(0, 30)}" (${key})`); } }
  }
  return {problems, texts_checked: checked, low_contrast_texts: low};
}"""


def axe_script(tmp: Path) -> str | None:
    """axe.min.js from ``npm pack axe-core`` into ``tmp``; None when npm or the registry is missing."""
    if shutil.which("npm") is None:
        return None
    try:
        subprocess.run(["npm", "pack", "axe-core", "--silent"], cwd=tmp, check=True, timeout=120,
                       capture_output=True)
        tarball = next(tmp.glob("axe-core-*.tgz"))
        subprocess.run(["tar", "xzf", tarball.name], cwd=tmp, check=True, timeout=60)
        return (tmp / "package" / "axe.min.js").read_text(encoding="utf-8")
    except (subprocess.SubprocessError, StopIteration, OSError):
        return None


def measure_page(html_path: Path, *, axe: str | None = None, screenshots: Path | None = None,
                 label: str = "report") -> dict:
    from playwright.sync_api import sync_playwright

    figures: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            for width in (1400, 390):
                # axe is a script we inject ourselves: only then is the page's CSP bypassed.
                context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bool(axe))
                page = context.new_page()
                page.goto(html_path.as_uri(), wait_until="load")
                m = page.evaluate(_MEASURE)
                figures[f"first_paint_ms_{width}"] = m["fcp"]
                figures[f"load_ms_{width}"] = m["load"]
                figures[f"page_width_{width}"] = m["width"]
                figures[f"page_height_{width}"] = m["height"]
                figures["dom_nodes"] = m["nodes"]
                if screenshots is not None:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(screenshots / f"{label}-{width}.png"))
                if width == 1400:
                    own = page.evaluate(_OWN_CHECKS)
                    figures["own_checks"] = own
                    if axe:
                        page.add_script_tag(content=axe)
                        figures["axe"] = page.evaluate(
                            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
                            " return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}));}")
                context.close()
        finally:
            browser.close()
    return figures


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--screenshots", type=Path, default=None, help="save 1,400/390 px screenshots here")
    p.add_argument("--outlets", type=int, default=60)
    p.add_argument("--claims", type=int, default=500)
    args = p.parse_args()

    from manysides.report import render_html

    briefing = synthetic_briefing(args.outlets, args.claims)
    started = time.perf_counter()
    html = render_html(briefing)
    first_render_seconds = time.perf_counter() - started  # includes compiling the templates
    started = time.perf_counter()
    html = render_html(briefing)
    render_seconds = time.perf_counter() - started
    figures: dict[str, float] = {"html_bytes": len(html.encode("utf-8")), "render_seconds": render_seconds}

    if not CHROMIUM.exists():
        print(f"{CHROMIUM} absent: browser figures skipped (apt-get install chromium)")
    else:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            page = tmp / "report.html"
            page.write_text(html, encoding="utf-8")
            axe = None if args.fast else axe_script(tmp)
            m = measure_page(page, screenshots=args.screenshots, label="synthetic-60")
            if axe:
                m["axe"] = measure_page(page, axe=axe).get("axe", [])
            figures.update({k: v for k, v in m.items() if isinstance(v, (int, float)) and v is not None})
            own = m["own_checks"]
            figures["own_check_failures_max"] = len(own["problems"])
            figures["low_contrast_texts_max"] = own["low_contrast_texts"]
            for problem in own["problems"][:15]:
                print("own check:", problem)
            if "axe" in m:
                serious = [v for v in m["axe"] if v["impact"] in ("serious", "critical")]
                figures["axe_serious_violations_max"] = len(serious)
                figures["axe_violations_max"] = len(m["axe"])
                for v in m["axe"]:
                    print(f"axe: {v['id']} ({v['impact']}, {v['nodes']} nodes)")
            else:
                print("axe-core not available (npm pack axe-core failed or --fast): own checks only")

    # Ratios against the report before issue 13 (the floors read these, never seconds).
    if BEFORE["html_bytes"]:
        figures["bytes_vs_before_max"] = figures["html_bytes"] / BEFORE["html_bytes"]
    if BEFORE["first_paint_ms"] and figures.get("first_paint_ms_1400"):
        figures["first_paint_vs_before_max"] = figures["first_paint_ms_1400"] / BEFORE["first_paint_ms"]
    for width in (1400, 390):
        if f"page_width_{width}" in figures:
            figures[f"overflow_px_{width}_max"] = max(0, figures[f"page_width_{width}"] - width)
    if "page_height_1400" in figures and BEFORE["page_height_1400"]:
        figures["height_vs_before_max"] = figures["page_height_1400"] / BEFORE["page_height_1400"]

    rows = [
        ["HTML bytes", BEFORE["html_bytes"] or "–", figures["html_bytes"]],
        ["render (s, Python; first call)", "–", f"{render_seconds:.3f} ({first_render_seconds:.2f})"],
        ["first contentful paint, 1,400 px (ms)", BEFORE["first_paint_ms"] or "–",
         figures.get("first_paint_ms_1400", "–")],
        ["page width at 1,400 px", BEFORE["page_width_1400"] or "–", figures.get("page_width_1400", "–")],
        ["page width at 390 px", BEFORE["page_width_390"] or "–", figures.get("page_width_390", "–")],
        ["page height at 1,400 px", BEFORE["page_height_1400"] or "–", figures.get("page_height_1400", "–")],
        ["own a11y check failures", BEFORE_A11Y["own_check_failures"], figures.get("own_check_failures_max", "–")],
        ["texts under WCAG AA contrast", BEFORE_A11Y["low_contrast_texts"], figures.get("low_contrast_texts_max", "–")],
        ["axe serious/critical violations (nodes)", BEFORE_A11Y["axe_serious"],
         figures.get("axe_serious_violations_max", "–")],
    ]
    print_table(f"Report, synthetic {args.outlets} outlets / {args.claims} claims",
                ["figure", "before (#13)", "now"], rows)
    write_json(args.json, {k: v for k, v in figures.items() if isinstance(v, (int, float))})


if __name__ == "__main__":
    main()
