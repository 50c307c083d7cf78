"""Link density of the HTML blocks a text line came from."""

from __future__ import annotations

from manysides.clean.lines import normalise_line

# Leaf-ish blocks only: extractor lines map to these, and skipping container
# divs keeps the pass linear-ish on large pages.
_BLOCK_TAGS = (
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt",
    "blockquote", "figcaption", "span", "a", "div",
)


def link_share_by_text(html: str) -> dict[str, float]:
    """Map each block's normalised text to the share of it that is link text.

    A text line from the extractor is matched to the HTML block with the same
    text; when the same text occurs in several blocks the lowest share wins
    (conservative: a headline that is both the <h1> and a teaser link is not
    link-dense).
    """
    try:
        import lxml.html
    except ImportError:  # pragma: no cover - lxml comes with trafilatura
        return {}
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return {}
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    shares: dict[str, float] = {}
    for element in root.iter(*_BLOCK_TAGS):
        text = element.text_content()
        if not text or len(text) > 1500:
            continue
        key = normalise_line(text)
        if not key:
            continue
        if element.tag == "a" or next(element.iterancestors("a"), None) is not None:
            link_chars = len(key)
        else:
            link_chars = sum(len(normalise_line(a.text_content())) for a in element.iter("a"))
        share = min(1.0, link_chars / len(key))
        previous = shares.get(key)
        shares[key] = share if previous is None else min(previous, share)
    return shares

