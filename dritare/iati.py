"""The IATI file: every project with enough data as an activity of the IATI Activity Standard 2.03, at
/data/iati-activities.xml, built with lxml.

Only what a sheet states goes in. A project that lacks what an activity needs (dates, budget, a DAC sector code,
an implementing agency) is left out with a warning naming the missing keys; a sheet that says
`iati: {publish: false, reason: ...}` is left out on purpose, without a warning (its reason is shown on the Open
data page and in projects.json). Without `iati` in site_config.yaml there is no publisher to report, so the file
holds no activity and the build warns once."""

from __future__ import annotations

from typing import Any

from babel import Locale
from lxml import etree

from .config import Site
from .content import Project, sheet_url
from .errors import Diagnostic, warning
from .opendata import iati_missing, iati_reason, status
from .produce import Made, OutputFile
from .urls import file_of, url_for

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# ActivityStatus codes by the project's status as of the build date (opendata.status).
ACTIVITY_STATUS = {"planned": "1", "ongoing": "2", "ended": "3"}
KOSOVO = "XK"  # the Country codelist's code for Kosovo


def iati_languages(site: Site) -> dict[str, str]:
    """Return {site language code: ISO 639-1 code}, one site language per ISO code (the first in the site's
    order: a derived script of a language, such as Serbian in Cyrillic, is the same language to IATI)."""
    found: dict[str, str] = {}
    for lang in site.languages:
        iso = Locale.parse(lang.locale).language
        if iso not in found.values():
            found[lang.code] = iso
    return found


def _narratives(parent: etree._Element, site: Site, value: str | dict[str, str] | None) -> None:
    """Append one narrative per language the text is written in; a single text (a name) once, in no language."""
    if isinstance(value, str):
        etree.SubElement(parent, "narrative").text = value
        return
    for code, iso in iati_languages(site).items():
        if value and code in value:
            etree.SubElement(parent, "narrative", {XML_LANG: iso}).text = value[code]


def _with_narratives(parent: etree._Element, tag: str, site: Site, value: Any, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    _narratives(element, site, value)
    return element


def activity(made: Made, project: Project) -> etree._Element:
    """Return the iati-activity of a project that has everything an activity needs."""
    site, sheet = made.graph.site, project.sheet
    cfg = site.config.iati
    prefix = cfg.identifier_prefix or cfg.reporting_org.ref
    budget = sheet.budget
    default_iso = iati_languages(site)[site.default.code]
    root = etree.Element("iati-activity", {XML_LANG: default_iso, "default-currency": budget.currency,
                                           "last-updated-datetime": f"{made.today.isoformat()}T00:00:00Z"})
    etree.SubElement(root, "iati-identifier").text = f"{prefix}-{project.id}"
    _with_narratives(root, "reporting-org", site, cfg.reporting_org.name, ref=cfg.reporting_org.ref,
                     type=cfg.reporting_org.type)
    _with_narratives(root, "title", site, sheet.title)
    if sheet.objective:
        _with_narratives(root, "description", site, sheet.objective, type="2")  # 2: objectives
    if sheet.beneficiaries:
        _with_narratives(root, "description", site, sheet.beneficiaries, type="3")  # 3: target groups
    for part in made.graph.participants(project):
        org = part.organisation
        attrs = {"role": part.iati_role, **({"ref": org.iati_id} if org.iati_id else {}),
                 **({"type": org.type} if org.type else {})}
        _with_narratives(root, "participating-org", site, org.name, **attrs)
    etree.SubElement(root, "activity-status", code=ACTIVITY_STATUS[status(project, made.today)])
    etree.SubElement(root, "activity-date", {"iso-date": sheet.start_date.isoformat(), "type": "1"})  # planned start
    etree.SubElement(root, "activity-date", {"iso-date": sheet.end_date.isoformat(), "type": "3"})  # planned end
    etree.SubElement(root, "recipient-country", code=KOSOVO, percentage="100")
    etree.SubElement(root, "sector", vocabulary="1", code=sheet.sector_code, percentage="100")  # 1: DAC 5 digit
    # One budget over the project's dates: the sheet gives only its total. 1: original; 2: committed.
    element = etree.SubElement(root, "budget", type="1", status="2")
    etree.SubElement(element, "period-start", {"iso-date": sheet.start_date.isoformat()})
    etree.SubElement(element, "period-end", {"iso-date": sheet.end_date.isoformat()})
    etree.SubElement(element, "value", {"currency": budget.currency, "value-date": sheet.start_date.isoformat()}
                     ).text = str(budget.total)
    # 2.03 has no activity-website: the project's page is a document link of category A12 (activity web page).
    for code, iso in iati_languages(site).items():
        link = etree.SubElement(root, "document-link", url=site.base_url + sheet_url(project, code), format="text/html")
        _with_narratives(link, "title", site, {code: _title_in(sheet.title, code, site)})
        etree.SubElement(link, "category", code="A12")
        etree.SubElement(link, "language", code=iso)
    return root


def _title_in(title: str | dict[str, str], code: str, site: Site) -> str:
    if isinstance(title, str):
        return title
    return next(title[c] for c in site.fallback_order(code) + tuple(title) if c in title)


def document(made: Made) -> tuple[etree._Element, list[Diagnostic]]:
    """Return the iati-activities document and a warning for every project left out for lack of data."""
    site = made.graph.site
    root = etree.Element("iati-activities", {"version": VERSION,
                                             "generated-datetime": f"{made.today.isoformat()}T00:00:00Z"})
    problems = []
    if site.config.iati is None:
        return root, [warning("site_config.yaml", 0, 0, "there is no iati section, so the IATI file lists no project",
                              "add iati: with reporting_org (ref, type, name), as the README shows")]
    for project in sorted(made.graph.projects, key=lambda p: p.id):
        if iati_reason(project) is not None:
            continue
        missing = iati_missing(project)
        if missing:
            problems.append(warning(project.path, 1, 1, "the project is left out of the IATI file: the sheet has no "
                                    + ", ".join(missing),
                                    "add them from the project's documents; if the sources do not give them, add "
                                    "iati: {publish: false, reason: ...} to say so and end this warning"))
            continue
        root.append(activity(made, project))
    return root, problems


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def files(made: Made) -> tuple[list[OutputFile], list[Diagnostic]]:
    root, problems = document(made)
    return [OutputFile(file_of(url_for("data_iati", None)), to_bytes(root))], problems
