"""Diagnostics: every problem a build finds, with the place it was found and the fix."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One message about one place in a source file (line and column are 1-based; 0 = unknown)."""

    path: str
    line: int = 0
    col: int = 0
    message: str = ""
    hint: str = ""
    severity: str = ERROR

    def format(self) -> str:
        """Return the message as `path:line:col: severity: message (hint)`."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


def error(path: str | Path, line: int, col: int, message: str, hint: str = "") -> Diagnostic:
    """Return an error diagnostic."""
    return Diagnostic(str(path), line, col, message, hint, ERROR)


def warning(path: str | Path, line: int, col: int, message: str, hint: str = "") -> Diagnostic:
    """Return a warning diagnostic."""
    return Diagnostic(str(path), line, col, message, hint, WARNING)


@dataclass(frozen=True)
class Report:
    """All diagnostics of a build, sorted by place, and the checks that could not run because of them."""

    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)
    not_checked: tuple[str, ...] = ()

    def __add__(self, more: Iterable[Diagnostic]) -> "Report":
        return Report(tuple(sorted(set(self.diagnostics) | set(more))), self.not_checked)

    def skipping(self, check: str) -> "Report":
        """Return this report, noting that `check` was not run because of the errors so far."""
        return Report(self.diagnostics, self.not_checked + (check,))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == WARNING)

    def format(self) -> str:
        """Return every diagnostic, one per paragraph, then a count."""
        lines = [d.format() for d in self.diagnostics]
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        if self.not_checked:
            lines.append("not checked until these are fixed, so more problems may appear after: "
                         + "; ".join(self.not_checked))
        return "\n".join(lines)


class BuildFailed(Exception):
    """Raised by the pipeline when a stage reported errors; carries the whole report."""

    def __init__(self, report: Report):
        super().__init__(report.format())
        self.report = report


def internal_error(exc: BaseException) -> Diagnostic:
    """Return the error that reports a fault of the generator itself, not of the content."""
    return error("dritare", 0, 0, f"internal error: {type(exc).__name__}: {exc}",
                 "this is a bug in the generator, not a mistake in the content: please report it with the "
                 "output of the same command run with --traceback")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a `did you mean "x"?` hint for the closest choice, or a list of the valid ones."""
    choices = sorted(choices)
    # Short words such as language codes ("rs" for "sr") need a lower bar to be recognised.
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5 if len(word) <= 3 else 0.6)
    if close:
        return f'did you mean "{close[0]}"?'
    return "valid keys: " + ", ".join(choices) if choices else ""
