"""The build command as an officer runs it: summaries, errors with path:line:col, exit codes."""

from __future__ import annotations

import pytest

from conftest import article, run_cli
from dritare import pipeline


def build(root, *extra):
    return run_cli("build", "--site", str(root), "--build-date", "2021-06-01", *extra)


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_prints_a_one_line_summary_per_language(site_factory):
    root = site_factory({"content/news/a.sq.md": article(), "content/news/a.en.md": article("A")})
    result = build(root)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("built ") and "(sq " in line and ", en " in line and line.endswith(" s")
    assert (root / "public/en/news/a/index.html").is_file()


def test_out_option_chooses_the_output_folder(site_factory, tmp_path):
    root = site_factory({"content/news/a.sq.md": article()})
    assert build(root, "--out", str(tmp_path / "elsewhere")).returncode == 0
    assert (tmp_path / "elsewhere/sq/news/a/index.html").is_file()


@pytest.mark.parametrize("rel, text, expected", [
    ("content/news/a.sq.md", article(extra="sumary: x\n"),
     'content/news/a.sq.md:5:1: error: unknown key "sumary"\n    hint: did you mean "summary"?'),
    ("content/news/a.sq.md", article(date="2021-02-30"),
     'content/news/a.sq.md:3:7: error: date: "2021-02-30" is not a real calendar date'),
    ("content/news/a.sq.md", article(extra="project: kosint\n"),
     'content/news/a.sq.md:5:10: error: there is no project "kosint"'),
    ("content/news/a.xx.md", article(), 'content/news/a.xx.md: error: "xx" is not a language of this site'),
    ("content/news/a.sq.md", "---\ntitle: [unclosed\n---\n", 
     "content/news/a.sq.md:2:17: error: this YAML cannot be read: while parsing a flow sequence expected ',' or ']'"
     ", but got '<stream end>'\n    hint: a list written in [brackets] must end with ]"),
    ("content/news/a.sq.md", "Just text, no front matter\n",
     "content/news/a.sq.md:1:1: error: the file does not start with front matter"),
    ("content/projects/p.yaml", "title: P\nbudget: {currency: EUR, total: -5}\n",
     'content/projects/p.yaml:2:32: error: budget.total: "-5" is not a positive amount'),
])
def test_content_mistake_gives_path_line_message_and_exit_1(site_factory, rel, text, expected):
    root = site_factory({rel: text})
    result = build(root)
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_all_errors_of_a_build_are_reported_at_once_in_order(site_factory):
    root = site_factory({
        "content/news/b.sq.md": article(date="2021-02-30"),
        "content/news/a.sq.md": article(extra="sumary: x\n"),
        "content/projects/p.yaml": "title: P\nstart: 2020-01-01\n",
    })
    result = build(root)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [e.split(":")[0] for e in errors] == ["content/news/a.sq.md", "content/news/b.sq.md", "content/projects/p.yaml"]
    assert "3 error(s)" in result.stderr


def test_failed_build_leaves_the_previous_site_untouched(site_factory):
    root = site_factory({"content/news/a.sq.md": article()})
    assert build(root).returncode == 0
    before = snapshot(root / "public")
    (root / "content/news/a.sq.md").write_text(article(date="2021-13-01"), encoding="utf-8")
    (root / "content/news/b.sq.md").write_text(article("New"), encoding="utf-8")
    assert build(root).returncode == 1
    assert snapshot(root / "public") == before


def test_warnings_do_not_fail_unless_strict(site_factory):
    root = site_factory({"content/news/a.sq.md": "---\ntitle: T\ndate: 2021-01-01\n---\nText\n"})
    normal = build(root)
    assert normal.returncode == 0 and "warning: there is no summary" in normal.stderr
    assert build(root, "--strict").returncode == 1


def test_check_validates_without_writing(site_factory):
    root = site_factory({"content/news/a.sq.md": article()})
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 0 and "nothing written" in result.stdout
    assert not (root / "public").exists()


def test_output_folder_that_holds_the_sources_is_refused(site_factory):
    root = site_factory({"content/news/a.sq.md": article()})
    result = build(root, "--out", str(root))
    assert result.returncode == 1 and "holds the site's sources" in result.stderr
    assert (root / "content/news/a.sq.md").is_file()


def test_missing_config_is_a_clear_error(tmp_path):
    result = run_cli("build", "--site", str(tmp_path))
    assert result.returncode == 1 and "no site_config.yaml" in result.stderr


def test_unknown_config_key_is_an_error_with_hint(site_factory):
    root = site_factory({})
    config = root / "site_config.yaml"
    config.write_text(config.read_text().replace("per_page:", "per_pag:"), encoding="utf-8")
    result = build(root)
    assert result.returncode == 1
    assert 'site_config.yaml:' in result.stderr and 'did you mean "per_page"?' in result.stderr


def test_missing_interface_catalog_is_an_error(site_factory):
    root = site_factory({})
    (root / "locales/sr_Latn/LC_MESSAGES/messages.po").unlink()
    result = build(root)
    assert result.returncode == 1 and "no interface catalog for Srpski" in result.stderr


def test_template_mistake_names_the_template_and_line(site_factory):
    root = site_factory({"content/news/a.sq.md": article()})
    (root / "templates/unused.html").write_text("{% block x %}\n{{ oops(}\n", encoding="utf-8")
    result = build(root)
    assert result.returncode == 1 and "templates/unused.html:2: error: unexpected '}'" in result.stderr


def test_mistakes_found_by_different_checks_are_reported_together(site_factory):
    root = site_factory({
        "content/projects/kosint-2020.yaml": "title: K\nstart_date: 2021-02-30\n",
        "content/news/a.sq.md": article(extra="project: kosint-2020\n"),
        "content/news/b.sq.md": article(date="2021-02-30"),
        "content/news/c.sq.md": article(extra="project: nope\n"),
    })
    (root / "locales/en/LC_MESSAGES/messages.po").unlink()
    result = build(root)
    errors = [line.split(": error: ")[0] for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["content/news/b.sq.md:3:7", "content/news/c.sq.md:5:10", "content/projects/kosint-2020.yaml:2:13",
                      "locales/en/LC_MESSAGES/messages.po"]


def test_a_fault_of_the_generator_is_one_line_and_exit_70_with_the_traceback_on_request(site_factory, monkeypatch,
                                                                                      capsys):
    from dritare import cli
    root = site_factory({"content/news/a.sq.md": article()})
    monkeypatch.setattr(pipeline, "build", lambda options: {}["missing"])
    assert cli.main(["build", "--site", str(root)]) == 70
    said = capsys.readouterr().err
    assert "dritare: error: internal error: KeyError: 'missing'" in said and "Traceback" not in said
    assert cli.main(["build", "--site", str(root), "--traceback"]) == 70
    assert "Traceback" in capsys.readouterr().err
