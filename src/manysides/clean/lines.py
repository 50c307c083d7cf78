"""Lines of a raw text with offsets and shape features."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from manysides.clean.patterns import CJK, TERMINAL, VERBISH, WORD


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the raw text with its offsets and shape features."""

    index: int
    start: int
    end: int  # includes the newline
    text: str  # stripped
    n_words: int
    terminal: bool
    lower_ratio: float
    capitalised_ratio: float
    verbish: bool

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def sentence_like(self) -> bool:
        """A real prose sentence: long enough, ends like one, mostly lowercase words."""
        if self.n_words < 5 or not self.terminal or self.text.endswith(":"):
            return False
        return self.lower_ratio >= 0.45 or (self.verbish and self.lower_ratio >= 0.3)

    @property
    def fragment(self) -> bool:
        """A label, button, caption head or headline rather than prose."""
        return not self.sentence_like and self.n_words <= 25

    @property
    def headline_shaped(self) -> bool:
        """Short, no final full stop, mostly capitalised words (or a bullet item)."""
        if self.n_words == 0 or self.n_words > 25 or self.text.endswith("."):
            return False
        return self.capitalised_ratio >= 0.5 or self.n_words <= 14 or self.text[:1] in "-•–*"


def line_words(text: str) -> list[str]:
    return WORD.findall(text)


def make_line(index: int, start: int, end: int, raw: str) -> Line:
    text = raw.strip()
    words = line_words(text)
    n_words = max(len(words), len(CJK.findall(text)) // 2)
    alphabetic = [w for w in words if not CJK.match(w)]
    lower = sum(1 for w in alphabetic if w[0].islower())
    upper = sum(1 for w in alphabetic if w[0].isupper())
    cased = lower + upper
    return Line(
        index=index,
        start=start,
        end=end,
        text=text,
        n_words=n_words,
        terminal=text.endswith(TERMINAL),
        lower_ratio=(lower / cased) if cased else (1.0 if n_words else 0.0),
        capitalised_ratio=(upper / cased) if cased else 0.0,
        verbish=any(w.lower() in VERBISH or (len(w) > 4 and w.lower().endswith("ed")) for w in words),
    )


def split_lines(text: str) -> list[Line]:
    """The lines of ``text`` with offsets; each span includes its ``\\n``."""
    lines: list[Line] = []
    position = 0
    index = 0
    while position < len(text):
        newline = text.find("\n", position)
        end = len(text) if newline == -1 else newline + 1
        lines.append(make_line(index, position, end, text[position:end]))
        position = end
        index += 1
    return lines


def normalise_line(text: str) -> str:
    """Key for comparing lines across articles: case, digits, spacing, punctuation folded."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"\d+", "0", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())
