// Browser benchmark (`make bench`): frame time in five cases (5 and 9 servers at 10× with
// client writes every 50 ms, 9 servers at 1×, a teacher's pace, the tour), release sizes
// (raw, gzip, brotli), the time from navigation to the first rendered cluster, the wasm
// heap through an hour-long run, the lab, and nothing when idle. Figures, not pass/fail:
// see docs/benchmarks.md.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { DIST, FRAME_PROBE, launch, playWith, sandboxAtTenTimes, serveDist } from './lib.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

// One frame-time case: a cluster size, a speed (the slider's exponent: 1 is 10×, 0 is 1×,
// -1.8 the page's default), a client write every `every` ms of real time (none when 0),
// or a tour step playing on its own.
async function frameRun(browser, url, { name, servers = 5, speedExp = 1, every = 50, hash = '', key = 'c' }) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.addInitScript(FRAME_PROBE);
  await page.goto(url + hash);
  await page.waitForSelector('[data-mounted="true"]');
  const firstCluster = await page.evaluate(() => window.__firstCluster);
  if (!hash) {
    await playWith(page, servers, speedExp);
  } else {
    await page.waitForSelector('section.tour');
  }
  // The main thread's CPU time (CDP TaskDuration) as well as the frames' wall time: on a
  // machine shared with other work, CPU time per frame is the steadier figure to compare.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const cpu = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  await page.evaluate(() => { window.__frames = []; });
  const cpuBefore = await cpu();
  const end = Date.now() + SECONDS * 1000;
  let writes = 0;
  while (Date.now() < end) {
    if (every && !process.env.BENCH_NO_WRITES) {
      await page.keyboard.press(key);
      writes++;
    }
    await page.waitForTimeout(every || 100);
  }
  const frames = await page.evaluate(() => window.__frames);
  const cpuMs = (await cpu() - cpuBefore) * 1000;
  const state = await page.evaluate(() => ({
    events: document.querySelector('.controls .events')?.innerText ?? '',
    committed: document.querySelectorAll('td.entry[data-committed="true"]').length,
  }));
  await page.close();
  const over = frames.filter((f) => f > 1000 / 60).length;
  return { name, cpuPerFrame: cpuMs / frames.length, frames: frames.length, p50: pct(frames, 0.5), p95: pct(frames, 0.95), max: Math.max(...frames), over, writes, firstCluster, ...state };
}

const files = await readdir(DIST);
const size = async (ext) => {
  const name = files.find((f) => f.endsWith(ext));
  const body = await readFile(join(DIST, name));
  const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { name, raw: body.length, gzip: gzipSync(body, { level: 9 }).length, brotli };
};
const wasm = await size('.wasm');
const js = await size('.js');
const css = await size('.css');

const { server, url } = await serveDist();
const browser = await launch();
// `BENCH_ONLY=frames` (or sizes, first, idle, memory, lab; comma-separated) runs only those parts.
const only = (part) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(part);
const CASES = [
  { name: '5 servers, 10×, a client write every ~50 ms', servers: 5 },
  { name: '9 servers, 10×, a client write every ~50 ms', servers: 9 },
  { name: '9 servers, 1×, a client write every ~50 ms', servers: 9, speedExp: 0 },
  { name: "5 servers, the default speed (1/63×), a client write a second (a teacher's pace)", servers: 5, speedExp: -1.8, every: 1000 },
  { name: 'the tour, Next (→) every 1.5 s from its first chapter, each step playing to its moment', hash: '#/tour', every: 1500, key: 'ArrowRight' },
];
const runs = [];
if (only('frames')) for (const c of CASES) runs.push(await frameRun(browser, url, c));
const firsts = [];
for (let i = 0; i < (only('first') ? 5 : 0); i++) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.addInitScript(FRAME_PROBE);
  await page.goto(url);
  await page.waitForFunction(() => window.__firstCluster !== null);
  firsts.push(await page.evaluate(() => window.__firstCluster));
  await page.close();
}
// Nothing when idle (issue 16's fifth goal, measured): paused for 10 s, how many animation
// frames the page asks for, how many timers it sets, and the CPU time its tasks take (CDP
// Performance.getMetrics, TaskDuration); then the same in the lab's page with nothing
// running.
const IDLE_PROBE = `
  window.__idle = { frames: 0, timers: 0 };
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => { window.__idle.frames++; return raf(cb); };
  const st = window.setTimeout.bind(window);
  window.setTimeout = (...a) => { window.__idle.timers++; return st(...a); };
  const si = window.setInterval.bind(window);
  window.setInterval = (...a) => { window.__idle.timers++; return si(...a); };
`;
const idle = [];
for (const [what, hash, pause] of only('idle') ? [['the sandbox, paused', '', true], ['the lab, nothing running', '#/lab/figure-16', false]] : []) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.addInitScript(IDLE_PROBE);
  await page.goto(url + hash);
  await page.waitForSelector('[data-mounted="true"]');
  if (pause) {
    await page.locator('button.play').click();
    await page.waitForSelector('button.play[aria-label="Play"]');
  }
  await page.waitForTimeout(500);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const cpu = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  await page.evaluate(() => { window.__idle.frames = 0; window.__idle.timers = 0; });
  const before = await cpu();
  await page.waitForTimeout(10000);
  const after = await cpu();
  const counts = await page.evaluate(() => window.__idle);
  idle.push({ what, ...counts, cpuMs: (after - before) * 1000 });
  await page.close();
}

// Memory in an hour-long run (issue 16's fourth goal): the sandbox at 10× with a client
// write every 200 ms of real time for BENCH_MEMORY_MINUTES virtual minutes (default 60:
// about six real minutes), the wasm heap printed every virtual minute with its growth.
// The heap is the linear memory's size, which never shrinks: its high-water mark.
const memory = [];
if (only('memory')) {
  const minutes = Number(process.env.BENCH_MEMORY_MINUTES ?? 60);
  const page = await sandboxAtTenTimes(browser, url);
  const read = () => page.evaluate(() => ({
    now: Number(document.querySelector('.clock').dataset.now),
    wasm: window.__wasm?.memory?.buffer?.byteLength ?? NaN,
    dom: document.getElementsByTagName('*').length,
  }));
  let next = 0;
  let last = { now: -1, at: Date.now() };
  for (;;) {
    const m = await read();
    // A run that stopped (it never should) ends the measurement instead of hanging.
    if (m.now !== last.now) last = { now: m.now, at: Date.now() };
    else if (Date.now() - last.at > 30000) { console.log(`memory: the run stopped at ${m.now} µs`); break; }
    if (m.now >= next * 60_000_000) {
      memory.push({ minute: next, wasm: m.wasm, dom: m.dom });
      next++;
    }
    if (next > minutes) break;
    await page.keyboard.press('c');
    await page.waitForTimeout(200);
  }
  await page.close();
}

// The lab in the browser: Figure 16's top panel with the paper's trial counts, and the
// break-a-rule search over 2,000 schedules with every rule kept; wall time, and the rate
// the page itself shows.
const lab = {};
if (only('lab')) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(url + '#/lab/figure-16');
  await page.waitForSelector('button.run');
  let start = Date.now();
  await page.locator('button.run').click();
  await page.waitForSelector('button.run', { timeout: 300000 });
  lab.figure = { seconds: (Date.now() - start) / 1000, says: await page.locator('.lab-progress').innerText() };
  await page.goto(url + '#/lab/break');
  await page.waitForSelector('input[value="none"]');
  await page.locator('input[value="none"]').click();
  await page.locator('.lab-run select').selectOption('2000');
  start = Date.now();
  await page.locator('button.run').click();
  await page.waitForSelector('.lab-result.nothing', { timeout: 300000 });
  lab.search = { seconds: (Date.now() - start) / 1000, says: await page.locator('.lab-progress').innerText() };
  await page.close();
}
await browser.close();
server.close();

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
if (only('sizes')) console.log(`release size: wasm ${kb(wasm.raw)} (gzip ${kb(wasm.gzip)}), js ${kb(js.raw)} (gzip ${kb(js.gzip)}), css ${kb(css.raw)} (gzip ${kb(css.gzip)})`);
if (only('sizes')) console.log(`wasm + js gzip: ${kb(wasm.gzip + js.gzip)}; brotli (the files make dist writes beside them): ${kb(wasm.brotli + js.brotli)}`);
for (const r of runs) {
  // A very short run of the tour can end before its first step plays.
  if (!r.frames) { console.log(`${r.name}, ${SECONDS} s: no frames drawn`); continue; }
  console.log(`${r.name}, ${SECONDS} s: ${r.frames} frames, ` +
    `frame time p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, max ${r.max.toFixed(1)} ms, ${r.over} over 16.7 ms, main-thread CPU ${r.cpuPerFrame.toFixed(1)} ms a frame; ${r.writes} writes, ${r.events}, ${r.committed} committed cells on screen`);
}
if (firsts.length) console.log(`navigation to first rendered cluster (5 loads, served from 127.0.0.1): median ${pct(firsts, 0.5).toFixed(0)} ms, max ${Math.max(...firsts).toFixed(0)} ms`);
if (lab.figure) console.log(`lab, Figure 16's top panel (5,100 trials) in the browser: ${lab.figure.seconds.toFixed(1)} s wall; the page says: ${lab.figure.says}`);
if (lab.search) console.log(`lab, break a rule with every rule kept, 2,000 schedules in the browser: ${lab.search.seconds.toFixed(1)} s wall; the page says: ${lab.search.says}`);
if (memory.length) {
  const mb = (b) => (b / 1048576).toFixed(1);
  console.log(`memory, the sandbox at 10× with a client write every 200 ms of real time: wasm heap by virtual minute (growth since the minute before)`);
  console.log('  ' + memory.map((m, k) => `${m.minute}: ${mb(m.wasm)} MB (+${mb(k ? m.wasm - memory[k - 1].wasm : 0)}), ${m.dom} DOM nodes`).join('\n  '));
}
for (const r of idle) {
  console.log(`idle for 10 s, ${r.what}: ${r.frames} animation frames requested, ${r.timers} timers set, ${r.cpuMs.toFixed(1)} ms of CPU in the page's tasks`);
}
