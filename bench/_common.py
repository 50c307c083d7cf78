"""Shared bits of the benchmark scripts: locating ../shared/data, tables, --json output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def data_dir(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.is_dir():
        sys.exit(f"{path}: benchmark data absent (../shared/data must sit beside the repo)")
    return path


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--fast", action="store_true", help="a subset that runs in about a minute")
    p.add_argument("--json", type=Path, help="write the figures as JSON here")
    return p


def print_table(title: str, header: list[str], rows: list[list[object]]) -> None:
    def cell(value: object) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    table = [header] + [[cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    print(f"\n{title}")
    for n, row in enumerate(table):
        print(" | ".join(v.ljust(w) for v, w in zip(row, widths)))
        if n == 0:
            print("-+-".join("-" * w for w in widths))


def write_json(path: Path | None, figures: dict[str, float]) -> None:
    if path is not None:
        path.write_text(json.dumps(figures, indent=2, sort_keys=True))


def ecb_documents(topics: set[str] | None = None):
    """ECB+ documents as (path, lines): one sentence a line, tokens rejoined, the URL line of
    ecbplus files left out. Yields in topic-folder and file-name order."""
    import re
    import xml.etree.ElementTree as ET

    for path in sorted(data_dir("ecbplus").glob("xml/*/*.xml")):
        if topics is not None and path.parent.name not in topics:
            continue
        root = ET.parse(path).getroot()
        sentences: dict[int, list[str]] = {}
        for token in root.iter("token"):
            sentences.setdefault(int(token.get("sentence")), []).append(token.text or "")
        is_plus = path.name.endswith("ecbplus.xml")
        lines = [" ".join(tokens) for n, tokens in sorted(sentences.items()) if not (is_plus and n == 0)]
        yield path, [re.sub(r" ([.,;:!?'])", r"\1", line) for line in lines]


def ecb_texts(topics: set[str] | None = None) -> list[str]:
    """ECB+ documents as plain text (longer than 200 characters), one sentence a line."""
    texts = ["\n".join(lines) for _, lines in ecb_documents(topics)]
    return [text for text in texts if len(text) > 200]
