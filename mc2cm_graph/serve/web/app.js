// The query page: saved queries (from the OpenAPI description) and free SPARQL, results as
// a table, a map or a bar chart (views.js). Plain JavaScript; the only library is the
// vendored d3-geo (map projection); nothing is loaded from elsewhere.
"use strict";

const OURS = "https://w3id.org/mc2cm";
const $ = (id) => document.getElementById(id);
let operations = {};
let defaultView = "table";  // the saved query's `#+ view:`, or the typed query's #defaultView

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

function localHref(iri) {
  // Our IRIs are served by this server under the same path.
  if (iri.startsWith(OURS + "/id/") || iri.split("#")[0] === OURS + "/ontology") {
    return iri.slice(OURS.length);
  }
  return iri;
}

// Short names for the IRIs tables show most (the link keeps the full IRI).
const PREFIXES = [
  ["programme:", OURS + "/id/programme/"], ["activity:", OURS + "/id/activity/"],
  ["outcome:", OURS + "/id/outcome/"], ["city:", OURS + "/id/city/"],
  ["country:", OURS + "/id/country/"], ["theme:", OURS + "/id/theme/"],
  ["atype:", OURS + "/id/activity-type/"], ["org:", OURS + "/id/organisation/"],
  ["mc2cm:", OURS + "/ontology#"], ["sdg:", "http://metadata.un.org/sdg/"],
];

function shortIri(iri) {
  for (const [prefix, ns] of PREFIXES) {
    if (iri.startsWith(ns) && !iri.slice(ns.length).includes("/")) {
      return prefix + iri.slice(ns.length);
    }
  }
  return iri;
}

function cell(term) {
  const td = el("td", { dir: "auto" });
  if (!term) return td;
  if (term.type === "uri" && /^https?:/.test(term.value)) {
    td.append(el("a", { href: localHref(term.value), title: term.value, dir: "ltr" },
                 shortIri(term.value)));
  } else if (term.type === "uri") {
    td.append(el("span", { dir: "ltr" }, term.value));  // no links to javascript: and such
  } else {
    td.append(term.value);
    if (term["xml:lang"]) td.append(" ", el("span", { class: "tag" }, term["xml:lang"]));
  }
  return td;
}

function showResults(data, started) {
  const table = $("results");
  table.replaceChildren();
  const ms = Math.round(performance.now() - started);
  if ("boolean" in data) {
    $("status").textContent = `Answer: ${data.boolean} (${ms} ms)`;
    return;
  }
  const vars = data.head.vars;
  const rows = data.results.bindings;
  table.append(el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", { scope: "col" }, v)))));
  const body = el("tbody");
  for (const row of rows) body.append(el("tr", {}, ...vars.map((v) => cell(row[v]))));
  table.append(body);
  $("status").textContent = `${rows.length} row${rows.length === 1 ? "" : "s"} (${ms} ms)`;
  window.resultViews.show(data, defaultView);
}

async function fetchResults(url, options = {}) {
  $("error").hidden = true;
  $("status").textContent = "running…";
  $("results").replaceChildren();
  window.resultViews.clear();
  const started = performance.now();
  try {
    const headers = { Accept: "application/sparql-results+json", ...(options.headers || {}) };
    const response = await fetch(url, { ...options, headers });
    const text = await response.text();
    if (!response.ok) throw new Error(text);
    const type = response.headers.get("Content-Type") || "";
    if (!type.includes("json")) {
      $("status").textContent = "";
      $("results").replaceChildren(el("caption", {}, "graph result"),
        el("tbody", {}, el("tr", {}, el("td", { dir: "ltr" }, el("pre", {}, text)))));
      return;
    }
    showResults(JSON.parse(text), started);
  } catch (err) {
    $("status").textContent = "";
    $("error").textContent = err.message;
    $("error").hidden = false;
  }
}

function runQuery() {
  // As on the Wikidata Query Service, a comment `#defaultView:Map` (or BarChart) picks the view.
  const named = /#defaultView:(\w+)/i.exec($("query").value);
  defaultView = named ? ({ map: "map", barchart: "bar" }[named[1].toLowerCase()] || "table")
                      : "table";
  const body = new URLSearchParams({ query: $("query").value });
  fetchResults("/sparql", {
    method: "POST", body,
    headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" },
  });
}

function savedUrl(format) {
  const name = $("saved").value;
  const params = new URLSearchParams();
  for (const input of $("saved-form").querySelectorAll("[name]")) {
    if (input.value !== "") params.set(input.name, input.value);
  }
  if (format) params.set("format", format);
  const qs = params.toString();
  return `/api/${encodeURIComponent(name)}${qs ? "?" + qs : ""}`;
}

function showSaved() {
  const op = operations[$("saved").value];
  const form = $("saved-form");
  form.replaceChildren();
  $("saved-description").textContent = op ? (op.description || op.summary || "") : "";
  $("saved-sparql").textContent = op ? (op["x-sparql"] || "") : "";
  $("saved-link").hidden = !op;
  if (!op) return;
  for (const p of op.parameters || []) {
    const id = "param-" + p.name;
    const schema = p.schema || {};
    let input;
    if (schema.enum) {
      input = el("select", { id, name: p.name });
      if (!p.required) input.append(el("option", { value: "" }, "(any)"));
      for (const v of schema.enum) input.append(el("option", { value: v }, v));
    } else {
      input = el("input", { id, name: p.name, type: "text", dir: "auto",
                            placeholder: String(p.example ?? schema.example ?? "") });
    }
    if (schema.default !== undefined) input.value = schema.default;
    const label = el("label", { for: id }, p.name + (p.required ? " *" : ""));
    const help = el("span", { class: "small", dir: "auto" }, p.description || "");
    form.append(el("div", { class: "row" }, label, input, help));
  }
  $("saved-link").href = savedUrl("csv");
}

async function loadCatalogue() {
  const select = $("saved");
  try {
    const response = await fetch("/api/openapi.json");
    const spec = await response.json();
    select.replaceChildren();
    for (const [path, item] of Object.entries(spec.paths || {})) {
      const op = item.get;
      const name = path.replace(/^\/api\//, "");
      operations[name] = op;
      select.append(el("option", { value: name }, `${name} — ${op.summary || ""}`));
    }
    showSaved();
  } catch (err) {
    select.replaceChildren(el("option", { value: "" }, "(no saved queries)"));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("endpoint").textContent = location.origin + "/sparql";
  $("saved").addEventListener("change", showSaved);
  $("saved-form").addEventListener("input", () => { $("saved-link").href = savedUrl("csv"); });
  $("saved-form").addEventListener("submit", (e) => { e.preventDefault(); $("run-saved").click(); });
  $("run-saved").addEventListener("click", () => {
    const op = operations[$("saved").value];
    defaultView = (op && op["x-view"]) || "table";
    if ($("saved").value) fetchResults(savedUrl());
  });
  $("run-query").addEventListener("click", runQuery);
  $("query").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runQuery(); }
  });
  for (const [id, format] of [["as-csv", "csv"], ["as-json", "json"]]) {
    $(id).addEventListener("click", (e) => {
      e.preventDefault();
      const url = "/sparql?" + new URLSearchParams({ query: $("query").value, format });
      window.open(url, "_blank");
    });
  }
  loadCatalogue();
});
