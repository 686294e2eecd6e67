// newswire dashboard: plain JS, no network beyond this server (the map ships its outlines).
// Map projection: equirectangular in SVG user units, x = longitude, y = -latitude; the
// viewBox frames the events, so a marker's screen position is the SVG's CTM applied to it.
"use strict";

const ROOT = new URL("../", window.location.href); // the API sits beside /dashboard/
const SVG_NS = "http://www.w3.org/2000/svg";
const TYPE_COLOURS = {
  "Battles": "#d62728",
  "Explosions/Remote violence": "#ff7f0e",
  "Violence against civilians": "#9467bd",
  "Protests": "#1f77b4",
  "Riots": "#8c564b",
  "Strategic developments": "#2ca02c",
};
const OTHER_COLOUR = "#7f7f7f";
const API_FILTERS = ["since", "until", "country", "admin1", "event_type", "actor", "q", "bbox"];
const PAGE = 500;
const params = new URLSearchParams(window.location.search);
// Seconds between health refreshes; ?refresh=N overrides (tests use a short one).
const REFRESH_S = Math.max(1, Number(params.get("refresh")) || 10);

const state = { events: [], total: 0, world: null, selected: null };
window.newswire = state; // for people poking at the page in devtools, and for the tests

function colour(type) {
  return TYPE_COLOURS[type] || OTHER_COLOUR;
}

function el(tag, attrs = {}, text = null, ns = null) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  if (text !== null) node.textContent = text;
  return node;
}

async function getJSON(path, query) {
  const url = new URL(path, ROOT);
  if (query) url.search = query.toString();
  const response = await fetch(url);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.message || body.detail || `HTTP ${response.status}`);
  }
  return body;
}

// ---- filters ---------------------------------------------------------------------------

function formQuery() {
  const form = document.getElementById("filters");
  const query = new URLSearchParams();
  for (const name of API_FILTERS) {
    const value = form.elements[name].value.trim();
    if (value) query.set(name, value);
  }
  return query;
}

function fillFormFromLocation() {
  const form = document.getElementById("filters");
  for (const name of [...API_FILTERS, "size_by"]) {
    if (params.has(name)) form.elements[name].value = params.get(name);
  }
}

async function loadEventTypes() {
  const select = document.querySelector("#filters select[name=event_type]");
  const types = await getJSON("event-types");
  const seen = new Set();
  for (const t of types) {
    if (seen.has(t.event_type)) continue;
    seen.add(t.event_type);
    select.append(el("option", { value: t.event_type }, t.event_type));
  }
  if (params.has("event_type")) select.value = params.get("event_type");
}

// ---- data ------------------------------------------------------------------------------

async function loadEvents() {
  const query = formQuery();
  query.set("limit", String(PAGE));
  const errorBox = document.getElementById("filter-error");
  errorBox.textContent = "";
  try {
    const page = await getJSON("events", query);
    state.events = page.items;
    state.total = page.total;
  } catch (err) {
    errorBox.textContent = err.message;
    state.events = [];
    state.total = 0;
  }
  const shown = new URLSearchParams(formQuery());
  const sizeBy = document.querySelector("#filters select[name=size_by]").value;
  if (sizeBy !== "num_articles") shown.set("size_by", sizeBy);
  if (params.has("refresh")) shown.set("refresh", params.get("refresh"));
  history.replaceState(null, "", `?${shown}`);
  render();
}

function render() {
  renderMap();
  renderTimeline();
  renderTable();
  document.body.dataset.loaded = "true";
  document.body.dataset.events = String(state.events.length);
}

// ---- map -------------------------------------------------------------------------------

function viewBoxFor(events) {
  const placed = events.filter((e) => e.latitude !== null && e.longitude !== null);
  if (!placed.length) return [-180, -90, 360, 180];
  let west = Math.min(...placed.map((e) => e.longitude));
  let east = Math.max(...placed.map((e) => e.longitude));
  let south = Math.min(...placed.map((e) => e.latitude));
  let north = Math.max(...placed.map((e) => e.latitude));
  // Keep some context around the events: at least 12° by 8°, plus a margin.
  const minW = 12, minH = 8;
  if (east - west < minW) { const c = (east + west) / 2; west = c - minW / 2; east = c + minW / 2; }
  if (north - south < minH) { const c = (north + south) / 2; south = c - minH / 2; north = c + minH / 2; }
  const padX = (east - west) * 0.15, padY = (north - south) * 0.15;
  return [west - padX, -(north + padY), east - west + 2 * padX, north - south + 2 * padY];
}

function ringPath(ring) {
  return "M" + ring.map(([lon, lat]) => `${lon},${-lat}`).join("L") + "Z";
}

function drawCountries() {
  const group = document.getElementById("countries");
  group.replaceChildren();
  for (const feature of state.world.features) {
    const d = feature.geometry.coordinates.map(ringPath).join("");
    const path = el("path", { d, "data-iso": feature.properties.iso }, null, SVG_NS);
    path.append(el("title", {}, feature.properties.name, SVG_NS));
    group.append(path);
  }
}

function markerSize(e) {
  const sizeBy = document.querySelector("#filters select[name=size_by]").value;
  const value = sizeBy === "fatalities" ? e.fatalities || 0 : e.num_articles || 1;
  return 4 + 3 * Math.sqrt(value); // screen pixels: area grows with the value
}

function renderMap() {
  const svg = document.getElementById("map");
  const box = viewBoxFor(state.events);
  svg.setAttribute("viewBox", box.join(" "));
  const pxPerUnit = Math.min(svg.clientWidth / box[2], svg.clientHeight / box[3]) || 1;
  const group = document.getElementById("markers");
  group.replaceChildren();
  let unplaced = 0;
  // Largest first so small markers stay clickable on top of big ones.
  const ordered = [...state.events].sort((a, b) => markerSize(b) - markerSize(a));
  for (const e of ordered) {
    if (e.latitude === null || e.longitude === null) { unplaced += 1; continue; }
    const c = el("circle", {
      class: "marker",
      cx: e.longitude,
      cy: -e.latitude,
      r: markerSize(e) / pxPerUnit,
      fill: colour(e.event_type),
      "data-event-id": e.event_id,
      "data-lon": e.longitude,
      "data-lat": e.latitude,
    }, null, SVG_NS);
    c.append(el("title", {}, `${e.event_date} ${e.sub_event_type} — ${e.location}`, SVG_NS));
    c.addEventListener("click", () => select(e.event_id));
    group.append(c);
  }
  const note = document.getElementById("map-note");
  note.textContent = unplaced
    ? `${unplaced} event(s) located only to a country are listed below but not on the map.`
    : "";
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  const types = [...new Set(state.events.map((e) => e.event_type))].sort();
  for (const t of types) {
    legend.append(el("span", { style: `--c: ${colour(t)}` }, t));
  }
}

// ---- timeline --------------------------------------------------------------------------

function bucketKey(date, monthly) {
  return monthly ? date.slice(0, 7) : date;
}

function renderTimeline() {
  const svg = document.getElementById("timeline");
  svg.replaceChildren();
  const dates = state.events.map((e) => e.event_date).sort();
  if (!dates.length) return;
  const first = new Date(dates[0]), last = new Date(dates[dates.length - 1]);
  const monthly = (last - first) / 86400000 > 120;
  // Every bucket between the first and last date, empty ones included: gaps are information.
  const keys = [];
  const cursor = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), monthly ? 1 : first.getUTCDate()));
  while (cursor <= last) {
    keys.push(bucketKey(cursor.toISOString().slice(0, 10), monthly));
    if (monthly) cursor.setUTCMonth(cursor.getUTCMonth() + 1); else cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  const counts = new Map(keys.map((k) => [k, 0]));
  for (const d of dates) counts.set(bucketKey(d, monthly), (counts.get(bucketKey(d, monthly)) || 0) + 1);
  const width = 600, height = 160, bottom = 18;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const max = Math.max(...counts.values());
  // Bars at most 40 units wide, centred: one day on its own should not look like a trend.
  const barW = Math.min(width / keys.length, 40);
  const x0 = (width - barW * keys.length) / 2;
  keys.forEach((k, i) => {
    const n = counts.get(k);
    if (!n) return;
    const h = ((height - bottom - 4) * n) / max;
    const rect = el("rect", {
      x: x0 + i * barW + barW * 0.1, y: height - bottom - h, width: Math.max(barW * 0.8, 1), height: h,
      "data-bucket": k, "data-count": n,
    }, null, SVG_NS);
    rect.append(el("title", {}, `${k}: ${n} event(s)`, SVG_NS));
    rect.addEventListener("click", () => zoomToBucket(k, monthly));
    svg.append(rect);
  });
  svg.append(el("text", { x: 2, y: height - 4 }, keys[0], SVG_NS));
  svg.append(el("text", { x: width - 2, y: height - 4, "text-anchor": "end" }, keys[keys.length - 1], SVG_NS));
}

function zoomToBucket(key, monthly) {
  const form = document.getElementById("filters");
  if (monthly) {
    const [y, m] = key.split("-").map(Number);
    const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    form.elements.since.value = `${key}-01`;
    form.elements.until.value = end;
  } else {
    form.elements.since.value = key;
    form.elements.until.value = key;
  }
  loadEvents();
}

// ---- table -----------------------------------------------------------------------------

function renderTable() {
  const tbody = document.querySelector("#events tbody");
  tbody.replaceChildren();
  document.getElementById("count").textContent =
    `Events: ${state.events.length}${state.total > state.events.length ? ` of ${state.total}` : ""}`;
  for (const e of state.events) {
    const tr = el("tr", { "data-event-id": e.event_id });
    tr.append(el("td", {}, e.event_date + (e.date_precision !== "day" ? ` (${e.date_precision})` : "")));
    const type = el("td");
    type.append(el("span", { class: "chip", style: `background:${colour(e.event_type)}` }));
    type.append(document.createTextNode(`${e.event_type} — ${e.sub_event_type}`));
    tr.append(type);
    const place = [e.location, e.admin1, e.country_code].filter(Boolean).join(", ");
    tr.append(el("td", {}, place));
    tr.append(el("td", {}, e.fatalities === null ? "" : String(e.fatalities)));
    tr.append(el("td", {}, String(e.num_articles)));
    const evidence = el("td");
    for (const m of e.mentions) {
      // The sentence stays in the article's language, marked so, with the link to the source.
      evidence.append(el("blockquote", { lang: m.language || null }, m.sentence));
      const link = el("a", { href: m.url, hreflang: m.language || null, class: "source", target: "_blank", rel: "noopener" },
        `source${m.language ? ` (${m.language})` : ""}`);
      evidence.append(link);
      evidence.append(el("br"));
    }
    tr.append(evidence);
    tr.addEventListener("click", () => select(e.event_id));
    tbody.append(tr);
  }
}

function select(eventId) {
  state.selected = eventId;
  for (const node of document.querySelectorAll("[data-event-id]")) {
    node.classList.toggle("selected", Number(node.dataset.eventId) === eventId);
  }
  const row = document.querySelector(`#events tr[data-event-id="${eventId}"]`);
  if (row) row.scrollIntoView({ block: "nearest" });
}

// ---- pipeline health -------------------------------------------------------------------

async function refreshHealth() {
  const badge = document.getElementById("health-badge");
  try {
    const stats = await getJSON("stats");
    badge.className = `badge ${stats.healthy ? "ok" : "bad"}`;
    badge.textContent = `pipeline: ${stats.healthy ? "healthy" : "needs attention"}`;
    const tbody = document.querySelector("#queues tbody");
    tbody.replaceChildren();
    if (stats.queues.ok) {
      for (const q of stats.queues.stages) {
        const tr = el("tr", { "data-queue": q.name });
        for (const v of [q.name, q.queued, q.started, q.scheduled, q.failed]) tr.append(el("td", {}, String(v)));
        tbody.append(tr);
      }
    } else {
      const tr = el("tr");
      tr.append(el("td", { colspan: 5 }, stats.queues.error));
      tbody.append(tr);
    }
    const t = stats.throughput;
    document.getElementById("throughput").textContent =
      `stored: ${t.articles_stored_last_hour}/h, ${t.articles_stored_last_day}/day · ` +
      `events updated: ${t.events_updated_last_hour}/h · events: ${stats.totals.events}`;
    const feeds = document.getElementById("failing-feeds");
    feeds.replaceChildren();
    for (const f of stats.failing_feeds) {
      feeds.append(el("li", { "data-feed": f.url }, `${f.health}: ${f.url}${f.last_error ? ` — ${f.last_error}` : ""}`));
    }
    document.getElementById("health-updated").textContent = `updated ${stats.generated_at}`;
    document.body.dataset.healthRefreshes = String(Number(document.body.dataset.healthRefreshes || 0) + 1);
  } catch (err) {
    badge.className = "badge unknown";
    badge.textContent = `pipeline: unknown (${err.message})`;
  }
}

// ---- start -----------------------------------------------------------------------------

async function start() {
  fillFormFromLocation();
  const form = document.getElementById("filters");
  form.addEventListener("submit", (ev) => { ev.preventDefault(); loadEvents(); });
  form.elements.size_by.addEventListener("change", () => { renderMap(); });
  document.getElementById("reset").addEventListener("click", () => {
    for (const name of API_FILTERS) form.elements[name].value = "";
    loadEvents();
  });
  window.addEventListener("resize", () => renderMap());
  const [world] = await Promise.all([getJSON("dashboard/world.json"), loadEventTypes().catch(() => null)]);
  state.world = world;
  drawCountries();
  await loadEvents();
  refreshHealth();
  setInterval(refreshHealth, REFRESH_S * 1000);
}

start();
