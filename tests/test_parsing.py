"""Parsing stages on strings: front matter, YAML positions, schemas, encodings."""

from __future__ import annotations

from dritare import frontmatter, schema, sources, yamlpos
from dritare.errors import did_you_mean


def validate(model, text: str, offset: int = 0, languages=("sq", "sr", "en")):
    located, problems = yamlpos.load(text, "f.md", offset)
    assert not problems
    return schema.validate(model, located, "f.md", {"languages": list(languages)})


def test_split_keeps_line_numbers_of_front_matter_and_body():
    parts, problems = frontmatter.split("a.md", "---\ntitle: x\ndate: 2021-01-01\n---\n\nBody\n")
    assert problems == []
    assert parts.meta == "title: x\ndate: 2021-01-01"
    assert (parts.meta_line, parts.body_line) == (2, 5)
    assert parts.body.strip() == "Body"


def test_missing_front_matter_says_how_to_start_the_file():
    parts, [problem] = frontmatter.split("a.md", "title: x\n")
    assert parts is None
    assert (problem.line, problem.message) == (1, "the file does not start with front matter")
    assert '"---"' in problem.hint


def test_unclosed_front_matter_is_an_error():
    _, [problem] = frontmatter.split("a.md", "---\ntitle: x\n\nText\n")
    assert problem.message == "the front matter is never closed"


def test_yaml_syntax_error_points_at_the_file_line():
    located, [problem] = yamlpos.load("title: a\ndate: b: c\n", "a.md", line_offset=1)
    assert located is None
    assert (problem.path, problem.line, problem.col) == ("a.md", 3, 8)


def test_duplicate_key_is_reported_with_both_lines():
    _, [problem] = yamlpos.load("title: a\ntitle: b\n", "a.md")
    assert (problem.line, problem.message) == (2, 'the key "title" is written twice')
    assert "line 1" in problem.hint


def test_money_and_dates_stay_exact_text_until_the_schema():
    located, _ = yamlpos.load("total: 535295.52\nday: 2021-02-10\n", "p.yaml")
    assert located.data == {"total": "535295.52", "day": "2021-02-10"}


def test_unknown_key_gets_a_did_you_mean_hint_at_its_position():
    meta, [problem] = validate(schema.NewsMeta, "title: x\ndate: 2021-02-10\nsumary: y\n", offset=1)
    assert meta is None
    assert (problem.line, problem.col, problem.message) == (4, 1, 'unknown key "sumary"')
    assert problem.hint == 'did you mean "summary"?'


def test_impossible_date_is_an_error_at_the_value():
    _, [problem] = validate(schema.NewsMeta, "title: x\ndate: 2021-02-30\n")
    assert (problem.line, problem.col) == (2, 7)
    assert "not a real calendar date" in problem.message


def test_date_in_another_format_is_an_error():
    _, [problem] = validate(schema.NewsMeta, "title: x\ndate: 10.02.2021\n")
    assert "YYYY-MM-DD" in problem.message


def test_missing_required_key_names_it():
    _, [problem] = validate(schema.NewsMeta, "title: x\n")
    assert problem.message == 'the key "date" is missing'


def test_every_error_of_a_file_is_reported_at_once():
    # A tag written as a label ("Not A Slug") is answered later, against content/tags.yaml; a line break is not.
    _, problems = validate(schema.NewsMeta, 'title: \ndate: 2021-13-01\ntags: ["not\\na-tag"]\nfoo: 1\n')
    assert len(problems) == 4


def test_money_is_decimal_and_exact():
    sheet, problems = validate(schema.ProjectSheet, "title: x\nbudget: {currency: EUR, total: 535295.52, "
                                                    "eu_contribution: 480963.02}\n")
    assert problems == []
    assert str(sheet.budget.total) == "535295.52"
    assert str(sheet.budget.total - sheet.budget.eu_contribution) == "54332.50"


def test_eu_contribution_above_total_is_an_error():
    _, [problem] = validate(schema.ProjectSheet, "title: x\nbudget: {currency: EUR, total: 1, eu_contribution: 2}\n")
    assert problem.message == "budget.eu_contribution: is larger than total"


def test_end_before_start_is_an_error():
    _, [problem] = validate(schema.ProjectSheet, "title: x\nstart_date: 2022-01-01\nend_date: 2021-01-01\n")
    assert (problem.line, problem.message) == (3, "end_date: is before start_date")


def test_text_field_in_an_unknown_language_is_an_error_with_hint():
    _, [problem] = validate(schema.ProjectSheet, "title:\n  sq: a\n  rs: b\n")
    assert '"rs" is not a language of this site' in problem.message
    assert problem.hint == 'did you mean "sr"?'


def test_duplicate_activity_ids_are_an_error():
    text = "title: x\nactivities:\n  - {id: A1, text: a}\n  - {id: A1, text: b}\n"
    _, [problem] = validate(schema.ProjectSheet, text)
    assert 'the id "A1" is used twice' in problem.message


def test_list_given_where_text_expected_is_one_clear_error():
    _, [problem] = validate(schema.ProjectSheet, "title: [a, b]\n")
    assert problem.message == "title: should be a text, or one text per language"


def test_utf8_bom_and_crlf_are_accepted_and_text_is_nfc():
    text, problems = sources.decode("a.md", "\ufeff---\r\ntitle: e\u0308\r\n".encode("utf-8"))
    assert problems == []
    assert text == "---\ntitle: \u00eb\n"


def test_windows_1250_file_is_an_error_naming_the_line_of_the_first_bad_byte():
    data = "---\ntitle: ok\n---\nČlanak o Kosovu\n".encode("cp1250")
    text, [problem] = sources.decode("a.sr.md", data)
    assert text is None
    assert (problem.line, problem.col) == (4, 1)
    assert "UTF-8" in problem.hint


def test_did_you_mean_lists_choices_when_nothing_is_close():
    assert did_you_mean("zzz", ["title", "date"]) == "valid keys: date, title"


def test_invisible_control_characters_are_replaced_with_a_warning():
    text, [problem] = sources.decode("a.md", "---\ntitle: a\x0bb\n".encode("utf-8"))
    assert text == "---\ntitle: a b\n"
    assert (problem.severity, problem.line, problem.col) == ("warning", 2, 9)
