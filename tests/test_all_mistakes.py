"""Every mistake of every stage in one run: an officer fixes them all after a single build."""

from __future__ import annotations

from conftest import article, make_site
from harness import assert_rejected, build_cli, good_site, write


def errors_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def test_mistakes_of_parsing_routes_markdown_and_links_come_out_in_one_build(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    mistakes = [
        write("content/news/b.sq.md", article(extra="sumary: x\n")),                     # unknown key
        write("content/news/2021.sq.md", article("Vit")),                                 # takes the year list's URL
        write("content/news/c.sq.md", article(body="Shih [projektin](../projects/nope.yaml).")),  # missing project
        write("content/news/d.sq.md", article(body='<a href="/sq/nothing/">këtu</a>')),  # missing page
    ]
    result = assert_rejected(root, lambda r: [m(r) for m in mistakes],
                             'content/news/b.sq.md:5:1: error: unknown key "sumary"',
                             "content/news/2021.sq.md: error: /sq/news/2021/ is made twice",
                             'content/news/c.sq.md:7: error: the link "../projects/nope.yaml" leads to no content file',
                             "content/news/d.sq.md: error: /sq/news/d/index.html links to /sq/nothing/")
    assert len(errors_of(result.stderr)) == 4, result.stderr
    assert "not checked" not in result.stderr


def test_a_link_to_a_file_with_errors_is_not_reported_again(tmp_path):
    root = make_site(tmp_path / "site", {
        "content/news/a.sq.md": article(body="Shih [b](b.sq.md)."),
        "content/news/b.sq.md": article(date="2021-02-30"),
    })
    result = build_cli(root)
    assert result.returncode == 1
    assert errors_of(result.stderr) == ['content/news/b.sq.md:3:7: error: date: "2021-02-30" is not a real calendar date']


def test_when_pages_cannot_be_rendered_the_report_says_more_may_follow(tmp_path):
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": article(body='<a href="/sq/nothing/">x</a>'),
                                         "content/news/b.sq.md": article(date="2021-02-30")})
    (root / "templates/page.html").write_text("{% block x %}\n{{ oops(}\n", encoding="utf-8")
    result = build_cli(root)
    assert result.returncode == 1
    assert [e.split(": error: ")[0] for e in errors_of(result.stderr)] == ["content/news/b.sq.md:3:7",
                                                                           "templates/page.html:2"]
    assert ("not checked until these are fixed, so more problems may appear after: the pages were not rendered, "
            "so their links were not checked") in result.stderr


def test_an_unknown_organisation_comes_out_with_the_other_mistakes_of_the_build(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article(),
                                         "content/organisations.yaml": "komf: {name: KOMF}\n"})
    mistakes = [
        write("content/projects/p.yaml", "title: P\nimplementing_agency: kmof\n"),       # misspelt organisation id
        write("content/news/b.sq.md", article(extra="sumary: x\n")),                     # unknown key
    ]
    result = assert_rejected(root, lambda r: [m(r) for m in mistakes],
                             'content/projects/p.yaml:2:22: error: there is no organisation "kmof" in '
                             "content/organisations.yaml",
                             'did you mean "komf"?',
                             'content/news/b.sq.md:5:1: error: unknown key "sumary"')
    assert len(errors_of(result.stderr)) == 2, result.stderr
