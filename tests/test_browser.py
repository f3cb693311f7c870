"""End to end in a real browser: `workbench review` served on localhost, driven by Selenium
in Debian's headless Chromium. A screenshot lands in the test's temporary folder (its path is
printed; set WORKBENCH_ARTIFACTS to keep it somewhere else)."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import ClassVar

import pytest

from builders.toy import to_toyish
from tests.conftest import ROOT
from workbench.core.settings import Settings
from workbench.store.files import load
from workbench.translate.run import translate_corpus

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Beacon(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        _Beacon.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()


@pytest.fixture
def beacon():
    """A local server that counts every request: a document's text must never cause one."""
    _Beacon.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Beacon)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Beacon.hits
    server.shutdown()


@pytest.fixture
def served_workspace(tmp_path, toy_model, beacon):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text(
        to_toyish("the workers want bread") + "\n\n" + to_toyish("solidarity with all comrades") + "\n", encoding="utf-8"
    )
    (corpus / "page.txt").write_text(
        to_toyish("the children want peace") + f" ![]({beacon[0]}/s.png) <img src={beacon[0]}/i.png>\n", encoding="utf-8"
    )
    (corpus / "poster.html").write_text(
        f'<p>{to_toyish("our children")} <img src="{beacon[0]}/c.png"> <b>{to_toyish("need")}</b> {to_toyish("a new school")}</p>',
        encoding="utf-8",
    )
    translations = tmp_path / "translations"
    translate_corpus([corpus], Settings(translations=translations), force_lang="xx")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench.cli",
            "review",
            "--corpus",
            str(corpus),
            "--translations",
            str(translations),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"},
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url + "_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("streamlit did not answer its health check within 90 s")
    yield url, translations
    server.terminate()
    server.wait(timeout=30)
    # `workbench review` becomes the server: stopping it leaves no Streamlit behind.
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "_stcore/health", timeout=2)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert os.path.exists(CHROMIUM), "Debian's chromium is not installed (scripts/setup.sh --test installs it)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--window-size=1500,1100", f"--user-data-dir={tmp_path / 'chrome-profile'}",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def waiting(browser):
    """A 60-second wait that looks again when an element went stale: each rerun of the app
    replaces elements, so one found a moment ago may be gone when it is read."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 60, ignored_exceptions=(StaleElementReferenceException,))


def open_document(browser, name: str) -> None:
    """Click a document in the sidebar (Streamlit redraws it: look again until it holds)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + 30
    while True:
        try:
            labels = browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebar"] label')
            next(label for label in labels if label.text.startswith(name)).click()
            return
        except (StaleElementReferenceException, StopIteration):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_type_a_correction_in_the_browser(served_workspace, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec

    url, translations = served_workspace
    wait = waiting(browser)
    browser.get(url)
    wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')))
    open_document(browser, "news")
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h2"), "news"))
    area = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')))
    assert area.get_attribute("value") == "the workers want bread"
    area.send_keys(Keys.CONTROL, "a")
    area.send_keys("The workers want bread — typed in Chromium")
    area.send_keys(Keys.CONTROL, Keys.ENTER)  # commit the text area's value
    time.sleep(0.5)
    save = next(b for b in browser.find_elements(By.TAG_NAME, "button") if b.text.strip() == "Save")
    save.click()

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        record = load(translations / "news.json").segments[0]
        if record.correction:
            break
        time.sleep(0.2)
    assert (record.correction, record.status) == ("The workers want bread — typed in Chromium", "edited")
    assert (translations / "news.en.txt").read_text(encoding="utf-8").startswith("The workers want bread — typed in Chromium\n")

    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "Correction saved"))
    browser.refresh()
    area = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')))
    assert area.get_attribute("value") == "The workers want bread — typed in Chromium"
    artifacts = Path(os.environ.get("WORKBENCH_ARTIFACTS", tmp_path))
    artifacts.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(artifacts / "review-app.png"))
    print(f"screenshot: {artifacts / 'review-app.png'}")


def test_document_markup_fetches_nothing_and_a_draft_survives_a_switch_and_a_reload(served_workspace, browser, beacon):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec

    url, translations = served_workspace
    beacon_url, hits = beacon
    wait = waiting(browser)
    browser.get(url)
    search = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'input[aria-label="Search sources and translations"]')))
    search.send_keys("s.png", Keys.ENTER)  # the hit shows the line, image syntax and all
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "1 hits"))
    open_document(browser, "page")
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), f"![]({beacon_url}/s.png)"))
    time.sleep(1.0)
    assert hits == [], f"the document's text made the browser fetch {hits}"
    assert not browser.find_elements(By.CSS_SELECTOR, f'img[src^="{beacon_url}"]')

    # A draft: typed, never saved, kept across another document and a reload.
    open_document(browser, "news")
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h2"), "news"))
    area = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')))
    area.send_keys(Keys.CONTROL, "a")
    area.send_keys("A draft typed in Chromium")
    area.send_keys(Keys.TAB)  # leaving the box: the app keeps the text as a draft on disk (Ctrl+Enter would save it)
    deadline = time.monotonic() + 30
    while load(translations / "news.json").segments[0].draft != "A draft typed in Chromium" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert load(translations / "news.json").segments[0].draft == "A draft typed in Chromium"
    browser.refresh()
    area = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')))
    wait.until(lambda driver: driver.find_element(By.CSS_SELECTOR, 'textarea[aria-label="Correction"]').get_attribute("value") != "")
    values = [a.get_attribute("value") for a in browser.find_elements(By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')]
    assert "A draft typed in Chromium" in values
    assert load(translations / "news.json").segments[0].correction == ""  # a draft is not a correction


def test_formatting_shows_as_chips_and_the_pages_image_is_not_fetched(served_workspace, browser, beacon, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    url, _ = served_workspace
    wait = waiting(browser)
    browser.get(url)
    wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')))
    open_document(browser, "poster")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".wb-chip")))
    chips = [chip.text for chip in browser.find_elements(By.CSS_SELECTOR, ".wb-chip")]
    # Source: the image, then the bold word; English: the same; under the box: the bold word, kept.
    assert chips == ["2image", "1" + to_toyish("need"), "2image", "1need", "1need"]
    bold = browser.find_elements(By.CSS_SELECTOR, ".wb-chip:not(.wb-standalone)")[0]
    assert bold.value_of_css_property("border-top-style") == "solid"  # drawn as a chip, the page's CSS applied
    time.sleep(1.0)
    assert beacon[1] == [] and not browser.find_elements(By.CSS_SELECTOR, f'img[src^="{beacon[0]}"]')
    artifacts = Path(os.environ.get("WORKBENCH_ARTIFACTS", tmp_path))
    artifacts.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(artifacts / "review-chips.png"))


def type_into_focus(browser, text: str) -> None:
    """Replace the focused box's text and press Ctrl+Enter, as a person at the keyboard does.
    A rerun may put a new box in the page where the focused one was (the app gives it the
    focus back): the keys then go to the box that has the focus now."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.keys import Keys

    for _ in range(10):
        try:
            box = browser.switch_to.active_element
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(text)
            box.send_keys(Keys.CONTROL, Keys.ENTER)
            return
        except StaleElementReferenceException:
            time.sleep(0.3)
    raise AssertionError("the focused box kept being replaced: the text could not be typed")


def test_the_keyboard_saves_two_segments_with_ctrl_enter_and_moves_on(served_workspace, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec

    url, translations = served_workspace
    wait = waiting(browser)
    browser.get(url + "?doc=news")
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h2"), "news"))
    first = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')))
    first.click()
    type_into_focus(browser, "First, by keyboard.")

    def saved(index: int, text: str) -> bool:
        return load(translations / "news.json").segments[index].correction == text

    wait.until(lambda _: saved(0, "First, by keyboard."))
    # The focus moved to the next segment's box: type there without touching the mouse.
    wait.until(lambda driver: driver.switch_to.active_element.get_attribute("aria-label") == "Correction")
    wait.until(lambda driver: driver.switch_to.active_element.get_attribute("value") == "solidarity with all comrades")
    type_into_focus(browser, "Second, by keyboard.")
    wait.until(lambda _: saved(1, "Second, by keyboard."))
    records = load(translations / "news.json").segments
    assert [(r.correction, r.status) for r in records] == [("First, by keyboard.", "edited"), ("Second, by keyboard.", "edited")]
    # Alt+A approves the segment in focus.
    box = browser.find_elements(By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')[0]
    box.click()
    box.send_keys(Keys.ALT, "a")
    wait.until(lambda _: load(translations / "news.json").segments[0].status == "approved")


def test_find_and_replace_previews_applies_and_undoes_in_the_browser(served_workspace, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec

    url, translations = served_workspace
    wait = waiting(browser)
    browser.get(url)
    wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')))
    expander = next(e for e in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebar"] summary') if "Find and replace" in e.text)
    expander.click()
    find = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'input[aria-label="Find in translations"]')))
    find.send_keys("want", Keys.TAB)
    replacement = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'input[aria-label="Replace with"]')))
    replacement.send_keys("need", Keys.ENTER)
    # The preview names both changes before anything is written.
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, '[data-testid="stSidebar"]'), "2 translations would change"))
    assert [r.correction for r in load(translations / "news.json").segments] == ["", ""]

    def button(label: str):
        return wait.until(lambda driver: next((b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == label), None))

    button("Replace in 2 segments").click()
    wait.until(lambda _: load(translations / "news.json").segments[0].correction == "the workers need bread")
    page = load(translations / "page.json").segments[0]
    assert page.correction == page.machine.text.replace("want", "need") != page.machine.text
    assert load(translations / "news.json").segments[1].correction == ""  # no match, untouched

    button("Undo the last replace").click()
    wait.until(lambda _: load(translations / "news.json").segments[0].correction == "")
    assert load(translations / "page.json").segments[0].correction == ""
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "Undone in 2 segments"))
