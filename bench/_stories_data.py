"""Gold streams for story clustering (bench/stories.py, bench/train_stories.py), read from ../shared/data.

- ECB+: one document per XML file; gold story = subtopic (topic + ecb/ecbplus), gold topic = topic.
  Publication dates come from the document's own dateline, as the ingest finds them for text.
- NeuS/AllSides: one line = one event of three articles; gold story = split + line. The corpus
  carries no dates, so each event gets a day on a synthetic timeline and its articles arrive
  in random order within a few days of it (a stream "in a random order within a time window").
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from _common import data_dir, ecb_documents

from manysides.ingest.metadata import dateline_date
from manysides.stories.features import StorySignals, day_of, signals_from_text

ECB_TRAIN = [1, 3, 4, 6, 7, 8, 9, 10, 11, 13, 14, 16, 19, 20, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33]
ECB_DEV = [2, 5, 12, 18, 21, 23, 34, 35]
ECB_TEST = list(range(36, 46))
NEUS_RESERVED = {("test", 3), ("test", 9), ("test", 239)}  # outside evaluation: pooled only, never inspected


@dataclass(frozen=True)
class GoldArticle:
    id: str
    story: str
    topic: str
    title: str
    text: str
    time: float

    def signals(self) -> StorySignals:
        return signals_from_text(self.id, title=self.title, text=self.text, time=self.time)


def ecb_articles(topics: list[int]) -> list[GoldArticle]:
    articles = []
    for path, lines in ecb_documents({str(topic) for topic in topics}):
        text = "\n".join(lines)
        topic = path.parent.name
        subtopic = f"{topic}{'plus' if path.name.endswith('ecbplus.xml') else 'ecb'}"
        articles.append(GoldArticle(id=path.stem, story=subtopic, topic=topic, title=lines[0] if lines else "",
                                    text="\n".join(lines[1:]), time=day_of(dateline_date(text))))
    order = {str(topic): n for n, topic in enumerate(topics)}
    return sorted(articles, key=lambda a: order[a.topic])  # stable: file order within a topic


_NEUS_ARTICLE = re.compile(r"TITLE=>\s*(.*?)\.?\s*ARTICLE=>\s*(.*)", re.DOTALL)


def neus_events(splits: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(event key, [(title, text) x 3]) per line of each split."""
    events = []
    folder = data_dir("neus_allsides")
    for split in splits:
        with open(folder / f"{split}.source", encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                articles = []
                for piece in line.strip().split(" [SEP] "):
                    match = _NEUS_ARTICLE.match(piece.strip())
                    title, text = (match.group(1), match.group(2)) if match else ("", piece)
                    articles.append((title, text))
                events.append((f"{split}:{number}", articles))
    return events


def neus_stream(splits: list[str], *, seed: int = 0, events_per_day: int = 60,
                spread_days: float = 3.0) -> list[GoldArticle]:
    """Events in random order on a timeline; articles within ``spread_days`` of their event, sorted by time."""
    rng = random.Random(seed)
    events = neus_events(splits)
    rng.shuffle(events)
    stream = []
    for position, (key, articles) in enumerate(events):
        day = position / events_per_day
        for n, (title, text) in enumerate(articles):
            stream.append(GoldArticle(id=f"{key}:{n}", story=key, topic=key, title=title, text=text,
                                      time=float(int(day + rng.uniform(0, spread_days)))))
    rng.shuffle(stream)  # random order within a day: the sort below is stable
    return sorted(stream, key=lambda article: article.time)


# --------------------------------------------------------------------------- metrics


def b_cubed(gold: dict[str, str], predicted: dict[str, object]) -> tuple[float, float, float]:
    gold_sets: dict[str, set[str]] = {}
    pred_sets: dict[object, set[str]] = {}
    for item, label in gold.items():
        gold_sets.setdefault(label, set()).add(item)
        pred_sets.setdefault(predicted[item], set()).add(item)
    precision = recall = 0.0
    for item in gold:
        g, p = gold_sets[gold[item]], pred_sets[predicted[item]]
        overlap = len(g & p)
        precision += overlap / len(p)
        recall += overlap / len(g)
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, _f1(precision, recall)


def pairwise(gold: dict[str, str], predicted: dict[str, object]) -> tuple[float, float, float]:
    from collections import Counter

    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = Counter((gold[i], predicted[i]) for i in gold)
    true_pairs = pairs(both)
    gold_pairs = pairs(Counter(gold.values()))
    pred_pairs = pairs(Counter(predicted[i] for i in gold))
    precision = true_pairs / pred_pairs if pred_pairs else 1.0
    recall = true_pairs / gold_pairs if gold_pairs else 1.0
    return precision, recall, _f1(precision, recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0
