"""What is published on a given day: drafts (`draft: true`) and texts dated after the build date (scheduled)
are left out of a build unless it is asked for them (`--drafts`, the preview of unpublished work)."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from .content import Document


def held_back(doc: Document, today: dt.date) -> str | None:
    """Return why `doc` is not published as of `today` ("a draft", "scheduled for 2026-12-01"), or None."""
    if doc.meta.draft:
        return "a draft"
    day = getattr(doc.meta, "date", None)
    if day is not None and day > today:
        return f"scheduled for {day.isoformat()}"
    return None


def unpublished(documents: Iterable[Document], today: dt.date, drafts: bool) -> dict[str, str]:
    """Return {path: why} of the documents a build as of `today` leaves out (none when it shows drafts)."""
    if drafts:
        return {}
    return {doc.path: reason for doc in documents if (reason := held_back(doc, today))}
