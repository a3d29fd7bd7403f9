"""The build cache: what earlier builds parsed and rendered, each under a key of everything it was made from.

Values live in memory (`serve` keeps one cache between rebuilds) and, between runs of the command line, in
one SQLite file. A cache that cannot be read, was made by other code or is not ours is set aside with a
one-line notice and built anew: it is never trusted, and never the cause of a failed build."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from .fingerprint import generator_version

DB_FILE = "cache.sqlite"
TABLES = ("docs", "bodies", "pages", "blobs")
_FORMAT = "dritare-cache-1"


def key(*parts: Any) -> str:
    """Return a key made of `parts` (texts, bytes, numbers), stable across runs and machines."""
    encoded = [part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass") for part in parts]
    # Each part is preceded by its length, so that no two different lists of parts give the same bytes.
    return hashlib.sha256(b"".join(len(data).to_bytes(8, "little") + data for data in encoded)).hexdigest()


class Cache:
    """Values by table and key; `get` and `put` in memory, `save` to the file, keeping only what was used."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self.version = generator_version()
        self.notices: list[str] = []
        self._memory: dict[str, dict[str, Any]] = {table: {} for table in TABLES}
        self._used: dict[str, set[str]] = {table: set() for table in TABLES}
        self._new: dict[str, set[str]] = {table: set() for table in TABLES}
        self._db: sqlite3.Connection | None = None
        self.hits = self.misses = 0
        if folder is not None:
            self._open(folder / DB_FILE)

    def _open(self, path: Path) -> None:
        if not path.exists():
            return
        try:
            db = sqlite3.connect(path)
            row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
            version = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        except sqlite3.Error as exc:
            self._set_aside(path, f"it cannot be read ({exc})")
            return
        if row != (_FORMAT,) or version != (self.version,):
            db.close()
            self._set_aside(path, "it was made by another version of the generator")
            return
        self._db = db

    def _set_aside(self, path: Path, why: str) -> None:
        self.notices.append(f"note: the cache {path} is not used: {why}; it is built anew")
        with contextlib.suppress(OSError):
            path.unlink()

    def get(self, table: str, name: str) -> Any | None:
        """Return the value stored under `name`, or None."""
        self._used[table].add(name)
        if name in self._memory[table]:
            self.hits += 1
            return self._memory[table][name]
        value = self._load(table, name)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._memory[table][name] = value
        return value

    def has(self, table: str, name: str) -> bool:
        """Return True if a value is stored under `name`, without reading it."""
        if name in self._memory[table]:
            return True
        if self._db is None:
            return False
        try:
            return self._db.execute(f"SELECT 1 FROM {table} WHERE key = ?", (name,)).fetchone() is not None
        except sqlite3.Error:
            return False

    def keep(self, table: str, name: str) -> None:
        """Keep the value stored under `name` in the cache file without reading it."""
        self._used[table].add(name)

    def _load(self, table: str, name: str) -> Any | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute(f"SELECT value FROM {table} WHERE key = ?", (name,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
                ValueError) as exc:
            # A damaged entry is a miss; the rest of the cache stays usable.
            self.notices.append(f"note: a damaged cache entry was ignored ({type(exc).__name__})")
            return None

    def put(self, table: str, name: str, value: Any) -> None:
        """Store `value` under `name` (written to the file by `save`)."""
        self._used[table].add(name)
        self._memory[table][name] = value
        self._new[table].add(name)

    def forget_unused(self) -> None:
        """Drop from memory what the last build did not use, then start counting use again."""
        for table in TABLES:
            self._memory[table] = {k: v for k, v in self._memory[table].items() if k in self._used[table]}
            self._used[table], self._new[table] = set(), set()
        self.hits = self.misses = 0

    def save(self) -> None:
        """Add what this build made to the cache file and drop what it no longer uses, in one transaction."""
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._write(self.folder / DB_FILE)
            except (OSError, sqlite3.Error, pickle.PicklingError) as exc:
                self.notices.append(f"note: the cache could not be saved in {self.folder} ({exc}); "
                                    "the next build starts without it")
        self.forget_unused()

    def _write(self, path: Path) -> None:
        db = self._db or sqlite3.connect(path)
        self._db = db
        with db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           [("format", _FORMAT), ("version", self.version)])
            for table in TABLES:
                db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB)")
                # One value pickled at a time: a cold build's pages together would double its peak memory.
                db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                               ((k, pickle.dumps(self._memory[table][k], protocol=pickle.HIGHEST_PROTOCOL))
                                for k in sorted(self._new[table])))
                self._drop_unused(db, table)

    def _drop_unused(self, db: sqlite3.Connection, table: str) -> None:
        """Delete the entries this build did not use, once they are as many as those it did."""
        (stored,) = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        if stored <= 2 * len(self._used[table]):
            return
        db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
        db.execute("DELETE FROM used")
        db.executemany("INSERT INTO used VALUES (?)", ((k,) for k in self._used[table]))
        db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM used)")
