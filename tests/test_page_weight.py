"""Page weight: an article's HTML, CSS and JavaScript stay under the budget (scripts/page_weight.py)."""

from __future__ import annotations

import importlib.util
import sys

from conftest import REPO

spec = importlib.util.spec_from_file_location("page_weight", REPO / "scripts" / "page_weight.py")
page_weight = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # dataclasses look it up
spec.loader.exec_module(page_weight)


def test_the_heaviest_article_of_the_real_site_is_under_40_kb(real_site):
    """Every article of the real site, with the stylesheet and scripts it loads, is at most 40 KB."""
    weights = page_weight.articles(real_site)
    assert len(weights) >= 8, [w.page for w in weights]
    heaviest = weights[0]
    assert heaviest.assets > 0, "the stylesheet was not counted"
    assert heaviest.total <= page_weight.BUDGET == 40 * 1024, f"{heaviest.page} weighs {heaviest.total} bytes"


def test_the_weight_counts_html_css_and_scripts_once_each(tmp_path):
    """A page's weight is its own bytes plus each stylesheet and script it loads, counted once, images apart."""
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.css").write_bytes(b"x" * 1000)
    (tmp_path / "static" / "a.js").write_bytes(b"y" * 300)
    (tmp_path / "static" / "big.png").write_bytes(b"z" * 99999)
    page = tmp_path / "en" / "news" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    html = ('<!DOCTYPE html><link rel="stylesheet" href="/static/site.css?v=1"><link rel="icon" href="/static/big.png">'
            '<script src="/static/a.js"></script><link rel="stylesheet" href="/static/site.css?v=1"><img src="/static/big.png">')
    page.write_text(html, encoding="utf-8")
    [weight] = page_weight.articles(tmp_path)
    assert (weight.page, weight.html, weight.assets) == ("/en/news/a/", len(html.encode()), 1300)


def test_the_script_reports_the_heaviest_article_and_fails_over_the_budget(tmp_path, capsys, monkeypatch):
    """The command prints the heaviest article against the budget, and exits 1 when one is over it."""
    page = tmp_path / "sq" / "news" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<!DOCTYPE html><p>" + "a" * 2000, encoding="utf-8")
    assert page_weight.main(["--site", str(tmp_path)]) == 0
    assert "heaviest: /sq/news/a/ 2.0 KB of 40 KB" in capsys.readouterr().out
    monkeypatch.setattr(page_weight, "BUDGET", 1024)
    assert page_weight.main(["--site", str(tmp_path)]) == 1
