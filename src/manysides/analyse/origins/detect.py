"""Origins: which articles are wire copy or rewrites of one release, and so count once.

Two outlets printing the same AFP story are one origin, not two confirmations.
Evidence, per pair of articles (only pairs that share at least one passage are
ever compared: an inverted index over shingles is the blocking step):

- **shared passages**: word 8-gram shingles; ``containment`` = shared shingles /
  shingles of the smaller article. Verbatim or lightly edited wire copy keeps
  most 8-grams (>= 0.5); a rewrite of one release keeps whole sentences but
  loses most 8-grams across edits, so
- **near-duplicate sentences** (rapidfuzz ratio >= 85 on normalised sentences
  of >= 6 words, found through a word 4-gram index) count as well: a pair is
  linked when containment >= ``WIRE_CONTAINMENT`` or when near-duplicate
  sentences cover >= ``REWRITE_SENTENCE_SHARE`` of the smaller article.
  When both articles carry the same agency marker the bar is lowered
  (``SAME_AGENCY_SENTENCE_SHARE``), since they already claim a common source.
- **wire markers**: "(AFP)", "LONDON (Reuters) -", "— Reuters", "with AFP",
  "agencies", "Reporting by …": they name the agency, and make a group's kind
  WIRE (REWRITE when the shared text has no marker; a lone article with a
  marker is still WIRE: it is agency copy that one outlet printed).

Linked articles form one origin (union-find). Every article is in exactly one.

Passages: an independent article may still quote a wire paragraph. The origin
stays per article, and ``briefing.passages`` lists every
sentence that near-duplicates a sentence of an article from *another* origin,
with the origin it is attributed to (the WIRE one, else the earlier
published, else the larger group). Alignment counts a claim made in such a
sentence under that passage origin, so a copied paragraph never corroborates
its own source.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from manysides.analyse.shared.clusters import ConstrainedUnion
from manysides.model import Article, Briefing, Origin, OriginKind, Passage, Span
from manysides.model import WireMarker as WireMarkerRecord
from manysides.resources import Resources

SHINGLE_WORDS = 8
SENTENCE_INDEX_WORDS = 4
MIN_SENTENCE_WORDS = 6
NEAR_DUPLICATE_RATIO = 85.0
# Measured on bench/syndication.py: verbatim/lightly edited copies keep 0.6-1.0 of 8-grams,
# heavy rewrites of one release 0.1-0.4, different outlets on the same event < 0.02.
WIRE_CONTAINMENT = 0.5
REWRITE_CONTAINMENT = 0.2
REWRITE_SENTENCE_SHARE = 0.3
SAME_AGENCY_SENTENCE_SHARE = 0.15
# a 4-gram shared by more sentences than this is boilerplate ("the ministry said in a"), not evidence
MAX_POSTING = 50

_AGENCY_ALIASES = {
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "reuters": "Reuters", "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "dpa": "dpa", "ansa": "ANSA", "efe": "EFE", "tass": "TASS", "ria novosti": "RIA Novosti",
    "interfax": "Interfax", "ukrinform": "Ukrinform", "unian": "UNIAN", "xinhua": "Xinhua",
    "pa": "PA", "bloomberg": "Bloomberg", "agencies": "agencies",
}
_AGENCY = (r"AFP|Agence France[- ]Presse|Reuters|AP|(?:The )?Associated Press|dpa|DPA|ANSA|EFE|"
           r"TASS|RIA Novosti|Interfax|Ukrinform|UNIAN|Xinhua|PA|Bloomberg")
# Strong markers say the text *is* agency copy; "told AFP" or "Reuters reported" only cite an agency.
_WIRE_MARKERS = [
    ("parenthetical", re.compile(rf"\((?P<agency>{_AGENCY})\)")),
    ("dateline", re.compile(rf"(?m)^[A-Z][A-Za-z .,'-]{{1,40}}\s[-–—]\s*(?P<agency>{_AGENCY})\b")),
    ("signature", re.compile(rf"[-–—]\s*(?P<agency>{_AGENCY})\s*$", re.M)),
    ("with-agency", re.compile(rf"\b[Ww]ith (?P<agency>{_AGENCY}|agencies)\b")),
    ("agencies", re.compile(r"(?m)(?:^|[-–—(]\s*)(?P<agency>[Aa]gencies)\s*\)?\s*$")),
    ("byline", re.compile(rf"(?m)^\s*(?:By [^\n]{{0,60}}\b|Source:\s*)(?P<agency>{_AGENCY})\s*$")),
    ("credit", re.compile(rf"\((?:[Rr]eporting|[Ww]riting) by [^)]{{0,120}}\)|"
                          rf"\b(?P<agency>{_AGENCY}) contributed to this report")),
]
_WORD = re.compile(r"\w+(?:['’]\w+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@dataclass(frozen=True, slots=True)
class WireMarker:
    kind: str
    agency: str
    start: int
    end: int


def normalise_agency(name: str) -> str:
    return _AGENCY_ALIASES.get(name.lower().strip(), name)


def find_wire_markers(text: str) -> list[WireMarker]:
    markers = []
    for kind, pattern in _WIRE_MARKERS:
        for match in pattern.finditer(text):
            agency = match.groupdict().get("agency") or "Reuters"  # "(Reporting by …)" is Reuters' house credit
            markers.append(WireMarker(kind, normalise_agency(agency), match.start(), match.end()))
    return sorted(markers, key=lambda m: m.start)


def sentence_bounds(article: Article) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets: the NLP stage's when present, else a punctuation split."""
    if article.sentences:
        return [(s.start, s.end) for s in article.sentences]
    text, bounds, cursor = article.clean_text, [], 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((cursor, match.start()))
        cursor = match.end()
    bounds.append((cursor, len(text)))
    out = []
    for start, end in bounds:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _hash(words: Iterable[str]) -> int:
    return int.from_bytes(hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest(), "big")


def shingles(words: list[str], size: int = SHINGLE_WORDS) -> set[int]:
    if len(words) < size:
        return {_hash(words)} if words else set()
    return {_hash(words[i : i + size]) for i in range(len(words) - size + 1)}


@dataclass
class _ArticleProfile:
    article: Article
    shingles: set[int]
    sentences: list[tuple[int, int, str]]  # start, end, normalised text
    markers: list[WireMarker]
    agencies: set[str] = field(default_factory=set)


_QUOTED = re.compile(r"“[^”]{15,600}”|\"[^\"\n]{15,600}\"")


def _unquoted(text: str) -> str:
    """``text`` with quoted speech blanked out (same length, so offsets hold).

    Two outlets quoting one statement verbatim reported it independently; only
    the reporter's own prose is evidence of copied copy (on BASIL, outlets that
    quote the same campaign statement were otherwise merged).
    """
    return _QUOTED.sub(lambda m: " | " + " " * (len(m.group()) - 3), text)


def _profile(article: Article) -> _ArticleProfile:
    text = article.clean_text
    prose = _unquoted(text)
    sentences = []
    for start, end in sentence_bounds(article):
        words = _words(prose[start:end])
        if len(words) >= MIN_SENTENCE_WORDS:
            sentences.append((start, end, " ".join(words)))
    markers = find_wire_markers(text)
    # "|" splits the word stream so no 8-gram spans the gap a quote leaves
    prose_shingles = set().union(*(shingles(_words(part)) for part in prose.split("|"))) if prose else set()
    return _ArticleProfile(
        article=article, shingles=prose_shingles, sentences=sentences, markers=markers,
        agencies={m.agency for m in markers},
    )


@dataclass(frozen=True, slots=True)
class SentenceMatch:
    a: int  # article index
    a_sentence: int
    b: int
    b_sentence: int
    ratio: float


def _near_duplicate_sentences(profiles: list[_ArticleProfile]) -> list[SentenceMatch]:
    """Sentence pairs from different articles that are near-identical; blocked by shared 4-grams."""
    from rapidfuzz import fuzz

    postings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a, profile in enumerate(profiles):
        for s, (_, _, norm) in enumerate(profile.sentences):
            for key in shingles(norm.split(), SENTENCE_INDEX_WORDS):
                postings[key].append((a, s))
    candidates: set[tuple[int, int, int, int]] = set()
    for entries in postings.values():
        if len(entries) < 2 or len(entries) > MAX_POSTING:
            continue
        for i, (a, s) in enumerate(entries):
            for b, t in entries[i + 1 :]:
                if a != b:
                    candidates.add((a, s, b, t) if a < b else (b, t, a, s))
    matches = []
    for a, s, b, t in candidates:
        ratio = fuzz.ratio(profiles[a].sentences[s][2], profiles[b].sentences[t][2])
        if ratio >= NEAR_DUPLICATE_RATIO:
            matches.append(SentenceMatch(a, s, b, t, ratio))
    return matches


@dataclass(frozen=True, slots=True)
class PairEvidence:
    containment: float
    sentence_share: float
    shared_sentences: int
    same_agency: bool

    @property
    def linked(self) -> bool:
        return (
            self.containment >= WIRE_CONTAINMENT
            # one shared sentence is a quoted paragraph (see passages), not a shared origin
            or (self.shared_sentences >= 2 and (
                self.sentence_share >= REWRITE_SENTENCE_SHARE
                or self.containment >= REWRITE_CONTAINMENT
                or (self.same_agency and self.sentence_share >= SAME_AGENCY_SENTENCE_SHARE)))
        )


def _pair_evidence(profiles, sentence_matches) -> dict[tuple[int, int], PairEvidence]:
    shingle_postings: dict[int, list[int]] = defaultdict(list)
    for a, profile in enumerate(profiles):
        for key in profile.shingles:
            shingle_postings[key].append(a)
    shared_counts: dict[tuple[int, int], int] = defaultdict(int)
    for owners in shingle_postings.values():
        for i, a in enumerate(owners):
            for b in owners[i + 1 :]:
                shared_counts[(a, b)] += 1
    matched_sentences: dict[tuple[int, int], tuple[set[int], set[int]]] = defaultdict(
        lambda: (set(), set()))
    for m in sentence_matches:
        left, right = matched_sentences[(m.a, m.b)]
        left.add(m.a_sentence)
        right.add(m.b_sentence)
    evidence = {}
    for pair in set(shared_counts) | set(matched_sentences):
        a, b = pair
        smaller = min(len(profiles[a].shingles), len(profiles[b].shingles)) or 1
        left, right = matched_sentences.get(pair, (set(), set()))
        smaller_sentences = min(len(profiles[a].sentences), len(profiles[b].sentences)) or 1
        shared_sentences = min(len(left), len(right))
        evidence[pair] = PairEvidence(
            containment=shared_counts.get(pair, 0) / smaller,
            sentence_share=shared_sentences / smaller_sentences,
            shared_sentences=shared_sentences,
            same_agency=bool(profiles[a].agencies & profiles[b].agencies - {"agencies"}),
        )
    return evidence


def _origin_id(article_ids: list[str]) -> str:
    return "origin-" + hashlib.sha1("|".join(sorted(article_ids)).encode()).hexdigest()[:10]


def group_origins(articles: list[Article]) -> tuple[list[Origin], list[Passage]]:
    """Origins for ``articles`` and the passages shared across different origins."""
    profiles = [_profile(a) for a in articles]
    sentence_matches = _near_duplicate_sentences(profiles)
    evidence = _pair_evidence(profiles, sentence_matches)
    union = ConstrainedUnion(len(articles))
    for (a, b), ev in evidence.items():
        if ev.linked:
            union.try_union(a, b)

    origins: list[Origin] = []
    origin_of_index: dict[int, Origin] = {}
    for indices in union.components():
        ids = [articles[i].id for i in indices]
        agencies = sorted({ag for i in indices for ag in profiles[i].agencies},
                          key=lambda ag: (ag == "agencies", ag))
        marker_text = sorted({articles[i].clean_text[m.start:m.end].strip()
                              for i in indices for m in profiles[i].markers})
        parts = []
        if len(indices) > 1:
            pair_texts = []
            for x, a in enumerate(indices):
                for b in indices[x + 1 :]:
                    ev = evidence.get((min(a, b), max(a, b)))
                    if ev is not None and ev.linked:
                        pair_texts.append(
                            f"{articles[a].outlet_name} ~ {articles[b].outlet_name}: "
                            f"{ev.containment:.0%} of 8-word passages shared, "
                            f"{ev.shared_sentences} near-identical sentences")
            parts.append("; ".join(pair_texts))
        if marker_text:
            parts.append("wire marker " + ", ".join(repr(t) for t in marker_text[:3]))
        if agencies:
            kind = OriginKind.WIRE
        elif len(indices) > 1:
            kind = OriginKind.REWRITE
        else:
            kind = OriginKind.INDEPENDENT
            parts.append("no shared passages or wire markers")
        origin = Origin(
            id=_origin_id(ids), article_ids=ids, kind=kind,
            agency=agencies[0] if agencies else None, evidence="; ".join(p for p in parts if p),
            wire_markers=[
                WireMarkerRecord(span=Span(article_id=articles[i].id, start=m.start, end=m.end),
                           kind=m.kind, agency=m.agency)
                for i in indices for m in profiles[i].markers
            ],
        )
        origins.append(origin)
        for i in indices:
            origin_of_index[i] = origin

    return origins, _passages(articles, profiles, sentence_matches, origin_of_index)


def _passage_source(origins: list[Origin], articles_by_id: dict[str, Article]) -> Origin:
    """Of several origins sharing a passage, the one it most plausibly came from."""

    def earliest(origin: Origin):
        dates = [articles_by_id[a].published for a in origin.article_ids if articles_by_id[a].published]
        return min(dates).toordinal() if dates else 10**9

    return min(origins, key=lambda o: (o.kind != OriginKind.WIRE, earliest(o), -len(o.article_ids), o.id))


def _passages(articles, profiles, sentence_matches, origin_of_index) -> list[Passage]:
    """Sentences shared across *different* origins, each attributed to one source origin."""
    articles_by_id = {a.id: a for a in articles}
    linked: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
    for m in sentence_matches:
        if origin_of_index[m.a].id != origin_of_index[m.b].id:
            linked[(m.a, m.a_sentence)].add((m.b, m.b_sentence))
            linked[(m.b, m.b_sentence)].add((m.a, m.a_sentence))
    passages = []
    for (a, s), others in sorted(linked.items()):
        involved = {origin_of_index[a].id: origin_of_index[a]}
        involved.update({origin_of_index[b].id: origin_of_index[b] for b, _ in others})
        source = _passage_source(list(involved.values()), articles_by_id)
        start, end, _ = profiles[a].sentences[s]
        passages.append(Passage(
            span=Span(article_id=articles[a].id, start=start, end=end),
            origin_id=source.id,
            own_origin_id=origin_of_index[a].id,
            similar_to=[Span(article_id=articles[b].id, start=profiles[b].sentences[t][0],
                             end=profiles[b].sentences[t][1]) for b, t in sorted(others)],
        ))
    return passages


# -- text an article relays from another outlet -------------------------------------------

# Heads of a news organisation's name ("the Daily Herald", "Channel 4 News"): generic English, no outlet named.
MEDIA_WORDS = frozenset("""
times post news journal herald guardian telegraph tribune gazette agency radio tv television network
magazine press daily chronicle observer independent mail express star sun globe wire review insider
reporter bulletin broadcaster newspaper paper outlet channel media standard courier dispatch register
monitor examiner inquirer mirror today weekly report
""".split())
_NAME = r"(?:[Tt]he\s+)?(?:[A-Z][\w.&’'-]*\s+){0,4}[A-Z][\w.&’'-]*"
_RELAY_CUES = [
    # "an excerpt from the Herald's report:" introduces the copied text that follows
    ("excerpt", re.compile(rf"\b(?:an?\s+|the\s+)?(?:excerpt|extract|passage)s?\s+(?:from|of)\s+"
                           rf"(?P<outlet>{_NAME})(?:['’]s?)?\s+(?:report|article|story|piece|coverage|account)")),
    ("reported", re.compile(rf"(?P<outlet>{_NAME})\s+(?:first\s+|earlier\s+|also\s+)?"
                            rf"(?:reported|reports|wrote|published|broke the news)\b")),
    ("report-by", re.compile(rf"\b[Aa]ccording to\s+(?:an?\s+|the\s+)?(?:report|article|story|account)s?\s+"
                             rf"(?:in|by|from|of)\s+(?P<outlet>{_NAME})")),
    ("according-to", re.compile(rf"\b[Aa]ccording to\s+(?P<outlet>{_NAME})")),
]


def _outlet_key(name: str) -> str:
    words = [w.removesuffix("'s") for w in _words(name)]
    if "the" in words:  # "On Monday the Herald" -> "herald"
        words = words[len(words) - words[::-1].index("the"):]
    return " ".join(words)


def relay_source(name: str, story_outlets: dict[str, str]) -> str | None:
    """The origin a cited name stands for: a story outlet's origin, a wire agency, another outlet; else None."""
    key = _outlet_key(name)
    if not key:
        return None
    for outlet_key, origin_id in story_outlets.items():
        if key == outlet_key or (len(key) > 3 and (f" {key}" in f" {outlet_key}" or f" {outlet_key}" in f" {key}")):
            return origin_id
    if key in _AGENCY_ALIASES:
        return "outlet:" + normalise_agency(key).lower()
    if key.split()[-1] in MEDIA_WORDS and len(key.split()) >= 2 or key in MEDIA_WORDS - {"report"}:
        return "outlet:" + key
    return None


def relayed_passages(articles: list[Article], origins: list[Origin]) -> list[Passage]:
    """Text an article relays from another outlet ("the Herald reported that …", "according to AFP",
    an excerpt from another outlet's report): a passage attributed to that outlet's origin.

    A relayed sentence is the cited outlet's word, not a second report: alignment counts
    it under that origin, so an outlet printing another's excerpt never corroborates it.
    """
    origin_of = {a: o.id for o in origins for a in o.article_ids}
    story_outlets = {}
    for article in articles:
        key = _outlet_key(article.outlet_name)
        if key:
            story_outlets.setdefault(key, origin_of.get(article.id, "article:" + article.id))
    passages = []
    for article in articles:
        own = origin_of.get(article.id, "article:" + article.id)
        text = article.clean_text
        bounds = sentence_bounds(article)
        covered: set[tuple[int, int]] = set()
        for start, end in bounds:
            sentence = text[start:end]
            for kind, pattern in _RELAY_CUES:
                match = pattern.search(sentence)
                if match is None:
                    continue
                source = relay_source(match.group("outlet"), story_outlets)
                if source is None or source == own:
                    continue
                spans = [(start, end)]
                if kind == "excerpt":
                    spans.extend(_following_block(text, end))
                for span in spans:
                    if span not in covered:
                        covered.add(span)
                        passages.append(Passage(span=Span(article_id=article.id, start=span[0], end=span[1]),
                                                origin_id=source, own_origin_id=own))
                break
    return passages


def _following_block(text: str, after: int) -> list[tuple[int, int]]:
    """The paragraphs an excerpt cue introduces: the next one, and more while they stay quoted."""
    out = []
    cursor = text.find("\n", after)
    first = True
    while cursor != -1:
        start = cursor + 1
        while start < len(text) and text[start] == "\n":
            start += 1
        if start >= len(text):
            break
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        paragraph = text[start:end].strip()
        if not paragraph or not (first or paragraph[0] in "\"“«„>'‘"):
            break
        out.append((start, end))
        first = False
        cursor = end if end < len(text) else -1
    return out


def origins_stage(briefing: Briefing, resources: Resources) -> Briefing:
    articles = list(briefing.articles)
    origins, passages = group_origins(articles)
    relayed = relayed_passages(articles, origins)
    # a relayed passage names its source; a copied sentence inside it is already attributed
    passages = relayed + [p for p in passages
                          if not any(r.article_id == p.article_id and r.start <= p.start < r.end for r in relayed)]
    return briefing.model_copy(update={"origins": origins, "passages": passages})
