"""Reading the TOML files a user hands the command line (outlet groups, sides).

Each caller has its own error type and code; the problems are the same (missing,
unreadable, not TOML), so they are worded once here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path


def read_toml(path: Path, fail: Callable[[str], Exception], *, what: str) -> dict:
    """The parsed file; ``fail(problem)`` is raised with one line naming ``path`` and the problem."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise fail(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{path}: cannot read {what} ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"{path}: not valid TOML ({exc})") from None
