"""Listing instances that ended in a time window: the runtime lists pages by the other
filters, and this keeps the instances that ended in the window, reading on until a page is
full (or a bounded number of pages were read: the page may then be short, with a cursor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from stead.commands.resources import Instance, InstancePage

__all__ = ["MAX_PAGES_READ", "ended_between"]

MAX_PAGES_READ = 20  # a window that matches little must not read the whole table per request
PageReader = Callable[[str | None, int], InstancePage]  # (cursor, limit) -> one page


def _ended_within(
    instance: Instance, after: dt.datetime | None, before: dt.datetime | None
) -> bool:
    ended = instance.ended_at
    return (
        ended is not None
        and (after is None or ended >= after)
        and (before is None or ended < before)
    )


def ended_between(
    read_page: PageReader,
    *,
    ended_after: dt.datetime | None,
    ended_before: dt.datetime | None,
    cursor: str | None,
    limit: int,
) -> InstancePage:
    """Up to ``limit`` instances that ended at or after ``ended_after`` and before
    ``ended_before``. Each page read asks for no more than the page still lacks, so the cursor
    of the last page read continues exactly after the last instance looked at."""
    items: list[Instance] = []
    for _ in range(MAX_PAGES_READ):
        page = read_page(cursor, limit - len(items))
        items += [i for i in page.items if _ended_within(i, ended_after, ended_before)]
        cursor = page.next_cursor
        if cursor is None or len(items) >= limit:
            break
    return InstancePage(items=items, next_cursor=cursor)
