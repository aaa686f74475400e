// flashpoint dashboard: plain JavaScript, no library, no network beyond this server.
// All text from the store goes into the page as text nodes (textContent), never as markup, so article text
// such as "<script>" shows as written and cannot run.
"use strict";

const $ = (id) => document.getElementById(id);
const svgNS = "http://www.w3.org/2000/svg";
const state = {
  mode: "dyad",          // "dyad" (a with b) or "actor" (a with anyone)
  a: null, b: null,
  filters: {},           // server filters of the events table (dyad or actor, since, until, type)
  events: [], total: 0,
  alerts: [], series: [],
  firstShown: false,
};

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
  return node;
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  let body;
  try { body = await res.json(); } catch (e) { throw new Error(`${res.status} from ${path.split("?")[0]}`); }
  if (!body.ok) throw new Error(body.error || `request failed (${res.status})`);
  return body;
}

function params(obj) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined && v !== "") p.set(k, v);
  return p.toString();
}

function setStatus(text, isError = false) {
  const s = $("status");
  s.textContent = text || "";
  s.className = isError ? "error" : "";
}

function busy(on) {
  document.body.dataset.state = on ? "loading" : "ready";
}

// ---------------------------------------------------------------------------------------- controls
async function loadDyads() {
  const sel = $("dyad");
  const { dyads } = await api("/api/dyads?limit=20");
  if (!dyads.length) {
    sel.replaceChildren(el("option", { value: "" }, "no dyads in this store"));
    $("chart").replaceChildren(el("p", { class: "muted" }, "The store has no events between two known actors yet."));
    $("alerts").replaceChildren(el("li", { class: "muted" }, "No alerts."));
    busy(false);
    return;
  }
  sel.replaceChildren(...dyads.map((d) => el("option", { value: `${d.a}:${d.b}` }, `${d.a}\u2013${d.b} (${d.events})`)));
  await show();
}

async function loadTypes() {
  const { types } = await api("/api/types");
  $("type-filter").append(...types.map((t) => el("option", { value: t.event_type }, `${t.event_type} (${t.events})`)));
}

let actorTimer = null;
function suggestActors() {
  clearTimeout(actorTimer);
  const q = document.activeElement && document.activeElement.value ? document.activeElement.value.trim() : "";
  actorTimer = setTimeout(async () => {
    try {
      const { actors } = await api(`/api/actors?${params({ q, limit: 30 })}`);
      $("actor-list").replaceChildren(...actors.map((a) => el("option", { value: a.code },
        `${a.name || a.code}${a.sector ? " " + a.sector : ""}: ${a.events} events`)));
    } catch (e) { /* suggestions are optional */ }
  }, 150);
}

function selection() {
  const actor = $("actor").value.trim().toUpperCase();
  const partner = $("partner").value.trim().toUpperCase();
  if (actor && partner) return { mode: "dyad", a: actor, b: partner };
  if (actor || partner) return { mode: "actor", a: actor || partner, b: null };
  const v = $("dyad").value;
  if (!v) return null;
  const [a, b] = v.split(":");
  return { mode: "dyad", a, b };
}

function range() {
  return { since: $("since").value, until: $("until").value };
}

// ---------------------------------------------------------------------------------------- main view
async function show() {
  const sel = selection();
  if (!sel) return;
  for (const id of ["actor", "partner"]) {
    if (!$(id).checkValidity()) { setStatus(`"${$(id).value}" is not an actor code such as RUS or RUS-MIL`, true); return; }
  }
  Object.assign(state, sel);
  busy(true);
  setStatus("");
  const r = range();
  const who = state.mode === "dyad" ? `${state.a}\u2013${state.b}` : `${state.a} with everyone`;
  $("chart-title").textContent = `Tension ${who}`;
  let freq = $("weekly").checked ? "W" : "D";
  const seriesQ = (f) => api(`/api/series?${params({ a: state.a, b: state.b, freq: f, ...r })}`);
  let [series, alerts] = await Promise.all([
    seriesQ(freq),
    api(`/api/alerts?${params({ a: state.a, b: state.b, ...r })}`),
  ]);
  if (freq === "D" && series.series.length > 400) {  // too many days to click: switch to weeks
    $("weekly").checked = true;
    freq = "W";
    series = await seriesQ("W");
  }
  state.series = series.series;
  state.alerts = alerts.alerts;
  drawChart(series.series, alerts.alerts, freq);
  drawAlerts(alerts.alerts);
  const base = state.mode === "dyad" ? { dyad: `${state.a}:${state.b}` } : { actor: state.a };
  await loadEvents({ ...base, ...r }, `Events ${who}`);
  busy(false);
  if (!state.firstShown) {
    state.firstShown = true;
    performance.mark("flashpoint-ready");
  }
}

function drawChart(rows, alerts, freq) {
  const box = $("chart");
  if (!rows.length) { box.replaceChildren(el("p", { class: "muted" }, "No dated events for this selection.")); return; }
  const W = 1000, H = 260, P = 34;
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none" });
  const vals = rows.map((r) => r.tension);
  const max = Math.max(1, ...vals), min = Math.min(0, ...vals);
  const y = (v) => P / 2 + (H - 1.5 * P) * (max - v) / (max - min || 1);
  const bw = (W - 2 * P) / rows.length;
  const x = (i) => P + i * bw;
  const step = freq === "W" ? 7 : 1;
  for (const al of alerts) {
    const i0 = periodIndex(rows, al.start_date), i1 = periodIndex(rows, al.end_date);
    if (i0 === null || i1 === null) continue;
    const band = svg("rect", { x: x(i0), y: 4, width: Math.max(bw, x(i1) - x(i0) + bw), height: H - P - 4,
      fill: al.kind === "escalation" ? "#f39c12" : "#27ae60", opacity: 0.22, class: `alert-band ${al.kind}`, "data-alert": al.alert_id });
    const t = svg("title");
    t.textContent = `${al.kind} ${al.start_date} to ${al.end_date} (${al.dyad}): click for its events`;
    band.append(t);
    band.addEventListener("click", () => showAlertEvents(al));
    root.append(band);
  }
  rows.forEach((r, i) => {
    const top = Math.min(y(r.tension), y(0)), h = Math.max(1, Math.abs(y(r.tension) - y(0)));
    // the clickable hit area spans the full height, so small bars are easy to hit
    const hit = svg("rect", { x: x(i), y: 4, width: Math.max(1, bw), height: H - P - 4, fill: "transparent", class: "hit", "data-period": r.period });
    const bar = svg("rect", { x: x(i) + 0.5, y: top, width: Math.max(1, bw - 1), height: h, fill: r.tension >= 0 ? "#c0392b" : "#2e86c1",
      class: "bar", "data-period": r.period });
    const t = svg("title");
    t.textContent = `${freq === "W" ? "week of " : ""}${r.period}: tension ${r.tension.toFixed(2)}, ${r.events} events`;
    hit.append(t);
    for (const node of [hit, bar]) node.addEventListener("click", () => selectPeriod(r.period, step));
    root.append(bar, hit);
  });
  root.append(svg("line", { x1: P, x2: W - P, y1: y(0), y2: y(0), stroke: "#888" }));
  for (const [v, label] of [[max, max.toFixed(1)], [min, min.toFixed(1)]]) {
    const t = svg("text", { x: 2, y: y(v) + 4, "font-size": 11, fill: "#555" });
    t.textContent = label;
    root.append(t);
  }
  const ticks = [...new Set([0, Math.floor(rows.length / 2), rows.length - 1])];
  for (const i of ticks) {
    const t = svg("text", { x: Math.min(x(i), W - 80), y: H - 8, "font-size": 12, fill: "#555" });
    t.textContent = rows[i].period;
    root.append(t);
  }
  box.replaceChildren(root);
}

function periodIndex(rows, day) {
  // the period holding `day` (rows are sorted; a period runs from its date to the next one's);
  // an alert that starts before the first period is clipped to it
  if (!rows.length) return null;
  let best = 0;
  for (let i = 0; i < rows.length; i++) { if (rows[i].period <= day) best = i; else break; }
  return best;
}

function drawAlerts(alerts) {
  const ul = $("alerts");
  if (!alerts.length) { ul.replaceChildren(el("li", { class: "muted" }, "No alerts for this selection.")); return; }
  ul.replaceChildren(...alerts.map((al) => el("li", {
    class: `alert ${al.kind}`, "data-alert": al.alert_id, tabindex: 0, role: "button",
    onclick: () => showAlertEvents(al), onkeydown: (e) => { if (e.key === "Enter") showAlertEvents(al); },
  }, el("strong", {}, `${al.dyad} ${al.kind}`), ` ${al.start_date} to ${al.end_date} (z ${Number(al.strength).toFixed(1)}, ${al.method}): `,
  el("span", { class: "explanation" }, al.explanation))));
}

function markSelected(container, selector, value, attr) {
  for (const n of container.querySelectorAll(selector)) n.classList.toggle("selected", n.getAttribute(attr) === value);
}

function showAlertEvents(al) {
  markSelected($("alerts"), "li[data-alert]", al.alert_id, "data-alert");
  markSelected($("chart"), ".alert-band", al.alert_id, "data-alert");
  $("events-title").textContent = `Events that drove the ${al.kind} of ${al.dyad}, ${al.start_date} to ${al.end_date}`;
  $("all-events").hidden = false;
  state.events = al.events || [];
  state.total = state.events.length;
  renderEvents();
  $("events-count").textContent = `${state.events.length} driving event(s), largest weight first.`;
}

async function selectPeriod(period, step) {
  markSelected($("chart"), ".bar", period, "data-period");
  const until = addDays(period, step - 1);
  const base = state.mode === "dyad" ? { dyad: `${state.a}:${state.b}` } : { actor: state.a };
  $("all-events").hidden = false;
  await loadEvents({ ...base, since: period, until }, `Events ${period}${until !== period ? " to " + until : ""}`).catch(report);
}

function addDays(day, n) {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------- events table
async function loadEvents(filters, title) {
  state.filters = filters;
  const type = $("type-filter").value;
  const q = { ...filters, type, page_size: 200 };
  $("download").setAttribute("href", `/api/events?${params({ ...filters, type, page_size: 1000, format: "csv" })}`);
  const { events, total } = await api(`/api/events?${params(q)}`);
  $("events-title").textContent = title + (type ? ` (${type})` : "");
  state.events = events;
  state.total = total;
  renderEvents();
}

function renderEvents() {
  const events = state.events;
  const needle = $("filter").value.trim().toLowerCase();
  const rows = events.filter((e) => !needle || [e.event_type, e.source_code, e.target_code, e.trigger_text, e.source_text, e.target_text, e.outlet]
    .some((v) => v && String(v).toLowerCase().includes(needle)));
  $("events-count").textContent = needle
    ? `${rows.length} of ${events.length} shown rows match "${needle}".`
    : (state.total > events.length ? `Newest ${events.length} of ${state.total} events (the CSV has up to 1000).` : `${events.length} event(s).`);
  const tbody = $("events").querySelector("tbody");
  if (!rows.length) { tbody.replaceChildren(el("tr", {}, el("td", { colspan: 8, class: "muted" }, "No events."))); return; }
  tbody.replaceChildren(...rows.map((e) => el("tr", { "data-event": e.event_id, tabindex: 0,
    onclick: () => openEvent(e.event_id), onkeydown: (ev) => { if (ev.key === "Enter") openEvent(e.event_id); } },
  el("td", {}, e.event_date || "?"), el("td", { class: e.quad ? e.quad.toLowerCase() : "" }, e.event_type),
  el("td", {}, e.source_code || (e.source_text ? "? " + e.source_text : "\u2013")),
  el("td", {}, e.target_code || (e.target_text ? "? " + e.target_text : "\u2013")), el("td", {}, e.modality),
  el("td", {}, (e.confidence || 0).toFixed(2)), el("td", {}, e.trigger_text), el("td", {}, e.outlet || ""))));
}

function openEvent(id) {
  markSelected($("events"), "tbody tr", id, "data-event");
  showEvent(id).catch(report);
}

// ---------------------------------------------------------------------------------------- event detail
function highlighted(sentence, ev) {
  // The sentence with trigger, source and target marked, built from character offsets as text nodes.
  const base = sentence.start_char;
  const text = sentence.text;
  const spans = [];
  if (ev.trigger_start != null && ev.trigger_end > ev.trigger_start) spans.push(["trigger", ev.trigger_start - base, ev.trigger_end - base]);
  for (const role of ["source", "target"]) {
    const t = ev[`${role}_text`];
    if (!t) continue;
    let i = text.indexOf(t);
    // prefer an occurrence that does not overlap the trigger
    while (i >= 0 && spans.some(([, s, e]) => i < e && i + t.length > s)) i = text.indexOf(t, i + 1);
    if (i >= 0) spans.push([role, i, i + t.length]);
  }
  spans.sort((p, q) => p[1] - q[1]);
  const out = el("p", { class: "sentence" });
  let pos = 0;
  for (const [cls, s, e] of spans) {
    if (s < pos || e > text.length || s < 0) continue;
    out.append(text.slice(pos, s), el("mark", { class: cls, title: cls }, text.slice(s, e)));
    pos = e;
  }
  out.append(text.slice(pos));
  return out;
}

async function showEvent(id) {
  const d = await api(`/api/events/${encodeURIComponent(id)}`);
  const ev = d.event;
  const box = $("detail");
  box.classList.remove("muted");
  box.dataset.event = ev.event_id;
  const chain = (ev.attribution || []).map((a) => el("li", {}, `${a.role}: \u201c${a.text}\u201d${a.code ? " (" + a.code + ")" : ""}${a.cue ? " via \u2018" + a.cue + "\u2019" : ""}`));
  chain.push(el("li", {}, `publisher: ${ev.outlet || d.article.outlet || "unknown"}`));
  const actor = (role) => `${ev[role + "_text"] || "\u2013"} \u2192 ${ev[role + "_code"] || "unresolved"}${ev[role + "_sector"] ? " " + ev[role + "_sector"] : ""}`;
  const parts = [
    el("h3", {}, `${ev.event_type}${ev.mode ? " (" + ev.mode + ")" : ""}: ${ev.source_code || ev.source_text || "?"} \u2192 ${ev.target_code || ev.target_text || "?"}`),
    d.sentence ? highlighted(d.sentence, ev) : el("p", { class: "muted" }, "sentence not stored"),
    el("p", { class: "legend" }, el("mark", { class: "trigger" }, "trigger"), " ", el("mark", { class: "source" }, "source"), " ", el("mark", { class: "target" }, "target")),
    el("dl", {},
      el("dt", {}, "modality"), el("dd", {}, ev.modality),
      el("dt", {}, "date"), el("dd", {}, `${ev.event_date || "unknown"}${ev.date_text ? " from \u201c" + ev.date_text + "\u201d" : ""}${ev.date_resolution ? " (" + ev.date_resolution + ")" : ""}`),
      el("dt", {}, "source"), el("dd", {}, actor("source")),
      el("dt", {}, "target"), el("dd", {}, actor("target")),
      el("dt", {}, "quad, intensity"), el("dd", {}, `${ev.quad || "?"}, ${ev.intensity != null ? Number(ev.intensity).toFixed(1) : "?"}`),
      el("dt", {}, "confidence"), el("dd", {}, (ev.confidence || 0).toFixed(2)),
      el("dt", {}, "article"), el("dd", {}, `${d.article.title || d.article.article_id} (${d.article.outlet || "?"}, ${d.article.pub_date || "?"})`),
      el("dt", {}, "rule"), el("dd", {}, `${ev.stage || ""} ${ev.rule || ""}`.trim() || "\u2013")),
    el("h3", {}, "Attribution chain (innermost first)"), el("ul", { class: "chain" }, chain),
    el("h3", {}, "Corroboration"),
  ];
  const corroboration = el("div", { id: "corroboration" });
  if (d.cluster) {
    const c = d.cluster;
    corroboration.append(el("p", {}, `${c.n_reports} report(s) from ${c.n_outlets} outlet(s); ${c.n_independent} independent source(s); first seen ${c.first_seen || "?"} in ${c.first_outlet || "?"}.`));
  } else {
    corroboration.append(el("p", { class: "muted" }, "Not clustered: no other report of this happening is linked to it."));
  }
  parts.push(corroboration, el("details", {}, el("summary", {}, "How it was coded"), el("pre", { class: "explanation" }, d.explanation || "")));
  box.replaceChildren(...parts);
  if (d.cluster && d.cluster.n_reports > 1) {
    const { reports } = await api(`/api/clusters/${encodeURIComponent(d.cluster.cluster_id)}`);
    corroboration.append(el("ul", { class: "reports" }, reports.map((r) => el("li", { class: r.event_id === ev.event_id ? "self" : "" },
      `${r.published_at || r.event_date || "?"} ${r.outlet || "?"}: ${r.event_type} ${r.source_code || "?"}\u2192${r.target_code || "?"} (${r.modality})`))));
  }
}

// ---------------------------------------------------------------------------------------- wiring
function report(err) {
  busy(false);
  setStatus(`Error: ${err.message}`, true);
}

$("controls").addEventListener("submit", (e) => { e.preventDefault(); show().catch(report); });
$("dyad").addEventListener("change", () => { $("actor").value = ""; $("partner").value = ""; show().catch(report); });
$("filter").addEventListener("input", renderEvents);
$("type-filter").addEventListener("change", () => loadEvents(state.filters, $("events-title").textContent.replace(/ \([A-Z]+\)$/, "")).catch(report));
$("all-events").addEventListener("click", () => { $("all-events").hidden = true; show().catch(report); });
for (const id of ["actor", "partner"]) $(id).addEventListener("input", suggestActors);

loadTypes().catch(() => {});
loadDyads().catch(report);
