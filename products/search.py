"""Search that works with or without Vietnamese diacritics.

Buyers type "thanh long ruot do" as often as "thanh long ruột đỏ". Every searchable page
indexes a folded copy of its text (no diacritics, đ → d, lower case), and every query is
folded the same way, so both spellings meet in the index whatever the search backend.
"""

from anyascii import anyascii


def fold(text: str) -> str:
    """'Thanh long ruột đỏ' → 'thanh long ruot do'."""
    return anyascii(text or "").lower()


def search_pages(queryset, query: str):
    """Search a page queryset with a folded query; every word must match."""
    folded = fold(query).strip()
    if not folded:
        return queryset.none()
    return queryset.search(folded, operator="and")
