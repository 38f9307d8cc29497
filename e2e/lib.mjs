// Shared by the end-to-end tests and the browser benchmark: a static server for dist/
// on 127.0.0.1 and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { createServer } from 'node:http';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
// `DIST=/path` serves another build (the benchmark's before and after, side by side).
export const DIST = process.env.DIST ?? join(ROOT, 'dist');
export const OUTPUT = join(ROOT, 'e2e', 'output');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
};

export async function serveDist(dir = DIST) {
  await stat(join(dir, 'index.html')).catch(() => {
    throw new Error('dist/index.html is missing: run `make build` first');
  });
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? path + 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/// Runs the journeys whose name contains `only` (all when it is empty), each in a fresh
/// 1366×768 page; a page error or console error fails a journey (unless it is marked
/// `strict: false`: one that makes the page fail on purpose), and a failed journey
/// leaves a screenshot. Exits the process: 0 when all passed.
export async function runJourneys(tests, { only, label }) {
  await mkdir(OUTPUT, { recursive: true });
  const { server, url } = await serveDist();
  const browser = await launch();
  const chosen = tests.filter((t) => !only || t.name.includes(only));
  let failed = 0;
  for (const t of chosen) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
    const started = Date.now();
    try {
      await t.fn(page, url);
      if (t.strict !== false && errors.length) throw new Error(errors.join('\n'));
      console.log(`  ok    ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`  FAIL  ${t.name}\n        ${String(e.message).split('\n').join('\n        ')}`);
      await page.screenshot({ path: join(OUTPUT, `failed-${label}-${t.name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
    }
    await context.close();
  }
  await browser.close();
  server.close();
  console.log(`${label}: ${chosen.length - failed} of ${chosen.length} journeys passed; screenshots in e2e/output/`);
  process.exit(failed ? 1 : 0);
}

/// A 1366×768 page of the sandbox playing at 10×, for the long runs (`make soak`, the
/// benchmark's hour of memory). `window.__wasm` holds the program's exports, so the wasm
/// heap can be read; `before(page)` runs before the page loads (to listen for errors).
export async function sandboxAtTenTimes(browser, url, before = () => {}) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  before(page);
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  });
  await page.goto(url);
  await page.waitForSelector('[data-mounted="true"]');
  await page.locator('input[aria-label="Speed"]').fill('1');
  await page.locator('h1').click();
  return page;
}

/// Each animation frame's cost, for the benchmarks: from the start of the app's
/// requestAnimationFrame callback to a task posted at its end, which runs after Yew's
/// render and the browser's style, layout and paint for that frame. The costs gather in
/// `window.__frames`; `window.__firstCluster` is when the first server was drawn.
export const FRAME_PROBE = `
  window.__frames = [];
  window.__firstCluster = null;
  const raf = window.requestAnimationFrame.bind(window);
  const channel = new MessageChannel();
  let pending = [];
  channel.port1.onmessage = () => { const t = performance.now(); for (const t0 of pending) window.__frames.push(t - t0); pending = []; };
  window.requestAnimationFrame = (cb) => raf((ts) => { const t0 = performance.now(); cb(ts); pending.push(t0); channel.port2.postMessage(0); });
  new MutationObserver((_, obs) => {
    if (document.querySelector('.server[data-node-id]')) { window.__firstCluster = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
`;

/// Sets a mounted sandbox page to `servers` servers and the speed slider's exponent
/// `speedExp` (1 is 10×, 0 is 1×, -1.8 the default), lets it play, and waits for a leader.
export async function playWith(page, servers, speedExp) {
  if (servers !== 5) {
    await page.locator('select[aria-label="Cluster size"]').selectOption(String(servers));
    await page.waitForFunction((n) => document.querySelectorAll('.server').length === n, servers);
  }
  await page.locator('input[aria-label="Speed"]').fill(String(speedExp));
  await page.locator('h1').click();
  await page.waitForSelector('.server[data-role="leader"]', { timeout: 60000 });
}
