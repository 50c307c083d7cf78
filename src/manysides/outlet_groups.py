"""User-defined outlet groups (``--groups FILE``): which outlets see a story alike.

The file is a small TOML table of group name -> outlet names::

    [groups]
    wire = ["Reuters", "AP"]
    union-backed = ["Labour Voice"]
    business-press = ["Market Ledger", "Trade Weekly"]

Groups are whatever the user says they are; manysides ships no built-in
left/right scale. Outlet names are matched case-insensitively.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from manysides.errors import OutletGroupsError
from manysides.user_files import read_toml


def parse_outlet_groups(data: Mapping[str, object], *, source: str = "<groups>") -> dict[str, str]:
    """outlet -> group from the parsed TOML ``data`` (a ``[groups]`` table of lists)."""
    groups = data.get("groups")
    if not isinstance(groups, Mapping):
        raise OutletGroupsError(f"{source}: needs a [groups] table, e.g. wire = [\"Reuters\"]")
    outlet_to_group: dict[str, str] = {}
    seen: dict[str, str] = {}  # casefolded outlet -> group, to catch duplicates
    for group, outlets in groups.items():
        if isinstance(outlets, str):
            outlets = [outlets]
        if not isinstance(outlets, list) or not all(isinstance(o, str) for o in outlets):
            raise OutletGroupsError(f"{source}: group {group!r} must be a list of outlet names")
        for outlet in outlets:
            outlet = outlet.strip()
            if not outlet:
                continue
            key = outlet.casefold()
            if key in seen and seen[key] != group:
                raise OutletGroupsError(
                    f"{source}: outlet {outlet!r} is in two groups ({seen[key]!r} and {group!r})"
                )
            seen[key] = group
            outlet_to_group[outlet] = group
    return outlet_to_group


def load_outlet_groups(path: str | Path) -> dict[str, str]:
    """Read a groups TOML file: outlet -> group. Raises :class:`OutletGroupsError`."""
    path = Path(path)
    data = read_toml(path, OutletGroupsError, what="outlet groups file")
    return parse_outlet_groups(data, source=str(path))


def group_of(outlet: str, outlet_groups: Mapping[str, str]) -> str | None:
    """The group of ``outlet``, matching names case-insensitively; None when ungrouped."""
    if outlet in outlet_groups:
        return outlet_groups[outlet]
    folded = outlet.casefold()
    for name, group in outlet_groups.items():
        if name.casefold() == folded:
            return group
    return None
