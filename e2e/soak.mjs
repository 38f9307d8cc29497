// Soak (`make soak`, issue 12): a tab left open through a lecture. The release page runs
// at 10× with client writes all the time, a crash and a restart of the leader and a
// split and heal every few virtual minutes, for SOAK_MINUTES virtual minutes (default
// 120: about 12 real minutes). Every 10 virtual minutes it prints the wasm heap (the
// linear memory's size, which never shrinks: the high-water mark), the JS heap and the
// number of DOM nodes. At the end it checks the round trip of the run's own link (or
// the page's explanation of why there is none) and of its trace file. Figures, not
// pass/fail thresholds: they go in docs/benchmarks.md. It fails only on a page error, a
// safety violation, or an export that does not reopen the identical run.
import { join } from 'node:path';
import { OUTPUT, launch, sandboxAtTenTimes, serveDist } from './lib.mjs';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 120);
const MS = 1000; // virtual microseconds per millisecond
const assert = (cond, message) => { if (!cond) throw new Error(message); };

const { server, url } = await serveDist();
const browser = await launch();
const errors = [];
const page = await sandboxAtTenTimes(browser, url, (p) => {
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
});

const now = () => page.evaluate(() => Number(document.querySelector('.clock').dataset.now));
const measure = () => page.evaluate(() => ({
  wasm: window.__wasm?.memory?.buffer?.byteLength ?? NaN,
  js: performance.memory?.usedJSHeapSize ?? NaN,
  dom: document.getElementsByTagName('*').length,
  violation: !!document.querySelector('.violation'),
}));
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
const started = Date.now();
let nextReport = 0;
let writes = 0;
let faults = 0; // crash-restart-split-heal rounds
let lastFaultMinute = 0;
console.log(`soak: ${MINUTES} virtual minutes at 10×, writes every 200 ms of real time`);
for (;;) {
  const t = await now();
  if (t >= nextReport * 60_000 * MS) {
    const m = await measure();
    console.log(`  ${String(nextReport).padStart(4)} virtual min  wasm ${mb(m.wasm)}  JS ${mb(m.js)}  DOM ${m.dom} nodes  writes ${writes}  fault rounds ${faults}  (${Math.round((Date.now() - started) / 1000)} s real)`);
    assert(!m.violation, 'a safety violation');
    nextReport += 10;
  }
  if (t >= MINUTES * 60_000 * MS) break;
  await page.keyboard.press('c');
  writes++;
  // Every few virtual minutes: crash the leader, restart it, split, heal.
  const minute = Math.floor(t / (60_000 * MS));
  if (minute % 3 === 1 && lastFaultMinute < minute) {
    lastFaultMinute = minute;
    faults++;
    const leader = await page.locator('.server[data-role="leader"][data-up="true"]').first().getAttribute('data-node-id').catch(() => null);
    if (leader !== null) {
      await page.locator(`.server[data-node-id="${leader}"]`).click();
      await page.locator('.inspector .crash-restart').click();
      await page.waitForTimeout(1500);
      await page.locator('.inspector .crash-restart').click();
      await page.locator('.inspector .close').click();
    }
    await page.getByRole('button', { name: 'Split', exact: true }).click();
    await page.waitForTimeout(1500);
    await page.getByRole('button', { name: 'Heal', exact: true }).click();
    await page.locator('h1').click();
  }
  await page.waitForTimeout(200);
}
if (await page.locator('button.play[aria-label="Pause"]').count()) await page.locator('button.play').click();

// The run's own exports.
const snapshot = (p) => p.evaluate(() => ({
  now: document.querySelector('.clock').dataset.now,
  servers: [...document.querySelectorAll('.server')].map((e) => `${e.dataset.nodeId}:${e.dataset.role}:${e.dataset.term}:${e.dataset.up}`).join(' '),
  entries: [...document.querySelectorAll('td.entry')].map((e) => `${e.dataset.nodeId}/${e.dataset.index}/${e.dataset.term}`).join(' '),
}));
const before = await snapshot(page);
await page.getByRole('button', { name: 'Copy link' }).click();
await page.waitForSelector('.notice');
const said = await page.locator('.notice').innerText();
if (page.url().includes('#/run/')) {
  const other = await browser.newPage();
  await other.goto(page.url());
  await other.waitForSelector('[data-mounted="true"]');
  await other.waitForFunction(() => document.querySelector('.clock').dataset.now !== '0', null, { timeout: 120000 });
  const after = await snapshot(other);
  for (const k of Object.keys(before)) assert(before[k] === after[k], `the link reopens another run: ${k} differs`);
  console.log(`  link: ${page.url().length} characters, reopens the identical run`);
  await other.close();
} else {
  console.log(`  link: none; the page says: ${said}`);
}
const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export trace' }).click()]);
const file = join(OUTPUT, 'soak-trace.json');
await download.saveAs(file);
const other = await browser.newPage();
await other.goto(url);
await other.waitForSelector('[data-mounted="true"]');
await other.locator('input[aria-label="Import trace"]').setInputFiles(file);
await other.waitForSelector('.notice', { timeout: 120000 });
const imported = await other.locator('.notice').innerText();
if (imported.includes('match the replay exactly')) {
  const after = await snapshot(other);
  for (const k of Object.keys(before)) assert(before[k] === after[k], `the trace reopens another run: ${k} differs`);
  console.log('  trace: reimports to the identical run');
} else {
  console.log(`  trace: the page says: ${imported}`);
}
assert(errors.length === 0, `page errors: ${errors.join(' | ')}`);
await browser.close();
server.close();
console.log(`soak: done in ${Math.round((Date.now() - started) / 1000)} s of real time`);
