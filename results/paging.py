"""One page of a list already in memory (a field's ranking in a published snapshot), with what the shared pager
(templates/_pagination.html) reads: page, pages, total, has_prev/prev_num, has_next/next_num, iter_pages().

Pure: no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ListPage:
    items: Sequence[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The 1-based position of the page's first item in the whole list."""
        return (self.page - 1) * self.per_page + 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, edge: int = 2, around: int = 2) -> Iterator[int | None]:
        """The page numbers to link: the first and last `edge`, and `around` on each side of the current one;
        None where numbers are left out (shown as "…")."""
        last = 0
        for num in range(1, self.pages + 1):
            if num <= edge or num > self.pages - edge or abs(num - self.page) <= around:
                if last and num - last > 1:
                    yield None
                yield num
                last = num


def page_of(items: Sequence[Any], page: int, per_page: int) -> ListPage:
    """Page `page` (1-based; out of range: the nearest page) of `items`, `per_page` a page."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return ListPage(items[start : start + per_page], page, per_page, len(items))
