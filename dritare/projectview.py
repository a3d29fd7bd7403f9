"""What a project page and the projects overview show at a glance, worked out from the sheets and the build date:
the status in words, the timeline's marks, the budget's shares and the overview's totals. Only what the sheets
state: a missing date or amount stays missing (None), it is never guessed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Iterable

from .content import Project

# The statuses a project can have, in the order the overview's filters list them; each is a page's address.
STATUSES = ("planned", "ongoing", "ended", "not-stated")
_HUNDREDTH = Decimal("0.01")
# The timeline's drawing runs from MARGIN to 100 - MARGIN (per cent of its width), so that marks at either end
# stay whole.
MARGIN = Decimal(2)


@dataclass(frozen=True)
class Status:
    """Where a project stands on `today`: one of STATUSES, and the dates the words about it need."""

    state: str
    start: dt.date | None
    end: dt.date | None
    today: dt.date
    progress: Decimal | None  # the share of the planned time that has passed, when both dates are known


def status(project: Project, today: dt.date) -> Status:
    """Return the status of `project` on `today`: planned before its start, ended after its (planned) end,
    ongoing in between; not stated when the dates stated do not tell."""
    start, end = project.sheet.start_date, project.sheet.end_date
    if start and today < start:
        state = "planned"
    elif end and today > end:
        state = "ended"
    elif start and end:
        state = "ongoing"
    else:
        state = "not-stated"
    progress = None
    if start and end:
        span = Decimal(max((end - start).days, 1))
        progress = min(max(Decimal((today - start).days) / span, Decimal(0)), Decimal(1))
    return Status(state, start, end, today, progress)


@dataclass(frozen=True)
class Timeline:
    """The marks of a project's timeline, in per cent of the drawing's width (two decimals, as text for SVG)."""

    start: str
    today: str
    planned_width: str  # the bar from the start to the planned end
    elapsed_width: str  # the part of it that has passed


def _position(day: dt.date, first: dt.date, last: dt.date) -> Decimal:
    span = Decimal(max((last - first).days, 1))
    inner = Decimal(100) - 2 * MARGIN
    return (MARGIN + inner * Decimal((day - first).days) / span).quantize(_HUNDREDTH, ROUND_HALF_EVEN)


def timeline(project: Project, today: dt.date) -> Timeline | None:
    """Return the marks of the project's timeline, which spans its dates and the build date; None unless both
    dates are stated (there is no picture of what the sheet does not say)."""
    start, end = project.sheet.start_date, project.sheet.end_date
    if not (start and end):
        return None
    first, last = min(start, today), max(end, today)
    left, right, now, passed = (_position(day, first, last) for day in (start, end, today, min(max(today, start), end)))
    return Timeline(str(left), str(now), str(right - left), str(passed - left))


@dataclass(frozen=True)
class Shares:
    """A budget split into the EU contribution and the other co-financing, with each one's share of the total and
    the bar's widths (per cent, as text for SVG)."""

    currency: str
    total: Decimal
    eu: Decimal
    other: Decimal
    eu_share: Decimal
    other_share: Decimal
    eu_width: str
    other_width: str


def shares(project: Project) -> Shares | None:
    """Return the budget's shares, or None unless the sheet states both the total and the EU contribution."""
    budget = project.sheet.budget
    if budget is None or budget.eu_contribution is None:
        return None
    eu_share = budget.eu_contribution / budget.total
    width = (eu_share * 100).quantize(_HUNDREDTH, ROUND_HALF_EVEN)
    return Shares(budget.currency, budget.total, budget.eu_contribution, budget.total - budget.eu_contribution,
                  eu_share, 1 - eu_share, str(width), str(100 - width))


@dataclass(frozen=True)
class Total:
    """The sums of the overview in one currency, and how many projects they add up."""

    currency: str
    total: Decimal
    eu: Decimal
    projects: int
    eu_projects: int  # of those, how many state an EU contribution


@dataclass(frozen=True)
class Overview:
    """The rows of the projects overview (after its filter) and what its footer says of them."""

    rows: tuple[Project, ...]
    totals: tuple[Total, ...]  # one per currency, by currency code
    no_budget: int  # projects without a stated budget, left out of the totals
    no_eu: int  # projects with a budget but no stated EU contribution, left out of the EU totals


def overview(projects: Iterable[Project], today: dt.date, state: str | None = None) -> Overview:
    """Return the rows of the overview, only those with the status `state` if it is given, and their totals by
    currency; projects whose budget is not stated are counted, never summed as zero."""
    rows = tuple(p for p in projects if state is None or status(p, today).state == state)
    budgets = [p.sheet.budget for p in rows if p.sheet.budget is not None]
    totals = tuple(_total(code, [b for b in budgets if b.currency == code])
                   for code in sorted({b.currency for b in budgets}))
    return Overview(rows, totals, len(rows) - len(budgets), sum(b.eu_contribution is None for b in budgets))


def _total(currency: str, budgets: list) -> Total:
    """Return the sums of `budgets`, all in `currency`: the totals, and the EU contributions that are stated."""
    stated = [b.eu_contribution for b in budgets if b.eu_contribution is not None]
    return Total(currency, sum((b.total for b in budgets), Decimal(0)), sum(stated, Decimal(0)), len(budgets),
                 len(stated))
