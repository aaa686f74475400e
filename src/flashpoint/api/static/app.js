// flashpoint dashboard: plain JavaScript, no library, no network beyond this server.
// All text from the store is inserted with textContent (never innerHTML), so article text cannot inject markup.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { a: null, b: null, events: [], selectedDay: null, series: [] };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
  return node;
}

async function api(path) {
  const res = await fetch(path);
  const body = await res.json();
  if (!body.ok) throw new Error(body.error || "request failed");
  return body;
}

function params(obj) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined && v !== "") p.set(k, v);
  return p.toString();
}

async function loadDyads() {
  const sel = $("dyad");
  try {
    const { dyads } = await api("/api/dyads?limit=20");
    sel.replaceChildren(...dyads.map((d) => el("option", { value: `${d.a}:${d.b}` }, `${d.a}-${d.b} (${d.events})`)));
    if (dyads.length) {
      [state.a, state.b] = [dyads[0].a, dyads[0].b];
      await show();
    }
  } catch (e) {
    sel.replaceChildren(el("option", {}, "no data"));
  }
}

function currentPair() {
  const a = $("actor-a").value.trim().toUpperCase();
  const b = $("actor-b").value.trim().toUpperCase();
  if (a && b) return [a, b];
  const v = $("dyad").value;
  return v ? v.split(":") : [state.a, state.b];
}

async function show() {
  const [a, b] = currentPair();
  if (!a || !b) return;
  state.a = a; state.b = b; state.selectedDay = null;
  const range = { since: $("since").value, until: $("until").value };
  $("chart-title").textContent = `Tension ${a}-${b}`;
  const [series, alerts] = await Promise.all([
    api(`/api/series?${params({ a, b, freq: $("weekly").checked ? "W" : "D", ...range })}`),
    api(`/api/alerts?${params({ a, b, ...range })}`),
  ]);
  state.series = series.series;
  drawChart(series.series, alerts.alerts);
  drawAlerts(alerts.alerts);
  await loadEvents({ dyad: `${a}:${b}`, ...range });
}

function drawChart(rows, alerts) {
  const box = $("chart");
  const W = 1000, H = 260, P = 30;
  const svgNS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("preserveAspectRatio", "none");
  if (!rows.length) { box.replaceChildren(el("p", { class: "muted" }, "No events for this dyad.")); return; }
  const vals = rows.map((r) => r.tension);
  const max = Math.max(1, ...vals), min = Math.min(0, ...vals);
  const y = (v) => P + (H - 2 * P) * (max - v) / (max - min || 1);
  const bw = (W - 2 * P) / rows.length;
  const x = (i) => P + i * bw;
  const dayIndex = new Map(rows.map((r, i) => [r.period, i]));
  for (const al of alerts) {
    const i0 = nearestIndex(rows, al.start_date), i1 = nearestIndex(rows, al.end_date);
    const band = document.createElementNS(svgNS, "rect");
    band.setAttribute("x", x(i0)); band.setAttribute("y", P / 2);
    band.setAttribute("width", Math.max(bw, x(i1) - x(i0) + bw)); band.setAttribute("height", H - P);
    band.setAttribute("fill", al.kind === "escalation" ? "#f39c12" : "#27ae60"); band.setAttribute("opacity", "0.18");
    band.setAttribute("class", "alert-band"); band.setAttribute("data-alert", al.alert_id);
    band.addEventListener("click", () => showAlertEvents(al));
    svg.append(band);
  }
  rows.forEach((r, i) => {
    const rect = document.createElementNS(svgNS, "rect");
    const top = Math.min(y(r.tension), y(0)), h = Math.max(1, Math.abs(y(r.tension) - y(0)));
    rect.setAttribute("x", x(i) + 0.5); rect.setAttribute("y", top);
    rect.setAttribute("width", Math.max(1, bw - 1)); rect.setAttribute("height", h);
    rect.setAttribute("fill", r.tension >= 0 ? "#c0392b" : "#2e86c1");
    rect.setAttribute("class", "bar"); rect.setAttribute("data-day", r.period);
    const title = document.createElementNS(svgNS, "title");
    title.textContent = `${r.period}: tension ${r.tension.toFixed(2)}, ${r.events} events`;
    rect.append(title);
    rect.addEventListener("click", () => selectDay(r.period));
    svg.append(rect);
  });
  const axis = document.createElementNS(svgNS, "line");
  axis.setAttribute("x1", P); axis.setAttribute("x2", W - P); axis.setAttribute("y1", y(0)); axis.setAttribute("y2", y(0));
  axis.setAttribute("stroke", "#888");
  svg.append(axis);
  for (const i of [0, Math.floor(rows.length / 2), rows.length - 1]) {
    const t = document.createElementNS(svgNS, "text");
    t.setAttribute("x", x(i)); t.setAttribute("y", H - 6); t.setAttribute("font-size", "12"); t.setAttribute("fill", "#555");
    t.textContent = rows[i].period;
    svg.append(t);
  }
  box.replaceChildren(svg);
  void dayIndex;
}

function nearestIndex(rows, day) {
  let best = 0;
  rows.forEach((r, i) => { if (r.period <= day) best = i; });
  return best;
}

function drawAlerts(alerts) {
  const ul = $("alerts");
  if (!alerts.length) { ul.replaceChildren(el("li", { class: "muted" }, "No alerts for this dyad at the current threshold.")); return; }
  ul.replaceChildren(...alerts.map((al) => el("li", { class: al.kind, "data-alert": al.alert_id, onclick: () => showAlertEvents(al) },
    `${al.start_date} to ${al.end_date}: ${al.explanation}`)));
}

function showAlertEvents(al) {
  $("events-title").textContent = `Events driving the ${al.kind} of ${al.start_date}`;
  renderEvents(al.events || []);
}

async function selectDay(day) {
  state.selectedDay = day;
  const until = $("weekly").checked ? addDays(day, 6) : day;
  $("events-title").textContent = `Events ${day}${until !== day ? " to " + until : ""}`;
  await loadEvents({ dyad: `${state.a}:${state.b}`, since: day, until });
}

function addDays(day, n) {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

async function loadEvents(filters) {
  const q = params({ ...filters, page_size: 200 });
  $("download").setAttribute("href", `/api/events?${params({ ...filters, page_size: 1000, format: "csv" })}`);
  const { events } = await api(`/api/events?${q}`);
  if (!state.selectedDay) $("events-title").textContent = `Events ${state.a}-${state.b}`;
  renderEvents(events);
}

function renderEvents(events) {
  state.events = events;
  const needle = $("filter").value.trim().toLowerCase();
  const rows = events.filter((e) => !needle || [e.event_type, e.source_code, e.target_code, e.trigger_text, e.source_text, e.target_text]
    .some((v) => v && String(v).toLowerCase().includes(needle)));
  const tbody = $("events").querySelector("tbody");
  if (!rows.length) { tbody.replaceChildren(el("tr", {}, el("td", { colspan: "7", class: "muted" }, "No events."))); return; }
  tbody.replaceChildren(...rows.map((e) => el("tr", { "data-event": e.event_id, onclick: (ev) => { selectRow(ev.currentTarget); showEvent(e.event_id); } },
    el("td", {}, e.event_date || ""), el("td", {}, e.event_type), el("td", {}, e.source_code || (e.source_text ? "? " + e.source_text : "-")),
    el("td", {}, e.target_code || (e.target_text ? "? " + e.target_text : "-")), el("td", {}, e.modality),
    el("td", {}, (e.confidence || 0).toFixed(2)), el("td", {}, e.trigger_text))));
}

function selectRow(tr) {
  for (const r of tr.parentNode.children) r.classList.remove("selected");
  tr.classList.add("selected");
}

function highlighted(sentence, ev) {
  // Build the sentence with marks from character offsets (all as text nodes).
  const base = sentence.start_char;
  const spans = [["trigger", ev.trigger_start, ev.trigger_end]];
  const text = sentence.text;
  for (const role of ["source", "target"]) {
    const t = ev[`${role}_text`];
    if (t) { const i = text.indexOf(t); if (i >= 0) spans.push([role, base + i, base + i + t.length]); }
  }
  spans.sort((p, q) => p[1] - q[1]);
  const out = el("p", { class: "sentence" });
  let pos = 0;
  for (const [cls, s, e] of spans) {
    const a = s - base, b = e - base;
    if (a < pos || b > text.length) continue;
    out.append(text.slice(pos, a), el("mark", { class: cls, title: cls }, text.slice(a, b)));
    pos = b;
  }
  out.append(text.slice(pos));
  return out;
}

async function showEvent(id) {
  const d = await api(`/api/events/${encodeURIComponent(id)}`);
  const ev = d.event;
  const box = $("detail");
  box.classList.remove("muted");
  const chain = (ev.attribution || []).map((a) => el("li", {}, `${a.role}: ${a.text}${a.code ? " (" + a.code + ")" : ""}${a.cue ? " via '" + a.cue + "'" : ""}`));
  chain.push(el("li", {}, `publisher: ${ev.outlet || "unknown"}`));
  const parts = [
    el("h3", {}, `${ev.event_type}${ev.mode ? " (" + ev.mode + ")" : ""}: ${ev.source_code || ev.source_text || "?"} \u2192 ${ev.target_code || ev.target_text || "?"}`),
    d.sentence ? highlighted(d.sentence, ev) : el("p", { class: "muted" }, "sentence not stored"),
    el("dl", {},
      el("dt", {}, "modality"), el("dd", {}, ev.modality),
      el("dt", {}, "date"), el("dd", {}, `${ev.event_date || "unknown"}${ev.date_text ? " from \u201c" + ev.date_text + "\u201d" : ""}`),
      el("dt", {}, "how dated"), el("dd", {}, ev.date_resolution || ""),
      el("dt", {}, "source"), el("dd", {}, `${ev.source_text || "-"} \u2192 ${ev.source_code || "unresolved"} ${ev.source_sector || ""}`),
      el("dt", {}, "target"), el("dd", {}, `${ev.target_text || "-"} \u2192 ${ev.target_code || "unresolved"} ${ev.target_sector || ""}`),
      el("dt", {}, "confidence"), el("dd", {}, (ev.confidence || 0).toFixed(2)),
      el("dt", {}, "article"), el("dd", {}, `${d.article.title || d.article.article_id} (${d.article.outlet || "?"}, ${d.article.pub_date || "?"})`),
      el("dt", {}, "rule"), el("dd", {}, ev.rule || "")),
    el("h3", {}, "Attribution chain (innermost first)"), el("ul", { class: "chain" }, ...chain),
  ];
  if (d.cluster) {
    parts.push(el("h3", {}, "Corroboration"),
      el("p", {}, `${d.cluster.n_reports} report(s) from ${d.cluster.n_outlets} outlet(s); ${d.cluster.n_independent} independent source(s); first seen ${d.cluster.first_seen || "?"} in ${d.cluster.first_outlet || "?"}`));
  }
  box.replaceChildren(...parts);
}

$("controls").addEventListener("submit", (e) => { e.preventDefault(); show().catch(report); });
$("dyad").addEventListener("change", () => { $("actor-a").value = ""; $("actor-b").value = ""; show().catch(report); });
$("filter").addEventListener("input", () => renderEvents(state.events));

function report(err) {
  $("alerts").replaceChildren(el("li", { class: "muted" }, `Error: ${err.message}`));
}

loadDyads().catch(report);
