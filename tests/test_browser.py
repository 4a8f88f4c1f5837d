"""Real-browser check: JupyterLab on 127.0.0.1, headless Debian Chromium driven by Playwright.

Opens ``02_strikes``, runs every cell, changes the dashboard's weapon-class
dropdown and asserts that the charts changed; saves screenshots of each
notebook's dashboard. The release check, not part of CI's quick run:

    make test-slow            # or: .venv/bin/pytest tests/test_browser.py -m browser

Needs ``apt-get install chromium`` and the ``dev`` extra (playwright). The
notebooks run on a copy of ``notebooks/`` and ``data/articles/`` in a temporary
folder, so the repository's files are never saved over. Screenshots go to
``$TOOLKIT_SCREENSHOTS`` (default ``build/screenshots``).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("TOOLKIT_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("TOOLKIT_SCREENSHOTS", ROOT / "build" / "screenshots"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A tokenless JupyterLab serving a copy of the notebooks and articles; yields its base URL."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    pytest.importorskip("playwright")
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", work / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "data" / "articles", work / "data" / "articles")
    official = ROOT.parent / "shared" / "data" / "official" / "missile_attacks_daily.csv"
    if official.exists():  # 05_official_figures looks for it beside the articles first
        (work / "data" / "official").mkdir()
        shutil.copy(official, work / "data" / "official" / official.name)
    settings = work / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # no news or update pop-up over the page
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"checkForUpdates": False, "fetchNews": "false"}), encoding="utf-8")
    # draw every cell, not only those in view, so that a dashboard above the last cell stays in the page
    tracker = work / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
           "JUPYTER_RUNTIME_DIR": str(work / "runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces")}
    port = _free_port()
    log = open(work / "lab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={work}", "--expose-app-in-browser", "--LabApp.news_url=None"],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"JupyterLab did not start: {(work / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _run_notebook(browser, lab: str, name: str):
    """Open a notebook in JupyterLab, wait for its kernel, run all cells; returns the page."""
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    # a workspace of its own: no tab restored from an earlier test hides this notebook's cells
    page.goto(f"{lab}/lab/workspaces/{name}/tree/notebooks/{name}.ipynb?reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.wait_for_function(
        """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                   const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
                   return k && k.status === 'idle'; }""", timeout=60_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_selector(".toolkit-dashboard", state="attached", timeout=300_000)
    _scroll_to(page)
    return page


def _scroll_to(page) -> None:
    page.locator(".toolkit-dashboard").first.evaluate("e => e.scrollIntoView({block: 'start'})")


def _screenshot(page, name: str) -> Path:
    """The window with the dashboard at the top (JupyterLab's own chrome included)."""
    time.sleep(1.5)  # let the last images paint
    _scroll_to(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}_dashboard.png"
    page.screenshot(path=str(path))
    return path


def _close(page) -> None:
    """Shut the notebook's kernel down (the server outlives the page) and close the page."""
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    page.close()


def _chart_sources(page) -> list[str]:
    return page.eval_on_selector_all(".toolkit-dashboard img.toolkit-chart", "els => els.map(e => e.src)")


def test_browser_strike_dashboard_reacts_to_a_widget(browser, lab):
    page = _run_notebook(browser, lab, "02_strikes")
    page.wait_for_function("() => document.querySelectorAll('.toolkit-dashboard img.toolkit-chart').length >= 5",
                           timeout=60_000)
    dashboard = page.locator(".toolkit-dashboard").first
    labels = dashboard.locator(".widget-label").all_inner_texts()
    assert {"Published from", "Attacker", "Weapon class", "Oblast"} <= {t.strip() for t in labels}
    before = _chart_sources(page)
    assert all(src.startswith("blob:") for src in before)
    select = dashboard.locator(".widget-dropdown", has_text="Weapon class").locator("select")
    options = [o for o in select.locator("option").all_inner_texts() if o != "(all)"]
    assert options, "the dashboard has no weapon class to choose"
    choice = "ballistic_missile" if "ballistic_missile" in options else options[0]
    select.select_option(label=choice)
    page.wait_for_function(
        """(before) => { const now = [...document.querySelectorAll('.toolkit-dashboard img.toolkit-chart')]
                                       .map(e => e.src);
                         return now.length === before.length && now.some((s, i) => s !== before[i]); }""",
        arg=before, timeout=60_000)
    after = _chart_sources(page)
    assert after != before
    assert _screenshot(page, "02_strikes").stat().st_size > 10_000
    _close(page)


@pytest.mark.parametrize("name", ["01_quickstart", "03_diplomacy", "05_official_figures"])
def test_browser_other_dashboards_render(browser, lab, name):
    page = _run_notebook(browser, lab, name)
    dashboard = page.locator(".toolkit-dashboard").first
    dashboard.locator(".widget-dropdown select").first.wait_for(timeout=30_000)
    labels = [t.strip() for t in dashboard.locator(".widget-label").all_inner_texts() if t.strip()]
    assert len(labels) >= 2
    assert _screenshot(page, name).stat().st_size > 10_000
    _close(page)
