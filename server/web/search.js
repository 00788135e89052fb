// The search page's script (server/web/index.html), served at /search.js: a file of its
// own so that the Content-Security-Policy allows scripts from the server only, no inline ones.
"use strict";
const PAGE_SIZE = 10;
const $ = (id) => document.getElementById(id);
const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
// An article's URL is stored content: a link only when it is http(s), so that a
// "javascript:" or "data:" URL never runs in this page's origin; other URLs show as text.
const urlLink = (url) => {
  let parsed = null;
  try { parsed = new URL(url); } catch (error) { parsed = null; }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) return esc(url);
  return '<a href="' + esc(parsed.href) + '" rel="noopener noreferrer">' + esc(url) + "</a>";
};
// Snippets come with <mark> around matches: escape everything, then allow those tags back.
const snippetHtml = (text) => esc(text).replaceAll("&lt;mark&gt;", "<mark>").replaceAll("&lt;/mark&gt;", "</mark>");
const day = (iso) => iso ? iso.slice(0, 10) : "undated";

// The state lives in the URL: ?q=&outlet=&outlet=&from=&to=&lang=&tag=&sort=&page=&by=&collapse=&comments=&article=
function readState() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get("q") || "", outlets: p.getAll("outlet"), from: p.get("from") || "", to: p.get("to") || "",
    lang: p.get("lang") || "", tag: p.get("tag") || "", sort: p.get("sort") || "relevance",
    page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1), by: p.get("by") || "month",
    collapse: p.get("collapse") === "1", comments: p.get("comments") === "1", article: p.get("article") || "",
  };
}

function stateUrl(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const o of state.outlets) p.append("outlet", o);
  for (const k of ["from", "to", "lang", "tag"]) if (state[k]) p.set(k, state[k]);
  if (state.sort !== "relevance") p.set("sort", state.sort);
  if (state.page > 1) p.set("page", state.page);
  if (state.by !== "month") p.set("by", state.by);
  if (state.collapse) p.set("collapse", "1");
  if (state.comments) p.set("comments", "1");
  if (state.article) p.set("article", state.article);
  const s = p.toString();
  return s ? "?" + s : location.pathname;
}

// The API parameters that say what is searched (query and filters).
function scopeParams(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const o of state.outlets) p.append("outlet", o);
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  for (const l of state.lang.split(/[ ,]+/).filter(Boolean)) p.append("lang", l);
  if (state.tag) p.set("tag", state.tag);
  return p;
}

async function api(path, params) {
  const response = await fetch(path + (params ? "?" + params : ""));
  const body = await response.json();
  if (!response.ok) throw body.error || {message: response.statusText};
  return body;
}

let current = readState();
function go(changes, push = true) {
  current = {...current, ...changes};
  if (push) history.pushState(null, "", stateUrl(current));
  render();
}
window.addEventListener("popstate", () => { current = readState(); render(); });

function fillForm(state) {
  $("q").value = state.q; $("sort").value = state.sort; $("from").value = state.from; $("to").value = state.to;
  $("lang").value = state.lang; $("tag").value = state.tag; $("by").value = state.by;
  $("collapse").checked = state.collapse; $("comments").checked = state.comments;
}

async function render() {
  const state = current;
  fillForm(state);
  $("results").classList.toggle("hidden", !!state.article);
  $("article").classList.toggle("hidden", !state.article);
  if (state.article) return renderArticle(state.article);
  const params = scopeParams(state);
  const search = new URLSearchParams(params);
  search.set("sort", state.sort);
  search.set("offset", (state.page - 1) * PAGE_SIZE);
  search.set("limit", PAGE_SIZE);
  search.set("facet_size", 50);
  if (state.collapse) search.set("collapse", "story");
  if (state.comments) search.set("include_comments", "1");
  const exportParams = new URLSearchParams(params);
  exportParams.set("format", "csv");
  $("export").href = "/v1/export?" + exportParams;
  $("summary").textContent = "Searching…";
  try {
    const result = await api("/v1/search", search);
    if (state !== current) return;  // A newer search started meanwhile.
    renderHits(state, result);
    renderOutletFacet(state, result.facets.outlet);
  } catch (error) {
    $("summary").innerHTML = '<span class="error">' + esc(error.message) +
      (error.position ? " (at character " + esc(error.position) + ")" : "") + "</span>";
    $("hits").innerHTML = "";
    return;
  }
  const timeline = new URLSearchParams(params);
  timeline.set("by", state.by);
  const outlets = new URLSearchParams(params);
  outlets.set("limit", 10);
  const [line, top] = await Promise.all([api("/v1/timeline", timeline).catch(() => null), api("/v1/outlets", outlets).catch(() => null)]);
  if (state !== current) return;
  if (line) drawTimeline(line);
  if (top) drawTop(top);
}

function renderHits(state, result) {
  const first = result.hits.length ? result.hits[0].rank : 0;
  const last = result.hits.length ? result.hits[result.hits.length - 1].rank : 0;
  let summary = result.total.toLocaleString() + (result.total === 1 ? " match" : " matches");
  if (result.hits.length) summary += " · showing " + first + "–" + last;
  $("summary").innerHTML = esc(summary) + (result.suggestion ?
    ' · <span class="suggest">Did you mean <a href="#" id="suggestion">' + esc(result.suggestion.query) + "</a>?</span>" : "") +
    (result.note ? '<div class="note">' + esc(result.note.charAt(0).toUpperCase() + result.note.slice(1)) + "</div>" : "");
  if (result.suggestion) $("suggestion").onclick = (e) => { e.preventDefault(); go({q: result.suggestion.query, page: 1}); };
  $("hits").innerHTML = result.hits.map((hit) => {
    const also = hit.also_in && (hit.also_in.length || hit.other_copies) ?
      '<div class="also">Also in: ' + esc(hit.also_in.join(", ") || "the same outlet") + " (" + hit.other_copies + " other " + (hit.other_copies === 1 ? "copy" : "copies") + ")</div>" : "";
    return '<li><h3><a href="' + esc(stateUrl({...state, article: hit.id})) + '" data-id="' + esc(hit.id) + '">' + esc(hit.title || "(untitled)") + "</a></h3>" +
      '<div class="meta">' + esc(hit.outlet || "(no outlet)") + " · " + esc(day(hit.date)) + "</div>" +
      (hit.snippet ? '<p class="snippet">' + snippetHtml(hit.snippet) + "</p>" : "") + also + "</li>";
  }).join("");
  for (const link of $("hits").querySelectorAll("a[data-id]")) {
    link.onclick = (e) => { if (e.ctrlKey || e.metaKey || e.shiftKey) return; e.preventDefault(); go({article: link.dataset.id}); };
  }
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  $("page").textContent = "Page " + state.page + " of " + pages.toLocaleString();
  $("prev").disabled = state.page <= 1;
  $("next").disabled = state.page >= pages;
}

function renderOutletFacet(state, facet) {
  const shown = new Map(facet.map((f) => [f.value, f.count]));
  for (const o of state.outlets) if (!shown.has(o)) shown.set(o, 0);
  $("outlets").innerHTML = [...shown].map(([name, count]) =>
    '<label><input type="checkbox" value="' + esc(name) + '"' + (state.outlets.includes(name) ? " checked" : "") + "> " +
    '<span class="name">' + esc(name) + '</span><span class="count">' + count.toLocaleString() + "</span></label>").join("") ||
    '<span class="meta">none</span>';
  for (const box of $("outlets").querySelectorAll("input")) {
    box.onchange = () => {
      const chosen = [...$("outlets").querySelectorAll("input:checked")].map((b) => b.value);
      go({outlets: chosen, page: 1});
    };
  }
}

// Bars: matches per bucket; line: their share of all articles in scope.
function drawTimeline(line) {
  const points = (line.series[0] || {points: []}).points;
  const box = $("timeline").querySelector(".chart");
  if (!points.length) { box.innerHTML = '<p class="meta">No dated matches.</p>'; return; }
  const W = 600, H = 160, left = 36, bottom = 18, top = 6;
  const most = Math.max(1, ...points.map((p) => p.matches));
  const share = Math.max(1e-9, ...points.map((p) => p.ratio || 0));
  const w = (W - left) / points.length;
  const y = (v) => top + (H - top - bottom) * (1 - v);
  let svg = '<svg viewBox="0 0 ' + W + " " + H + '" role="img" aria-label="Matches per ' + esc(line.by) + '">';
  // A bucket with no article in scope (ratio null) is a gap, not a zero: shaded, the line broken.
  const runs = [[]];
  points.forEach((p, i) => {
    if (p.ratio === null) {
      svg += '<rect class="gap" x="' + (left + i * w).toFixed(1) + '" y="' + top + '" width="' + w.toFixed(1) + '" height="' + (H - top - bottom) +
        '"><title>' + esc(p.bucket) + ": no articles in scope</title></rect>";
      if (runs[runs.length - 1].length) runs.push([]);
      return;
    }
    const h = (H - top - bottom) * p.matches / most;
    svg += '<rect class="bar" x="' + (left + i * w + w * 0.1).toFixed(1) + '" y="' + (H - bottom - h).toFixed(1) + '" width="' + Math.max(0.5, w * 0.8).toFixed(1) +
      '" height="' + h.toFixed(1) + '"><title>' + esc(p.bucket) + ": " + p.matches + " of " + p.in_scope + " (" + (100 * p.ratio).toFixed(1) + "%)</title></rect>";
    runs[runs.length - 1].push((left + (i + 0.5) * w).toFixed(1) + "," + y(p.ratio / share).toFixed(1));
  });
  for (const run of runs) if (run.length) svg += '<polyline class="share" points="' + run.join(" ") + '"/>';
  svg += '<text x="0" y="' + (top + 8) + '">' + most.toLocaleString() + "</text>";
  svg += '<text x="' + left + '" y="' + (H - 4) + '">' + esc(points[0].bucket) + "</text>";
  svg += '<text x="' + W + '" y="' + (H - 4) + '" text-anchor="end">' + esc(points[points.length - 1].bucket) + "</text></svg>";
  box.innerHTML = svg + '<p class="meta">' + line.matches.toLocaleString() + " matches of " + line.in_scope.toLocaleString() +
    " articles in scope; bars: matches, line: share of all articles" + (line.undated.matches ? "; " + line.undated.matches + " undated" : "") + "</p>";
}

function drawTop(report) {
  $("top").querySelector("tbody").innerHTML = report.rows.map((r) =>
    "<tr><td>" + esc(r.name) + '</td><td class="n">' + r.matches.toLocaleString() + '</td><td class="n">' + (100 * r.share_of_output).toFixed(1) + "%</td></tr>").join("");
}

async function renderArticle(id) {
  const view = $("article");
  view.innerHTML = "<p>Loading…</p>";
  try {
    const [a, like] = await Promise.all([api("/v1/articles/" + encodeURIComponent(id)),
      api("/v1/similar/" + encodeURIComponent(id), new URLSearchParams({limit: 5, facet_size: 0, date_facet: "none"})).catch(() => null)]);
    const rows = [["Outlet", a.outlet], ["Date", a.date || "undated"], ["Authors", (a.authors || []).join(", ")],
      ["Tags", (a.tags || []).join(", ")], ["Language", a.lang], ["Story", a.story_id], ["Id", a.id]]
      .filter(([, v]) => v).map(([k, v]) => "<dt>" + esc(k) + "</dt><dd>" + esc(v) + "</dd>").join("");
    const provenance = a.provenance ? Object.entries(a.provenance).map(([k, v]) => "<dt>" + esc(k) + "</dt><dd>" + esc(v) + "</dd>").join("") : "";
    view.innerHTML = '<p><a href="#" id="back">← Back to results</a></p><h2>' + esc(a.title || "(untitled)") + "</h2>" +
      (a.url ? "<p>" + urlLink(a.url) + "</p>" : "") +
      "<dl>" + rows + "</dl>" + '<div class="body">' + esc(a.body) + "</div>" +
      (provenance ? "<h3>Provenance</h3><dl>" + provenance + "</dl>" : "") +
      (like && like.hits.length ? "<h3>More like this</h3><ul>" + like.hits.map((h) =>
        '<li><a href="' + esc(stateUrl({...current, article: h.id})) + '" data-id="' + esc(h.id) + '">' + esc(h.title || "(untitled)") + "</a> " +
        '<span class="meta">' + esc(h.outlet) + " · " + esc(day(h.date)) + "</span></li>").join("") + "</ul>" : "");
    $("back").onclick = (e) => { e.preventDefault(); go({article: ""}); };
    for (const link of view.querySelectorAll("a[data-id]")) link.onclick = (e) => { e.preventDefault(); go({article: link.dataset.id}); };
  } catch (error) {
    view.innerHTML = '<p class="error">' + esc(error.message) + '</p><p><a href="./">Back</a></p>';
  }
}

$("search").onsubmit = (e) => { e.preventDefault(); go({q: $("q").value.trim(), page: 1, article: ""}); };
$("sort").onchange = () => go({sort: $("sort").value, page: 1});
$("by").onchange = () => go({by: $("by").value});
for (const id of ["from", "to", "lang", "tag"]) $(id).onchange = () => go({[id]: $(id).value.trim(), page: 1});
$("collapse").onchange = () => go({collapse: $("collapse").checked, page: 1});
$("comments").onchange = () => go({comments: $("comments").checked, page: 1});
$("prev").onclick = () => go({page: current.page - 1});
$("next").onclick = () => go({page: current.page + 1});
history.replaceState(null, "", stateUrl(current));
render();
