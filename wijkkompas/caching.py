"""Everything Wijkkompas caches, in one place.

Rendered HTML is cached in the templates, with Django's `{% cache %}` tag, in the "fragments"
cache (settings.CACHES: one in-memory cache per process). A fragment's key is its name and the
versions after it; `fragment_key` adds the language. Every version belongs to a model and
changes with every table the fragment shows, so a cached fragment is never stale: a change
makes a new key, and the old entry ages out. That is why one cache per process is enough, also
with several app instances.

The versions:
- `kompas.version` (knooppunten.kompas): whether drafts are shown (editors), and
  `Knooppunt.objects.content_version()`, which covers every content table and link table in
  `knooppunten.models.CONTENT_TABLES` and `CONTENT_LINKS`.
- `project.cache_version` (projects.models.Project): raised by `Project.objects.changed()`
  with every change that a project's pages or the portfolio show: a status, a logbook entry
  or action, a closed or deleted APK session, the project's own fields, and the name of a
  person who changed something (or that person's account deleted). The services, the few
  views that write such data and the APK sessions' admin call it;
  tests/projects/test_portfolio_cache.py and tests/apk/test_admin.py check each.
- `portfolio.version` (projects.portfolio.Portfolio): a digest of the pk and cache_version of
  every project of the gemeente, and of which of them the user is a member.
- `today`: "Wat nu?" flags work that has been bezig for weeks.

The fragments:

| name               | template                           | versions                                        |
|--------------------|------------------------------------|-------------------------------------------------|
| knooppunt-card     | navigator/_knooppunt_card.html     | kompas.version, knooppunt, with summary or not  |
| knooppunt-header   | knooppunten/_content.html          | kompas.version, knooppunt                       |
| knooppunt-body     | knooppunten/_content.html          | kompas.version, knooppunt                       |
| kompas-filters     | navigator/overview.html            | kompas.version, the filters chosen              |
| kompas-columns     | navigator/overview.html            | kompas.version, the filters chosen              |
| voortgang          | projects/voortgang.html            | kompas.version, project, project.cache_version, |
|                    |                                    | can the user change statuses, today             |
| voortgang-fase     | projects/voortgang.html            | kompas.version, fase, the statuses of its       |
|                    |                                    | cards, the phase the team works in, can the     |
|                    |                                    | user change statuses                            |
| voortgang-card     | projects/voortgang.html            | kompas.version, knooppunt, its status in the    |
|                    |                                    | project, can the user change statuses           |
| progress-row       | projects/_progress.html            | progress.kompas_version, phase/spoor/track, its |
|                    |                                    | counts per status, sent out of band or not      |
| portfolio          | projects/portfolio.html            | gemeente, portfolio.version, kompas.version,    |
|                    |                                    | the sort and filters chosen, today              |

Rules for a cached fragment:
- It shows nothing that its versions do not cover. A new field shown in it needs no new key
  when its table is already covered; a new table needs adding to the version that covers it
  (for content: CONTENT_TABLES or CONTENT_LINKS).
- It holds no CSRF token and nothing else of one visitor: a form that posts wraps the cached
  part (see the voortgang page, whose cards share one form).
- Addresses in a fragment shared between projects are relative to the project's page. The
  voortgang page nests its fragments: after a status change the page misses, but five of its
  six phase columns, most progress rows and all cards but one are found again.
- A test changes every table it shows and checks that the page shows the change, for editors
  and for visitors (tests/navigator/test_caching.py for the public pages; tests/projects/test_voortgang.py
  and test_portfolio_cache.py for the project pages).

The cache is bounded by the bytes it holds (`FragmentCache`, settings.CACHES["fragments"]), not
by a number of entries: a card takes 2 KB, a project's voortgang page 200 KB.
"""

from __future__ import annotations

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.utils.translation import get_language

# The bytes each in-memory cache holds, by its LOCATION. Shared like LocMemCache's own entries:
# Django makes an instance of a cache for every thread.
_held: dict[str, list[int]] = {}


def fragment_key(key: str, key_prefix: str, version: int) -> str:
    """The cache key of a fragment, for the language it is rendered in."""
    return f"{key_prefix}:{version}:{get_language()}:{key}"


class FragmentCache(LocMemCache):
    """Django's in-memory cache, bounded by the bytes it holds: OPTIONS["MAX_BYTES"].

    Bounded by a number of entries alone, the process would grow to a gigabyte when many
    projects change: every change of a project leaves its old voortgang page (200 KB) behind
    until it ages out. Past the bound the least recently used fragments go first, one at a
    time, so the cards that every page reads stay. An entry is a pickled fragment, so its
    length is what it takes (plus a small overhead). Fragments are only set, read and
    deleted; LocMemCache's incr() would change an entry without counting it.
    """

    def __init__(self, name: str, params: dict) -> None:
        super().__init__(name, params)
        self.max_bytes = params["OPTIONS"]["MAX_BYTES"]
        self._held = _held.setdefault(name, [0])

    @property
    def held(self) -> int:
        return self._held[0]

    # LocMemCache calls these three with its lock held.
    def _set(self, key: str, value: bytes, timeout=DEFAULT_TIMEOUT) -> None:
        self._delete(key)
        super()._set(key, value, timeout)
        self._held[0] += len(value)
        while self._held[0] > self.max_bytes:  # a fragment larger than the whole budget goes too
            self._delete(next(reversed(self._cache)))  # the least recently used

    def _delete(self, key: str) -> bool:
        value = self._cache.get(key)
        if value is not None:
            self._held[0] -= len(value)
        return super()._delete(key)

    def _cull(self) -> None:
        # Only past MAX_ENTRIES, which settings set far above what MAX_BYTES allows.
        super()._cull()
        self._held[0] = sum(map(len, self._cache.values()))

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._held[0] = 0
