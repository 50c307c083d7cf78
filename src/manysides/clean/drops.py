"""``find_drops``: the whole-text pass (headline, teaser blocks, line rules, neighbours) and span helpers."""

from __future__ import annotations

import re

from collections import Counter
from collections.abc import Iterator, Sequence

from manysides.clean.classifier import load_model, score_lines
from manysides.clean.classifier import reason as classifier_reason
from manysides.clean.html import link_share_by_text
from manysides.clean.lines import Line, line_words, normalise_line, split_lines
from manysides.clean.patterns import (
    APPEAL_WORDS,
    DROP_THRESHOLD,
    FIRST_PERSON_PLURAL,
    HEAD_LINES,
    IMPERATIVE_STARTS,
    PAYMENT_BRANDS,
    READER_ADDRESS,
    REASON_AUTHOR_BIO,
    REASON_BOILERPLATE,
    REASON_DONATION,
    REASON_HEADLINE,
    REASON_REPEATED_LINE,
    REASON_SUBSCRIPTION,
    REASON_TEASER_BLOCK,
    REASON_TEASER_LINK,
    REASON_TEASER_TAIL,
    REPEAT_MIN_WORDS,
    REPORTED_SPEECH,
    TAIL_FRACTION,
    TEASER_HEADER,
)
from manysides.clean.rules import judge, similar_to_title, teaser_like
from manysides.model import DroppedSpan


def find_drops(
    text: str,
    *,
    title: str | None = None,
    html: str | None = None,
    repeated_lines: frozenset[str] = frozenset(),
    line_model: bool | None = None,
) -> list[DroppedSpan]:
    """Spans of ``text`` (whole lines) that are junk, each with a reason.

    ``title`` enables the repeated-headline check, ``html`` the link-density
    check, ``repeated_lines`` (from ``repeated_boilerplate``) the
    cross-article one. ``line_model`` adds the learned line classifier
    (``clean.classifier``); by default it runs on text without HTML, where no
    markup tells the menus and appeals from the article. Spans are sorted and
    disjoint.
    """
    lines = split_lines(text)
    if not lines:
        return []
    shares = link_share_by_text(html) if html else {}
    content = [line for line in lines if not line.blank]
    tail_start = TAIL_FRACTION * len(text)
    top_indices = {line.index for line in content[:HEAD_LINES]}
    reasons: dict[int, str] = {}

    def share_of(line: Line) -> float | None:
        return shares.get(normalise_line(line.text)) if shares else None

    # 1. The headline repeated as the first line(s).
    if title:
        for position, line in enumerate(content):
            # at the top, exactly or nearly; further down only as a bare fragment
            if (position < HEAD_LINES or line.fragment) and similar_to_title(line, title):
                reasons[line.index] = REASON_HEADLINE

    # 2. Teaser headers: cut the tail when only teasers follow, else the local block.
    for position, line in enumerate(content):
        if line.index in reasons or line.n_words > 10:
            continue
        if line.text.endswith(".") and not line.text.endswith(("...", "…")):
            continue
        if not TEASER_HEADER.match(line.text):
            continue
        following = content[position + 1 :]
        teaser_flags = [teaser_like(other, share_of(other)) for other in following]
        prose_after = sum(1 for other in following if other.sentence_like and not teaser_like(other, share_of(other)))
        if line.start >= tail_start and (not following or (sum(teaser_flags) >= 0.75 * len(following) and prose_after <= 1)):
            for other in lines[line.index :]:
                reasons.setdefault(other.index, REASON_TEASER_TAIL)
            break
        run = []
        for other, flag in zip(following, teaser_flags, strict=True):
            if not flag:
                break
            run.append(other)
        if run:
            reasons[line.index] = REASON_TEASER_BLOCK
            for other in run:
                reasons.setdefault(other.index, REASON_TEASER_BLOCK)
        elif line.n_words <= 5:
            # a bare "More:" / "Related" label whose links the extractor already removed
            reasons[line.index] = REASON_TEASER_LINK

    # 3. Line by line (every line's score is also evidence for the line model).
    if line_model is None:
        line_model = html is None
    rule_scores: dict[int, float] = {}
    for line in content:
        key = normalise_line(line.text)
        if line.index in reasons and not line_model:
            continue
        verdict = judge(
            line,
            in_tail=line.start >= tail_start,
            at_top=line.index in top_indices,
            link_share=share_of(line),
            repeated=key in repeated_lines,
        )
        rule_scores[line.index] = verdict[0] if verdict else 0.0
        if verdict is not None and verdict[0] >= DROP_THRESHOLD:
            reasons.setdefault(line.index, verdict[1])

    # 3b. Pasted text: a later copy of a line above (a photo caption or pull
    #     quote shown twice). Not on HTML extraction, where repeats are the
    #     page's own (recipe steps, an interview's recurring questions).
    #     A run of repeats is a repeated block (a list, a table) that the
    #     page means to show twice; only a lone repeat is a stray copy.
    #     A line printed three times or more is the page's structure ("Buy now").
    keys = [" ".join(line.text.split()).casefold() for line in content]  # digits count: "Day 1" is not "Day 2"
    key_counts = Counter(keys)
    seen_keys: set[str] = set()
    repeats: list[bool] = []
    for line, key in zip(content, keys, strict=True):
        repeats.append(key in seen_keys and key_counts[key] == 2 and line.n_words >= REPEAT_MIN_WORDS
                       and not line.text.endswith("?"))
        seen_keys.add(key)
    for position, line in enumerate(content if html is None else ()):
        lone = not (position > 0 and repeats[position - 1]) and not (
            position + 1 < len(content) and repeats[position + 1])
        if repeats[position] and lone and line.index not in reasons:
            reasons[line.index] = REASON_REPEATED_LINE

    # 4. A short label right above a dropped appeal is its heading ("Support us").
    for position, line in enumerate(content[:-1]):
        below = content[position + 1]
        reason = reasons.get(below.index)
        if line.index not in reasons and reason in (REASON_DONATION, REASON_SUBSCRIPTION, REASON_AUTHOR_BIO):
            if line.n_words <= 6 and not line.terminal and line.headline_shaped:
                reasons[line.index] = reason

    # 5. The line right below a dropped appeal that also calls on the reader
    #    ("Get the day's big stories delivered ... you love") belongs to it.
    for position, line in enumerate(content[1:], start=1):
        above = content[position - 1]
        reason = reasons.get(above.index)
        if line.index in reasons or reason not in (REASON_DONATION, REASON_SUBSCRIPTION):
            continue
        words = line_words(line.text)
        if (
            line.start >= tail_start
            and line.n_words <= 40
            and words
            and words[0].lower() in IMPERATIVE_STARTS
            and READER_ADDRESS.search(line.text)
        ):
            reasons[line.index] = reason

    # 5b. An appeal runs over several paragraphs: in the final part, the lines
    #     next to a dropped appeal that speak to the reader (or as "we", the
    #     outlet) about giving, paying or signing up belong to it.
    #     Pasted text only: extraction from HTML already cut the appeal's box.
    grown = html is None
    while grown:
        grown = False
        for position, line in enumerate(content):
            if line.index in reasons or line.start < tail_start:
                continue
            neighbours = [content[p] for p in (position - 1, position + 1) if 0 <= p < len(content)]
            reason = next((reasons[n.index] for n in neighbours
                           if reasons.get(n.index) in (REASON_DONATION, REASON_SUBSCRIPTION)), None)
            if reason is not None and appeal_continues(line):
                reasons[line.index] = reason
                grown = True

    # 6. Plain text: the learned model judges every line, the rules' verdicts
    #    among its evidence. A cue the rules name (an appeal, a credit, the
    #    headline) stands; the context rules written for extracted article text
    #    misfire on whole pages (a "Related" box mid-page is not the end of the
    #    article), and on a prose line the model, trained on whole pages, has
    #    the last word.
    scores = score_lines(text, lines, repeated_lines=repeated_lines, rule_reasons=reasons,
                         rule_scores=rule_scores if html is None else None) if line_model else []
    if scores:
        threshold = model_threshold()
        model_drops: dict[int, str] = {}
        for score in scores:
            index = score.line.index
            if score.probability < threshold:
                if reasons.get(index) in CONTEXT_REASONS and score.line.sentence_like:
                    del reasons[index]
            elif index not in reasons:
                model_drops[index] = classifier_reason(score)
        # The model judges a line by its place on a page. A text of one line (or a few) has
        # no page around it: when the model alone would leave no prose, its prose stays.
        if not any(line.sentence_like for line in content if line.index not in reasons | model_drops.keys()):
            prose = {line.index for line in content if line.sentence_like}
            model_drops = {index: reason for index, reason in model_drops.items() if index not in prose}
        reasons.update(model_drops)

    return _spans(lines, reasons)


# Verdicts drawn from context rather than from what the line says.
CONTEXT_REASONS = frozenset({REASON_TEASER_TAIL, REASON_TEASER_BLOCK, REASON_BOILERPLATE})


def appeal_continues(line: Line) -> bool:
    """A line that would carry on an appeal next to it: addressed, about giving or paying, not reported speech."""
    text = line.text
    if line.n_words > 60 or REPORTED_SPEECH.search(text):
        return False
    words = [w.lower() for w in line_words(text)]
    # any of its sentences may speak to the reader: "Not ready to give today? Share this article."
    sentence_starts = {first[0].lower() for part in re.split(r"[.?!]\s+", text) if (first := line_words(part))}
    addressed = bool(READER_ADDRESS.search(text) or FIRST_PERSON_PLURAL.search(text)) or bool(
        sentence_starts & IMPERATIVE_STARTS
    )
    about_giving = bool(PAYMENT_BRANDS.search(text)) or any(w in APPEAL_WORDS for w in words)
    return addressed and about_giving


def model_threshold() -> float:
    model = load_model()
    return model.threshold if model is not None else 1.1


def _spans(lines: Sequence[Line], reasons: dict[int, str]) -> list[DroppedSpan]:
    """Merge consecutive dropped lines with one reason; absorb the blank lines after each."""
    spans: list[DroppedSpan] = []
    index = 0
    while index < len(lines):
        reason = reasons.get(lines[index].index)
        if reason is None:
            index += 1
            continue
        start = lines[index].start
        end = lines[index].end
        index += 1
        while index < len(lines):
            line = lines[index]
            if reasons.get(line.index) == reason:
                end = line.end
            elif line.blank and line.index not in reasons:
                # a dropped paragraph takes its blank separator with it: "A\n\nJUNK\n\nB" -> "A\n\nB"
                end = line.end
            else:
                break
            index += 1
        spans.append(DroppedSpan(start=start, end=end, reason=reason))
    return spans


def segments(text: str, drops: Sequence[DroppedSpan]) -> Iterator[tuple[str, DroppedSpan | None]]:
    """``text`` in order as kept pieces ``(piece, None)`` and dropped ones ``(piece, drop)``.

    Overlapping drops are merged: a later drop yields only what the earlier ones
    did not already cover. Clean text, the report's struck-through view and
    ``manysides show`` are all walks over these pieces.
    """
    position = 0
    for drop in sorted(drops, key=lambda span: (span.start, span.end)):
        start = max(drop.start, position)
        if start > position:
            yield text[position:start], None
        if drop.end > start:
            yield text[start:drop.end], drop
        position = max(position, drop.end)
    if position < len(text):
        yield text[position:], None


def apply_drops(text: str, drops: Sequence[DroppedSpan]) -> str:
    """``text`` with every dropped span cut out, exactly (overlaps are merged)."""
    return "".join(piece for piece, drop in segments(text, drops) if drop is None)

