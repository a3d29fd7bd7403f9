"""build.py translations: per language, what is missing, unreviewed or out of date (articles and pages,
project fields, tag labels, interface strings), as a table, JSON or the preview's page; --mark-done records that
a translation is up to date with its source."""

from __future__ import annotations

import argparse
import html
import json
import sys
from dataclasses import asdict, dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from . import i18n, pipeline, sources
from .content import CONTENT_DIR, TAGS_FILE, Document, Project
from .outdated import source_of, text_hash, written_languages

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
KIND_NAMES = {"news": "article", "pages": "page"}


@dataclass(frozen=True)
class Item:
    """One thing to translate: its kind, its name, where to translate it (path:line), and a note."""

    kind: str
    name: str
    where: str
    note: str = ""


@dataclass
class LanguageReport:
    """What is translated into one language: how many things there are, and those left to do."""

    code: str
    name: str
    total: int = 0
    missing: list[Item] = field(default_factory=list)
    unreviewed: list[Item] = field(default_factory=list)
    outdated: list[Item] = field(default_factory=list)

    @property
    def percent(self) -> Decimal:
        """Return the share of things translated and up to date, in percent, rounded down to one decimal (a
        translation nobody has reviewed yet counts: it is on the site)."""
        if not self.total:
            return Decimal(100)
        done = Decimal(self.total - len(self.missing) - len(self.outdated)) * 100 / self.total
        return done.quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def collect(model: pipeline.SiteModel) -> list[LanguageReport]:
    """Return the report of every language people translate into (derived languages are made, not translated)."""
    reports = []
    for lang in written_languages(model.site):
        report = LanguageReport(lang.code, lang.name)
        _texts(model, report)
        _projects(model, report)
        _tags(model, report)
        _interface(model, report)
        reports.append(report)
    return reports


def _texts(model: pipeline.SiteModel, report: LanguageReport) -> None:
    code = report.code
    for tset in model.graph.sets:
        report.total += 1
        kind = KIND_NAMES.get(tset.section, tset.section)
        if code not in tset.docs:
            some = tset.best(model.site.fallback_order(code))
            report.missing.append(Item(kind, tset.key, some.path, f"written in {', '.join(tset.docs)}"))
            continue
        doc = tset.docs[code]
        if not doc.meta.translation_reviewed:
            report.unreviewed.append(Item(kind, tset.key, doc.path))
        source = source_of(doc, tset.docs)
        if source is not None and text_hash(source) != doc.meta.translated_from.hash:
            report.outdated.append(Item(kind, tset.key, doc.path, f"{source.path} changed after it was translated"))


def _project_texts(project: Project) -> list[tuple[tuple, object]]:
    """Return (place, value) of every text field of a project sheet, in the order of the sheet's schema."""
    sheet, found = project.sheet, []
    for name in type(sheet).model_fields:
        value = getattr(sheet, name)
        if name == "translation_reviewed":
            continue
        if isinstance(value, list):
            for index, item in enumerate(value):
                found += [((name, index, "text"), item.text)] if hasattr(item, "text") else [((name, index), item)]
        else:
            found.append(((name,), value))
    return [(place, value) for place, value in found if isinstance(value, dict)]


def _projects(model: pipeline.SiteModel, report: LanguageReport) -> None:
    code = report.code
    for project in model.graph.projects:
        for place, value in _project_texts(project):
            report.total += 1
            if code not in value:
                line = project.located.where(place)[0]
                name = ".".join(str(p) for p in place)
                report.missing.append(Item("project field", f"{project.id}: {name}", f"{project.path}:{line}"))
        flag = project.sheet.translation_reviewed
        if (flag.get(code, True) if isinstance(flag, dict) else flag) is False:
            line = project.located.where(("translation_reviewed",))[0]
            report.unreviewed.append(Item("project", project.id, f"{project.path}:{line}"))


def _tags(model: pipeline.SiteModel, report: LanguageReport) -> None:
    for tag in model.graph.tags:
        if isinstance(tag.label, dict):
            report.total += 1
            if report.code not in tag.label:
                report.missing.append(Item("tag label", tag.id, f"{CONTENT_DIR}/{TAGS_FILE}"))


def _interface(model: pipeline.SiteModel, report: LanguageReport) -> None:
    lang = model.site.lang(report.code)
    path = i18n.catalog_path(model.site, lang)
    rel = path.relative_to(model.site.root).as_posix()
    data = sources.read_bytes(model.site.root, path)[0] if path.exists() else None
    catalog = i18n.parse_catalog(rel, data, lang)[0] if data is not None else None
    if catalog is None:
        report.total += 1
        report.missing.append(Item("interface", "the whole catalog", rel, "python build.py i18n init " + lang.catalog))
        return
    for message in catalog:
        if not message.id:
            continue
        report.total += 1
        name = message.id if isinstance(message.id, str) else message.id[0]
        if not (message.string if isinstance(message.string, str) else all(message.string)):
            report.missing.append(Item("interface", name, f"{rel}:{message.lineno}"))
        elif message.fuzzy:
            report.outdated.append(Item("interface", name, f"{rel}:{message.lineno}",
                                        "fuzzy: the English text changed; check it and clear the fuzzy mark"))


# --- output ---------------------------------------------------------------------------------------------------------

def as_json(reports: list[LanguageReport]) -> str:
    """Return the reports as JSON: per language, the counts and every item left to do."""
    return json.dumps({"languages": [{"code": r.code, "name": r.name, "percent": float(r.percent), "total": r.total,
                                      **{state: [asdict(i) for i in getattr(r, state)]
                                         for state in ("missing", "unreviewed", "outdated")}}
                                     for r in reports]}, ensure_ascii=False, indent=2)


def as_table(reports: list[LanguageReport]) -> str:
    """Return the reports as a table of counts, then the list of what is left to do in each language."""
    rows = [("language", "done", "total", "missing", "unreviewed", "outdated")]
    rows += [(f"{r.code} ({r.name})", f"{r.percent}%", str(r.total), str(len(r.missing)), str(len(r.unreviewed)),
              str(len(r.outdated))) for r in reports]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.append("done: translated and up to date (a translation not yet reviewed counts as done)")
    for report in reports:
        for state in ("missing", "outdated", "unreviewed"):
            items = getattr(report, state)
            if items:
                lines.append(f"\n{state.capitalize()} in {report.code} ({report.name}): {len(items)}")
                lines += [f"  {i.kind:<14} {i.name[:60]:<60} {i.where}" + (f"  ({i.note})" if i.note else "")
                          for i in items]
    return "\n".join(lines)


def as_html(reports: list[LanguageReport]) -> bytes:
    """Return the reports as the preview's page (/_translations/; never part of the built site)."""
    rows = "".join(f"<tr><th>{html.escape(r.code)} ({html.escape(r.name)})</th><td>{r.percent}%</td><td>{r.total}</td>"
                   f"<td>{len(r.missing)}</td><td>{len(r.unreviewed)}</td><td>{len(r.outdated)}</td></tr>"
                   for r in reports)
    parts = []
    for report in reports:
        for state in ("missing", "outdated", "unreviewed"):
            items = getattr(report, state)
            if items:
                parts.append(f'<h2 id="{state}-{html.escape(report.code)}">{state.capitalize()} in '
                             f"{html.escape(report.name)}: {len(items)}</h2><ul>" + "".join(
                                 f"<li>{html.escape(i.kind)}: <strong>{html.escape(i.name)}</strong> "
                                 f"<code>{html.escape(i.where)}</code>"
                                 + (f" ({html.escape(i.note)})" if i.note else "") + "</li>" for i in items) + "</ul>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Translations</title>
<meta name="robots" content="noindex">
<style>body{{font:1rem/1.5 system-ui,sans-serif;margin:2rem;color:#1b1f24}}table{{border-collapse:collapse}}
th,td{{padding:.3rem .8rem;border-bottom:1px solid #ccd;text-align:right}}th:first-child{{text-align:left}}
code{{font-size:.9em}}</style></head><body>
<h1>Translations</h1>
<p>Done: translated and up to date (a translation not yet reviewed counts as done). This page is part of the preview
only; <code>python build.py translations</code> prints the same.</p>
<table><tr><th>language</th><th>done</th><th>total</th><th>missing</th><th>unreviewed</th><th>outdated</th></tr>
{rows}</table>
{"".join(parts)}
</body></html>""".encode("utf-8")


# --- the command ------------------------------------------------------------------------------------------------------

def load(site_root: Path) -> tuple[pipeline.SiteModel | None, str]:
    """Return the site model with drafts (they need translating too), and a note about files left out."""
    model, found = pipeline.load_model(pipeline.Options(site_root=site_root.absolute(), drafts=True))
    if model is None:
        return None, found.format()
    failed = sorted({d.path for d in found.errors})
    note = (f"note: {len(failed)} file(s) with mistakes are left out of this report ({', '.join(failed[:3])}"
            f"{', ...' if len(failed) > 3 else ''}); python build.py check shows them") if failed else ""
    return model, note


def main(args: argparse.Namespace) -> int:
    """Run `build.py translations` and return the exit code."""
    model, note = load(args.site)
    if model is None:
        print(note, file=sys.stderr)
        return EXIT_CONTENT
    if note:
        print(note, file=sys.stderr)
    if args.mark_done:
        return mark_done(model, args.mark_done)
    reports = collect(model)
    print(as_json(reports) if args.format == "json" else as_table(reports))
    if args.fail_under is not None:
        below = [r for r in reports if r.percent < Decimal(str(args.fail_under))]
        for r in below:
            print(f"error: {r.code} ({r.name}) is {r.percent}% translated and up to date, under {args.fail_under}%",
                  file=sys.stderr)
        return EXIT_CONTENT if below else EXIT_OK
    return EXIT_OK


def _find(model: pipeline.SiteModel, given: Path) -> tuple[Document, dict] | None:
    root = model.site.root.resolve()
    rels = {p.resolve().relative_to(root).as_posix() for p in (given.absolute(), model.site.root / given)
            if p.resolve().is_relative_to(root)}
    return next(((doc, tset.docs) for tset in model.graph.sets for doc in tset.docs.values() if doc.path in rels), None)


def mark_done(model: pipeline.SiteModel, given: Path) -> int:
    """Record in the translation `given` the hash of its source's text now; return the exit code."""
    found = _find(model, given)
    if found is None:
        print(f"error: {given} is not an article or page of this site\n    hint: give the translation's path, such as "
              "content/news/kosint-2020-launch.sr.md; if it has a mistake, python build.py check shows it",
              file=sys.stderr)
        return EXIT_USAGE
    doc, docs = found
    source = source_of(doc, docs)
    if source is None:
        others = [d for d in docs.values() if d.lang != doc.lang]
        hint = " or ".join(f'"translated_from: {{lang: {d.lang}, hash: {text_hash(d)}}}" if it was translated from '
                           f"{d.path}" for d in others) or "it has no translation in another language yet"
        what = "does not say what it was translated from" if doc.meta.translated_from is None else \
            f"was translated from {doc.meta.translated_from.lang}, which has no text of it"
        print(f"error: {doc.path} {what}\n    hint: add the line {hint}", file=sys.stderr)
        return EXIT_CONTENT
    line, col = doc.located.where(("translated_from", "hash"))
    path = model.site.root / doc.path
    lines = path.read_bytes().splitlines(keepends=True)
    old = doc.meta.translated_from.hash
    text = lines[line - 1].decode("utf-8")
    at = text.find(old, col - 1) if col else text.find(old)
    if at < 0:
        print(f"error: {doc.path}:{line}: cannot find the hash {old} to replace", file=sys.stderr)
        return EXIT_CONTENT
    lines[line - 1] = (text[:at] + text_hash(source) + text[at + len(old):]).encode("utf-8")
    path.write_bytes(b"".join(lines))
    print(f"{doc.path}: marked as translated from {source.path} as it is now")
    return EXIT_OK
