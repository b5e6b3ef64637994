"""Studio timings (issue 16): ``python -m bench.studio`` (``--browser`` adds the first page load).

- **open**: what the structure view waits for when the Diploma is opened, server side: the
  answers (``POST /api/answers``, a job process: report + lint) and the diagram
  (``POST /api/diagram``, SVG) requested together as the page does, each time for a structure
  the studio has not seen (its title changed), so nothing comes from its caches. Target 0.5 s.
- **open_listed**: the same for the saved Diploma once the workspace list has been shown, whose
  structures the studio answers and draws in the background at low priority (what a designer
  usually gets: they open a structure from the list).
- **recount**: the live recount after a builder edit (``POST /api/recount``, Group B's minimum
  set to 17..26 in turn), an exact-engine structure. Target 100 ms.
- **first page load** (``--browser``, needs chromium): from navigation to the workspace table
  showing the Diploma's count, in Debian's chromium, in a fresh browser context (nothing cached
  in the browser) once the server has listed the folder once. Target 1 s.

Medians over repeats, measured in-process through Starlette's TestClient (no network), after
one warm-up. The machine is shared: the wall times move with its load (printed with them), so
the CPU seconds of the same work in one process are printed too (``*_cpu_s``: the wall time on
an idle core; the page asks for the answers and the diagram at once, so opening takes about the
larger of the two on two idle cores).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DIPLOMA = "rules/l2-diploma-customer-service.yaml"


def _timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(repeats: int = 7) -> dict[str, Any]:
    from starlette.testclient import TestClient

    from solver.studio.api import Settings, create_app
    from solver.studio.server import first_workspace

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = first_workspace(Path(tmp))
        with TestClient(create_app(Settings(root=folder)), base_url="http://127.0.0.1") as client, \
                concurrent.futures.ThreadPoolExecutor(2) as pool:
            text = client.get(f"/api/files/{DIPLOMA}").json()["text"]
            while client.post("/api/answers", json={"name": DIPLOMA, "text": text + "# warm\n"}).status_code != 200:
                time.sleep(0.1)

            def variant(i: int) -> str:  # a structure the studio has not seen: nothing from its caches
                return text.replace("title: Level 2 Diploma in Customer Service", f"title: Diploma variant {i}", 1)

            def answers(i: int) -> None:
                r = client.post("/api/answers", json={"name": DIPLOMA, "text": variant(i), "wait": 10})
                assert r.json()["state"] == "done", r.json()
                assert r.json()["result"]["summary"]["pathways"] == 67418986, r.json()["result"]

            def diagram(i: int) -> None:
                r = client.post("/api/diagram", json={"name": DIPLOMA, "text": variant(i), "format": "svg"})
                assert r.status_code == 200 and b"<svg" in r.content

            def both(i: int) -> None:
                for f in [pool.submit(answers, i), pool.submit(diagram, i)]:
                    f.result()

            out["answers_s"] = statistics.median(_timed(lambda i=i: answers(i)) for i in range(repeats))
            out["diagram_s"] = statistics.median(_timed(lambda i=i: diagram(100 + i)) for i in range(repeats))
            out["open_s"] = statistics.median(_timed(lambda i=i: both(200 + i)) for i in range(repeats))

            def recount(minimum: int) -> None:
                edited = text.replace("min_credits: 16", f"min_credits: {minimum}")
                r = client.post("/api/recount", json={"name": DIPLOMA, "text": edited})
                assert r.json()["count"]["status"] == "complete"

            recount(18)
            out["recount_s"] = statistics.median(_timed(lambda m=m: recount(m)) for m in range(17, 27))

            # the saved Diploma after the workspace list's background pass: what a designer usually gets
            client.get("/api/workspace")
            state = client.app.state.studio  # type: ignore[attr-defined]
            while state.background:
                time.sleep(0.05)

            def saved() -> None:
                r = client.post("/api/answers", json={"name": DIPLOMA})
                assert r.json()["state"] == "done"
                assert client.post("/api/diagram", json={"name": DIPLOMA, "format": "svg"}).status_code == 200

            out["open_listed_s"] = statistics.median(_timed(saved) for _ in range(repeats))
    return out


def cpu(repeats: int = 7) -> dict[str, float]:
    """CPU seconds of the same work in this process (what the wall times would be on an idle core)."""
    from solver.model.load import bundled_rules
    from solver.studio import analysis

    root = bundled_rules()
    name = "l2-diploma-customer-service.yaml"
    text = (root / name).read_text(encoding="utf-8")

    def clock(fn: Any) -> float:
        start = time.process_time()
        fn()
        return time.process_time() - start

    analysis.full_answers(str(root), name, text, 10.0)
    variants = [text.replace("title: Level 2 Diploma in Customer Service", f"title: V {i}", 1) for i in range(repeats)]
    answers = statistics.median(clock(lambda t=t: analysis.full_answers(str(root), name, t, 10.0)) for t in variants)
    drawn = statistics.median(clock(lambda t=t: analysis.diagram(analysis.load_draft(root, name, t), "svg"))
                              for t in variants)
    edited = [text.replace("min_credits: 16", f"min_credits: {m}") for m in range(17, 27)]
    recount = statistics.median(clock(lambda t=t: analysis.recount(root, name, t)) for t in edited)
    return {"answers_cpu_s": answers, "diagram_cpu_s": drawn, "recount_cpu_s": recount}


def first_load(repeats: int = 5) -> float | None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import studio_browser

    from solver.studio.server import first_workspace

    chromium, _why = studio_browser.ensure_chromium()
    if chromium is None:
        return None
    times = []
    with tempfile.TemporaryDirectory() as tmp, studio_browser.studio_server(first_workspace(Path(tmp))) as url, \
            studio_browser.browser(chromium) as b:
        for i in range(repeats + 1):
            context = b.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url + "/")
            page.wait_for_selector("text=67,418,986")
            if i:
                times.append(time.perf_counter() - start)
            else:  # the first visit fills the server's caches of the list and of lint, as a designer's first look does
                page.wait_for_selector("text=checking…", state="detached", timeout=60_000)
            context.close()
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.studio", description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also time the first page load in chromium")
    parser.add_argument("--json", metavar="OUT", help="write the figures as JSON")
    args = parser.parse_args(argv)
    figures = measure()
    figures.update(cpu())
    if args.browser:
        figures["first_load_s"] = first_load()
    figures["load_average"] = os.getloadavg()[0]
    targets = {"open_s": 0.5, "open_listed_s": 0.5, "recount_s": 0.1, "first_load_s": 1.0, "answers_cpu_s": 0.5,
               "recount_cpu_s": 0.1}
    for key, value in figures.items():
        if key == "load_average" or value is None:
            print(f"{key:14} {value}")
            continue
        target = targets.get(key)
        verdict = "" if target is None else ("  met" if value < target else f"  NOT met (target {target} s)")
        print(f"{key:14} {value * 1000:8.1f} ms{verdict}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
