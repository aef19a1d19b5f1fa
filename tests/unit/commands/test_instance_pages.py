"""Listing instances that ended in a window: full pages where there are enough, a cursor that
continues right after the last instance looked at, and a bound on how much one page reads."""

from __future__ import annotations

import datetime as dt

from stead.commands.instance_pages import MAX_PAGES_READ, ended_between
from stead.commands.resources import Instance, InstancePage

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _instance(number: int, ended_at: dt.datetime | None) -> Instance:
    return Instance(
        id=f"i-{number}",
        process_id="p",
        version=1,
        business_key=None,
        state="active" if ended_at is None else "completed",
        variables={},
        started_at=T0,
        ended_at=ended_at,
        parent_instance_id=None,
        waiting=[],
        incidents=[],
    )


class Listing:
    """The runtime's paging over a fixed list: the cursor is the index to continue at."""

    def __init__(self, instances: list[Instance]) -> None:
        self.instances = instances
        self.reads: list[int] = []

    def __call__(self, cursor: str | None, limit: int) -> InstancePage:
        self.reads.append(limit)
        start = int(cursor or 0)
        items = self.instances[start : start + limit]
        more = start + limit < len(self.instances)
        return InstancePage(items=items, next_cursor=str(start + limit) if more else None)


def _hours(instance: Instance) -> int:
    assert instance.ended_at is not None
    return int((instance.ended_at - T0).total_seconds() // 3600)


def test_pages_fill_up_across_reads_and_continue_where_they_stopped() -> None:
    # Every third instance ended, at hour n; the others are still active.
    listing = Listing(
        [_instance(n, T0 + dt.timedelta(hours=n) if n % 3 == 0 else None) for n in range(30)]
    )
    first = ended_between(listing, ended_after=T0, ended_before=None, cursor=None, limit=4)
    assert [_hours(i) for i in first.items] == [0, 3, 6, 9]
    second = ended_between(
        listing, ended_after=T0, ended_before=None, cursor=first.next_cursor, limit=4
    )
    assert [_hours(i) for i in second.items] == [12, 15, 18, 21]
    rest = ended_between(
        listing, ended_after=T0, ended_before=None, cursor=second.next_cursor, limit=4
    )
    assert [_hours(i) for i in rest.items] == [24, 27]
    assert rest.next_cursor is None


def test_the_window_keeps_ends_at_or_after_its_start_and_before_its_end() -> None:
    listing = Listing([_instance(n, T0 + dt.timedelta(hours=n)) for n in range(10)])
    page = ended_between(
        listing,
        ended_after=T0 + dt.timedelta(hours=2),
        ended_before=T0 + dt.timedelta(hours=5),
        cursor=None,
        limit=50,
    )
    assert [_hours(i) for i in page.items] == [2, 3, 4]


def test_a_window_that_matches_little_reads_a_bounded_number_of_pages() -> None:
    listing = Listing([_instance(n, None) for n in range(1000)])
    page = ended_between(listing, ended_after=T0, ended_before=None, cursor=None, limit=10)
    assert page.items == []
    assert len(listing.reads) == MAX_PAGES_READ
    assert page.next_cursor == str(10 * MAX_PAGES_READ)  # the next page goes on from there
