"""Markdown -> safe HTML: internal links resolved through the site graph, raw HTML sanitised, ids kept unique,
and the conversion bounded in time and in nesting depth."""

from __future__ import annotations

import contextlib
import html as htmllib
import posixpath
import re
import signal
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

from html.parser import HTMLParser

import markdown
import nh3

from . import pasted, sources
from .sources import CONTROL

EXTENSIONS = ["extra", "sane_lists"]
TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt",
        "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "time", "tr", "u", "ul"}
ATTRIBUTES = {"*": {"lang", "title", "id"}, "a": {"href", "hreflang", "rel"},
              "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
              "th": {"colspan", "rowspan", "scope"}, "time": {"datetime"}, "abbr": {"title"},
              "ol": {"start"}}
SCHEMES = {"http", "https", "mailto", "tel"}
EXTERNAL_REL = "noopener noreferrer"
# Python-Markdown is quadratic in some texts (many "[" in one paragraph, its issue #798; many "<" that open no
# tag; many ":" lines in one definition list). A 4 KB article takes a millisecond, 1 MB of prose half a second.
BUDGET_SECONDS = 2.0
BUDGET_SECONDS_PER_100KB = 1.0
# Python-Markdown recurses for every level of lists, quotes and HTML: a few hundred end in a RecursionError.
MAX_DEPTH = 50
# Elements that have no end tag, or whose end tag may be left out: they do not count as a level.
_NOT_NESTING = {"area", "base", "br", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input", "li", "link",
                "meta", "option", "optgroup", "p", "param", "rp", "rt", "source", "tbody", "td", "tfoot", "th",
                "thead", "tr", "track", "wbr"}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>")
_CODE_SPAN = re.compile(r"`[^`]*`")
_FENCE = re.compile(r"[ \t]*(?:```|~~~)")
_MARKERS = re.compile(r"(?:(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))[ \t]*)*")
_MARKER = re.compile(r">|[-*+]|\d{1,9}[.)]")
_CHARREF = re.compile(r"&#(?:[xX][0-9a-fA-F]+|[0-9]+);?")
_LAYOUT_ID = re.compile(r'\bid="([^"{}]+)"')
_SHOWS_BODY = re.compile(r"\{\{-?\s*body\b")
_LINK_TAG = re.compile(r"<(a|img)\s[^>]*>")
_ATTR = re.compile(r'\s(href|src|rel)="([^"]*)"')

Resolver = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Problem:
    """Something in a text to fix (fatal) or to look at: found by `target`, or at `line` (from 0) if known."""

    target: str
    message: str
    hint: str
    fatal: bool
    line: int | None = None


# Raised from a signal handler, like KeyboardInterrupt, so no Exception: code that catches those must not swallow it.
class TooSlow(BaseException):
    """Turning a text into HTML ran past its time budget."""


def is_source_link(href: str) -> bool:
    """Return True if `href` names a content file (…/x.sq.md, …/p.yaml) rather than a web address."""
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and parts.path.endswith((".md", ".yaml"))


class _Links(markdown.treeprocessors.Treeprocessor):
    def __init__(self, md, resolve: Resolver, problems: list[Problem]):
        super().__init__(md)
        self.resolve, self.problems = resolve, problems

    def run(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if not is_source_link(href):
                continue
            path, _, fragment = href.partition("#")
            url = self.resolve(path)
            if url is None:
                self.problems.append(Problem(href, f'the link "{href}" leads to no content file',
                                             "check the file name; links name the .md or .yaml file, "
                                             "relative to this file", True))
                continue
            link.set("href", url + (f"#{fragment}" if fragment else ""))


def render(text: str, resolve: Resolver, site_host: str, layout_ids: frozenset[str] = frozenset(),
           converter: Converter | None = None) -> tuple[str, list[Problem]]:
    """Return `text` as sanitised HTML and the problems found in it; no HTML if one of them is fatal."""
    too_deep = _too_deep(text)
    if too_deep:
        return "", [too_deep]
    budget = time_budget(text)
    try:
        with deadline(budget):
            html, problems = _markdown(text, resolve, converter)
    except TooSlow:
        return "", [_slow_part(text, resolve, budget)]
    except RecursionError:
        return "", [_nested_too_deeply(text)]
    clean = _sanitise(html, text, layout_ids, problems)
    clean, controls = _without_controls(clean, text)
    listed = [Problem("", p.message, p.hint, False, p.line) for p in pasted.lists(text)]
    return _external(clean, site_host, problems), problems + controls + listed


class Converter:
    """Python-Markdown, set up once and reused from text to text: setting it up costs as much as converting
    a short article."""

    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self._links: _Links | None = None

    def convert(self, text: str, resolve: Resolver) -> tuple[str, list[Problem]]:
        """Return `text` as HTML not yet sanitised, with the problems found in its links and raw HTML."""
        if self._md is None:
            self._md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
            self._links = _Links(self._md, resolve, [])
            self._md.treeprocessors.register(self._links, "dritare-links", 1)
        problems: list[Problem] = []
        self._links.resolve, self._links.problems = resolve, problems
        try:
            html = self._md.reset().convert(text)
        except BaseException:
            self._md = None  # a conversion stopped half-way leaves the instance in between: make a new one
            raise
        return html, problems + _removed(html)


def _markdown(text: str, resolve: Resolver, converter: Converter | None = None) -> tuple[str, list[Problem]]:
    """Return `text` as HTML not yet sanitised, with the problems found in its links and raw HTML."""
    return (converter or Converter()).convert(text, resolve)


def time_budget(text: str) -> float:
    """Return the seconds that turning `text` into HTML may take: a few, and more for a long text."""
    return BUDGET_SECONDS + BUDGET_SECONDS_PER_100KB * len(text) / 100_000


def _can_alarm() -> bool:
    """Return True where a timer signal can interrupt the code: the main thread, on systems with SIGALRM."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the code inside once it has run `seconds`, where `_can_alarm` (elsewhere it runs
    unbounded). A timer set before that fires sooner is left alone; one that fires later is set again after."""
    outer, interval = signal.getitimer(signal.ITIMER_REAL) if _can_alarm() else (0.0, 0.0)
    if not _can_alarm() or 0 < outer <= seconds:
        yield
        return
    armed = True

    def expire(signum, frame):
        if armed:
            raise TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        # The signal may arrive at any instruction, including these: the handler is put back in any case.
        try:
            armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
            if outer:
                signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3), interval)


def _blocks(text: str) -> list[tuple[int, str]]:
    """Return the paragraphs of `text` (lines between blank lines), each with the index of its first line."""
    found: list[tuple[int, str]] = []
    lines: list[str] = []
    for number, line in enumerate(text.split("\n") + [""]):
        if line.strip():
            lines.append(line)
        elif lines:
            found.append((number - len(lines), "\n".join(lines)))
            lines = []
    return found


def _slow_part(text: str, resolve: Resolver, budget: float) -> Problem:
    """Return the error for a text that ran past its budget, at the paragraph that is slowest on its own."""
    stop = time.monotonic() + budget / 2
    timed = []
    # The longest paragraphs are the likeliest to be slow: they are timed first, while time is left.
    for line, block in sorted(_blocks(text), key=lambda b: -len(b[1])):
        left = stop - time.monotonic()
        if left <= 0:
            break
        took = _time_alone(block, resolve, left)
        timed.append((took, line, block))
        if took >= left:
            break
    slowest = max((t[0] for t in timed), default=0.0)
    _, line, block = min((t for t in timed if t[0] >= slowest / 2), key=lambda t: t[1], default=(0, 0, text))
    return Problem("", f"this paragraph takes too long to turn into HTML "
                   f"(the build stopped it after {budget:.1f} s)", _slow_hint(block), True, line)


def _time_alone(block: str, resolve: Resolver, limit: float) -> float:
    """Return the seconds that turning `block` alone into HTML takes, at most about `limit`."""
    start = time.monotonic()
    try:
        with deadline(limit):
            _markdown(block, resolve)
    except (TooSlow, RecursionError):
        pass
    return time.monotonic() - start


def _slow_hint(block: str) -> str:
    """Return what to change in a paragraph that is slow to turn into HTML, from what it has most of."""
    counts = [(block.count("["), '"["', 'split it into shorter paragraphs, or write \\[ for a "[" that opens no link'),
              (block.count("<"), '"<"', 'split it into shorter paragraphs, or write &lt; for a "<" that opens no tag'),
              (("\n" + block).count("\n:"), 'lines starting with ":"', "put a blank line between the definitions")]
    count, what, fix = max(counts)
    if count < 100:
        return 'look for a very long run of "[" or "<", and split the paragraph into shorter ones'
    return f"it has {count} {what}: {fix}"


def _too_deep(text: str) -> Problem | None:
    """Return an error at the first line nested more than MAX_DEPTH levels deep, or None."""
    for line, depth in _depths(text):
        if depth > MAX_DEPTH:
            return Problem("", f"this line is nested more than {MAX_DEPTH} levels deep (lists, quotes and HTML "
                           "elements inside each other)", "take some of the levels out: a page cannot show that many",
                           True, line)
    return None


def _nested_too_deeply(text: str) -> Problem:
    """Return the error for a text that Python-Markdown could not follow to its deepest level, at its longest
    paragraph (a definition list without blank lines nests once per term)."""
    line, _ = max(_blocks(text), key=lambda block: len(block[1]), default=(0, ""))
    return Problem("", "this text is nested too deeply to turn into HTML",
                   f"keep lists, quotes and HTML elements fewer than {MAX_DEPTH} levels inside each other; "
                   "in a definition list, put a blank line before each new term", True, line)


def _depths(text: str) -> Iterator[tuple[int, int]]:
    """Yield the index of each line with the number of lists, quotes and HTML elements it is inside, counted
    up to a little more than MAX_DEPTH (so that a line of a million tags costs no more than a short one)."""
    open_tags: list[str] = []
    fenced = False
    for number, line in enumerate(text.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced:
            continue
        deepest = len(open_tags)
        for tag in _TAG.finditer(_CODE_SPAN.sub("", line)):
            if deepest > MAX_DEPTH:
                break
            closing, name = tag.group(1), tag.group(2).lower()
            if closing and name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name):]
            elif not closing and name not in _NOT_NESTING and not tag.group().endswith("/>"):
                open_tags.append(name)
                deepest = max(deepest, len(open_tags))
        yield number, _prefix_depth(line) + deepest


def _prefix_depth(line: str) -> int:
    """Return how many lists and quotes a line is inside, from its indentation and its "-", "1." and ">"."""
    rest = line.lstrip(" \t")
    indent = len(line[:len(line) - len(rest)].expandtabs(4)) // 4
    return indent + len(_MARKER.findall(_MARKERS.match(rest).group()))


class _Ids:
    """An nh3 attribute filter that keeps each id of a text once and none that the page layout uses; it also
    drops any rel, which the build sets on external links itself. It must not raise: nh3 would print it."""

    def __init__(self, layout_ids: frozenset[str]):
        self.layout_ids, self.seen = layout_ids, set()
        self.taken: dict[str, bool] = {}

    def __call__(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute == "rel":
            return None
        if attribute != "id":
            return value
        if value in self.layout_ids or value in self.seen:
            self.taken.setdefault(value, value in self.layout_ids)
            return None
        self.seen.add(value)
        return value

    def problems(self, text: str) -> list[Problem]:
        """Return a warning for each id taken out, at the place in `text` that wrote it."""
        found = []
        for ident, layout in self.taken.items():
            message = (f'the id "{ident}" is taken out: the page layout uses it' if layout
                       else f'the id "{ident}" is used twice on this page; the second one is taken out')
            hint = "choose another id for it" if layout else "give each id its own name"
            found.append(Problem(f'id="{ident}"', message, hint, False, _id_line(text, ident, 0 if layout else 1)))
        return found


def _id_line(text: str, ident: str, nth: int) -> int | None:
    """Return the index of the line where `text` writes the id `ident` (as id="…" or {#…}) the nth time."""
    pattern = re.compile(r"""(?:\bid\s*=\s*["']?|\{[^}\n]*#)""" + re.escape(ident) + r"""(?=["'\s}>/]|$)""", re.M)
    found = [m.start() for _, m in zip(range(nth + 1), pattern.finditer(text))]
    return text.count("\n", 0, found[-1]) if found else None


def _sanitise(html: str, text: str, layout_ids: frozenset[str], problems: list[Problem]) -> str:
    """Return `html` with only the allowed tags, attributes and ids, and add a warning for each id taken out."""
    ids = _Ids(layout_ids)
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel=None,
                      strip_comments=True, attribute_filter=ids)
    problems += ids.problems(text)
    return clean


def layout_ids(templates: Path) -> frozenset[str]:
    """Return the ids written in base.html and in the templates that show a text, which a text must not reuse."""
    found: set[str] = set()
    paths, _ = sources.walk(templates.parent, templates, sources.EDITOR_LEFTOVERS.search)
    for path in (p for p in paths if p.suffix == ".html"):
        data, problems = sources.read_bytes(templates.parent, path)  # the template check reports what cannot be read
        source = data.decode("utf-8", "replace") if data is not None else ""
        if path.name == "base.html" or _SHOWS_BODY.search(source):
            found.update(_LAYOUT_ID.findall(source))
    return frozenset(found)


def _without_controls(html: str, text: str) -> tuple[str, list[Problem]]:
    """Return `html` with control characters and noncharacters, which a character reference such as
    "&#xFFFE;" can still write, replaced by spaces, and a warning where the text wrote the first one."""
    first = CONTROL.search(html)
    if first is None:
        return html, []
    refs = ((m.group(), CONTROL.search(nh3.clean(m.group()))) for m in _CHARREF.finditer(text))
    ref, char = next(((ref, char.group()) for ref, char in refs if char), (None, first.group()))
    what = f'"{ref}" stands for' if ref else "this text has"
    return CONTROL.sub(" ", html), [Problem(ref or char, f"{what} an invisible control character "
                                            f"(U+{ord(char):04X}); it was replaced by a space",
                                            f'remove "{ref}"' if ref else "retype the text around it", False)]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.removed.append(f"<{tag}>")
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            scheme = urlsplit(re.sub(r"[\x00-\x20]", "", value or "")).scheme.lower()
            if tag in TAGS and (name not in allowed or (name in ("href", "src") and scheme and scheme not in SCHEMES)):
                self.removed.append(f'<{tag} {name}="{value}">' if name in ("href", "src") else f"<{tag} {name}>")


def _removed(html: str) -> list[Problem]:
    """Return a warning naming the HTML that the sanitiser is about to take out of the page."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    found = list(dict.fromkeys(parser.removed))
    if not found:
        return []
    first = found[0].split()[0].rstrip(">")
    return [Problem(first, "this HTML is removed from the page: " + ", ".join(found[:5])
                    + (f" and {len(found) - 5} more" if len(found) > 5 else ""),
                    "write the text in Markdown; scripts, frames, forms, styles and event handlers "
                    "are never published", False)]


def _external(html: str, site_host: str, problems: list[Problem]) -> str:
    """Mark links to other sites noopener noreferrer, and report images loaded from other sites."""

    def visit(match: re.Match) -> str:
        tag = match.group(0)
        attrs = {name: htmllib.unescape(value) for name, value in _ATTR.findall(tag)}
        target = attrs.get("href") or attrs.get("src") or ""
        host = urlsplit(target).netloc
        if not host or host == site_host:
            return tag
        if match.group(1) == "img":
            problems.append(Problem(target, "this image is loaded from another website",
                                    "save the picture into the site instead: the other site may remove it "
                                    "or see who reads this page", False))
            return tag
        return tag[:-1] + f' rel="{EXTERNAL_REL}">'

    return _LINK_TAG.sub(visit, html)


def relative_source(from_file: str, href_path: str) -> str:
    """Return the site-relative path that `href_path`, written in `from_file`, points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_file), href_path))


def line_of(body: str, first_line: int, needle: str) -> int:
    """Return the file line where `needle` first appears in `body` (which starts at `first_line`)."""
    at = body.find(needle)
    return first_line + body.count("\n", 0, at) if at >= 0 else first_line
