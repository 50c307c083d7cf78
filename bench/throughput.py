"""Throughput of ingest + clean + NLP against spaCy's own speed on the same texts.

Input: ECB+ news texts (../shared/data/ecbplus), written out as .txt files and
cycled to the requested count (each copy gets a distinct first line, so content
hashes differ and nothing is deduplicated away). Peak memory is the maximum
resident size of this process and its children, measured at two corpus sizes
to show it stays flat (articles are streamed, never held).

Anchor: spaCy's ``nlp.pipe`` alone on the same texts, the floor this stage
cannot beat. Target: ours within 80% of it with two processes; peak < 2 GB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ecb_texts, parser, print_table, write_json  # noqa: E402


def write_corpus(folder: Path, texts: list[str], count: int) -> None:
    for n in range(count):
        body = texts[n % len(texts)]
        (folder / f"doc{n:05d}.txt").write_text(f"Story {n}\n\n{body}\n", encoding="utf-8")


WORKER = r"""
import json, resource, sys, time
from pathlib import Path
mode, folder, n_process = sys.argv[1], sys.argv[2], int(sys.argv[3])
from manysides.nlp import load_nlp
nlp = load_nlp()
files = sorted(Path(folder).glob("*.txt"))
started = time.perf_counter()
if mode == "spacy":
    texts = (f.read_text(encoding="utf-8") for f in files)
    words = 0
    for doc in nlp.pipe(texts, batch_size=64, n_process=n_process):
        words += len(doc)
    count = len(files)
else:
    from manysides import api
    from manysides.resources import Resources, Settings
    settings = Settings(n_process=n_process)
    resources = Resources(settings, nlp=nlp)
    result = api.ingest([folder], settings=settings, resources=resources, keep_articles=False)
    count = result.new_count
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"count": count, "seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


def run(mode: str, folder: Path, n_process: int) -> dict:
    import json

    out = subprocess.run([sys.executable, "-c", WORKER, mode, str(folder), str(n_process)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    count = 400 if args.fast else 1000  # below ~400 fixed start-up costs skew the ratio
    texts = ecb_texts()
    rows, figures = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp, "small"), Path(tmp, "big")
        small.mkdir(), big.mkdir()
        write_corpus(small, texts, count // 4)
        write_corpus(big, texts, count)
        for n_process in (1, 2):
            floor = run("spacy", big, n_process)
            ours = run("manysides", big, n_process)
            ours_small = run("manysides", small, n_process)
            floor_rate = floor["count"] / floor["seconds"]
            our_rate = ours["count"] / ours["seconds"]
            rows.append([f"spaCy nlp.pipe alone (anchor), {n_process} proc", floor["count"],
                         round(floor_rate, 1), "100%", round(floor["peak_mb"])])
            rows.append([f"manysides ingest+clean+NLP, {n_process} proc", ours["count"],
                         round(our_rate, 1), f"{100 * our_rate / floor_rate:.0f}%",
                         f"{ours['peak_mb']:.0f} ({ours_small['peak_mb']:.0f} at {count // 4})"])
            figures[f"articles_per_s_{n_process}proc"] = round(our_rate, 2)
            figures[f"share_of_spacy_{n_process}proc"] = round(our_rate / floor_rate, 3)
            figures[f"peak_mb_{n_process}proc_max"] = round(ours["peak_mb"], 1)
    print_table(f"Throughput on {count} ECB+ articles (target: >=80% of spaCy with 2 processes, peak < 2 GB)",
                ["system", "articles", "articles/s", "share of spaCy", "peak MB"], rows)
    write_json(args.json, figures)


if __name__ == "__main__":
    main()
