"""Cross-document EVENT coreference on ECB+ test topics 36-45, gold event mentions, gold topics.

    .venv/bin/python bench/ecb_events.py [--fast] [--json PATH]

Data: ../shared/data/ecbplus (Cybulska & Vossen 2014, CC-BY 3.0). Mentions are the gold
ACTION_* and NEG_* markables in the sentences of ECBplus_coreference_sentences.csv (the
standard restriction); gold chains are CROSS_DOC_COREF instance ids, INTRA_DOC_COREF chains
within their document, anything else a singleton (singletons are scored, as in Barhom et
al. 2019 and Cattan et al. 2021).

Systems, both computed in this run, both within each gold topic:
* same-head-lemma baseline: one cluster per lemma of the trigger's head;
* ours: documents of a topic are first clustered into stories by the product's batch
  story clusterer (``manysides.stories.batch.cluster_all``, what ``manysides stories`` and
  ``analyze`` run; its average-link bar is the one with the best pairwise F1 against the train
  topics' subtopics; ``--stories tfidf``: the earlier TF-IDF cosine average linkage, cut chosen
  the same way; test CoNLL 0.792 with the product's stories, 0.776 with TF-IDF before), then event mentions
  within a story are clustered by average linkage over a mention-pair probability:
  a logistic model on the trigger lemmas (equal? cosine of their embeddings), the
  arguments the parse gives the trigger (subject, object: agree / clash / unknown),
  the cosine of the two sentences, the claim-pair judgement's P(same fact) for
  the two sentences (``manysides.analyse.alignment.pairs``, claims model), the cosine of the two
  triggers' MiniLM states in their sentences, the TF-IDF cosine of the two documents, and how
  often the two trigger lemmas co-referred in the train topics (a train topic's own pairs left
  out). The last two lifted dev CoNLL from 0.768 to 0.777. The model is fitted on
  the train topics, the linkage cut chosen for CoNLL F1 on the dev topics; test topics
  are only scored.

Metrics: MUC, B³, CEAF-e and their mean (CoNLL F1), from bench/ecb_coref.py. Anchor
(SOURCE.md): ACCI (Yao et al. 2025), CoNLL F1 88.4 with gold mentions. ``--fast``:
test topics 36-40, a third of the train topics, dev topics 2, 5, 12 for the cut, TF-IDF stories.
"""

from __future__ import annotations

import csv
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _common import data_dir, parser  # noqa: E402
from ecb_coref import evaluate, report  # noqa: E402

TRAIN_TOPICS = [1, 3, 4, 6, 7, 8, 9, 10, 11, 13, 14, 16, 19, 20, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33]
DEV_TOPICS = [2, 5, 12, 18, 21, 23, 34, 35]
TEST_TOPICS = list(range(36, 46))
EVENT_PREFIXES = ("ACTION", "NEG")
# Which claim-pair model gives the sentences' P(same fact) ("claims" or "paraphrase", see
# ``pairs.load_pair_model``): chosen by dev CoNLL (claims 0.777, paraphrase 0.774).
SENTENCE_MODEL = "claims"
# "boosted" (gradient-boosted trees) or "logistic" for the mention-pair model
PAIR_LEARNER = "boosted"
PAIR_FEATURES = ("lemma_same", "trigger_cosine", "sentence_cosine", "sentence_p_same", "subject_match",
                 "object_match", "same_sentence", "same_doc", "pos_same", "lemma_pair_rate", "lemma_pair_seen",
                 "trigger_context_cosine", "document_cosine")


class LemmaPairs:
    """How often two trigger lemmas co-referred in the train topics (a train topic's own pairs are
    left out when it is featurised, so the model cannot learn its labels through this table)."""

    def __init__(self):
        self.total: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        self.by_topic: dict[int, dict[tuple[str, str], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))

    def add(self, topic: int, a: str, b: str, same: bool) -> None:
        key = (a, b) if a <= b else (b, a)
        for table in (self.total, self.by_topic[topic]):
            table[key][0] += int(same)
            table[key][1] += 1

    def rate(self, topic: int, a: str, b: str) -> tuple[float, float]:
        key = (a, b) if a <= b else (b, a)
        same, seen = self.total.get(key, (0, 0))
        own = self.by_topic.get(topic, {}).get(key, (0, 0))
        same, seen = same - own[0], seen - own[1]
        return ((same + 0.5) / (seen + 1), 1.0) if seen >= 2 else (0.0, 0.0)


def lemma_pairs(data: dict[int, dict], cut: float) -> LemmaPairs:
    table = LemmaPairs()
    for topic, d in data.items():
        for mentions in stories(d, cut):
            for i, a in enumerate(mentions):
                for b in mentions[i + 1 :]:
                    table.add(topic, a["lemma"], b["lemma"], a["gold"] == b["gold"])
    return table


def load_topic(topic: int, annotated: set) -> dict:
    """Documents (text, sentences as word lists) and event mentions of one topic."""
    root = data_dir("ecbplus")
    docs, mentions = {}, []
    for path in sorted((root / "xml" / str(topic)).glob("*.xml")):
        doc = path.stem
        tree = ET.parse(path).getroot()
        tokens = {}
        sentences: dict[int, list[str]] = defaultdict(list)
        for t in tree.iter("token"):
            n = int(t.get("sentence"))
            tokens[t.get("t_id")] = (n, len(sentences[n]))
            sentences[n].append(t.text or "")
        is_plus = doc.endswith("ecbplus")
        docs[doc] = {"sentences": dict(sentences),
                     "text": " ".join(" ".join(w) for n, w in sorted(sentences.items()) if not (is_plus and n == 0))}
        chain_of: dict[str, str] = {}
        relations = tree.find("Relations")
        for relation in (relations if relations is not None else []):
            if relation.tag not in ("CROSS_DOC_COREF", "INTRA_DOC_COREF"):
                continue
            note = relation.get("note") or relation.get("r_id")
            scope = note if relation.tag == "CROSS_DOC_COREF" else f"{doc}:{note}"
            for source in relation.findall("source"):
                chain_of[source.get("m_id")] = scope
        markables = tree.find("Markables")
        for markable in (markables if markables is not None else []):
            anchors = [a.get("t_id") for a in markable.findall("token_anchor") if a.get("t_id") in tokens]
            if not anchors or not markable.tag.startswith(EVENT_PREFIXES):
                continue
            sentence = tokens[anchors[0]][0]
            if (str(topic), doc.split("_", 1)[1], sentence) not in annotated:
                continue
            m_id = markable.get("m_id")
            mentions.append({"topic": topic, "doc": doc, "id": f"{doc}:{m_id}", "sentence": sentence,
                             "positions": [tokens[a][1] for a in anchors],
                             "gold": chain_of.get(m_id, f"{doc}:{m_id}:singleton")})
    return {"docs": docs, "mentions": mentions}


def load(topics: list[int]) -> dict[int, dict]:
    root = data_dir("ecbplus")
    annotated: set[tuple[str, str, int]] = set()
    with (root / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            annotated.add((row["Topic"], row["File"], int(row["Sentence Number"])))
    return {t: load_topic(t, annotated) for t in topics}


# --------------------------------------------------------------------------
# Mention analysis: trigger head, lemma, arguments; sentences embedded once
# --------------------------------------------------------------------------


def analyse(data: dict[int, dict], nlp, embedder) -> None:
    """Adds to each mention: lemma, pos, subject, object, sentence key; embeds sentences and lemmas."""
    from spacy.tokens import Doc

    from manysides.analyse.alignment.pairs import _argument_key, roles_of

    wanted = {(m["doc"], m["sentence"]) for d in data.values() for m in d["mentions"]}
    words = {}
    for d in data.values():
        for doc_id, doc in d["docs"].items():
            for n, ws in doc["sentences"].items():
                if (doc_id, n) in wanted:
                    words[(doc_id, n)] = ws
    keys = sorted(words)
    parsed = {}
    docs = (Doc(nlp.vocab, words=words[k]) for k in keys)
    for key, doc in zip(keys, nlp.pipe(docs, batch_size=128), strict=True):
        parsed[key] = doc
    texts = {k: parsed[k].text for k in keys}
    for d in data.values():
        for m in d["mentions"]:
            doc = parsed[(m["doc"], m["sentence"])]
            span = [doc[i] for i in m["positions"] if i < len(doc)]
            head = next((t for t in span if t.head.i not in m["positions"] or t.head.i == t.i), span[0])
            m["lemma"], m["pos"] = head.lemma_.lower(), head.pos_
            subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            obj = next((c for c in head.children if c.dep_ in ("dobj", "attr")), None)
            if obj is None:
                prep = next((c for c in head.children if c.dep_ in ("prep", "agent")), None)
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            m["subject"] = _argument_key(subject) if subject is not None else None
            m["object"] = _argument_key(obj) if obj is not None else None
            m["key"] = (m["doc"], m["sentence"])
    vectors = np.asarray(embedder.encode([texts[k] for k in keys]), dtype=np.float32)
    roles = {k: roles_of(parsed[k]) for k in keys}
    lemmas = sorted({m["lemma"] for d in data.values() for m in d["mentions"]}
                    | {r.predicate for r in roles.values() if r.predicate})
    lemma_vectors = np.asarray(embedder.encode(lemmas), dtype=np.float32)
    for d in data.values():
        d["vectors"] = {k: vectors[i] for i, k in enumerate(keys)}
        d["lemma_vectors"] = dict(zip(lemmas, lemma_vectors, strict=True))
        d["texts"] = texts
        d["roles"] = roles


def analysed(topics: list[int], nlp, embedder) -> dict[int, dict]:
    """``load`` + ``analyse``, kept in /tmp between runs (parsing and encoding dominate on 2 cores)."""
    import hashlib
    import pickle

    from train_pairs import CACHE

    key = hashlib.sha1(f"{topics}|{embedder.name}|v1".encode()).hexdigest()[:12]
    path = CACHE / f"ecb_events_{key}.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    data = load(topics)
    analyse(data, nlp, embedder)
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(data))
    return data


def pool_spans(spans: list[tuple[int, int]], offsets, hidden: np.ndarray) -> np.ndarray:
    """Mean of the sub-word states overlapping each character span, L2-normalised (zero if none)."""
    out = np.zeros((len(spans), hidden.shape[1]), dtype=np.float32)
    for (start, end), row in zip(offsets, hidden, strict=False):
        if end <= start:
            continue
        for n, (a, b) in enumerate(spans):
            if start < b and end > a:
                out[n] += row
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms


def contextual(data: dict[int, dict], embedder, topics: list[int]) -> None:
    """Adds each mention's trigger vector in context (MiniLM states over the trigger's tokens) and each
    sentence's ``pair_text`` side with contextual word vectors; kept in /tmp between runs."""
    import hashlib
    import pickle

    import torch

    from manysides.analyse.alignment.pair_text import pool_to_words, read_side
    from train_pairs import CACHE

    key = hashlib.sha1(f"{topics}|{embedder.name}|ctx2".encode()).hexdigest()[:12]
    path = CACHE / f"ecb_events_{key}.pkl"
    texts = next(iter(data.values()))["texts"] if data else {}
    if path.is_file():  # word vectors, not sides: a side's layout may change between runs
        words, triggers = pickle.loads(path.read_bytes())
    else:
        keys = sorted({m["key"] for d in data.values() for m in d["mentions"]})
        wanted = defaultdict(set)
        for d in data.values():
            for m in d["mentions"]:
                wanted[m["key"]].add(tuple(m["positions"]))
        words, triggers = {}, {}
        model = getattr(embedder, "model", None)
        for start in range(0, len(keys), 32):
            batch = keys[start : start + 32]
            if model is None:  # an embedder without token states: exact word matches only
                words.update({k: None for k in batch})
                continue
            encoded = model.tokenizer([texts[k] for k in batch], padding=True, truncation=True,
                                      max_length=model.max_seq_length, return_tensors="pt",
                                      return_offsets_mapping=True)
            offsets = encoded.pop("offset_mapping")
            with torch.inference_mode():
                hidden = model[0].auto_model(**encoded).last_hidden_state
            for row, k in enumerate(batch):
                n = int(encoded["attention_mask"][row].sum())
                off, states = offsets[row][:n].tolist(), hidden[row][:n].numpy()
                pooled = pool_to_words(texts[k], off, states)
                words[k] = None if pooled is None else pooled.astype(np.float16)
                # the sentence text joins the corpus tokens with single spaces
                starts, position = [], 0
                for token in texts[k].split(" "):
                    starts.append((position, position + len(token)))
                    position += len(token) + 1
                for positions in wanted[k]:
                    spans = [starts[i] for i in positions if i < len(starts)]
                    vector = pool_spans(spans, off, states).mean(axis=0) if spans else np.zeros(states.shape[1])
                    triggers[(k, positions)] = (vector / (np.linalg.norm(vector) or 1.0)).astype(np.float16)
        path.write_bytes(pickle.dumps((words, triggers)))
    sides = {k: read_side(texts[k], None if w is None else w.astype(np.float32)) for k, w in words.items()}
    for d in data.values():
        d["sides"] = sides
        for m in d["mentions"]:
            vector = triggers.get((m["key"], tuple(m["positions"])))
            m["trigger_vec"] = None if vector is None else vector.astype(np.float32)


def _match(x, y) -> float:
    if not x or not y:
        return 0.0
    return 1.0 if x == y else -1.0


def sentence_p_same(d: dict, embedder_name: str) -> dict:
    """P(same fact) of the claim-pair judgement for each pair of the topic's mention sentences."""
    from manysides.analyse.alignment.pairs import PairContext, load_pair_model, pair_features
    from train_pairs import sentence_view

    model = load_pair_model(embedder_name, SENTENCE_MODEL)
    keys = sorted({m["key"] for m in d["mentions"]})
    lemma_vectors = d["lemma_vectors"]
    contexts = {}
    for n, k in enumerate(keys):
        roles = d["roles"][k]
        contexts[k] = PairContext(sentence_view(d["texts"][k], n), roles, d["vectors"][k],
                                  lemma_vectors.get(roles.predicate) if roles.predicate else None,
                                  d.get("sides", {}).get(k))
    out = {}
    for i, a in enumerate(keys):
        for b in keys[i:]:
            features, _ = pair_features(contexts[a], contexts[b])
            out[(a, b)] = out[(b, a)] = float(model.probability(features)[0])
    return out


def pair_matrix(d: dict, mentions: list[dict], p_same: dict, table: LemmaPairs) -> np.ndarray:
    """(n, n, features) for the mentions of one story."""
    n = len(mentions)
    out = np.zeros((n, n, len(PAIR_FEATURES)), dtype=np.float32)
    lv, sv = d["lemma_vectors"], d["vectors"]
    for i, a in enumerate(mentions):
        for j in range(i + 1, n):
            b = mentions[j]
            row = (float(a["lemma"] == b["lemma"]), float(lv[a["lemma"]] @ lv[b["lemma"]]),
                   float(sv[a["key"]] @ sv[b["key"]]), p_same[(a["key"], b["key"])],
                   _match(a["subject"], b["subject"]), _match(a["object"], b["object"]),
                   float(a["key"] == b["key"]), float(a["doc"] == b["doc"]), float(a["pos"] == b["pos"]),
                   *table.rate(a["topic"], a["lemma"], b["lemma"]),
                   float(a["trigger_vec"] @ b["trigger_vec"]) if a.get("trigger_vec") is not None
                   and b.get("trigger_vec") is not None else 0.0,
                   d["doc_cosine"].get((a["doc"], b["doc"]), 1.0))
            out[i, j] = out[j, i] = row
    return out


# How a topic's documents are cut into stories: "product", the batch clusterer ``manysides
# stories`` and ``analyze`` use (``stories.batch.cluster_all``), its signals built as
# bench/stories.py builds them for ECB+, with ``cut`` as its average-link bar; or "tfidf", this
# benchmark's own TF-IDF average linkage with ``cut`` as the distance cut (``--stories tfidf``).
# Either way the cut is the one with the best pairwise F1 against the subtopics of the train topics.
STORY_CLUSTERER = "product"
STORY_CUTS = {"product": np.arange(0.10, 0.61, 0.05), "tfidf": np.arange(0.70, 1.0, 0.02)}
_product_stories: dict[tuple[int, float], dict[str, int]] = {}


def story_clusters(d: dict, cut: float) -> dict[str, int]:
    """Documents of one topic clustered into stories (see STORY_CLUSTERER); also sets the
    documents' TF-IDF cosines, a mention-pair feature whichever clusterer cuts the stories."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = sorted(d["docs"])
    if len(ids) == 1:
        d["doc_cosine"] = {}
        return {ids[0]: 0}
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [d["docs"][i]["text"] for i in ids]).toarray()
    similarity = matrix @ matrix.T
    d["doc_cosine"] = {(a, b): float(similarity[i, j]) for i, a in enumerate(ids) for j, b in enumerate(ids)}
    if STORY_CLUSTERER == "product":
        return product_story_clusters(ids, cut)
    distance = np.clip(1 - similarity, 0, None)
    condensed = distance[np.triu_indices(len(ids), 1)]
    labels = fcluster(linkage(condensed, "average"), t=cut, criterion="distance")
    return dict(zip(ids, labels.tolist(), strict=True))


def product_story_clusters(ids: list[str], threshold: float) -> dict[str, int]:
    """One topic's documents (ids "<topic>_<file>") as the product's batch clusterer groups them."""
    from dataclasses import replace

    from _stories_data import ecb_articles

    from manysides.stories.batch import PairModel, cluster_all

    topic = int(ids[0].split("_", 1)[0])
    key = (topic, round(float(threshold), 4))
    if key not in _product_stories:
        model = replace(PairModel.load(), threshold=float(threshold))
        wanted = set(ids)
        articles = [a for a in ecb_articles([topic]) if a.id in wanted]
        groups = cluster_all([a.signals() for a in articles], model)
        _product_stories[key] = {i: label for label, members in enumerate(groups.values()) for i in members}
    return _product_stories[key]


def subtopic(doc: str) -> str:
    return "plus" if doc.endswith("ecbplus") else "ecb"


def tune_story_cut(data: dict[int, dict]) -> float:
    """The document-cluster cut with the best pairwise F1 against the gold subtopics (train topics)."""
    best, best_f1 = 0.9, -1.0
    for cut in STORY_CUTS[STORY_CLUSTERER]:
        tp = fp = fn = 0
        for d in data.values():
            clusters = story_clusters(d, float(cut))
            ids = sorted(clusters)
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    same_gold, same_ours = subtopic(a) == subtopic(b), clusters[a] == clusters[b]
                    tp += same_gold and same_ours
                    fp += same_ours and not same_gold
                    fn += same_gold and not same_ours
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1:
            best, best_f1 = float(cut), f1
    return best


def stories(d: dict, cut: float) -> list[list[dict]]:
    clusters = story_clusters(d, cut)
    groups: dict[int, list[dict]] = defaultdict(list)
    for m in d["mentions"]:
        groups[clusters[m["doc"]]].append(m)
    return list(groups.values())


def train_pair_model(data: dict[int, dict], embedder_name: str, cut: float, table: LemmaPairs):
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    rng = np.random.default_rng(3)
    for d in data.values():
        p_same = sentence_p_same(d, embedder_name)
        for mentions in stories(d, cut):
            features = pair_matrix(d, mentions, p_same, table)
            n = len(mentions)
            iu = np.triu_indices(n, 1)
            gold = np.array([mentions[i]["gold"] == mentions[j]["gold"] for i, j in zip(*iu, strict=True)],
                            dtype=bool)
            x = features[iu]
            negatives = np.flatnonzero(~gold)
            keep = np.concatenate([np.flatnonzero(gold), rng.permutation(negatives)[: 4 * max(1, gold.sum())]])
            xs.append(x[keep])
            ys.append(gold[keep])
    x, y = np.vstack(xs), np.concatenate(ys)
    if PAIR_LEARNER == "boosted":
        # the cues interact (one lemma in two sentences about other facts is not one event)
        from sklearn.ensemble import HistGradientBoostingClassifier

        boosted = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, max_leaf_nodes=15,
                                                 random_state=0).fit(x, y)

        def probability(f: np.ndarray) -> np.ndarray:
            shape = f.shape[:-1]
            return boosted.predict_proba(f.reshape(-1, f.shape[-1]))[:, 1].reshape(shape)

        return probability
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1
    model = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    return lambda f: 1 / (1 + np.exp(-(((f - mean) / scale) @ model.coef_[0] + model.intercept_[0])))


def cluster_events(data: dict[int, dict], probability, cut: float, link: float, embedder_name: str,
                   p_cache: dict, table: LemmaPairs) -> dict[str, str]:
    from scipy.cluster.hierarchy import fcluster, linkage

    response = {}
    for topic, d in data.items():
        if topic not in p_cache:
            p_cache[topic] = sentence_p_same(d, embedder_name)
        for s, mentions in enumerate(stories(d, cut)):
            if len(mentions) == 1:
                response[mentions[0]["id"]] = f"{topic}|{s}|0"
                continue
            if ("p", topic, s) not in p_cache:  # one probability matrix per story for every cut tried
                p_cache[("p", topic, s)] = probability(pair_matrix(d, mentions, p_cache[topic], table))
            p = p_cache[("p", topic, s)]
            distance = 1 - p
            np.fill_diagonal(distance, 0)
            labels = fcluster(linkage(distance[np.triu_indices(len(mentions), 1)], "average"),
                              t=1 - link, criterion="distance")
            for m, label in zip(mentions, labels, strict=True):
                response[m["id"]] = f"{topic}|{s}|{label}"
    return response


def mentions_of(data: dict[int, dict]) -> list[dict]:
    return [m for d in data.values() for m in d["mentions"]]


def main() -> None:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--stories", choices=("product", "tfidf"), default=None,
                             help="how a topic's documents are cut into stories: the product's batch "
                                  "clusterer (default of the full run) or the TF-IDF average linkage "
                                  "(default of --fast)")
    args = args_parser.parse_args()
    # --fast is the gate's regression check of the mention-pair model: a third of the train topics,
    # three dev topics and the TF-IDF story cut keep it near a minute (the product's bigger stories
    # make ~5 CPU-minutes of pairs); the story clusterer has its own floors (bench/stories.py)
    globals().update(STORY_CLUSTERER=args.stories or ("tfidf" if args.fast else "product"))
    started = time.perf_counter()
    test_topics = TEST_TOPICS[:5] if args.fast else TEST_TOPICS
    dev_topics = DEV_TOPICS[:3] if args.fast else DEV_TOPICS
    train_topics = TRAIN_TOPICS[::3] if args.fast else TRAIN_TOPICS

    from manysides.analyse.shared.embeddings import load_embedder
    from manysides.nlp import load_nlp

    embedder_name = "minilm"
    embedder = load_embedder(embedder_name)
    nlp = load_nlp()
    train, dev, test = (analysed(topics, nlp, embedder) for topics in (train_topics, dev_topics, test_topics))
    for topics, data in ((train_topics, train), (dev_topics, dev), (test_topics, test)):
        contextual(data, embedder, topics)
    cut = tune_story_cut(train)
    table = lemma_pairs(train, cut)
    probability = train_pair_model(train, embedder_name, cut, table)
    p_cache: dict = {}
    best_link, best_conll = 0.5, -1.0
    for link in np.arange(0.3, 0.85, 0.05):
        conll = evaluate(mentions_of(dev), cluster_events(dev, probability, cut, float(link), embedder_name,
                                                          p_cache, table))["conll_f1"]
        if conll > best_conll:
            best_link, best_conll = float(link), conll
    mentions = mentions_of(test)
    baseline = evaluate(mentions, {m["id"]: f"{m['topic']}|{m['lemma']}" for m in mentions})
    lemma_in_story = evaluate(mentions, {m["id"]: f"{m['topic']}|{c}|{m['lemma']}" for t, d in test.items()
                                         for c, ms in enumerate(stories(d, cut)) for m in ms})
    system = evaluate(mentions, cluster_events(test, probability, cut, best_link, embedder_name, p_cache, table))
    rows = []
    for name, figures in (("same head lemma (baseline, gold topics)", baseline),
                          ("same head lemma within our story clusters", lemma_in_story),
                          ("manysides event pairs (ours)", system)):
        rows.append([name, figures["muc_f1"], figures["b3_f1"], figures["ceafe_f1"], figures["conll_f1"]])
    rows.append(["published best: ACCI (Yao et al. 2025)", 0.918, 0.869, 0.866, 0.884])
    gold_chains = len({m["gold"] for m in mentions})
    # how well the documents were cut into stories (B3 F1 against the gold subtopics)
    from _stories_data import b_cubed

    story_of = {f"{t}|{doc}": f"{t}|{label}" for t, d in test.items() for doc, label in story_clusters(d, cut).items()}
    story_b3 = b_cubed({k: f"{k.split('|')[0]}|{subtopic(k)}" for k in story_of}, story_of)[2]
    report(f"ECB+ event coreference, test topics {test_topics[0]}-{test_topics[-1]}, gold mentions "
           f"({len(mentions)} mentions, {gold_chains} gold clusters; {STORY_CLUSTERER} stories, "
           f"subtopic B3 {story_b3:.3f}, cut {cut:.2f} from train, "
           f"link {best_link:.2f} from dev CoNLL {best_conll:.3f}; {time.perf_counter() - started:.0f}s)",
           rows, system=system, baseline=baseline, json_path=args.json)


if __name__ == "__main__":
    main()
