// Two builds of the page compared on a shared machine (issue 16): the same frames case
// run on build A, then B, then A, … in one sitting, so whatever else the machine does
// falls on both alike. For each round and side it prints the frames drawn, their time (the
// probe of e2e/bench.mjs: from the frame callback to a task posted at its end), the frames
// over 16.7 ms and the main thread's CPU time a frame (CDP TaskDuration); then the means.
// A figure, not a test. For a CSS change, e2e/css-ab.mjs switches it inside one page.
//
//   A=/tmp/dist-before B=dist node e2e/build-ab.mjs
//
// Options: ROUNDS (4), SERVERS (9), SPEED (the slider's exponent: 1 is 10×, -1.8 the
// default), EVERY (a client write every so many ms, 0 for none; 50), SECONDS (6 a run),
// HIDE (a CSS selector drawn as `display: none` on both sides, e.g. to measure the
// page's code alone: 'svg.cluster, .logs-panel, .side, .controls, .top-bar').
import { FRAME_PROBE, launch, playWith, serveDist } from './lib.mjs';

const sides = { A: process.env.A, B: process.env.B };
if (!sides.A || !sides.B) {
  console.error('build-ab: set A and B to two builds (directories like dist/)');
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const SERVERS = Number(process.env.SERVERS ?? 9);
const SPEED = Number(process.env.SPEED ?? 1);
const EVERY = Number(process.env.EVERY ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 6);
const HIDE = process.env.HIDE ?? '';

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

async function once(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.addInitScript(FRAME_PROBE);
  await page.goto(url);
  await page.waitForSelector('[data-mounted="true"]');
  await playWith(page, SERVERS, SPEED);
  if (HIDE) await page.addStyleTag({ content: `${HIDE} { display: none !important }` });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  await page.evaluate(() => { window.__frames = []; });
  const before = await busy();
  const end = Date.now() + SECONDS * 1000;
  while (Date.now() < end) {
    if (EVERY) await page.keyboard.press('c');
    await page.waitForTimeout(EVERY || 200);
  }
  const cpu = (await busy()) - before;
  const frames = await page.evaluate(() => window.__frames);
  await page.close();
  return { n: frames.length, p50: pct(frames, 0.5), p95: pct(frames, 0.95), over: frames.filter((f) => f > 16.7).length, cpu: 1000 * cpu / frames.length };
}

const served = {};
for (const [side, dir] of Object.entries(sides)) served[side] = await serveDist(dir);
const browser = await launch();
const all = { A: [], B: [] };
const line = (r) => `${r.n} frames, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ${r.over} over 16.7 ms, main-thread CPU ${r.cpu.toFixed(1)} ms a frame`;
console.log(`A = ${sides.A}\nB = ${sides.B}\n${SERVERS} servers, speed 10^${SPEED}, a write every ${EVERY} ms, ${SECONDS} s a run${HIDE ? `, hidden: ${HIDE}` : ''}`);
for (let round = 1; round <= ROUNDS; round++) {
  for (const side of ['A', 'B']) {
    const r = await once(browser, served[side].url);
    all[side].push(r);
    console.log(`round ${round} ${side}: ${line(r)}`);
  }
}
const mean = (rs, k) => rs.reduce((s, r) => s + r[k], 0) / rs.length;
for (const side of ['A', 'B']) {
  const rs = all[side];
  console.log(`mean ${side}: ${mean(rs, 'n').toFixed(0)} frames, p50 ${mean(rs, 'p50').toFixed(1)} ms, p95 ${mean(rs, 'p95').toFixed(1)} ms, ${mean(rs, 'over').toFixed(0)} over 16.7 ms, main-thread CPU ${mean(rs, 'cpu').toFixed(1)} ms a frame`);
}
await browser.close();
for (const { server } of Object.values(served)) server.close();
