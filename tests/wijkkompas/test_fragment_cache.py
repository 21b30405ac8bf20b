"""The fragments cache holds at most its budget in bytes, and past it lets the least recently used
fragments go first (wijkkompas.caching.FragmentCache)."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import caches

from wijkkompas.caching import FragmentCache

KB = 1024
names = (f"test-fragments-{n}" for n in itertools.count())


def new_cache(name: str) -> FragmentCache:
    return FragmentCache(name, {"TIMEOUT": None, "OPTIONS": {"MAX_BYTES": 10 * KB}})


@pytest.fixture
def cache():
    """A cache of 10 KB, apart from the one the pages use."""
    return new_cache(next(names))


def test_past_the_budget_the_least_recently_used_fragments_go(cache):
    for key in "abc":
        cache.set(key, key * 3 * KB)
    cache.get("a")  # read again: now "b" is the least recently used

    cache.set("d", "d" * 3 * KB)

    assert cache.get("b") is None
    assert [cache.get(key) for key in "acd"] == ["a" * 3 * KB, "c" * 3 * KB, "d" * 3 * KB]
    assert 9 * KB < cache.held <= 10 * KB


def test_a_large_fragment_pushes_out_as_many_as_it_needs(cache):
    for key in "abcd":
        cache.set(key, key * 2 * KB)

    cache.set("big", "x" * 7 * KB)

    assert [key for key in "abcd" if cache.get(key) is not None] == ["d"]
    assert cache.get("big") == "x" * 7 * KB


def test_a_fragment_larger_than_the_budget_is_not_kept(cache):
    cache.set("a", "a" * KB)

    cache.set("huge", "x" * 11 * KB)

    assert cache.get("huge") is None
    assert cache.get("a") is None  # pushed out on the way; the cache is empty, not over budget
    assert cache.held == 0


def test_the_bytes_held_follow_every_change(cache):
    cache.set("a", "a" * KB)
    one = cache.held
    cache.set("a", "b" * KB)  # replaced, not counted twice
    assert cache.held == one
    cache.set("b", "b" * 2 * KB)
    assert cache.held > one

    cache.delete("b")
    assert cache.held == one
    cache.clear()
    assert cache.held == 0
    assert cache.get("a") is None


def test_every_thread_sees_the_same_entries_and_bytes():
    # Django gives each thread its own instance of a cache; they share one store in the process.
    name = next(names)
    cache, other = new_cache(name), new_cache(name)
    cache.set("a", "a" * 4 * KB)
    other.set("b", "b" * 4 * KB)
    other.set("c", "c" * 4 * KB)

    assert cache.held == other.held <= 10 * KB
    assert cache.get("a") is None  # pushed out by the other instance's entries


def test_the_pages_use_it_with_the_budget_from_the_settings():
    fragments = caches["fragments"]
    assert isinstance(fragments, FragmentCache)
    assert fragments.max_bytes == 64 * 1024 * KB  # WIJKKOMPAS_FRAGMENT_CACHE_MB, 64 by default
