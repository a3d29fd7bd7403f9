"""Publication dates known to the day or only to the month, and how each is written and shown."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date, format_skeleton

DAY_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
MONTH_RE = re.compile(r"^[0-9]{4}-[0-9]{2}\Z")
# Babel skeletons: each locale orders and spells the month and year in its own way ("mart 2019.").
MONTH_SKELETONS = {"full": "yMMMM", "long": "yMMMM", "medium": "yMMM", "short": "yMM"}


class Month(dt.date):
    """A date whose day is not known (`date: 2019-03`). It sorts, and feeds it, as the first day of its month
    (Atom needs a whole timestamp), and it is written as ISO 8601 reduced precision: "2019-03"."""

    __slots__ = ()

    def __new__(cls, year: int, month: int, day: int = 1):
        return super().__new__(cls, year, month, 1)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"

    def __reduce__(self):
        return (Month, (self.year, self.month))


def parse(text: str, month_allowed: bool) -> dt.date:
    """Return the date written `YYYY-MM-DD` (or `YYYY-MM`, a Month, if allowed); raise ValueError with what
    is wrong: "form" when it is written otherwise, "calendar" when no such day or month exists."""
    if DAY_RE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError("calendar") from None
    if month_allowed and MONTH_RE.fullmatch(text):
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12 or year < 1:
            raise ValueError("calendar")
        return Month(year, month)
    raise ValueError("form")


def day_of(value: dt.date) -> str:
    """Return `value` as a whole day, YYYY-MM-DD (a Month as its first day)."""
    return dt.date.isoformat(value)


def show(value: dt.date, form: str, locale) -> str:
    """Return `value` written for `locale`: a whole date in the CLDR `form`, a Month as its month and year."""
    if isinstance(value, Month):
        return format_skeleton(MONTH_SKELETONS.get(form, "yMMMM"), value, locale=locale)
    return format_date(value, form, locale=locale)
