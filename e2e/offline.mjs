// Opening the playground from disk, as a teacher with a USB stick does: the single offline
// file (scripts/single-file.mjs, `make dist`) must run from file:// with no other file,
// and dist/index.html opened the same way, which browsers cannot run, must say what to do
// instead of staying blank. Served over http, that message must not appear.
// `node e2e/offline.mjs [name-substring]` runs all journeys or the matching ones.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, OUTPUT, runJourneys } from './lib.mjs';

const OFFLINE = join(DIST, 'raft-playground-offline.html');
const tests = [];
// `strict`: any page error or console error fails the journey. Loading dist/index.html
// from disk logs the browser's own blocked-load errors, which are the point of that test.
const test = (name, fn, { strict = true } = {}) => tests.push({ name, fn, strict });
const assert = (cond, message) => { if (!cond) throw new Error(message); };

test('the single file runs from file:// with nothing else', async (page) => {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(OFFLINE).href);
  await page.waitForSelector('[data-mounted="true"]', { timeout: 15000 });
  assert((await page.title()) === 'Raft Playground', 'title');
  assert((await page.locator('.server[data-node-id]').count()) === 5, 'five servers');
  // The inlined stylesheet applies: the layout is a grid, not the browser's default block.
  const display = await page.locator('.layout').evaluate((e) => getComputedStyle(e).display);
  assert(display === 'grid' || display === 'flex', `the stylesheet applies (.layout is ${display})`);
  await page.locator('input[aria-label="Speed"]').fill('0');
  const leader = await page.waitForSelector('.server[data-role="leader"]', { timeout: 20000 });
  assert(Number(await leader.getAttribute('data-term')) >= 1, 'a leader in term 1 or later');
  await page.locator('input[aria-label="Speed"]').fill('-1.8');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUTPUT, 'offline-single-file.png') });
  const others = requests.filter((u) => !u.startsWith('data:') && u.split('#')[0] !== pathToFileURL(OFFLINE).href);
  assert(others.length === 0, `the page loaded other files: ${others.join(', ')}`);
  assert((await page.locator('#load-problem').count()) === 0, 'no load message');
});

test('the single file opens a scenario link and the tour in Chinese', async (page) => {
  await page.goto(pathToFileURL(OFFLINE).href + '#/scenario/figure-8');
  await page.waitForSelector('[data-mounted="true"]', { timeout: 15000 });
  await page.waitForSelector('.notice');
  assert((await page.locator('.server[data-node-id="0"]').getAttribute('data-term')) === '4', 'figure 8: S1 leads term 4');
  await page.locator('[data-lang-toggle]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await page.goto(pathToFileURL(OFFLINE).href + '#/tour/split-vote/2');
  await page.waitForSelector('section.tour[data-tour-chapter="split-vote"]', { timeout: 15000 });
  assert((await page.evaluate(() => document.documentElement.lang)) === 'zh-CN', 'the language choice is remembered on file://');
});

test('the single file also runs when served, as Pages serves it for download', async (page, url) => {
  await page.goto(url + 'raft-playground-offline.html');
  await page.waitForSelector('[data-mounted="true"]', { timeout: 15000 });
  assert((await page.locator('.server[data-node-id]').count()) === 5, 'five servers');
});

test('dist/index.html from file:// explains itself instead of a blank page', async (page) => {
  await page.goto(pathToFileURL(join(DIST, 'index.html')).href);
  await page.waitForSelector('#load-problem', { timeout: 5000 });
  const text = await page.locator('#load-problem').innerText();
  for (const words of ['opened as a file', 'raft-playground-offline.html', 'python3 -m http.server', 'make serve', '从磁盘打开']) {
    assert(text.includes(words), `the message says "${words}":\n${text}`);
  }
  assert((await page.locator('[data-mounted]').count()) === 0, 'the app cannot mount from file://');
  await page.screenshot({ path: join(OUTPUT, 'offline-dist-index-file.png') });
  // The link in the message leads to the single file, which runs.
  await page.locator('#load-problem a').first().click();
  await page.waitForSelector('[data-mounted="true"]', { timeout: 15000 });
  assert(page.url().endsWith('/raft-playground-offline.html'), `followed the link to ${page.url()}`);
}, { strict: false });

test('served over http, the app mounts and no message appears', async (page, url) => {
  await page.goto(url);
  await page.waitForSelector('[data-mounted="true"]', { timeout: 15000 });
  await page.waitForTimeout(15500); // past the load check's 15 s timeout
  assert((await page.locator('#load-problem').count()) === 0, 'no load message on a normal load');
});

test('served over http with the wasm failing, the page explains itself', async (page, url) => {
  await page.route('**/*.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  const started = Date.now();
  await page.goto(url);
  await page.waitForSelector('#load-problem', { timeout: 10000 });
  const text = await page.locator('#load-problem').innerText();
  assert(text.includes('could not be loaded') && text.includes('无法加载'), `the message says why:\n${text}`);
  console.log(`        (message after ${Date.now() - started} ms)`);
}, { strict: false });

// ---------- runner ----------
await stat(OFFLINE).catch(() => {
  console.error('dist/raft-playground-offline.html is missing: run `make dist` first');
  process.exit(1);
});
await runJourneys(tests, { only: process.argv[2], label: 'offline' });
