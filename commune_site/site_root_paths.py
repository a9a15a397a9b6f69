"""Wagtail's site root paths, kept in each worker's memory for a few seconds.

``Page.get_full_url()`` needs every site's root path and root URL. Wagtail keeps them under
the 'wagtail_site_root_paths' key of the default cache, which on an SQLite install is the
database cache table: one query for every request that builds a page URL. The QR redirect
(``/q/CODE``) builds one URL per scan, so it reads them from here instead.

Staleness bound: in the process that saves or deletes a Site or a page (the changes Wagtail
clears its own copy for) the copy here is dropped at once, by the signal handlers connected
in ``ProductsConfig.ready``. Another worker refreshes its copy from Wagtail's at most
``SECONDS`` after that, so it may redirect to a commune's old host name for that long after
the change is committed.
"""

import time

from wagtail.models import Page, Site

SECONDS = 5.0

_cached = None  # (monotonic expiry, tuple of SiteRootPath)


def site_root_paths():
    """``Site.get_site_root_paths()``, read again from Wagtail's cache every ``SECONDS``."""
    global _cached
    now = time.monotonic()
    if _cached is None or _cached[0] <= now:
        paths = Site.get_site_root_paths()  # a site_directory.RootPaths, indexed
        _cached = (now + SECONDS, paths if isinstance(paths, tuple) else tuple(paths))
    return _cached[1]


def holding(roots, url_path):
    """The root paths above ``url_path``: from the index when ``roots`` has one."""
    if hasattr(roots, "relevant"):
        return roots.relevant(url_path)
    return tuple(root for root in roots if url_path.startswith(root.root_path))


def clear(*args, **kwargs):
    """Forget this process's copy (a signal handler, hence any arguments)."""
    global _cached
    _cached = None


def page_saved(sender, instance, **kwargs):
    if isinstance(instance, Page):
        clear()


def connect():
    """Drop the copy whenever Wagtail drops its own; safe to call more than once."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import post_page_move

    for signal in (post_save, post_delete):
        signal.connect(clear, sender=Site, dispatch_uid=f"site-root-paths-site-{id(signal)}")
    # A site's root page saved with a new slug changes its root path; which pages are site
    # roots is not worth a query here, so any page save drops the copy.
    post_save.connect(page_saved, dispatch_uid="site-root-paths-page")
    post_page_move.connect(clear, dispatch_uid="site-root-paths-move")
