"""The analysis app's one in-process cache: bounded, least recently used out first."""

from __future__ import annotations

from svduty.analysis.cache import BoundedLRU


def test_keeps_the_most_recently_used_entries():
    cache: BoundedLRU[int] = BoundedLRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)


def test_a_missing_key_is_none():
    assert BoundedLRU[str](1).get("nothing") is None
