"""The studio's JSON API, endpoint by endpoint: answers equal the CLI's --json, and bad requests are refused.

Every expected figure is computed here by calling the library directly (the same result
objects the CLI prints), so these tests check that the API adds nothing and loses nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from solver.answers.cheapest import cheapest_pathways
from solver.answers.summary import summarise
from solver.audit.single import audit
from solver.design.lint import lint
from solver.model.load import load_qualification
from solver.studio import analysis, jobs
from solver.studio.answers_api import answers_key
from solver.studio.api import MAX_BODY, ROUTES, Settings, create_app
from solver.studio.openapi import openapi
from solver.studio.server import first_workspace
from solver.studio.workspace import HISTORY

DIPLOMA = "rules/l2-diploma-customer-service.yaml"
NVQ = "rules/ocr-l2-nvq-customer-service.yaml"
LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = first_workspace(tmp_path_factory.mktemp("ws"))
    broken = ("kind: qualification\nid: B\ntitle: Broken\nunits:\n  - {id: U1, title: One, credits: x}\n"
              "requirements:\n  - {kind: group, id: G, units: [U1, U2]}\n")
    (root / "rules" / "broken.yaml").write_text(broken, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def client(folder: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(root=folder, timeout=2.0, prefetch=False)), base_url=LOCAL) as c:
        yield c


def text_of(client: TestClient, name: str) -> tuple[str, str]:
    r = client.get(f"/api/files/{name}")
    assert r.status_code == 200, r.text
    return r.json()["text"], r.json()["version"]


def done(reply: Any) -> dict[str, Any]:
    assert reply.status_code == 200, reply.text
    data: dict[str, Any] = reply.json()
    assert data["state"] == "done", data
    return data["result"]  # type: ignore[no-any-return]


# -- the workspace and files ----------------------------------------------------------------------------
def test_workspace_lists_every_structure_and_survives_a_broken_file(client: TestClient) -> None:
    data = client.get("/api/workspace").json()
    rows = {f["name"]: f for f in data["files"]}
    assert rows[DIPLOMA]["pathways"] == 67418986 and rows[DIPLOMA]["feasible"] is True
    assert rows[DIPLOMA]["title"] == "Level 2 Diploma in Customer Service" and rows[DIPLOMA]["id"] == "L2-DIP-CS"
    assert rows["rules/libraries/customer-service-units.yaml"]["kind"] == "library"
    broken = rows["rules/broken.yaml"]
    assert broken["valid"] is False
    texts = [p["text"] for p in broken["problems"]]
    assert any(t.startswith("rules/broken.yaml:5:") and "found the text 'x'" in t for t in texts), texts
    assert "blank" in data["templates"]


def test_lint_equals_the_cli_json(client: TestClient, folder: Path) -> None:
    got = client.post("/api/lint", json={"name": DIPLOMA}).json()
    want = lint(load_qualification(folder / DIPLOMA), timeout=2.0).to_dict()
    assert {k: v for k, v in got.items() if k != "counts"} == want
    assert sum(got["counts"].values()) == len(want["findings"])


@pytest.mark.parametrize("name", ["../x.yaml", "rules/../../x.yaml", "/etc/passwd.yaml", "rules/.hidden.yaml",
                                  f"{HISTORY}/x.yaml", "rules/notes.txt", "rules\\x.yaml"])
def test_paths_outside_the_workspace_or_not_yaml_are_refused(client: TestClient, name: str) -> None:
    r = client.post("/api/recount", json={"name": name, "text": "kind: qualification\n"})
    assert r.status_code == 403, r.text
    assert r.json()["error"]


def test_url_traversal_is_refused(client: TestClient) -> None:
    assert client.get("/api/files/rules%2F..%2F..%2Fsecret.yaml").status_code == 403
    assert client.put("/api/files/..%2Fx.yaml", json={"text": "a: 1"}).status_code == 403


def test_symlinks_out_of_the_folder_are_neither_listed_nor_read(client: TestClient, folder: Path,
                                                                tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("kind: qualification\nid: S\ntitle: Secret\n", encoding="utf-8")
    link = folder / "rules" / "link.yaml"
    link.symlink_to(outside)
    try:
        assert "rules/link.yaml" not in {f["name"] for f in client.get("/api/workspace").json()["files"]}
        r = client.get("/api/files/rules/link.yaml")
        assert r.status_code == 403 and "outside the workspace" in r.json()["error"]
        r = client.put("/api/files/rules/link.yaml", json={"text": "x: 1", "version": None})
        assert r.status_code == 403
        assert outside.read_text(encoding="utf-8").startswith("kind: qualification")
    finally:
        link.unlink()


def test_bodies_must_be_json_and_not_too_big(client: TestClient, folder: Path) -> None:
    r = client.post("/api/recount", content=b"name=x", headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    r = client.post("/api/recount", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    r = client.post("/api/recount", content=b"[1, 2]", headers={"content-type": "application/json"})
    assert r.status_code == 400
    big = b'{"name": "' + b"x" * (MAX_BODY + 10) + b'"}'
    r = client.post("/api/recount", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    r = client.post("/api/recount", json={"name": DIPLOMA, "text": 5})
    assert r.status_code == 400 and "'text' must be text" in r.json()["error"]
    huge = folder / "rules" / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    try:
        r = client.get("/api/files/rules/huge.yaml")
        assert r.status_code == 403 and "larger than" in r.json()["error"]
    finally:
        huge.unlink()


def test_save_keeps_history_refuses_a_stale_version_and_restores(client: TestClient, folder: Path) -> None:
    name = "drafts/save-test.yaml"
    r = client.post("/api/files", json={"name": name, "from": NVQ})
    assert r.status_code == 201
    first = r.json()["version"]
    assert client.post("/api/files", json={"name": name, "from": NVQ}).status_code == 409
    text, version = text_of(client, name)
    assert version == first
    edited = text.replace("title: OCR Level 2 NVQ in Customer Service", "title: Edited once", 1)
    r = client.put(f"/api/files/{name}", json={"text": edited, "version": first})
    assert r.status_code == 200 and r.json()["valid"] is True
    second = r.json()["version"]
    # a second tab still holding the first version is refused, and its text is kept, not lost
    r = client.put(f"/api/files/{name}", json={"text": text + "# other tab\n", "version": first})
    assert r.status_code == 409
    body = r.json()
    assert body["current_version"] == second and "conflict" in body["kept_as"]
    assert "changed since you opened it" in body["error"]
    assert text_of(client, name)[0] == edited
    r = client.put(f"/api/files/{name}", json={"text": "kind: [unclosed\n", "version": second})
    assert r.status_code == 422 and "not YAML" in r.json()["error"] and r.json()["problems"][0]["line"] == 2
    history = client.get("/api/history", params={"name": name}).json()["history"]
    assert [h["reason"] for h in history] == ["conflict", "saved"]
    kept = client.get("/api/history/version", params={"name": name, "id": body["kept_as"]}).json()["text"]
    assert kept.endswith("# other tab\n")
    saved = next(h for h in history if h["reason"] == "saved")
    r = client.post("/api/restore", json={"name": name, "id": saved["id"], "version": second})
    assert r.status_code == 200 and r.json()["text"] == text
    assert len(client.get("/api/history", params={"name": name}).json()["history"]) == 3
    assert not list((folder / "drafts").glob(".*tmp"))  # atomic saves leave no temporary files
    r = client.get("/api/history/version", params={"name": name, "id": "../../etc"})
    assert r.status_code == 404


def test_create_from_a_template(client: TestClient) -> None:
    r = client.post("/api/files", json={"name": "drafts/new one.yaml", "template": "credits-diploma"})
    assert r.status_code == 201
    result = client.post("/api/recount", json={"name": "drafts/new one.yaml",
                                                "text": text_of(client, "drafts/new one.yaml")[0]}).json()
    assert result["valid"] and result["count"]["pathways"] > 0
    assert client.post("/api/files", json={"name": "drafts/x.yaml", "template": "nope"}).status_code == 400
    assert client.post("/api/files", json={"name": "drafts/x.txt"}).status_code == 403


# -- answers ------------------------------------------------------------------------------------------------
def test_answers_equal_the_report_and_lint_json(client: TestClient, folder: Path) -> None:
    result = done(client.post("/api/answers", json={"name": DIPLOMA}))
    q = load_qualification(folder / DIPLOMA)
    assert result["summary"] == summarise(q, timeout=2.0).to_dict()
    assert result["lint"] == lint(q, timeout=2.0).to_dict()
    assert result["summary"]["pathways"] == 67418986
    assert {u["id"] for u in result["units"]} == set(q.unit_ids())
    broken = done(client.post("/api/answers", json={"name": "rules/broken.yaml"}))
    assert broken["valid"] is False and broken["problems"][0]["line"] == 5


def test_recount_shows_the_change_and_located_problems(client: TestClient) -> None:
    text = text_of(client, DIPLOMA)[0]
    r = client.post("/api/recount", json={"name": DIPLOMA, "text": text.replace("min_credits: 16", "min_credits: 18")})
    assert r.json()["count"]["pathways"] == 66121784 and r.json()["count"]["status"] == "complete"
    bad = text.replace("max_credits: 7", "max_credits: 7\n        min_credits: 9")
    problems = client.post("/api/recount", json={"name": DIPLOMA, "text": bad}).json()["problems"]
    assert problems and problems[0]["file"] == DIPLOMA and problems[0]["line"] > 0
    assert "min_credits" in problems[0]["path"]
    syntax = client.post("/api/recount", json={"name": DIPLOMA, "text": "kind: [unclosed\n"}).json()
    assert syntax["valid"] is False and syntax["data"] is None and syntax["problems"][0]["line"] >= 1
    assert ".qualpath-draft" not in str(syntax) + str(problems)


def test_apply_writes_form_edits_into_the_yaml_keeping_comments(client: TestClient) -> None:
    text = text_of(client, DIPLOMA)[0]
    data = client.post("/api/recount", json={"name": DIPLOMA, "text": text}).json()["data"]
    group_b = data["requirements"][1]["requirements"][1]
    assert group_b["id"] == "B"
    group_b["min_credits"] = 18
    r = client.post("/api/apply", json={"name": DIPLOMA, "text": text, "data": data}).json()
    assert r["count"]["pathways"] == 66121784
    changed = [(a, b) for a, b in zip(text.splitlines(), r["text"].splitlines()) if a != b]
    assert changed == [("        min_credits: 16", "        min_credits: 18")]
    assert client.post("/api/apply", json={"name": DIPLOMA, "text": text, "data": [1]}).status_code == 400


def test_cheapest_equals_the_cli_json(client: TestClient, folder: Path) -> None:
    q = load_qualification(folder / DIPLOMA)
    got = client.post("/api/cheapest", json={"name": DIPLOMA, "by": "credits,units", "top": 2}).json()
    assert got == cheapest_pathways(q, by="credits,units", top=2).to_dict()
    assert client.post("/api/cheapest", json={"name": DIPLOMA, "by": "price"}).status_code == 400
    assert client.post("/api/cheapest", json={"name": DIPLOMA, "top": 0}).status_code == 400


def test_diagrams_in_every_format_with_the_cheapest_highlighted(client: TestClient) -> None:
    svg = client.post("/api/diagram", json={"name": NVQ, "format": "svg"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content
    png = client.post("/api/diagram", json={"name": NVQ, "format": "png", "highlight": "cheapest", "by": "units"})
    assert png.content.startswith(b"\x89PNG")
    pdf = client.post("/api/diagram", json={"name": NVQ, "format": "pdf", "download": True})
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
    assert client.post("/api/diagram", json={"name": NVQ, "format": "gif"}).status_code == 400
    r = client.post("/api/diagram", json={"name": NVQ, "highlight": ["no-such-unit"]})
    assert r.status_code == 400 and "no-such-unit" in r.json()["error"]
    r = client.post("/api/diagram", json={"name": NVQ, "text": "kind: qualification\nid: X\n"})
    assert r.status_code == 422 and r.json()["problems"]


def test_export_mermaid_and_dot(client: TestClient) -> None:
    mermaid = client.post("/api/export", json={"name": NVQ, "format": "mermaid"})
    assert mermaid.status_code == 200 and mermaid.text.startswith("flowchart")
    assert client.post("/api/export", json={"name": NVQ, "format": "dot"}).text.startswith("digraph")
    assert client.post("/api/export", json={"name": NVQ, "format": "xml"}).status_code == 400


def test_what_if_equals_the_diff_json(client: TestClient) -> None:
    text = text_of(client, DIPLOMA)[0].replace("min_credits: 16", "min_credits: 18")
    learners = "learner,unit\nL1,incoming-calls\n"
    d = done(client.post("/api/diff", json={"name": DIPLOMA, "text": text, "learners_csv": learners}))
    assert d["pathways"] == {"before": 67418986, "after": 66121784}
    assert d["lost"] == 1297202 and d["gained"] == 0
    assert d["rules"] and d["rules"][0]["field"] == "min_credits"
    drawn = client.post("/api/diff/diagram", json={"name": DIPLOMA, "text": text, "format": "svg"})
    assert "16 → 18" in drawn.text


def test_audit_one_learner_equals_the_cli_json(client: TestClient, folder: Path) -> None:
    held = ["deliver-customer-service", "negotiate"]
    got = client.post("/api/audit", json={"name": DIPLOMA, "achieved": held}).json()
    assert got == audit(load_qualification(folder / DIPLOMA), held, by="credits").to_dict()
    assert client.post("/api/audit", json={"name": DIPLOMA, "achieved": "negotiate"}).status_code == 400


def test_audit_a_learner_file(client: TestClient) -> None:
    csv = "learner,unit\nA,deliver-customer-service\nA,negotiate\nB,understand-customers\n"
    result = done(client.post("/api/audit/batch", json={"name": DIPLOMA, "csv": csv}))
    assert result["learners"] == 2 and result["achieved"] == 0
    assert result["report_csv"].splitlines()[0].startswith("learner,")
    bad = done(client.post("/api/audit/batch", json={"name": DIPLOMA, "csv": "who,what\nA,B\n"}))
    assert "learner" in bad["error"] and "/tmp" not in bad["error"]
    r = client.post("/api/audit/batch", json={"name": DIPLOMA, "csv": "learner,unit\n\x00\x01"})
    assert r.status_code == 415


# -- long work -------------------------------------------------------------------------------------------------
def test_jobs_have_time_limits_and_can_be_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "GRACE", 0.2)
    runner = jobs.Jobs()
    try:
        slow = runner.start("wait", analysis.ping, 30.0, limit=0.3)
        quick = runner.start("wait", analysis.ping, 0.0, limit=5)
        doomed = runner.start("wait", analysis.ping, 30.0, limit=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and runner.get(slow.id).state is jobs.JobState.RUNNING:  # type: ignore[union-attr]
            time.sleep(0.05)
        assert runner.get(slow.id).to_dict()["state"] == "timed-out"  # type: ignore[union-attr]
        assert runner.get(quick.id).to_dict()["result"] == "ready"  # type: ignore[union-attr]
        assert runner.get(doomed.id).to_dict()["done"] > 0  # type: ignore[union-attr]  # progress is reported
        cancelled = runner.cancel(doomed.id)
        assert cancelled is not None and cancelled.to_dict()["state"] == "cancelled"
    finally:
        runner.close()


SLOW = """kind: qualification
id: SLOW
title: Two pools over the same units
units:
{units}
requirements:
  - kind: all_of
    id: both
    requirements:
      - {{kind: group, id: A, min_units: 16, units: [{ids}]}}
      - {{kind: group, id: B, min_units: 15, double_counting: true, units: [{ids}, X30]}}
"""


def test_slow_structures_answer_partially_or_stop_at_the_limit_and_others_stay_answered(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "GRACE", 0.3)
    monkeypatch.setattr(analysis, "RECOUNT_TIMEOUT", 0.3)
    # B also lists a unit nothing else does: only the general engine takes such a cap (see test_unknown)
    units = "\n".join(f"  - {{id: U{i:02d}, title: Unit {i}, credits: {1 + i % 4}}}" for i in range(30)) + \
        "\n  - {id: X30, title: Unit 30, credits: 1}"
    (folder / "rules" / "slow.yaml").write_text(SLOW.format(units=units, ids=", ".join(f"U{i:02d}" for i in range(30))),
                                                encoding="utf-8")
    with TestClient(create_app(Settings(root=folder, timeout=0.5, prefetch=False)), base_url=LOCAL) as client:
        start = time.monotonic()
        rows = {f["name"]: f for f in client.get("/api/workspace").json()["files"]}
        assert rows["rules/slow.yaml"]["pathways"] is None and "when opened" in rows["rules/slow.yaml"]["note"]
        assert time.monotonic() - start < 10
        start = time.monotonic()
        r = client.post("/api/answers", json={"name": "rules/slow.yaml", "wait": 0})
        assert r.status_code == 202 and r.json()["state"] == "running"
        job = r.json()["id"]
        # meanwhile another tab's recount is answered
        text = text_of(client, DIPLOMA)[0]
        assert client.post("/api/recount", json={"name": DIPLOMA, "text": text}).json()["count"]["pathways"] == 67418986
        while (reply := client.get(f"/api/jobs/{job}")).status_code == 202:
            time.sleep(0.05)
        elapsed = time.monotonic() - start
        state = reply.json()
        assert elapsed < 0.5 * 2 + 0.3 + 3
        if state["state"] == "done":  # finished within its limits: every count it could not finish says so
            assert state["result"]["summary"]["count"]["status"] == "partial"
        else:
            assert state["state"] == "timed-out" and "time limit" in state["error"]
        r = client.post("/api/answers", json={"name": "rules/slow.yaml", "wait": 0})
        assert client.delete(f"/api/jobs/{r.json()['id']}").json()["state"] == "cancelled"
        assert client.get("/api/jobs/nope").status_code == 404
        assert client.post("/api/answers", json={"name": DIPLOMA, "timeout": 99}).status_code == 400
    (folder / "rules" / "slow.yaml").unlink()


def test_the_workspace_list_answers_its_structures_in_the_background(tmp_path: Path) -> None:
    folder = first_workspace(tmp_path)
    for other in (folder / "rules").glob("*.yaml"):
        if other.name not in ("l2-diploma-customer-service.yaml", "ocr-l2-nvq-customer-service.yaml"):
            other.unlink()
    with TestClient(create_app(Settings(root=folder, timeout=2.0)), base_url=LOCAL) as client:
        client.get("/api/workspace")
        state = client.app.state.studio  # type: ignore[attr-defined]
        deadline = time.monotonic() + 60
        while state.background and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not state.background
        version = text_of(client, DIPLOMA)[1]
        assert answers_key(DIPLOMA, version, 2.0) in state.cache
        assert any(k[:2] == ("diagram", DIPLOMA) for k in state.cache if isinstance(k, tuple))
        start = time.monotonic()
        result = done(client.post("/api/answers", json={"name": DIPLOMA, "wait": 0}))
        assert client.post("/api/diagram", json={"name": DIPLOMA, "format": "svg"}).status_code == 200
        assert time.monotonic() - start < 2  # answered from the cache, not computed again
        assert result["summary"] == summarise(load_qualification(folder / DIPLOMA), timeout=2.0).to_dict()


# -- who may ask ---------------------------------------------------------------------------------------------
def test_other_host_names_and_other_sites_are_refused(client: TestClient) -> None:
    assert client.get("/api/workspace", headers={"host": "evil.example:80"}).status_code == 403
    r = client.post("/api/recount", json={"name": DIPLOMA, "text": ""}, headers={"origin": "http://evil.example"})
    assert r.status_code == 403


def test_a_token_is_needed_when_the_studio_listens_wider(folder: Path) -> None:
    settings = Settings(root=folder, token="s3cret")
    with TestClient(create_app(settings), base_url="http://192.0.2.1:8000") as client:
        assert client.get("/api/workspace").status_code == 403
        assert client.get("/api/workspace", headers={"x-qualpath-token": "wrong"}).status_code == 403
        assert client.get("/api/workspace", headers={"x-qualpath-token": "s3cret"}).status_code == 200
        r = client.get("/?token=s3cret", follow_redirects=False)
        assert r.status_code == 303 and "qualpath_token=s3cret" in r.headers["set-cookie"]
        assert "httponly" in r.headers["set-cookie"].lower()


# -- the pages and the description -------------------------------------------------------------------------------
def test_every_route_is_described_in_the_openapi_document(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec == openapi()
    described = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    routes = {(m, r.path.replace("{name:path}", "{name}")) for r in ROUTES for m in (r.methods or ()) - {"HEAD"}
              if r.path.startswith("/api")}
    assert routes == described


def test_the_pages_are_served_from_the_package_and_fetch_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and '<script type="module" src="/static/app.js">' in page.text
    static = Path(analysis.__file__).parent / "static"
    for path in static.iterdir():
        r = client.get(f"/static/{path.name}")
        assert r.status_code == 200, path.name
        assert "http://" not in r.text and "https://" not in r.text, path.name
    assert "default-src 'self'" in page.headers["content-security-policy"]

