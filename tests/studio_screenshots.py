"""Screenshots of the studio's main views at 1280×800: ``python tests/studio_screenshots.py docs/images``.

Drives the same browser as the end-to-end tests (tests/studio_browser.py) through a designer's
session on a fresh copy of the bundled structures: the workspace, the Diploma with its cheapest
pathway highlighted, the builder after raising Group B's minimum to 18 (and with a broken rule),
the what-if comparison, a learner's audit, and the history and export page.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import studio_browser

from solver.studio.server import first_workspace

DIPLOMA = "rules%2Fl2-diploma-customer-service.yaml"
#: Group A's box just below the builder's status bar.
SCROLL_TO_A = ("window.scrollBy(0, document.querySelector('[aria-label=\"Group A\"]').getBoundingClientRect().top"
               " - document.querySelector('.status-bar').getBoundingClientRect().bottom - 8)")


def shoot(out: Path) -> list[Path]:
    chromium, why = studio_browser.ensure_chromium()
    if chromium is None:
        raise SystemExit(why)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, studio_browser.studio_server(first_workspace(Path(tmp))) as url, \
            studio_browser.browser(chromium) as b:
        page = b.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(30_000)

        def snap(name: str) -> None:
            page.wait_for_timeout(400)
            path = out / f"studio-{name}.png"
            page.screenshot(path=str(path))
            written.append(path)

        page.goto(url + "/")
        page.wait_for_selector("text=67,418,986")
        page.wait_for_selector("text=checking…", state="detached")
        snap("workspace")
        page.goto(f"{url}/#/f/{DIPLOMA}/structure")
        page.wait_for_selector("#diagram-img[src^='blob:']")
        page.get_by_role("button", name="Highlight cheapest pathway").click()
        page.wait_for_selector("#highlight-note.hi")
        snap("structure")
        page.goto(f"{url}/#/f/{DIPLOMA}/build")
        page.get_by_label("Min credits of B", exact=True).fill("18")
        page.wait_for_selector("#recount:has-text('66,121,784')")
        page.evaluate(SCROLL_TO_A)
        page.evaluate("(t => { t.setSelectionRange(0, 0); t.scrollTop = 62 * 18; })(document.getElementById('yaml'))")
        snap("builder")
        page.get_by_label("Max credits of B", exact=True).fill("10")
        page.wait_for_selector("#problems li")
        page.evaluate(SCROLL_TO_A)
        snap("builder-error")
        page.get_by_label("Max credits of B", exact=True).fill("")
        page.wait_for_selector("#recount:has-text('66,121,784')")
        page.get_by_role("link", name="What-if").click()
        page.wait_for_selector("#diff")
        page.wait_for_selector("img[alt^='Diagram of the draft']")
        snap("whatif")
        page.get_by_role("link", name="Builder").click()
        page.get_by_role("button", name="Save").click()
        page.wait_for_selector("#save-note:has-text('Saved')")
        page.get_by_role("link", name="Learners").click()
        search = page.get_by_label("Achieved unit (search by id or title)")
        for unit in ("deliver-customer-service", "understand-customers", "negotiate", "incoming-calls"):
            search.fill(unit)
            search.press("Enter")
        page.get_by_role("button", name="Audit", exact=True).click()
        page.wait_for_selector("#audit-headline")
        snap("learners")
        page.get_by_role("link", name="History & export").click()
        page.wait_for_selector("#restore-latest")
        snap("history")
    return written


if __name__ == "__main__":
    for item in shoot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images")):
        print(item)
