"""Escaped HTML with highlighted spans: the one place article text becomes markup."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

# (start, end, css_class, title)
MarkSpec = tuple[int, int, str, str]


def mark_spans(text: str, marks: Iterable[MarkSpec]) -> Markup:
    """Wrap each span of ``text`` in ``<mark class=… title=…>``; everything is escaped.

    Overlapping marks are resolved by keeping the earlier-starting (then longer)
    one, because nested ``<mark>`` elements would make offsets ambiguous to a
    reader of the HTML.
    """
    ordered = sorted(
        (m for m in marks if 0 <= m[0] < m[1] <= len(text)), key=lambda m: (m[0], -(m[1] - m[0]))
    )
    pieces: list[str] = []
    cursor = 0
    for start, end, css_class, title in ordered:
        if start < cursor:
            continue
        pieces.append(str(escape(text[cursor:start])))
        pieces.append(
            f'<mark class="{escape(css_class)}" title="{escape(title)}" data-start="{start}" '
            f'data-end="{end}">{escape(text[start:end])}</mark>'
        )
        cursor = end
    pieces.append(str(escape(text[cursor:])))
    return Markup("".join(pieces))
