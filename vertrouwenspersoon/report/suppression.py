# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small-cell suppression of the annual report's counts (pure Python, no ORM).

The rule (also in the README):

1. Primary: every count from 1 to 4 is hidden and shown as "< 5".
2. Zeros: a zero is shown ("nobody" identifies no one), except in a
   published sum whose total is not zero and in which at most one part is 5
   or more: there the zeros tell that (nearly) everybody counted shares one
   row, so they are hidden as "< 5" too (a reader reads "< 5" as 0 to 4). The
   part that then holds the total is pinned and hidden by rule 3.
3. Complementary: a reader knows the published totals, that a "< 5" cell is
   0 to 4 (1 to 4 when it is a real small count), and that an "x" cell is 5
   or more (zeros and counts below 5 are never chosen as complementary
   cells). Bounds are propagated over every published sum (table column =
   its total, shared totals included); while a hidden cell's value is pinned
   to one number, the smallest visible non-zero part of a sum holding it is
   hidden as well ("x"), or, when no part is left, the sum's total (then in
   every table showing that total, as it is one cell). This repeats until
   nothing changes (a fixed point), so no hidden cell can be derived from
   the totals and the other cells.
4. Each year is suppressed on its own data only, so the column of a year is
   hidden the same way in every report showing it (this year's report and
   next year's "previous year" column), and no sum across years is published.

Below that, a report as a whole needs a minimum population (see
vp.annual.report): counts of fewer than k requests are not published at all.
"""

import math
from collections import deque

PRIMARY = "primary"
ZERO = "zero"  # a zero hidden by rule 2, shown as "< 5" like a primary cell
COMPLEMENTARY = "complementary"
SMALL_MAX = 4


def _bounds(values, hidden, constraints):
    """What a reader can deduce: an interval per cell, by propagating every
    published sum ``total = sum(parts)`` until nothing narrows.

    Sweeping every sum until nothing changed was most of the report's
    time. The same fixed point, in a fraction of the steps:

    - only a sum that holds a hidden cell can narrow anything, and only its
      hidden cells can narrow (a shown cell is known exactly; were it to
      contradict the others, the total's own check finds it on a later look,
      since every narrowing of a part brings its sums back);
    - a sum needs another look only when one of its cells narrowed (a work
      list of sums, not a sweep over all of them)."""
    low, high = {}, {}
    cells = {cell for total, parts in constraints for cell in (total, *parts)}
    for key in cells:
        value = values[key]
        kind = hidden.get(key)
        if kind is None:
            low[key] = high[key] = value
        elif kind == PRIMARY:
            low[key], high[key] = 1, SMALL_MAX
        elif kind == ZERO:
            low[key], high[key] = 0, SMALL_MAX
        else:
            low[key], high[key] = SMALL_MAX + 1, math.inf
    sums, sums_of = [], {}
    for total, parts in constraints:
        hidden_parts = [part for part in parts if part in hidden]
        shown = sum(values[part] for part in parts if part not in hidden)
        if not hidden_parts and total not in hidden:
            if shown != values[total]:
                raise ValueError(f"the published sums contradict each other at {total!r}")
            continue
        for cell in (total, *hidden_parts):
            sums_of.setdefault(cell, []).append(len(sums))
        sums.append((total, hidden_parts, shown))
    todo = deque(range(len(sums)))
    waiting = set(todo)
    inf = math.inf
    while todo:
        index = todo.popleft()
        waiting.discard(index)
        total, parts, shown = sums[index]
        narrowed_cells = []
        parts_low = shown + sum(low[p] for p in parts)
        parts_high = shown + sum(high[p] for p in parts)
        t_low, t_high = max(low[total], parts_low), min(high[total], parts_high)
        if t_low > t_high:
            # No values fit: the sums are not the data's own. Stop rather
            # than narrow forever, and publish nothing.
            raise ValueError(f"the published sums contradict each other at {total!r}")
        if t_low != low[total] or t_high != high[total]:
            low[total], high[total] = t_low, t_high
            narrowed_cells.append(total)
        # The others' upper bound without inf - inf: count the unbounded parts apart.
        unbounded = 0
        finite_high = shown
        for p in parts:
            if high[p] == inf:
                unbounded += 1
            else:
                finite_high += high[p]
        for part in parts:
            p_low, p_high = low[part], high[part]
            others_low = parts_low - p_low
            if unbounded - (p_high == inf):
                others_high = inf
            else:
                others_high = finite_high - (0 if p_high == inf else p_high)
            n_low, n_high = max(p_low, t_low - others_high), min(p_high, t_high - others_low)
            if n_low > n_high:
                raise ValueError(f"the published sums contradict each other at {part!r}")
            if n_low != p_low or n_high != p_high:
                low[part], high[part] = n_low, n_high
                parts_low += n_low - p_low
                if p_high == inf:
                    unbounded -= 1
                else:
                    finite_high -= p_high
                if n_high == inf:
                    unbounded += 1
                else:
                    finite_high += n_high
                narrowed_cells.append(part)
        for cell in narrowed_cells:
            for other in sums_of[cell]:
                if other not in waiting:
                    waiting.add(other)
                    todo.append(other)
    return {key: (low[key], high[key]) for key in cells}


def pinned_cells(values, hidden, constraints):
    """Hidden cells whose value a reader can work out exactly (a cell in no sum cannot be)."""
    bounds = _bounds(values, hidden, constraints)
    return [key for key in hidden if key in bounds and bounds[key][0] == bounds[key][1]]


def _linked_sums(constraints):
    """The sums in groups that share no cell: what a reader deduces in one group tells
    nothing about another, so each group is suppressed on its own (the same cells are
    hidden as when all are taken together, in a fraction of the work: hiding a cell in
    one table no longer recomputes the bounds of every other)."""
    group_of_cell, members = {}, []  # cell -> group index; group index -> sum indexes
    for index, (total, parts) in enumerate(constraints):
        joined = sorted({group_of_cell[cell] for cell in (total, *parts) if cell in group_of_cell})
        into = joined[0] if joined else len(members)
        if not joined:
            members.append([])
        for other in joined[1:]:
            members[into] += members[other]
            members[other] = []
        members[into].append(index)
        for sum_index in members[into]:
            sum_total, sum_parts = constraints[sum_index]
            for cell in (sum_total, *sum_parts):
                group_of_cell[cell] = into
    return [[constraints[index] for index in sorted(group)] for group in members if group]


def suppress(values, constraints, order=None):
    """Decide which cells to hide.

    :param values: {cell key: count}; a key shared by several tables is one
        cell (a total shown in each table of the same population)
    :param constraints: [(total key, [part keys])]: every published sum
    :param order: cell keys in display order, to break ties deterministically
    :return: {cell key: PRIMARY, ZERO or COMPLEMENTARY} for the hidden cells
    """
    rank = {key: index for index, key in enumerate(order or sorted(values, key=repr))}
    hidden = {key: PRIMARY for key, value in values.items() if 1 <= value <= SMALL_MAX}
    for total, parts in constraints:
        if values[total] and sum(1 for part in parts if values[part] > SMALL_MAX) <= 1:
            hidden.update({part: ZERO for part in parts if values[part] == 0})
    for group in _linked_sums(constraints):
        while True:
            pinned = sorted(pinned_cells(values, hidden, group), key=lambda key: rank.get(key, len(rank)))
            extra = _next_cell(values, hidden, group, pinned, rank)
            if extra is None:
                break
            hidden[extra] = COMPLEMENTARY
    return hidden


def _next_cell(values, hidden, constraints, pinned, rank):
    """For the first pinned cell: the smallest visible non-zero part of a sum
    holding it; the total of such a sum only when no part is left."""

    def visible(keys):
        return [key for key in keys if key not in hidden and values[key] > 0]

    for cell in pinned:
        sums = [(total, parts) for total, parts in constraints if cell == total or cell in parts]
        candidates = visible({part for _total, parts in sums for part in parts}) or visible(
            {total for total, _parts in sums}
        )
        if candidates:
            return min(candidates, key=lambda key: (values[key], rank.get(key, len(rank))))
    return None
