// The query page: saved queries (the catalogue at /api/) with their parameter forms, a
// SPARQL editor (YASQE) and a result area (YASR: its table, plus our map and bar chart of
// views.js as YASR plugins). The page's state (saved query and parameters, or the typed
// query, and the view) is kept in its URL: a copied link reopens and reruns it.
// Vendored libraries only (vendor/, d3-geo.min.js); nothing is loaded from elsewhere.
"use strict";

(() => {
  const OURS = "https://w3id.org/mc2cm";
  const { lang, words } = window.i18n;
  const $ = (id) => document.getElementById(id);
  const VIEWS = ["table", "map", "bar", "response"];
  const DEFAULT_QUERY = `PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#>

SELECT ?position ?programme ?title WHERE {
  ?programme a mc2cm:Programme ;
             mc2cm:positionInSource ?position ;
             mc2cm:subtitle ?title .
  FILTER(lang(?title) = "${lang}")
}
ORDER BY ?position
`;

  const queries = {};  // the catalogue's saved queries by name
  let prefixes = {};
  let terms = { classes: [], properties: [] };  // the IRIs the graph uses, to complete
  let yasqe = null;
  let yasr = null;
  let ran = null;  // what the results show: {saved, params} or {query}
  let wantedView = null;  // the view to show once results are drawn

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

  // ---------------------------------------------------------------- the page's URL

  function stateFromUrl() {
    const search = new URLSearchParams(location.search);
    const params = {};
    for (const [key, value] of search) {
      if (key.startsWith("p.")) params[key.slice(2)] = value;
    }
    return { saved: search.get("saved"), query: search.get("query"), params,
             view: VIEWS.includes(search.get("view")) ? search.get("view") : null };
  }

  function urlFor(language) {
    const search = new URLSearchParams({ lang: language });
    if (ran && ran.saved) {
      search.set("saved", ran.saved);
      for (const [k, v] of Object.entries(ran.params)) search.set("p." + k, v);
    } else if (ran && ran.query) {
      search.set("query", ran.query);
    }
    const view = yasr && ran ? yasr.drawnPlugin || yasr.getSelectedPluginName() : null;
    if (view && view !== "table") search.set("view", view);
    return `${location.pathname}?${search}`;
  }

  function writeUrl() {
    history.replaceState(null, "", urlFor(lang));
    $("share-link").value = location.href;
    for (const link of $("langs").querySelectorAll("a")) {
      link.href = urlFor(link.lang);
    }
  }

  function drawLanguageSwitcher() {
    for (const code of window.i18n.LANGUAGES) {
      const link = el("a", { href: urlFor(code), lang: code, hreflang: code },
                      window.i18n.NAMES[code]);
      if (code === lang) link.setAttribute("aria-current", "true");
      $("langs").append(link);
    }
  }

  // ---------------------------------------------------------------- results

  function resultsJson() {
    const results = yasr.results;
    return { head: { vars: results.getVariables() || [] },
             results: { bindings: results.getBindings() || [] } };
  }

  function selectResults() {
    const results = yasr && yasr.results;
    return !!results && !results.hasError() && Array.isArray(results.getBindings())
      && results.getBindings().length > 0;
  }

  function icon(...shapes) {
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    for (const [tag, attrs] of shapes) {
      const shape = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) shape.setAttribute(k, v);
      svg.append(shape);
    }
    return svg;
  }

  // Our views as YASR plugins (YASR's plugin interface: label, priority, getIcon,
  // canHandleResults, draw).
  class ViewPlugin {
    constructor(host) { this.yasr = host; this.priority = 5; }
    canHandleResults() { return selectResults() && this.available(resultsJson()); }
    draw() {
      const target = this.yasr.resultsEl;
      return Promise.resolve(this.render(resultsJson(), target)).catch((err) => {
        target.replaceChildren(words.cannotDraw(this.label, err.message));
      });
    }
  }

  class MapPlugin extends ViewPlugin {
    constructor(host) { super(host); this.label = words.map; }
    available(data) { return window.resultViews.points(data).length > 0; }
    render(data, target) { return window.resultViews.drawMap(data, target); }
    getIcon() {
      return icon(["path", { d: "M8 1a5 5 0 0 0-5 5c0 4 5 9 5 9s5-5 5-9a5 5 0 0 0-5-5z" }],
                  ["circle", { cx: "8", cy: "6", r: "2", fill: "#fff" }]);
    }
  }

  class BarPlugin extends ViewPlugin {
    constructor(host) { super(host); this.label = words.bar; }
    available(data) { return window.resultViews.barColumns(data) !== null; }
    render(data, target) { return window.resultViews.drawBars(data, target); }
    getIcon() {
      return icon(["rect", { x: "1", y: "2", width: "10", height: "3" }],
                  ["rect", { x: "1", y: "7", width: "14", height: "3" }],
                  ["rect", { x: "1", y: "12", width: "6", height: "3" }]);
    }
  }

  // YASR's own table and raw response, with our labels and no links to its online help.
  function localised(Base, label) {
    return class extends Base {
      constructor(host) {
        super(host);
        this.label = label;
        this.helpReference = undefined;
      }
    };
  }

  // YASR's table, opening in its simple view (values without quotes, datatypes and
  // language tags, which read out of order next to Arabic). It sorted numbers as text (9
  // after 15): DataTables guesses a column's type from the rendered cells, so it is given
  // the plain values to guess from.
  function ourTable(Table) {
    return class extends Table {
      constructor(host) {
        super(host);
        this.persistentConfig = { compact: true, ...(this.persistentConfig || {}) };
      }

      getColumns() {
        return super.getColumns().map((column, i) => (i === 0 ? column : {
          ...column,
          render: (data, type, row, meta) => (type === "type" && data !== ""
            ? data.value : column.render(data, type, row, meta)),
        }));
      }
    };
  }

  function setUpYasr() {
    const Table = Yasr.plugins.table;
    Table.defaults.openIriInNewWindow = false;
    // YASR's paging arrows (< and >) are mirrored by the browser in Arabic, as Unicode
    // says for these characters: they point the way the page reads.
    Table.defaults.tableConfig.language = {
      ...Table.defaults.tableConfig.language, ...words.dataTables };
    Yasr.registerPlugin("table", localised(ourTable(Table), words.table));
    Yasr.registerPlugin("response", localised(Yasr.plugins.response, words.response));
    Yasr.registerPlugin("map", MapPlugin);
    Yasr.registerPlugin("bar", BarPlugin);
    yasr = new Yasr($("yasr"), {
      persistenceId: null, prefixes, pluginOrder: ["table", "map", "bar", "response"],
      defaultPlugin: "table",
    });
    yasr.on("drawn", afterDraw);
    yasr.on("change", () => { if (ran) writeUrl(); });
    translateYasr();
  }

  // YASR writes a few English words of its own: put ours instead.
  function translateYasr() {
    const root = $("yasr");
    for (const button of root.querySelectorAll(".yasr_btnGroup .yasr_btn")) {
      button.setAttribute("aria-label", button.title);
    }
    for (const node of root.querySelectorAll(".tableControls .label, .pageSizerLabel, "
                                             + ".tableSizer option")) {
      const mine = words.yasr[node.textContent];
      if (mine) node.textContent = mine;
    }
    const filter = root.querySelector(".tableFilter");
    if (filter) {
      filter.placeholder = words.yasr["Filter query results"];
      filter.setAttribute("aria-label", filter.placeholder);
    }
    const sizer = root.querySelector(".tableSizer");
    if (sizer) sizer.setAttribute("aria-label", words.yasr["Page size: "].replace(/[:\s]+$/, ""));
    const number = root.querySelector("table thead th:first-child");
    if (number && !number.textContent.trim()) number.textContent = "#";
    const download = root.querySelector(".yasr_downloadIcon");
    if (download) download.setAttribute("aria-label", words.yasr["Download Results"]);
  }

  function afterDraw(_yasr, plugin) {
    translateYasr();
    for (const link of yasr.resultsEl.querySelectorAll("a[href]")) {
      const href = link.getAttribute("href");
      if (!/^https?:/i.test(href)) {
        link.replaceWith(el("span", { dir: "ltr" }, link.textContent));  // no javascript:
      } else {
        link.title = href;
        link.setAttribute("href", localHref(href));
      }
    }
    for (const cell of yasr.resultsEl.querySelectorAll("td")) cell.setAttribute("dir", "auto");
    $("yasr").dataset.view = yasr.drawnPlugin || "";
    $("yasr").dataset.ready = plugin ? "true" : "false";
  }

  function showError(message) {
    $("status").textContent = "";
    $("error").replaceChildren(el("strong", {}, words.failed), " ",
                               el("span", { dir: "ltr" }, message));
    $("error").hidden = false;
    $("yasr").hidden = true;
  }

  function showData(data, ms) {
    $("error").hidden = true;
    $("yasr").hidden = false;
    $("yasr").dataset.ready = "false";
    // The view asked for is chosen before the results are drawn (choosing it after would
    // draw twice, the second over the first).
    if (wantedView && yasr.config.plugins[wantedView]) yasr.selectedPlugin = wantedView;
    wantedView = null;
    yasr.setResponse(data, ms);
    const results = yasr.results;
    const bindings = results.getBindings();
    const answer = results.getBoolean ? results.getBoolean() : undefined;
    $("status").dataset.rows = Array.isArray(bindings) ? bindings.length : "";
    if (Array.isArray(bindings)) $("status").textContent = words.rows(bindings.length, ms);
    else if (typeof answer === "boolean") $("status").textContent = words.answer(answer, ms);
    else $("status").textContent = `${ms} ms`;
  }

  function shown(what, format) {
    if (what.saved) {
      const search = new URLSearchParams(what.params);
      search.set("format", format);
      return `/api/${encodeURIComponent(what.saved)}?${search}`;
    }
    return "/sparql?" + new URLSearchParams({ query: what.query, format });
  }

  function finishRun(what) {
    ran = what;
    for (const format of ["csv", "tsv", "json"]) {
      const link = $("as-" + format);
      link.href = shown(what, format);
      link.setAttribute("download", `${what.saved || "query"}.${format}`);
    }
    $("downloads").hidden = false;
    $("share").hidden = false;
    $("share-row").hidden = false;
    writeUrl();
  }

  function starting(view) {
    wantedView = view;
    $("yasr").dataset.ready = "false";
    $("status").textContent = words.running;
    $("error").hidden = true;
    $("share-done").textContent = "";
  }

  // ---------------------------------------------------------------- saved queries

  function savedParams() {
    const params = {};
    for (const input of $("saved-form").querySelectorAll("[name]")) {
      if (input.value !== "") params[input.name] = input.value;
    }
    return params;
  }

  async function runSaved(view) {
    const name = $("saved").value;
    const query = queries[name];
    if (!query) return;
    starting(view || (query.view !== "table" ? query.view : "table"));
    const params = savedParams();
    const started = performance.now();
    try {
      const response = await fetch(`/api/${encodeURIComponent(name)}?`
                                   + new URLSearchParams(params),
                                   { headers: { Accept: "application/sparql-results+json" } });
      const text = await response.text();
      if (!response.ok) throw new Error(text);
      showData(JSON.parse(text), Math.round(performance.now() - started));
      finishRun({ saved: name, params });
    } catch (err) {
      showError(err.message);
    }
  }

  function paramLabel(param) {
    return words.params[param.name] || param.name;
  }

  function paramInput(param, id) {
    if (param.enum) {
      const select = el("select", { id, name: param.name });
      if (!param.required) select.append(el("option", { value: "" }, words.any));
      for (const value of param.enum) {
        const text = param.name === "lang" ? window.i18n.NAMES[value] || value : value;
        select.append(el("option", { value, dir: "auto" }, text));
      }
      return select;
    }
    const input = el("input", { id, name: param.name, type: "text", dir: "auto" });
    if (param.example) input.placeholder = words.example(param.example);
    if (param.required) input.required = true;
    return input;
  }

  function showSaved(values) {
    const query = queries[$("saved").value];
    const form = $("saved-form");
    form.replaceChildren();
    $("saved-description").textContent = query ? query.description || query.summary : "";
    if (!query) return;
    for (const param of query.parameters) {
      const id = "param-" + param.name;
      const input = paramInput(param, id);
      // The labels' language follows the page's, where the query offers it.
      const preferred = param.name === "lang" && (param.enum || []).includes(lang) ? lang
        : param.default;
      input.value = values && param.name in values ? values[param.name] : preferred ?? "";
      // What to type, for a free-text field; a list of allowed values says it itself.
      const help = param.enum ? [] : [words.kinds[param.kind] || words.kinds.string];
      if (param.required) help.push(words.required);
      form.append(el("div", { class: "row" },
                     el("label", { for: id }, paramLabel(param)), input,
                     el("span", { class: "small" }, help.join(" · "))));
    }
  }

  // The saved query as it runs with the form's values (bound by the server), without its
  // grlc decorators (the `#+` lines), into the editor.
  async function openSaved() {
    const name = $("saved").value;
    if (!queries[name]) return;
    const search = new URLSearchParams(savedParams());
    search.set("format", "sparql");
    try {
      const response = await fetch(`/api/${encodeURIComponent(name)}?${search}`);
      const text = await response.text();
      if (!response.ok) throw new Error(text);
      yasqe.setValue(text.split("\n").filter((line) => !line.startsWith("#+"))
        .join("\n").replace(/^\n+/, ""));
      yasqe.focus();
    } catch (err) {
      showError(err.message);
    }
  }

  async function loadCatalogue() {
    const select = $("saved");
    try {
      const response = await fetch("/api/", { headers: { Accept: "application/json" } });
      const catalogue = await response.json();
      prefixes = catalogue.prefixes || {};
      terms = { classes: catalogue.classes || [], properties: catalogue.properties || [] };
      select.replaceChildren();
      for (const query of catalogue.queries) {
        queries[query.name] = query;
        select.append(el("option", { value: query.name }, query.summary || query.name));
      }
    } catch (err) {
      select.replaceChildren(el("option", { value: "" }, words.noSaved));
    }
  }

  // ---------------------------------------------------------------- the editor

  function setUpYasqe() {
    const ours = Object.entries(prefixes).map(([p, ns]) => `${p}: <${ns}>`).sort();
    // YASQE's prefix completion asks prefix.cc; ours answers from the catalogue's list.
    Yasqe.forkAutocompleter("prefixes", { name: "ourPrefixes", persistenceId: null,
                                          get: () => Promise.resolve(ours) }, false);
    // Its class and property completion asks LOV; ours offers what this graph uses.
    for (const [from, name, list] of [["class", "ourClasses", terms.classes],
                                      ["property", "ourProperties", terms.properties]]) {
      Yasqe.forkAutocompleter(from, { name, bulk: true, persistenceId: null,
                                      get: () => Promise.resolve(list) }, false);
    }
    yasqe = new Yasqe($("editor"), {
      value: DEFAULT_QUERY, persistenceId: null, showQueryButton: false,
      createShareableLink: null, consumeShareLink: null, editorHeight: "16rem",
      lineWrapping: false,  // SPARQL keeps its lines; the editor scrolls sideways
      autocompleters: ["ourPrefixes", "variables", "ourClasses", "ourProperties"],
      prefixCcApi: null,
      requestConfig: { endpoint: "/sparql", method: "POST",
                       acceptHeaderGraph: "text/turtle,*/*;q=0.9",
                       acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9" },
    });
    const input = yasqe.getInputField();
    input.setAttribute("aria-label", words.editorLabel);
    // The editor's scroll area can be reached from the keyboard (it scrolls at phone width).
    const scroller = $("editor").querySelector(".CodeMirror-scroll");
    scroller.tabIndex = 0;
    scroller.setAttribute("aria-label", words.editorLabel);
    let started = 0;
    let view = null;
    yasqe.on("queryBefore", () => {
      started = performance.now();
      view = viewNamedIn(yasqe.getValue());
      starting(wantedView || view);
    });
    yasqe.on("queryResponse", (_yasqe, response) => {
      const ms = Math.round(performance.now() - started);
      if (response instanceof Error) {
        showError(response.message);
        return;
      }
      showData(response, ms);
      finishRun({ query: yasqe.getValue() });
    });
  }

  // As on the Wikidata Query Service, a comment `#defaultView:Map` (or BarChart) picks the view.
  function viewNamedIn(text) {
    const named = /#defaultView:(\w+)/i.exec(text);
    return named ? ({ map: "map", barchart: "bar", table: "table" }[named[1].toLowerCase()]
                    || null) : null;
  }

  function runTyped(view) {
    wantedView = view || null;
    yasqe.query().catch(() => {});  // the failure is shown by the queryResponse handler
  }

  // ---------------------------------------------------------------- start

  async function share() {
    writeUrl();
    try {
      await navigator.clipboard.writeText(location.href);
      $("share-done").textContent = words.copied;
    } catch (err) {
      $("share-link").select();  // no clipboard here: the link is selected to copy by hand
    }
  }

  async function start() {
    window.i18n.translatePage();
    $("endpoint").textContent = location.origin + "/sparql";
    drawLanguageSwitcher();
    await loadCatalogue();
    setUpYasqe();
    setUpYasr();
    $("saved").addEventListener("change", () => showSaved());
    $("saved-form").addEventListener("submit", (e) => { e.preventDefault(); runSaved(); });
    $("run-saved").addEventListener("click", () => runSaved());
    $("edit-saved").addEventListener("click", openSaved);
    $("run-query").addEventListener("click", () => runTyped());
    $("share").addEventListener("click", share);
    const state = stateFromUrl();
    if (state.saved && queries[state.saved]) {
      $("saved").value = state.saved;
      showSaved(state.params);
      runSaved(state.view);
    } else {
      showSaved();
      if (state.query) {
        yasqe.setValue(state.query);
        runTyped(state.view);
      }
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
