"""What search engines and social networks read: Open Graph locales and schema.org JSON-LD."""

from __future__ import annotations

import functools
from typing import Any

from babel import Locale
from babel.core import get_global

from .config import Language
from .content import doc_url, sheet_url
from .graph import Route, SiteGraph
from .i18n import Formatter
from .urls import url_for


# Asked for on every page; a language's Open Graph locale never changes, and Locale.parse is slow.
@functools.lru_cache(maxsize=64)
def og_locale(lang: Language) -> str:
    """Return the Open Graph locale (ll_TT) of a language: its territory, or the likeliest one."""
    locale = Locale.parse(lang.locale)
    territory = locale.territory
    if not territory:
        likely = get_global("likely_subtags").get(locale.language, "")
        territory = Locale.parse(likely).territory if likely else None
    return f"{locale.language}_{territory}" if territory else locale.language


def _organisation(graph: SiteGraph, fmt: Formatter) -> dict[str, Any]:
    return {"@type": "Organization", "name": graph.site.config.title[fmt.lang.code],
            "url": graph.site.base_url + url_for("chooser", None)}


def _author(source) -> dict[str, Any]:
    """Return the organisation whose text an article is, as its schema.org author."""
    found = {"@type": "Organization", "name": source.name}
    return {**found, "url": source.url} if source.url else found


def _text(fmt: Formatter, value: Any) -> str | None:
    found = fmt.localize(value)
    return found.text if found else None


def project_ld(graph: SiteGraph, fmt: Formatter, project, brief: bool = False) -> dict[str, Any]:
    """Return a project as a schema.org Project, with its funders and budget."""
    sheet, code = project.sheet, fmt.lang.code
    data: dict[str, Any] = {"@type": "Project", "name": _text(fmt, sheet.title),
                            "url": graph.site.base_url + sheet_url(project, code)}
    if brief:
        return data
    funders = [{"@type": "Organization", "name": _text(fmt, part.organisation.name)}
               for part in graph.participants(project) if part.role == "funding"]
    data.update({"@context": "https://schema.org", "description": _text(fmt, sheet.objective),
                 "funder": funders or None, "location": _place(fmt, sheet.location)})
    if sheet.budget:
        budget = sheet.budget
        data["additionalProperty"] = {"@type": "PropertyValue", "name": "total cost",
                                      "value": str(budget.total), "unitText": budget.currency}
        if budget.eu_contribution is not None:
            data["funding"] = {"@type": "MonetaryGrant", "funder": funders or None,
                               "amount": {"@type": "MonetaryAmount", "currency": budget.currency,
                                          "value": str(budget.eu_contribution)}}
    return {key: value for key, value in data.items() if value is not None}


def _place(fmt: Formatter, location: Any) -> dict[str, str] | None:
    name = _text(fmt, location)
    return {"@type": "Place", "name": name} if name else None


def article_ld(graph: SiteGraph, fmt: Formatter, route: Route) -> dict[str, Any]:
    """Return an article as a schema.org NewsArticle: language, dates, publisher, project."""
    doc, base = route.data.doc, graph.site.base_url
    meta = doc.meta
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": meta.title,
        "inLanguage": fmt.lang.tag, "datePublished": meta.date.isoformat(),
        "dateModified": (meta.updated or meta.date).isoformat(), "url": base + doc_url(doc),
        "mainEntityOfPage": base + doc_url(doc), "publisher": _organisation(graph, fmt),
        "author": _author(meta.source) if meta.source else _organisation(graph, fmt),
        "keywords": [_text(fmt, graph.tag(t).label) for t in meta.tags if graph.tag(t)] or None,
        "description": meta.summary,
    }
    if route.data.project:
        data["about"] = project_ld(graph, fmt, route.data.project, brief=True)
    others = graph.translations(doc)
    if others:
        data["workTranslation"] = [{"@type": "NewsArticle", "inLanguage": graph.site.lang(d.lang).tag,
                                    "url": base + doc_url(d)} for d in others]
    return {key: value for key, value in data.items() if value is not None}


def json_ld(graph: SiteGraph, fmt: Formatter, route: Route) -> dict[str, Any] | None:
    """Return the JSON-LD of a page, if its kind has one."""
    if route.template == "article":
        return article_ld(graph, fmt, route)
    if route.template == "project":
        return project_ld(graph, fmt, route.data.project)
    if route.template == "home":
        return {"@context": "https://schema.org", "@type": "WebSite", "name": graph.site.config.title[fmt.lang.code],
                "url": graph.site.base_url + route.url, "inLanguage": fmt.lang.tag,
                "publisher": _organisation(graph, fmt)}
    return None
