"""Speed of the whole ``manysides analyze`` on a 50-article story, model loading included.

Input: 50 ECB+ news documents of three test topics (../shared/data/ecbplus,
topics 39, 42 and 43: one shooting, one award and one firing story; ECB+
documents are shorter than most articles, ~380 tokens). The command runs in a
fresh process, from files to the three report formats, exactly as a user runs it.

Targets (issues 4 and 6): the whole run under 60 s on 2 cores; claims + origins
+ alignment under 30 s. ``--verbose`` prints the same per-stage split.
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
        command = [sys.executable, "-m", "manysides.cli", "-q", "analyze", str(story), "--no-store",
                   "--date", "2011-01-01", *[x for o in outputs for x in ("-o", str(o))]]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, text=True)
        wall = time.perf_counter() - started
        briefing = json.loads(outputs[1].read_text())
    stages = briefing["stage_seconds"]
    claim_part = sum(stages.get(s, 0.0) for s in ("claims", "origins", "alignment"))
    rows = [[name, round(seconds, 2), ""] for name, seconds in stages.items()]
    rows.append(["claims + origins + alignment", round(claim_part, 2), "< 30 s (issue 4)"])
    rows.append(["whole command, model loading included", round(wall, 2), "< 60 s (issue 6)"])
    print_table(f"manysides analyze on {len(texts)} articles "
                f"({sum(len(a['sentences']) for a in briefing['articles'])} sentences, "
                f"{len(briefing['claims'])} claims) -> html, json, md",
                ["stage", "seconds", "target"], rows)
    write_json(args.json, {"analyze_seconds_max": round(wall, 2),
                           "claims_origins_alignment_seconds_max": round(claim_part, 2)})


if __name__ == "__main__":
    main()
