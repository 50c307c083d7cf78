"""A run over a big folder with bad files in it completes, names each bad file once, and writes the report.

Input: N real news texts (ECB+ documents, ../shared/data/ecbplus) written to a temporary folder,
plus 1% bad inputs of each kind a scraped folder holds: binary files, empty and whitespace-only
files, UTF-16 debris, malformed JSON, a Russian article (skipped: English only), and a long
article over spaCy's 1,000,000-character limit (kept: parsed in chunks at paragraph breaks).
``manysides analyze`` runs on it in a fresh process, as a user runs it.

Figures: whether the run completed and wrote the report; the share of bad inputs named in
exactly one line each; the share of good articles in the report; whether the long article is
in the report with sentences past the limit. Baseline: the same run before chunking and
language detection died on the first long article (exit 3, no report).

Usage: .venv/bin/python bench/robust_ingest.py [--fast] [--json PATH]
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

SPACY_LIMIT = 1_000_000
CHUNK_CHARS = 100_000  # manysides.nlp.CHUNK_CHARS: what one spaCy call parses

# Our own words, not from any data set: a short Russian news paragraph.
RUSSIAN_TEXT = (
    "Городской совет в среду утвердил бюджет на следующий год. По словам мэра, расходы на "
    "школы вырастут на десять процентов, а ремонт дорог начнётся весной.\n\n"
    "Депутаты оппозиции заявили, что план не учитывает рост цен на энергию.\n"
)


def bad_inputs(folder: Path, texts: list[str], copies: int) -> dict[str, str]:
    """Write ``copies`` bad files of each kind; returns file name -> kind."""
    kinds: dict[str, str] = {}
    for n in range(copies):
        cases = {
            f"bad_binary_{n}.txt": (b"\x00\x01\x02PK\x03\x04" * 200, "binary"),
            f"bad_empty_{n}.txt": (b"", "empty"),
            f"bad_blank_{n}.txt": (b" \n\t\n   \n", "whitespace"),
            f"bad_utf16_{n}.txt": ("\ufeffdebris".encode("utf-16-le")[:7], "utf-16 debris"),
            f"bad_json_{n}.json": (b'{"title": "x", "text": "unterminated', "malformed json"),
            f"bad_russian_{n}.txt": (RUSSIAN_TEXT.encode("utf-8"), "foreign language"),
        }
        for name, (data, kind) in cases.items():
            (folder / name).write_bytes(data)
            kinds[name] = kind
    return kinds


def long_article(texts: list[str], size: int) -> str:
    paragraphs, total = [], 0
    while total <= size:
        for text in texts:
            paragraphs.append(text)
            total += len(text) + 2
            if total > size:
                break
    return "\n\n".join(paragraphs)


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    count = 60 if args.fast else 1000
    texts = ecb_texts()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "inputs")
        folder.mkdir()
        good = [f"good_{n:04d}.txt" for n in range(count)]
        for name, text in zip(good, (texts * (count // len(texts) + 1))[:count], strict=True):
            (folder / name).write_text(f"{name}\n\n{text}\n", encoding="utf-8")  # unique first line
        bad = bad_inputs(folder, texts, max(1, count // 100))
        # the full run goes past spaCy's own limit; the fast one past one parse chunk (same code path)
        limit = CHUNK_CHARS if args.fast else SPACY_LIMIT
        (folder / "long_article.txt").write_text(long_article(texts[:200], limit + 50_000), encoding="utf-8")
        report = Path(tmp, "briefing.json")
        # --title keeps the folder one story: this measures reading, not story clustering
        command = [sys.executable, "-m", "manysides.cli", "analyze", str(folder), "--no-store",
                   "--title", "robustness", "--stages", "entities", "--date", "2012-01-01", "-o", str(report)]
        started = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        written = report.is_file()
        briefing = json.loads(report.read_text()) if written else {"articles": []}
    lines = run.stderr.splitlines()
    named_once = sum(sum(name in line for line in lines) == 1 for name in bad)
    sources = {Path(a["source"]).name for a in briefing["articles"]}
    long_kept = [a for a in briefing["articles"] if Path(a["source"]).name == "long_article.txt"]
    past_limit = bool(long_kept) and any(s["span"]["start"] > limit for s in long_kept[0]["sentences"])
    figures = {
        "completed": float(run.returncode in (0, 1) and written),
        "bad_named_once_share": named_once / len(bad),
        "good_in_report_share": sum(name in sources for name in good) / len(good),
        "long_article_parsed_whole": float(past_limit),
    }
    print_table(f"analyze on {count} articles + {len(bad)} bad files + 1 long article "
                f"(exit {run.returncode}, {seconds:.0f} s)",
                ["figure", "ours", "target", "before (v0.1)"],
                [["run completed and wrote the report", figures["completed"], 1.0, "0 (exit 3 at the long article)"],
                 ["bad inputs named in exactly one line", figures["bad_named_once_share"], 1.0, "-"],
                 ["good articles in the report", figures["good_in_report_share"], 1.0, "0"],
                 [f"long article parsed past {limit:,} characters", figures["long_article_parsed_whole"], 1.0, "0"]])
    print("seconds per stage:", ", ".join(f"{k} {v:.1f}" for k, v in briefing.get("stage_seconds", {}).items()))
    unnamed = [name for name in bad if sum(name in line for line in lines) != 1]
    if unnamed:
        print("not named exactly once:", ", ".join(unnamed))
    write_json(args.json, figures)


if __name__ == "__main__":
    main()
