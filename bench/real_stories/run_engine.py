"""Run one manysides engine on annotated real stories and dump its claim groups as JSON.

Run as a subprocess by ``bench/real_stories_claims.py``, once with the working
tree's ``src`` and once with the v0.1 source on ``PYTHONPATH``, so both engines
go through the same adapter and one table is made in one run. Nothing is cached.

Output (``--out``): ``{"engine": path of the manysides package, "stories": {id: {
"ok", "error", "seconds", "claims": [{id, article, start, end}],
"groups": [{id, status, claims, conflicts}], "unmapped_claims"}}}`` with
offsets in ``load.StoryArticle.text`` (raw text), never text.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import load_story  # noqa: E402

# Stages after alignment (framing, timeline, summary) do not change claim groups.
LATER_STAGES = frozenset({"framing", "timeline", "summary"})


def write_inputs(story_id: str, folder: Path) -> dict[str, str]:
    """One JSON record per article; returns url -> article key (urls are unique per article)."""
    keys = {}
    for article in load_story(story_id):
        url = f"https://real-stories.invalid/{story_id}/{article.key}"
        record = {"title": article.title, "text": article.text, "outlet": article.outlet, "url": url}
        if article.date:
            record["date"] = article.date
        (folder / f"{article.key}.json").write_text(json.dumps(record), encoding="utf-8")
        keys[url] = article.key
    return keys


def _field(obj, *names, default=None):
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def _span_of(obj) -> tuple[str, int, int]:
    # The model is moving offsets from start/end fields into a `span: Span`; either works here.
    span = _field(obj, "span") or obj
    return _field(span, "article_id"), int(_field(span, "start")), int(_field(span, "end"))


def _kept_pieces(raw_length: int, dropped) -> list[tuple[int, int]]:
    """Raw-text ranges the cleaner kept, in order (clean_text is their concatenation)."""
    cuts = sorted((max(0, s), min(raw_length, e)) for s, e in ((_span_of(d)[1:]) for d in dropped))
    pieces, position = [], 0
    for start, end in cuts:
        if start > position:
            pieces.append((position, start))
        position = max(position, end)
    if position < raw_length:
        pieces.append((position, raw_length))
    return pieces


def clean_to_raw(pieces: list[tuple[int, int]], clean_start: int, clean_end: int) -> tuple[int, int] | None:
    """Map a clean-text range back to raw offsets (the start of its first and end of its last char)."""
    if clean_end <= clean_start:
        return None

    def raw_at(position: int) -> int | None:
        offset = 0
        for start, end in pieces:
            if position < offset + (end - start):
                return start + (position - offset)
            offset += end - start
        return None

    first, last = raw_at(clean_start), raw_at(clean_end - 1)
    if first is None or last is None:
        return None
    return first, last + 1


def system_output(briefing, keys_by_url: dict[str, str], texts: dict[str, str]) -> dict:
    """The one adapter from a Briefing to the scorer's plain data (claims in raw offsets, groups).

    Written against field names, not model classes, so a layout change in the
    package (or the v0.1 model) needs at most a name added to a `_field` call.
    """
    article_key, pieces = {}, {}
    for article in _field(briefing, "articles", default=[]):
        raw = _field(article, "raw_text", default="")
        key = keys_by_url.get(_field(article, "url")) or next(
            (k for k, text in texts.items() if text == raw), None)
        if key is None:
            continue
        article_key[_field(article, "id")] = key
        if raw == texts[key]:
            pieces[_field(article, "id")] = _kept_pieces(len(raw), _field(article, "dropped", default=[]))

    claims, unmapped = [], 0
    for claim in _field(briefing, "claims", default=[]):
        article_id, start, end = _span_of(claim)
        if article_id not in pieces:
            unmapped += 1
            continue
        raw = clean_to_raw(pieces[article_id], start, end)
        if raw is None:
            unmapped += 1
            continue
        claims.append({"id": _field(claim, "id"), "article": article_key[article_id], "start": raw[0], "end": raw[1]})

    groups = []
    for group in _field(briefing, "claim_groups", "groups", default=[]):
        status = _field(group, "status")
        status = getattr(status, "value", status)
        conflicts = [_field(c, "group_id", "other_group_id", "group") for c in _field(group, "conflicts", default=[])]
        marks = [str(getattr(m, "value", m)) for m in _field(group, "marks", default=[]) or []]
        groups.append({"id": _field(group, "id"), "status": str(status),
                       "claims": list(_field(group, "claim_ids", default=[])),
                       "conflicts": [c for c in conflicts if c], "marks": marks})
    return {"claims": claims, "groups": groups, "unmapped_claims": unmapped}


def run(story_ids: list[str]) -> dict:
    import manysides
    from manysides import api
    from manysides.analyse import DEFAULT_PIPELINE
    from manysides.resources import Resources, Settings

    settings = Settings()
    resources = Resources(settings)
    stages = [name for name in DEFAULT_PIPELINE if name not in LATER_STAGES]
    out = {"engine": str(Path(manysides.__file__).resolve().parent), "stages": stages, "stories": {}}
    for story_id in story_ids:
        started = time.perf_counter()
        try:
            with tempfile.TemporaryDirectory(prefix="real_story_") as folder:
                keys = write_inputs(story_id, Path(folder))
                texts = {a.key: a.text for a in load_story(story_id)}
                # An annotated story is one event by construction: the story splitter must not
                # send an article to another briefing the scorer never reads (``title`` keeps the
                # input whole; the v0.1 engine has no splitter and no such parameter).
                title = min((a.title for a in load_story(story_id) if a.title), key=len, default=story_id)
                whole = {"title": title} if "title" in inspect.signature(api.analyze).parameters else {}
                result = api.analyze([folder], settings=settings, resources=resources, stages=stages, **whole)
                entry = {"ok": True, "error": None, **system_output(result.briefing, keys, texts)}
        except Exception as error:  # one story failing must not lose the others' figures
            entry = {"ok": False, "error": f"{type(error).__name__}: {error}",
                     "trace": traceback.format_exc(limit=6), "claims": [], "groups": [], "unmapped_claims": 0}
        entry["seconds"] = round(time.perf_counter() - started, 2)
        out["stories"][story_id] = entry
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", nargs="+", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.write_text(json.dumps(run(args.stories)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
