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


def test_an_entry_written_again_becomes_the_most_recent():
    cache: BoundedLRU[int] = BoundedLRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 3)
    cache.put("c", 4)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (3, None, 4)


def test_memoized_keeps_the_most_recently_used_results_none_included():
    from svduty.analysis.cache import memoized

    calls: list[object] = []

    @memoized(2)
    def double(value: int | None) -> int | None:
        calls.append(value)
        return None if value is None else value * 2

    assert [double(1), double(None), double(1), double(None)] == [2, None, 2, None]
    assert calls == [1, None]
    double(3)  # 1 is the least recently used: it goes
    double(None)
    assert calls == [1, None, 3]
    double(1)
    assert calls == [1, None, 3, 1]
    double.cache_clear()
    double(3)
    assert calls == [1, None, 3, 1, 3]


def test_clear_all_empties_every_cache():
    from svduty.analysis.cache import clear_all

    cache: BoundedLRU[int] = BoundedLRU(1)
    cache.put("a", 1)
    clear_all()
    assert cache.get("a") is None


def test_the_analysis_app_has_no_other_cache():
    """One eviction rule: no lru_cache or hand-written LRU beside analysis/cache.py."""
    from pathlib import Path

    import svduty.analysis

    root = Path(svduty.analysis.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "cache.py"
        and any(
            word in path.read_text(encoding="utf-8")
            for word in ("lru_cache", "OrderedDict", "functools.cache", "@cache\n")
        )
    ]
    assert offenders == []
