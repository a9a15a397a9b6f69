"""Querysets compiled to SQL once per process, then run with other values.

Turning a queryset into SQL is most of what a small ORM read costs: for a product page's own
row (72 columns from four tables) Django spends about 0.4 ms building the SQL and 0.05 ms
running it. A page render reads the same few shapes of query every time, only with another
id or URL path. ``PreparedQuery`` compiles its queryset once for each database, with
placeholder values, remembers the SQL and the compiler's column map, and afterwards
only swaps the values in, much as SQLAlchemy's baked queries do. Rows still become model
instances, ``select_related`` objects and ``prefetch_related`` lookups (or ``values_list``
tuples) through Django's own iterables; ``rows`` skips even those, for the QR redirect.

Only a parameter that Django passes to the database unchanged can be a placeholder: an
``exact`` or ``in`` lookup on an id or a text column. Building the query finds each
placeholder among the SQL parameters and refuses a query where one went missing or was
transformed (``icontains`` wraps its value in ``%``). Integer values must come from the
database (ids read from rows): Django turns an out-of-range literal into an empty result
when compiling, and a prepared query sends it as it is.

    PRODUCT = PreparedQuery(lambda pk: ProductPage.objects.select_related("image").filter(pk=pk))
    product = PRODUCT.get(8)  # the ProductPage with its image, or None
    pages = ROUTE_ANCESTORS.list(["/xa-tam-vu/nha-san-xuat/", "/xa-tam-vu/san-pham/"])
"""

import itertools
import threading
from dataclasses import dataclass

from django.db import connections, router
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    QuerySet,
    ValuesListIterable,
)
from django.db.models.sql.query import Query

# The rows a prepared query can give: their iterables read nothing of the query but its SQL and
# the compiler's state (values() and named rows need the query's field names).
ITERABLES = (ModelIterable, ValuesListIterable, FlatValuesListIterable)
# The compiler's state after ``as_sql`` that running the query and reading its rows use.
COMPILER_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")


class PreparedQuery:
    """A queryset shape, built by ``build(*values)``, compiled once per database.

    Each argument of ``build`` is a single value or a list of values (for ``__in``); a list
    of another length is another shape, compiled on its first use and kept if the query has
    fewer than ``MAX_SHAPES``.
    """

    def __init__(self, build):
        self.build = build
        self.model = None
        self._compiled = {}
        self._lock = threading.Lock()

    def list(self, *values):
        """The query's model instances for these values, as a list."""
        return list(self.queryset(*values))

    def get(self, *values):
        """The one instance for these values, or None."""
        found = self.list(*values)
        if len(found) > 1:
            raise found[0].MultipleObjectsReturned(f"{len(found)} rows for {values!r}")
        return found[0] if found else None

    def rows(self, *values):
        """The database's own rows for these values, without Django's conversions (SQLite
        gives a boolean as 0 or 1): for the hottest reads, where building nothing counts."""
        alias, compiled, params = self._prepare(values)
        with connections[alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return cursor.fetchall()

    def queryset(self, *values):
        """An unevaluated queryset over the compiled SQL; it cannot be filtered further."""
        alias, compiled, params = self._prepare(values)
        query = _CompiledSQL(self.model, compiled, params)
        queryset = QuerySet(model=self.model, query=query, using=alias)
        queryset._prefetch_related_lookups = compiled.prefetch
        # values_list() rows come in the compiled column order: its iterable, without the
        # field names it would reorder them by.
        queryset._iterable_class = compiled.iterable
        return queryset

    def _prepare(self, values):
        """The database alias, the compiled query for the values' shape, and its parameters."""
        shape = tuple(len(value) if isinstance(value, (list, tuple)) else None for value in values)
        if self.model is None:
            self.model = self._placeholder_queryset(shape)[0].model
        alias = router.db_for_read(self.model)
        key = (alias, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key)
                if compiled is None:
                    compiled = self._compile(alias, shape)
                    # Lists of a length a request chooses must not grow the memory for good.
                    if len(self._compiled) < MAX_SHAPES:
                        self._compiled[key] = compiled
        params = list(compiled.params)
        for position, (index, item) in compiled.slots:
            params[position] = values[index] if item is None else values[index][item]
        return alias, compiled, tuple(params)

    def _placeholder_queryset(self, shape):
        """The queryset built with placeholder values, and where each placeholder belongs."""
        numbers = itertools.count(PLACEHOLDER_BASE)
        arguments, placeholders = [], {}
        for index, length in enumerate(shape):
            if length is None:
                value = next(numbers)
                placeholders[str(value)] = (index, None)
                arguments.append(value)
            else:
                values = [next(numbers) for _ in range(length)]
                for item, value in enumerate(values):
                    placeholders[str(value)] = (index, item)
                arguments.append(values)
        return self.build(*arguments), placeholders

    def _compile(self, alias, shape):
        queryset, placeholders = self._placeholder_queryset(shape)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots, unused = [], set(placeholders)
        for position, param in enumerate(params):
            if isinstance(param, (int, str)) and not isinstance(param, bool):
                slot = placeholders.get(str(param))
                if slot is not None:
                    slots.append((position, slot))
                    unused.discard(str(param))
        if queryset._iterable_class not in ITERABLES:
            raise ValueError(
                f"{self.model.__name__} query: only model instances and values_list() rows "
                "can be prepared"
            )
        if unused:
            missing = sorted(placeholders[value] for value in unused)
            raise ValueError(
                f"{self.model.__name__} query: values {missing} do not reach the database "
                "unchanged and cannot be prepared"
            )
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            state={name: getattr(compiler, name) for name in COMPILER_STATE},
            prefetch=queryset._prefetch_related_lookups,
            iterable=queryset._iterable_class,
        )


# Shapes kept per query; any more are compiled each time they are used.
MAX_SHAPES = 16
# Placeholders are ids no table reaches by chance: Django converts an integer lookup's value
# with ``int()`` and a text one's with ``str()``, so they are recognised in either form.
PLACEHOLDER_BASE = 1_987_000_000


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple  # (position in params, (argument index, item index or None))
    state: dict
    prefetch: tuple
    iterable: type


class _CompiledSQL(Query):
    """A query whose compiler answers with SQL compiled earlier instead of building it."""

    def __init__(self, model, compiled, params):
        super().__init__(model)
        self.compiled = compiled
        self.compiled_params = params

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        compiler.__dict__.update(self.compiled.state)
        sql, params = self.compiled.sql, self.compiled_params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler

    def clone(self):
        # ``filter``, ``count``, ``exists`` and slicing all start from a copy: any of them
        # would run the compiled SQL as if it were theirs.
        raise TypeError("a prepared query cannot be changed; build another PreparedQuery")
