"""build.py new news|pages|project: start a file with today's date and every key explained, checked against the
site (languages, projects, tags) before anything is written, and never over an existing file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import pipeline, routes
from .content import CONTENT_DIR, KINDS, Document, check_slug, suggest_slug
from .errors import did_you_mean
from .outdated import text_hash, written_languages
from .translations import TranslationSet
from .urls import url_for

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
SLUG_LENGTH = 60
BODY = ("<!-- Write the text below, in Markdown: a blank line between paragraphs, \"## \" before a heading, "
        "\"- \" before each item of a list.\n     Preview it with: python build.py serve -->\n")


class Refused(Exception):
    """The command cannot do what it was asked: the message and the hint say why and what to do."""

    def __init__(self, message: str, hint: str = "", code: int = EXIT_USAGE):
        super().__init__(message)
        self.hint, self.code = hint, code


def slug_of(title: str) -> str:
    """Return the file name (and address) part for `title`: ASCII words joined by hyphens, Serbian Cyrillic read
    as Latin first (ë -> e, č -> c, đ -> dj, Ђ -> Dj), cut at a word to at most 60 characters."""
    slug = suggest_slug(title.translate(routes._SERBIAN_LATIN))
    while len(slug) > SLUG_LENGTH and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug[:SLUG_LENGTH]


def main(args: argparse.Namespace) -> int:
    """Run `build.py new` and return the exit code."""
    model, report = pipeline.load_model(pipeline.Options(site_root=args.site.absolute(), build_date=args.build_date,
                                                         drafts=True))
    dating = [d for d in report.errors if d.path == "SOURCE_DATE_EPOCH"]  # the day to date the text is not known
    if model is None or dating:
        print(report.format() if model is None else "\n".join(d.format() for d in dating), file=sys.stderr)
        return EXIT_CONTENT
    try:
        path, url = project(model, args) if args.kind == "project" else text(model, args)
    except Refused as refused:
        print(f"error: {refused}" + (f"\n    hint: {refused.hint}" if refused.hint else ""), file=sys.stderr)
        return refused.code
    print(f"created {path.relative_to(model.site.root).as_posix()}")
    print(f"preview: http://127.0.0.1:{args.port}{url}  (while python build.py serve runs)")
    return EXIT_OK


def _choose(what: str, value: str, choices: list[str], where: str) -> str:
    """Return `value` if it is one of `choices`, or refuse with the closest one."""
    if value not in choices:
        close = did_you_mean(value, choices)
        raise Refused(f'there is no {what} "{value}" {where}', close if close.startswith("did you mean") else
                      f"{what}s: " + ", ".join(sorted(choices)) if choices else f"there is no {what} yet")
    return value


def text(model: pipeline.SiteModel, args: argparse.Namespace) -> tuple[Path, str]:
    """Write a new article or page, or a translation of one; return its path and address."""
    site, section = model.site, args.kind
    codes = [lang.code for lang in written_languages(site)]
    if not args.lang:
        raise Refused("say which language the text is written in", "add --lang " + " or --lang ".join(codes))
    lang = _choose("language", args.lang, codes, "on this site")
    source = _source(model, args.translation_of, section, lang) if args.translation_of else None
    if not (args.title or source):
        raise Refused("give the text a title", 'add --title "..." (the file name and address are made from it)')
    title = args.title or source[1].meta.title
    slug = slug_of(title) if args.title else source[1].slug
    rel = f"{CONTENT_DIR}/{section}/{slug}.{lang}{KINDS[section].suffix}"
    problem = check_slug(rel, slug)
    if problem:
        raise Refused(problem.message, 'choose another title (the address is made from it)')
    _free(model, section, slug, lang, source[0] if source else None)
    meta = _front_matter(model, args, title, section, source)
    path = site.root / rel
    _write_new(path, "---\n" + meta + "---\n\n" + BODY)
    if source and slug != source[0].key and not source[1].meta.translation_key:
        _add_translation_key(site.root / source[1].path, source[0].key)
    return path, url_for(KINDS[section].url, lang, slug)


def _source(model: pipeline.SiteModel, given: Path, section: str, lang: str) -> tuple[TranslationSet, Document]:
    """Return the translation set and the text that `given` (a file name, from here or from the site) is."""
    root = model.site.root
    candidates = [given.absolute(), root / given]
    rels = {p.resolve().relative_to(root.resolve()).as_posix() for p in candidates
            if p.resolve().is_relative_to(root.resolve())}
    for tset in model.graph.sets:
        for doc in tset.docs.values():
            if doc.path in rels:
                if doc.section != section:
                    raise Refused(f"{doc.path} is not in {CONTENT_DIR}/{section}/",
                                  f"to translate it, run: build.py new {doc.section} --translation-of {doc.path}")
                if lang in tset.docs:
                    raise Refused(f'"{tset.key}" already has its {lang} text: {tset.docs[lang].path}',
                                  "open that file, or choose another --lang")
                return tset, doc
    raise Refused(f"{given} is not an article or page of this site",
                  "give the file's path, such as content/news/kosint-2020-launch.sq.md; if it has a mistake, "
                  "python build.py check shows it", EXIT_USAGE)


def _free(model: pipeline.SiteModel, section: str, slug: str, lang: str, joins: TranslationSet | None) -> None:
    """Refuse if a file of the name is there, or if a text of another language has the slug and is not the text
    being translated (files with one slug are translations of each other)."""
    folder = model.site.root / CONTENT_DIR / section
    taken = sorted(folder.glob(f"{slug}.*{KINDS[section].suffix}")) if folder.is_dir() else []
    mine = {d.path for d in joins.docs.values()} if joins else set()
    for path in taken:
        rel = path.relative_to(model.site.root).as_posix()
        if path.name == f"{slug}.{lang}{KINDS[section].suffix}":
            raise Refused(f"{rel} already exists; nothing was written", "open it, or choose another title")
        if rel not in mine:
            raise Refused(f"{rel} has the same name in another language, so the two would be translations of each "
                          "other; nothing was written",
                          f"if it is the same article, run: build.py new {section} --lang {lang} --translation-of "
                          f"{rel}; otherwise choose another title")


def _front_matter(model: pipeline.SiteModel, args: argparse.Namespace, title: str, section: str,
                  source: tuple[TranslationSet, Document] | None) -> str:
    """Return the front matter of a new text: what is known filled in, every other key as a comment."""
    lines = [f"title: {_quoted(title)}"]
    if source and not args.title:
        lines[0] += "  # translate the title"
    if section == "news":  # a translation tells the same news: it keeps its source's date
        day = source[1].meta.date if source else model.today
        lines.append(f"date: {day.isoformat()}")
    lines.append(f"summary: {_quoted(args.summary)}" if args.summary else
                 "# summary: one or two sentences, shown in lists, feeds and search engines (a warning until there "
                 "is one)")
    if section == "news":
        lines += _project_and_tags(model, args, source[1] if source else None)
        lines.append("# updated: YYYY-MM-DD, the day of a later real change (feeds and the sitemap show it)")
    lines.append("# draft: true keeps the text off the site (build --drafts and serve --drafts show it)")
    if source:
        tset, doc = source
        if tset.key != args_slug(args, doc):
            lines.append(f"translation_key: {tset.key}  # links the translations of one text")
        lines.append(f"translated_from: {{lang: {doc.lang}, hash: {text_hash(doc)}}}  # when done, run: "
                     f"python build.py translations --mark-done <this file>")
        lines.append("translation_reviewed: false  # remove this line once someone has reviewed the translation")
    return "\n".join(lines) + "\n"


def args_slug(args: argparse.Namespace, doc: Document) -> str:
    """Return the slug the new text gets: from its title, or its source's."""
    return slug_of(args.title) if args.title else doc.slug


def _project_and_tags(model: pipeline.SiteModel, args: argparse.Namespace, source: Document | None) -> list[str]:
    """Return the project and tags lines, checked against the site, or as comments listing what there is."""
    projects = [p.id for p in model.graph.projects]
    tags = [t.id for t in model.graph.tags]
    project = _choose("project", args.project, projects, "in content/projects/") if args.project else \
        getattr(source.meta, "project", None) if source else None
    chosen = [_choose("tag", t.strip(), tags, "in content/tags.yaml") for t in args.tags.split(",") if t.strip()] \
        if args.tags else list(source.meta.tags) if source else []
    lines = [f"project: {project}" if project else
             "# project: the id of the project it is about: " + (", ".join(projects) or "none yet")]
    lines.append(f"tags: [{', '.join(chosen)}]" if chosen else
                 "# tags: [ids from content/tags.yaml: " + (", ".join(tags) or "none yet") + "]")
    return lines


def _quoted(text: str) -> str:
    """Return `text` as a YAML double-quoted string (a colon, a quote or a # in a title stay text)."""
    return json.dumps(text, ensure_ascii=False)


def _write_new(path: Path, text: str) -> None:
    """Write `text` to the new file `path`, refusing if it appeared meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fp:
            fp.write(text)
    except FileExistsError:
        raise Refused(f"{path.name} already exists; nothing was written", "open it, or choose another title") from None


def _add_translation_key(path: Path, key: str) -> None:
    """Add `translation_key: key` to the front matter of the text at `path`, as its last key (the file keeps
    its line endings), so that its translations stay linked to it whatever their file names."""
    data = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    lines = data.splitlines(keepends=True)
    end = next(i for i, line in enumerate(lines) if i > 0 and line.rstrip() == b"---")
    lines.insert(end, f"translation_key: {key}".encode() + newline)
    path.write_bytes(b"".join(lines))
    print(f"added translation_key: {key} to {path.name}, which links it to its translation")


def project(model: pipeline.SiteModel, args: argparse.Namespace) -> tuple[Path, str]:
    """Write a new project sheet with every field explained; return its path and address."""
    if not args.id:
        raise Refused("give the project's id: build.py new project ID", "the id is its address, such as kosint-2020")
    rel = f"{CONTENT_DIR}/projects/{args.id}.yaml"
    problem = check_slug(rel, args.id)
    if problem:
        raise Refused(problem.message, problem.hint)
    codes = [lang.code for lang in written_languages(model.site)]
    first, *others = codes
    title = _quoted(args.title or args.id)
    others_text = "".join(f"#  {code}: ...\n" for code in others)
    path = model.site.root / rel
    _write_new(path, SHEET.format(id=args.id, title=title, first=first, others=others_text,
                                  today=model.today.isoformat()))
    return path, url_for(KINDS["projects"].url, first, args.id)


SHEET = """\
# The sheet of the project "{id}"; its address is /<language>/projects/{id}/.
# Only title is required: remove the # before a key to fill it in, and leave out what is not known.
# A text is one plain text (a proper name) or one text per language, each on its own line.

title:
  {first}: {title}
{others}
# objective:
#   {first}: The overall objective of the project is ...
# location: {{{first}: ...}}
# sector: {{{first}: ...}}                 # the same words as in the other sheets of the sector
# sector_code: "16010"                    # its OECD DAC 5-digit purpose code, for the IATI file
# start_date: {today}                     # YYYY-MM-DD
# end_date: YYYY-MM-DD
# budget:
#   currency: EUR
#   total: 535295.52                      # exact: a dot for decimals, no thousands separator
#   eu_contribution: 480963.02
# implementing_agency: komf               # organisations by their id in content/organisations.yaml
# partners: [ofap, kmop]
# donors: [european-union]
# beneficiaries: {{{first}: ...}}
# purposes:
#   - {{{first}: ...}}
# activities:
#   - id: A1
#     text: {{{first}: ...}}
# results:
#   - id: ER1
#     text: {{{first}: ...}}
# website: https://...
# translation_reviewed: {{{first}: false}}  # languages whose text is a translation nobody has reviewed yet

# The IATI file (/data/iati-activities.xml) needs start_date, end_date, budget, sector_code and
# implementing_agency; until the sheet has them the build warns, and --strict fails. If the sources do not
# give them, say so here: the warning ends and the Open data page shows the reason.
iati:
  publish: false
  reason: {{{first}: the sheet is new and not complete yet}}
"""
