"""What an officer pastes from Word or types by habit, and the message that names its line, column and fix:
every case through the command line, as the officer runs it."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import article, make_site, parse_html
from harness import assert_rejected, build_cli, good_site, write
from dritare import pipeline
from dritare.serve import BANNER_ID, Preview

TAGS = """\
civil-society:
  sq: Shoqëria civile
  sr: Civilno društvo
  en: Civil society
meetings:
  sq: Takime
  sr: Sastanci
  en: Meetings
"""


def front(*lines: str, body: str = "Teksti.") -> str:
    """Return an article whose front matter is `lines`, exactly as written (no dedenting)."""
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def built(root, *args: str):
    result = build_cli(root, *args)
    said = result.stdout + result.stderr
    assert "Traceback" not in said and "internal error" not in said, said
    return result


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line]


# --- spaces pasted from Word in the front matter ---------------------------------------------------------------

@pytest.mark.parametrize("space, name", [
    ("\u00a0", "a non-breaking space (U+00A0, pasted from Word?)"),
    ("\u202f", "a narrow non-breaking space (U+202F, pasted from Word?)"),
    ("\u2007", "a figure space (U+2007, pasted from Word?)"),
    ("\u3000", "an ideographic (wide) space (U+3000, pasted from Word?)"),
])
def test_a_unicode_space_after_a_key_is_named_at_its_line_and_column_and_read_as_a_space(tmp_path, space, name):
    # The key after it used to be blamed: "could not find expected ':'" one line too low.
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": front(
        "title: Takimi", "date: 2021-02-10", f"summary:{space}Përmbledhja e takimit.", "tags: [meetings]"),
        "content/tags.yaml": TAGS})
    result = built(root)
    assert result.returncode == 0, result.stderr
    assert warnings_of(result.stderr) == [f'content/news/a.sq.md:4:9: warning: {name} after "summary:" was read as a '
                                          "normal space"]
    assert "    hint: replace it with a normal space" in result.stderr
    page = parse_html(root / "public/sq/news/a/index.html")
    assert page.find("meta", attrs={"name": "description"})["content"] == "Përmbledhja e takimit."
    # CI checks with --strict: the officer has to replace it before it is published.
    strict = built(root, "--strict")
    assert strict.returncode == 1 and "content/news/a.sq.md:4:9: warning: " in strict.stderr


def test_a_zero_width_space_and_spaces_in_the_indentation_are_named_at_their_column(tmp_path):
    root = make_site(tmp_path / "site", {"content/projects/p.yaml": (
        "title:\n\u00a0 sq: Projekti\n  en: The project\nsector: Arsim\u200b\n"
        "iati: {publish: false, reason: not known}\n")})
    result = built(root)
    assert result.returncode == 0, result.stderr
    assert warnings_of(result.stderr) == [
        "content/projects/p.yaml:2:1: warning: a non-breaking space (U+00A0, pasted from Word?) at the start of the "
        "line was read as a normal space",
        "content/projects/p.yaml:4:14: warning: a zero-width space (U+200B, pasted from Word?) at the end of the line "
        "was taken out"]
    assert (root / "public/sq/sectors/arsim/index.html").is_file()


def test_a_non_breaking_space_inside_a_text_is_kept_without_a_warning(tmp_path):
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": article("Buxheti 535\u00a0295 €")})
    result = built(root)
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr
    assert "535\u00a0295 €" in parse_html(root / "public/sq/news/a/index.html").h1.get_text()


# --- typographic quotes around a value ---------------------------------------------------------------------------

@pytest.mark.parametrize("opening, closing", [("“", "”"), ("„", "“"), ("«", "»"), ("‘", "’")])
def test_a_title_in_typographic_quotes_is_published_without_them_and_named(tmp_path, opening, closing):
    # The colon inside used to give "mapping values are not allowed here", with a hint to use quotes.
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": front(
        f"title: {opening}Takimi: sot në Prizren{closing}", "date: 2021-02-10", "summary: P.")})
    result = built(root)
    assert result.returncode == 0, result.stderr
    assert warnings_of(result.stderr) == [
        f'content/news/a.sq.md:2:8: warning: the value of "title" is in typographic quote marks {opening}…{closing} '
        "(from Word?): they were read as straight quotes, and are not published"]
    assert f'hint: write straight quotes: "Takimi: sot në Prizren"; to publish the marks, put the whole value in ' \
           f'straight quotes: "{opening}Takimi: sot në Prizren{closing}"' in result.stderr
    assert parse_html(root / "public/sq/news/a/index.html").h1.get_text() == "Takimi: sot në Prizren"


def test_typographic_quotes_inside_straight_ones_are_published(tmp_path):
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": front(
        'title: "Lansimi i Projektit “KOSINT 2020”"', "date: 2021-02-10", "summary: P.")})
    result = built(root)
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr
    assert parse_html(root / "public/sq/news/a/index.html").h1.get_text() == "Lansimi i Projektit “KOSINT 2020”"


# --- file names --------------------------------------------------------------------------------------------------

def test_a_file_name_with_diacritics_gets_the_whole_name_to_rename_it_to(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    assert_rejected(root, write("content/news/Punëtoria-në-Prizren.sq.md", article()),
                    'content/news/Punëtoria-në-Prizren.sq.md: error: "Punëtoria-në-Prizren" cannot be used in a web '
                    "address\n    hint: rename it to punetoria-ne-prizren.sq.md (")


def test_every_problem_of_a_file_name_is_fixed_in_one_round(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    assert_rejected(root, write("content/news/Punetoria ne Prizren.SQ.md", article()),
                    'content/news/Punetoria ne Prizren.SQ.md: error: "Punetoria ne Prizren" cannot be used in a web '
                    'address, and the language is written "sq", not "SQ"\n'
                    "    hint: rename it to punetoria-ne-prizren.sq.md (")
    (root / "content/news/Punetoria ne Prizren.SQ.md").rename(root / "content/news/punetoria-ne-prizren.sq.md")
    again = built(root)
    assert again.returncode == 0, again.stderr
    assert (root / "public/sq/news/punetoria-ne-prizren/index.html").is_file()


@pytest.mark.parametrize("name, hint", [
    ("Takimi në Prishtinë.md", "rename it to takimi-ne-prishtine.sq.md (languages: sq, sr, en)"),
    ("takimi.rs.md", 'did you mean "sr"? rename it to takimi.sr.md'),
    ("Takimi.sq.MD", "rename it to takimi.sq.md ("),
    ("index.sq.md", "rename the file, for example to index-1.sq.md"),
])
def test_other_wrong_file_names_get_the_whole_right_name(tmp_path, name, hint):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    assert_rejected(root, write(f"content/news/{name}", article()), f"content/news/{name}: error: ", f"hint: {hint}")


def test_a_project_sheet_name_gets_its_whole_name(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    assert_rejected(root, write("content/projects/Kosint 2020.yaml", "title: K\n"),
                    "hint: rename it to kosint-2020.yaml (")


# --- tags ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["Shoqëria civile", "shoqeria civile", "Civilno društvo", "CIVILNO DRUSTVO",
                                     "Civil society", "civil society"])
def test_a_tag_label_in_any_language_case_or_diacritics_is_answered_with_its_id(tmp_path, written):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article(), "content/tags.yaml": TAGS})
    assert_rejected(root, write("content/news/b.sq.md", article(extra=f"tags: [meetings, {written}]\n")),
                    f'content/news/b.sq.md:5:18: error: "{written}" is the label of the tag "civil-society", not its id'
                    "\n    hint: write civil-society, as in tags: [civil-society]")


@pytest.mark.parametrize("written, meant", [("meeting", "meetings"), ("civil-societ", "civil-society"),
                                            ("Shoqeria civil", "civil-society")])
def test_an_unknown_tag_gets_a_did_you_mean_from_the_ids(tmp_path, written, meant):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article(), "content/tags.yaml": TAGS})
    assert_rejected(root, write("content/news/b.sq.md", article(extra=f"tags:\n  - {written}\n")),
                    f'content/news/b.sq.md:6:5: error: the tag "{written}" is not in content/tags.yaml\n'
                    f'    hint: did you mean "{meant}"?')


# --- translation keys --------------------------------------------------------------------------------------------

def test_a_mistyped_translation_key_is_a_warning_with_the_key_it_likely_means(tmp_path):
    root = make_site(tmp_path / "site", {
        "content/news/takimi-zqm.sq.md": article(extra="translation_key: sector-meetings-2019\n"),
        "content/news/sector-meetings-2019.en.md": article("Meetings"),
        "content/news/sektorski-sastanci.sr.md": article("Sastanci", extra="translation_key: sector-meeting-2019\n")})
    result = built(root)
    assert result.returncode == 0, result.stderr
    assert warnings_of(result.stderr) == [
        'content/news/sektorski-sastanci.sr.md:5:18: warning: the translation_key "sector-meeting-2019" is used by '
        "this file only, so no translation is linked to it"]
    assert ('hint: did you mean "sector-meetings-2019" (the key of content/news/takimi-zqm.sq.md, '
            "content/news/sector-meetings-2019.en.md)?") in result.stderr
    assert built(root, "--strict").returncode == 1


def test_files_of_the_same_name_with_different_keys_are_told_so(tmp_path):
    root = make_site(tmp_path / "site", {"content/news/takimi.sq.md": article(extra="translation_key: takimi-2021\n"),
                                         "content/news/takimi.en.md": article("Meeting")})
    result = built(root)
    assert result.returncode == 0, result.stderr
    assert warnings_of(result.stderr) == [
        "content/news/takimi.en.md: warning: this file has the same name as content/news/takimi.sq.md but is not "
        "linked to it as a translation: this file has no translation_key, content/news/takimi.sq.md has "
        'translation_key "takimi-2021"',
        "content/news/takimi.sq.md:5:18: warning: this file has the same name as content/news/takimi.en.md but is not "
        'linked to it as a translation: this file has translation_key "takimi-2021", content/news/takimi.en.md has '
        "no translation_key"]
    assert "hint: give the translations the same translation_key, or leave translation_key out" in result.stderr


def test_translations_linked_by_their_key_give_no_warning(tmp_path):
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": article(extra="translation_key: k\n"),
                                         "content/news/b.en.md": article(extra="translation_key: k\n")})
    result = built(root)
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr


# --- lists pasted from Word ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("first, second, shown", [
    ("•\tNdërtimi i kapaciteteve", "•\tMonitorimi i reformave", '"•" (a list'),
    ("· Ndërtimi i kapaciteteve", "· Monitorimi i reformave", '"·" (a list'),
    ("– Ndërtimi i kapaciteteve", "– Monitorimi i reformave", '"–" (a list'),
    ("o\tNdërtimi i kapaciteteve", "o\tMonitorimi i reformave", '"o" and a tab (a list'),
])
def test_word_bullets_are_a_warning_at_their_line(tmp_path, first, second, shown):
    body = f"Synimet kyçe të Projektit janë:\n\n{first}\n{second}\n\nTeksti tjetër."
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": article(body=body)})
    result = built(root)
    assert result.returncode == 0, result.stderr
    # Front matter on lines 1-5, a blank line, the paragraph, a blank line: the first bullet is line 9.
    assert warnings_of(result.stderr) == [
        f"content/news/a.sq.md:9: warning: this line and the 1 after it start with {shown} pasted from Word?): "
        "Markdown does not see a list, and runs the items into one paragraph"]
    assert ('hint: start each item with "- " (a hyphen and a space), and leave a blank line before the list'
            in result.stderr)


def test_word_numbers_are_a_warning_with_the_markdown_way(tmp_path):
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": article(body="Hapat:\n\n1)\tTakimi\n2)\tRaporti")})
    result = built(root)
    assert warnings_of(result.stderr) == [
        'content/news/a.sq.md:9: warning: this line and the 1 after it start with "1)" (a numbered list pasted from '
        "Word?): Markdown does not see a list, and runs the items into one paragraph"]
    assert 'hint: start each item with a number, a dot and a space: "1. ", "2. "' in result.stderr


def test_a_list_with_no_blank_line_before_it_is_a_warning(tmp_path):
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": article(body="Synimet janë:\n- Një\n- Dy")})
    result = built(root)
    assert warnings_of(result.stderr) == [
        "content/news/a.sq.md:8: warning: this list follows a line of text with no blank line between them: "
        "Markdown runs the list into that paragraph"]


def test_markdown_lists_and_code_give_no_warning(tmp_path):
    body = ("Synimet janë:\n\n- Një\n- Dy\n  vazhdim\n\n1. Tre\n2. Katër\n\n```\n• kod\n1) kod\n```\n\n"
            "- Pesë\nvazhdim i pikës pa dhëmbëzim\n- Gjashtë")
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": article(body=body)})
    result = built(root)
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr


# --- the preview shows the warnings --------------------------------------------------------------------------------

def call(app, path):
    seen = {}
    body = b"".join(app({"PATH_INFO": path}, lambda status, headers: seen.update(status=status)))
    return seen["status"], body.decode("utf-8")


def test_the_preview_shows_warnings_in_a_box_that_folds_away_and_the_built_site_does_not(tmp_path):
    root = make_site(tmp_path / "site", {
        "content/news/a.sq.md": front("title: Takimi", "date: 2021-02-10", "summary:\u00a0P.", body="•\tNjë\n•\tDy"),
        "content/news/b.sq.md": article("Tjetri")})
    options = pipeline.Options(site_root=root, out_dir=root / "public", build_date=dt.date(2021, 6, 1))
    preview = Preview(root / "public")
    preview.rebuild(options)
    for path in ("/sq/news/b/", "/sq/", "/en/news/"):  # every page, not only the one with the mistake
        status, page = call(preview, path)
        assert status == "200 OK"
        box = parse_html_text(page).find(id=BANNER_ID)
        assert box is not None and box.name == "details" and box.has_attr("open"), path
        assert box.find("script") is None and box.summary.get_text().startswith("2 warning(s) in this build")
        items = [li.get_text(" ", strip=True) for li in box.find_all("li")]
        assert items[0].startswith("content/news/a.sq.md:4:9 a non-breaking space"), items
        assert items[1].startswith("content/news/a.sq.md:7 this line and the 1 after it start with"), items
        assert "fix: replace it with a normal space" in items[0]
    for built_page in (root / "public").rglob("*.html"):
        assert BANNER_ID not in built_page.read_text(encoding="utf-8"), built_page
    # Fixed and saved: the box goes away.
    (root / "content/news/a.sq.md").write_text(article(body="- Një\n- Dy"), encoding="utf-8")
    preview.rebuild(options)
    assert BANNER_ID not in call(preview, "/sq/news/b/")[1]


def parse_html_text(text: str):
    from bs4 import BeautifulSoup
    return BeautifulSoup(text, "html.parser")


@pytest.mark.parametrize("text, data", [
    ('title: "Takimi:\u00a0sot"\n', {"title": "Takimi:\u00a0sot"}),        # inside double quotes: kept
    ("title: Takimi\u00a0sot\n", {"title": "Takimi\u00a0sot"}),            # between words: kept
    ("tags: [a,\u00a0b]\n", {"tags": ["a", "b"]}),                          # after a comma: a space
    ("title\u00a0: T\n", {"title": "T"}),                                   # before the colon: a space
])
def test_where_a_unicode_space_is_structure_and_where_it_is_text(text, data):
    from dritare import yamlpos

    located, problems = yamlpos.load(text, "f.yaml")
    assert located.data == data
    assert len(problems) == (0 if data in ({"title": "Takimi:\u00a0sot"}, {"title": "Takimi\u00a0sot"}) else 1)


def test_serve_shows_the_warnings_on_its_pages_as_the_officer_runs_it(tmp_path):
    import subprocess
    import sys

    from conftest import REPO
    from test_serve import fetch, free_port, wait_for

    root = make_site(tmp_path / "site", {"content/news/a.sq.md": front(
        "title: Takimi", "date: 2021-02-10", "summary:\u00a0P.")})
    port = free_port()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(root), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: "Takimi" in fetch(f"http://127.0.0.1:{port}/sq/news/a/")[1]), "server did not start"
        box = parse_html_text(fetch(f"http://127.0.0.1:{port}/sq/news/a/")[1]).find(id=BANNER_ID)
        assert box.li.get_text(" ", strip=True).startswith("content/news/a.sq.md:4:9 a non-breaking space")
    finally:
        server.terminate()
        said = server.communicate(timeout=10)[0]
    assert 'content/news/a.sq.md:4:9: warning: a non-breaking space (U+00A0, pasted from Word?)' in said
    assert BANNER_ID not in (root / "public/sq/news/a/index.html").read_text(encoding="utf-8")


def test_a_key_is_matched_with_the_file_name_of_a_translation_without_one(tmp_path):
    # A text without translation_key is linked by its file name: a key close to that name is likely meant.
    root = make_site(tmp_path / "site", {
        "content/news/takimi-zqm.sq.md": article(extra="translation_key: sector-meeting-2019\n"),
        "content/news/sector-meetings-2019.en.md": article("Meetings")})
    result = built(root)
    assert warnings_of(result.stderr) == [
        'content/news/takimi-zqm.sq.md:5:18: warning: the translation_key "sector-meeting-2019" is used by this file '
        "only, so no translation is linked to it"]
    assert 'hint: did you mean "sector-meetings-2019" (the key of content/news/sector-meetings-2019.en.md)?' \
        in result.stderr
