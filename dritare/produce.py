"""What every producer of the site's files shares: the file it makes, and how it is asked to make them.

Pages, feeds, the sitemap (and next, open data and a search index) are producers: each takes the site graph
and what the build made of it, and returns files and problems. A new kind of output is a new producer in
`pipeline.PRODUCERS`, not an edit to the orchestrator; this module stays below rendering, so that producers
need not import the renderer."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .errors import Diagnostic


@dataclass(frozen=True)
class OutputFile:
    """A file of the built site: its path inside the output folder, its bytes (or how to get them from the
    cache, for a page that may never need them because it is linked from the previous site), and a key of
    its content."""

    path: str
    payload: bytes | Callable[[], bytes] = field(repr=False)
    key: str = field(default="", compare=False)

    @property
    def data(self) -> bytes:
        """Return the bytes of the file."""
        return self.payload if isinstance(self.payload, bytes) else self.payload()

    @property
    def content_key(self) -> str:
        """Return the key of the file's content: the key it was made under, or the hash of its bytes."""
        return self.key or hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Made:
    """What a producer receives: the graph, the day, the formatters by language and the texts' HTML."""

    graph: Any
    today: dt.date
    formatters: Mapping[str, Any]
    bodies: Mapping[str, str]


Producer = Callable[[Made], "tuple[list[OutputFile], list[Diagnostic]]"]
