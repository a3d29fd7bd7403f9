"""Rendering only what changed: each text and page under a key of everything it is made from, looked up in
the cache, and what is missing rendered in worker processes.

A page's key covers what its template reads: the page's own values (documents and projects by the digest of
their source, the HTML of their text), what the site graph tells it (the language switcher, the alternates,
the pages of the menu) and what every page shares (the generator, the configuration, the templates, the
catalogs, the tags, the static files' addresses and the build date). Two builds that give a page the same key
give it the same bytes, which the tests that compare incremental with clean builds hold to."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import multiprocessing
import os
import re
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from . import links, markdown_html
from .cache import Cache, key
from .config import Language, Site
from .content import Document, Project
from .errors import Diagnostic, error, warning
from .graph import Route, SiteGraph
from .i18n import TEMPLATES_DIR, merge_repeats
from .render import OutputFile, Renderer

# Below this many pages or texts to render, starting worker processes costs more than it saves.
PARALLEL_FROM = 64
_CHUNK = 32


def default_jobs() -> int:
    """Return the number of processes to render with: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclasses.dataclass(frozen=True)
class Page:
    """A rendered page: its bytes and the internal links it makes (the cache keeps the two apart, so that a
    rebuild reads the links of every page but the bytes only of those it has to write)."""

    data: bytes
    links: tuple[str, ...]


@dataclasses.dataclass
class Counts:
    """How much of a build was rendered, and how much came from the cache."""

    texts: int = 0
    texts_cached: int = 0
    pages: int = 0
    pages_cached: int = 0


# --- keys -----------------------------------------------------------------------------------------------------

def shared_key(site: Site, assets: Mapping[str, str], today: dt.date, inputs: Iterable[tuple[str, bytes]]) -> str:
    """Return the key of what every page reads: configuration, templates, catalogs, tags, assets, the day."""
    return key("shared", site.base_url, *(part for rel, data in inputs for part in (rel, data)),
               *sorted(assets.items()), today.isoformat())


_SCALARS = (int, float, bool, type(None), dt.date, Decimal)
_FIELDS: dict[type, tuple[str, ...]] = {}


def canonical(value: Any, texts: Mapping[str, str], out: list[str], seen: dict[int, tuple[Any, str]]) -> None:
    """Append to `out` a description of `value` that changes whenever anything a template can read of it does;
    `seen` remembers the descriptions of the immutable values met before (the same entry is on many lists)."""
    kind = type(value)
    if kind is str:
        out.append(repr(value))
    elif kind is Document:
        out.append(f"doc:{value.digest}:{value.lang}:{texts.get(value.ref, '')}")
    elif kind is Project:
        out.append(f"project:{value.digest}")
    elif kind is Language:
        out.append(f"lang:{value.code}")
    elif kind in (list, tuple):
        out.append("[")
        for item in value:
            canonical(item, texts, out, seen)
        out.append("]")
    elif isinstance(value, _SCALARS):
        out.append(f"{kind.__name__}:{value!r}")
    elif hasattr(kind, "__dataclass_fields__"):
        out.append(_described(value, texts, seen))
    elif isinstance(value, Mapping):
        out.append("{")
        for name in sorted(value, key=repr):
            out.append(repr(name))
            canonical(value[name], texts, out, seen)
        out.append("}")
    else:
        raise TypeError(f"a page value of type {kind.__name__} has no content key")


def _described(value: Any, texts: Mapping[str, str], seen: dict[int, tuple[Any, str]]) -> str:
    """Return a short digest of a frozen dataclass value's description, worked out once per value."""
    known = seen.get(id(value))
    if known is None:
        kind = type(value)
        names = _FIELDS.get(kind) or _FIELDS.setdefault(kind, tuple(f.name for f in dataclasses.fields(kind)))
        inner: list[str] = [kind.__name__]
        for name in names:
            inner.append(name)
            canonical(getattr(value, name), texts, inner, seen)
        digest = hashlib.blake2b("\x00".join(inner).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        known = seen[id(value)] = (value, f"{kind.__name__}:{digest}")  # the value is kept: its id stays its own
    return known[1]


def page_key(renderer: Renderer, route: Route, shared: str, texts: Mapping[str, str],
             seen: dict[int, tuple[Any, str]]) -> str:
    """Return the key of one page: the shared key, the route, and what the graph tells its template."""
    graph, parts = renderer.graph, [route.url, route.template, str(route.lang)]
    lang = route.lang or graph.site.default.code
    for value in (route.data, graph.switcher(route), graph.alternates(route), graph.pages(lang),
                  graph.pages(lang, "footer"), renderer.feeds(route, lang)):
        canonical(value, texts, parts, seen)
    # The parts are typed and quoted (repr), so joining them with a character repr never leaves bare is unambiguous.
    return key(shared, "\x00".join(parts))


# --- the texts: Markdown ------------------------------------------------------------------------------------------

def _text(graph: SiteGraph, doc: Document, layout_ids: frozenset[str], converter: markdown_html.Converter
          ) -> tuple[str, list[Diagnostic], tuple[tuple[str, str | None], ...]]:
    """Return the HTML of a text, its problems, and the links to other sources it resolved (and to what)."""
    site_host = urlsplit(graph.site.base_url).netloc
    resolved: dict[str, str | None] = {}

    def resolve(href_path: str) -> str | None:
        resolved[href_path] = graph.url_of_source(markdown_html.relative_source(doc.path, href_path), doc.lang)
        return resolved[href_path]

    html, found = markdown_html.render(doc.body, resolve, site_host, layout_ids, converter)
    problems = []
    for p in found:
        line = (doc.body_line + p.line if p.line is not None
                else markdown_html.line_of(doc.body, doc.body_line, p.target))
        problems.append((error if p.fatal else warning)(doc.path, line, 0, p.message, p.hint))
    return html, problems, tuple(sorted(resolved.items()))


def _still_resolves(graph: SiteGraph, doc: Document, resolved: Sequence[tuple[str, str | None]]) -> bool:
    return all(graph.url_of_source(markdown_html.relative_source(doc.path, href), doc.lang) == url
               for href, url in resolved)


def texts(graph: SiteGraph, cache: Cache, jobs: int, counts: Counts
          ) -> tuple[dict[str, str], list[Diagnostic]]:
    """Return the HTML of every article's and page's text by source path, from the cache where the text, its
    place and the links it resolved are the same, and every problem found in them."""
    layout_ids = markdown_html.layout_ids(graph.site.root / TEMPLATES_DIR)
    docs = [d for tset in graph.sets for d in tset.docs.values()]
    names = [key("text", d.path, d.lang, d.body_line, d.body, graph.site.base_url, *sorted(layout_ids))
             for d in docs]
    results: dict[int, Any] = {}
    for index, (doc, name) in enumerate(zip(docs, names)):
        found = cache.get("bodies", name)
        if found is not None and _still_resolves(graph, doc, found[2]):
            results[index] = found
    stale = [i for i in range(len(docs)) if i not in results]
    # Each process makes its own converter on its first text (a forked worker gets its own copy of `holder`).
    made = _run(_render_text, (graph, docs, layout_ids, {}), stale, jobs)
    for index, value in made.items():
        cache.put("bodies", names[index], value)
    results.update(made)
    counts.texts, counts.texts_cached = len(stale), len(docs) - len(stale)
    html, problems = {}, []
    held = dict(graph.unpublished)
    for index, doc in enumerate(docs):
        html[doc.ref], found, _ = results[index]
        if not doc.derived:  # a derived text's problems are its source's, reported there
            problems += [_unpublished_link(p, doc, held) for p in found] if held else found
    return html, problems


_NO_FILE = re.compile(r'the link "(.*)" leads to no content file\Z', re.DOTALL)


def _unpublished_link(problem: Diagnostic, doc: Document, held: Mapping[str, str]) -> Diagnostic:
    """Return `problem`, said anew when it is a link to a text that exists but is not published yet."""
    match = _NO_FILE.match(problem.message)
    target = markdown_html.relative_source(doc.path, match.group(1).partition("#")[0]) if match else None
    if target not in held:
        return problem
    return dataclasses.replace(problem, message=f'the link "{match.group(1)}" leads to {target}, which is '
                               f"{held[target]} and not published", hint="publish it first (remove draft: true, or "
                               "wait for its date), or take the link out until then; build --drafts shows both")


def _render_text(state: tuple, index: int) -> Any:
    graph, docs, layout_ids, holder = state
    converter = holder.get("converter") or holder.setdefault("converter", markdown_html.Converter())
    return _text(graph, docs[index], layout_ids, converter)


# --- the pages: templates ----------------------------------------------------------------------------------------

def pages(renderer: Renderer, cache: Cache, shared: str, jobs: int, counts: Counts
          ) -> tuple[list[OutputFile], dict[str, tuple[str, ...]], list[Diagnostic]]:
    """Return every page as a file, the internal links of each, and every problem, rendering only the pages
    whose key the cache does not have."""
    routes = renderer.graph.routes
    digests = {path: hashlib.sha256(html.encode()).hexdigest()[:16] for path, html in renderer.bodies.items()}
    seen: dict[int, tuple[Any, str]] = {}
    names = [page_key(renderer, route, shared, digests, seen) for route in routes]
    files, recorded, problems = {}, {}, []
    for index, (route, name) in enumerate(zip(routes, names)):
        found = cache.get("pages", name)
        if found is not None and cache.has("blobs", name):
            cache.keep("blobs", name)
            files[index] = OutputFile(route.output, _blob(cache, name, renderer, route), name)
            recorded[route.output] = found
    stale = [i for i in range(len(routes)) if i not in files]
    for index, (page, found) in sorted(_run(_render_page, (renderer,), stale, jobs).items()):
        problems += found
        if page is not None:
            cache.put("pages", names[index], page.links)
            cache.put("blobs", names[index], page.data)
            files[index] = OutputFile(routes[index].output, page.data, names[index])
            recorded[routes[index].output] = page.links
    counts.pages, counts.pages_cached = len(stale), len(routes) - len(stale)
    return [files[i] for i in sorted(files)], recorded, merge_repeats(problems)


def _blob(cache: Cache, name: str, renderer: Renderer, route: Route) -> Callable[[], bytes]:
    """Return how to get a page's bytes when they are needed: from the cache, or, where its entry turns out
    damaged, by rendering the page again (it rendered without a problem under the same key before)."""
    def load() -> bytes:
        data = cache.get("blobs", name)
        if isinstance(data, bytes):
            return data
        out, problems = renderer.page(route)
        if out is None:
            raise LookupError(f"{route.url} could not be rendered again: {problems}")
        cache.put("blobs", name, out.data)
        return out.data
    return load


def _render_page(state: tuple, index: int) -> tuple[Page | None, list[Diagnostic]]:
    (renderer,) = state
    out, problems = renderer.page(renderer.graph.routes[index])
    if out is None:
        return None, problems
    return Page(out.data, tuple(links.targets(out.data.decode("utf-8")))), problems


# --- worker processes -------------------------------------------------------------------------------------------

# A worker gets the build's state from its parent's memory when it is forked, never through a pipe: the
# site graph and the compiled templates would cost more to send than to render with.
_WORKER_STATE: tuple = ()


def _start_worker(function: Callable, state: tuple) -> None:
    global _WORKER_STATE
    _WORKER_STATE = (function, state)


def _work(indices: list[int]) -> list[tuple[int, Any]]:
    function, state = _WORKER_STATE
    return [(index, function(state, index)) for index in indices]


def _run(function: Callable[[tuple, int], Any], state: tuple, indices: list[int], jobs: int) -> dict[int, Any]:
    """Return {index: function(state, index)} for `indices`, in `jobs` forked processes when there are enough."""
    if jobs <= 1 or len(indices) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return {index: function(state, index) for index in indices}
    chunks = [indices[i:i + _CHUNK] for i in range(0, len(indices), _CHUNK)]
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start_worker, initargs=(function, state)) as pool:
        return {index: value for done in pool.imap(_work, chunks) for index, value in done}
