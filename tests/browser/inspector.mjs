// The inspector page in a real browser: Debian's Chromium, headless, driven by playwright-core.
//
//   node tests/browser/inspector.mjs BASE_URL ARTICLE_ENVELOPE SCREENSHOT
//
// Against a running `newsworker serve` at BASE_URL, it pastes ARTICLE_ENVELOPE (a JSON envelope
// such as ../shared/corpus/nato-explainer.json) into the page as a JSON envelope, presses
// Extract, and checks what a reader would: every quote of the record is listed with its
// speaker, every entity mention is highlighted with its type (PERSON, ORG and LOC among them),
// the text and offsets agree, hovering or focusing a mention shows its entity, Copy copies the
// record. Before that it checks that
// an error answer is shown readably and that article text is never parsed as HTML; throughout,
// that the page requests nothing outside the server and throws no error. The record it checks
// against is fetched by this script itself from POST /v1/extract, not read from the page.
// It saves a full-page screenshot to SCREENSHOT (also on failure) and exits 1 with a message
// naming the first check that failed.
import { readFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { chromium } from "playwright-core";

const [baseArg, articlePath, screenshotPath] = process.argv.slice(2);
if (!baseArg || !articlePath || !screenshotPath) {
  console.error("usage: node inspector.mjs BASE_URL ARTICLE_ENVELOPE SCREENSHOT");
  process.exit(2);
}
const base = new URL(baseArg);

/** Fails the test with `message` unless `condition` holds. */
function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** The record the server gives for `envelope`, asked directly (the page must show this one). */
async function recordFor(envelope) {
  const response = await fetch(new URL("v1/extract", base), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: envelope,
  });
  const body = await response.text();
  check(response.ok, `POST /v1/extract answered ${response.status}: ${body}`);
  return JSON.parse(body);
}

/** Pastes `body` as `type`, presses Extract and waits for the request to be answered. */
async function extract(page, type, body) {
  await page.getByLabel("Input type").selectOption(type);
  await page.getByRole("textbox", { name: "Article" }).fill(body);
  await page.getByRole("button", { name: "Extract" }).click();
  await page.waitForFunction(() => !document.getElementById("extract").disabled &&
    document.getElementById("status").textContent !== "extracting…");
}

/** A 4xx answer is shown with its reason and message. */
async function checkErrorShown(page) {
  await extract(page, "application/json", '{"id": "broken", "text": ');
  const error = page.locator("#error");
  check(await error.isVisible(), "an invalid envelope showed no error box");
  const shown = await error.innerText();
  check(/\b4\d\d\b/.test(shown) && shown.includes("invalid_json"),
    `the error box does not show the status and the reason: ${JSON.stringify(shown)}`);
}

/** Markup in an article is shown as text: no element of the article's reaches the DOM. */
async function checkEscaping(page) {
  const hostile = 'Maria Lopez said <img src="x" id="injected"> and <b id="bold">bold</b> are text.';
  await extract(page, "text/plain", hostile);
  check(await page.locator("#results").isVisible(), "a plain-text article produced no results");
  check(await page.locator("#injected, #bold").count() === 0, "article text was parsed as HTML");
  const shown = await page.locator("#article").textContent();
  check(shown.includes('<img src="x" id="injected">'), `markup is not shown as text: ${shown}`);
}

/** The reference article: quotes with speakers, highlighted mentions, tooltip, JSON. */
async function checkReferenceArticle(page, envelope) {
  const record = await recordFor(envelope);
  await extract(page, "application/json", envelope);
  check(!(await page.locator("#error").isVisible()),
    `the page shows an error: ${await page.locator("#error").innerText()}`);

  const shownText = await page.locator("#article").textContent();
  check(shownText === record.text, "the article view does not show the record's text");

  const speakers = [...new Set(record.quotes.filter((q) => q.speaker).map((q) => q.speaker.name))];
  check(speakers.length > 0, "the record of the reference article has no quote with a speaker");
  // Quote by quote, in order: its words and its speaker (none where the record has none).
  const listed = await page.locator("#quotes > li").evaluateAll((items) => items.map((li) => ({
    text: li.querySelector("q") && li.querySelector("q").textContent,
    speaker: li.querySelector(".speaker:not(.unknown)") && li.querySelector(".speaker:not(.unknown)").textContent,
  })));
  check(listed.length === record.quotes.length,
    `the quotes list holds ${listed.length} quotes, the record ${record.quotes.length}`);
  record.quotes.forEach((quote, i) => {
    const speaker = quote.speaker ? quote.speaker.name : null;
    check(listed[i].text === quote.text, `quote ${i + 1} does not show ${JSON.stringify(quote.text)}`);
    check(listed[i].speaker === speaker,
      `quote ${i + 1} names ${JSON.stringify(listed[i].speaker)}, the record ${JSON.stringify(speaker)}`);
  });

  // Every mention is a mark of its entity's type, over exactly the mention's text.
  const marks = await page.locator("#article mark[data-entity]").evaluateAll((nodes) =>
    nodes.map((n) => ({ entity: n.dataset.entity, type: n.dataset.type, text: n.textContent })));
  const expected = record.entities.flatMap((e) =>
    e.mentions.map((m) => ({ entity: e.id, type: e.type, text: m.text })));
  check(marks.length === expected.length,
    `${marks.length} mentions highlighted, the record has ${expected.length}`);
  const key = (m) => `${m.entity}\u0000${m.type}\u0000${m.text}`;
  const shownKeys = new Set(marks.map(key));
  for (const mention of expected) {
    check(shownKeys.has(key(mention)),
      `mention ${JSON.stringify(mention.text)} of ${mention.entity} (${mention.type}) is not highlighted`);
  }
  for (const type of ["PERSON", "ORG", "LOC"]) {
    check(marks.some((m) => m.type === type), `no ${type} mention is highlighted`);
  }

  // Hovering a person's mention shows the entity's canonical name.
  const person = record.entities.find((e) => e.type === "PERSON");
  await page.locator(`#article mark[data-entity="${person.id}"]`).first().hover();
  const tooltip = page.locator("#tooltip");
  check(await tooltip.isVisible(), "hovering a mention shows no tooltip");
  check((await tooltip.textContent()).includes(person.name),
    `the tooltip does not name ${person.name}`);
  await page.mouse.move(0, 0);
  check(await tooltip.isHidden(), "the tooltip stays after the pointer left the mention");

  // The keyboard gets the same: focusing a mention shows its tooltip, Escape hides it.
  await page.locator(`#article mark[data-entity="${person.id}"]`).first().focus();
  check(await tooltip.isVisible() && (await tooltip.textContent()).includes(person.name),
    "focusing a mention does not show its entity");
  await page.keyboard.press("Escape");
  check(await tooltip.isHidden(), "Escape does not hide the tooltip");

  // Copy puts the record's JSON on the clipboard.
  await page.getByRole("button", { name: "Copy" }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(JSON.parse(copied).id === record.id, "Copy did not put the record on the clipboard");

  const json = JSON.parse(await page.locator("#json").textContent());
  check(json.id === record.id && json.text === record.text, "the JSON view is not the record");
  return { speakers, mentions: marks.length, quotes: record.quotes.length };
}

const envelope = await readFile(articlePath, "utf8");
await mkdir(dirname(screenshotPath), { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.NEWSWORKER_CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base.origin });
const page = await context.newPage();
page.setDefaultTimeout(30_000);
const outside = [];
const pageErrors = [];
page.on("request", (request) => {
  if (new URL(request.url()).origin !== base.origin) outside.push(request.url());
});
page.on("pageerror", (error) => pageErrors.push(String(error)));

let failure = null;
let summary = null;
try {
  const response = await page.goto(base.href);
  check(response && response.ok(), `GET / answered ${response && response.status()}`);
  await page.waitForFunction(() => !document.getElementById("sample").disabled, null, { timeout: 10_000 })
    .catch(async () => {
      throw new Error(`the sample picker was not filled from /v1/samples: ${await page.locator("#sample").innerText()}`);
    });
  check(await page.locator("#sample option").count() > 1, "the sample picker holds no sample");
  await checkErrorShown(page);
  await checkEscaping(page);
  summary = await checkReferenceArticle(page, envelope);
  check(outside.length === 0, `the page requested outside the server: ${outside.join(", ")}`);
  check(pageErrors.length === 0, `the page threw: ${pageErrors.join("; ")}`);
} catch (error) {
  failure = error;
} finally {
  await page.screenshot({ path: screenshotPath, fullPage: true }).catch((error) => {
    console.error(`inspector: could not save the screenshot: ${error.message}`);
  });
  await browser.close();
}
if (failure) {
  console.error(`inspector page test FAILED: ${failure.message}`);
  process.exit(1);
}
console.log(`inspector page test passed: ${summary.quotes} quotes, speakers ${summary.speakers.join(", ")}; ` +
  `${summary.mentions} mentions highlighted; screenshot ${screenshotPath}`);
