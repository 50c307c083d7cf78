"""Text-mode cleaning: junk lines removed from whole pages saved as plain text.

A user who saves or copies a web page gets the full page text: menus, captions,
appeals, footers. This benchmark renders each page of the Zyte article
extraction benchmark that way (block elements to lines, hidden elements and
scripts left out, no markup kept), labels each line *body* or *junk* by
aligning it to the gold article text, and scores line-level junk removal with
the text alone (no HTML reaches the cleaner).

Labels: a line of four or more words is body when most of its 3-word shingles
occur in the gold text (rapidfuzz partial matching decides the unclear middle);
a shorter line is body when it matches a gold line (rapidfuzz ratio >= 90).
Lines without a word character are not scored.

Split: fixed by page id hash (sha1 of the id, even = held-out); figures are on
the held-out half. ``bench/train_line_classifier.py`` trains on the other half.

Systems, in the same run: keep everything; the cleaner before this
benchmark existed (``clean.py`` at commit ``BEFORE_COMMIT``, read from git);
our rules alone (``find_drops(..., line_model=False)``); ours (rules + the
learned line model); jusText 3 on the same HTML (English
stoplist; a line counts as kept when it aligns to jusText's good paragraphs),
for reference. Target: junk removed >= 0.90 with body kept >= 0.99.

Usage: .venv/bin/python bench/text_cleaning.py [--fast] [--json PATH] [--show-errors N]
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import data_dir, parser, print_table, write_json  # noqa: E402

FAST_PAGES = 40
TARGET_JUNK_REMOVED = 0.90
TARGET_BODY_KEPT = 0.99
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")

# Elements a browser lays out as their own lines when a page is copied or saved as text.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table tbody "
    "thead tfoot tr td th ul caption legend option".split()
)
# Never shown as text in a browser window.
UNSEEN_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas", "select")


# ---------------------------------------------------------------- rendering


def render_page_text(html: str) -> str:
    """The page as a user gets it by saving or copying it as plain text, one block per line."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, etree.ParserError):
        return ""
    for element in root.xpath("//" + "|//".join(UNSEEN_TAGS)):
        element.drop_tree()
    for element in root.xpath("//*[@hidden] | //*[contains(translate(@style, ' ', ''), 'display:none')]"):
        if element.getparent() is not None:
            element.drop_tree()
    pieces: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if event == "end" and element.tail:
                pieces.append(element.tail)
            continue
        tag = element.tag.lower()
        if event == "start":
            if tag in BLOCK_TAGS:
                pieces.append("\n")
            elif tag == "br":
                pieces.append("\n")
            if element.text:
                pieces.append(element.text)
        else:
            if tag in BLOCK_TAGS:
                pieces.append("\n")
            elif tag in ("td", "th"):
                pieces.append(" ")
            if element.tail:
                pieces.append(element.tail)
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line) + "\n"


# ---------------------------------------------------------------- labels


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class Aligner:
    """Says whether a line of page text belongs to a reference text (the gold body, or a system's output)."""

    def __init__(self, reference: str):
        tokens = _tokens(reference)
        self.flat = " ".join(tokens)
        self.shingles = {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}
        self.lines = [" ".join(_tokens(line)) for line in reference.splitlines() if _tokens(line)]

    def contains(self, line: str) -> bool | None:
        """True/False for a line with words; None for one without (not scored)."""
        from rapidfuzz import fuzz

        tokens = _tokens(line)
        if not tokens or not self.flat:
            return None if not tokens else False
        key = " ".join(tokens)
        if len(tokens) >= 4:
            shingles = [tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)]
            coverage = sum(s in self.shingles for s in shingles) / len(shingles)
            if coverage >= 0.5:
                return True
            if coverage < 0.2:
                return False
            return fuzz.partial_ratio(key, self.flat) >= 90
        return any(fuzz.ratio(key, other) >= 90 for other in self.lines if abs(len(other) - len(key)) <= 10)


# ---------------------------------------------------------------- pages


@dataclass(frozen=True)
class Page:
    page_id: str
    url: str
    html: str
    text: str
    labels: tuple[bool | None, ...]  # per line of ``text``: True body, False junk, None unscored

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def held_out(page_id: str) -> bool:
    return int(hashlib.sha1(page_id.encode("ascii")).hexdigest(), 16) % 2 == 0


@lru_cache(maxsize=1)
def _ground_truth() -> dict[str, dict[str, str]]:
    folder = data_dir("article_extraction_benchmark")
    return json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))


def load_pages(*, test: bool, limit: int | None = None) -> Iterator[Page]:
    """Pages of one half in page-id order, rendered and labelled."""
    folder = data_dir("article_extraction_benchmark")
    truth = _ground_truth()
    ids = [page_id for page_id in sorted(truth) if held_out(page_id) == test]
    for page_id in ids[:limit]:
        with gzip.open(folder / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8", errors="replace") as handle:
            html = handle.read()
        text = render_page_text(html)
        gold = Aligner(truth[page_id].get("articleBody", ""))
        labels = tuple(gold.contains(line) for line in text.splitlines())
        yield Page(page_id, truth[page_id].get("url", ""), html, text, labels)


# ---------------------------------------------------------------- systems

# The cleaner before the line model: src/manysides/clean.py as it stood at this commit.
BEFORE_COMMIT = "91c7b74"


def cleaner_before():
    """``find_drops`` of the single-module cleaner at ``BEFORE_COMMIT``, or None outside a git checkout."""
    import importlib.util
    import subprocess
    import tempfile

    repo = Path(__file__).resolve().parents[1]
    shown = subprocess.run(["git", "show", f"{BEFORE_COMMIT}:src/manysides/clean.py"], cwd=repo,
                           capture_output=True, text=True)
    if shown.returncode != 0:
        return None
    path = Path(tempfile.mkdtemp()) / "clean_before.py"
    path.write_text(shown.stdout, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("clean_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.find_drops



def kept_by_drops(text: str, drops) -> list[bool]:
    """Per line of ``text``: not inside any dropped span."""
    kept = []
    position = 0
    spans = sorted((d.start, d.end) for d in drops)
    for line in text.splitlines(keepends=True):
        middle = position + max(0, len(line.rstrip("\n")) // 2)
        kept.append(not any(start <= middle < end for start, end in spans))
        position += len(line)
    return kept


def justext_kept(page: Page) -> list[bool]:
    import justext

    try:
        paragraphs = justext.justext(page.html.encode("utf-8"), justext.get_stoplist("English"))
    except Exception:  # jusText raises on pages it cannot parse; it then keeps nothing
        return [False] * len(page.lines)
    output = Aligner("\n".join(p.text for p in paragraphs if not p.is_boilerplate))
    return [bool(output.contains(line)) for line in page.lines]


@dataclass
class Tally:
    body_kept: int = 0
    body_dropped: int = 0
    junk_kept: int = 0
    junk_dropped: int = 0
    body_words: int = 0
    body_words_kept: int = 0

    def add(self, labels, kept, lines) -> None:
        for label, keep, line in zip(labels, kept, lines, strict=True):
            if label is None:
                continue
            if label:
                self.body_kept += keep
                self.body_dropped += not keep
                words = len(_TOKEN.findall(line))
                self.body_words += words
                self.body_words_kept += words if keep else 0
            else:
                self.junk_kept += keep
                self.junk_dropped += not keep

    def figures(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return a / (a + b) if a + b else 1.0

        return {
            "body_kept": ratio(self.body_kept, self.body_dropped),  # recall of body lines
            "kept_precision": ratio(self.body_kept, self.junk_kept),
            "junk_removed": ratio(self.junk_dropped, self.junk_kept),  # recall of junk lines
            "removed_precision": ratio(self.junk_dropped, self.body_dropped),
            "body_words_kept": self.body_words_kept / self.body_words if self.body_words else 1.0,
        }


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--show-errors", type=int, default=0, metavar="N", help="print N wrong lines of ours per page")
    args = p.parse_args(argv)

    from manysides.clean import find_drops, repeated_boilerplate

    started = time.perf_counter()
    pages = list(load_pages(test=True, limit=FAST_PAGES if args.fast else None))
    # The pages form one batch, as a user's folder would: cross-article boilerplate is computed over it.
    repeated = repeated_boilerplate(page.text for page in pages)
    before = cleaner_before()
    names = ["keep everything", f"cleaner before ({BEFORE_COMMIT})", "ours, rules only", "ours: rules + line model",
             "jusText 3 (HTML, reference)"]
    tallies = {name: Tally() for name in names if before is not None or "before" not in name}
    ours_seconds = 0.0
    for page in pages:
        tallies["keep everything"].add(page.labels, [True] * len(page.labels), page.lines)
        if before is not None:
            old = before(page.text, repeated_lines=repeated)
            tallies[names[1]].add(page.labels, kept_by_drops(page.text, old), page.lines)
        rules = find_drops(page.text, repeated_lines=repeated, line_model=False)
        tallies["ours, rules only"].add(page.labels, kept_by_drops(page.text, rules), page.lines)
        tick = time.perf_counter()
        drops = find_drops(page.text, repeated_lines=repeated)
        ours_seconds += time.perf_counter() - tick
        kept = kept_by_drops(page.text, drops)
        tallies["ours: rules + line model"].add(page.labels, kept, page.lines)
        tallies["jusText 3 (HTML, reference)"].add(page.labels, justext_kept(page), page.lines)
        if args.show_errors:
            wrong = [(line, label) for line, label, keep in zip(page.lines, page.labels, kept, strict=True)
                     if label is not None and label != keep]
            if wrong:
                print(f"== {page.page_id[:10]} {page.url}")
                for line, label in wrong[: args.show_errors]:
                    print(f"  {'LOST BODY' if label else 'KEPT JUNK'}: {line[:160]}")
    elapsed = time.perf_counter() - started

    n_body = sum(label is True for page in pages for label in page.labels)
    n_junk = sum(label is False for page in pages for label in page.labels)
    rows = []
    for name, tally in tallies.items():
        f = tally.figures()
        rows.append([name, f["body_kept"], f["kept_precision"], f["junk_removed"], f["removed_precision"],
                     f["body_words_kept"]])
    rows.append(["target (ours)", f">= {TARGET_BODY_KEPT}", "", f">= {TARGET_JUNK_REMOVED}", "", ""])
    subset = f"first {len(pages)} held-out pages" if args.fast else f"all {len(pages)} held-out pages"
    print_table(
        f"Text-mode cleaning, Zyte pages saved as text, {subset} ({n_body} body / {n_junk} junk lines), "
        f"{elapsed:.1f} s (ours {1000 * ours_seconds / max(1, len(pages)):.0f} ms/page)",
        ["system", "body lines kept", "kept precision", "junk lines removed", "removed precision",
         "body words kept"],
        rows,
    )
    ours = tallies["ours: rules + line model"].figures()
    rules_only = tallies["ours, rules only"].figures()
    write_json(args.json, {
        "body_kept": round(ours["body_kept"], 4),
        "body_words_kept": round(ours["body_words_kept"], 4),
        "junk_removed": round(ours["junk_removed"], 4),
        "kept_precision": round(ours["kept_precision"], 4),
        "removed_precision": round(ours["removed_precision"], 4),
        "rules_only_junk_removed": round(rules_only["junk_removed"], 4),
        "rules_only_body_kept": round(rules_only["body_kept"], 4),
        "justext_junk_removed": round(tallies["jusText 3 (HTML, reference)"].figures()["junk_removed"], 4),
        "justext_body_kept": round(tallies["jusText 3 (HTML, reference)"].figures()["body_kept"], 4),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
