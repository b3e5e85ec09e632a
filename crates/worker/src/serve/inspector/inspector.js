/**
 * The inspector page of `newsworker serve`: paste an article, see what the extractor found.
 *
 * How it works, top to bottom:
 *
 * 1. On load it asks `GET v1/samples` for the demo articles and fills the sample picker; picking
 *    one puts its body in the textarea and its content type in the type selector.
 * 2. Extract sends the textarea as the body of `POST v1/extract` with the chosen Content-Type
 *    (`text/plain`, `text/html` with optional `?url=&published_at=`, or `application/json` for an
 *    envelope). The server answers 200 with the record, or 4xx with `{"reason", "stage",
 *    "message"}`, what a dead letter carries; the error box shows it as it came.
 * 3. The record is drawn in four views: the article text with every entity mention (and every
 *    place of `places[]`) highlighted by type, the quotes with their speakers, the places, dates
 *    and amounts as tables, and the JSON itself with a Copy button.
 *
 * Two things a reader of the code should know:
 *
 * - Offsets. A record's `start`/`end` count Unicode scalar values of its `text` (what Python's
 *   `str` indexes), while a JavaScript string indexes UTF-16 code units: "🇺🇦" is one string of
 *   four units but two scalar values. `scalarToUnit` maps one onto the other once per record, so
 *   slicing never splits a surrogate pair nor drifts after an emoji or a non-BMP letter.
 * - Escaping. Everything the record holds came from an article, that is from anyone. The page
 *   never parses record content as HTML: every node is built with `createElement` and filled
 *   with `textContent` (see `el`), so `<script>` in an article is shown as the text it is.
 *
 * No framework and no external request: the page, this script and the stylesheet are built
 * into the binary, and the page works offline against the server that served it.
 */
"use strict";

/** Entity types, in legend order, with the words the legend shows. */
const ENTITY_TYPES = [
  ["PERSON", "person"],
  ["ORG", "organisation"],
  ["LOC", "location"],
  ["MISC", "other name"],
  ["PLACE", "place outside an entity (places[])"],
];

const $ = (id) => document.getElementById(id);

/**
 * Builds an element: `el("td", {class: "num"}, "42", otherNode)`. Strings become text nodes,
 * never markup; attributes are set one by one. This is the only way the page makes nodes.
 */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** For each scalar-value index 0..=n of `text`, the UTF-16 index where that scalar starts. */
function scalarToUnit(text) {
  const units = [];
  let unit = 0;
  for (const scalar of text) {
    units.push(unit);
    unit += scalar.length;
  }
  units.push(unit);
  return units;
}

/** "Kyiv, UA (city)" for a `geo` object; "" for null. */
function describeGeo(geo) {
  if (!geo) return "";
  const country = geo.country ? `, ${geo.country}` : "";
  return `${geo.name}${country} (${geo.feature})`;
}

/** The tooltip text of an entity: canonical name, type, aliases (its other mention texts), place. */
function describeEntity(entity) {
  const aliases = [...new Set(entity.mentions.map((m) => m.text))].filter((t) => t !== entity.name);
  const lines = [`${entity.name} (${entity.type}, ${entity.id})`];
  lines.push(aliases.length ? `aliases: ${aliases.join(", ")}` : "no other names in the article");
  if (entity.geo) lines.push(`GeoNames: ${describeGeo(entity.geo)} · ${entity.geo.id}`);
  if (entity.roles && entity.roles.length) lines.push(`roles: ${entity.roles.join(", ")}`);
  return lines.join("\n");
}

/**
 * The spans to highlight, in text order and without overlaps: every entity mention, then the
 * places of `places[]` and the dateline where no mention already covers them (a place inside
 * an organisation's name, "the Kentucky State Police", stays part of the organisation's mark).
 */
function highlightSpans(record) {
  const spans = [];
  for (const entity of record.entities || []) {
    for (const mention of entity.mentions) {
      spans.push({
        start: mention.start,
        end: mention.end,
        type: entity.type,
        entity: entity.id,
        tip: describeEntity(entity),
      });
    }
  }
  const places = [...(record.places || [])];
  if (record.dateline) places.push({ ...record.dateline, source: "dateline" });
  for (const place of places) {
    spans.push({
      start: place.start,
      end: place.end,
      type: "PLACE",
      tip: `${place.text} (place, ${place.source})\n` +
        (place.geo ? `GeoNames: ${describeGeo(place.geo)} · ${place.geo.id}` : "no gazetteer entry"),
    });
  }
  // Mentions first at equal starts (they were pushed first and the sort is stable).
  spans.sort((a, b) => a.start - b.start);
  const kept = [];
  let end = 0;
  for (const span of spans) {
    if (span.start >= end && span.end > span.start) {
      kept.push(span);
      end = span.end;
    }
  }
  return kept;
}

/** Draws the article text with its highlighted spans into #article. */
function renderArticle(record) {
  const text = record.text || "";
  const units = scalarToUnit(text);
  const last = units.length - 1;
  const slice = (start, end) => text.slice(units[Math.min(start, last)], units[Math.min(end, last)]);
  const article = $("article");
  article.replaceChildren();
  let at = 0;
  for (const span of highlightSpans(record)) {
    article.append(slice(at, span.start));
    const mark = el("mark", {
      class: `ent ent-${span.type}`,
      tabindex: 0,
      "data-type": span.type,
      "data-entity": span.entity,
      "data-tip": span.tip,
      "aria-describedby": "tooltip",
    }, slice(span.start, span.end));
    article.append(mark);
    at = span.end;
  }
  article.append(slice(at, last));

  const counts = {};
  for (const mark of article.querySelectorAll("mark")) {
    counts[mark.dataset.type] = (counts[mark.dataset.type] || 0) + 1;
  }
  $("legend").replaceChildren(...ENTITY_TYPES.map(([type, words]) =>
    el("li", {}, el("mark", { class: `ent ent-${type}` }, type), ` ${words}: ${counts[type] || 0}`)));

  const meta = [record.title, record.outlet, record.published_at, record.language && record.language.code]
    .filter(Boolean);
  $("article-meta").textContent = meta.join(" · ");
}

/** Fills a table's body with one row per item; `cells` gives the row's texts. */
function fillTable(id, items, cells, emptyText) {
  const body = $(id).querySelector("tbody");
  const rows = items.map((item) => el("tr", {}, ...cells(item).map((cell) => el("td", {}, cell))));
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: $(id).rows[0].cells.length }, emptyText)));
  body.replaceChildren(...rows);
}

/** The quotes list: the words, then who said them and how the speaker was found. */
function renderQuotes(record) {
  const entities = new Map((record.entities || []).map((e) => [e.id, e]));
  const items = (record.quotes || []).map((quote) => {
    const speaker = quote.speaker;
    let who = el("span", { class: "speaker unknown" }, "no speaker found");
    if (speaker) {
      // The speaker as the article names it, then the entity it resolves to where that differs
      // ("she" → Ingrid Halvorsen).
      const entity = speaker.entity && entities.get(speaker.entity);
      const canonical = entity && entity.name !== speaker.name ? ` → ${entity.name}` : "";
      who = el("span", {}, el("span", { class: "speaker", "data-entity": speaker.entity }, speaker.name),
        canonical);
    }
    const how = speaker ? ` (${speaker.via}${quote.verb ? `, “${quote.verb}”` : ""})` : "";
    return el("li", { class: `quote quote-${quote.kind}` },
      el("q", {}, quote.text),
      el("div", { class: "attribution" }, `${quote.kind} — `, who, how));
  });
  if (!items.length) items.push(el("li", { class: "empty" }, "no quotes found"));
  $("quotes").replaceChildren(...items);
}

/** Places, dates and amounts as tables. */
function renderTables(record) {
  const places = (record.entities || []).filter((e) => e.geo)
    .map((e) => ({ text: e.name, geo: e.geo }))
    .concat((record.places || []).map((p) => ({ text: `${p.text} (${p.source})`, geo: p.geo })));
  if (record.dateline) places.push({ text: `${record.dateline.text} (dateline)`, geo: record.dateline.geo });
  fillTable("places", places, (p) => p.geo
    ? [p.text, p.geo.name, p.geo.country || "—", p.geo.feature, p.geo.id]
    : [p.text, "no gazetteer entry", "—", "—", "—"], "no places found");
  fillTable("dates", record.dates || [], (d) =>
    [d.text, d.type, d.value + (d.mod ? ` (mod ${d.mod})` : "") + (d.freq ? ` (freq ${d.freq})` : "")],
  "no dates found");
  const number = (n) => n.toLocaleString("en", { maximumFractionDigits: 20 });
  fillTable("amounts", record.amounts || [], (a) =>
    [a.text, a.max !== null && a.max !== undefined ? `${number(a.value)}–${number(a.max)}` : number(a.value),
      a.unit || "—"],
  "no amounts found");
}

/** Shows one record in every view. */
function renderRecord(record) {
  renderArticle(record);
  renderQuotes(record);
  renderTables(record);
  $("json").textContent = JSON.stringify(record, null, 2);
  $("results").hidden = false;
}

/**
 * Shows an error: the server's `{reason, stage, message}` when it sent one, else what is known.
 * The views of an earlier record are hidden, so that they are not taken for this input's.
 */
function showError(title, detail) {
  $("results").hidden = true;
  const box = $("error");
  box.replaceChildren(el("strong", {}, title), detail ? el("p", {}, detail) : null);
  box.hidden = false;
}

/** Sends the textarea to `POST v1/extract` and shows the answer. */
async function extract(event) {
  event.preventDefault();
  const type = $("input-type").value;
  const query = new URLSearchParams();
  if (type === "text/html") {
    if ($("html-url").value.trim()) query.set("url", $("html-url").value.trim());
    if ($("html-published-at").value.trim()) query.set("published_at", $("html-published-at").value.trim());
  }
  const url = "v1/extract" + (query.toString() ? `?${query}` : "");
  const button = $("extract");
  button.disabled = true;
  $("error").hidden = true;
  $("status").textContent = "extracting…";
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": `${type}; charset=utf-8` },
      body: $("input").value,
    });
    const body = await response.text();
    if (!response.ok) {
      $("status").textContent = "";
      let reason = null;
      try {
        reason = JSON.parse(body);
      } catch (_) { /* not JSON: show the text as it is */ }
      if (reason && reason.reason) {
        const stage = reason.stage ? ` (stage ${reason.stage})` : "";
        showError(`${response.status}: ${reason.reason}${stage}`, reason.message);
      } else {
        showError(`${response.status} ${response.statusText}`, body);
      }
      return;
    }
    renderRecord(JSON.parse(body));
    $("status").textContent = `extracted in ${Math.round(performance.now() - started)} ms`;
  } catch (error) {
    $("status").textContent = "";
    showError("The request failed", String(error));
  } finally {
    button.disabled = false;
  }
}

/** Fills the sample picker from `GET v1/samples`. */
async function loadSamples() {
  const picker = $("sample");
  try {
    const response = await fetch("v1/samples");
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const samples = await response.json();
    picker.replaceChildren(el("option", { value: "" }, "— pick a sample —"),
      ...samples.map((sample, i) => el("option", { value: i }, `${sample.name} (${sample.content_type})`)));
    picker.disabled = false;
    picker.addEventListener("change", () => {
      const sample = samples[Number(picker.value)];
      if (picker.value === "" || !sample) return;
      $("input").value = sample.body;
      $("input-type").value = sample.content_type;
      showHtmlMetadata();
    });
  } catch (error) {
    picker.replaceChildren(el("option", { value: "" }, `samples unavailable (${error.message})`));
  }
}

/** The URL and date fields only make sense for an HTML page. */
function showHtmlMetadata() {
  $("html-metadata").hidden = $("input-type").value !== "text/html";
}

/** The mention tooltip: shown on hover and on keyboard focus, hidden on leave, blur or Escape. */
function wireTooltip() {
  const tooltip = $("tooltip");
  const show = (event) => {
    const mark = event.target.closest("#article mark[data-tip]");
    if (!mark) return;
    tooltip.textContent = mark.dataset.tip;
    tooltip.hidden = false;
    const box = mark.getBoundingClientRect();
    tooltip.style.left = `${window.scrollX + box.left}px`;
    tooltip.style.top = `${window.scrollY + box.bottom + 4}px`;
  };
  const hide = () => { tooltip.hidden = true; };
  const article = $("article");
  article.addEventListener("mouseover", show);
  article.addEventListener("focusin", show);
  article.addEventListener("mouseout", hide);
  article.addEventListener("focusout", hide);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
}

/** Copies the record's JSON; falls back to selecting it where the clipboard is refused. */
async function copyJson() {
  const json = $("json");
  try {
    await navigator.clipboard.writeText(json.textContent);
    $("status").textContent = "record copied to the clipboard";
  } catch (_) {
    const range = document.createRange();
    range.selectNodeContents(json);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    $("status").textContent = "the clipboard is not available: the JSON is selected, press Ctrl+C";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("extract-form").addEventListener("submit", extract);
  $("input-type").addEventListener("change", showHtmlMetadata);
  $("copy").addEventListener("click", copyJson);
  wireTooltip();
  showHtmlMetadata();
  loadSamples();
});
