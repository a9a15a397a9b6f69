"""Which site serves a host, and every site's root path, kept in each worker's memory.

At province scale (3,300 communes and wards, one Wagtail site each) two things Wagtail does on
every request grow with the number of sites:

- ``Site.find_for_request`` runs ``hostname = ? OR is_default_site`` over the site table, which
  no index answers: a scan of every site;
- every page URL (``{% pageurl %}``) filters the list of all sites' root paths for the ones
  above the page, and counts the sites in that list, twice per link; the list itself comes
  from the default cache (a query on SQLite) and is unpickled whole on every request.

Here each worker keeps a directory of the sites: sites by hostname, root paths by URL path,
each site's root page (the page every route starts from) and its menu (the live children of
the root shown in menus) once they have been asked for, and the private sections (Wagtail's
view restrictions: which pages are restricted, and which pages are aliases of those). A
look-up costs a dictionary access whatever the number of sites, and a page view asks the
database neither for its menu nor for its view restrictions (in the usual case, no private
page above it; otherwise the restrictions come from the database as before).

Freshness: the directory is tagged with a version kept in the default cache, shared by every
worker. Each request reads it once (one cache round trip, where Wagtail read its site root
paths from the same cache) and a worker whose directory is older builds it again (one query for
the sites, one for the restrictions). Saving or deleting a Site, a site's root page, a child of
a root page (the menu) or a view restriction, saving an alias of a restricted page, or moving
any page sets a new version, at once and again after the transaction commits (a request that
read the old rows in between builds again), so a renamed, added or removed site takes effect in
every worker from its next request. Only if the cache is unavailable does a worker keep its
directory for up to ``UNAVAILABLE_SECONDS`` (its view restrictions are then not trusted: each
page asks the database); and every worker builds it again at least every ``MAX_AGE_SECONDS``,
for changes made without signals (raw SQL, a restore).

``install()`` (from ``ShowcaseConfig.ready``) points five Wagtail methods here; their answers
are Wagtail's own, which tests/showcase/test_site_directory.py compares against the originals.
"""

import bisect
import copy
import time
import uuid

from asgiref.local import Local
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models import pages as wagtail_pages
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
    SiteRootPath,
)

VERSION_KEY = "site-directory:version"
UNAVAILABLE_SECONDS = 5.0
# Built again at least this often, for changes that send no signal (raw SQL, a restore into a
# running instance), as Wagtail's own cache entry expired after an hour.
MAX_AGE_SECONDS = 300.0
SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")

_directory = None  # the latest Directory this process built
_this_request = Local()  # the directory the request being served has checked


class RootPaths(tuple):
    """``Site.get_site_root_paths()``: the same SiteRootPath tuples in the same order, with an
    index by root path and the number of sites, so one page's entries cost a look-up per
    level of its URL path instead of a pass over every site."""

    def __new__(cls, items):
        self = super().__new__(cls, items)
        self.site_count = len({item.site_id for item in self})
        self._by_root_path = {}
        for position, item in enumerate(self):
            self._by_root_path.setdefault(item.root_path, []).append(position)
        return self

    def relevant(self, url_path):
        """The entries whose root path starts ``url_path``, in list order (as Wagtail's filter).

        Root paths end with a slash, so each one that starts ``url_path`` ends at one of its
        slashes.
        """
        positions = []
        start = 0
        while (slash := url_path.find("/", start)) != -1:
            for position in self._by_root_path.get(url_path[: slash + 1], ()):
                bisect.insort(positions, position)
            start = slash + 1
        return tuple(self[position] for position in positions)


class Directory:
    """Every site of one version of the site table, indexed for the look-ups of a request."""

    def __init__(self, version):
        self.version = version
        self.built_at = time.monotonic()
        rows = list(
            Site.objects.order_by(
                "-root_page__url_path", "-is_default_site", "hostname"
            ).values_list(
                *SITE_FIELDS,
                "root_page__url_path",
                "root_page__content_type_id",
                "root_page__locale__language_code",
                "root_page__path",
            )
        )
        self.sites = {row[0]: row[: len(SITE_FIELDS)] for row in rows}
        self.by_hostname = {}
        self.default = None
        for row in rows:
            self.by_hostname.setdefault(row[1], []).append(row[0])
            if row[5]:
                self.default = row[0]
        # One root path per site: WAGTAIL_I18N_ENABLED is off, so no translated roots.
        self.root_paths = RootPaths(
            SiteRootPath(row[0], row[6], Site(hostname=row[1], port=row[2]).root_url, row[8])
            for row in rows
        )
        self.root_page_ids = {row[4] for row in rows}
        self._root_content_types = {row[4]: row[7] for row in rows}
        self._root_pages = {}
        self.root_tree_paths = {row[9] for row in rows}
        self._menus = {}
        # Private sections (Wagtail's view restrictions): the restricted pages' paths, for
        # ``public()``, and those paths with the paths of every alias of a restricted page
        # (an alias is as private as the page it copies), for a page's own check.
        restricted = list(PageViewRestriction.objects.values_list("page_id", "page__path"))
        self.restricted_page_ids = {page_id for page_id, _ in restricted}
        self.private_paths = frozenset(path for _, path in restricted)
        self.restricted_paths = self.private_paths | set(
            Page.objects.filter(alias_of_id__in=self.restricted_page_ids).values_list(
                "path", flat=True
            )
            if restricted
            else ()
        )

    def site_id_for(self, hostname, port):
        """The site Wagtail's ``get_site_for_hostname`` picks, or None where it raises."""
        try:
            port = int(port)  # the request gives a string; Wagtail's query compares numbers
        except (TypeError, ValueError):
            port = None
        matches = []
        for site_id in self.by_hostname.get(hostname, ()):
            _, _, site_port, _, _, is_default = self.sites[site_id]
            if site_port == port:
                match = MATCH_HOSTNAME_PORT
            elif is_default:
                match = MATCH_HOSTNAME_DEFAULT
            else:
                match = MATCH_HOSTNAME
            matches.append((match, site_port, site_id))
        if self.default is not None and self.sites[self.default][1] != hostname:
            matches.append((MATCH_DEFAULT, 0, self.default))
        if not matches:
            return None
        matches.sort()
        if len(matches) == 1 or matches[0][0] in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
            return matches[0][2]
        if matches[0][0] == MATCH_DEFAULT:
            # The default, unless exactly one site has this hostname on another port.
            return matches[len(matches) == 2][2]
        return matches[0][2]

    def site(self, site_id):
        """A new Site instance (it is the request's own) with its root page already loaded."""
        site = Site.from_db("default", SITE_FIELDS, self.sites[site_id])
        site.root_page = copy.copy(self._root_page(site.root_page_id))
        return site

    def menu(self, root_page_id):
        """The live pages of a site's menu (its root's children shown in menus), each a new
        instance (the request's own)."""
        pages = self._menus.get(root_page_id)
        if pages is None:
            root = self._root_page(root_page_id)
            pages = self._menus[root_page_id] = list(
                root.get_children()  # a path range, which SQLite reads from the index
                .live()
                .in_menu()
                .only("id", "title", "path", "depth", "url_path")
            )
        return [copy.copy(page) for page in pages]

    def may_be_restricted(self, path):
        """False when no view restriction can apply to the page at ``path``: neither it nor
        an ancestor is private, nor an alias of a private page. True means "ask the
        database", which knows the exact restrictions."""
        if self.version is None:
            return True  # the shared version is unknown: this list may be old
        if not self.restricted_paths:
            return False
        steplen = Page.steplen
        return any(
            path[:length] in self.restricted_paths
            for length in range(steplen, len(path) + 1, steplen)
        )

    def _root_page(self, page_id):
        page = self._root_pages.get(page_id)
        if page is None:
            content_type = ContentType.objects.get_for_id(self._root_content_types[page_id])
            model = content_type.model_class() or Page
            page = self._root_pages[page_id] = model.objects.get(pk=page_id)
        return page


def current(request=None):
    """This process's directory, built again if the shared version moved on."""
    global _directory
    if request is not None and getattr(request, "_site_directory", None) is not None:
        return request._site_directory
    cache = caches["default"]
    version = cache.get(VERSION_KEY)
    if version is None:
        token = uuid.uuid4().hex
        version = token if cache.add(VERSION_KEY, token, None) else cache.get(VERSION_KEY)
    directory = _directory
    if version is None:
        # The cache does not answer: keep what this worker has for a few seconds.
        if directory is None or time.monotonic() - directory.built_at > UNAVAILABLE_SECONDS:
            directory = _directory = Directory(None)
    elif (
        directory is None
        or directory.version != version
        or time.monotonic() - directory.built_at > MAX_AGE_SECONDS
    ):
        directory = _directory = Directory(version)
    if request is not None:
        request._site_directory = directory
        _this_request.directory = directory
    return directory


def checked():
    """The directory this request has already checked against the shared version (no second
    round trip), or one checked now outside a request. For code that has no request at hand,
    such as a page's ``get_view_restrictions``."""
    return getattr(_this_request, "directory", None) or current()


def _request_boundary(**kwargs):
    # A directory checked by one request is not trusted by the next, nor by code that runs
    # between requests in the same thread.
    _this_request.directory = None


def changed(*args, **kwargs):
    """Every worker builds its directory again: now, and after the current transaction."""
    global _directory
    _directory = None
    _this_request.directory = None
    _new_version()
    transaction.on_commit(_new_version)


def _new_version():
    caches["default"].set(VERSION_KEY, uuid.uuid4().hex, None)


def page_changed(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        return
    directory = current()
    if (
        # A site's root page holds the site's root path and is what its routes start from.
        instance.pk in directory.root_page_ids
        # A child of a site's root may be in its menu (added, renamed, hidden, unpublished).
        or (instance.path or "")[: -instance.steplen] in directory.root_tree_paths
        # A new alias of a private page is private too.
        or (instance.alias_of_id and instance.alias_of_id in directory.restricted_page_ids)
    ):
        changed()


# What install() puts in Wagtail's place, and the originals the tests compare with.
ORIGINALS = {}


def find_site_for_request(request):
    """``Site._find_for_request``: the site for the request's host, from the directory."""
    hostname = split_domain_port(request._get_raw_host())[0]
    directory = current(request)
    site_id = directory.site_id_for(hostname, request.get_port())
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        # Wagtail's URL building reads them from the request: no second version check.
        request._wagtail_cached_site_root_paths = directory.root_paths
    return None if site_id is None else directory.site(site_id)


def get_site_root_paths():
    """``Site.get_site_root_paths``, from the directory (a RootPaths, which is a tuple)."""
    return current().root_paths


def relevant_site_root_paths(page, cache_object=None):
    """``Page._get_relevant_site_root_paths``: the index instead of a pass over every site."""
    paths = page._get_site_root_paths(cache_object)
    if isinstance(paths, RootPaths):
        return paths.relevant(page.url_path)
    return ORIGINALS["_get_relevant_site_root_paths"](page, cache_object)


# Page URL paths reversed through ``wagtail_serve``: the answer depends only on the URLconf and
# the script prefix, fixed for the life of a process, and the URL path.
_serve_paths = {}
_SERVE_PATHS_MAX = 50000


def _serve_path(relative_path):
    key = (get_script_prefix(), get_urlconf(), relative_path)
    path = _serve_paths.get(key)
    if path is None:
        try:
            path = reverse("wagtail_serve", args=(relative_path,))
        except NoReverseMatch:
            path = ""
        if len(_serve_paths) >= _SERVE_PATHS_MAX:
            _serve_paths.clear()
        _serve_paths[key] = path
    return path or None


def get_url_parts(page, request=None):
    """``Page.get_url_parts`` as Wagtail 8.0 writes it without translated site roots (see
    ``install``), reversing each URL path once per process: a page link or a preview URL
    cost a ``reverse()`` each, eleven a product page."""
    possible_sites = page._get_relevant_site_root_paths(request)
    if not possible_sites:
        return None
    site_id, root_path, root_url, _ = possible_sites[0]
    if len({values[0] for values in possible_sites}) > 1 and isinstance(request, HttpRequest):
        # The page belongs to more than one site: prefer the request's own.
        site = Site.find_for_request(request)
        if site:
            for values in possible_sites:
                if values[0] == site.pk:
                    site_id, root_path, root_url, _ = values
                    break
    page_path = _serve_path(page.url_path[len(root_path) :])
    if page_path is None:
        return (site_id, None, None)
    if not wagtail_pages.WAGTAIL_APPEND_SLASH and page_path != "/":
        page_path = page_path.rstrip("/")
    return (site_id, root_url, page_path)


def get_url(page, request=None, current_site=None):
    """``Page.get_url`` as Wagtail 8.0 writes it, counting the sites without a pass over them."""
    if current_site is None and request is not None:
        current_site = Site.find_for_request(request)
    url_parts = page.get_url_parts(request=request)
    if url_parts is None or url_parts[1] is None and url_parts[2] is None:
        return None
    site_id, root_url, page_path = url_parts
    paths = page._get_site_root_paths(request)
    if isinstance(paths, RootPaths):
        num_sites = paths.site_count
    else:
        num_sites = len({root_path[0] for root_path in paths})
    if (current_site is not None and site_id == current_site.id) or num_sites == 1:
        return page_path
    return root_url + page_path


def install():
    """Put the directory behind Wagtail's site look-ups and connect what keeps it fresh."""
    from django.conf import settings
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import post_page_move

    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return  # translated site roots: Wagtail's own look-ups, which know about them
    if not ORIGINALS:
        ORIGINALS.update(
            _find_for_request=Site._find_for_request,
            get_site_root_paths=Site.get_site_root_paths,
            _get_relevant_site_root_paths=Page._get_relevant_site_root_paths,
            get_url=Page.get_url,
            get_url_parts=Page.get_url_parts,
        )
        Site._find_for_request = staticmethod(find_site_for_request)
        Site.get_site_root_paths = staticmethod(get_site_root_paths)
        Page._get_relevant_site_root_paths = relevant_site_root_paths
        Page.get_url = get_url
        Page.get_url_parts = get_url_parts
        Page.url = property(get_url)
    for signal in (post_save, post_delete):
        signal.connect(changed, sender=Site, dispatch_uid=f"site-directory-site-{id(signal)}")
        signal.connect(
            changed,
            sender=PageViewRestriction,
            dispatch_uid=f"site-directory-restriction-{id(signal)}",
        )
        signal.connect(page_changed, dispatch_uid=f"site-directory-page-{id(signal)}")
    post_page_move.connect(changed, dispatch_uid="site-directory-move")
    request_started.connect(_request_boundary, dispatch_uid="site-directory-request-started")
    request_finished.connect(_request_boundary, dispatch_uid="site-directory-request-finished")
