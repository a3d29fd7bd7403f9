"""The benchmark's Hugo site: the same articles as the Dritare corpus, on an equivalent Hugo site.

Three languages (sq, sr, en; translations by file name, so the same slug is one translation set), a news
section paginated by 10, two taxonomies with a page per term paginated by 10 and a feed each (tags, and
projects, which stand for Dritare's project pages and feeds), a feed per language with full content
(20 items, as Dritare's), the sitemap, and minimal layouts: base, home, section, page, taxonomy, term.
Dritare's year archives, sector pages and 404 pages have no counterpart here: pages are counted and
compared per page.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from corpus import LANGUAGES, REPO, Article, Sources, article_file

CONFIG = """\
baseURL = "https://transparency.example.org/"
defaultContentLanguage = "sq"
defaultContentLanguageInSubdir = true
disableAliases = true
disableKinds = ["robotsTXT", "404"]
enableRobotsTXT = false

[pagination]
pagerSize = 10

[taxonomies]
tag = "tags"
project = "projects"

[services.rss]
limit = 20

[outputs]
home = ["html", "rss"]
section = ["html"]
taxonomy = ["html"]
term = ["html", "rss"]
page = ["html"]

[outputFormats.rss]
baseName = "feed"
"""

LANGUAGE = """
[languages.{code}]
label = "{name}"
locale = "{code}"
title = {title}
weight = {weight}
"""

BASEOF = """\
<!doctype html>
<html lang="{{ .Site.Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relLangURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.Label }}</a> {{ end }}</nav>
<nav><a href="{{ "news/" | relLangURL }}">news</a> <a href="{{ "tags/" | relLangURL }}">tags</a> <a href="{{ "projects/" | relLangURL }}">projects</a></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

ENTRIES = """\
<ul>{{ range . }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time>
<p>{{ .Summary }}</p>{{ with .GetTerms "tags" }}<p>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}</li>
{{ end }}</ul>
"""

PAGER = """\
{{ with .Paginator }}{{ if gt .TotalPages 1 }}<nav>
{{ with .Prev }}<a rel="prev" href="{{ .URL }}">prev</a>{{ end }} {{ .PageNumber }} / {{ .TotalPages }}
{{ with .Next }}<a rel="next" href="{{ .URL }}">next</a>{{ end }}</nav>{{ end }}{{ end }}
"""

LAYOUTS = {
    "baseof.html": BASEOF,
    "_partials/entries.html": ENTRIES,
    "_partials/pager.html": PAGER,
    "home.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
{{ partial "entries.html" (first 5 (where .Site.RegularPages "Section" "news")) }}
<p><a href="{{ "feed.xml" | relLangURL }}">feed</a></p>{{ end }}
""",
    "section.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ partial "entries.html" .Paginator.Pages }}{{ partial "pager.html" . }}{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ partial "entries.html" .Paginator.Pages }}{{ partial "pager.html" . }}
{{ with .OutputFormats.Get "rss" }}<p><a href="{{ .RelPermalink }}">feed</a></p>{{ end }}{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> ({{ len .Pages }})</li>{{ end }}</ul>{{ end }}
""",
    "page.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></p>
{{ with .GetTerms "projects" }}<aside>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</aside>{{ end }}
{{ .Content }}
{{ with .GetTerms "tags" }}<p>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
</article>{{ end }}
""",
    # Full content in every item, as Dritare's Atom feeds carry.
    "rss.xml": """{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0"><channel><title>{{ .Title }} · {{ .Site.Title }}</title><link>{{ .Permalink }}</link>
<language>{{ .Site.Language.Lang }}</language>
{{- range first 20 (cond .IsHome (where .Site.RegularPages "Section" "news") .RegularPages) }}
<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<description>{{ .Summary | transform.XMLEscape | safeHTML }}</description>
<content:encoded>{{ .Content | transform.XMLEscape | safeHTML }}</content:encoded></item>
{{- end }}
</channel></rss>
""",
}


def _front_matter(article: Article) -> str:
    meta = {"title": article.title, "date": article.date.isoformat(), "summary": article.summary,
            "tags": list(article.tags)}
    if article.project:
        meta["projects"] = [article.project]
    return "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()) + "\n---\n\n"


def hugo_text(article: Article) -> str:
    """Return the article as a Hugo Markdown file: the same body, Hugo's front matter."""
    return _front_matter(article) + article.body + "\n"


def _labels(repo: Path) -> dict[str, dict[str, dict[str, str]]]:
    tags = yaml.safe_load((repo / "content/tags.yaml").read_text(encoding="utf-8"))
    projects = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["title"]
                for p in sorted((repo / "content/projects").glob("*.yaml"))}
    return {"tags": tags, "projects": projects}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _config(repo: Path) -> str:
    site = yaml.safe_load((repo / "site_config.yaml").read_text(encoding="utf-8"))
    return CONFIG + "".join(
        LANGUAGE.format(code=code, name=lang["name"], title=json.dumps(site["title"][code], ensure_ascii=False),
                        weight=weight) for weight, (code, lang) in enumerate(site["languages"].items(), start=1)
        if "derived_from" not in lang)  # Hugo has no derived language: the Cyrillic edition is Dritare's alone


def write_hugo(articles: list[Article], sources: Sources, root: Path, repo: Path = REPO) -> Path:
    """Write the Hugo site of `articles` at `root`: config, layouts, section and term pages, articles."""
    _write(root / "hugo.toml", _config(repo))
    for name, text in LAYOUTS.items():
        _write(root / "layouts" / name, text)
    for code in LANGUAGES:
        _write(root / f"content/news/_index.{code}.md", '---\ntitle: "news"\n---\n')
        for taxonomy, labels in _labels(repo).items():
            for term, label in labels.items():
                text = label.get(code, term) if isinstance(label, dict) else label
                _write(root / f"content/{taxonomy}/{term}/_index.{code}.md",
                       f"---\ntitle: {json.dumps(text, ensure_ascii=False)}\n---\n")
    for article in articles:
        _write(article_file(root, article), hugo_text(article))
    return root
