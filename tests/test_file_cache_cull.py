"""The page file cache still culls at MAX_ENTRIES, without listing its folder on every write."""

from commune_site.cache_backends import FileBasedCache


def test_file_cache_culls_once_it_counts_past_max_entries(tmp_path, monkeypatch):
    cache = FileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 20, "CULL_FREQUENCY": 2}})
    listings = []
    original = FileBasedCache._list_cache_files

    def counted(self):
        listings.append(1)
        return original(self)

    monkeypatch.setattr(FileBasedCache, "_list_cache_files", counted)
    for number in range(300):
        cache.set(f"page-{number}", b"x" * 10)
    files = len(list(tmp_path.glob("*.djcache")))
    assert len(listings) <= 300 // FileBasedCache.CULL_CHECK_EVERY + 1
    assert files <= 20 + FileBasedCache.CULL_CHECK_EVERY
