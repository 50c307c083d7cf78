"""Plain text and Markdown articles."""

from __future__ import annotations

import re

from manysides.errors import IngestError
from manysides.ingest.base import RawArticle

_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 30
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_ITALIC = re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


def looks_like_headline(line: str) -> bool:
    """Short, capitalised, and not ending like a sentence or a dateline/byline."""
    line = line.strip()
    if not line or len(line) > _HEADLINE_MAX_CHARS or len(line.split()) > _HEADLINE_MAX_WORDS:
        return False
    if line[-1] in ".,;:" and not line.endswith("..."):
        return False
    first = line.lstrip("\"'“‘«")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    # A lone dateline or byline is not a headline.
    if re.match(r"^(by|published|updated|posted)\b", line, re.IGNORECASE):
        return False
    return any(ch.isalpha() for ch in line)


# A headline sits above the story: look no further down than this many lines.
_TITLE_SEARCH_LINES = 8


def first_line_title(text: str) -> str | None:
    """The first headline-shaped line that is not junk, when more text follows.

    Junk is what the cleaner's rules drop (a "Support us" banner, a cookie
    notice) and date/byline lines ("June 06, 2013"); a headline printed twice
    is one title. The search stops at the first prose line: the story has begun.
    """
    from manysides.clean import split_lines
    from manysides.clean.patterns import DROP_THRESHOLD, HEAD_LINES
    from manysides.clean.rules import is_dateline, judge

    lines = split_lines(text)
    content = [line for line in lines if not line.blank]
    if len(content) < 2:
        return None

    def junk(position: int, line) -> bool:
        verdict = judge(line, in_tail=False, at_top=position < HEAD_LINES, link_share=None, repeated=False)
        return verdict is not None and verdict[0] >= DROP_THRESHOLD

    for position, line in enumerate(content[:_TITLE_SEARCH_LINES]):
        if junk(position, line) or is_dateline(line):
            continue
        if line.sentence_like and line.n_words > _HEADLINE_MAX_WORDS // 2:
            return None
        if looks_like_headline(line.text) and position + 1 < len(content):
            return line.text
    return None


def markdown_to_text(markdown: str) -> str:
    """Drop Markdown markup a reader does not see; keep the words and line structure."""
    lines = []
    for line in markdown.splitlines():
        if _MD_RULE.match(line):
            lines.append("")
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
        line = _MD_IMAGE.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        line = _MD_ITALIC.sub(r"\2", line)
        line = re.sub(r"^\s{0,3}>\s?", "", line)
        lines.append(line)
    return "\n".join(lines)


def read_text(text: str, *, source: str, markdown: bool = False) -> RawArticle:
    """A text article; the headline line stays in the text (the cleaner removes repeats)."""
    if markdown:
        text = markdown_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(source, "empty text", code="E011")
    return RawArticle(
        source=source,
        format="markdown" if markdown else "text",
        text=text,
        title=first_line_title(text),
    )
