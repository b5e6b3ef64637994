// qualpath studio: the pages. Plain ES modules, no build step, nothing fetched from elsewhere.
// Every number shown comes from the JSON API (the same JSON as the command line's --json).
import { h, clear, fmt, signed, api, debounce, download, unitsLabel } from "./util.js";
import { renderBuilder, keptDraft } from "./builder.js";

const main = document.getElementById("main");
const S = { files: {}, workspace: null };          // per file: saved {text, version}, draft {text, data}, answers

// -- long work: a banner with progress and cancel ---------------------------------------------------
export async function followJob(reply) {
  if (reply.status !== 202) return reply.data;
  const banner = document.getElementById("job");
  let job = reply.data;
  const cancel = h("button", { type: "button", onclick: () => api("DELETE", `/api/jobs/${job.id}`) }, "Cancel");
  while (job.state === "running") {
    clear(banner).hidden = false;
    const share = Math.min(100, 100 * job.elapsed / job.limit);
    banner.append(h("span", {}, `Working on ${job.kind}: ${job.elapsed.toFixed(1)} s of at most ${job.limit} s`
      + (job.done ? ` · ${fmt(job.done)} done` : "")),
      h("span", { class: "progress", role: "progressbar", "aria-label": "Time used of the limit",
        "aria-valuenow": Math.round(share), "aria-valuemin": 0, "aria-valuemax": 100 },
        h("span", { style: `width:${share}%` })), cancel);
    await new Promise(r => setTimeout(r, 150));
    job = (await api("GET", `/api/jobs/${job.id}`)).data;
  }
  banner.hidden = true;
  return job;
}

function jobResult(job) {
  if (job.state === "done") return job.result;
  const why = { "cancelled": "Cancelled.", "timed-out": "Stopped at the time limit: partial, not shown as an answer.",
    "failed": "Failed." }[job.state] || job.state;
  throw new Error(`${why} ${job.error || ""}`);
}

// -- the workspace ----------------------------------------------------------------------------------
async function showWorkspace() {
  setChrome(null);
  const { data } = await api("GET", "/api/workspace");
  S.workspace = data;
  const rows = data.files.filter(f => f.kind !== "library");
  const libs = data.files.filter(f => f.kind === "library");
  const lintCells = {};
  const table = h("table", { "aria-label": "Structures in this workspace" },
    h("thead", {}, h("tr", {}, ...["Structure", "Id", "Valid", "Achievable", "Pathways", "Lint", ""].map(
      (t, i) => h("th", { class: i === 4 ? "num" : "", scope: "col" }, t)))),
    h("tbody", {}, ...rows.flatMap(f => {
      const lint = lintCells[f.name] = h("td", {}, f.valid ? h("span", { class: "muted" }, "checking…") : "–");
      const row = h("tr", {},
        h("td", {}, h("a", { href: `#/f/${encodeURIComponent(f.name)}/structure` }, f.title || f.name),
          h("div", { class: "muted" }, f.name)),
        h("td", {}, f.id || "–"),
        h("td", {}, f.valid ? h("span", { class: "ok" }, "✓ valid")
          : h("span", { class: "bad" }, `✗ ${f.problems.length} problem${f.problems.length === 1 ? "" : "s"}`)),
        h("td", {}, f.feasible === true ? h("span", { class: "ok" }, "✓ yes") : f.feasible === false
          ? h("span", { class: "bad" }, "✗ no") : h("span", { class: "muted" }, f.valid ? "when opened" : "–")),
        h("td", { class: "num" }, f.pathways == null ? h("span", { class: "muted" }, f.note ? "when opened" : "–")
          : fmt(f.pathways)),
        lint,
        h("td", {}, h("button", { type: "button", class: "small", onclick: () => duplicate(f.name),
          "aria-label": `Duplicate ${f.name} as a draft revision` }, "Duplicate as draft")));
      const out = [row];
      if (!f.valid) out.push(h("tr", {}, h("td", { colspan: 7 }, problemList(f.problems))));
      return out;
    })));
  const name = h("input", { id: "new-name", value: "drafts/new-structure.yaml", class: "wide" });
  const template = h("select", { id: "new-template" }, ...data.templates.map(t => h("option", { value: t }, t)));
  clear(main).append(
    h("h1", {}, "Workspace"), h("p", { class: "muted" }, `Rule files in ${data.root}`), table,
    libs.length ? h("p", { class: "muted" }, `Unit libraries: ${libs.map(l => l.name).join(", ")}`) : "",
    h("div", { class: "panel" }, h("h2", {}, "New structure"),
      h("div", { class: "field" }, h("label", { for: "new-name" }, "File name (inside the workspace)"), name),
      h("div", { class: "field" }, h("label", { for: "new-template" }, "Start from"), template),
      h("button", { type: "button", class: "primary", onclick: async () => {
        const r = await api("POST", "/api/files", { name: name.value, template: template.value });
        if (r.status === 201) location.hash = `#/f/${encodeURIComponent(name.value)}/build`;
        else alert(r.data.error);
      } }, "Create")));
  for (const f of rows.filter(f => f.valid)) {
    api("POST", "/api/lint", { name: f.name }).then(({ status, data: l }) => {
      const c = l.counts || {};
      clear(lintCells[f.name]).append(status !== 200 ? "–" : (l.findings || []).length === 0
        ? h("span", { class: "ok" }, "✓ nothing found")
        : h("span", { class: c.error ? "bad" : c.warning ? "warn" : "muted" },
          ["error", "warning", "info"].filter(s => c[s]).map(s => `${c[s]} ${s}${c[s] > 1 && s !== "info" ? "s" : ""}`).join(", ")));
    });
  }
}

async function duplicate(name) {
  const target = prompt("Name of the draft copy", name.replace(/\.ya?ml$/, "-draft.yaml"));
  if (!target) return;
  const r = await api("POST", "/api/files", { name: target, from: name });
  if (r.status === 201) location.hash = `#/f/${encodeURIComponent(target)}/build`; else alert(r.data.error);
}

export function problemList(problems, onPick) {
  return h("ul", { class: "problems", "aria-label": "Problems" }, ...problems.map(p => h("li", {},
    onPick && p.line ? h("button", { type: "button", class: "small", onclick: () => onPick(p),
      "aria-label": `Go to line ${p.line}` }, `line ${p.line}`) : p.line ? `line ${p.line}: ` : "", " ",
    p.path ? h("code", {}, p.path) : "", p.path ? ": " : "", p.message)));
}

// -- one file: the tabs and its state -----------------------------------------------------------------
const VIEWS = [["structure", "Structure"], ["build", "Builder"], ["whatif", "What-if"], ["learners", "Learners"],
  ["history", "History & export"]];

function setChrome(name, view) {
  const crumbs = clear(document.getElementById("crumbs"));
  const tabs = clear(document.getElementById("tabs"));
  crumbs.append(h("a", { href: "#/" }, "Workspace"));
  if (!name) return;
  crumbs.append(" / ", h("span", {}, name));
  for (const [key, label] of VIEWS) {
    tabs.append(h("a", { href: `#/f/${encodeURIComponent(name)}/${key}`, "aria-current": key === view ? "page" : null },
      label));
  }
}

export async function fileState(name) {
  let f = S.files[name];
  if (!f) {
    const r = await api("GET", `/api/files/${encodeURI(name)}`);
    if (r.status !== 200) throw new Error(r.data.error);
    f = S.files[name] = { saved: { text: r.data.text, version: r.data.version }, draft: null, answers: null };
    const kept = keptDraft(name, r.data.version);
    if (kept != null) f.draft = { text: kept, data: null, result: null, restored: true };
  }
  return f;
}

export function draftText(f) { return f.draft ? f.draft.text : f.saved.text; }
export function unsavedNote(f) {
  return f.draft && f.draft.text !== f.saved.text ? h("p", { class: "warn", role: "status" },
    "⚠ You have an unsaved draft of this file (kept in this browser): see the Builder and What-if.") : "";
}

export async function answersFor(name, f) {
  if (!f.answers || f.answers.version !== f.saved.version) {
    const job = await followJob(await api("POST", "/api/answers", { name }));
    f.answers = { version: f.saved.version, ...jobResult(job) };
  }
  return f.answers;
}

// -- the structure view ------------------------------------------------------------------------------
async function showStructure(name) {
  const f = await fileState(name);
  const a = await answersFor(name, f);
  if (!a.valid) {
    clear(main).append(h("h1", {}, name), h("p", { class: "bad" }, "✗ This file has problems:"),
      problemList(a.problems), h("p", {}, h("a", { href: `#/f/${encodeURIComponent(name)}/build` }, "Fix them in the builder")));
    return;
  }
  const s = a.summary;
  const img = h("img", { alt: `Diagram of ${s.title}: its groups and units`, id: "diagram-img" });
  const caption = h("p", { id: "highlight-note", class: "muted", role: "status" }, "The handbook diagram.");
  const by = h("select", { id: "highlight-by" }, ...["credits", "units", "hours", "fee", "glh"].map(c => h("option", { value: c }, c)));
  async function draw(highlight) {
    const r = await api("POST", "/api/diagram", { name, format: "svg", highlight, by: by.value }, "blob");
    if (r.status !== 200) { caption.textContent = (await r.data.text()); return; }
    img.src = URL.createObjectURL(r.data);
    if (highlight === "cheapest") {
      const best = (await api("POST", "/api/cheapest", { name, by: by.value })).data;
      const p = best.pathways[0];
      clear(caption).append(...(p ? [`Highlighted (ticked boxes): the first cheapest pathway by ${by.value}: ${optimumWords(best)}. `,
        h("details", {}, h("summary", {}, `Its ${p.units.length} units`), p.units.join(", "))] : ["No pathway to highlight."]));
      caption.className = "hi";
    } else { caption.textContent = "The handbook diagram."; caption.className = "muted"; }
  }
  const diagram = h("section", { "aria-label": "Diagram" },
    h("div", { class: "row-actions", style: "margin-bottom:6px" },
      h("label", { for: "highlight-by" }, "Cheapest by"), by,
      h("button", { type: "button", id: "highlight-cheapest", onclick: () => draw("cheapest") }, "Highlight cheapest pathway"),
      h("button", { type: "button", onclick: () => draw(null) }, "Clear highlight")),
    caption, h("div", { class: "diagram" }, img));
  clear(main).append(h("h1", {}, s.title), h("p", { class: "muted" }, `${s.qualification} · ${name}`), unsavedNote(f),
    h("div", { class: "grid2" }, diagram, answersPanel(name, a)));
  draw(null);
}

function optimumWords(o) {
  // the same words as `qualpath report`: the ties for the objective as named, then each tie-break
  // written out ("45 credits (753,080 pathways); of these, fewest units: 11 (442)")
  if (!o || !o.optimum) return "no pathway";
  const objective = o.objective || Object.keys(o.optimum);
  const levels = o.ties_by_level || [];
  if (objective.length > 1 && levels.length === objective.length) {
    return objective.map((k, i) => {
      const n = levels[i].pathways;
      if (i === 0) return `${fmt(o.optimum[k])} ${k}` + (n == null ? "" : ` (${fmt(n)} pathway${n === 1 ? "" : "s"})`);
      return `of these, fewest ${k}: ${fmt(o.optimum[k])}` + (n == null ? "" : ` (${fmt(n)})`);
    }).join("; ");
  }
  const words = Object.entries(o.optimum).map(([k, v]) => `${fmt(v)} ${k}`).join(", ");
  return o.ties == null ? words : `${words} (${fmt(o.ties)} pathway${o.ties === 1 ? "" : "s"} tie)`;
}

function countWords(c) {
  if (!c) return "not known";
  return c.status === "partial" ? `at least ${fmt(c.pathways)} (partial: stopped at the time limit)` : fmt(c.pathways);
}

function declaredWords(findings) {
  const ok = findings.filter(f => f.code === "declared-ok").length;
  const bad = findings.filter(f => f.code === "declared-mismatch").length;
  if (!ok && !bad) return "none declared";
  return bad ? h("span", { class: "bad" }, `✗ ${bad} do not match the rules` + (ok ? `; ${ok} check out` : ""))
    : h("span", { class: "ok" }, `✓ all ${ok} check out`);
}

function answersPanel(name, a) {
  const s = a.summary;
  const fe = s.feasibility;
  const none = fe.status === "infeasible";  // proven: no pathway at all
  const lint = a.lint.findings;
  const enc = encodeURIComponent(name);
  return h("section", { class: "panel", "aria-label": "Answers" },
    h("dl", { class: "facts" },
      h("dt", {}, "Achievable"),
      h("dd", {}, s.feasible ? h("span", { class: "ok" }, "✓ yes") : h("span", { class: "bad" },
        "✗ no: these rules clash: ", fe.conflict.map(c => c.text || c.rule || JSON.stringify(c)).join("; "))),
      h("dt", {}, "Pathways"), h("dd", { class: "big", id: "pathways" }, none ? "0" : countWords(s.count)),
      s.count ? h("dd", { class: "muted" }, `by ${s.count.method}`) : "",
      h("dt", {}, "Minimal pathways (no unit can be dropped)"), h("dd", { id: "minimal" }, none ? "0" : countWords(s.minimal)),
      s.cheapest_by_credits ? [h("dt", {}, "Cheapest by credits"), h("dd", {}, optimumWords(s.cheapest_by_credits)),
        s.cheapest_by_credits.pathways[0] ? h("dd", { class: "muted" }, "e.g. " + unitsLabel(s.cheapest_by_credits.pathways[0].units)) : ""] : "",
      s.cheapest_by_units ? [h("dt", {}, "Cheapest by units"), h("dd", {}, optimumWords(s.cheapest_by_units))] : "",
      h("dt", {}, "Units in every pathway"), h("dd", {}, s.always.length ? unitsLabel(s.always) : "none"),
      h("dt", {}, "Units in no pathway"), h("dd", {}, s.never.length ? h("span", { class: "warn" }, "⚠ " + unitsLabel(s.never)) : "none"),
      h("dt", {}, "Declared figures (as the handbook states them)"), h("dd", { id: "declared" }, declaredWords(lint))),
    h("h2", {}, `Findings (${lint.length})`),
    lint.length ? h("ul", { class: "findings" }, ...lint.map(x => h("li", {},
      h("span", { class: `badge ${x.severity === "error" ? "bad" : x.severity === "warning" ? "warn" : "muted"}` },
        { error: "✗ error", warning: "⚠ warning", info: "ℹ info" }[x.severity] || x.severity), " ",
      x.message, " ", x.line ? h("a", { href: `#/f/${enc}/build?line=${x.line}&path=${encodeURIComponent(x.path)}`,
        "aria-label": `Show ${x.path || "this"} in the builder (line ${x.line})` }, `line ${x.line}`) : "")))
      : h("p", { class: "ok" }, "✓ Nothing found."));
}

// -- what-if -------------------------------------------------------------------------------------------
async function showWhatIf(name) {
  const f = await fileState(name);
  const text = draftText(f);
  const csvInput = h("input", { type: "file", id: "whatif-learners", accept: ".csv,text/csv" });
  const out = h("div", {});
  const drawn = h("div", {});
  async function run() {
    let learners_csv = null;
    if (csvInput.files[0]) learners_csv = await csvInput.files[0].text();
    clear(out).append(h("p", { class: "muted" }, "Comparing…"));
    try {
      const d = jobResult(await followJob(await api("POST", "/api/diff", { name, text, learners_csv })));
      clear(out).append(diffView(d));
      const r = await api("POST", "/api/diff/diagram", { name, text, format: "svg" }, "blob");
      if (r.status === 200) clear(drawn).append(h("div", { class: "diagram" },
        h("img", { src: URL.createObjectURL(r.data), alt: "Diagram of the draft with the changes marked" })));
    } catch (e) { clear(out).append(h("p", { class: "bad" }, e.message)); }
  }
  clear(main).append(h("h1", {}, "What-if: the draft against the saved version"),
    h("p", { class: "muted" }, f.draft && f.draft.text !== f.saved.text ? "Comparing your unsaved draft with the saved file."
      : "The draft is the same as the saved file: edit it in the builder to see what a change does."),
    h("div", { class: "row-actions" }, h("label", { for: "whatif-learners" }, "Learner file (optional, CSV)"), csvInput,
      h("button", { type: "button", class: "primary", onclick: run }, "Compare")),
    h("div", { class: "grid2" }, out, h("section", { "aria-label": "The change, drawn" }, drawn)));
  run();
}

function diffView(d) {
  const before = d.pathways.before, after = d.pathways.after;
  const change = before != null && after != null ? ` (${signed(after - before)})` : "";
  const items = [...d.units.map(u => `unit ${u.change}: ${u.unit}` + (u.change === "changed"
    ? ": " + Object.entries(u.fields).map(([k, v]) => `${k} ${v.old} → ${v.new}`).join(", ") : "")),
  ...d.rules.map(r => r.change === "added" ? `rule added: ${r.new}` : r.change === "removed" ? `rule removed: ${r.old}` : `rule changed: ${r.old} → ${r.new}`)];
  return h("div", { class: "panel", id: "diff" },
    h("p", { class: "big" }, `Pathways ${before == null ? "not known" : fmt(before)} → ${after == null ? "not known" : fmt(after)}${change}`),
    h("p", {}, `Lost: ${d.lost == null ? "not known" : fmt(d.lost)} · Gained: ${d.gained == null ? "not known" : fmt(d.gained)}`
      + (d.status === "partial" ? ` (partial: ${d.note})` : "")),
    h("h2", {}, "What changed"), items.length ? h("ul", {}, ...items.map(t => h("li", {}, t))) : h("p", {}, "Nothing."),
    d.newly_dead.length ? h("p", { class: "warn" }, "⚠ Units now in no pathway: " + d.newly_dead.join(", ")) : "",
    d.newly_forced.length ? h("p", {}, "Units now in every pathway: " + d.newly_forced.join(", ")) : "",
    d.lost_examples.length ? [h("h2", {}, "Examples of lost pathways"), h("ul", {}, ...d.lost_examples.map((p, i) =>
      h("li", {}, p.units.join(", "), (d.lost_examples_break || [])[i] && d.lost_examples_break[i].length
        ? h("div", { class: "warn" }, "⚠ " + d.lost_examples_break[i].join("; ").replace("valid again without: ", "lost because of the rule: ")) : "")))] : "",
    d.gained_examples.length ? [h("h2", {}, "Examples of gained pathways"), h("ul", {}, ...d.gained_examples.map(p => h("li", {}, unitsLabel(p.units))))] : "",
    d.learners.length ? [h("h2", {}, `Learners affected (${d.learners.length})`), h("ul", {}, ...d.learners.map(l =>
      h("li", {}, `${l.learner}: ${l.reasons.join("; ")}`)))] : "");
}

// -- learners -------------------------------------------------------------------------------------------
async function showLearners(name) {
  const f = await fileState(name);
  const a = await answersFor(name, f);
  const units = a.units || [];
  const held = [];
  const chips = h("div", { class: "chips", "aria-label": "Achieved units", role: "list" });
  const search = h("input", { id: "unit-search", list: "unit-options", class: "wide", placeholder: "id or title",
    onkeydown: e => { if (e.key === "Enter") { e.preventDefault(); add(); } } });
  const options = h("datalist", { id: "unit-options" }, ...units.map(u => h("option", { value: u.id }, `${u.id} — ${u.title}`)));
  const result = h("div", { id: "audit-result" });
  function add() {
    const v = search.value.trim();
    const u = units.find(x => x.id === v) || units.find(x => x.title.toLowerCase() === v.toLowerCase())
      || units.find(x => x.title.toLowerCase().includes(v.toLowerCase()) && v.length > 2);
    if (!u) { search.setAttribute("aria-invalid", "true"); return; }
    search.removeAttribute("aria-invalid");
    if (!held.includes(u.id)) held.push(u.id);
    search.value = ""; drawChips();
  }
  function drawChips() {
    clear(chips).append(...held.map(id => h("span", { class: "chip", role: "listitem" }, id,
      h("button", { type: "button", "aria-label": `Remove ${id}`, onclick: () => { held.splice(held.indexOf(id), 1); drawChips(); } }, "×"))));
  }
  async function run() {
    const r = await api("POST", "/api/audit", { name, achieved: held, by: "credits" });
    if (r.status !== 200) { clear(result).append(h("p", { class: "bad" }, r.data.error)); return; }
    clear(result).append(auditView(r.data));
  }
  const file = h("input", { type: "file", id: "batch-file", accept: ".csv,text/csv" });
  const batchOut = h("div", { id: "batch-result" });
  async function batch() {
    if (!file.files[0]) return;
    const csv = await file.files[0].text();
    clear(batchOut).append(h("p", { class: "muted" }, "Auditing…"));
    try {
      const res = jobResult(await followJob(await api("POST", "/api/audit/batch", { name, csv })));
      if (res.error) { clear(batchOut).append(h("p", { class: "bad" }, res.error)); return; }
      clear(batchOut).append(h("p", {}, `${fmt(res.learners)} learners audited; ${fmt(res.achieved)} have achieved.`),
        h("button", { type: "button", onclick: () => download(res.report_csv, "audit-report.csv", "text/csv") }, "Download the report (CSV)"),
        h("div", { class: "scroll" }, h("table", { "aria-label": "Batch audit (first rows)" },
          h("thead", {}, h("tr", {}, ...["learner", "achieved", "remaining_credits", "add", "status"].map(c => h("th", { scope: "col" }, c)))),
          h("tbody", {}, ...res.rows.map(r => h("tr", {}, ...["learner", "achieved", "remaining_credits", "add", "status"].map(c => h("td", {}, r[c] ?? "")))))))); 
    } catch (e) { clear(batchOut).append(h("p", { class: "bad" }, e.message)); }
  }
  clear(main).append(h("h1", {}, "Learners"), options,
    h("div", { class: "panel" }, h("h2", {}, "Audit one learner"),
      h("div", { class: "row-actions" }, h("label", { for: "unit-search" }, "Achieved unit (search by id or title)"), search,
        h("button", { type: "button", onclick: add }, "Add"), h("button", { type: "button", class: "primary", id: "run-audit", onclick: run }, "Audit")),
      chips, result),
    h("div", { class: "panel" }, h("h2", {}, "Audit a learner file"),
      h("p", { class: "muted" }, "A CSV with columns learner, unit (and optionally qualification, status, date), as for qualpath audit --learners."),
      h("div", { class: "row-actions" }, h("label", { for: "batch-file" }, "Learner CSV"), file,
        h("button", { type: "button", onclick: batch }, "Audit every learner")), batchOut));
}

function auditView(a) {
  const best = a.completions[0];
  const mark = { met: "✓ met", "not yet": "… not yet", exceeded: "✗ exceeded" };
  return h("div", {},
    h("p", { class: "big", id: "audit-headline" }, a.achieved ? "✓ Achieved" : a.remaining
      ? `Not yet: ${Object.entries(a.remaining).map(([k, v]) => `${fmt(v)} ${k}`).join(", ")} still to add` : "No pathway can be completed"),
    best && best.add.length ? h("p", {}, "Cheapest way to finish: add " + unitsLabel(best.add)) : "",
    a.unknown.length ? h("p", { class: "bad" }, "✗ Not units of this structure: " + a.unknown.join(", ")) : "",
    h("table", { "aria-label": "Progress on every rule" },
      h("thead", {}, h("tr", {}, ...["Rule", "Wants", "Held", "Status"].map(c => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...a.progress.map(p => h("tr", {}, h("td", {}, p.title || p.rule), h("td", {}, p.wants),
        h("td", {}, `${fmt(p.held_credits)} credits, ${p.held_units.length} unit${p.held_units.length === 1 ? "" : "s"}`),
        h("td", { class: p.status === "met" ? "ok" : p.status === "not yet" ? "warn" : "bad" }, mark[p.status] || p.status))))));
}

// -- history and export ------------------------------------------------------------------------------------
async function showHistory(name) {
  const f = await fileState(name);
  const { data } = await api("GET", `/api/history?name=${encodeURIComponent(name)}`);
  const note = h("p", { role: "status", id: "history-note" });
  const stem = name.split("/").pop().replace(/\.ya?ml$/, "");
  async function image(fmtName) {
    const r = await api("POST", "/api/diagram", { name, text: draftText(f), format: fmtName }, "blob");
    if (r.status === 200) download(r.data, `${stem}.${fmtName}`); else note.textContent = "Could not draw: the draft has problems.";
  }
  async function textExport(kind) {
    const r = await api("POST", "/api/export", { name, text: draftText(f), format: kind }, "text");
    download(r.data, `${stem}.${kind === "mermaid" ? "mmd" : "dot"}`, "text/plain");
  }
  async function answersJson() {
    const a = await answersFor(name, f);
    download(JSON.stringify({ summary: a.summary, lint: a.lint }, null, 2), `${stem}.json`, "application/json");
  }
  clear(main).append(h("h1", {}, "History & export"),
    h("div", { class: "panel" }, h("h2", {}, "Export"), h("div", { class: "row-actions" },
      h("button", { type: "button", onclick: () => download(draftText(f), `${stem}.yaml`, "text/yaml") }, "YAML"),
      h("button", { type: "button", onclick: () => image("svg") }, "Diagram SVG"),
      h("button", { type: "button", onclick: () => image("png") }, "Diagram PNG"),
      h("button", { type: "button", onclick: () => image("pdf") }, "Diagram PDF"),
      h("button", { type: "button", onclick: () => textExport("mermaid") }, "Mermaid"),
      h("button", { type: "button", onclick: () => textExport("dot") }, "DOT"),
      h("button", { type: "button", onclick: answersJson }, "Answers (JSON)"))),
    h("div", { class: "panel" }, h("h2", {}, "Earlier versions"), note,
      data.history.length ? h("table", { "aria-label": "Earlier versions" },
        h("thead", {}, h("tr", {}, ...["Saved (UTC)", "Why kept", "Size", ""].map(c => h("th", { scope: "col" }, c)))),
        h("tbody", {}, ...data.history.map((r, i) => h("tr", {}, h("td", {}, r.saved.replace("T", " ").replace("Z", "")),
          h("td", {}, r.reason === "conflict" ? "⚠ a save refused in a conflict" : "replaced by a save"),
          h("td", { class: "num" }, `${fmt(r.size)} bytes`),
          h("td", {}, h("button", { type: "button", class: "small", id: i === 0 ? "restore-latest" : null,
            "aria-label": `Restore the version saved ${r.saved}`, onclick: async () => {
              const res = await api("POST", "/api/restore", { name, id: r.id, version: f.saved.version });
              if (res.status !== 200) { note.textContent = res.data.error; note.className = "bad"; return; }
              f.saved = { text: res.data.text, version: res.data.version }; f.draft = null; f.answers = null;
              note.textContent = "✓ Restored. The version it replaced is kept here too."; note.className = "ok";
              showHistory(name);
            } }, "Restore"))))))
        : h("p", { class: "muted" }, "No earlier versions yet: each save keeps the version it replaces.")));
}

// -- routing --------------------------------------------------------------------------------------------
async function route() {
  const m = location.hash.match(/^#\/f\/([^/]+)\/(\w+)(?:\?(.*))?$/);
  try {
    if (!m) return await showWorkspace();
    const name = decodeURIComponent(m[1]);
    const view = m[2];
    setChrome(name, view);
    if (view === "build") return await renderBuilder(main, name, new URLSearchParams(m[3] || ""));
    if (view === "whatif") return await showWhatIf(name);
    if (view === "learners") return await showLearners(name);
    if (view === "history") return await showHistory(name);
    return await showStructure(name);
  } catch (e) {
    clear(main).append(h("p", { class: "bad", role: "alert" }, `✗ ${e.message}`));
  } finally {
    document.body.dataset.ready = location.hash || "#/";
  }
}

export function forget(name) { delete S.files[name]; }
window.addEventListener("hashchange", () => { document.body.dataset.ready = ""; route(); });
route();
