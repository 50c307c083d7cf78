"""Online story clustering: each article, in publication order, joins the story whose centroid
it resembles most, or starts a new one (after Miranda et al. 2018, "Multilingual clustering of
streaming news").

An article is compared with each candidate story's centroid over three TF-IDF views (words,
entities, title), with its nearest recent member, and by time decay; a logistic model trained on
gold streams
(``bench/train_stories.py``) turns those similarities into the probability that the article
belongs to the story. The best candidate wins if that probability clears the model's
threshold; otherwise the article opens a story.

Memory stays flat in stream length: only *active* stories are held (an idle time window plus a
cap, least recently updated first out), centroids keep their heaviest terms only, and document
frequencies decay by halving once the vocabulary passes a cap. The clusterer keeps no article
list: it reports assignments and the merge/split/close events, and ``StoryTracker`` (or a
store) turns them into memberships.

``refine`` moves each article of a finished stream to its best story against the final centroids.
Inputs that are all at hand (``analyze``, ``stories``) go to ``stories.batch`` instead
(``cluster_batch``).
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
from collections import Counter, OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path

from manysides.stories.features import StorySignals, sublinear

FEATURE_NAMES = ("words", "entities", "title", "decay", "log_length", "nearest_member")
WEIGHTS_FILE = "weights.json"


def weights_text(path: str | Path | None = None) -> str:
    """The story models' weights file: the shipped one, or ``path``."""
    if path is None:
        return importlib_resources.files("manysides.stories").joinpath(WEIGHTS_FILE).read_text()
    return Path(path).read_text()


@dataclass(frozen=True)
class StoryModel:
    """The learned new-story decision and the clusterer's knobs (shipped as ``weights.json``)."""

    weights: tuple[float, ...] = (6.0, 4.0, 2.0, 1.0, 0.0, 0.0)
    bias: float = -5.0
    threshold: float = 0.5
    tau_days: float = 3.0  # similarity to a story fades with the days since its last article
    window_days: float = 10.0  # a story idle this long is closed
    max_active: int = 5000
    candidates: int = 8  # stories sharing the most index terms with the article ...
    scored: int = 4  # ... of which those with the best word cosine and time gap get all features
    # Merge and split ask the same model: would one story's centroid, read as an article, be
    # accepted into the other? Merge above merge_probability; split when the two halves of a
    # story's recent members fall under split_probability (lower, so a split is not merged back).
    merge_probability: float = 0.9
    split_probability: float = 0.2
    split_min_size: int = 8
    maintain_every: int = 250
    max_terms: int = 400_000  # document-frequency table size before counts halve

    @classmethod
    def load(cls, path: str | Path | None = None) -> StoryModel:
        data = json.loads(weights_text(path))
        if tuple(data.get("features", FEATURE_NAMES)) != FEATURE_NAMES:
            raise ValueError(f"story weights were trained for features {data.get('features')}, not {FEATURE_NAMES}")
        knobs = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        knobs["weights"] = tuple(knobs["weights"])
        return cls(**knobs)

    def probability(self, features: tuple[float, ...]) -> float:
        z = self.bias
        for weight, value in zip(self.weights, features):
            z += weight * value
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# --------------------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class Assignment:
    article_id: str
    story_id: int
    is_new: bool
    probability: float


@dataclass(frozen=True, slots=True)
class Merged:
    absorbed: int
    into: int


@dataclass(frozen=True, slots=True)
class Split:
    story_id: int
    new_story_id: int
    moved: tuple[str, ...]  # article ids now in the new story


@dataclass(frozen=True, slots=True)
class Closed:
    story_id: int
    size: int
    title: str


Event = Merged | Split | Closed


# --------------------------------------------------------------------------- stories

CENTROID_TERMS = {"words": 300, "entities": 120, "title": 80}
NEAREST_MEMBERS = 6
RECENT_MEMBERS = 24  # members kept per story to test a split; older ones are summarised in the centroid
INDEX_TERMS_PER_ARTICLE = 8  # heaviest words, and as many entities
MAX_POSTING = 64  # a term in more active stories than this names no story (e.g. "said")
MERGE_TERMS = 120  # index terms of a story read to find merge partners
MERGE_MIN_VOTES = 3  # shared index terms before two centroids are compared at all
MERGE_MIN_COSINE = 0.3  # word-centroid cosine too low for any merge to be worth asking the model


class _Story:
    __slots__ = ("id", "views", "norms_sq", "size", "first", "last", "title", "recent", "index_terms",
                 "checked_size", "terms_total")

    def __init__(self, story_id: int, time: float, title: str):
        self.id = story_id
        self.views: dict[str, dict[str, float]] = {"words": {}, "entities": {}, "title": {}}
        self.norms_sq = {"words": 0.0, "entities": 0.0, "title": 0.0}
        self.size = 0
        self.first = time
        self.last = time
        self.title = title
        self.recent: deque[tuple[str, _Vectors]] = deque(maxlen=RECENT_MEMBERS)
        self.terms_total = 0  # distinct words over all members: the mean article length
        self.index_terms: set[str] = set()
        self.checked_size = 0  # size at the last split test: a story is re-tested once it grew

    def cosine(self, view: str, vector: dict[str, float]) -> tuple[float, float]:
        """(cosine, raw dot) of a unit ``vector`` with this story's centroid in one view."""
        centroid = self.views[view]
        norm_sq = self.norms_sq[view]
        if norm_sq <= 0.0 or not vector:
            return 0.0, 0.0
        get = centroid.get
        dot = 0.0
        for term, weight in vector.items():
            value = get(term)
            if value is not None:
                dot += weight * value
        return dot / math.sqrt(norm_sq), dot

    def add_vector(self, view: str, vector: dict[str, float], dot: float | None = None) -> None:
        if not vector:
            return
        centroid = self.views[view]
        if dot is None:
            dot = sum(w * centroid.get(t, 0.0) for t, w in vector.items())
        vector_sq = sum(w * w for w in vector.values())
        for term, weight in vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
        self.norms_sq[view] += 2.0 * dot + vector_sq
        if len(centroid) > 2 * CENTROID_TERMS[view]:
            self._prune(view)

    def _prune(self, view: str) -> None:
        kept = dict(heapq.nlargest(CENTROID_TERMS[view], self.views[view].items(), key=lambda kv: kv[1]))
        self.views[view] = kept
        self.norms_sq[view] = sum(w * w for w in kept.values())

    def top_terms(self) -> set[str]:
        terms: set[str] = set()
        for view, limit in (("words", 30), ("entities", 20)):
            terms.update(_prefixed(view, t) for t, _ in heapq.nlargest(limit, self.views[view].items(),
                                                                       key=lambda kv: kv[1]))
        return terms


def _prefixed(view: str, term: str) -> str:
    # one inverted index for three views: a person called "Rose" is not the flower
    return term if view == "words" else f"{view[0]}:{term}"


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm > 0 else {}


def centroid_cosine(a: dict[str, float], a_sq: float, b: dict[str, float], b_sq: float) -> float:
    if a_sq <= 0 or b_sq <= 0:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    dot = 0.0
    for term, weight in a.items():
        value = get(term)
        if value is not None:
            dot += weight * value
    return dot / math.sqrt(a_sq * b_sq)


# --------------------------------------------------------------------------- the clusterer


@dataclass
class _Vectors:
    words: dict[str, float]
    entities: dict[str, float]
    title: dict[str, float]
    index_terms: list[str] = field(default_factory=list)
    length: float = 0.0  # distinct words of the article (mean, for a story read as an article)

    def view(self, name: str) -> dict[str, float]:
        return getattr(self, name)


class StoryClusterer:
    """Assigns a stream of ``StorySignals`` to stories; see the module docstring."""

    def __init__(self, model: StoryModel | None = None):
        self.model = model or StoryModel.load()
        self.document_frequency: dict[str, int] = {}
        self.documents = 0
        self.active: OrderedDict[int, _Story] = OrderedDict()  # least recently updated first
        self.index: dict[str, set[int]] = {}
        self.events: list[Event] = []
        self.now = -math.inf
        self._next_id = 0
        self._since_maintenance = 0
        self._touched: set[int] = set()

    # -- public ------------------------------------------------------------
    def add(self, signals: StorySignals, vectors: _Vectors | None = None) -> Assignment:
        """Assign one article. ``vectors``: made already by ``vectorise`` of another clusterer fed
        the same stream (a featuriser, e.g. in a second process), whose document frequencies
        then stand for this one's; this clusterer's own stay unused."""
        if vectors is None:
            vectors = self.vectorise(signals)
        best, best_p, best_dots = None, 0.0, None
        for story, features, dots in self.candidate_features(signals, vectors):
            p = self.model.probability(features)
            if p > best_p:
                best, best_p, best_dots = story, p, dots
        if best is None or best_p < self.model.threshold:
            story = self.place(signals, vectors, None)
            assignment = Assignment(signals.id, story.id, True, best_p)
        else:
            self.place(signals, vectors, best, dots=best_dots)
            assignment = Assignment(signals.id, best.id, False, best_p)
        self._since_maintenance += 1
        if self._since_maintenance >= self.model.maintain_every:
            self.maintain()
        return assignment

    def drain_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events

    def flush(self) -> list[Event]:
        """End of stream: a last merge/split pass, then every event not yet drained."""
        self.maintain()
        return self.drain_events()

    def story_title(self, story_id: int) -> str | None:
        story = self.active.get(story_id)
        return story.title if story else None

    # -- persistence: a resumed watch continues the same stories -------------
    def to_state(self) -> str:
        """The whole clusterer as JSON (no pickle: a database file must never run code)."""
        stories = [
            {"id": st.id, "views": st.views, "norms_sq": st.norms_sq, "size": st.size, "first": st.first,
             "last": st.last, "title": st.title,
             "recent": [[a, v.words, v.entities, v.title, v.length] for a, v in st.recent],
             "index_terms": sorted(st.index_terms), "checked_size": st.checked_size, "terms_total": st.terms_total}
            for st in self.active.values()
        ]
        return json.dumps({
            "version": 1, "document_frequency": self.document_frequency, "documents": self.documents,
            "stories": stories, "now": self.now, "next_id": self._next_id,
            "since_maintenance": self._since_maintenance, "touched": sorted(self._touched),
        })

    @classmethod
    def from_state(cls, state: str, model: StoryModel | None = None) -> StoryClusterer:
        data = json.loads(state)
        clusterer = cls(model)
        clusterer.document_frequency = data["document_frequency"]
        clusterer.documents = data["documents"]
        clusterer.now = data["now"]
        clusterer._next_id = data["next_id"]
        clusterer._since_maintenance = data["since_maintenance"]
        clusterer._touched = set(data["touched"])
        for item in data["stories"]:
            story = _Story(item["id"], item["first"], item["title"])
            story.views, story.norms_sq = item["views"], item["norms_sq"]
            story.size, story.last, story.checked_size = item["size"], item["last"], item["checked_size"]
            story.recent = deque(((a, _Vectors(w, e, t, [], n)) for a, w, e, t, n in item["recent"]),
                                 maxlen=RECENT_MEMBERS)
            story.terms_total = item["terms_total"]
            story.index_terms = set(item["index_terms"])
            for term in story.index_terms:
                clusterer.index.setdefault(term, set()).add(story.id)
            clusterer.active[story.id] = story
        return clusterer

    # -- pieces the trainer drives too --------------------------------------
    def vectorise(self, signals: StorySignals, *, learn: bool = True) -> _Vectors:
        """Unit TF-IDF vectors of the three views; document frequencies learn from the article first."""
        df = self.document_frequency
        if learn:
            self.learn_frequencies(signals)
            df = self.document_frequency
        log_n = math.log(self.documents + 1)
        views = {}
        for view, counts in (("words", signals.words), ("entities", signals.entities), ("title", signals.title)):
            weighted = {t: w * (log_n - math.log(df.get(_prefixed(view, t), 0) + 1) + 1.0)
                        for t, w in sublinear(counts).items()}
            views[view] = _unit(weighted)
        top_words = heapq.nlargest(INDEX_TERMS_PER_ARTICLE, views["words"].items(), key=lambda kv: kv[1])
        top_entities = heapq.nlargest(INDEX_TERMS_PER_ARTICLE, views["entities"].items(), key=lambda kv: kv[1])
        # title words are counted among the words already: indexing them again adds no candidates
        index_terms = [t for t, _ in top_words] + [_prefixed("entities", t) for t, _ in top_entities]
        return _Vectors(views["words"], views["entities"], views["title"], index_terms, len(views["words"]))

    def learn_frequencies(self, signals: StorySignals) -> None:
        df = self.document_frequency
        self.documents += 1
        seen = set()
        for view, counts in (("words", signals.words), ("entities", signals.entities), ("title", signals.title)):
            for term in counts:
                key = _prefixed(view, term)
                if key not in seen:
                    seen.add(key)
                    df[key] = df.get(key, 0) + 1
        if len(df) > self.model.max_terms:
            self._halve_frequencies()

    def candidate_features(self, signals: StorySignals, vectors: _Vectors):
        """(story, features, dots) for the active stories that share the most index terms."""
        get = self.index.get
        postings = [posting for posting in map(get, vectors.index_terms)
                    if posting and len(posting) <= MAX_POSTING]
        if not postings:
            return []
        # Counter counts in C; most_common keeps first-seen order among ties, as a dict loop would
        chosen = Counter(itertools.chain.from_iterable(postings)).most_common(self.model.candidates)
        stories = [self.active[story_id] for story_id, _ in chosen]
        if len(stories) > self.model.scored:
            # the full features cost a centroid read per view and one per recent member: a word
            # cosine and the time gap, the two cheap features, pick the candidates worth that
            words_weight, decay_weight = self.model.weights[0], self.model.weights[3]
            stories = heapq.nlargest(self.model.scored, stories, key=lambda story: (
                words_weight * story.cosine("words", vectors.words)[0]
                + decay_weight * self.decay(story, signals.time)))
        out = []
        for story in stories:
            features, dots = self.features(story, vectors, signals.time)
            out.append((story, features, dots))
        return out

    def decay(self, story: _Story, time: float) -> float:
        if math.isnan(time) or math.isnan(story.first) or story.first <= time <= story.last:
            return 1.0  # an undated article or story: time says nothing either way
        return math.exp(-min(abs(time - story.first), abs(time - story.last)) / self.model.tau_days)

    def features(self, story: _Story, vectors: _Vectors, time: float):
        # the three story.cosine calls, inlined: this is the hot loop of a stream
        views, norms_sq = story.views, story.norms_sq
        dots = []
        cosines = []
        for view, vector in (("words", vectors.words), ("entities", vectors.entities), ("title", vectors.title)):
            norm_sq = norms_sq[view]
            dot = 0.0
            if norm_sq > 0.0 and vector:
                get = views[view].get
                for term, weight in vector.items():
                    value = get(term)
                    if value is not None:
                        dot += weight * value
                cosines.append(dot / math.sqrt(norm_sq))
            else:
                cosines.append(0.0)
            dots.append(dot)
        words, entities, title = cosines
        words_dot, entities_dot, title_dot = dots
        decay = self.decay(story, time)
        # the closest recent member catches a story that drifts away from its centroid
        nearest = 0.0
        article_words = vectors.words
        article_items = list(article_words.items())
        for _, member in itertools.islice(reversed(story.recent), NEAREST_MEMBERS):
            get = member.words.get  # both unit vectors: the dot is the cosine
            dot = 0.0
            for term, weight in article_items:
                value = get(term)
                if value is not None:
                    dot += weight * value
            if dot > nearest:
                nearest = dot
        # long articles share more background with any story: length shifts the bar
        features = (words, entities, title, decay, math.log1p(vectors.length), nearest)
        return features, {"words": words_dot, "entities": entities_dot, "title": title_dot}

    def place(self, signals: StorySignals, vectors: _Vectors, story: _Story | None, *,
              dots: dict[str, float] | None = None) -> _Story:
        """Put the article in ``story`` (None: a new one) and keep the index and LRU order current."""
        if story is None:
            story = _Story(self._next_id, signals.time, signals.title_text)
            self._next_id += 1
            self.active[story.id] = story
        else:
            self.active.move_to_end(story.id)
            if signals.title_text and (not story.title or len(signals.title_text) < len(story.title)):
                story.title = signals.title_text  # the shortest headline is the least editorial
        for view in ("words", "entities", "title"):
            story.add_vector(view, vectors.view(view), None if dots is None else dots[view])
        story.size += 1
        if not math.isnan(signals.time):
            if math.isnan(story.first):
                story.first = story.last = signals.time
            story.first = min(story.first, signals.time)
            story.last = max(story.last, signals.time)
            self.now = max(self.now, signals.time)
        story.recent.append((signals.id, vectors))
        story.terms_total += vectors.length
        new_terms = [t for t in vectors.index_terms if t not in story.index_terms]
        for term in new_terms:
            story.index_terms.add(term)
            self.index.setdefault(term, set()).add(story.id)
        if len(story.index_terms) > 400:
            self._reindex(story)
        self._touched.add(story.id)
        while len(self.active) > self.model.max_active:
            self._close(next(iter(self.active.values())))
        return story

    # -- maintenance --------------------------------------------------------
    def maintain(self) -> None:
        """Close idle stories, merge stories whose centroids converged, split those that fell apart."""
        self._since_maintenance = 0
        horizon = self.now - self.model.window_days
        for story in [s for s in self.active.values() if s.last < horizon]:  # NaN (undated) never expires
            self._close(story)
        touched = [self.active[i] for i in sorted(self._touched) if i in self.active]
        self._touched = set()
        for story in touched:
            if story.id in self.active:
                self._try_merge(story)
        for story in touched:
            if (story.id in self.active and len(story.recent) >= self.model.split_min_size
                    and story.size >= max(story.checked_size * 3 // 2, story.checked_size + 4)):
                # re-tested as it grows by half: a story's tests cost log(size), not size
                story.checked_size = story.size
                self._try_split(story)

    def _as_article(self, story: _Story) -> _Vectors:
        """A story's centroid read as one article, for the model's merge and split questions."""
        return _Vectors(_unit(story.views["words"]), _unit(story.views["entities"]), _unit(story.views["title"]),
                        [], story.terms_total / max(1, story.size))

    def _accepts(self, story: _Story, other: _Story) -> float:
        """Probability that ``other`` (read as an article) belongs to ``story``."""
        features, _ = self.features(story, self._as_article(other), other.last)
        return self.model.probability(features)

    def _try_merge(self, story: _Story) -> None:
        get = self.index.get
        postings = [posting for posting in map(get, itertools.islice(story.index_terms, MERGE_TERMS))
                    if posting and len(posting) <= MAX_POSTING // 2]
        votes = Counter(itertools.chain.from_iterable(postings))
        votes.pop(story.id, None)
        for other_id, count in votes.most_common(3):
            other = self.active.get(other_id)
            if count < MERGE_MIN_VOTES:
                break
            if other is None or story.id not in self.active:
                continue
            keep, gone = (story, other) if story.size >= other.size else (other, story)
            # the model's question costs a centroid read: a plain cosine screens the pairs first
            if centroid_cosine(keep.views["words"], keep.norms_sq["words"], gone.views["words"],
                               gone.norms_sq["words"]) < MERGE_MIN_COSINE:
                continue
            if self._accepts(keep, gone) >= self.model.merge_probability:
                self._merge(keep, gone)

    def _merge(self, keep: _Story, gone: _Story) -> None:
        for view in ("words", "entities", "title"):
            centroid = keep.views[view]
            for term, weight in gone.views[view].items():
                centroid[term] = centroid.get(term, 0.0) + weight
            keep.norms_sq[view] = sum(w * w for w in centroid.values())
            if len(centroid) > 2 * CENTROID_TERMS[view]:
                keep._prune(view)
        keep.size += gone.size
        keep.terms_total += gone.terms_total
        if math.isnan(keep.first):
            keep.first, keep.last = gone.first, gone.last
        elif not math.isnan(gone.first):
            keep.first, keep.last = min(keep.first, gone.first), max(keep.last, gone.last)
        keep.recent.extend(gone.recent)
        if gone.title and (not keep.title or len(gone.title) < len(keep.title)):
            keep.title = gone.title
        self._forget(gone)
        for term in gone.index_terms:
            if term not in keep.index_terms:
                keep.index_terms.add(term)
                self.index.setdefault(term, set()).add(keep.id)
        if len(keep.index_terms) > 400:
            self._reindex(keep)
        self.events.append(Merged(absorbed=gone.id, into=keep.id))

    def _try_split(self, story: _Story) -> None:
        members = list(story.recent)
        vectors = [v.words for _, v in members]
        centroid = _sum(vectors)
        centroid_sq = sum(w * w for w in centroid.values())
        similarities = [centroid_cosine(v, 1.0, centroid, centroid_sq) for v in vectors]
        seed_a = min(range(len(vectors)), key=similarities.__getitem__)
        seed_b = min(range(len(vectors)), key=lambda i: centroid_cosine(vectors[i], 1.0, vectors[seed_a], 1.0))
        centres = [vectors[seed_a], vectors[seed_b]]
        parts: list[list[int]] = [[], []]
        for _ in range(3):  # a few 2-means rounds; recent members are few
            parts = [[], []]
            sq = [sum(w * w for w in c.values()) for c in centres]
            for i, v in enumerate(vectors):
                a = centroid_cosine(v, 1.0, centres[0], sq[0])
                b = centroid_cosine(v, 1.0, centres[1], sq[1])
                parts[0 if a >= b else 1].append(i)
            if not parts[0] or not parts[1]:
                return
            centres = [_sum([vectors[i] for i in part]) for part in parts]
        big, small = sorted(parts, key=len, reverse=True)
        if len(small) < 3:
            return
        halves = []
        for part in (big, small):
            half = _Story(-1, math.nan, "")
            for view in ("words", "entities", "title"):
                centroid = _sum(members[i][1].view(view) for i in part)
                half.views[view] = centroid
                half.norms_sq[view] = sum(w * w for w in centroid.values())
                if len(centroid) > 2 * CENTROID_TERMS[view]:
                    half._prune(view)
            half.size = len(part)
            half.terms_total = sum(members[i][1].length for i in part)
            half.recent.extend(members[i] for i in part)
            halves.append(half)
        halves[0].first = halves[0].last = halves[1].first = halves[1].last = story.last
        if self._accepts(halves[0], halves[1]) >= self.model.split_probability:
            return
        moved = halves[1]
        moved_ids = {article_id for article_id, _ in moved.recent}
        for view in ("words", "entities", "title"):
            centroid = story.views[view]
            for term, weight in moved.views[view].items():
                left = centroid.get(term, 0.0) - weight
                if left > 1e-9:
                    centroid[term] = left
                else:
                    centroid.pop(term, None)
            story.norms_sq[view] = sum(w * w for w in centroid.values())
        story.recent = deque((m for m in members if m[0] not in moved_ids), maxlen=RECENT_MEMBERS)
        story.size = max(1, story.size - moved.size)
        story.terms_total = max(0.0, story.terms_total - moved.terms_total)
        moved.id = self._next_id
        self._next_id += 1
        moved.title = story.title
        moved.checked_size = moved.size
        self.active[moved.id] = moved
        self._reindex(moved)
        self.events.append(Split(story_id=story.id, new_story_id=moved.id, moved=tuple(sorted(moved_ids))))

    def _reindex(self, story: _Story) -> None:
        terms = story.top_terms()
        for term in story.index_terms - terms:
            posting = self.index.get(term)
            if posting is not None:
                posting.discard(story.id)
                if not posting:
                    del self.index[term]
        for term in terms - story.index_terms:
            self.index.setdefault(term, set()).add(story.id)
        story.index_terms = terms

    def _forget(self, story: _Story) -> None:
        for term in story.index_terms:
            posting = self.index.get(term)
            if posting is not None:
                posting.discard(story.id)
                if not posting:
                    del self.index[term]
        self.active.pop(story.id, None)
        self._touched.discard(story.id)

    def _close(self, story: _Story) -> None:
        self._forget(story)
        self.events.append(Closed(story_id=story.id, size=story.size, title=story.title))

    def _halve_frequencies(self) -> None:
        # recent news defines what is common; halving keeps the table bounded and forgets slowly
        self.document_frequency = {t: c // 2 for t, c in self.document_frequency.items() if c >= 2}
        self.documents = max(1, self.documents // 2)


def _sum(vectors: Iterable[dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    return total


# --------------------------------------------------------------------------- memberships


class StoryTracker:
    """Article -> story after merges and splits: assignments plus events, resolved by union-find."""

    def __init__(self):
        self.assigned: dict[str, int] = {}
        self.parent: dict[int, int] = {}
        self.titles: dict[int, str] = {}

    def record(self, assignment: Assignment, events: Iterable[Event] = ()) -> None:
        self.assigned[assignment.article_id] = assignment.story_id
        self.apply(events)

    def apply(self, events: Iterable[Event]) -> None:
        for event in events:
            if isinstance(event, Merged):
                self.parent[self.find(event.absorbed)] = self.find(event.into)
            elif isinstance(event, Split):
                for article_id in event.moved:
                    self.assigned[article_id] = event.new_story_id

    def find(self, story_id: int) -> int:
        root = story_id
        while root in self.parent:
            root = self.parent[root]
        while story_id != root:  # path compression keeps later look-ups short
            self.parent[story_id], story_id = root, self.parent[story_id]
        return root

    def story_of(self, article_id: str) -> int:
        return self.find(self.assigned[article_id])

    def stories(self) -> dict[int, list[str]]:
        groups: dict[int, list[str]] = {}
        for article_id in self.assigned:
            groups.setdefault(self.story_of(article_id), []).append(article_id)
        return groups


def cluster_stream(signals: Iterable[StorySignals], model: StoryModel | None = None) -> dict[int, list[str]]:
    """Cluster a whole stream (already in publication order); story id -> article ids."""
    clusterer = StoryClusterer(model)
    tracker = StoryTracker()
    for item in signals:
        tracker.record(clusterer.add(item), clusterer.drain_events())
    tracker.apply(clusterer.flush())
    return tracker.stories()


def refine(signals: list[StorySignals], groups: dict[int, list[str]], model: StoryModel | None = None, *,
           rounds: int = 3) -> dict[int, list[str]]:
    """Batch clean-up after the online pass, when every article is at hand (``analyze``, ``stories``).

    Each article moves to the story the model rates highest against the final centroids, its own
    story read without it (leave-one-out); an article no story accepts opens its own. A few rounds
    of this k-means-like step fix what the one-pass order got wrong: an early article that opened
    a story its later siblings joined elsewhere.
    """
    model = model or StoryModel.load()
    scorer = StoryClusterer(model)
    for item in signals:  # final document frequencies first, so every article is weighed alike
        scorer.learn_frequencies(item)
    vectors = {item.id: scorer.vectorise(item, learn=False) for item in signals}
    by_id = {item.id: item for item in signals}
    story_of = {a: k for k, members in groups.items() for a in members}
    for _ in range(rounds):
        stories = _build_stories(_groups_of(story_of), by_id, vectors)
        index: dict[str, set[int]] = {}
        for story in stories.values():
            for term in story.top_terms():
                index.setdefault(term, set()).add(story.id)
        moved = 0
        next_key = max(stories) + 1 if stories else 0
        new_story_of = {}
        for item in signals:
            vec, own = vectors[item.id], story_of[item.id]
            votes: dict[int, int] = {}
            for term in vec.index_terms:
                for key in index.get(term, ()):
                    votes[key] = votes.get(key, 0) + 1
            best, best_p = None, 0.0
            for key, _ in heapq.nlargest(model.candidates, votes.items(), key=lambda kv: kv[1]):
                story = stories[key]
                if key == own:
                    if story.size == 1:
                        continue
                    story = _without(story, item.id, vec)
                p = model.probability(scorer.features(story, vec, item.time)[0])
                if p > best_p:
                    best, best_p = key, p
            if best is None or best_p < model.threshold:
                best = own if stories[own].size == 1 else next_key
                next_key += best == next_key
            moved += best != own
            new_story_of[item.id] = best
        story_of = new_story_of
        if not moved:
            break
    return _groups_of(story_of)


def _build_stories(groups: dict[int, list[str]], by_id: dict[str, StorySignals],
                   vectors: dict[str, _Vectors]) -> dict[int, _Story]:
    stories: dict[int, _Story] = {}
    for key, members in groups.items():
        story = _Story(key, math.nan, "")
        for article_id in members:
            item, vec = by_id[article_id], vectors[article_id]
            for view in ("words", "entities", "title"):
                story.add_vector(view, vec.view(view))
            story.size += 1
            story.terms_total += vec.length
            if not math.isnan(item.time):
                story.first = item.time if math.isnan(story.first) else min(story.first, item.time)
                story.last = item.time if math.isnan(story.last) else max(story.last, item.time)
            story.recent.append((article_id, vec))
        stories[key] = story
    return stories


def _groups_of(story_of: dict[str, int]) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for article_id, key in story_of.items():
        groups.setdefault(key, []).append(article_id)
    return groups


def _without(story: _Story, article_id: str, vectors: _Vectors) -> _Story:
    """A copy of ``story`` without one member (its centroid and recent members less that article)."""
    copy = _Story(story.id, story.first, story.title)
    copy.last = story.last
    for view in ("words", "entities", "title"):
        centroid = dict(story.views[view])
        for term, weight in vectors.view(view).items():
            left = centroid.get(term, 0.0) - weight
            if left > 1e-9:
                centroid[term] = left
            else:
                centroid.pop(term, None)
        copy.views[view] = centroid
        copy.norms_sq[view] = sum(w * w for w in centroid.values())
    copy.size = story.size - 1
    copy.recent = deque((m for m in story.recent if m[0] != article_id), maxlen=RECENT_MEMBERS)
    return copy


def cluster_batch(signals: Iterable[StorySignals], model=None) -> dict[int, list[str]]:
    """All articles at hand: average-link clustering over pair probabilities (``stories.batch``).

    ``model`` is a ``batch.PairModel`` (None: the shipped one). Deciding with every article
    known beats the one pass in publication order and its ``refine`` clean-up (ECB+ test
    subtopic B-cubed F1 0.82 for that pair of passes), so the online clusterer serves streams only.
    """
    from manysides.stories.batch import cluster_all

    return cluster_all(signals, model)
