// The builder: the structure in forms beside its YAML, kept in step both ways, recounted as you type.
// A form edit changes the plain data and asks the server to write it into the YAML text (comments and
// layout kept); a YAML edit asks the server to read it back into data. Both answer with the live count.
import { h, clear, fmt, signed, api, debounce } from "./util.js";
import { fileState, answersFor, problemList, followJob } from "./app.js";

const LIMITS = [["min_credits", "Min credits"], ["max_credits", "Max credits"], ["min_units", "Min units"], ["max_units", "Max units"]];
const ALL_COLS = [["id", "Id"], ["title", "Title"], ["credits", "Credits"], ["level", "Level"], ["glh", "GLH"], ["hours", "Hours"], ["fee", "Fee"]];
const EXTRA = ["glh", "hours", "fee"];
let UNIT_COLS = ALL_COLS;
let showExtra = false;

// The form field a problem's document path is about (requirements[1].requirements[1].min_credits -> r1-1-min_credits).
function fieldFor(path) {
  let m = path.match(/^units\[(\d+)\]\.(\w+)/);
  if (m) return `u-${m[1]}-${m[2]}`;
  m = path.match(/^((?:requirements\[\d+\]\.?)+)(\w+)?$/);
  if (m) {
    const idx = [...m[1].matchAll(/\[(\d+)\]/g)].map(x => x[1]);
    return `r${idx.join("-")}-${m[2] || "id"}`;
  }
  m = path.match(/^(barred|prerequisites|level_rules)\[(\d+)\]\.?(\w+)?/);
  if (m) return `${m[1]}-${m[2]}-${m[3] || (m[1] === "prerequisites" ? "unit" : m[1] === "barred" ? "units" : "level")}`;
  return `q-${path.split(/[.[]/)[0]}`;
}

function parseValue(text, numeric) {
  const v = text.trim();
  if (v === "") return undefined;
  if (numeric && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return numeric ? v : text;
}
function ids(text) { return text.split(/[,\n]/).map(s => s.trim()).filter(Boolean); }
function setKey(obj, key, value) { if (value === undefined) delete obj[key]; else obj[key] = value; }

// An unsaved draft survives a reload of the page: kept in this browser, tied to the version it was edited from.
export function keepDraft(name, f) {
  const key = `qualpath-draft:${location.host}:${name}`;
  try {
    if (f.draft && f.draft.text !== f.saved.text) localStorage.setItem(key, JSON.stringify({ base: f.saved.version, text: f.draft.text }));
    else localStorage.removeItem(key);
  } catch { /* storage full or disabled: the draft lives until the page closes */ }
}

export function keptDraft(name, version) {
  try {
    const kept = JSON.parse(localStorage.getItem(`qualpath-draft:${location.host}:${name}`) || "null");
    return kept && kept.base === version ? kept.text : null;
  } catch { return null; }
}

export async function renderBuilder(main, name, params) {
  const f = await fileState(name);
  const saved = await answersFor(name, f);
  const base = saved.valid ? saved.summary.count : null;
  const restored = f.draft && f.draft.restored;
  if (!f.draft || !f.draft.result) {
    const text = f.draft ? f.draft.text : f.saved.text;
    const r = await api("POST", "/api/recount", { name, text });
    f.draft = { text, data: r.data.data, result: r.data };
  }
  const libraryUnits = (saved.units || []).map(u => u.id);
  let seq = 0;

  // -- status: the live count and the located problems ------------------------------------------------
  const recountEl = h("span", { id: "recount", role: "status", "aria-live": "polite" });
  const problemsEl = h("div", { id: "problems" });
  const saveNote = h("span", { id: "save-note", role: "status" });
  const conflictEl = h("div", { id: "conflict" });
  function showResult(r) {
    f.draft.result = r;
    keepDraft(name, f);
    clear(problemsEl);
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    for (const p of r.valid ? [] : r.problems) {
      const el = p.path && document.getElementById(fieldFor(p.path));
      if (el) { el.setAttribute("aria-invalid", "true"); el.setAttribute("title", p.message); }
    }
    if (!r.valid) {
      recountEl.textContent = `✗ ${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}: not counted`;
      recountEl.className = "bad";
      problemsEl.append(problemList(r.problems, p => pickLine(p.line)));
      return;
    }
    recountEl.className = "";
    const c = r.count;
    const before = base && base.status === "complete" ? base.pathways : null;
    if (!c) { recountEl.textContent = "Counting with the general engine…"; if (r.job) follow(r.job); return; }
    const now = c.status === "partial" ? `at least ${fmt(c.pathways)} (partial)` : fmt(c.pathways);
    if (before == null || c.status === "partial") recountEl.textContent = `Pathways ${now}`;
    else if (c.pathways === before) recountEl.textContent = `Pathways ${fmt(before)} (unchanged)`;
    else {
      recountEl.replaceChildren(`Pathways ${fmt(before)} → ${now} `,
        h("span", { class: c.pathways > before ? "delta-up" : "delta-down" }, `(${signed(c.pathways - before)})`));
    }
  }
  async function follow(job) {
    const done = await followJob({ status: 202, data: job });
    if (done.state === "done") showResult({ ...f.draft.result, count: done.result });
    else recountEl.textContent = `Pathways not known (${done.state}: ${done.error || ""})`;
  }

  // -- the YAML side ----------------------------------------------------------------------------------------
  const yaml = h("textarea", { id: "yaml", spellcheck: "false", "aria-label": "YAML source", wrap: "off" });
  yaml.value = f.draft.text;
  const recount = debounce(async () => {
    const mine = ++seq;
    const r = await api("POST", "/api/recount", { name, text: yaml.value });
    if (mine !== seq) return;
    if (r.status !== 200) { recountEl.textContent = r.data.error; return; }
    if (r.data.data && typeof r.data.data === "object") { f.draft.data = r.data.data; drawForm(); }
    showResult(r.data);
  }, 250);
  yaml.addEventListener("input", () => { f.draft.text = yaml.value; recount(); });
  function pickLine(line) {
    const lines = yaml.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    yaml.focus();
    yaml.setSelectionRange(start, start + (lines[line - 1] || "").length);
    yaml.scrollTop = Math.max(0, (line - 6) * 18);
  }

  // -- the form side: every change goes through here ---------------------------------------------------------
  const apply = debounce(async () => {
    const mine = ++seq;
    const r = await api("POST", "/api/apply", { name, text: f.draft.text, data: f.draft.data });
    if (mine !== seq) return;
    if (r.status !== 200) { recountEl.textContent = `✗ ${r.data.error}`; return; }
    f.draft.text = r.data.text;
    if (document.activeElement !== yaml) yaml.value = r.data.text;
    showResult(r.data);
  }, 250);
  function changed(structural) { if (structural) drawForm(); apply(); }

  const form = h("div", { id: "form" });
  function drawForm() {
    const focused = document.activeElement && document.activeElement.id;
    const d = f.draft.data;
    if (!d || typeof d !== "object") { clear(form).append(h("p", { class: "bad" }, "The YAML is not a mapping: fix it on the right.")); return; }
    clear(form).append(headerFields(d), unitsSection(d), requirementsSection(d), extrasSection(d));
    if (focused) { const el = document.getElementById(focused); if (el && el !== yaml) el.focus(); }
  }

  function input(id, label, value, onInput, opts = {}) {
    const el = h("input", { id, value: value == null ? "" : String(value), class: opts.wide ? "wide" : "",
      "aria-label": opts.aria || null, inputmode: opts.numeric ? "decimal" : null,
      oninput: e => onInput(e.target.value) });
    return h("div", { class: "field" }, h("label", { for: id }, label), el);
  }

  function headerFields(d) {
    return h("section", { class: "panel", "aria-labelledby": "h-qual" }, h("h2", { id: "h-qual" }, "Qualification"),
      input("q-id", "Id", d.id, v => { setKey(d, "id", parseValue(v, false)); changed(); }),
      input("q-title", "Title", d.title, v => { setKey(d, "title", parseValue(v, false)); changed(); }, { wide: true }),
      input("q-level", "Level", d.level, v => { setKey(d, "level", parseValue(v, true)); changed(); }, { numeric: true }),
      ...LIMITS.map(([k, label]) => input(`q-${k}`, `${label} (whole pathway)`, d[k],
        v => { setKey(d, k, parseValue(v, true)); changed(); }, { numeric: true })));
  }

  function unitsSection(d) {
    d.units = d.units || [];
    const used = EXTRA.filter(k => d.units.some(u => u[k] != null));
    UNIT_COLS = ALL_COLS.filter(([k]) => !EXTRA.includes(k) || showExtra || used.includes(k));
    const rows = d.units.map((u, i) => h("tr", {}, ...UNIT_COLS.map(([k, label]) => h("td", { class: k },
      h("input", { id: `u-${i}-${k}`, value: u[k] == null ? "" : String(u[k]), "aria-label": `${label} of unit ${i + 1} (${u.id || "new"})`,
        inputmode: ["id", "title"].includes(k) ? null : "decimal",
        oninput: e => { setKey(u, k, parseValue(e.target.value, !["id", "title"].includes(k))); changed(); },
        onkeydown: e => gridKeys(e, i, k) }))),
      h("td", {}, h("button", { type: "button", class: "small", "aria-label": `Remove unit ${u.id}`,
        onclick: () => { d.units.splice(i, 1); changed(true); } }, "Remove"))));
    const paste = h("textarea", { id: "paste-units", rows: 2, cols: 60, placeholder: "id<TAB>title<TAB>credits<TAB>level" });
    const fromLibraries = libraryUnits.filter(id => !d.units.some(u => u.id === id));
    return h("section", { class: "panel", "aria-labelledby": "h-units" }, h("h2", { id: "h-units" }, `Units (${d.units.length})`),
      h("p", { class: "muted" }, "Edit like a spreadsheet: arrow keys move between cells; Enter goes down."),
      h("div", { class: "scroll" }, h("table", { class: "units-table", "aria-label": "Units" },
        h("thead", {}, h("tr", {}, ...UNIT_COLS.map(([, l]) => h("th", { scope: "col" }, l)), h("th", {}, h("span", { class: "sr" }, "Actions")))),
        h("tbody", {}, ...rows))),
      h("div", { class: "row-actions", style: "margin-top:6px" },
        used.length < EXTRA.length ? h("label", {}, h("input", { type: "checkbox", id: "show-extra", checked: showExtra,
          onchange: e => { showExtra = e.target.checked; drawForm(); } }), " Show GLH, hours and fee columns") : "",
        h("button", { type: "button", id: "add-unit", onclick: () => { d.units.push({ id: `unit-${d.units.length + 1}`, title: "New unit" }); changed(true); } }, "Add unit")),
      h("div", { style: "margin-top:6px" }, h("label", { for: "paste-units" }, "Paste rows from a spreadsheet (id, title, credits, level; tab or comma separated)"),
        h("div", { class: "row-actions" }, paste, h("button", { type: "button", onclick: () => {
          for (const line of paste.value.split("\n").filter(l => l.trim())) {
            const [id, title, credits, level] = line.split(line.includes("\t") ? "\t" : ",").map(s => s.trim());
            const u = { id, title: title || id };
            setKey(u, "credits", parseValue(credits || "", true)); setKey(u, "level", parseValue(level || "", true));
            d.units.push(u);
          }
          paste.value = ""; changed(true);
        } }, "Add pasted rows"))),
      fromLibraries.length ? h("p", { class: "muted" }, `${fromLibraries.length} more units come from the unit libraries (edit them there): ${fromLibraries.join(", ")}`) : "");
  }

  function gridKeys(e, i, k) {
    const col = UNIT_COLS.findIndex(([c]) => c === k);
    const moves = { ArrowUp: [i - 1, col], ArrowDown: [i + 1, col], Enter: [i + 1, col] };
    if (e.target.selectionStart === 0 && e.key === "ArrowLeft") moves.ArrowLeft = [i, col - 1];
    if (e.target.selectionEnd === e.target.value.length && e.key === "ArrowRight") moves.ArrowRight = [i, col + 1];
    const to = moves[e.key];
    if (!to || to[1] < 0 || to[1] >= UNIT_COLS.length) return;
    const el = document.getElementById(`u-${to[0]}-${UNIT_COLS[to[1]][0]}`);
    if (el) { e.preventDefault(); el.focus(); el.select(); }
  }

  function groupsOf(list, out = []) {
    for (const r of list || []) { if (r.kind === "group") out.push(r); else groupsOf(r.requirements, out); }
    return out;
  }

  function requirementsSection(d) {
    d.requirements = d.requirements || [];
    const allUnits = [...new Set([...(d.units || []).map(u => u.id), ...libraryUnits])];
    const unitSel = h("select", { id: "move-unit" }, ...allUnits.map(u => h("option", { value: u }, u)));
    const groupSel = h("select", { id: "move-to" }, ...groupsOf(d.requirements).map(g => h("option", { value: g.id }, g.title || g.id)));
    return h("section", { class: "panel", "aria-labelledby": "h-req" }, h("h2", { id: "h-req" }, "Groups and combinations"),
      ...d.requirements.map((r, i) => requirement(r, d.requirements, i, `r${i}`)),
      h("div", { class: "row-actions" },
        h("button", { type: "button", onclick: () => { d.requirements.push(newGroup(d)); changed(true); } }, "Add group"),
        h("button", { type: "button", onclick: () => { d.requirements.push({ kind: "all_of", id: `part-${d.requirements.length + 1}`, requirements: [newGroup(d)] }); changed(true); } }, "Add combination")),
      h("div", { class: "row-actions", style: "margin-top:8px" },
        h("label", { for: "move-unit" }, "Move unit"), unitSel, h("label", { for: "move-to" }, "to"), groupSel,
        h("button", { type: "button", onclick: () => {
          const unit = unitSel.value;
          for (const g of groupsOf(d.requirements)) {
            if (g.units) g.units = g.units.filter(u => u !== unit);
            if (g.id === groupSel.value) g.units = [...(g.units || []), unit];
          }
          changed(true);
        } }, "Move")));
  }

  function newGroup(d) { return { kind: "group", id: `G${groupsOf(d.requirements).length + 1}`, title: "New group", units: [] }; }

  function requirement(r, siblings, i, key) {
    const isGroup = r.kind === "group";
    const label = r.id || `#${i + 1}`;
    const move = (by) => { const j = i + by; if (j < 0 || j >= siblings.length) return; [siblings[i], siblings[j]] = [siblings[j], siblings[i]]; changed(true); };
    const head = h("div", { class: "req-head" },
      h("strong", {}, isGroup ? "Group" : "Combination"),
      isGroup ? "" : h("select", { id: `${key}-kind`, "aria-label": `Kind of combination ${label}`,
        onchange: e => { r.kind = e.target.value; if (r.kind !== "at_least") delete r.k; else r.k = r.k || 1; changed(true); } },
        ...[["all_of", "all of"], ["any_of", "any of"], ["at_least", "at least k of"]].map(([v, t]) => h("option", { value: v, selected: r.kind === v ? true : null }, t))),
      h("button", { type: "button", class: "small", "aria-label": `Move ${label} up`, onclick: () => move(-1) }, "↑ Up"),
      h("button", { type: "button", class: "small", "aria-label": `Move ${label} down`, onclick: () => move(1) }, "↓ Down"),
      h("button", { type: "button", class: "small", "aria-label": `Remove ${label}`, onclick: () => { siblings.splice(i, 1); changed(true); } }, "Remove"));
    const fields = [
      input(`${key}-id`, "Id", r.id, v => { setKey(r, "id", parseValue(v, false)); changed(); }, { aria: `Id of ${label}` }),
      input(`${key}-title`, "Title", r.title, v => { setKey(r, "title", parseValue(v, false)); changed(); }, { wide: true, aria: `Title of ${label}` }),
      ...LIMITS.map(([k, l]) => input(`${key}-${k}`, l, r[k], v => { setKey(r, k, parseValue(v, true)); changed(); }, { numeric: true, aria: `${l} of ${label}` })),
    ];
    if (r.kind === "at_least") fields.push(input(`${key}-k`, "k", r.k, v => { setKey(r, "k", parseValue(v, true)); changed(); }, { numeric: true, aria: `k of ${label}` }));
    if (isGroup) {
      fields.push(h("div", { class: "field check" },
        h("input", { type: "checkbox", id: `${key}-mandatory`, checked: r.mandatory, "aria-label": `Every unit of ${label} is mandatory`,
          onchange: e => { setKey(r, "mandatory", e.target.checked || undefined); changed(); } }),
        h("label", { for: `${key}-mandatory` }, "Mandatory (every unit)")));
      fields.push(h("div", { style: "width:100%" }, h("label", { for: `${key}-units` }, `Units of ${label} (ids, separated by commas)`),
        h("textarea", { id: `${key}-units`, class: "units-input", rows: Math.min(6, Math.max(1, Math.ceil((r.units || []).join(", ").length / 75))), "aria-label": `Units of ${label}`,
          oninput: e => { r.units = ids(e.target.value); changed(); } }, (r.units || []).join(", "))));
      return h("div", { class: "req", role: "group", "aria-label": `Group ${label}` }, head, ...fields);
    }
    r.requirements = r.requirements || [];
    return h("div", { class: "req combo", role: "group", "aria-label": `Combination ${label}` }, head, ...fields,
      ...r.requirements.map((c, j) => requirement(c, r.requirements, j, `${key}-${j}`)),
      h("div", { class: "row-actions" },
        h("button", { type: "button", class: "small", onclick: () => { r.requirements.push(newGroup(f.draft.data)); changed(true); } }, `Add group inside ${label}`),
        h("button", { type: "button", class: "small", onclick: () => { r.requirements.push({ kind: "any_of", id: `${r.id}-part`, requirements: [newGroup(f.draft.data)] }); changed(true); } }, `Add combination inside ${label}`)));
  }

  function listEditor(d, key, title, blank, cols) {
    d[key] = d[key] || [];
    const rows = d[key].map((item, i) => h("div", { class: "row-actions", style: "margin-bottom:4px" },
      ...cols.map(([k, label, kind]) => {
        const id = `${key}-${i}-${k}`;
        if (kind === "select") {
          return h("div", { class: "field" }, h("label", { for: id }, label), h("select", { id, onchange: e => { item[k] = e.target.value; changed(); } },
            ...[["at_or_above", "at or above"], ["below", "below"]].map(([v, t]) => h("option", { value: v, selected: item[k] === v ? true : null }, t))));
        }
        const value = kind === "ids" ? (item[k] || []).join(", ") : item[k];
        return input(id, `${label}`, value, v => {
          if (kind === "ids") { const list = ids(v); setKey(item, k, list.length ? list : undefined); }
          else setKey(item, k, parseValue(v, kind === "number"));
          changed();
        }, { numeric: kind === "number", wide: kind === "ids", aria: `${label} of ${title.toLowerCase()} ${i + 1}` });
      }),
      h("button", { type: "button", class: "small", "aria-label": `Remove ${title.toLowerCase()} ${i + 1}`,
        onclick: () => { d[key].splice(i, 1); if (!d[key].length) delete d[key]; changed(true); } }, "Remove")));
    return h("div", {}, h("h3", {}, title), ...rows,
      h("button", { type: "button", class: "small", onclick: () => { d[key] = [...(d[key] || []), blank()]; changed(true); } }, `Add ${title.toLowerCase().replace(/s$/, "")}`));
  }

  function extrasSection(d) {
    const section = h("section", { class: "panel", "aria-labelledby": "h-extra" }, h("h2", { id: "h-extra" }, "Barred units, prerequisites, level rules"),
      listEditor(d, "barred", "Barred sets", () => ({ units: [] }), [["units", "Units that may not be taken together", "ids"], ["reason", "Reason", "text"]]),
      listEditor(d, "prerequisites", "Prerequisites", () => ({ unit: "" }), [["unit", "Unit", "text"], ["requires", "Requires all of", "ids"], ["requires_one_of", "Requires one of", "ids"]]),
      listEditor(d, "level_rules", "Level rules", () => ({ kind: "at_or_above", level: 3 }), [["kind", "Units", "select"], ["level", "Level", "number"],
        ["min_credits", "Min credits", "number"], ["max_credits", "Max credits", "number"]]));
    for (const k of ["barred", "prerequisites", "level_rules"]) if (Array.isArray(d[k]) && !d[k].length) delete d[k];
    return section;
  }

  // -- saving ------------------------------------------------------------------------------------------------
  async function save() {
    await apply.flush();
    await recount.flush();
    const r = await api("PUT", `/api/files/${encodeURI(name)}`, { text: f.draft.text, version: f.saved.version });
    clear(conflictEl);
    if (r.status === 409) {
      keepDraft(name, f);  // the refused text stays in this browser too, as well as in the history
      conflictEl.append(h("div", { class: "conflict", role: "alert" }, h("strong", {}, "✗ Not saved: conflict. "), r.data.error, " ",
        h("button", { type: "button", onclick: async () => {
          const cur = await api("GET", `/api/files/${encodeURI(name)}`);
          f.saved = { text: cur.data.text, version: cur.data.version }; f.draft = null; f.answers = null;
          renderBuilder(main, name, new URLSearchParams());
        } }, "Load the current version")));
      return;
    }
    if (r.status !== 200) { saveNote.textContent = `✗ ${r.data.error}`; saveNote.className = "bad"; return; }
    f.saved = { text: f.draft.text, version: r.data.version };
    keepDraft(name, f);
    f.answers = null;
    saveNote.textContent = `✓ Saved (the previous version is kept in History)${r.data.valid ? "" : " — it still has problems"}`;
    saveNote.className = "saved-note";
    const fresh = await answersFor(name, f);
    if (fresh.valid) { base.pathways = fresh.summary.count.pathways; base.status = fresh.summary.count.status; showResult(f.draft.result); }
  }
  function revert() { f.draft = null; keepDraft(name, f); renderBuilder(main, name, new URLSearchParams()); }

  clear(main).append(
    h("div", { class: "status-bar" }, recountEl,
      h("button", { type: "button", class: "primary", id: "save", onclick: save }, "Save"),
      h("button", { type: "button", onclick: revert }, "Discard draft"), saveNote, problemsEl),
    conflictEl,
    h("div", { class: "builder" }, form, h("section", { class: "yaml panel", "aria-label": "YAML source" },
      h("h2", {}, h("label", { for: "yaml" }, "YAML source")), yaml)));
  drawForm();
  showResult(f.draft.result);
  if (restored) { saveNote.textContent = "Your unsaved draft, kept in this browser, is back: save it or discard it."; saveNote.className = "warn"; }
  // the YAML beside the form stays in view below the status bar, whatever the bar holds
  const bar = main.querySelector(".status-bar");
  new ResizeObserver(() => main.style.setProperty("--bar", `${bar.offsetHeight}px`)).observe(bar);
  if (params.get("line")) pickLine(Number(params.get("line")));
}
