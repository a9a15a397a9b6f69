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
and for no longer: the entries are in that cache, and live as long.

Nothing here writes to a shared cache or the database: a render on a warm worker only reads
its memory. A miss renders through Wagtail (which creates a missing rendition, as before); a
picture of an image whose file is missing (Wagtail's "not-found" placeholder) is not kept, so
it shows again as soon as the file is back.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches


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
    """``make()``, computed once per worker for ``key``; ``make`` returns (value, keep).

    Kept in the "renditions" cache, the per-worker memory that Wagtail's renditions use
    (settings: local memory, ``TIMEOUT`` and ``MAX_ENTRIES`` there), under a digest of ``key``.
    Settings without that cache (Wagtail then keeps renditions in the default one, which may
    be a round trip away) get ``make()`` each time.
    """
    if "renditions" not in settings.CACHES:
        return make()[0]
    cache = caches["renditions"]
    cache_key = "markup:" + hashlib.sha1(repr(key).encode()).hexdigest()
    value = cache.get(cache_key)
    if value is None:
        value, keep = make()
        if keep:
            cache.set(cache_key, value)
    return value
