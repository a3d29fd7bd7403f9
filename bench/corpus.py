"""The benchmark's corpus: N articles per language made from the paragraphs of the real news, deterministic.

Every article exists in sq, sr and en under the same slug (one translation set), has 1-3 tags from
content/tags.yaml, about a third belong to one of the real projects, and some link to another article or
to their project sheet. Bodies are real paragraphs of content/news/*.<lang>.md, drawn with a seeded
random.Random until a length whose mean is about 3.8 KB. The same articles can be written as a Dritare
site (with the real templates, catalogs, config, tags and projects) or, by hugo_site.py, as a Hugo site.
This corpus is a benchmark's input, never content: it goes to a temporary folder.

    python bench/corpus.py --n 1000 --out /some/temporary/folder
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("sq", "sr", "en")
COPIED = ("templates", "locales", "static", "site_config.yaml", "content/tags.yaml", "content/organisations.yaml",
          "content/projects")
FIRST_DAY, DAYS = dt.date(2010, 1, 1), 14 * 365
SEED = 2024
BUILD_DATE = "2024-01-01"  # the day both generators build as of, so that "status as of" never changes
SEE_ALSO = {"sq": "Shih edhe", "sr": "Vidi i", "en": "See also"}
PROJECT_SHEET = {"sq": "fletën e projektit", "sr": "list projekta", "en": "the project sheet"}


@dataclass(frozen=True)
class Article:
    """One article in one language, as both generators get it."""

    slug: str
    lang: str
    title: str
    date: dt.date
    summary: str
    tags: tuple[str, ...]
    project: str | None
    reviewed: bool
    body: str


@dataclass(frozen=True)
class Sources:
    """What the corpus is made from: real paragraphs per language, tag ids and project ids."""

    blocks: dict[str, list[str]]
    tags: list[str]
    projects: list[str]


def read_sources(repo: Path = REPO) -> Sources:
    """Return the paragraphs (and list blocks) of the real news per language, the tags and the projects."""
    blocks: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for path in sorted((repo / "content/news").glob("*.md")):
        lang = path.name.rsplit(".", 2)[-2]
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        blocks[lang] += [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]
    tags = sorted(yaml.safe_load((repo / "content/tags.yaml").read_text(encoding="utf-8")))
    projects = sorted(p.stem for p in (repo / "content/projects").glob("*.yaml"))
    return Sources(blocks, tags, projects)


def slugify(text: str) -> str:
    """Return `text` as lowercase ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _title(rng: random.Random, blocks: list[str]) -> str:
    words = [w.strip("“”„\"'(),.;:") for w in rng.choice(blocks).lstrip("- ").split()]
    words = [w for w in words if w]
    size = rng.randint(6, 12)
    start = rng.randrange(max(1, len(words) - size))
    title = " ".join(words[start:start + size])
    return title[:1].upper() + title[1:]


def _summary(body: str) -> str:
    first = body.split("\n\n", 1)[0].lstrip("- ")
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    return sentence if len(sentence) <= 240 else sentence[:237].rsplit(" ", 1)[0] + "…"


def _body(rng: random.Random, blocks: list[str]) -> str:
    # A triangular target of 1.5-7 KB (mode 2.7 KB) plus the last paragraph's overshoot averages ~3.8 KB.
    target, size, chosen, pool = rng.triangular(1500, 7000, 2700), 0, [], []
    while size < target:
        pool = pool or rng.sample(blocks, len(blocks))
        chosen.append(pool.pop())
        size += len(chosen[-1].encode()) + 2
    return "\n\n".join(chosen)


def _links(rng: random.Random, lang: str, index: int, slugs: list[str], project: str | None) -> str:
    links = []
    if index and rng.random() < 0.25:
        links.append(f"[{SEE_ALSO[lang]}]({slugs[rng.randrange(index)]}.{lang}.md)")
    if project and rng.random() < 0.5:
        links.append(f"[{PROJECT_SHEET[lang]}](../projects/{project}.yaml)")
    return "\n\n" + ". ".join(links) + "." if links else ""


def make_articles(n: int, sources: Sources, seed: int = SEED) -> list[Article]:
    """Return n articles in each language, the same for the same n, sources and seed."""
    rng = random.Random(seed)
    plan = []
    for i in range(n):
        title_en = _title(rng, sources.blocks["en"])
        slug = f"{slugify(title_en)[:48].rstrip('-')}-{i}"
        plan.append((slug, title_en, FIRST_DAY + dt.timedelta(rng.randrange(DAYS)),
                     tuple(rng.sample(sources.tags, rng.randint(1, 3))),
                     rng.choice(sources.projects) if rng.random() < 0.35 else None))
    slugs = [p[0] for p in plan]
    articles = []
    for i, (slug, title_en, day, tags, project) in enumerate(plan):
        for lang in LANGUAGES:
            body = _body(rng, sources.blocks[lang]) + _links(rng, lang, i, slugs, project)
            title = title_en if lang == "en" else _title(rng, sources.blocks[lang])
            articles.append(Article(slug, lang, title, day, _summary(body), tags, project,
                                    lang == "sq" or rng.random() < 0.5, body))
    return articles


def dritare_text(article: Article) -> str:
    """Return the article as a Dritare Markdown file with its front matter."""
    meta = [f"title: {json.dumps(article.title, ensure_ascii=False)}", f"date: {article.date.isoformat()}",
            f"summary: {json.dumps(article.summary, ensure_ascii=False)}", f"tags: [{', '.join(article.tags)}]"]
    meta += [f"project: {article.project}"] if article.project else []
    meta += [] if article.reviewed else ["translation_reviewed: false"]
    return "---\n" + "\n".join(meta) + "\n---\n\n" + article.body + "\n"


def article_file(root: Path, article: Article) -> Path:
    """Return where an article's file is in a corpus of either generator."""
    return root / "content/news" / f"{article.slug}.{article.lang}.md"


def write_dritare(articles: list[Article], root: Path, repo: Path = REPO) -> Path:
    """Write a Dritare site of `articles` at `root`, with the real templates, catalogs, config, tags, projects."""
    for part in COPIED:
        source, target = repo / part, root / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
        else:
            shutil.copy(source, target)
    (root / "content/news").mkdir(parents=True, exist_ok=True)
    for article in articles:
        article_file(root, article).write_text(dritare_text(article), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles per language (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="new folder to write the Dritare site into")
    parser.add_argument("--hugo", type=Path, help="also write the equivalent Hugo site into this new folder")
    args = parser.parse_args()
    articles = make_articles(args.n, read_sources())
    write_dritare(articles, args.out)
    if args.hugo:
        from hugo_site import write_hugo

        write_hugo(articles, read_sources(), args.hugo)
    sizes = [len(a.body.encode()) for a in articles]
    print(f"{len(articles)} articles, bodies {sum(sizes) / len(sizes) / 1024:.2f} KB on average")


if __name__ == "__main__":
    main()
