"""Make the docs' screenshots of the review app, in Debian's headless Chromium.

Builds a small workspace (a right-to-left document whose typed correction has a QA error
and a fuzzy match from another, approved document), serves `workbench review` on it and
saves ``docs/images/review.png`` (a document) and ``docs/images/dashboard.png`` (the
project dashboard). Needs the test extras (Selenium) and ``chromium``, ``chromium-driver``:

    .venv/bin/python scripts/screenshots.py [--out docs/images]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.formats.rendering import edit_rendered  # noqa: E402
from workbench.store.files import SegmentRecord, TranslationFile  # noqa: E402

NO_MODEL = (
    "no model for ar→en; install one with `workbench models install ar` (online) or, offline, "
    "`workbench models install FILE` with the translate-ar_en .argosmodel from the index"
)
DOCUMENTS = {
    "port-news": [
        ("Port workers' statement", "en", "heading", "", "source"),
        ("أعلن العمال إضرابا عاما لمدة 5 أيام في الميناء.", "ar", "paragraph", "", "untranslated"),
        ("التضامن مع عمال الموانئ في كل مكان.", "ar", "paragraph", "", "untranslated"),
    ],
    "strike-call": [
        ("Call for solidarity", "en", "heading", "", "source"),
        (
            "أعلن العمال إضرابا عاما لمدة 3 أيام في الميناء.",
            "ar",
            "paragraph",
            "The workers declared a general strike of 3 days in the port.",
            "approved",
        ),
        ("Grev bugün başladı.", "tr", "paragraph", "The strike began today.", "approved"),
        ("Sendika herkesi meydana çağırıyor.", "tr", "paragraph", "The union calls everyone to the square.", "edited"),
    ],
}


def build(folder: Path) -> None:
    corpus, translations = folder / "corpus", folder / "translations"
    corpus.mkdir()
    for doc_id, lines in DOCUMENTS.items():
        records, offset = [], 0
        for number, (text, lang, kind, correction, status) in enumerate(lines):
            note = NO_MODEL if status == "untranslated" else ""
            records.append(SegmentRecord(f"s{number}", offset, offset + len(text), lang, kind, text, None, correction, status, note))
            offset += len(text) + 2
        text = "\n\n".join(line[0] for line in lines) + "\n"
        (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        translation = TranslationFile(doc_id, f"corpus/{doc_id}.txt", hashlib.sha256(text.encode()).hexdigest(), "utf-8", tuple(records))
        edit_rendered(translations, doc_id, lambda _, t=translation: t, text=text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder)
        port = 8599
        folders = ["--corpus", str(folder / "corpus"), "--translations", str(folder / "translations")]
        server = subprocess.Popen(
            [sys.executable, "-m", "workbench.cli", "review", *folders, "--port", str(port)],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"},
        )
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1250", f"--user-data-dir={folder / 'profile'}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            url = f"http://127.0.0.1:{port}/"
            for _ in range(300):
                try:
                    if urllib.request.urlopen(url + "_stcore/health", timeout=2).read() == b"ok":
                        break
                except OSError:
                    time.sleep(0.3)
            wait = WebDriverWait(driver, 60)
            driver.get(url + "?doc=port-news")
            box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, 'textarea[aria-label="Correction"]')))
            box.send_keys("The workers declared a general strike of 3 days in the port.", Keys.TAB)
            wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "QA error"))
            time.sleep(1.5)
            driver.execute_script("document.querySelector('h2').scrollIntoView()")
            time.sleep(0.5)
            args.out.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.out / "review.png"))
            toggle = next(
                e for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebar"] label') if "Project dashboard" in e.text
            )
            toggle.click()
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '[data-testid="stVegaLiteChart"]')))
            time.sleep(3)  # the chart draws after the page
            driver.save_screenshot(str(args.out / "dashboard.png"))
            print(f"wrote {args.out / 'review.png'} and {args.out / 'dashboard.png'}")
        finally:
            driver.quit()
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
