"""Search that works with or without Vietnamese diacritics.

Buyers type "thanh long ruot do" as often as "thanh long ruột đỏ". Every searchable page
indexes a folded copy of its text (no diacritics, đ → d, lower case), and every query is
folded the same way, so both spellings meet in the index whatever the search backend.
"""

import re

from anyascii import anyascii

# The folded text is ASCII, and both indexes (SQLite FTS5's unicode61 tokenizer, PostgreSQL's
# "simple" parser) split it into runs of letters and digits, so those runs are the only words a
# query can usefully hold.
WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 12


def fold(text: str) -> str:
    """'Thanh long ruột đỏ' → 'thanh long ruot do'."""
    return anyascii(text or "").lower()


def query_words(query: str) -> list[str]:
    """The words of a buyer's query, folded: 'Thanh long "ruột đỏ"' → thanh, long, ruot, do.

    Everything else goes: quotes, brackets, `*`, `:`, `^` and NUL would otherwise reach the
    backends' query syntax (FTS5 fails on an unbalanced quote, PostgreSQL refuses NUL in text).
    FTS operators survive only as plain lower-case words, which the backends quote as terms.
    """
    return WORD.findall(fold(query))[:MAX_WORDS]


def search_pages(queryset, query: str):
    """Search a page queryset with a folded query; every word must match."""
    words = query_words(query)
    if not words:
        return queryset.none()
    return queryset.search(" ".join(words), operator="and")
