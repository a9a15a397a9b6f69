"""Search that works with or without Vietnamese diacritics, fast at province scale.

Buyers type "thanh long ruot do" as often as "thanh long ruột đỏ". Every product and producer
page has a folded copy of its text in the site's own index (products.models.SearchEntry: no
diacritics, đ → d, lower case), and every query is folded the same way, so both spellings meet.

One interface, three ways to match, chosen by the database (``match_q``):
- SQLite: an FTS5 table over the folded text (migration products 0005);
- PostgreSQL: a GIN index on ``to_tsvector('simple', body)``;
- any other database: LIKE on whole words (correct, not fast).
The match yields page ids only; live, public, the commune, filters and order are asked of the
page tables by the caller, so a page that is not public is never found, whatever the index holds.
"""

import difflib
import re

from anyascii import anyascii
from django.db import connections, router
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import Exact, GreaterThan

# The folded text is ASCII, and both indexes (SQLite FTS5's unicode61 tokenizer, PostgreSQL's
# "simple" parser) split it into runs of letters and digits, so those runs are the only words a
# query can usefully hold.
WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 12
# A word is corrected only towards a known word at least this close (difflib's ratio):
# "lonng" → "long" (0.89), "xuonh" → "xuong" (0.8); two letters are never corrected.
CORRECTION_CUTOFF = 0.75
MIN_CORRECTED_LENGTH = 3
COMMUNE_PATH_LENGTH = 8  # a commune home page is at depth 2, and a tree step is 4 characters


def fold(text: str) -> str:
    """'Thanh long ruột đỏ' → 'thanh long ruot do'."""
    return anyascii(text or "").lower()


def fold_words(text: str) -> list[str]:
    """Every folded word of a text, for the index."""
    return WORD.findall(fold(text))


def query_words(query: str) -> list[str]:
    """The words of a buyer's query, folded: 'Thanh long "ruột đỏ"' → thanh, long, ruot, do.

    Everything else goes: quotes, brackets, `*`, `:`, `^` and NUL would otherwise reach the
    backends' query syntax (FTS5 fails on an unbalanced quote, PostgreSQL refuses NUL in text).
    FTS operators survive only as plain lower-case words, which are quoted as terms.
    """
    return fold_words(query)[:MAX_WORDS]


def _vendor(model):
    return connections[router.db_for_read(model)].vendor


def scope_word(path: str) -> str:
    """The word every entry below a commune home page carries: "xa00010002" for the commune at
    path 00010002. A commune's search adds it to the query, so that the full-text index, not
    the page table, narrows the match to that commune: at 100,000 products "thanh long" may
    match 10,000 pages of the province and 100 of the commune."""
    return "xa" + path[:COMMUNE_PATH_LENGTH].lower()


def kind_word(kind: str) -> str:
    """The word every entry of a kind carries ("loaiproducer"): a producer search reads the
    producers' postings only, not those of the thousands of products with the same words."""
    return "loai" + kind


def match_q(words, *, any_word=False, within=None, kind=None) -> Q:
    """``Q`` on a page queryset: pages whose indexed text has every word (or any of them).

    ``words`` come from ``query_words``: letters and digits only, so they are safe inside the
    FTS5 and tsquery syntax; each is still quoted (FTS5) so that AND, OR, NOT and NEAR are
    words, not operators. ``within`` (a commune home page's path) keeps to that commune's
    pages; callers still filter the page tree, which is what keeps other communes out.
    ``kind`` ("product" or "producer") keeps to entries of that kind.
    """
    from .models import SearchEntry

    if not words:
        return Q(pk__in=[])
    scopes = [word for word in (within and scope_word(within), kind and kind_word(kind)) if word]
    vendor = _vendor(SearchEntry)
    if vendor == "sqlite":
        terms = (" OR " if any_word else " ").join(f'"{word}"' for word in words)
        for scope in scopes:
            terms = f'({terms}) AND "{scope}"'
        sql = (
            "SELECT rowid FROM products_searchentry_fts WHERE products_searchentry_fts MATCH %s"
        )
        return Q(pk__in=RawSQL(sql, [terms]))
    if vendor == "postgresql":
        terms = (" | " if any_word else " & ").join(words)
        for scope in scopes:
            terms = f"({terms}) & {scope}"
        sql = (
            "SELECT page_id FROM products_searchentry WHERE "
            "to_tsvector('simple'::regconfig, body) @@ to_tsquery('simple'::regconfig, %s)"
        )
        return Q(pk__in=RawSQL(sql, [terms]))
    conditions = [Q(body__contains=f" {word} ") for word in words]
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = (combined | condition) if any_word else (combined & condition)
    for scope in scopes:
        combined &= Q(body__contains=f" {scope} ")
    return Q(pk__in=SearchEntry.objects.filter(combined).values("page_id"))


def ranked(queryset, words):
    """Pages in order of how well their name meets the words: the exact name, then names
    starting with the query, then names holding every word, then the rest (by title within
    each). Filters nothing: combine with ``match_q``."""
    # instr() (StrIndex) rather than LIKE: SQLite's LIKE with ESCAPE cost a tenth of the whole
    # page at 2,000 matches, evaluated for every one of them.
    phrase = " " + " ".join(words) + " "
    title = "search_entry__title"
    found = [StrIndex(title, Value(f" {word} ")) for word in words]
    in_title = Q()
    for position in found:
        in_title &= Q(GreaterThan(position, 0))
    rank = Case(
        When(**{title: phrase}, then=Value(0)),
        When(Q(Exact(StrIndex(title, Value(phrase)), 1)), then=Value(1)),
        When(in_title, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return queryset.annotate(search_rank=rank).order_by("search_rank", "title", "pk")


def search_pages(queryset, query: str):
    """Search a page queryset with a folded query; every word must match; best first."""
    words = query_words(query)
    if not words:
        return queryset.none()
    return ranked(queryset.filter(match_q(words)), words)


def corrected_words(words) -> list[str]:
    """The query with each unknown word replaced by the closest word of a product, producer or
    category name; the words unchanged when nothing is close enough.

    One query finds which words are known, and one per unknown word (at most ``MAX_WORDS``)
    reads the known words of about its length, so the cost does not grow with the products.
    """
    from .models import SearchWord

    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    corrected = []
    for word in words:
        if word in known or len(word) < MIN_CORRECTED_LENGTH or word.isdigit():
            corrected.append(word)
            continue
        candidates = SearchWord.objects.filter(
            length__gte=len(word) - 2, length__lte=len(word) + 2
        ).values_list("word", flat=True)
        close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=CORRECTION_CUTOFF)
        corrected.append(close[0] if close else word)
    return corrected
