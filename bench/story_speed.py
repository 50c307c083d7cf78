"""Speed of the whole ``manysides analyze`` on a 50-article story, model loading included.

Input: 50 ECB+ news documents of three test topics (../shared/data/ecbplus,
topics 39, 42 and 43: one shooting, one award and one firing story; ECB+
documents are shorter than most articles, ~380 tokens). The command runs in a
fresh process, from files to the three report formats, exactly as a user runs it.

Targets: the whole run under 60 s on 2 cores; claims + origins + alignment under 15 s.
The gate does not pin seconds (they measure the machine as much as the code): it pins the
run's time as a multiple of spaCy parsing the same texts alone, measured in the same run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ecb_texts, parser, print_table, write_json  # noqa: E402

STORY_TOPICS = {"39", "42", "43"}
ARTICLES = 50


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    texts = ecb_texts(STORY_TOPICS)[:ARTICLES]
    with tempfile.TemporaryDirectory() as tmp:
        story = Path(tmp, "story")
        story.mkdir()
        for n, text in enumerate(texts):
            (story / f"outlet{n:02d}.txt").write_text(text + "\n", encoding="utf-8")
        outputs = [Path(tmp, name) for name in ("b.html", "b.json", "b.md")]
        # --title: the 50 documents of three topics are measured as one story, not split into stories
        command = [sys.executable, "-m", "manysides.cli", "-q", "analyze", str(story), "--no-store",
                   "--title", "speed", "--date", "2011-01-01", *[x for o in outputs for x in ("-o", str(o))]]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, text=True)
        wall = time.perf_counter() - started
        briefing = json.loads(outputs[1].read_text())
    stages = briefing["stage_seconds"]
    parse_seconds = _spacy_parse_seconds(texts)
    claim_part = sum(stages.get(s, 0.0) for s in ("claims", "origins", "alignment"))
    rows = [[name, round(seconds, 2), ""] for name, seconds in stages.items()]
    rows.append(["claims + origins + alignment", round(claim_part, 2), "< 15 s"])
    rows.append(["whole command, model loading included", round(wall, 2), "< 60 s"])
    rows.append(["baseline: spaCy nlp.pipe alone on the same texts", round(parse_seconds, 2), ""])
    print_table(f"manysides analyze on {len(texts)} articles "
                f"({sum(len(a['sentences']) for a in briefing['articles'])} sentences, "
                f"{len(briefing['claims'])} claims) -> html, json, md",
                ["stage", "seconds", "target"], rows)
    write_json(args.json, {"analyze_over_spacy_parse_max": round(wall / parse_seconds, 2),
                           "claims_alignment_over_spacy_parse_max": round(claim_part / parse_seconds, 2)})


def _spacy_parse_seconds(texts: list[str]) -> float:
    """The yardstick: the same texts through spaCy alone (model loaded first, not timed)."""
    from manysides.nlp import load_nlp

    nlp = load_nlp()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
