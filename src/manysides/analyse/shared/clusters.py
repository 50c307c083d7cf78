"""Union-find with constraints, shared by origin grouping and claim alignment."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable


class ConstrainedUnion:
    """Union-find where some pairs may never end up in one set, and two sets join only
    when ``may_join(members_a, members_b)`` agrees (average link, see ``align_claims``)."""

    def __init__(self, n: int, cannot_link: Iterable[tuple[int, int]] = (),
                 may_join: Callable[[set[int], set[int]], bool] | None = None):
        self.parent = list(range(n))
        self.members = {i: {i} for i in range(n)}
        self.blocked: dict[int, set[int]] = defaultdict(set)
        self.may_join = may_join
        for i, j in cannot_link:
            self.blocked[i].add(j)
            self.blocked[j].add(i)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def try_union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        small, large = sorted((ri, rj), key=lambda r: len(self.members[r]))
        if any(self.blocked[m] & self.members[large] for m in self.members[small]):
            return False
        if self.may_join is not None and not self.may_join(self.members[small], self.members[large]):
            return False
        self.parent[small] = large
        self.members[large] |= self.members.pop(small)
        return True


    def components(self) -> list[list[int]]:
        """The sets, each sorted, ordered by their smallest member."""
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            groups[self.find(i)].append(i)
        return sorted(groups.values(), key=lambda members: members[0])
