"""Subtree queries that every database answers from the index on the page path.

Wagtail filters a subtree with ``path__startswith``, which is ``LIKE 'path%'``. PostgreSQL
answers that from the index on ``path`` (Wagtail gives the column the "C" collation), but
SQLite's LIKE is case-insensitive and cannot use the index: every render of a commune page
read the whole page table, about 1.5 ms at 20 000 products and growing with them.

A tree path is made of the characters 0-9 and A-Z, so the pages below ``path`` are exactly
those whose path lies between ``path`` and ``path`` followed by Zs up to the column's length:
a range, which both databases read from the index.
"""

import functools

from django.db.models import Q
from django.http import Http404
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

from . import site_directory
from .prepared import PreparedQuery

PATH_LENGTH = Page._meta.get_field("path").max_length


def subtree_range(path):
    """The (lowest, highest) paths of ``path`` and every page below it."""
    return path, path.ljust(PATH_LENGTH, "Z")


def subtree_q(path):
    """``Q(path__startswith=path)``, as an indexed range."""
    return Q(path__range=subtree_range(path))


class SubtreeQuerySet(PageQuerySet):
    """Wagtail's page queryset, with ``descendant_of`` and ``child_of`` as indexed ranges, and
    ``public`` that adds nothing to the query when no page is private (the usual case); the
    private pages come from the site directory, which the request has already checked."""

    def public(self):
        """Pages outside every private section (Wagtail's view restrictions), in one small
        query for the restricted paths. Wagtail's own ``public`` builds ``exclude(pk__in=[])``
        when there are none, which costs every list a needless clause to build and compile."""
        from wagtail.models import PageViewRestriction

        directory = site_directory.checked()
        if directory.version is None:  # the directory may be old: ask the database
            paths = set(PageViewRestriction.objects.values_list("page__path", flat=True))
        else:
            paths = directory.private_paths
        private = Q()
        for path in paths:
            private |= subtree_q(path)
        return self.exclude(private) if private else self

    def descendant_of_q(self, other, inclusive=False):
        q = subtree_q(other.path) & Q(depth__gte=other.depth)
        if not inclusive:
            q &= ~Q(pk=other.pk)
        return q


SubtreePageManager = PageManager.from_queryset(SubtreeQuerySet)


def ancestor_paths(path):
    """The tree paths of ``path``'s ancestors and of itself, the root first."""
    steplen = Page.steplen
    return [path[:length] for length in range(steplen, len(path) + 1, steplen)]


class IndexedViewRestrictionsMixin:
    """``get_view_restrictions`` in one query, through the unique index on the page path, and
    in none when the site directory knows that no restriction can apply (no private page above
    this one, nor an alias of one: commune_site/site_directory.py), the usual case.

    Wagtail's reads the ancestors' alias sources in one query, then their restrictions in
    another, on every page view. Here the two are one query with the same answer: the
    restrictions of this page and its ancestors, each alias replaced by the page it copies
    (Wagtail points an alias at the original page, never at another alias).
    """

    def get_view_restrictions(self):
        from django.db.models.functions import Coalesce
        from wagtail.models import PageViewRestriction

        if not site_directory.checked().may_be_restricted(self.path):
            return PageViewRestriction.objects.none()
        sources = (
            Page.objects.filter(path__in=ancestor_paths(self.path))
            .order_by()
            .values_list(Coalesce("alias_of_id", "id"))
        )
        return PageViewRestriction.objects.filter(page_id__in=sources)


# What the pages above a routed page are read with: what links, breadcrumbs, previews and
# Wagtail's ``specific`` read of them (the pages' own fields come with ``specific``).
ROUTE_ANCESTOR_FIELDS = (
    "id",
    "path",
    "depth",
    "numchild",
    "title",
    "slug",
    "url_path",
    "content_type_id",
    "locale_id",
    "live",
    "alias_of_id",
    "show_in_menus",
    "seo_title",
    "search_description",
)


class TreeRouteMixin:
    """``route`` for a site's root page: the pages of the URL found in one query.

    Wagtail walks the URL one level at a time, two queries per level (the child by slug, then
    its specific row): six for a product page. Every page's URL path is stored with it
    (``url_path``, indexed by showcase migration 0004), so the pages on the way down are one
    query, then the page itself with the rows its template needs (``route_select_related``).
    Each page is linked to its parent as Wagtail's walk links them, so ``get_parent()`` costs
    no query. The page's own ``route`` still decides the end (a page that is not live is a
    404, a routable page serves its default view). Anything else (an unknown path, or a path
    below a routable page such as a batch ``…/lo/<code>/``) goes through Wagtail's walk.
    """

    def route(self, request, path_components):
        if not path_components or len(path_components) > ROUTE_MAX_LEVELS:
            return super().route(request, path_components)
        url_paths = []
        url_path = self.url_path
        for component in path_components:
            url_path += component + "/"
            url_paths.append(url_path)
        found = {page.url_path: page for page in ROUTE_ANCESTORS.list(url_paths)}
        chain = [found.get(url_path) for url_path in url_paths]
        parent = self
        for page in chain:
            if (
                page is None
                or page.depth != parent.depth + 1
                or page.path[: -self.steplen] != parent.path
            ):
                return super().route(request, path_components)
            parent = page
        model = chain[-1].specific_class
        if model is None or any(_is_routable(page.specific_class) for page in chain[:-1]):
            return super().route(request, path_components)
        # With the rows its template needs (``route_select_related``).
        related = getattr(model, "route_select_related", ())
        target = specific_query(model, related).get(chain[-1].pk)
        if target is None:  # deleted since the first query
            raise Http404
        chain[-1] = target
        parent = self
        for page in chain:
            page._cached_parent_obj = parent
            parent = page
        return target.route(request, [])


# Levels below a site root that the one-query route reads: a product is three (producers, the
# producer, the product), a batch's page two more, through the product's own route. A longer
# URL is walked by Wagtail, which stops at the first unknown level, so that a made-up URL of
# many levels adds no query shape to ROUTE_ANCESTORS.
ROUTE_MAX_LEVELS = 6
ROUTE_ANCESTORS = PreparedQuery(
    lambda url_paths: Page.objects.filter(url_path__in=url_paths).only(*ROUTE_ANCESTOR_FIELDS)
)


@functools.cache
def specific_query(model, related=()):
    """The prepared read of one ``model`` page by id, with ``related`` (``select_related``)."""
    return PreparedQuery(lambda pk: model.objects.select_related(*related).filter(pk=pk))


def specific_page(page):
    """``page.specific`` through the prepared read: its own row only, as Wagtail reads it,
    with the page's other attributes copied as Wagtail copies them."""
    model = page.specific_class
    if model is None or isinstance(page, model):
        return page
    specific = specific_query(model).get(page.pk)
    if specific is None:
        raise model.DoesNotExist
    for name, value in page.__dict__.items():
        specific.__dict__.setdefault(name, value)
    return specific


def cluster_rows(page, relation, query):
    """A page's child rows (a ``ParentalKey`` relation) through a prepared ``query`` of the
    page's id; a preview's rows are in memory, in the revision being previewed."""
    if relation in getattr(page, "_cluster_related_objects", {}) or page.pk is None:
        return list(getattr(page, relation).all())
    return query.list(page.pk)


def _is_routable(model):
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    return model is None or issubclass(model, RoutablePageMixin)
