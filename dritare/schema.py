"""Declared schemas for site_config.yaml, front matter and project sheets, and their error messages."""

from __future__ import annotations

import datetime as dt
import re
import typing
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

import pydantic
from babel.core import get_global
from babel.numbers import is_currency
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo
from pydantic_core import PydanticCustomError

from . import dates, yamlpos
from .errors import ERROR, Diagnostic, did_you_mean, error
from .yamlpos import Located

# \Z, not $: "$" also matches before a final newline, and a "slug\n" would reach URLs and file names.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
AMOUNT_RE = re.compile(r"^(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,2})?\Z")


def fail(message: str, hint: str = "", at: tuple = ()) -> PydanticCustomError:
    """Return a validation error whose message and hint reach the officer unchanged.

    `at` points, from where the error is raised, at the key it is about (a model check is raised on the model)."""
    return PydanticCustomError("dritare", "{message}", {"message": message, "hint": hint, "at": at})


def quoted(text: str, limit: int = 60) -> str:
    """Return `text` in double quotes for a message, with invisible characters escaped and a long text cut."""
    shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return f'"{shown[:limit]}…"' if len(shown) > limit else f'"{shown}"'


def _form(pattern: str, what: str, hint: str) -> AfterValidator:
    """Return a check that a whole text has the form of `pattern`, or the error that it is not `what`."""
    regex = re.compile(pattern)

    def check(value: str) -> str:
        if not regex.fullmatch(value):
            raise fail(f"{quoted(value)} is not {what}", hint)
        return value
    return AfterValidator(check)


def _date_reader(month_allowed: bool):
    """Return a check that reads YYYY-MM-DD (and YYYY-MM, a dates.Month, where `month_allowed`)."""
    hint = "write it like 2021-02-10" + (", or 2021-02 when only the month is known" if month_allowed else "")

    def read(value: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str):
            raise fail("should be a date in the form YYYY-MM-DD", hint)
        text = value.strip()
        try:
            return dates.parse(text, month_allowed)
        except ValueError as exc:
            if str(exc) == "form":
                raise fail(f"{quoted(text)} is not a date in the form YYYY-MM-DD", hint) from None
            if dates.MONTH_RE.fullmatch(text):
                raise fail(f"{quoted(text)} is not a real month", "months go from 01 to 12") from None
            raise fail(f"{quoted(text)} is not a real calendar date", "check the day and the month") from None
    return read


_iso_date = _date_reader(month_allowed=False)


def _money(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise fail("should be an amount", "write amounts like 535295.52")
    text = value.strip()
    if AMOUNT_RE.fullmatch(text):
        return Decimal(text)
    if text.startswith("-") and AMOUNT_RE.fullmatch(text[1:]):
        raise fail(f"{quoted(text)} is not a positive amount", "write amounts like 535295.52, without a sign")
    if re.fullmatch(r"[0-9]{13,}(?:\.[0-9]*)?", text):
        raise fail(f"{quoted(text)} is too large for an amount", "amounts go up to 999999999999.99: check the digits")
    raise fail(f"{quoted(text)} is not an amount",
               "write amounts like 535295.52: digits, then a dot and at most two decimals; "
               "no spaces, commas, underscores or signs")


def _whole(value: Any) -> Any:
    # pydantic would also read 1_0 and 10.0 as ten; a setting is written as plain digits, like an amount.
    if isinstance(value, str) and not re.fullmatch(r"[0-9]+", value.strip()):
        raise fail(f"{quoted(value)} is not a whole number", "write plain digits, such as 10")
    return value


def _currency(value: str) -> str:
    if re.fullmatch(r"[A-Z]{3}", value) and is_currency(value):
        return value
    close = did_you_mean(value.strip().upper(), _currencies_in_use())
    raise fail(f"{quoted(value)} is not a currency code",
               close if close.startswith("did you mean") else "write the three-letter ISO 4217 code, such as EUR")


def _currencies_in_use() -> set[str]:
    """Return the ISO 4217 codes that are legal tender somewhere today, from Babel's CLDR data."""
    return {code for periods in get_global("territory_currencies").values()
            for code, _start, end, tender in periods if end is None and tender}


def _has_text(value: Any) -> Any:
    if value == {}:
        raise fail("has no text in any language", "write the text, or one line per language such as  sq: ...  "
                                                  "under the key; or leave the key out")
    return value


def _languages_known(value: Any, info: ValidationInfo) -> Any:
    languages = (info.context or {}).get("languages")
    if isinstance(value, dict) and languages:
        for lang in value:
            if lang not in languages:
                raise fail(f"{quoted(lang)} is not a language of this site",
                           did_you_mean(lang, languages).replace("valid keys", "languages"))
    return value


NonEmpty = Annotated[str, pydantic.StringConstraints(strip_whitespace=True, min_length=1)]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
# A publication date: a day, or only a month when the day is not known (kept a dates.Month, not made a day).
PubDate = Annotated[dt.date, pydantic.PlainValidator(_date_reader(month_allowed=True))]
Slug = Annotated[str, _form(SLUG_RE.pattern, "a valid id",
                             "use lowercase ASCII letters, digits and hyphens, such as kosint-2020")]
# A tag is checked against content/tags.yaml later, where a label written instead of its id ("Shoqëria civile")
# can be answered with the id; here only what no tag can be (an empty text, an invisible character) is refused.
TagName = Annotated[str, _form(r"[^\x00-\x1f\x7f]+", "a valid id",
                                "use lowercase ASCII letters, digits and hyphens, such as civil-society")]
Money = Annotated[Decimal, BeforeValidator(_money)]
Whole = Annotated[int, BeforeValidator(_whole)]
Text = Annotated[Union[NonEmpty, dict[str, NonEmpty]], AfterValidator(_languages_known), AfterValidator(_has_text)]
Flag = Annotated[Union[bool, dict[str, bool]], AfterValidator(_languages_known)]
WebAddress = Annotated[str, _form(r"https?://\S+", "a web address", "write the whole address, starting with https://")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class LanguageConfig(Strict):
    locale: NonEmpty
    name: NonEmpty
    derived_from: str | None = None  # a language made from another one's texts, by a transform
    transform: str | None = None
    script_name: NonEmpty | None = None  # its name in the script switcher (Latinica, Ћирилица)
    keep_as_written: list[NonEmpty] = []  # names and acronyms the transform leaves as they are


Contact = Annotated[str, _form(r"(https?://\S+|[^@\s/]+@[^@\s/]+\.[^@\s/]+)", "an e-mail address or a web address",
                                "write an e-mail address such as info@example.org, or a whole address starting with "
                                "https://")]


class Licence(Strict):
    name: Text
    url: WebAddress | None = None


# The IATI OrganisationType codelist (2.03): what kind of body an organisation is.
ORGANISATION_TYPES = ("10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90")
# DAC 5-digit purpose codes are five digits (the IATI Sector codelist checks the code itself).
DAC5_RE = re.compile(r"^[0-9]{5}\Z")


def _organisation_type(value: str) -> str:
    if value in ORGANISATION_TYPES:
        return value
    raise fail(f"{quoted(value)} is not an IATI organisation type",
               "write one code of the IATI OrganisationType list, such as 22 (national NGO), 24 (NGO based in the "
               "recipient country), 40 (multilateral) or 60 (foundation); leave type out if it is not known")


OrgType = Annotated[str, AfterValidator(_organisation_type)]


class DataLicence(Strict):
    """The licence of the open data: its short name and where its text is."""

    name: NonEmpty
    url: WebAddress


class ReportingOrg(Strict):
    """Who publishes the IATI file: its registered IATI organisation identifier, type and name."""

    ref: NonEmpty
    type: OrgType
    name: Text


class IatiConfig(Strict):
    """How the IATI file names its publisher and its activities."""

    reporting_org: ReportingOrg
    identifier_prefix: NonEmpty | None = None  # the start of every iati-identifier; default: reporting_org.ref


class SiteConfig(Strict):
    title: dict[str, NonEmpty]
    base_url: Annotated[str, _form(r"https?://[^/\s]+(/\S*)?", "a web address",
                                   "write the address of the site, such as https://transparency.example.org/")]
    default_language: str
    languages: dict[str, LanguageConfig]
    output_dir: NonEmpty = "public"
    per_page: Annotated[Whole, pydantic.Field(ge=1, le=1000)] = 10
    home_news: Annotated[Whole, pydantic.Field(ge=0, le=100)] = 5
    list_untranslated: bool = True
    publisher: Text | None = None  # who publishes the site, shown in every page's footer
    contact: Contact | None = None  # an e-mail address or the address of a contact page
    licence: Licence | None = None  # the licence of the site's content
    data_licence: DataLicence | None = None  # the licence of the open data under /data/
    iati: IatiConfig | None = None

    @pydantic.model_validator(mode="after")
    def _coherent(self) -> "SiteConfig":
        if self.default_language not in self.languages:
            raise fail(f"default_language {quoted(self.default_language)} is not in languages",
                       "choose one of: " + ", ".join(self.languages), ("default_language",))
        for code, entry in self.languages.items():
            _check_derived(self, code, entry)
        missing = [lang for lang, entry in self.languages.items() if lang not in self.title and not entry.derived_from]
        if missing:
            raise fail("title has no text for " + ", ".join(missing), "add a title for every language", ("title",))
        return self


def _check_derived(config: "SiteConfig", code: str, entry: LanguageConfig) -> None:
    """Raise the error of a derived language that names no language or transform it can be made with."""
    from .translit import TRANSFORMS  # the registry of transforms, kept with them

    if entry.derived_from is None:
        if entry.transform is not None:
            raise fail("transform: is only for a language with derived_from", "add derived_from: with the "
                       "language it is made from, or remove transform:", ("languages", code, "transform"))
        return
    source = config.languages.get(entry.derived_from)
    if source is None or source.derived_from is not None or entry.derived_from == code:
        raise fail(f"derived_from: {quoted(entry.derived_from)} is not a language written by hand",
                   "choose one of: " + ", ".join(c for c, e in config.languages.items() if not e.derived_from),
                   ("languages", code, "derived_from"))
    if entry.transform not in TRANSFORMS:
        raise fail(f"transform: {quoted(str(entry.transform))} is not a transform the generator has",
                   "choose one of: " + ", ".join(TRANSFORMS), ("languages", code, "transform"))
    if config.default_language == code:
        raise fail("default_language cannot be a derived language", "choose a language written by hand",
                   ("default_language",))


class Vocabulary(pydantic.RootModel[dict[Slug, Text]]):
    """content/tags.yaml: each tag's id and its label, one text or one per language."""

    model_config = ConfigDict(frozen=True)


def _source_name(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


class Source(Strict):
    """Whose text an article is: the organisation's name and, if the source gives it, the original address."""

    name: NonEmpty
    url: WebAddress | None = None


def _translated_from_known(value: "TranslatedFrom", info: ValidationInfo) -> "TranslatedFrom":
    languages = (info.context or {}).get("languages")
    if languages and value.lang not in languages:
        raise fail(f"{quoted(value.lang)} is not a language of this site",
                   did_you_mean(value.lang, languages).replace("valid keys", "languages"), ("lang",))
    return value


class TranslatedFrom(Strict):
    """What a translation was made from: the language of its source and a short hash of the source's text then
    (written by `build.py new --translation-of` and `build.py translations --mark-done`)."""

    lang: NonEmpty
    hash: Annotated[str, _form(r"[0-9a-f]{8}", "a short hash",
                               "leave it as the commands wrote it: build.py translations --mark-done FILE "
                               "writes it anew")]


class NewsMeta(Strict):
    title: NonEmpty
    date: PubDate
    updated: IsoDate | None = None
    summary: NonEmpty | None = None
    project: Slug | None = None
    tags: list[TagName] = []
    draft: bool = False
    translation_key: Slug | None = None
    translation_reviewed: bool = True
    source: Annotated[Source, BeforeValidator(_source_name)] | None = None
    translated_from: Annotated[TranslatedFrom, AfterValidator(_translated_from_known)] | None = None

    @pydantic.model_validator(mode="after")
    def _updated_after_date(self) -> "NewsMeta":
        if self.updated and self.updated < self.date:
            raise fail("is before date", "updated is the day the article was last changed: "
                                         "on or after its date", ("updated",))
        return self


class PageMeta(Strict):
    title: NonEmpty
    summary: NonEmpty | None = None
    menu: Literal["main", "footer"] = "main"  # where the page is linked: the main menu or the footer
    draft: bool = False
    translation_key: Slug | None = None
    translation_reviewed: bool = True
    translated_from: Annotated[TranslatedFrom, AfterValidator(_translated_from_known)] | None = None


class Budget(Strict):
    currency: Annotated[str, AfterValidator(_currency)]
    total: Money
    eu_contribution: Money | None = None

    @pydantic.model_validator(mode="after")
    def _share(self) -> "Budget":
        if self.total == 0:
            raise fail("must be more than 0", "write the total cost of the project, or leave budget out "
                                              "until it is known", ("total",))
        if self.eu_contribution is not None and self.eu_contribution > self.total:
            raise fail("is larger than total", "check both amounts against the contract",
                       ("eu_contribution",))
        return self


class Item(Strict):
    id: Annotated[str, _form(r"[A-Za-z0-9][A-Za-z0-9.-]*", "an id",
                             "use letters, digits, dots and hyphens, such as A1 or 2.3")]
    text: Text


def _unique_ids(items: list[Item]) -> list[Item]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            raise fail(f"the id {quoted(item.id)} is used twice", "give every item its own id", (index, "id"))
        seen.add(item.id)
    return items


Items = Annotated[list[Item], AfterValidator(_unique_ids)]


class Organisation(Strict):
    """One organisation of content/organisations.yaml."""

    name: Text
    acronym: NonEmpty | None = None
    type: OrgType | None = None
    iati_id: Annotated[str, _form(r"[A-Za-z0-9][A-Za-z0-9_.:-]*-[A-Za-z0-9_.:-]+", "an IATI organisation identifier",
                                  "write the identifier as registered with IATI, such as XM-DAC-41114; "
                                  "leave iati_id out if the organisation has none")] | None = None
    website: WebAddress | None = None


class Organisations(pydantic.RootModel[dict[Slug, Organisation]]):
    """content/organisations.yaml: each organisation's id and what is known of it."""

    model_config = ConfigDict(frozen=True)


OrgId = Annotated[str, _form(SLUG_RE.pattern, "an organisation id",
                             "write the id of the organisation in content/organisations.yaml, such as komf")]


class IatiGap(Strict):
    """`iati: {publish: false, reason: ...}`: a project left out of the IATI file on purpose."""

    publish: bool
    reason: Text


class ProjectSheet(Strict):
    title: Text
    objective: Text | None = None
    location: Text | None = None
    sector: Text | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    budget: Budget | None = None
    sector_code: Annotated[str, _form(DAC5_RE.pattern, "a DAC 5-digit sector code",
                                      "write the five digits of the OECD DAC purpose code, such as 16010")] | None = None
    implementing_agency: OrgId | None = None
    partners: list[OrgId] = []
    donors: list[OrgId] = []
    beneficiaries: Text | None = None
    purposes: list[Text] = []
    activities: Items = []
    results: Items = []
    website: WebAddress | None = None
    iati: IatiGap | None = None
    translation_reviewed: Flag = True

    @pydantic.model_validator(mode="after")
    def _dates_in_order(self) -> "ProjectSheet":
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise fail("is before start_date", "check the two dates of the project", ("end_date",))
        return self


def load(model: type[Strict], text: str, path: str, line_offset: int = 0, context: dict | None = None):
    """Return (instance or None, located data or None, diagnostics) for the YAML `text` read as `model`."""
    located, problems = yamlpos.load(text, path, line_offset)
    if located is None or any(p.severity == ERROR for p in problems):
        return None, located, problems
    value, found = validate(model, located, path, context)
    return value, located, problems + found


def validate(model: type[Strict], located: Located, path: str, context: dict | None = None):
    """Return (instance or None, diagnostics) for `located` data checked against `model`."""
    if not isinstance(located.data, dict) and located.data is not None:
        line, col = located.where(())
        return None, [error(path, line, col, "expected keys and values (key: value), one per line")]
    try:
        return model.model_validate(located.data, context=context or {}), []
    except pydantic.ValidationError as exc:
        errors = [{**e, "loc": _data_loc(located.data, e)} for e in exc.errors()]
        return None, [_diagnostic(model, located, path, e) for e in _merge_union_errors(errors)]


def _data_loc(data: Any, err: dict) -> tuple:
    """Return the error's location as keys and indices of the data, without pydantic's union labels."""
    loc, out = err["loc"], []
    walk = loc[:-1] if err["type"] == "missing" else loc
    for part in walk:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            continue
        out.append(part)
    return tuple(out) + (loc[-1:] if err["type"] == "missing" else ())


def _merge_union_errors(errors: list[dict]) -> list[dict]:
    """Fold the errors of each branch of `text or {lang: text}` into one message."""
    merged: dict[tuple, dict] = {}
    for err in errors:
        loc = err["loc"]
        if loc in merged and err["type"].endswith("_type"):
            merged[loc] = {**err, "type": "dritare", "ctx": {
                "message": "should be a text, or one text per language",
                "hint": "write it as plain text, or as lines such as  sq: ...  en: ...  under the key"}}
        else:
            merged.setdefault(loc, err)
    return list(merged.values())


def _diagnostic(model: type[Strict], located: Located, path: str, err: dict) -> Diagnostic:
    loc = err["loc"]
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "extra_forbidden":
        line, col = located.where(loc, key=True)
        return error(path, line, col, f"unknown key {quoted(str(loc[-1]))}",
                     did_you_mean(str(loc[-1]), _fields(model, loc[:-1])))
    line, col = located.where(loc)
    name = ".".join(str(p) for p in loc) or "this file"
    if kind == "missing":
        return error(path, *located.where(loc[:-1]), f'the key "{loc[-1]}" is missing', f'add a line "{loc[-1]}: ..."')
    if kind == "dritare":
        at = loc + tuple(ctx.get("at") or ())
        name = ".".join(str(p) for p in at) or name
        return error(path, *located.where(at), f"{name}: {ctx['message']}", ctx.get("hint", ""))
    return error(path, line, col, f"{name}: {_plain(err)}", _HINTS.get(kind.split("_")[0], ""))


_HINTS = {
    "string": "write text here (put it in double quotes if it starts with a symbol)",
    "list": 'write a list: [a, b] or one "- item" per line',
    "bool": "write true or false",
    "int": "write a whole number",
    "dict": "write keys and values indented under this key",
}


def _plain(err: dict) -> str:
    return err["msg"][0].lower() + err["msg"][1:]


def _fields(model: Any, loc: tuple) -> list[str]:
    """Return the key names allowed at `loc` inside `model`."""
    for part in loc:
        if isinstance(part, int) or not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        field = model.model_fields.get(part)
        if field is None and issubclass(model, pydantic.RootModel):  # a mapping of ids: `part` is a key of it
            field = model.model_fields.get("root")
        model = _model_in(field.annotation) if field else None
    return sorted(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
