"""The analysis app's in-process caches, all with one eviction rule.

**The rule**: every cache is bounded by a number of entries fixed where it is made;
when a new entry would make it larger, the least recently used entry (read or
written) goes. Nothing expires by time and nothing is invalidated: every key holds
what its value depends on (the snapshot's folder, id or content hash, the filters,
the definition, the weights), and a snapshot never changes once built, so an entry
is never stale, only unused. A key that could be stale is a bug in the key.

Two forms, both `BoundedLRU` underneath:

- `BoundedLRU(size)`: a mapping with `get`, `put` and `clear`, for a cache filled
  by hand (SNA results, rendered dashboard fragments, DuckDB databases).
- `@memoized(size)`: a function's results by its arguments (which must be
  hashable), in place of `functools.lru_cache`; `f.cache_clear()` empties it.

Every cache made here is registered, so `clear_all()` empties them together (tests
and benchmarks that want a cold start). The other store, shared by the processes
and on disk, is the snapshot's own `cache/` folder (`service.snapshot_cached`), which
goes with its snapshot; see docs/sna.md, "Speed and caching".
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, TypeVar

V = TypeVar("V")
P = ParamSpec("P")
R = TypeVar("R")

_ALL: weakref.WeakSet[BoundedLRU[Any]] = weakref.WeakSet()


class BoundedLRU(Generic[V]):
    """A thread-safe mapping that keeps the `size` most recently used entries."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("A cache holds at least one entry")
        self.size = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        _ALL.add(self)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            if key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class _Memoized(Generic[P, R]):
    def __init__(self, function: Callable[P, R], size: int) -> None:
        self._function = function
        # Each result in a 1-tuple, so that a result of None is held too.
        self._cache: BoundedLRU[tuple[R]] = BoundedLRU(size)
        functools.update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        held = self._cache.get(key)
        if held is None:
            held = (self._function(*args, **kwargs),)
            self._cache.put(key, held)
        return held[0]

    def cache_clear(self) -> None:
        self._cache.clear()


def memoized(size: int) -> Callable[[Callable[P, R]], _Memoized[P, R]]:
    """`@memoized(size)`: the function's results for its `size` most recently used
    argument lists (the arguments must be hashable)."""

    def decorate(function: Callable[P, R]) -> _Memoized[P, R]:
        return _Memoized(function, size)

    return decorate


def clear_all() -> None:
    """Empty every in-process analysis cache."""
    for cache in list(_ALL):
        cache.clear()
