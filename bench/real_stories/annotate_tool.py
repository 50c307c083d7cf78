"""Turn a hand-written draft (kept outside the repo) into an offsets-only annotation file.

The annotator reads the articles and writes a draft with the exact snippets of
text each judgement is about; this tool finds every snippet in the loaded text
and writes ``annotations/<story_id>.json`` with offsets and span hashes only, so
no text of the data ever enters the repo. It finds text; every judgement (which
mentions state one fact, which facts conflict, who asserts what) is the
annotator's own.

Draft format, one item a line (``#`` starts a comment)::

    story <story_id>
    fact <FID> [party=<who has the stake>] :: <a short label in your own words>
      <key>[#n] | <asserter: a name, or outlet> | <exact snippet>
    conflict <FID> <FID> <number|state|negation|explanation|attribution> | <one-line reason>
    relay <key>[#n] | <outlet or party relayed> | <exact snippet of the relayed passage>

``#n`` picks the n-th occurrence (1-based) when a snippet occurs more than once;
curly and straight quotes, apostrophes and dashes match each other.

Usage: python bench/real_stories/annotate_tool.py DRAFT [DRAFT ...]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ANNOTATIONS_DIR, load_story, span_hash, story  # noqa: E402

CONFLICT_KINDS = ("number", "state", "negation", "explanation", "attribution")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-",
                       "\u2013": "-", "\u00a0": " "})


class DraftError(ValueError):
    pass


def fold(text: str) -> str:
    """One-to-one character folding, so offsets in the folded text are offsets in the original."""
    return text.translate(_FOLD)


def locate(text: str, snippet: str, occurrence: int, where: str) -> tuple[int, int]:
    haystack, needle = fold(text), fold(snippet.strip())
    starts = [m.start() for m in re.finditer(re.escape(needle), haystack)]
    if not starts:
        raise DraftError(f"{where}: snippet not found: {snippet[:60]!r}")
    if occurrence == 0 and len(starts) > 1:
        raise DraftError(f"{where}: snippet occurs {len(starts)} times, add #n: {snippet[:60]!r}")
    index = max(occurrence, 1) - 1
    if index >= len(starts):
        raise DraftError(f"{where}: only {len(starts)} occurrences of {snippet[:60]!r}")
    return starts[index], starts[index] + len(needle)


def _key(token: str) -> tuple[str, int]:
    key, _, occurrence = token.strip().partition("#")
    return key, int(occurrence) if occurrence else 0


def _span(texts: dict[str, str], token: str, snippet: str, where: str) -> dict:
    key, occurrence = _key(token)
    if key not in texts:
        raise DraftError(f"{where}: no article {key!r} (have {sorted(texts)})")
    start, end = locate(texts[key], snippet, occurrence, where)
    return {"article": key, "start": start, "end": end, "hash": span_hash(texts[key][start:end])}


def build(draft: str) -> dict:
    story_id = None
    texts: dict[str, str] = {}
    facts: list[dict] = []
    conflicts: list[dict] = []
    relayed: list[dict] = []
    for number, line in enumerate(draft.splitlines(), start=1):
        where = f"line {number}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        head = line.strip()
        if head.startswith("story "):
            story_id = head.split(None, 1)[1].strip()
            story(story_id)
            texts = {a.key: a.text for a in load_story(story_id)}
        elif head.startswith("fact "):
            spec, _, label = head[5:].partition("::")
            parts = spec.split()
            fact = {"id": parts[0], "label": label.strip(), "mentions": []}
            for part in parts[1:]:
                name, _, value = part.partition("=")
                if name != "party":
                    raise DraftError(f"{where}: unknown fact option {part!r}")
                fact["one_party"] = value.replace("_", " ")
            if any(f["id"] == fact["id"] for f in facts):
                raise DraftError(f"{where}: fact {fact['id']} twice")
            facts.append(fact)
        elif head.startswith("conflict "):
            spec, _, reason = head[9:].partition("|")
            a, b, kind = spec.split()
            if kind not in CONFLICT_KINDS:
                raise DraftError(f"{where}: conflict kind {kind!r} not in {CONFLICT_KINDS}")
            conflicts.append({"a": a, "b": b, "kind": kind, "reason": reason.strip()})
        elif head.startswith("relay "):
            token, party, snippet = (p.strip() for p in head[6:].split("|", 2))
            relayed.append({**_span(texts, token, snippet, where), "relays": party})
        elif "|" in head and facts:
            token, asserter, snippet = (p.strip() for p in head.split("|", 2))
            facts[-1]["mentions"].append({**_span(texts, token, snippet, where), "asserter": asserter})
        else:
            raise DraftError(f"{where}: cannot read {head[:60]!r}")
    if story_id is None:
        raise DraftError("no 'story' line")
    ids = {f["id"] for f in facts}
    for conflict in conflicts:
        for side in (conflict["a"], conflict["b"]):
            if side not in ids:
                raise DraftError(f"conflict names unknown fact {side}")
    for fact in facts:
        if not fact["mentions"]:
            raise DraftError(f"fact {fact['id']} has no mention")
    return {"story_id": story_id, "format": 1, "facts": facts, "conflicts": conflicts, "relayed": relayed}


def main(paths: list[str]) -> int:
    failed = 0
    for path in paths:
        try:
            annotation = build(Path(path).read_text(encoding="utf-8"))
        except DraftError as error:
            print(f"{path}: {error}", file=sys.stderr)
            failed += 1
            continue
        out = ANNOTATIONS_DIR / f"{annotation['story_id']}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(annotation, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        n_mentions = sum(len(f["mentions"]) for f in annotation["facts"])
        print(f"{out.name}: {len(annotation['facts'])} facts, {n_mentions} mentions, "
              f"{len(annotation['conflicts'])} conflicts, {len(annotation['relayed'])} relayed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
