"""What a page shows of an image (``<picture>`` markup, a preview's URL and size), kept in each
worker's memory under a key made of everything it is made from.

A ``{% picture %}`` of six renditions cost a product page about 0.8 ms a render: Wagtail reads
the renditions from its cache (unpickling each), writes them all back (pickling each), and
builds the srcset of every format. Yet the markup changes only with what it is made from:

- the image: its id, file (name and hash), size and focal point, the same parts as Wagtail's
  own rendition cache key (``Rendition.construct_cache_key``), and its alt text (title,
  description, or an image block's contextual text);
- the filter specs and the tag's attributes.

All of these are in the key, so an edit of the image (a new file, a moved focal point, a new
title) is a new key and the old entry is never read again; nothing needs to be invalidated.
Media URLs are plain (no signed query strings, see settings), so a URL stays valid as long as
its rendition exists. A rendition deleted behind a worker's back (``wagtail_update_image_
renditions --purge-only``) is as stale here as in Wagtail's own per-worker rendition cache,
and for no longer: entries live ``TIMEOUT_SECONDS``, as that cache's do.

Nothing here writes to a shared cache or the database: a render on a warm worker only reads
its memory. A miss renders through Wagtail (which creates a missing rendition, as before); a
picture of an image whose file is missing (Wagtail's "not-found" placeholder) is not kept, so
it shows again as soon as the file is back.
"""

import threading
import time
from collections import OrderedDict

MAX_ENTRIES = 20000
TIMEOUT_SECONDS = 3600.0  # as the "renditions" cache (settings)


class ProcessMemo:
    """A small least-recently-used map with an expiry, for values that never change under
    their key. Thread-safe (the development server and threaded workers share it)."""

    def __init__(self, max_entries=MAX_ENTRIES, timeout=TIMEOUT_SECONDS):
        self.max_entries = max_entries
        self.timeout = timeout
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key, value):
        with self._lock:
            self._entries[key] = (time.monotonic() + self.timeout, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self):
        return len(self._entries)

    def clear(self):
        with self._lock:
            self._entries.clear()


memo = ProcessMemo()


def image_key(image) -> tuple:
    """Everything about ``image`` that its renditions and their markup are made from."""
    return (
        image.pk,
        image.file.name,
        image.file_hash,
        image.width,
        image.height,
        image.focal_point_x,
        image.focal_point_y,
        image.focal_point_width,
        image.focal_point_height,
        image.title,
        getattr(image, "description", None),
        getattr(image, "contextual_alt_text", None),
        getattr(image, "decorative", False),
    )


def is_found(rendition) -> bool:
    """False for Wagtail's stand-in of a rendition whose source file could not be read."""
    return rendition.pk is not None


def remembered(key, make):
    """``make()``, computed once per worker for ``key``; ``make`` returns (value, keep)."""
    value = memo.get(key)
    if value is None:
        value, keep = make()
        if keep:
            memo.set(key, value)
    return value
