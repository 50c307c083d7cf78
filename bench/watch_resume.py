"""Resume: ``watch`` killed (SIGKILL) at random points, then run to the end, loses and doubles nothing.

    .venv/bin/python bench/watch_resume.py [--fast] [--json PATH]

A feed server on 127.0.0.1 serves the test suite's own six articles (tests/test_watch.py; two
stories). Each round starts one watch cycle in a subprocess and kills it after a random delay
drawn over the length of a full cycle; after all rounds one cycle runs to the end. Counted:
articles lost (in the feed, not stored), articles doubled (stored twice, or in two stories),
story versions left without a briefing. 20 kills (--fast: 5).
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _common import parser, print_table, write_json  # noqa: E402
from test_watch import PAGES, RUNNER, FeedServer  # noqa: E402

from manysides.store import Store  # noqa: E402


def one_cycle(db: Path, feeds: Path, *, kill_after_s: float | None) -> float:
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", RUNNER, str(db), str(feeds)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if kill_after_s is None:
        _, err = process.communicate(timeout=600)
        if process.returncode != 0:
            sys.exit(f"watch failed: {err[-500:]}")
    else:
        try:
            process.wait(timeout=kill_after_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return time.monotonic() - started


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    kills = 5 if args.fast else 20
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp, FeedServer(page_delay_s=0.05) as server:
        feeds = Path(tmp) / "feeds.txt"
        feeds.write_text(f"http://127.0.0.1:{server.port}/feed.xml\n")
        # a full cycle's length, on a scratch database, sets the range of kill times
        full_s = one_cycle(Path(tmp) / "scratch.duckdb", feeds, kill_after_s=None)
        db = Path(tmp) / "watch.duckdb"
        killed_at = []
        for _ in range(kills):
            delay = rng.uniform(0.2, full_s)
            one_cycle(db, feeds, kill_after_s=delay)
            killed_at.append(delay)
        one_cycle(db, feeds, kill_after_s=None)
        with Store(db) as store:
            expected = len(PAGES) + 1  # five pages and one item read from its own summary
            stored = store.count("articles")
            assigned = store.count("story_articles")
            distinct = store.db.execute("SELECT count(DISTINCT article_id) FROM story_articles").fetchone()[0]
            unbriefed = len(store.stories_needing_briefing())
            sizes = sorted(n for _, _, n, _, _ in store.list_stories())
    lost = max(0, expected - stored) + max(0, stored - distinct)
    doubled = max(0, stored - expected) + (assigned - distinct)
    print_table(f"watch killed {kills} times at random points (full cycle {full_s:.1f} s; kills at "
                f"{min(killed_at):.1f}-{max(killed_at):.1f} s), then run to the end",
                ["articles expected", "stored", "in stories", "lost", "doubled", "versions without briefing",
                 "story sizes"],
                [[expected, stored, distinct, lost, doubled, unbriefed, str(sizes)]])
    write_json(args.json, {"resume_lost_max": lost, "resume_doubled_max": doubled,
                           "resume_unbriefed_max": unbriefed})


if __name__ == "__main__":
    main()
