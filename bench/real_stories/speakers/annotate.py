"""Turn an annotator's speaker draft (kept outside the repo) into ``<story_id>.json`` (no text).

    .venv/bin/python bench/real_stories/speakers/annotate.py DRAFT_DIR [STORY_ID ...]

A draft ``DRAFT_DIR/<story_id>.tsv`` has one quote a line, tab-separated:

    <article>#<n>   <speaker>   <type>   [<accepted words, |-separated>]
    <article>@<words of the sentence>   <speaker>   <type>   [...]

``<article>#<n>`` is the n-th direct quotation of the article as ``find_quote_marks`` numbers
them (0-based); ``<article>@<words>`` is reported speech: the sentence holding those words.
``<speaker>`` is how the article names the speaker (its first occurrence is stored as offsets;
for people the surname is enough). ``<type>``: ``person``, ``org`` (a named body) or ``role``
(an unnamed speaker: "officials", "a spokesperson for X"). Accepted words are other words that
name the same speaker ("aide" for "spokesperson"). The JSON stores offsets and short hashes.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[2] / "src"))

from load import RESERVED_BASIL, RESERVED_NEUS, load_story, span_hash, story  # noqa: E402

# A sentence ends at . ! ? (and a closing quote) before a capital, but not after an initial or a
# short abbreviation ("U.S. Central Command", "Gen. Frank", "Aug. 29").
_SENTENCE_END = re.compile(r"(?<![A-Z]\.)(?<!\b[A-Z][a-z]\.)(?<!\b[A-Z][a-z]{2}\.)(?<=[.!?”\"])\s+(?=[A-Z\"“])")


def _sentence_around(text: str, start: int) -> tuple[int, int]:
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    for low, high in zip(bounds, bounds[1:]):
        if low <= start < high:
            return low, len(text[:high].rstrip())
    return 0, len(text)


def convert(draft: Path, story_id: str) -> dict:
    from manysides.analyse.claims.marks import find_quote_marks

    entry = story(story_id)
    if entry["ref"] in RESERVED_BASIL or entry["ref"].replace(":", ":") in RESERVED_NEUS:
        raise SystemExit(f"{story_id}: reserved for outside evaluation")
    texts = {a.key: a.text for a in load_story(story_id)}
    quotes = []
    for number, line in enumerate(draft.read_text("utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        where, speaker, kind = fields[0], fields[1], fields[2]
        accept = [w for w in (fields[3].split("|") if len(fields) > 3 else []) if w]
        if "#" in where:
            key, index = where.split("#")
            text = texts[key]
            mark = find_quote_marks(text)[int(index)]
            start, end, quote_kind = mark.content_start, mark.content_end, "direct"
        else:
            key, words = where.split("@", 1)
            text = texts[key]
            at = text.find(words)
            if at < 0:
                raise SystemExit(f"{draft}:{number}: {words!r} not in {key}")
            (start, end), quote_kind = _sentence_around(text, at), "indirect"
        at = text.find(speaker)
        if at < 0:
            at = text.casefold().find(speaker.casefold())
        if at < 0:
            raise SystemExit(f"{draft}:{number}: speaker {speaker!r} not in {key}")
        speaker_span = [at, at + len(speaker), span_hash(text[at:at + len(speaker)])]
        quotes.append({"article": key, "start": start, "end": end, "hash": span_hash(text[start:end]),
                       "kind": quote_kind, "speaker": speaker_span, "speaker_type": kind,
                       **({"accept": accept} if accept else {})})
    return {"story_id": story_id, "format": 1, "quotes": quotes}


def main() -> None:
    drafts = Path(sys.argv[1])
    ids = sys.argv[2:] or [p.stem for p in sorted(drafts.glob("*.tsv"))]
    for story_id in ids:
        result = convert(drafts / f"{story_id}.tsv", story_id)
        (HERE / f"{story_id}.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
        print(f"{story_id}: {len(result['quotes'])} quotes")


if __name__ == "__main__":
    main()
