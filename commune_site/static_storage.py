"""Whitenoise's hashed static files, each URL worked out once per process.

``{% static %}`` looks the file up in the manifest and joins the URL on every call (cleaning the
name, splitting and unquoting it, then ``urljoin``): about five a page. The manifest is read
when the process starts and a deploy (collectstatic, then a restart) is the only thing that
changes it, so a name's URL does not change while the process runs.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """CompressedManifestStaticFilesStorage with ``url()`` remembered per name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            # A name missing from the manifest raises here, as before, and is not kept.
            url = self._urls[name] = super().url(name)
        return url
