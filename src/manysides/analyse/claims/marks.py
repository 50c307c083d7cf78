"""Direct quotations by their marks: balanced quote marks within a paragraph, nested ones kept."""

from __future__ import annotations

import re
from dataclasses import dataclass

from manysides.lang import en

# Quote mark pairs: opening -> closing characters accepted.
_QUOTE_PAIRS: dict[str, str] = dict(en.QUOTE_PAIRS)
_MIN_QUOTE_WORDS = 3  # "regrouping" in quote marks is a scare quote, not a quotation


@dataclass(frozen=True, slots=True)
class DirectQuoteMarks:
    """A direct quote's marks: ``open`` and ``close`` index the mark characters."""

    open: int
    content_start: int
    content_end: int
    close: int  # index just after the closing mark (or paragraph end when unclosed)


def find_quote_marks(text: str) -> list[DirectQuoteMarks]:
    """Direct quotations in ``text``: balanced marks within a paragraph, at least 3 words.

    A quote left open at a paragraph's end (the convention for a quotation that
    runs on into the next paragraph) is closed there.
    """
    quotes: list[DirectQuoteMarks] = []
    paragraph_start = 0
    for paragraph in text.split("\n"):
        quotes.extend(_quotes_in_paragraph(paragraph, paragraph_start))
        paragraph_start += len(paragraph) + 1
    return quotes


def _quotes_in_paragraph(paragraph: str, offset: int) -> list[DirectQuoteMarks]:
    found: list[DirectQuoteMarks] = []
    position = 0
    length = len(paragraph)
    while position < length:
        char = paragraph[position]
        closers = _QUOTE_PAIRS.get(char)
        if closers is None or (char == "\u00bb" and "\u00ab" not in paragraph[position:]):
            position += 1
            continue
        close = -1
        for index in range(position + 1, length):
            if paragraph[index] in closers:
                close = index
                break
        if close < 0:
            # Unclosed: a quotation running on past the paragraph (curly/guillemet only).
            content_end = length
            next_position = length
            if char == '"':
                position += 1
                continue
        else:
            content_end = close
            next_position = close + 1
        content = paragraph[position + 1 : content_end]
        if len(content.split()) >= _MIN_QUOTE_WORDS:
            start, end = _trim(content, position + 1, content_end)
            if end > start:
                found.append(
                    DirectQuoteMarks(
                        open=offset + position,
                        content_start=offset + start,
                        content_end=offset + end,
                        close=offset + (next_position if close >= 0 else length),
                    )
                )
        position = next_position
    return found


def _trim(content: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and a trailing comma (“We will win,” he said) from a content span."""
    text_start = start
    while start < end and content[start - text_start].isspace():
        start += 1
    while end > start and (content[end - 1 - text_start].isspace() or content[end - 1 - text_start] == ","):
        end -= 1
    return start, end


# Single quote marks that open and close a quotation inside a quotation. A closing ’ followed by a
# letter is an apostrophe ("I’m"), never a mark.
_INNER_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\u201c\u00ab\"]))[\u2018'](?=\w)")
_INNER_CLOSE = re.compile(r"(?<=[\w.,!?])[\u2019'](?![\w])")


def nested_quote_marks(text: str, outer: DirectQuoteMarks) -> list[DirectQuoteMarks]:
    """Quotations inside ``outer``'s content in single marks (“He told me ‘we will win,’ …”)."""
    found: list[DirectQuoteMarks] = []
    content = text[outer.content_start:outer.content_end]
    position = 0
    while True:
        opening = _INNER_OPEN.search(content, position)
        if opening is None:
            break
        closing = _INNER_CLOSE.search(content, opening.end())
        if closing is None:
            break
        inner = content[opening.end():closing.start()]
        if len(inner.split()) >= _MIN_QUOTE_WORDS:
            start, end = _trim(inner, opening.end(), closing.start())
            if end > start:
                found.append(DirectQuoteMarks(open=outer.content_start + opening.start(),
                                              content_start=outer.content_start + start,
                                              content_end=outer.content_start + end,
                                              close=outer.content_start + closing.end()))
        position = closing.end()
    return found
