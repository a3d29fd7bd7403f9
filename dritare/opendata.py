"""Open data: the project sheets, news and organisations as JSON and CSV under /data/, straight from the sources.

Every file is language-neutral (every text in every language it is written in), deterministic (the same sources
and build date give the same bytes) and says only what the sources say: a field a sheet leaves out is null in
JSON and an empty cell in CSV, never a guess. Money is an exact decimal string, as the sheet writes it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any, Mapping

from .config import Site
from .content import Organisation, Project, doc_url, sheet_url
from .errors import Diagnostic
from .produce import Made, OutputFile
from .urls import file_of, url_for

FORMAT_VERSION = "1.0"


# --- values -------------------------------------------------------------------------------------------------------

def texts(site: Site, value: str | Mapping[str, str] | None) -> dict[str, str] | None:
    """Return a text field as {language: text}: a single text (a proper name) is the same in every language, a
    per-language one has only the languages it is written in; None where the sheet says nothing."""
    if value is None:
        return None
    if isinstance(value, str):
        return {code: value for code in site.codes}
    return {code: value[code] for code in site.codes if code in value}


def status(project: Project, today: dt.date) -> str | None:
    """Return where a project stands on `today` by its dates: planned, ongoing or ended; None if its dates do not
    say (no start date, or started with no end date)."""
    start, end = project.sheet.start_date, project.sheet.end_date
    if start and today < start:
        return "planned"
    if start and end:
        return "ongoing" if today <= end else "ended"
    return None


def money(amount: Decimal | None) -> str | None:
    """Return an amount as the exact decimal string the sheet wrote (no float ever)."""
    return None if amount is None else str(amount)


def organisation_record(site: Site, org: Organisation) -> dict[str, Any]:
    """Return what is known of an organisation, the same in every file that names it."""
    return {"id": org.id, "name": texts(site, org.name), "acronym": org.acronym, "iati_type": org.type,
            "iati_id": org.iati_id, "website": org.website}


def project_record(made: Made, project: Project) -> dict[str, Any]:
    """Return one project sheet as a JSON object (see PROJECT_SCHEMA for its fields)."""
    site, sheet = made.graph.site, project.sheet
    base = site.base_url
    budget = sheet.budget
    return {
        "id": project.id,
        "url": {code: base + sheet_url(project, code) for code in site.codes},
        "title": texts(site, sheet.title),
        "objective": texts(site, sheet.objective),
        "location": texts(site, sheet.location),
        "sector": texts(site, sheet.sector),
        "sector_code": sheet.sector_code,
        "start_date": sheet.start_date.isoformat() if sheet.start_date else None,
        "end_date": sheet.end_date.isoformat() if sheet.end_date else None,
        "status": status(project, made.today),
        "budget": None if budget is None else {"currency": budget.currency, "total": money(budget.total),
                                               "eu_contribution": money(budget.eu_contribution)},
        "organisations": [{"role": p.role, "iati_role": p.iati_role, **organisation_record(site, p.organisation)}
                          for p in made.graph.participants(project)],
        "beneficiaries": texts(site, sheet.beneficiaries),
        "purposes": [texts(site, purpose) for purpose in sheet.purposes],
        "activities": [{"id": item.id, "text": texts(site, item.text)} for item in sheet.activities],
        "results": [{"id": item.id, "text": texts(site, item.text)} for item in sheet.results],
        "website": sheet.website,
        "translation_reviewed": {code: _reviewed(sheet.translation_reviewed, code) for code in site.codes},
        "iati": {"published": iati_reason(project) is None and not iati_missing(project),
                 "reason": texts(site, iati_reason(project))},
        "news": [base + doc_url(e.doc) for e in made.graph.entries(site.default.code, project=project.id)],
        "data": {"json": base + url_for("data_project_json", None, project.id),
                 "csv": base + url_for("data_project_csv", None, project.id)},
    }


def _reviewed(flag: bool | Mapping[str, bool], code: str) -> bool:
    return flag if isinstance(flag, bool) else flag.get(code, True)


# What an IATI activity needs that a sheet may not give (see iati.py), by the sheet's key.
IATI_REQUIRED = ("start_date", "end_date", "budget", "sector_code", "implementing_agency")


def iati_missing(project: Project) -> list[str]:
    """Return the sheet's keys that an IATI activity needs and the sheet leaves out."""
    return [name for name in IATI_REQUIRED if not getattr(project.sheet, name)]


def iati_reason(project: Project) -> str | Mapping[str, str] | None:
    """Return why the sheet says it is left out of the IATI file on purpose (`iati: {publish: false, ...}`)."""
    gap = project.sheet.iati
    return gap.reason if gap is not None and not gap.publish else None


def envelope(made: Made, kind: str, items: list[Any]) -> dict[str, Any]:
    """Return the wrapper of a JSON file: what it is, as of when, under which licence, and its items."""
    site = made.graph.site
    licence = site.config.data_licence
    return {"format": f"dritare-{kind}", "version": FORMAT_VERSION, "build_date": made.today.isoformat(),
            "site": site.base_url, "languages": list(site.codes),
            "licence": {"name": licence.name, "url": licence.url} if licence else None,
            kind: items}


def to_json(value: Any) -> bytes:
    """Return `value` as UTF-8 JSON, indented, with letters as they are (ë, not \\u00eb), ending in a newline."""
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- CSV ----------------------------------------------------------------------------------------------------------

# One row per project. A column ending in _<lang> is repeated for every language of the site, in its order.
CSV_COLUMNS = ("id", "title_*", "objective_*", "location_*", "sector_*", "sector_code", "start_date", "end_date",
               "status", "currency", "total", "eu_contribution", "implementing_agency", "implementing_agency_*",
               "partners", "partners_*", "donors", "donors_*", "beneficiaries_*", "website", "url_*")


def csv_header(site: Site) -> list[str]:
    return [name for column in CSV_COLUMNS
            for name in ([column[:-1] + code for code in site.codes] if column.endswith("*") else [column])]


def csv_row(made: Made, project: Project) -> list[str]:
    """Return the cells of one project (an empty cell where the sheet says nothing)."""
    record, site = project_record(made, project), made.graph.site
    orgs = record["organisations"]
    cells: dict[str, str] = {"id": project.id, "sector_code": record["sector_code"] or "",
                             "start_date": record["start_date"] or "", "end_date": record["end_date"] or "",
                             "status": record["status"] or "", "website": record["website"] or ""}
    budget = record["budget"] or {}
    cells.update(currency=budget.get("currency") or "", total=budget.get("total") or "",
                 eu_contribution=budget.get("eu_contribution") or "")
    for field in ("title", "objective", "location", "sector", "beneficiaries", "url"):
        for code in site.codes:
            cells[f"{field}_{code}"] = (record[field] or {}).get(code, "")
    for column, role in (("implementing_agency", "implementing"), ("partners", "partner"), ("donors", "funding")):
        mine = [o for o in orgs if o["role"] == role]
        cells[column] = "; ".join(o["id"] for o in mine)
        for code in site.codes:
            cells[f"{column}_{code}"] = "; ".join(_name_in(site, o["name"], code) for o in mine)
    return [cells[name] for name in csv_header(site)]


def _name_in(site: Site, names: Mapping[str, str], code: str) -> str:
    """Return an organisation's name in `code`, or in the first language of its fallback order it has one in."""
    return next(names[c] for c in site.fallback_order(code) + tuple(names) if c in names)


def to_csv(rows: list[list[str]]) -> bytes:
    """Return rows as CSV for spreadsheets: UTF-8 with a byte order mark (so that Excel reads ë, č, đ as they
    are), every cell quoted where RFC 4180 needs it, lines ended by CRLF."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


# --- news and organisations -----------------------------------------------------------------------------------------

def news_records(made: Made) -> list[dict[str, Any]]:
    """Return every article in every language it is written in, newest first, with its translations (among
    them the editions a derived language makes of it, such as Serbian Cyrillic, which are not records of their
    own)."""
    graph, base = made.graph, made.graph.site.base_url
    found = []
    for tset in graph.sets:
        if tset.section != "news":
            continue
        for doc in tset.docs.values():
            if doc.derived:
                continue
            meta = doc.meta
            found.append({
                "key": tset.key, "language": doc.lang, "title": meta.title, "date": meta.date.isoformat(),
                "updated": meta.updated.isoformat() if meta.updated else None, "summary": meta.summary,
                "url": base + doc_url(doc), "project": meta.project, "tags": list(dict.fromkeys(meta.tags)),
                "translations": [{"language": other.lang, "url": base + doc_url(other)}
                                 for other in tset.docs.values() if other.lang != doc.lang],
            })
    return sorted(found, key=lambda r: (r["date"], r["key"], graph.site.codes.index(r["language"])), reverse=True)


def organisation_records(made: Made) -> list[dict[str, Any]]:
    graph, base = made.graph, made.graph.site.base_url
    return [{**organisation_record(graph.site, org),
             "url": {code: base + url_for("organisation", code, org.id) for code in graph.site.codes},
             "projects": [{"id": project.id, "roles": list(roles)} for project, roles in graph.projects_of(org.id)]}
            for org in graph.organisations]


# --- the producer ---------------------------------------------------------------------------------------------------

def files(made: Made) -> tuple[list[OutputFile], list[Diagnostic]]:
    """Return every file under /data/ but the IATI one: projects (JSON, its schema, CSV), one JSON and one CSV per
    project, the news and the organisations."""
    projects = sorted(made.graph.projects, key=lambda p: p.id)
    records = [project_record(made, p) for p in projects]
    header = csv_header(made.graph.site)
    out = [
        OutputFile(file_of(url_for("data_projects_json", None)), to_json(envelope(made, "projects", records))),
        OutputFile(file_of(url_for("data_projects_schema", None)), to_json(PROJECTS_SCHEMA)),
        OutputFile(file_of(url_for("data_projects_csv", None)),
                   to_csv([header] + [csv_row(made, p) for p in projects])),
        OutputFile(file_of(url_for("data_news_json", None)), to_json(envelope(made, "news", news_records(made)))),
        OutputFile(file_of(url_for("data_organisations_json", None)),
                   to_json(envelope(made, "organisations", organisation_records(made)))),
    ]
    for project, record in zip(projects, records):
        out.append(OutputFile(file_of(url_for("data_project_json", None, project.id)),
                              to_json(envelope(made, "projects", [record]))))
        out.append(OutputFile(file_of(url_for("data_project_csv", None, project.id)),
                              to_csv([header, csv_row(made, project)])))
    return out, []


# --- the JSON Schema of projects.json (and of each project's file) ----------------------------------------------------

_TEXTS = {"type": ["object", "null"], "description": "A text by language code; only the languages it is written in.",
          "propertyNames": {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
          "additionalProperties": {"type": "string", "minLength": 1}}
_TEXT_LIST = {"type": "array", "items": {**_TEXTS, "type": "object"}}
_DATE = {"type": ["string", "null"], "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_AMOUNT = {"type": "string", "pattern": "^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,2})?$",
           "description": "An exact amount as a decimal string: digits, a dot and at most two decimals."}
_ITEMS = {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["id", "text"],
                                     "properties": {"id": {"type": "string"}, "text": {**_TEXTS, "type": "object"}}}}
_ORGANISATION = {
    "type": "object", "additionalProperties": False,
    "required": ["role", "iati_role", "id", "name", "acronym", "iati_type", "iati_id", "website"],
    "properties": {
        "role": {"enum": ["implementing", "partner", "funding"]},
        "iati_role": {"enum": ["1", "4"], "description": "IATI OrganisationRole code: 1 funding, 4 implementing."},
        "id": {"type": "string"}, "name": {**_TEXTS, "type": "object"},
        "acronym": {"type": ["string", "null"]},
        "iati_type": {"type": ["string", "null"], "description": "IATI OrganisationType code."},
        "iati_id": {"type": ["string", "null"]}, "website": {"type": ["string", "null"]},
    },
}
_PROJECT = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "url", "title", "objective", "location", "sector", "sector_code", "start_date", "end_date",
                 "status", "budget", "organisations", "beneficiaries", "purposes", "activities", "results",
                 "website", "translation_reviewed", "iati", "news", "data"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
        "url": {**_TEXTS, "type": "object"},
        "title": {**_TEXTS, "type": "object"},
        "objective": _TEXTS, "location": _TEXTS, "sector": _TEXTS,
        "sector_code": {"type": ["string", "null"], "pattern": "^[0-9]{5}$"},
        "start_date": _DATE, "end_date": _DATE,
        "status": {"enum": ["planned", "ongoing", "ended", None]},
        "budget": {"type": ["object", "null"], "additionalProperties": False,
                   "required": ["currency", "total", "eu_contribution"],
                   "properties": {"currency": {"type": "string", "pattern": "^[A-Z]{3}$"}, "total": _AMOUNT,
                                  "eu_contribution": {**_AMOUNT, "type": ["string", "null"]}}},
        "organisations": {"type": "array", "items": _ORGANISATION},
        "beneficiaries": _TEXTS, "purposes": _TEXT_LIST, "activities": _ITEMS, "results": _ITEMS,
        "website": {"type": ["string", "null"]},
        "translation_reviewed": {"type": "object", "additionalProperties": {"type": "boolean"}},
        "iati": {"type": "object", "additionalProperties": False, "required": ["published", "reason"],
                 "properties": {"published": {"type": "boolean"}, "reason": _TEXTS}},
        "news": {"type": "array", "items": {"type": "string"}},
        "data": {"type": "object", "additionalProperties": False, "required": ["json", "csv"],
                 "properties": {"json": {"type": "string"}, "csv": {"type": "string"}}},
    },
}
PROJECTS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Project sheets",
    "description": "projects.json and /data/projects/<id>.json: every project sheet of the site, in every language.",
    "type": "object", "additionalProperties": False,
    "required": ["format", "version", "build_date", "site", "languages", "licence", "projects"],
    "properties": {
        "format": {"const": "dritare-projects"}, "version": {"type": "string"},
        "build_date": {"type": "string", "format": "date"}, "site": {"type": "string"},
        "languages": {"type": "array", "items": {"type": "string"}},
        "licence": {"type": ["object", "null"], "properties": {"name": {"type": "string"}, "url": {"type": "string"}}},
        "projects": {"type": "array", "items": _PROJECT},
    },
}
