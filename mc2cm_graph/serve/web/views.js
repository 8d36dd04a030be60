// The map and bar chart drawn from SPARQL JSON results (app.js makes them result views of
// the YASR result area, beside its table), as the Wikidata Query Service offers them:
// - "map" when the results have coordinates (lat/long columns, or WKT points), drawn on the
//   site's base map (basemap.svg: Natural Earth land, projected by pyproj) with the points
//   projected here by d3-geo with the same parameters (the svg's data-projection);
// - "bar chart" when they have a label column and a number column.
// drawMap(data, target) and drawBars(data, target) replace target's content.
"use strict";

(() => {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|nonPositiveInteger|negativeInteger|unsignedInt|unsignedLong|unsignedShort)$/;
  const WKT_POINT = /^\s*(?:<[^>]*>\s*)?POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)\s*$/i;
  const LAT = /^(lat|latitude)$/i;
  const LONG = /^(long|lon|lng|longitude)$/i;
  const RTL_TEXT = /[\u0590-\u08ff]/;
  const MAX_BARS = 60;
  let basemap = null;  // the fetched base map, once

  function svg(tag, attrs = {}, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(c);
    return node;
  }

  function isNumber(term) {
    return !!term && term.type !== "uri" && NUMERIC.test(term.datatype || "")
      && Number.isFinite(Number(term.value));
  }

  function shortText(term) {
    if (!term) return "";
    if (term.type === "uri") return term.value.replace(/^.*[/#]/, "");
    return term.value;
  }

  // The points of the results: [{lat, long, row}], from lat/long columns or a WKT column.
  function points(data) {
    const vars = data.head.vars;
    const rows = data.results.bindings;
    const lat = vars.find((v) => LAT.test(v));
    const long = vars.find((v) => LONG.test(v));
    const found = [];
    if (lat && long) {
      for (const row of rows) {
        const y = Number(row[lat] && row[lat].value);
        const x = Number(row[long] && row[long].value);
        if (row[lat] && row[long] && Number.isFinite(x) && Number.isFinite(y)) {
          found.push({ lat: y, long: x, row });
        }
      }
      if (found.length) return found;
    }
    for (const v of vars) {
      for (const row of rows) {
        const match = row[v] && row[v].type !== "uri" && WKT_POINT.exec(row[v].value);
        if (match) found.push({ long: Number(match[1]), lat: Number(match[2]), row });
      }
      if (found.length) return found;
    }
    return found;
  }

  // The label and number columns for a bar chart, or null.
  function barColumns(data) {
    const vars = data.head.vars;
    const rows = data.results.bindings;
    const bound = (v) => rows.filter((r) => r[v]);
    // Coordinates are numbers too, but no quantity to chart (places-on-map's count is).
    const number = vars.find((v) => !LAT.test(v) && !LONG.test(v) && bound(v).length
                             && bound(v).every((r) => isNumber(r[v])));
    if (!number) return null;
    const literal = vars.find((v) => v !== number && bound(v).length
      && bound(v).every((r) => r[v].type !== "uri" && !isNumber(r[v])));
    const label = literal || vars.find((v) => v !== number && bound(v).length);
    return label ? { label, number } : null;
  }

  function labelOf(row, data, skip) {
    // The first literal that is not a number, else the first IRI's last segment.
    const vars = data.head.vars.filter((v) => !skip.includes(v));
    const text = vars.find((v) => row[v] && row[v].type !== "uri" && !isNumber(row[v])
                               && !WKT_POINT.test(row[v].value));
    const iri = vars.find((v) => row[v] && row[v].type === "uri");
    return text ? row[text].value : (iri ? shortText(row[iri]) : "");
  }

  async function loadBasemap() {
    if (!basemap) {
      basemap = fetch("/static/basemap.svg").then((r) => {
        if (!r.ok) throw new Error("no base map");
        return r.text();
      }).then((text) => new DOMParser().parseFromString(text, "image/svg+xml").documentElement);
    }
    return basemap;
  }

  async function drawMap(data, target) {
    const found = points(data);
    const base = await loadBasemap();
    const map = document.importNode(base, true);
    map.setAttribute("role", "img");
    map.setAttribute("aria-label", window.i18n.words.mapOf(found.length));
    const p = JSON.parse(map.getAttribute("data-projection"));
    const projection = d3.geoAzimuthalEqualArea().rotate(p.rotate).scale(p.scale)
      .translate(p.translate);
    const vars = data.head.vars;
    const lat = vars.find((v) => LAT.test(v));
    const long = vars.find((v) => LONG.test(v));
    const bars = barColumns(data);
    const size = bars && ![lat, long].includes(bars.number) ? bars.number : null;
    const most = size ? Math.max(...found.map((f) => Number(f.row[size].value)), 1) : 1;
    const layer = svg("g", { class: "points" });
    const labels = svg("g", { class: "point-labels" });
    const placed = [];
    for (const point of found) {
      const xy = projection([point.long, point.lat]);
      if (!xy) continue;
      const label = labelOf(point.row, data, [lat, long]);
      const value = size ? Number(point.row[size].value) : 1;
      const r = size ? 3 + 9 * Math.sqrt(Math.max(value, 0) / most) : 5;
      layer.append(svg("circle", { cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: r.toFixed(1),
                                   class: "point", "data-lat": point.lat,
                                   "data-long": point.long },
                       svg("title", {}, size ? `${label}: ${value}` : label)));
      const rtl = RTL_TEXT.test(label);
      placed.push({ xy, r, rtl, label });
    }
    map.append(layer, labels);
    target.replaceChildren(map);
    // Labels in row order (a saved query lists the biggest first); one that would overlap a
    // label already written is left out (its point keeps its tooltip).
    const kept = [];
    for (const { xy, r, rtl, label } of placed) {
      const text = svg("text", { x: (xy[0] + (rtl ? -1 : 1) * (r + 3)).toFixed(1),
                                 y: (xy[1] + 4).toFixed(1), class: "point-label",
                                 direction: rtl ? "rtl" : "ltr" }, label);
      labels.append(text);
      const box = text.getBBox();
      if (kept.some((b) => box.x < b.x + b.width && b.x < box.x + box.width
                          && box.y < b.y + b.height && b.y < box.y + box.height)) {
        text.remove();
      } else {
        kept.push(box);
      }
    }
  }

  function drawBars(data, target) {
    const { label, number } = barColumns(data);
    const rows = data.results.bindings.filter((r) => r[number]).slice(0, MAX_BARS);
    const most = Math.max(...rows.map((r) => Number(r[number].value)), 0) || 1;
    const list = document.createElement("ol");
    list.className = "bars";
    list.setAttribute("aria-label", window.i18n.words.barsOf(number, label));
    for (const row of rows) {
      const value = Number(row[number].value);
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.className = "bar-label";
      name.dir = "auto";
      name.textContent = shortText(row[label]);
      const bar = document.createElement("span");
      bar.className = "bar-fill";
      bar.style.width = `${Math.max(0, (100 * value) / most).toFixed(1)}%`;
      const count = document.createElement("span");
      count.className = "bar-value";
      count.textContent = row[number].value;
      const track = document.createElement("span");
      track.className = "bar-track";
      track.append(bar, count);
      item.append(name, track);
      list.append(item);
    }
    const heading = document.createElement("p");
    heading.className = "small";
    heading.textContent = window.i18n.words.barsOf(number, label);
    target.replaceChildren(heading, list);
  }

  window.resultViews = { points, barColumns, drawMap, drawBars };
})();
