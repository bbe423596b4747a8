"""Users, passwords and roles; API tokens; reader-API passwords; Full-Text RSS keys."""

from __future__ import annotations

from syndic.library.core import Core


class Accounts:
    """Users, passwords and roles; API tokens; reader-API passwords; Full-Text RSS keys."""

    def __init__(self, core: Core) -> None:
        self._core = core
