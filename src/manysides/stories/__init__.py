"""Stories: many articles in, groups of articles about one event out.

``group_articles`` is the batch entry point (``api.find_stories``, ``analyze`` and the Spark
job's per-window blocks use it; ``batch`` does the work); ``online.StoryClusterer`` is the
streaming core that ``watch`` drives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoryGroup:
    """One story found in the inputs: its articles in publication order and a headline."""

    id: str
    title: str | None
    article_ids: tuple[str, ...]


def group_articles(articles: Sequence, *, model=None) -> list[StoryGroup]:
    """Cluster ``model.Article`` objects into stories, biggest first.

    All articles being at hand, pairs of them are scored and grouped by average link
    (``stories.batch``); the input is put in publication order first (undated ones first, in
    input order) so members and ties come out in the order a reader expects. Story ids are
    content hashes of their article ids, so the same articles always make the same story id.
    """
    import hashlib

    from manysides.stories.features import signals_from_article
    from manysides.stories.online import cluster_batch

    ordered = sorted(range(len(articles)), key=lambda i: (articles[i].published is not None,
                                                          articles[i].published or 0, i))
    by_id = {a.id: a for a in articles}
    groups = cluster_batch((signals_from_article(articles[i]) for i in ordered), model)
    position = {articles[i].id: n for n, i in enumerate(ordered)}
    stories = []
    for members in groups.values():
        members = sorted(members, key=position.__getitem__)
        titles = [by_id[a].title for a in members if by_id[a].title]
        digest = hashlib.sha256("".join(sorted(members)).encode()).hexdigest()[:16]
        stories.append(StoryGroup(id=digest, title=min(titles, key=len) if titles else None,
                                  article_ids=tuple(members)))
    stories.sort(key=lambda s: (-len(s.article_ids), position[s.article_ids[0]]))
    return stories


__all__ = ["StoryGroup", "group_articles"]
