// Small helpers shared by the pages: DOM building without innerHTML, numbers, the API, downloads.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else if (k === "checked") el.checked = !!v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(4)) {
    if (c == null || c === false || c === "") continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function clear(el) { el.replaceChildren(); return el; }

const numbers = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 6 });
export function fmt(n) { return n == null ? "not known" : numbers.format(n); }
export function signed(n) { return n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : "±0"; }

export async function api(method, path, body, as = "json") {
  const init = { method, headers: {} };
  if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  const r = await fetch(path, init);
  let data;
  if (as === "blob" && r.ok) data = await r.blob();
  else if (as === "text" && r.ok) data = await r.text();
  else { const t = await r.text(); try { data = JSON.parse(t); } catch { data = { error: t }; } }
  return { status: r.status, data };
}

// Call fn once typing pauses; flush() runs a waiting call now (a save must not miss the last keystroke).
export function debounce(fn, ms) {
  let t = null, args = null, running = Promise.resolve();
  function fire() { t = null; const a = args; args = null; running = Promise.resolve(fn(...a)); return running; }
  const call = (...a) => { args = a; clearTimeout(t); t = setTimeout(fire, ms); };
  call.flush = () => (t ? (clearTimeout(t), fire()) : running);
  return call;
}

export function download(content, filename, type) {
  const blob = content instanceof Blob ? content : new Blob([content], { type: type || "application/octet-stream" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob); a.download = filename; document.body.append(a); a.click(); a.remove();
}

export function unitsLabel(units) {
  return units.length > 14 ? `${units.slice(0, 14).join(", ")} and ${units.length - 14} more` : units.join(", ");
}
