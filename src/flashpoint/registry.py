"""Named, versioned registries: readers, pipeline stages, scorers.

Names follow ``flashpoint.<thing>.vN``. A change of behaviour ships as a new version; old names keep
working so that old configurations give the same results. Third-party packages register through the
same functions (or the ``flashpoint.plugins`` entry point group, loaded by ``load_plugins``).

    >>> from flashpoint.registry import readers
    >>> @readers.register("flashpoint.reader.mine.v1")
    ... def read_mine(path, **options): ...
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from .errors import ConfigError, did_you_mean


class Registry:
    """A name -> object table with helpful errors."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, Any] = {}

    def register(self, name: str) -> Callable[[Any], Any]:
        def deco(obj: Any) -> Any:
            if name in self._items and self._items[name] is not obj:
                raise ConfigError(f'{self.kind} "{name}" is registered twice; give the new one a new version (.v2)')
            self._items[name] = obj
            return obj

        return deco

    def get(self, name: str) -> Any:
        if name in self._items:
            return self._items[name]
        # allow the short form without "flashpoint." and without version: newest version wins
        candidates = sorted(n for n in self._items if n.startswith(f"flashpoint.{name}.v") or n.startswith(f"{name}.v"))
        if candidates:
            return self._items[candidates[-1]]
        short = [n.removeprefix("flashpoint.") for n in self._items]
        raise ConfigError(
            f'Unknown {self.kind} "{name}". Registered: {", ".join(sorted(self._items)) or "(none)"}.'
            + did_you_mean(name, short)
        )

    def names(self) -> list[str]:
        return sorted(self._items)

    def __contains__(self, name: str) -> bool:
        return name in self._items


readers = Registry("reader")
stages = Registry("stage")
scorers = Registry("scorer")


def load_plugins() -> list[str]:
    """Load third-party registrations from the ``flashpoint.plugins`` entry point group."""
    loaded = []
    for ep in entry_points(group="flashpoint.plugins"):
        ep.load()
        loaded.append(ep.name)
    return loaded
