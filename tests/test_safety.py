"""Bad content never reaches the reader: sanitised HTML, checked links, safe paths and encodings."""

from __future__ import annotations

import os

import pytest

from conftest import BUILD_DATE, REPO, article, parse_html, run_cli
from harness import time_bound
from dritare import markdown_html, pipeline
from dritare.errors import BuildFailed

HOST = "transparency.example.org"


def render(text, resolve=lambda path: None):
    return markdown_html.render(text, resolve, HOST)


@pytest.mark.parametrize("raw", [
    "<script>alert(1)</script>",
    '<img src="x.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '[x](javascript:alert(1))',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<iframe src="https://example.com"></iframe>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name="q"></form>',
    '<svg onload="alert(1)"></svg>',
    '<p style="background:url(javascript:alert(1))">x</p>',
])
def test_dangerous_html_in_articles_is_removed(raw):
    html, _ = render(f"Teksti.\n\n{raw}\n")
    lowered = html.lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "data:", "<iframe", "<style", "<form", "<input",
                "style="):
        assert bad not in lowered, (raw, html)


def test_ordinary_formatting_survives_sanitising():
    html, _ = render("## Titull\n\n- një\n- dy\n\n**fort** *pjerrët* <abbr title=\"Bashkimi Evropian\">BE</abbr>\n\n"
                     "| a | b |\n|---|---|\n| 1 | 2 |\n")
    for kept in ("<h2>", "<li>një</li>", "<strong>fort</strong>", "<em>", '<abbr title="Bashkimi Evropian">',
                 "<table>", "<td>1</td>"):
        assert kept in html


def test_external_links_get_noopener_and_internal_ones_do_not():
    html, _ = render(f'[a](https://ec.europa.eu/) [b](https://{HOST}/sq/) <a href="https://x.org" rel="opener">c</a>')
    assert '<a href="https://ec.europa.eu/" rel="noopener noreferrer">a</a>' in html
    assert f'<a href="https://{HOST}/sq/">b</a>' in html
    assert '<a href="https://x.org" rel="noopener noreferrer">c</a>' in html


def test_hotlinked_image_is_a_warning_not_an_error():
    _, [problem] = render("![foto](https://scontent.example.net/a.jpg)")
    assert not problem.fatal and "another website" in problem.message


def build(root, **options):
    return pipeline.build(pipeline.Options(site_root=root, out_dir=root / "public", build_date=BUILD_DATE, **options))


def failure(root) -> str:
    with pytest.raises(BuildFailed) as failed:
        build(root)
    return failed.value.report.format()


def test_links_to_source_files_become_urls_in_the_page_language(site_factory):
    root = site_factory({
        "content/projects/kosint-2020.yaml": "title: {sq: K, en: K}\n",
        "content/news/a.sq.md": article(body="[projekti](../projects/kosint-2020.yaml) [b](b.sq.md#fund)"),
        "content/news/a.en.md": article("A", body="[project](../projects/kosint-2020.yaml) [b](b.sq.md)"),
        "content/news/b.sq.md": article("B"),
    })
    build(root)
    english = parse_html(root / "public/en/news/a/index.html").select_one(".prose")
    assert [a["href"] for a in english.find_all("a")] == ["/en/projects/kosint-2020/", "/sq/news/b/"]
    albanian = parse_html(root / "public/sq/news/a/index.html").select_one(".prose")
    assert [a["href"] for a in albanian.find_all("a")] == ["/sq/projects/kosint-2020/", "/sq/news/b/#fund"]


def test_link_to_missing_content_is_an_error_at_its_line(site_factory):
    root = site_factory({"content/news/a.sq.md": article(body="Rreshti një.\n\nShih [këtu](zhdukur.sq.md).")})
    assert 'content/news/a.sq.md:9: error: the link "zhdukur.sq.md" leads to no content file' in failure(root)


def test_template_link_to_a_page_that_is_not_built_fails_the_build(site_factory):
    root = site_factory({"content/news/a.sq.md": article()})
    base = root / "templates/base.html"
    base.write_text(base.read_text().replace("</footer>", '<a href="/sq/missing/">x</a></footer>'))
    assert "links to /sq/missing/, which is not a page of the site" in failure(root)


@pytest.mark.parametrize("name, message", [
    ("content/news/Lajm i Ri.sq.md", '"Lajm i Ri" cannot be used in a web address'),
    ("content/news/con.sq.md", '"con" is a reserved name'),
    ("content/news/a.sq.md", 'translation_key: "../../etc" is not a valid id'),
    ("content/news/b.sq.md", 'project: "/etc/passwd" is not a valid id'),
])
def test_names_that_could_leave_the_site_or_are_not_urls_are_errors(site_factory, name, message):
    extra = {"content/news/a.sq.md": 'translation_key: "../../etc"\n',
             "content/news/b.sq.md": 'project: "/etc/passwd"\n'}.get(name, "")
    root = site_factory({name: article(extra=extra)})
    assert message in failure(root)


def test_symlink_pointing_outside_the_site_is_an_error(site_factory, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(article("Sekret"))
    root = site_factory({})
    (root / "content/news").mkdir(parents=True)
    os.symlink(secret, root / "content/news/s.sq.md")
    assert "content/news/s.sq.md: error: this link points outside the site folder" in failure(root)


def test_iso_8859_2_file_is_an_error_naming_its_line(site_factory):
    data = "---\ntitle: Sastanak\ndate: 2021-02-10\n---\n\nOpština Štrpce\n".encode("iso-8859-2")
    root = site_factory({"content/news/a.sr.md": data})
    assert "content/news/a.sr.md:6:3: error: the file is not UTF-8 (byte 0xb9)" in failure(root)


def test_crlf_and_bom_files_build_and_decomposed_letters_are_composed(site_factory):
    text = "\ufeff---\r\ntitle: \"Takimi n\u0065\u0308 Prishtine\u0308\"\r\ndate: 2021-02-10\r\nsummary: s\r\n---\r\n\r\nTekst\r\n"
    root = site_factory({"content/news/a.sq.md": text.encode("utf-8")})
    build(root)
    title = parse_html(root / "public/sq/news/a/index.html").h1.get_text()
    assert title == "Takimi në Prishtinë"


def test_missing_translation_is_a_warning_when_untranslated_articles_are_hidden(site_factory):
    root = site_factory({"content/news/a.sq.md": article()})
    config = root / "site_config.yaml"
    config.write_text(config.read_text().replace("list_untranslated: true", "list_untranslated: false"))
    warnings = [d.message for d in build(root).report.warnings]
    assert "there is no Srpski translation; the article does not appear in that language" in warnings


def test_real_site_builds_with_strict():
    result = run_cli("check", "--strict", "--site", str(REPO))
    assert result.returncode == 0, result.stderr


def test_source_date_epoch_fixes_the_status_date(site_factory, monkeypatch):
    root = site_factory({"content/projects/p.yaml": "title: P\nstart_date: 2020-01-01\nend_date: 2020-12-31\n"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1593561600")  # 2020-07-01
    pipeline.build(pipeline.Options(site_root=root, out_dir=root / "public"))
    page = parse_html(root / "public/en/projects/p/index.html").get_text(" ")
    assert "Status as of 1 July 2020" in " ".join(page.split())


def test_output_does_not_depend_on_where_the_site_is(tmp_path):
    import shutil
    outputs = []
    for name in ("a", "b/c"):
        copy = tmp_path / name / "site"
        shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".venv", ".git", "public", "tests", "*.pyc"))
        build(copy)
        outputs.append({p.relative_to(copy / "public"): p.read_bytes() for p in (copy / "public").rglob("*")
                        if p.is_file()})
    assert outputs[0] == outputs[1]


def test_paragraph_with_thousands_of_brackets_is_an_error_not_a_hang():
    with time_bound(15):
        html, [problem] = render("Hyrja.\n\n" + "[x" * 8000 + "\n")
    assert html == "" and problem.fatal and problem.line == 2
    assert problem.message.startswith("this paragraph takes too long to turn into HTML")
    assert problem.hint.startswith('it has 8000 "[": split it into shorter paragraphs')


def test_removed_html_is_named_in_a_warning_at_its_line(site_factory):
    root = site_factory({"content/news/a.sq.md": article(body='Hyrja.\n\n<iframe src="https://video.example"></iframe>\n'
                                                             '<a href="javascript:alert(1)" onclick="x">z</a>')})
    [problem] = [w for w in build(root).report.warnings if "removed" in w.message]
    assert problem.line == 9
    assert problem.message == ('this HTML is removed from the page: <iframe>, <a href="javascript:alert(1)">, '
                               "<a onclick>")
