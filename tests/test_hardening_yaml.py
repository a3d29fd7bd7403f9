"""YAML that would fill the memory or the stack, and values the schemas used to let through to a crash or a wrong
page: a clear message at the value's line, in bounded time, and sectors in any script on pages of their own."""

from __future__ import annotations

import pytest

from conftest import article, make_site
from harness import assert_rejected, good_site, time_bound
from dritare import config, content, graph, routes, schema, yamlpos

ARTICLE = "content/news/a.sq.md"
SHEETS = ("content/projects/p.yaml", "content/projects/q.yaml")
GOOD_SHEET = "title: P\nsector: Energji\nbudget: {currency: EUR, total: 1000, eu_contribution: 900}\n"


def laughs(levels: int) -> str:
    """Return YAML in which each of `levels` anchors repeats the one before it nine times."""
    lines = ['l0: &l0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def load(text: str):
    """Return (data or None, diagnostics) of YAML `text` read from p.yaml, bounded in time."""
    with time_bound(2):
        located, problems = yamlpos.load(text, "p.yaml")
    return (located.data if located else None), problems


def validate(model, text: str):
    """Return (instance or None, diagnostics) of YAML `text` read as `model`."""
    located, problems = yamlpos.load(text, "p.yaml")
    assert not problems
    return schema.validate(model, located, "p.yaml", {"languages": ["sq", "sr", "en"]})


def message(model, text: str) -> tuple[int, int, str, str]:
    """Return where, what and the hint of the one error of YAML `text` read as `model`."""
    _, [problem] = validate(model, text)
    return problem.line, problem.col, problem.message, problem.hint


# Aliases and nesting.

def test_aliases_repeating_more_than_ten_thousand_values_are_an_error_at_the_alias():
    data, [problem] = load(laughs(5))
    assert data is None
    assert (problem.line, problem.col) == (5, 10)
    assert problem.message == "the aliases (*l3 and others) repeat more than 10000 values"
    assert problem.hint == "write the values out instead of repeating them with aliases"


def test_a_billion_laughs_is_refused_before_it_is_expanded():
    _, [problem] = load(laughs(9))
    assert "repeat more than 10000 values" in problem.message


def test_aliases_within_the_limit_repeat_their_values():
    data, problems = load("a: &x {sq: Energji, en: Energy}\nb: *x\nc: [*x, *x]\n")
    assert problems == []
    assert data["b"] == data["c"][1] == {"sq": "Energji", "en": "Energy"}


@pytest.mark.parametrize("text", ["a: &a [1, *a]\n", "a: &a {b: *a}\n"], ids=["list", "mapping"])
def test_an_alias_inside_the_value_it_names_is_an_error(text):
    data, [problem] = load(text)
    assert (problem.line, problem.col, problem.message) == (1, 11, "the alias *a is used inside the value it names")


@pytest.mark.parametrize("text, line, col", [
    ("[" * 2000 + "]" * 2000, 1, 51),
    ("a: " + "{a: " * 2000 + "1" + "}" * 2000, 1, 197),
    ("".join("  " * level + "a:\n" for level in range(2000)) + "  " * 2000 + "1\n", 50, 99),
    ("- " * 2000 + "x\n", 1, 101),
], ids=["flow-lists", "flow-mappings", "block-mappings", "block-lists"])
def test_nesting_deeper_than_fifty_levels_is_an_error_at_the_51st(text, line, col):
    data, [problem] = load(text)
    assert (problem.line, problem.col, problem.message) == (line, col, "the data is nested more than 50 levels deep")
    assert problem.hint == "write lists and mappings at most 50 levels inside each other"


def test_fifty_levels_of_nesting_are_read():
    data, problems = load("[" * 50 + "]" * 50)
    assert problems == [] and len(str(data)) == 100


def test_aliases_that_nest_deeper_than_fifty_levels_are_an_error():
    chain = "a0: &a0 [1]\n" + "".join(f"a{n}: &a{n} [*a{n - 1}]\n" for n in range(1, 60))
    _, [problem] = load(chain)
    assert (problem.line, problem.message) == (49, "with the alias *a47, the data is nested more than 50 levels deep")


@pytest.mark.parametrize("title", ["*bold", "*bold*"])
def test_an_undefined_alias_says_how_to_write_a_star(title):
    _, [problem] = load(f"title: {title}\n")
    assert problem.message.startswith("this YAML cannot be read")
    assert "put a text that starts with * in double quotes" in problem.hint


# Scalars stay the text that was written.

@pytest.mark.parametrize("written, read", [
    ("0x10", "0x10"), ("1_000", "1_000"), ("012", "012"), ("No", "No"), ("1.0", "1.0"), ("~", None),
    ("!!binary AQID", "AQID"), ("!!python/name:os.system", ""),
])
def test_values_are_read_as_written_except_null(written, read):
    data, problems = load(f"title: {written}\n")
    assert (data, problems) == ({"title": read}, [])


def test_yes_and_no_are_still_true_and_false_where_a_flag_is_expected():
    meta, problems = validate(schema.NewsMeta, "title: No\ndate: 2021-02-10\ndraft: yes\ntranslation_reviewed: off\n")
    assert problems == []
    assert (meta.title, meta.draft, meta.translation_reviewed) == ("No", True, False)


# Project sheets.

@pytest.mark.parametrize("amount", ["1_000", "0x10", "+5", "1e6000", "5.123", ".nan", "007", "1,000", "1 000"])
def test_an_amount_is_digits_with_at_most_two_decimals(amount):
    line, col, said, hint = message(schema.ProjectSheet, f"title: x\nbudget:\n  currency: EUR\n  total: {amount}\n")
    assert (line, col, said) == (4, 10, f'budget.total: "{amount}" is not an amount')
    assert hint.startswith("write amounts like 535295.52")


@pytest.mark.parametrize("amount", ["-0", "-5", "-0.5"])
def test_an_amount_with_a_minus_sign_is_not_positive(amount):
    said = message(schema.ProjectSheet, f"title: x\nbudget: {{currency: EUR, total: {amount}}}\n")[2]
    assert said == f'budget.total: "{amount}" is not a positive amount'


def test_an_amount_of_more_than_twelve_digits_is_too_large():
    said = message(schema.ProjectSheet, "title: x\nbudget: {currency: EUR, total: 1000000000000}\n")[2]
    assert said == 'budget.total: "1000000000000" is too large for an amount'


def test_amounts_keep_their_exact_value():
    sheet, problems = validate(schema.ProjectSheet, "title: x\nbudget: {currency: EUR, total: 999999999999.99, "
                                                    "eu_contribution: 0}\n")
    assert problems == [] and str(sheet.budget.total) == "999999999999.99" and sheet.budget.eu_contribution == 0


def test_a_total_of_zero_is_an_error():
    assert message(schema.ProjectSheet, "title: x\nbudget: {currency: EUR, total: 0, eu_contribution: 0}\n")[:3] \
        == (2, 32, "budget.total: must be more than 0")


@pytest.mark.parametrize("code, hint", [
    ("QQQ", "write the three-letter ISO 4217 code, such as EUR"),
    ("eur", 'did you mean "EUR"?'),
    ("EUE", 'did you mean "EUR"?'),
    ('"EUR\\n"', 'did you mean "EUR"?'),
])
def test_a_currency_must_be_one_babel_knows(code, hint):
    line, col, said, got = message(schema.ProjectSheet, f"title: x\nbudget:\n  currency: {code}\n  total: 5\n")
    assert (line, col, got) == (3, 13, hint)
    assert said.startswith("budget.currency: ") and said.endswith(" is not a currency code")


@pytest.mark.parametrize("text, line", [
    ("title: {}\n", 1), ("title: x\nsector: {}\n", 2), ("title: x\npurposes: [{}]\n", 2),
])
def test_an_empty_mapping_of_texts_is_an_error(text, line):
    got_line, _, said, hint = message(schema.ProjectSheet, text)
    assert got_line == line and said.endswith(": has no text in any language")
    assert "one line per language" in hint


@pytest.mark.parametrize("text, said", [
    ("title: x\nactivities: [{id: \"A1\\n\", text: a}]\n", 'activities.0.id: "A1\\n" is not an id'),
    ("title: x\nwebsite: \"https://example.org\\n\"\n", 'website: "https://example.org\\n" is not a web address'),
    ("title: x\nstart_date: [2021]\n", "start_date: should be a date in the form YYYY-MM-DD"),
    ("title: x\nbudget: {currency: EUR, total: [1]}\n", "budget.total: should be an amount"),
])
def test_values_of_the_wrong_form_are_named_with_their_invisible_characters(text, said):
    assert message(schema.ProjectSheet, text)[2] == said


# Front matter and configuration.

@pytest.mark.parametrize("key, value", [("project", '"p\\n"'), ("translation_key", '"a\\n"'), ("tags", '["a\\n"]')])
def test_an_id_with_a_final_newline_is_not_valid(key, value):
    said = message(schema.NewsMeta, f"title: x\ndate: 2021-02-10\n{key}: {value}\n")[2]
    assert said.endswith('\\n" is not a valid id')


def test_a_file_name_or_language_code_with_a_final_newline_is_not_a_slug():
    assert schema.SLUG_RE.match("a\n") is None
    assert content.check_slug("content/news/a\n.sq.md", "a\n") is not None


def test_updated_before_date_is_an_error_at_updated():
    assert message(schema.NewsMeta, "title: x\ndate: 2021-02-10\nupdated: 2021-02-09\n")[:3] \
        == (3, 10, "updated: is before date")


def test_updated_on_the_day_of_date_is_fine():
    assert validate(schema.NewsMeta, "title: x\ndate: 2021-02-10\nupdated: 2021-02-10\n")[1] == []


@pytest.mark.parametrize("value", ["1_0", "10.0", "0x10", "-1"])
def test_a_count_in_the_configuration_is_plain_digits(value):
    text = ("title: {sq: a}\nbase_url: https://example.org\ndefault_language: sq\n"
            "languages: {sq: {locale: sq, name: S}}\n")
    said = message(schema.SiteConfig, text + f"per_page: {value}\n")[2]
    assert said == f'per_page: "{value}" is not a whole number'


# Sectors.

@pytest.mark.parametrize("text, expected", [
    ("Mirëqenie Sociale", "mireqenie-sociale"),
    ("Арсим", "arsim"),
    ("Социјално старање", "socijalno-staranje"),
    ("Ενέργεια", "sector-7b9c21"),
    ("طاقة", "sector-72ea43"),
    ("!!!", "sector-e84c53"),
])
def test_a_sector_id_is_its_latin_words_or_a_stable_hash(text, expected):
    assert routes.term_id("sector", text) == expected


# Whole builds.

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Return a small site with an article and two project sheets that built once."""
    files = {ARTICLE: article(extra="project: p\n"), SHEETS[0]: GOOD_SHEET, SHEETS[1]: GOOD_SHEET.replace("P", "Q")}
    return good_site(tmp_path_factory.mktemp("yaml") / "site", files)


def mistakes(front: str = "", p: str = GOOD_SHEET, q: str = GOOD_SHEET):
    """Return a mutation that writes the article with `front` added to its front matter, and both sheets."""
    def apply(root):
        (root / ARTICLE).write_text(article(extra="project: p\n" + front), encoding="utf-8")
        (root / SHEETS[0]).write_text(p, encoding="utf-8")
        (root / SHEETS[1]).write_text(q, encoding="utf-8")
    return apply


def test_build_refuses_an_alias_bomb_in_front_matter_quickly(built):
    bomb = "".join("x" + line + "\n" for line in laughs(8).splitlines())  # keys xl0..xl8: lines 6 to 14
    assert_rejected(built, mistakes(front=bomb),
                    f"{ARTICLE}:10:11: error: the aliases (*l3 and others) repeat more than 10000 values",
                    timeout=20)


def test_build_reports_deep_nesting_in_front_matter_and_sheet_together(built):
    assert_rejected(built, mistakes(front="extra: " + "[" * 2000 + "]" * 2000 + "\n",
                                    p="title: P\nsector: " + "{a: " * 2000 + "}" * 2000 + "\n"),
                    f"{ARTICLE}:6:57: error: the data is nested more than 50 levels deep",
                    f"{SHEETS[0]}:2:202: error: the data is nested more than 50 levels deep", timeout=20)


def test_build_reports_every_sheet_value_that_used_to_crash_or_pass(built):
    assert_rejected(built, mistakes(
        front="updated: 2021-02-01\n",
        p="title: P\nbudget: {currency: EUR, total: 0, eu_contribution: 0}\n",
        q="title: {}\nbudget:\n  currency: QQQ\n  total: 1_000\n"),
        f"{ARTICLE}:6:10: error: updated: is before date",
        f"{SHEETS[0]}:2:32: error: budget.total: must be more than 0",
        f"{SHEETS[1]}:1:8: error: title: has no text in any language",
        f'{SHEETS[1]}:3:13: error: budget.currency: "QQQ" is not a currency code',
        f'{SHEETS[1]}:4:10: error: budget.total: "1_000" is not an amount')


def test_two_sectors_that_make_one_id_are_an_error_not_one_page(built):
    assert_rejected(built, mistakes(p="title: P\nsector: Energji\n", q="title: Q\nsector: Energji!\n"),
                    f"{SHEETS[1]}:2:9: error: the sector \"Energji!\" has the same web address (energji) as \"Energji\" in {SHEETS[0]}")


def test_sector_clash_names_both_sheets_and_the_line(tmp_path):
    root = make_site(tmp_path / "site", {SHEETS[0]: "title: P\nsector: {en: Energy, sq: Energji}\n",
                                         SHEETS[1]: "title: Q\n\nsector: Energji!\n"})
    site, _ = config.load(root)
    files, _ = content.discover(site)
    _, projects, _ = content.parse_all(site, files)
    base, _ = graph.build(site, [], projects)
    [problem] = routes.sector_clashes(base)
    assert (problem.path, problem.line) == (SHEETS[1], 3)
    assert problem.message == f'the sector "Energji!" has the same web address (energji) as "Energji" in {SHEETS[0]}'


def test_sectors_written_in_cyrillic_and_greek_get_pages_of_their_own(tmp_path):
    root = good_site(tmp_path / "site", {SHEETS[0]: "title: P\nsector: {sq: Арсим, en: Education}\n",
                                         SHEETS[1]: "title: Q\nsector: {sq: Ενέργεια, en: Energy}\n"})
    pages = sorted(p.parent.name for p in (root / "public/en/sectors").glob("*/index.html"))
    assert pages == ["arsim", "sector-7b9c21"]
