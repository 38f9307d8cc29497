// A CSS change measured on a shared machine (issue 16): one page plays a run and switches
// a style sheet on and off every few seconds, so whatever else the machine does falls on
// both sides alike. Prints, for each side, the frames drawn, their time (the same probe
// as e2e/bench.mjs: from the frame callback to a task posted at its end), the frames over
// 16.7 ms and the main thread's CPU time a frame (CDP TaskDuration). A figure, not a test.
//
//   ON='.side { isolation: isolate }' node e2e/css-ab.mjs        # a rule added, against none
//   OFF='.side { isolation: auto !important }' node e2e/css-ab.mjs  # a rule of dist/ taken away
//
// Options: SERVERS (9), SPEED (the slider's exponent: 1 is 10×, -1.8 the default), EVERY
// (a client write every so many ms, 0 for none; 50), PHASE (ms a side, 2000), PHASES (10).
import { FRAME_PROBE, launch, playWith, serveDist } from './lib.mjs';

const ON = process.env.ON ?? '';
const OFF = process.env.OFF ?? '';
const SERVERS = Number(process.env.SERVERS ?? 9);
const EVERY = Number(process.env.EVERY ?? 50);
const PHASE = Number(process.env.PHASE ?? 2000);
const PHASES = Number(process.env.PHASES ?? 10);
if (!ON && !OFF) {
  console.error('css-ab: set ON (a style sheet added on one side) or OFF (added on the other)');
  process.exit(2);
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

const { server, url } = await serveDist();
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
await page.addInitScript(FRAME_PROBE);
await page.goto(url);
await page.waitForSelector('[data-mounted="true"]');
await playWith(page, SERVERS, Number(process.env.SPEED ?? 1));
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
const cpu = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;

const sides = { on: { frames: [], cpuMs: 0 }, off: { frames: [], cpuMs: 0 } };
for (let i = 0; i < PHASES; i++) {
  const side = i % 2 ? 'off' : 'on';
  await page.evaluate((css) => {
    let sheet = document.getElementById('css-ab');
    if (!sheet) { sheet = document.createElement('style'); sheet.id = 'css-ab'; document.head.append(sheet); }
    sheet.textContent = css;
  }, side === 'on' ? ON : OFF);
  // A moment for the new style to settle before counting.
  await page.waitForTimeout(200);
  await page.evaluate(() => { window.__frames = []; });
  const before = await cpu();
  const end = Date.now() + PHASE;
  while (Date.now() < end) {
    if (EVERY) await page.keyboard.press('c');
    await page.waitForTimeout(EVERY || 100);
  }
  sides[side].cpuMs += (await cpu() - before) * 1000;
  sides[side].frames.push(...(await page.evaluate(() => window.__frames)));
}
for (const [side, { frames, cpuMs }] of Object.entries(sides)) {
  console.log(`${side === 'on' ? 'ON ' : 'OFF'}: ${frames.length} frames, p50 ${pct(frames, 0.5).toFixed(1)} ms, p95 ${pct(frames, 0.95).toFixed(1)} ms, ${frames.filter((f) => f > 1000 / 60).length} over 16.7 ms, main-thread CPU ${(cpuMs / frames.length).toFixed(1)} ms a frame`);
}
await browser.close();
server.close();
