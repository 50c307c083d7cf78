"""Junk removal with audited drops: a line-level cleaner.

Extractors (trafilatura) return the main text as one paragraph per line, but
scraped news still carries junk inside it: donation and subscription appeals,
photo credits, the headline repeated as the first line, author bios, ad labels,
"Read more" teaser blocks, share buttons, cookie notices. This module finds
those *lines* and says why, so that

    clean_text == apply_drops(raw_text, find_drops(raw_text, ...))

and every removal can be audited (``Article.dropped``).

How a line is judged (precision on body text matters more than recall on junk):

* Each line gets shape features: word count, final punctuation, share of
  lowercase words, capitalised-headline shape, a verb-ish word; from these,
  ``sentence_like`` (a real prose sentence) and ``fragment`` (a label, button
  or headline).
* Generic cue families (payment brands, imperative donate/subscribe/share
  verbs addressed to the reader, credit parentheticals, "X is a correspondent
  for", ad labels, teaser headers...) give evidence. A strong cue drops a line
  unless it is a long paragraph; a weak cue needs the line to also be a
  fragment, or to address the reader at the article's edges.
* Context: position (top lines, final part), neighbours (a teaser header
  followed by short headline-like lines), link density of the HTML block the
  line came from, and lines seen in many articles (cross-article boilerplate).

Nothing here is a list of phrases from one site; thresholds were set on the
invented fixtures in ``tests/fixtures/clean`` and checked on the Zyte article
extraction benchmark (``bench/extraction.py``).

Layout: ``patterns`` (reason codes, thresholds, cue wording: data), ``lines``
(line offsets and shape), ``html`` (link density), ``crossarticle`` (template
lines repeated across articles), ``rules`` (one line judged on its own),
``classifier`` (the learned line model for text without markup) and ``drops``
(the whole-text pass that puts them together).
"""

from manysides.clean.crossarticle import repeated_boilerplate
from manysides.clean.drops import apply_drops, find_drops, segments
from manysides.clean.html import link_share_by_text
from manysides.clean.lines import Line, normalise_line, split_lines

__all__ = [
    "find_drops",
    "apply_drops",
    "segments",
    "repeated_boilerplate",
    "normalise_line",
    "split_lines",
    "link_share_by_text",
    "Line",
]
